import numpy as np
import pytest

from revans.reports.themes import _average_linkage, _unit_rows


def brute_force_average_linkage(vectors, max_distance):
    """The textbook O(n^3) version: repeatedly merge the closest pair of clusters."""
    distance = 1.0 - vectors @ vectors.T
    clusters = [[i] for i in range(len(vectors))]
    while len(clusters) > 1:
        best = None
        for a in range(len(clusters)):
            for b in range(a + 1, len(clusters)):
                d = distance[np.ix_(clusters[a], clusters[b])].mean()
                if best is None or d < best[0]:
                    best = (d, a, b)
        if best[0] > max_distance:
            break
        _, a, b = best
        clusters[a] += clusters.pop(b)
    return sorted(sorted(cluster) for cluster in clusters)


def as_partition(cluster_ids):
    groups = {}
    for index, cluster in enumerate(cluster_ids):
        groups.setdefault(cluster, []).append(index)
    return sorted(groups.values())


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("max_distance", [0.3, 0.6, 0.9])
def test_nearest_neighbour_chain_matches_the_textbook_algorithm(seed, max_distance):
    rng = np.random.default_rng(seed)
    # Sparse non-negative vectors, like the engine's, in a few loose groups.
    centres = rng.random((4, 12)) * (rng.random((4, 12)) < 0.3)
    vectors = centres[rng.integers(0, 4, 30)] + 0.4 * rng.random((30, 12)) * (
        rng.random((30, 12)) < 0.2
    )
    vectors = _unit_rows(vectors)
    assert as_partition(_average_linkage(vectors, max_distance)) == brute_force_average_linkage(
        vectors, max_distance
    )
