"""Reminder rows: scheduled with their meeting, kept in step, rendered when due."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from revans.core.models import OutboundEmail
from revans.meetings import actions as meeting_actions
from revans.meetings.models import Meeting
from revans.notifications import hooks, kinds
from revans.notifications.actions import do_set_email_choices, do_update_set_reminders
from revans.notifications.models import ScheduledNotification
from revans.notifications.render import process_due_notifications
from revans.notifications.scheduling import (
    cancel_momentum_call_reminder,
    schedule_momentum_call_reminder,
)
from revans.sets.models import SetMembership

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")
Status = ScheduledNotification.Status


@pytest.fixture(autouse=True)
def _empty_schedule(request):
    """The world's meetings are dated from today; these tests use fixed dates instead."""
    if "world" in request.fixturenames:
        world = request.getfixturevalue("world")
        Meeting.objects.filter(learning_set=world.set_a).delete()


def _add(world, local: dt.datetime, learning_set=None) -> Meeting:
    return meeting_actions.do_add_meeting(
        learning_set or world.set_a, actor=world.facilitator, start_local=local
    )


def _row(meeting, kind=kinds.MEETING_REMINDER) -> ScheduledNotification:
    return ScheduledNotification.objects.get(meeting=meeting, kind=kind)


def _reminders_to() -> list[str]:
    return sorted(
        OutboundEmail.objects.filter(kind=kinds.MEETING_REMINDER).values_list("to_email", flat=True)
    )


def test_a_new_meeting_gets_its_reminder_rows(world):
    meeting = _add(world, dt.datetime(2027, 6, 14, 18, 0))
    rows = {row.kind: row for row in ScheduledNotification.objects.filter(meeting=meeting)}
    assert set(rows) == {kinds.MEETING_REMINDER, kinds.AGREEMENT_REMINDER, kinds.COMMITMENTS_DUE}
    assert rows[kinds.MEETING_REMINDER].send_at == dt.datetime(2027, 6, 12, 17, 0, tzinfo=UTC)
    assert rows[kinds.AGREEMENT_REMINDER].send_at == dt.datetime(2027, 6, 11, 17, 0, tzinfo=UTC)
    assert all(row.status == Status.PENDING for row in rows.values())


@pytest.mark.parametrize(
    ("meeting_local", "reminder_utc"),
    [
        # Clocks go back on Sunday 31 October 2027: 18:00 BST on the Saturday is 17:00 UTC.
        (dt.datetime(2027, 11, 1, 18, 0), dt.datetime(2027, 10, 30, 17, 0, tzinfo=UTC)),
        # Clocks go forward on Sunday 28 March 2027: 18:00 GMT on the Saturday is 18:00 UTC.
        (dt.datetime(2027, 3, 29, 18, 0), dt.datetime(2027, 3, 27, 18, 0, tzinfo=UTC)),
    ],
)
def test_a_reminder_across_a_daylight_saving_change_goes_at_the_sets_wall_clock_time(
    world, meeting_local, reminder_utc
):
    with time_machine.travel(meeting_local - dt.timedelta(days=20), tick=False):
        meeting = _add(world, meeting_local)
    assert _row(meeting).send_at == reminder_utc
    assert reminder_utc.astimezone(LONDON).hour == 18
    with time_machine.travel(reminder_utc - dt.timedelta(minutes=1), tick=False):
        process_due_notifications()
        assert _reminders_to() == []
    with time_machine.travel(reminder_utc, tick=False):
        process_due_notifications()
    expected = sorted([u.email for u in world.members] + [world.facilitator.email])
    assert _reminders_to() == expected
    body = OutboundEmail.objects.filter(kind=kinds.MEETING_REMINDER).first().body_text
    assert meeting_local.strftime("%A %-d %B %Y, 18:00 (Europe/London)") in body
    assert f"http://testserver/meetings/{meeting.pk}/" in body
    assert _row(meeting).status == Status.SENT
    # Processing again sends nothing more.
    with time_machine.travel(reminder_utc + dt.timedelta(hours=1), tick=False):
        assert process_due_notifications() == 0
    assert len(_reminders_to()) == len(expected)


def test_moving_a_meeting_moves_its_reminders_and_tells_the_members(world):
    meeting = _add(world, dt.datetime(2027, 6, 14, 18, 0))
    OutboundEmail.objects.all().delete()
    meeting_actions.do_move_meeting(
        meeting,
        actor=world.facilitator,
        start_local=dt.datetime(2027, 6, 21, 19, 0),
        duration_minutes=90,
    )
    assert _row(meeting).send_at == dt.datetime(2027, 6, 19, 18, 0, tzinfo=UTC)
    moved = OutboundEmail.objects.filter(kind=kinds.MEETING_UPDATE)
    assert sorted(moved.values_list("to_email", flat=True)) == sorted(
        u.email for u in world.members
    )
    assert all(e.attachments and "METHOD:REQUEST" in e.attachments[0]["content"] for e in moved)


def test_cancelling_a_meeting_cancels_its_reminders_and_tells_the_members(world):
    meeting = _add(world, dt.datetime(2027, 6, 14, 18, 0))
    OutboundEmail.objects.all().delete()
    meeting_actions.do_cancel_meeting(meeting, actor=world.facilitator)
    assert set(
        ScheduledNotification.objects.filter(meeting=meeting).values_list("status", flat=True)
    ) == {Status.CANCELLED}
    cancelled = OutboundEmail.objects.filter(kind=kinds.MEETING_UPDATE)
    assert cancelled.count() == len(world.members)
    assert all("METHOD:CANCEL" in e.attachments[0]["content"] for e in cancelled)
    with time_machine.travel(dt.datetime(2027, 6, 12, 17, 0, tzinfo=UTC), tick=False):
        assert process_due_notifications() == 0
    assert _reminders_to() == []


def test_a_reminder_is_skipped_when_no_longer_relevant(world):
    meeting = _add(world, dt.datetime(2027, 6, 14, 18, 0))
    # Cancelled behind the actions' back: rendering still checks.
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    with time_machine.travel(dt.datetime(2027, 6, 13, 9, 0, tzinfo=UTC), tick=False):
        process_due_notifications()
    row = _row(meeting)
    assert (row.status, row.outcome) == (Status.SKIPPED, "meeting cancelled")
    assert _reminders_to() == []


def test_a_reminder_moved_behind_the_actions_back_is_rescheduled_not_sent(world):
    meeting = _add(world, dt.datetime(2027, 6, 14, 18, 0))
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=dt.datetime(2027, 6, 28, 17, 0, tzinfo=UTC)
    )
    with time_machine.travel(dt.datetime(2027, 6, 12, 17, 0, tzinfo=UTC), tick=False):
        process_due_notifications()
    row = _row(meeting)
    assert (row.status, row.send_at) == (
        Status.PENDING,
        dt.datetime(2027, 6, 26, 17, 0, tzinfo=UTC),
    )
    assert _reminders_to() == []


def test_members_who_left_or_turned_reminders_off_are_not_reminded(world):
    _add(world, dt.datetime(2027, 6, 14, 18, 0))
    SetMembership.objects.filter(user=world.members[1]).update(left_at=timezone.now())
    do_set_email_choices(world.members[2], wanted=[kinds.MEETING_SUMMARY])
    with time_machine.travel(dt.datetime(2027, 6, 12, 17, 0, tzinfo=UTC), tick=False):
        process_due_notifications()
    assert _reminders_to() == sorted(
        [world.members[0].email, world.members[3].email, world.facilitator.email]
    )


def test_the_agreement_reminder_goes_only_to_members_who_have_not_accepted(world):
    meeting = _add(world, dt.datetime(2027, 6, 14, 18, 0))
    SetMembership.objects.filter(user__in=world.members[2:]).update(
        agreement_accepted_at=None, agreement_version_accepted=None
    )
    with time_machine.travel(dt.datetime(2027, 6, 11, 17, 0, tzinfo=UTC), tick=False):
        process_due_notifications()
    sent = OutboundEmail.objects.filter(kind=kinds.AGREEMENT_REMINDER)
    assert sorted(sent.values_list("to_email", flat=True)) == sorted(
        u.email for u in world.members[2:]
    )
    assert f"http://testserver/sets/{world.set_a.pk}/agreement/" in sent[0].body_text
    assert "Monday 14 June 2027, 18:00 (Europe/London)" in sent[0].body_text
    assert _row(meeting, kinds.AGREEMENT_REMINDER).status == Status.SENT


def test_everyone_has_accepted_so_the_agreement_reminder_is_skipped(world):
    meeting = _add(world, dt.datetime(2027, 6, 14, 18, 0))
    with time_machine.travel(dt.datetime(2027, 6, 11, 17, 0, tzinfo=UTC), tick=False):
        process_due_notifications()
    row = _row(meeting, kinds.AGREEMENT_REMINDER)
    assert (row.status, row.outcome) == (Status.SKIPPED, "nobody to remind")


def test_the_set_changes_when_reminders_go_and_can_turn_one_off(world):
    meeting = _add(world, dt.datetime(2027, 6, 14, 18, 0))
    do_update_set_reminders(
        world.set_a,
        actor=world.facilitator,
        values={
            "meeting_reminder_days": 5,
            "agreement_reminder_days": 0,
            "commitments_reminder_days": 3,
        },
    )
    assert _row(meeting).send_at == dt.datetime(2027, 6, 9, 17, 0, tzinfo=UTC)
    assert _row(meeting, kinds.AGREEMENT_REMINDER).status == Status.CANCELLED


def test_nothing_in_a_reminder_comes_from_inside_the_set(world):
    meeting = _add(world, dt.datetime(2027, 6, 14, 18, 0))
    Meeting.objects.filter(pk=meeting.pk).update(format="planned", topic="Secret restructuring")
    SetMembership.objects.filter(user=world.members[0]).update(agreement_accepted_at=None)
    with time_machine.travel(dt.datetime(2027, 6, 13, 0, 0, tzinfo=UTC), tick=False):
        process_due_notifications()
    emails = list(OutboundEmail.objects.all())
    assert emails
    for email in emails:
        assert "Secret restructuring" not in email.subject + email.body_text
        assert "Secret restructuring" not in str(email.attachments)


# --- the hooks for commitments and momentum calls --------------------------------------------


def test_commitments_due_is_skipped_when_nobody_has_any_due(world):
    meeting = _add(world, dt.datetime(2027, 6, 14, 18, 0))
    with time_machine.travel(dt.datetime(2027, 6, 11, 17, 0, tzinfo=UTC), tick=False):
        process_due_notifications()
    row = _row(meeting, kinds.COMMITMENTS_DUE)
    assert (row.status, row.outcome) == (Status.SKIPPED, "nothing to remind")


def test_commitments_due_through_the_hook(world, monkeypatch):
    meeting = _add(world, dt.datetime(2027, 6, 14, 18, 0))
    monkeypatch.setattr(hooks, "commitments_due", lambda m: {world.members[1].pk: 2})
    with time_machine.travel(dt.datetime(2027, 6, 11, 17, 0, tzinfo=UTC), tick=False):
        process_due_notifications()
    [email] = OutboundEmail.objects.filter(kind=kinds.COMMITMENTS_DUE)
    assert email.to_email == world.members[1].email
    assert "You have 2 commitments due by the meeting of Heads of Service" in email.body_text
    assert _row(meeting, kinds.COMMITMENTS_DUE).status == Status.SENT


def test_a_momentum_call_reminder_through_the_hook(world, monkeypatch):
    starts = dt.datetime(2027, 6, 30, 12, 0, tzinfo=UTC)
    with time_machine.travel(dt.datetime(2027, 6, 1, tzinfo=UTC), tick=False):
        row = schedule_momentum_call_reminder(
            call_id=7, learning_set=world.set_a, member=world.member, starts_at=starts
        )
    assert row.send_at == dt.datetime(2027, 6, 29, 12, 0, tzinfo=UTC)
    call = hooks.CallReminder(
        starts_at=starts,
        time_zone="Europe/London",
        set_name=world.set_a.name,
        people={world.member: world.facilitator.display_name},
        url="http://testserver/calls/7/",
    )
    monkeypatch.setattr(hooks, "momentum_call_reminder", lambda key: call if key else None)
    with time_machine.travel(row.send_at, tick=False):
        process_due_notifications()
    [email] = OutboundEmail.objects.filter(kind=kinds.MOMENTUM_CALL)
    assert email.to_email == world.member.email
    assert "your momentum call with Fran Facilitator (Heads of Service)" in email.body_text


def test_a_cancelled_momentum_call_sends_no_reminder(world):
    starts = dt.datetime(2027, 6, 30, 12, 0, tzinfo=UTC)
    with time_machine.travel(dt.datetime(2027, 6, 1, tzinfo=UTC), tick=False):
        schedule_momentum_call_reminder(
            call_id=8, learning_set=world.set_a, member=world.member, starts_at=starts
        )
        assert cancel_momentum_call_reminder(8) == 1
    with time_machine.travel(starts, tick=False):
        assert process_due_notifications() == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_render_each_due_reminder_once():
    """Threads with their own connections process the same due rows: one email each."""
    from collections import Counter

    from revans.testing import build_world

    world = build_world()
    Meeting.objects.filter(learning_set=world.set_a).delete()
    with time_machine.travel(dt.datetime(2027, 6, 1, tzinfo=UTC), tick=False):
        do_update_set_reminders(
            world.set_a,
            actor=world.facilitator,
            values={"meeting_reminder_days": 14},
        )
        for day in range(21, 25):
            _add(world, dt.datetime(2027, 6, day, 18, 0))
    start = threading.Barrier(2)
    errors = []

    def work():
        try:
            # After every reminder's time, before the first meeting.
            with time_machine.travel(dt.datetime(2027, 6, 15, 9, 0, tzinfo=UTC), tick=False):
                start.wait()
                while process_due_notifications(limit=1):
                    pass
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    people = [u.email for u in world.members] + [world.facilitator.email]
    assert Counter(_reminders_to()) == Counter({email: 4 for email in people})
    rows = ScheduledNotification.objects.filter(kind=kinds.MEETING_REMINDER)
    assert set(rows.values_list("status", flat=True)) == {Status.SENT}


def test_a_row_that_fails_to_render_is_set_aside_and_the_others_still_go(world, monkeypatch):
    first = _add(world, dt.datetime(2027, 6, 14, 18, 0))
    second = _add(world, dt.datetime(2027, 6, 15, 18, 0))

    def broken(meeting):
        raise RuntimeError("the commitments app is down")

    monkeypatch.setattr(hooks, "commitments_due", broken)
    with time_machine.travel(dt.datetime(2027, 6, 13, 18, 0, tzinfo=UTC), tick=False):
        process_due_notifications()
    broken_row = _row(first, kinds.COMMITMENTS_DUE)
    assert broken_row.status == Status.SKIPPED
    assert "the commitments app is down" in broken_row.outcome
    assert _row(first).status == Status.SENT and _row(second).status == Status.SENT


def test_a_new_time_zone_for_the_set_recomputes_its_reminders(world):
    from revans.sets.actions import do_update_set

    # Between 14 March (New York changes its clocks) and 28 March (London does).
    with time_machine.travel(dt.datetime(2027, 3, 1, tzinfo=UTC), tick=False):
        meeting = _add(world, dt.datetime(2027, 3, 15, 18, 0))
        assert _row(meeting).send_at == dt.datetime(2027, 3, 13, 18, 0, tzinfo=UTC)
        learning_set = world.set_a
        learning_set.refresh_from_db()
        fields = [
            "name", "cohort", "sponsor", "min_members", "max_members", "default_format",
            "time_zone", "location", "online_link", "meeting_count", "cadence",
            "cadence_weeks", "duration_minutes", "ground_rules", "confidentiality_agreement",
        ]  # fmt: skip
        values = {name: getattr(learning_set, name) for name in fields}
        values["time_zone"] = "America/New_York"
        do_update_set(learning_set, actor=world.facilitator, values=values)
    # The meeting keeps its instant, 14:00 in New York (EDT); the reminder goes at 14:00 New
    # York time two days before, still EST there: 19:00 UTC.
    assert _row(meeting).send_at == dt.datetime(2027, 3, 13, 19, 0, tzinfo=UTC)
