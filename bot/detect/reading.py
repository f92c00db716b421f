"""What one item says: its statements (who said what), the actors it names, its language.

A `Reading` is the first stage of detection, computed once per item (and again for an
earlier item when it becomes a candidate, from its stored text). The later stages
(features, candidates, the learned decision) read only this, so the same code serves the
running bot and the training scripts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from bot.detect.actors import Context
from bot.detect.genre import is_opinion
from bot.detect.languages import detect_language
from bot.detect.sides import actor_keys, family_prefix
from bot.detect.terms import Terms, extract_terms, topic_text
from bot.types import Actor, Item, Statement, StatementKind

DISPUTING = (StatementKind.DENIAL, StatementKind.RETRACTION, StatementKind.CORRECTION)


class Gazetteer(Protocol):
    """What a reading needs of the gazetteer: the actors a text names, an actor by key."""

    def find_all(self, text: str, *, country: Any = None) -> list[tuple[Actor, Any]]: ...

    def get(self, key: str) -> Actor | None: ...


Extractor = Callable[[Item], list[Statement]]


@dataclass(frozen=True)
class Reading:
    """One item as the detector sees it."""

    item: Item
    statements: tuple[Statement, ...]
    actors: tuple[Actor, ...]  # every actor the headline and lead name, first mention first
    language: str | None

    @cached_property
    def disputing(self) -> Statement | None:
        """The strongest denial, retraction or correction the item reports, if any."""
        found = [st for st in self.statements if st.kind in DISPUTING]
        return max(found, key=lambda st: st.score) if found else None

    @cached_property
    def claim(self) -> Statement | None:
        """The item's main claim: the strongest attributed claim or confirmation, else any."""
        return strongest_claim(self.statements)

    @cached_property
    def disputed(self) -> Actor | None:
        """Whose statement the item disputes: a denial's target, a retraction's own speaker."""
        st = self.disputing
        if st is None:
            return None
        if st.kind is StatementKind.DENIAL:
            return st.target
        return st.target or st.speaker

    @cached_property
    def speaker(self) -> Actor | None:
        """Who speaks in the item: the disputing statement's speaker, else the claim's."""
        st = self.disputing or self.claim
        return st.speaker if st is not None else None

    @cached_property
    def protagonist(self) -> Actor | None:
        """Who the item is about: its speaker, else the first official actor it names.

        Languages the statement rules do not read still name actors the gazetteer knows, so
        features about sides and officialness work there too.
        """
        return self.speaker or next((a for a in self.actors if a.official), None)

    @cached_property
    def claim_speaker(self) -> Actor | None:
        """Whose statement the item carries, as a later item answering it would dispute: the
        speaker of its claim, else who it is about (`protagonist`: in a language the statement
        rules do not read, the official it names)."""
        if self.claim is not None and self.claim.speaker is not None:
            return self.claim.speaker
        return self.protagonist

    @cached_property
    def parties(self) -> tuple[str, ...]:
        """Names of who speaks in the item and whose statement it disputes, as read or as written:
        sharing them is no sign that two items are about one event."""
        names = [a.name for a in (self.disputed, self.protagonist) if a is not None]
        for st in (self.disputing, self.claim):
            if st is not None:
                names += [st.speaker_text, st.target_text or ""]
                names += [a.name for a in (st.speaker, st.target) if a is not None]
        return tuple(dict.fromkeys(n for n in names if n))

    @cached_property
    def opinion(self) -> bool:
        """An opinion piece (labelled so, or in an opinion section): its writer's view, not news."""
        return is_opinion(self.item)

    @cached_property
    def terms(self) -> Terms:
        """Topic terms of the headline and lead (names, numbers, stems)."""
        return extract_terms(topic_text(self.item.title, self.item.text))

    @cached_property
    def actor_keys(self) -> frozenset[str]:
        """Keys of every actor named, with the bodies they belong to."""
        keys: set[str] = set()
        for a in self.actors:
            keys |= actor_keys(a)
        return frozenset(keys)

    @cached_property
    def families(self) -> frozenset[str]:
        """State prefixes ('mx.') of the state actors named."""
        return frozenset(p for a in self.actors if (p := family_prefix(a)))

    @property
    def when(self) -> float:
        """When the item was said, POSIX seconds."""
        return self.item.when.timestamp()


def strongest_claim(statements: Iterable[Statement]) -> Statement | None:
    """The strongest attributed claim or confirmation among `statements`, an official's first."""
    found = [
        st
        for st in statements
        if st.kind in (StatementKind.CLAIM, StatementKind.CONFIRMATION) and st.speaker is not None
    ]
    return max(found, key=lambda st: (st.speaker is not None and st.speaker.official, st.score), default=None)


def read_item(item: Item, extract: Extractor, gazetteer: Gazetteer) -> Reading:
    """Statements, actors named and language of one item. Pure and CPU-bound."""
    statements = tuple(extract(item))
    head = topic_text(item.title, item.text)
    language = item.language or detect_language(head)
    try:
        actors = tuple(a for a, _ in gazetteer.find_all(head, country=Context(language=language)))
    except Exception:  # noqa: BLE001 - mentions only add features; a bad text must not stop reading
        actors = ()
    named = {a.key for a in actors}
    for st in statements:  # the statements' actors count as named even when found by role
        for a in (st.speaker, st.target):
            if a is not None and a.key not in named:
                actors += (a,)
                named.add(a.key)
    return Reading(item, statements, actors, language)


def read_many(items: Sequence[Item], extract: Extractor, gazetteer: Gazetteer) -> list[Reading | Exception]:
    """Readings of several items; an item whose reading fails gets its exception instead."""
    out: list[Reading | Exception] = []
    for it in items:
        try:
            out.append(read_item(it, extract, gazetteer))
        except Exception as e:  # noqa: BLE001 - one bad item must not stop the batch
            out.append(e)
    return out


__all__ = ["DISPUTING", "Reading", "read_item", "read_many", "strongest_claim"]
