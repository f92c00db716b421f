"""The dispute store: statements, disputes, evidence, verdicts — and their alert events.

Every change to a dispute enqueues its alert events through `bot.storage.outbox.enqueue`
in the **same transaction** (callers pass the connection of an open transaction), so a
dispute is never stored without its alerts nor alerted without being stored. Every change
also refreshes the dispute's search text (`index_dispute`) so `/dispute ice sinaloa` finds it.

Events: `new_dispute` the first time a destination should hear of a dispute;
`new_evidence` for each later item (denial, retraction, coverage, a claim item joining);
`status_change` when a retraction or correction changes the status. Disputes a user
dismissed or muted get no further events.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage import schema as s
from bot.storage.outbox import enqueue
from bot.storage.search import index_dispute
from bot.types import Dispute, DisputeStatus, Evidence, EvidenceRole, Item, Statement, StatementKind

__all__ = [
    "NewEvidence",
    "NewDispute",
    "StoredClaim",
    "StoredDispute",
    "save_statements",
    "claim_candidates",
    "open_disputes",
    "create_dispute",
    "add_evidence",
    "attach_claim",
    "load_dispute",
    "load_disputes",
    "alerted_dispute_ids",
    "latest_disputes",
    "disputes_for_item",
    "disputes_for_items",
    "set_verdict",
    "announced_destinations",
    "VERDICTS",
    "status_after",
]

# verdict -> the status it sets; a verdict stops or allows further alerts.
VERDICTS: dict[str, DisputeStatus] = {
    "confirmed": DisputeStatus.CONFIRMED,
    "not_a_dispute": DisputeStatus.DISMISSED,
    "muted": DisputeStatus.MUTED,
}
_SILENT = {DisputeStatus.DISMISSED.value, DisputeStatus.MUTED.value}


@dataclass(frozen=True, slots=True)
class NewEvidence:
    """An item to add to a dispute, with the statement that put it there."""

    item_id: int
    role: EvidenceRole
    actor_name: str
    statement_id: int | None = None
    score: float = 0.0
    reasons: tuple[str, ...] = ()
    group_key: str | None = None
    said_at: datetime | None = None
    text: str = ""  # title + quote, for the search text


@dataclass(frozen=True, slots=True)
class StoredClaim:
    """A stored claim statement with its item's text (a linking candidate)."""

    statement_id: int
    item_id: int
    kind: str
    speaker_key: str | None
    speaker_name: str
    speaker_official: bool
    quote: str
    said_at: datetime
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class StoredDispute:
    """What grouping needs of a stored dispute (terms as stored: space-separated)."""

    id: int
    speaker_key: str | None
    speaker_name: str
    terms: str
    created_at: datetime
    newest_evidence_at: datetime | None
    claim_said_at: datetime | None
    claim_item_id: int | None
    status: str
    denier_keys: frozenset[str] = frozenset()
    has_claim_item: bool = False  # False: built from one item that reports both sides


def merge_terms(old: str, new: str) -> str:
    """Union of two stored term strings (sorted, deduplicated)."""
    return " ".join(sorted(set(old.split()) | set(new.split())))


@dataclass(frozen=True, slots=True)
class NewDispute:
    """Everything needed to create a dispute row."""

    speaker_key: str | None
    speaker_name: str
    topic: str
    claim_item_id: int
    claim_statement_id: int | None
    confidence: float
    reasons: tuple[str, ...]
    terms: str
    claim_text: str = ""
    claim_said_at: datetime | None = None
    status: DisputeStatus = DisputeStatus.DISPUTED


# --- outbox and search, through their owners' functions -----------------------------------


async def _enqueue(
    conn: AsyncConnection,
    *,
    dispute_id: int,
    event: str,
    destinations: Sequence[str],
    evidence_item_id: int | None,
    now: datetime,
) -> None:
    if not destinations:
        return
    await enqueue(
        conn,
        dispute_id=dispute_id,
        event=event,
        destinations=list(destinations),
        evidence_item_id=evidence_item_id,
        now=now,
    )


async def _index(conn: AsyncConnection, dispute_id: int, text: str) -> None:
    await conn.execute(update(s.disputes).where(s.disputes.c.id == dispute_id).values(search_text=text))
    await index_dispute(conn, dispute_id, text)


async def announced_destinations(conn: AsyncConnection, dispute_id: int) -> set[str]:
    """Destinations that were already sent (or queued) the parent alert of this dispute."""
    rows = await conn.execute(
        select(s.outbox.c.destination).where(
            s.outbox.c.dispute_id == dispute_id, s.outbox.c.event == "new_dispute"
        )
    )
    return {r[0] for r in rows}


# --- statements -------------------------------------------------------------------------------


async def save_statements(conn: AsyncConnection, item: Item, statements: Sequence[Statement]) -> list[int]:
    """Store an item's statements (replacing those of an earlier revision); their ids in order."""
    if item.revision > 1:  # a first revision has none yet: skip the delete on the hot path
        await conn.execute(s.statements.delete().where(s.statements.c.item_id == item.id))
    ids: list[int] = []
    for st in statements:
        ids.append(await save_statement(conn, item, st))
    return ids


async def save_statement(conn: AsyncConnection, item: Item, st: Statement) -> int:
    """Store one statement; its id."""
    res = await conn.execute(
        insert(s.statements)
        .values(
            item_id=item.id,
            kind=st.kind.value,
            speaker_key=st.speaker.key if st.speaker else None,
            speaker_name=(st.speaker.name if st.speaker else st.speaker_text)[:300],
            speaker_official=bool(st.speaker and st.speaker.official),
            target_key=st.target.key if st.target else None,
            target_name=((st.target.name if st.target else st.target_text) or None),
            cue=(st.cue or None) and st.cue[:200],
            quote=st.quote,
            language=st.language or item.language,
            score=st.score,
            said_at=item.when,
        )
        .returning(s.statements.c.id)
    )
    return int(res.scalar_one())


async def claim_candidates(
    conn: AsyncConnection,
    speaker_keys: Iterable[str],
    since: datetime,
    until: datetime,
    *,
    extra_item_ids: Iterable[int] = (),
    key_prefixes: Iterable[str] = (),
    exclude_item_id: int | None = None,
    kinds: Sequence[StatementKind] = (StatementKind.CLAIM,),
    limit: int = 200,
) -> list[StoredClaim]:
    """Stored claims by these speakers (keys, or key prefixes such as 'ng.'), or in these items,
    said within [since, until], newest first."""
    keys = list(dict.fromkeys(speaker_keys))
    extra = list(dict.fromkeys(extra_item_ids))
    prefixes = [p for p in dict.fromkeys(key_prefixes) if p]
    if not keys and not extra and not prefixes:
        return []
    st, it = s.statements, s.items
    who: list[Any] = []
    if keys:
        who.append(st.c.speaker_key.in_(keys))
    for p in prefixes:
        who.append(st.c.speaker_key.startswith(p, autoescape=True))
    if extra:
        who.append(st.c.item_id.in_(extra))
    q = (
        select(
            st.c.id,
            st.c.item_id,
            st.c.kind,
            st.c.speaker_key,
            st.c.speaker_name,
            st.c.speaker_official,
            st.c.quote,
            st.c.said_at,
            it.c.title,
            it.c.text,
        )
        .select_from(st.join(it, it.c.id == st.c.item_id))
        .where(
            st.c.kind.in_([k.value for k in kinds]), or_(*who), st.c.said_at >= since, st.c.said_at <= until
        )
        .order_by(st.c.said_at.desc())
        .limit(limit)
    )
    if exclude_item_id is not None:
        q = q.where(st.c.item_id != exclude_item_id)
    return [
        StoredClaim(
            statement_id=r.id,
            item_id=r.item_id,
            kind=r.kind,
            speaker_key=r.speaker_key,
            speaker_name=r.speaker_name,
            speaker_official=bool(r.speaker_official),
            quote=r.quote,
            said_at=r.said_at,
            title=r.title,
            text=r.text,
        )
        for r in (await conn.execute(q)).all()
    ]


async def open_disputes(
    conn: AsyncConnection, speaker_keys: Iterable[str], since: datetime, *, key_prefixes: Iterable[str] = ()
) -> list[StoredDispute]:
    """Disputes about claims by these speakers (keys or key prefixes) with evidence since `since`."""
    keys = list(dict.fromkeys(speaker_keys))
    prefixes = [p for p in dict.fromkeys(key_prefixes) if p]
    if not keys and not prefixes:
        return []
    who: list[Any] = [s.disputes.c.speaker_key.in_(keys)] if keys else []
    who += [s.disputes.c.speaker_key.startswith(p, autoescape=True) for p in prefixes]
    d, st = s.disputes, s.statements
    rows = (
        await conn.execute(
            select(
                d.c.id,
                d.c.speaker_key,
                d.c.speaker_name,
                d.c.terms,
                d.c.created_at,
                d.c.newest_evidence_at,
                d.c.claim_item_id,
                d.c.status,
                st.c.said_at.label("claim_said_at"),
            )
            .select_from(d.outerjoin(st, st.c.id == d.c.claim_statement_id))
            .where(or_(*who), func.coalesce(d.c.newest_evidence_at, d.c.created_at) >= since)
            .order_by(d.c.id)
        )
    ).all()
    if not rows:
        return []
    ids = [r.id for r in rows]
    ev = (
        await conn.execute(
            select(s.evidence.c.dispute_id, s.evidence.c.item_id, s.evidence.c.role, st.c.speaker_key)
            .select_from(s.evidence.outerjoin(st, st.c.id == s.evidence.c.statement_id))
            .where(s.evidence.c.dispute_id.in_(ids))
        )
    ).all()
    deniers: dict[int, set[str]] = {}
    claim_is_evidence: dict[int, set[int]] = {}
    for e in ev:
        if e.speaker_key:
            deniers.setdefault(e.dispute_id, set()).add(e.speaker_key)
        claim_is_evidence.setdefault(e.dispute_id, set()).add(e.item_id)
    return [
        StoredDispute(
            id=r.id,
            speaker_key=r.speaker_key,
            speaker_name=r.speaker_name,
            terms=r.terms or "",
            created_at=r.created_at,
            newest_evidence_at=r.newest_evidence_at,
            claim_said_at=r.claim_said_at,
            claim_item_id=r.claim_item_id,
            status=r.status,
            denier_keys=frozenset(deniers.get(r.id, set())),
            # a single-item dispute's claim item is also one of its evidence items
            has_claim_item=r.claim_item_id not in claim_is_evidence.get(r.id, set()),
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class EvidenceSpeaker:
    """Who speaks in one evidence item of a dispute."""

    item_id: int
    role: str
    speaker_key: str | None
    actor_name: str


async def evidence_speakers(conn: AsyncConnection, dispute_id: int) -> list[EvidenceSpeaker]:
    """The speakers of a dispute's evidence, oldest first (to count deniers once each)."""
    ev, st = s.evidence, s.statements
    rows = await conn.execute(
        select(ev.c.item_id, ev.c.role, st.c.speaker_key, ev.c.actor_name)
        .select_from(ev.outerjoin(st, st.c.id == ev.c.statement_id))
        .where(ev.c.dispute_id == dispute_id)
        .order_by(ev.c.id)
    )
    return [EvidenceSpeaker(int(r.item_id), r.role, r.speaker_key, r.actor_name or "") for r in rows]


async def stored_statements(conn: AsyncConnection, item_id: int) -> list[Any]:
    """The statements stored for an item (rows with id, kind, speaker_key, speaker_name, quote)."""
    st = s.statements
    return list(
        (
            await conn.execute(
                select(st.c.id, st.c.kind, st.c.speaker_key, st.c.speaker_name, st.c.quote)
                .where(st.c.item_id == item_id)
                .order_by(st.c.id)
            )
        ).all()
    )


async def disputes_for_item(conn: AsyncConnection, item_id: int) -> list[int]:
    """Ids of the disputes an item belongs to, as claim or evidence."""
    rows = await conn.execute(
        select(s.disputes.c.id)
        .where(s.disputes.c.claim_item_id == item_id)
        .union(select(s.evidence.c.dispute_id).where(s.evidence.c.item_id == item_id))
    )
    return sorted({int(r[0]) for r in rows})


async def disputes_for_items(conn: AsyncConnection, item_ids: Sequence[int]) -> dict[int, list[int]]:
    """`disputes_for_item` for several items in one query: item id -> its dispute ids (sorted);
    items in no dispute are left out."""
    if not item_ids:
        return {}
    ids = sorted({int(i) for i in item_ids})
    d, e = s.disputes.c, s.evidence.c
    rows = await conn.execute(
        select(d.claim_item_id, d.id)
        .where(d.claim_item_id.in_(ids))
        .union(select(e.item_id, e.dispute_id).where(e.item_id.in_(ids)))
    )
    out: dict[int, set[int]] = {}
    for item_id, dispute_id in rows:
        out.setdefault(int(item_id), set()).add(int(dispute_id))
    return {i: sorted(found) for i, found in out.items()}


# --- writing disputes ---------------------------------------------------------------------------


async def create_dispute(
    conn: AsyncConnection,
    new: NewDispute,
    evidence: Sequence[NewEvidence],
    *,
    destinations: Sequence[str],
    now: datetime,
) -> int:
    """Create a dispute with its first evidence and enqueue `new_dispute` to `destinations`."""
    newest = max((e.said_at for e in evidence if e.said_at), default=new.claim_said_at)
    status = new.status
    for e in evidence:
        status = _status_after(status, e.role)
    res = await conn.execute(
        insert(s.disputes)
        .values(
            status=status.value,
            speaker_key=new.speaker_key,
            speaker_name=new.speaker_name[:300],
            topic=new.topic[:300],
            claim_item_id=new.claim_item_id,
            claim_statement_id=new.claim_statement_id,
            confidence=new.confidence,
            reasons=list(new.reasons),
            terms=new.terms,
            search_text="",
            created_at=now,
            updated_at=now,
            newest_evidence_at=newest,
        )
        .returning(s.disputes.c.id)
    )
    dispute_id = int(res.scalar_one())
    for e in evidence:
        await _insert_evidence(conn, dispute_id, e, now)
    await _reindex(conn, dispute_id)
    await _enqueue(
        conn,
        dispute_id=dispute_id,
        event="new_dispute",
        destinations=destinations,
        evidence_item_id=None,
        now=now,
    )
    return dispute_id


def _status_after(status: DisputeStatus, role: EvidenceRole) -> DisputeStatus:
    """The status a dispute moves to when evidence of `role` joins it."""
    if status.value in _SILENT or status is DisputeStatus.CONFIRMED:
        return status
    if role is EvidenceRole.RETRACTION:
        return DisputeStatus.RETRACTED
    if role is EvidenceRole.CORRECTION and status is DisputeStatus.DISPUTED:
        return DisputeStatus.CORRECTED
    return status


status_after = _status_after  # public for bot.storage.mutes (an unmute replays the story's statuses)


async def _insert_evidence(conn: AsyncConnection, dispute_id: int, e: NewEvidence, now: datetime) -> bool:
    exists = (
        await conn.execute(
            select(s.evidence.c.id).where(
                s.evidence.c.dispute_id == dispute_id, s.evidence.c.item_id == e.item_id
            )
        )
    ).first()
    if exists:
        return False
    await conn.execute(
        insert(s.evidence).values(
            dispute_id=dispute_id,
            item_id=e.item_id,
            statement_id=e.statement_id,
            role=e.role.value,
            actor_name=e.actor_name[:300],
            group_key=e.group_key,
            score=e.score,
            reasons=list(e.reasons),
            added_at=now,
        )
    )
    return True


async def add_evidence(
    conn: AsyncConnection,
    dispute_id: int,
    e: NewEvidence,
    *,
    destinations: Sequence[str],
    now: datetime,
    confidence: float | None = None,
    reasons: Sequence[str] | None = None,
    terms: str | None = None,
) -> bool:
    """Add an item to a dispute; enqueue its events. False when the item was already there.

    Destinations that already had the parent get `new_evidence` (and `status_change` when
    the status moves); destinations in `destinations` that had nothing yet get `new_dispute`
    (the parent then shows all evidence so far). Dismissed or muted disputes stay silent.
    """
    row = (await conn.execute(select(s.disputes).where(s.disputes.c.id == dispute_id))).one()
    if not await _insert_evidence(conn, dispute_id, e, now):
        return False
    old_status = DisputeStatus(row.status)
    new_status = _status_after(old_status, e.role)
    values: dict[str, Any] = {"status": new_status.value, "updated_at": now}
    if e.said_at and (row.newest_evidence_at is None or e.said_at > row.newest_evidence_at):
        values["newest_evidence_at"] = e.said_at
    if confidence is not None:
        values["confidence"] = max(confidence, row.confidence)
    if reasons is not None and (confidence is None or confidence >= row.confidence):
        values["reasons"] = list(reasons)
    if terms is not None:
        values["terms"] = merge_terms(row.terms or "", terms)
    if e.text and row.search_text:
        # the common path: append this item's words instead of rebuilding the whole text
        extra = [e.actor_name, e.text, " ".join(t.lstrip("@#") for t in (terms or "").split())]
        text = "\n".join([row.search_text, *(x for x in extra if x and x not in row.search_text)])
        values["search_text"] = text
        await conn.execute(update(s.disputes).where(s.disputes.c.id == dispute_id).values(**values))
        await index_dispute(conn, dispute_id, text)
    else:
        await conn.execute(update(s.disputes).where(s.disputes.c.id == dispute_id).values(**values))
        await _reindex(conn, dispute_id)
    if row.status in _SILENT:
        return True
    announced = await announced_destinations(conn, dispute_id)
    fresh = [d for d in destinations if d not in announced]
    await _enqueue(
        conn, dispute_id=dispute_id, event="new_dispute", destinations=fresh, evidence_item_id=None, now=now
    )
    old = sorted(announced)
    await _enqueue(
        conn,
        dispute_id=dispute_id,
        event="new_evidence",
        destinations=old,
        evidence_item_id=e.item_id,
        now=now,
    )
    if new_status is not old_status:
        await _enqueue(
            conn,
            dispute_id=dispute_id,
            event="status_change",
            destinations=old,
            evidence_item_id=e.item_id,
            now=now,
        )
    return True


async def attach_claim(
    conn: AsyncConnection,
    dispute_id: int,
    claim_item_id: int,
    claim_statement_id: int | None,
    *,
    said_at: datetime | None,
    terms: str | None,
    now: datetime,
) -> bool:
    """A claim item that arrived after its denial becomes the dispute's claim.

    The item that reported both sides stays as evidence. Destinations that had the parent
    get `new_evidence` for the claim item, so the thread (and refreshed parent) carry its link.
    """
    row = (await conn.execute(select(s.disputes).where(s.disputes.c.id == dispute_id))).one()
    if row.claim_item_id == claim_item_id:
        return False
    values: dict[str, Any] = {
        "claim_item_id": claim_item_id,
        "claim_statement_id": claim_statement_id,
        "updated_at": now,
    }
    if terms is not None:
        values["terms"] = merge_terms(row.terms or "", terms)
    await conn.execute(update(s.disputes).where(s.disputes.c.id == dispute_id).values(**values))
    await _reindex(conn, dispute_id)
    if row.status not in _SILENT:
        announced = sorted(await announced_destinations(conn, dispute_id))
        await _enqueue(
            conn,
            dispute_id=dispute_id,
            event="new_evidence",
            destinations=announced,
            evidence_item_id=claim_item_id,
            now=now,
        )
    return True


async def promote(
    conn: AsyncConnection,
    dispute_id: int,
    *,
    destinations: Sequence[str],
    confidence: float,
    reasons: Sequence[str],
    now: datetime,
) -> None:
    """Raise a dispute's confidence and announce it to destinations that have not heard of it."""
    row = (
        await conn.execute(
            select(s.disputes.c.status, s.disputes.c.confidence).where(s.disputes.c.id == dispute_id)
        )
    ).one()
    if confidence > row.confidence:
        await conn.execute(
            update(s.disputes)
            .where(s.disputes.c.id == dispute_id)
            .values(confidence=confidence, reasons=list(reasons), updated_at=now)
        )
    if row.status in _SILENT:
        return
    fresh = [d for d in destinations if d not in await announced_destinations(conn, dispute_id)]
    await _enqueue(
        conn, dispute_id=dispute_id, event="new_dispute", destinations=fresh, evidence_item_id=None, now=now
    )


async def set_verdict(
    conn: AsyncConnection, dispute_id: int, verdict: str, user: str, platform: str, now: datetime
) -> Dispute:
    """Record a user's verdict: confirmed / not_a_dispute (dismissed) / muted. The dispute after it.

    Dismissed and muted disputes get no further alerts; the feedback row is kept as a
    labelled example for the detector.
    """
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}; expected one of {', '.join(VERDICTS)}")
    await conn.execute(
        insert(s.feedback).values(
            dispute_id=dispute_id, verdict=verdict, user_id=user, platform=platform, created_at=now
        )
    )
    await conn.execute(
        update(s.disputes)
        .where(s.disputes.c.id == dispute_id)
        .values(
            status=VERDICTS[verdict].value,
            verdict=verdict,
            verdict_by=f"{platform}:{user}"[:100],
            verdict_at=now,
            updated_at=now,
        )
    )
    return await load_dispute(conn, dispute_id)


async def _reindex(conn: AsyncConnection, dispute_id: int) -> None:
    d = await load_dispute(conn, dispute_id)
    row = (await conn.execute(select(s.disputes.c.terms).where(s.disputes.c.id == dispute_id))).one()
    parts = [d.speaker, d.topic, d.claim.title, d.claim.quote, *d.denier_names]
    for e in d.evidence:
        parts += [e.actor, e.title, e.quote]
    # The stems help cross-language search ("labs" finds "laboratorios" via the gloss).
    parts.append(" ".join(t.lstrip("@#") for t in (row.terms or "").split()))
    await _index(conn, dispute_id, "\n".join(dict.fromkeys(p for p in parts if p)))


# --- reading ------------------------------------------------------------------------------------


def _evidence(
    r: Any,
    role: EvidenceRole,
    actor: str,
    quote: str,
    added_at: datetime | None,
    actor_key: str | None = None,
) -> Evidence:
    return Evidence(
        item_id=r.item_id,
        role=role,
        actor=actor,
        title=r.title,
        quote=quote,
        link=r.link,
        published=r.published or r.first_seen,
        source=r.feed_name or "",
        language=r.language,
        added_at=added_at,
        actor_key=actor_key,
    )


def _item_cols() -> list[Any]:
    it, f = s.items, s.feeds
    return [
        it.c.id.label("item_id"),
        it.c.title,
        it.c.text,
        it.c.link,
        it.c.published,
        it.c.first_seen,
        it.c.language,
        f.c.name.label("feed_name"),
    ]


async def load_dispute(conn: AsyncConnection, dispute_id: int) -> Dispute:
    """One dispute with its claim and evidence (oldest first). KeyError if there is none."""
    found = await _load_many(conn, [dispute_id])
    if not found:
        raise KeyError(dispute_id)
    return found[0]


async def alerted_dispute_ids(conn: AsyncConnection) -> list[int]:
    """Every dispute that was ever alerted (queued a `new_dispute` event), in id order."""
    rows = await conn.execute(
        select(s.outbox.c.dispute_id).where(s.outbox.c.event == "new_dispute").distinct()
    )
    return sorted(r[0] for r in rows)


async def load_disputes(conn: AsyncConnection, ids: Sequence[int]) -> list[Dispute]:
    """Several disputes, in the order of `ids` (missing ids are skipped)."""
    return await _load_many(conn, list(ids))


async def _load_many(conn: AsyncConnection, ids: list[int]) -> list[Dispute]:
    if not ids:
        return []
    d, it, f, st = s.disputes, s.items, s.feeds, s.statements
    rows = {r.id: r for r in (await conn.execute(select(d).where(d.c.id.in_(ids)))).all()}
    claim_ids = [r.claim_item_id for r in rows.values() if r.claim_item_id is not None]
    claim_items = (
        {
            r.item_id: r
            for r in (
                await conn.execute(
                    select(*_item_cols())
                    .select_from(it.join(f, f.c.id == it.c.feed_id))
                    .where(it.c.id.in_(claim_ids))
                )
            ).all()
        }
        if claim_ids
        else {}
    )
    stmt_ids = [r.claim_statement_id for r in rows.values() if r.claim_statement_id is not None]
    quotes = (
        {
            r.id: r.quote
            for r in (await conn.execute(select(st.c.id, st.c.quote).where(st.c.id.in_(stmt_ids)))).all()
        }
        if stmt_ids
        else {}
    )
    ev_rows = (
        await conn.execute(
            select(
                s.evidence.c.dispute_id,
                s.evidence.c.role,
                s.evidence.c.actor_name,
                s.evidence.c.added_at,
                st.c.quote.label("quote"),
                st.c.speaker_key.label("actor_key"),
                *_item_cols(),
            )
            .select_from(
                s.evidence.join(it, it.c.id == s.evidence.c.item_id)
                .join(f, f.c.id == it.c.feed_id)
                .outerjoin(st, st.c.id == s.evidence.c.statement_id)
            )
            .where(s.evidence.c.dispute_id.in_(ids))
        )
    ).all()
    by_dispute: dict[int, list[Any]] = {}
    for e in ev_rows:
        by_dispute.setdefault(e.dispute_id, []).append(e)
    out = []
    for i in ids:
        r = rows.get(i)
        if r is None:
            continue
        ci = claim_items.get(r.claim_item_id)
        quote = quotes.get(r.claim_statement_id, "") if r.claim_statement_id else ""
        if ci is not None:
            claim = _evidence(ci, EvidenceRole.CLAIM, r.speaker_name, quote or ci.title, None, r.speaker_key)
        else:  # the claim item was deleted with its feed
            claim = Evidence(
                item_id=0,
                role=EvidenceRole.CLAIM,
                actor=r.speaker_name,
                title=r.topic,
                quote=quote,
                link=None,
                published=None,
                source="",
                actor_key=r.speaker_key,
            )
        evs = sorted(by_dispute.get(i, []), key=lambda e: (e.published or e.first_seen, e.item_id))
        evidence = tuple(
            _evidence(e, EvidenceRole(e.role), e.actor_name, e.quote or e.title, e.added_at, e.actor_key)
            for e in evs
        )
        deniers = tuple(
            dict.fromkeys(
                e.actor
                for e in evidence
                if e.role not in (EvidenceRole.COVERAGE, EvidenceRole.CLAIM) and e.actor
            )
        )
        out.append(
            Dispute(
                id=r.id,
                status=DisputeStatus(r.status),
                speaker=r.speaker_name,
                topic=r.topic,
                claim=claim,
                evidence=evidence,
                confidence=float(r.confidence),
                reasons=tuple(r.reasons or ()),
                created_at=r.created_at,
                updated_at=r.updated_at,
                verdict=r.verdict,
                denier_names=deniers,
                speaker_key=r.speaker_key,
            )
        )
    return out


async def latest_disputes(
    conn: AsyncConnection, limit: int = 10, *, include_silent: bool = False
) -> list[Dispute]:
    """The most recently updated disputes (dismissed ones left out unless asked for)."""
    q = select(s.disputes.c.id).order_by(s.disputes.c.updated_at.desc(), s.disputes.c.id.desc()).limit(limit)
    if not include_silent:
        q = q.where(s.disputes.c.status != DisputeStatus.DISMISSED.value)
    ids = [int(r[0]) for r in (await conn.execute(q)).all()]
    return await _load_many(conn, ids)


async def disputes_between(conn: AsyncConnection, since: datetime, until: datetime) -> list[int]:
    """Ids of disputes created in [since, until] (used by evaluation and status)."""
    rows = await conn.execute(
        select(s.disputes.c.id).where(
            and_(s.disputes.c.created_at >= since, s.disputes.c.created_at <= until)
        )
    )
    return [int(r[0]) for r in rows]
