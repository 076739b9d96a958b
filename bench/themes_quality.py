"""Quality of the theme grouping against labelled lines: adjusted Rand index, theme counts, time.

    uv run python bench/themes_quality.py [--show]

Runs revans.reports.themes.group_into_themes on bench/themes_labelled.tsv (the lines the
engine was tuned on) and on bench/themes_heldout.tsv (written before the engine, never tuned
on) and prints JSON. Each TSV line: gold theme, a tab, the text; lines starting with # are
comments. "other" counts as one more group for the index, as a facilitator would see it.
--show also prints each theme's label and lines, to read the grouping by eye.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from revans.reports.agreement import adjusted_rand_index  # noqa: E402
from revans.reports.themes import group_into_themes  # noqa: E402

SETS = {
    "tuned": ROOT / "bench/themes_labelled.tsv",
    "held_out_a": ROOT / "bench/themes_heldout.tsv",
    "held_out_b": ROOT / "bench/themes_heldout_b.tsv",
}


def load(path: Path) -> tuple[list[str], list[str]]:
    gold, texts = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            theme, text = line.split("\t")
            gold.append(theme)
            texts.append(text)
    return gold, texts


def evaluate(path: Path, show: bool = False) -> dict:
    gold, texts = load(path)
    started = time.perf_counter()
    themes = group_into_themes(texts)
    seconds = time.perf_counter() - started
    found = [""] * len(texts)
    for number, theme in enumerate(themes):
        for index in theme.indexes:
            found[index] = str(number)
        if show:
            print(f"\n## {theme.label} ({len(theme.indexes)})", file=sys.stderr)
            for index in theme.indexes:
                print(f"   {gold[index]:14} {texts[index]}", file=sys.stderr)
    other = next((len(t.indexes) for t in themes if t.is_other), 0)
    return {
        "lines": len(texts),
        "adjusted_rand_index": round(adjusted_rand_index(gold, found), 3),
        "gold_themes": len(set(gold)),
        "themes_found": sum(1 for t in themes if not t.is_other),
        "lines_in_other": other,
        "largest_theme": max((len(t.indexes) for t in themes if not t.is_other), default=0),
        "labels": [t.label for t in themes if not t.is_other],
        "seconds": round(seconds, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true", help="print the themes to stderr")
    parser.add_argument("--only", choices=sorted(SETS), help="evaluate one set")
    args = parser.parse_args()
    report = {
        name: evaluate(path, args.show) for name, path in SETS.items() if args.only in (None, name)
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
