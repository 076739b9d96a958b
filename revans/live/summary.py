"""What the set (and only the set) reads after the meeting: attendance, how the last
meeting's commitments went, issues, questions, actions and the process review. Private notes
are never part of it."""

from __future__ import annotations

from django.db.models import Avg, Count

from revans.commitments.models import ProgressNote
from revans.live import serialize
from revans.live.airtime import airtime
from revans.live.models import (
    Bid,
    CommitmentReview,
    Contribution,
    LiveMeeting,
    Presence,
    ProcessRating,
)
from revans.meetings.models import Attendance
from revans.sets.models import SetMembership


def attendance_suggestion(live: LiveMeeting) -> list[int]:
    """Current members who joined the live meeting: what the facilitator confirms (or
    corrects) as the attendance record (meetings.actions.do_record_attendance)."""
    member_ids = SetMembership.objects.filter(
        learning_set_id=live.meeting.learning_set_id, left_at__isnull=True
    ).values("user_id")
    return list(
        Presence.objects.filter(live_meeting=live, user_id__in=member_ids)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def own_private_notes(live: LiveMeeting, user) -> list[Contribution]:
    """The reader's own private notes from the meeting, for them alone beside the summary:
    without it a note kept in the room could never be read again once the meeting ended.
    Fetched with author=user in the one query, so no one else's can come back."""
    return list(
        Contribution.objects.filter(
            live_meeting=live, kind=Contribution.Kind.PRIVATE_NOTE, author=user
        ).order_by("created_at", "id")
    )


def summary_for(live: LiveMeeting) -> dict:
    members = list(
        SetMembership.objects.filter(
            learning_set_id=live.meeting.learning_set_id, left_at__isnull=True
        )
        .select_related("user")
        .order_by("joined_at", "id")
    )
    meeting = live.meeting
    if meeting.attendance_recorded_at is not None:
        # The record (presence, as the facilitator confirmed or corrected it).
        present = set(
            Attendance.objects.filter(meeting=meeting, attended=True).values_list(
                "user_id", flat=True
            )
        )
    else:
        present = set(Presence.objects.filter(live_meeting=live).values_list("user_id", flat=True))
    bids = {b.user_id: b for b in Bid.objects.filter(live_meeting=live).exclude(chosen_slot=None)}
    names = {m.user_id: m.user.display_name for m in members}
    issues = []
    for slot in (1, 2):
        holder_id = live.holder_id_for(slot)
        if holder_id:
            bid = bids.get(holder_id)
            issues.append(
                {
                    "slot": slot,
                    "holder": {"id": holder_id, "name": names.get(holder_id, "")},
                    "title": bid.title if bid else live.meeting.topic,
                }
            )
    shared = (
        Contribution.objects.filter(live_meeting=live, visibility=Contribution.Visibility.SET)
        .select_related("author", "addressed_to", "agenda_item")
        .order_by("created_at", "id")
    )
    by_kind: dict[str, list[dict]] = {}
    for row in shared:
        by_kind.setdefault(row.kind, []).append(serialize.contribution(row))
    ratings = list(ProcessRating.objects.filter(live_meeting=live).order_by("rated_at", "id"))
    reviews = _commitment_reviews(live, names)
    numbers = ProcessRating.objects.filter(live_meeting=live).aggregate(
        count=Count("id"), average=Avg("score")
    )
    in_meeting, in_programme = airtime(live), airtime(live, programme=True)
    return {
        "status": live.status,
        # Balance of voices, in this meeting and over the programme so far.
        "airtime": [
            {
                "name": m.user.display_name,
                "meeting": in_meeting.get(m.user_id),
                "programme": in_programme.get(m.user_id),
            }
            for m in members
        ],
        "attendance_recorded": meeting.attendance_recorded_at is not None,
        "started_at": serialize.iso(live.started_at),
        "ended_at": serialize.iso(live.ended_at),
        "attendance": [
            {"id": m.user_id, "name": m.user.display_name, "present": m.user_id in present}
            for m in members
        ],
        "reviews": reviews,
        "issues": issues,
        "questions": by_kind.get(Contribution.Kind.QUESTION, []),
        "answers": by_kind.get(Contribution.Kind.ANSWER, []),
        "actions": by_kind.get(Contribution.Kind.ACTION, []),
        "learning": by_kind.get(Contribution.Kind.LEARNING, []),
        "feedback": by_kind.get(Contribution.Kind.FEEDBACK, []),
        "process_review": {
            "count": numbers["count"],
            "average": round(numbers["average"], 1) if numbers["average"] else None,
            # Unattributed: the set reviews how it worked, not who said what.
            "went_well": [r.went_well for r in ratings if r.went_well],
            "do_differently": [r.do_differently for r in ratings if r.do_differently],
        },
    }


def _commitment_reviews(live: LiveMeeting, names: dict[int, str]) -> list[dict]:
    """Round 2, as recorded: each member's review (in the order they gave it) with, under
    it, each of their commitments reviewed at this meeting. Two queries."""
    per_commitment: dict[int, list[dict]] = {}
    notes = (
        ProgressNote.objects.filter(meeting=live.meeting)
        .exclude(review_outcome="")
        .select_related("commitment")
        .order_by("created_at", "id")
    )
    for note in notes:
        per_commitment.setdefault(note.commitment.owner_id, []).append(
            {
                "what": note.commitment.what,
                "outcome": note.get_review_outcome_display(),
                "learning": note.text,
            }
        )
    return [
        {
            "name": names.get(review.member_id, ""),
            "outcome": review.get_outcome_display(),
            "learning": review.learning,
            "commitments": per_commitment.get(review.member_id, []),
        }
        for review in CommitmentReview.objects.filter(live_meeting=live).order_by(
            "recorded_at", "id"
        )
        if review.member_id in names
    ]
