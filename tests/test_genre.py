"""Opinion pieces: how they are recognised, and that they take neither side of a dispute."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.detect.decision import answers, may_stand_alone
from bot.detect.features import Semantics
from bot.detect.genre import is_opinion
from bot.detect.reading import Reading
from bot.types import Actor, ActorType, Item, Statement, StatementKind

T0 = datetime(2025, 3, 1, 9, tzinfo=UTC)
PORT = Actor("xx.port", "Ruritanian port authority", ActorType.AGENCY, "xx", (), "xx.gov")
UNION = Actor("yy.gov", "Government of Borduria", ActorType.GOVERNMENT, "yy")


def _item(n: int, title: str, link: str | None = None) -> Item:
    return Item(n, 1, f"g{n}", link, title, "", T0, T0, str(n))


@pytest.mark.parametrize(
    ("title", "link"),
    [
        ("OPINION: The harbour minister's tale does not add up", None),
        ("Op-Ed | Why the port figures deserve a second look", None),
        ("Why the port figures deserve a second look | Opinion", None),
        ("Tribune : le port ment-il ?", None),
        ("Opinión: las cifras del puerto", None),
        ("Kommentar: Die Hafenzahlen stimmen nicht", None),
        ("The port figures deserve a second look", "https://news.example/opinion/2025/03/port-figures"),
        ("Los datos del puerto", "https://diario.example/opinión/columnas/datos-del-puerto"),
        ("Les chiffres du port", "https://journal.example/idees/article/2025/03/01/chiffres"),
    ],
)
def test_labelled_or_filed_as_opinion(title: str, link: str | None) -> None:
    assert is_opinion(_item(1, title, link))


@pytest.mark.parametrize(
    ("title", "link"),
    [
        ("Port authority denies opinion poll was rigged", None),
        ("Analysis: the harbour minister's figures do not add up", None),
        ("Readers' opinions split on the new harbour", "https://news.example/world/harbour-opinions-split"),
        ("Minister writes an op-ed on the port", "https://news.example/politics/2025/03/port"),
        ("Dockers win pay deal", "not a url at all ::: //"),
    ],
)
def test_news_that_only_mentions_opinion_is_news(title: str, link: str | None) -> None:
    assert not is_opinion(_item(1, title, link))


@given(st.text(max_size=200), st.one_of(st.none(), st.text(max_size=200)))
def test_any_headline_and_link_are_judged_without_error(title: str, link: str | None) -> None:
    assert isinstance(is_opinion(_item(1, title, link)), bool)


def _read(n: int, title: str, *statements: Statement, link: str | None = None) -> Reading:
    return Reading(_item(n, title, link), tuple(statements), (PORT, UNION), "en")


CLAIM = Statement(0, StatementKind.CLAIM, PORT, "port", "q", score=0.9)
DENIAL = Statement(0, StatementKind.DENIAL, UNION, "Borduria", "q", cue="denies", target=PORT, score=0.9)


def test_an_opinion_piece_answers_no_claim_and_is_no_claim() -> None:
    claim = _read(1, "Port authority says the harbour reopened", CLAIM)
    denial = _read(2, "Borduria denies the harbour reopened", DENIAL)
    assert answers(denial, Semantics(), claim)  # the news item is an answer
    column = _read(3, "Opinion: Borduria is right, the harbour never reopened", DENIAL)
    assert not answers(column, Semantics(dispute=0.9), claim)
    filed = _read(1, "The harbour reopened, says the port", CLAIM, link="https://x.example/opinion/harbour")
    assert not answers(denial, Semantics(), filed)


def test_an_opinion_piece_never_stands_alone_as_an_alert() -> None:
    assert may_stand_alone(_read(2, "Borduria denies the port's account", DENIAL))
    assert not may_stand_alone(_read(2, "OPINION: Borduria denies the port's account", DENIAL))
