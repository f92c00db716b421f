"""The actors gazetteer: who a name in a text refers to, and what kind of speaker it is.

Three sources of actors:
- the gazetteer file (`bot/detect/data/actors.toml`, also reachable as `config/actors.toml`,
  plus user files that add or override actors by key): named bodies and people with aliases;
- role patterns for officials the file does not list: "Mexico's foreign ministry", "the
  Armenian military", "a Pentagon spokesperson", "police in Lyon", "la Secretaría de Salud",
  "le ministère des Armées", "das Bundesgesundheitsministerium", "o Ministério da Saúde" (their
  words are data, one file per language: `bot/detect/data/roles/<language>.toml`);
- the language files (`bot/detect/data/lang/<language>.toml`) and CLDR country names for
  Italian, Japanese, Russian, Chinese, Korean, Arabic, Dutch, Polish, Turkish, Swedish and Thai,
  read by `actor_terms.TermIndex` ("Минобороны России", "中国外交部", "국방부는").

Matching is case- and accent-insensitive on a folded copy of the text with the same length
(`bot.text.fold_keep_offsets`), so spans point into the original. Short all-caps aliases ("ICE", "WHO") and one-word aliases
("Meta", "Marina") must be capitalised in the text: that keeps "ice" and "la meta" out.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.detect.actor_terms import (
    Found,
    Kind,
    LanguageFileError,
    Lexicon,
    Term,
    TermIndex,
    extended_index,
    needs_term_index,
    packaged_lexicon,
    read_toml,
)
from bot.detect.lexicons import LexiconError, load_lexicon
from bot.detect.sides import APART_ROLES, voice_of, voice_of_key, whole_state
from bot.text import fold_keep_offsets, strip_accents_keep_case
from bot.types import Actor, ActorType

__all__ = ["ActorsFileError", "Country", "Gazetteer", "Mention", "default_actors_path"]

Span = tuple[int, int]


class ActorsFileError(Exception):
    """An actors file that cannot be read or has a bad entry (names the file and key)."""


@dataclass(frozen=True, slots=True)
class Country:
    """A country as the role patterns need it: names, demonyms and capitals (as metonyms)."""

    code: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    short: str | None = None  # the attributive form headlines use ("U.S."); default: the first demonym
    label: str = ""  # a display name when no name may be matched (CLDR's English one)

    @property
    def name(self) -> str:
        return self.names[0] if self.names else self.label or self.code.upper()

    @property
    def forms(self) -> tuple[str, ...]:
        """Every folded word form naming the country: names, capitals, inflected demonyms."""
        out = [fold_keep_offsets(n) for n in (*self.names, *self.capitals)]
        for d in self.demonyms:
            out += _inflect(d)
        return tuple(dict.fromkeys(out))


@dataclass(frozen=True, slots=True)
class Mention:
    """One actor mention in a text: the actor, its span, and how it was found."""

    actor: Actor
    span: Span
    source: str  # "alias" | "role" | "place"


def default_actors_path() -> Path:
    """The packaged gazetteer, `bot/detect/data/actors.toml` (`config/actors.toml` links to it)."""
    return Path(__file__).resolve().parent / "data" / "actors.toml"


# --- role lexicons (folded forms; the words are data: `data/roles/<language>.toml`) -----------

_LEX = load_lexicon("roles", frozenset({"portfolios", "portfolio_prefixes", "abbreviations", "roles"}))


def _alt(name: str) -> str:
    """List `name` of every language's file, as the inside of a regex alternation."""
    return _LEX.alt(name)


# Portfolio -> its words. Longest first inside the alternation.
_PORTFOLIOS: dict[str, tuple[str, ...]] = _LEX.grouped("portfolios")
# German compounds: "Verteidigungsminister", "Außenministerium" (fold_keep_offsets() makes "ß" one "s").
_PORTFOLIO_PREFIXES: dict[str, tuple[str, ...]] = _LEX.grouped("portfolio_prefixes")


def _longest_first(words: Iterable[str]) -> str:
    """Literal words as a regex alternation, longest first (the first that matches wins)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# "Russian MoD", "Israel's MFA": a ministry's abbreviation after a country word (case as written)
_ABBREVIATION_OF = {w: port for port, ws in _LEX.grouped("abbreviations").items() for w in ws}
_COUNTRY_ABBREVIATION = re.compile(
    rf"(?<![\w-])(?P<country>[A-Z][\w.-]*)(?:'s?|’s?)? (?P<abbr>{_longest_first(_ABBREVIATION_OF)})(?![\w-])"
)
_PORT_ALT = _longest_first(w for ws in _PORTFOLIOS.values() for w in ws)
_PORT_DE_ALT = _longest_first(w for ws in _PORTFOLIO_PREFIXES.values() for w in ws)
_PORT_OF = {w: k for k, ws in _PORTFOLIOS.items() for w in ws} | {
    w: k for k, ws in _PORTFOLIO_PREFIXES.items() for w in ws
}

_ART = f"(?:{_LEX.spaced('article')})?"
_OF = f"(?:{_alt('of')})"

# Role -> the type of actor it makes, in the order the patterns are tried.
_ROLE_TYPES: dict[str, ActorType] = {
    "ministry": ActorType.MINISTRY,
    "minister": ActorType.OFFICIAL,
    "foreign_minister": ActorType.OFFICIAL,
    "ministry.foreign": ActorType.MINISTRY,
    "head_of_government": ActorType.HEAD_OF_GOVERNMENT,
    "president": ActorType.HEAD_OF_STATE,
    "presidency": ActorType.GOVERNMENT,
    "navy": ActorType.MILITARY,
    "military": ActorType.MILITARY,
    "police": ActorType.POLICE,
    "prosecutor": ActorType.AGENCY,
    "embassy": ActorType.EMBASSY,
    "ambassador": ActorType.OFFICIAL,
    "government": ActorType.GOVERNMENT,
    "regime": ActorType.GOVERNMENT,
    "legislature": ActorType.LEGISLATURE,
    "governor": ActorType.OFFICIAL,
    "mayor": ActorType.LOCAL_GOVERNMENT,
    "local_government": ActorType.LOCAL_GOVERNMENT,
    "fire_service": ActorType.AGENCY,
    "civil_protection": ActorType.AGENCY,
    "coast_guard": ActorType.MILITARY,
    "border_guard": ActorType.AGENCY,
    "intelligence": ActorType.AGENCY,
    "ombudsman": ActorType.AGENCY,
    # authorities whose findings judge officials' statements; each speaks apart (sides.APART_ROLES)
    "auditor": ActorType.REGULATOR,
    "statistics_office": ActorType.AGENCY,
    "regulator": ActorType.REGULATOR,
    "court": ActorType.COURT,
    "health_authority": ActorType.AGENCY,
    "state_media": ActorType.MEDIA,
}


def _role_words() -> dict[str, str]:
    """Role -> the alternation of its words in every language; every role needs some."""
    words = _LEX.grouped("roles")
    unknown = set(words) - set(_ROLE_TYPES)
    if unknown:
        raise LexiconError(
            f"roles: unknown role(s) {', '.join(sorted(unknown))} (known: {', '.join(_ROLE_TYPES)})"
        )
    missing = set(_ROLE_TYPES) - set(words)
    if missing:
        raise LexiconError(f"roles: no words for {', '.join(sorted(missing))}")
    return {role: "|".join(words[role]) for role in _ROLE_TYPES}


_ROLE_WORDS = _role_words()
# "vice president" is not the president
_NOT_VICE = "".join(rf"(?<!{v} )(?<!{v}-)" for v in _LEX.words("vice"))

# (role id, actor type, regex over folded text). The regex may define `port`: the portfolio
# before "minister", after "minister of", or inside a German compound.
_ROLES: tuple[tuple[str, ActorType, str], ...] = (
    ("minister", ActorType.OFFICIAL, rf"(?P<port>{_PORT_ALT}) (?:{_alt('minister_after_portfolio')})"),
    ("minister", ActorType.OFFICIAL, rf"(?:{_alt('minister_of_portfolio')}) {_OF} {_ART}(?P<port>{_PORT_ALT})"),
    ("minister", ActorType.OFFICIAL, rf"(?:{_alt('compound_prefix')})?(?P<port>{_PORT_DE_ALT})(?:{_alt('minister_compound')})"),
    ("ministry", ActorType.MINISTRY, rf"(?P<port>{_PORT_ALT}) (?:{_alt('ministry_after_portfolio')})"),
    ("ministry", ActorType.MINISTRY, rf"(?:{_alt('ministry_of_portfolio')}) {_OF} {_ART}(?P<port>{_PORT_ALT})"),
    ("ministry", ActorType.MINISTRY, rf"(?:{_alt('compound_prefix')})?(?P<port>{_PORT_DE_ALT})(?:{_alt('ministry_compound')})"),
    *(
        (role, atype, (_NOT_VICE if role == "president" else "") + f"(?:{_ROLE_WORDS[role]})")
        for role, atype in _ROLE_TYPES.items()
    ),
)  # fmt: skip

# What a role actor's key looks like: "<cc>.<suffix>", the suffix from the role and portfolio.
_ROLE_LABEL: dict[str, str] = {
    "minister": "minister",
    "ministry": "ministry",
    "foreign_minister": "foreign minister",
    "ministry.foreign": "foreign ministry",
    "head_of_government": "head of government",
    "president": "president",
    "presidency": "presidency",
    "navy": "navy",
    "military": "military",
    "police": "police",
    "prosecutor": "prosecutors",
    "embassy": "embassy",
    "ambassador": "ambassador",
    "government": "government",
    "regime": "regime",
    "legislature": "legislature",
    "governor": "governor",
    "mayor": "mayor",
    "local_government": "local government",
    "fire_service": "fire service",
    "civil_protection": "civil protection",
    "coast_guard": "coast guard",
    "border_guard": "border guard",
    "intelligence": "intelligence service",
    "ombudsman": "ombudsman",
    "auditor": "audit office",
    "statistics_office": "statistics office",
    "health_authority": "health authorities",
    "state_media": "state media",
    "court": "court",
    "regulator": "regulator",
}

# Words around an actor that keep the same actor but belong to the mention ("a Pentagon
# spokesperson", "the spokesman for the Kremlin"): who speaks for a body speaks as the body.
# Words around an actor that keep the same actor but belong to the mention ("a Pentagon
# spokesperson", "the spokesman for the Kremlin"): who speaks for a body speaks as the body.
_SPOKES = _alt("spokes")
_AFTER_EXT = re.compile(rf"^(?:'s?)? (?:{_SPOKES})\b")
_BEFORE_EXT = re.compile(rf"(?:\b(?:{_SPOKES}) {_OF} {_ART})$")

# The type of actor each role makes, for the five languages' patterns and the language files alike.
_TYPE_OF_ROLE = {r: t for r, t, _ in _ROLES}
_EMPTY_INDEX = TermIndex(())  # a gazetteer built without the language files
_LATIN = re.compile("[a-z]")  # in folded text: something the Latin-script rules could read
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_PARTICLES = frozenset(_LEX.words("name_particle"))


def _NAMED_AROUND(cased: str, s: int, e: int) -> bool:  # noqa: N802 - reads as a predicate
    """True when a capitalised word other than a title sits right before or after the span:
    the surname is then part of another person's name ("Jo Johnson", "López Ortiz")."""
    before = re.search(r"([A-Z][\w'-]*)\.? $", cased[max(0, s - 30) : s])
    after = re.match(r" [A-Z]", cased[e : e + 2])
    return bool(after) or (before is not None and fold_keep_offsets(before.group(1)) not in _TITLES)


_TITLES = frozenset(_LEX.words("title"))

# "former FBI director James Comey", "ex-ministro", "l'ancien ministre": an office holder out of
# office speaks for themselves. The words between the marker and the holder must all be office
# words (roles, portfolios, titles) or other mentions; a holder followed by one ("former Trump
# aide") only qualifies the person the phrase is about.
_FORMER_BEFORE = re.compile(rf"(?<![\w-])(?:{_alt('former')})[- ](?P<between>[^,;:()\"]{{0,80}})$")
_FORMER_START = re.compile(rf"(?:{_alt('former')})[- ]")
_OFFICE_WORD = re.compile(
    "(?:"
    + "|".join(
        [*_ROLE_WORDS.values(), _PORT_ALT, _alt("title"), _SPOKES, _alt("vice"), _alt("office_word"),
         _alt("former_title"), _alt("of"), _alt("article")]
    )
    + ")"
)  # fmt: skip
_QUALIFIES_AFTER = re.compile(rf"^(?:'s?(?!\w)| (?:{_OFFICE_WORD.pattern})(?!\w))")
FORMER_PREFIX = "former."
_NOUN_ARTICLE_BEFORE = re.compile(rf"(?<!\w)(?:{_LEX.alt('noun_article')}) $")
_FAMILY_NAME_FIRST = frozenset({"cn", "tw", "jp", "kr", "kp", "vn", "hu"})
_INSTITUTION_WORDS = frozenset(_LEX.words("institution"))


_PERSON_TYPES = frozenset({ActorType.HEAD_OF_STATE, ActorType.HEAD_OF_GOVERNMENT, ActorType.OFFICIAL})
# Kinds of actor that may speak for a legislature or a local government rather than the state.
_STATE_PARTS = frozenset(
    {
        *_PERSON_TYPES,
        ActorType.LEGISLATURE,
        ActorType.LOCAL_GOVERNMENT,
        ActorType.AGENCY,
        ActorType.POLICE,
        ActorType.REGULATOR,
    }
)

# Capitalised words that follow "police in"/"governor of" and are not place names.
_NOT_PLACE = frozenset(_LEX.words("not_place"))
_PLACE_FIRST = frozenset(_LEX.words("place_first"))


def _a_place(words: str) -> bool:
    """Whether capitalised words after "governor of" or before "police" may name a place: not a
    word that names none ("The", "Local"), unless it begins a two-word name ("New Jersey")."""
    first, *rest = words.split()
    return first not in _NOT_PLACE or (first in _PLACE_FIRST and bool(rest))


def _inflect(demonym: str) -> list[str]:
    """Demonym plus its common inflections (es/pt gender and number, de endings, fr feminine)."""
    d = fold_keep_offsets(demonym)
    out = {d}
    if d.endswith("o"):
        out |= {d[:-1] + s for s in ("a", "os", "as")}
    elif d.endswith("sch"):
        out |= {d + s for s in ("e", "en", "er", "es")}
    elif d.endswith(("an", "ain", "ien", "ais", "ois", "ien", "in", "ol", "es", "el")):
        out |= {d + s for s in ("s", "e", "es", "ne", "nes", "a", "as")}
    elif d.endswith("e") and not d.endswith("ee"):
        out |= {d + "s"}
    else:
        out |= {d + "s"}
    if d.endswith("es") and len(d) > 4:  # frances -> francesa, ingles -> inglesa
        out |= {d + "a", d + "as"}
    return sorted(out, key=len, reverse=True)


def _is_cased_alias(alias: str) -> bool:
    """Acronyms and one-word names must be capitalised in the text to match."""
    letters = [c for c in alias if c.isalpha()]
    if not letters:
        return False
    if all(c.isupper() for c in letters) and len(letters) <= 6:
        return True
    return " " not in alias.strip() and alias[:1].isupper()


@dataclass(frozen=True, slots=True)
class Context:
    """Where a text is: the country bare roles belong to, and every country the item names."""

    country: str | None = None
    named: frozenset[str] = frozenset()
    language: str | None = None  # the text's, when known: other languages' inflections do not count


class Gazetteer:
    """Actors by key, alias matching and role patterns. Build it with `Gazetteer.load()`."""

    def __init__(
        self,
        actors: dict[str, Actor],
        countries: dict[str, Country],
        roles: dict[str, str] | None = None,
        lexicon: Lexicon | None = None,
    ) -> None:
        self._actors = dict(actors)
        self._countries = dict(countries)
        self._roles = dict(roles or {})
        self._lexicon = lexicon
        self._old_roles: dict[str, bool] = {}
        for role_key, key in _only_forces(actors.values()).items():
            self._roles.setdefault(role_key, key)
        self._cache: dict[tuple[str, Context], list[Mention]] = {}
        for c in self._countries.values():  # every country speaks as its government
            key = f"{c.code}.gov"
            if key not in self._actors:
                self._actors[key] = Actor(
                    key=key,
                    name=f"Government of {c.name}",
                    type=ActorType.GOVERNMENT,
                    country=c.code,
                    aliases=tuple(dict.fromkeys(c.names + c.capitals)),
                )
        self._actors = _with_voices(_with_roles(self._actors, self._roles))
        # "us.governor.texas" -> the voice of the State of Texas (each body's `offices`)
        self._office_voices = {o: voice_of(a) or a.key for a in self._actors.values() for o in a.offices}
        # (role, place) -> the countries that list that office ("governor", "texas") -> {"us"}
        self._office_places: dict[tuple[str, str], set[str]] = {}
        for o in self._office_voices:
            cc, _, rest = o.partition(".")
            role, _, place = rest.partition(".")
            self._office_places.setdefault((role, place), set()).add(cc)
        if lexicon is not None:
            self._check_lexicon(lexicon)
        self._compile()

    # --- loading ---------------------------------------------------------------------------

    @classmethod
    def load(cls, paths: Sequence[str | Path] = ()) -> Gazetteer:
        """The packaged gazetteer, language files and CLDR country names, plus user files (later
        files add actors or override by key)."""
        actors: dict[str, Actor] = {}
        countries: dict[str, Country] = {}
        roles: dict[str, str] = {}
        for p in (default_actors_path(), *[Path(x) for x in paths]):
            a, c, r = _read_file(Path(p))
            actors.update(a)
            countries.update(c)
            roles.update(r)
        try:
            lexicon = packaged_lexicon()
        except LanguageFileError as e:
            raise ActorsFileError(str(e)) from None
        return cls(actors, _with_cldr_names(countries, lexicon), roles, lexicon)

    @classmethod
    def from_toml(cls, text: str, *, include_default: bool = True) -> Gazetteer:
        """A gazetteer from TOML text (tests, chat-added actors), on top of the packaged one."""
        base = cls.load() if include_default else cls({}, {}, {})
        a, c, r = _parse(tomllib.loads(text), "<string>")
        return cls({**base._actors, **a}, {**base._countries, **c}, {**base._roles, **r}, base._lexicon)

    # --- lookup ----------------------------------------------------------------------------

    def get(self, key: str) -> Actor | None:
        """The actor with this key (a "former." key: that office holder out of office), or None."""
        if key.startswith(FORMER_PREFIX):
            held = self._actors.get(key.removeprefix(FORMER_PREFIX))
            return former(held) if held is not None else None
        return self._actors.get(key)

    def country(self, code: str | None) -> Country | None:
        """A country by ISO code."""
        return self._countries.get(code or "")

    def voice_of_key(self, key: str | None, name: str | None = None) -> str | None:
        """The voice behind a stored speaker key (`bot.detect.sides.voice_of_key`): an actor's, a
        role of a known country's, or a listed office's ("us.governor.texas" -> "us.state.tx")."""
        return voice_of_key(key, name, self.get, self._countries, self._office_voices)

    @property
    def countries(self) -> tuple[Country, ...]:
        """All countries the role patterns know (for glosses such as the linker's place names)."""
        return tuple(self._countries.values())

    def country_code(self, word: str) -> str | None:
        """The country a word names ("Russian", "Moscú", "Brazil's" -> "br"), or None."""
        w = fold_keep_offsets(word.strip()).removesuffix("'s").removesuffix("'")
        found = self._country_of_word.get(w)
        if found is None and w.endswith("s") and len(w) > 4:  # "Moskaus", "Brasiliens"
            found = self._country_of_word.get(w[:-1])
        return found

    def __len__(self) -> int:
        return len(self._actors)

    def __iter__(self) -> Iterable[Actor]:
        return iter(self._actors.values())

    def resolve(
        self, text: str, *, language: str | None = None, country: str | Context | None = None
    ) -> Actor | None:
        """The actor a short text names ("ICE's", "Mexico's foreign ministry", "la Cancillería").

        An exact alias wins; otherwise the first mention in the text. `country` is the
        context's country, used for bare roles ("the foreign ministry"). `language` is accepted
        for callers that know it; matching itself is language-independent.
        """
        del language  # the lexicons cover all five languages at once
        t = text.strip()
        if not t:
            return None
        key = self._alias_ci.get(fold_keep_offsets(t)) or self._alias_cs.get(strip_accents_keep_case(t))
        if key:
            return self._actors[key]
        mentions = self.mentions(t, country=country)
        return mentions[0].actor if mentions else None

    def find_all(self, text: str, *, country: str | Context | None = None) -> list[tuple[Actor, Span]]:
        """Every actor mention in `text`, left to right, as (actor, (start, end))."""
        return [(m.actor, m.span) for m in self.mentions(text, country=country)]

    def country_hint(self, text: str, language: str | None = None) -> str | None:
        """The country a text is most about (most mentioned, first on ties), for bare roles."""
        counts: dict[str, int] = {}
        first: dict[str, int] = {}
        for m in self.mentions(text, country=Context(language=language)):
            cc = m.actor.country
            if cc and m.actor.type is not ActorType.MEDIA:
                counts[cc] = counts.get(cc, 0) + 1
                first.setdefault(cc, m.span[0])
        if not counts:
            return None
        return min(counts, key=lambda c: (-counts[c], first[c]))

    def context(self, title: str, text: str, language: str | None = None) -> Context:
        """Where an item is: the headline's country (else the text's) for bare roles, every
        country the item names, for bare surnames ("Puente dijo" in a story naming Spain), and its
        language when known."""
        named = frozenset(
            m.actor.country
            for m in self.mentions(f"{title}\n{text}", country=Context(language=language))
            if m.actor.country and m.actor.type is not ActorType.MEDIA
        )
        country = self.country_hint(title, language) or self.country_hint(f"{title}\n{text}", language)
        return Context(country, named, language)

    def mentions(self, text: str, *, country: str | Context | None = None) -> list[Mention]:
        """Actor mentions with how they were found; longest wins where mentions overlap.

        `country` is the context's country, or a `Context` that also lists the countries named.
        """
        ctx = country if isinstance(country, Context) else Context(country)
        key = (text, ctx)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._mentions(text, ctx.country, ctx.named, ctx.language)
            if len(self._cache) > 4096:  # the same sentences are asked about several times per item
                self._cache.clear()
            self._cache[key] = hit
        return list(hit)

    def _mentions(
        self, text: str, country: str | None, named: frozenset[str] = frozenset(), language: str | None = None
    ) -> list[Mention]:
        folded = fold_keep_offsets(text)
        cased = strip_accents_keep_case(text)
        # The Latin-script rules need a Latin letter to match anything ("Минобороны России" has none).
        cands = self._latin_candidates(text, folded, cased, country, named) if _LATIN.search(folded) else []
        # Other scripts and languages (actor_terms); after the rules above, which win ties.
        scan = self._terms.scan(text, language)
        for f in scan.found:
            mention = self._found_mention(f, text, country)
            if mention is not None:
                cands.append((f.span[0], f.span[1], 1 if f.kind is Kind.ROLE else 2, mention))
        if scan.sports:  # "Italia-Spagna 2-1", "Gran Premio del Giappone": teams and venues, not states
            cands = [c for c in cands if not self._bare_country(c[3])]
        if country:
            cands = self._generic_aliases_in_context(cands, country, text)
        # Longest first, then gazetteer aliases over role patterns, then leftmost.
        cands.sort(key=lambda c: (-(c[1] - c[0]), -c[2], c[0]))
        taken: list[Span] = []
        chosen: list[Mention] = []
        for s, e, _, mention in cands:
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            chosen.append(mention)
        chosen.sort(key=lambda m: m.span[0])
        kept = [
            self._extend(m, folded)
            for m in chosen
            if not self._country_as_modifier(m, text, folded)
            and not (m.source == "alias" and self._inside_longer_name(text, *m.span))
            and not (m.source == "role" and _NOT_ROLE_AFTER.match(folded, m.span[1]))
        ]
        return _out_of_office(_appositions(kept, text), folded)

    def _latin_candidates(
        self, text: str, folded: str, cased: str, country: str | None, named: frozenset[str]
    ) -> list[tuple[int, int, int, Mention]]:
        """Mentions the gazetteer's aliases and the five languages' role patterns find."""
        cands: list[tuple[int, int, int, Mention]] = []  # (start, end, preference, mention)
        for s, e, key in _scan(folded, self._index_ci, self._alias_ci, no_dot_before=False):
            if not _platform_as_medium(folded, s, e):
                cands.append((s, e, 2, Mention(self._actors[key], (s, e), "alias")))
        for s, e, key in _scan(cased, self._index_cs, self._alias_cs, no_dot_before=True):
            if not _platform_as_medium(folded, s, e):
                cands.append((s, e, 2, Mention(self._actors[key], (s, e), "alias")))
        if country or named:
            for m in _WORD_RX.finditer(cased):
                by_country = self._surnames.get(m.group(0))
                if by_country is None:
                    continue
                # the person of the story's own country first, else of a country it names
                hit = by_country.get(country or "") or next(
                    (by_country[c] for c in sorted(named) if c in by_country), None
                )
                # not "Juan López" nor "López Ortiz": another first or last name, another person;
                # not "das Schiff": a noun after its article
                if (
                    hit is not None
                    and not _NAMED_AROUND(cased, m.start(), m.end())
                    and not _NOUN_ARTICLE_BEFORE.search(cased, max(0, m.start() - 8), m.start())
                ):
                    cands.append((m.start(), m.end(), 0, Mention(self._actors[hit], m.span(), "alias")))
        for role, rx in self._role_rx:
            for m in rx.finditer(folded):
                found = self._role_actor(role, m, text, folded, country)
                if found is not None:
                    actor, span = found
                    cands.append((span[0], span[1], 1, Mention(actor, span, "role")))
        for m in _PLACE_POLICE.finditer(text):
            place = m.group("place") or m.group("place2")
            if place and _a_place(place) and not self._is_country_word(place):
                slug = fold_keep_offsets(place).replace(" ", "_")
                # "Chicago police": its department, where the gazetteer lists it for the country
                known = self._roles.get(f"{country}.police.{slug}") if country else None
                a = self._actors.get(known or "") or Actor(
                    key=f"police.{slug}",
                    name=f"{place} police",
                    type=ActorType.POLICE,
                    country=country,
                )
                cands.append((m.start(), m.end(), 1, Mention(a, m.span(), "place")))
        for m in _COUNTRY_ABBREVIATION.finditer(text):
            cc = self.country_code(m.group("country"))
            if cc is not None:
                port = _ABBREVIATION_OF[m.group("abbr")]
                actor = self._make_role_actor("ministry", port, cc)
                cands.append((m.start(), m.end(), 1, Mention(actor, m.span(), "role")))
        # "Interior responde", "contradice a Hacienda": Spanish-language press names a ministry
        # by its capitalised portfolio alone. Only with a country (the context's or named).
        for m in _PORTFOLIO_METONYM.finditer(cased):
            pm = _PORT_WORD.match(folded, m.start())
            found = self._role_actor("ministry", pm, text, folded, country) if pm else None
            if found is not None and found[0].country:
                cands.append((found[1][0], found[1][1], 1, Mention(found[0], found[1], "role")))
        cands += [(m.span[0], m.span[1], 0, m) for m in self._titled(text, country)]
        return cands

    def _found_mention(self, f: Found, text: str, hint: str | None) -> Mention | None:
        """A mention from what the term index found: a named actor, a country, or a role."""
        if f.kind is Kind.COUNTRY:
            gov = self._actors.get(f"{f.value}.gov")
            return Mention(gov, f.span, "alias") if gov is not None else None
        if f.kind is Kind.ACTOR:
            actor = self._actors.get(f.value)
            if actor is not None:
                return Mention(actor, f.span, "alias")
            owner, _, suffix = f.value.partition(".")
            role, port = _role_of_suffix(suffix) or ("", None)
            return Mention(self._make_role_actor(role, port, owner), f.span, "role") if role else None
        if f.country is None and self._old_role_word(text[f.span[0] : f.span[1]]):
            return None  # "presidente", "ambassade": the patterns above read these words on their own
        cc = f.country or (hint if f.value != "regime" else None) or f.home
        return Mention(self._make_role_actor(f.value, f.port, cc), f.span, "role")

    def _old_role_word(self, words: str) -> bool:
        """True when a role pattern of the five Latin-script languages reads these words alone."""
        hit = self._old_roles.get(words)
        if hit is None:
            folded = fold_keep_offsets(words)
            hit = any(rx.fullmatch(folded) for _, rx in self._role_rx)
            self._old_roles[words] = hit
        return hit

    @staticmethod
    def _bare_country(m: Mention) -> bool:
        """True for a country's government found by a name or capital alone ("Italia", "Россия")."""
        return m.source == "alias" and whole_state(m.actor)

    def _check_lexicon(self, lexicon: Lexicon) -> None:
        """Every key a language file names must be an actor, or a role of a known country."""
        for t in lexicon.terms:
            if t.kind is Kind.ACTOR and t.value not in self._actors:
                cc, _, suffix = t.value.partition(".")
                if cc not in self._countries or _role_of_suffix(suffix) is None:
                    raise ActorsFileError(
                        f"{t.source}: {t.value!r} is neither an actor nor '<country>.<role>'"
                    )
            elif t.kind is Kind.ROLE and (
                t.value not in _ROLE_LABEL or (t.port and t.port not in _PORTFOLIOS)
            ):
                raise ActorsFileError(
                    f"{t.source}: unknown role {t.value!r}" + (f" / portfolio {t.port!r}" if t.port else "")
                )
            elif t.kind is Kind.COUNTRY and t.value not in self._countries:
                raise ActorsFileError(f"{t.source}: unknown country {t.value!r}")

    def _titled(self, text: str, country: str | None) -> list[Mention]:
        """ "Maj. Gen. Ada Obi", "Interior Minister Juan Pérez", "portavoz Ana Ruiz": officials by
        title and name. A name the gazetteer knows is its entry; others get a "name:" key."""
        out = []
        for m in _TITLED_NAME.finditer(text):
            name = m.group("name")
            end = m.end()
            if name.endswith(("'s", "'")):  # "Gov. Greg Abbott's claim"
                trimmed = name.removesuffix("'s").removesuffix("'")
                end -= len(name) - len(trimmed)
                name = trimmed
            words = name.split()
            # "secretario de Estado Marco Rubio", "ministro degli Esteri Antonio Tajani": the
            # office's last word is not the person's
            while len(words) > 2 and fold_keep_offsets(words[0]) in self._office_words:
                words = words[1:]
                while len(words) > 2 and fold_keep_offsets(words[0]) in _OFFICE_PARTICLES:
                    words = words[1:]
            # "ministro degli Esteri Tajani": a listed surname after the office's last word
            if len(words) == 2 and fold_keep_offsets(words[0]) in self._office_words:
                last = words[1]
                if self._alias_cs.get(strip_accents_keep_case(last)) or self._alias_ci.get(
                    fold_keep_offsets(last)
                ):
                    words = words[1:]
            name = " ".join(words)
            # "ministro del Interior de Ecuador": a portfolio and a country, not a person's name
            if (
                words[0] in _NOT_PLACE
                or fold_keep_offsets(words[0]) in _PORT_OF
                or any(map(self._is_country_word, words))
            ):
                continue
            known = self._alias_cs.get(strip_accents_keep_case(name)) or self._alias_ci.get(
                fold_keep_offsets(name)
            )
            a = (
                self._actors[known]  # "Defense Secretary Lloyd Austin": the gazetteer's entry
                if known
                else Actor(
                    key=f"name:{fold_keep_offsets(name)}", name=name, type=ActorType.OFFICIAL, country=country
                )
            )
            out.append(Mention(a, (m.start(), end), "title"))
        return out

    @staticmethod
    def _generic_aliases_in_context(
        cands: list[tuple[int, int, int, Mention]], country: str, text: str
    ) -> list[tuple[int, int, int, Mention]]:
        """ "Policía Nacional" in a story about Ecuador is Ecuador's: an alias that is also a generic
        role ("National Police", "Ministerio del Interior") names another country's actor only when
        the text says so; otherwise the role, read in the context's country, takes the alias's span."""
        roles = {c[0]: c[3].actor for c in cands if c[3].source == "role" and c[3].actor.country == country}
        out = []
        for s, e, pref, m in cands:
            role = roles.get(s)
            # several words, all generic ("Policía Nacional"); one word is a name ("Bundesregierung")
            if (
                m.source == "alias"
                and role is not None
                and m.actor.country not in (None, country)
                and " " in text[s:e].strip()
            ):
                m = Mention(role, (s, e), "role")
            out.append((s, e, pref, m))
        return out

    def _country_as_modifier(self, m: Mention, text: str, folded: str) -> bool:
        """True when a bare country word describes a person or outlet ("US website") rather than the
        state, or begins a longer name ("Santiago del Estero")."""
        s, e = m.span
        if m.actor.type is not ActorType.GOVERNMENT or not self._is_country_word(folded[s:e]):
            return False
        longer = _LONGER_NAME_AFTER.match(text, e)
        if (
            longer is not None
            and longer.group("w") not in _NOT_A_LONGER_NAME
            and not longer.group(0).startswith(" I ")
        ):
            return True
        return bool(_NOT_STATE_AFTER.match(folded, e))

    def _inside_longer_name(self, text: str, s: int, e: int) -> bool:
        """True for an alias inside a longer proper name: "Texas Department of State Health Services"."""
        before = re.search(r"([A-Z][\w.'-]*) $", text[max(0, s - 30) : s])
        after = re.match(r" ([A-Z][\w'-]*)", text[e : e + 30])
        if before is None or after is None or " " not in text[s:e]:
            return False
        word = before.group(1)
        return (
            word not in _CAPITAL_ARTICLES
            and not self._is_country_word(word.rstrip("."))
            and word.rstrip(".").upper() not in _COUNTRY_ABBREVIATIONS
            and after.group(1) not in _CALENDAR_AND_LINKS
        )

    # --- internals -------------------------------------------------------------------------

    def _extend(self, m: Mention, folded: str) -> Mention:
        """Grow the span over "spokesperson for the ..." / "... spokesman" (same actor)."""
        s, e = m.span
        after = _AFTER_EXT.match(folded[e:])
        if after:
            e += after.end()
        before = _BEFORE_EXT.search(folded[max(0, s - 60) : s])
        if before:
            s -= len(before.group(0))
        return m if (s, e) == m.span else Mention(m.actor, (s, e), m.source)

    def _is_country_word(self, word: str) -> bool:
        return fold_keep_offsets(word) in self._country_of_word

    def _compile(self) -> None:
        self._alias_ci: dict[str, str] = {}
        self._alias_cs: dict[str, str] = {}
        # Countries first, so a named actor with the same alias overrides the bare government.
        ordered = sorted(self._actors.values(), key=lambda a: not a.key.endswith(".gov"))
        other_scripts: list[Term] = []  # "Кремль", "习近平": for the term index, not the Latin scanner
        lexicon = self._lexicon or Lexicon((), _EMPTY_INDEX, {}, {}, ())
        # a Cyrillic alias takes Russian case endings ("Газпром", "Газпрома"), as the names of
        # lang/ru.toml do; other scripts' aliases are matched as written
        russian = next((t.language for t in lexicon.terms if t.language.code == "ru"), None)
        for a in ordered:
            for alias in (a.name, *a.aliases):
                alias = alias.strip()
                if len(alias) < 2:
                    continue
                if needs_term_index(alias):
                    term = Term(alias, Kind.ACTOR, a.key, form="actor", source=f"actors.{a.key}")
                    if russian is not None and _CYRILLIC.search(alias):
                        term = replace(term, language=russian)
                    other_scripts.append(term)
                elif _is_cased_alias(alias):
                    self._alias_cs[strip_accents_keep_case(alias)] = a.key
                else:
                    self._alias_ci[fold_keep_offsets(alias)] = a.key
        # Aliases indexed by their first word: scanning a text is one dict lookup per word, much
        # faster than one regex alternation over thousands of aliases.
        self._index_ci = _first_word_index(self._alias_ci)
        self._index_cs = _first_word_index(self._alias_cs)
        self._terms = extended_index(lexicon, other_scripts)
        # words of the offices the language files name with a portfolio ("ministro degli Esteri")
        self._office_words = _OFFICE_WORDS | {
            w
            for t in lexicon.terms
            if t.kind is Kind.ROLE and t.port
            for w in fold_keep_offsets(t.text).split()
        }

        self._country_of_word: dict[str, str] = {}
        for c in self._countries.values():
            for w in (*c.names, *c.capitals):
                self._country_of_word.setdefault(fold_keep_offsets(w), c.code)
            for d in c.demonyms:
                for form in _inflect(d):
                    self._country_of_word.setdefault(form, c.code)
        # A person's bare surname ("Johnson said") names them only in a text about their own
        # country, only when no other actor has that word (as alias or surname), and only when
        # the gazetteer does not mark it as a common word or another public figure's name.
        taken = {w for al in (*self._alias_ci, *self._alias_cs) for w in (al, fold_keep_offsets(al))}
        surnames: dict[tuple[str, str], list[Actor]] = {}  # (surname, country): its people
        for a in self._actors.values():
            words = a.name.split()
            if a.type not in _PERSON_TYPES or not a.country or len(words) < 2:
                continue
            if a.country in _FAMILY_NAME_FIRST or any(
                fold_keep_offsets(w) in _INSTITUTION_WORDS for w in words
            ):
                continue  # "Mao Ning" (family name first), "Supremo Tribunal Federal" (a body)
            if not all(w[:1].isupper() or w in _PARTICLES for w in words):
                continue
            last = strip_accents_keep_case(words[-1])
            if (
                len(last) >= 4
                and last[:1].isupper()
                and last[1:].islower()
                and fold_keep_offsets(last) not in taken
                and fold_keep_offsets(last) not in self._country_of_word
            ):
                surnames.setdefault((last, a.country), []).append(a)
        # A surname is shared only within its country: the texts it may name someone in are about
        # that country, so a U.S. Johnson does not take "Johnson" from a British one.
        self._surnames: dict[str, dict[str, str]] = {}
        for (word, country), found in surnames.items():
            if len(found) == 1 and found[0].bare_surname:
                self._surnames.setdefault(word, {})[country] = found[0].key
        self._role_rx: list[tuple[str, re.Pattern[str]]] = [
            (role, re.compile(rf"(?<![\w])(?:{body})(?![\w])")) for role, _t, body in _ROLES
        ]

    def _country_before(self, folded: str, start: int) -> tuple[str, int] | None:
        """A country word (name, demonym, capital) right before `start`, possessive allowed."""
        window = folded[max(0, start - 40) : start]
        m = re.search(r"(?:(?:'s?|')? |-)$", window)
        if not m:
            return None
        head = window[: m.start()]
        toks = head.split(" ")
        for n in (3, 2, 1):
            if len(toks) < n:
                continue
            cand = " ".join(toks[-n:])
            # "US-Regierung": with a hyphen even a two-letter name is the country, not "us"
            if (len(cand) > 2 or m.group(0) == "-") and cand in self._country_of_word:
                return self._country_of_word[cand], start - (len(window) - len(head)) - len(cand)
        return None

    def _country_after(self, folded: str, end: int) -> tuple[str, int] | None:
        """A demonym right after `end`, or "of (the) <country>" ("ministerio de salud de Brasil")."""
        window = folded[end : end + 50]
        m = re.match(rf" (?:{_OF} {_ART})?", window)
        if not m:
            return None
        rest = window[m.end() :]
        words = rest.split(" ")
        for n in (3, 2, 1):
            if len(words) < n:
                continue
            cand = re.sub(r"[,.;:!?)\"]+$", "", " ".join(words[:n]))
            if len(cand) > 2 and cand in self._country_of_word:
                return self._country_of_word[cand], end + m.end() + len(cand)
        return None

    def _role_actor(
        self, role: str, m: re.Match[str], text: str, folded: str, hint: str | None
    ) -> tuple[Actor, Span] | None:
        gd = m.groupdict()
        cc = None
        s, e = m.span()
        before = self._country_before(folded, s)
        after = self._country_after(folded, e)
        # "the governor of Georgia", "Georgia governor" in a U.S. story: the state whose office the
        # gazetteer lists, not the country of that name
        if after and self._listed_office(role, hint, folded[e : after[1]]):
            after = None
        if before and self._listed_office(role, hint, folded[before[1] : s]):
            before = None
        if before:
            cc, s = before
        if after and (cc is None or cc == after[0]):
            cc, e = after
        explicit = cc is not None
        if role != "regime":  # "the junta" is rarely the context's own government
            cc = cc or hint
        port = _PORT_OF.get(gd.get("port") or "")
        if role == "president" and not explicit and _followed_by_name(text, m.end()):
            return None  # "President Sheinbaum": the name (an alias or not) says who
        place = None
        if role in ("governor", "mayor", "embassy", "ambassador", "local_government", "police"):
            pm = _PLACE_AFTER.match(text, e)
            pb = None if explicit or pm else self._listed_office_before(role, text, s, hint)
            if pm and _a_place(pm.group("place")):
                pw = pm.group("place")
                slug = fold_keep_offsets(pw).replace(" ", "_")
                pcc = self._country_of_word.get(fold_keep_offsets(pw))
                if role in ("embassy", "ambassador"):
                    place = pcc or slug
                elif pcc is None or (not explicit and self._lists_office(hint, role, slug)):
                    # a place of the text's own country, also where a country shares its name
                    # ("the governor of Georgia" in a U.S. story)
                    place, cc = slug, cc if pcc is None else hint
                    e = pm.end()  # the place is the mention's: "Mexico" in "New Mexico" names no state
                elif not explicit:
                    cc = pcc
            elif pb is not None:
                place, s, cc = pb  # "Texas governor": a listed office, the place first
            elif role in ("governor", "mayor") and not explicit:
                return None  # "the mayor" alone: too vague to be a speaker key
        return self._make_role_actor(role, port, cc, place), (s, e)

    def _listed_office(self, role: str, hint: str | None, words: str) -> bool:
        """Whether `words` ("of georgia", "georgia's") name a place of the country `hint` whose
        `role` office the gazetteer lists ("us.governor.georgia")."""
        if role not in ("governor", "mayor"):
            return False
        place = re.sub(rf"^\s*(?:{_OF} {_ART})?|(?:'s?)?\s*$", "", words)
        return self._lists_office(hint, role, place.replace(" ", "_"))

    def _listed_office_before(
        self, role: str, text: str, s: int, hint: str | None
    ) -> tuple[str, int, str] | None:
        """ "Texas governor": a place right before the role whose office the gazetteer lists
        (`offices`) for the text's country, or for one country only when the text names none;
        the place's slug, where it starts and the country."""
        m = _PLACE_BEFORE.search(text, max(0, s - 40), s)
        if m is None or not _a_place(m.group("place")):
            return None
        slug = fold_keep_offsets(m.group("place")).replace(" ", "_")
        ccs = self._office_places.get((role, slug), set())
        cc = hint if hint in ccs else (next(iter(ccs)) if len(ccs) == 1 and not hint else None)
        return (slug, m.start("place"), cc) if cc else None

    def _lists_office(self, cc: str | None, role: str, place: str) -> bool:
        """Whether the gazetteer lists `role` of `place` in country `cc` ("us", "governor", "texas")."""
        return cc is not None and cc in self._office_places.get((role, place), ())

    def _make_role_actor(
        self, role: str, port: str | None, cc: str | None, place: str | None = None
    ) -> Actor:
        """The actor a role of a country stands for: the gazetteer's own body when [roles] maps
        it ("ru.ministry.defence" -> "ru.mod"), else an actor made from the role."""
        suffix = role
        if role in ("ministry", "minister") and port:
            suffix = f"ministry.{port}" if role == "ministry" else f"ministry.{port}.minister"
        elif role == "foreign_minister":
            suffix = "ministry.foreign.minister"
        elif role == "government":
            suffix = "gov"
        if place:
            suffix = f"{suffix}.{place}"
        key = f"{cc}.{suffix}" if cc else suffix
        mapped = self._roles.get(key)
        if mapped and mapped in self._actors:
            return self._actors[mapped]
        if role == "government" and cc and f"{cc}.gov" in self._actors:
            return self._actors[f"{cc}.gov"]
        atype = _TYPE_OF_ROLE[role]
        if role == "minister" or role == "foreign_minister":
            atype = ActorType.OFFICIAL
        label = _ROLE_LABEL.get(role, role)
        if port:
            label = f"{port.replace('_', ' ')} {label}"
        if place:
            label = f"{label} ({place.replace('_', ' ').title()})"
        country = self._countries.get(cc or "")
        name = f"{label[:1].upper()}{label[1:]}" + (f" of {country.name}" if country else "")
        parent = None
        if (role == "minister" and port) or role == "foreign_minister":
            parent_key = f"{cc}.{suffix.rsplit('.', 1)[0]}" if cc else suffix.rsplit(".", 1)[0]
            parent = self._roles.get(parent_key, parent_key)
        elif cc and role not in ("state_media",):
            parent = f"{cc}.gov"
        # "the governor of Texas" is not Washington: the office's own voice, or its body's
        voice = self.voice_of_key(key) if role in APART_ROLES else None
        return Actor(key=key, name=name, type=atype, country=cc, parent=parent, voice=voice)


def _with_voices(actors: dict[str, Actor]) -> dict[str, Actor]:
    """Actors with `voice` set where they do not speak for their state's government
    (bot.detect.sides.voice_of): a legislature, and each of its members, for themselves; a state's
    or city's own government, and the officials and bodies under it, for that state or city."""
    out = dict(actors)
    for key, a in actors.items():
        if not a.country or a.type not in _STATE_PARTS:
            continue
        chain = [a]  # the actor and the bodies above it, nearest first
        while (up := actors.get(chain[-1].parent or "")) is not None and up not in chain:
            chain.append(up)
        for i, body in enumerate(chain):
            if body.type is ActorType.LEGISLATURE:
                out[key] = replace(a, voice=key if i == 0 or a.type in _PERSON_TYPES else body.key)
                break
            # a justice speaks as the court she sits on; an audit or statistics office or a
            # regulator, and its head, as that body ([roles] gives it a role that speaks apart)
            if body.type is ActorType.COURT or any(r.partition(".")[0] in APART_ROLES for r in body.roles):
                out[key] = replace(a, voice=body.key)
                break
            # a local body answering to a national one (a French prefecture) speaks for the state
            if body.type is ActorType.LOCAL_GOVERNMENT and all(
                b.type is ActorType.LOCAL_GOVERNMENT for b in chain[i + 1 :]
            ):
                out[key] = replace(a, voice=body.key)
                break
    return out


def _with_roles(actors: dict[str, Actor], roles: Mapping[str, str]) -> dict[str, Actor]:
    """Actors with `roles` set: the role keys of their country that the [roles] map gives them
    ("us.ministry.education" -> "us.education": the U.S. Department of Education fills
    "ministry.education")."""
    filled: dict[str, list[str]] = {}
    for role_key, key in roles.items():
        a = actors.get(key)
        if a is not None and a.country and role_key.startswith(f"{a.country}."):
            filled.setdefault(key, []).append(role_key.removeprefix(f"{a.country}."))
    out = dict(actors)
    for key, rs in filled.items():
        out[key] = replace(out[key], roles=tuple(sorted(set(rs))))
    return out


def _role_of_suffix(suffix: str) -> tuple[str, str | None] | None:
    """ "ministry.defence" -> ("ministry", "defence"); "ministry.foreign.minister" -> ("minister",
    "foreign"); "gov" -> ("government", None); None for what is not a role key."""
    parts = suffix.split(".")
    if parts == ["gov"]:
        return "government", None
    if parts[0] == "ministry" and len(parts) in (2, 3) and parts[1] in _PORTFOLIOS:
        if len(parts) == 3:
            return ("minister", parts[1]) if parts[2] == "minister" else None
        return "ministry", parts[1]
    return (parts[0], None) if len(parts) == 1 and parts[0] in _ROLE_LABEL else None


def _with_cldr_names(countries: dict[str, Country], lexicon: Lexicon) -> dict[str, Country]:
    """Countries with CLDR's names and capitals in en/es/fr/de/pt added; a state the file does not
    list gets a country entry from them (its English name first)."""
    out = dict(countries)
    for code, (names, capitals) in lexicon.latin_names.items():
        c = out.get(code)
        if c is None:
            unique_names, unique_capitals = tuple(dict.fromkeys(names)), tuple(dict.fromkeys(capitals))
            out[code] = Country(code, unique_names, (), unique_capitals, label=lexicon.display.get(code, ""))
            continue
        have = {fold_keep_offsets(w) for w in (*c.names, *c.capitals)}
        new_names = tuple(dict.fromkeys(n for n in names if fold_keep_offsets(n) not in have))
        new_caps = tuple(
            dict.fromkeys(x for x in capitals if fold_keep_offsets(x) not in have and x not in new_names)
        )
        if new_names or new_caps:
            out[code] = replace(c, names=c.names + new_names, capitals=c.capitals + new_caps)
    return out


_WORD_RX = re.compile(r"\w+")
# Words that end an office's name before the holder's ("Secretary of State Marco Rubio").
_OFFICE_WORDS = frozenset(_LEX.words("office_word")) | frozenset(_PORT_OF)
_OFFICE_PARTICLES = frozenset(_LEX.words("office_particle"))


def _only_forces(actors: Iterable[Actor]) -> dict[str, str]:
    """Role keys for a country's only police force or only armed force in the gazetteer:
    "la policía" in a Colombian story is the one Colombian police actor."""
    found: dict[str, list[str]] = {}
    for a in actors:
        if a.country and a.type in (ActorType.POLICE, ActorType.MILITARY):
            role = "police" if a.type is ActorType.POLICE else "military"
            found.setdefault(f"{a.country}.{role}", []).append(a.key)
    return {role_key: keys[0] for role_key, keys in found.items() if len(keys) == 1}


def _appositions(mentions: list[Mention], text: str) -> list[Mention]:
    """ "Army spokesman Col. Ahmed Ali": a role right before a titled name is one mention, the person."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.source == "role"
            and m.source == "title"
            and text[prev.span[1] : m.span[0]] == " "
        ):
            out[-1] = Mention(m.actor, (prev.span[0], m.span[1]), "title")
        else:
            out.append(m)
    return out


def former(actor: Actor) -> Actor:
    """The same person out of office: no official, speaking with a voice of their own."""
    key = FORMER_PREFIX + actor.key
    return replace(actor, key=key, type=ActorType.PERSON, parent=None, voice=key, offices=(), roles=())


def _out_of_office(mentions: list[Mention], folded: str) -> list[Mention]:
    """Office holders named as former ones ("former FBI director James Comey") as themselves."""
    out = []
    for m in mentions:
        if m.actor.type in _PERSON_TYPES and _named_former(m, mentions, folded):
            m = Mention(former(m.actor), m.span, m.source)
        out.append(m)
    return out


def _named_former(m: Mention, mentions: list[Mention], folded: str) -> bool:
    """Whether a former-marker ("former", "ex-") heads the title that ends in this mention."""
    s, e = m.span
    if _QUALIFIES_AFTER.match(folded[e : e + 40]):
        return False
    if _FORMER_START.match(folded, s, e):  # a titled mention may hold it ("Former Secretary ... X")
        return True
    before = _FORMER_BEFORE.search(folded, max(0, s - 90), s)
    if before is None:
        return False
    # other mentions inside the title ("former FBI director") are office words too
    offset = before.start("between")
    between = list(folded[offset:s])
    for o in mentions:
        a, b = max(o.span[0], offset), min(o.span[1], s)
        if o is not m and a < b:
            between[a - offset : b - offset] = " " * (b - a)
    words = "".join(between).split()
    return len(words) <= 5 and all(_OFFICE_WORD.fullmatch(w) for w in words)


def _first_word_index(aliases: dict[str, str]) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for alias in aliases:
        m = _WORD_RX.match(alias)
        if m:
            index.setdefault(m.group(0), []).append(alias)
    return {w: tuple(sorted(a, key=len, reverse=True)) for w, a in index.items()}


def _scan(
    text: str, index: dict[str, tuple[str, ...]], aliases: dict[str, str], *, no_dot_before: bool
) -> list[tuple[int, int, str]]:
    """(start, end, key) of the longest alias starting at each word of `text`."""
    out: list[tuple[int, int, str]] = []
    n = len(text)
    for m in _WORD_RX.finditer(text):
        w = m.group(0)
        cands = index.get(w)
        if not cands and w.endswith("s"):
            cands = index.get(w[:-1])
        if not cands:
            continue
        p = m.start()
        if no_dot_before and p > 0 and text[p - 1] == ".":
            continue
        for alias in cands:
            e = p + len(alias)
            if not text.startswith(alias, p):
                continue
            if e >= n or not (text[e].isalnum() or text[e] == "_"):
                out.append((p, e, aliases[alias]))
                break
            # German genitive without apostrophe: "des Kremls", "Moskaus Darstellung".
            if (
                text[e] == "s"
                and len(alias) >= 4
                and (e + 1 >= n or not (text[e + 1].isalnum() or text[e + 1] == "_"))
            ):
                out.append((p, e + 1, aliases[alias]))
                break
    return out


_UPPER = "A-ZÁÉÍÓÚÑÇÀÂÊÔÜÖÄÈ"
_NAME_WORD = rf"[{_UPPER}][a-záéíóúñçàâêôüöäèëïîõã'-]+"
_TITLED_NAME = re.compile(
    rf"(?<![\w])(?:{_NAME_WORD} )?(?:{_alt('title_before_name')})"
    rf"(?: [a-z][\w-]+){{0,2}}?,? (?P<name>{_NAME_WORD}(?: (?:{_alt('name_join')})?{_NAME_WORD}){{1,2}})"
)
# a capitalised place name of one to three words right before a role ("New York mayor")
_PLACE_BEFORE = re.compile(r"(?<![\w-])(?P<place>[A-Z][\w.-]*(?: [A-Z][\w.-]*){0,2})(?:'s)? $")
_PLACE_AFTER = re.compile(
    rf"(?: (?:{_alt('place_preposition')}))(?: (?:{_alt('place_article')}))? ?"
    r"(?P<place>[A-ZÁÉÍÓÚÑÇÀÂÊÔÜÖÄ][\w'-]+(?: [A-ZÁÉÍÓÚÑÇ][\w'-]+)?)"
)
# Capitalised portfolio words used alone for their ministry (folded accents, case kept). Not
# "Justicia" (the courts) nor "Defensa" (the defence in a trial); not before another
# capitalised word ("Hacienda Santa Rosa", "Interior Design").
_PORTFOLIO_METONYM = re.compile(rf"(?<![\w-])(?:{_alt('portfolio_metonym')})(?![\w-])(?! [A-Z])")
_PORT_WORD = re.compile(r"(?P<port>\w+)")
_PLACE_POLICE = re.compile(
    rf"(?<![\w])(?:(?P<place>[A-Z][a-zà-ÿ]+(?: [A-Z][a-zà-ÿ]+)?) (?:{_alt('police_after_place')})\b|"
    rf"(?:{_alt('police_before_place')}) (?P<place2>[A-ZÄÖÜ][\w-]+))"
)


# A social platform named as the place something was posted ("a YouTube video", "posted on
# Facebook", "a fake Twitter account") is a medium, not the company speaking.
_PLATFORMS = frozenset(_LEX.words("platform"))
_MEDIUM_AFTER = re.compile(rf"(?:'s)? (?:{_alt('medium_after')})\b")
_MEDIUM_BEFORE = re.compile(rf"\b(?:{_alt('medium_before')})(?: (?:{_alt('medium_owner')}))? $")


def _platform_as_medium(folded: str, s: int, e: int) -> bool:
    """True when the alias at folded[s:e] is a social platform used as a medium."""
    if folded[s:e] not in _PLATFORMS:
        return False
    return bool(_MEDIUM_AFTER.match(folded, e) or _MEDIUM_BEFORE.search(folded[max(0, s - 20) : s]))


# "a US website", "the Mexican singer", "British tourists": a country word describing someone
# who is not the state. Official nouns ("US officials", "Saudi authorities") are left alone.
_NOT_ROLE_AFTER = re.compile(rf" (?:{_alt('not_role_after')})(?!\w)")
_NOT_STATE_AFTER = re.compile(rf"(?:-based)?(?:[-\u2013/][\w.]+)? (?:{_alt('not_state_after')})\b")


# "Santiago del Estero", "Paris Hilton", "Moscow Times": a capital that begins a longer name.
_LONGER_NAME_AFTER = re.compile(rf" (?:(?:{_alt('longer_name_particle')}) )?(?P<w>[A-Z][\w'-]+)")
# Capitalised words that do not continue a proper name: days, months, linking words.
_CALENDAR_AND_LINKS = frozenset(_LEX.words("not_in_name"))
# After a country word, offices do not make a longer name either ("Mexico Foreign Ministry").
_NOT_A_LONGER_NAME = _CALENDAR_AND_LINKS | frozenset(_LEX.words("office_capitalised"))
_CAPITAL_ARTICLES = frozenset(_LEX.words("capital_article"))
_COUNTRY_ABBREVIATIONS = frozenset(_LEX.words("country_abbreviation"))


def _followed_by_name(text: str, end: int) -> bool:
    return re.match(r" (?:[A-ZÁÉÍÓÚÑ][\w'-]+)", text[end:]) is not None


# --- the file format ---------------------------------------------------------------------------


def _read_file(path: Path) -> tuple[dict[str, Actor], dict[str, Country], dict[str, str]]:
    return _parse(read_toml(path, ActorsFileError), str(path))


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ActorsFileError(f"{where}: expected a list of strings")
    return tuple(v for v in value if v.strip())


def _offices(value: Any, country: Any, where: str) -> tuple[str, ...]:
    """Role keys of the offices a body speaks for: "<its country>.<governor|mayor|...>.<place>"."""
    out = _strings(value, where)
    for key in out:
        cc, role, place = (key.split(".", 2) + ["", ""])[:3]
        if cc != country or role not in APART_ROLES or not place:
            raise ActorsFileError(
                f"{where}: {key!r} is not '<country>.<role>.<place>' of this body's country"
                f" with a role among {', '.join(APART_ROLES)}"
            )
    return out


def _short(value: Any, where: str) -> str | None:
    """The optional `short` display name (read by the alert headlines, not by matching)."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ActorsFileError(f"{where}: expected a non-empty string")
    return value.strip()


def _parse(data: dict[str, Any], where: str) -> tuple[dict[str, Actor], dict[str, Country], dict[str, str]]:
    unknown = set(data) - {"countries", "actors", "roles"}
    if unknown:
        raise ActorsFileError(f"{where}: unknown table(s) {', '.join(sorted(unknown))}")
    countries: dict[str, Country] = {}
    for code, c in (data.get("countries") or {}).items():
        if not isinstance(c, dict):
            raise ActorsFileError(f"{where}: countries.{code}: expected a table")
        names = _strings(c.get("names"), f"{where}: countries.{code}.names")
        countries[code.lower()] = Country(
            code=code.lower(),
            names=names or (code.upper(),),
            demonyms=_strings(c.get("demonyms"), f"{where}: countries.{code}.demonyms"),
            capitals=_strings(c.get("capitals"), f"{where}: countries.{code}.capitals"),
            short=_short(c.get("short"), f"{where}: countries.{code}.short"),
        )
    actors: dict[str, Actor] = {}
    valid_types = {t.value for t in ActorType}
    for key, a in (data.get("actors") or {}).items():
        at = f"{where}: actors.{key}"
        if not isinstance(a, dict):
            raise ActorsFileError(f"{at}: expected a table")
        extra = set(a) - {"name", "type", "country", "parent", "aliases", "short", "bare_surname", "offices"}
        if extra:
            raise ActorsFileError(f"{at}: unknown key(s) {', '.join(sorted(extra))}")
        name = a.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ActorsFileError(f"{at}.name: missing")
        typ = a.get("type", "official")
        if typ not in valid_types:
            raise ActorsFileError(f"{at}.type: {typ!r} is not one of {', '.join(sorted(valid_types))}")
        country = a.get("country") or None
        parent = a.get("parent") or None
        bare_surname = a.get("bare_surname", True)
        if not isinstance(bare_surname, bool):
            raise ActorsFileError(f"{at}.bare_surname: expected true or false")
        actors[key] = Actor(
            key=key,
            name=name.strip(),
            type=ActorType(typ),
            country=country.lower() if isinstance(country, str) else None,
            aliases=_strings(a.get("aliases"), f"{at}.aliases"),
            parent=parent if isinstance(parent, str) else None,
            short=_short(a.get("short"), f"{at}.short"),
            bare_surname=bare_surname,
            offices=_offices(a.get("offices"), country, f"{at}.offices"),
        )
    roles = data.get("roles") or {}
    if not isinstance(roles, dict) or not all(isinstance(v, str) for v in roles.values()):
        raise ActorsFileError(f'{where}: roles: expected key = "actor key" pairs')
    return actors, countries, dict(roles)
