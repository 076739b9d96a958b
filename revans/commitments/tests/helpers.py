"""Shared set-up: commitments made at a meeting, and the next meeting opened on its day."""

from __future__ import annotations

import datetime as dt

from revans.commitments.models import Commitment
from revans.live import actions
from revans.live.tests.helpers import ON_THE_DAY, go_to_round, version

SECRET = "Ask the finance director about the merger budget"


def made_before(before, owner, what: str = SECRET, days: int = 7, **fields) -> Commitment:
    """A commitment made `days` before the meeting `before` (so its round 2 reviews it)."""
    return Commitment.objects.create(
        learning_set=before.learning_set,
        owner=owner,
        what=what,
        due_on=before.starts_at.date(),
        created_at=before.starts_at - dt.timedelta(days=days),
        **fields,
    )


def hold_round_seven(world, meeting, holder, texts=(SECRET,)) -> None:
    """Open `meeting`, choose `holder` and write their actions in round 7."""
    actions.do_open_meeting(meeting, world.facilitator)
    go_to_round(meeting, world.facilitator, 7, holders=[holder])
    for text in texts:
        actions.do_add_action(meeting, holder, text=text)


def open_on_its_day(world, meeting, time_machine, round_: int = 2):
    time_machine.move_to(meeting.starts_at + ON_THE_DAY, tick=False)
    actions.do_open_meeting(meeting, world.facilitator)
    go_to_round(meeting, world.facilitator, round_)
    return meeting


def end(world, meeting) -> None:
    go_to_round(meeting, world.facilitator, 8, holders=[world.members[2]])
    actions.do_end_meeting(meeting, world.facilitator, expected_version=version(meeting))
