"""Fit the context scores of `bot.detect.stance_context` on FNC-1 train, out of fold by topic.

Each score is a logistic regression over one text (a body, or a headline) in one view (hashed
words, or the mean sentence vector of the multilingual encoder), with one target per text:
"some headline paired with it disagrees" / "some headline agrees" (texts with no related pair
are left out of fitting). The pair features of training rows must not come from a model that
saw the row's own topic, so every text is scored by the model fitted on the other topic folds;
the model exported for run time is fitted on all of FNC-1 train.

Sentence vectors are cached on disk (`--cache`), because FNC-1 train holds ~33,000 body sentences.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from bot.detect.encoder import Encoder
from bot.detect.stance_context import (
    CONTEXT_NAMES,
    N_CONTEXT,
    ContextScorer,
    body_sentences,
    export_context,
    headline_vectors,
    load_context,
    mean_sentence_vectors,
)
from bot.detect.stance_features import SPARSE_DIM, Batch, sparse_to_csr_parts

# Regularisation of each view, chosen on the topic folds (see STANCE_RESULTS.md).
VIEW_C = {"words": 3.0, "encoder": 1.0}
_TARGET_CLASS = {"disagree": 1, "agree": 0}


class CachedEncoder:
    """An `Encoder` that keeps every vector it computes in an `.npz` file (training runs only)."""

    def __init__(self, inner: Encoder, path: Path | None) -> None:
        self.inner = inner
        self.dim = inner.dim
        self.name = inner.name
        self.path = path
        self._vecs: dict[str, np.ndarray] = {}
        if path is not None and path.is_file():
            with np.load(path) as z:
                self._vecs = dict(zip(z["keys"].tolist(), z["vecs"], strict=True))

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for `texts`, from the cache where present (float16 on disk, float32 here)."""
        keys = [self._key(t) for t in texts]
        todo = list(dict.fromkeys(k for k in keys if k not in self._vecs))
        if todo:
            first = {k: t for k, t in zip(keys, texts, strict=True)}
            vecs = self.inner.encode([first[k] for k in todo])
            self._vecs.update(zip(todo, vecs.astype(np.float16), strict=True))
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return np.vstack([self._vecs[k] for k in keys]).astype(np.float32)

    def save(self) -> None:
        if self.path is not None and self._vecs:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            keys = sorted(self._vecs)
            np.savez(self.path, keys=np.array(keys), vecs=np.vstack([self._vecs[k] for k in keys]))


def _fit(x: np.ndarray | sp.csr_matrix, y: np.ndarray, c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, y)


def fit_context(
    batch: Batch,
    y: np.ndarray,
    fold_head: np.ndarray,
    fold_body: np.ndarray,
    encoder: Encoder,
) -> tuple[np.ndarray, ContextScorer, dict[str, float]]:
    """(out-of-fold context columns for `batch`'s rows, scorer fitted on all rows, OOF AUC per score).

    `fold_head[i]` / `fold_body[i]` are the topic folds of row i's headline and body (a text's
    topic, so its fold, is the same in every row it appears in).
    """
    from sklearn.metrics import roc_auc_score

    claims = [c for c, _ in batch.pairs]
    bodies = [t for _, t in batch.pairs]
    out = np.zeros((len(y), N_CONTEXT), dtype=np.float32)
    n_check = min(len(y), 300)
    full_probs = np.zeros((n_check, N_CONTEXT))  # the full fits on the first rows, for the check
    weights: dict[str, np.ndarray] = {}
    bias: dict[str, float] = {}
    aucs: dict[str, float] = {}
    units = (("body", bodies, batch.text_words, fold_body), ("head", claims, batch.claim_words, fold_head))
    for unit, texts, words, fold_of_row in units:
        keys = list(dict.fromkeys(texts))
        pos = {t: i for i, t in enumerate(keys)}
        row_unit = np.array([pos[t] for t in texts])
        first = {}
        for i, u in enumerate(row_unit):
            first.setdefault(int(u), i)
        fold = np.zeros(len(keys), int)
        fold[row_unit] = fold_of_row
        rel = np.zeros(len(keys), bool)
        targets = {name: np.zeros(len(keys), int) for name in _TARGET_CLASS}
        for u, lab in zip(row_unit, y, strict=True):
            rel[u] |= lab < 3
            for name, cls in _TARGET_CLASS.items():
                targets[name][u] |= int(lab == cls)
        views = {
            "words": sp.csr_matrix(
                sparse_to_csr_parts([words[first[u]] for u in range(len(keys))]),
                shape=(len(keys), SPARSE_DIM),
            ),
            "encoder": (
                mean_sentence_vectors(keys, encoder) if unit == "body" else headline_vectors(keys, encoder)
            ),
        }
        for view, x in views.items():
            for target in _TARGET_CLASS:
                name = f"{unit}_{view}_{target}"
                lab = targets[target]
                score = np.zeros(len(keys))
                for k in sorted(set(fold.tolist())):
                    trn = rel & (fold != k)
                    dev = fold == k
                    score[dev] = _fit(x[trn], lab[trn], VIEW_C[view]).predict_proba(x[dev])[:, 1]
                full = _fit(x[rel], lab[rel], VIEW_C[view])
                aucs[name] = round(float(roc_auc_score(lab[rel], score[rel])), 4)
                out[:, CONTEXT_NAMES.index(name)] = score[row_unit]
                weights[name] = full.coef_[0].astype(np.float32)
                bias[name] = float(full.intercept_[0])
                full_probs[:, CONTEXT_NAMES.index(name)] = full.predict_proba(x)[:, 1][row_unit[:n_check]]
    scorer = ContextScorer(weights, bias)
    _check_export(scorer, batch.subset(range(n_check)), encoder, full_probs)
    return out, scorer, aucs


def _check_export(scorer: ContextScorer, batch: Batch, encoder: Encoder, expected: np.ndarray) -> None:
    """The exported scorer (float16 weights, numpy) must reproduce sklearn's probabilities."""
    back = load_context(export_context(scorer, "check/"), "check/")
    err = float(np.abs(back.features(batch, encoder) - expected).max()) if len(expected) else 0.0
    if err > 0.02:
        raise RuntimeError(f"exported context scores disagree with sklearn by {err}")


def sentence_count(texts: Sequence[str]) -> int:
    """How many sentences `fit_context` will encode for these bodies (for the log)."""
    return sum(len(body_sentences(t)) for t in dict.fromkeys(texts))
