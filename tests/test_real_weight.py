"""Training weighs real news against written stories by what predicts real news best, out of fold."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sklearn")

from training.train_detector import REAL_WEIGHTS, choose_real_weight, log_loss  # noqa: E402


def _rows(n: int, rule: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n rows of two features; the label follows feature `rule` (with a little noise)."""
    x = rng.normal(size=(n, 2))
    y = ((x[:, rule] + 0.3 * rng.normal(size=n)) > 0).astype(np.int8)
    return x, y


def _data(real_rule: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Many written rows whose label follows feature 0, and fewer real rows following `real_rule`."""
    rng = np.random.default_rng(7)
    xw, yw = _rows(600, 0, rng)
    xr, yr = _rows(150, real_rule, rng)
    x, y = np.vstack([xw, xr]), np.concatenate([yw, yr])
    real = np.r_[np.zeros(600, bool), np.ones(150, bool)]
    groups = np.arange(len(y)) // 5  # stories of five rows
    return x, y, groups, real


@pytest.mark.parametrize(("kind", "grid"), [("linear", REAL_WEIGHTS), ("trees", (1.0, 8.0))])
def test_real_news_that_follows_another_rule_gets_more_weight(kind: str, grid: tuple[float, ...]) -> None:
    x, y, groups, real = _data(real_rule=1)
    w, c, p, losses = choose_real_weight(kind, x, y, groups, real, grid)
    assert w > 1.0
    assert set(losses) == {str(g) for g in grid}
    assert losses[str(w)] == min(losses.values())
    assert losses[str(w)] < losses["1.0"]
    assert p.shape == y.shape and ((p >= 0) & (p <= 1)).all()
    assert (c > 0) == (kind == "linear")  # only the linear model has a C


def test_the_loss_reported_is_the_out_of_fold_loss_on_real_rows_only() -> None:
    x, y, groups, real = _data(real_rule=0)
    w, _, p, losses = choose_real_weight("linear", x, y, groups, real, (1.0,))
    assert w == 1.0
    assert losses == {"1.0": round(log_loss(y[real], p[real]), 4)}


def test_a_weighted_log_loss_counts_heavy_rows_more() -> None:
    y = np.array([1, 0])
    p = np.array([0.9, 0.9])  # right on the first row, wrong on the second
    assert log_loss(y, p, np.array([1.0, 1.0])) == pytest.approx(log_loss(y, p))
    assert log_loss(y, p, np.array([1.0, 9.0])) > log_loss(y, p)
