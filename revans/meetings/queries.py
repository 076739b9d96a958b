"""Read-side helpers for meetings shown on other apps' pages."""

from __future__ import annotations

from revans.meetings.models import Meeting
from revans.sets.access import SetRole


def schedule_context(role: SetRole) -> dict:
    """Context for meetings/_schedule.html on the set page (constant number of queries)."""
    meetings = list(Meeting.objects.filter(learning_set=role.learning_set).order_by("starts_at"))
    return {"schedule_meetings": meetings, "schedule_role": role}
