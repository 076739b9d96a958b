"""Airtime: turns taken, time spoken in timed turns, questions asked and time as issue holder,
for one meeting or the whole programme (every live meeting of the set). A constant number of
grouped queries, whatever the number of meetings or contributions."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from revans.live.models import AgendaItem, Bid, Contribution, LiveMeeting, TurnOrder
from revans.sets.models import SetMembership

PRESENTING_ROUNDS = (4, 5, 6, 7)


def issue_holder_seconds() -> Sum:
    """Over presenting agenda items: the time the set spent in them (a round never reached
    has none)."""
    return Sum(Coalesce("seconds_used", 0))


# A meeting counts as one where they held the issue once it reached one of their rounds: a
# holder chosen for a slot the meeting never got to (it ended early) has not had their turn.
PRESENTED = Q(seconds_used__isnull=False)


def _lives(live: LiveMeeting, programme: bool) -> QuerySet[LiveMeeting]:
    if programme:
        return LiveMeeting.objects.filter(meeting__learning_set_id=live.meeting.learning_set_id)
    return LiveMeeting.objects.filter(pk=live.pk)


def airtime(live: LiveMeeting, *, programme: bool = False) -> dict[int, dict]:
    """{user_id: {"turns", "spoken_seconds", "questions", "times_issue_holder",
    "issue_holder_seconds", "airtime_seconds"}} for the set's current members. Time counts
    once a turn or a round is over (the current one joins when the meeting moves on)."""
    lives = _lives(live, programme)
    member_ids = list(
        SetMembership.objects.filter(
            learning_set_id=live.meeting.learning_set_id, left_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    table = {
        uid: {
            "turns": 0,
            "spoken_seconds": 0,
            "questions": 0,
            "times_issue_holder": 0,
            "issue_holder_seconds": 0,
        }
        for uid in member_ids
    }
    turns = (
        TurnOrder.objects.filter(live_meeting__in=lives)
        .values("user_id")
        .annotate(
            turns=Count("id", filter=Q(started_at__isnull=False)), spoken=Sum("spoken_seconds")
        )
    )
    for row in turns:
        if row["user_id"] in table:
            table[row["user_id"]]["turns"] = row["turns"]
            table[row["user_id"]]["spoken_seconds"] = row["spoken"] or 0
    questions = (
        Contribution.objects.filter(live_meeting__in=lives, kind=Contribution.Kind.QUESTION)
        .values("author_id")
        .annotate(n=Count("id"))
    )
    for asked in questions:
        if asked["author_id"] in table:
            table[asked["author_id"]]["questions"] = asked["n"]
    for slot in (1, 2):
        holder = f"live_meeting__issue_holder_{slot}"
        presenting = (
            AgendaItem.objects.filter(
                live_meeting__in=lives, issue_slot=slot, round__in=PRESENTING_ROUNDS
            )
            .values(holder)
            .annotate(
                seconds=issue_holder_seconds(),
                meetings=Count("live_meeting", distinct=True, filter=PRESENTED),
            )
        )
        for row in presenting:
            entry = table.get(row[holder])
            if entry is not None:
                entry["times_issue_holder"] += row["meetings"]
                entry["issue_holder_seconds"] += row["seconds"] or 0
    for entry in table.values():
        entry["airtime_seconds"] = entry["spoken_seconds"] + entry["issue_holder_seconds"]
    return table


def suggested_order(
    live: LiveMeeting, bids: list[Bid] | None = None, so_far: dict[int, dict] | None = None
) -> list[dict]:
    """Bidders ordered to favour those with least airtime so far in the programme (times as
    issue holder, then airtime), then by how urgent and important they say it is."""
    bids = bids if bids is not None else list(Bid.objects.filter(live_meeting=live))
    so_far = so_far if so_far is not None else airtime(live, programme=True)
    empty = {"times_issue_holder": 0, "airtime_seconds": 0}

    def key(bid: Bid):
        mine = so_far.get(bid.user_id, empty)
        return (
            mine["times_issue_holder"],
            mine["airtime_seconds"],
            -(bid.urgency + bid.importance),
            bid.created_at,
            bid.pk,
        )

    return [
        {
            "user_id": bid.user_id,
            "bid_id": bid.pk,
            "times_issue_holder": so_far.get(bid.user_id, empty)["times_issue_holder"],
            "airtime_seconds": so_far.get(bid.user_id, empty)["airtime_seconds"],
        }
        for bid in sorted(bids, key=key)
    ]
