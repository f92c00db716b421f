"""Actor words in many languages and scripts: the language files, and an index that finds them.

`actors.py` reads the gazetteer with rules made for English, Spanish, French, German and
Portuguese: words between spaces, "'s" possessives, case rules for short names. Other languages
need other rules, and those rules are data too, one file per language under
`bot/detect/data/lang/<language>.toml` (see `it.toml` for the format), plus country and capital
names generated from CLDR (`data/country_names.json`, by `scripts/gen_country_names.py`):

- scripts without spaces (Chinese, Japanese, Thai) are matched inside runs of characters
  ("中国外交部" = 中国 + 外交部); a katakana name may not continue another katakana word;
- inflection is an allowance per language: paradigms give the forms a word takes
  ("Россия" -> "России", "российский" -> "российского", "polska" -> "polskiej"), prefixes may be
  glued to the first word (Arabic "و", "ب", "لل"; Italian "dell'"), suffixes to the last
  (Korean particles "국방부는", Turkish cases "Rusya'nın", Swedish genitive "Sveriges");
- a role word combines with a country named next to it, before or after as the language puts
  it, across the linking words it allows ("ministero della Difesa russo", "Минобороны России",
  "러시아 국방부", "Rusya'nın Savunma Bakanlığı"); some words only count next to a country
  ("美" in "美国防部", "军" in "俄军", "側" in "韓国側"); a title next to a named person is
  that person's ("プーチン大統領"), a spokesperson's words join the body they speak for;
- a country word in a sports result (a sports word in the text, or a score next to it) is a team
  or a venue, not the state.

Matching works on a normalised copy of the text (`normalise`): case and accents folded as in
`bot.text.fold_keep_offsets` (which leaves Hangul, kana, Han and Thai whole); Turkish dotless i
and Arabic letter variants unified (a hamza or madda is dropped); Arabic vowel marks and tatweel
removed (offsets map back).
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from bot.text import base_language, fold_char

__all__ = [
    "COUNTRY_NAMES_PATH",
    "LANGUAGE_DIR",
    "Found",
    "Kind",
    "Language",
    "LanguageFileError",
    "Lexicon",
    "Scan",
    "Term",
    "TermIndex",
    "is_cased",
    "needs_term_index",
    "normalise",
    "extended_index",
    "packaged_lexicon",
    "read_country_names",
    "read_language_file",
    "read_toml",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGE_DIR = DATA_DIR / "lang"
COUNTRY_NAMES_PATH = DATA_DIR / "country_names.json"

# Languages whose country names the Latin-script rules in actors.py already read.
OLD_LANGUAGES = frozenset({"en", "es", "fr", "de", "pt"})


class LanguageFileError(ValueError):
    """A language file that cannot be read or has a bad entry (names the file and key)."""


# --- normalising ---------------------------------------------------------------------------------

_NOSPACE = "\u0e00-\u0e7f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3"
_KEEP = re.compile(f"[{_NOSPACE}{_HANGUL}]")
_NOSPACE_CHAR = re.compile(f"[{_NOSPACE}]")
_KATAKANA = re.compile("[\u30a0-\u30ff]")
# Arabic vowel marks, tatweel, zero-width joiners and soft hyphens carry no letters: removed.
_DROP = frozenset([*range(0x064B, 0x0660), 0x0670, 0x0640, 0x200C, 0x200D, 0x00AD])
# Arabic letters with hamza or madda ("أ", "إ", "آ", "ؤ", "ئ") match their bare letter: writers
# often leave the hamza out.
_ARABIC_BARE = {
    ch: unicodedata.normalize("NFD", ch)[0]
    for ch in map(chr, range(0x0600, 0x0700))
    if len(unicodedata.normalize("NFD", ch)) > 1
}
_OVERRIDE = {"ı": "i", "İ": "i", "ة": "ه", "ى": "ي"} | _ARABIC_BARE


class _NormTable(dict[int, str | None]):
    """A str.translate table built on demand (see `normalise`)."""

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        out: str | None
        if code in _DROP:
            out = None
        elif ch in _OVERRIDE:
            out = _OVERRIDE[ch]
        elif _KEEP.match(ch):
            out = ch  # NFD would cut a Hangul syllable down to its first consonant
        else:
            out = fold_char(ch)
        self[code] = out
        return out


_NORM = _NormTable()


def normalise(text: str) -> tuple[str, tuple[int, ...] | None]:
    """The matching form of `text`, and where each of its characters comes from when some
    were removed (None: same length, same offsets)."""
    out = text.translate(_NORM)
    if len(out) == len(text):
        return out, None
    return out, tuple(i for i, ch in enumerate(text) if _NORM[ord(ch)] is not None)


_OTHER_SCRIPT = re.compile("[^\\W\\d_\u0000-\u024f\u1e00-\u1eff]")


def needs_term_index(text: str) -> bool:
    """True when a name has letters the Latin-script matcher in actors.py cannot read."""
    return not text.isascii() and _OTHER_SCRIPT.search(text) is not None


def is_cased(term: str) -> bool:
    """Acronyms and one-word names must be capitalised in the text to match (as in actors.py)."""
    letters = [c for c in term if c.isalpha()]
    if not letters or not any(c.isupper() or c.islower() for c in letters):
        return False  # no case in this script
    if all(c.isupper() for c in letters) and len(letters) <= 6:
        return True
    return " " not in term.strip() and term[:1].isupper()


def _is_acronym(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return bool(letters) and len(letters) <= 6 and all(c.isupper() for c in letters)


# --- languages -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paradigm:
    """Forms of a word ending in `ends`: drop `drop` letters, add one of `add` (with `article`)."""

    ends: str
    drop: int
    add: tuple[str, ...]
    article: tuple[str, ...] = ("",)


@dataclass(frozen=True, slots=True)
class Language:
    """How one language's words may appear in a text, and how it links a role to a country."""

    code: str
    home: str | None = None  # bare roles belong here when neither text nor context names a country
    paradigms: tuple[Paradigm, ...] = ()
    inflect: frozenset[str] = frozenset()  # which term forms take the paradigms
    suffixes: frozenset[str] = frozenset()
    suffixed: frozenset[str] | None = None  # forms taking plain (not apostrophe) suffixes; None: all
    prefixes: tuple[tuple[str, str], ...] = ()  # (glued prefix, what it stands for) longest first
    before: frozenset[str] = frozenset()  # words allowed between a country and a role after it
    after: frozenset[str] = frozenset()  # ... between a role and a country after it
    before_pattern: re.Pattern[str] | None = None
    place_marks: tuple[str, ...] = ()  # right before a country: a place, not the owner ("驻华")
    glue: tuple[tuple[str, str], ...] = ()  # (word, role) glued to a country name: "러시아군"

    def forms(self, word: str, form: str) -> set[str]:
        """Every surface form of one (normalised) word of a term of this `form`."""
        out = {word}
        if form in self.inflect:
            best: Paradigm | None = None
            for p in self.paradigms:
                if word.endswith(p.ends) and (best is None or len(p.ends) > len(best.ends)):
                    best = p
            if best is not None and len(word) - best.drop >= 2:
                stem = word[: len(word) - best.drop]
                out |= {a + stem + x for a in best.article for x in best.add}
        return out


_DEFAULT = Language(code="")


# --- terms ---------------------------------------------------------------------------------------


class Kind(StrEnum):
    """What a term names."""

    ACTOR = "actor"  # a named actor, or a role of one country ("jp.ministry.defence")
    COUNTRY = "country"  # a country's name, capital, adjective or bound abbreviation
    ROLE = "role"  # an office or body of whichever country is named next to it
    SPEAKS_FOR = "speaks_for"  # "spokesperson": grows an adjacent mention, names nobody alone
    SPORTS = "sports"  # a word that makes the text a sports story
    IGNORE = "ignore"  # a word that contains a name but is not one ("以军事": by military means)


@dataclass(frozen=True, slots=True)
class Term:
    """One word or phrase to find, and what it names."""

    text: str
    kind: Kind
    value: str  # actor key / role key (ACTOR), country code (COUNTRY), role id (ROLE)
    language: Language = _DEFAULT
    form: str = "name"  # COUNTRY: name | capital | adjective | abbreviation; others: their kind
    port: str | None = None
    bound: bool = False  # only next to a country
    country: str | None = None  # ROLE: the country the term itself names ("러시아군")
    home: str | None = None  # ROLE: overrides the language's home ("국방성": North Korea's)
    source: str = ""  # "file: table.key" for messages


@dataclass(frozen=True, slots=True)
class Found:
    """A mention the index found: a named actor, a bare country, or a role (with its country)."""

    span: tuple[int, int]
    kind: Kind  # ACTOR, COUNTRY or ROLE
    value: str
    port: str | None = None
    country: str | None = None  # ROLE: the country named next to it
    home: str | None = None  # ROLE: its language's country, for bare roles


@dataclass(frozen=True, slots=True)
class Scan:
    """What one text holds: mentions, and whether it reads as a sports story."""

    found: tuple[Found, ...]
    sports: bool


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    term: Term
    inflected: bool = False  # found in an inflected form of a word or with a glued affix


@dataclass(frozen=True, slots=True)
class _Entry:
    term: Term
    rest: tuple[frozenset[str], ...]  # surface forms of the 2nd.. words
    rest_words: tuple[str, ...]  # the 2nd.. words as the term spells them


_TOKEN = re.compile(rf"[^\W_{_NOSPACE}]+(?:'[^\W_{_NOSPACE}]+)*")
_RUN = re.compile(f"[{_NOSPACE}]+")
_NEXT_TOKEN = re.compile(rf"[\s\-]{{1,3}}([^\W_{_NOSPACE}]+(?:'[^\W_{_NOSPACE}]+)*)")
# A match score right after or before a country word: "2-1", "3:0" (not a date or a decimal).
_SCORE_AFTER = re.compile(r" ?\d{1,2} ?[-:] ?\d{1,2}(?![\d:/-]|[.,]\d)")
_SCORE_BEFORE = re.compile(r"(?<![\d:/-])(?<![.,]\d)\d{1,2} ?[-:] ?\d{1,2} ?$")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


class TermIndex:
    """Every term, indexed so that a text is read with one or two dict lookups per word."""

    def __init__(self, terms: Iterable[Term]) -> None:
        # surface form of a term's first word -> (entry, letters of a glued suffix to leave out,
        # whether the form is an inflection of the term's language rather than the word itself)
        self._words: dict[str, list[tuple[_Entry, int, bool]]] = {}
        self._chars: dict[str, list[tuple[str, Term]]] = {}
        # terms that start in a spaced script and go on in a no-space one ("W杯"): found whole only
        self._mixed: list[tuple[str, Term]] = []
        self._suffixes: dict[str, set[str]] = {}  # suffix -> languages allowing it
        self._prefixes: dict[str, tuple[str, set[str]]] = {}  # prefix -> (rewrite, languages)
        self._cased: dict[int, str] = {}  # id(term) -> "acronym" | "capital"
        self._languages: set[str] = set()
        self._size = 0
        for t in terms:
            self._add(t)
        self._finish()

    def _finish(self) -> None:
        """Derive the lookup orders once every term is added."""
        self._suffix_lens = sorted({len(s) for s in self._suffixes}, reverse=True)
        self._prefix_by_first: dict[str, list[str]] = {}
        for p in sorted(self._prefixes, key=len, reverse=True):
            self._prefix_by_first.setdefault(p[0], []).append(p)
        for chars in self._chars.values():
            chars.sort(key=lambda x: -len(x[0]))

    def extended(self, extra: Iterable[Term]) -> TermIndex:
        """A copy of this index with `extra` terms added after its own; this one is unchanged.

        Same result as indexing every term again, for a fraction of the cost: an actor file adds
        a few hundred non-Latin aliases to the language files' thousands of inflected terms."""
        new = copy.copy(self)
        new._words = {k: list(v) for k, v in self._words.items()}
        new._chars = {k: list(v) for k, v in self._chars.items()}
        new._mixed = list(self._mixed)
        new._suffixes = {k: set(v) for k, v in self._suffixes.items()}
        new._prefixes = {k: (rewrite, set(langs)) for k, (rewrite, langs) in self._prefixes.items()}
        new._cased = dict(self._cased)
        new._languages = set(self._languages)
        for t in extra:
            new._add(t)
        new._finish()
        return new

    def __len__(self) -> int:
        return self._size

    def _add(self, t: Term) -> None:
        norm = normalise(t.text.strip())[0]
        if not norm:
            return
        self._size += 1
        lang = t.language
        if lang.code not in self._languages:
            self._languages.add(lang.code)
            for sfx in lang.suffixes:
                self._suffixes.setdefault(sfx, set()).add(lang.code)
            for p, rewrite in lang.prefixes:
                self._prefixes.setdefault(p, (rewrite, set()))[1].add(lang.code)
        if _is_acronym(t.text):
            self._cased[id(t)] = "acronym"
        elif (
            t.kind in (Kind.ACTOR, Kind.COUNTRY)
            and t.form in ("name", "capital", "actor")
            and is_cased(t.text)
        ):
            self._cased[id(t)] = "capital"
        if _NOSPACE_CHAR.match(norm):
            self._chars.setdefault(norm[0], []).append((norm, t))
            return
        if _NOSPACE_CHAR.search(norm):
            # split into words, "W杯" (the World Cup) would be indexed as its Latin part alone and
            # make every "George W. Bush" a sports story
            self._mixed.append((norm, t))
            return
        words = _tokens(norm)
        if not words:
            return
        acronym = self._cased.get(id(t)) == "acronym"  # "USA", "МИД": no declension ("USE")
        forms = [{w} if acronym else lang.forms(w, t.form) for w in words]
        entry = _Entry(t, tuple(frozenset(f) for f in forms[1:]), tuple(words[1:]))
        index = self._words
        # Plain Latin-script endings are spelled out ("polisi", "regeringens"): one lookup per word
        # when reading. Endings after an apostrophe ("Rusya'nın") and Hangul particles are cut
        # off when reading instead, which keeps the index small.
        glued = []
        if len(words) == 1 and norm.isascii() and (lang.suffixed is None or t.form in lang.suffixed):
            glued = [sfx for sfx in lang.suffixes if "'" not in sfx]
        for f in forms[0]:
            index.setdefault(f, []).append((entry, 0, f != words[0]))
            for sfx in glued:
                index.setdefault(f + sfx, []).append((entry, len(sfx), True))

    # --- finding -------------------------------------------------------------------------------

    def hits(self, norm: str, language: str | None = None) -> list[_Hit]:
        """Every term occurrence in a normalised text (overlaps included; combining comes later).

        With the text's `language`, another language's term counts only in its own spelling, not
        in one of its inflections: in an English headline "Bernie" is a name, not the Polish
        locative of Berno (Bern).
        """
        out = self._word_hits(norm)
        own = base_language(language)
        if own:
            out = [h for h in out if not h.inflected or h.term.language.code in ("", own)]
        if self._mixed and not norm.isascii():
            for tn, term in self._mixed:
                at = norm.find(tn)
                while at >= 0:
                    if at == 0 or not norm[at - 1].isalnum():
                        out.append(_Hit(at, at + len(tn), term))
                    at = norm.find(tn, at + 1)
        if self._chars and not norm.isascii():
            for m in _RUN.finditer(norm):
                run, base = m.group(0), m.start()
                for i, ch in enumerate(run):
                    for tn, term in self._chars.get(ch, ()):
                        if run.startswith(tn, i):
                            s, e = base + i, base + i + len(tn)
                            if _KATAKANA.match(tn[0]) and s > 0 and _KATAKANA.match(norm[s - 1]):
                                continue  # "マリ" is not inside "マリン"
                            if _KATAKANA.match(tn[-1]) and e < len(norm) and _KATAKANA.match(norm[e]):
                                continue
                            out.append(_Hit(s, e, term))
        return out

    def _word_hits(self, norm: str) -> list[_Hit]:
        # The hot loop of every mention lookup: one dict lookup per word, more only on a hit,
        # an apostrophe, a glued prefix's first letter, or a non-Latin word.
        out: list[_Hit] = []
        words_get = self._words.get
        prefixes_get = self._prefix_by_first.get
        for m in _TOKEN.finditer(norm):
            tok = m.group()
            found = words_get(tok)
            # glued prefixes and cut-off suffixes are Arabic, Hangul, or after an apostrophe
            glued = "'" in tok or not tok.isascii()
            if found is None and not glued:
                continue
            s, e = m.span()
            cands: list[tuple[str, int, str]] = [(tok, 0, "")]
            for p in prefixes_get(tok[0], ()) if glued else ():
                if tok.startswith(p) and len(tok) - len(p) >= 2:
                    rewrite = self._prefixes[p][0]
                    cands.append((rewrite + tok[len(p) :], max(0, len(p) - len(rewrite)), p))
            for core, cut, prefix in cands:
                self._match(norm, core, s + cut, e, prefix, "", out)
                if glued:
                    for sfx in self._cut_suffixes(core):
                        self._match(norm, core[: -len(sfx)], s + cut, e - len(sfx), prefix, sfx, out)
        return out

    def _cut_suffixes(self, core: str) -> Iterator[str]:
        """Endings that may be cut off a word: after an apostrophe, or any, in a non-Latin word."""
        if "'" in core:
            sfx = core[core.index("'") :]
            if sfx in self._suffixes:
                yield sfx
            return
        for n in self._suffix_lens:
            if len(core) - n >= 2 and core[-n:] in self._suffixes:
                yield core[-n:]

    def _match(self, norm: str, core: str, s: int, e: int, prefix: str, suffix: str, out: list[_Hit]) -> None:
        """Hits of the terms whose first word is `core` (found at s..e), checking glued affixes."""
        for entry, strip, inflected in self._words.get(core, ()):
            code = entry.term.language.code
            if prefix and code not in self._prefixes[prefix][1]:
                continue
            if suffix and (entry.rest or strip or code not in self._suffixes[suffix]):
                continue
            inflected = inflected or bool(prefix or suffix)
            if not entry.rest:
                out.append(_Hit(s, e - strip, entry.term, inflected))
            elif not suffix:
                found = self._rest(norm, e, entry)
                if found is not None:
                    out.append(_Hit(s, found[0], entry.term, inflected or found[1]))

    def _rest(self, norm: str, pos: int, entry: _Entry) -> tuple[int, bool] | None:
        """Where a multi-word term ends when its other words follow `pos`, and whether one of them
        is inflected; None when they do not follow."""
        last = len(entry.rest) - 1
        code = entry.term.language.code
        inflected = False
        for k, forms in enumerate(entry.rest):
            m = _NEXT_TOKEN.match(norm, pos)
            if m is None:
                return None
            tok, pos = m.group(1), m.end()
            if tok in forms:
                inflected = inflected or tok != entry.rest_words[k]
                continue
            if k != last:
                return None
            for n in self._suffix_lens:
                if len(tok) > n and tok[-n:] in self._suffixes and tok[:-n] in forms:
                    if code in self._suffixes[tok[-n:]]:
                        pos -= n
                        inflected = True
                        break
            else:
                return None
        return pos, inflected

    def scan(self, text: str, language: str | None = None) -> Scan:
        """Mentions in `text` (spans into `text`), role words combined with the country next to them;
        `language`, when known, is the text's (see `hits`)."""
        norm, offsets = normalise(text)
        hits = [h for h in self.hits(norm, language) if self._case_ok(h, text, offsets)]
        if not hits:
            return Scan((), False)
        ignored = [(h.start, h.end) for h in hits if h.term.kind is Kind.IGNORE]
        if ignored:
            hits = [h for h in hits if not any(h.start < e and s < h.end for s, e in ignored)]
        found, sports = _combine(hits, norm)
        if offsets is not None:
            found = [_remap(f, offsets) for f in found]
        return Scan(tuple(found), sports)

    def _case_ok(self, h: _Hit, text: str, offsets: tuple[int, ...] | None) -> bool:
        rule = self._cased.get(id(h.term))
        if rule is None:
            return True
        s, e = (offsets[h.start], offsets[h.end - 1] + 1) if offsets else (h.start, h.end)
        if rule == "capital":  # "Rabat", not a dateline's "RABAT" (as the Latin-script matcher)
            return text[s].isupper() and any(c.islower() for c in text[s:e])
        return all(c.isupper() for c in text[s:e] if c.isalpha())


def _remap(f: Found, offsets: tuple[int, ...]) -> Found:
    s, e = f.span
    return Found((offsets[s], offsets[e - 1] + 1), f.kind, f.value, f.port, f.country, f.home)


def _gap_ok(gap: str, allowed: frozenset[str], pattern: re.Pattern[str] | None) -> bool:
    """True when the text between a role and a country only holds a linking word it allows."""
    if "\n" in gap or len(gap) > 16:
        return False
    g = gap.strip()
    return g in allowed or (pattern is not None and pattern.fullmatch(g) is not None)


# Offices a person holds: next to that person's name they are the person's title ("プーチン大統領",
# "国家主席习近平", "윤석열 대통령"), not a second speaker.
_TITLES = frozenset({"president", "head_of_government", "minister", "foreign_minister", "ambassador"})
_KANA = re.compile("[\u3040-\u30ff]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")


def _script_language(norm: str) -> str | None:
    """The language a text's script gives away, for words several languages write alike (政府):
    Japanese mixes kana with its kanji, Chinese has none."""
    if norm.isascii():
        return None
    if _KANA.search(norm):
        return "ja"
    return "zh" if _HAN.search(norm) else None


def _combine(hits: list[_Hit], norm: str) -> tuple[list[Found], bool]:
    """Role words take the country next to them; bound words need one; countries stand alone."""
    countries = [h for h in hits if h.term.kind is Kind.COUNTRY]
    found: list[Found] = []
    homes: dict[tuple[int, int], dict[str, str | None]] = {}
    for h in hits:
        if h.term.kind is Kind.ROLE:
            homes.setdefault((h.start, h.end), {})[h.term.language.code] = h.term.home or h.term.language.home
    for r in (h for h in hits if h.term.kind is Kind.ROLE):
        lang = r.term.language
        before = [
            c
            for c in countries
            if c.end <= r.start
            and _gap_ok(norm[c.end : r.start], lang.before, lang.before_pattern)
            and not any(norm.endswith(mark, 0, c.start) for mark in lang.place_marks)
        ]
        after = [
            c for c in countries if c.start >= r.end and _gap_ok(norm[r.end : c.start], lang.after, None)
        ]
        c = (
            max(before, key=lambda x: x.end)
            if before
            else min(after, key=lambda x: x.start)
            if after
            else None
        )
        if r.term.country is not None:
            found.append(
                Found((r.start, r.end), Kind.ROLE, r.term.value, r.term.port, country=r.term.country)
            )
        elif c is not None:
            span = (min(c.start, r.start), max(c.end, r.end))
            found.append(Found(span, Kind.ROLE, r.term.value, r.term.port, country=c.term.value))
        elif not r.term.bound:
            found.append(
                Found((r.start, r.end), Kind.ROLE, r.term.value, r.term.port, home=_home(homes, r, norm))
            )
    actors = [h for h in hits if h.term.kind is Kind.ACTOR]
    for h in actors:
        found.append(Found(_with_own_country(h, countries, norm), Kind.ACTOR, h.term.value))
    for h in countries:
        if h.term.form in ("name", "capital"):
            found.append(Found((h.start, h.end), Kind.COUNTRY, h.term.value))
    found = _titles(list(dict.fromkeys(found)), norm)
    found = _speaks_for(found, [h for h in hits if h.term.kind is Kind.SPEAKS_FOR], norm)
    sports = any(h.term.kind is Kind.SPORTS for h in hits) or any(_scored(c, norm) for c in countries)
    return found, sports


def _home(homes: dict[tuple[int, int], dict[str, str | None]], r: _Hit, norm: str) -> str | None:
    """A bare role's home country: its language's, unless languages sharing the word disagree
    ("polis": sv and tr) and the script does not tell which language the text is in."""
    by_lang = homes[(r.start, r.end)]
    if len(set(by_lang.values())) == 1:
        return next(iter(by_lang.values()))
    return by_lang.get(_script_language(norm) or "")


def _titles(found: list[Found], norm: str) -> list[Found]:
    """A title right before or after a named actor joins that actor's mention."""
    named = [f for f in found if f.kind is Kind.ACTOR]
    if not named:
        return found
    out: list[Found] = []
    grown: dict[Found, tuple[int, int]] = {}
    for f in found:
        if f.kind is Kind.ROLE and f.value in _TITLES:
            a = next((a for a in named if _adjacent(f.span, grown.get(a, a.span), norm)), None)
            if a is not None:
                s, e = grown.get(a, a.span)
                grown[a] = (min(s, f.span[0]), max(e, f.span[1]))
                continue
        out.append(f)
    return [Found(grown[f], f.kind, f.value) if f in grown else f for f in out]


def _adjacent(a: tuple[int, int], b: tuple[int, int], norm: str) -> bool:
    gap = norm[a[1] : b[0]] if a[1] <= b[0] else norm[b[1] : a[0]] if b[1] <= a[0] else "x"
    return gap.strip() == "" and len(gap) <= 1


def _with_own_country(h: _Hit, countries: list[_Hit], norm: str) -> tuple[int, int]:
    """ "Госдеп США", "美国国务院": a named body's own country next to it belongs to its mention."""
    s, e = h.start, h.end
    own = h.term.value.split(".")[0]
    lang = h.term.language
    for c in countries:
        if c.term.value != own:
            continue
        if c.end == s:  # "美国国务院"; a spaced name before is rather a title's ("России Владимир Путин")
            s = c.start
        elif c.start >= e and _gap_ok(norm[e : c.start], lang.after, None):
            e = c.end
    return s, e


def _speaks_for(found: list[Found], words: list[_Hit], norm: str) -> list[Found]:
    """ "пресс-секретарь Кремля", "外交部发言人": a spokesperson's words join the body they speak for,
    the one after them where the language puts the owner after (ru, it, ar), else the one before."""
    if not words:
        return found
    spans = {f.span: f.span for f in found}
    for w in words:
        lang = w.term.language
        if lang.after:
            nxt = [f for f in spans if f[0] >= w.end and _gap_ok(norm[w.end : f[0]], lang.after, None)]
            target = min(nxt, key=lambda x: x[0]) if nxt else None
        else:
            prev = [
                f
                for f in spans
                if f[1] <= w.start and _gap_ok(norm[f[1] : w.start], lang.before | {""}, None)
            ]
            target = max(prev, key=lambda x: x[1]) if prev else None
        if target is not None:
            s, e = spans[target]
            spans[target] = (min(s, w.start), max(e, w.end))
    return [
        f if spans[f.span] == f.span else Found(spans[f.span], f.kind, f.value, f.port, f.country, f.home)
        for f in found
    ]


def _scored(c: _Hit, norm: str) -> bool:
    """A score right before or after a country word: a team in a result ("Italia-Spagna 2-1")."""
    if _SCORE_AFTER.match(norm, c.end) is not None:
        return True
    return _SCORE_BEFORE.search(norm, max(0, c.start - 9), c.start) is not None


# --- the language files --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything the language files and the CLDR names give the gazetteer."""

    terms: tuple[Term, ...]
    index: TermIndex
    # CLDR names and capitals in the five languages actors.py reads: {code: (names, capitals)}
    latin_names: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
    display: dict[str, str]  # every state's English name, for labels (not for matching)
    files: tuple[str, ...]


def _strs(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LanguageFileError(f"{where}: expected a list of strings")
    return tuple(v for v in value if v.strip())


def read_toml(path: Path, error: type[Exception] = LanguageFileError) -> dict[str, Any]:
    """A TOML data file, or `error` with a message that names the file and what is wrong."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as e:
        raise error(f"{path}: cannot read: {e}") from None
    except tomllib.TOMLDecodeError as e:
        raise error(f"{path}: invalid TOML: {e}") from None


_FILE_KEYS = {"language", "home", "sports", "ignore", "inflection", "link", "countries", "names", "roles", "bound",
              "home_roles", "templates", "portfolios"}  # fmt: skip
_COUNTRY_KEYS = {"names", "capitals", "adjectives", "abbreviations"}
_FORM_OF = {
    "names": "name",
    "capitals": "capital",
    "adjectives": "adjective",
    "abbreviations": "abbreviation",
}


def _language(data: dict[str, Any], where: str) -> Language:
    code = data.get("language")
    if not isinstance(code, str) or not code:
        raise LanguageFileError(f"{where}: language: missing")
    home = data.get("home")
    if home is not None and not isinstance(home, str):
        raise LanguageFileError(f"{where}: home: expected a country code")
    inf = data.get("inflection") or {}
    link = data.get("link") or {}
    unknown = set(inf) - {"paradigms", "inflect", "suffixes", "suffixed", "prefixes", "prefix_rewrites"}
    unknown |= {f"link.{k}" for k in set(link) - {"before", "after", "before_pattern", "place_marks", "glue"}}
    if unknown:
        raise LanguageFileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    paradigms = []
    for n, p in enumerate(inf.get("paradigms") or []):
        at = f"{where}: inflection.paradigms[{n}]"
        if (
            not isinstance(p, dict)
            or not isinstance(p.get("ends"), str)
            or not isinstance(p.get("drop", 0), int)
        ):
            raise LanguageFileError(f"{at}: expected {{ ends = '...', drop = N, add = [...] }}")
        paradigms.append(
            Paradigm(
                ends=normalise(p["ends"])[0],
                drop=int(p.get("drop", 0)),
                add=tuple(normalise(a)[0] for a in _strs_keep_empty(p.get("add"), f"{at}.add") or ("",)),
                article=("", *(normalise(a)[0] for a in _strs(p.get("article"), f"{at}.article"))),
            )
        )
    rewrites = inf.get("prefix_rewrites") or {}
    if not isinstance(rewrites, dict) or not all(isinstance(v, str) for v in rewrites.values()):
        raise LanguageFileError(f'{where}: inflection.prefix_rewrites: expected "prefix" = "rewrite" pairs')
    prefixes = {normalise(p)[0]: "" for p in _strs(inf.get("prefixes"), f"{where}: inflection.prefixes")}
    prefixes |= {normalise(p)[0]: normalise(r)[0] for p, r in rewrites.items()}
    for p in prefixes:  # the reader looks for glued prefixes only in such words (see _word_hits)
        if p.isascii() and not p.endswith("'"):
            raise LanguageFileError(
                f"{where}: inflection.prefixes: {p!r}: a Latin-script prefix ends in an apostrophe"
            )
    pattern = link.get("before_pattern")
    inflect = _strs(inf.get("inflect"), f"{where}: inflection.inflect")
    suffixed = _strs(inf.get("suffixed"), f"{where}: inflection.suffixed") if "suffixed" in inf else None
    bad = (set(inflect) | set(suffixed or ())) - {*_FORM_OF.values(), "role", "actor"}
    if bad:
        raise LanguageFileError(f"{where}: inflection: unknown form(s) {', '.join(sorted(bad))}")
    try:
        compiled = re.compile(pattern) if isinstance(pattern, str) else None  # written in matching form
    except re.error as e:
        raise LanguageFileError(f"{where}: link.before_pattern: {e}") from None
    return Language(
        code=code,
        home=home.lower() if home else None,
        paradigms=tuple(paradigms),
        inflect=frozenset(inflect),
        suffixed=frozenset(suffixed) if suffixed is not None else None,
        suffixes=frozenset(
            normalise(s)[0] for s in _strs(inf.get("suffixes"), f"{where}: inflection.suffixes")
        ),
        prefixes=tuple(sorted(prefixes.items(), key=lambda x: -len(x[0]))),
        before=frozenset(
            normalise(w)[0].strip() for w in _strs_keep_empty(link.get("before"), f"{where}: link.before")
        ),
        after=frozenset(
            normalise(w)[0].strip() for w in _strs_keep_empty(link.get("after"), f"{where}: link.after")
        ),
        before_pattern=compiled,
        place_marks=tuple(
            normalise(w)[0] for w in _strs(link.get("place_marks"), f"{where}: link.place_marks")
        ),
        glue=tuple((normalise(w)[0], role) for w, role in _glue(link.get("glue"), f"{where}: link.glue")),
    )


def _glue(value: Any, where: str) -> list[tuple[str, str]]:
    if value is None:
        return []
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise LanguageFileError(f'{where}: expected "word" = "role" pairs')
    return list(value.items())


def _strs_keep_empty(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LanguageFileError(f"{where}: expected a list of strings")
    return tuple(value)


def _role_id(rid: str) -> tuple[str, str | None]:
    """ "ministry.defence" -> ("ministry", "defence"); "police" -> ("police", None)."""
    role, _, port = rid.partition(".")
    return role, port or None


def read_language_file(path: Path) -> tuple[Language, list[Term]]:
    """One language file: its rules and its terms (see the module docstring for the format)."""
    data = read_toml(path)
    where = str(path)
    unknown = set(data) - _FILE_KEYS
    if unknown:
        raise LanguageFileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    lang = _language(data, where)
    terms: list[Term] = []

    def add(text: str, kind: Kind, value: str, src: str, **kw: Any) -> None:
        terms.append(Term(text=text, kind=kind, value=value, language=lang, source=f"{where}: {src}", **kw))

    for code, c in (data.get("countries") or {}).items():
        if not isinstance(c, dict) or set(c) - _COUNTRY_KEYS:
            raise LanguageFileError(
                f"{where}: countries.{code}: expected a table of {', '.join(sorted(_COUNTRY_KEYS))}"
            )
        for key, form in _FORM_OF.items():
            for w in _strs(c.get(key), f"{where}: countries.{code}.{key}"):
                add(
                    w,
                    Kind.COUNTRY,
                    code.lower(),
                    f"countries.{code}",
                    form=form,
                    bound=form == "abbreviation",
                )
    names = data.get("names") or {}
    if not isinstance(names, dict) or not all(isinstance(v, str) for v in names.values()):
        raise LanguageFileError(f'{where}: names: expected "name" = "actor or role key" pairs')
    for w, key in names.items():
        add(w, Kind.ACTOR, key, f"names.{w}", form="actor")
    tables: list[tuple[str, dict[str, Any], bool, str | None]] = [
        ("roles", data.get("roles") or {}, False, None),
        ("bound", data.get("bound") or {}, True, None),
    ]
    for cc, roles in (data.get("home_roles") or {}).items():
        if not isinstance(roles, dict):
            raise LanguageFileError(f"{where}: home_roles.{cc}: expected a table of role = [words]")
        tables.append((f"home_roles.{cc}", roles, False, cc.lower()))
    for table, roles, bound, home in tables:
        for rid, words in roles.items():
            role, port = _role_id(rid)
            kind = Kind.SPEAKS_FOR if role == "spokesperson" else Kind.ROLE
            for w in _strs(words, f"{where}: {table}.{rid}"):
                add(w, kind, role, f"{table}.{rid}", form="role", port=port, bound=bound, home=home)
    portfolios = data.get("portfolios") or {}
    for role, patterns in (data.get("templates") or {}).items():
        for pattern in _strs(patterns, f"{where}: templates.{role}"):
            if "{p}" not in pattern:
                raise LanguageFileError(f"{where}: templates.{role}: {pattern!r} has no {{p}}")
            for port, words in portfolios.items():
                for w in _strs(words, f"{where}: portfolios.{port}"):
                    add(
                        pattern.replace("{p}", w),
                        Kind.ROLE,
                        role,
                        f"templates.{role}",
                        form="role",
                        port=port,
                    )
    for w in _strs(data.get("sports"), f"{where}: sports"):
        add(w, Kind.SPORTS, "sports", "sports", form="sports")
    for w in _strs(data.get("ignore"), f"{where}: ignore"):
        add(w, Kind.IGNORE, "ignore", "ignore", form="ignore")
    return lang, terms


def read_country_names(
    path: Path, languages: dict[str, Language]
) -> tuple[list[Term], dict[str, tuple[tuple[str, ...], tuple[str, ...]]], dict[str, str]]:
    """The generated CLDR file: terms for the languages actors.py cannot read, names for the rest
    (English first, so a state the gazetteer file lacks gets its English name)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LanguageFileError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise LanguageFileError(f"{path}: cannot read: {e}") from None
    terms: list[Term] = []
    latin: dict[str, tuple[list[str], list[str]]] = {}
    for table, form in (("names", "name"), ("capitals", "capital")):
        per_lang = data.get(table) or {}
        for lang_key in sorted(per_lang, key=lambda k: (k != "en", k)):
            code = lang_key.split("-")[0]
            lang = languages.get(code, Language(code=code))
            for cc, forms in per_lang[lang_key].items():
                where = f"{path}: {table}.{lang_key}.{cc}"
                for w in _strs(forms, where):
                    if code in OLD_LANGUAGES:
                        latin.setdefault(cc, ([], []))[0 if form == "name" else 1].append(w)
                    else:
                        terms.append(
                            Term(text=w, kind=Kind.COUNTRY, value=cc, language=lang, form=form, source=where)
                        )
    for cc in {t.value for t in terms} - set(latin):
        latin[cc] = ([], [])  # a state with no Latin-script name left (see SKIP in the script)
    display = data.get("display") or {}
    return terms, {cc: (tuple(n), tuple(c)) for cc, (n, c) in latin.items()}, display


@cache
def packaged_lexicon() -> Lexicon:
    """The language files and CLDR names shipped with the package (read once per process)."""
    languages: dict[str, Language] = {}
    terms: list[Term] = []
    files = sorted(LANGUAGE_DIR.glob("*.toml"))
    for path in files:
        lang, lt = read_language_file(path)
        if lang.code in languages:
            raise LanguageFileError(f"{path}: language {lang.code!r} is defined twice")
        languages[lang.code] = lang
        terms += lt
    cldr, latin, display = read_country_names(COUNTRY_NAMES_PATH, languages)
    all_terms = tuple(cldr + terms)
    all_terms += tuple(_glued(all_terms, languages.values()))
    return Lexicon(all_terms, TermIndex(all_terms), latin, display, tuple(str(p) for p in files))


def _glued(terms: Sequence[Term], languages: Iterable[Language]) -> Iterator[Term]:
    """Role words a language glues to a country's name ("러시아군", "미국대사관"), spelled out."""
    for lang in languages:
        if not lang.glue:
            continue
        for t in terms:
            if t.kind is Kind.COUNTRY and t.language.code == lang.code and t.form in ("name", "abbreviation"):
                for word, role in lang.glue:
                    yield Term(
                        t.text + word, Kind.ROLE, role, lang, form="role", country=t.value, source=t.source
                    )


def extended_index(lexicon: Lexicon, extra: Sequence[Term]) -> TermIndex:
    """The lexicon's index, or a new one with `extra` terms (non-Latin aliases of actors)."""
    return lexicon.index if not extra else lexicon.index.extended(extra)
