"""Turning due reminder rows into emails, when they are due. Run by the worker.

Each row is processed in one transaction that locks it, checks it is still pending, decides
whether it is still relevant, queues its emails in the outbox and records the outcome. A
worker killed midway rolls all of it back (the row stays pending); two workers never both
process a row (SKIP LOCKED on PostgreSQL, SQLite's single writer, and the status check).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from revans.core.mail import absolute_url
from revans.meetings.rules import describe_day, describe_start
from revans.notifications import hooks, kinds
from revans.notifications.models import ScheduledNotification
from revans.notifications.outgoing import notify, opted_out
from revans.notifications.scheduling import intended_send_at, reminder_settings
from revans.sets.models import SetMembership

logger = logging.getLogger(__name__)
Status = ScheduledNotification.Status
# A row found due earlier than its recomputed time by less than this is sent, not moved.
TOLERANCE = dt.timedelta(minutes=1)


class Reschedule(Exception):
    def __init__(self, when: dt.datetime):
        self.when = when


class Skip(Exception):
    def __init__(self, reason: str):
        self.reason = reason


def process_due_notifications(limit: int = 50, now=None) -> int:
    """Process up to `limit` due rows; returns how many were processed."""
    now = now or timezone.now()
    ids = list(
        ScheduledNotification.objects.filter(status=Status.PENDING, send_at__lte=now)
        .order_by("send_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    processed = 0
    for row_id in ids:
        try:
            processed += _process_one(row_id, now)
        except Exception as exc:
            # One row that cannot be rendered must not hold up the rows after it forever.
            logger.exception("scheduled notification %s failed", row_id)
            ScheduledNotification.objects.filter(pk=row_id, status=Status.PENDING).update(
                status=Status.SKIPPED,
                outcome=f"error: {exc}"[:200],
                processed_at=now,
                updated_at=now,
            )
    return processed


@transaction.atomic
def _process_one(row_id: int, now) -> int:
    rows = ScheduledNotification.objects.filter(
        pk=row_id, status=Status.PENDING, send_at__lte=now
    ).select_related("learning_set__organisation", "learning_set__facilitator", "meeting", "user")
    if connection.vendor == "postgresql":
        rows = rows.select_for_update(skip_locked=True, of=("self",))
    row = rows.first()
    if row is None:
        return 0  # another worker has it, or had it
    _process(row, now)
    return 1


def _process(row: ScheduledNotification, now) -> None:
    handler = HANDLERS.get(row.kind)
    try:
        if handler is None:
            raise Skip(f"unknown kind {row.kind}")
        count = handler(row, now)
    except Reschedule as later:
        row.send_at = later.when
        row.updated_at = now
        row.save(update_fields=["send_at", "updated_at"])
        return
    except Skip as skip:
        row.status, row.outcome = Status.SKIPPED, skip.reason
    else:
        if count:
            row.status, row.outcome = Status.SENT, f"{count} email(s)"
        else:
            row.status, row.outcome = Status.SKIPPED, "nobody to remind"
    row.processed_at = row.updated_at = now
    row.save(update_fields=["status", "outcome", "processed_at", "updated_at"])


def _live_meeting(row: ScheduledNotification, now):
    meeting = row.meeting
    if meeting is None:
        raise Skip("no meeting")
    meeting.learning_set = row.learning_set
    if meeting.is_cancelled:
        raise Skip("meeting cancelled")
    if meeting.has_started(now):
        raise Skip("meeting has started")
    if row.learning_set.is_archived:
        raise Skip("set archived")
    intended = intended_send_at(meeting, row.kind, reminder_settings(row.learning_set))
    if intended is None:
        raise Skip("turned off by the set")
    if intended > now + TOLERANCE:
        raise Reschedule(intended)
    return meeting


def _current_members(learning_set):
    return [
        m
        for m in SetMembership.objects.filter(
            learning_set=learning_set, left_at__isnull=True
        ).select_related("user")
        if m.user.is_active
    ]


def _send_to(users, kind: str, subject: str, lines_for, organisation) -> int:
    users = list({user.pk: user for user in users}.values())
    muted = opted_out(kind, [u.pk for u in users])
    sent = 0
    for user in users:
        if user.pk in muted:
            continue
        if notify(
            user,
            kind=kind,
            subject=subject,
            lines=lines_for(user),
            organisation=organisation,
            skip_check=True,
        ):
            sent += 1
    return sent


def meeting_reminder(row: ScheduledNotification, now) -> int:
    meeting = _live_meeting(row, now)
    learning_set = row.learning_set
    people = [m.user for m in _current_members(learning_set)]
    if learning_set.facilitator is not None and learning_set.facilitator.is_active:
        people.append(learning_set.facilitator)
    link = absolute_url(reverse("meetings:detail", args=[meeting.pk]))
    lines = [
        _("A reminder: %(set)s meets on %(when)s, for %(minutes)s minutes.")
        % {
            "set": learning_set.name,
            "when": describe_start(meeting.starts_at, learning_set.time_zone),
            "minutes": meeting.duration_minutes,
        },
        _("See the meeting, and say whether you are coming: %(link)s") % {"link": link},
    ]
    subject = _("Reminder: %(set)s meets on %(day)s") % {
        "set": learning_set.name,
        "day": describe_day(meeting.starts_at, learning_set.time_zone),
    }
    return _send_to(
        people, kinds.MEETING_REMINDER, subject, lambda u: lines, learning_set.organisation
    )


def agreement_reminder(row: ScheduledNotification, now) -> int:
    """Members who have not accepted the set's current agreement, before the next meeting
    (for a new member, their first; it also covers an agreement that has changed)."""
    meeting = _live_meeting(row, now)
    learning_set = row.learning_set
    waiting = [m.user for m in _current_members(learning_set) if not m.has_accepted(learning_set)]
    link = absolute_url(reverse("sets:agreement", args=[learning_set.pk]))
    lines = [
        _(
            "Before the meeting of %(set)s on %(when)s, please read and accept the set's "
            "agreement: every member accepts it before taking part."
        )
        % {
            "set": learning_set.name,
            "when": describe_start(meeting.starts_at, learning_set.time_zone),
        },
        _("Read the agreement: %(link)s") % {"link": link},
    ]
    subject = _("Please accept the agreement of %(set)s") % {"set": learning_set.name}
    return _send_to(
        waiting, kinds.AGREEMENT_REMINDER, subject, lambda u: lines, learning_set.organisation
    )


def commitments_due(row: ScheduledNotification, now) -> int:
    meeting = _live_meeting(row, now)
    learning_set = row.learning_set
    counts = hooks.commitments_due(meeting)  # {user_id: count}; empty until connected
    if not counts:
        raise Skip("nothing to remind")
    people = [m.user for m in _current_members(learning_set) if counts.get(m.user_id)]
    link = absolute_url(reverse("meetings:detail", args=[meeting.pk]))
    when = describe_start(meeting.starts_at, learning_set.time_zone)

    def lines_for(user):
        count = counts[user.pk]
        return [
            ngettext(
                "You have %(count)d commitment due by the meeting of %(set)s on %(when)s.",
                "You have %(count)d commitments due by the meeting of %(set)s on %(when)s.",
                count,
            )
            % {"count": count, "set": learning_set.name, "when": when},
            _("See the meeting: %(link)s") % {"link": link},
        ]

    subject = _("Commitments due before %(set)s meets") % {"set": learning_set.name}
    return _send_to(people, kinds.COMMITMENTS_DUE, subject, lines_for, learning_set.organisation)


def momentum_call(row: ScheduledNotification, now) -> int:
    call = hooks.momentum_call_reminder(row.subject_key)
    if call is None:
        raise Skip("call no longer planned")
    if call.starts_at <= now:
        raise Skip("call has started")
    when = describe_start(call.starts_at, call.time_zone)

    def lines_for(user):
        return [
            _("A reminder: your momentum call with %(other)s (%(set)s) is on %(when)s.")
            % {"other": call.people[user], "set": call.set_name, "when": when},
            _("See it here: %(link)s") % {"link": call.url},
        ]

    subject = _("Momentum call on %(day)s") % {"day": describe_day(call.starts_at, call.time_zone)}
    return _send_to(
        list(call.people), kinds.MOMENTUM_CALL, subject, lines_for, row.learning_set.organisation
    )


HANDLERS = {
    kinds.MEETING_REMINDER: meeting_reminder,
    kinds.AGREEMENT_REMINDER: agreement_reminder,
    kinds.COMMITMENTS_DUE: commitments_due,
    kinds.MOMENTUM_CALL: momentum_call,
}
