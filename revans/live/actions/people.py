"""How the set reviewed its commitments, and how it rated the meeting (who is in the room:
presence.py)."""

from __future__ import annotations

from django.db.models import Avg, Count
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from revans.commitments.actions import do_record_review
from revans.commitments.queries import under_review
from revans.live import refusals, serialize
from revans.live.actions.core import Ctx, live_action
from revans.live.models import REVIEW_TEXT_MAX_LENGTH, CommitmentReview, ProcessRating
from revans.live.refusals import MeetingRefused
from revans.sets.models import SetMembership


@live_action
def do_review_commitments(
    ctx: Ctx, outcome, learning="", member_id=None, commitment_id=None
) -> dict:
    """Round 2: a member says how their commitments went; the facilitator may note it for them.

    With `commitment_id`, the verdict is for that one commitment (recorded onto its history)
    and the member's overall review follows from all of theirs reviewed at this meeting.
    Without, it is the member's overall review, recorded onto each of their commitments under
    review (a member with none still says how their actions went)."""
    current = ctx.require_running()
    if current.round != 2:
        raise refusals.wrong_round(_("Commitments are reviewed in the reflection round."))
    if outcome not in CommitmentReview.Outcome.values:
        raise MeetingRefused(
            "bad_outcome", _("Choose done, partly done or not done."), field="outcome"
        )
    learning = refusals.clean_text(
        learning, max_length=REVIEW_TEXT_MAX_LENGTH, field="learning", required=False
    )
    reviewable = under_review(ctx.meeting)
    if commitment_id is not None:
        chosen = [c for c in reviewable if c.pk == int(commitment_id)]
        if not chosen:
            raise MeetingRefused(
                "bad_commitment", _("That commitment is not one this meeting reviews.")
            )
        member = chosen[0].owner_id
    else:
        member = ctx.actor.pk if member_id is None else int(member_id)
        chosen = [c for c in reviewable if c.owner_id == member]
    _require_reviewer(ctx, member)
    verdicts = [(c, outcome, learning) for c in chosen]
    overall = None if commitment_id is not None else (outcome, learning)
    _record(ctx, member, verdicts, reviewable, overall)
    return {}


@live_action
def do_save_commitment_reviews(ctx: Ctx, reviews, member_id=None) -> dict:
    """Round 2: how each of a member's commitments went, saved together, so that one Save
    keeps all they wrote (a verdict typed beside a second Save was lost when the round moved
    on). `reviews` is a list of {commitment_id, outcome, learning?}; commitments left out
    stay as they were. One entry refused refuses them all, naming its commitment, so the
    person puts it right and saves again with nothing half-recorded."""
    current = ctx.require_running()
    if current.round != 2:
        raise refusals.wrong_round(_("Commitments are reviewed in the reflection round."))
    member = ctx.actor.pk if member_id is None else int(member_id)
    _require_reviewer(ctx, member)
    if not reviews:
        raise MeetingRefused(
            "bad_outcome", _("Choose how at least one commitment went."), field="outcome"
        )
    reviewable = under_review(ctx.meeting)
    theirs = {c.pk: c for c in reviewable if c.owner_id == member}
    verdicts = []
    for entry in reviews:
        commitment = theirs.pop(entry["commitment_id"], None)
        if commitment is None:  # not theirs, not under review, or named twice
            raise MeetingRefused(
                "bad_commitment", _("That commitment is not one this meeting reviews.")
            )
        named = {"what": Truncator(commitment.what).chars(60)}
        outcome = entry.get("outcome", "")
        if outcome not in CommitmentReview.Outcome.values:
            raise MeetingRefused(
                "bad_outcome",
                _("Choose how “%(what)s” went: done, partly done or not done.") % named,
                field="outcome",
                commitment_id=commitment.pk,
            )
        try:
            learning = refusals.clean_text(
                entry.get("learning", ""),
                max_length=REVIEW_TEXT_MAX_LENGTH,
                field="learning",
                required=False,
            )
        except MeetingRefused as refused:
            refused.message = _("About “%(what)s”: %(why)s") % {
                **named,
                "why": refused.message,
            }
            refused.details["commitment_id"] = commitment.pk
            raise
        verdicts.append((commitment, outcome, learning))
    _record(ctx, member, verdicts, reviewable)
    return {}


def _require_reviewer(ctx: Ctx, member: int) -> None:
    """A member reviews their own commitments; whoever facilitates may record it for them."""
    if member != ctx.actor.pk:
        ctx.require_facilitation()
    if not SetMembership.objects.filter(
        learning_set_id=ctx.meeting.learning_set_id, user_id=member, left_at__isnull=True
    ).exists():
        raise MeetingRefused("bad_person", _("Only members of the set review commitments."))


def _record(ctx: Ctx, member: int, verdicts, reviewable, overall=None) -> None:
    """Record each (commitment, outcome, learning) onto its commitment's history, then the
    member's overall review: `overall` as given, or else from all of their commitments
    reviewed at this meeting."""
    for commitment, outcome, learning in verdicts:
        do_record_review(
            commitment,
            meeting=ctx.meeting,
            outcome=outcome,
            learning=learning,
            recorded_by=ctx.actor,
            now=ctx.now,
        )
        commitment.review_outcome, commitment.review_learning = outcome, learning
        ctx.emit("commitment", serialize.commitment(commitment))
    if overall is None:
        overall = overall_review(c for c in reviewable if c.owner_id == member)
    outcome, learning = overall
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


def overall_review(commitments) -> tuple[str, str]:
    """A member's overall verdict from the commitments reviewed so far at this meeting: done
    if all are done, not done if none is, partly otherwise; their lines of learning joined."""
    reviewed = [c for c in commitments if c.review_outcome]
    outcomes = {c.review_outcome for c in reviewed}
    Outcome = CommitmentReview.Outcome
    if outcomes == {Outcome.DONE}:
        overall = Outcome.DONE
    elif outcomes == {Outcome.NOT_DONE}:
        overall = Outcome.NOT_DONE
    else:
        overall = Outcome.PARTLY
    lines = list(dict.fromkeys(c.review_learning for c in reviewed if c.review_learning))
    return overall, " · ".join(lines)[:REVIEW_TEXT_MAX_LENGTH]


def ratings_summary(live) -> dict:
    numbers = ProcessRating.objects.filter(live_meeting=live).aggregate(
        count=Count("id"), average=Avg("score")
    )
    average = numbers["average"]
    return {"count": numbers["count"], "average": round(average, 1) if average else None}


@live_action
def do_rate_process(ctx: Ctx, score=None, went_well="", do_differently="") -> dict:
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
