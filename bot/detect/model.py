"""The learned decision: small linear models over meaning and who-said-what, calibrated.

Four parts, all trained by `make model` (`training/train_detector.py`) and shipped in
`bot/detect/data/detector_model.npz` with a JSON card beside it (what it was trained on,
held-out figures, the reliability table):

* `semantics`: three heads over an item's sentence vector (any language): does it report a
  dispute of a statement, does the speaker's own side retract or correct, is it a plain
  official claim. They read meaning, not words, so they carry over to languages and phrasings
  the cue lexicons do not know.
* `contradiction`: a head over a pair of vectors (u*v, |u-v|): the two accounts cannot both
  be true (a counter-account with no denial word).
* `pair`: P(the later item disputes the earlier one's claim, and both are one story), from
  the item and pair features of `features.py`, calibrated.
* `single`: P(the item alone reports an official statement being disputed), for items
  whose claim was never carried as an item of its own, calibrated.

Plain numpy at run time: a model is a handful of matrices, so no ML library is loaded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.detect.features import ITEM_FEATURES, PAIR_FEATURES, Semantics
from bot.detect.trees import TreeEnsemble, load_trees

FORMAT = 1


class ModelError(RuntimeError):
    """The model file is missing, unreadable, or was trained for other features."""


def default_model_path() -> Path:
    """The model shipped inside the package."""
    return Path(__file__).with_name("data") / "detector_model.npz"


@dataclass(frozen=True)
class Linear:
    """Standardise, then a linear map: logits = ((x - mean) / scale) @ coef.T + intercept."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # (outputs, inputs)
    intercept: np.ndarray  # (outputs,)

    def logits(self, x: np.ndarray) -> np.ndarray:
        """Raw scores, shape (n, outputs)."""
        z = (np.atleast_2d(x).astype(np.float32) - self.mean) / self.scale
        return z @ self.coef.T + self.intercept

    def proba(self, x: np.ndarray) -> np.ndarray:
        """Independent sigmoid probabilities, shape (n, outputs)."""
        return 1.0 / (1.0 + np.exp(-np.clip(self.logits(x), -30, 30)))

    def save(self, prefix: str) -> dict[str, np.ndarray]:
        """Arrays to store under `prefix`."""
        return {
            f"{prefix}.mean": self.mean,
            f"{prefix}.scale": self.scale,
            f"{prefix}.coef": self.coef,
            f"{prefix}.intercept": self.intercept,
        }

    @classmethod
    def load(cls, z: Any, prefix: str) -> Linear:
        """The arrays stored under `prefix`."""
        try:
            return cls(
                np.asarray(z[f"{prefix}.mean"], dtype=np.float32),
                np.asarray(z[f"{prefix}.scale"], dtype=np.float32),
                np.asarray(z[f"{prefix}.coef"], dtype=np.float32),
                np.asarray(z[f"{prefix}.intercept"], dtype=np.float32),
            )
        except KeyError as e:
            raise ModelError(f"model file lacks {e.args[0]}") from e


@dataclass(frozen=True)
class Trees:
    """Gradient-boosted trees with one raw score (a logit), as `training/trees.py` exports them."""

    ensemble: TreeEnsemble
    arrays: dict[str, np.ndarray]  # kept to write the model back out

    def proba(self, x: np.ndarray) -> np.ndarray:
        """P(positive), shape (n, 1)."""
        raw = self.ensemble.raw(np.atleast_2d(x).astype(np.float64))[:, :1]
        return 1.0 / (1.0 + np.exp(-np.clip(raw, -30, 30)))

    def save(self, prefix: str) -> dict[str, np.ndarray]:
        """Arrays to store under `prefix`."""
        return {f"{prefix}/{k.split('/', 1)[1]}": v for k, v in self.arrays.items()}

    @classmethod
    def load(cls, z: Any, prefix: str) -> Trees:
        """The trees stored under `prefix`."""
        arrays = {k: z[k] for k in z if k.startswith(f"{prefix}/")}
        if not arrays:
            raise ModelError(f"model file lacks the {prefix} trees")
        return cls(load_trees(arrays, f"{prefix}/"), arrays)


Scorer = Linear | Trees


@dataclass(frozen=True)
class Calibration:
    """A monotone map from raw probability to observed frequency (isotonic, interpolated)."""

    x: np.ndarray
    y: np.ndarray

    def __call__(self, p: np.ndarray) -> np.ndarray:
        if self.x.size == 0:
            return p
        return np.interp(p, self.x, self.y)

    def save(self, prefix: str) -> dict[str, np.ndarray]:
        """Arrays to store under `prefix`."""
        return {f"{prefix}.cal_x": self.x, f"{prefix}.cal_y": self.y}

    @classmethod
    def load(cls, z: Any, prefix: str) -> Calibration:
        """The arrays stored under `prefix` (identity when absent)."""
        if f"{prefix}.cal_x" not in z:
            return cls(np.zeros(0), np.zeros(0))
        return cls(
            np.asarray(z[f"{prefix}.cal_x"], dtype=np.float64),
            np.asarray(z[f"{prefix}.cal_y"], dtype=np.float64),
        )


@dataclass(frozen=True)
class DetectorModel:
    """The four trained parts and their card."""

    semantics_head: Linear
    contradiction_head: Linear
    pair: Scorer
    pair_calibration: Calibration
    single: Linear
    single_calibration: Calibration
    card: dict[str, Any]

    @classmethod
    def load(cls, path: str | Path | None = None) -> DetectorModel:
        """Load a model file; `ModelError` when it is missing or trained on other features."""
        p = Path(path) if path else default_model_path()
        card_path = p.with_suffix(".json")
        try:
            card = json.loads(card_path.read_text("utf-8"))
            with np.load(p, allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
        except FileNotFoundError as e:
            raise ModelError(f"no detector model at {p} (run `make model`)") from e
        except (OSError, ValueError) as e:
            raise ModelError(f"unreadable detector model {p}: {e}") from e
        if card.get("format") != FORMAT:
            raise ModelError(
                f"{p}: model format {card.get('format')!r}, expected {FORMAT} (run `make model`)"
            )
        if (
            tuple(card.get("item_features", ())) != ITEM_FEATURES
            or tuple(card.get("pair_features", ())) != PAIR_FEATURES
        ):
            raise ModelError(f"{p} was trained on other features than this code computes (run `make model`)")
        return cls(
            Linear.load(arrays, "semantics"),
            Linear.load(arrays, "contradiction"),
            Trees.load(arrays, "pair") if card.get("pair_kind") == "trees" else Linear.load(arrays, "pair"),
            Calibration.load(arrays, "pair"),
            Linear.load(arrays, "single"),
            Calibration.load(arrays, "single"),
            card,
        )

    def save(self, path: str | Path) -> None:
        """Write the model file and its JSON card (used by the training script)."""
        p = Path(path)
        arrays: dict[str, np.ndarray] = {}
        arrays.update(self.semantics_head.save("semantics"))
        arrays.update(self.contradiction_head.save("contradiction"))
        arrays.update(self.pair.save("pair"))
        arrays.update(self.pair_calibration.save("pair"))
        arrays.update(self.single.save("single"))
        arrays.update(self.single_calibration.save("single"))
        # trees keep their own dtypes (float64 thresholds, integer node indices)
        tree_keys = {k for k in arrays if k.startswith("pair/")}
        out: dict[str, Any] = {
            k: v if k in tree_keys else np.asarray(v, dtype=np.float32) for k, v in arrays.items()
        }
        np.savez_compressed(p, **out)
        card = dict(
            self.card,
            format=FORMAT,
            item_features=list(ITEM_FEATURES),
            pair_features=list(PAIR_FEATURES),
            pair_kind="trees" if isinstance(self.pair, Trees) else "linear",
        )
        p.with_suffix(".json").write_text(json.dumps(card, indent=1, ensure_ascii=False) + "\n", "utf-8")

    # --- inference ----------------------------------------------------------------------------

    def semantics(self, vectors: np.ndarray) -> list[Semantics]:
        """The semantic heads for each row of `vectors`."""
        if len(vectors) == 0:
            return []
        p = self.semantics_head.proba(vectors)
        return [Semantics(float(r[0]), float(r[1]), float(r[2])) for r in p]

    def contradiction(self, earlier: np.ndarray, later: np.ndarray) -> np.ndarray:
        """P(the accounts contradict) for rows of paired vectors."""
        e, l_ = np.atleast_2d(earlier), np.atleast_2d(later)
        x = np.hstack([e * l_, np.abs(e - l_)])
        return self.contradiction_head.proba(x)[:, 0]

    def p_pair(self, features: np.ndarray) -> np.ndarray:
        """Calibrated P(linked dispute) for rows of item + pair features."""
        return self.pair_calibration(self.pair.proba(features)[:, 0])

    def p_single(self, features: np.ndarray) -> np.ndarray:
        """Calibrated P(the item alone reports a dispute) for rows of item features."""
        return self.single_calibration(self.single.proba(features)[:, 0])


__all__ = ["Calibration", "DetectorModel", "Linear", "ModelError", "Trees", "default_model_path"]
