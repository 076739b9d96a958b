"""Every meetings URL, for every persona: allowed ones work, everyone else gets 404 (or is
sent to sign in) and learns nothing about set A."""

import datetime as dt

import pytest
from django.urls import reverse

from revans.meetings.models import Attendance, Meeting, Rsvp
from revans.meetings.tests.helpers import assert_refused, local, sign_in_as, start_meeting_now
from revans.testing import PERSONAS

MANAGERS = {"facilitator", "admin"}
SCHEDULE_READERS = {"facilitator", "member", "admin", "sponsor"}

GET_PAGES = {
    "meetings:generate": ("set", MANAGERS),
    "meetings:add": ("set", MANAGERS),
    "meetings:detail": ("meeting", SCHEDULE_READERS),
    "meetings:edit": ("meeting", MANAGERS),
    "meetings:cancel": ("meeting", MANAGERS),
}


def _url(world, name, kind):
    return reverse(name, args=[world.set_a.pk if kind == "set" else world.meetings_a[0].pk])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(GET_PAGES))
def test_pages_for_each_persona(client, world, name, persona):
    kind, allowed = GET_PAGES[name]
    sign_in_as(client, world, persona)
    response = client.get(_url(world, name, kind))
    if persona in allowed:
        assert response.status_code == 200
        assert world.set_a.name in response.content.decode()
    else:
        assert_refused(response, world, persona)


@pytest.mark.parametrize("name", ["meetings:rsvp", "meetings:attendance"])
def test_post_only_urls_refuse_get_without_changing_anything(client, world, name):
    client.force_login(world.member)
    response = client.get(reverse(name, args=[world.meetings_a[0].pk]))
    assert response.status_code == 405
    assert not Rsvp.objects.exists() and not Attendance.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_rsvp_is_for_members_only(client, world, persona):
    meeting = world.meetings_a[0]
    sign_in_as(client, world, persona)
    response = client.post(reverse("meetings:rsvp", args=[meeting.pk]), {"response": "attending"})
    if persona == "member":
        assert response.status_code == 302
        assert Rsvp.objects.get(meeting=meeting).user == world.member
    else:
        # Facilitator and admins see the replies but do not reply themselves.
        assert_refused(response, world, persona)
        assert not Rsvp.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_recording_attendance_is_for_managers_only(client, world, persona):
    meeting = start_meeting_now(world.meetings_a[0])
    sign_in_as(client, world, persona)
    response = client.post(
        reverse("meetings:attendance", args=[meeting.pk]), {"attended": [world.member.pk]}
    )
    if persona in MANAGERS:
        assert response.status_code == 302
        assert Attendance.objects.filter(meeting=meeting).count() == 4
    else:
        assert_refused(response, world, persona)
        assert not Attendance.objects.exists()


def _move_data(meeting, days=1):
    target = local(meeting) + dt.timedelta(days=days)
    return {
        "date": target.date().isoformat(),
        "start_time": "18:00",
        "duration_minutes": "90",
        "format": "open",
        "topic": "",
        "issue_holder": "",
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_editing_is_for_managers_only(client, world, persona):
    meeting = world.meetings_a[0]
    before = meeting.starts_at
    sign_in_as(client, world, persona)
    response = client.post(reverse("meetings:edit", args=[meeting.pk]), _move_data(meeting))
    meeting.refresh_from_db()
    if persona in MANAGERS:
        assert response.status_code == 302
        assert meeting.starts_at == before + dt.timedelta(days=1)
    else:
        assert_refused(response, world, persona)
        assert meeting.starts_at == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_cancelling_is_for_managers_only(client, world, persona):
    meeting = world.meetings_a[0]
    sign_in_as(client, world, persona)
    response = client.post(reverse("meetings:cancel", args=[meeting.pk]))
    meeting.refresh_from_db()
    if persona in MANAGERS:
        assert response.status_code == 302
        assert meeting.is_cancelled
    else:
        assert_refused(response, world, persona)
        assert not meeting.is_cancelled


@pytest.mark.parametrize("persona", PERSONAS)
def test_adding_is_for_managers_only(client, world, persona):
    sign_in_as(client, world, persona)
    data = _move_data(world.meetings_a[-1], days=14)
    response = client.post(reverse("meetings:add", args=[world.set_a.pk]), data)
    count = Meeting.objects.filter(learning_set=world.set_a).count()
    if persona in MANAGERS:
        assert response.status_code == 302
        assert count == 7
    else:
        assert_refused(response, world, persona)
        assert count == 6


@pytest.mark.parametrize("persona", PERSONAS)
def test_generating_is_for_managers_only(client, world, persona):
    Meeting.objects.filter(learning_set=world.set_a).delete()
    sign_in_as(client, world, persona)
    first = (local(world.meetings_b[0]) + dt.timedelta(days=30)).date()
    response = client.post(
        reverse("meetings:generate", args=[world.set_a.pk]),
        {"first_date": first.isoformat(), "start_time": "18:00", "step": "create"},
    )
    count = Meeting.objects.filter(learning_set=world.set_a).count()
    if persona in MANAGERS:
        assert response.status_code == 302
        assert count == 6
    else:
        assert_refused(response, world, persona)
        assert count == 0


# The organisation admin runs both sets, so may open set B's meetings.
@pytest.mark.parametrize("persona", ["facilitator", "member", "sponsor"])
def test_set_a_people_cannot_open_set_bs_meetings(client, world, persona):
    sign_in_as(client, world, persona)
    meeting_b = world.meetings_b[0]
    for name in ("meetings:detail", "meetings:edit", "meetings:cancel"):
        response = client.get(reverse(name, args=[meeting_b.pk]))
        assert response.status_code == 404
        assert world.set_b.name not in response.content.decode()
        assert world.other_member.full_name not in response.content.decode()
    response = client.post(reverse("meetings:rsvp", args=[meeting_b.pk]), {"response": "attending"})
    assert response.status_code == 404
