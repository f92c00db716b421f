"""A labelled stream replayed through the detector's own stages, in memory, for training.

Readings (who said what), vectors, candidates and features are computed by the same code the
bot runs (`bot/detect/reading.py`, `candidates.py`, `features.py`); only storage is replaced by
lists. Earlier items are those before the new one in date order, as the bot analyses them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from bot.config import DetectConfig
from bot.detect.candidates import (
    LINK_K,
    SLACK,
    Candidate,
    actor_search_keys,
    by_actor_in,
    meaning_window,
    merge,
)
from bot.detect.encoder import Encoder, item_text
from bot.detect.features import (
    CueFlags,
    PairContext,
    Semantics,
    candidate_distinctness,
    cue_flags,
    item_features,
    pair_features,
)
from bot.detect.reading import Reading, read_item
from bot.detect.vector_index import VectorIndex
from training.datasets import Labelled

# the name suffix of a stream of headline-only copies (train_detector.py --headline-copies)
HEADLINE_COPY = "+headlines"

# the windows of the bot's defaults (`[detect]`)
_DEFAULTS = DetectConfig()
LINK_DAYS = _DEFAULTS.link_window_days
RETRACTION_DAYS = _DEFAULTS.retraction_window_days
FINDING_DAYS = _DEFAULTS.finding_window_days


@dataclass
class Stream:
    """A stream with everything the models do not change: readings, vectors, candidates."""

    name: str
    rows: list[Labelled]
    readings: list[Reading]
    vectors: np.ndarray
    cue_flags: list[CueFlags]
    pairs: list[tuple[int, int, Candidate]]  # (earlier index, later index, candidate)
    stance: np.ndarray  # the stance model's `disagree` for each pair

    def story_of(self, i: int) -> str:
        """A grouping key for cross-validation: the story, else the item alone."""
        r = self.rows[i]
        name = self.name.removesuffix(HEADLINE_COPY)  # a headline copy goes with its original
        return f"{name}:{r.story}" if r.story else f"{name}:item{i}"


def prepare(
    name: str,
    rows: Sequence[Labelled],
    extract: Callable,
    gazetteer: object,
    encoder: Encoder,
    stance: Callable[[Sequence[tuple[str, str]]], np.ndarray] | None,
) -> Stream:
    """Read, encode and find candidates for every item of a stream (in date order)."""
    rows = sorted(rows, key=lambda r: (r.item.when, r.item.id))
    readings = [read_item(r.item, extract, gazetteer) for r in rows]  # type: ignore[arg-type]
    vectors = encoder.encode([item_text(r.item.title, r.item.text) for r in rows])
    flags = [cue_flags(r.item.title, r.item.text, rd.language) for r, rd in zip(rows, readings, strict=True)]
    index = VectorIndex(vectors.shape[1])
    pairs: list[tuple[int, int, Candidate]] = []
    pos = {r.item.id: i for i, r in enumerate(rows)}
    by_speaker: dict[str, list[int]] = {}
    for j, rd in enumerate(readings):
        t = rd.when
        back = meaning_window(rd, LINK_DAYS, FINDING_DAYS).total_seconds()
        near = index.search(vectors[j : j + 1], [t - back], [t + SLACK.total_seconds()], LINK_K)[0]
        # earlier items with a statement by an actor this one may answer (an index by speaker
        # key keeps a long stream linear)
        maybe = sorted({i for k in actor_search_keys(rd) for i in by_speaker.get(k, ())})
        earlier = [(readings[i], vectors[i]) for i in maybe]
        by_actor = by_actor_in(rd, vectors[j], earlier, LINK_DAYS, RETRACTION_DAYS)
        for c in merge(near, by_actor):
            pairs.append((pos[c.item_id], j, c))
        index.add([rows[j].item.id], [t], vectors[j : j + 1])
        for st in rd.statements:
            if st.speaker is not None:
                by_speaker.setdefault(st.speaker.key, []).append(j)
    texts = [
        (item_text(rows[i].item.title, rows[i].item.text), item_text(rows[j].item.title, rows[j].item.text))
        for i, j, _ in pairs
    ]
    st = stance(texts) if stance is not None and texts else np.zeros(len(texts), dtype=np.float32)
    return Stream(name, list(rows), readings, vectors, flags, pairs, np.asarray(st, dtype=np.float32))


def item_matrix(s: Stream, sem: Sequence[Semantics]) -> np.ndarray:
    """ITEM_FEATURES for every item of the stream."""
    return np.vstack(
        [item_features(rd, sm, fl) for rd, sm, fl in zip(s.readings, sem, s.cue_flags, strict=True)]
    )


def pair_matrix(
    s: Stream, sem: Sequence[Semantics], items: np.ndarray, contradiction: np.ndarray
) -> np.ndarray:
    """ITEM_FEATURES of the later item + PAIR_FEATURES, one row per candidate pair."""
    best: dict[int, float] = {}
    for _, j, c in s.pairs:
        best[j] = max(best.get(j, -1.0), c.cos)
    distinct = candidate_distinctness([(j, s.readings[j].terms, s.readings[i].terms) for i, j, _ in s.pairs])
    rows = []
    for k, (i, j, c) in enumerate(s.pairs):
        ctx = PairContext(c.cos, best[j], c.rank, float(s.stance[k]), float(contradiction[k]), *distinct[k])
        rows.append(
            np.concatenate([items[j], pair_features(s.readings[i], s.readings[j], sem[i], ctx, sem[j].self_)])
        )
    width = items.shape[1] if len(items) else 0
    return np.vstack(rows) if rows else np.zeros((0, width), dtype=np.float32)


def pair_labels(s: Stream) -> np.ndarray:
    """1 when the later item is a follow-up of the earlier item's story (claim or earlier follow-up)."""
    out = np.zeros(len(s.pairs), dtype=np.int8)
    for k, (i, j, _) in enumerate(s.pairs):
        a, b = s.rows[i], s.rows[j]
        out[k] = int(
            b.follow_up and b.story is not None and a.story == b.story and (a.role == "claim" or a.follow_up)
        )
    return out


__all__ = ["Stream", "item_matrix", "pair_labels", "pair_matrix", "prepare"]
