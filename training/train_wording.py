#!/usr/bin/env python3
"""Train the wording model (`make model`): `bot/detect/data/wording_model.npz` and its card.

    python training/train_wording.py [--data ../shared/data] [--read-through NAME=JSONL ...] [--out PATH]

One logistic model over hashed character 2-5-grams of the words of an item's headline and lead
(`bot/detect/wording.py`): does the item report that a statement is disputed (denied,
contradicted, retracted, corrected, found false)? Trained on

* our written items (`training/data/items`: ia, ib) and stories (sa, sb, sd): every follow-up is
  a positive, claims and distractors negatives;
* the dev-cases tuning half (`training/splits.toml`) and the who-said-what probes;
* the real headline streams read through by hand (`--read-through NAME=STREAM`: the labels are
  `training/data/stream_reads/NAME.jsonl`, the stream is rebuilt from its public collection, as
  that folder's README says): the AllSides 2016-01 .. 2018-03 stream (`allsides-train`,
  `scripts/build_headline_stream.py`), a HuffPost stream of 2018 and 2020-21
  (`huffpost-train`, `scripts/build_huffpost_stream.py`) and the AllSides 2012-15 stream
  (`allsides-2012-15`). Clear disputes are positive, every
  headline not listed negative, borderline ones left out. Without any (the collections are not in
  this repository) the model learns from written data only, and the card says so.

The written data and the real streams weigh the same in all (each split evenly between its
positives and negatives): real headlines are 99 % ordinary news, written items half disputes.
Out of fold (5 folds grouped by story or minimal pair) the card records the AUC on each part.
Held-out data is never read: dev-cases' held-out half, story set `sc` and the audits. Needs
scikit-learn (`pip install -e '.[train]'`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.detect.encoder import item_text  # noqa: E402
from bot.detect.wording import BUCKETS, FORMAT, NGRAMS, default_wording_path, ngram_counts  # noqa: E402
from training import datasets as ds  # noqa: E402
from training.train_detector import semantic_labels  # noqa: E402

C = 4.0  # out of fold, 2026-12-07: C = 1 loses AUC on written items (0.911 -> 0.884), 16 on real ones (0.869 -> 0.857)
SEED = 20261207


def read_through_arg(text: str) -> tuple[str, Path]:
    """`NAME=STREAM` (argparse type): the labels `training/data/stream_reads/NAME.jsonl` of the
    headline stream STREAM."""
    name, sep, path = text.partition("=")
    if not sep or not name or not path:
        raise argparse.ArgumentTypeError(f"expected NAME=STREAM.jsonl, got {text!r}")
    if not (ds.STREAM_READS / f"{name}.jsonl").is_file():
        raise argparse.ArgumentTypeError(f"no read-through labels {ds.STREAM_READS / name}.jsonl")
    return name, Path(path)


def training_rows(data: Path, read_throughs: list[tuple[str, Path]], stories: list[str]) -> list[ds.Labelled]:
    """Every labelled row the wording model learns from (see the module docstring)."""
    rows: list[ds.Labelled] = []
    for s in ds.item_sets(["ia", "ib"]) + ds.story_sets(stories):
        rows += s
    rows += ds.dev_cases(data, "tune")
    rows += ds.probes()
    for name, stream in read_throughs:
        labelled = ds.apply_stream_links(
            ds.headline_stream(stream, name), ds.stream_read_labels(name, stream)
        )
        rows += [r for r in labelled if r.source.startswith("labelled-")]  # borderline stay out
    return rows


def tf_matrix(texts: list[str]) -> csr_matrix:
    """The texts' sub-linear term frequencies over the buckets (before idf)."""
    indptr, indices, data = [0], [], []
    for t in texts:
        counts = ngram_counts(t)
        indices.extend(counts.keys())
        data.extend(1.0 + np.log(c) for c in counts.values())
        indptr.append(len(indices))
    return csr_matrix((np.array(data), np.array(indices), np.array(indptr)), shape=(len(texts), BUCKETS))


def idf_of(tf: csr_matrix) -> np.ndarray:
    """The smoothed idf of every bucket over the rows of `tf`."""
    df = np.bincount(tf.indices, minlength=BUCKETS)
    return np.log((1 + tf.shape[0]) / (1 + df)) + 1.0


def weighted(tf: csr_matrix, idf: np.ndarray) -> csr_matrix:
    """TF-IDF rows, L2-normalised (as `wording.featurize` computes them at run time)."""
    x = tf.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return csr_matrix(x.multiply(1.0 / norms[:, None]))


def balance(y: np.ndarray, real: np.ndarray) -> np.ndarray:
    """Sample weights: written and real rows weigh the same in all, each half positives."""
    w = np.zeros(len(y))
    for part in (real, ~real):
        for cls in (0, 1):
            m = part & (y == cls)
            if m.any():
                w[m] = 0.25 / m.sum()
    return w * len(y) / w.sum()


def fit(x: csr_matrix, y: np.ndarray, w: np.ndarray, c: float = C) -> LogisticRegression:
    """The logistic model (lbfgs, fixed seed: a rerun gives the same weights)."""
    return LogisticRegression(C=c, max_iter=5000, random_state=SEED).fit(x, y, sample_weight=w)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument(
        "--read-through",
        type=read_through_arg,
        action="append",
        default=[],
        metavar="NAME=STREAM",
        help="a stream read through by hand: its labels' name and the stream (JSON lines)",
    )
    ap.add_argument("--stories", default="sa,sb,sd", help="story sets under training/data/stories")
    ap.add_argument("--c", type=float, default=C, help="inverse regularisation strength")
    ap.add_argument("--out", type=Path, default=default_wording_path())
    opts = ap.parse_args(argv)
    t0 = time.time()
    rows = training_rows(opts.data, opts.read_through, opts.stories.split(","))
    y = semantic_labels(rows)[:, 0].astype(int)
    real = np.array([r.source.startswith("labelled-") for r in rows])
    groups = np.array([r.story or f"row:{k}" for k, r in enumerate(rows)])
    texts = [item_text(r.item.title, r.item.text) for r in rows]
    tf = tf_matrix(texts)
    idf = idf_of(tf)
    x, w = weighted(tf, idf), balance(y, real)
    print(f"{len(rows)} rows ({int(y.sum())} disputes), {int(real.sum())} real ({int(y[real].sum())})")

    oof = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=5).split(x, y, groups):
        # idf from the training folds only, so the held-out fold's words are as new as at run time
        idf_tr = idf_of(tf[tr])
        fold = fit(weighted(tf[tr], idf_tr), y[tr], w[tr], opts.c)
        oof[te] = fold.predict_proba(weighted(tf[te], idf_tr))[:, 1]
    auc = {
        "all": round(float(roc_auc_score(y, oof)), 4),
        "written": round(float(roc_auc_score(y[~real], oof[~real])), 4),
    }
    if real.any() and 0 < y[real].sum() < real.sum():
        auc["real"] = round(float(roc_auc_score(y[real], oof[real])), 4)
    print("out-of-fold AUC", auc)

    model = fit(x, y, w, opts.c)
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        opts.out,
        idf=idf.astype(np.float32),
        coef=model.coef_[0].astype(np.float32),
        intercept=np.float32(model.intercept_[0]),
    )
    card = {
        "format": FORMAT,
        "trained": datetime.now(UTC).strftime("%Y-%m-%d"),
        "buckets": BUCKETS,
        "ngrams": list(NGRAMS),
        "C": opts.c,
        "stories": opts.stories.split(","),
        "rows": len(rows),
        "disputes": int(y.sum()),
        "real_rows": int(real.sum()),
        "real_disputes": int(y[real].sum()),
        "read_throughs": [name for name, _ in opts.read_through],
        "out_of_fold_auc": auc,
    }
    opts.out.with_suffix(".json").write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {opts.out} in {time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
