import pytest

from revans.reports.agreement import adjusted_rand_index


@pytest.mark.parametrize(
    ("gold", "found", "expected"),
    [
        # Values from scikit-learn's adjusted_rand_score documentation.
        ([0, 0, 1, 1], [0, 0, 1, 1], 1.0),
        ([0, 0, 1, 1], [1, 1, 0, 0], 1.0),
        ([0, 0, 1, 2], [0, 0, 1, 1], 0.5714285714285714),
        ([0, 0, 1, 1], [0, 0, 1, 2], 0.5714285714285714),
        ([0, 0, 0, 0], [0, 1, 2, 3], 0.0),
        ([0, 0, 1, 1], [0, 1, 0, 1], -0.5),
        (["a", "a", "b"], ["x", "x", "y"], 1.0),
    ],
)
def test_known_values(gold, found, expected):
    assert adjusted_rand_index(gold, found) == pytest.approx(expected)


def test_groupings_of_different_lengths_are_refused():
    with pytest.raises(ValueError):
        adjusted_rand_index([0, 1], [0])
