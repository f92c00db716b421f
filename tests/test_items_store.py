"""ItemStore on SQLite and PostgreSQL: dedupe, revisions, the detector's queue, search indexing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.storage.db import Database
from bot.storage.feeds import FeedStore
from bot.storage.items import ItemStore, content_hash
from bot.storage.search import search_items
from bot.types import Entry, FeedKind, FeedSpec

NOW = datetime(2025, 5, 15, 9, 0, tzinfo=UTC)


def entry(n: int, text: str = "", **kw: object) -> Entry:
    base = Entry(
        guid=f"g{n}",
        link=f"https://example.org/{n}",
        title=f"Harbour authority statement number {n}",
        text=text or f"The harbour authority said crane {n} was repaired on schedule.",
        published=NOW - timedelta(hours=n),
    )
    return replace(base, **kw)  # type: ignore[arg-type]


async def _feed(db: Database, url: str = "https://port.example/rss"):
    (f,) = await FeedStore(db).upsert_specs(
        [FeedSpec(url, name="Port desk", kind=FeedKind.OFFICIAL, actor="Harbour Authority")]
    )
    return f


async def test_new_then_unchanged_then_changed(db: Database) -> None:
    feed = await _feed(db)
    store = ItemStore(db)
    first = await store.save_entries(feed, [entry(1), entry(2)], NOW)
    assert len(first.new) == 2 and first.changed == [] and first.unchanged == 0
    assert first.new[0].feed_actor == "Harbour Authority" and first.new[0].feed_kind is FeedKind.OFFICIAL
    again = await store.save_entries(feed, [entry(1), entry(2)], NOW + timedelta(minutes=10))
    assert again.new == [] and again.changed == [] and again.unchanged == 2

    # Both get analysed; then item 1 is silently edited.
    for it in first.new:
        await store.mark_analysed(it.id, "no statement")
    assert await store.pending_analysis(10) == []
    edited = entry(1, text="The harbour authority now says crane 1 was never repaired.")
    res = await store.save_entries(feed, [edited, entry(2)], NOW + timedelta(minutes=20))
    assert res.new == [] and res.unchanged == 1 and len(res.changed) == 1
    changed = res.changed[0]
    assert changed.id == first.new[0].id and changed.revision == 2
    assert changed.content_hash == content_hash(edited.title, edited.text)
    assert [(r, t) for r, _, t in await store.revisions(changed.id)] == [(1, entry(1).text)]
    pending = await store.pending_analysis(10)
    assert [p.id for p in pending] == [changed.id]  # the detector re-reads it
    assert pending[0].text == edited.text
    async with db.connect() as conn:  # the search index follows the edit
        hits = await search_items(conn, "never repaired")
    assert hits[0][0] == changed.id  # the new words rank the edited item first


async def test_dedupe_by_link_then_hash(db: Database) -> None:
    feed = await _feed(db)
    store = ItemStore(db)
    no_guid = entry(1, guid=None)
    r1 = await store.save_entries(feed, [no_guid], NOW)
    assert r1.new[0].guid == "https://example.org/1"  # guid falls back to the link
    # Same link, no guid: the same item.
    assert (await store.save_entries(feed, [no_guid], NOW)).unchanged == 1
    # Same content under a new guid and link: a republished duplicate, not a new item.
    moved = entry(1, guid="new-guid", link="https://example.org/moved")
    r3 = await store.save_entries(feed, [moved], NOW)
    assert r3.new == [] and r3.unchanged == 1
    # Duplicates inside one document are stored once.
    r4 = await store.save_entries(feed, [entry(5), entry(5)], NOW)
    assert len(r4.new) == 1


async def test_same_content_in_two_feeds_is_kept_per_feed(db: Database) -> None:
    a = await _feed(db, "https://a.example/rss")
    b = await _feed(db, "https://b.example/rss")
    store = ItemStore(db)
    ra = await store.save_entries(a, [entry(1)], NOW)
    rb = await store.save_entries(b, [entry(1)], NOW)
    assert len(ra.new) == len(rb.new) == 1
    assert ra.new[0].id != rb.new[0].id and ra.new[0].content_hash == rb.new[0].content_hash


async def test_pending_order_get_many_and_search(db: Database) -> None:
    feed = await _feed(db)
    store = ItemStore(db)
    saved = await store.save_entries(
        feed, [entry(1), entry(3), entry(2, text="Quarantine of the ferry ended")], NOW
    )
    pending = await store.pending_analysis(2)
    assert [p.guid for p in pending] == ["g3", "g2"]  # oldest statement first, limit honoured
    ids = [i.id for i in saved.new]
    got = await store.get_many([ids[2], 999_999, ids[0]])
    assert [g.id for g in got] == [ids[2], ids[0]]
    async with db.connect() as conn:
        hits = await search_items(conn, "quarantine ferry")
    assert [h[0] for h in hits] == [ids[2]]


async def test_long_guid_and_empty_keys(db: Database) -> None:
    feed = await _feed(db)
    store = ItemStore(db)
    long = entry(1, guid="x" * 5000)
    anon = entry(2, guid=None, link=None)
    r = await store.save_entries(feed, [long, anon], NOW)
    assert len(r.new) == 2 and all(len(i.guid) <= 2048 for i in r.new)
    assert (await store.save_entries(feed, [long, anon], NOW)).unchanged == 2


async def test_several_edits_in_one_document_are_each_a_revision(db: Database) -> None:
    feed = await _feed(db)
    store = ItemStore(db)
    first = await store.save_entries(feed, [entry(n) for n in range(1, 5)], NOW)
    ids = [i.id for i in first.new]
    edits = [
        entry(1, text="Crane 1 was sold."),
        entry(2),
        entry(3, title="Crane 3 update", text="Crane 3 was moved."),
    ]
    res = await store.save_entries(feed, [*edits, entry(4), entry(9)], NOW + timedelta(hours=1))
    assert [i.id for i in res.changed] == [ids[0], ids[2]] and res.unchanged == 2 and len(res.new) == 1
    assert [(i.revision, i.text) for i in res.changed] == [
        (2, "Crane 1 was sold."),
        (2, "Crane 3 was moved."),
    ]
    assert await store.revisions(ids[0]) == [(1, entry(1).title, entry(1).text)]
    assert await store.revisions(ids[2]) == [(1, entry(3).title, entry(3).text)]
    assert await store.revisions(ids[1]) == []
    # A second edit of the same item keeps both earlier versions, in order.
    again = await store.save_entries(feed, [entry(1, text="Crane 1 was scrapped.")], NOW + timedelta(hours=2))
    assert [i.revision for i in again.changed] == [3]
    assert [t for _, _, t in await store.revisions(ids[0])] == [entry(1).text, "Crane 1 was sold."]
    (stored,) = await store.get_many([ids[2]])
    assert (stored.title, stored.text, stored.revision) == ("Crane 3 update", "Crane 3 was moved.", 2)
    async with db.connect() as conn:
        assert [h[0] for h in await search_items(conn, "scrapped")] == [ids[0]]
        assert [h[0] for h in await search_items(conn, "moved")] == [ids[2]]
