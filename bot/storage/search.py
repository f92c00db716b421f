"""Full-text search over items and disputes, behind one small API for both backends.

SQLite: FTS5 virtual tables (`items_fts`, `disputes_fts`) whose rowid is the item / dispute id,
tokenised with `unicode61 remove_diacritics 2`, ranked with bm25.
PostgreSQL: side tables (`item_search`, `dispute_search`) holding a `tsvector` built with the
`simple` configuration from accent-folded text, with GIN indexes, ranked with ts_rank.

Accents are folded in Python on both sides (documents and queries, `bot.text.fold`), so "Mexico"
finds "México" on PostgreSQL without the `unaccent` extension (which needs superuser to install).
A change of the fold re-folds the stored documents in a migration (0007).

Queries are untrusted text (chat users, feed items). They are never passed through as search
syntax: we extract word tokens and build an OR query of quoted terms ourselves, so any input
is safe and an empty or symbol-only query simply returns no results.

The search tables are dialect specific and therefore not part of `schema.metadata`; the
migrations create them with `create_search_structures`, and `is_search_table` lets Alembic's
autogenerate ignore them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Float, column, func, literal_column, select, table, text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import Label

from bot.storage.schema import disputes, items
from bot.text import fold, stop_words

__all__ = [
    "SEARCH_TABLES",
    "create_search_structures",
    "drop_search_structures",
    "index_dispute",
    "index_item",
    "index_items",
    "is_search_table",
    "query_terms",
    "refold_stored",
    "search_disputes",
    "search_items",
]

# Table names owned by this module, per dialect. FTS5 also creates shadow tables named
# "<table>_data", "<table>_idx", ... which `is_search_table` recognises by prefix.
SEARCH_TABLES: dict[str, tuple[str, ...]] = {
    "sqlite": ("items_fts", "disputes_fts"),
    "postgresql": ("item_search", "dispute_search"),
}
_ALL_SEARCH_TABLES = tuple(t for names in SEARCH_TABLES.values() for t in names)

MAX_TERMS = 32  # a query longer than this is someone pasting an article; the first words are enough
MAX_TERM_LEN = 64
# Query pruning on large indexes: a term found in more than COMMON_FRACTION of the items
# adds little to the ranking but makes the OR query touch most of the index, so it is left
# out (keeping at least KEEP_RAREST terms). Small indexes are searched with every term.
COMMON_FRACTION = 0.05
ID_SLACK = timedelta(days=3)  # see _lowest_id_since
PRUNE_FROM_ITEMS = 5_000
KEEP_RAREST = 3
MAX_DOC_CHARS = 100_000  # PostgreSQL tsvectors are capped at 1 MB; feed items are far smaller

_WORD = re.compile(r"[^\W_]+")  # letters and digits only: nothing that could be search syntax

# Function words of the languages the detector reads (en, es, fr, de, pt), folded. They match
# most documents, so OR-ing them in makes a query slow and its ranking noisy; they are dropped
# from queries (not from the index) unless the query holds nothing else.
STOPWORDS = stop_words("search")


def is_search_table(name: str | None) -> bool:
    """True for the full-text tables (and FTS5 shadow tables) this module manages."""
    if not name:
        return False
    return any(name == t or name.startswith(t + "_") for t in _ALL_SEARCH_TABLES)


def query_terms(query: str) -> list[str]:
    """The distinct word tokens of an untrusted query, folded, in order, capped in number and length.

    Stop words are left out unless the query consists of nothing else.
    """
    seen: dict[str, None] = {}
    stop: dict[str, None] = {}
    for m in _WORD.finditer(fold(query or "")):
        term = m.group(0)[:MAX_TERM_LEN]
        if term in STOPWORDS:
            stop.setdefault(term, None)
            continue
        if term not in seen:
            seen[term] = None
            if len(seen) >= MAX_TERMS:
                break
    return list(seen) or list(stop)[:MAX_TERMS]


def _fts5_query(terms: list[str]) -> str:
    # Each term is a quoted FTS5 string (terms never hold quotes), OR-ed so partial matches
    # still rank: bm25 puts documents with more and rarer terms first.
    return " OR ".join(f'"{t}"' for t in terms)


def _tsquery(terms: list[str]) -> str:
    # Quoted lexemes; to_tsquery re-tokenises each with the `simple` parser. Terms hold only
    # letters and digits, so no operator or quote can be smuggled in.
    return " | ".join(f"'{t}'" for t in terms)


def _doc(*parts: str | None, fold: Callable[[str], str] = fold) -> str:
    # PostgreSQL text cannot hold NUL characters; feed text sometimes does.
    return fold(" ".join(p for p in parts if p)).replace("\x00", " ")[:MAX_DOC_CHARS]


# --- structures (run inside migrations, on a synchronous connection) -------------------------


def create_search_structures(conn: Connection) -> None:
    """Create the dialect's full-text tables and indexes (idempotent). Called by the migrations."""
    if conn.dialect.name == "sqlite":
        tok = "unicode61 remove_diacritics 2"
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS items_fts USING fts5(title, text, tokenize='{tok}')"
        )
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS disputes_fts USING fts5(text, tokenize='{tok}')"
        )
        # Per-term document counts, read by `_prune_common` (a b-tree lookup per term).
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE IF NOT EXISTS items_fts_vocab USING fts5vocab(items_fts, row)"
        )
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "CREATE TABLE IF NOT EXISTS item_search ("
            " item_id BIGINT PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,"
            " doc TSVECTOR NOT NULL)"
        )
        conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_item_search_doc ON item_search USING GIN (doc)")
        conn.exec_driver_sql(
            "CREATE TABLE IF NOT EXISTS dispute_search ("
            " dispute_id BIGINT PRIMARY KEY REFERENCES disputes(id) ON DELETE CASCADE,"
            " doc TSVECTOR NOT NULL)"
        )
        conn.exec_driver_sql(
            "CREATE INDEX IF NOT EXISTS ix_dispute_search_doc ON dispute_search USING GIN (doc)"
        )
    else:  # pragma: no cover - only the two supported backends reach here
        raise NotImplementedError(f"full-text search is not implemented for {conn.dialect.name}")


def drop_search_structures(conn: Connection) -> None:
    """Drop the dialect's full-text tables (migration downgrade)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("DROP TABLE IF EXISTS items_fts_vocab")
    for name in SEARCH_TABLES.get(conn.dialect.name, ()):
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")


# --- indexing ---------------------------------------------------------------------------------


# FTS5 honours REPLACE on the rowid: one statement indexes or re-indexes.
_SQLITE_INDEX_ITEM_SQL = "INSERT OR REPLACE INTO items_fts (rowid, title, text) VALUES (?, ?, ?)"
# The title weighs more than the body (weight A vs B in ts_rank).
_PG_INDEX_ITEM = text(
    "INSERT INTO item_search (item_id, doc) VALUES (:id,"
    " setweight(to_tsvector('simple', :title), 'A') || setweight(to_tsvector('simple', :text), 'B'))"
    " ON CONFLICT (item_id) DO UPDATE SET doc = excluded.doc"
)


async def index_item(conn: AsyncConnection, item_id: int, title: str, text_: str) -> None:
    """Index (or re-index, after a revision) one item's title and text. Call inside the item's transaction."""
    await index_items(conn, [(item_id, title, text_)])


async def index_items(conn: AsyncConnection, rows: Sequence[tuple[int, str, str]]) -> None:
    """Index (or re-index) many items, given as (item id, title, text), in one batched statement.

    Same result as `index_item` for each row in order; call inside the items' transaction.
    """
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        # Straight to the driver (one executemany of plain tuples): the statement is SQLite-only
        # anyway, and skipping SQLAlchemy's per-row parameter handling matters at ingest rates.
        await conn.exec_driver_sql(
            _SQLITE_INDEX_ITEM_SQL, [(item_id, _doc(title), _doc(text_)) for item_id, title, text_ in rows]
        )
        return
    params = [{"id": item_id, "title": _doc(title), "text": _doc(text_)} for item_id, title, text_ in rows]
    # A one-element list would still be an executemany; pass a dict for the single-row case.
    await conn.execute(_PG_INDEX_ITEM, params if len(params) > 1 else params[0])


_SQLITE_INDEX_DISPUTE = text("INSERT OR REPLACE INTO disputes_fts (rowid, text) VALUES (:id, :text)")
_PG_INDEX_DISPUTE = text(
    "INSERT INTO dispute_search (dispute_id, doc) VALUES (:id, to_tsvector('simple', :text))"
    " ON CONFLICT (dispute_id) DO UPDATE SET doc = excluded.doc"
)


def _index_dispute_sql(dialect: str) -> Any:
    return _SQLITE_INDEX_DISPUTE if dialect == "sqlite" else _PG_INDEX_DISPUTE


async def index_dispute(conn: AsyncConnection, dispute_id: int, text_: str) -> None:
    """Index (or re-index) a dispute's search text: actors, claim, denials, topic terms."""
    await conn.execute(_index_dispute_sql(conn.dialect.name), {"id": dispute_id, "text": _doc(text_)})


def refold_stored(
    conn: Connection, before: Callable[[str], str], after: Callable[[str], str], *, batch: int = 500
) -> int:
    """Re-index the items and disputes whose documents `after` folds differently from `before`
    (a migration, when the fold changes); the rest keep their rows. Returns how many changed.

    Only text that is not ASCII can fold differently: the rest is not folded at all.
    """

    def differs(*texts: str) -> bool:
        return any(t and not t.isascii() and before(t) != after(t) for t in texts)

    changed = 0
    for rows in _batches(conn, items.c.id, items.c.title, items.c.text, size=batch):
        redo = [(i, _doc(t, fold=after), _doc(x, fold=after)) for i, t, x in rows if differs(t, x)]
        if redo and conn.dialect.name == "sqlite":
            conn.exec_driver_sql(_SQLITE_INDEX_ITEM_SQL, redo)
        elif redo:
            conn.execute(_PG_INDEX_ITEM, [{"id": i, "title": t, "text": x} for i, t, x in redo])
        changed += len(redo)
    for rows in _batches(conn, disputes.c.id, disputes.c.search_text, size=batch):
        redo_disputes = [{"id": i, "text": _doc(t, fold=after)} for i, t in rows if differs(t)]
        if redo_disputes:
            conn.execute(_index_dispute_sql(conn.dialect.name), redo_disputes)
        changed += len(redo_disputes)
    return changed


def _batches(conn: Connection, key: Any, *columns: Any, size: int) -> Iterator[Sequence[Any]]:
    """Rows of (key, *columns) in key order, `size` at a time."""
    last = 0
    while rows := conn.execute(select(key, *columns).where(key > last).order_by(key).limit(size)).all():
        yield rows
        last = rows[-1][0]


async def _lowest_id_since(conn: AsyncConnection, since: datetime) -> int | None:
    """A lower bound on the ids of items said at or after `since` (None: there are none).

    Items get ids in the order we first see them, and we see an item after it is published,
    so an item said after `since` was first seen after `since` (less ID_SLACK, which covers
    clocks, future-dated entries and writers racing). `ix_items_first_seen` makes this one
    index probe; the bound lets the full-text side skip everything older, which is most of
    the index for the detector's 30-day windows.
    """
    stmt = (
        select(items.c.id)
        .where(items.c.first_seen >= since - ID_SLACK)
        .order_by(items.c.first_seen, items.c.id)
        .limit(1)
    )
    found = (await conn.execute(stmt)).scalar()
    return None if found is None else int(found)


async def _prune_common(conn: AsyncConnection, terms: list[str]) -> list[str]:
    """Drop terms that occur in a large share of a large index (SQLite; see COMMON_FRACTION)."""
    if len(terms) <= KEEP_RAREST:
        return terms
    # max(rowid) is an O(log n) stand-in for the item count (ids are dense).
    total = (await conn.execute(text("SELECT max(rowid) FROM items_fts"))).scalar() or 0
    if total < PRUNE_FROM_ITEMS:
        return terms
    params = {f"t{i}": t for i, t in enumerate(terms)}
    marks = ", ".join(f":t{i}" for i in range(len(terms)))
    rows = await conn.execute(text(f"SELECT term, doc FROM items_fts_vocab WHERE term IN ({marks})"), params)
    df = {str(term): int(doc) for term, doc in rows}
    by_rarity = sorted(terms, key=lambda t: df.get(t, 0))
    keep = set(by_rarity[:KEEP_RAREST]) | {t for t in terms if df.get(t, 0) <= COMMON_FRACTION * total}
    return [t for t in terms if t in keep]


# --- searching --------------------------------------------------------------------------------


async def search_items(
    conn: AsyncConnection,
    query: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
) -> list[tuple[int, float]]:
    """Items matching any word of `query`, best first, as (item id, score); higher scores are better.

    `since`/`until` bound when the item was said (published, else first seen), inclusive.
    """
    terms = query_terms(query)
    if not terms or limit <= 0:
        return []
    when = func.coalesce(items.c.published, items.c.first_seen)
    lowest_id: int | None = None
    if since is not None:
        lowest_id = await _lowest_id_since(conn, since)
        if lowest_id is None:
            return []
    if conn.dialect.name == "sqlite":
        terms = await _prune_common(conn, terms)
        fts = table("items_fts", column("rowid"))
        index_id = fts.c.rowid
        # bm25 is "lower is better" and negative; negate so callers always sort descending.
        score: Label[Any] = (-literal_column("bm25(items_fts, 2.0, 1.0)", Float)).label("score")
        stmt = (
            select(fts.c.rowid, score)
            .select_from(fts.join(items, items.c.id == fts.c.rowid))
            .where(literal_column("items_fts").op("MATCH")(_fts5_query(terms)))
        )
    else:
        ts = table("item_search", column("item_id"), column("doc"))
        index_id = ts.c.item_id
        tsq = func.to_tsquery(literal_column("'simple'"), _tsquery(terms))
        score = func.ts_rank(ts.c.doc, tsq).label("score")
        stmt = (
            select(ts.c.item_id, score)
            .select_from(ts.join(items, items.c.id == ts.c.item_id))
            .where(ts.c.doc.op("@@")(tsq))
        )
    if lowest_id is not None:
        stmt = stmt.where(items.c.id >= lowest_id)
        # The same bound on the index side lets FTS5 / the GIN scan skip older postings.
        stmt = stmt.where(index_id >= lowest_id)
    if since is not None:
        stmt = stmt.where(when >= since)
    if until is not None:
        stmt = stmt.where(when <= until)
    stmt = stmt.order_by(literal_column("score").desc(), when.desc()).limit(limit)
    rows = (await conn.execute(stmt)).all()
    return [(int(r[0]), float(r[1])) for r in rows]


async def search_disputes(conn: AsyncConnection, query: str, *, limit: int = 10) -> list[tuple[int, float]]:
    """Disputes matching any word of `query`, best first, as (dispute id, score); higher is better."""
    terms = query_terms(query)
    if not terms or limit <= 0:
        return []
    params: dict[str, Any] = {"limit": limit}
    if conn.dialect.name == "sqlite":
        params["q"] = _fts5_query(terms)
        sql = (
            "SELECT f.rowid, -bm25(disputes_fts) AS score FROM disputes_fts AS f"
            " JOIN disputes AS d ON d.id = f.rowid"
            " WHERE disputes_fts MATCH :q ORDER BY score DESC, d.updated_at DESC LIMIT :limit"
        )
    else:
        params["q"] = _tsquery(terms)
        sql = (
            "SELECT s.dispute_id, ts_rank(s.doc, q) AS score"
            " FROM dispute_search AS s JOIN disputes AS d ON d.id = s.dispute_id,"
            " to_tsquery('simple', :q) AS q"
            " WHERE s.doc @@ q ORDER BY score DESC, d.updated_at DESC LIMIT :limit"
        )
    rows = (await conn.execute(text(sql), params)).all()
    return [(int(r[0]), float(r[1])) for r in rows]
