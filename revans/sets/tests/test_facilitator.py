import pytest
from django.urls import reverse

from revans.organisations.models import OrganisationMembership
from revans.sets.models import FacilitatorChange, LearningSet
from revans.sets.tests.helpers import assert_refused, grow_set, sign_in_as
from revans.testing import PERSONAS, count_queries, make_user

MANAGERS = {"facilitator", "admin"}


def url(world):
    return reverse("sets:facilitator", args=[world.set_a.pk])


def second_facilitator(world):
    person = make_user("nia@northgate.example", "Nia Newfacilitator")
    OrganisationMembership.objects.create(organisation=world.org, user=person, is_facilitator=True)
    return person


@pytest.mark.parametrize("persona", PERSONAS)
def test_facilitator_page_is_for_the_facilitator_and_admins(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.get(url(world))
    if persona in MANAGERS:
        assert response.status_code == 200
        assert "Fran Facilitator" in response.content.decode()
    else:
        assert_refused(response, world, persona)


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - MANAGERS))
def test_others_cannot_take_the_role(client, world, persona):
    user = sign_in_as(client, world, persona)
    data = {"mode": "self_managed", "duty_holder": str(world.member.pk)}
    if user is not None:
        data = {"mode": "facilitated", "facilitator": str(user.pk)}
    response = client.post(url(world), data)
    assert_refused(response, world, persona)
    assert LearningSet.objects.get(pk=world.set_a.pk).facilitator == world.facilitator
    assert not FacilitatorChange.objects.exists()


def test_moving_the_role_records_it_and_the_previous_facilitator_loses_access(client, world):
    nia = second_facilitator(world)
    client.force_login(world.facilitator)
    response = client.post(url(world), {"mode": "facilitated", "facilitator": str(nia.pk)})
    # Fran can no longer see the set, so she is taken home.
    assert response.status_code == 302 and response.url == reverse("home:home")
    learning_set = LearningSet.objects.get(pk=world.set_a.pk)
    assert learning_set.facilitator == nia and not learning_set.self_managed
    change = FacilitatorChange.objects.get()
    assert (change.previous, change.new, change.changed_by) == (
        world.facilitator,
        nia,
        world.facilitator,
    )
    assert client.get(reverse("sets:detail", args=[learning_set.pk])).status_code == 404
    client.force_login(nia)
    assert client.get(reverse("sets:edit", args=[learning_set.pk])).status_code == 200


def test_an_admin_who_hands_on_keeps_managing(client, world):
    nia = second_facilitator(world)
    client.force_login(world.admin)
    response = client.post(url(world), {"mode": "facilitated", "facilitator": str(nia.pk)})
    assert response.url == reverse("sets:detail", args=[world.set_a.pk])
    page = client.get(url(world)).content.decode()
    assert "Earlier hand-overs" in page and "Nia Newfacilitator" in page


def test_self_managed_duties_go_to_a_member_and_can_be_handed_on(client, world):
    client.force_login(world.facilitator)
    response = client.post(
        url(world), {"mode": "self_managed", "duty_holder": str(world.member.pk)}
    )
    assert response.status_code == 302
    learning_set = LearningSet.objects.get(pk=world.set_a.pk)
    assert learning_set.self_managed and learning_set.facilitator == world.member
    # The member now holds the duties: they manage the set and can hand the duties on.
    client.force_login(world.member)
    page = client.get(reverse("sets:detail", args=[learning_set.pk])).content.decode()
    assert "Self-managed; duties held by Member 1" in page
    assert client.get(reverse("sets:invite", args=[learning_set.pk])).status_code == 200
    response = client.post(
        url(world), {"mode": "self_managed", "duty_holder": str(world.members[1].pk)}
    )
    # Still a member, so they stay on the set's page.
    assert response.url == reverse("sets:detail", args=[learning_set.pk])
    learning_set.refresh_from_db()
    assert learning_set.facilitator == world.members[1]
    assert client.get(reverse("sets:invite", args=[learning_set.pk])).status_code == 404
    assert client.get(reverse("sets:detail", args=[learning_set.pk])).status_code == 200
    assert [c.new for c in FacilitatorChange.objects.order_by("id")] == [
        world.member,
        world.members[1],
    ]


def test_a_self_managed_set_can_be_facilitated_again(client, world):
    LearningSet.objects.filter(pk=world.set_a.pk).update(
        self_managed=True, facilitator=world.member
    )
    client.force_login(world.admin)
    client.post(url(world), {"mode": "facilitated", "facilitator": str(world.facilitator.pk)})
    learning_set = LearningSet.objects.get(pk=world.set_a.pk)
    assert not learning_set.self_managed and learning_set.facilitator == world.facilitator


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"mode": "facilitated"}, "facilitator", "Choose the facilitator who takes over."),
        ({"mode": "self_managed"}, "duty_holder", "Choose the member who takes on the duties."),
        ({"mode": "facilitated", "facilitator": "FRAN"}, "facilitator", "Fran Facilitator already"),
        ({"mode": ""}, "mode", "This field is required."),
    ],
)
def test_bad_hand_overs_are_explained(client, world, data, field, message):
    if data.get("facilitator") == "FRAN":
        data = {**data, "facilitator": str(world.facilitator.pk)}
    client.force_login(world.facilitator)
    response = client.post(url(world), data)
    assert response.status_code == 200
    assert any(message in str(e) for e in response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not FacilitatorChange.objects.exists()


def test_members_and_strangers_are_not_offered_as_facilitators(client, world):
    client.force_login(world.facilitator)
    response = client.post(
        url(world), {"mode": "facilitated", "facilitator": str(world.stranger.pk)}
    )
    assert "Select a valid choice" in str(response.context["form"].errors["facilitator"])
    response = client.post(
        url(world), {"mode": "self_managed", "duty_holder": str(world.stranger.pk)}
    )
    assert "Select a valid choice" in str(response.context["form"].errors["duty_holder"])
    assert LearningSet.objects.get(pk=world.set_a.pk).facilitator == world.facilitator


def test_facilitator_page_queries_stay_constant(client, world, django_assert_num_queries):
    client.force_login(world.admin)
    small, _ = count_queries(client, "get", url(world))
    grow_set(world.set_a, 12)
    for i in range(10):
        person = make_user(f"f{i}@northgate.example", f"Fac {i}")
        OrganisationMembership.objects.create(
            organisation=world.org, user=person, is_facilitator=True
        )
        FacilitatorChange.objects.create(
            learning_set=world.set_a, previous=world.facilitator, new=person, changed_by=world.admin
        )
    large, response = count_queries(client, "get", url(world))
    assert "Fac 9" in response.content.decode()
    assert small == large
    with django_assert_num_queries(6):
        client.get(url(world))
