"""The in-memory vector index: nearest earlier items within a time range, kept to the window."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.detect.vector_index import VectorIndex


def _unit(*xs: float) -> np.ndarray:
    v = np.asarray(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def _index() -> VectorIndex:
    idx = VectorIndex(3, capacity=2)  # small capacity: the index must grow
    idx.add(
        [1, 2, 3, 4],
        [100.0, 200.0, 300.0, 400.0],
        np.vstack([_unit(1, 0, 0), _unit(0, 1, 0), _unit(1, 1, 0), _unit(0, 0, 1)]),
    )
    return idx


def test_nearest_first_within_the_time_range() -> None:
    idx = _index()
    found = idx.search(_unit(1, 0.1, 0)[None, :], [0.0], [1000.0], k=2)[0]
    assert [n.item_id for n in found] == [1, 3]
    assert found[0].score > found[1].score
    # item 1 is outside [150, 1000]: the next nearest come instead
    later = idx.search(_unit(1, 0.1, 0)[None, :], [150.0], [1000.0], k=2)[0]
    assert [n.item_id for n in later] == [3, 2]


def test_each_query_has_its_own_range_and_excluded_items() -> None:
    idx = _index()
    q = np.vstack([_unit(0, 0, 1), _unit(0, 0, 1)])
    found = idx.search(q, [0.0, 0.0], [350.0, 1000.0], k=1, exclude=[4])
    assert found[0][0].item_id != 4 and found[1][0].item_id != 4
    assert idx.search(q[:1], [500.0], [600.0], k=3) == [[]]


def test_adding_an_item_again_replaces_its_vector_and_time() -> None:
    idx = _index()
    idx.add([1], [350.0], _unit(0, 0, 1)[None, :])
    assert len(idx) == 4
    found = idx.search(_unit(0, 0, 1)[None, :], [340.0], [360.0], k=3)[0]
    assert [n.item_id for n in found] == [1]
    assert idx.vector(1) is not None and float(idx.vector(1)[2]) > 0.99  # type: ignore[index]


def test_prune_keeps_the_window_only() -> None:
    idx = _index()
    assert idx.prune(250.0) == 2
    assert len(idx) == 2 and 1 not in idx and 3 in idx
    found = idx.search(_unit(1, 0, 0)[None, :], [0.0], [1000.0], k=5)[0]
    assert {n.item_id for n in found} == {3, 4}


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-1, 1), st.floats(-1, 1), st.floats(0, 1000)), min_size=1, max_size=30),
    st.floats(0, 1000),
    st.floats(0, 1000),
)
def test_results_are_sorted_in_range_and_agree_with_a_full_scan(
    rows: list[tuple[float, float, float]], lo: float, hi: float
) -> None:
    idx = VectorIndex(3)
    vecs = np.asarray([[a, b, 0.5] for a, b, _ in rows], dtype=np.float32)
    times = [t for _, _, t in rows]
    idx.add(list(range(len(rows))), times, vecs)
    q = np.asarray([[0.3, -0.2, 0.9]], dtype=np.float32)
    found = idx.search(q, [lo], [hi], k=5)[0]
    scores = [n.score for n in found]
    assert scores == sorted(scores, reverse=True)
    assert all(lo <= times[n.item_id] <= hi for n in found)
    inside = sorted((float(vecs[i] @ q[0]) for i in range(len(rows)) if lo <= times[i] <= hi), reverse=True)
    np.testing.assert_allclose(scores, inside[: len(scores)], rtol=1e-5, atol=1e-6)
    assert len(found) == min(5, len(inside))
