"""Small text helpers shared by the actor, cue and statement code.

Everything here is pure and cheap: folding (case + diacritics) that keeps character offsets
stable, sentence splitting, word tokens and a stop-word language guess for en/es/fr/de/pt.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "LANGUAGES",
    "fold",
    "fold_char",
    "guess_language",
    "normalise_space",
    "split_sentences",
    "words",
]

LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "de", "pt")

# Typographic variants folded to ASCII so the lexicons can be written once.
_PUNCT = {
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "\u00b4": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u00a0": " ",
    "\u202f": " ",
}


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """One character folded: lower case, accents stripped, quotes normalised; always length 1."""
    if ch in _PUNCT:
        return _PUNCT[ch]
    if ch == "ß":  # keep offsets stable: ß -> s (one char) rather than "ss"
        return "s"
    low = ch.lower()
    if len(low) != 1:
        low = ch
    base = unicodedata.normalize("NFD", low)[0]
    return base if len(base) == 1 else low


class _FoldTable(dict[int, str]):
    """A str.translate table that folds each new character once and remembers it."""

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form of `text` with the SAME length, so spans map back."""
    return text.translate(_FOLD_TABLE)


def normalise_space(text: str) -> str:
    """Collapse runs of white space to one space and strip the ends."""
    return re.sub(r"\s+", " ", text).strip()


_WORD = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*", re.UNICODE)


def words(text: str) -> list[str]:
    """Folded word tokens (hyphenated and apostrophe words kept whole)."""
    return _WORD.findall(fold(text))


# Abbreviations whose trailing dot does not end a sentence.
_ABBREV = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "sgt", "capt", "gov", "sen", "rep", "st",
    "u.s", "u.n", "u.k", "e.u", "no", "vs", "sr", "sra", "dra", "jr", "mt", "ft", "inc", "corp",
    "co", "ltd", "prof", "pres", "mme", "m", "mlle", "hr", "fr", "nr", "bzw", "ca", "z.b", "etc",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "art",
    "eeuu", "ee.uu", "p", "pp", "s.a", "cia", "dep", "gral", "lic", "ing",
}  # fmt: skip

_SENT_END = re.compile(r"([.!?;]+|\u2026)([\"')\]]*)\s+(?=[\"'(\[¿¡«\u201c]?[A-ZÀ-ÖØ-Þ0-9])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text`; newlines and `. X` boundaries, abbreviations kept.

    Spans, not strings, so callers can map cue and actor offsets back into the item text.
    """
    spans: list[tuple[int, int]] = []
    for block in re.finditer(r"[^\n]+", text):
        b0 = block.start()
        chunk = block.group(0)
        start = 0
        for m in _SENT_END.finditer(chunk):
            before = chunk[start : m.start()].rstrip()
            last = re.search(r"(\S+)$", before)
            tok = last.group(1).lower().strip("\"'(") if last else ""
            if m.group(1) == "." and (tok in _ABBREV or re.fullmatch(r"(?:[a-z]\.)*[a-z]", tok)):
                continue
            end = m.end(2)
            if chunk[start:end].strip():
                spans.append(_trim(text, b0 + start, b0 + end))
            start = m.end()
        if chunk[start:].strip():
            spans.append(_trim(text, b0 + start, b0 + len(chunk)))
    return spans


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


# Frequent function words that are (nearly) unique to one language. Folded forms.
_STOP: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to in is that for was with on as by it at from says said has have were this "
        "are an be not its after over will would who which their".split()
    ),
    "es": frozenset(
        "el la los las de del que en y por con para una un se su es al lo como mas pero sus fue "
        "este esta dijo segun tras sobre ha sido desde entre aseguro afirmo".split()
    ),
    "fr": frozenset(
        "le la les des du de et est une un pour dans par sur au aux qui que pas ce cette selon "
        "il elle ont a ete avec sont apres mais ses leur".split()
    ),
    "de": frozenset(
        "der die das und ist nicht mit von den dem des ein eine im zu auf fur sich nach bei auch "
        "wird wurde sind hat haben laut uber aus vom zum zur".split()
    ),
    "pt": frozenset(
        "o a os as de do da dos das que em e um uma para com por no na nos nas nao ao foi sao "
        "segundo disse pelo pela sobre apos mas seu sua".split()
    ),
}
# Words shared by several languages carry no signal.
_SHARED = {w for lang, ws in _STOP.items() for w in ws if sum(w in o for o in _STOP.values()) > 1}
_STOP = {lang: ws - _SHARED for lang, ws in _STOP.items()}

_ORTHO = {
    "es": re.compile(r"[ñ¿¡]|ción\b|ón\b"),
    "pt": re.compile(r"[ãõ]|ção\b|ções\b|lh|nh"),
    "fr": re.compile(r"[èêëœç]|\bl'|\bd'|\bqu'"),
    "de": re.compile(r"[äöüß]|\bsch|ung\b"),
}


def guess_language(text: str, default: str | None = None) -> str | None:
    """Cheap guess among en/es/fr/de/pt from stop words and spelling; `default` if unsure."""
    toks = words(text)
    if not toks:
        return default
    scores: dict[str, float] = {lang: float(sum(1 for t in toks if t in ws)) for lang, ws in _STOP.items()}
    low = text.lower()
    for lang, rx in _ORTHO.items():
        scores[lang] += 0.5 * min(4, len(rx.findall(low)))
    best = max(scores, key=lambda k: scores[k])
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] < 1 or ranked[0] - ranked[1] < 0.5:
        return default
    return best
