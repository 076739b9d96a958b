"""Generating a set's schedule from its contract, in the set's own time zone."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from revans.meetings.actions import do_generate_schedule
from revans.meetings.models import Meeting
from revans.meetings.rules import MeetingActionRefused, local_to_utc, monthly_weekday
from revans.sets.models import LearningSet
from revans.testing import make_meetings, make_set

UTC = dt.UTC
# Every test here runs on 1 December 2026, so the 2027 dates below are in the future.
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def new_set(world):
    def make(**fields):
        return make_set(world.org, world.facilitator, "Fresh Set", **fields)

    return make


def local_times(meetings, zone):
    return [m.starts_at.astimezone(ZoneInfo(zone)).replace(tzinfo=None) for m in meetings]


def test_monthly_keeps_the_nth_weekday_and_the_wall_clock_time_across_london_dst(new_set):
    learning_set = new_set(cadence="monthly", meeting_count=6, time_zone="Europe/London")
    meetings = do_generate_schedule(learning_set, first_start_local=dt.datetime(2027, 1, 12, 18, 0))
    # The second Tuesday of each month, always 18:00 in London.
    assert local_times(meetings, "Europe/London") == [
        dt.datetime(2027, 1, 12, 18, 0),
        dt.datetime(2027, 2, 9, 18, 0),
        dt.datetime(2027, 3, 9, 18, 0),
        dt.datetime(2027, 4, 13, 18, 0),
        dt.datetime(2027, 5, 11, 18, 0),
        dt.datetime(2027, 6, 8, 18, 0),
    ]
    # Stored in UTC: 18:00 GMT before the clocks go forward (28 March), 17:00 UTC after.
    stored = list(
        Meeting.objects.filter(learning_set=learning_set).values_list("starts_at", flat=True)
    )
    assert stored[2] == dt.datetime(2027, 3, 9, 18, 0, tzinfo=UTC)
    assert stored[3] == dt.datetime(2027, 4, 13, 17, 0, tzinfo=UTC)


def test_a_first_date_in_the_fifth_week_means_the_last_weekday(new_set):
    learning_set = new_set(cadence="monthly", meeting_count=4)
    assert str(monthly_weekday(dt.date(2027, 3, 30))) == "TU(-1)"
    meetings = do_generate_schedule(learning_set, first_start_local=dt.datetime(2027, 3, 30, 10, 0))
    assert [d.date() for d in local_times(meetings, "Europe/London")] == [
        dt.date(2027, 3, 30),
        dt.date(2027, 4, 27),
        dt.date(2027, 5, 25),
        dt.date(2027, 6, 29),
    ]


def test_every_n_weeks_keeps_six_pm_across_the_october_change(new_set):
    learning_set = new_set(cadence="weeks", cadence_weeks=2, meeting_count=4)
    meetings = do_generate_schedule(
        learning_set, first_start_local=dt.datetime(2027, 10, 19, 18, 0)
    )
    assert local_times(meetings, "Europe/London") == [
        dt.datetime(2027, 10, 19, 18, 0),
        dt.datetime(2027, 11, 2, 18, 0),
        dt.datetime(2027, 11, 16, 18, 0),
        dt.datetime(2027, 11, 30, 18, 0),
    ]
    # 17:00 UTC while British Summer Time lasts (until 31 October), 18:00 UTC after.
    assert meetings[0].starts_at == dt.datetime(2027, 10, 19, 17, 0, tzinfo=UTC)
    assert meetings[1].starts_at == dt.datetime(2027, 11, 2, 18, 0, tzinfo=UTC)


def test_a_new_york_set_keeps_its_local_time_across_american_dst(new_set):
    learning_set = new_set(cadence="monthly", meeting_count=3, time_zone="America/New_York")
    meetings = do_generate_schedule(learning_set, first_start_local=dt.datetime(2027, 2, 9, 18, 0))
    assert local_times(meetings, "America/New_York") == [
        dt.datetime(2027, 2, 9, 18, 0),
        dt.datetime(2027, 3, 9, 18, 0),
        dt.datetime(2027, 4, 13, 18, 0),
    ]
    # EST (UTC-5) until 14 March, EDT (UTC-4) after.
    assert [m.starts_at for m in meetings] == [
        dt.datetime(2027, 2, 9, 23, 0, tzinfo=UTC),
        dt.datetime(2027, 3, 9, 23, 0, tzinfo=UTC),
        dt.datetime(2027, 4, 13, 22, 0, tzinfo=UTC),
    ]


def test_hand_picked_dates_are_used_in_order_at_the_given_time(new_set):
    learning_set = new_set(cadence="custom", meeting_count=2)
    meetings = do_generate_schedule(
        learning_set,
        first_start_local=dt.datetime(2027, 1, 20, 9, 30),
        custom_dates=[dt.date(2027, 2, 3), dt.date(2027, 1, 20), dt.date(2027, 6, 2)],
    )
    assert local_times(meetings, "Europe/London") == [
        dt.datetime(2027, 1, 20, 9, 30),
        dt.datetime(2027, 2, 3, 9, 30),
        dt.datetime(2027, 6, 2, 9, 30),
    ]


def test_meetings_take_the_sets_format_and_length(new_set):
    learning_set = new_set(default_format="planned", duration_minutes=180, meeting_count=2)
    meetings = do_generate_schedule(learning_set, first_start_local=dt.datetime(2027, 1, 12, 9, 0))
    assert {(m.format, m.duration_minutes, m.status, m.revision) for m in meetings} == {
        ("planned", 180, "scheduled", 0)
    }


def test_a_time_skipped_by_the_clocks_moves_forward_to_the_first_time_that_exists():
    # London, 28 March 2027: 01:00 GMT jumps to 02:00 BST, so 01:30 never happens.
    assert local_to_utc(dt.date(2027, 3, 28), dt.time(1, 30), "Europe/London") == dt.datetime(
        2027, 3, 28, 1, 0, tzinfo=UTC
    )  # 02:00 BST
    # New York, 14 March 2027: 02:00 EST jumps to 03:00 EDT.
    assert local_to_utc(dt.date(2027, 3, 14), dt.time(2, 30), "America/New_York") == dt.datetime(
        2027, 3, 14, 7, 0, tzinfo=UTC
    )  # 03:00 EDT


def test_a_time_that_happens_twice_takes_the_first():
    # London, 31 October 2027: 01:30 happens in BST, then again in GMT.
    assert local_to_utc(dt.date(2027, 10, 31), dt.time(1, 30), "Europe/London") == dt.datetime(
        2027, 10, 31, 0, 30, tzinfo=UTC
    )


def test_generated_meetings_in_a_dst_gap_start_when_the_gap_ends(new_set):
    learning_set = new_set(cadence="custom", time_zone="America/New_York")
    meetings = do_generate_schedule(
        learning_set,
        first_start_local=dt.datetime(2027, 3, 7, 2, 30),
        custom_dates=[dt.date(2027, 3, 7), dt.date(2027, 3, 14), dt.date(2027, 3, 21)],
    )
    assert local_times(meetings, "America/New_York") == [
        dt.datetime(2027, 3, 7, 2, 30),
        dt.datetime(2027, 3, 14, 3, 0),  # 02:30 did not exist that night
        dt.datetime(2027, 3, 21, 2, 30),
    ]


def test_refuses_when_the_set_already_has_meetings(new_set):
    learning_set = new_set()
    make_meetings(learning_set, 1)
    with pytest.raises(ValueError, match="already has meetings"):
        do_generate_schedule(learning_set, first_start_local=dt.datetime(2027, 1, 12, 18, 0))
    assert Meeting.objects.filter(learning_set=learning_set).count() == 1


def test_refuses_a_first_date_in_the_past(new_set):
    learning_set = new_set()
    with pytest.raises(MeetingActionRefused) as refused:
        do_generate_schedule(learning_set, first_start_local=dt.datetime(2026, 11, 10, 18, 0))
    assert "2026-11-10" in refused.value.message and "in the past" in refused.value.message
    assert refused.value.field == "first_date"
    assert not Meeting.objects.filter(learning_set=learning_set).exists()


def test_refuses_an_archived_set(new_set):
    learning_set = new_set(archived_at=NOW)
    with pytest.raises(MeetingActionRefused, match="archived"):
        do_generate_schedule(learning_set, first_start_local=dt.datetime(2027, 1, 12, 18, 0))


def test_hand_picked_cadence_needs_the_dates(new_set):
    learning_set = new_set(cadence=LearningSet.Cadence.CUSTOM)
    with pytest.raises(MeetingActionRefused, match="hand-picked dates"):
        do_generate_schedule(learning_set, first_start_local=dt.datetime(2027, 1, 12, 18, 0))


def test_creating_a_set_with_a_first_meeting_generates_its_schedule(world):
    """The sets app calls do_generate_schedule when a set is created with a first start."""
    from revans.sets import defaults
    from revans.sets.actions import do_create_set

    values = {
        "name": "Created With Schedule",
        "cohort": "",
        "sponsor": None,
        "min_members": 4,
        "max_members": 8,
        "default_format": "combined",
        "time_zone": "America/New_York",
        "location": "",
        "online_link": "",
        "meeting_count": 3,
        "cadence": "monthly",
        "cadence_weeks": 4,
        "duration_minutes": 120,
        "ground_rules": str(defaults.DEFAULT_GROUND_RULES),
        "confidentiality_agreement": str(defaults.DEFAULT_CONFIDENTIALITY),
    }
    learning_set = do_create_set(
        actor=world.facilitator,
        organisation=world.org,
        values=values,
        facilitator=world.facilitator,
        first_start_local=dt.datetime(2027, 2, 9, 18, 0),
    )
    meetings = list(Meeting.objects.filter(learning_set=learning_set))
    assert local_times(meetings, "America/New_York") == [
        dt.datetime(2027, 2, 9, 18, 0),
        dt.datetime(2027, 3, 9, 18, 0),
        dt.datetime(2027, 4, 13, 18, 0),
    ]
    assert {(m.format, m.duration_minutes) for m in meetings} == {("combined", 120)}
