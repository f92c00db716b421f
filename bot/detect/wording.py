"""A second opinion from the words: does an item's headline and lead read as reporting a dispute?

The detector's own decision reads meaning (sentence vectors) and who said what (the rules). This
model reads only the characters of the words: a logistic model over hashed character 2-5-grams
of each word (as scikit-learn's `char_wb` analyzer), TF-IDF weighted. It was trained by
`training/train_wording.py` on our written items and stories and on a real headline stream read
through by hand, so it knows how real headlines word a dispute ("lied, Justice Dept. says",
"falsely claims") and how they word everything else.

It does not find disputes by itself: a dispute opens on the detector's decision, and an alert
goes out only when the words agree (`[alerts] wording_threshold`, `routing.route`). Two models
that fail in different ways rarely agree on the same wrong alert.

Plain numpy at run time; the hashing is our own (zlib's CRC-32, stable across processes, unlike
Python's `hash`), because the training script and the bot must split words the same way and no
ML library is loaded at run time.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.detect.model import ModelError

FORMAT = 1
BUCKETS = 2**18
NGRAMS = (2, 5)
_WORD = re.compile(r"\S+")


def default_wording_path() -> Path:
    """The wording model shipped inside the package."""
    return Path(__file__).with_name("data") / "wording_model.npz"


def ngram_counts(text: str, buckets: int = BUCKETS, ngrams: tuple[int, int] = NGRAMS) -> Counter[int]:
    """Bucket -> count of the character n-grams of each word of `text`, lower-cased, each word
    padded with a space on both sides (so "lied" gives " l", "lied ", ...)."""
    lo, hi = ngrams
    counts: Counter[int] = Counter()
    for word in _WORD.findall(text.lower()):
        padded = f" {word} "
        size = len(padded)
        for n in range(lo, min(hi, size) + 1):
            for start in range(size - n + 1):
                counts[zlib.crc32(padded[start : start + n].encode("utf-8")) % buckets] += 1
    return counts


def featurize(texts: Iterable[str], idf: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """For each text, its buckets and their L2-normalised TF-IDF weights (sub-linear tf)."""
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    for text in texts:
        counts = ngram_counts(text, len(idf))
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64, count=len(counts))
        w = tf * idf[idx]
        norm = float(np.sqrt(w @ w))
        cols.append(idx)
        vals.append(w / norm if norm > 0 else w)
    return cols, vals


@dataclass(frozen=True)
class WordingModel:
    """P(the text reports that a statement is disputed), from its words alone."""

    idf: np.ndarray  # (BUCKETS,)
    coef: np.ndarray  # (BUCKETS,)
    intercept: float
    card: dict[str, Any]

    def p_dispute(self, texts: Sequence[str]) -> np.ndarray:
        """One probability per text (the model's own, not calibrated: a bar chosen on the
        tuning side says how much agreement an alert needs)."""
        cols, vals = featurize(texts, self.idf)
        z = np.array([float(v @ self.coef[c]) for c, v in zip(cols, vals, strict=True)]) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    @classmethod
    def load(cls, path: str | Path | None = None) -> WordingModel:
        """The model at `path` (default: the packaged one); `ModelError` when unusable."""
        path = Path(path) if path else default_wording_path()
        try:
            with np.load(path) as z:
                idf, coef, intercept = z["idf"], z["coef"], float(z["intercept"])
            card = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        except (OSError, KeyError, ValueError) as e:
            raise ModelError(f"wording model {path}: {e}") from e
        if card.get("format") != FORMAT or idf.shape != coef.shape:
            raise ModelError(f"wording model {path}: format {card.get('format')} (expected {FORMAT})")
        return cls(idf.astype(np.float64), coef.astype(np.float64), intercept, card)
