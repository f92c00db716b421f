#!/usr/bin/env python3
"""Train the stance model (`make model`) and write `bot/detect/data/stance_model.npz`.

Heads (see `bot/detect/stance.py`):

* ``fnc``: FNC-1 train (headline vs body). Gradient-boosted trees over the dense hand features,
  blended with a one-hidden-layer net over hashed terms + dense features.
* ``fnc_long``: the same over the dense features plus the context scores of
  `bot.detect.stance_context` (body and headline tone from hashed words and the sentence
  encoder; fitted out of fold by topic in `training/stance_context.py`), for bodies longer than
  `LONG_MIN_TOKENS`.
* ``short``: Emergent train split (claim vs article headline: for/against/observing mapped to
  agree/disagree/discuss), plus `unrelated` pairs made by re-pairing a claim with headlines of
  other claims (the way FNC-1 built its unrelated class). Logistic regression over hashed words,
  character n-grams and dense features, blended with trees over the dense features.

Choices (blend weights, `disagree` scaling) are made on held-out data from the *training* splits
only: for FNC-1 whole topics (connected headline/body groups) are held out, for Emergent whole
claims (grouped cross-validation). `fnc_long` is chosen on five topic folds (every related
row held out once, predictions pooled). The test splits are never read here; score them with
`factbot eval fnc1` / `factbot eval emergent` once the model is built.

Needs scikit-learn (`pip install -e '.[train]'`). Single-threaded on purpose (shared machines).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.detect.encoder import default_encoder  # noqa: E402
from bot.detect.stance import BLOCK_DIMS, FORMAT_VERSION, LABELS, MODEL_FILENAME  # noqa: E402
from bot.detect.stance_context import CONTEXT_NAMES, N_CONTEXT, export_context  # noqa: E402
from bot.detect.stance_features import (  # noqa: E402
    DENSE_NAMES,
    N_DENSE,
    Batch,
    Featurizer,
    sparse_to_csr_parts,
)
from bot.progress import track  # noqa: E402
from evals.stance import class_scores, fnc_score, macro_f1, read_emergent, read_fnc  # noqa: E402
from training.stance_context import CachedEncoder, fit_context, sentence_count  # noqa: E402
from training.trees import export_trees  # noqa: E402

EMERGENT_TO_LABEL = {"for": "agree", "against": "disagree", "observing": "discuss"}
SEED = 0
# The plain fnc head's blend, chosen on two topic-held-out dev splits in the 2026-12-05 round
# (STANCE_RESULTS.md); `--tune-plain` chooses it again.
PLAIN_FNC_CHOICE = {"mlp_weight": 0.3, "disagree_scale": 6.0}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------- data


def _topics(
    heads: Sequence[str], bodies: Sequence[str], labels: Sequence[str]
) -> tuple[list[str], list[str], list[str]]:
    """(topic of each row's headline, topic of its body, all topics), for FNC-1 rows.

    A topic is a connected group of headlines and bodies linked by related pairs.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for h, b, lab in zip(heads, bodies, labels, strict=True):
        hh, bb = find("h" + h), find("b" + b)
        if lab != "unrelated":
            parent[hh] = bb
    comps = sorted({find(k) for k in list(parent)})
    return [find("h" + h) for h in heads], [find("b" + b) for b in bodies], comps


def topic_split(
    heads: Sequence[str], bodies: Sequence[str], labels: Sequence[str], frac: float = 0.2, seed: int = SEED
) -> tuple[np.ndarray, np.ndarray]:
    """(train mask, dev mask) holding out whole topics of FNC-1 train.

    Dev rows have a held-out headline *and* body; train rows touch neither, so no claim or body
    leaks across.
    """
    th, tb, comps = _topics(heads, bodies, labels)
    rng = np.random.default_rng(seed)
    hold = set(rng.choice(comps, size=int(len(comps) * frac), replace=False).tolist())
    in_h = np.array([t in hold for t in th])
    in_b = np.array([t in hold for t in tb])
    return ~in_h & ~in_b, in_h & in_b


def topic_folds(
    heads: Sequence[str], bodies: Sequence[str], labels: Sequence[str], k: int, seed: int = SEED
) -> tuple[np.ndarray, np.ndarray]:
    """(fold of each row's headline, fold of its body): topics dealt at random into `k` folds.

    Fold j holds out the rows whose headline and body are both in it (every related row is held
    out exactly once); its training rows touch neither a headline nor a body of fold j.
    """
    th, tb, comps = _topics(heads, bodies, labels)
    rng = np.random.default_rng(seed)
    fold_of = dict(zip(comps, rng.integers(0, k, len(comps)).tolist(), strict=True))
    return np.array([fold_of[t] for t in th]), np.array([fold_of[t] for t in tb])


def short_pairs(
    data_dir: Path, unrelated_per_claim: int = 4, seed: int = SEED
) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Emergent train pairs (claim, headline) with 4-class labels, plus re-paired unrelated ones."""
    rows = [r for r in read_emergent(data_dir) if r.split == "train"]
    pairs = [(r.claim, r.headline) for r in rows]
    labels = [EMERGENT_TO_LABEL[r.stance] for r in rows]
    groups = [r.claim_id for r in rows]
    by_claim: dict[str, list[str]] = {}
    claim_text: dict[str, str] = {}
    for r in rows:
        by_claim.setdefault(r.claim_id, []).append(r.headline)
        claim_text[r.claim_id] = r.claim
    rng = np.random.default_rng(seed)
    ids = sorted(by_claim)
    for cid in ids:
        others = [o for o in ids if o != cid]
        for o in rng.choice(others, size=unrelated_per_claim, replace=False):
            hl = by_claim[o][int(rng.integers(len(by_claim[o])))]
            pairs.append((claim_text[cid], hl))
            labels.append("unrelated")
            groups.append(cid)  # grouped with its claim, so CV folds stay claim-disjoint
    return pairs, labels, groups


# ---------------------------------------------------------------- matrices


def csr(rows: list[dict[int, float]], dim: int) -> sp.csr_matrix:
    return sp.csr_matrix(sparse_to_csr_parts(rows), shape=(len(rows), dim))


def design(batch: Batch, blocks: Sequence[str], mean: np.ndarray, std: np.ndarray) -> sp.csr_matrix:
    """The sparse design matrix of a `SparseNet` with these blocks (same order as inference)."""
    parts = []
    for name in blocks:
        if name == "dense":
            parts.append(sp.csr_matrix((batch.dense - mean) / std))
        else:
            parts.append(csr(getattr(batch, name), BLOCK_DIMS[name]))
    return sp.hstack(parts).tocsr()


def standardiser(dense: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return dense.mean(axis=0).astype(np.float32), (dense.std(axis=0) + 1e-6).astype(np.float32)


# ---------------------------------------------------------------- models


def fit_trees(
    x: np.ndarray, y: np.ndarray, class_weight: dict[int, float], max_iter: int
) -> HistGradientBoostingClassifier:
    clf = HistGradientBoostingClassifier(
        max_iter=max_iter,
        learning_rate=0.1,
        max_leaf_nodes=31,
        l2_regularization=1.0,
        class_weight=class_weight,
        early_stopping=False,
        random_state=SEED,
    )
    return clf.fit(x, y)


def export_net(
    prefix: str,
    w1: np.ndarray,
    b1: np.ndarray,
    w2: np.ndarray | None,
    b2: np.ndarray | None,
    mean: np.ndarray,
    std: np.ndarray,
) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {
        f"{prefix}w1": w1.astype(np.float16),
        f"{prefix}b1": b1.astype(np.float32),
        f"{prefix}mean": mean,
        f"{prefix}std": std,
    }
    if w2 is not None and b2 is not None:
        out[f"{prefix}w2"] = w2.astype(np.float16)
        out[f"{prefix}b2"] = b2.astype(np.float32)
    return out


def fit_mlp(x: sp.csr_matrix, y: np.ndarray, epochs: int) -> MLPClassifier:
    clf = MLPClassifier(
        hidden_layer_sizes=(100,), alpha=1e-4, max_iter=epochs, batch_size=500, random_state=SEED
    )
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return clf.fit(x, y)


def fit_linear(x: sp.csr_matrix, y: np.ndarray, c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, y)


# ---------------------------------------------------------------- scoring helpers


def fnc_report(gold: np.ndarray, pred: np.ndarray) -> tuple[float, float, float]:
    g = [LABELS[i] for i in gold]
    p = [LABELS[i] for i in pred]
    a, m = fnc_score(g, p)
    cs = class_scores(g, p, LABELS)
    return 100 * a / m, macro_f1(cs), cs["disagree"].f1


def emergent_report(gold: np.ndarray, proba: np.ndarray) -> tuple[float, float, float]:
    """(accuracy, macro-F1, against F1) over the three related classes only."""
    pred = proba[:, :3].argmax(axis=1)
    mask = gold < 3
    g = [LABELS[i] for i in gold[mask]]
    p = [LABELS[i] for i in pred[mask]]
    cs = class_scores(g, p, LABELS[:3])
    return float((gold[mask] == pred[mask]).mean()), macro_f1(cs), cs["disagree"].f1


def scaled(p: np.ndarray, scale: np.ndarray) -> np.ndarray:
    q = p * scale
    return q / q.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------- heads


FNC_NET_BLOCKS = ("claim_words", "text_words", "dense")
SHORT_NET_BLOCKS = ("claim_words", "text_words", "text_chars", "dense")


def _choose_blend(
    golds: list[np.ndarray], probs_t: list[np.ndarray], probs_n: list[np.ndarray]
) -> tuple[dict[str, float], list[dict[str, float]]]:
    """The net's blend weight and the disagree scale that score best on held-out topics.

    Each list item is one held-out set; figures are averaged over them. One number decides:
    FNC score (as a fraction) + macro-F1, so disagree counts.
    """
    best: tuple[float, dict[str, float]] | None = None  # (criterion, its table row)
    table = []
    for w in (0.0, 0.2, 0.3, 0.4, 0.5):
        for s in (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
            scale = np.array([1.0, s, 1.0, 1.0])
            res = np.array(
                [
                    fnc_report(g, scaled((1 - w) * pt + w * pn, scale).argmax(1))
                    for g, pt, pn in zip(golds, probs_t, probs_n, strict=True)
                ]
            ).mean(axis=0)
            crit = res[0] / 100 + res[1]
            row = {
                "mlp_weight": w,
                "disagree_scale": s,
                "fnc_score": round(float(res[0]), 2),
                "macro_f1": round(float(res[1]), 4),
                "disagree_f1": round(float(res[2]), 4),
            }
            table.append(row)
            if best is None or crit > best[0]:
                best = (crit, row)
    assert best is not None
    return best[1], table


def _fit_fnc(
    batch: Batch, y: np.ndarray, w: float, s: float, prefix: str, epochs: int, args: argparse.Namespace
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Trees (+ the net when `w` > 0) on all rows of `batch`: the head's spec and arrays."""
    cw = {0: 1.0, 1: args.disagree_weight, 2: 1.0, 3: 1.0}
    t = fit_trees(batch.dense, y, cw, args.trees)
    arrays = export_trees(t, f"{prefix}trees/")
    _check_trees(arrays, f"{prefix}trees/", batch.dense[:500], t)
    nets = []
    if w > 0:
        mean, std = standardiser(batch.dense)
        n = fit_mlp(design(batch, FNC_NET_BLOCKS, mean, std), y, epochs)
        arrays.update(
            export_net(
                f"{prefix}net0/", n.coefs_[0], n.intercepts_[0], n.coefs_[1], n.intercepts_[1], mean, std
            )
        )
        nets.append({"blocks": list(FNC_NET_BLOCKS), "weight": w})
    return {"trees_weight": 1.0 - w, "nets": nets, "class_scale": [1.0, s, 1.0, 1.0]}, arrays


def _held_out_probs(
    batch: Batch, y: np.ndarray, trn: np.ndarray, dev: np.ndarray, epochs: int, args: argparse.Namespace
) -> tuple[np.ndarray, np.ndarray]:
    """(trees, net) probabilities on the `dev` rows of models fitted on the `trn` rows."""
    cw = {0: 1.0, 1: args.disagree_weight, 2: 1.0, 3: 1.0}
    t = fit_trees(batch.dense[trn], y[trn], cw, args.trees)
    mean, std = standardiser(batch.dense[trn])
    n = fit_mlp(design(batch.subset(trn), FNC_NET_BLOCKS, mean, std), y[trn], epochs)
    return t.predict_proba(batch.dense[dev]), n.predict_proba(
        design(batch.subset(dev), FNC_NET_BLOCKS, mean, std)
    )


def train_fnc_head(
    batch: Batch, y: np.ndarray, heads: list[str], bodies: list[str], args: argparse.Namespace
) -> tuple[dict[str, Any], dict[str, np.ndarray], dict[str, Any]]:
    """The plain headline-vs-body head (bodies up to `LONG_MIN_TOKENS`, and the detector's texts).

    With `--tune-plain`, blend + disagree scale are chosen again on held-out topics (two dev
    splits, as in the rounds that chose them); otherwise the recorded choice is reused.
    """
    if not args.tune_plain:
        chosen = dict(PLAIN_FNC_CHOICE)
        log(f"fnc (plain) reuses its recorded dev choice: {chosen}")
        spec, arrays = _fit_fnc(
            batch, y, chosen["mlp_weight"], chosen["disagree_scale"], "fnc/", args.mlp_epochs, args
        )
        return spec, arrays, {"dev_table": [], "chosen": chosen}
    labels = [LABELS[i] for i in y]
    probs_t, probs_n, golds = [], [], []
    for seed in track(range(args.dev_splits), "fnc dev splits", unit="split"):
        trn, dev = topic_split(heads, bodies, labels, seed=seed)
        log(f"fnc dev split {seed}: train {trn.sum()} dev {dev.sum()}")
        pt, pn = _held_out_probs(batch, y, np.flatnonzero(trn), np.flatnonzero(dev), args.mlp_epochs, args)
        probs_t.append(pt)
        probs_n.append(pn)
        golds.append(y[dev])
    chosen, table = _choose_blend(golds, probs_t, probs_n)
    log(f"fnc chosen on dev: {chosen}")
    spec, arrays = _fit_fnc(
        batch, y, chosen["mlp_weight"], chosen["disagree_scale"], "fnc/", args.mlp_epochs, args
    )
    return spec, arrays, {"dev_table": table, "chosen": chosen}


def train_long_head(
    batch: Batch, y: np.ndarray, fold_head: np.ndarray, fold_body: np.ndarray, args: argparse.Namespace
) -> tuple[dict[str, Any], dict[str, np.ndarray], dict[str, Any]]:
    """The long-body head over dense + context columns (`batch` already widened).

    Blend + disagree scale are chosen on out-of-fold predictions over the topic folds, pooled
    (every related row is held out once), then the head is refitted on all of FNC-1 train.
    """
    oof_t = np.zeros((len(y), len(LABELS)))
    oof_n = np.zeros((len(y), len(LABELS)))
    held = np.zeros(len(y), dtype=bool)
    for k in track(range(args.folds), "fnc_long topic folds", unit="fold"):
        trn = np.flatnonzero((fold_head != k) & (fold_body != k))
        dev = np.flatnonzero((fold_head == k) & (fold_body == k))
        log(f"fnc_long fold {k}: train {len(trn)} dev {len(dev)}")
        oof_t[dev], oof_n[dev] = _held_out_probs(batch, y, trn, dev, args.long_mlp_epochs, args)
        held[dev] = True
    chosen, table = _choose_blend([y[held]], [oof_t[held]], [oof_n[held]])
    log(f"fnc_long chosen on held-out topics: {chosen}")
    spec, arrays = _fit_fnc(
        batch, y, chosen["mlp_weight"], chosen["disagree_scale"], "fnc_long/", args.long_mlp_epochs, args
    )
    spec["context"] = True
    return spec, arrays, {"dev_table": table, "chosen": chosen}


def train_short_head(
    batch: Batch, y: np.ndarray, groups: list[str], args: argparse.Namespace
) -> tuple[dict[str, Any], dict[str, np.ndarray], dict[str, Any]]:
    """Choose blend + C + disagree scale by claim-grouped CV on Emergent train, then refit."""
    cw = {0: 1.0, 1: 2.0, 2: 1.0, 3: 1.0}
    folds = list(GroupKFold(n_splits=5).split(batch.dense, y, groups))
    p_t = np.zeros((len(y), 4))
    p_l: dict[float, np.ndarray] = {c: np.zeros((len(y), 4)) for c in args.short_c}
    for trn, dev in track(folds, "short-text folds", unit="fold"):
        t = fit_trees(batch.dense[trn], y[trn], cw, args.short_trees)
        p_t[dev] = t.predict_proba(batch.dense[dev])
        mean, std = standardiser(batch.dense[trn])
        xa = design(batch.subset(trn), SHORT_NET_BLOCKS, mean, std)
        xb = design(batch.subset(dev), SHORT_NET_BLOCKS, mean, std)
        for c in args.short_c:
            p_l[c][dev] = fit_linear(xa, y[trn], c).predict_proba(xb)
    table = []
    best: tuple[float, dict[str, float]] | None = None  # (criterion, its table row)
    cues = batch.denial_cues
    for c in args.short_c:
        for w in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0):
            for s in (1.0, 1.25, 1.5):
                for b in (0.0, 2.0, 4.0, 8.0):
                    # The same arithmetic as `Head.proba`: class scale, then the denial-cue boost.
                    scale = np.outer(1.0 + b * cues, [0.0, s, 0.0, 0.0]) + np.array([1.0, 0.0, 1.0, 1.0])
                    acc, mf1, against = emergent_report(y, scaled(w * p_l[c] + (1 - w) * p_t, scale))
                    row = {
                        "C": c,
                        "linear_weight": w,
                        "disagree_scale": s,
                        "cue_boost": b,
                        "accuracy": round(acc, 4),
                        "macro_f1": round(mf1, 4),
                        "against_f1": round(against, 4),
                    }
                    table.append(row)
                    crit = mf1 + against
                    if best is None or crit > best[0]:
                        best = (crit, row)
    assert best is not None
    chosen = best[1]
    c, w, s, b = chosen["C"], chosen["linear_weight"], chosen["disagree_scale"], chosen["cue_boost"]
    log(f"short chosen by grouped CV: {chosen}")
    arrays: dict[str, np.ndarray] = {}
    spec: dict[str, Any] = {
        "trees_weight": 1.0 - w,
        "nets": [],
        "class_scale": [1.0, s, 1.0, 1.0],
        "cue_boost": b,
    }
    if w < 1.0:
        t = fit_trees(batch.dense, y, cw, args.short_trees)
        arrays.update(export_trees(t, "short/trees/"))
        _check_trees(arrays, "short/trees/", batch.dense[:500], t)
    if w > 0:
        mean, std = standardiser(batch.dense)
        lr = fit_linear(design(batch, SHORT_NET_BLOCKS, mean, std), y, c)
        arrays.update(export_net("short/net0/", lr.coef_.T, lr.intercept_, None, None, mean, std))
        spec["nets"].append({"blocks": list(SHORT_NET_BLOCKS), "weight": w})
    return spec, arrays, {"cv_table": table, "chosen": chosen}


def _check_trees(
    arrays: dict[str, np.ndarray], prefix: str, x: np.ndarray, clf: HistGradientBoostingClassifier
) -> None:
    """The numpy tree walker must reproduce sklearn's probabilities on training rows."""
    from bot.detect.stance import _softmax
    from bot.detect.trees import load_trees

    trees = load_trees(arrays, prefix)
    ours = _softmax(trees.raw(x.astype(np.float64)))
    theirs = clf.predict_proba(x)
    err = float(np.abs(ours - theirs).max())
    if err > 1e-3:
        raise RuntimeError(f"exported trees disagree with sklearn by {err}")


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--data", type=Path, default=ROOT.parent / "shared" / "data", help="folder with fnc1/ and emergent/"
    )
    ap.add_argument("--out", type=Path, default=ROOT / "bot" / "detect" / "data" / MODEL_FILENAME)
    ap.add_argument("--trees", type=int, default=300, help="boosting iterations, fnc head")
    ap.add_argument("--short-trees", type=int, default=150, help="boosting iterations, short head")
    ap.add_argument("--mlp-epochs", type=int, default=10, help="net epochs, fnc head")
    ap.add_argument("--long-mlp-epochs", type=int, default=20, help="net epochs, fnc_long head")
    ap.add_argument("--disagree-weight", type=float, default=3.0, help="class weight of disagree in training")
    ap.add_argument("--short-c", type=float, nargs="+", default=[1.0, 3.0])
    ap.add_argument("--dev-splits", type=int, default=2, help="topic-held-out dev splits (with --tune-plain)")
    ap.add_argument(
        "--tune-plain",
        action="store_true",
        help="choose the plain fnc head's blend again instead of reusing it",
    )
    ap.add_argument("--folds", type=int, default=5, help="topic folds of FNC-1 train for the fnc_long head")
    ap.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "factbot-stance-cache",
        help="folder for cached sentence vectors",
    )
    args = ap.parse_args(argv)

    t0 = time.time()
    fnc_rows, fnc_bodies = read_fnc(args.data / "fnc1", "train")
    s_pairs, s_labels, s_groups = short_pairs(args.data / "emergent")
    log(f"loaded FNC-1 train {len(fnc_rows)} pairs, Emergent train + unrelated {len(s_pairs)} pairs")
    idf_texts = (
        list(fnc_bodies.values())
        + sorted({r.headline for r in fnc_rows})
        + sorted({t for p in s_pairs for t in p})
    )
    # Stored as float16; round now so training sees exactly the features inference will compute.
    featurizer = Featurizer(Featurizer.fit_idf(idf_texts).astype(np.float16).astype(np.float32))

    fnc_pairs = [(r.headline, fnc_bodies[r.body_id]) for r in fnc_rows]
    fnc_batch = featurizer.featurize(fnc_pairs)
    fnc_y = np.array([LABELS.index(r.stance) for r in fnc_rows])
    log("featurised FNC-1 train")
    fnc_heads, fnc_body_ids = [r.headline for r in fnc_rows], [r.body_id for r in fnc_rows]
    fnc_spec, fnc_arrays, fnc_info = train_fnc_head(fnc_batch, fnc_y, fnc_heads, fnc_body_ids, args)

    fold_head, fold_body = topic_folds(fnc_heads, fnc_body_ids, [r.stance for r in fnc_rows], args.folds)
    encoder = CachedEncoder(default_encoder(), args.cache / "sentence_vectors.npz" if args.cache else None)
    log(f"context scores: encoding {sentence_count([b for _, b in fnc_pairs])} body sentences (cached)")
    context_oof, scorer, context_auc = fit_context(fnc_batch, fnc_y, fold_head, fold_body, encoder)
    encoder.save()
    log(f"context scores, out-of-fold AUC by topic: {context_auc}")
    long_spec, long_arrays, long_info = train_long_head(
        fnc_batch.widened(context_oof), fnc_y, fold_head, fold_body, args
    )

    s_batch = featurizer.featurize(s_pairs)
    s_y = np.array([LABELS.index(lab) for lab in s_labels])
    short_spec, short_arrays, short_info = train_short_head(s_batch, s_y, s_groups, args)

    meta = {
        "format": FORMAT_VERSION,
        "labels": list(LABELS),
        "n_dense": N_DENSE,
        "dense_names": list(DENSE_NAMES),
        "context": True,
        "n_context": N_CONTEXT,
        "context_names": list(CONTEXT_NAMES),
        "heads": {"fnc": fnc_spec, "fnc_long": long_spec, "short": short_spec},
        "trained_on": {
            "fnc": "FNC-1 train_stances.csv",
            "fnc_long": "FNC-1 train_stances.csv (context scores out of fold by topic)",
            "short": "Emergent split.csv train + re-paired unrelated",
        },
    }
    arrays = {"meta": np.asarray(json.dumps(meta)), "idf": featurizer.idf.astype(np.float16)}
    arrays.update(fnc_arrays)
    arrays.update(long_arrays)
    arrays.update(export_context(scorer, "context/"))
    arrays.update(short_arrays)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **arrays)  # type: ignore[arg-type]
    report = {
        "fnc": fnc_info["chosen"],
        "fnc_long": long_info["chosen"],
        "context_auc": context_auc,
        "short": short_info["chosen"],
        "seconds": round(time.time() - t0),
    }
    (args.out.with_suffix(".dev.json")).write_text(
        json.dumps(
            {
                "chosen": report,
                "fnc_dev": fnc_info["dev_table"],
                "fnc_long_dev": long_info["dev_table"],
                "short_cv": short_info["cv_table"],
            },
            indent=1,
        )
    )
    log(
        f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB) in {time.time() - t0:.0f}s; dev choice: {report}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
