"""Migration 0005: stored feed URLs and item links normalised, duplicates merged, nothing lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import column, func, insert, select, table

from bot.storage import migrate
from bot.storage import schema as s
from bot.storage.db import Database
from bot.storage.items import ItemStore
from bot.storage.outbox import enqueue
from bot.storage.schema import UtcDateTime
from bot.storage.search import index_item, search_items

T0 = datetime(2025, 5, 14, 8, 0, tzinfo=UTC)


# The feeds table as revision 0002 has it (schema.py's has columns added since, with defaults).
FEEDS_0002 = table(
    "feeds",
    column("id"),
    column("url"),
    column("name"),
    column("kind"),
    column("origin"),
    column("enabled"),
    column("consecutive_failures"),
    column("failure_notified"),
    column("created_at", UtcDateTime),
)


async def _feed(conn, url: str, origin: str) -> int:
    res = await conn.execute(
        insert(FEEDS_0002)
        .values(
            url=url,
            name=url,
            kind="news",
            origin=origin,
            enabled=True,
            consecutive_failures=0,
            failure_notified=False,
            created_at=T0,
        )
        .returning(FEEDS_0002.c.id)
    )
    return int(res.scalar_one())


async def _item(conn, feed_id: int, guid: str, link: str, text: str, seen: datetime) -> int:
    res = await conn.execute(
        insert(s.items)
        .values(
            feed_id=feed_id,
            guid=guid,
            link=link,
            title=f"title {text}",
            text=text,
            first_seen=seen,
            last_seen=seen,
            content_hash=text,
            revision=1,
        )
        .returning(s.items.c.id)
    )
    item_id = int(res.scalar_one())
    await index_item(conn, item_id, f"title {text}", text)
    return item_id


async def test_duplicates_are_merged_without_losing_items_disputes_or_outbox_rows(db: Database) -> None:
    await migrate.downgrade(db, "0004")  # just before the URL migration
    async with db.begin() as conn:
        chat = await _feed(conn, "HTTP://News.Example:80/feed#latest", "chat")
        config = await _feed(conn, "http://news.example/feed/", "config")
        other = await _feed(conn, "https://Other.Example/rss?utm_source=opml", "opml")
        # the same story in both spellings of the feed: keyed by its link, with tracking noise
        a1 = await _item(
            conn,
            chat,
            "HTTP://News.Example/story?utm_source=x",
            "HTTP://News.Example/story?utm_source=x",
            "second copy",
            T0 + timedelta(hours=1),
        )
        b1 = await _item(
            conn, config, "http://news.example/story/", "http://news.example/story/", "first copy", T0
        )
        # the same guid in both feeds
        a2 = await _item(conn, chat, "guid-2", "http://news.example/two", "two early", T0)
        b2 = await _item(
            conn, config, "guid-2", "http://news.example/two", "two late", T0 + timedelta(hours=2)
        )
        lone = await _item(
            conn, other, "HTTPS://Other.Example/x#frag", "HTTPS://Other.Example/x#frag", "lone", T0
        )
        await conn.execute(
            insert(s.item_revisions).values(
                item_id=b1, revision=1, title="t", text="oldest words", content_hash="h0", seen_at=T0
            )
        )
        await conn.execute(s.items.update().where(s.items.c.id == b1).values(revision=2))
        st = (
            await conn.execute(
                insert(s.statements)
                .values(item_id=a1, kind="claim", speaker_name="Agency", quote="q", said_at=T0)
                .returning(s.statements.c.id)
            )
        ).scalar_one()
        d = (
            await conn.execute(
                insert(s.disputes)
                .values(
                    speaker_name="Agency",
                    claim_item_id=a1,
                    claim_statement_id=st,
                    created_at=T0,
                    updated_at=T0,
                    reasons=[],
                )
                .returning(s.disputes.c.id)
            )
        ).scalar_one()
        for item in (a2, b2):
            await conn.execute(
                insert(s.evidence).values(dispute_id=d, item_id=item, role="denial", added_at=T0, reasons=[])
            )
        await enqueue(
            conn,
            dispute_id=d,
            event="new_evidence",
            destinations=["console:stdout"],
            evidence_item_id=b2,
            now=T0,
        )

    await migrate.upgrade(db)

    async with db.connect() as conn:
        feeds = {r.id: r.url for r in (await conn.execute(select(s.feeds.c.id, s.feeds.c.url))).all()}
        assert feeds == {config: "http://news.example/feed/", other: "https://other.example/rss"}
        rows = {r.id: r for r in (await conn.execute(select(s.items))).all()}
        # the first seen copy is kept, in the config feed, its link normalised
        assert set(rows) == {b1, a2, lone}
        assert rows[b1].feed_id == config and rows[b1].link == rows[b1].guid == "http://news.example/story/"
        assert rows[a2].feed_id == config and rows[a2].guid == "guid-2"
        assert rows[lone].link == rows[lone].guid == "https://other.example/x"
        # the merged copies' words survive as revisions, after the keeper's own history
        texts = [t for _, _, t in await ItemStore(db).revisions(b1)]
        assert texts == ["oldest words", "second copy"] and rows[b1].revision == 3
        assert [t for _, _, t in await ItemStore(db).revisions(a2)] == ["two late"]
        # what pointed at the merged items points at the keepers
        assert (await conn.execute(select(s.disputes.c.claim_item_id))).scalar() == b1
        assert (await conn.execute(select(s.statements.c.item_id))).scalar() == b1
        ev = (
            (await conn.execute(select(s.evidence.c.item_id).where(s.evidence.c.dispute_id == d)))
            .scalars()
            .all()
        )
        assert ev == [a2]
        out = (await conn.execute(select(s.outbox.c.evidence_item_id, s.outbox.c.idempotency_key))).one()
        assert out.evidence_item_id == a2 and out.idempotency_key.endswith(f"|{b2}")
        assert (await conn.execute(select(func.count()).select_from(s.outbox))).scalar() == 1
        # search finds the keeper, never the deleted copy
        hits = [i for i, _ in await search_items(conn, "copy", limit=10)]
        assert a1 not in hits


async def test_polling_after_the_migration_finds_the_merged_items(db: Database) -> None:
    """An entry whose link only differs by case or tracking parameters is not a new item."""
    from bot.types import Entry, Feed, FeedKind

    async with db.begin() as conn:
        feed_id = await _feed(conn, "https://news.example/feed", "config")
    feed = Feed(id=feed_id, url="https://news.example/feed", name="n", kind=FeedKind.NEWS)
    store = ItemStore(db)
    first = await store.save_entries(
        feed, [Entry(guid=None, link="https://news.example/a/", title="t", text="x")]
    )
    again = await store.save_entries(
        feed, [Entry(guid=None, link="https://news.example/a", title="t", text="x")]
    )
    assert len(first.new) == 1 and not again.new and again.unchanged == 1
