"""What the home page shows, one function per role.

Each function runs a fixed number of queries however many sets, meetings or members there
are, and fetches only what that role may see: the sponsor's section never loads a name of
a member, and RSVP notes are only loaded for the facilitator of the set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Case, F, Prefetch, QuerySet, Value, When

from revans.meetings.models import Meeting, Rsvp, with_live_status
from revans.meetings.queries import attended_count_expression, next_meeting_id
from revans.organisations.models import Organisation, OrganisationMembership
from revans.organisations.queries import annotate_progress
from revans.sets.models import LearningSet, SetMembership

# Sets still running first; PostgreSQL would otherwise put the NULLs last.
ARCHIVED_LAST = F("archived_at").asc(nulls_first=True)


def completed_last(status_field: str = "status") -> Case:
    """The sets someone is working in now first, those whose programme is over after them."""
    return Case(
        When(**{status_field: LearningSet.Status.COMPLETED}, then=Value(1)), default=Value(0)
    )


def staff_roles(user) -> list[OrganisationMembership]:
    """The organisations the person works for (as admin and/or facilitator)."""
    return list(
        OrganisationMembership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name", "organisation__id")
    )


def _meetings_by_id(ids: list[int]) -> dict[int, Meeting]:
    if not ids:
        return {}
    # With its live status, if opened: the home page says whether it is under way.
    return {m.pk: m for m in with_live_status(Meeting.objects.filter(pk__in=ids))}


def facilitator_sets(user, now: dt.datetime) -> Sequence[LearningSet]:
    """Sets the person facilitates (or holds the duties of), not archived.

    Each set carries `next_meeting`, `not_accepted` (current members who have not accepted
    the agreement as it is now), `apologies` (replies with their notes, for the next
    meeting) and `reply_counts`.
    """
    current_members = SetMembership.objects.filter(left_at__isnull=True).select_related("user")
    sets = list(
        LearningSet.objects.filter(facilitator=user, archived_at__isnull=True)
        .select_related("organisation")
        .annotate(next_meeting_ref=next_meeting_id("pk", now))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=current_members.order_by("user__full_name", "user__email"),
                to_attr="current_memberships",
            )
        )
        .order_by(completed_last(), "name", "id")
    )
    next_ids = [s.next_meeting_ref for s in sets if s.next_meeting_ref]
    meetings = _meetings_by_id(next_ids)
    replies: dict[int, list[Rsvp]] = {}
    if next_ids:
        for rsvp in (
            # Replies given before the meeting moved no longer count.
            Rsvp.objects.standing()
            .filter(meeting_id__in=next_ids)
            .select_related("user")
            .order_by("user__full_name", "user__email")
        ):
            replies.setdefault(rsvp.meeting_id, []).append(rsvp)
    for learning_set in sets:
        members = learning_set.current_memberships
        member_ids = {m.user_id for m in members}
        learning_set.member_count = len(members)
        learning_set.not_accepted = [m for m in members if not m.has_accepted(learning_set)]
        learning_set.next_meeting = meetings.get(learning_set.next_meeting_ref)
        # Replies of people who have since left the set no longer count.
        answers = [
            r for r in replies.get(learning_set.next_meeting_ref, []) if r.user_id in member_ids
        ]
        learning_set.apologies = [r for r in answers if r.response == Rsvp.Response.APOLOGIES]
        attending = sum(1 for r in answers if r.response == Rsvp.Response.ATTENDING)
        learning_set.reply_counts = {
            "attending": attending,
            "apologies": len(learning_set.apologies),
            "none": len(members) - len(answers),
        }
    return sets


@dataclass
class MemberSet:
    membership: SetMembership
    learning_set: LearningSet
    next_meeting: Meeting | None
    rsvp: Rsvp | None
    accepted: bool


def member_sets(user, now: dt.datetime) -> list[MemberSet]:
    """The sets the person is a current member of, with the next meeting and their reply."""
    memberships = list(
        SetMembership.objects.filter(
            user=user, left_at__isnull=True, learning_set__archived_at__isnull=True
        )
        .select_related("learning_set", "learning_set__organisation", "learning_set__facilitator")
        .annotate(next_meeting_ref=next_meeting_id("learning_set", now))
        .order_by(completed_last("learning_set__status"), "learning_set__name", "learning_set__id")
    )
    next_ids = [m.next_meeting_ref for m in memberships if m.next_meeting_ref]
    meetings = _meetings_by_id(next_ids)
    mine = (
        {r.meeting_id: r for r in Rsvp.objects.filter(meeting_id__in=next_ids, user=user)}
        if next_ids
        else {}
    )
    rows = []
    for membership in memberships:
        learning_set = membership.learning_set
        meeting = meetings.get(membership.next_meeting_ref)
        if meeting is not None:
            meeting.learning_set = learning_set
            if meeting.pk in mine:
                mine[meeting.pk].meeting = meeting  # for Rsvp.stands, without a query
        rows.append(
            MemberSet(
                membership=membership,
                learning_set=learning_set,
                next_meeting=meeting,
                rsvp=mine.get(membership.next_meeting_ref),
                accepted=membership.has_accepted(learning_set),
            )
        )
    return rows


@dataclass
class AdminOrganisation:
    organisation: Organisation
    sets: list[LearningSet] = field(default_factory=list)


def admin_organisations(user, roles: list[OrganisationMembership], now) -> list[AdminOrganisation]:
    """Every set of each organisation the person administers, with size and progress."""
    groups = {
        role.organisation_id: AdminOrganisation(role.organisation)
        for role in roles
        if role.is_admin
    }
    if not groups:
        return []
    rows = (
        annotate_progress(LearningSet.objects.filter(organisation_id__in=groups), now=now)
        .select_related("facilitator")
        .order_by(ARCHIVED_LAST, "name", "id")
    )
    for learning_set in rows:
        learning_set.planned = learning_set.scheduled_count or learning_set.meeting_count
        groups[learning_set.organisation_id].sets.append(learning_set)
    return list(groups.values())


def _sponsor_meetings() -> QuerySet[Meeting]:
    # Dates, status and a count: nothing that names anyone or says what was discussed.
    return (
        with_live_status(Meeting.objects.all())
        .only(
            "id",
            "learning_set_id",
            "starts_at",
            "duration_minutes",
            "status",
            "attendance_recorded_at",
        )
        .annotate(attended_count=attended_count_expression())
        .order_by("starts_at", "id")
    )


def sponsored_sets(user) -> Sequence[LearningSet]:
    """The sets whose sponsor the person is a contact of, with their schedule (counts only)."""
    sets = list(
        LearningSet.objects.filter(sponsor__contacts__user=user)
        .select_related("sponsor__organisation", "facilitator", "organisation")
        .prefetch_related(Prefetch("meetings", queryset=_sponsor_meetings(), to_attr="schedule"))
        .order_by(ARCHIVED_LAST, "name", "id")
    )
    for learning_set in sets:
        not_cancelled = [m for m in learning_set.schedule if not m.is_cancelled]
        learning_set.held_count = sum(1 for m in not_cancelled if m.is_held)
        learning_set.planned = len(not_cancelled) or learning_set.meeting_count
        for meeting in learning_set.schedule:
            meeting.learning_set = learning_set
    return sets
