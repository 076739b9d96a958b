"""Round 3: members bid for airtime and the set chooses one or two issue holders."""

from __future__ import annotations

from django.utils.translation import gettext as _

from revans.live import agenda, refusals, serialize
from revans.live.actions.core import Ctx, live_action
from revans.live.actions.turns import current_member_ids
from revans.live.models import (
    BID_DETAIL_MAX_LENGTH,
    BID_TITLE_MAX_LENGTH,
    AgendaItem,
    Bid,
)
from revans.live.refusals import MeetingRefused
from revans.live.round_times import template_of

MAX_MINUTES_WANTED = 120


def _require_bidding(ctx: Ctx) -> AgendaItem:
    current = ctx.require_running()
    if current.round == 4 and ctx.actor.pk != ctx.holder_id(current):
        raise refusals.presenting()
    if current.round != 3:
        raise refusals.wrong_round(_("Bids are made in the bidding round."))
    return current


def _scale(value, name: str, low: int, high: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise MeetingRefused(
            "bad_value",
            _("Please choose %(name)s from %(low)d to %(high)d.")
            % {"name": name, "low": low, "high": high},
            field=field,
        )
    return value


@live_action
def do_submit_bid(ctx: Ctx, title, urgency, importance, minutes_wanted, detail="") -> dict:
    """A member's bid for airtime; bidding again replaces their earlier bid."""
    _require_bidding(ctx)
    ctx.require_member()
    if ctx.actor.pk == agenda.agreed_holder_id(ctx.meeting):
        raise MeetingRefused(
            "agreed_holder",
            _(
                "Your issue was agreed before the meeting, so the first slot is yours; "
                "the others bid for the open one."
            ),
        )
    title = refusals.clean_text(title, max_length=BID_TITLE_MAX_LENGTH, field="title")
    detail = refusals.clean_text(
        detail, max_length=BID_DETAIL_MAX_LENGTH, field="detail", required=False
    )
    fields = {
        "title": title,
        "detail": detail,
        "urgency": _scale(urgency, _("how urgent it is"), 1, 5, "urgency"),
        "importance": _scale(importance, _("how important it is"), 1, 5, "importance"),
        "minutes_wanted": _scale(
            minutes_wanted, _("the minutes you would like"), 1, MAX_MINUTES_WANTED, "minutes_wanted"
        ),
    }
    bid, _created = Bid.objects.update_or_create(
        live_meeting=ctx.live, user=ctx.actor, defaults=fields
    )
    ctx.emit("bid", serialize.bid(bid, ctx.actor))
    return {"bid_id": bid.pk}


@live_action
def do_withdraw_bid(ctx: Ctx) -> dict:
    _require_bidding(ctx)
    bid = Bid.objects.filter(live_meeting=ctx.live, user=ctx.actor).first()
    if bid is None:
        raise MeetingRefused("no_bid", _("You have no bid to withdraw."))
    if bid.chosen_slot:
        raise MeetingRefused(
            "chosen", _("Your bid has been chosen; ask the facilitator to choose again first.")
        )
    payload = {"id": bid.pk, "user_id": ctx.actor.pk}
    bid.delete()
    ctx.emit("bid_withdrawn", payload)
    return {}


@live_action
def do_choose_issue_holders(ctx: Ctx, user_ids, expected_version=None) -> dict:
    """Record the set's choice of issue holders, in the order they will present. With an
    issue holder agreed in advance (combined meetings) only the open slot is chosen here.
    Choosing a different number of holders re-plans rounds 4-8 to fill the meeting."""
    ctx.require_facilitation()
    ctx.check_version(expected_version)
    current = ctx.require_running()
    if current.round != 3:
        raise refusals.wrong_round(_("Issue holders are chosen in the bidding round."))
    chosen = [int(u) for u in user_ids]
    agreed = agenda.agreed_holder_id(ctx.meeting)
    if agreed and agreed not in chosen:
        allowed, message = 1, _("The first issue holder was agreed in advance; choose one more.")
    else:
        allowed, message = 2, _("Choose one or two issue holders.")
        agreed = None
    if not 1 <= len(chosen) <= allowed or len(set(chosen)) != len(chosen):
        raise MeetingRefused("bad_choice", message)
    if not set(chosen) <= set(current_member_ids(ctx)):
        raise MeetingRefused("bad_choice", _("Choose from the set's current members."))
    holders = ([agreed] if agreed else []) + chosen
    ctx.live.issue_holder_1_id = holders[0]
    ctx.live.issue_holder_2_id = holders[1] if len(holders) > 1 else None
    Bid.objects.filter(live_meeting=ctx.live).exclude(chosen_slot=None).update(chosen_slot=None)
    for slot, user_id in enumerate(holders, start=1):
        Bid.objects.filter(live_meeting=ctx.live, user_id=user_id).update(chosen_slot=slot)
    _replan_after_bidding(ctx, current, len(holders))
    ctx.bump()
    ctx.emit_stage()
    bids = Bid.objects.filter(live_meeting=ctx.live).select_related("user")
    ctx.emit("bids", {"bids": [serialize.bid(b) for b in bids]})
    return {}


def _replan_after_bidding(ctx: Ctx, current: AgendaItem, holders: int) -> None:
    items = ctx.items()
    tail = [i for i in items if i.position > current.position and i.issue_slot]
    if (max((i.issue_slot for i in tail), default=0)) == holders:
        return
    head_minutes = sum(i.minutes for i in items if i.position <= current.position)
    AgendaItem.objects.filter(live_meeting=ctx.live, position__gt=current.position).delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(
            live_meeting=ctx.live,
            position=current.position + 1 + n,
            round=item.round,
            issue_slot=item.issue_slot,
            minutes=item.minutes,
        )
        for n, item in enumerate(
            agenda.plan_after_bidding(
                holders,
                head_minutes,
                ctx.meeting.duration_minutes,
                template_of(ctx.meeting.learning_set_id),
            )
        )
    )
    ctx.reset_items()
    ctx.emit_agenda()
