"""Two replicas detecting at once on one PostgreSQL: every item analysed once, one dispute per story.

Each replica is a `Detector` with its own connection pool and owner id, as in two `factbot run`
processes. Claims are cut to two items so both replicas hold parts of every story at the same
time: a denial may be decided before the claim it answers is stored by the other replica, and
two denials of one claim may be placed at once. Whatever order that gives, each story must end
as one dispute, alerted at most once (the per-voice lock and the twin check), and no item may be
analysed by both replicas (the SKIP LOCKED claims).
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.detect import detector as detector_module
from bot.storage import schema as s
from bot.storage.db import Database
from bot.types import Actor, ActorType, StatementKind
from tests.conftest import PG_URL
from tests.test_detector import T0, Fx, add_items, detector

pytestmark = pytest.mark.postgres

C, D = StatementKind.CLAIM, StatementKind.DENIAL
# Three unrelated stories: the claimant ministry, its claim, and two governments' denials.
STORIES = (
    (
        ("ru.mod", "Defence Ministry of Ruritania"),
        "Ruritanian defence ministry says its troops destroyed a rebel ammunition depot near Vardar",
        (
            (
                "vd.gov",
                "Vardar governor",
                "Vardar governor: no depot was destroyed, the ministry's report is false",
            ),
            (
                "gr.gov",
                "Government of Grenz",
                "Grenz denies Ruritanian account of a destroyed depot at Vardar",
            ),
        ),
    ),
    (
        ("sy.health", "Health Ministry of Syldavia"),
        "Syldavian health ministry says every clinic in Kolba received measles vaccines this week",
        (
            ("kb.gov", "Kolba city hall", "Kolba city hall says clinics got no measles vaccine doses at all"),
            ("os.gov", "Government of Ostra", "Ostra calls Syldavia's vaccine delivery claim untrue"),
        ),
    ),
    (
        ("bd.interior", "Interior Ministry of Borduria"),
        "Bordurian interior ministry says police freed all twelve hostages held at the Merin ferry port",
        (
            (
                "mr.gov",
                "Merin port authority",
                "Merin port authority: hostages are still held, police freed nobody",
            ),
            (
                "ta.gov",
                "Government of Talas",
                "Talas rejects Bordurian claim that ferry hostages were released",
            ),
        ),
    ),
)


def _stories() -> list[Fx]:
    """Three stories (a ministry's claim, two other governments' denials), interleaved with news."""
    out: list[Fx] = []
    for k, ((key, name), claim, denials) in enumerate(STORIES):
        ministry = Actor(key, name, ActorType.MINISTRY, key[:2], (), f"{key[:2]}.gov")
        t = T0 + timedelta(hours=k)
        out.append(
            Fx(
                f"claim{k}",
                claim,
                f"{claim}, the ministry said on Monday.",
                t,
                [(C, ministry, None, "", 0.9)],
            )
        )
        for j, (dkey, dname, headline) in enumerate(denials):
            denier = Actor(dkey, dname, ActorType.GOVERNMENT, dkey[:2])
            out.append(
                Fx(
                    f"denial{k}{j}",
                    headline,
                    "",
                    t + timedelta(hours=6 + j),
                    [(D, denier, ministry, "false", 0.9)],
                )
            )
    for i in range(8):
        out.append(
            Fx(
                f"news{i}",
                f"Museum {i} reopens after renovation",
                "Visitors returned on Sunday.",
                T0 + timedelta(hours=i),
            )
        )
    return sorted(out, key=lambda f: f.when)


@pytest.fixture
async def two_pools() -> AsyncIterator[tuple[Database, Database]]:
    """Two connection pools on one fresh schema: what two replicas see."""
    import asyncpg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = PG_URL.replace("postgresql://", "postgres://", 1)
    conn = await asyncpg.connect(admin, timeout=5)
    await conn.execute(f'CREATE SCHEMA "{schema}"')
    await conn.close()
    a, b = Database(PG_URL, pg_schema=schema), Database(PG_URL, pg_schema=schema)
    try:
        await a.migrate()
        yield a, b
    finally:
        await a.close()
        await b.close()
        conn = await asyncpg.connect(admin, timeout=5)
        await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await conn.close()


async def test_two_replicas_detect_in_parallel_with_one_dispute_per_story(
    two_pools: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = two_pools
    fxs = _stories()
    await add_items(a, fxs)
    monkeypatch.setattr(detector_module, "CLAIM_BATCH", 2)
    first, second = detector(a, fxs), detector(b, fxs)
    # both ready before either starts, or the first could take every item while the other loads
    await asyncio.gather(asyncio.to_thread(first._ensure_ready), asyncio.to_thread(second._ensure_ready))  # noqa: SLF001
    reports = await asyncio.gather(
        first.process_pending(owner="replica-a"), second.process_pending(owner="replica-b")
    )
    assert sum(r.items for r in reports) == len(fxs)
    assert all(r.items > 0 for r in reports), "both replicas took part"
    assert sum(r.errors for r in reports) == 0
    async with a.connect() as conn:
        owners = (await conn.execute(select(s.items.c.analysis_owner, s.items.c.analysed_at))).all()
        disputes = (await conn.execute(select(s.disputes.c.id, s.disputes.c.speaker_key))).all()
        evidence = (await conn.execute(select(s.evidence.c.dispute_id, s.evidence.c.item_id))).all()
        outbox = (
            await conn.execute(
                select(
                    s.outbox.c.event,
                    s.outbox.c.dispute_id,
                    s.outbox.c.destination,
                    s.outbox.c.evidence_item_id,
                )
            )
        ).all()
    assert all(row.analysed_at is not None for row in owners)
    # one dispute per story (per claimant), each item in one dispute at most. Each dispute holds
    # one or both of its story's denials: a second denial decided before the other replica placed
    # the first one may link to neither it nor the claim, and stays below the review bar (a known
    # gap of the retrained link model; one process, in time order, keeps both: see below)
    assert sorted(d.speaker_key for d in disputes) == sorted(key for (key, _), _, _ in STORIES)
    per_dispute = Counter(e.dispute_id for e in evidence)
    assert set(per_dispute) == {d.id for d in disputes} and all(1 <= n <= 2 for n in per_dispute.values())
    assert len({e.item_id for e in evidence}) == len(evidence)
    # never two alerts for one dispute, nor any event queued twice (a denial decided before the
    # other replica stored its claim may open its dispute below the alert bar: no alert then)
    assert max(Counter(o.dispute_id for o in outbox if o.event == "new_dispute").values()) == 1
    assert len(set(outbox)) == len(outbox)


async def test_one_process_in_time_order_keeps_both_denials_of_every_story(db: Database) -> None:
    fxs = _stories()
    await add_items(db, fxs)
    await detector(db, fxs).process_pending()
    async with db.connect() as conn:
        disputes = (await conn.execute(select(s.disputes.c.id, s.disputes.c.speaker_key))).all()
        evidence = (await conn.execute(select(s.evidence.c.dispute_id, s.evidence.c.item_id))).all()
    assert sorted(d.speaker_key for d in disputes) == sorted(key for (key, _), _, _ in STORIES)
    assert Counter(e.dispute_id for e in evidence) == {d.id: 2 for d in disputes}
