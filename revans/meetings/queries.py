"""Read-side helpers for meetings: each runs a fixed number of queries, whatever the size.

What a reader may see is decided here, not in templates: RSVP notes are only fetched for
the facilitator, and the sponsor's view never fetches names.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from revans.meetings.models import LIVE_ENDED, Attendance, Meeting, Rsvp, with_live_status
from revans.sets.access import SetRole
from revans.sets.models import LearningSet, SetMembership

if TYPE_CHECKING:
    # Only for annotations: django-stubs-ext is a development dependency.
    from django_stubs_ext import WithAnnotations


def count_of(queryset: QuerySet, group_by: str):
    """A correlated COUNT(*) for one row of the outer query (0 when there is none)."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def meetings_with_end() -> QuerySet[Meeting]:
    """Meetings not cancelled, each with `ends_at_db` (start + duration) computed in SQL."""
    return Meeting.objects.filter(status=Meeting.Status.SCHEDULED).alias(
        ends_at_db=ExpressionWrapper(
            F("starts_at")
            + ExpressionWrapper(
                # Cast: SQLite multiplies durations only by plain integer fields.
                Cast("duration_minutes", IntegerField())
                * Value(dt.timedelta(minutes=1), output_field=DurationField()),
                output_field=DurationField(),
            ),
            output_field=DateTimeField(),
        )
    )


def ended(now: dt.datetime) -> Q:
    """For meetings_with_end(): over by the clock, or its live meeting ended early (as
    Meeting.phase, Meeting.is_held)."""
    return Q(ends_at_db__lte=now) | Q(live__status=LIVE_ENDED)


def overlapping(starts_at: dt.datetime, ends_at: dt.datetime) -> Q:
    """For meetings_with_end(): meetings whose time shares a moment with [starts_at, ends_at)."""
    return Q(starts_at__lt=ends_at, ends_at_db__gt=starts_at)


def not_ended(now: dt.datetime) -> QuerySet[Meeting]:
    """Meetings not cancelled that have not ended yet."""
    return meetings_with_end().exclude(ended(now))


def next_meeting_id(set_ref: str, now: dt.datetime) -> Subquery:
    """The id of the set's next meeting (the first not cancelled and not ended)."""
    return Subquery(
        not_ended(now).filter(learning_set=OuterRef(set_ref)).order_by("starts_at").values("id")[:1]
    )


def attended_count_expression():
    return count_of(Attendance.objects.filter(meeting=OuterRef("pk"), attended=True), "meeting")


def schedule_context(role: SetRole) -> dict:
    """Context for meetings/_schedule.html on the set page: one query for any number of
    meetings. Meetings are numbered in order, leaving out cancelled ones."""
    learning_set = role.learning_set
    rows = with_live_status(Meeting.objects.filter(learning_set=learning_set)).annotate(
        attended_count=attended_count_expression()
    )
    if role.membership_id is not None:
        rows = rows.annotate(
            my_response=Subquery(
                Rsvp.objects.standing()
                .filter(meeting=OuterRef("pk"), user__set_memberships__id=role.membership_id)
                .values("response")[:1]
            )
        )
    meetings = list(rows.order_by("starts_at", "id"))
    number = 0
    for meeting in meetings:
        meeting.learning_set = learning_set
        meeting.number = None
        if not meeting.is_cancelled:
            number += 1
            meeting.number = number
    can_change = role.can_manage and not learning_set.is_archived
    return {
        "schedule_set": learning_set,
        "schedule_meetings": meetings,
        "schedule_role": role,
        "schedule_can_generate": can_change and not meetings,
        "schedule_can_add": can_change,
    }


class Reply(TypedDict):
    """A member's reply to one meeting and whether they came (None: no reply, not recorded)."""

    rsvp_response: str | None
    attended: bool | None


def meeting_people(
    meeting: Meeting, *, with_notes: bool
) -> list[WithAnnotations[SetMembership, Reply]]:
    """The set's current members, each with their reply and attendance for this meeting.

    `rsvp_response` is the reply given for the meeting's time as it is now. The facilitator's
    view (with_notes) also gets `rsvp_note` and, from a reply given before the meeting moved,
    `rsvp_earlier` (that reply, which no longer counts).
    """
    replies = Rsvp.objects.filter(meeting=meeting, user=OuterRef("user"))
    standing = replies.standing()
    rows = SetMembership.objects.filter(
        learning_set_id=meeting.learning_set_id, left_at__isnull=True
    ).annotate(
        rsvp_response=Subquery(standing.values("response")[:1]),
        attended=Subquery(
            Attendance.objects.filter(meeting=meeting, user=OuterRef("user")).values("attended")[:1]
        ),
    )
    if with_notes:
        rows = rows.annotate(
            rsvp_note=Subquery(replies.values("note")[:1]),
            rsvp_earlier=Subquery(replies.earlier().values("response")[:1]),
        )
    return list(rows.select_related("user").order_by("user__full_name", "user__email"))


def reply_counts(people: list[WithAnnotations[SetMembership, Reply]]) -> dict[str, int]:
    counts = {"attending": 0, "apologies": 0, "none": 0}
    for person in people:
        counts[person.rsvp_response or "none"] += 1
    return counts


def own_rsvp(meeting: Meeting, user) -> Rsvp | None:
    """The person's reply, standing or given before the meeting moved (Rsvp.stands)."""
    rsvp = Rsvp.objects.filter(meeting=meeting, user=user).first()
    if rsvp is not None:
        rsvp.meeting = meeting
    return rsvp


def apologised_ids(meeting: Meeting) -> set[int]:
    """Who sent apologies for the meeting at its present time (a reply given before it moved
    no longer stands)."""
    return set(
        Rsvp.objects.standing()
        .filter(meeting=meeting, response=Rsvp.Response.APOLOGIES)
        .values_list("user_id", flat=True)
    )


def attended_count(meeting: Meeting) -> int:
    return Attendance.objects.filter(meeting=meeting, attended=True).count()


def current_member_users(learning_set: LearningSet) -> list:
    return [
        membership.user
        for membership in SetMembership.objects.filter(
            learning_set=learning_set, left_at__isnull=True
        )
        .select_related("user")
        .order_by("user__full_name", "user__email")
    ]


def has_meetings(learning_set: LearningSet) -> bool:
    return Meeting.objects.filter(learning_set=learning_set).exists()
