import pytest
from django.urls import reverse
from django.utils import timezone

from revans.organisations.models import Sponsor
from revans.sets.models import LearningSet, SetMembership
from revans.sets.tests.helpers import assert_refused, grow_set, sign_in_as
from revans.testing import PERSONAS, count_queries

MANAGERS = {"facilitator", "admin"}


def edit_url(world):
    return reverse("sets:edit", args=[world.set_a.pk])


def status_url(world):
    return reverse("sets:status", args=[world.set_a.pk])


def edit_data(learning_set, **overrides):
    data = {
        "name": learning_set.name,
        "cohort": learning_set.cohort,
        "sponsor": str(learning_set.sponsor_id or ""),
        "min_members": str(learning_set.min_members),
        "max_members": str(learning_set.max_members),
        "default_format": learning_set.default_format,
        "time_zone": learning_set.time_zone,
        "location": learning_set.location,
        "online_link": learning_set.online_link,
        "meeting_count": str(learning_set.meeting_count),
        "cadence": learning_set.cadence,
        "cadence_weeks": str(learning_set.cadence_weeks),
        "duration_minutes": str(learning_set.duration_minutes),
        # Browsers send text areas with CRLF line ends.
        "ground_rules": learning_set.ground_rules.replace("\n", "\r\n"),
        "confidentiality_agreement": learning_set.confidentiality_agreement.replace("\n", "\r\n"),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", PERSONAS)
def test_edit_page_is_for_the_facilitator_and_admins(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.get(edit_url(world))
    if persona in MANAGERS:
        assert response.status_code == 200
        assert 'value="Heads of Service"' in response.content.decode()
    else:
        assert_refused(response, world, persona)


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - MANAGERS))
def test_others_cannot_change_the_set(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.post(edit_url(world), edit_data(world.set_a, name="Hijacked"))
    assert_refused(response, world, persona)
    assert LearningSet.objects.get(pk=world.set_a.pk).name == "Heads of Service"


def test_saving_without_changing_the_agreement_keeps_its_version(client, world):
    client.force_login(world.facilitator)
    response = client.post(
        edit_url(world), edit_data(world.set_a, name="Heads of Service 2", location="Room 9")
    )
    assert response.status_code == 302
    learning_set = LearningSet.objects.get(pk=world.set_a.pk)
    assert learning_set.name == "Heads of Service 2" and learning_set.location == "Room 9"
    assert learning_set.agreement_version == 1
    membership = SetMembership.objects.get(learning_set=learning_set, user=world.member)
    assert membership.has_accepted()


def test_changing_the_agreement_means_every_member_accepts_again(client, world):
    client.force_login(world.facilitator)
    page = client.get(edit_url(world)).content.decode()
    assert "every member must read and accept the new text again" in page
    response = client.post(
        edit_url(world),
        edit_data(world.set_a, ground_rules="1. Only questions.\r\n2. Phones away."),
        follow=True,
    )
    assert "every member must read and accept it again" in response.content.decode()
    learning_set = LearningSet.objects.get(pk=world.set_a.pk)
    assert learning_set.agreement_version == 2
    assert learning_set.ground_rules == "1. Only questions.\n2. Phones away."
    membership = SetMembership.objects.get(learning_set=learning_set, user=world.member)
    assert not membership.has_accepted()
    client.force_login(world.member)
    body = client.get(reverse("sets:detail", args=[learning_set.pk])).content.decode()
    assert "Please read and accept" in body


def test_the_maximum_cannot_go_below_the_current_members(client, world):
    client.force_login(world.admin)
    response = client.post(
        edit_url(world), edit_data(world.set_a, min_members="3", max_members="3", cohort="Kept")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["max_members"]
    assert errors == ["The set has 4 members now, so the maximum cannot be lower than that."]
    assert 'value="Kept"' in response.content.decode()
    assert LearningSet.objects.get(pk=world.set_a.pk).max_members == 8


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"time_zone": ""}, "time_zone", "Choose the time zone the set meets in."),
        ({"time_zone": "Europe/Atlantis"}, "time_zone", "not a time zone Revans knows"),
        ({"confidentiality_agreement": "c" * 4001}, "confidentiality_agreement", "at most 4000"),
        ({"min_members": "8", "max_members": "6"}, "max_members", "cannot be smaller"),
        ({"sponsor": "999999"}, "sponsor", "Select a valid choice."),
    ],
)
def test_bad_settings_are_refused_and_kept(client, world, overrides, field, message):
    client.force_login(world.facilitator)
    response = client.post(
        edit_url(world), edit_data(world.set_a, cohort="Kept cohort", **overrides)
    )
    assert response.status_code == 200
    assert any(message in str(e) for e in response.context["form"].errors[field])
    assert 'value="Kept cohort"' in response.content.decode()
    assert LearningSet.objects.get(pk=world.set_a.pk).cohort == "2026"


def test_a_sponsor_of_another_organisation_cannot_be_chosen(client, world):
    elsewhere = Sponsor.objects.create(organisation=world.other_org, name="Not Ours")
    client.force_login(world.facilitator)
    assert "Not Ours" not in client.get(edit_url(world)).content.decode()
    response = client.post(edit_url(world), edit_data(world.set_a, sponsor=str(elsewhere.pk)))
    assert response.status_code == 200
    assert LearningSet.objects.get(pk=world.set_a.pk).sponsor == world.sponsor_body


def test_edit_page_queries_stay_constant(client, world, django_assert_num_queries):
    client.force_login(world.facilitator)
    small, _ = count_queries(client, "get", edit_url(world))
    for i in range(30):
        Sponsor.objects.create(organisation=world.org, name=f"Client {i}")
    grow_set(world.set_a, 12)
    large, _ = count_queries(client, "get", edit_url(world))
    assert small == large
    with django_assert_num_queries(4):
        client.get(edit_url(world))


@pytest.mark.parametrize("persona", PERSONAS)
def test_status_changes_are_for_the_facilitator_and_admins(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.post(status_url(world), {"transition": "activate"})
    if persona in MANAGERS:
        assert response.status_code == 302
        assert response.url == reverse("sets:detail", args=[world.set_a.pk])
        assert LearningSet.objects.get(pk=world.set_a.pk).status == "active"
    else:
        assert_refused(response, world, persona)
        assert LearningSet.objects.get(pk=world.set_a.pk).status == "forming"


def test_status_only_accepts_posts(client, world):
    client.force_login(world.facilitator)
    assert client.get(status_url(world)).status_code == 405


def test_a_set_goes_from_forming_to_active_to_completed(client, world):
    client.force_login(world.facilitator)
    response = client.post(status_url(world), {"transition": "complete"}, follow=True)
    assert "A set that is forming cannot become completed." in response.content.decode()
    client.post(status_url(world), {"transition": "activate"})
    client.post(status_url(world), {"transition": "complete"})
    assert LearningSet.objects.get(pk=world.set_a.pk).status == "completed"


def test_an_archived_set_is_read_only_until_unarchived(client, world):
    client.force_login(world.admin)
    client.post(status_url(world), {"transition": "archive"})
    learning_set = LearningSet.objects.get(pk=world.set_a.pk)
    assert learning_set.archived_at is not None
    page = client.get(reverse("sets:detail", args=[learning_set.pk])).content.decode()
    assert "This set is archived" in page
    assert "Unarchive the set" in page

    response = client.post(edit_url(world), edit_data(learning_set, name="Changed"))
    assert response.status_code == 200
    assert "This set is archived" in response.content.decode()
    response = client.post(status_url(world), {"transition": "activate"}, follow=True)
    assert "This set is archived" in response.content.decode()
    assert LearningSet.objects.get(pk=learning_set.pk).name == "Heads of Service"
    assert LearningSet.objects.get(pk=learning_set.pk).status == "forming"

    client.post(status_url(world), {"transition": "unarchive"})
    assert LearningSet.objects.get(pk=learning_set.pk).archived_at is None
    client.post(edit_url(world), edit_data(learning_set, name="Changed"))
    assert LearningSet.objects.get(pk=learning_set.pk).name == "Changed"


def test_an_unknown_transition_changes_nothing(client, world):
    client.force_login(world.facilitator)
    LearningSet.objects.filter(pk=world.set_a.pk).update(archived_at=timezone.now())
    response = client.post(status_url(world), {"transition": "explode"}, follow=True)
    assert "Unknown change of status." in response.content.decode()
    assert LearningSet.objects.get(pk=world.set_a.pk).archived_at is not None


def test_status_change_queries_stay_constant(client, world, django_assert_num_queries):
    client.force_login(world.facilitator)
    small, _ = count_queries(client, "post", status_url(world), {"transition": "archive"})
    client.post(status_url(world), {"transition": "unarchive"})
    grow_set(world.set_a, 12)
    large, _ = count_queries(client, "post", status_url(world), {"transition": "archive"})
    assert small == large


def test_status_change_runs_a_known_number_of_queries(client, world, django_assert_num_queries):
    client.force_login(world.facilitator)
    # Session, user, set with roles, savepoint, locked set, update, release.
    with django_assert_num_queries(7):
        client.post(status_url(world), {"transition": "activate"})
