"""The outbox on SQLite and PostgreSQL: idempotent enqueue, leases, retries, threads, pause state.

Also home of the story helpers the delivery tests share (a claim, a denial, a later denial),
written in our own words.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from bot.storage import outbox
from bot.storage import schema as s
from bot.storage.db import Database
from bot.storage.disputes import NewDispute, NewEvidence, add_evidence, create_dispute
from bot.types import EvidenceRole

T0 = datetime(2025, 5, 15, 12, 0, tzinfo=UTC)


async def add_item(db: Database, feed: str, title: str, text: str, link: str, when: datetime) -> int:
    """A stored item in a feed named `feed` (the feed is created on first use)."""
    async with db.begin() as conn:
        row = (await conn.execute(select(s.feeds.c.id).where(s.feeds.c.name == feed))).first()
        if row is None:
            feed_id = (
                await conn.execute(
                    insert(s.feeds)
                    .values(
                        url=f"https://{feed.lower().replace(' ', '-')}.example/feed",
                        name=feed,
                        kind="news",
                        created_at=when,
                        enabled=True,
                        origin="config",
                        consecutive_failures=0,
                        failure_notified=False,
                    )
                    .returning(s.feeds.c.id)
                )
            ).scalar_one()
        else:
            feed_id = row[0]
        return int(
            (
                await conn.execute(
                    insert(s.items)
                    .values(
                        feed_id=feed_id,
                        guid=link,
                        link=link,
                        title=title,
                        text=text,
                        published=when,
                        first_seen=when,
                        last_seen=when,
                        content_hash=link[-40:],
                        revision=1,
                    )
                    .returning(s.items.c.id)
                )
            ).scalar_one()
        )


async def make_story(
    db: Database, destinations: list[str], *, speaker: str = "Border Agency"
) -> tuple[int, int]:
    """A dispute: an agency claims it led a raid; a president says it did not. (dispute id, denial item id)."""
    tag = "" if speaker == "Border Agency" else "-" + speaker.lower().replace(" ", "-")
    claim = await add_item(
        db,
        "Agency Newsroom",
        "Agency says it led the raid on three labs",
        "The agency said its unit led the operation.",
        f"https://agency.example/raid{tag}",
        T0 - timedelta(days=1),
    )
    denial = await add_item(
        db,
        "Wire",
        "President says foreign agents took no part in the raid",
        "The president called the agency's account false.",
        f"https://wire.example/denial{tag}",
        T0,
    )
    async with db.begin() as conn:
        dispute_id = await create_dispute(
            conn,
            NewDispute(
                speaker_key="agency",
                speaker_name=speaker,
                topic="the lab raids",
                claim_item_id=claim,
                claim_statement_id=None,
                confidence=0.8,
                reasons=("official speaker", "explicit denial"),
                terms="agency raid labs",
            ),
            [NewEvidence(item_id=denial, role=EvidenceRole.DENIAL, actor_name="The President", said_at=T0)],
            destinations=destinations,
            now=T0,
        )
    return dispute_id, denial


async def add_denial(
    db: Database,
    dispute_id: int,
    destinations: list[str],
    *,
    role: EvidenceRole = EvidenceRole.DENIAL,
    actor: str = "The Embassy",
    n: int = 2,
) -> int:
    """Another item joins the dispute (a second denier, or a retraction); its item id."""
    item = await add_item(
        db,
        f"Outlet {n}",
        f"{actor} backs the president's account",
        f"{actor} said the agency's post was inaccurate.",
        f"https://outlet{n}.example/story",
        T0 + timedelta(hours=n),
    )
    async with db.begin() as conn:
        await add_evidence(
            conn,
            dispute_id,
            NewEvidence(item_id=item, role=role, actor_name=actor, said_at=T0 + timedelta(hours=n)),
            destinations=destinations,
            now=T0 + timedelta(hours=n),
        )
    return item


async def rows(db: Database) -> list[outbox.OutboxRow]:
    async with db.connect() as conn:
        return [outbox._row(r) for r in (await conn.execute(select(s.outbox).order_by(s.outbox.c.id))).all()]


# --- tests ----------------------------------------------------------------------------------


async def test_enqueue_twice_keeps_one_row(db: Database) -> None:
    dispute_id, _ = await make_story(db, [])
    async with db.begin() as conn:
        first = await outbox.enqueue(
            conn,
            dispute_id=dispute_id,
            event="new_dispute",
            destinations=["slack:C1", "console:stdout"],
            now=T0,
        )
    async with db.begin() as conn:
        again = await outbox.enqueue(
            conn, dispute_id=dispute_id, event="new_dispute", destinations=["slack:C1", "slack:C1"], now=T0
        )
    assert (first, again) == (2, 0)
    keys = [r.idempotency_key for r in await rows(db)]
    assert keys == [f"slack:C1|{dispute_id}|new_dispute|", f"console:stdout|{dispute_id}|new_dispute|"]


async def test_unknown_event_is_refused(db: Database) -> None:
    dispute_id, _ = await make_story(db, [])
    async with db.begin() as conn:
        try:
            await outbox.enqueue(conn, dispute_id=dispute_id, event="boom", destinations=["x:1"], now=T0)
        except ValueError as e:
            assert "boom" in str(e)
        else:
            raise AssertionError("an unknown event was queued")


async def test_claim_leases_and_a_crashed_send_comes_back_after_the_lease(db: Database) -> None:
    dispute_id, _ = await make_story(db, ["slack:C1"])
    async with db.begin() as conn:
        claimed = await outbox.claim(conn, owner="a", now=T0, lease_s=60)
    assert [r.destination for r in claimed] == ["slack:C1"]
    async with db.begin() as conn:
        assert await outbox.claim(conn, owner="b", now=T0 + timedelta(seconds=30)) == []
        assert await outbox.mark_sending(conn, claimed[0].id, owner="a", now=T0, lease_s=60)
    # "a" dies here. Within the lease nobody touches the row; afterwards "b" gets it, in `sending`.
    async with db.begin() as conn:
        assert await outbox.claim(conn, owner="b", now=T0 + timedelta(seconds=59)) == []
        again = await outbox.claim(conn, owner="b", now=T0 + timedelta(seconds=61))
    assert [(r.id, r.status, r.attempts, r.claimed_by) for r in again] == [(claimed[0].id, "sending", 1, "b")]
    async with db.begin() as conn:
        # "a" comes back from the dead: its lease is gone, so it cannot mark the row.
        assert not await outbox.mark_sending(conn, claimed[0].id, owner="a", now=T0, lease_s=60)


async def test_sent_rows_and_future_retries_are_not_claimed(db: Database) -> None:
    dispute_id, _ = await make_story(db, ["slack:C1", "slack:C2"])
    r1, r2 = await rows(db)
    async with db.begin() as conn:
        await outbox.claim(conn, owner="a", now=T0)
        await outbox.mark_sending(conn, r1.id, owner="a", now=T0, lease_s=60)
        await outbox.mark_sent(conn, r1.id, message_ref="111.222", now=T0)
        await outbox.mark_sending(conn, r2.id, owner="a", now=T0, lease_s=60)
        await outbox.release(
            conn, r2.id, next_attempt_at=T0 + timedelta(seconds=outbox.backoff_s(1)), error="503"
        )
    async with db.begin() as conn:
        assert await outbox.claim(conn, owner="b", now=T0 + timedelta(seconds=5)) == []
        later = await outbox.claim(conn, owner="b", now=T0 + timedelta(seconds=11))
        assert [r.id for r in later] == [r2.id]
        assert await outbox.pending_count(conn) == 1
        assert await outbox.counts_by_status(conn) == {"sent": 1, "pending": 1}
    done = {r.id: r for r in await rows(db)}
    assert (done[r1.id].status, done[r1.id].message_ref) == ("sent", "111.222")
    assert (done[r2.id].last_error, done[r2.id].attempts) == ("503", 1)


def test_backoff_doubles_up_to_the_cap() -> None:
    waits = [outbox.backoff_s(n, base=10, cap=100) for n in range(1, 7)]
    assert waits == [10, 20, 40, 80, 100, 100]


async def test_paused_destination_keeps_rows_but_is_not_claimed(db: Database) -> None:
    await make_story(db, ["slack:C1", "slack:C2"])
    async with db.begin() as conn:
        assert await outbox.pause_destination(conn, "slack:C1", reason="channel_not_found", now=T0)
        assert not await outbox.pause_destination(conn, "slack:C1", reason="again", now=T0)
        assert await outbox.mark_admin_notified(conn, "slack:C1")
        assert not await outbox.mark_admin_notified(conn, "slack:C1")
        got = await outbox.claim(conn, owner="a", now=T0, lease_s=1)
        assert [r.destination for r in got] == ["slack:C2"]
        state = await outbox.destination_state(conn, "slack:C1")
        assert (state.paused, state.paused_reason, state.admin_notified) == (True, "channel_not_found", True)
        assert [p.name for p in await outbox.paused_destinations(conn)] == ["slack:C1"]
        assert await outbox.resume_destination(conn, "slack:C1")
        assert not await outbox.resume_destination(conn, "slack:C1")
        back = await outbox.claim(conn, owner="a", now=T0, lease_s=1)
    assert [r.destination for r in back] == ["slack:C1"]


async def test_threads_first_record_wins(db: Database) -> None:
    dispute_id, _ = await make_story(db, [])
    async with db.begin() as conn:
        assert await outbox.get_thread(conn, dispute_id, "discord:9") is None
        await outbox.save_thread(conn, dispute_id, "discord:9", "m1", "t1", T0)
        await outbox.save_thread(conn, dispute_id, "discord:9", "m2", None, T0)
        got = await outbox.get_thread(conn, dispute_id, "discord:9")
    assert got == outbox.ThreadRef(dispute_id, "discord:9", "m1", "t1")


async def test_next_due_and_pacing_state(db: Database) -> None:
    await make_story(db, ["slack:C1"])
    async with db.begin() as conn:
        assert await outbox.next_due(conn) == T0
        await outbox.set_next_send_at(conn, "slack:C1", T0 + timedelta(seconds=3))
        assert (await outbox.destination_state(conn, "slack:C1")).next_send_at == T0 + timedelta(seconds=3)
        await outbox.pause_destination(conn, "slack:C1", reason="x", now=T0)
        assert await outbox.next_due(conn) is None


async def test_claim_takes_destinations_round_robin(db: Database) -> None:
    dispute_id, _ = await make_story(db, [])
    async with db.begin() as conn:
        for dest in ("chat:A", "chat:B", "chat:C"):  # A's backlog was queued first
            for n in range(5):
                await outbox.enqueue(
                    conn,
                    dispute_id=dispute_id,
                    event="new_evidence",
                    destinations=[dest],
                    evidence_item_id=1000 + n,
                    now=T0,
                )
        rows = await outbox.claim(conn, owner="me", now=T0, limit=6, per_destination=2)
    assert sorted(r.destination for r in rows) == ["chat:A", "chat:A", "chat:B", "chat:B", "chat:C", "chat:C"]
    async with db.begin() as conn:  # what is leased is not claimed again
        more = await outbox.claim(conn, owner="other", now=T0, limit=20, per_destination=2)
    assert len(more) == 6 and not {r.id for r in rows} & {r.id for r in more}
