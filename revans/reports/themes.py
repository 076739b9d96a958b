"""Group short texts (issue titles, learning notes) into themes, offline and deterministically.

The facilitator's report suggests themes; the facilitator renames, merges, splits and deletes
them. Short texts share few words, so each line becomes a vector of two parts:
  - concepts from the domain lexicon (`lexicon.py`): "redundancies" and "reorganisation" both
    count as the restructure concept, which is what makes two differently worded lines similar;
  - word stems weighted by TF-IDF over the input, so themes the lexicon does not know can still
    form from shared words.
Lines are clustered by average linkage on cosine distance with a distance threshold (the number
of themes is not fixed); groups smaller than MIN_THEME_SIZE go to the "other" theme, as do
empty lines and lines with nothing to compare (no known concept, no word shared with another
line). A theme is labelled with its dominant concept's label (our words) when one concept covers
enough of it, otherwise with its one or two most characteristic words.

Quality on labelled lines: bench/themes_quality.py (figures in bench/README.md): good where the
lexicon knows the wording, much weaker on unfamiliar words, so these are suggestions for the
facilitator to edit. label_from_lexicon tells the report whether a label is our phrase or a
member's word.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from revans.reports.lexicon import CONCEPTS, IGNORED

OTHER_LABEL = "other"

# Tuned on bench/themes_labelled.tsv only (bench/themes_heldout.tsv checks them).
CONCEPT_WEIGHT = 1.0
WORD_WEIGHT = 0.45
MAX_DISTANCE = 0.8
MIN_THEME_SIZE = 2
# A line left in a too-small group joins the most similar theme if at least this close to it.
ATTACH_SIMILARITY = 0.25
# The share of a theme's lines that must carry a concept for its label to be that concept's.
LABEL_SHARE = 0.4


@dataclass(frozen=True)
class Theme:
    label: str
    indexes: tuple[int, ...]
    # True when the label is the lexicon's own phrase, so it carries no member's words.
    label_from_lexicon: bool = False

    @property
    def is_other(self) -> bool:
        return self.label == OTHER_LABEL


STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can cannot could did do does doing done down during
    each even ever every few for from further get gets getting got had has have having he her
    here hers herself him himself his how i if in into is it its itself just keep keeps let lets
    like make makes making many me more most much must my myself no nor not now of off on once
    one only or other our ours ourselves out over own really same say she should so some still
    such than that the their theirs them themselves then there these they this those through to
    too under until up us very was we were what when where whether which while who whom why will
    with without would you your yours yourself
    learnt learned learning realised realized realise noticed notice found find think thinking
    feel feeling felt want wants need needs needed try trying tried way ways thing things lot
    new use using used know knowing seem seems seeming sure since last next back well already
    team teams staff people person colleague colleagues member members manager managers
    managing manage work working job role organisation organization time times year years
    month months week weeks day days someone everyone nobody anyone something everything
    ask asks asked asking first second third one two three four five six seven eight nine ten
    dont cant wont isnt didnt doesnt im ive""".split()
)

_APOSTROPHE_S = re.compile(r"['\u2019]s\b")
_APOSTROPHE = re.compile(r"['\u2019]")
_WORD = re.compile(r"[a-z0-9]+")
_SUFFIXES: tuple[str, ...] = ("ations", "ation", "ments", "ment", "ness", "ings", "ing", "ies")
_SUFFIXES += ("ied", "ers", "er", "ed", "es", "ly", "s")


def _tokens(text: str) -> list[str]:
    text = _APOSTROPHE.sub("", _APOSTROPHE_S.sub("", text.lower()))
    return _WORD.findall(text)


def _stem(word: str) -> str:
    """A light suffix stripper: enough to make 'changes', 'changing', 'changed' one feature."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                base += "y"
            elif suffix in ("ing", "ed") and len(base) > 3 and base[-1] == base[-2]:
                base = base[:-1]  # stopped -> stop
            word = base
            break
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


# --- the lexicon, compiled once -----------------------------------------------------------


def _compile_pattern(term: str) -> tuple[tuple[str, bool], ...]:
    parts = []
    # Hyphens split words in text too, so "buy-in" and "buy in" are the same two words.
    for word in term.lower().replace("-", " ").split():
        prefix = word.endswith("*")
        parts.append((word.rstrip("*"), prefix))
    return tuple(parts)


def _word_matches(token: str, word: str, prefix: bool) -> bool:
    if prefix:
        return token.startswith(word)
    return token == word or token in (word + "s", word + "es")


def _build_index() -> dict[str, list[tuple[tuple[tuple[str, bool], ...], str | None]]]:
    # Keyed by the first word's first three letters: each token then tries only a few terms.
    index: dict[str, list] = {}
    entries: list[tuple[str, str | None]] = [
        (term, concept.key) for concept in CONCEPTS for term in concept.terms
    ]
    entries += [(term, None) for term in IGNORED]
    for term, key in entries:
        pattern = _compile_pattern(term)
        index.setdefault(pattern[0][0][:3], []).append((pattern, key))
    for candidates in index.values():
        # Longest phrase first, so the first match at a position is the one to take.
        candidates.sort(key=lambda entry: -len(entry[0]))
    return index


_INDEX = _build_index()
_CONCEPT_BY_KEY = {concept.key: concept for concept in CONCEPTS}
_CONCEPT_KEYS = [concept.key for concept in CONCEPTS]


def concepts_in(tokens: Sequence[str]) -> set[str]:
    """The lexicon concepts a line mentions (longest phrase wins at each position)."""
    found: set[str] = set()
    position = 0
    while position < len(tokens):
        best_length, best_keys = 0, set[str]()
        for pattern, key in _INDEX.get(tokens[position][:3], ()):
            length = len(pattern)
            if length < best_length or position + length > len(tokens):
                continue
            if all(
                _word_matches(tokens[position + i], word, prefix)
                for i, (word, prefix) in enumerate(pattern)
            ):
                if length > best_length:
                    best_length, best_keys = length, set()
                if key is not None:
                    best_keys.add(key)
        found |= best_keys
        position += max(best_length, 1)
    return found


# --- vectors ------------------------------------------------------------------------------


@dataclass
class _Line:
    concepts: set[str]
    stems: list[str]
    surfaces: dict[str, str]  # stem -> the word as written in this line (for labels)


def _analyse(text: str) -> _Line:
    tokens = _tokens(text)
    surfaces: dict[str, str] = {}
    stems = []
    for token in tokens:
        if token in STOP_WORDS or len(token) < 3 or token.isdigit():
            continue
        stem = _stem(token)
        stems.append(stem)
        surfaces.setdefault(stem, token)
    return _Line(concepts=concepts_in(tokens), stems=stems, surfaces=surfaces)


def _vectors(lines: list[_Line]) -> tuple[np.ndarray, dict[str, float]]:
    """Unit vectors: concepts and TF-IDF word stems (only stems that occur in 2+ lines)."""
    frequency = Counter(stem for line in lines for stem in set(line.stems))
    vocabulary = sorted(stem for stem, count in frequency.items() if count >= 2)
    column = {stem: i for i, stem in enumerate(vocabulary)}
    idf = {stem: math.log((1 + len(lines)) / (1 + frequency[stem])) + 1 for stem in vocabulary}
    words = np.zeros((len(lines), len(vocabulary)))
    concepts = np.zeros((len(lines), len(_CONCEPT_KEYS)))
    for row, line in enumerate(lines):
        for stem, count in Counter(line.stems).items():
            if stem in column:
                words[row, column[stem]] = count * idf[stem]
        for i, key in enumerate(_CONCEPT_KEYS):
            concepts[row, i] = key in line.concepts
    combined = np.hstack([WORD_WEIGHT * _unit_rows(words), CONCEPT_WEIGHT * _unit_rows(concepts)])
    return _unit_rows(combined), idf


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


# --- clustering ---------------------------------------------------------------------------


def _average_linkage(vectors: np.ndarray, max_distance: float) -> list[int]:
    """Cluster ids per row: average-linkage agglomerative clustering cut at max_distance.

    The nearest-neighbour chain algorithm: O(n^2) time and memory, exact for average linkage
    (its dendrogram is monotone, so the merges at or below the cut are exactly the clusters).
    """
    count = len(vectors)
    distance = 1.0 - vectors @ vectors.T
    np.fill_diagonal(distance, np.inf)
    size = np.ones(count)
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    chain: list[int] = []
    remaining = count
    while remaining > 1:
        if not chain:
            chain.append(int(np.argmin(np.isinf(size))))  # the first active row
        a = chain[-1]
        b = int(np.argmin(distance[a]))
        if len(chain) > 1 and distance[a, chain[-2]] <= distance[a, b]:
            b = chain[-2]  # ties go back down the chain, or it could cycle
        if len(chain) > 1 and b == chain[-2]:
            chain.pop()
            chain.pop()
            if distance[a, b] <= max_distance:
                parent[root(b)] = root(a)
            merged = (size[a] * distance[a] + size[b] * distance[b]) / (size[a] + size[b])
            distance[a], distance[:, a] = merged, merged
            distance[a, a] = np.inf
            distance[b], distance[:, b] = np.inf, np.inf
            size[a] += size[b]
            size[b] = np.inf  # marks b inactive
            remaining -= 1
        else:
            chain.append(b)
    return [root(i) for i in range(count)]


# --- the public function ------------------------------------------------------------------


def group_into_themes(texts: Sequence[str]) -> list[Theme]:
    """Every index of texts in exactly one theme; "other" (if any) last. Same input, same output."""
    lines = [_analyse(text) for text in texts]
    usable = [i for i, line in enumerate(lines) if line.stems or line.concepts]
    other: list[int] = sorted(set(range(len(texts))) - set(usable))
    if len(usable) < MIN_THEME_SIZE:
        return _finish([], other + usable)

    vectors, idf = _vectors([lines[i] for i in usable])
    comparable = np.linalg.norm(vectors, axis=1) > 0
    other += [usable[row] for row in np.flatnonzero(~comparable)]
    rows = np.flatnonzero(comparable)
    if len(rows) < MIN_THEME_SIZE:
        return _finish([], other + [usable[row] for row in rows])

    cluster_of = _average_linkage(vectors[rows], MAX_DISTANCE)
    members: dict[int, list[int]] = {}
    for position, cluster in enumerate(cluster_of):
        members.setdefault(cluster, []).append(int(rows[position]))
    groups = [group for group in members.values() if len(group) >= MIN_THEME_SIZE]
    leftovers = [row for group in members.values() if len(group) < MIN_THEME_SIZE for row in group]
    other += [usable[row] for row in _attach(vectors, groups, leftovers)]

    labelled: dict[str, tuple[bool, list[int]]] = {}
    for group in groups:
        indexes = [usable[row] for row in group]
        label, from_lexicon = _label([lines[i] for i in indexes], [texts[i] for i in indexes], idf)
        if label is None:
            other += indexes
        else:
            # Two groups with one label read as one theme to the facilitator, so they are one.
            labelled.setdefault(label, (from_lexicon, []))[1].extend(indexes)
    themes = [
        Theme(label, tuple(sorted(indexes)), lexical)
        for label, (lexical, indexes) in labelled.items()
    ]
    return _finish(themes, other)


def _finish(themes: list[Theme], other: list[int]) -> list[Theme]:
    themes = sorted(themes, key=lambda theme: (-len(theme.indexes), theme.indexes[0]))
    if other:
        themes.append(Theme(OTHER_LABEL, tuple(sorted(other)), label_from_lexicon=True))
    return themes


def _attach(vectors: np.ndarray, groups: list[list[int]], leftovers: list[int]) -> list[int]:
    """Put each leftover row into the closest group if close enough; returns the rows left."""
    if not groups:
        return leftovers
    centroids = _unit_rows(np.array([vectors[group].mean(axis=0) for group in groups]))
    unplaced = []
    for row in leftovers:
        similarities = centroids @ vectors[row]
        best = int(np.argmax(similarities))
        if similarities[best] >= ATTACH_SIMILARITY:
            groups[best].append(row)
        else:
            unplaced.append(row)
    return unplaced


_NAME_LIKE = re.compile(r"(?<=[a-z,;:] )[A-Z][a-zA-Z'\u2019-]*")


def _label(lines: list[_Line], texts: list[str], idf: dict[str, float]) -> tuple[str | None, bool]:
    """The dominant concept's label, else the one or two most characteristic words, else None."""
    concept_counts = Counter(key for line in lines for key in line.concepts)
    if concept_counts:
        key = max(concept_counts, key=lambda k: (concept_counts[k], -_CONCEPT_KEYS.index(k)))
        if concept_counts[key] >= max(2, LABEL_SHARE * len(lines)):
            return _CONCEPT_BY_KEY[key].label, True
    # Capitalised words inside a sentence are probably names: never a label.
    names = {word.lower() for text in texts for word in _NAME_LIKE.findall(text)}
    stem_counts = Counter(stem for line in lines for stem in set(line.stems) if stem in idf)
    ranked = sorted(
        (stem for stem, count in stem_counts.items() if count >= max(2, 0.3 * len(lines))),
        key=lambda stem: (-stem_counts[stem] * idf[stem], stem),
    )
    words = []
    for stem in ranked:
        surfaces = Counter(line.surfaces[stem] for line in lines if stem in line.surfaces)
        surface = min(surfaces, key=lambda word: (-surfaces[word], word))
        if surface not in names and surface not in words:
            words.append(surface)
        if len(words) == 2:
            break
    return (" and ".join(words), False) if words else (None, False)
