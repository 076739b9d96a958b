import pytest

from revans.live.questions import hints_for, is_question


@pytest.mark.parametrize(
    "text",
    [
        "What would success look like for you?",
        "What have you already tried",
        "How does that feel",
        "Tell me more about the team.",
        "Say more about that",
        "Help me understand what is stopping you",
        "Who else cares about this?",
        "In my last job this happened. What did you do next?",
    ],
)
def test_questions_are_recognised(text):
    assert is_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "In my last job I just fired him.",
        "You should talk to HR",
        "I think it will be fine",
        "",
        "   ",
        "What a mess. I would leave. Honestly, I would.",
    ],
)
def test_statements_are_not_questions(text):
    assert not is_question(text)


def codes(text):
    return {h["code"] for h in hints_for(text)}


def test_a_good_open_question_gets_no_hint():
    assert codes("What would success look like for you?") == set()


@pytest.mark.parametrize(
    "text",
    [
        "Have you thought about talking to HR?",
        "Why don't you just delegate it?",
        "Wouldn't it be better to wait?",
        "Have you considered leaving?",
    ],
)
def test_advice_disguised_as_a_question_is_hinted(text):
    assert "leading" in codes(text)


def test_closed_stacked_preamble_and_judging_why_are_hinted():
    assert "closed" in codes("Did you tell your boss?")
    assert "stacked" in codes("What do you want, and who else cares, and when?")
    assert "stacked" in codes("What do you want? Who cares?")
    assert "long_preamble" in codes(
        "I once had a team like that. It was hard. We struggled for months. What did you do?"
    )
    assert "judging_why" in codes("Why are you so far behind?")


def test_hints_are_kind_sentences():
    for hint in hints_for("Why don't you just delegate it?"):
        assert hint["message"].endswith(("?", "."))
