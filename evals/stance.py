"""`factbot eval fnc1` and `factbot eval emergent`: score the stance model on public test splits.

Both functions print a small report and return a process exit code (0 ok, 2 bad input), so the CLI
only has to wire arguments to them. The FNC-1 score follows the rule in the data set's README
(0.25 for related/unrelated right, +0.75 for the exact related label); macro-F1 and per-class
P/R/F1 are printed alongside because the FNC score hides `disagree` errors.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from bot.detect.stance import StanceModel

FNC_LABELS: tuple[str, ...] = ("agree", "disagree", "discuss", "unrelated")
EMERGENT_LABELS: tuple[str, ...] = ("for", "against", "observing")
_RELATED = frozenset({"agree", "disagree", "discuss"})

# Bodies in FNC-1 can be long; the csv module's default field limit is too small for a few.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(frozen=True, slots=True)
class FncRow:
    """One FNC-format stance row (also used for ARC, which shares the format)."""

    headline: str
    body_id: str
    stance: str


@dataclass(frozen=True, slots=True)
class EmergentRow:
    """One Emergent pair: a rumoured claim and an article headline about it."""

    id: str
    claim_id: str
    claim: str
    headline: str
    stance: str
    split: str


@dataclass(frozen=True, slots=True)
class ClassScores:
    """Precision, recall, F1 and support of one class."""

    precision: float
    recall: float
    f1: float
    support: int


def read_fnc(data_dir: Path, split: str) -> tuple[list[FncRow], dict[str, str]]:
    """Rows of `<prefix>_stances.csv` and the bodies of `<prefix>_bodies.csv`.

    `split` is "train" or "competition_test" (FNC-1), or "arc_train" / "arc_test" (ARC:
    `arc_stances_<part>.csv` with `arc_bodies.csv`).
    """
    data_dir = Path(data_dir)
    if split.startswith("arc_"):
        stances = data_dir / f"arc_stances_{split[4:]}.csv"
        bodies_name = "arc_bodies.csv"
    else:
        stances = data_dir / f"{split}_stances.csv"
        bodies_name = f"{split}_bodies.csv"
    with open(stances, newline="", encoding="utf-8") as f:
        rows = [FncRow(r["Headline"], r["Body ID"], r["Stance"]) for r in csv.DictReader(f)]
    with open(data_dir / bodies_name, newline="", encoding="utf-8") as f:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(f)}
    return rows, bodies


def read_emergent(data_dir: Path) -> list[EmergentRow]:
    """All Emergent pairs with their split (`split.csv`: train / test, disjoint by claim)."""
    data_dir = Path(data_dir)
    with open(data_dir / "split.csv", newline="", encoding="utf-8") as f:
        split = {r["id"]: r["split"] for r in csv.DictReader(f)}
    out: list[EmergentRow] = []
    with open(data_dir / "url-versions-2015-06-14-clean.csv", newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        col = {name: i for i, name in enumerate(header)}
        for r in reader:
            # The first column's header may be empty in some copies: it is the row index.
            rid = r[0]
            out.append(
                EmergentRow(
                    id=rid,
                    claim_id=r[col["claimId"]],
                    claim=r[col["claimHeadline"]],
                    headline=r[col["articleHeadline"]],
                    stance=r[col["articleHeadlineStance"]],
                    split=split.get(rid, "train"),
                )
            )
    return out


def fnc_score(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, float]:
    """(achieved, maximum) FNC points; relative score is 100 * achieved / maximum."""
    achieved = 0.0
    maximum = 0.0
    for g, p in zip(gold, pred, strict=True):
        g_rel = g in _RELATED
        maximum += 1.0 if g_rel else 0.25
        if g_rel == (p in _RELATED):
            achieved += 0.25
            if g_rel and g == p:
                achieved += 0.75
    return achieved, maximum


def class_scores(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, ClassScores]:
    """Per-class precision / recall / F1 (0 where undefined)."""
    out: dict[str, ClassScores] = {}
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p == lab)
        n_pred = sum(1 for p in pred if p == lab)
        n_gold = sum(1 for g in gold if g == lab)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[lab] = ClassScores(prec, rec, f1, n_gold)
    return out


def macro_f1(scores: dict[str, ClassScores]) -> float:
    """Unweighted mean of the per-class F1."""
    return sum(s.f1 for s in scores.values()) / max(1, len(scores))


def _print_classes(scores: dict[str, ClassScores], out: TextIO) -> None:
    print(f"  {'class':<10} {'P':>6} {'R':>6} {'F1':>6} {'n':>6}", file=out)
    for lab, s in scores.items():
        print(f"  {lab:<10} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.support:6d}", file=out)


def fnc_predict_labels(rows: Sequence[FncRow], bodies: dict[str, str], model: object) -> list[str]:
    """Predicted FNC labels for `rows`, using the model's FNC (headline vs body) head."""
    from bot.detect.stance import StanceModel

    assert isinstance(model, StanceModel)
    pairs = [(r.headline, bodies.get(r.body_id, "")) for r in rows]
    probs = model.predict_many(pairs, head="fnc")
    return [max(p, key=p.__getitem__) for p in probs]


def emergent_predict_labels(rows: Sequence[EmergentRow], model: object) -> list[str]:
    """Predicted Emergent labels (for / against / observing), using the model's short-text head."""
    from bot.detect.stance import StanceModel

    assert isinstance(model, StanceModel)
    return model.predict_emergent([(r.claim, r.headline) for r in rows])


def _load_model(model_path: str | Path | None) -> StanceModel | None:
    """The stance model, or None after saying on stderr why it cannot be loaded."""
    from bot.detect.stance import StanceModel, StanceModelError

    try:
        return StanceModel.load(model_path)
    except StanceModelError as e:
        print(f"error: {e}", file=sys.stderr)
        return None


def _write_predictions(
    path: str | Path, header: list[str], rows: Iterable[list[object]], out: TextIO
) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    print(f"  predictions written to {path}", file=out)


def eval_fnc1(
    data_dir: str | Path,
    predictions: str | Path | None = None,
    *,
    model_path: str | Path | None = None,
    out: TextIO | None = None,
) -> int:
    """Score the stance model on the FNC-1 competition test split; return an exit code.

    Prints relative FNC score, 4-class macro-F1 and per-class P/R/F1. With `predictions`, writes a
    CSV in the competition format (Headline, Body ID, Stance) in the gold file's row order.
    """
    out = out or sys.stdout
    try:
        rows, bodies = read_fnc(Path(data_dir), "competition_test")
    except (OSError, KeyError) as e:
        print(f"error: cannot read FNC-1 competition test data in {data_dir}: {e}", file=sys.stderr)
        return 2
    model = _load_model(model_path)
    if model is None:
        return 2
    pred = fnc_predict_labels(rows, bodies, model)
    gold = [r.stance for r in rows]
    achieved, maximum = fnc_score(gold, pred)
    scores = class_scores(gold, pred, FNC_LABELS)
    print(f"FNC-1 competition test: {len(rows)} pairs", file=out)
    print(f"  relative score  {100 * achieved / maximum:.2f}  ({achieved:.2f} / {maximum:.2f})", file=out)
    print(f"  macro-F1        {macro_f1(scores):.4f}", file=out)
    print(f"  disagree F1     {scores['disagree'].f1:.4f}", file=out)
    _print_classes(scores, out)
    if predictions is not None:
        header = ["Headline", "Body ID", "Stance"]
        _write_predictions(
            predictions, header, ([r.headline, r.body_id, p] for r, p in zip(rows, pred, strict=True)), out
        )
    return 0


def eval_emergent(
    data_dir: str | Path,
    predictions: str | Path | None = None,
    *,
    model_path: str | Path | None = None,
    out: TextIO | None = None,
) -> int:
    """Score the stance model on the Emergent test split (`split.csv`); return an exit code.

    Prints accuracy, macro-F1 and per-class F1; with `predictions`, writes CSV `id,stance`.
    """
    out = out or sys.stdout
    try:
        rows = [r for r in read_emergent(Path(data_dir)) if r.split == "test"]
    except (OSError, KeyError, IndexError) as e:
        print(f"error: cannot read Emergent data in {data_dir}: {e}", file=sys.stderr)
        return 2
    if not rows:
        print(f"error: no test rows in {data_dir}/split.csv", file=sys.stderr)
        return 2
    model = _load_model(model_path)
    if model is None:
        return 2
    pred = emergent_predict_labels(rows, model)
    gold = [r.stance for r in rows]
    acc = sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / len(rows)
    scores = class_scores(gold, pred, EMERGENT_LABELS)
    print(f"Emergent test: {len(rows)} pairs", file=out)
    print(f"  accuracy        {acc:.4f}", file=out)
    print(f"  macro-F1        {macro_f1(scores):.4f}", file=out)
    print(f"  against F1      {scores['against'].f1:.4f}", file=out)
    _print_classes(scores, out)
    if predictions is not None:
        _write_predictions(
            predictions, ["id", "stance"], ([r.id, p] for r, p in zip(rows, pred, strict=True)), out
        )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m evals.stance {fnc1,emergent} --data DIR [--predictions OUT.csv]`.

    The same as `factbot eval fnc1|emergent`, usable without the CLI.
    """
    import argparse

    ap = argparse.ArgumentParser(prog="python -m evals.stance")
    ap.add_argument("which", choices=["fnc1", "emergent"])
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--predictions", type=Path, default=None)
    ap.add_argument("--model", type=Path, default=None, help="model file (default: the packaged one)")
    args = ap.parse_args(argv)
    fn = eval_fnc1 if args.which == "fnc1" else eval_emergent
    return fn(args.data, args.predictions, model_path=args.model)


if __name__ == "__main__":
    raise SystemExit(main())
