"""Commitments and momentum calls, connected: real reminders and feed entries, no content."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from revans.calls import actions as call_actions
from revans.calls.tests.conftest import between  # noqa: F401 (fixture)
from revans.calls.tests.helpers import planned_call
from revans.commitments.actions import do_add_commitment
from revans.core.models import OutboundEmail
from revans.notifications import kinds
from revans.notifications.models import ScheduledNotification
from revans.notifications.queries import feed_entries
from revans.notifications.render import process_due_notifications
from revans.notifications.scheduling import schedule_meetings

Status = ScheduledNotification.Status


def test_commitments_due_counts_each_members_own_and_never_quotes_them(world):
    meeting = world.meetings_a[0]
    schedule_meetings([meeting])  # the world's meetings are made without their reminders
    day = meeting.starts_at.date()
    do_add_commitment(world.set_a, owner=world.member, what="Canary-commit-one", due_on=day)
    do_add_commitment(world.set_a, owner=world.member, what="Canary-commit-two", due_on=day)
    later = day + dt.timedelta(days=60)
    do_add_commitment(world.set_a, owner=world.members[1], what="Canary-later", due_on=later)
    row = ScheduledNotification.objects.get(meeting=meeting, kind=kinds.COMMITMENTS_DUE)
    with time_machine.travel(row.send_at, tick=False):
        process_due_notifications()
    [email] = OutboundEmail.objects.filter(kind=kinds.COMMITMENTS_DUE)
    assert email.to_email == world.member.email
    # Greeted by first name, as every email from Revans does.
    assert email.body_text.startswith(f"Hello {world.member.get_short_name()},\n")
    assert "You have 2 commitments due" in email.body_text
    assert "Canary" not in email.subject + email.body_text


def test_a_planned_call_is_reminded_to_both_people_the_day_before(between):  # noqa: F811
    world = between
    call = planned_call(world)
    row = ScheduledNotification.objects.get(
        kind=kinds.MOMENTUM_CALL, subject_key=f"momentum_call:{call.pk}"
    )
    assert row.send_at == call.starts_at - dt.timedelta(days=1)
    with time_machine.travel(row.send_at, tick=False):
        process_due_notifications()
    emails = OutboundEmail.objects.filter(kind=kinds.MOMENTUM_CALL)
    assert sorted(e.to_email for e in emails) == sorted(
        [world.member.email, world.facilitator.email]
    )
    greetings = {e.body_text.split("\n")[0] for e in emails}
    assert greetings == {
        f"Hello {world.member.get_short_name()},",
        f"Hello {world.facilitator.get_short_name()},",
    }
    row.refresh_from_db()
    assert row.status == Status.SENT


def test_a_call_marked_cancelled_cancels_its_reminder(between):  # noqa: F811
    world = between
    call = planned_call(world)
    call_actions.do_set_call_status(call, actor=world.facilitator, status="cancelled")
    row = ScheduledNotification.objects.get(subject_key=f"momentum_call:{call.pk}")
    assert row.status == Status.CANCELLED
    with time_machine.travel(call.starts_at, tick=False):
        process_due_notifications()
    assert not OutboundEmail.objects.filter(kind=kinds.MOMENTUM_CALL).exists()


def test_planned_calls_are_in_both_peoples_feeds_and_nobody_elses(between):  # noqa: F811
    world = between
    call = planned_call(world)
    uid = f"revans-call-{call.pk}@testserver"
    now = timezone.now()
    assert uid in {e.uid for e in feed_entries(world.member, now)}
    assert uid in {e.uid for e in feed_entries(world.facilitator, now)}
    for other in (world.members[1], world.sponsor, world.other_member):
        assert uid not in {e.uid for e in feed_entries(other, now)}
