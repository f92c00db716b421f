"""Story-level context for the long-body stance head: how sceptical a body reads, how plainly a
headline asserts.

Why: in FNC-1 a body is paired with many headlines, and whether a pair *disagrees* is mostly the
product of two things that each text carries on its own. A body that casts doubt on a story
("experts are not so sure", "the photo was staged") disagrees with every headline that simply
asserts the story, and agrees with headlines that doubt it; a headline that hedges ("reportedly",
"may have") merely discusses. Pair features see the words of both texts but weigh the body's
overall tone only through a few word lists. These scores are small logistic models over one
text at a time, learned on FNC-1 train (the training script fits them out of fold, by topic):

* a body's mean sentence vector from the multilingual sentence encoder (`bot.detect.encoder`):
  the tone of the whole body in any language, beyond the word lists;
* a body's hashed words (the same 4,096 buckets as the pair features);
* the same two views of the headline.

Each view gets two targets: "some headline disagrees with this body/headline" and "some
headline agrees". The scores become extra columns of the long-body head's dense features.

The encoder costs about a millisecond per sentence, so only later texts longer than
`LONG_MIN_TOKENS` (article bodies) use this head; short texts, such as the detector's headline
plus lead, never pay for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.detect.encoder import Encoder
from bot.detect.stance_features import Batch, sparse_matmul, split_sentences

# Views x targets, in the column order of the context features.
CONTEXT_UNITS: tuple[str, ...] = ("body", "head")
CONTEXT_VIEWS: tuple[str, ...] = ("words", "encoder")
CONTEXT_TARGETS: tuple[str, ...] = ("disagree", "agree")
CONTEXT_NAMES: tuple[str, ...] = tuple(
    f"{unit}_{view}_{target}"
    for unit in CONTEXT_UNITS
    for view in CONTEXT_VIEWS
    for target in CONTEXT_TARGETS
)
N_CONTEXT = len(CONTEXT_NAMES)

# Bounds on what is encoded per body: the first sentences carry the story, and very long
# "sentences" (tables, lists without punctuation) are cut so one body cannot stall a batch.
MAX_SENTENCES = 80
MAX_SENTENCE_CHARS = 600


def body_sentences(text: str) -> list[str]:
    """The sentences of `text` that are encoded: split as the pair features split them, trimmed."""
    return [s.strip()[:MAX_SENTENCE_CHARS] for s in split_sentences(text)[:MAX_SENTENCES]]


def mean_sentence_vectors(texts: Sequence[str], encoder: Encoder) -> np.ndarray:
    """The mean encoder vector of each text's sentences (zeros for empty text), shape (n, dim).

    All sentences of all distinct texts go to the encoder in one call (it batches better than
    many small calls).
    """
    distinct = list(dict.fromkeys(texts))
    per_text = [body_sentences(t) for t in distinct]
    vecs = encoder.encode([s for ss in per_text for s in ss])
    means: dict[str, np.ndarray] = {}
    row = 0
    for t, ss in zip(distinct, per_text, strict=True):
        means[t] = vecs[row : row + len(ss)].mean(axis=0) if ss else np.zeros(encoder.dim, np.float32)
        row += len(ss)
    return np.vstack([means[t] for t in texts]) if texts else np.zeros((0, encoder.dim), np.float32)


def headline_vectors(texts: Sequence[str], encoder: Encoder) -> np.ndarray:
    """One encoder vector per headline (trimmed like a body sentence); repeated texts encoded once."""
    keys = [t.strip()[:MAX_SENTENCE_CHARS] for t in texts]
    distinct = list(dict.fromkeys(keys))
    vecs = encoder.encode(distinct)
    pos = {t: i for i, t in enumerate(distinct)}
    return vecs[[pos[t] for t in keys]] if texts else np.zeros((0, encoder.dim), np.float32)


@dataclass(frozen=True, slots=True)
class ContextScorer:
    """Logistic scores of single texts (see the module docstring), one per `CONTEXT_NAMES` column.

    `weights[name]` is the weight vector of that score (4,096 hashed-word buckets for the `words`
    view, the encoder's dimension for the `encoder` view) and `bias[name]` its intercept.
    """

    weights: dict[str, np.ndarray]
    bias: dict[str, float]

    def features(self, batch: Batch, encoder: Encoder) -> np.ndarray:
        """The context columns for every pair of `batch`, shape (n, N_CONTEXT), float32."""
        n = len(batch.pairs)
        out = np.zeros((n, N_CONTEXT), dtype=np.float32)
        if n == 0:
            return out
        words = {"body": batch.text_words, "head": batch.claim_words}
        vectors = {
            "body": mean_sentence_vectors([t for _, t in batch.pairs], encoder),
            "head": headline_vectors([c for c, _ in batch.pairs], encoder),
        }
        for j, name in enumerate(CONTEXT_NAMES):
            unit, view, _ = name.split("_")
            w = self.weights[name].astype(np.float32)[:, None]
            z = sparse_matmul(words[unit], w) if view == "words" else vectors[unit] @ w
            out[:, j] = _sigmoid(z[:, 0].astype(np.float64) + self.bias[name])
        return out


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


def load_context(arrays: dict[str, np.ndarray], prefix: str) -> ContextScorer:
    """The scorer stored under `prefix` (`<prefix><name>/w`, `<prefix><name>/b`)."""
    return ContextScorer(
        weights={name: arrays[f"{prefix}{name}/w"] for name in CONTEXT_NAMES},
        bias={name: float(arrays[f"{prefix}{name}/b"]) for name in CONTEXT_NAMES},
    )


def export_context(scorer: ContextScorer, prefix: str) -> dict[str, np.ndarray]:
    """The arrays `load_context` reads back (weights in float16: they are small either way)."""
    out: dict[str, np.ndarray] = {}
    for name in CONTEXT_NAMES:
        out[f"{prefix}{name}/w"] = scorer.weights[name].astype(np.float16)
        out[f"{prefix}{name}/b"] = np.asarray(scorer.bias[name], dtype=np.float32)
    return out
