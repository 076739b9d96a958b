"""Quality floors on the labelled lines in bench/: well below the measured figures (see
bench/README.md), so a small change in the engine does not make them flaky, but a broken
lexicon or clustering fails them."""

from pathlib import Path

from revans.reports.agreement import adjusted_rand_index
from revans.reports.themes import OTHER_LABEL, group_into_themes

HELD_OUT_FLOOR = 0.0  # set after measuring
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


def test_held_out_set_quality_floor():
    gold, texts = load("themes_heldout.tsv")
    _, found = grouping(texts)
    assert adjusted_rand_index(gold, found) > HELD_OUT_FLOOR


def test_no_label_copies_a_line():
    """Labels are the lexicon's phrases or one or two single words: never a member's sentence."""
    for name in ("themes_labelled.tsv", "themes_heldout.tsv"):
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
