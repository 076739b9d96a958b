"""Read-only queries for the pages and the feed: each a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from revans.core.models import OutboundEmail
from revans.meetings.models import Meeting
from revans.notifications import hooks
from revans.notifications.calendar import CalendarEntry, meeting_entry
from revans.notifications.models import ScheduledNotification

PAGE_ROWS = 100
# The feed shows recent history too, so a cancelled meeting disappears from calendars.
FEED_HISTORY = dt.timedelta(days=90)


def outbox_problems(organisation) -> list[OutboundEmail]:
    """Failed, interrupted and retrying emails of the organisation, newest first."""
    Status = OutboundEmail.Status
    return list(
        OutboundEmail.objects.filter(organisation=organisation)
        .filter(
            Q(status__in=[Status.FAILED, Status.INTERRUPTED])
            | Q(status=Status.PENDING, attempts__gt=0)
        )
        .order_by("-created_at", "-id")[:PAGE_ROWS]
    )


def set_reminders(learning_set, now=None) -> list[ScheduledNotification]:
    """The set's reminders for meetings still to come, in the order they go."""
    now = now or timezone.now()
    return list(
        ScheduledNotification.objects.filter(learning_set=learning_set, meeting__starts_at__gt=now)
        .select_related("meeting")
        .order_by("send_at", "id")[:PAGE_ROWS]
    )


def feed_entries(user, now=None) -> list[CalendarEntry]:
    """The person's meetings (as member or facilitator) and, through the hook, calls."""
    now = now or timezone.now()
    meetings = (
        Meeting.objects.filter(
            Q(learning_set__memberships__user=user, learning_set__memberships__left_at=None)
            | Q(learning_set__facilitator=user),
            starts_at__gte=now - FEED_HISTORY,
        )
        .select_related("learning_set")
        .distinct()
        .order_by("starts_at", "id")
    )
    entries = [meeting_entry(m, m.learning_set) for m in meetings]
    return entries + list(hooks.momentum_call_entries(user))
