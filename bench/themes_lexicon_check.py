"""Keeps the held-out figures honest: lists lexicon terms that match a held-out line but no line
of the tuning set. Such a term could only have come from reading the held-out lines, so the
rule is that there are none (the lexicon was cleaned by this check twice; see bench/README.md).

    uv run python bench/themes_lexicon_check.py          # prints offending terms, exit 1 if any
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from revans.reports.lexicon import CONCEPTS  # noqa: E402
from revans.reports.themes import _compile_pattern, _tokens, _word_matches  # noqa: E402

HELD_OUT = ("themes_heldout.tsv", "themes_heldout_b.tsv")


def lines(name: str) -> list[list[str]]:
    text = (ROOT / "bench" / name).read_text(encoding="utf-8")
    return [_tokens(row.split("\t")[1]) for row in text.splitlines() if row and row[0] != "#"]


def matches(term: str, tokens_per_line: list[list[str]]) -> bool:
    pattern = _compile_pattern(term)
    return any(
        all(_word_matches(tokens[i + j], word, prefix) for j, (word, prefix) in enumerate(pattern))
        for tokens in tokens_per_line
        for i in range(len(tokens) - len(pattern) + 1)
    )


def held_out_only_terms() -> list[tuple[str, str]]:
    tuned = lines("themes_labelled.tsv")
    held = [tokens for name in HELD_OUT for tokens in lines(name)]
    return [
        (concept.key, term)
        for concept in CONCEPTS
        for term in concept.terms
        if matches(term, held) and not matches(term, tuned)
    ]


if __name__ == "__main__":
    offending = held_out_only_terms()
    for key, term in offending:
        print(f"{key}\t{term}")
    sys.exit(1 if offending else 0)
