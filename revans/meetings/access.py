"""Fetch-and-authorise for meetings; the rules themselves are the set's (sets.access)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from revans.meetings.models import Meeting
from revans.sets.access import ROLE_FIELDS, Need, SetRole, annotate_roles, role_from_annotations


@dataclass(frozen=True)
class MeetingAccess:
    meeting: Meeting
    role: SetRole


def access_meeting_for_user(user, meeting_id: int, need: Need) -> MeetingAccess:
    """Fetch the meeting and the user's roles on its set in one query."""
    if not user.is_authenticated:
        raise Http404
    meeting = (
        annotate_roles(Meeting.objects.all(), user, prefix="learning_set__")
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
