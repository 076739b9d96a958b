"""The rules meetings follow, shared by actions (to enforce) and views (to preview).

Pure functions: no database. Times are computed in the set's IANA zone, then kept in UTC.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from dateutil.rrule import FR, MO, MONTHLY, SA, SU, TH, TU, WE, WEEKLY, rrule
from django.utils import formats
from django.utils.translation import gettext as _

from revans.sets.models import LearningSet

WEEKDAYS = (MO, TU, WE, TH, FR, SA, SU)
# A meeting longer than a working day is a mistake, not a meeting (the set's limit too).
MIN_DURATION_MINUTES = 30
MAX_DURATION_MINUTES = 480
MAX_MEETINGS = 24


class MeetingActionRefused(ValueError):
    """A change to meetings that cannot be made, with a message for the person and, when it
    is about one input, the name of the form field to show it next to.

    A ValueError, so callers that only know "the schedule was refused" (creating a set)
    can catch it without importing this module.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _exists(aware: dt.datetime, zone: ZoneInfo) -> bool:
    """Whether the wall-clock time really occurs in the zone (not skipped by a DST change)."""
    back = aware.astimezone(dt.UTC).astimezone(zone)
    return back.replace(tzinfo=None) == aware.replace(tzinfo=None)


def local_to_utc(day: dt.date, at: dt.time, zone_name: str) -> dt.datetime:
    """The UTC instant at which the wall clocks of the zone show `at` on `day`.

    When clocks go back, a time such as 01:30 happens twice: we take the first one (fold=0),
    the earlier instant, so nobody arrives an hour after the meeting began.
    When clocks go forward, a time such as 01:30 (London, last Sunday of March) or 02:30
    (New York, second Sunday of March) never happens: the meeting moves forward to the first
    wall-clock time that does exist, the end of the gap (02:00 BST, 03:00 EDT).
    """
    zone = ZoneInfo(zone_name)
    wall = dt.datetime.combine(day, at.replace(second=0, microsecond=0, tzinfo=None))
    # Gaps are an hour in practice; a whole day (Samoa, 2011) is the longest ever made.
    for _minute in range(24 * 60 + 1):
        aware = wall.replace(tzinfo=zone, fold=0)
        if _exists(aware, zone):
            return aware.astimezone(dt.UTC)
        wall += dt.timedelta(minutes=1)
    raise MeetingActionRefused(_("That time does not exist in the set's time zone."), "start_time")


def local_datetime(starts_at: dt.datetime, zone_name: str) -> dt.datetime:
    return starts_at.astimezone(ZoneInfo(zone_name))


def describe_start(starts_at: dt.datetime, zone_name: str) -> str:
    """e.g. "Tuesday 14 April 2026, 18:00 (Europe/London)": for messages and emails."""
    local = local_datetime(starts_at, zone_name)
    return _("%(date)s, %(time)s (%(zone)s)") % {
        "date": formats.date_format(local, "l j F Y"),
        "time": formats.date_format(local, "H:i"),
        "zone": zone_name,
    }


def describe_day(starts_at: dt.datetime, zone_name: str) -> str:
    return formats.date_format(local_datetime(starts_at, zone_name), "l j F Y")


def monthly_weekday(first: dt.date):
    """The "nth weekday of the month" of the first date: the 2nd Tuesday, say.

    A date in the fifth week (29th to 31st) means the last such weekday, since most months
    have no fifth one.
    """
    week = (first.day - 1) // 7 + 1
    return WEEKDAYS[first.weekday()](-1 if week == 5 else week)


def schedule_days(learning_set: LearningSet, first: dt.date) -> list[dt.date]:
    """The meeting days of the contract's monthly or every-N-weeks cadence, from `first`."""
    start = dt.datetime.combine(first, dt.time())
    count = learning_set.meeting_count
    if learning_set.cadence == LearningSet.Cadence.MONTHLY:
        rule = rrule(MONTHLY, dtstart=start, count=count, byweekday=monthly_weekday(first))
    elif learning_set.cadence == LearningSet.Cadence.EVERY_N_WEEKS:
        rule = rrule(WEEKLY, dtstart=start, count=count, interval=learning_set.cadence_weeks)
    else:
        raise MeetingActionRefused(
            _("This set meets on hand-picked dates: enter the dates."), "hand_picked_dates"
        )
    return [occurrence.date() for occurrence in rule]


def plan_schedule(
    learning_set: LearningSet,
    *,
    first_start_local: dt.datetime,
    custom_dates: list[dt.date] | None,
    now: dt.datetime,
) -> list[dt.datetime]:
    """The UTC start of every meeting the contract asks for; refuses dates in the past."""
    at = first_start_local.time()
    if custom_dates:
        days = sorted(custom_dates)
        if len(set(days)) != len(days):
            raise MeetingActionRefused(_("Each date may appear only once."), "hand_picked_dates")
        if len(days) > MAX_MEETINGS:
            raise MeetingActionRefused(
                _("A programme has at most %(n)s meetings.") % {"n": MAX_MEETINGS},
                "hand_picked_dates",
            )
        field = "hand_picked_dates"
    else:
        days = schedule_days(learning_set, first_start_local.date())
        field = "first_date"
    starts = [local_to_utc(day, at, learning_set.time_zone) for day in days]
    past = [day for day, start in zip(days, starts, strict=True) if start <= now]
    if past:
        raise MeetingActionRefused(
            _("%(dates)s: in the past. Meetings are scheduled in the future.")
            % {"dates": ", ".join(day.isoformat() for day in past)},
            field,
        )
    return starts


def check_duration(minutes: int) -> None:
    if not MIN_DURATION_MINUTES <= minutes <= MAX_DURATION_MINUTES:
        raise MeetingActionRefused(
            _("A meeting lasts from %(low)s to %(high)s minutes.")
            % {"low": MIN_DURATION_MINUTES, "high": MAX_DURATION_MINUTES},
            "duration_minutes",
        )
