"""Read-side helpers for momentum calls: each runs a fixed number of queries, whatever the size.

What a reader may see is decided here: notes are fetched for the facilitator, and for the
member only when shared with them.

For other apps (reminders, calendar feeds): `calls_for_user(user)` and
`calls_needing_reminder(now, ahead)` return planned calls with their times; they never
load notes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from revans.calls.access import CallAccess
from revans.calls.models import CallNote, CallSlot, MomentumCall
from revans.calls.rules import suggested_day
from revans.meetings.models import Meeting
from revans.meetings.queries import ended, meetings_with_end
from revans.sets.models import LearningSet, SetMembership

# A planned call stays on the member's home page a while after its start, until it is marked.
STILL_CURRENT = dt.timedelta(hours=2)


@dataclass
class MemberCall:
    membership: SetMembership
    call: MomentumCall | None

    @property
    def is_due(self) -> bool:
        return self.call is None


@dataclass
class SetCalls:
    """A set between two meetings: the suggested day of the calls and each member's call."""

    learning_set: LearningSet
    after: Meeting
    before: Meeting
    suggested: dt.date
    # Today in the set's time zone: the suggested day may already be behind it.
    today: dt.date
    rows: list[MemberCall] = field(default_factory=list)

    @property
    def suggested_has_passed(self) -> bool:
        return self.suggested < self.today

    @property
    def first_day_to_offer(self) -> dt.date:
        """The suggested day, or tomorrow once it has passed (a call still helps until the
        next meeting)."""
        return self.suggested if not self.suggested_has_passed else self.today + dt.timedelta(1)

    @property
    def due(self) -> list[MemberCall]:
        return [row for row in self.rows if row.is_due]

    @property
    def open(self) -> list[MemberCall]:
        return [row for row in self.rows if row.call is not None and row.call.is_open]


def _last_held_id(now: dt.datetime) -> Subquery:
    return Subquery(
        meetings_with_end()
        .filter(ended(now), learning_set=OuterRef("pk"))
        .order_by("-starts_at", "-id")
        .values("id")[:1]
    )


def _next_id(now: dt.datetime) -> Subquery:
    return Subquery(
        meetings_with_end()
        .exclude(ended(now))  # one that ended before its start time is behind the set
        .filter(learning_set=OuterRef("pk"), starts_at__gt=now)
        .order_by("starts_at", "id")
        .values("id")[:1]
    )


def calls_between_meetings(sets: QuerySet[LearningSet], now: dt.datetime) -> list[SetCalls]:
    """For each of the sets with momentum calls that is between a held meeting and the next
    one: every current member (but the facilitator) with their call for this gap, if any.

    Four queries at most, for any number of sets, members and calls.
    """
    rows = list(
        sets.filter(momentum_calls=True, archived_at__isnull=True)
        .annotate(after_ref=_last_held_id(now), before_ref=_next_id(now))
        .filter(after_ref__isnull=False, before_ref__isnull=False)
        .select_related("organisation", "facilitator")
        .order_by("name", "id")
    )
    if not rows:
        return []
    meeting_ids = [s.after_ref for s in rows] + [s.before_ref for s in rows]
    meetings = {m.pk: m for m in Meeting.objects.filter(pk__in=meeting_ids)}
    by_set = {
        s.pk: SetCalls(
            learning_set=s,
            after=meetings[s.after_ref],
            before=meetings[s.before_ref],
            suggested=suggested_day(
                meetings[s.after_ref].starts_at,
                meetings[s.before_ref].starts_at,
                s.momentum_call_percent,
                s.time_zone,
            ),
            today=now.astimezone(ZoneInfo(s.time_zone)).date(),
        )
        for s in rows
    }
    calls = {
        (c.member_id, c.after_meeting_id): c
        for c in MomentumCall.objects.filter(
            after_meeting_id__in=[s.after_ref for s in rows]
        ).exclude(status=MomentumCall.Status.CANCELLED)
    }
    for membership in (
        SetMembership.objects.filter(learning_set_id__in=by_set, left_at__isnull=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    ):
        gap = by_set[membership.learning_set_id]
        if membership.user_id == gap.learning_set.facilitator_id:
            continue
        call = calls.get((membership.user_id, gap.after.pk))
        gap.rows.append(MemberCall(membership=membership, call=call))
    return list(by_set.values())


def facilitator_calls(user, now: dt.datetime) -> list[SetCalls]:
    """The home page's list: the sets the person facilitates, between meetings, that still
    have a call to arrange or one ahead."""
    gaps = calls_between_meetings(LearningSet.objects.filter(facilitator=user), now)
    return [gap for gap in gaps if gap.due or gap.open]


def set_calls(learning_set: LearningSet, now: dt.datetime) -> SetCalls | None:
    found = calls_between_meetings(LearningSet.objects.filter(pk=learning_set.pk), now)
    return found[0] if found else None


def set_call_history(learning_set: LearningSet) -> list[MomentumCall]:
    """Every call of the set, latest first, with how many notes each has (for its facilitator)."""
    return list(
        MomentumCall.objects.filter(learning_set=learning_set)
        .select_related("member", "after_meeting")
        .annotate(note_count=Count("notes"))
        .order_by("-after_meeting__starts_at", "member__full_name", "-id")
    )


def member_calls(user, now: dt.datetime) -> tuple[list, list]:
    """The member's calls in sets they are still in: (ahead: offered or planned and not long
    past; done: held ones with notes shared with them, latest first)."""
    calls = list(
        MomentumCall.objects.filter(
            member=user,
            learning_set__archived_at__isnull=True,
            learning_set__memberships__user=user,
            learning_set__memberships__left_at__isnull=True,
        )
        .exclude(status=MomentumCall.Status.CANCELLED)
        .select_related("learning_set", "learning_set__facilitator")
        .annotate(
            shared_notes=Count("notes", filter=Q(notes__visibility=CallNote.Visibility.MEMBER))
        )
        .order_by("starts_at", "id")
    )
    ahead = [
        c
        for c in calls
        if c.status == MomentumCall.Status.OFFERED
        or (
            c.status == MomentumCall.Status.PLANNED
            and c.starts_at is not None
            and c.starts_at > now - STILL_CURRENT
        )
    ]
    done = [c for c in reversed(calls) if c.status == MomentumCall.Status.HELD and c.shared_notes]
    return ahead, done[:3]


def visible_notes(access: CallAccess) -> list[CallNote]:
    """All notes for the facilitator; for the member, only the ones shared with them."""
    notes = CallNote.objects.filter(call=access.call).select_related("author")
    if not access.is_facilitator:
        notes = notes.filter(visibility=CallNote.Visibility.MEMBER)
    return list(notes.order_by("created_at", "id"))


def slots_of(call: MomentumCall) -> list[CallSlot]:
    return list(CallSlot.objects.filter(call=call).order_by("starts_at", "id"))


# --- for the notifications and calendar apps --------------------------------------------


def planned_calls() -> QuerySet[MomentumCall]:
    return (
        MomentumCall.objects.filter(
            status=MomentumCall.Status.PLANNED,
            starts_at__isnull=False,
            learning_set__archived_at__isnull=True,
        )
        .select_related("learning_set", "learning_set__facilitator", "member")
        .only(
            "id",
            "starts_at",
            "duration_minutes",
            "status",
            "member__id",
            "member__email",
            "member__full_name",
            "learning_set__id",
            "learning_set__name",
            "learning_set__time_zone",
            "learning_set__facilitator__id",
            "learning_set__facilitator__email",
            "learning_set__facilitator__full_name",
        )
        .order_by("starts_at", "id")
    )


def calls_for_user(user) -> QuerySet[MomentumCall]:
    """Planned calls the person takes part in, as the member (while still in the set) or as
    whoever holds the set's facilitator role now. Times, names and the set: never notes."""
    current = SetMembership.objects.filter(
        learning_set=OuterRef("learning_set"), user=user, left_at__isnull=True
    )
    return planned_calls().filter(
        Q(learning_set__facilitator=user) | (Q(member=user) & Exists(current))
    )


def calls_needing_reminder(
    now: dt.datetime, ahead: dt.timedelta = dt.timedelta(hours=24)
) -> QuerySet[MomentumCall]:
    """Planned calls starting after `now` and within `ahead` of it. Sending (and not sending
    twice) is the notifications app's work."""
    return planned_calls().filter(starts_at__gt=now, starts_at__lte=now + ahead)
