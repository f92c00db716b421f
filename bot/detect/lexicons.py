"""Per-language word lists of the rule readers, read from data files.

The cue finder (`cues.py`), the statement reader (`statements.py`) and the role patterns
(`actors.py`) match words of en, es, fr, de, pt and the languages added after them. Their words
live in one file per reader and language, `bot/detect/data/<reader>/<language>.toml`; the
matching logic stays in the code.

A file holds `language` (its file name), a `[words]` table of named lists, and whatever else
its reader documents (the cue patterns of `cues/<language>.toml`, for instance). Every list
item is a regular expression over folded text (lower case, no accents: `bot.text`), most of
them a plain word; a reader joins a list's items into one alternation, for one language or
for all of them (en, es, fr, de, pt first, then any other file in name order). A list item or
pattern may name a list of its own file as `${name}`: it stands for `(?:item|item|...)`.

A language file added to a folder joins its reader's lists without a change in the code.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "DATA_DIR",
    "Lexicon",
    "LexiconError",
    "expand",
    "load_lexicon",
    "read_lexicon",
    "read_lexicon_file",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
# The languages the rules were written for come first: where two languages' items could both
# match at one place, the earlier language's wins, as it did when the lists were in code.
FIRST_LANGUAGES = ("en", "es", "fr", "de", "pt")
_PIECE = re.compile(r"\$\{(\w+)\}")


class LexiconError(ValueError):
    """A lexicon file that cannot be read or has a bad entry (names the file and key)."""


@dataclass(frozen=True, slots=True)
class Lexicon:
    """One reader's word lists in every language it has a file for."""

    reader: str
    languages: tuple[str, ...]
    lists: Mapping[str, Mapping[str, tuple[str, ...]]]  # language -> list name -> items
    tables: Mapping[str, Mapping[str, Any]]  # language -> the file's other keys, as read

    def words(self, name: str, language: str | None = None) -> tuple[str, ...]:
        """The items of list `name`: one language's, or every language's in order.

        Raises LexiconError when no file (or not the language's file) has the list, so a
        misspelt name fails at import rather than matching nothing.
        """
        langs = (language,) if language is not None else self.languages
        found = [self.lists.get(lang, {}).get(name) for lang in langs]
        if all(f is None for f in found):
            where = f"{self.reader}/{language}.toml" if language else f"any {self.reader} file"
            raise LexiconError(f"{where}: no list {name!r}")
        return tuple(w for f in found if f for w in f)

    def alt(self, name: str, language: str | None = None) -> str:
        """List `name` as the inside of a regex alternation: "a|b|c"."""
        return "|".join(self.words(name, language))

    def spaced(self, name: str) -> str:
        """List `name` of every language as alternatives each followed by a space, elisions
        ("l'") as they are: "the |la |l'"."""
        return "|".join(w if w.endswith("'") else w + " " for w in self.words(name))

    def has(self, name: str, language: str) -> bool:
        """True when `language`'s file has list `name`."""
        return name in self.lists.get(language, {})

    def grouped(self, key: str) -> dict[str, tuple[str, ...]]:
        """A table of named lists in the files (`[roles]`: role -> words) joined over every
        language: name -> items, languages in order, names in the order they first appear.

        Raises LexiconError naming the file of an entry that is not a list of strings.
        """
        out: dict[str, list[str]] = {}
        for lang in self.languages:
            table = self.tables.get(lang, {}).get(key) or {}
            where = f"{self.reader}/{lang}.toml: {key}"
            if not isinstance(table, dict):
                raise LexiconError(f"{where}: expected a table of lists")
            for name, items in table.items():
                if not _is_word_list(items):
                    raise LexiconError(f"{where}.{name}: expected a list of non-empty strings")
                out.setdefault(name, []).extend(items)
        return {name: tuple(items) for name, items in out.items()}

    def table(self, language: str, key: str) -> Any:
        """Another key of a language's file (None when absent)."""
        return self.tables.get(language, {}).get(key)


def _is_word_list(items: Any) -> bool:
    return isinstance(items, list) and bool(items) and all(isinstance(w, str) and w for w in items)


def _order(languages: Iterable[str]) -> tuple[str, ...]:
    rest = sorted(set(languages) - set(FIRST_LANGUAGES))
    return tuple(lang for lang in FIRST_LANGUAGES if lang in languages) + tuple(rest)


def _expand(
    item: str, lists: Mapping[str, tuple[str, ...]], where: str, given: Mapping[str, str] | None = None
) -> str:
    """`item` with each `${name}` written out: a list of the file as `(?:a|b)`, a piece the reader
    gives as it is."""

    def piece(m: re.Match[str]) -> str:
        name = m.group(1)
        if given is not None and name in given:
            return given[name]
        if name not in lists:
            raise LexiconError(f"{where}: ${{{name}}} names no list of this file")
        return "(?:" + "|".join(lists[name]) + ")"

    return _PIECE.sub(piece, item)


def _read_lists(words: Any, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(words, dict):
        raise LexiconError(f"{where}: words: expected a table of lists")
    raw: dict[str, tuple[str, ...]] = {}
    for name, items in words.items():
        if not _is_word_list(items):
            raise LexiconError(f"{where}: words.{name}: expected a list of non-empty strings")
        raw[name] = tuple(items)
    # Pieces name lists without pieces of their own (one level keeps the files readable).
    out = {
        name: tuple(_expand(w, raw, f"{where}: words.{name}") for w in items) for name, items in raw.items()
    }
    for name, items in out.items():
        for w in items:
            try:
                re.compile(w)
            except re.error as e:
                raise LexiconError(f"{where}: words.{name}: {w!r} is not a regular expression: {e}") from None
    return out


def read_lexicon_file(
    path: Path, allowed: frozenset[str]
) -> tuple[str, dict[str, tuple[str, ...]], dict[str, Any]]:
    """(language, lists, other keys) of one file; `allowed` are the other keys its reader knows."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise LexiconError(f"{path}: cannot read: {e}") from None
    language = data.pop("language", None)
    if language != path.stem:
        raise LexiconError(f"{path}: language = {language!r}, expected {path.stem!r} (the file name)")
    unknown = set(data) - allowed - {"words"}
    if unknown:
        raise LexiconError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}")
    lists = _read_lists(data.pop("words", {}), str(path))
    return language, lists, data


def expand(pattern: str, lexicon: Lexicon, language: str, where: str, given: Mapping[str, str]) -> str:
    """A pattern of a language's file with its `${name}` pieces written out: the reader's own
    `given` pieces as they are, the file's lists as alternations."""
    return _expand(pattern, lexicon.lists.get(language, {}), where, given)


def read_lexicon(folder: Path, allowed: frozenset[str] = frozenset()) -> Lexicon:
    """Every language file of `folder` (`allowed`: the keys besides `language` and `words` its
    reader knows). Raises LexiconError naming the file and key of a bad entry."""
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise LexiconError(f"{folder}: no language files")
    lists: dict[str, dict[str, tuple[str, ...]]] = {}
    tables: dict[str, dict[str, Any]] = {}
    for path in files:
        language, words, rest = read_lexicon_file(path, allowed)
        lists[language], tables[language] = words, rest
    return Lexicon(folder.name, _order(lists), lists, tables)


@cache
def load_lexicon(reader: str, allowed: frozenset[str] = frozenset()) -> Lexicon:
    """The packaged lexicon of a reader ("cues", "statements", "roles"): `data/<reader>/*.toml`."""
    return read_lexicon(DATA_DIR / reader, allowed)
