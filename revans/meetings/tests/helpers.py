"""Shared set-up for the meetings tests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from revans.meetings.models import Meeting, Rsvp
from revans.sets.models import LearningSet, SetMembership
from revans.testing import assert_refused, make_user, sign_in_as  # noqa: F401 (re-exported for the tests)

UTC = dt.UTC


def grow_set(learning_set: LearningSet, size: int, prefix: str = "extra") -> list:
    """Bring the set to `size` current members (raising its maximum if needed)."""
    current = SetMembership.objects.filter(learning_set=learning_set, left_at__isnull=True).count()
    if size > learning_set.max_members:
        LearningSet.objects.filter(pk=learning_set.pk).update(max_members=size)
        learning_set.max_members = size
    users = []
    for i in range(current, size):
        user = make_user(f"{prefix}{learning_set.pk}-{i}@client.example", f"Extra Person {i}")
        SetMembership.objects.create(learning_set=learning_set, user=user)
        users.append(user)
    return users


def start_meeting_now(meeting: Meeting, minutes_ago: int = 120) -> Meeting:
    """Move a meeting into the past directly (the actions rightly refuse to). It stands for
    time passing, not for the set moving the meeting, so replies to it still stand."""
    starts_at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=starts_at)
    Rsvp.objects.filter(meeting=meeting).update(given_for=starts_at)
    meeting.refresh_from_db()
    return meeting


def local(meeting: Meeting) -> dt.datetime:
    return meeting.starts_at.astimezone(ZoneInfo(meeting.learning_set.time_zone))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []
