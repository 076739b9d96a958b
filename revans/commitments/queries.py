"""Read-side helpers for commitments: each runs a fixed number of queries, whatever the size.

Who may read is decided here as well as in access.py: every list is limited to sets in which
the reader is inside (a current member, or the facilitator), so a commitment never reaches a
page, a live meeting or an email of anyone else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from revans.commitments.models import OPEN_STATUSES, Commitment, ProgressNote
from revans.commitments.rules import local_today
from revans.meetings.models import Meeting
from revans.sets.models import LearningSet, SetMembership

if TYPE_CHECKING:
    # Only for annotations: django-stubs-ext is a development dependency.
    from django_stubs_ext import WithAnnotations


def _current_member_of(user) -> Q:
    """Commitments whose owner is `user` and who is still a member of the commitment's set."""
    return Q(
        owner=user,
        learning_set__memberships__user=user,
        learning_set__memberships__left_at__isnull=True,
    )


def open_commitments_due_by(user, date: dt.date) -> QuerySet[Commitment]:
    """The user's own open (or in-progress) commitments due on or before `date`, in sets they
    are still a member of and that are not archived; soonest first, with the set loaded.

    For reminders ("commitments due before the next meeting"): a reminder goes to the owner
    only. Whether to quote the text is the caller's choice; the owner is its only reader.
    """
    if not user.is_authenticated:
        return Commitment.objects.none()
    return (
        Commitment.objects.filter(
            _current_member_of(user),
            status__in=OPEN_STATUSES,
            due_on__lte=date,
            learning_set__archived_at__isnull=True,
        )
        .select_related("learning_set")
        .order_by("due_on", "created_at", "id")
    )


def _with_state(rows: Iterable[Commitment], now: dt.datetime) -> list[Commitment]:
    """Mark each row overdue (open, and its date has passed in its set's time zone)."""
    today_by_zone: dict[str, dt.date] = {}
    out = []
    for row in rows:
        zone = row.learning_set.time_zone
        if zone not in today_by_zone:
            today_by_zone[zone] = local_today(row.learning_set, now)
        row.is_overdue = row.is_open and row.due_on < today_by_zone[zone]
        out.append(row)
    return out


def _notes_prefetch() -> Prefetch:
    return Prefetch(
        "notes",
        queryset=ProgressNote.objects.select_related("author", "meeting").order_by(
            "created_at", "id"
        ),
        to_attr="history",
    )


def meeting_numbers(set_ids: Iterable[int]) -> dict[int, int]:
    """Each meeting's number in its set's programme (cancelled ones are not counted),
    for any number of sets in one query."""
    numbers: dict[int, int] = {}
    counters: dict[int, int] = {}
    rows = (
        Meeting.objects.filter(learning_set_id__in=list(set_ids))
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("learning_set_id", "starts_at", "id")
        .values_list("id", "learning_set_id")
    )
    for meeting_id, set_id in rows:
        counters[set_id] = counters.get(set_id, 0) + 1
        numbers[meeting_id] = counters[set_id]
    return numbers


def _number_meetings(rows: list[Commitment], numbers: dict[int, int]) -> None:
    for row in rows:
        row.meeting_number = numbers.get(row.meeting_id) if row.meeting_id else None
        for note in getattr(row, "history", []):
            note.meeting_number = numbers.get(note.meeting_id) if note.meeting_id else None


@dataclass
class SetCommitments:
    learning_set: LearningSet
    commitments: list[Commitment] = field(default_factory=list)


def my_commitments(user, now: dt.datetime | None = None) -> list[SetCommitments]:
    """The user's commitments in every set they are a member of, grouped by set: open ones
    first (soonest due first), then done and dropped ones. Three queries."""
    now = now or timezone.now()
    memberships = list(
        SetMembership.objects.filter(user=user, left_at__isnull=True)
        .select_related("learning_set")
        .order_by("learning_set__name", "learning_set_id")
    )
    groups = {m.learning_set_id: SetCommitments(m.learning_set) for m in memberships}
    rows = _with_state(
        Commitment.objects.filter(owner=user, learning_set_id__in=list(groups))
        .select_related("learning_set", "meeting")
        .prefetch_related(_notes_prefetch()),
        now,
    )
    rows.sort(key=lambda c: (not c.is_open, c.due_on if c.is_open else dt.date.max, c.pk))
    _number_meetings(rows, meeting_numbers(groups))
    for row in rows:
        groups[row.learning_set_id].commitments.append(row)
    return list(groups.values())


def open_commitments_for_home(user, now: dt.datetime | None = None) -> list[Commitment]:
    """The member's open and in-progress commitments, soonest first, for the home page."""
    now = now or timezone.now()
    return _with_state(
        Commitment.objects.filter(
            _current_member_of(user),
            status__in=OPEN_STATUSES,
            # An archived set's commitments are kept as they were: nothing to update.
            learning_set__archived_at__isnull=True,
        )
        .select_related("learning_set")
        .order_by("due_on", "created_at", "id"),
        now,
    )


@dataclass
class MeetingGroup:
    meeting: Meeting | None
    number: int | None
    commitments: list[Commitment] = field(default_factory=list)

    @property
    def overdue_count(self) -> int:
        return sum(1 for c in self.commitments if c.is_overdue)


def board(learning_set: LearningSet, now: dt.datetime | None = None) -> list[MeetingGroup]:
    """Everyone's commitments in the set (its current members'), grouped by the meeting they
    came from, most recent meeting first; ones added between meetings come first of all.
    Three queries."""
    now = now or timezone.now()
    current = SetMembership.objects.filter(learning_set=learning_set, left_at__isnull=True)
    rows = _with_state(
        Commitment.objects.filter(learning_set=learning_set, owner_id__in=current.values("user_id"))
        .select_related("learning_set", "owner", "meeting")
        .prefetch_related(_notes_prefetch())
        .order_by("owner__full_name", "owner__email", "due_on", "id"),
        now,
    )
    numbers = meeting_numbers([learning_set.pk])
    _number_meetings(rows, numbers)
    groups: dict[int | None, MeetingGroup] = {}
    for row in rows:
        key = row.meeting_id
        if key not in groups:
            groups[key] = MeetingGroup(row.meeting, numbers.get(key) if key else None)
        groups[key].commitments.append(row)
    far_future = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(
        groups.values(),
        key=lambda g: g.meeting.starts_at if g.meeting else far_future,
        reverse=True,
    )


def history_of(commitment: Commitment) -> list[ProgressNote]:
    """A commitment's dated history, oldest first, with meeting numbers. Two queries."""
    notes = list(
        ProgressNote.objects.filter(commitment=commitment)
        .select_related("author", "meeting")
        .order_by("created_at", "id")
    )
    numbers = meeting_numbers([commitment.learning_set_id])
    commitment.meeting_number = (
        numbers.get(commitment.meeting_id) if commitment.meeting_id else None
    )
    for note in notes:
        note.meeting_number = numbers.get(note.meeting_id) if note.meeting_id else None
    return notes


class Review(TypedDict):
    """A commitment's review at the meeting under_review() is for (None: not reviewed yet)."""

    review_outcome: str | None
    review_learning: str | None


def under_review(meeting: Meeting) -> list[WithAnnotations[Commitment, Review]]:
    """The commitments round 2 of `meeting` reviews, for the set's current members: made
    before it started and still open, or closed since the set's previous meeting began
    (unless that meeting's round 2 reviewed it once closed: it is settled), or
    already reviewed at this meeting. Each carries `review` (its review at this meeting, or
    None). One query."""
    previous = Meeting.objects.filter(
        learning_set_id=meeting.learning_set_id,
        status=Meeting.Status.SCHEDULED,
        starts_at__lt=meeting.starts_at,
    ).order_by("-starts_at")
    reviews = ProgressNote.objects.filter(commitment=OuterRef("pk"), meeting=meeting)
    # A review at the previous meeting that came when (or after) it was closed: that review
    # closed it, or saw it closed, and was its last word.
    settled_at_previous = ProgressNote.objects.filter(
        commitment=OuterRef("pk"),
        meeting_id=Subquery(previous.values("pk")[:1]),
        created_at__gte=OuterRef("closed_at"),
    ).exclude(review_outcome="")
    current = SetMembership.objects.filter(
        learning_set_id=meeting.learning_set_id, left_at__isnull=True
    )
    rows = (
        Commitment.objects.filter(
            learning_set_id=meeting.learning_set_id,
            owner_id__in=current.values("user_id"),
            created_at__lt=meeting.starts_at,
        )
        # Actions made at this very meeting (round 7) are for the next one.
        .exclude(meeting_id=meeting.pk)
        .alias(previous_start=Subquery(previous.values("starts_at")[:1]))
        .annotate(
            review_outcome=Subquery(reviews.values("review_outcome")[:1]),
            review_learning=Subquery(reviews.values("text")[:1]),
        )
        .filter(
            Q(status__in=OPEN_STATUSES)
            | Q(previous_start__isnull=True)
            | (Q(closed_at__gte=F("previous_start")) & ~Exists(settled_at_previous))
            | Q(review_outcome__isnull=False)
        )
        .order_by("due_on", "created_at", "id")
    )
    return list(rows)
