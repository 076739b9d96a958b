"""Every message type, for every persona: only people inside the set get past the door, and
everyone else gets the same answer, which says nothing about the meeting."""

import pytest
from django.contrib.auth.models import AnonymousUser

from revans.commitments.models import Commitment, ProgressNote
from revans.live import models
from revans.live.dispatch import READS, REGISTRY, dispatch, read
from revans.live.tests.helpers import live_of
from revans.testing import PERSONAS

SAMPLES = {
    "open": {},
    "advance": {"expected_version": 1, "confirm": True},
    "go_back": {"expected_version": 1},
    "set_round_minutes": {"position": 4, "minutes": 30},
    "extend_timer": {"minutes": 2},
    "shuffle_turns": {},
    "reorder_turns": {"user_ids": [], "position": 0},
    "start_next_turn": {"expected_version": 1},
    "mark_turn_done": {},
    "submit_bid": {"title": "Mine", "urgency": 3, "importance": 3, "minutes_wanted": 20},
    "withdraw_bid": {},
    "choose_issue_holders": {"user_ids": [1], "expected_version": 1},
    "post_question": {"text": "What matters?"},
    "post_answer": {"text": "This", "in_reply_to": 1},
    "mark_question": {"question_id": 1, "state": "later"},
    "private_note": {"text": "Mine"},
    "record_learning": {"text": "Learnt"},
    "give_feedback": {"text": "Thanks"},
    "add_action": {"text": "Do it"},
    "review_commitments": {"outcome": "done"},
    "save_commitment_reviews": {"reviews": [{"commitment_id": 1, "outcome": "done"}]},
    "rate_process": {"score": 8},
    "pause": {"question": "How are we doing?"},
    "resume": {},
    "hand_over_facilitation": {"user_id": 1},
    "end_meeting": {"expected_version": 1},
    "close_room": {"expected_version": 1},
}
OUTSIDERS = [p for p in PERSONAS if p not in ("facilitator", "member")]
LIVE_MODELS = [
    models.LiveMeeting,
    models.AgendaItem,
    models.TurnOrder,
    models.Bid,
    models.Contribution,
    models.Presence,
    models.LiveConnection,
    models.ProcessRating,
    models.CommitmentReview,
    models.MeetingEvent,
    # Round 7 makes commitments and round 2 reviews them: outsiders touch neither.
    Commitment,
    ProgressNote,
]


def state():
    live = models.LiveMeeting.objects.order_by("id").values("version", "last_seq").first()
    return live, [m.objects.count() for m in LIVE_MODELS]


def as_user(world, persona):
    return world.persona(persona) or AnonymousUser()


def test_every_registered_message_has_a_sample():
    assert set(SAMPLES) == set(REGISTRY)


@pytest.fixture
def everyone_refused_the_same(world):
    """The one answer for a meeting someone may not see, captured from a stranger."""
    return dispatch(world.stranger, world.meetings_a[0].pk, {"action": "withdraw_bid"})


@pytest.mark.parametrize("persona", OUTSIDERS)
@pytest.mark.parametrize("action", sorted(REGISTRY))
def test_outsiders_are_refused_identically_and_nothing_changes(
    world, opened, persona, action, everyone_refused_the_same
):
    before = state()
    answer = dispatch(as_user(world, persona), opened.pk, {"action": action, **SAMPLES[action]})
    assert answer == everyone_refused_the_same
    assert answer == {
        "ok": False,
        "code": "not_found",
        "message": "This meeting is not available to you.",
        "details": {},
    }
    assert state() == before


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_cannot_read(world, opened, persona, everyone_refused_the_same):
    user = as_user(world, persona)
    assert read(user, opened.pk, {"what": "snapshot"}) == everyone_refused_the_same
    assert read(user, opened.pk, {"what": "since", "seq": 0}) == everyone_refused_the_same


def test_unknown_meetings_and_bad_ids_get_the_same_answer(world, opened, everyone_refused_the_same):
    for meeting_id in (999999, "1", None, True):
        assert (
            dispatch(world.member, meeting_id, {"action": "withdraw_bid"})
            == everyone_refused_the_same
        )
    other_sets = world.meetings_b[0].pk
    assert (
        dispatch(world.member, other_sets, {"action": "withdraw_bid"}) == everyone_refused_the_same
    )
    assert dispatch(None, opened.pk, {"action": "withdraw_bid"}) == everyone_refused_the_same


@pytest.mark.parametrize("persona", ["facilitator", "member"])
@pytest.mark.parametrize("action", sorted(REGISTRY))
def test_people_inside_reach_every_action(world, opened, persona, action):
    """Wired correctly: the action itself answers (done, or refused for a reason of its own)."""
    answer = dispatch(world.persona(persona), opened.pk, {"action": action, **SAMPLES[action]})
    if answer["ok"]:
        assert set(answer) >= {"ok", "version", "seq"}
    else:
        assert answer["code"] not in ("not_found", "bad_message"), answer
        assert answer["message"]


@pytest.mark.parametrize("persona", ["facilitator", "member"])
@pytest.mark.parametrize("what", READS)
def test_people_inside_read(world, opened, persona, what):
    answer = read(world.persona(persona), opened.pk, {"what": what, "seq": 0})
    assert answer["ok"] is True


def test_a_happy_round_trip(world, opened):
    live = live_of(opened)
    answer = dispatch(
        world.facilitator, opened.pk, {"action": "advance", "expected_version": live.version}
    )
    assert answer == {"ok": True, "version": live.version + 1, "seq": live_of(opened).last_seq}
    again = dispatch(
        world.facilitator, opened.pk, {"action": "advance", "expected_version": live.version}
    )
    assert again["ok"] is False and again["code"] == "stale"
    assert again["message"] == (
        "The meeting has moved on since your screen last updated. Please check and try again."
    )


def test_a_number_with_a_fraction_is_refused_as_the_persons_slip(world, opened):
    """Number boxes let people type 2.5; the reason names the box, not a broken page."""
    before = state()
    answer = dispatch(world.facilitator, opened.pk, {"action": "extend_timer", "minutes": 2.5})
    assert answer["code"] == "bad_value"
    assert answer["message"] == "Please enter a whole number."
    assert answer["details"]["field"] == "minutes"
    assert state() == before


@pytest.mark.parametrize(
    "message, field",
    [
        ("advance", None),
        ([], None),
        ({}, None),
        ({"action": 3}, None),
        ({"action": "dance"}, "action"),
        ({"action": "advance"}, "expected_version"),
        ({"action": "advance", "expected_version": "3"}, "expected_version"),
        ({"action": "advance", "expected_version": True}, "expected_version"),
        ({"action": "private_note"}, "text"),
        ({"action": "private_note", "text": 5}, "text"),
        ({"action": "private_note", "text": "x", "author": 1}, "author"),
        ({"action": "rate_process", "score": "8"}, "score"),
        ({"action": "reorder_turns", "user_ids": [1, "2"]}, "user_ids"),
        ({"action": "advance", "expected_version": 1, "confirm": "yes"}, "confirm"),
    ],
)
def test_malformed_messages_are_refused_precisely(world, opened, message, field):
    before = state()
    answer = dispatch(world.member, opened.pk, message)
    assert answer["ok"] is False and answer["code"] == "bad_message"
    assert answer["details"].get("field") == field
    assert state() == before


def test_reads_are_checked(world, opened):
    assert read(world.member, opened.pk, {"what": "all"})["code"] == "bad_message"
    assert read(world.member, opened.pk, {"what": "since"})["code"] == "bad_message"
    assert read(world.member, opened.pk, "snapshot")["code"] == "bad_message"


def test_before_opening_members_are_told_kindly(world, meeting, on_the_day):
    answer = read(world.member, meeting.pk, {"what": "snapshot"})
    assert answer["code"] == "not_open"
    answer = dispatch(world.member, meeting.pk, {"action": "withdraw_bid"})
    assert answer["code"] == "not_open"


def test_a_refusal_carries_its_details(world, opened):
    live = live_of(opened)
    dispatch(world.facilitator, opened.pk, {"action": "advance", "expected_version": live.version})
    answer = dispatch(
        world.facilitator,
        opened.pk,
        {"action": "advance", "expected_version": live_of(opened).version},
    )
    assert answer["code"] == "needs_confirmation"
    assert len(answer["details"]["not_done"]) == 4
