"""Every .ics Revans produces parses with icalendar and round-trips UID, SEQUENCE, times, zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from revans.core.models import OutboundEmail
from revans.meetings import actions as meeting_actions
from revans.meetings.models import Meeting
from revans.notifications import hooks, kinds
from revans.notifications.actions import do_create_calendar_feed, do_revoke_calendar_feed
from revans.notifications.calendar import CalendarEntry, invitation_ics, meeting_uid
from revans.testing import make_meetings

LONDON = ZoneInfo("Europe/London")


def parse(text: str) -> Calendar:
    return Calendar.from_ical(text.encode() if isinstance(text, str) else text)


def the_event(calendar: Calendar):
    [event] = calendar.walk("VEVENT")
    return event


def assert_round_trips(event, meeting: Meeting) -> None:
    meeting.refresh_from_db()
    assert str(event["UID"]) == meeting_uid(meeting)
    assert int(event["SEQUENCE"]) == meeting.revision
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == meeting.starts_at and end == meeting.ends_at
    assert str(start.tzinfo) == "Europe/London"
    assert event["DTSTART"].params["TZID"] == "Europe/London"


def test_an_invitation_round_trips_uid_sequence_times_and_zone(world):
    meeting = world.meetings_a[0]
    calendar = parse(invitation_ics(meeting, world.member))
    assert str(calendar["METHOD"]) == "REQUEST"
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"
    event = the_event(calendar)
    assert_round_trips(event, meeting)
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["ATTENDEE"]) == f"mailto:{world.member.email}"
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert str(event["SUMMARY"]) == "Action Learning Set: Heads of Service"


def test_every_change_raises_the_sequence_and_cancelling_sends_method_cancel(world):
    meeting = world.meetings_a[1]
    Meeting.objects.filter(learning_set=world.set_a).exclude(pk=meeting.pk).delete()
    first = the_event(parse(invitation_ics(meeting, world.member)))
    local = meeting.local_start()
    meeting_actions.do_move_meeting(
        meeting,
        actor=world.facilitator,
        start_local=(local + dt.timedelta(days=1)).replace(tzinfo=None),
        duration_minutes=120,
    )
    meeting.refresh_from_db()
    moved = the_event(parse(invitation_ics(meeting, world.member)))
    assert moved["UID"] == first["UID"]
    assert int(moved["SEQUENCE"]) > int(first["SEQUENCE"])
    assert_round_trips(moved, meeting)
    meeting_actions.do_cancel_meeting(meeting, actor=world.facilitator)
    meeting.refresh_from_db()
    calendar = parse(invitation_ics(meeting, world.member))
    assert str(calendar["METHOD"]) == "CANCEL"
    cancelled = the_event(calendar)
    assert cancelled["UID"] == first["UID"]
    assert int(cancelled["SEQUENCE"]) > int(moved["SEQUENCE"])
    assert str(cancelled["STATUS"]) == "CANCELLED"
    # And the emails sent along the way carry exactly these files.
    methods = []
    for email in OutboundEmail.objects.filter(kind=kinds.MEETING_UPDATE).order_by("id"):
        [attachment] = email.attachments
        assert attachment["mimetype"].startswith("text/calendar; method=")
        calendar = parse(attachment["content"])
        methods.append(str(calendar["METHOD"]))
        if methods[-1] == "CANCEL":  # the last one: the meeting as it is now
            assert_round_trips(the_event(calendar), meeting)
    assert set(methods) == {"REQUEST", "CANCEL"}


def test_scheduling_sends_one_email_per_person_with_a_file_per_meeting(world):
    from revans.sets.models import LearningSet

    fresh = LearningSet.objects.create(
        organisation=world.org,
        facilitator=world.facilitator,
        name="Fresh Set",
        time_zone="America/New_York",
        ground_rules="x",
        confidentiality_agreement="y",
        meeting_count=3,
    )
    from revans.testing import add_members

    add_members(fresh, world.members[:2])
    meetings = meeting_actions.do_generate_schedule(
        fresh, first_start_local=dt.datetime(2027, 3, 2, 18, 0), actor=world.facilitator
    )
    emails = list(OutboundEmail.objects.filter(kind=kinds.MEETING_UPDATE))
    assert sorted(e.to_email for e in emails) == sorted(u.email for u in world.members[:2])
    for email in emails:
        assert len(email.attachments) == len(meetings) == 3
        for attachment, meeting in zip(email.attachments, meetings, strict=True):
            event = the_event(parse(attachment["content"]))
            assert str(event["UID"]) == meeting_uid(meeting)
            assert event["DTSTART"].params["TZID"] == "America/New_York"
            assert event.decoded("DTSTART") == meeting.starts_at
            # 18:00 in New York on both sides of its DST change (14 March 2027).
            assert event.decoded("DTSTART").hour == 18


def test_a_new_member_gets_the_upcoming_meetings(world):
    from revans.sets.actions import do_accept_invitation, do_invite_members
    from revans.testing import make_user

    do_invite_members(world.set_a, actor=world.facilitator, emails=["newbie@client.example"])
    newbie = make_user("newbie@client.example", "New Bie")
    OutboundEmail.objects.all().delete()
    do_accept_invitation(world.set_a.invitations.get(), newbie)
    [email] = OutboundEmail.objects.filter(kind=kinds.MEETING_UPDATE)
    assert email.to_email == newbie.email
    assert len(email.attachments) == len(world.meetings_a)
    for attachment in email.attachments:
        parse(attachment["content"])


# --- the private feed ------------------------------------------------------------------------


def _feed(client, token):
    return client.get(reverse("notifications:feed", args=[token]))


def test_the_feed_needs_no_session_and_lists_the_persons_meetings(world):
    feed = do_create_calendar_feed(world.member)
    response = _feed(Client(), feed.token)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = parse(response.content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {meeting_uid(m) for m in world.meetings_a}
    for meeting in world.meetings_a:
        assert_round_trips(events[meeting_uid(meeting)], meeting)


def test_the_facilitator_feed_has_their_sets_and_nobody_elses(world):
    feed = do_create_calendar_feed(world.facilitator)
    uids = {str(e["UID"]) for e in parse(_feed(Client(), feed.token).content).walk("VEVENT")}
    assert uids == {meeting_uid(m) for m in world.meetings_a}
    for persona in ("admin", "sponsor", "stranger", "other_member"):
        user = world.persona(persona)
        body = _feed(Client(), do_create_calendar_feed(user).token).content.decode()
        assert world.set_a.name not in body


def test_a_cancelled_meeting_stays_in_the_feed_as_cancelled(world):
    meeting = world.meetings_a[2]
    meeting_actions.do_cancel_meeting(meeting, actor=world.facilitator)
    feed = do_create_calendar_feed(world.member)
    events = {str(e["UID"]): e for e in parse(_feed(Client(), feed.token).content).walk("VEVENT")}
    assert str(events[meeting_uid(meeting)]["STATUS"]) == "CANCELLED"


def test_a_revoked_or_replaced_address_gives_404(world):
    old = do_create_calendar_feed(world.member)
    new = do_create_calendar_feed(world.member)
    assert _feed(Client(), old.token).status_code == 404
    assert _feed(Client(), new.token).status_code == 200
    do_revoke_calendar_feed(world.member)
    assert _feed(Client(), new.token).status_code == 404


def test_momentum_calls_join_the_feed_through_the_hook(world, monkeypatch):
    entry = CalendarEntry(
        uid="revans-call-1@testserver",
        sequence=2,
        starts_at=dt.datetime(2027, 1, 20, 12, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2027, 1, 20, 12, 30, tzinfo=dt.UTC),
        time_zone="Europe/London",
        summary="Momentum call",
        url="http://testserver/calls/1/",
    )
    monkeypatch.setattr(hooks, "momentum_call_entries", lambda user: [entry])
    feed = do_create_calendar_feed(world.member)
    events = {str(e["UID"]): e for e in parse(_feed(Client(), feed.token).content).walk("VEVENT")}
    call = events["revans-call-1@testserver"]
    assert int(call["SEQUENCE"]) == 2
    assert call.decoded("DTSTART") == entry.starts_at


@pytest.mark.parametrize("extra", [0, 12])
def test_feed_queries_do_not_grow_with_meetings(world, extra, django_assert_num_queries):
    if extra:
        make_meetings(world.set_a, extra, first=dt.datetime(2028, 1, 4, 18, 0))
    feed = do_create_calendar_feed(world.member)
    # The feed row with its person, the meetings, the momentum calls.
    with django_assert_num_queries(3):
        assert _feed(Client(), feed.token).status_code == 200


def test_the_account_page_shows_the_address_and_the_email_choices(client, world):
    client.force_login(world.member)
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Get a calendar address" in page
    for kind in kinds.OPTIONAL:
        assert f'value="{kind.key}"' in page
    feed = do_create_calendar_feed(world.member)
    page = client.get(reverse("accounts:account")).content.decode()
    assert f"http://testserver/calendar/{feed.token}.ics" in page
