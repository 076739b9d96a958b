"""The schedule on the set page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.meetings.models import Attendance, Meeting, Rsvp
from revans.meetings.queries import schedule_context
from revans.meetings.tests.helpers import local, sign_in_as, start_meeting_now
from revans.sets.access import Need, access_set_for_user
from revans.sets.models import LearningSet
from revans.testing import count_queries, make_meetings, make_set


def set_page(world):
    return reverse("sets:detail", args=[world.set_a.pk])


def test_the_schedule_numbers_meetings_and_shows_status_and_my_reply(client, world):
    held, to_record, cancelled = world.meetings_a[0], world.meetings_a[1], world.meetings_a[2]
    start_meeting_now(held, minutes_ago=60 * 24 * 30)
    Meeting.objects.filter(pk=held.pk).update(attendance_recorded_at=timezone.now())
    for member in world.members[:3]:
        Attendance.objects.create(meeting=held, user=member, attended=True)
    start_meeting_now(to_record, minutes_ago=60 * 24 * 2)
    Meeting.objects.filter(pk=cancelled.pk).update(status="cancelled", cancelled_at=timezone.now())
    Rsvp.objects.create(meeting=world.meetings_a[3], user=world.member, response="apologies")
    client.force_login(world.member)
    body = client.get(set_page(world)).content.decode()
    assert "Times are in Europe/London." in body
    assert "3 attended" in body
    assert "badge-cancelled" in body
    assert "Apologies sent" in body
    assert reverse("meetings:detail", args=[world.meetings_a[4].pk]) in body
    # Members see a past meeting as held; managers see there is attendance to record.
    assert "Attendance to record" not in body
    client.force_login(world.facilitator)
    body = client.get(set_page(world)).content.decode()
    assert "Attendance to record" in body
    assert "Your reply" not in body


def test_numbers_skip_cancelled_meetings(world):
    Meeting.objects.filter(pk=world.meetings_a[1].pk).update(status="cancelled")
    role = access_set_for_user(world.facilitator, world.set_a.pk, Need.SET_PAGE)
    numbers = [m.number for m in schedule_context(role)["schedule_meetings"]]
    assert numbers == [1, None, 2, 3, 4, 5]


def test_managers_get_generate_and_add_links(client, world):
    Meeting.objects.filter(learning_set=world.set_a).delete()
    client.force_login(world.facilitator)
    body = client.get(set_page(world)).content.decode()
    assert reverse("meetings:generate", args=[world.set_a.pk]) in body
    assert reverse("meetings:add", args=[world.set_a.pk]) in body
    client.force_login(world.member)
    body = client.get(set_page(world)).content.decode()
    assert reverse("meetings:generate", args=[world.set_a.pk]) not in body
    assert reverse("meetings:add", args=[world.set_a.pk]) not in body
    assert "No meetings yet." in body


def test_generate_is_offered_only_without_meetings(client, world):
    client.force_login(world.facilitator)
    body = client.get(set_page(world)).content.decode()
    assert reverse("meetings:generate", args=[world.set_a.pk]) not in body
    assert reverse("meetings:add", args=[world.set_a.pk]) in body


def test_archived_sets_offer_no_changes(client, world):
    LearningSet.objects.filter(pk=world.set_a.pk).update(archived_at=timezone.now())
    client.force_login(world.facilitator)
    body = client.get(set_page(world)).content.decode()
    assert reverse("meetings:add", args=[world.set_a.pk]) not in body


def test_another_sets_meetings_never_appear(client, world):
    other = make_set(world.org, world.facilitator, "Other Set Of Fran")
    secret = make_meetings(
        other, 1, first=local(world.meetings_a[0]).replace(tzinfo=None) + dt.timedelta(days=3)
    )[0]
    client.force_login(world.member)
    body = client.get(set_page(world)).content.decode()
    assert reverse("meetings:detail", args=[secret.pk]) not in body
    assert reverse("meetings:detail", args=[world.meetings_b[0].pk]) not in body


@pytest.mark.parametrize("persona", ["facilitator", "member"])
def test_schedule_queries_stay_constant(client, world, django_assert_num_queries, persona):
    """3 vs 20 meetings: the same queries (the schedule itself is one of them)."""
    Meeting.objects.filter(learning_set=world.set_a).delete()
    make_meetings(world.set_a, 3)
    sign_in_as(client, world, persona)
    small, _ = count_queries(client, "get", set_page(world))
    Meeting.objects.filter(learning_set=world.set_a).delete()
    meetings = make_meetings(world.set_a, 20)
    for meeting in meetings:
        Rsvp.objects.create(meeting=meeting, user=world.member, response="attending")
    large, response = count_queries(client, "get", set_page(world))
    assert response.content.decode().count('data-label="No."') == 20
    assert small == large
    with django_assert_num_queries(5):
        client.get(set_page(world))


def test_schedule_context_is_one_query(world, django_assert_num_queries):
    role = access_set_for_user(world.member, world.set_a.pk, Need.SET_PAGE)
    make_meetings(
        world.set_a,
        14,
        first=local(world.meetings_a[-1]).replace(tzinfo=None) + dt.timedelta(days=60),
    )
    with django_assert_num_queries(1):
        context = schedule_context(role)
    assert len(context["schedule_meetings"]) == 20
