"""Gradient-boosted trees evaluated with numpy: the flattened form `training/trees.py` exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True, slots=True)
class TreeEnsemble:
    """Gradient-boosted trees flattened into arrays, evaluated for all trees at once.

    Node arrays are global (all trees concatenated); `roots[t]` is tree t's first node and
    `tree_class[t]` the output it adds to. Raw scores are `baseline + sum(leaf values)`.
    """

    feature: np.ndarray  # int32 per node (-1 on leaves)
    threshold: np.ndarray  # float32 per node: go left when x <= threshold
    left: np.ndarray  # int32 global node index
    right: np.ndarray  # int32 global node index
    value: np.ndarray  # float32 leaf value
    is_leaf: np.ndarray  # bool
    missing_left: np.ndarray  # bool: where NaN goes
    roots: np.ndarray  # int32 per tree
    tree_class: np.ndarray  # int32 per tree
    baseline: np.ndarray  # float32 per class
    depth: int

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Raw (pre-softmax) scores, shape (n, n_classes)."""
        n = x.shape[0]
        node = np.broadcast_to(self.roots, (n, len(self.roots))).copy()
        rows = np.arange(n)[:, None]
        # Walk every tree one level per step; leaves point to themselves so extra steps are no-ops.
        for _ in range(self.depth):
            leaf = self.is_leaf[node]
            if leaf.all():
                break
            feat = np.where(leaf, 0, self.feature[node])
            xv = x[rows, feat]
            go_left = np.where(np.isnan(xv), self.missing_left[node], xv <= self.threshold[node])
            nxt = np.where(go_left, self.left[node], self.right[node])
            node = np.where(leaf, node, nxt)
        vals = self.value[node]  # (n, n_trees)
        out = np.tile(self.baseline.astype(np.float64), (n, 1))
        for c in range(len(self.baseline)):
            mask = self.tree_class == c
            out[:, c] += vals[:, mask].sum(axis=1)
        return out


def load_trees(z: Any, prefix: str) -> TreeEnsemble:
    """The ensemble stored under `prefix` in a model file's arrays."""
    return TreeEnsemble(
        feature=z[f"{prefix}feature"].astype(np.int32),
        threshold=z[f"{prefix}threshold"].astype(np.float64),
        left=z[f"{prefix}left"].astype(np.int32),
        right=z[f"{prefix}right"].astype(np.int32),
        value=z[f"{prefix}value"].astype(np.float64),
        is_leaf=z[f"{prefix}is_leaf"].astype(bool),
        missing_left=z[f"{prefix}missing_left"].astype(bool),
        roots=z[f"{prefix}roots"].astype(np.int32),
        tree_class=z[f"{prefix}tree_class"].astype(np.int32),
        baseline=z[f"{prefix}baseline"].astype(np.float64),
        depth=int(z[f"{prefix}depth"]),
    )


__all__ = ["TreeEnsemble", "load_trees"]
