"""The text toolkit every part of the bot uses: folding (case and accents), words, white space,
sentences, stop words and a cheap language guess. Pure and cheap.

The folds, and why there is more than one:

- `fold(text)`: the form texts are compared in (the search index and its queries, topic terms,
  names): compatibility forms decomposed ("ﬁ" -> "fi"), accents removed, case folded ("ß" ->
  "ss"). Its length may differ from the text's.
- `fold_keep_offsets(text)` (and `fold_char` for one character): the same idea one character for
  one character, so a span found in the folded text is the span in the original (the rule
  readers: cues, statements, actors). Quotes and dashes are made ASCII, "ß" becomes "s".
- `strip_accents_keep_case(text)`: accents removed, case kept, same length (case-sensitive names).
- `lower_keep_accents(text)`: lower case with accents kept and quotes made ASCII, the form the
  stance model's features were trained on.

Accents are the marks of Latin, Greek and Cyrillic letters (the Unicode combining diacritical
marks). Scripts whose marks are part of the letter are left as they are: Hangul syllables,
kana with voicing marks ("が" is not "か"), Arabic, Hebrew, Indic and Thai.

Stop words per language and use come from `bot/data/stopwords.toml` (`stop_words`).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

__all__ = [
    "LANGUAGES",
    "STOP_WORDS_PATH",
    "base_language",
    "fold",
    "fold_char",
    "fold_keep_offsets",
    "guess_language",
    "lower_keep_accents",
    "normalise_space",
    "split_sentences",
    "stop_words",
    "strip_accents_keep_case",
    "words",
]

# The languages the language guess (and the rule readers' lexicons) know.
LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "de", "pt")
STOP_WORDS_PATH = Path(__file__).resolve().parent / "data" / "stopwords.toml"

# Accents: the combining marks of the combining diacritical mark blocks (basic, extended,
# supplement, for symbols, half marks) and of Cyrillic, what Latin, Greek and Cyrillic letters
# decompose into besides their base letter. Marks of other scripts (kana voicing, Arabic hamza
# and vowels, Hebrew points, Indic nukta) are not accents; nor are enclosing marks.
_ACCENT_BLOCKS = (
    (0x0300, 0x036F), (0x0483, 0x0489), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF),
    (0x2DE0, 0x2DFF), (0xA66F, 0xA67D), (0xA69E, 0xA69F), (0xFE20, 0xFE2F),
)  # fmt: skip
_ACCENTS = re.escape(
    "".join(
        ch for lo, hi in _ACCENT_BLOCKS for ch in map(chr, range(lo, hi + 1)) if unicodedata.combining(ch)
    )
)
_ACCENT_RUN = re.compile(f"[{_ACCENTS}]+")
_ONLY_ACCENTS = re.compile(f"[{_ACCENTS}]*")

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


def fold(text: str) -> str:
    """Lower case without accents, compatibility forms decomposed: 'Secretaría' -> 'secretaria',
    'Öl' -> 'ol', 'Straße' -> 'strasse', 'ﬁ' -> 'fi'; Hangul, kana and Arabic stay as written.

    The form of search documents and queries, topic terms and names. The length may change;
    use `fold_keep_offsets` where spans must map back.
    """
    if text.isascii():
        return text.lower()
    stripped = _ACCENT_RUN.sub("", unicodedata.normalize("NFKD", text)).casefold()
    # NFKD also took apart what other scripts write as one character (Hangul syllables, kana
    # with voicing marks): put it back together.
    return stripped if stripped.isascii() else unicodedata.normalize("NFC", stripped)


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
    decomposed = unicodedata.normalize("NFD", low)
    if len(decomposed) == 1:
        return decomposed  # no marks (canonical singletons such as the ohm sign included)
    # A letter with accents loses them; a Hangul syllable or a kana with its voicing mark is
    # one letter of its script and stays whole.
    # (lower again: a capital whose lower case is two characters, Turkish "İ", arrives here as is)
    return decomposed[0].lower() if _ONLY_ACCENTS.fullmatch(decomposed, 1) else low


class _FoldTable(dict[int, str]):
    """A str.translate table that folds each new character once and remembers it."""

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold_keep_offsets(text: str) -> str:
    """Case- and accent-insensitive form of `text` with the SAME length, so spans map back."""
    return text.translate(_FOLD_TABLE)


class _CasedTable(dict[int, str]):
    """A str.translate table: accents removed, case kept, one character per character."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        f = fold_char(c)
        out = f.upper() if c.isupper() and f.upper() != f and len(f.upper()) == 1 else f
        self[code] = out
        return out


_CASED_TABLE = _CasedTable()


def strip_accents_keep_case(text: str) -> str:
    """Accents removed but case kept, one character per character (for case-sensitive names)."""
    return text.translate(_CASED_TABLE)


def lower_keep_accents(text: str) -> str:
    """Lower case with accents kept and curly quotes made ASCII, so "didn’t" and "didn't" are one
    token: the stance model's form (its weights were trained on accented words)."""
    text = unicodedata.normalize("NFC", text).lower()
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")


def normalise_space(text: str) -> str:
    """Collapse runs of white space to one space and strip the ends."""
    return re.sub(r"\s+", " ", text).strip()


_WORD = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*", re.UNICODE)


def words(text: str) -> list[str]:
    """Folded word tokens (hyphenated and apostrophe words kept whole)."""
    return _WORD.findall(fold_keep_offsets(text))


# --- sentences -----------------------------------------------------------------------------------

# Abbreviations whose trailing dot does not end a sentence.
_ABBREV = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "sgt", "capt", "gov", "sen", "rep", "st",
    "u.s", "u.n", "u.k", "e.u", "no", "vs", "sr", "sra", "dra", "jr", "mt", "ft", "inc", "corp",
    "co", "ltd", "prof", "pres", "mme", "m", "mlle", "hr", "fr", "nr", "bzw", "ca", "z.b", "etc",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "art",
    "eeuu", "ee.uu", "p", "pp", "s.a", "cia", "dep", "gral", "lic", "ing",
}  # fmt: skip

# a sentence begins with a capital (Latin or Cyrillic) or a figure
_SENT_END = re.compile(r"([.!?;]+|\u2026)([\"')\]]*)\s+(?=[\"'(\[¿¡«\u201c]?[A-ZÀ-ÖØ-ÞА-ЯЁ0-9])")
# Chinese and Japanese end a sentence with a full stop of their own and write no space or capital
# after it ("…を否定した。同省は…"); a stop inside a quotation ends the quotation, not the sentence
# ("「撤回する。」と述べた"). Its empty second group stands where `_SENT_END` has closing quotes.
_SENT_END_FULL_WIDTH = re.compile(r"([\u3002\uff01\uff1f]+)()(?![\u300d\u300f\uff09\u201d\"')])\s*(?=\S)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text`; newlines, `. X` and full-width `。` boundaries,
    abbreviations kept.

    Spans, not strings, so callers can map cue and actor offsets back into the item text.
    """
    spans: list[tuple[int, int]] = []
    for block in re.finditer(r"[^\n]+", text):
        b0 = block.start()
        chunk = block.group(0)
        start = 0
        ends = sorted(
            [*_SENT_END.finditer(chunk), *_SENT_END_FULL_WIDTH.finditer(chunk)], key=lambda m: m.start()
        )
        for m in ends:
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


# --- stop words and the language guess -----------------------------------------------------------


class StopWordsError(ValueError):
    """The stop-word file cannot be read or has a bad entry (names the file and key)."""


@cache
def _stop_lists(path: Path = STOP_WORDS_PATH) -> dict[str, dict[str, frozenset[str]]]:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise StopWordsError(f"{path}: cannot read: {e}") from None
    out: dict[str, dict[str, frozenset[str]]] = {}
    for language, uses in data.items():
        if not isinstance(uses, dict):
            raise StopWordsError(f"{path}: [{language}]: expected a table of lists")
        for use, items in uses.items():
            if not isinstance(items, list) or not all(isinstance(w, str) and w for w in items):
                raise StopWordsError(f"{path}: {language}.{use}: expected a list of words")
            out.setdefault(use, {})[language] = frozenset(items)
    return out


def stop_words(use: str, language: str | None = None, *, path: Path = STOP_WORDS_PATH) -> frozenset[str]:
    """The stop words of one use ("guess", "topic", "search", "stance"; see the file): one
    language's, or all languages' together. Raises StopWordsError for a use no language has."""
    by_language = _stop_lists(path).get(use)
    if not by_language:
        raise StopWordsError(f"{path}: no stop-word list {use!r}")
    if language is not None:
        return by_language.get(language, frozenset())
    return frozenset().union(*by_language.values())


def _guess_lists() -> dict[str, frozenset[str]]:
    lists = {lang: stop_words("guess", lang) for lang in LANGUAGES}
    # Words shared by several languages carry no signal.
    shared = {w for ws in lists.values() for w in ws if sum(w in o for o in lists.values()) > 1}
    return {lang: ws - shared for lang, ws in lists.items()}


_GUESS = _guess_lists()
_ORTHO = {
    "es": re.compile(r"[ñ¿¡]|ción\b|ón\b"),
    "pt": re.compile(r"[ãõ]|ção\b|ções\b|lh|nh"),
    "fr": re.compile(r"[èêëœç]|\bl'|\bd'|\bqu'"),
    "de": re.compile(r"[äöüß]|\bsch|ung\b"),
}


def base_language(code: str | None) -> str:
    """A language tag's primary subtag, lower case: "pt-BR", "pt_br" -> "pt"; "" for none."""
    return (code or "").replace("_", "-").split("-")[0].lower()


def guess_language(text: str, default: str | None = None) -> str | None:
    """Cheap guess among en/es/fr/de/pt from stop words and spelling; `default` if unsure."""
    toks = words(text)
    if not toks:
        return default
    scores: dict[str, float] = {lang: float(sum(1 for t in toks if t in ws)) for lang, ws in _GUESS.items()}
    low = text.lower()
    for lang, rx in _ORTHO.items():
        scores[lang] += 0.5 * min(4, len(rx.findall(low)))
    best = max(scores, key=lambda k: scores[k])
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] < 1 or ranked[0] - ranked[1] < 0.5:
        return default
    return best
