"""Shared set-up for the live-meeting tests: open a meeting on its day and walk its rounds."""

from __future__ import annotations

import datetime as dt

from revans.live import actions
from revans.live.models import AgendaItem, LiveMeeting

ON_THE_DAY = dt.timedelta(minutes=-5)


def live_of(meeting) -> LiveMeeting:
    return LiveMeeting.objects.get(meeting=meeting)


def version(meeting) -> int:
    return live_of(meeting).version


def current_item(meeting) -> AgendaItem:
    live = live_of(meeting)
    return AgendaItem.objects.get(live_meeting=live, position=live.stage_position)


def start(meeting, facilitator) -> None:
    actions.do_advance(meeting, facilitator, expected_version=version(meeting))


def advance(meeting, facilitator, confirm=True) -> dict:
    return actions.do_advance(
        meeting, facilitator, expected_version=version(meeting), confirm=confirm
    )


def go_to_round(meeting, facilitator, round_: int, holders=None, slot: int = 1) -> AgendaItem:
    """Advance (confirming turns) until the given round of the given slot is current,
    choosing `holders` (users) when bidding is passed."""
    live = live_of(meeting)
    if live.status == LiveMeeting.Status.NOT_STARTED:
        start(meeting, facilitator)
    for _ in range(20):
        item = current_item(meeting)
        if item.round == round_ and item.issue_slot in (0, slot):
            return item
        if item.round == 3 and holders and live_of(meeting).issue_holder_1_id is None:
            actions.do_choose_issue_holders(
                meeting,
                facilitator,
                user_ids=[h.pk for h in holders],
                expected_version=version(meeting),
            )
        advance(meeting, facilitator)
    raise AssertionError(f"round {round_} never came")
