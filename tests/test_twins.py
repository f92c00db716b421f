"""A denial standing alone joins a recent dispute of the same claimant only when it is the same
story: near in the story's own time, and sharing more than the claimant's name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import insert

from bot.config import AlertsConfig
from bot.detect.reading import Reading
from bot.detect.terms import extract_terms
from bot.detect.threads import Threads
from bot.storage import schema as s
from bot.storage.db import Database
from bot.storage.disputes import NewDispute, NewEvidence, create_dispute
from bot.types import Actor, ActorType, EvidenceRole, Item, Statement, StatementKind

T0 = datetime(2025, 3, 1, 9, tzinfo=UTC)
ARMY = Actor("xx.army", "Ruritanian army", ActorType.MILITARY, "xx", (), "xx.gov")
BORDURIA = Actor("yy.gov", "Government of Borduria", ActorType.GOVERNMENT, "yy")
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


def _denial(title: str, when: datetime) -> Reading:
    st = Statement(
        0, StatementKind.DENIAL, BORDURIA, BORDURIA.name, title, cue="denies", target=ARMY, score=0.9
    )
    return Reading(Item(2, 1, "g2", None, title, "", when, when, "2"), (st,), (BORDURIA, ARMY), "en")


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
