"""How the set reviewed its commitments, and how it rated the meeting (who is in the room:
presence.py)."""

from __future__ import annotations

from django.db.models import Avg, Count
from django.utils.translation import gettext as _

from revans.live import refusals, serialize
from revans.live.actions.core import Ctx, live_action
from revans.live.models import REVIEW_TEXT_MAX_LENGTH, CommitmentReview, ProcessRating
from revans.live.refusals import MeetingRefused
from revans.sets.models import SetMembership


@live_action
def do_review_commitments(ctx: Ctx, outcome, learning="", member_id=None) -> dict:
    """Round 2: a member says how their actions went; the facilitator may note it for them."""
    current = ctx.require_running()
    if current.round != 2:
        raise refusals.wrong_round(_("Commitments are reviewed in the reflection round."))
    member = ctx.actor.pk if member_id is None else int(member_id)
    if member != ctx.actor.pk:
        ctx.require_facilitation()
    if not SetMembership.objects.filter(
        learning_set_id=ctx.meeting.learning_set_id, user_id=member, left_at__isnull=True
    ).exists():
        raise MeetingRefused("bad_person", _("Only members of the set review commitments."))
    if outcome not in CommitmentReview.Outcome.values:
        raise MeetingRefused(
            "bad_outcome", _("Choose done, partly done or not done."), field="outcome"
        )
    learning = refusals.clean_text(
        learning, max_length=REVIEW_TEXT_MAX_LENGTH, field="learning", required=False
    )
    row, _created = CommitmentReview.objects.update_or_create(
        live_meeting=ctx.live,
        member_id=member,
        defaults={
            "outcome": outcome,
            "learning": learning,
            "recorded_by": ctx.actor,
            "recorded_at": ctx.now,
        },
    )
    row = CommitmentReview.objects.select_related("member").get(pk=row.pk)
    ctx.emit("commitment_review", serialize.commitment_review(row))
    return {}


def ratings_summary(live) -> dict:
    numbers = ProcessRating.objects.filter(live_meeting=live).aggregate(
        count=Count("id"), average=Avg("score")
    )
    average = numbers["average"]
    return {"count": numbers["count"], "average": round(average, 1) if average else None}


@live_action
def do_rate_process(ctx: Ctx, score, went_well="", do_differently="") -> dict:
    """Round 8: everyone rates how the set worked. Rating again replaces the earlier one.
    Others see the count and average; the words are read together in the summary."""
    current = ctx.require_running()
    if current.round != 8:
        raise refusals.wrong_round(_("The set rates its process in the process review round."))
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 10:
        raise MeetingRefused("bad_value", _("Please choose a score from 1 to 10."), field="score")
    went_well = refusals.clean_text(
        went_well, max_length=REVIEW_TEXT_MAX_LENGTH, field="went_well", required=False
    )
    do_differently = refusals.clean_text(
        do_differently, max_length=REVIEW_TEXT_MAX_LENGTH, field="do_differently", required=False
    )
    ProcessRating.objects.update_or_create(
        live_meeting=ctx.live,
        user=ctx.actor,
        defaults={
            "score": score,
            "went_well": went_well,
            "do_differently": do_differently,
            "rated_at": ctx.now,
        },
    )
    ctx.emit("ratings", ratings_summary(ctx.live))
    return {}
