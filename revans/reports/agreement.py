"""How well a grouping agrees with a gold one: the adjusted Rand index (Hubert and Arabie, 1985).

Our own few lines rather than scikit-learn, which would be a large dependency for one formula.
1.0 is identical groupings, about 0.0 is what random groupings of the same sizes score.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def adjusted_rand_index(gold: Sequence[Hashable], found: Sequence[Hashable]) -> float:
    if len(gold) != len(found):
        raise ValueError("both groupings must label the same items")
    together = sum(_pairs(n) for n in Counter(zip(gold, found, strict=True)).values())
    gold_pairs = sum(_pairs(n) for n in Counter(gold).values())
    found_pairs = sum(_pairs(n) for n in Counter(found).values())
    total = _pairs(len(gold))
    if total == 0:
        return 1.0
    expected = gold_pairs * found_pairs / total
    maximum = (gold_pairs + found_pairs) / 2
    if maximum == expected:  # both put everything together, or both keep everything apart
        return 1.0
    return (together - expected) / (maximum - expected)
