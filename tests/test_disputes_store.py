"""The dispute store on SQLite and PostgreSQL: writing, events in the same transaction, reading, verdicts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.storage import disputes as store
from bot.storage import schema as s
from bot.storage.db import Database
from bot.storage.search import search_disputes
from bot.types import DisputeStatus, EvidenceRole
from tests.test_detector import CLAIM, DENIAL, EMBASSY_ST, T0, WIRE, add_items, outbox_rows

DEST = ("slack:C0ALERTS",)


async def _make(db: Database, destinations: tuple[str, ...] = DEST) -> tuple[int, list[int]]:
    ids = await add_items(db, [CLAIM, DENIAL, EMBASSY_ST, WIRE])
    async with db.begin() as conn:
        new = store.NewDispute(
            speaker_key="us.ice",
            speaker_name="U.S. Immigration and Customs Enforcement",
            topic="the Sinaloa lab raids",
            claim_item_id=ids[0],
            claim_statement_id=None,
            confidence=0.8,
            reasons=('denial cue: "es falso"',),
            terms="lab sinalo @ice",
            claim_said_at=T0,
        )
        ev = store.NewEvidence(
            item_id=ids[1],
            role=EvidenceRole.DENIAL,
            actor_name="Claudia Sheinbaum",
            said_at=T0 + timedelta(days=1),
        )
        did = await store.create_dispute(
            conn, new, [ev], destinations=destinations, now=T0 + timedelta(days=1)
        )
    return did, ids


async def test_create_and_load(db: Database) -> None:
    did, ids = await _make(db)
    async with db.connect() as conn:
        d = await store.load_dispute(conn, did)
        assert await store.disputes_for_item(conn, ids[1]) == [did]
        assert await store.disputes_for_item(conn, ids[0]) == [did]
        assert await store.disputes_for_item(conn, ids[3]) == []
    assert d.status is DisputeStatus.DISPUTED
    assert d.claim.item_id == ids[0] and d.claim.link == f"https://example.org/{CLAIM.guid}"
    assert d.claim.source == "ICE newsroom"
    assert [e.item_id for e in d.evidence] == [ids[1]]
    assert d.denier_names == ("Claudia Sheinbaum",)
    assert d.reasons == ('denial cue: "es falso"',)
    assert await outbox_rows(db) == [("new_dispute", "slack:C0ALERTS", None)]


async def test_events_follow_the_dispute(db: Database) -> None:
    did, ids = await _make(db)
    now = T0 + timedelta(days=2)
    async with db.begin() as conn:
        ev = store.NewEvidence(item_id=ids[2], role=EvidenceRole.DENIAL, actor_name="U.S. Embassy in Mexico")
        assert await store.add_evidence(conn, did, ev, destinations=DEST, now=now)
        # the same item again adds nothing and queues nothing
        assert not await store.add_evidence(conn, did, ev, destinations=DEST, now=now)
        ret = store.NewEvidence(item_id=ids[3], role=EvidenceRole.RETRACTION, actor_name="ICE")
        assert await store.add_evidence(conn, did, ret, destinations=DEST + ("discord:42",), now=now)
    rows = await outbox_rows(db)
    assert rows == [
        ("new_dispute", "slack:C0ALERTS", None),
        ("new_evidence", "slack:C0ALERTS", ids[2]),
        ("new_dispute", "discord:42", None),  # a destination that joins later gets the parent
        ("new_evidence", "slack:C0ALERTS", ids[3]),
        ("status_change", "slack:C0ALERTS", ids[3]),
    ]
    async with db.connect() as conn:
        d = await store.load_dispute(conn, did)
    assert d.status is DisputeStatus.RETRACTED
    assert d.denial_count == 3


async def test_stored_only_dispute_is_announced_when_it_qualifies(db: Database) -> None:
    did, ids = await _make(db, destinations=())
    assert await outbox_rows(db) == []
    async with db.begin() as conn:
        ev = store.NewEvidence(item_id=ids[2], role=EvidenceRole.DENIAL, actor_name="U.S. Embassy in Mexico")
        await store.add_evidence(conn, did, ev, destinations=DEST, now=T0 + timedelta(days=2))
    assert await outbox_rows(db) == [("new_dispute", "slack:C0ALERTS", None)]


@pytest.mark.parametrize(
    "verdict,status",
    [
        ("not_a_dispute", DisputeStatus.DISMISSED),
        ("muted", DisputeStatus.MUTED),
        ("confirmed", DisputeStatus.CONFIRMED),
    ],
)
async def test_verdicts(db: Database, verdict: str, status: DisputeStatus) -> None:
    did, ids = await _make(db)
    async with db.begin() as conn:
        d = await store.set_verdict(conn, did, verdict, "U1", "slack", T0 + timedelta(days=2))
        ev = store.NewEvidence(item_id=ids[2], role=EvidenceRole.DENIAL, actor_name="U.S. Embassy in Mexico")
        await store.add_evidence(conn, did, ev, destinations=DEST, now=T0 + timedelta(days=3))
        fb = (await conn.execute(select(s.feedback.c.verdict, s.feedback.c.user_id))).all()
    assert d.status is status and d.verdict == verdict
    assert [tuple(r) for r in fb] == [(verdict, "U1")]
    events = [r[0] for r in await outbox_rows(db)]
    assert events == (["new_dispute", "new_evidence"] if verdict == "confirmed" else ["new_dispute"])
    async with db.connect() as conn:
        latest = await store.latest_disputes(conn, 5)
    assert [x.id for x in latest] == ([] if status is DisputeStatus.DISMISSED else [did])


async def test_unknown_verdict_is_refused(db: Database) -> None:
    did, _ = await _make(db)
    async with db.begin() as conn:
        with pytest.raises(ValueError, match="unknown verdict"):
            await store.set_verdict(conn, did, "maybe", "U1", "slack", T0)


async def test_search_text_finds_the_dispute_in_both_languages(db: Database) -> None:
    did, ids = await _make(db)
    async with db.connect() as conn:
        assert [i for i, _ in await search_disputes(conn, "ice sinaloa")] == [did]
        assert [i for i, _ in await search_disputes(conn, "sheinbaum")] == [did]
        assert [i for i, _ in await search_disputes(conn, "operativo")] == [
            did
        ]  # words of the Spanish denial
        assert await search_disputes(conn, "peso inflation") == []
        text = (
            await conn.execute(select(s.disputes.c.search_text).where(s.disputes.c.id == did))
        ).scalar_one()
    assert "Claudia Sheinbaum" in text and "Sinaloa" in text


async def test_attach_claim_keeps_the_single_item_as_evidence(db: Database) -> None:
    ids = await add_items(db, [DENIAL, CLAIM])
    async with db.begin() as conn:
        new = store.NewDispute(
            speaker_key="us.ice",
            speaker_name="ICE",
            topic="Sinaloa",
            claim_item_id=ids[0],
            claim_statement_id=None,
            confidence=0.7,
            reasons=(),
            terms="sinalo",
        )
        ev = store.NewEvidence(item_id=ids[0], role=EvidenceRole.DENIAL, actor_name="Claudia Sheinbaum")
        did = await store.create_dispute(conn, new, [ev], destinations=DEST, now=T0)
        found = await store.open_disputes(conn, ["us.ice"], since=T0 - timedelta(days=1))
        assert [(d.id, d.has_claim_item) for d in found] == [(did, False)]
        assert await store.attach_claim(conn, did, ids[1], None, said_at=T0, terms="lab", now=T0)
        found = await store.open_disputes(conn, ["us.ice"], since=T0 - timedelta(days=1))
        assert [(d.id, d.has_claim_item, sorted(d.terms.split())) for d in found] == [
            (did, True, ["lab", "sinalo"])
        ]
        d = await store.load_dispute(conn, did)
    assert d.claim.item_id == ids[1] and [e.item_id for e in d.evidence] == [ids[0]]
    assert ("new_evidence", "slack:C0ALERTS", ids[1]) in await outbox_rows(db)
