"""The meeting's agenda: which rounds, in which order, and for how long.

Pure functions (no database), so the default times can be previewed anywhere. Rounds 1-3,
then rounds 4-7 once per issue holder, then round 8; default times are METHOD.md's table for a
90-minute meeting, scaled to the meeting's duration with any rounding absorbed by questioning.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from revans.sets.models import MeetingFormat

REFERENCE_MINUTES = 90
MIN_ROUND_MINUTES = 1
MAX_ROUND_MINUTES = 240

# (round, issue slot, minutes) for a 90-minute meeting.
ONE_HOLDER = [
    (1, 0, 10),
    (2, 0, 10),
    (3, 0, 5),
    (4, 1, 8),
    (5, 1, 35),
    (6, 1, 10),
    (7, 1, 5),
    (8, 0, 7),
]
# Two issue holders: shorter rounds 4-7 each, and a little less of everything else.
TWO_HOLDERS = [
    (1, 0, 8),
    (2, 0, 8),
    (3, 0, 4),
    (4, 1, 5),
    (5, 1, 19),
    (6, 1, 5),
    (7, 1, 3),
    (4, 2, 5),
    (5, 2, 19),
    (6, 2, 5),
    (7, 2, 3),
    (8, 0, 6),
]


@dataclass(frozen=True)
class PlannedItem:
    round: int
    issue_slot: int
    minutes: int


@dataclass(frozen=True)
class AgendaShape:
    holders: int
    with_bidding: bool
    # Issue holder agreed before the meeting (planned, or the planned part of combined).
    agreed_holder_id: int | None


def shape_for(meeting_format: str, agreed_holder_id: int | None) -> AgendaShape:
    """Planned meetings with an agreed issue holder skip bidding; combined meetings keep the
    agreed holder in slot 1 and bid for slot 2."""
    if meeting_format == MeetingFormat.PLANNED and agreed_holder_id:
        return AgendaShape(holders=1, with_bidding=False, agreed_holder_id=agreed_holder_id)
    if meeting_format == MeetingFormat.COMBINED:
        return AgendaShape(holders=2, with_bidding=True, agreed_holder_id=agreed_holder_id)
    return AgendaShape(holders=1, with_bidding=True, agreed_holder_id=None)


def agreed_holder_id(meeting) -> int | None:
    """Who holds the first slot by agreement before the meeting, if anyone: they present
    without bidding."""
    return shape_for(meeting.format, meeting.issue_holder_id).agreed_holder_id


def _half_up(value: float) -> int:
    return int(value + 0.5)


def fit(items: list[PlannedItem], target: int) -> list[PlannedItem]:
    """Scale minutes to add up to `target`; questioning absorbs the rounding."""
    total = sum(item.minutes for item in items)
    if not items or total <= 0:
        return items
    target = max(target, MIN_ROUND_MINUTES * len(items))
    scaled = [max(MIN_ROUND_MINUTES, _half_up(item.minutes * target / total)) for item in items]
    flexible = [i for i, item in enumerate(items) if item.round == 5] or [
        max(range(len(items)), key=lambda i: scaled[i])
    ]
    diff = target - sum(scaled)
    step = 1 if diff > 0 else -1
    k = 0
    while diff and k < 10_000:
        index = flexible[k % len(flexible)]
        if step > 0 or scaled[index] > MIN_ROUND_MINUTES:
            scaled[index] += step
            diff -= step
        k += 1
    return [
        PlannedItem(item.round, item.issue_slot, m) for item, m in zip(items, scaled, strict=True)
    ]


# {round: minutes}: a set's own round times (RoundTime), for one issue holder.
Template = dict[int, int]


def standard_minutes() -> Template:
    """METHOD.md's time for each round of a 90-minute meeting with one issue holder."""
    return {r: m for r, _slot, m in ONE_HOLDER}


def _table(holders: int, template: Template | None) -> list[tuple[int, int, int]]:
    """(round, slot, minutes) before scaling. Without a template, METHOD.md's tables. With
    one, its times; with two issue holders rounds 4-7 run twice, and fit() then shortens
    every round in proportion, as the standard two-holder table does."""
    if not template:
        return TWO_HOLDERS if holders == 2 else ONE_HOLDER
    minutes = {**standard_minutes(), **template}
    table = [(r, 0, minutes[r]) for r in (1, 2, 3)]
    for slot in range(1, holders + 1):
        table += [(r, slot, minutes[r]) for r in (4, 5, 6, 7)]
    return [*table, (8, 0, minutes[8])]


def default_plan(
    shape: AgendaShape, duration_minutes: int, template: Template | None = None
) -> list[PlannedItem]:
    """The agenda a meeting opens with: the set's template (or METHOD.md's times), filled
    to the meeting's length."""
    items = [PlannedItem(r, s, m) for r, s, m in _table(shape.holders, template)]
    if not shape.with_bidding:
        bidding = next(item for item in items if item.round == 3)
        items = [
            PlannedItem(i.round, i.issue_slot, i.minutes + bidding.minutes)
            if (i.round, i.issue_slot) == (5, 1)
            else i
            for i in items
            if i.round != 3
        ]
    return fit(items, duration_minutes)


def plan_after_bidding(
    holders: int, head_minutes: int, duration_minutes: int, template: Template | None = None
) -> list[PlannedItem]:
    """Rounds 4-8 for the chosen number of issue holders, filling what is left of the
    meeting after the rounds already planned before them."""
    tail = [PlannedItem(r, s, m) for r, s, m in _table(holders, template) if r >= 4]
    return fit(tail, duration_minutes - head_minutes)


def balance(total_minutes: int, duration_minutes: int) -> dict:
    """How the agenda compares with the meeting's length, in words the facilitator reads."""
    over = total_minutes - duration_minutes
    if over > 0:
        message = ngettext(
            "The agenda runs over by %(n)d minute.", "The agenda runs over by %(n)d minutes.", over
        ) % {"n": over}
    elif over < 0:
        message = ngettext(
            "The agenda leaves %(n)d minute spare.", "The agenda leaves %(n)d minutes spare.", -over
        ) % {"n": -over}
    else:
        message = _("The agenda fills the meeting exactly.")
    return {
        "total_minutes": total_minutes,
        "duration_minutes": duration_minutes,
        "over_by": max(0, over),
        "spare": max(0, -over),
        "message": message,
    }
