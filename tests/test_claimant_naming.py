"""Whose statement a new dispute names as disputed (`threads._claim_of`) when the rules read no
speaker in the claim's item: the official that item is about, never a placeholder while one is
named."""

from __future__ import annotations

from bot.detect.reading import Reading
from bot.detect.threads import _claim_of
from bot.types import Actor, ActorType, FeedKind, Item, Statement, StatementKind
from tests.test_reference_story import T0

PORTS = Actor("xx.ports", "Harbour Authority of Eastport", ActorType.AGENCY, "xx")
MAYOR = Actor("xx.city.mayor", "Mayor of Eastport", ActorType.OFFICIAL, "xx")
CLUB = Actor("xx.club", "Eastport Rowing Club", ActorType.OTHER, "xx")


def _reading(
    item_id: int, title: str, statements: tuple[Statement, ...], actors: tuple[Actor, ...]
) -> Reading:
    item = Item(item_id, 1, f"g{item_id}", None, title, "", T0, T0, "h", feed_kind=FeedKind.NEWS)
    return Reading(item, statements, actors, "xx")


# an answer whose words name nobody as the one it disputes
ANSWER = _reading(
    2,
    "Dockers say the tanker never ran aground",
    (
        Statement(
            2,
            StatementKind.DENIAL,
            None,
            "Dockers",
            "Dockers say the tanker never ran aground",
            "en",
            score=0.8,
        ),
    ),
    (),
)


def test_a_claim_read_with_no_speaker_is_the_statement_of_the_official_its_item_is_about() -> None:
    # a report in a language the rules do not read: the harbour authority is named, no speaker read
    earlier = _reading(1, "Il tanker si è incagliato, dice l'autorità portuale", (), (CLUB, PORTS))
    claim = _claim_of(earlier, ANSWER)
    assert (claim.actor, claim.name, claim.item_id) == (PORTS, PORTS.name, 1)


def test_a_speaker_read_comes_first_and_nobody_named_stays_unnamed() -> None:
    said = Statement(
        1, StatementKind.CLAIM, MAYOR, "the mayor", "The mayor says the tanker ran aground", "en", score=0.7
    )
    earlier = _reading(1, "The mayor says the tanker ran aground", (said,), (PORTS, MAYOR))
    assert _claim_of(earlier, ANSWER).actor == MAYOR
    nobody = _reading(1, "Tanker ran aground off the coast", (), (CLUB,))
    assert _claim_of(nobody, ANSWER).name == "an official"
