"""Training the pair model so a retrain does not move it: bagged trees and the link ratio's choice."""

from __future__ import annotations

import argparse

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402

from bot.detect.trees import load_trees  # noqa: E402
from training.train_detector import (  # noqa: E402
    LINK_RATIO_GIVEN,
    LINK_RATIOS,
    LinkOutcome,
    _link_ratio_arg,
    best_link_ratio,
    choose_link_ratio,
    fit_trees,
    link_table,
    oof_trees,
    pick_link_ratio,
    story_bootstrap,
)
from training.trees import average_trees, export_trees  # noqa: E402


def _toy(n: int = 400, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4))
    y = (x[:, 0] + 0.5 * x[:, 1] * x[:, 2] + rng.normal(scale=0.7, size=n) > 0).astype(int)
    groups = np.arange(n) // 4  # stories of four pairs
    return x, y, groups


def test_averaged_trees_score_the_mean_of_their_parts() -> None:
    x, y, _ = _toy()
    models = [
        HistGradientBoostingClassifier(max_iter=20 + 10 * k, max_leaf_nodes=4 + k, random_state=k).fit(
            x[k::2] if k < 2 else x, y[k::2] if k < 2 else y
        )
        for k in range(3)
    ]
    merged = load_trees(average_trees([export_trees(m, "pair/") for m in models], "pair/"), "pair/")
    want = np.mean([m.decision_function(x) for m in models], axis=0)
    np.testing.assert_allclose(merged.raw(x)[:, 0], want, rtol=1e-5, atol=1e-5)


def test_one_part_averaged_is_that_part() -> None:
    x, y, _ = _toy()
    arrays = export_trees(HistGradientBoostingClassifier(max_iter=15).fit(x, y), "pair/")
    merged = average_trees([arrays], "pair/")
    assert merged.keys() == arrays.keys()
    for key, value in arrays.items():
        np.testing.assert_array_equal(merged[key], value)


def test_nothing_to_average_is_an_error() -> None:
    with pytest.raises(ValueError, match="no ensembles"):
        average_trees([], "pair/")


def test_a_story_bootstrap_draws_whole_stories() -> None:
    groups = np.array(["a", "a", "b", "c", "c", "c", "d"])
    w = story_bootstrap(groups, seed=1)
    for story in set(groups):
        assert len(set(w[groups == story])) == 1, "a story's rows are drawn together"
    np.testing.assert_array_equal(w, story_bootstrap(groups, seed=1))
    # a story weighs the same whichever other stories are there: a retrain on a little more or
    # a little less data draws the same sample of the stories both have
    np.testing.assert_array_equal(w[groups != "b"], story_bootstrap(groups[groups != "b"], seed=1))
    draws = np.concatenate([story_bootstrap(np.arange(500), seed=s) for s in range(4)])
    assert abs(draws.mean() - 1) < 0.1 and (draws == 0).mean() == pytest.approx(np.exp(-1), abs=0.05)
    assert any(not np.array_equal(story_bootstrap(groups, seed=s), w) for s in range(2, 6)), (
        "another seed draws another sample"
    )


def test_bagged_trees_export_what_they_predict_out_of_fold_in_kind() -> None:
    x, y, groups = _toy()
    one = fit_trees(x, y, groups)
    bagged = fit_trees(x, y, groups, bags=4)
    assert len(bagged.ensemble.roots) == 4 * len(one.ensemble.roots)
    p = bagged.proba(x)[:, 0]
    assert ((p > 0) & (p < 1)).all()
    assert np.corrcoef(p, one.proba(x)[:, 0])[0, 1] > 0.8, "the mean of bootstraps tells the same thing"
    oof = oof_trees(x, y, groups, bags=3)
    assert oof.shape == y.shape and ((oof > 0) & (oof < 1)).all()
    assert np.mean((oof > 0.5) == y) > 0.7


def test_bagging_moves_less_when_a_few_stories_are_left_out() -> None:
    # The property bagging is for: two fits on data differing by a few stories disagree less.
    x, y, groups = _toy(600, seed=3)
    drop = np.isin(groups, [3, 17, 40, 77, 101])
    keep = ~drop

    def spread(bags: int) -> float:
        a = fit_trees(x, y, groups, bags=bags).proba(x)[:, 0]
        b = fit_trees(x[keep], y[keep], groups[keep], bags=bags).proba(x)[:, 0]
        return float(np.abs(np.log(a / (1 - a)) - np.log(b / (1 - b))).mean())

    assert spread(8) < spread(1)


def test_an_outcome_is_linked_from_its_share_of_the_best_reading() -> None:
    o = LinkOutcome("s", 0.3, 0.6, True)
    assert o.linked(0.5) and not o.linked(0.6)
    assert not LinkOutcome("s", 0.0, 0.0, True).linked(0.1), "a link the gates ruled out is never taken"


def test_the_table_counts_follow_ups_and_the_story_table_counts_stories() -> None:
    outcomes = [LinkOutcome("big", 0.2, 1.0, True)] * 6 + [LinkOutcome("one", 0.2, 1.0, False)]
    table = link_table(outcomes)
    assert table[0.2] == {"right": 6, "wrong": 1}
    assert table[0.3] == {"right": 0, "wrong": 0}
    by_story = link_table(outcomes, per_story=True)
    assert by_story[0.2] == {"right": pytest.approx(1.0), "wrong": pytest.approx(1.0)}


def test_a_wrong_link_costs_two_right_ones() -> None:
    table = {r: {"right": 0, "wrong": 0} for r in LINK_RATIOS}
    table[0.1] = {"right": 5, "wrong": 2}  # 5 - 4 = 1
    table[0.5] = {"right": 3, "wrong": 0}  # 3
    assert best_link_ratio(table) == 0.5


def test_one_story_told_many_times_does_not_choose_the_ratio_alone() -> None:
    # One story's thirty follow-ups are linked right only at the lowest ratio; across twenty
    # other stories, links that low are mostly wrong. Counting follow-ups, the one story wins;
    # counting stories, the others do.
    outcomes = [LinkOutcome("big", 0.15, 1.0, True)] * 30
    for k in range(20):
        outcomes.append(LinkOutcome(f"s{k}", 0.15, 1.0, k < 6))
        outcomes.append(LinkOutcome(f"t{k}", 0.6, 1.0, True))  # a clear link, right at any ratio up to 0.6
    assert best_link_ratio(link_table(outcomes)) == 0.1
    assert choose_link_ratio(outcomes) == 0.2
    assert choose_link_ratio(outcomes) == choose_link_ratio(list(reversed(outcomes))), "order does not matter"


def test_no_real_links_leaves_a_middle_ratio() -> None:
    assert choose_link_ratio([]) in LINK_RATIOS


def test_a_given_link_ratio_is_kept_whatever_the_table_would_choose() -> None:
    # the table alone would link at the lowest ratio (every low link is right here)
    outcomes = [LinkOutcome(f"s{k}", 0.15, 1.0, True) for k in range(10)]
    assert pick_link_ratio(outcomes, None, False) == (0.1, "best on the table")
    assert pick_link_ratio(outcomes, 0.5, False) == (0.5, "given (--link-ratio 0.5)")
    ratio, how = pick_link_ratio(outcomes, 0.5, True)
    assert how == "median over story bootstraps" and ratio == choose_link_ratio(outcomes)


def test_the_link_ratio_option_reads_a_share_or_table() -> None:
    assert _link_ratio_arg("0.4") == 0.4
    assert _link_ratio_arg("table") is None
    assert 0.0 < LINK_RATIO_GIVEN <= 1.0
    for bad in ("0", "1.5", "-0.2", "half"):
        with pytest.raises(argparse.ArgumentTypeError):
            _link_ratio_arg(bad)
