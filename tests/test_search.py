"""Full-text search over items and disputes, on SQLite (FTS5) and PostgreSQL (tsvector + GIN)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select

from bot.storage import search
from bot.storage.db import Database
from bot.storage.schema import disputes, feeds, items
from bot.text import fold

T0 = datetime(2025, 5, 14, 12, 0, tzinfo=UTC)

# Our own short texts, shaped like the reference story and some unrelated news.
DOCS = [
    (
        "Agency says drug labs in Sinaloa were dismantled",
        "The agency said its unit led the raid in México.",
        0,
    ),
    (
        "President rejects the agency's account",
        "She said no foreign agents operate in Mexico; the raid was local.",
        1,
    ),
    ("Harbour reopens after storm", "Ferries resume their crossings as the wind drops.", 2),
    ("Election commission publishes turnout", "Turnout in the northern provinces rose slightly.", 3),
]


async def _seed(db: Database) -> list[int]:
    ids = []
    async with db.begin() as conn:
        feed_id = (
            await conn.execute(
                insert(feeds).values(url="http://127.0.0.1/feed.xml", name="Test", kind="news", created_at=T0)
            )
        ).inserted_primary_key[0]
        for n, (title, text, days) in enumerate(DOCS):
            when = T0 + timedelta(days=days)
            item_id = (
                await conn.execute(
                    insert(items).values(
                        feed_id=feed_id,
                        guid=f"g{n}",
                        link=f"http://127.0.0.1/{n}",
                        title=title,
                        text=text,
                        published=when,
                        first_seen=when,
                        last_seen=when,
                        content_hash=f"h{n}",
                    )
                )
            ).inserted_primary_key[0]
            await search.index_item(conn, item_id, title, text)
            ids.append(item_id)
    return ids


async def _dispute(db: Database, text: str, updated: datetime) -> int:
    async with db.begin() as conn:
        dispute_id = (
            await conn.execute(
                insert(disputes).values(
                    speaker_name="Agency",
                    reasons=[],
                    created_at=updated,
                    updated_at=updated,
                    search_text=text,
                )
            )
        ).inserted_primary_key[0]
        await search.index_dispute(conn, dispute_id, text)
    return dispute_id


async def test_accents_are_folded_both_ways(db: Database) -> None:
    ids = await _seed(db)
    async with db.connect() as conn:
        plain = {i for i, _ in await search.search_items(conn, "Mexico")}
        accented = {i for i, _ in await search.search_items(conn, "MÉXICO")}
    assert plain == accented == {ids[0], ids[1]}


async def test_more_matching_terms_rank_first(db: Database) -> None:
    ids = await _seed(db)
    async with db.connect() as conn:
        hits = await search.search_items(conn, "sinaloa drug labs raid")
    assert [i for i, _ in hits][:2] == [ids[0], ids[1]]
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[1]


async def test_time_window_bounds_results(db: Database) -> None:
    ids = await _seed(db)
    async with db.connect() as conn:
        late = await search.search_items(conn, "raid", since=T0 + timedelta(hours=12))
        early = await search.search_items(conn, "raid", until=T0 + timedelta(hours=12))
        both = await search.search_items(conn, "raid", since=T0, until=T0 + timedelta(days=1))
    assert [i for i, _ in late] == [ids[1]]
    assert [i for i, _ in early] == [ids[0]]
    assert {i for i, _ in both} == {ids[0], ids[1]}


async def test_limit_is_respected(db: Database) -> None:
    await _seed(db)
    async with db.connect() as conn:
        assert len(await search.search_items(conn, "the raid turnout ferries", limit=2)) == 2
        assert await search.search_items(conn, "raid", limit=0) == []


async def test_reindexing_replaces_the_old_text(db: Database) -> None:
    ids = await _seed(db)
    async with db.begin() as conn:
        await search.index_item(conn, ids[2], "Harbour stays closed", "Ferries remain in port.")
    async with db.connect() as conn:
        assert await search.search_items(conn, "reopens") == []
        assert [i for i, _ in await search.search_items(conn, "closed")] == [ids[2]]


async def test_empty_and_symbol_only_queries_return_nothing(db: Database) -> None:
    await _seed(db)
    async with db.connect() as conn:
        for q in ("", "   ", "!!! ??? ---", '"', "*", "()", "_ _", "&|!<->:*"):
            assert await search.search_items(conn, q) == []
            assert await search.search_disputes(conn, q) == []


async def test_search_syntax_in_queries_is_inert(db: Database) -> None:
    ids = await _seed(db)
    async with db.connect() as conn:
        # FTS5 / tsquery operators are treated as ordinary words, never as syntax.
        hits = await search.search_items(conn, 'sinaloa NOT "labs" OR title:harbour* NEAR(a b) & !raid')
    assert ids[0] in {i for i, _ in hits}


async def test_disputes_are_found_by_actor_and_place(db: Database) -> None:
    first = await _dispute(db, "ICE Sinaloa drug labs Sheinbaum denies U.S. Embassy", T0)
    await _dispute(db, "Port authority ferries harbour storm", T0 + timedelta(days=1))
    async with db.connect() as conn:
        hits = await search.search_disputes(conn, "ice sinaloa")
        none = await search.search_disputes(conn, "volcano")
    assert [i for i, _ in hits] == [first]
    assert hits[0][1] > 0
    assert none == []


async def test_dispute_reindex_updates_its_text(db: Database) -> None:
    dispute_id = await _dispute(db, "ministry claim about grain exports", T0)
    async with db.begin() as conn:
        await search.index_dispute(conn, dispute_id, "ministry claim about grain exports; embassy rejects it")
    async with db.connect() as conn:
        assert [i for i, _ in await search.search_disputes(conn, "embassy")] == [dispute_id]
        assert len(await search.search_disputes(conn, "grain")) == 1


def test_query_terms_are_folded_deduplicated_and_capped() -> None:
    assert search.query_terms("México, MEXICO and méxico!") == ["mexico"]
    assert search.query_terms("the who") == ["the", "who"]  # only stop words: kept
    assert search.query_terms("x_b c-d") == ["x", "b", "c", "d"]
    assert len(search.query_terms(" ".join(f"w{i}" for i in range(500)))) == search.MAX_TERMS
    assert all(len(t) <= search.MAX_TERM_LEN for t in search.query_terms("x" * 1000))


async def test_batch_indexing_matches_one_by_one(db: Database) -> None:
    ids = await _seed(db)
    async with db.connect() as conn:
        before = {
            q: await search.search_items(conn, q) for q in ("mexico raid", "harbour ferries", "turnout")
        }
    # Re-index everything as one batch (with a repeated id: the last text wins), as ItemStore does.
    rows = [(i, title, text) for i, (title, text, _) in zip(ids, DOCS, strict=True)]
    async with db.begin() as conn:
        await search.index_items(conn, [(ids[2], "placeholder", "placeholder"), *rows])
        await search.index_items(conn, [])
    async with db.connect() as conn:
        after = {q: await search.search_items(conn, q) for q in before}
        assert await search.search_items(conn, "placeholder") == []
    assert after == before


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=200))
async def test_arbitrary_queries_never_raise(db: Database, query: str) -> None:
    async with db.connect() as conn:
        hits = await search.search_items(conn, query, limit=5)
        found = await search.search_disputes(conn, query, limit=5)
    assert isinstance(hits, list) and isinstance(found, list)
    if not search.query_terms(query):
        assert hits == [] and found == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(max_size=300), body=st.text(max_size=2000))
async def test_arbitrary_documents_index_and_stay_searchable(db: Database, title: str, body: str) -> None:
    async with db.connect() as conn:
        existing = await search.search_disputes(conn, "zebracorn", limit=1)
    dispute_id = existing[0][0] if existing else await _dispute(db, "zebracorn", T0)
    async with db.begin() as conn:
        await search.index_dispute(conn, dispute_id, f"{title} zebracorn {body}")
    async with db.connect() as conn:
        assert [i for i, _ in await search.search_disputes(conn, "zebracorn")] == [dispute_id]
        assert await search.search_items(conn, title + " " + body) == []  # no items were stored


async def test_common_terms_are_pruned_on_large_indexes(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _seed(sqlite_db)
    # Pretend the 4-item index is large: "agency" (in 2 of 4 items) is then too common to help.
    monkeypatch.setattr(search, "PRUNE_FROM_ITEMS", 1)
    monkeypatch.setattr(search, "COMMON_FRACTION", 0.3)
    async with sqlite_db.connect() as conn:
        kept = await search._prune_common(conn, ["agency", "harbour", "turnout", "ferries", "volcano"])
        assert kept == ["harbour", "turnout", "ferries", "volcano"]
        # Never below the KEEP_RAREST rarest terms, even when all are common.
        assert await search._prune_common(conn, ["agency", "raid", "said", "mexico"]) != []
        hits = await search.search_items(conn, "agency harbour turnout ferries")
    assert len(hits) == 2  # the harbour and the election items; "agency" alone no longer matches


async def test_backfilled_items_are_found_in_their_own_time_window(db: Database) -> None:
    ids = await _seed(db)
    late = T0 + timedelta(days=100)
    async with db.begin() as conn:
        feed_id = (await conn.execute(select(feeds.c.id))).scalar_one()
        # Published on day 1 but first seen months later (a feed added late): the highest id.
        old_id = (
            await conn.execute(
                insert(items).values(
                    feed_id=feed_id,
                    guid="backfill",
                    title="Archive note on the raid",
                    text="",
                    published=T0 + timedelta(days=1),
                    first_seen=late,
                    last_seen=late,
                    content_hash="hb",
                )
            )
        ).inserted_primary_key[0]
        await search.index_item(conn, old_id, "Archive note on the raid", "")
    async with db.connect() as conn:
        window = await search.search_items(
            conn, "raid", since=T0 + timedelta(hours=12), until=T0 + timedelta(days=2)
        )
        future = await search.search_items(conn, "raid", since=late + timedelta(days=30))
    assert {i for i, _ in window} == {ids[1], old_id}
    assert future == []


def _fold_before_0007(value: str) -> str:
    # The fold documents were indexed in up to revision 0006 (Hangul taken apart into letters,
    # kana voicing marks and every other combining mark dropped).
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


async def test_refolding_indexes_again_only_what_the_fold_reads_differently(db: Database) -> None:
    ids = await _seed(db)
    async with db.begin() as conn:
        korean = (
            await conn.execute(
                insert(items).values(
                    feed_id=(await conn.execute(select(items.c.feed_id).limit(1))).scalar_one(),
                    guid="ko", link="http://127.0.0.1/ko", title="국방부 발표", text="ガス 漏れ 없음",
                    published=T0, first_seen=T0, last_seen=T0, content_hash="ko",
                )
            )
        ).inserted_primary_key[0]  # fmt: skip
        await search.index_item(conn, korean, "국방부 발표", "ガス 漏れ 없음")
    dispute_id = await _dispute(db, "국방부 ガス", T0)
    # Put the documents back as the older fold wrote them: only the two with such text change.
    async with db.begin() as conn:
        assert await conn.run_sync(search.refold_stored, fold, _fold_before_0007) == 2
    async with db.connect() as conn:
        assert await search.search_items(conn, "국방부") == []  # letters in the index, a syllable asked
        assert sorted(i for i, _ in await search.search_items(conn, "mexico raid")) == ids[:2]
    async with db.begin() as conn:  # what migration 0007 does
        assert await conn.run_sync(search.refold_stored, _fold_before_0007, fold) == 2
        assert await conn.run_sync(search.refold_stored, _fold_before_0007, fold) == 2  # idempotent
    async with db.connect() as conn:
        assert [i for i, _ in await search.search_items(conn, "국방부")] == [korean]
        assert [i for i, _ in await search.search_items(conn, "ガス")] == [korean]  # not "カス"
        assert [i for i, _ in await search.search_disputes(conn, "국방부")] == [dispute_id]
