"""The suggested day: the set's chosen point between two meetings, in the set's time zone."""

import datetime as dt

from revans.calls.rules import suggested_day, suggested_moment

UTC = dt.UTC


def test_the_midpoint_between_two_meetings():
    a = dt.datetime(2027, 3, 9, 18, tzinfo=UTC)
    b = dt.datetime(2027, 4, 6, 17, tzinfo=UTC)
    assert suggested_moment(a, b, 50) == dt.datetime(2027, 3, 23, 17, 30, tzinfo=UTC)
    assert suggested_day(a, b, 50, "Europe/London") == dt.date(2027, 3, 23)


def test_a_quarter_of_the_way():
    a = dt.datetime(2027, 1, 1, 12, tzinfo=UTC)
    b = dt.datetime(2027, 1, 29, 12, tzinfo=UTC)
    assert suggested_day(a, b, 25, "Europe/London") == dt.date(2027, 1, 8)


def test_the_day_is_the_set_zones_day():
    # 23:30 UTC is already the next day in Auckland and still the same day in New York.
    a = dt.datetime(2027, 1, 1, 23, 30, tzinfo=UTC)
    b = dt.datetime(2027, 1, 1, 23, 30, tzinfo=UTC)
    assert suggested_day(a, b, 50, "Pacific/Auckland") == dt.date(2027, 1, 2)
    assert suggested_day(a, b, 50, "America/New_York") == dt.date(2027, 1, 1)
