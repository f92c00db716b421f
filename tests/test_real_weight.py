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


def test_source_balance_gives_real_positives_the_written_odds() -> None:
    from training.train_detector import source_balance

    y = np.array([1] * 50 + [0] * 50 + [1] * 2 + [0] * 98, dtype=np.int8)
    real = np.r_[np.zeros(100, bool), np.ones(100, bool)]
    w = source_balance(y, real)
    assert w[:100].tolist() == [1.0] * 100 and w[102:].tolist() == [1.0] * 98
    assert w[100] == pytest.approx(49.0)  # 2 positives against 98 weigh as 98 against 98
    share = lambda m: float((w * y)[m].sum() / w[m].sum())  # noqa: E731
    assert share(real) == pytest.approx(share(~real))


def test_a_style_that_only_real_headlines_have_stops_meaning_no_once_balanced() -> None:
    """Feature 0 says dispute in both sources; feature 1 is 'written like a real headline'.
    Real headlines are rarely disputes, so unbalanced the model learns feature 1 as a sign of
    'no'; balanced, it leans on feature 0."""
    from training.train_detector import fit_linear, source_balance

    rng = np.random.default_rng(3)
    n_w, n_r = 400, 2000
    y = np.r_[rng.random(n_w) < 0.5, rng.random(n_r) < 0.02].astype(np.int8)
    real = np.r_[np.zeros(n_w, bool), np.ones(n_r, bool)]
    x = np.c_[y + 0.8 * rng.normal(size=len(y)), real + 0.1 * rng.normal(size=len(y))]
    plain = fit_linear(x, y, 1.0)
    balanced = fit_linear(x, y, 1.0, source_balance(y, real))
    assert plain.coef[0, 1] < -1.0  # style read as "no"
    assert abs(balanced.coef[0, 1]) < abs(plain.coef[0, 1]) / 3


def test_platt_maps_scores_to_the_rates_seen_and_keeps_their_order() -> None:
    from training.train_detector import platt

    rng = np.random.default_rng(11)
    raw = rng.uniform(0.01, 0.99, 20000)
    # the model over-states: what it calls 0.8 happens about 0.3 of the time
    truth = 1 / (1 + np.exp(-(np.log(raw / (1 - raw)) - 2.2)))
    y = (rng.random(len(raw)) < truth).astype(np.int8)
    cal = platt(raw, y)
    got = cal(np.array([0.5, 0.8, 0.95]))
    want = 1 / (1 + np.exp(-(np.log(np.array([0.5, 0.8, 0.95]) / np.array([0.5, 0.2, 0.05])) - 2.2)))
    assert got == pytest.approx(want, abs=0.03)
    grid = cal(np.linspace(0, 1, 101))
    assert np.all(np.diff(grid) >= 0) and 0.0 <= grid[0] and grid[-1] <= 1.0
