"""A question in one round trip (PostgreSQL) keeps what the full act keeps, and takes nothing
the full act would refuse: every refusal still comes from the full act, worded as before."""

from __future__ import annotations

import pytest
from django.db import connection

from revans.live import actions
from revans.live.actions import question_in_one_trip
from revans.live.actions.contributions import _post_question_in_full
from revans.live.dispatch import check_access, dispatch
from revans.live.models import Contribution, LiveMeeting, MeetingEvent
from revans.live.tests.helpers import advance, go_to_round, version
from revans.sets.models import SetMembership
from revans.testing import make_user

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-trip question is PostgreSQL's"
)

KEPT = ["kind", "visibility", "text", "author_id", "addressed_to_id", "in_reply_to_id", "state"]


def _kept(contribution_id: int) -> tuple[dict, dict]:
    """The question's row and its event, without what differs between any two questions."""
    row = Contribution.objects.values(*KEPT, "agenda_item_id").get(pk=contribution_id)
    event = MeetingEvent.objects.get(
        type="contribution", payload__id=contribution_id, payload__kind="question"
    )
    payload = {k: v for k, v in event.payload.items() if k not in ("id", "created_at")}
    return row, {
        "payload": payload,
        "actor": event.actor_id,
        "audience": event.audience_user_id,
        "created_at_matches": event.payload["created_at"]
        == Contribution.objects.get(pk=contribution_id).created_at.isoformat(),
    }


def _state(meeting) -> tuple:
    live = LiveMeeting.objects.get(meeting=meeting)
    return (
        live.version,
        live.last_seq,
        Contribution.objects.filter(live_meeting=live).count(),
        MeetingEvent.objects.filter(live_meeting=live).count(),
    )


@pytest.mark.parametrize("to", ["the issue holder", "a member", "the facilitator"])
def test_a_question_keeps_what_the_full_act_keeps(
    world, opened, announced, to, django_capture_on_commit_callbacks
):
    holder, asker, other = world.members[:3]
    go_to_round(opened, world.facilitator, 5, holders=[holder])
    access = check_access(asker, opened.pk)
    addressed_to = {"the issue holder": None, "a member": other.pk}.get(to, world.facilitator.pk)
    before = _state(opened)
    announced.clear()
    with django_capture_on_commit_callbacks(execute=True):
        quick = question_in_one_trip.post(access, asker, "  What would help?  ", addressed_to)
        assert quick is not None
        full = _post_question_in_full(
            access, asker, text="  What would help?  ", addressed_to=addressed_to
        )
    assert _kept(quick["contribution_id"]) == _kept(full["contribution_id"])
    row, event = _kept(quick["contribution_id"])
    assert row["text"] == "What would help?" and event["created_at_matches"]
    assert row["addressed_to_id"] == (addressed_to or holder.pk)
    # Each took the next number, and neither moved the meeting's version.
    assert (quick["seq"], full["seq"]) == (before[1] + 1, before[1] + 2)
    assert quick["version"] == full["version"] == before[0]
    assert quick.keys() == full.keys() and quick["hints"] == full["hints"]
    # Announced after commit, with the event as a catch-up read gives it.
    assert [seq for _, seq, _ in announced] == [quick["seq"], full["seq"]]
    stored = MeetingEvent.objects.get(live_meeting__meeting=opened, seq=quick["seq"])
    sent = announced.events[-2]
    assert sent["payload"] == stored.payload
    assert sent["created_at"] == stored.created_at.isoformat()
    assert list(sent["payload"]) == list(announced.events[-1]["payload"])  # same order


def test_the_second_issue_holder_is_asked_in_their_own_questioning(world, opened, announced):
    first, second, asker = world.members[:3]
    go_to_round(opened, world.facilitator, 5, holders=[first, second], slot=2)
    access = check_access(asker, opened.pk)
    asked = question_in_one_trip.post(access, asker, "What is yours?", None)
    assert asked is not None
    assert Contribution.objects.get(pk=asked["contribution_id"]).addressed_to_id == second.pk


def _refusal(meeting, asker, text="What would help?", addressed_to=None) -> dict:
    """What a socket's client hears, and that the one-trip path took none of it."""
    access = check_access(asker, meeting.pk)
    before = _state(meeting)
    assert question_in_one_trip.post(access, asker, text, addressed_to) is None
    assert _state(meeting) == before
    message = {"action": "post_question", "text": text}
    if addressed_to is not None:
        message["addressed_to"] = addressed_to
    outcome = dispatch(asker, meeting.pk, message, access)
    assert _state(meeting) == before
    assert not outcome["ok"]
    return outcome


def test_not_yet_running_and_ended_are_refused_by_the_full_act(world, opened):
    asker = world.members[1]
    assert _refusal(opened, asker)["code"] == "not_running"
    go_to_round(opened, world.facilitator, 5, holders=[world.members[0]])
    actions.do_end_meeting(opened, world.facilitator, expected_version=version(opened))
    assert _refusal(opened, asker)["code"] == "not_running"


def test_other_rounds_and_a_pause_are_refused_by_the_full_act(world, opened):
    holder, asker = world.members[:2]
    go_to_round(opened, world.facilitator, 4, holders=[holder])
    assert _refusal(opened, asker)["code"] == "presenting"
    advance(opened, world.facilitator)
    actions.do_pause(opened, world.facilitator, question="What are we learning?")
    assert _refusal(opened, asker)["code"] == "paused"
    actions.do_resume(opened, world.facilitator)
    advance(opened, world.facilitator)
    assert _refusal(opened, asker)["code"] == "wrong_round"


def test_the_wrong_person_and_wrong_words_are_refused_by_the_full_act(world, opened):
    holder, asker, leaver = world.members[:3]
    go_to_round(opened, world.facilitator, 5, holders=[holder])
    assert _refusal(opened, holder)["code"] == "bad_person"  # the holder asking themself
    assert _refusal(opened, asker, addressed_to=asker.pk)["code"] == "bad_person"
    assert _refusal(opened, asker, addressed_to=world.other_member.pk)["code"] == "bad_person"
    assert _refusal(opened, asker, addressed_to=make_user("x@else.example").pk)["code"] == (
        "bad_person"
    )
    SetMembership.objects.filter(user=leaver, learning_set=opened.learning_set).update(
        left_at=opened.starts_at
    )
    assert _refusal(opened, asker, addressed_to=leaver.pk)["code"] == "bad_person"
    assert _refusal(opened, asker, text="I would just fire him.")["code"] == "not_a_question"
    assert _refusal(opened, asker, text="   ")["code"] == "empty"
    assert _refusal(opened, asker, text="Why " + "x" * 2000 + "?")["code"] == "too_long"


def test_a_reply_takes_the_full_act(world, opened, announced):
    holder, asker = world.members[:2]
    go_to_round(opened, world.facilitator, 5, holders=[holder])
    access = check_access(asker, opened.pk)
    first = dispatch(asker, opened.pk, {"action": "post_question", "text": "Why?"}, access)
    message = {
        "action": "post_question",
        "text": "Why not?",
        "in_reply_to": first["contribution_id"],
    }
    reply = dispatch(asker, opened.pk, message, access)
    assert reply["ok"]
    kept = Contribution.objects.get(pk=reply["contribution_id"])
    assert kept.in_reply_to_id == first["contribution_id"]
