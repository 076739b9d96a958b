"""Themes across a programme's sets, under the same anonymity rule as each set's report.

Only what sponsors already read goes in: the theme labels of each set's latest RELEASED
report (never drafts, evidence, narratives or anyone's words). Labels that say the same thing
in different sets are grouped with the report's own engine (reports.themes). A group reaches
the programme report only if at least `threshold` distinct members support it in total.

Counting distinct members without identifying anyone: a released theme records how many
members supported it ("support"; where it records opaque member ids, "supporters", those are
united exactly). Support from different sets can overlap only through people who belong to
more than one of those sets, so the programme counts the lower bound
    sum over sets of the set's support - sum over such people of (their sets in the group - 1)
which never overstates the real number, so a theme is never shown on too little support.
A released theme without a count is taken to have the least support its report allowed.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.cache import cache

from revans.reports.themes import group_into_themes

LOWEST_THRESHOLD = 2
# The engine's grouping of a given list of wordings is cached: it is deterministic (same input,
# same output) and released labels never change, while grouping a couple of thousand distinct
# labels takes over a second. An hour bounds how long a changed engine's old answer survives.
GROUPING_CACHE_SECONDS = 3600


@dataclass(frozen=True)
class ReleasedTheme:
    set_id: int
    label: str
    support: int
    supporters: frozenset[int] | None = None


@dataclass(frozen=True)
class ProgrammeTheme:
    label: str
    set_count: int
    # The lower bound of distinct supporting members (see the module's docstring).
    members: int


def released_themes(set_id: int, snapshot: dict) -> list[ReleasedTheme]:
    """The themes a released snapshot shows the sponsor, with their support."""
    least = max(int(snapshot.get("min_support") or LOWEST_THRESHOLD), LOWEST_THRESHOLD)
    themes = []
    for theme in snapshot.get("themes") or []:
        label = (theme.get("label") or "").strip()
        if not label:
            continue
        ids = theme.get("supporters")
        supporters = frozenset(int(i) for i in ids) if isinstance(ids, list) else None
        support = len(supporters) if supporters is not None else int(theme.get("support") or 0)
        themes.append(ReleasedTheme(set_id, label, max(support, least), supporters))
    return themes


def programme_themes(
    themes: list[ReleasedTheme], shared_people: dict[int, set[int]], threshold: int
) -> tuple[list[ProgrammeTheme], int]:
    """(themes shown, how many were held back), strongest first.

    `shared_people`: for each person in more than one of the programme's sets, those sets.
    """
    threshold = max(threshold, LOWEST_THRESHOLD)
    if not themes:
        return [], 0
    # The engine sees each distinct wording once: identical labels are one line.
    wordings: dict[str, list[ReleasedTheme]] = defaultdict(list)
    for theme in themes:
        wordings[theme.label.casefold()].append(theme)
    keys = sorted(wordings)
    groups: list[tuple[str | None, list[ReleasedTheme]]] = []
    for engine_label, indexes, is_other in _grouping([wordings[k][0].label for k in keys]):
        same_wording = [wordings[keys[i]] for i in indexes]
        if is_other:
            # Wordings the engine could not group stay themes of their own.
            groups.extend((None, group) for group in same_wording)
        else:
            groups.append((engine_label, [t for group in same_wording for t in group]))
    shown, held_back = [], 0
    for label, group in groups:
        members = _distinct_members(group, shared_people)
        if members < threshold:
            held_back += 1
            continue
        shown.append(
            ProgrammeTheme(
                label=label or _most_used_label(group),
                set_count=len({t.set_id for t in group}),
                members=members,
            )
        )
    shown.sort(key=lambda t: (-t.members, -t.set_count, t.label.casefold()))
    return shown, held_back


def _grouping(texts: list[str]) -> list[tuple[str | None, tuple[int, ...], bool]]:
    """(label if it is the lexicon's own phrase else None, indexes, is "other") per theme."""
    key = "programme-themes:" + hashlib.sha256(json.dumps(texts).encode()).hexdigest()
    grouping = cache.get(key)
    if grouping is None:
        grouping = [
            (t.label if t.label_from_lexicon else None, tuple(t.indexes), t.is_other)
            for t in group_into_themes(texts)
        ]
        cache.set(key, grouping, GROUPING_CACHE_SECONDS)
    return grouping


def _most_used_label(group: list[ReleasedTheme]) -> str:
    # A label a facilitator released, as they wrote it: the most used, then the shortest.
    counts = Counter(t.label for t in group)
    return min(counts, key=lambda label: (-counts[label], len(label), label))


def _distinct_members(group: list[ReleasedTheme], shared_people: dict[int, set[int]]) -> int:
    known = [t.supporters for t in group if t.supporters is not None]
    if len(known) == len(group):
        return len(frozenset().union(*known))
    # Within one set two themes may share every supporter: count the set's largest.
    per_set: dict[int, int] = {}
    for theme in group:
        per_set[theme.set_id] = max(per_set.get(theme.set_id, 0), theme.support)
    overlap = sum(max(len(sets & per_set.keys()) - 1, 0) for sets in shared_people.values())
    return max(sum(per_set.values()) - overlap, max(per_set.values()))
