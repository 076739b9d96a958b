"""Keeping reminder rows in step with their subjects. Called only from actions.

Every meeting has one row per reminder kind (MEETING_KINDS). Creating or moving a meeting
computes each row's send time; cancelling cancels the pending ones. Rendering checks again
when the row is due (render.py), so a row that missed an update is still never wrong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from revans.meetings.models import Meeting
from revans.meetings.rules import local_to_utc
from revans.notifications import kinds
from revans.notifications.models import ScheduledNotification, SetReminderSettings

MEETING_KINDS = (kinds.MEETING_REMINDER, kinds.AGREEMENT_REMINDER, kinds.COMMITMENTS_DUE)
Status = ScheduledNotification.Status


def reminder_settings(learning_set) -> SetReminderSettings:
    found = SetReminderSettings.objects.filter(learning_set=learning_set).first()
    return found or SetReminderSettings(learning_set=learning_set)


def days_before(settings: SetReminderSettings, kind: str) -> int:
    return {
        kinds.MEETING_REMINDER: settings.meeting_reminder_days,
        kinds.AGREEMENT_REMINDER: settings.agreement_reminder_days,
        kinds.COMMITMENTS_DUE: settings.commitments_reminder_days,
    }[kind]


def wall_clock_before(starts_at: dt.datetime, days: int, zone_name: str) -> dt.datetime:
    """The same wall-clock time `days` days earlier in the zone, as a UTC instant.

    Not starts_at - 48 hours: across a daylight-saving change that would be an hour off.
    """
    local = timezone.localtime(starts_at, _zone(zone_name))
    return local_to_utc(local.date() - dt.timedelta(days=days), local.time(), zone_name)


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def intended_send_at(meeting: Meeting, kind: str, settings: SetReminderSettings):
    """When this reminder should go, or None when the set turned it off."""
    days = days_before(settings, kind)
    if days == 0:
        return None
    return wall_clock_before(meeting.starts_at, days, meeting.learning_set.time_zone)


def schedule_meetings(meetings: Iterable[Meeting], *, now=None) -> None:
    """Create or recompute the reminder rows of these meetings (all of one set)."""
    meetings = list(meetings)
    if not meetings:
        return
    now = now or timezone.now()
    settings = reminder_settings(meetings[0].learning_set)
    existing = {
        (row.meeting_id, row.kind): row
        for row in ScheduledNotification.objects.filter(meeting__in=meetings)
    }
    new_rows = []
    for meeting in meetings:
        for kind in MEETING_KINDS:
            row = existing.get((meeting.pk, kind))
            send_at = None if meeting.is_cancelled else intended_send_at(meeting, kind, settings)
            if send_at is not None and send_at <= now:
                send_at = None  # too late to remind: the meeting's own email has just gone
            if row is None:
                if send_at is not None:
                    new_rows.append(
                        ScheduledNotification(
                            kind=kind,
                            learning_set_id=meeting.learning_set_id,
                            meeting=meeting,
                            send_at=send_at,
                        )
                    )
                continue
            _update_row(row, send_at, now)
    ScheduledNotification.objects.bulk_create(new_rows)


def _update_row(row: ScheduledNotification, send_at, now) -> None:
    if send_at is None:
        if row.status == Status.PENDING:
            row.status, row.outcome = Status.CANCELLED, "no longer due"
            row.updated_at = now
            row.save(update_fields=["status", "outcome", "updated_at"])
        return
    if row.send_at == send_at and row.status in (Status.PENDING, Status.SENT):
        return
    # A new time in the future re-arms the row, even if an earlier reminder went: the
    # meeting moved, so the people are reminded of the new date.
    row.send_at, row.status, row.outcome, row.processed_at = send_at, Status.PENDING, "", None
    row.updated_at = now
    row.save(update_fields=["send_at", "status", "outcome", "processed_at", "updated_at"])


def cancel_meeting_reminders(meeting: Meeting) -> int:
    return ScheduledNotification.objects.filter(meeting=meeting, status=Status.PENDING).update(
        status=Status.CANCELLED, outcome="meeting cancelled", updated_at=timezone.now()
    )


def schedule_set(learning_set, *, now=None) -> None:
    """Recompute every upcoming meeting of the set (after its reminder settings change)."""
    now = now or timezone.now()
    meetings = Meeting.objects.filter(learning_set=learning_set, starts_at__gt=now).select_related(
        "learning_set"
    )
    schedule_meetings(meetings, now=now)


# --- rows keyed by another app's object (the hook for momentum calls) -----------------------


def momentum_call_key(call_id: int) -> str:
    return f"momentum_call:{call_id}"


def schedule_momentum_call_reminder(
    *, call_id: int, learning_set, member, starts_at: dt.datetime, days_before: int = 1
) -> ScheduledNotification | None:
    """HOOK for the calls app: call whenever a call is planned or moved (in its action).

    The reminder goes `days_before` days earlier on the set's wall clock; what it says is
    read when it is due through hooks.momentum_call_reminder.
    """
    now = timezone.now()
    send_at = wall_clock_before(starts_at, days_before, learning_set.time_zone)
    key = momentum_call_key(call_id)
    row = ScheduledNotification.objects.filter(kind=kinds.MOMENTUM_CALL, subject_key=key).first()
    if row is None:
        if send_at <= now:
            return None
        return ScheduledNotification.objects.create(
            kind=kinds.MOMENTUM_CALL,
            learning_set=learning_set,
            subject_key=key,
            user=member,
            send_at=send_at,
        )
    _update_row(row, send_at if send_at > now else None, now)
    return row


def cancel_momentum_call_reminder(call_id: int) -> int:
    """HOOK for the calls app: the call was cancelled, held or marked missed."""
    return ScheduledNotification.objects.filter(
        kind=kinds.MOMENTUM_CALL, subject_key=momentum_call_key(call_id), status=Status.PENDING
    ).update(status=Status.CANCELLED, outcome="call no longer planned", updated_at=timezone.now())
