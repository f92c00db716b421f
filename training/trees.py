"""Gradient-boosted trees from scikit-learn, flattened into the arrays the bot evaluates with numpy
(`bot.detect.trees.TreeEnsemble`), so no ML library is loaded at run time."""

from __future__ import annotations

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
