"""The learned stance model: does a later text agree with, disagree with, discuss, or ignore a claim?

One signal among the detector's rules, never a replacement for them. Inference is numpy only:
the weights ship as one `.npz` in `bot/detect/data/`, produced by `training/train_stance.py`
(`make model`), so loading needs no network and no scikit-learn.

The file holds three heads that share the features of `stance_features`:

* ``fnc``: headline vs. article body (trained on FNC-1), gradient-boosted trees over the dense
  hand features, optionally blended with a one-hidden-layer network over hashed term counts;
* ``fnc_long``: the same for bodies longer than `LONG_MIN_TOKENS`, with extra dense columns from
  `stance_context` (how sceptical the body reads, how plainly the headline asserts, from the
  multilingual sentence encoder and hashed words). It encodes the body's sentences, so it is
  kept for article bodies; the detector's short texts never reach it;
* ``short``: claim vs. a short text such as a headline (trained on Emergent plus re-paired
  unrelated examples), the setting closest to the detector's use.

`predict` picks the head by the length of the later text (``head="auto"``): ``short`` up to
`SHORT_MAX_TOKENS`, else the headline-vs-body family, where ``head="fnc"`` means ``fnc_long``
for bodies longer than `LONG_MIN_TOKENS`. All return the four classes agree / disagree /
discuss / unrelated.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from bot.detect.encoder import Encoder
from bot.detect.stance_context import N_CONTEXT, ContextScorer, load_context
from bot.detect.stance_features import CHAR_DIM, N_DENSE, SPARSE_DIM, Batch, Featurizer, sparse_matmul
from bot.detect.trees import TreeEnsemble, load_trees

LABELS: tuple[str, ...] = ("agree", "disagree", "discuss", "unrelated")
EMERGENT_FROM_LABEL = {"agree": "for", "disagree": "against", "discuss": "observing"}
MODEL_FILENAME = "stance_model.npz"
FORMAT_VERSION = 2
# Format 1 files (no fnc_long head) still load.
READABLE_FORMATS = frozenset({1, 2})
# Later texts up to this many tokens go to the short-text head under head="auto".
SHORT_MAX_TOKENS = 60
# Later texts longer than this go to fnc_long when it exists. Well above a headline plus the
# 300-character lead the detector scores (`encoder.item_text`), so detection never encodes here.
LONG_MIN_TOKENS = 120


class StanceModelError(RuntimeError):
    """The model file is missing, unreadable or of an unknown format."""


BLOCK_DIMS: dict[str, int] = {
    "claim_words": SPARSE_DIM,
    "text_words": SPARSE_DIM,
    "text_chars": CHAR_DIM,
    "dense": N_DENSE,  # plus N_CONTEXT for a head that uses the context columns
}


@dataclass(frozen=True, slots=True)
class SparseNet:
    """A linear layer over hashed sparse blocks and standardised dense features, optionally followed
    by one hidden ReLU layer (then `w2`/`b2` map it to the classes)."""

    blocks: tuple[str, ...]
    w1: np.ndarray  # rows: the blocks' dimensions stacked in order
    b1: np.ndarray
    w2: np.ndarray | None
    b2: np.ndarray | None
    mean: np.ndarray  # dense feature standardisation
    std: np.ndarray

    def proba(self, batch: Batch) -> np.ndarray:
        """Class probabilities, shape (n, n_classes)."""
        h = np.zeros((len(batch.pairs), self.w1.shape[1]), dtype=np.float32)
        row = 0
        for name in self.blocks:
            dim = len(self.mean) if name == "dense" else BLOCK_DIMS[name]
            w = self.w1[row : row + dim]
            if name == "dense":
                h += ((batch.dense - self.mean) / self.std).astype(np.float32) @ w.astype(np.float32)
            else:
                h += sparse_matmul(getattr(batch, name), w)
            row += dim
        h += self.b1
        if self.w2 is not None and self.b2 is not None:
            h = np.maximum(h, 0.0) @ self.w2.astype(np.float32) + self.b2
        return _softmax(h.astype(np.float64))


@dataclass(frozen=True, slots=True)
class Head:
    """A trained classifier head: a weighted blend of gradient-boosted trees and sparse nets."""

    labels: tuple[str, ...]
    trees: TreeEnsemble | None
    trees_weight: float
    nets: tuple[tuple[SparseNet, float], ...]
    # Per-class multipliers applied before renormalising (chosen on dev data, e.g. to favour disagree).
    class_scale: np.ndarray
    # Leans towards disagree when the later text carries a denial cue: disagree is multiplied by
    # 1 + cue_boost x the cue's strength (chosen on training data; 0 leaves the model alone).
    cue_boost: float = 0.0
    # True when the head reads the `stance_context` columns after the dense features.
    context: bool = False

    def proba(self, batch: Batch) -> np.ndarray:
        """Class probabilities in the order of `labels`."""
        p = np.zeros((len(batch.pairs), len(self.labels)))
        total = 0.0
        if self.trees is not None and self.trees_weight > 0:
            p += self.trees_weight * _softmax(self.trees.raw(batch.dense.astype(np.float64)))
            total += self.trees_weight
        for net, weight in self.nets:
            if weight > 0:
                p += weight * net.proba(batch)
                total += weight
        p = p / max(total, 1e-12) * self.class_scale
        if self.cue_boost > 0:
            p[:, _DISAGREE] *= 1.0 + self.cue_boost * batch.denial_cues
        return p / p.sum(axis=1, keepdims=True)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _load_head(z: dict[str, np.ndarray], name: str, spec: dict[str, Any]) -> Head:
    p = f"{name}/"
    nets = []
    for i, net_spec in enumerate(spec.get("nets", [])):
        q = f"{p}net{i}/"
        nets.append(
            (
                SparseNet(
                    blocks=tuple(net_spec["blocks"]),
                    # Kept in float16 on disk and in memory (small); products are done in float32.
                    w1=z[f"{q}w1"],
                    b1=z[f"{q}b1"].astype(np.float32),
                    w2=z.get(f"{q}w2"),
                    b2=z[f"{q}b2"].astype(np.float32) if f"{q}b2" in z else None,
                    mean=z[f"{q}mean"].astype(np.float32),
                    std=z[f"{q}std"].astype(np.float32),
                ),
                float(net_spec["weight"]),
            )
        )
    trees = load_trees(z, f"{p}trees/") if spec.get("trees_weight", 0) > 0 else None
    return Head(
        labels=LABELS,
        trees=trees,
        trees_weight=float(spec.get("trees_weight", 0.0)),
        nets=tuple(nets),
        class_scale=np.asarray(spec.get("class_scale", [1.0] * len(LABELS)), dtype=np.float64),
        cue_boost=float(spec.get("cue_boost", 0.0)),
        context=bool(spec.get("context", False)),
    )


def default_model_path() -> Path:
    """Where the packaged model lives (`bot/detect/data/stance_model.npz`)."""
    return Path(str(resources.files("bot.detect").joinpath("data", MODEL_FILENAME)))


class StanceModel:
    """Scores (claim text, later text) pairs as agree / disagree / discuss / unrelated."""

    def __init__(
        self,
        featurizer: Featurizer,
        heads: dict[str, Head],
        meta: dict[str, Any],
        context: ContextScorer | None = None,
        encoder: Encoder | None = None,
    ) -> None:
        if context is None and any(h.context for h in heads.values()):
            raise StanceModelError("a head needs context scores the model file does not hold")
        self.featurizer = featurizer
        self.heads = heads
        self.meta = meta
        self.context = context
        # The sentence encoder, loaded on the first long body (the process-wide one by default).
        self._encoder = encoder

    @classmethod
    def load(cls, path: str | Path | None = None) -> StanceModel:
        """Load the model from `path`, or the one shipped in the package; no network.

        Raises `StanceModelError` with a hint to run `make model` when the file is missing.
        """
        p = Path(path) if path is not None else default_model_path()
        if not p.is_file():
            raise StanceModelError(
                f"stance model file not found: {p} (build it with `make model`, which runs training/train_stance.py)"
            )
        try:
            with np.load(p, allow_pickle=False) as npz:
                z = {k: npz[k] for k in npz.files}
            meta = json.loads(str(z["meta"]))
        except (OSError, ValueError, KeyError) as e:
            raise StanceModelError(f"cannot read stance model {p}: {e}") from e
        if meta.get("format") not in READABLE_FORMATS:
            raise StanceModelError(
                f"stance model {p} has format {meta.get('format')}, expected one of {sorted(READABLE_FORMATS)}"
            )
        try:
            featurizer = Featurizer(z["idf"].astype(np.float32))
            heads = {name: _load_head(z, name, spec) for name, spec in meta["heads"].items()}
            context = load_context(z, "context/") if meta.get("context") else None
        except (KeyError, ValueError) as e:
            raise StanceModelError(f"stance model {p} is incomplete: {e}") from e
        if N_DENSE != int(meta.get("n_dense", N_DENSE)) or N_CONTEXT != int(meta.get("n_context", N_CONTEXT)):
            raise StanceModelError(
                f"stance model {p} was trained with other features; rebuild with `make model`"
            )
        return cls(featurizer, heads, meta, context)

    def _pick_head(self, head: str, text_tokens: int) -> str:
        if head == "auto":
            if "short" in self.heads and text_tokens <= SHORT_MAX_TOKENS:
                return "short"
            head = "fnc"
        if head not in self.heads:
            raise ValueError(f"unknown stance head {head!r}; have {sorted(self.heads)}")
        if head == "fnc" and "fnc_long" in self.heads and text_tokens > LONG_MIN_TOKENS:
            return "fnc_long"
        return head

    def _with_context(self, batch: Batch) -> Batch:
        """`batch` with the context columns appended to its dense features (encodes the texts)."""
        assert self.context is not None  # checked in __init__
        if self._encoder is None:
            from bot.detect.encoder import default_encoder

            self._encoder = default_encoder()
        return batch.widened(self.context.features(batch, self._encoder))

    def predict_array(self, pairs: Sequence[tuple[str, str]], head: str = "auto") -> np.ndarray:
        """Probabilities as an (n, 4) array in the order of `LABELS`."""
        if not pairs:
            return np.zeros((0, len(LABELS)))
        pairs = [(c or "", t or "") for c, t in pairs]
        batch = self.featurizer.featurize(pairs)
        # The text length (log1p tokens) decides the head under "auto".
        n_tokens = np.expm1(batch.dense[:, _LOG_TEXT_LEN]).round().astype(int)
        names = [self._pick_head(head, int(n)) for n in n_tokens]
        out = np.zeros((len(pairs), len(LABELS)))
        for name in set(names):
            idx = [i for i, nm in enumerate(names) if nm == name]
            sub = batch if len(idx) == len(pairs) else batch.subset(idx)
            if self.heads[name].context:
                sub = self._with_context(sub)
            out[idx] = self.heads[name].proba(sub)
        return out

    def predict_many(self, pairs: Sequence[tuple[str, str]], head: str = "auto") -> list[dict[str, float]]:
        """Batched `predict`: one probability dict per (claim_text, later_text) pair."""
        arr = self.predict_array(pairs, head=head)
        return [dict(zip(LABELS, map(float, row), strict=True)) for row in arr]

    def predict(self, claim_text: str, later_text: str, head: str = "auto") -> dict[str, float]:
        """Probabilities over agree / disagree / discuss / unrelated (they sum to 1)."""
        return self.predict_many([(claim_text, later_text)], head=head)[0]

    def predict_emergent(self, pairs: Sequence[tuple[str, str]]) -> list[str]:
        """Emergent labels (for / against / observing) for (claim, headline) pairs.

        Emergent has no `unrelated` class, so the decision is the best of the three related ones.
        """
        arr = self.predict_array(pairs, head="short" if "short" in self.heads else "fnc")
        best = arr[:, :3].argmax(axis=1)
        return [EMERGENT_FROM_LABEL[LABELS[i]] for i in best]


def _feature_index(name: str) -> int:
    from bot.detect.stance_features import DENSE_NAMES

    return DENSE_NAMES.index(name)


_LOG_TEXT_LEN = _feature_index("log_text_len")
_DISAGREE = LABELS.index("disagree")
