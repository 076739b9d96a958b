import re

from revans.reports.lexicon import CONCEPTS
from revans.reports.themes import OTHER_LABEL, concepts_in, group_into_themes

TEXTS = [
    "Redundancies announced in my directorate next week",
    "Leading the team through the reorganisation",
    "My own post is at risk in the restructure",
    "We have been told to find ten percent savings",
    "Budget cuts mean no training money this year",
    "Learnt that I jump in with advice before the presenter has finished",
    "Learnt that open questions help more than my advice",
    "Preparing for an Ofsted inspection in the spring",
    "The inspection report said we require improvement",
    "Mock inspection went badly and the team is rattled",
    "",
    "ok",
]


def indexes_of(themes):
    return sorted(i for theme in themes for i in theme.indexes)


def label_of(themes, index):
    return next(theme.label for theme in themes if index in theme.indexes)


def test_every_line_is_in_exactly_one_theme():
    themes = group_into_themes(TEXTS)
    assert indexes_of(themes) == list(range(len(TEXTS)))


def test_same_input_same_output():
    assert group_into_themes(TEXTS) == group_into_themes(list(TEXTS))


def test_lines_about_one_topic_share_a_theme_with_the_lexicon_label():
    themes = group_into_themes(TEXTS)
    assert {label_of(themes, i) for i in (0, 1, 2)} == {"restructures and reorganisation"}
    assert {label_of(themes, i) for i in (3, 4)} == {"budget cuts and savings"}
    assert {label_of(themes, i) for i in (5, 6)} == {"listening and questioning"}
    restructure = next(t for t in themes if t.label == "restructures and reorganisation")
    assert restructure.label_from_lexicon


def test_a_topic_the_lexicon_does_not_know_is_labelled_with_its_shared_word():
    themes = group_into_themes(TEXTS)
    inspection = next(t for t in themes if 7 in t.indexes)
    assert inspection.indexes == (7, 8, 9)
    assert inspection.label == "inspection"
    assert not inspection.label_from_lexicon  # a member's word: the facilitator must review it


def test_empty_and_contentless_lines_go_to_other_which_comes_last():
    themes = group_into_themes(TEXTS)
    assert themes[-1].label == OTHER_LABEL
    assert {10, 11} <= set(themes[-1].indexes)
    assert [t.label for t in themes].count(OTHER_LABEL) == 1


def test_no_input_no_themes():
    assert group_into_themes([]) == []


def test_one_line_is_other():
    themes = group_into_themes(["Redundancies announced in my directorate"])
    assert [(t.label, t.indexes) for t in themes] == [(OTHER_LABEL, (0,))]


def test_only_empty_lines_are_other():
    themes = group_into_themes(["", "  ", "\t"])
    assert [(t.label, t.indexes) for t in themes] == [(OTHER_LABEL, (0, 1, 2))]


def test_two_lines_on_one_topic_are_a_theme_and_there_is_no_empty_other():
    themes = group_into_themes(["Budget cuts again", "Savings of ten percent by April"])
    assert [(t.label, t.indexes) for t in themes] == [("budget cuts and savings", (0, 1))]


def test_a_line_unlike_any_other_is_other():
    texts = ["Redundancies in my directorate", "The reorganisation drags on", "Pigeons on the roof"]
    themes = group_into_themes(texts)
    assert label_of(themes, 2) == OTHER_LABEL


def test_a_name_shared_by_lines_never_becomes_a_label():
    texts = ["Telling Priya about the rota", "Priya and the rota again", "Pigeons", "Roof"]
    labels = {t.label for t in group_into_themes(texts)}
    assert not any("priya" in label.lower() for label in labels)


def test_themes_are_ordered_by_size():
    sizes = [len(t.indexes) for t in group_into_themes(TEXTS) if t.label != OTHER_LABEL]
    assert sizes == sorted(sizes, reverse=True)


def test_a_phrase_beats_the_words_inside_it():
    assert concepts_in("getting the team on board".split()) == {"change"}
    assert concepts_in("the board ignored my paper".split()) == {"influencing"}


def test_hyphenated_and_spaced_forms_match_alike():
    assert "influencing" in concepts_in("buy in".split())
    from revans.reports.themes import _tokens

    assert "influencing" in concepts_in(_tokens("Getting buy-in from directors"))


def test_lexicon_terms_are_well_formed():
    for concept in CONCEPTS:
        assert concept.label == concept.label.lower() and len(concept.label.split()) <= 5
        for term in concept.terms:
            for word in term.split():
                assert not word.endswith("*") or len(word) >= 4, (concept.key, term)
                assert re.fullmatch(r"[a-z0-9'-]+\*?", word), (concept.key, term)
