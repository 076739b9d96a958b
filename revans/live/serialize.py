"""The JSON shapes shared by snapshots and events, so a client applies both the same way.

Every shape is whole state for its object (replace, or upsert by id): applying it twice, or
after a snapshot that already had it, changes nothing.
"""

from __future__ import annotations

import datetime as dt

from revans.live.models import (
    ROUND_NAMES,
    AgendaItem,
    Bid,
    CommitmentReview,
    Contribution,
    LiveMeeting,
    Presence,
    TurnOrder,
)


def iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def person(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.display_name}


def agenda_item(item: AgendaItem) -> dict:
    return {
        "position": item.position,
        "round": item.round,
        "round_name": str(ROUND_NAMES[item.round]),
        "issue_slot": item.issue_slot,
        "minutes": item.minutes,
    }


def agenda(items: list[AgendaItem]) -> list[dict]:
    return [agenda_item(item) for item in items]


def stage(live: LiveMeeting, current: AgendaItem | None) -> dict:
    return {
        "status": live.status,
        "version": live.version,
        "position": live.stage_position,
        "round": current.round if current else None,
        "round_name": str(ROUND_NAMES[current.round]) if current else None,
        "issue_slot": current.issue_slot if current else None,
        "stage_started_at": iso(live.stage_started_at),
        "deadline": iso(live.stage_deadline),
        "paused": live.paused,
        "pause_question": live.pause_question if live.paused else "",
        "paused_at": iso(live.paused_at),
        "paused_by_id": live.paused_by_id if live.paused else None,
        "remaining_seconds_at_pause": live.remaining_seconds_at_pause if live.paused else None,
        "facilitation_holder_id": live.facilitation_holder_id,
        "issue_holder_ids": {"1": live.issue_holder_1_id, "2": live.issue_holder_2_id},
        "started_at": iso(live.started_at),
        "ended_at": iso(live.ended_at),
    }


def turns(item: AgendaItem, rows: list[TurnOrder]) -> dict:
    """The turns of one agenda item, with each turn's advisory length."""
    return {
        "position": item.position,
        "round": item.round,
        "turn_seconds": (item.minutes * 60) // max(1, len(rows)),
        "turns": [
            {
                "user_id": row.user_id,
                "order": row.order,
                "started_at": iso(row.started_at),
                "done_at": iso(row.done_at),
                "spoken_seconds": row.spoken_seconds,
            }
            for row in rows
        ],
    }


def bid(row: Bid, user=None) -> dict:
    return {
        "id": row.pk,
        "user": person(user or row.user),
        "title": row.title,
        "detail": row.detail,
        "urgency": row.urgency,
        "importance": row.importance,
        "minutes_wanted": row.minutes_wanted,
        "chosen_slot": row.chosen_slot,
    }


def contribution(row: Contribution, author=None, addressed_to=None) -> dict:
    return {
        "id": row.pk,
        "kind": row.kind,
        "position": row.agenda_item.position if row.agenda_item_id and row.agenda_item else None,
        "author": person(author or row.author),
        "text": row.text,
        "addressed_to": person(addressed_to)
        if addressed_to is not None
        else (person(row.addressed_to) if row.addressed_to_id else None),
        "in_reply_to": row.in_reply_to_id,
        "state": row.state,
        "created_at": iso(row.created_at),
    }


def presence(row: Presence, user=None) -> dict:
    return {
        "user": person(user or row.user),
        "connected": row.connected,
        "joined_at": iso(row.joined_at),
        "last_seen_at": iso(row.last_seen_at),
    }


def commitment_review(row: CommitmentReview, member=None) -> dict:
    return {
        "member": person(member or row.member),
        "outcome": row.outcome,
        "learning": row.learning,
    }


def commitment(row) -> dict:
    """A commitment as round 2 shows it beside its owner, with its review at this meeting
    (rows from commitments.queries.under_review, which carry review_outcome/review_learning)."""
    outcome = getattr(row, "review_outcome", None)
    return {
        "id": row.pk,
        "owner_id": row.owner_id,
        "what": row.what,
        "due_on": row.due_on.isoformat(),
        "status": row.status,
        "review": (
            {"outcome": outcome, "learning": getattr(row, "review_learning", "") or ""}
            if outcome
            else None
        ),
    }
