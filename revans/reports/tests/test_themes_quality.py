"""Quality floors on the labelled lines in bench/: well below the measured figures (see
bench/README.md), so a small change in the engine does not make them flaky, but a broken
lexicon or clustering fails them."""

from pathlib import Path

import pytest

from revans.reports.agreement import adjusted_rand_index
from revans.reports.themes import OTHER_LABEL, group_into_themes

BENCH = Path(__file__).resolve().parents[3] / "bench"


def load(name):
    rows = [
        line.split("\t")
        for line in (BENCH / name).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return [gold for gold, _ in rows], [text for _, text in rows]


def grouping(texts):
    themes = group_into_themes(texts)
    found = [None] * len(texts)
    for number, theme in enumerate(themes):
        for index in theme.indexes:
            found[index] = number
    return themes, found


def test_tuned_set_quality_floor():
    gold, texts = load("themes_labelled.tsv")
    themes, found = grouping(texts)
    assert adjusted_rand_index(gold, found) > 0.7
    assert 10 <= len([t for t in themes if t.label != OTHER_LABEL]) <= 20


@pytest.mark.parametrize(
    ("name", "floor"), [("themes_heldout.tsv", 0.3), ("themes_heldout_b.tsv", 0.2)]
)
def test_held_out_sets_quality_floor(name, floor):
    gold, texts = load(name)
    _, found = grouping(texts)
    assert adjusted_rand_index(gold, found) > floor


def test_no_label_copies_a_line():
    """Labels are the lexicon's phrases or one or two single words: never a member's sentence."""
    for name in ("themes_labelled.tsv", "themes_heldout.tsv", "themes_heldout_b.tsv"):
        _, texts = load(name)
        themes, _ = grouping(texts)
        lexicon_labels = {t.label for t in themes if t.label_from_lexicon}
        for theme in themes:
            words = theme.label.split()
            if theme.label not in lexicon_labels:
                assert len(words) <= 3 and (len(words) == 1 or words[1] == "and"), theme.label
            for text in texts:
                line = " ".join(text.lower().split())
                assert theme.label != line
                if len(words) >= 3 and theme.label not in lexicon_labels:
                    assert theme.label not in line, (theme.label, text)


def test_no_lexicon_term_is_supported_only_by_held_out_lines():
    """The held-out figures stay honest only while the lexicon is tuned on the tuning set."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("check", BENCH / "themes_lexicon_check.py")
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    assert check.held_out_only_terms() == []
