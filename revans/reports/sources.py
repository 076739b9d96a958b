"""What the report's themes are drawn from: the issues presented and the learning the set
recorded and shared. Private notes (author-only contributions) are never read here, and only
items from the set's members count (a member who has since left still counts)."""

from __future__ import annotations

from dataclasses import dataclass

from revans.live.models import Bid, CommitmentReview, Contribution
from revans.meetings.models import Meeting
from revans.reports.models import ThemeItem
from revans.sets.models import SetMembership


@dataclass(frozen=True)
class Item:
    source: str
    source_model: str
    source_id: int
    member_id: int
    meeting_id: int | None
    text: str


def items_for(learning_set) -> list[Item]:
    """Four queries, whatever the number of meetings."""
    members = set(
        SetMembership.objects.filter(learning_set=learning_set).values_list("user_id", flat=True)
    )
    items: list[Item] = []
    chosen = Bid.objects.filter(
        live_meeting__meeting__learning_set=learning_set, chosen_slot__isnull=False
    ).values("id", "user_id", "title", "live_meeting__meeting_id")
    presented = set()
    for bid in chosen:
        presented.add((bid["live_meeting__meeting_id"], bid["user_id"]))
        items.append(
            Item(
                ThemeItem.Source.ISSUE,
                "bid",
                bid["id"],
                bid["user_id"],
                bid["live_meeting__meeting_id"],
                bid["title"],
            )
        )
    # Planned meetings: the topic agreed in advance with its issue holder, when no bid says it.
    for meeting in (
        Meeting.objects.filter(learning_set=learning_set, status=Meeting.Status.SCHEDULED)
        .exclude(topic="")
        .exclude(issue_holder=None)
        .values("id", "issue_holder_id", "topic")
    ):
        if (meeting["id"], meeting["issue_holder_id"]) not in presented:
            items.append(
                Item(
                    ThemeItem.Source.ISSUE,
                    "meeting",
                    meeting["id"],
                    meeting["issue_holder_id"],
                    meeting["id"],
                    meeting["topic"],
                )
            )
    for row in Contribution.objects.filter(
        live_meeting__meeting__learning_set=learning_set,
        kind=Contribution.Kind.LEARNING,
        visibility=Contribution.Visibility.SET,
    ).values("id", "author_id", "text", "live_meeting__meeting_id"):
        items.append(
            Item(
                ThemeItem.Source.LEARNING,
                "contribution",
                row["id"],
                row["author_id"],
                row["live_meeting__meeting_id"],
                row["text"],
            )
        )
    for review in (
        CommitmentReview.objects.filter(live_meeting__meeting__learning_set=learning_set)
        .exclude(learning="")
        .values("id", "member_id", "learning", "live_meeting__meeting_id")
    ):
        items.append(
            Item(
                ThemeItem.Source.LEARNING,
                "commitment_review",
                review["id"],
                review["member_id"],
                review["live_meeting__meeting_id"],
                review["learning"],
            )
        )
    return [item for item in items if item.member_id in members and item.text.strip()]
