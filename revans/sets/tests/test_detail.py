import pytest
from django.urls import reverse

from revans.sets.models import LearningSet, SetMembership
from revans.sets.tests.helpers import assert_refused, grow_set, sign_in_as
from revans.testing import PERSONAS, count_queries, make_meetings

ALLOWED = {"facilitator", "member", "admin"}


def url(world):
    return reverse("sets:detail", args=[world.set_a.pk])


@pytest.mark.parametrize("persona", PERSONAS)
def test_set_page_is_for_members_facilitator_and_organisation_admins(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.get(url(world))
    if persona in ALLOWED:
        assert response.status_code == 200
        body = response.content.decode()
        assert "Heads of Service" in body
        for member in world.members:
            assert member.full_name in body
    else:
        # Sponsors see the schedule elsewhere, never this page with its names.
        assert_refused(response, world, persona)


def test_the_set_page_shows_the_set(client, world):
    SetMembership.objects.filter(user=world.member).update(employer="Castlebridge Council")
    LearningSet.objects.filter(pk=world.set_a.pk).update(
        location="Civic Centre", online_link="https://meet.example.org/hos"
    )
    client.force_login(world.member)
    body = client.get(url(world)).content.decode()
    assert "Fran Facilitator" in body
    assert "Client Council" in body  # the sponsor's name
    assert "Civic Centre" in body
    assert "https://meet.example.org/hos" in body
    assert "6 meetings, monthly, 90 minutes each" in body
    assert "Castlebridge Council" in body
    assert "badge-forming" in body
    # Other members' agreement status is for the facilitator, not for members.
    assert "Not yet accepted" not in body


def test_a_member_who_has_not_accepted_is_prompted(client, world):
    SetMembership.objects.filter(user=world.member).update(agreement_accepted_at=None)
    client.force_login(world.member)
    body = client.get(url(world)).content.decode()
    assert "Please read and accept the set's agreement" in body
    assert reverse("sets:agreement", args=[world.set_a.pk]) in body


def test_a_member_who_accepted_is_not_prompted(client, world):
    client.force_login(world.member)
    assert "Please read and accept" not in client.get(url(world)).content.decode()


def test_the_facilitator_sees_who_has_not_accepted(client, world):
    SetMembership.objects.filter(user=world.members[1]).update(agreement_version_accepted=None)
    client.force_login(world.facilitator)
    body = client.get(url(world)).content.decode()
    assert "Not yet accepted the agreement: Member 2" in body
    assert "Manage the set" in body


def test_members_see_no_management_controls(client, world):
    client.force_login(world.member)
    body = client.get(url(world)).content.decode()
    assert reverse("sets:status", args=[world.set_a.pk]) not in body
    assert reverse("sets:edit", args=[world.set_a.pk]) not in body


def test_recommended_range_warnings_are_shown_to_the_facilitator(client, world):
    LearningSet.objects.filter(pk=world.set_a.pk).update(min_members=5, max_members=10)
    client.force_login(world.facilitator)
    body = client.get(url(world)).content.decode()
    assert "outside the recommended 4 to 8" in body
    assert "The set has 4 members; it needs at least 5." in body


def test_set_page_queries_stay_constant(client, world, django_assert_num_queries):
    client.force_login(world.facilitator)
    small, _ = count_queries(client, "get", url(world))
    grow_set(world.set_a, 12)
    make_meetings(world.set_a, 14)
    large, response = count_queries(client, "get", url(world))
    assert "Extra Person 11" in response.content.decode()
    assert small == large
    with django_assert_num_queries(5):
        client.get(url(world))
