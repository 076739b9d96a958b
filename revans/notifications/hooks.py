"""Where the commitments and momentum-call apps plug into reminders and the calendar feed.

The kinds, preference toggles, email texts, scheduling and sending for "commitments due"
and "momentum call" are built here; what they need from those apps is one small function
each, below. Until an app connects its function, the default returns nothing, so rows of
that kind are processed and skipped ("nothing to remind") and the feed shows meetings only.

Connecting (after the apps exist), e.g. in the app's AppConfig.ready():

    from revans.notifications import hooks
    hooks.commitments_due = my_commitments_due           # (meeting) -> {user_id: count}
    hooks.momentum_call_reminder = my_call_for_reminder  # (subject_key) -> CallReminder | None
    hooks.momentum_call_entries = my_calls_for_feed      # (user) -> [CalendarEntry]

and, in the calls app's actions, schedule or cancel each call's reminder with
revans.notifications.scheduling.schedule_momentum_call_reminder(...) /
cancel_momentum_call_reminder(call_id) whenever a call is planned, moved or cancelled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from revans.notifications.calendar import CalendarEntry


@dataclass(frozen=True)
class CallReminder:
    """What a momentum call reminder says: when, with whom, and a link. No notes."""

    starts_at: dt.datetime
    time_zone: str
    set_name: str
    # The people to remind (the member and the facilitator) and the other person's name
    # for each: {user: other person's display name}.
    people: dict = field(default_factory=dict)
    url: str = ""


def _no_commitments(meeting) -> dict[int, int]:
    return {}


def _no_call(subject_key: str) -> CallReminder | None:
    return None


def _no_calls(user) -> list[CalendarEntry]:
    return []


# (meeting) -> {user_id: number of that member's open commitments due by this meeting}.
commitments_due: Callable[..., dict[int, int]] = _no_commitments
# (subject_key, e.g. "momentum_call:12") -> the call as it is now, or None if it is no longer
# planned (held, missed, cancelled): then the reminder is skipped.
momentum_call_reminder: Callable[[str], CallReminder | None] = _no_call
# (user) -> the person's momentum calls for their calendar feed.
momentum_call_entries: Callable[..., list[CalendarEntry]] = _no_calls
