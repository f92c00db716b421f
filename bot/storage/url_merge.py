"""Bringing stored feed URLs and item links to their normalised form, merging what becomes one.

Run once by migration `0005` on a synchronous connection. Before it, URLs were stored as
written, so `HTTP://Host/feed` and `http://host/feed/` could be two feeds, and one article with
and without tracking parameters two items. Afterwards every URL is in the form `bot.urls`
gives, and duplicates are merged without losing anything that points at them:

- feeds with the same `url_key`: the config feed (else the oldest) is kept; the others' items
  move to it and the emptied feeds are deleted;
- items of one feed with the same key (their guid, or their link when the guid was the link):
  the first seen is kept; evidence, dispute claims, statements and outbox rows of the others
  point at it afterwards, and their texts become revisions of it, so no version is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, column, delete, func, insert, select, table, update

from bot.urls import normalize_url, slash_key, url_key

log = logging.getLogger("bot.storage")

# The tables as this migration knows them (not schema.py, which later revisions may change).
feeds = table("feeds", column("id"), column("url"), column("origin"))
items = table(
    "items",
    column("id"),
    column("feed_id"),
    column("guid"),
    column("link"),
    column("title"),
    column("text"),
    column("content_hash"),
    column("revision"),
    column("first_seen"),
    column("last_seen"),
)
revisions = table(
    "item_revisions",
    column("id"),
    column("item_id"),
    column("revision"),
    column("title"),
    column("text"),
    column("content_hash"),
    column("seen_at"),
)
evidence = table("evidence", column("id"), column("dispute_id"), column("item_id"))
disputes = table("disputes", column("id"), column("claim_item_id"))
statements = table("statements", column("id"), column("item_id"))
outbox = table("outbox", column("id"), column("evidence_item_id"))


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What the migration changed."""

    feeds_renamed: int = 0
    feeds_merged: int = 0
    items_relinked: int = 0
    items_merged: int = 0


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}

    def find(self, x: Hashable) -> Hashable:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: Hashable, b: Hashable) -> None:
        self.parent[self.find(a)] = self.find(b)


def normalise_stored_urls(conn: Connection) -> MergeReport:
    """Normalise every stored feed URL and item link, merging duplicates (see the module doc)."""
    survivor, losers, new_urls = _plan_feeds(conn)
    relinked, merged = _normalise_items(conn, survivor)
    if losers:
        conn.execute(delete(feeds).where(feeds.c.id.in_(sorted(losers))))
    for feed_id, url in new_urls.items():
        conn.execute(update(feeds).where(feeds.c.id == feed_id).values(url=url))
    report = MergeReport(len(new_urls), len(losers), relinked, merged)
    log.info("stored URLs normalised: %s", report)
    return report


def _plan_feeds(conn: Connection) -> tuple[dict[int, int], set[int], dict[int, str]]:
    """Which feed each feed becomes, the feeds merged away, and the new URL of each kept feed."""
    rows = conn.execute(select(feeds.c.id, feeds.c.url, feeds.c.origin)).all()
    groups: dict[str, list[Any]] = {}
    for r in rows:
        groups.setdefault(url_key(r.url), []).append(r)
    survivor: dict[int, int] = {}
    losers: set[int] = set()
    new_urls: dict[int, str] = {}
    for group in groups.values():
        keep = min(group, key=lambda r: (r.origin != "config", r.id))
        for r in group:
            survivor[int(r.id)] = int(keep.id)
            if r.id != keep.id:
                losers.add(int(r.id))
        if normalize_url(keep.url) != keep.url:
            new_urls[int(keep.id)] = normalize_url(keep.url)
    return survivor, losers, new_urls


def _normalise_items(conn: Connection, survivor: dict[int, int]) -> tuple[int, int]:
    """Items: new feed, link and guid; duplicates merged into the first seen. (relinked, merged)."""
    rows = conn.execute(
        select(items.c.id, items.c.feed_id, items.c.guid, items.c.link, items.c.first_seen)
    ).all()
    uf = _UnionFind()
    target: dict[int, tuple[int, str, str | None]] = {}
    for r in rows:
        feed_id = survivor.get(int(r.feed_id), int(r.feed_id))
        link = normalize_url(r.link) if r.link else r.link
        from_link = bool(r.link) and r.guid == r.link
        guid = link if from_link else r.guid
        target[int(r.id)] = (feed_id, guid, link)
        # One article: the same guid in the same feed (what the unique constraint forbids), or,
        # for items keyed by their link, the same link up to a trailing slash.
        uf.union(("item", int(r.id)), ("guid", feed_id, guid))
        if from_link:
            uf.union(("item", int(r.id)), ("link", feed_id, slash_key(guid)))
    groups: dict[Hashable, list[Any]] = {}
    for r in rows:
        groups.setdefault(uf.find(("item", int(r.id))), []).append(r)
    merged = 0
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda r: (r.first_seen, r.id))
        keeper = int(group[0].id)
        for dup in group[1:]:
            _merge_item(conn, int(dup.id), keeper)
            merged += 1
    relinked = 0
    changes = []
    kept = {int(g[0].id) for g in groups.values()}
    for r in rows:
        item_id = int(r.id)
        if item_id not in kept:
            continue
        feed_id, guid, link = target[item_id]
        if (feed_id, guid, link) != (int(r.feed_id), r.guid, r.link):
            changes.append({"b_id": item_id, "b_feed": feed_id, "b_guid": guid, "b_link": link})
    if changes:
        conn.execute(
            update(items)
            .where(items.c.id == bindparam("b_id"))
            .values(feed_id=bindparam("b_feed"), guid=bindparam("b_guid"), link=bindparam("b_link")),
            changes,
        )
        relinked = len(changes)
    return relinked, merged


def _merge_item(conn: Connection, dup: int, keeper: int) -> None:
    """Point everything at `keeper` instead of `dup`, keep `dup`'s texts as revisions, delete `dup`."""
    # Evidence: one row per dispute and item; where the keeper is already there, the dup's goes.
    for ev in conn.execute(
        select(evidence.c.id, evidence.c.dispute_id).where(evidence.c.item_id == dup)
    ).all():
        clash = conn.execute(
            select(evidence.c.id).where(evidence.c.dispute_id == ev.dispute_id, evidence.c.item_id == keeper)
        ).first()
        if clash is None:
            conn.execute(update(evidence).where(evidence.c.id == ev.id).values(item_id=keeper))
        else:
            conn.execute(delete(evidence).where(evidence.c.id == ev.id))
    conn.execute(update(disputes).where(disputes.c.claim_item_id == dup).values(claim_item_id=keeper))
    conn.execute(update(statements).where(statements.c.item_id == dup).values(item_id=keeper))
    # The idempotency key stays as it was: a row already sent must still be recognised as sent.
    conn.execute(update(outbox).where(outbox.c.evidence_item_id == dup).values(evidence_item_id=keeper))
    # The duplicate's versions (earlier ones, then its current text) become the keeper's latest
    # earlier versions, numbered on from the keeper's current revision.
    k = conn.execute(
        select(items.c.revision, items.c.first_seen, items.c.last_seen).where(items.c.id == keeper)
    ).one()
    d = conn.execute(
        select(
            items.c.title, items.c.text, items.c.content_hash, items.c.first_seen, items.c.last_seen
        ).where(items.c.id == dup)
    ).one()
    old = conn.execute(
        select(revisions.c.title, revisions.c.text, revisions.c.content_hash, revisions.c.seen_at)
        .where(revisions.c.item_id == dup)
        .order_by(revisions.c.revision)
    ).all()
    versions = [(o.title, o.text, o.content_hash, o.seen_at) for o in old]
    versions.append((d.title, d.text, d.content_hash, d.last_seen))
    top = int(
        conn.execute(select(func.max(revisions.c.revision)).where(revisions.c.item_id == keeper)).scalar()
        or 0
    )
    start = max(int(k.revision or 1), top + 1)
    conn.execute(
        insert(revisions),
        [
            {
                "item_id": keeper,
                "revision": start + i,
                "title": t or "",
                "text": x or "",
                "content_hash": h,
                "seen_at": at,
            }
            for i, (t, x, h, at) in enumerate(versions)
        ],
    )
    conn.execute(
        update(items)
        .where(items.c.id == keeper)
        .values(
            revision=start + len(versions),
            first_seen=min(k.first_seen, d.first_seen),
            last_seen=max(k.last_seen, d.last_seen),
        )
    )
    if conn.dialect.name == "sqlite":  # FTS5 rows are not tied to items by a foreign key
        conn.exec_driver_sql("DELETE FROM items_fts WHERE rowid = ?", (dup,))
    conn.execute(delete(items).where(items.c.id == dup))
