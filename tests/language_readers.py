"""Helpers the per-language reader tests share (`tests/test_statements_<language>.py`): an item
declared in one language read by the statement reader, and that language's cues in a sentence."""

from __future__ import annotations

from dataclasses import dataclass

from bot.detect.actors import Gazetteer
from bot.detect.cues import Cue, CueKind, find_cues
from bot.detect.statements import extract_statements
from bot.types import Statement, StatementKind
from tests.test_statements import item
from tests.test_statements import read as read_in


def keys(st: Statement) -> tuple[StatementKind, str | None, str | None]:
    """(kind, speaker key, target key) of a statement."""
    return st.kind, st.speaker.key if st.speaker else None, st.target.key if st.target else None


@dataclass(frozen=True)
class LanguageReader:
    """The readers as they read an item declared in `language`."""

    language: str

    def read(self, gaz: Gazetteer, title: str, text: str = "") -> list[Statement]:
        """The disputes a news item in this language reports."""
        return read_in(gaz, title, text, language=self.language)

    def statements(self, gaz: Gazetteer, title: str, text: str = "") -> list[Statement]:
        """Every statement read in the item, claims too."""
        return extract_statements(item(title, text, language=self.language), gaz)

    def first(
        self, gaz: Gazetteer, title: str, text: str = ""
    ) -> tuple[StatementKind, str | None, str | None]:
        """(kind, speaker key, target key) of the first dispute the item reports; there must be one."""
        found = self.read(gaz, title, text)
        assert found, title
        return keys(found[0])

    def silent_cue(self, gaz: Gazetteer, title: str, kind: CueKind) -> Cue:
        """The one cue of `kind` in an item that reports no dispute at all (a negated cue, a hedge,
        another sense of the word)."""
        assert self.read(gaz, title) == [], title
        return self.cue(title, kind)

    def cues(self, title: str, kind: CueKind) -> list[Cue]:
        """This language's cues of `kind` in a sentence (whatever they are flagged)."""
        return [c for c in find_cues(title, self.language) if c.kind is kind and c.language == self.language]

    def cue(self, title: str, kind: CueKind) -> Cue:
        """The one cue of `kind` of this language in a sentence."""
        found = self.cues(title, kind)
        assert len(found) == 1, (title, find_cues(title, self.language))
        return found[0]
