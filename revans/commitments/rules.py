"""Rules shared by the commitments actions and forms."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from revans.meetings.models import Meeting

# With no meeting ahead, a commitment is due this long after it was made.
FALLBACK_DUE_DAYS = 28


class CommitmentRefused(ValueError):
    """A change that cannot be made, with a message for the person and, when it is about
    one input, the form field to show it next to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def local_today(learning_set, now: dt.datetime | None = None) -> dt.date:
    return timezone.localtime(now or timezone.now(), ZoneInfo(learning_set.time_zone)).date()


def default_due_on(
    learning_set, now: dt.datetime | None = None, after: dt.datetime | None = None
) -> dt.date:
    """The date of the set's next meeting (the first not cancelled that starts after `after`,
    by default now), in the set's time zone; else four weeks on (or the set's own cadence in
    weeks)."""
    now = now or timezone.now()
    upcoming = (
        Meeting.objects.filter(
            learning_set=learning_set,
            status=Meeting.Status.SCHEDULED,
            starts_at__gt=max(now, after or now),
        )
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    tz = ZoneInfo(learning_set.time_zone)
    if upcoming is not None:
        return timezone.localtime(upcoming, tz).date()
    days = (
        learning_set.cadence_weeks * 7
        if learning_set.cadence == learning_set.Cadence.EVERY_N_WEEKS
        else FALLBACK_DUE_DAYS
    )
    return timezone.localtime(now, tz).date() + dt.timedelta(days=days)
