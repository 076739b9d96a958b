"""A set's own round times: reading the template, and what agendas it gives.

Changes go through revans.live.actions.round_times; revans.live.agenda turns a template
into each meeting's agenda.
"""

from __future__ import annotations

from dataclasses import dataclass

from revans.live import agenda
from revans.live.models import ROUND_NAMES, AgendaItem, RoundTime


def template_of(learning_set_id: int) -> agenda.Template:
    """{round: minutes} the set chose; empty when it keeps METHOD.md's times."""
    return dict(
        RoundTime.objects.filter(learning_set_id=learning_set_id).values_list("round", "minutes")
    )


def times_of_meeting(learning_set_id: int, meeting_id: int) -> agenda.Template | None:
    """{round: minutes} as the set's meeting `meeting_id` ran them (or runs them now), for the
    set to start its next meetings with. None when it has no agenda, or had two issue
    holders: the set's times are for one, and two only share them. A meeting that skipped
    bidding gives no time for it."""
    rows = list(
        AgendaItem.objects.filter(
            live_meeting__meeting_id=meeting_id,
            live_meeting__meeting__learning_set_id=learning_set_id,
        ).values_list("round", "issue_slot", "minutes")
    )
    if not rows or any(slot == 2 for _round, slot, _minutes in rows):
        return None
    return {round_: minutes for round_, _slot, minutes in rows}


@dataclass(frozen=True)
class PreviewRow:
    name: str
    one_holder: int | None
    two_holders: int | None  # each issue holder's, for rounds 4-7


def preview(template: agenda.Template, duration_minutes: int) -> list[PreviewRow]:
    """The agenda an open meeting of `duration_minutes` starts with, with one issue holder
    and with two (chosen in the bidding round, so bidding stays)."""
    one = agenda.default_plan(agenda.shape_for("open", None), duration_minutes, template)
    two = agenda.default_plan(
        agenda.AgendaShape(holders=2, with_bidding=True, agreed_holder_id=None),
        duration_minutes,
        template,
    )
    minutes_one = {item.round: item.minutes for item in one}
    minutes_two = {item.round: item.minutes for item in two if item.issue_slot in (0, 1)}
    return [
        PreviewRow(str(ROUND_NAMES[r]), minutes_one.get(r), minutes_two.get(r)) for r in range(1, 9)
    ]
