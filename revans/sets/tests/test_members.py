import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.sets.models import Invitation, LearningSet, SetMembership
from revans.sets.tests.helpers import assert_refused, grow_set, sign_in_as
from revans.testing import PERSONAS, count_queries

PAGE_ALLOWED = {"facilitator", "member", "admin"}
MANAGERS = {"facilitator", "admin"}


def members_url(world):
    return reverse("sets:members", args=[world.set_a.pk])


def remove_url(world, membership):
    return reverse("sets:remove_member", args=[world.set_a.pk, membership.pk])


def membership_of(world, user) -> SetMembership:
    return SetMembership.objects.get(learning_set=world.set_a, user=user, left_at__isnull=True)


def pending(world, email="pending@example.org") -> Invitation:
    return Invitation.objects.create(
        learning_set=world.set_a,
        email=email,
        token_hash=email,
        expires_at=timezone.now() + dt.timedelta(days=5),
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_members_page_is_for_members_facilitator_and_admins(client, world, persona):
    pending(world)
    sign_in_as(client, world, persona)
    response = client.get(members_url(world))
    if persona in PAGE_ALLOWED:
        assert response.status_code == 200
        body = response.content.decode()
        for member in world.members:
            assert member.full_name in body
        # Management controls and invitees' addresses only for those who manage.
        assert ("pending@example.org" in body) == (persona in MANAGERS)
        assert ("Withdraw" in body) == (persona in MANAGERS)
        assert (remove_url(world, membership_of(world, world.members[1])) in body) == (
            persona in MANAGERS
        )
    else:
        assert_refused(response, world, persona)


def test_members_see_only_their_own_agreement_status(client, world):
    SetMembership.objects.filter(user=world.members[2]).update(agreement_accepted_at=None)
    client.force_login(world.member)
    body = client.get(members_url(world)).content.decode()
    assert "Accepted on" in body  # their own
    assert "Not yet accepted" not in body  # Member 3's is not theirs to see
    client.force_login(world.facilitator)
    body = client.get(members_url(world)).content.decode()
    assert "Not yet accepted" in body


@pytest.mark.parametrize("persona", PERSONAS)
def test_removing_a_member_is_for_the_facilitator_and_admins(client, world, persona):
    target = membership_of(world, world.members[1])
    sign_in_as(client, world, persona)
    response = client.post(remove_url(world, target))
    target.refresh_from_db()
    if persona in MANAGERS:
        assert response.status_code == 302
        assert response.url == members_url(world)
        assert target.left_at is not None
        assert target.removed_by == world.persona(persona)
    else:
        assert_refused(response, world, persona)
        assert target.left_at is None


def test_a_removed_member_stays_in_the_history_and_loses_access(client, world):
    target = membership_of(world, world.members[1])
    client.force_login(world.facilitator)
    response = client.post(remove_url(world, target), follow=True)
    body = response.content.decode()
    assert "Member 2 is no longer a member. Their history in the set is kept." in body
    assert SetMembership.objects.filter(pk=target.pk).exists()
    former = response.context["former_members"]
    assert [m.user for m in former] == [world.members[1]]
    assert "Former members" in body and "Fran Facilitator" in body  # removed by
    assert [m.user for m in response.context["members"]] == [
        world.members[0],
        world.members[2],
        world.members[3],
    ]
    client.force_login(world.members[1])
    assert client.get(reverse("sets:detail", args=[world.set_a.pk])).status_code == 404


def test_removing_twice_says_so(client, world):
    target = membership_of(world, world.members[1])
    client.force_login(world.facilitator)
    client.post(remove_url(world, target))
    response = client.post(remove_url(world, target), follow=True)
    assert "This person is no longer a member." in response.content.decode()


def test_a_membership_of_another_set_cannot_be_removed_through_this_one(client, world):
    other = SetMembership.objects.get(learning_set=world.set_b, user=world.other_member)
    client.force_login(world.facilitator)
    url = reverse("sets:remove_member", args=[world.set_a.pk, other.pk])
    assert client.post(url).status_code == 404
    other.refresh_from_db()
    assert other.left_at is None


def test_the_duty_holder_of_a_self_managed_set_stays_until_the_duties_are_handed_on(client, world):
    LearningSet.objects.filter(pk=world.set_a.pk).update(
        self_managed=True, facilitator=world.member
    )
    holder = membership_of(world, world.member)
    client.force_login(world.admin)
    response = client.post(remove_url(world, holder), follow=True)
    assert "Hand the duties to another member before removing them." in response.content.decode()
    holder.refresh_from_db()
    assert holder.left_at is None


def test_an_archived_set_keeps_its_members(client, world):
    LearningSet.objects.filter(pk=world.set_a.pk).update(archived_at=timezone.now())
    target = membership_of(world, world.members[1])
    client.force_login(world.facilitator)
    response = client.post(remove_url(world, target), follow=True)
    assert "This set is archived" in response.content.decode()
    target.refresh_from_db()
    assert target.left_at is None


def test_members_page_queries_stay_constant(client, world, django_assert_num_queries):
    client.force_login(world.facilitator)
    pending(world, "one@example.org")
    SetMembership.objects.filter(user=world.members[3]).update(
        left_at=timezone.now(), removed_by=world.facilitator
    )
    small, _ = count_queries(client, "get", members_url(world))
    grow_set(world.set_a, 12)
    for i in range(30):
        pending(world, f"p{i}@example.org")
    for membership in SetMembership.objects.filter(learning_set=world.set_a)[:6]:
        membership.left_at = timezone.now()
        membership.removed_by = world.admin
        membership.save()
    grow_set(world.set_a, 12, prefix="again")
    large, response = count_queries(client, "get", members_url(world))
    assert len(response.context["former_members"]) >= 6
    assert small == large
    with django_assert_num_queries(5):
        client.get(members_url(world))


def test_removal_queries_stay_constant(client, world):
    client.force_login(world.facilitator)
    small, _ = count_queries(
        client, "post", remove_url(world, membership_of(world, world.members[1]))
    )
    grow_set(world.set_a, 12)
    large, _ = count_queries(
        client, "post", remove_url(world, membership_of(world, world.members[2]))
    )
    assert small == large
