"""Fetch-and-authorise for meetings; the rules themselves are the set's (sets.access)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from revans.core import rows
from revans.meetings.models import Meeting, with_live_status
from revans.sets.access import ROLE_FIELDS, Need, SetRole, annotate_roles, role_from_annotations
from revans.sets.models import LearningSet, SetMembership


@dataclass(frozen=True)
class MeetingAccess:
    meeting: Meeting
    role: SetRole


def access_meeting_for_user(user, meeting_id: int, need: Need) -> MeetingAccess:
    """Fetch the meeting and the user's roles on its set in one query."""
    if not user.is_authenticated:
        raise Http404
    meeting = (
        annotate_roles(with_live_status(Meeting.objects.all()), user, prefix="learning_set__")
        .select_related(
            "learning_set",
            "learning_set__organisation",
            "learning_set__sponsor",
            "learning_set__facilitator",
            "issue_holder",
        )
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise Http404
    roles = {name: getattr(meeting, name) for name in ROLE_FIELDS}
    role = role_from_annotations(meeting.learning_set, roles, user)
    if not role.allows(need):
        raise Http404
    return MeetingAccess(meeting=meeting, role=role)


MEETING = rows.Columns(Meeting, "m")
LEARNING_SET = rows.Columns(LearningSet, "s")
MEMBERSHIP = rows.Columns(SetMembership, "sm")


def _inside_role_sql(connection) -> str:
    membership_id = MEMBERSHIP.col(connection, "id")
    return (
        f"SELECT {LEARNING_SET.col(connection, 'facilitator')}, (SELECT {membership_id}"
        f" FROM {MEMBERSHIP.table(connection)}"
        f" WHERE {MEMBERSHIP.col(connection, 'learning_set')} = {LEARNING_SET.col(connection, 'id')}"
        f" AND {MEMBERSHIP.col(connection, 'user')} = %s"
        f" AND {MEMBERSHIP.col(connection, 'left_at')} IS NULL ORDER BY {membership_id} LIMIT 1)"
        f" FROM {MEETING.table(connection)} JOIN {LEARNING_SET.table(connection)}"
        f" ON {LEARNING_SET.col(connection, 'id')} = {MEETING.col(connection, 'learning_set')}"
        f" WHERE {MEETING.col(connection, 'id')} = %s"
    )


def holds_same_inside_role(user, held: MeetingAccess) -> bool:
    """True if the user is still inside the meeting's set exactly as `held` says (its
    facilitator, or the same current membership). A live connection re-checks its access
    periodically as a safety net (changes to the set's people are pushed to it at once);
    this makes that re-check one small query instead of access_meeting_for_user's. False
    for any change at all, which then calls for the full check."""
    if not user.is_authenticated or not held.role.is_inside:
        return False
    _, found = rows.fetch(_inside_role_sql, [user.pk, held.meeting.pk])
    if not found:
        return False
    ((facilitator_id, membership_id),) = found
    return (facilitator_id == user.pk) == held.role.is_facilitator and (
        membership_id == held.role.membership_id
    )
