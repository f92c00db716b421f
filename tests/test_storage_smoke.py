from sqlalchemy import select

from bot.storage.schema import feeds


async def test_schema_created(db):
    async with db.connect() as conn:
        rows = (await conn.execute(select(feeds.c.id))).all()
    assert rows == []
