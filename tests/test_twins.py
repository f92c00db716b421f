"""A denial standing alone joins an existing dispute only when it is the same story: a recent
dispute of the same claimant (near in the story's own time, sharing more than the parties'
names), the dispute its likely link (at least JOIN_P) is already in, or the dispute of the
claimant it names that any link the decision scored is in."""

from __future__ import annotations

from dataclasses import replace as dc_replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.config import AlertsConfig, Config
from bot.detect.decision import DENIAL, Decision, Option
from bot.detect.detector import Detector, _Earlier, _Work
from bot.detect.features import Semantics
from bot.detect.reading import Reading
from bot.detect.terms import extract_terms
from bot.detect.threads import JOIN_P, Threads
from bot.storage import links
from bot.storage import schema as s
from bot.storage.db import Database
from bot.storage.disputes import NewDispute, NewEvidence, create_dispute
from bot.types import Actor, ActorType, EvidenceRole, Item, Statement, StatementKind

T0 = datetime(2025, 3, 1, 9, tzinfo=UTC)
ARMY = Actor("xx.army", "Ruritanian army", ActorType.MILITARY, "xx", (), "xx.gov")
BORDURIA = Actor("yy.gov", "Government of Borduria", ActorType.GOVERNMENT, "yy")
OTHER_CLAIMANT = Actor("zz.gov", "Government of Syldavia", ActorType.GOVERNMENT, "zz")
FIRST = "Borduria denies the Ruritanian army's account of the Vardar ridge shelling"


async def _stored_dispute(db: Database, written: datetime) -> int:
    """A dispute of the army's claim, its denial said at T0 but written to the store at `written`."""
    async with db.begin() as conn:
        feed = await conn.execute(
            insert(s.feeds)
            .values(url="https://example.org/f", name="wire", kind="news", created_at=written)
            .returning(s.feeds.c.id)
        )
        await conn.execute(
            insert(s.items).values(
                id=1,
                feed_id=feed.scalar_one(),
                guid="g1",
                link="https://example.org/1",
                title=FIRST,
                text="",
                published=T0,
                first_seen=written,
                last_seen=written,
                content_hash="1" * 64,
            )
        )
        return await create_dispute(
            conn,
            NewDispute(
                speaker_key=ARMY.key,
                speaker_name=ARMY.name,
                topic="Vardar ridge",
                claim_item_id=1,
                claim_statement_id=None,
                confidence=0.9,
                reasons=(),
                terms=extract_terms(FIRST).serialise(),
                claim_text=FIRST,
                claim_said_at=T0,
            ),
            [NewEvidence(item_id=1, role=EvidenceRole.DENIAL, actor_name=BORDURIA.name, said_at=T0)],
            destinations=[],
            now=written,
        )


def _denial(title: str, when: datetime, target: Actor = ARMY) -> Reading:
    st = Statement(
        0, StatementKind.DENIAL, BORDURIA, BORDURIA.name, title, cue="denies", target=target, score=0.9
    )
    return Reading(Item(2, 1, "g2", None, title, "", when, when, "2"), (st,), (BORDURIA, target), "en")


def _threads(written: datetime) -> Threads:
    actors = {a.key: a for a in (ARMY, BORDURIA)}
    return Threads(AlertsConfig(), [], actors.get, lambda: written, vectors=("use", 4))


SAME_STORY = "Borduria again denies army's Vardar ridge shelling account"
OTHER_STORY = "Borduria denies the Ruritanian army's claim about a drone"


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_the_same_story_a_day_later_joins_the_dispute(db: Database) -> None:
    dispute = await _stored_dispute(db, T0)
    async with db.connect() as conn:
        got = await _threads(T0).story_of_answer(
            conn, _denial(SAME_STORY, T0 + timedelta(days=1)), np.zeros(4)
        )
    assert got == dispute


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_sharing_only_the_claimants_name_is_another_story(db: Database) -> None:
    await _stored_dispute(db, T0)
    async with db.connect() as conn:
        got = await _threads(T0).story_of_answer(
            conn, _denial(OTHER_STORY, T0 + timedelta(days=1)), np.zeros(4)
        )
    assert got is None


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_recent_is_counted_in_the_storys_time_not_when_a_backlog_was_stored(db: Database) -> None:
    # a first poll stores a month of news at once: the dispute row is written "now", its story is old
    backlog = T0 + timedelta(days=40)
    await _stored_dispute(db, backlog)
    async with db.connect() as conn:
        got = await _threads(backlog).story_of_answer(
            conn, _denial(SAME_STORY, T0 + timedelta(days=20)), np.zeros(4)
        )
    assert got is None


# --- an answer standing alone whose likely link is into an established story ------------------


async def _with_second_item(db: Database) -> None:
    async with db.begin() as conn:
        await conn.execute(
            insert(s.items).values(
                id=2,
                feed_id=1,
                guid="g2",
                link="https://example.org/2",
                title=SAME_STORY,
                text="",
                published=T0 + timedelta(days=1),
                first_seen=T0,
                last_seen=T0,
                content_hash="2" * 64,
            )
        )


async def _detector_with_a_dispute(db: Database) -> Detector:
    """A detector over a store where item 1 is in a dispute of the army's claim and item 2 is new."""
    await _stored_dispute(db, T0)
    await _with_second_item(db)
    det = Detector(db, Config(), [], stance=False, clock=lambda: T0)
    det._threads = _threads(T0)  # noqa: SLF001  (what `_ensure_ready` sets, without loading models)
    return det


def _alone_work(
    link_p: float, earlier_id: int = 1, target: Actor = ARMY, also: tuple[int, float] | None = None
) -> _Work:
    """Item 2 standing alone, with a link to `earlier_id` (and, with `also`, a likelier one to an
    item in no dispute)."""
    reading = _denial(SAME_STORY, T0 + timedelta(days=1), target)
    links_ = [Option(earlier_id, link_p, 0.5)] + ([Option(also[0], also[1], 0.5)] if also else [])
    options = tuple(sorted([Option(None, 0.6), *links_], key=lambda o: -o.p))
    decision = Decision(DENIAL, 0.6, None, options, 0.6)
    return _Work(reading.item, reading, np.zeros(4), Semantics(), np.zeros(1), decision=decision)


def _earlier(item_id: int) -> dict[int, _Earlier]:
    first = _denial(FIRST, T0)
    item = Item(item_id, 1, f"g{item_id}", None, FIRST, "", T0, T0, str(item_id))
    return {item_id: _Earlier(Reading(item, first.statements, first.actors, "en"), np.zeros(4), Semantics())}


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_an_answer_alone_joins_the_dispute_its_likely_link_is_in(db: Database) -> None:
    det = await _detector_with_a_dispute(db)  # item 1 is in dispute
    work = _alone_work(JOIN_P + 0.05)
    # the decision did not link it (item 1 states nothing); the established story takes it in
    work.decision = dc_replace(work.decision, declined_link=1)
    async with db.begin() as conn:
        got = await det._into_established_story(conn, work, work.decision, _earlier(1))  # noqa: SLF001
        stored = await links.get_link(conn, 2)
    assert got.earlier_id == 1 and got.p == 0.6 and work.decision is got
    assert got.declined_link is None  # "why no alert?" must not say it was not linked
    assert stored is not None and stored.earlier_item_id == 1


async def _joined(det: Detector, conn: AsyncConnection, work: _Work) -> int | None:
    """The earlier item the answer alone is joined through (None: it stays alone)."""
    got = await det._into_established_story(conn, work, work.decision, _earlier(1))  # noqa: SLF001
    return got.earlier_id


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_a_link_below_the_best_joins_only_a_dispute_about_the_claimant_the_answer_names(
    db: Database,
) -> None:
    # The likeliest link joins on its own; a second-best one (at least JOIN_P too) joins only a
    # dispute about the claimant this answer names: one event and one claimant make one story.
    det = await _detector_with_a_dispute(db)
    likelier = (5, JOIN_P + 0.1)  # a link to an item in no dispute
    async with db.begin() as conn:
        same = _alone_work(JOIN_P + 0.05, also=likelier)
        assert await _joined(det, conn, same) == 1, "second best, into a dispute about the claimant it names"
        other = _alone_work(JOIN_P + 0.05, target=OTHER_CLAIMANT, also=likelier)
        assert await _joined(det, conn, other) is None, "second best, into a dispute about someone else"


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_a_link_the_model_finds_unlikely_joins_no_story_even_about_the_same_claimant(
    db: Database,
) -> None:
    # Sharing an event's words and the claimant's name is no sign of one story on a real desk,
    # where half the news names the same president: below JOIN_P a link joins nothing.
    det = await _detector_with_a_dispute(db)
    async with db.begin() as conn:
        for p in (JOIN_P - 0.05, 0.01, 0.0):
            assert await _joined(det, conn, _alone_work(p)) is None, f"a link at {p} about the same claimant"


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_a_link_to_an_item_in_no_dispute_leaves_the_answer_alone(db: Database) -> None:
    det = await _detector_with_a_dispute(db)
    async with db.begin() as conn:
        elsewhere = _alone_work(0.5, earlier_id=7)
        got = await det._into_established_story(conn, elsewhere, elsewhere.decision, _earlier(7))  # noqa: SLF001
        assert got.earlier_id is None
