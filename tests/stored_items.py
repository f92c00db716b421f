"""Putting fixture items straight into the tables (feed created by name on first use), search-indexed.

For detector tests that start from stored items rather than from polled feeds.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage import schema as s
from bot.storage.search import index_item


async def store_item(
    conn: AsyncConnection,
    *,
    feed: str,
    guid: str,
    when: datetime,
    title: str,
    text: str,
    kind: str = "news",
    actor: str | None = None,
    language: str | None = None,
) -> int:
    """Insert one item of the feed named `feed` (created on first use); its id."""
    feed_id = (await conn.execute(select(s.feeds.c.id).where(s.feeds.c.name == feed))).scalar()
    if feed_id is None:
        feed_id = (
            await conn.execute(
                insert(s.feeds)
                .values(
                    url=f"http://127.0.0.1/feeds/{guid}.xml",
                    name=feed,
                    kind=kind,
                    actor=actor,
                    language=language,
                    created_at=when,
                )
                .returning(s.feeds.c.id)
            )
        ).scalar_one()
    item_id = (
        await conn.execute(
            insert(s.items)
            .values(
                feed_id=feed_id,
                guid=guid,
                link=f"https://example.org/{guid}",
                title=title,
                text=text,
                language=language,
                published=when,
                first_seen=when,
                last_seen=when,
                content_hash=guid,
                revision=1,
            )
            .returning(s.items.c.id)
        )
    ).scalar_one()
    await index_item(conn, item_id, title, text)
    return int(item_id)
