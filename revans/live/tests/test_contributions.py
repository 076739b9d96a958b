import pytest

from revans.live import actions
from revans.live.models import Contribution, MeetingEvent
from revans.live.refusals import MeetingRefused
from revans.live.tests.helpers import go_to_round, live_of


@pytest.fixture
def holder(world):
    return world.members[1]


def at_round(world, opened, holder, round_):
    go_to_round(opened, world.facilitator, round_, holders=[holder])
    return opened


def refusal(fn, *args, **kwargs):
    with pytest.raises(MeetingRefused) as info:
        fn(*args, **kwargs)
    return info.value


# Round 4: the presenter holds the floor ---------------------------------------------------


def test_while_presenting_others_may_only_write_private_notes(world, opened, holder):
    at_round(world, opened, holder, 4)
    attempts = [
        (actions.do_post_question, {"text": "What happened?"}),
        (actions.do_post_answer, {"text": "Yes", "in_reply_to": 1}),
        (actions.do_record_learning, {"text": "I learnt"}),
        (actions.do_give_feedback, {"text": "Well told"}),
        (actions.do_add_action, {"text": "Do it"}),
        (
            actions.do_submit_bid,
            {"title": "Mine", "urgency": 1, "importance": 1, "minutes_wanted": 5},
        ),
    ]
    for who in (world.member, world.facilitator):
        for fn, fields in attempts:
            refused = refusal(fn, opened, who, **fields)
            assert refused.code == "presenting", fn
            assert refused.message == (
                "The issue holder is presenting without interruption; you can write a private note."
            )
    actions.do_private_note(opened, world.member, text="Sounds like the budget matters")
    assert list(Contribution.objects.values_list("kind", flat=True)) == ["private_note"]


def test_the_presenter_gets_the_plain_wrong_round_reason(world, opened, holder):
    at_round(world, opened, holder, 4)
    refused = refusal(actions.do_post_question, opened, holder, text="What now?")
    assert refused.code == "wrong_round"


# Round 5: questions and ground rule 1 ----------------------------------------------------


def test_a_question_goes_to_the_issue_holder_by_default_with_hints(world, opened, holder):
    at_round(world, opened, holder, 5)
    out = actions.do_post_question(opened, world.member, text="Have you thought about HR?")
    question = Contribution.objects.get(pk=out["contribution_id"])
    assert question.addressed_to_id == holder.pk
    assert question.state == "open" and question.visibility == "set"
    assert [h["code"] for h in out["hints"]] == ["leading"]


def test_anyone_may_ask_anyone_in_the_set(world, opened, holder):
    at_round(world, opened, holder, 5)
    actions.do_post_question(
        opened, holder, text="Has anyone led a merger?", addressed_to=world.members[3].pk
    )
    actions.do_post_question(
        opened, world.member, text="What do you see?", addressed_to=world.facilitator.pk
    )
    assert (
        refusal(
            actions.do_post_question,
            opened,
            world.member,
            text="Why?",
            addressed_to=world.other_member.pk,
        ).code
        == "bad_person"
    )
    assert (
        refusal(
            actions.do_post_question,
            opened,
            world.member,
            text="Why?",
            addressed_to=world.member.pk,
        ).code
        == "bad_person"
    )


def test_a_statement_is_refused_with_the_reason_and_nothing_is_kept(world, opened, holder):
    at_round(world, opened, holder, 5)
    before = (MeetingEvent.objects.count(), live_of(opened).last_seq)
    refused = refusal(
        actions.do_post_question, opened, world.member, text="In my last job I just fired him."
    )
    assert refused.code == "not_a_question"
    assert refused.message.startswith("Ground rule 1: statements only in response to questions.")
    assert not Contribution.objects.exists()
    assert (MeetingEvent.objects.count(), live_of(opened).last_seq) == before


def test_a_statement_is_welcome_as_an_answer(world, opened, holder):
    at_round(world, opened, holder, 5)
    asked = actions.do_post_question(
        opened, holder, text="Has anyone dealt with this?", addressed_to=world.member.pk
    )
    actions.do_post_answer(
        opened,
        world.member,
        text="In my last job I just fired him.",
        in_reply_to=asked["contribution_id"],
    )
    answer = Contribution.objects.get(kind="answer")
    assert answer.in_reply_to_id == asked["contribution_id"]
    assert Contribution.objects.get(pk=asked["contribution_id"]).state == "answered"


def test_only_the_person_asked_answers(world, opened, holder):
    at_round(world, opened, holder, 5)
    asked = actions.do_post_question(opened, world.member, text="What do you want?")
    refused = refusal(
        actions.do_post_answer,
        opened,
        world.members[2],
        text="Peace",
        in_reply_to=asked["contribution_id"],
    )
    assert refused.code == "wrong_person"
    assert (
        refused.message == "This question was asked of Member 2, so the answer is theirs to give."
    )
    assert (
        refusal(actions.do_post_answer, opened, holder, text="Peace", in_reply_to=999999).code
        == "no_question"
    )


def test_the_issue_holder_marks_questions_answered_or_later(world, opened, holder):
    at_round(world, opened, holder, 5)
    asked = actions.do_post_question(opened, world.member, text="What scares you?")
    qid = asked["contribution_id"]
    actions.do_mark_question(opened, holder, question_id=qid, state="later")
    assert Contribution.objects.get(pk=qid).state == "later"
    actions.do_mark_question(opened, holder, question_id=qid, state="answered")
    assert Contribution.objects.get(pk=qid).state == "answered"
    assert (
        refusal(actions.do_mark_question, opened, world.member, question_id=qid, state="later").code
        == "wrong_person"
    )
    assert (
        refusal(actions.do_mark_question, opened, holder, question_id=qid, state="maybe").code
        == "bad_state"
    )


def test_texts_are_checked(world, opened, holder):
    at_round(world, opened, holder, 5)
    assert refusal(actions.do_post_question, opened, world.member, text="   ").code == "empty"
    long = "What " + "x" * 1000 + "?"
    refused = refusal(actions.do_post_question, opened, world.member, text=long)
    assert refused.code == "too_long"
    assert refused.message == "Please keep this to 1000 characters (it is 1006)."


def test_questions_only_in_questioning(world, opened, holder):
    at_round(world, opened, holder, 6)
    refused = refusal(actions.do_post_question, opened, world.member, text="What now?")
    assert refused.code == "wrong_round"
    assert refused.message == "Questions are asked in the questioning round."


# Rounds 6 and 7 ------------------------------------------------------------------------------


def test_learning_and_feedback_in_round_six(world, opened, holder):
    at_round(world, opened, holder, 6)
    actions.do_record_learning(opened, world.member, text="I ask too many closed questions")
    actions.do_record_learning(opened, holder, text="I had not seen the budget angle")
    actions.do_give_feedback(opened, world.member, text="You were brave to bring this")
    feedback = Contribution.objects.get(kind="feedback")
    assert feedback.addressed_to_id == holder.pk
    assert refusal(actions.do_give_feedback, opened, holder, text="Me!").code == "wrong_person"
    assert refusal(actions.do_add_action, opened, holder, text="Do it").code == "wrong_round"


def test_only_the_issue_holder_writes_actions(world, opened, holder):
    at_round(world, opened, holder, 7)
    actions.do_add_action(opened, holder, text="Talk to finance by Friday")
    refused = refusal(actions.do_add_action, opened, world.member, text="Do it")
    assert refused.code == "wrong_person"
    assert refused.message == "Only the issue holder writes their actions."
    assert list(Contribution.objects.values_list("kind", "author_id")) == [("action", holder.pk)]


def test_private_notes_are_always_allowed_until_the_end(world, opened):
    actions.do_private_note(opened, world.member, text="Before we start")
    go_to_round(opened, world.facilitator, 3)
    actions.do_private_note(opened, world.member, text="During bidding")
    notes = Contribution.objects.filter(kind="private_note")
    assert notes.count() == 2 and {n.visibility for n in notes} == {"author"}
