"""Every change to meetings happens here."""

from __future__ import annotations

import datetime as dt

from revans.meetings.models import Meeting
from revans.sets.models import LearningSet


def do_generate_schedule(
    learning_set: LearningSet,
    *,
    first_start_local: dt.datetime,
    custom_dates: list[dt.date] | None = None,
    actor=None,
) -> list[Meeting]:
    """Create the set's meeting rows from its contract.

    first_start_local is naive wall-clock time in the set's time zone (e.g. 18:00 on the
    first date); every generated meeting keeps that wall-clock time across DST changes.
    For the hand-picked cadence, custom_dates lists the dates (the time comes from
    first_start_local). Refuses (ValueError) if the set already has meetings.
    """
    raise NotImplementedError("being built: meetings helper")
