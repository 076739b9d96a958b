"""Every change to commitments. Each do_* is one transaction and raises CommitmentRefused
with a sentence for the person when the change cannot be made.

The live meeting calls do_add_commitment_from_meeting (round 7) and do_record_review
(round 2) inside its own locked transaction, so they join it rather than open their own.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from revans.commitments.models import (
    CLOSED_STATUSES,
    HELP_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    OPEN_STATUSES,
    WHAT_MAX_LENGTH,
    Commitment,
    ProgressNote,
    ReviewOutcome,
)
from revans.commitments.rules import CommitmentRefused, default_due_on, local_today
from revans.core.db import one_writer_at_a_time
from revans.meetings.models import Meeting
from revans.meetings.rules import local_datetime
from revans.sets.models import LearningSet, SetMembership

Status = Commitment.Status


def _clean(text, *, max_length: int, field: str, required: bool, label: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise CommitmentRefused(_("Please write %(what)s.") % {"what": label}, field)
    if len(text) > max_length:
        raise CommitmentRefused(
            _("Keep it to %(max)s characters (it has %(count)s).")
            % {"max": max_length, "count": len(text)},
            field,
        )
    return text


def _clean_what(what) -> str:
    return _clean(
        what,
        max_length=WHAT_MAX_LENGTH,
        field="what",
        required=True,
        label=_("what you will do"),
    )


def _clean_help(who_could_help) -> str:
    return _clean(
        who_could_help, max_length=HELP_MAX_LENGTH, field="who_could_help", required=False, label=""
    )


def _clean_note(note) -> str:
    return _clean(note, max_length=NOTE_MAX_LENGTH, field="note", required=False, label="")


def _refuse_unless_member(learning_set: LearningSet, user) -> None:
    if learning_set.is_archived:
        raise CommitmentRefused(_("This set is archived, so its commitments cannot change."))
    if not SetMembership.objects.filter(
        learning_set=learning_set, user=user, left_at__isnull=True
    ).exists():
        raise CommitmentRefused(_("Only members of the set make commitments in it."))


def _check_due(learning_set: LearningSet, due_on: dt.date, now: dt.datetime) -> None:
    if due_on < local_today(learning_set, now):
        raise CommitmentRefused(_("Choose a date from today on."), "due_on")


def _create(learning_set, *, owner, what, due_on, who_could_help, meeting, now) -> Commitment:
    # Made at a meeting (even one run a little early): due at the one after it.
    after = meeting.starts_at if meeting is not None else None
    return Commitment.objects.create(
        learning_set=learning_set,
        owner=owner,
        meeting=meeting,
        what=what,
        due_on=due_on or default_due_on(learning_set, now, after=after),
        who_could_help=who_could_help,
        created_at=now,
        updated_at=now,
    )


def do_add_commitment(
    learning_set: LearningSet,
    *,
    owner,
    what: str,
    due_on: dt.date | None = None,
    who_could_help: str = "",
) -> Commitment:
    """A member adds a commitment for themselves, at any time. Without a date it is due at
    the set's next meeting."""
    now = timezone.now()
    what = _clean_what(what)
    who_could_help = _clean_help(who_could_help)
    with one_writer_at_a_time(), transaction.atomic():
        _refuse_unless_member(learning_set, owner)
        if due_on is not None:
            _check_due(learning_set, due_on, now)
        return _create(
            learning_set,
            owner=owner,
            what=what,
            due_on=due_on,
            who_could_help=who_could_help,
            meeting=None,
            now=now,
        )


@transaction.atomic(savepoint=False)
def do_add_commitment_from_meeting(meeting, *, owner, what: str, now: dt.datetime) -> Commitment:
    """Round 7: the issue holder's action becomes their commitment, due at the next meeting.
    Called inside the live meeting's transaction (which has already checked the round, the
    person and the text), so it joins that transaction: both are kept, or neither."""
    return _create(
        meeting.learning_set,
        owner=owner,
        what=what,
        due_on=None,
        who_could_help="",
        meeting=meeting,
        now=now,
    )


def _locked(commitment: Commitment) -> Commitment:
    locked = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("learning_set")
        .get(pk=commitment.pk)
    )
    return locked


def _set_status(commitment: Commitment, status: str, now: dt.datetime) -> None:
    commitment.status = status
    commitment.closed_at = now if status in CLOSED_STATUSES else None
    commitment.updated_at = now


def do_update_commitment(
    commitment: Commitment, *, actor, status: str | None = None, note: str = ""
) -> ProgressNote:
    """The owner changes the status, writes a dated progress note, or both (dropping a
    commitment is the status "dropped")."""
    now = timezone.now()
    note = _clean_note(note)
    if status is not None and status not in Status.values:
        raise CommitmentRefused(_("Choose open, in progress, done or dropped."), "status")
    with one_writer_at_a_time(), transaction.atomic():
        locked = _locked(commitment)
        _refuse_unless_owner(locked, actor)
        before = locked.status
        # The status it moves to; None if none was chosen or it is the one it has.
        new_status = status if status != before else None
        if new_status is None and not note:
            raise CommitmentRefused(
                _("Change the status or write a progress note (or both)."), "note"
            )
        if new_status is not None:
            _set_status(locked, new_status, now)
        else:
            locked.updated_at = now
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        commitment.status, commitment.closed_at = locked.status, locked.closed_at
        return ProgressNote.objects.create(
            commitment=locked,
            author=actor,
            created_at=now,
            text=note,
            status_before=before,
            status_after=new_status or "",
        )


def _refuse_unless_owner(commitment: Commitment, actor) -> None:
    if commitment.owner_id != actor.pk:
        raise CommitmentRefused(_("Only the person who made a commitment changes it."))
    _refuse_unless_member(commitment.learning_set, actor)


def do_edit_commitment(
    commitment: Commitment, *, actor, what: str, due_on: dt.date, who_could_help: str = ""
) -> bool:
    """The owner rewords a commitment, moves its date or changes who could help. Returns
    whether anything changed."""
    now = timezone.now()
    what = _clean_what(what)
    who_could_help = _clean_help(who_could_help)
    with one_writer_at_a_time(), transaction.atomic():
        locked = _locked(commitment)
        _refuse_unless_owner(locked, actor)
        if due_on != locked.due_on:
            _check_due(locked.learning_set, due_on, now)
        values = {"what": what, "due_on": due_on, "who_could_help": who_could_help}
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        if not changed:
            return False
        for name in changed:
            setattr(locked, name, values[name])
            setattr(commitment, name, values[name])
        locked.updated_at = now
        locked.save(update_fields=[*changed, "updated_at"])
        return True


# What a round-2 verdict does to the status it found (reviewing again starts from the same
# status, so changing one's mind at the meeting leaves no trace of the first answer).
REVIEW_STATUS = {
    ReviewOutcome.DONE: lambda before: Status.DONE,
    ReviewOutcome.PARTLY: lambda before: Status.IN_PROGRESS if before == Status.OPEN else before,
    ReviewOutcome.NOT_DONE: lambda before: before,
}


@transaction.atomic(savepoint=False)
def do_record_review(
    commitment: Commitment, *, meeting, outcome: str, learning: str, recorded_by, now
) -> ProgressNote:
    """Round 2 of `meeting`: how this commitment went, onto its history (one review per
    meeting: reviewing again replaces it). Done closes the commitment; partly done moves an
    open one to in progress. Called inside the live meeting's transaction, which has checked
    the round, the person and the text."""
    locked = _locked(commitment)
    review = ProgressNote.objects.filter(commitment=locked, meeting=meeting).first()
    before = review.status_before if review is not None else locked.status
    after = REVIEW_STATUS[ReviewOutcome(outcome)](before)
    if after != locked.status:
        _set_status(locked, after, now)
        locked.save(update_fields=["status", "closed_at", "updated_at"])
    fields = {
        "author": recorded_by,
        "created_at": now,
        "text": learning,
        "status_before": before,
        "status_after": after if after != before else "",
        "review_outcome": outcome,
    }
    if review is None:
        review = ProgressNote.objects.create(commitment=locked, meeting=meeting, **fields)
    else:
        for name, value in fields.items():
            setattr(review, name, value)
        review.save(update_fields=list(fields))
    commitment.status = locked.status
    return review


def follow_moved_meeting(sender, *, meeting, previous_start: dt.datetime, **_kwargs) -> int:
    """The set moved a meeting to another day: its open commitments due on the old day were
    due at that meeting (a commitment is due at the next meeting unless its owner chose a
    date), so they now fall due on the new day. Not when another meeting of the set is still
    on the old day: then they may be due at that one. Runs inside the move's transaction
    (revans.meetings.signals.meeting_moved). Returns how many moved."""
    learning_set = meeting.learning_set
    tz = ZoneInfo(learning_set.time_zone)
    old_day = local_datetime(previous_start, learning_set.time_zone).date()
    new_day = meeting.local_start().date()
    if old_day == new_day:
        return 0
    day_starts = dt.datetime.combine(old_day, dt.time.min, tzinfo=tz)
    day_ends = dt.datetime.combine(old_day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    another_that_day = (
        Meeting.objects.filter(
            learning_set=learning_set,
            status=Meeting.Status.SCHEDULED,
            starts_at__gte=day_starts,
            starts_at__lt=day_ends,
        )
        .exclude(pk=meeting.pk)
        .exists()
    )
    if another_that_day:
        return 0
    return Commitment.objects.filter(
        learning_set=learning_set, status__in=OPEN_STATUSES, due_on=old_day
    ).update(due_on=new_day, updated_at=timezone.now())
