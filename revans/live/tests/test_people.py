import pytest

from revans.live import actions
from revans.live.dispatch import dispatch
from revans.live.models import CommitmentReview, Presence, ProcessRating
from revans.live.refusals import MeetingRefused
from revans.live.summary import attendance_suggestion, summary_for
from revans.live.tests.helpers import go_to_round, live_of, version


def test_join_and_leave_record_presence(world, opened):
    key = actions.do_join(opened, world.member)["connection"]
    actions.do_leave(opened, world.member, key)
    assert Presence.objects.get(user=world.member).connected is False
    actions.do_join(opened, world.member)
    assert Presence.objects.get(user=world.member).connected is True
    actions.do_join(opened, world.facilitator)
    # Attendance suggestions are members who came (the facilitator is not a member).
    assert attendance_suggestion(live_of(opened)) == [world.member.pk]


def test_commitment_review_in_round_two(world, opened):
    go_to_round(opened, world.facilitator, 2)
    actions.do_review_commitments(
        opened, world.member, outcome="partly", learning="Harder than I thought"
    )
    actions.do_review_commitments(
        opened, world.facilitator, outcome="done", member_id=world.members[2].pk
    )
    reviews = dict(CommitmentReview.objects.values_list("member_id", "outcome"))
    assert reviews == {world.member.pk: "partly", world.members[2].pk: "done"}
    with pytest.raises(MeetingRefused) as refused:
        actions.do_review_commitments(
            opened, world.member, outcome="done", member_id=world.members[3].pk
        )
    assert refused.value.code == "wrong_person"
    with pytest.raises(MeetingRefused) as refused:
        actions.do_review_commitments(opened, world.member, outcome="sort of")
    assert refused.value.code == "bad_outcome"


def test_the_facilitator_records_reviews_only_for_members_of_the_set(world, opened):
    go_to_round(opened, world.facilitator, 2)
    for someone in (None, world.facilitator.pk, world.other_member.pk):
        with pytest.raises(MeetingRefused) as refused:
            actions.do_review_commitments(
                opened, world.facilitator, outcome="done", member_id=someone
            )
        assert refused.value.code == "bad_person"
    assert not CommitmentReview.objects.exists()


def test_process_rating_in_round_eight(world, opened):
    go_to_round(opened, world.facilitator, 8, holders=[world.members[1]])
    actions.do_rate_process(opened, world.member, score=8, went_well="Listening")
    actions.do_rate_process(opened, world.member, score=7, do_differently="Fewer closed questions")
    actions.do_rate_process(opened, world.facilitator, score=9)
    assert ProcessRating.objects.count() == 2
    assert ProcessRating.objects.get(user=world.member).score == 7
    for bad in (0, 11, "8", True):
        with pytest.raises(MeetingRefused) as refused:
            actions.do_rate_process(opened, world.member, score=bad)
        assert refused.value.code == "bad_value"
    # Sent with no score chosen (the form has none chosen at first): told what to do.
    for message in ({"action": "rate_process"}, {"action": "rate_process", "score": None}):
        answer = dispatch(world.member, opened.pk, {**message, "went_well": "Listening"})
        assert answer["code"] == "bad_value"
        assert answer["message"] == "Please choose a score from 1 to 10."
    assert ProcessRating.objects.get(user=world.member).score == 7


def test_rating_outside_process_review_is_refused(world, opened):
    go_to_round(opened, world.facilitator, 1)
    with pytest.raises(MeetingRefused) as refused:
        actions.do_rate_process(opened, world.member, score=8)
    assert refused.value.code == "wrong_round"


def test_summary_has_attendance_issue_questions_actions_and_review_but_no_notes(world, opened):
    holder = world.members[1]
    for member in world.members[:3]:
        actions.do_join(opened, member)
    go_to_round(opened, world.facilitator, 3)
    actions.do_submit_bid(
        opened, holder, title="Merging two teams", urgency=4, importance=4, minutes_wanted=40
    )
    actions.do_choose_issue_holders(
        opened, world.facilitator, user_ids=[holder.pk], expected_version=version(opened)
    )
    go_to_round(opened, world.facilitator, 5)
    actions.do_post_question(opened, world.member, text="What would success look like?")
    actions.do_private_note(opened, world.member, text="Private thought")
    go_to_round(opened, world.facilitator, 7)
    actions.do_add_action(opened, holder, text="Meet both leads")
    go_to_round(opened, world.facilitator, 8)
    actions.do_rate_process(opened, world.member, score=8, went_well="Good questions")
    actions.do_end_meeting(opened, world.facilitator, expected_version=version(opened))
    summary = summary_for(live_of(opened))
    assert [a["present"] for a in summary["attendance"]] == [True, True, True, False]
    assert summary["issues"] == [
        {"slot": 1, "holder": {"id": holder.pk, "name": "Member 2"}, "title": "Merging two teams"}
    ]
    assert [q["text"] for q in summary["questions"]] == ["What would success look like?"]
    assert [a["text"] for a in summary["actions"]] == ["Meet both leads"]
    assert summary["process_review"] == {
        "count": 1,
        "average": 8.0,
        "went_well": ["Good questions"],
        "do_differently": [],
    }
    assert "Private thought" not in str(summary)
