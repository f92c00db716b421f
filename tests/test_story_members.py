"""Which earlier candidates belong to the story of the item a new answer is linked to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.detect.decision import DENIAL, Decision, Option
from bot.detect.reading import Reading
from bot.detect.threads import story_members
from bot.types import Actor, ActorType, Item, Statement, StatementKind

T0 = datetime(2025, 3, 1, 9, tzinfo=UTC)
PORT = Actor("xx.port", "Ruritanian port authority", ActorType.AGENCY, "xx", (), "xx.gov")
UNION = Actor("yy.gov", "Government of Borduria", ActorType.GOVERNMENT, "yy")


def _read(n: int, *statements: Statement) -> Reading:
    item = Item(n, 1, f"g{n}", None, f"item {n}", "", T0 + timedelta(hours=n), T0, str(n))
    return Reading(item, tuple(statements), (PORT, UNION), "en")


CLAIM = Statement(0, StatementKind.CLAIM, PORT, "port", "q", score=0.9)
DENIAL_OF_PORT = Statement(
    0, StatementKind.DENIAL, UNION, "Borduria", "q", cue="denies", target=PORT, score=0.9
)

OTHER_POST = _read(1, CLAIM)  # the port's post about something else, earlier
RAID_POST = _read(2, CLAIM)  # the post the denial answers
FIRST_DENIAL = _read(3, DENIAL_OF_PORT)
LATER = _read(4, DENIAL_OF_PORT)
BY_ID = {r.item.id: r for r in (OTHER_POST, RAID_POST, FIRST_DENIAL)}


def _decision(chosen: int, *options: Option) -> Decision:
    return Decision(DENIAL, 0.97, chosen, (Option(None, 0.97), *options))


def test_a_claim_chosen_is_its_own_storys_claim_not_another_post_of_the_same_party() -> None:
    d = _decision(2, Option(2, 0.8, 0.5), Option(1, 0.6, 0.4))
    assert [r.item.id for r in story_members(LATER, d, BY_ID.get)] == [2]


def test_an_answer_chosen_brings_its_storys_claim_along() -> None:
    # the later denial answers the first denial more surely than the claim, which is near in meaning
    d = _decision(3, Option(3, 0.97, 0.6), Option(2, 0.3, 0.75), Option(1, 0.05, 0.3))
    assert [r.item.id for r in story_members(LATER, d, BY_ID.get)] == [3, 2]


def test_a_weak_far_claim_does_not_join_an_answers_story() -> None:
    d = _decision(3, Option(3, 0.97, 0.6), Option(2, 0.3, 0.5))
    assert [r.item.id for r in story_members(LATER, d, BY_ID.get)] == [3]


def test_an_earlier_report_of_the_chosen_claim_by_another_source_stays_in_the_story() -> None:
    report = _read(0)  # an outlet's earlier report of the same raid, no statement read in it
    by_id = {**BY_ID, 0: report}
    d = _decision(2, Option(2, 0.8, 0.5), Option(0, 0.7, 0.6), Option(1, 0.6, 0.4))
    assert [r.item.id for r in story_members(LATER, d, by_id.get)] == [2, 0]
