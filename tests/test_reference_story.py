"""The reference story end to end, in our own words, through the real statement extractor.

ICE's official feed claims its unit led raids on drug labs in Sinaloa; the Mexican
presidency's feed calls that false (in Spanish) the next day; the U.S. Embassy's later
statement joins the same dispute as a second denial. The news variant: one wire story
reports both sides, and the ICE post arriving afterwards becomes the dispute's claim.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.config import AlertsConfig, Config
from bot.detect.detector import Detector
from bot.storage import disputes as store
from bot.storage import schema as s
from bot.storage.db import Database
from bot.storage.search import search_disputes
from bot.types import EvidenceRole
from tests.stored_items import store_item

T0 = datetime(2025, 5, 14, 16, tzinfo=UTC)
ICE_NAME = "U.S. Immigration and Customs Enforcement"

FEEDS = {
    "ice": ("ICE newsroom", "official", ICE_NAME, "en"),
    "pres": ("Presidencia de la República", "official", "Presidency of Mexico", "es"),
    "emb": ("U.S. Embassy in Mexico", "official", "U.S. Embassy in Mexico", "en"),
    "wire": ("Wire desk", "news", None, "en"),
}
CLAIM = (
    "ice",
    "ice-1",
    T0,
    "ICE-led operation dismantles three synthetic drug labs in Sinaloa",
    "Homeland Security Investigations' vetted unit led an operation in Sinaloa, Mexico, that took down three "
    "large synthetic drug laboratories, with Mexican army, navy and prosecutors supporting.",
)
DENIAL = (
    "pres",
    "pres-1",
    T0 + timedelta(hours=22),
    "Sheinbaum: es falso que ICE encabezara el operativo contra laboratorios en Sinaloa",
    "La presidenta Claudia Sheinbaum dijo que es falso lo publicado por ICE: ningún agente de agencias de "
    "Estados Unidos participa en operativos en territorio mexicano; la Fiscalía actuó con inteligencia "
    "compartida para desmantelar los laboratorios de Sinaloa.",
)
EMBASSY = (
    "emb",
    "emb-1",
    T0 + timedelta(hours=30),
    "Embassy statement on the Sinaloa drug lab operation",
    "The U.S. Embassy said Mexican authorities led the operation against the Sinaloa drug labs using shared "
    "intelligence, that no U.S. personnel took part, and that ICE's earlier post was inaccurate.",
)
WIRE = (
    "wire",
    "wire-1",
    T0 + timedelta(hours=25),
    "Mexico's president rejects ICE claim it led Sinaloa drug lab raids",
    "President Claudia Sheinbaum said ICE's claim that its agents led raids on three drug labs in Sinaloa was "
    "false, adding that no U.S. personnel may take part in operations in Mexico.",
)
NOISE = (
    "wire",
    "wire-2",
    T0 + timedelta(hours=3),
    "Judge denies bail to former mayor in bribery case",
    "A federal judge denied bail to a former mayor accused of bribery, citing flight risk.",
)


async def _add(db: Database, rows: list[tuple[str, str, datetime, str, str]]) -> list[int]:
    ids = []
    async with db.begin() as conn:
        for feed, guid, when, title, text in rows:
            name, kind, actor, lang = FEEDS[feed]
            ids.append(
                await store_item(
                    conn,
                    feed=name,
                    guid=guid,
                    when=when,
                    title=title,
                    text=text,
                    kind=kind,
                    actor=actor,
                    language=lang,
                )
            )
    return ids


def _detector(db: Database) -> Detector:
    return Detector(db, Config(alerts=AlertsConfig(max_age_days=0)), ["slack:C0ALERTS"], stance=False)


async def _events(db: Database) -> list[tuple[str, int | None]]:
    async with db.connect() as conn:
        return [
            (r[0], r[1])
            for r in await conn.execute(
                select(s.outbox.c.event, s.outbox.c.evidence_item_id).order_by(s.outbox.c.id)
            )
        ]


async def test_official_feeds_claim_denial_and_embassy_in_one_thread(db: Database) -> None:
    det = _detector(db)
    claim, noise = await _add(db, [CLAIM, NOISE])
    await det.process_pending()
    assert await _events(db) == []
    (denial,) = await _add(db, [DENIAL])
    await det.process_pending()
    assert await _events(db) == [("new_dispute", None)]
    (embassy,) = await _add(db, [EMBASSY])
    await det.process_pending()
    assert await _events(db) == [("new_dispute", None), ("new_evidence", embassy)]
    async with db.connect() as conn:
        (d,) = await store.latest_disputes(conn, 5)
        hits = [i for i, _ in await search_disputes(conn, "ice sinaloa")]
    assert d.claim.item_id == claim
    assert "Immigration" in d.speaker or "ICE" in d.speaker
    assert [(e.item_id, e.role) for e in d.evidence] == [
        (denial, EvidenceRole.DENIAL),
        (embassy, EvidenceRole.DENIAL),
    ]
    assert d.denial_count == 2
    assert d.confidence >= 0.6
    assert hits == [d.id]


async def test_news_item_reporting_both_sides_then_the_claim_joins(db: Database) -> None:
    det = _detector(db)
    (wire,) = await _add(db, [WIRE])
    await det.process_pending()
    async with db.connect() as conn:
        (d,) = await store.latest_disputes(conn, 5)
    assert d.claim.item_id == wire
    assert await _events(db) == [("new_dispute", None)]
    (claim,) = await _add(db, [CLAIM])
    await det.process_pending()
    async with db.connect() as conn:
        (d,) = await store.latest_disputes(conn, 5)
    assert d.claim.item_id == claim
    assert [e.item_id for e in d.evidence] == [wire]
    assert ("new_evidence", claim) in await _events(db)


async def test_the_wire_report_of_the_presidents_denial_is_coverage_not_a_third_denial(db: Database) -> None:
    """Every feed of the story, the wire desk included: the wire's report of the president's denial
    is the presidency's voice again, so the parent still counts two denials."""
    det = _detector(db)
    claim, _ = await _add(db, [CLAIM, NOISE])
    await det.process_pending()
    (denial, wire) = await _add(db, [DENIAL, WIRE])
    await det.process_pending()
    (embassy,) = await _add(db, [EMBASSY])
    await det.process_pending()
    async with db.connect() as conn:
        (d,) = await store.latest_disputes(conn, 5)
    roles = {e.item_id: e.role for e in d.evidence}
    assert d.claim.item_id == claim
    assert roles == {denial: EvidenceRole.DENIAL, wire: EvidenceRole.COVERAGE, embassy: EvidenceRole.DENIAL}
    assert d.denial_count == 2
