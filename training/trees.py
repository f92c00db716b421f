"""Gradient-boosted trees from scikit-learn, flattened into the arrays the bot evaluates with numpy
(`bot.detect.trees.TreeEnsemble`), so no ML library is loaded at run time."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier


def export_trees(clf: HistGradientBoostingClassifier, prefix: str) -> dict[str, np.ndarray]:
    """Flatten sklearn's fitted trees into the arrays `TreeEnsemble` evaluates."""
    feats, thr, left, right, value, leaf, miss, roots, tcls = [], [], [], [], [], [], [], [], []
    offset = 0
    depth = 0
    for iteration in clf._predictors:
        for c, pred in enumerate(iteration):
            nodes = pred.nodes
            roots.append(offset)
            tcls.append(c)
            feats.append(np.where(nodes["is_leaf"], -1, nodes["feature_idx"]).astype(np.int32))
            thr.append(nodes["num_threshold"].astype(np.float64))
            leaf.append(nodes["is_leaf"].astype(bool))
            # Leaves point to themselves, so walking a fixed number of steps is harmless.
            idx = np.arange(len(nodes)) + offset
            left.append(np.where(nodes["is_leaf"], idx, nodes["left"] + offset).astype(np.int32))
            right.append(np.where(nodes["is_leaf"], idx, nodes["right"] + offset).astype(np.int32))
            value.append(nodes["value"].astype(np.float64))
            miss.append(nodes["missing_go_to_left"].astype(bool))
            depth = max(depth, int(nodes["depth"].max()))
            offset += len(nodes)
    n_classes = len(clf.classes_)
    baseline = np.asarray(clf._baseline_prediction, dtype=np.float64).reshape(-1)
    if baseline.shape[0] != (1 if n_classes == 2 else n_classes):  # binary: one raw score
        raise RuntimeError(f"unexpected baseline shape {baseline.shape} for {n_classes} classes")
    return {
        f"{prefix}feature": np.concatenate(feats),
        # float64: sklearn splits at midpoints of float64 bins; rounding them could flip rows.
        f"{prefix}threshold": np.concatenate(thr),
        f"{prefix}left": np.concatenate(left),
        f"{prefix}right": np.concatenate(right),
        f"{prefix}value": np.concatenate(value).astype(np.float32),
        f"{prefix}is_leaf": np.concatenate(leaf),
        f"{prefix}missing_left": np.concatenate(miss),
        f"{prefix}roots": np.asarray(roots, dtype=np.int32),
        f"{prefix}tree_class": np.asarray(tcls, dtype=np.int32),
        f"{prefix}baseline": baseline.astype(np.float32),
        f"{prefix}depth": np.asarray(depth + 1),
    }


# the per-node arrays of an exported ensemble (`export_trees`)
_NODE_ARRAYS = ("feature", "threshold", "left", "right", "value", "is_leaf", "missing_left")


def average_trees(parts: Sequence[dict[str, np.ndarray]], prefix: str) -> dict[str, np.ndarray]:
    """One ensemble whose raw score is the mean of the parts' raw scores (bagging).

    A boosted model's raw score is its baseline plus the sum of its trees' leaves, so the mean of
    several is their trees side by side with every leaf and baseline divided by their number:
    the bot evaluates the average with the walker it already has."""
    if not parts:
        raise ValueError("no ensembles to average")
    k = len(parts)
    out: dict[str, list[np.ndarray]] = {name: [] for name in _NODE_ARRAYS + ("roots", "tree_class")}
    offset = 0
    for arrays in parts:
        nodes = len(arrays[f"{prefix}feature"])
        for name in _NODE_ARRAYS:
            a = arrays[f"{prefix}{name}"]
            if name in ("left", "right"):
                a = a + offset  # node indices are global: shift past the parts before
            elif name == "value":
                a = a / k
            out[name].append(a)
        out["roots"].append(arrays[f"{prefix}roots"] + offset)
        out["tree_class"].append(arrays[f"{prefix}tree_class"])
        offset += nodes
    merged = {f"{prefix}{name}": np.concatenate(v) for name, v in out.items()}
    merged[f"{prefix}value"] = merged[f"{prefix}value"].astype(np.float32)
    merged[f"{prefix}baseline"] = np.mean([a[f"{prefix}baseline"] for a in parts], axis=0).astype(np.float32)
    merged[f"{prefix}depth"] = np.asarray(max(int(a[f"{prefix}depth"]) for a in parts))
    return merged
