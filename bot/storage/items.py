"""Stored items: dedupe, revisions of edited entries, the detector's to-do list.

An entry is matched to a stored item of the same feed by guid, then by link, then by content
hash (a feed that re-issues an entry under a new guid is not news). Links arrive normalised
(`bot.urls`, applied by the parser) and are compared without a trailing slash (`slash_key`). An entry whose text changed
is a new revision: the old text goes to `item_revisions` and `analysed_at` is reset so the
detector reads it again - a silently edited official statement is a signal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage import schema as s
from bot.storage import search
from bot.storage.db import Database
from bot.types import Entry, Feed, FeedKind, Item
from bot.urls import slash_key

GUID_MAX = 2048
# Items the silent-edit stage writes to record an edit (`bot.detect.edits`): never matched to entries.
EDIT_GUID_PREFIX = "factbot:edit:"


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What one `save_entries` call did."""

    new: list[Item]
    changed: list[Item]
    unchanged: int


def content_hash(title: str, text: str) -> str:
    """A stable hash of what an entry says (whitespace and case folded), for dedupe and edit detection."""
    norm = " ".join(f"{title}\n{text}".split()).casefold()
    return hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()


def entry_guid(entry: Entry, digest: str) -> str:
    """The key of an entry within its feed: guid, else link, else content hash; long keys are hashed."""
    key = (entry.guid or entry.link or "").strip() or f"sha256:{digest}"
    if len(key) > GUID_MAX:
        key = "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return key


_ITEM_COLS = (
    s.items.c.id,
    s.items.c.feed_id,
    s.items.c.guid,
    s.items.c.link,
    s.items.c.title,
    s.items.c.text,
    s.items.c.published,
    s.items.c.first_seen,
    s.items.c.content_hash,
    s.items.c.revision,
    s.items.c.author,
    s.items.c.language,
    s.items.c.shared,
    s.items.c.original_author,
    s.feeds.c.kind.label("feed_kind"),
    s.feeds.c.actor.label("feed_actor"),
    s.feeds.c.name.label("feed_name"),
)


def _row_to_item(r: Any) -> Item:
    return Item(
        id=int(r.id),
        feed_id=int(r.feed_id),
        guid=r.guid,
        link=r.link,
        title=r.title or "",
        text=r.text or "",
        published=r.published,
        first_seen=r.first_seen,
        content_hash=r.content_hash,
        revision=int(r.revision or 1),
        author=r.author,
        language=r.language,
        feed_kind=FeedKind(r.feed_kind),
        feed_actor=r.feed_actor,
        feed_name=r.feed_name or "",
        shared=r.shared,
        original_author=r.original_author,
    )


def _item(feed: Feed, item_id: int, guid: str, e: Entry, digest: str, first_seen: datetime, rev: int) -> Item:
    return Item(
        id=item_id,
        feed_id=feed.id,
        guid=guid,
        link=e.link,
        title=e.title,
        text=e.text,
        published=e.published,
        first_seen=first_seen,
        content_hash=digest,
        revision=rev,
        author=e.author,
        language=e.language or feed.language,
        feed_kind=feed.kind,
        feed_actor=feed.actor,
        feed_name=feed.name,
        shared=e.shared,
        original_author=e.original_author,
    )


def _clip(value: str | None, n: int) -> str | None:
    return value[:n] if value else value


@dataclass(slots=True)
class _Plan:
    """What saving one feed's entries will do: rows to insert, stored rows edited, rows unchanged."""

    inserts: list[tuple[str, Entry, str]]  # (guid, entry, content hash)
    edits: list[tuple[Any, Entry, str]]  # (stored key row, entry, new content hash)
    unchanged: list[int]


def _plan(feed: Feed, entries: Sequence[Entry], rows: Sequence[Any]) -> _Plan:
    """Match a feed's entries to its stored items: by guid, then link, then content hash."""
    by_guid = {r.guid: r for r in rows}
    by_link = {slash_key(r.link): r for r in rows if r.link and not r.guid.startswith(EDIT_GUID_PREFIX)}
    by_hash = {r.content_hash: r for r in rows}
    plan = _Plan([], [], [])
    seen: set[int] = set()
    pending_keys: set[str] = set()
    pending_hashes: set[str] = set()
    for e in entries:
        digest = content_hash(e.title, e.text)
        guid = entry_guid(e, digest)
        row = by_guid.get(guid)
        if row is None and e.link:
            # Link only identifies an entry when guids do not (some feeds share one link).
            cand = by_link.get(slash_key(e.link))
            if cand is not None and (not e.guid or cand.guid == cand.link):
                row = cand
        if row is None:
            row = by_hash.get(digest)
        if row is None:
            # The same entry twice in one document: keep the first.
            if guid in pending_keys or digest in pending_hashes:
                continue
            pending_keys.add(guid)
            pending_hashes.add(digest)
            plan.inserts.append((guid, e, digest))
            continue
        if row.id in seen:
            continue
        seen.add(row.id)
        if row.content_hash == digest:
            plan.unchanged.append(int(row.id))
        else:
            plan.edits.append((row, e, digest))
    return plan


def _insert_values(feed: Feed, guid: str, e: Entry, digest: str, now: datetime) -> dict[str, Any]:
    return {
        "feed_id": feed.id,
        "guid": guid,
        "link": _clip(e.link, 2048),
        "title": e.title,
        "text": e.text,
        "author": _clip(e.author, 500),
        "language": _clip(e.language or feed.language, 16),
        "shared": e.shared,
        "original_author": _clip(e.original_author, 300),
        "published": e.published,
        "updated": e.updated,
        "first_seen": now,
        "last_seen": now,
        "content_hash": digest,
        "revision": 1,
    }


class ItemStore:
    """Items of all feeds, on SQLite or PostgreSQL."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def save_entries(
        self, feed: Feed, entries: Sequence[Entry], now: datetime | None = None
    ) -> SaveResult:
        """Store a feed's entries in one transaction: new items, new revisions of edited ones, the rest unchanged.

        New and changed items are (re-)indexed for full-text search in the same transaction.
        Saving the same entries twice changes nothing (idempotent), so a cycle cut short and
        run again neither loses nor duplicates items.
        """
        return (await self.save_many([(feed, entries)], now))[0]

    async def save_many(
        self, batch: Sequence[tuple[Feed, Sequence[Entry]]], now: datetime | None = None
    ) -> list[SaveResult]:
        """`save_entries` for several feeds in one transaction (one result per feed, in order).

        The poller saves the feeds that arrive together this way: a handful of statements for
        the whole batch instead of a handful per feed. A feed given twice is saved in order.
        """
        now = now or datetime.now(UTC)
        c = s.items.c
        results: list[SaveResult] = []
        async with self.db.begin() as conn:
            feed_ids = sorted({feed.id for feed, _ in batch})
            # Keys only: the stored text of an item is read back only when the item changed.
            rows = (
                await conn.execute(
                    select(c.id, c.feed_id, c.guid, c.link, c.content_hash, c.revision, c.first_seen).where(
                        c.feed_id.in_(feed_ids)
                    )
                )
            ).all()
            stored: dict[int, list[Any]] = {}
            for r in rows:
                stored.setdefault(int(r.feed_id), []).append(r)
            plans = [_plan(feed, entries, stored.get(feed.id, [])) for feed, entries in batch]
            to_index: list[tuple[int, str, str]] = []
            changed: list[list[Item]] = [[] for _ in batch]
            for i, ((feed, _), plan) in enumerate(zip(batch, plans, strict=True)):
                if plan.edits:
                    await self._save_revisions(conn, feed, plan.edits, now, to_index, changed[i])
            inserts = [
                (feed, guid, e, digest)
                for (feed, _), plan in zip(batch, plans, strict=True)
                for guid, e, digest in plan.inserts
            ]
            ids: dict[tuple[int, str], int] = {}
            if inserts:
                # Rows come back matched by (feed, guid), unique, so their order does not matter;
                # asking for parameter order would make SQLite run one INSERT per row.
                result = await conn.execute(
                    insert(s.items).returning(c.id, c.feed_id, c.guid),
                    [_insert_values(feed, guid, e, digest, now) for feed, guid, e, digest in inserts],
                )
                ids = {(int(r.feed_id), r.guid): int(r.id) for r in result.all()}
            for (feed, _), plan, changed_items in zip(batch, plans, changed, strict=True):
                new: list[Item] = []
                for guid, e, digest in plan.inserts:
                    item_id = ids[(feed.id, guid)]
                    to_index.append((item_id, e.title, e.text))
                    new.append(_item(feed, item_id, guid, e, digest, now, 1))
                results.append(SaveResult(new=new, changed=changed_items, unchanged=len(plan.unchanged)))
            await search.index_items(conn, to_index)
            unchanged_ids = [i for plan in plans for i in plan.unchanged]
            if unchanged_ids:
                await conn.execute(update(s.items).where(c.id.in_(unchanged_ids)).values(last_seen=now))
        return results

    @staticmethod
    async def _save_revisions(
        conn: AsyncConnection,
        feed: Feed,
        edits: list[tuple[Any, Entry, str]],
        now: datetime,
        to_index: list[tuple[int, str, str]],
        changed: list[Item],
    ) -> None:
        """Edited entries: keep the stored text as a revision, store the new text (batched statements)."""
        c = s.items.c
        ids = [int(row.id) for row, _, _ in edits]
        old = {
            int(r.id): r
            for r in (await conn.execute(select(c.id, c.title, c.text).where(c.id.in_(ids)))).all()
        }
        await conn.execute(
            insert(s.item_revisions),
            [
                {
                    "item_id": int(row.id),
                    "revision": int(row.revision or 1),
                    "title": old[int(row.id)].title or "",
                    "text": old[int(row.id)].text or "",
                    "content_hash": row.content_hash,
                    "seen_at": now,
                }
                for row, _, _ in edits
            ],
        )
        await conn.execute(
            update(s.items)
            .where(c.id == bindparam("item_id"))
            .values(
                link=bindparam("new_link"),
                title=bindparam("new_title"),
                text=bindparam("new_text"),
                author=bindparam("new_author"),
                language=bindparam("new_language"),
                shared=bindparam("new_shared"),
                original_author=bindparam("new_original_author"),
                published=bindparam("new_published"),
                updated=bindparam("new_updated"),
                last_seen=now,
                content_hash=bindparam("new_hash"),
                revision=bindparam("new_revision"),
                analysed_at=None,
                analysis=None,
            ),
            [
                {
                    "item_id": int(row.id),
                    "new_link": _clip(e.link, 2048),
                    "new_title": e.title,
                    "new_text": e.text,
                    "new_author": _clip(e.author, 500),
                    "new_language": _clip(e.language or feed.language, 16),
                    "new_shared": e.shared,
                    "new_original_author": _clip(e.original_author, 300),
                    "new_published": e.published or None,
                    "new_updated": e.updated,
                    "new_hash": digest,
                    "new_revision": int(row.revision or 1) + 1,
                }
                for row, e, digest in edits
            ],
        )
        for row, e, digest in edits:
            rev = int(row.revision or 1) + 1
            to_index.append((int(row.id), e.title, e.text))
            changed.append(_item(feed, int(row.id), row.guid, e, digest, row.first_seen, rev))

    async def has_pending_analysis(self) -> bool:
        """True when some item waits for the detector (one indexed row lookup: cheap every cycle)."""
        async with self.db.connect() as conn:
            row = (
                await conn.execute(select(s.items.c.id).where(s.items.c.analysed_at.is_(None)).limit(1))
            ).first()
        return row is not None

    async def claim_pending(
        self, owner: str, limit: int, lease_s: float, now: datetime | None = None
    ) -> list[Item]:
        """Claim up to `limit` items waiting for the detector, oldest statement first, for `owner`.

        Several replicas detect at once: each claims its own items (`FOR UPDATE SKIP LOCKED` on
        PostgreSQL, so two never take the same rows), and a claim of a dead owner is freed by the
        reaper (`bot.storage.owners`) or, as a backstop, when `lease_s` has passed.
        """
        now = now or datetime.now(UTC)
        i = s.items.c
        when = func.coalesce(i.published, i.first_seen)
        free = s.items.c.analysis_owner.is_(None) | (i.analysis_until < now) | (i.analysis_owner == owner)
        pick = select(i.id).where(i.analysed_at.is_(None), free).order_by(when, i.id).limit(limit)
        async with self.db.begin() as conn:
            if self.db.dialect == "postgresql":
                pick = pick.with_for_update(skip_locked=True)
            ids = [int(r[0]) for r in (await conn.execute(pick)).all()]
            if not ids:
                return []
            await conn.execute(
                update(s.items)
                .where(i.id.in_(ids))
                .values(analysis_owner=owner, analysis_until=now + timedelta(seconds=lease_s))
            )
            rows = (
                await conn.execute(
                    select(*_ITEM_COLS).join(s.feeds, s.feeds.c.id == i.feed_id).where(i.id.in_(ids))
                )
            ).all()
        items = [_row_to_item(r) for r in rows]
        return sorted(items, key=lambda it: (it.when, it.id))

    async def pending_analysis(self, limit: int = 500) -> list[Item]:
        """Items not analysed yet (or edited since), oldest statement first."""
        when = func.coalesce(s.items.c.published, s.items.c.first_seen)
        q = (
            select(*_ITEM_COLS)
            .join(s.feeds, s.feeds.c.id == s.items.c.feed_id)
            .where(s.items.c.analysed_at.is_(None))
            .order_by(when, s.items.c.id)
            .limit(limit)
        )
        async with self.db.connect() as conn:
            rows = (await conn.execute(q)).all()
        return [_row_to_item(r) for r in rows]

    async def mark_analysed(self, item_id: int, note: str, *, now: datetime | None = None) -> None:
        """Record that the detector read this item, and why it did or did not alert."""
        async with self.db.begin() as conn:
            await conn.execute(
                update(s.items)
                .where(s.items.c.id == item_id)
                .values(analysed_at=now or datetime.now(UTC), analysis=note[:2000])
            )

    async def get_many(self, ids: Sequence[int]) -> list[Item]:
        """Items by id (unknown ids are left out), in the order asked."""
        if not ids:
            return []
        q = (
            select(*_ITEM_COLS)
            .join(s.feeds, s.feeds.c.id == s.items.c.feed_id)
            .where(s.items.c.id.in_([int(i) for i in ids]))
        )
        async with self.db.connect() as conn:
            rows = {int(r.id): _row_to_item(r) for r in (await conn.execute(q)).all()}
        return [rows[int(i)] for i in ids if int(i) in rows]

    async def revisions(self, item_id: int) -> list[tuple[int, str, str]]:
        """Earlier versions of an item: (revision, title, text), oldest first."""
        r = s.item_revisions.c
        async with self.db.connect() as conn:
            rows = (
                await conn.execute(
                    select(r.revision, r.title, r.text).where(r.item_id == item_id).order_by(r.revision)
                )
            ).all()
        return [(int(x.revision), x.title, x.text) for x in rows]
