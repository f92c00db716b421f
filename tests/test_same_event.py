"""A later item can answer an earlier one only when both may be about one event: near in meaning,
or sharing a term that is not the name of a party to them."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.detect.decision import SAME_EVENT_COS, SAME_EVENT_COS_ACROSS, same_event
from bot.detect.reading import Reading
from bot.types import Actor, ActorType, Item, Statement, StatementKind

T0 = datetime(2025, 3, 1, 9, tzinfo=UTC)
PRESIDENT = Actor("xx.president", "President Halvar Ostrom", ActorType.HEAD_OF_STATE, "xx")
SENATOR = Actor("xx.senator", "Senator Ilse Marr", ActorType.OFFICIAL, "xx")


def _read(n: int, title: str, *statements: Statement, language: str = "en") -> Reading:
    item = Item(n, 1, f"g{n}", None, title, "", T0, T0, str(n), language=language)
    return Reading(item, tuple(statements), (PRESIDENT, SENATOR), language)


CLAIM = Statement(0, StatementKind.CLAIM, PRESIDENT, "President Ostrom", "q", score=0.9)
DENIAL = Statement(
    0, StatementKind.DENIAL, SENATOR, "Senator Marr", "q", cue="denies", target=PRESIDENT, score=0.9
)

GRAIN = _read(1, "President Ostrom says grain exports doubled this spring", CLAIM)
SCHOOLS = _read(2, "President Ostrom opens twelve schools in the north", CLAIM)
DENIES_GRAIN = _read(3, "Senator Marr denies Ostrom's account of the grain exports", DENIAL)


def test_a_denial_and_the_statement_it_names_share_the_events_words() -> None:
    assert same_event(DENIES_GRAIN, GRAIN, 0.4)


def test_sharing_only_the_parties_names_is_not_one_event() -> None:
    assert not same_event(DENIES_GRAIN, SCHOOLS, 0.4)


def test_near_in_meaning_is_enough_whatever_the_words() -> None:
    assert same_event(DENIES_GRAIN, SCHOOLS, SAME_EVENT_COS)


def test_across_languages_meaning_decides_at_a_lower_bar() -> None:
    spanish = _read(4, "La senadora Marr niega la versión de Ostrom", DENIAL, language="es")
    assert same_event(spanish, SCHOOLS, SAME_EVENT_COS_ACROSS)
    assert not same_event(spanish, SCHOOLS, SAME_EVENT_COS_ACROSS - 0.1)


def test_the_parties_are_who_speaks_and_whose_statement_is_disputed() -> None:
    names = set(DENIES_GRAIN.parties)
    assert {"President Halvar Ostrom", "Senator Ilse Marr"} <= names
    assert "Senator Marr" in names  # as written in the item, too
