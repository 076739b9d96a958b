"""What the "commitments due" reminder needs from commitments: counts, never the text.

Connected to revans.notifications.hooks in CommitmentsConfig.ready().
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db.models import Count

from revans.commitments.models import OPEN_STATUSES, Commitment


def due_counts_for_meeting(meeting) -> dict[int, int]:
    """{owner id: how many of their open commitments fall due by this meeting's day} for the
    set's current members. The day is the meeting's date on the set's clock."""
    learning_set = meeting.learning_set
    day = meeting.starts_at.astimezone(ZoneInfo(learning_set.time_zone)).date()
    rows = (
        Commitment.objects.filter(
            learning_set=learning_set,
            status__in=OPEN_STATUSES,
            due_on__lte=day,
            owner__set_memberships__learning_set=learning_set,
            owner__set_memberships__left_at__isnull=True,
        )
        .values("owner_id")
        .annotate(count=Count("id", distinct=True))
    )
    return {row["owner_id"]: row["count"] for row in rows}
