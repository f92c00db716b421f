"""Gradient-boosted trees evaluated with numpy: the flattened form `training/trees.py` exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

_BLOCK_ROWS = 2048


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
        out = np.tile(self.baseline.astype(np.float64), (n, 1))
        # Rows in blocks: the (rows x trees) work arrays stay small enough for the caches.
        for lo in range(0, n, _BLOCK_ROWS):
            hi = min(n, lo + _BLOCK_ROWS)
            vals = self.value[self._leaves(x[lo:hi])]  # (rows, n_trees)
            for c in range(len(self.baseline)):
                mask = self.tree_class == c
                out[lo:hi, c] += vals[:, mask].sum(axis=1)
        return out

    def _leaves(self, x: np.ndarray) -> np.ndarray:
        """The leaf each row reaches in each tree, shape (rows, n_trees).

        Every (row, tree) walk goes down one level per step, and only the walks not yet at a
        leaf take part in the next step: most trees are shallow, so most of the walks of a
        depth-14 ensemble end after a few steps.
        """
        n, trees = x.shape[0], len(self.roots)
        node = np.tile(self.roots, n)  # walk r * trees + t: row r in tree t
        row = np.repeat(np.arange(n, dtype=np.int64), trees)
        active = np.nonzero(~self.is_leaf[node])[0]
        for _ in range(self.depth):
            if active.size == 0:
                break
            at = node[active]
            xv = x[row[active], self.feature[at]]
            go_left = np.where(np.isnan(xv), self.missing_left[at], xv <= self.threshold[at])
            at = np.where(go_left, self.left[at], self.right[at])
            node[active] = at
            active = active[~self.is_leaf[at]]
        return node.reshape(n, trees)


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
