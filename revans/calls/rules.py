"""The rules momentum calls follow: pure functions, shared by queries, forms and actions."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

MIN_SLOTS = 2
MAX_SLOTS = 4
MIN_CALL_MINUTES = 10
MAX_CALL_MINUTES = 120
NOTE_MAX_LENGTH = 4000


class CallActionRefused(ValueError):
    """A change to a call that cannot be made, with a message for the person and, when it is
    about one input, the form field to show it next to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def suggested_moment(after_start: dt.datetime, before_start: dt.datetime, percent: int):
    """The instant `percent` of the way from one meeting's start to the next one's."""
    return after_start + (before_start - after_start) * percent / 100


def suggested_day(
    after_start: dt.datetime, before_start: dt.datetime, percent: int, zone_name: str
) -> dt.date:
    """The day of the suggested call, as the calendar reads in the set's time zone."""
    moment = suggested_moment(after_start, before_start, percent)
    return moment.astimezone(ZoneInfo(zone_name)).date()
