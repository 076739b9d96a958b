"""What one person may see of a live meeting now, and the events they missed.

Both read a constant number of queries whatever the size of the meeting. Private notes are
filtered in the query (author only); airtime figures go to the facilitator only, and so do
who sent apologies (replies are the facilitator's to read).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from revans.commitments.queries import under_review
from revans.live import agenda as agenda_rules
from revans.live import serialize
from revans.live.actions.people import ratings_summary
from revans.live.actions.stage import coach_questions
from revans.live.airtime import airtime, suggested_order
from revans.live.models import (
    AgendaItem,
    Bid,
    CommitmentReview,
    Contribution,
    LiveMeeting,
    MeetingEvent,
    Presence,
    ProcessRating,
    TurnOrder,
)
from revans.meetings.queries import apologised_ids
from revans.sets.models import SetMembership

# More missed events than this and a fresh snapshot is cheaper for everyone.
MAX_EVENTS_PER_READ = 200


def _people(live: LiveMeeting) -> list[dict]:
    learning_set = live.meeting.learning_set
    rows = (
        SetMembership.objects.filter(learning_set=learning_set, left_at__isnull=True)
        .select_related("user")
        .order_by("joined_at", "id")
    )
    people = [{"id": r.user_id, "name": r.user.display_name, "role": "member"} for r in rows]
    facilitator = learning_set.facilitator
    if facilitator is not None and all(p["id"] != facilitator.pk for p in people):
        people.insert(
            0, {"id": facilitator.pk, "name": facilitator.display_name, "role": "facilitator"}
        )
    return people


def sees_airtime(user, live: LiveMeeting) -> bool:
    return user.pk in (live.meeting.learning_set.facilitator_id, live.facilitation_holder_id)


def snapshot_for(user, live: LiveMeeting) -> dict:
    """Everything this user may see now. `live` must come with meeting__learning_set__facilitator
    (actions.core.load_live() does that)."""
    items = list(AgendaItem.objects.filter(live_meeting=live))
    current = (
        items[min(live.stage_position, len(items) - 1)]
        if live.status == LiveMeeting.Status.RUNNING and items
        else None
    )
    turns_by_item: dict[int, list[TurnOrder]] = {}
    for row in TurnOrder.objects.filter(live_meeting=live).order_by("order", "id"):
        turns_by_item.setdefault(row.agenda_item_id, []).append(row)
    bids = list(Bid.objects.filter(live_meeting=live).select_related("user"))
    contributions = (
        Contribution.objects.filter(live_meeting=live)
        .filter(Q(visibility=Contribution.Visibility.SET) | Q(author=user))
        .select_related("author", "addressed_to", "agenda_item")
    )
    reviews = CommitmentReview.objects.filter(live_meeting=live).select_related("member")
    own_rating = ProcessRating.objects.filter(live_meeting=live, user=user).first()
    presence = Presence.objects.filter(live_meeting=live).select_related("user")
    programme = airtime(live, programme=True)
    is_coach = live.meeting.learning_set.facilitator_id == user.pk
    snapshot = {
        "meeting_id": live.meeting_id,
        "server_now": timezone.now().isoformat(),
        "version": live.version,
        "last_seq": live.last_seq,
        # The topic agreed in advance, for an issue holder chosen before the meeting.
        "topic": live.meeting.topic,
        # Who presents it, when agreed in advance; a combined meeting bids for the other slot.
        "agreed_holder_id": agenda_rules.agreed_holder_id(live.meeting),
        "you": {
            "id": user.pk,
            "facilitates": live.facilitation_holder_id == user.pk,
            "is_coach": is_coach,
        },
        "stage": serialize.stage(live, current),
        "agenda": serialize.agenda(items),
        "balance": agenda_rules.balance(
            sum(i.minutes for i in items), live.meeting.duration_minutes
        ),
        "people": _people(live),
        "turns": [
            serialize.turns(item, turns_by_item[item.pk])
            for item in items
            if item.pk in turns_by_item
        ],
        "bids": [serialize.bid(b) for b in bids],
        "suggested_order": [s["user_id"] for s in suggested_order(live, bids, programme)],
        "contributions": [serialize.contribution(c) for c in contributions],
        "commitment_reviews": [serialize.commitment_review(r) for r in reviews],
        # Round 2 shows each member's commitments beside them (the set's own, inside only).
        "commitments": [serialize.commitment(c) for c in under_review(live.meeting)],
        "ratings": ratings_summary(live),
        "own_rating": (
            {
                "score": own_rating.score,
                "went_well": own_rating.went_well,
                "do_differently": own_rating.do_differently,
            }
            if own_rating
            else None
        ),
        "presence": [serialize.presence(p) for p in presence],
        "coach_questions": coach_questions(),
    }
    if sees_airtime(user, live):
        snapshot["airtime"] = {
            "meeting": {str(k): v for k, v in airtime(live).items()},
            "programme": {str(k): v for k, v in programme.items()},
        }
    if is_coach:
        # Replies to the invitation are the facilitator's to read (as on the meeting's page),
        # so only the facilitator's room says who sent apologies.
        snapshot["apologies"] = sorted(apologised_ids(live.meeting))
    return snapshot


def events_since(user, live: LiveMeeting, seq: int) -> dict:
    """The events after `seq` this user may see (the whole set's, and their own), and the
    cursor to ask from next time. Too far behind, or ahead of the log: take a snapshot."""
    if seq < 0 or seq > live.last_seq:
        return {"snapshot_needed": True, "events": [], "last_seq": live.last_seq}
    rows = list(
        MeetingEvent.objects.filter(live_meeting=live, seq__gt=seq)
        .filter(Q(audience_user__isnull=True) | Q(audience_user=user))
        .order_by("seq")
        .values("seq", "type", "payload", "created_at")[: MAX_EVENTS_PER_READ + 1]
    )
    if len(rows) > MAX_EVENTS_PER_READ:
        return {"snapshot_needed": True, "events": [], "last_seq": live.last_seq}
    events = [
        {
            "seq": r["seq"],
            "type": r["type"],
            "payload": r["payload"],
            "created_at": serialize.iso(r["created_at"]),
        }
        for r in rows
    ]
    # Events for others are skipped by moving the cursor past them, never shown as gaps.
    cursor = max([live.last_seq] + [e["seq"] for e in events])
    return {"snapshot_needed": False, "events": events, "last_seq": cursor}
