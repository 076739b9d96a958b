"""Every change to meetings happens here.

Each action locks the set's row first (one order for every action), so two people changing
the same schedule at once cannot both pass the overlap check. Refusals are
MeetingActionRefused, carrying the form field the message belongs next to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from revans.meetings import emails
from revans.meetings.models import (
    LIVE_NOT_STARTED,
    Attendance,
    Meeting,
    Rsvp,
    with_live_status,
)
from revans.meetings.queries import not_ended, overlapping
from revans.meetings.rules import (
    MeetingActionRefused,
    check_duration,
    describe_start,
    local_to_utc,
    plan_schedule,
)
from revans.meetings.signals import meeting_moved
from revans.notifications import scheduling
from revans.sets.models import LearningSet, MeetingFormat, SetMembership

NOTE_MAX_LENGTH = Rsvp._meta.get_field("note").max_length or 500
TOPIC_MAX_LENGTH = Meeting._meta.get_field("topic").max_length or 200


def _locked_set(set_id: int) -> LearningSet:
    # of=self: PostgreSQL cannot lock the nullable side of the outer joins.
    return (
        LearningSet.objects.select_for_update(of=("self",))
        .select_related("organisation", "facilitator")
        .get(pk=set_id)
    )


def _refuse_if_archived(learning_set: LearningSet) -> None:
    if learning_set.is_archived:
        raise MeetingActionRefused(
            _("This set is archived, so its meetings cannot be changed. Unarchive it first.")
        )


def _locked_meeting(meeting: Meeting) -> Meeting:
    learning_set = _locked_set(meeting.learning_set_id)
    locked = (
        with_live_status(Meeting.objects.select_for_update(of=("self",)))
        .select_related("issue_holder")
        .get(pk=meeting.pk)
    )
    locked.learning_set = learning_set
    return locked


def _changeable(meeting: Meeting) -> Meeting:
    locked = _locked_meeting(meeting)
    _refuse_if_archived(locked.learning_set)
    if locked.is_cancelled:
        raise MeetingActionRefused(_("This meeting is cancelled, so it cannot be changed."))
    return locked


def why_it_cannot_change(meeting: Meeting) -> str | None:
    """Why the meeting's time and details can no longer be changed, if so. Once a meeting
    has been opened live or has started they stay as they were: the live agenda was built
    from them, and the set's record of a meeting must not change after the event."""
    if meeting.is_cancelled:
        return _("This meeting is cancelled, so it cannot be changed.")
    if meeting.is_held:
        return _("This meeting has been held, so its time and details stay as they were.")
    if meeting.has_started():
        return _("This meeting is under way, so its time and details can no longer be changed.")
    if meeting.live_status == LIVE_NOT_STARTED:
        return _(
            "The facilitator has opened the room for this meeting, so its time and details "
            "can no longer be changed here. To change them, the facilitator can first close "
            "the room from the live meeting: nothing is recorded before the meeting starts."
        )
    if meeting.live_status is not None:  # run live, possibly before its start
        return _(
            "The facilitator has opened this meeting, so its time and details can no longer "
            "be changed."
        )
    return None


def _refuse_if_under_way(meeting: Meeting) -> None:
    if reason := why_it_cannot_change(meeting):
        raise MeetingActionRefused(reason)


def _is_current_member(learning_set: LearningSet, user) -> bool:
    return SetMembership.objects.filter(
        learning_set=learning_set, user=user, left_at__isnull=True
    ).exists()


def _check_slot(
    learning_set: LearningSet,
    starts_at: dt.datetime,
    minutes: int,
    *,
    now: dt.datetime,
    exclude: Meeting | None = None,
) -> None:
    """A new time must be in the future and clear of the set's other meetings that have not
    ended: one whose live meeting ended early no longer holds the rest of its slot."""
    if starts_at <= now:
        raise MeetingActionRefused(
            _("That time has passed: choose a date and time in the future."), "date"
        )
    ends_at = starts_at + dt.timedelta(minutes=minutes)
    others = not_ended(now).filter(overlapping(starts_at, ends_at), learning_set=learning_set)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    other = others.order_by("starts_at").first()
    if other is not None:
        raise MeetingActionRefused(
            _("This overlaps the set's meeting on %(when)s: choose another time.")
            % {"when": describe_start(other.starts_at, learning_set.time_zone)},
            "date",
        )


def _apply_details(meeting: Meeting, *, format: str, topic: str, issue_holder) -> bool:
    """Set format, topic and issue holder on the (unsaved) meeting; True if they changed."""
    if format not in MeetingFormat.values:
        raise MeetingActionRefused(_("Choose open, planned or combined."), "format")
    topic = " ".join((topic or "").split())
    if format == MeetingFormat.OPEN:
        if topic:
            raise MeetingActionRefused(
                _(
                    "An open meeting has no agreed topic: members bid at the meeting. "
                    "Choose planned or combined, or leave the topic empty."
                ),
                "topic",
            )
        if issue_holder is not None:
            raise MeetingActionRefused(
                _(
                    "In an open meeting the issue holders are chosen at the meeting. "
                    "Choose planned or combined, or leave the issue holder empty."
                ),
                "issue_holder",
            )
    if len(topic) > TOPIC_MAX_LENGTH:
        raise MeetingActionRefused(
            _("Keep the topic to %(max)s characters (it has %(count)s).")
            % {"max": TOPIC_MAX_LENGTH, "count": len(topic)},
            "topic",
        )
    if issue_holder is not None and not _is_current_member(meeting.learning_set, issue_holder):
        raise MeetingActionRefused(
            _("The issue holder must be a current member of the set."), "issue_holder"
        )
    holder_id = issue_holder.pk if issue_holder is not None else None
    changed = (meeting.format, meeting.topic, meeting.issue_holder_id) != (format, topic, holder_id)
    meeting.format, meeting.topic, meeting.issue_holder = format, topic, issue_holder
    return changed


def _apply_move(meeting: Meeting, *, start_local: dt.datetime, minutes: int, now) -> bool:
    """Set the new start (wall-clock time in the set's zone) and length; True if changed."""
    check_duration(minutes)
    learning_set = meeting.learning_set
    starts_at = local_to_utc(start_local.date(), start_local.time(), learning_set.time_zone)
    if starts_at == meeting.starts_at and minutes == meeting.duration_minutes:
        return False
    if meeting.has_started(now):
        raise MeetingActionRefused(
            _("This meeting has already started, so it can no longer be moved."), "date"
        )
    _check_slot(learning_set, starts_at, minutes, now=now, exclude=meeting)
    meeting.starts_at, meeting.duration_minutes = starts_at, minutes
    return True


@transaction.atomic
def do_generate_schedule(
    learning_set: LearningSet,
    *,
    first_start_local: dt.datetime,
    custom_dates: list[dt.date] | None = None,
    actor=None,
) -> list[Meeting]:
    """Create the set's meeting rows from its contract.

    first_start_local is naive wall-clock time in the set's time zone (e.g. 18:00 on the
    first date); every generated meeting keeps that wall-clock time across DST changes.
    For the hand-picked cadence, custom_dates lists the dates (the time comes from
    first_start_local). Refuses (ValueError) if the set already has meetings.

    Monthly means the same weekday of the month as the first date (the 2nd Tuesday; a date
    in the fifth week means the last Tuesday); every N weeks uses the set's cadence_weeks.
    A wall-clock time skipped by a DST change moves to the first time that exists (see
    rules.local_to_utc).
    """
    locked = _locked_set(learning_set.pk)
    _refuse_if_archived(locked)
    if Meeting.objects.filter(learning_set=locked).exists():
        raise MeetingActionRefused(
            _("This set already has meetings: change them one by one, or add more.")
        )
    starts = plan_schedule(
        locked,
        first_start_local=first_start_local,
        custom_dates=custom_dates,
        now=timezone.now(),
    )
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                learning_set=locked,
                starts_at=starts_at,
                duration_minutes=locked.duration_minutes,
                format=locked.default_format,
            )
            for starts_at in starts
        ]
    )
    scheduling.schedule_meetings(meetings)
    emails.send_meeting_invitations(locked, meetings, actor=actor)
    return meetings


@transaction.atomic
def do_add_meeting(
    learning_set: LearningSet,
    *,
    actor,
    start_local: dt.datetime,
    duration_minutes: int | None = None,
    format: str | None = None,
    topic: str = "",
    issue_holder=None,
) -> Meeting:
    """One more meeting, outside the generated schedule (or before there is one)."""
    locked = _locked_set(learning_set.pk)
    _refuse_if_archived(locked)
    minutes = duration_minutes or locked.duration_minutes
    check_duration(minutes)
    meeting = Meeting(learning_set=locked, duration_minutes=minutes)
    _apply_details(
        meeting, format=format or locked.default_format, topic=topic, issue_holder=issue_holder
    )
    starts_at = local_to_utc(start_local.date(), start_local.time(), locked.time_zone)
    _check_slot(locked, starts_at, minutes, now=timezone.now())
    meeting.starts_at = starts_at
    meeting.save()
    scheduling.schedule_meetings([meeting])
    emails.send_meeting_invitations(locked, [meeting], actor=actor)
    return meeting


@transaction.atomic
def do_move_meeting(
    meeting: Meeting, *, actor, start_local: dt.datetime, duration_minutes: int
) -> bool:
    """Move the meeting (new wall-clock time in the set's zone, new length).

    Returns False when nothing changed; otherwise everyone in the set is told by email.
    """
    locked = _changeable(meeting)
    before = (locked.starts_at, locked.duration_minutes)
    if not _apply_move(
        locked, start_local=start_local, minutes=duration_minutes, now=timezone.now()
    ):
        return False
    locked.revision += 1
    locked.save(update_fields=["starts_at", "duration_minutes", "revision"])
    meeting_moved.send(Meeting, meeting=locked, previous_start=before[0])
    scheduling.schedule_meetings([locked])
    emails.send_meeting_moved(
        locked, actor=actor, previous_start=before[0], previous_minutes=before[1]
    )
    return True


@transaction.atomic
def do_update_meeting_details(
    meeting: Meeting, *, actor, format: str, topic: str = "", issue_holder=None
) -> bool:
    """Format, and for planned or combined meetings the agreed topic and issue holder."""
    locked = _changeable(meeting)
    _refuse_if_under_way(locked)
    if not _apply_details(locked, format=format, topic=topic, issue_holder=issue_holder):
        return False
    locked.revision += 1
    locked.save(update_fields=["format", "topic", "issue_holder", "revision"])
    return True


@transaction.atomic
def do_edit_meeting(
    meeting: Meeting,
    *,
    actor,
    start_local: dt.datetime,
    duration_minutes: int,
    format: str,
    topic: str = "",
    issue_holder=None,
    outside_the_set: bool = False,
) -> tuple[bool, bool]:
    """The edit page's one form: details and time together, all or nothing.

    Returns (moved, details_changed). One revision step for the whole edit. Someone who may
    schedule but is outside the set (an organisation admin: `outside_the_set`) keeps the
    topic and issue holder the set agreed, which they do not see.
    """
    locked = _changeable(meeting)
    _refuse_if_under_way(locked)
    if outside_the_set:
        topic, issue_holder = locked.topic, locked.issue_holder
        if format == MeetingFormat.OPEN and (topic or issue_holder):
            raise MeetingActionRefused(
                _(
                    "The set has agreed in advance who presents at this meeting, or on what. "
                    "Only its facilitator can make it an open meeting."
                ),
                "format",
            )
    before = (locked.starts_at, locked.duration_minutes)
    details_changed = _apply_details(locked, format=format, topic=topic, issue_holder=issue_holder)
    moved = _apply_move(
        locked, start_local=start_local, minutes=duration_minutes, now=timezone.now()
    )
    if not (moved or details_changed):
        return False, False
    locked.revision += 1
    locked.save(
        update_fields=[
            "starts_at",
            "duration_minutes",
            "format",
            "topic",
            "issue_holder",
            "revision",
        ]
    )
    if moved:
        meeting_moved.send(Meeting, meeting=locked, previous_start=before[0])
        scheduling.schedule_meetings([locked])
        emails.send_meeting_moved(
            locked, actor=actor, previous_start=before[0], previous_minutes=before[1]
        )
    return moved, details_changed


@transaction.atomic
def do_cancel_meeting(meeting: Meeting, *, actor) -> Meeting:
    locked = _changeable(meeting)
    if locked.has_started():
        raise MeetingActionRefused(
            _("This meeting has already started, so it can no longer be cancelled.")
        )
    if locked.live_status is not None:
        # Members may already be in it: the room is closed from inside it, where they are
        # told (revans.live.actions.do_close_room).
        raise MeetingActionRefused(
            _(
                "The facilitator has opened the room for this meeting, so it can no longer be "
                "cancelled here. The facilitator can first close the room from the live "
                "meeting, if the meeting has not started."
            )
        )
    locked.status = Meeting.Status.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.revision += 1
    locked.save(update_fields=["status", "cancelled_at", "revision"])
    scheduling.cancel_meeting_reminders(locked)
    emails.send_meeting_cancelled(locked, actor=actor)
    return locked


@transaction.atomic
def do_rsvp(meeting: Meeting, *, user, response: str, note: str = "") -> Rsvp:
    """A member says they will attend or send apologies, with an optional note that only
    the facilitator reads. Open until the meeting starts."""
    locked = _locked_meeting(meeting)
    _refuse_if_archived(locked.learning_set)
    if not _is_current_member(locked.learning_set, user):
        raise MeetingActionRefused(_("Only the set's members reply to its meetings."))
    if locked.is_cancelled:
        raise MeetingActionRefused(_("This meeting is cancelled: there is nothing to reply to."))
    if locked.phase != "upcoming":  # started by the clock, or early in the live room
        raise MeetingActionRefused(_("This meeting has already started, so replies are closed."))
    if response not in Rsvp.Response.values:
        raise MeetingActionRefused(_("Choose attending or sending apologies."), "response")
    note = (note or "").replace("\r\n", "\n").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise MeetingActionRefused(
            _("Keep the note to %(max)s characters (it has %(count)s).")
            % {"max": NOTE_MAX_LENGTH, "count": len(note)},
            "note",
        )
    rsvp, _created = Rsvp.objects.update_or_create(
        meeting=locked,
        user=user,
        defaults={
            "response": response,
            "note": note,
            "responded_at": timezone.now(),
            "given_for": locked.starts_at,
        },
    )
    rsvp.meeting = locked
    return rsvp


@transaction.atomic
def do_record_attendance(meeting: Meeting, *, actor, attended_user_ids: Iterable[int]) -> int:
    """Who came, for every current member: those listed attended, the others did not.

    Recording again replaces the earlier answers. Returns how many attended.
    """
    locked = _locked_meeting(meeting)
    _refuse_if_archived(locked.learning_set)
    if locked.is_cancelled:
        raise MeetingActionRefused(_("This meeting was cancelled: there is no attendance."))
    now = timezone.now()
    if locked.phase == "upcoming":  # a set that started early in the live room may record
        raise MeetingActionRefused(
            _("Attendance can be recorded once the meeting has started (%(when)s).")
            % {"when": describe_start(locked.starts_at, locked.learning_set.time_zone)}
        )
    member_ids = set(
        SetMembership.objects.filter(
            learning_set=locked.learning_set, left_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    attended = {int(user_id) for user_id in attended_user_ids}
    if not attended <= member_ids:
        raise MeetingActionRefused(_("Choose from the set's current members."), "attended")
    existing = {row.user_id: row for row in Attendance.objects.filter(meeting=locked)}
    changed, new = [], []
    for user_id in member_ids:
        row = existing.get(user_id)
        if row is None:
            new.append(
                Attendance(
                    meeting=locked,
                    user_id=user_id,
                    attended=user_id in attended,
                    recorded_by=actor,
                    recorded_at=now,
                )
            )
        else:
            row.attended, row.recorded_by, row.recorded_at = user_id in attended, actor, now
            changed.append(row)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["attended", "recorded_by", "recorded_at"])
    locked.attendance_recorded_at = now
    locked.save(update_fields=["attendance_recorded_at"])
    return len(attended)
