"""Topic terms of an item: the names, numbers and word stems two items about one event share.

Meaning is the encoder's job; these terms add what it blurs: the same names ("Sinaloa",
"Vardar bridge") and the same or conflicting figures. Diacritics are folded, stems are light,
and a small es/fr/de/pt -> en gloss (`data/gloss.toml`) plus every country's names and demonyms
(registered from the gazetteer) make a Spanish denial share terms with an English claim. Pure
and synchronous.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.text import fold, stop_words

# --- text features -----------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:[.,'][^\W_]+)*", re.UNICODE)
_NUMBER = re.compile(r"^\d[\d.,]*$")

# Function words of the five languages plus the cue and reporting verbs themselves: they say
# *that* something was said or denied, not *what* it is about, so they must not make two
# unrelated disputes look alike (bot/data/stopwords.toml, "topic").
STOP_WORDS = stop_words("topic")

GLOSS_PATH = Path(__file__).resolve().parent / "data" / "gloss.toml"


class GlossError(ValueError):
    """The gloss file cannot be read or has a bad entry (names the file and key)."""


def read_gloss(path: Path = GLOSS_PATH) -> dict[str, str]:
    """The gloss: folded word (Spanish, French, German, Portuguese or English) -> English stem,
    so that a Spanish denial shares terms with an English claim. Kept short on purpose: names
    and numbers already cross languages."""
    try:
        table = tomllib.loads(path.read_text("utf-8")).get("gloss")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise GlossError(f"{path}: cannot read: {e}") from None
    if not isinstance(table, dict):
        raise GlossError(f"{path}: expected a [gloss] table")
    out: dict[str, str] = {}
    for english, words in table.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise GlossError(f"{path}: gloss.{english}: expected a list of words")
        for w in words:
            if out.get(w, english) != english:
                raise GlossError(f"{path}: gloss.{english}: {w!r} is already glossed as {out[w]!r}")
            out[w] = english
    return out


# Folded word -> English stem; `register_places` adds country names and demonyms.
_GLOSS: dict[str, str] = read_gloss()


_SHORT_PLACES: dict[str, str] = {}


def register_places(places: Iterable[tuple[str, Iterable[str]]]) -> None:
    """Teach the gloss country names and demonyms: ('ir', ['Iran', 'Irán', 'iraní', 'Iranian']).

    Every form maps to one token per country, so 'misil iraní' meets 'Iranian missile' and
    'Irán' meets 'Iran'. The detector registers the gazetteer's countries at start.
    """
    for code, words in places:
        token = f"cty{code.lower()}"
        for w in words:
            f = fold(w).replace(".", "").strip()
            if " " in f:
                continue
            if len(f) == 2:
                # two-letter names only when written in capitals ("US", not "us")
                if w.replace(".", "").isupper():
                    _SHORT_PLACES.setdefault(f, token)
                continue
            if len(f) < 3:
                continue
            _GLOSS.setdefault(f, token)
    extract_terms.cache_clear()
    _one_name_terms.cache_clear()


def stem(word: str) -> str:
    """A light, language-agnostic stem: glossed to English when known, else suffixes trimmed.

    Crude on purpose: it only has to make 'labs'/'lab', 'operations'/'operation' and
    'desmintió'/'desmiente' meet, and it must stay cheap (it runs on every item).
    """
    w = _GLOSS.get(word)
    if w is not None:
        return w
    if word.isdigit():
        return word
    if len(word) <= 4:
        return word[:-1] if len(word) == 4 and word.endswith("s") and not word.endswith("ss") else word
    for suffix in (
        "iones",
        "ments",
        "ation",
        "ement",
        "mente",
        "ungen",
        "ing",
        "ion",
        "ied",
        "ies",
        "es",
        "ed",
        "s",
        "e",
        "a",
        "o",
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    w = _GLOSS.get(word)
    return w if w is not None else word[:8]


def _number(token: str) -> str | None:
    digits = token.replace(",", "").replace(".", "")
    if not digits.isdigit():
        return None
    # Years are topic (2014, 2023) but also noise; keep them as terms like any number.
    return "#" + digits.lstrip("0") if digits.strip("0") else None


@dataclass(frozen=True, slots=True)
class Terms:
    """The topical fingerprint of a text: stems, with names and numbers kept separately."""

    words: frozenset[str]
    names: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()

    @property
    def all(self) -> frozenset[str]:
        """Every term, names and numbers included."""
        return self.words | self.names | self.numbers

    def union(self, other: Terms) -> Terms:
        """Both fingerprints together (a dispute's terms grow with its evidence)."""
        return Terms(self.words | other.words, self.names | other.names, self.numbers | other.numbers)

    def serialise(self) -> str:
        """One space-separated string, as stored in `disputes.terms`."""
        return " ".join(sorted(self.words) + sorted("@" + n for n in self.names) + sorted(self.numbers))

    @classmethod
    def parse(cls, stored: str) -> Terms:
        """The inverse of `serialise`."""
        words, names, numbers = set(), set(), set()
        for t in stored.split():
            if t.startswith("@"):
                names.add(t[1:])
            elif t.startswith("#"):
                numbers.add(t)
            else:
                words.add(t)
        return cls(frozenset(words), frozenset(names), frozenset(numbers))


# A Hangul syllable is a block of two or three letters: two syllables are a word long enough.
_HANGUL_WORD = re.compile("[\uac00-\ud7a3]{2}")
# French and Italian elided articles and prepositions: "L'ARS" is the word "ARS".
_ELISION = re.compile(r"^(?:[lLdDjJnNsScCmMtT]|[qQ]u|[dD]ell|[aA]ll|[nN]ell|[sS]ull)'(?=\w)")


# A story's topic is in its headline and lead. Whole-article feeds would otherwise compare
# hundreds of background words, and two long articles on one war would look like one story.
LEAD_CHARS = 600


def topic_text(title: str, text: str) -> str:
    """The headline and the lead (about the first LEAD_CHARS characters, cut at a sentence end)."""
    lead = text
    if len(text) > LEAD_CHARS:
        cut = text[:LEAD_CHARS]
        end = max(cut.rfind(". "), cut.rfind(".\n"), cut.rfind("? "), cut.rfind("! "))
        lead = cut[: end + 1] if end > LEAD_CHARS // 3 else cut
    return f"{title}. {lead}"


@lru_cache(maxsize=4096)
def extract_terms(text: str) -> Terms:
    """Topic terms of a text: stems of content words, capitalised names, numbers.

    Names are words that start with a capital letter other than at the start of a
    sentence; they are folded and stemmed like other words so 'Sinaloa' in a Spanish
    headline meets 'Sinaloa' in an English post.
    """
    words: set[str] = set()
    names: set[str] = set()
    unsure: set[str] = set()  # capitalised in a title-cased or all-caps sentence: maybe a name
    numbers: set[str] = set()
    sentence_start = True
    cased = _cased_sentences(text)
    for m in _WORD.finditer(text):
        raw = _ELISION.sub("", m.group(0))
        before = text[max(0, m.start() - 2) : m.start()]
        if any(c in before for c in ".!?:\n"):
            sentence_start = True
        if raw[0].isdigit():
            num = _number(raw)
            if num:
                numbers.add(num)
            sentence_start = False
            continue
        folded = fold(raw.replace("'", "").replace(".", ""))
        if folded.endswith("s") and raw.endswith("'s"):
            folded = folded[:-1]
        if len(folded) == 2 and raw.replace(".", "").isupper() and folded in _SHORT_PLACES:
            names.add(_SHORT_PLACES[folded])  # "US", "UK", "EU" (written in capitals only)
            sentence_start = False
            continue
        if (len(folded) < 3 and not _HANGUL_WORD.fullmatch(folded)) or folded in STOP_WORDS:
            sentence_start = False
            continue
        s = stem(folded)
        if raw[0].isupper() and not sentence_start and not raw.isupper() or (raw.isupper() and len(raw) >= 3):
            (unsure if _in_spans(m.start(), cased) else names).add(s)
        else:
            words.add(s)
        sentence_start = False
    # a capital in a title-cased headline ("Minister Issues Correction on Jobs Numbers") says
    # nothing: such a word is a name only when the text also writes it as one in plain case
    words |= unsure - names
    words -= names
    return Terms(frozenset(words), frozenset(names), frozenset(numbers))


# A sentence is title-cased (or in capitals) when at least this share of its longer words
# (4+ letters, 3 at least) start with a capital.
_TITLE_SHARE = 0.75
_SENTENCE = re.compile(r"[^.!?:\n]+")


def _cased_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences written in title case or in capitals."""
    out = []
    for sm in _SENTENCE.finditer(text):
        long_words = [w for w in _WORD.findall(sm.group(0)) if len(w) >= 4 and w[0].isalpha()]
        if len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) >= _TITLE_SHARE * len(long_words):
            out.append(sm.span())
    return out


def _in_spans(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


# Names weigh most (places, people, organisations), then numbers, then other words.
_W_NAME, _W_NUMBER, _W_WORD = 2.5, 1.5, 1.0


def _weight(t: Terms) -> float:
    return _W_NAME * len(t.names) + _W_NUMBER * len(t.numbers) + _W_WORD * len(t.words)


def overlap(a: Terms, b: Terms) -> float:
    """Weighted cosine of two fingerprints in [0, 1]; names count across the word/name split.

    A word capitalised in one text and not in the other (a headline in title case) still
    matches, at the lower weight.
    """
    wa, wb = _weight(a), _weight(b)
    if wa == 0 or wb == 0:
        return 0.0
    shared_names = a.names & b.names
    shared = _W_NAME * len(shared_names) + _W_NUMBER * len(a.numbers & b.numbers)
    a_all, b_all = a.words | a.names, b.words | b.names
    shared += _W_WORD * len((a_all & b_all) - shared_names)
    return min(1.0, shared / math.sqrt(wa * wb))


def name_terms(*names: str) -> frozenset[str]:
    """The terms of parties' names ("Donald Trump" -> donald, trump), to leave out where sharing
    a party is no sign of sharing an event."""
    return frozenset().union(*(_one_name_terms(n) for n in names))


def share_beyond(a: Terms, b: Terms, names: frozenset[str]) -> bool:
    """Whether two fingerprints share a term that is none of `names` (`name_terms` of the
    parties): sharing only who speaks and whose statement is at stake is no sign of one event."""
    return bool((a.all & b.all) - names)


@lru_cache(maxsize=4096)
def _one_name_terms(name: str) -> frozenset[str]:
    # parties recur in every item about them: read each name once
    a, b = extract_terms(name), extract_terms(name.lower())  # as a name, and as stemmed words
    return a.names | a.words | b.names | b.words


def shared_terms(a: Terms, b: Terms, limit: int = 6) -> list[str]:
    """The shared terms, names first, for the human-readable reasons."""
    names = sorted(a.names & b.names)
    nums = sorted(n.lstrip("#") for n in a.numbers & b.numbers)
    words = sorted(((a.words | a.names) & (b.words | b.names)) - set(names))
    return (names + nums + words)[:limit]


def readable_terms(terms: Sequence[str], text: str) -> tuple[str, ...]:
    """The words of `text` behind stemmed terms ('sinalo' -> 'Sinaloa'), for reasons people read.

    Terms the text does not show (a gloss from another language's word) are left out; when
    none is found, the terms stay as they are.
    """
    found: dict[str, str | None] = dict.fromkeys(terms)
    for m in _WORD.finditer(text):
        raw = _ELISION.sub("", m.group(0))
        if raw[0].isdigit():
            key = raw.replace(",", "").replace(".", "").lstrip("0")
        else:
            folded = fold(raw.replace("'", "").replace(".", ""))
            if folded.endswith("s") and raw.endswith("'s"):
                folded, raw = folded[:-1], raw[:-2]
            key = stem(folded)
        if key in found and found[key] is None:
            found[key] = raw
    return tuple(w for w in found.values() if w) or tuple(terms)
