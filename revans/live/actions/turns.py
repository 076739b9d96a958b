"""Turn-taking rounds (1, 2 and 6): the order, whose turn it is, and who has finished."""

from __future__ import annotations

import random

from django.utils.translation import gettext as _

from revans.live.actions.core import Ctx, close_running_turn, finish_turn, live_action
from revans.live.models import AgendaItem, Presence, TurnOrder
from revans.live.refusals import MeetingRefused
from revans.meetings.queries import apologised_ids
from revans.sets.models import SetMembership


def current_member_ids(ctx: Ctx) -> list[int]:
    return list(
        SetMembership.objects.filter(
            learning_set_id=ctx.meeting.learning_set_id, left_at__isnull=True
        )
        .order_by("joined_at", "id")
        .values_list("user_id", flat=True)
    )


def ensure_turns(ctx: Ctx, item: AgendaItem) -> bool:
    """Create the turns of a turn round the first time it is needed: every current member,
    except in round 6 the issue holder, to whom the others give feedback. Those in the room
    come first, then those not (yet) here, and those who sent apologies last, so "Start the
    next turn" reaches the people present before anyone absent. Everyone keeps a turn (a
    latecomer takes theirs on arrival; in a room with one shared screen no one may have a
    device open, and the order is then the set's)."""
    if not item.is_turn_round or TurnOrder.objects.filter(agenda_item=item).exists():
        return False
    holder = ctx.holder_id(item) if item.round == 6 else None
    here = set(
        Presence.objects.filter(live_meeting=ctx.live, connected=True).values_list(
            "user_id", flat=True
        )
    )
    apologised = apologised_ids(ctx.meeting)
    members = [uid for uid in current_member_ids(ctx) if uid != holder]
    members.sort(key=lambda uid: 0 if uid in here else 2 if uid in apologised else 1)
    TurnOrder.objects.bulk_create(
        TurnOrder(
            live_meeting=ctx.live, agenda_item=item, round=item.round, user_id=user_id, order=n
        )
        for n, user_id in enumerate(members)
    )
    return True


def _turn_item(ctx: Ctx, position) -> AgendaItem:
    items = ctx.items()
    if position is None:
        item = ctx.current()
        if item is None:
            item = items[0] if items else None
    else:
        item = next((i for i in items if i.position == int(position)), None)
    if item is None or not item.is_turn_round:
        raise MeetingRefused(
            "wrong_round", _("Turns are taken in check-in, reflection and feedback only.")
        )
    if item.position < ctx.live.stage_position and ctx.live.status == "running":
        raise MeetingRefused(
            "wrong_round", _("That round is over; its order can no longer change.")
        )
    return item


def _renumber(rows: list[TurnOrder]) -> None:
    for n, row in enumerate(rows):
        row.order = n
    TurnOrder.objects.bulk_update(rows, ["order"])


@live_action
def do_shuffle_turns(ctx: Ctx, position=None) -> dict:
    """A fresh random order for the turns still to come; finished turns stay first."""
    ctx.require_not_ended()
    ctx.require_facilitation()
    item = _turn_item(ctx, position)
    ensure_turns(ctx, item)
    rows = list(TurnOrder.objects.filter(agenda_item=item).order_by("order", "id"))
    taken = [r for r in rows if r.started_at or r.done_at]
    waiting = [r for r in rows if not (r.started_at or r.done_at)]
    random.SystemRandom().shuffle(waiting)
    _renumber(taken + waiting)
    ctx.emit_turns(item)
    return {}


@live_action
def do_reorder_turns(ctx: Ctx, user_ids, position=None) -> dict:
    """Set the order of the turns still to come to `user_ids` (what dragging produces).
    Members left out of the list are skipped; members added get a turn."""
    ctx.require_not_ended()
    ctx.require_facilitation()
    item = _turn_item(ctx, position)
    ensure_turns(ctx, item)
    wanted = [int(u) for u in user_ids]
    if len(set(wanted)) != len(wanted):
        raise MeetingRefused("bad_order", _("Each member can appear only once in the order."))
    if not set(wanted) <= set(current_member_ids(ctx)):
        raise MeetingRefused("bad_order", _("Choose from the set's current members."))
    rows = {r.user_id: r for r in TurnOrder.objects.filter(agenda_item=item)}
    taken = sorted((r for r in rows.values() if r.started_at or r.done_at), key=lambda r: r.order)
    taken_ids = {r.user_id for r in taken}
    TurnOrder.objects.filter(
        agenda_item=item, started_at__isnull=True, done_at__isnull=True
    ).exclude(user_id__in=wanted).delete()
    ordered = list(taken)
    for user_id in wanted:
        if user_id in taken_ids:
            continue
        row = rows.get(user_id) or TurnOrder.objects.create(
            live_meeting=ctx.live, agenda_item=item, round=item.round, user_id=user_id, order=99
        )
        ordered.append(row)
    _renumber(ordered)
    ctx.emit_turns(item)
    return {}


@live_action
def do_start_next_turn(ctx: Ctx, expected_version=None) -> dict:
    """End the running turn (if any) and start the next member's, with its own timer."""
    ctx.require_facilitation()
    ctx.check_version(expected_version)
    item = ctx.require_running()
    if not item.is_turn_round:
        raise MeetingRefused("wrong_round", _("This round has no turns."))
    ensure_turns(ctx, item)
    close_running_turn(ctx)
    following = (
        TurnOrder.objects.filter(agenda_item=item, started_at__isnull=True, done_at__isnull=True)
        .order_by("order", "id")
        .first()
    )
    if following is None:
        ctx.emit_turns(item)
        ctx.bump()
        return {"no_more_turns": True}
    following.started_at = ctx.now
    following.save(update_fields=["started_at"])
    ctx.bump()
    ctx.emit_turns(item)
    return {}


@live_action
def do_mark_turn_done(ctx: Ctx, user_id=None) -> dict:
    """A member says they have finished (or pass); the facilitator may do it for them."""
    item = ctx.require_running()
    target = ctx.actor.pk if user_id is None else int(user_id)
    if target != ctx.actor.pk:
        ctx.require_facilitation()
    if not item.is_turn_round:
        raise MeetingRefused("wrong_round", _("This round has no turns."))
    ensure_turns(ctx, item)
    turn = TurnOrder.objects.filter(agenda_item=item, user_id=target).first()
    if turn is None:
        raise MeetingRefused("wrong_person", _("There is no turn for this person in this round."))
    if turn.done_at is not None:
        raise MeetingRefused("already_done", _("This turn is already marked as done."))
    finish_turn(ctx, turn)
    ctx.emit_turns(item)
    return {}
