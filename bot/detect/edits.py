"""The silent-edit stage: official items edited in place, compared version to version.

`EditChecker(db, config, destinations).process_pending()` finds the items whose newest
version has not been compared with the one before it (`item_revisions.compared_at` is NULL),
compares the texts (`bot.detect.revisions.compare_revisions`, in a worker thread) and, for an
official item whose claim was softened, removed or reversed:

- if the item is already part of a dispute, adds a "silently edited" correction to it;
- otherwise opens a dispute: the claim as it was first published, the edit as its correction.

The correction is carried by an edit record: an item of the same feed (guid
`factbot:edit:<item id>:<revision>`, the item's link and title, analysed at birth so the
detector skips it) with a CORRECTION statement whose quote shows the sentences before and
after. Records and their events are written in one transaction with the `compared_at`
marks (`bot.storage.disputes` enqueues the outbox rows), so an edit alerts once. Items of
news feeds, and edits that only fix spelling, formatting, links or timestamps, are marked
compared and logged, nothing more.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from dataclasses import replace as dc_replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.config import Config
from bot.detect.revisions import EditKind, EditVerdict, compare_revisions
from bot.detect.routing import route
from bot.logging import kv
from bot.storage import disputes as store
from bot.storage import schema as s
from bot.storage.db import Database
from bot.storage.items import EDIT_GUID_PREFIX, ItemStore
from bot.text import fold_keep_offsets
from bot.types import Actor, ActorType, EvidenceRole, FeedKind, Item, Statement, StatementKind

log = logging.getLogger("factbot.detect")

# How sure a silent edit is a retreat, by kind: a reversal says so outright; a hedge may be care.
CONFIDENCE = {EditKind.REVERSED: 0.9, EditKind.REMOVED: 0.8, EditKind.SOFTENED: 0.7}
_QUOTE_PART = 150  # characters of each side shown in the quote (alerts cut quotes at 280)


@dataclass(frozen=True, slots=True)
class EditReport:
    """What one `process_pending` run did."""

    compared: int = 0  # official items whose versions were compared
    skipped: int = 0  # versions of news items, marked without comparing
    cosmetic: int = 0
    unalarming: int = 0  # real changes that are not a retreat (kind "other")
    corrections: int = 0  # "silently edited" corrections added to existing disputes
    disputes_created: int = 0
    errors: int = 0

    def __add__(self, other: EditReport) -> EditReport:
        return EditReport(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


@dataclass(frozen=True, slots=True)
class _Pending:
    item: Item
    before_revision: int
    before: str  # title and text of the oldest version not compared yet


def _joined(title: str, text: str) -> str:
    return f"{title}\n{text}".strip()


def _clip(sentences: Sequence[str]) -> str:
    text = " ".join(sentences)
    return text if len(text) <= _QUOTE_PART else text[: _QUOTE_PART - 1].rstrip() + "…"


def edit_quote(verdict: EditVerdict) -> str:
    """The quote an alert shows for a silent edit: what changed, before and after."""
    before = f'before: "{_clip(verdict.before)}"' if verdict.before else ""
    after = f'now: "{_clip(verdict.after)}"' if verdict.after else "now: gone"
    return f"Silently edited ({verdict.kind.value}: {verdict.reason}); {before}; {after}".replace("; ;", ";")


class EditChecker:
    """Compares new versions of stored items; one instance per process, next to the detector."""

    def __init__(
        self,
        db: Database,
        config: Config,
        destinations: Sequence[str],
        *,
        clock: Callable[[], datetime] | None = None,
        batch: int = 200,
    ) -> None:
        self.db, self.config = db, config
        self.destinations = tuple(destinations)
        self._clock = clock or (lambda: datetime.now(UTC))
        self.batch = batch

    async def has_pending(self) -> bool:
        """True when some stored version waits to be compared (a cheap indexed query)."""
        async with self.db.connect() as conn:
            row = (
                await conn.execute(
                    select(s.item_revisions.c.id).where(s.item_revisions.c.compared_at.is_(None)).limit(1)
                )
            ).first()
        return row is not None

    async def process_pending(self) -> EditReport:
        """Compare every item with a version not compared yet; the counts of what happened."""
        report = EditReport()
        seen: set[int] = set()
        while True:
            pending, skipped = await self._next_batch()
            report = report + EditReport(skipped=skipped)
            pending = [p for p in pending if p.item.id not in seen]  # failed ones wait for next round
            if not pending and not skipped:
                return report
            seen.update(p.item.id for p in pending)
            verdicts = await asyncio.to_thread(_compare_all, pending)
            for p, verdict in zip(pending, verdicts, strict=True):
                report = report + await self._handle(p, verdict)

    async def _next_batch(self) -> tuple[list[_Pending], int]:
        r = s.item_revisions.c
        async with self.db.connect() as conn:
            rows = (
                await conn.execute(
                    select(r.item_id, func.min(r.revision).label("first"))
                    .where(r.compared_at.is_(None))
                    .group_by(r.item_id)
                    .order_by(r.item_id)
                    .limit(self.batch)
                )
            ).all()
            if not rows:
                return [], 0
            firsts = {int(x.item_id): int(x.first) for x in rows}
            texts = {
                (int(x.item_id), int(x.revision)): _joined(x.title, x.text)
                for x in (
                    await conn.execute(
                        select(r.item_id, r.revision, r.title, r.text).where(
                            r.item_id.in_(list(firsts)), r.compared_at.is_(None)
                        )
                    )
                ).all()
            }
        items = await ItemStore(self.db).get_many(list(firsts))
        pending = [
            _Pending(it, firsts[it.id], texts[(it.id, firsts[it.id])])
            for it in items
            if it.feed_kind is FeedKind.OFFICIAL
            and not it.guid.startswith(EDIT_GUID_PREFIX)
            and not it.shared  # another author's post on an account feed: not the actor's claim
        ]
        chosen = {p.item.id for p in pending}
        others = [it for it in items if it.id not in chosen]
        gone = set(firsts) - {it.id for it in items}  # deleted with their feed meanwhile
        if others or gone:
            now = self._clock()
            async with self.db.begin() as conn:
                for it in others:
                    await _mark_compared(conn, it.id, it.revision, now)
                for item_id in gone:
                    await _mark_compared(conn, item_id, None, now)
        return pending, len(others)

    async def _handle(self, p: _Pending, verdict: EditVerdict) -> EditReport:
        item, now = p.item, self._clock()
        fields_ = kv(
            item_id=item.id,
            feed_id=item.feed_id,
            revision=f"{p.before_revision}->{item.revision}",
            edit=verdict.kind.value,
            reason=verdict.reason,
        )
        try:
            async with self.db.begin() as conn:
                await _mark_compared(conn, item.id, item.revision, now)
                if not verdict.alerts:
                    log.info("item edited, no alert", extra=fields_)
                    kind = "cosmetic" if verdict.kind is EditKind.COSMETIC else "unalarming"
                    return EditReport(compared=1, **{kind: 1})
                disputes = await store.disputes_for_item(conn, item.id)
                record = await _edit_record(conn, item, verdict, now)
                outcome = await self._record(conn, item, p, verdict, record, disputes, now)
        except Exception as e:  # noqa: BLE001 - one item must not stop the stage; it is retried next round
            log.exception(
                "silent-edit check failed", extra=kv(item_id=item.id, error=f"{type(e).__name__}: {e}")
            )
            return EditReport(errors=1)
        log.info("item silently edited", extra={**fields_, **kv(**outcome)})
        created = outcome["dispute"] == "new"
        return EditReport(compared=1, corrections=int(not created), disputes_created=int(created))

    async def _record(
        self,
        conn: AsyncConnection,
        item: Item,
        p: _Pending,
        verdict: EditVerdict,
        record: tuple[int, int],
        disputes: list[int],
        now: datetime,
    ) -> dict[str, Any]:
        record_id, statement_id = record
        actor = item.feed_actor or item.feed_name or "the source"
        conf = CONFIDENCE[verdict.kind]
        why = (f"the official item was silently edited: {verdict.reason}", f"kind: {verdict.kind.value}")
        routing = route(
            conf, self.config.alerts, self.destinations, official=True, newest_evidence_at=now, now=now
        )
        ev = store.NewEvidence(
            item_id=record_id,
            role=EvidenceRole.CORRECTION,
            actor_name=actor,
            statement_id=statement_id,
            score=conf,
            reasons=why,
            said_at=now,
            text=f"{item.title}\n{edit_quote(verdict)}",
        )
        if disputes:
            for dispute_id in disputes:
                await store.add_evidence(
                    conn,
                    dispute_id,
                    ev,
                    destinations=routing.destinations,
                    now=now,
                    confidence=conf,
                    reasons=why,
                )
            return {"dispute": ",".join(map(str, disputes)), "routing": routing.why}
        from bot.detect.explain import make_topic  # only here: an edit that opens a dispute is rare

        speaker_key, speaker_name = await _speaker(conn, item, actor)
        claim_text = " ".join(verdict.before) or p.before
        claim_sid = await _statement(
            conn, record_id, StatementKind.CLAIM, (speaker_key, speaker_name), claim_text, item, item.when
        )
        new = store.NewDispute(
            speaker_key=speaker_key,
            speaker_name=speaker_name,
            topic=make_topic(item.title or claim_text, speaker_name),
            claim_item_id=item.id,
            claim_statement_id=claim_sid,
            confidence=conf,
            reasons=why,
            terms="",
            claim_text=claim_text,
            claim_said_at=item.when,
        )
        dispute_id = await store.create_dispute(conn, new, [ev], destinations=routing.destinations, now=now)
        return {"dispute": "new", "dispute_id": dispute_id, "routing": routing.why}


def _compare_all(pending: Sequence[_Pending]) -> list[EditVerdict]:
    return [compare_revisions(p.before, _joined(p.item.title, p.item.text)) for p in pending]


async def _mark_compared(conn: AsyncConnection, item_id: int, revision: int | None, now: datetime) -> None:
    """Mark the item's versions before `revision` compared (all of them when it is None).

    A version stored while this round ran has the current revision's number and stays pending.
    """
    r = s.item_revisions.c
    cond = [r.item_id == item_id, r.compared_at.is_(None)]
    if revision is not None:
        cond.append(r.revision < revision)
    await conn.execute(update(s.item_revisions).where(*cond).values(compared_at=now))


async def _speaker(conn: AsyncConnection, item: Item, actor: str) -> tuple[str, str]:
    """Who the item speaks for, as the detector resolved it (else the feed's actor by name)."""
    st = s.statements.c
    row = (
        await conn.execute(
            select(st.speaker_key, st.speaker_name)
            .where(st.item_id == item.id, st.speaker_key.is_not(None))
            .order_by(st.id)
            .limit(1)
        )
    ).first()
    if row is not None:
        return row.speaker_key, row.speaker_name
    return f"name:{fold_keep_offsets(actor)}", actor


async def _statement(
    conn: AsyncConnection,
    record_id: int,
    kind: StatementKind,
    speaker: tuple[str, str],
    quote: str,
    item: Item,
    said_at: datetime,
) -> int:
    """Store a statement of the edit record (said by the item's speaker) through the dispute store."""
    key, name = speaker
    actor = Actor(key=key, name=name, type=ActorType.OFFICIAL)
    record = dc_replace(item, id=record_id, published=said_at)
    st = Statement(item_id=record_id, kind=kind, speaker=actor, speaker_text=name, quote=quote, score=1.0)
    return await store.save_statement(conn, record, st)


async def _edit_record(
    conn: AsyncConnection, item: Item, verdict: EditVerdict, now: datetime
) -> tuple[int, int]:
    """Store the edit as an item of the same feed with its correction statement: (item id, statement id)."""
    guid = f"{EDIT_GUID_PREFIX}{item.id}:{item.revision}"
    quote = edit_quote(verdict)
    res = await conn.execute(
        insert(s.items)
        .values(
            feed_id=item.feed_id,
            guid=guid,
            link=item.link,
            title=item.title,
            text="\n".join(["Before:", *verdict.before, "After:", *verdict.after]),
            author=item.author,
            language=item.language,
            published=now,
            first_seen=now,
            last_seen=now,
            content_hash=hashlib.sha256(guid.encode()).hexdigest(),
            revision=1,
            analysed_at=now,
            analysis=f"silent edit record of item {item.id}: {verdict.kind.value}",
        )
        .returning(s.items.c.id)
    )
    record_id = int(res.scalar_one())
    speaker = await _speaker(conn, item, item.feed_actor or item.feed_name or "")
    sid = await _statement(conn, record_id, StatementKind.CORRECTION, speaker, quote, item, now)
    return record_id, sid


__all__ = ["EDIT_GUID_PREFIX", "EditChecker", "EditReport", "edit_quote"]
