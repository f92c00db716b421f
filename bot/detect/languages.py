"""Which language an item is in, when its feed does not say.

`py3langid` (BSD; langid.py's model, 97 languages, shipped inside the package, numpy only)
rather than our own stop-word guess: it covers every language the encoder reads (Japanese,
Russian, Italian, ...), not just the five the cue lexicons know.
"""

from __future__ import annotations

import threading
from functools import lru_cache

_lock = threading.Lock()
_identifier: object | None = None


def _model() -> object:
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _identifier


def load() -> None:
    """Load the language model now (a detector loads its models before its first batch)."""
    _model()


@lru_cache(maxsize=4096)
def detect_language(text: str, min_probability: float = 0.5) -> str | None:
    """ISO 639-1 code of `text`'s language, or None when the text is too short or it is unsure."""
    sample = text.strip()[:400]
    if len(sample) < 5:
        return None
    lang, prob = _model().classify(sample)  # type: ignore[attr-defined]
    return str(lang) if float(prob) >= min_probability else None


__all__ = ["detect_language", "load"]
