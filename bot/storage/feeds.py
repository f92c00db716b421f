"""Stored feeds and their polling state: upsert from config, add/remove at run time, leases, poll results.

Feed URLs are stored in their normalised form (`bot.urls.normalize_url`), and a URL that differs
only by a trailing slash names the same feed, so `HTTP://Host/feed` is not a second feed.

Claiming due feeds is a lease (`lease_owner`, `lease_until`) so several replicas on PostgreSQL
never poll the same feed at once (`SELECT ... FOR UPDATE SKIP LOCKED`). SQLite runs the same
code without SKIP LOCKED: it has one writer at a time anyway.
"""

from __future__ import annotations

import builtins
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import and_, bindparam, delete, func, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.config import PollConfig
from bot.storage import schema as s
from bot.storage.db import Database, dialect_insert
from bot.storage.websub import VERIFIED
from bot.types import Feed, FeedKind, FeedSpec
from bot.urls import normalize_url, slash_key, url_key, url_variants


class DuplicateFeedError(ValueError):
    """A feed with this URL is already stored."""

    def __init__(self, url: str, feed_id: int) -> None:
        super().__init__(f"feed {url} is already stored (id {feed_id})")
        self.url = url
        self.feed_id = feed_id


class PollOutcomeLike(Protocol):
    """What `record_poll` reads of a fetch result (`bot.ingest.fetch.FetchResult` fits)."""

    @property
    def status(self) -> str: ...  # ok | not_modified | error

    @property
    def etag(self) -> str | None: ...

    @property
    def last_modified(self) -> str | None: ...

    @property
    def max_age(self) -> float | None: ...

    @property
    def retry_after(self) -> float | None: ...

    @property
    def error(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class PollRecord:
    """A poll result given to `record_poll` directly (tests, the poller when a parse fails)."""

    status: str
    etag: str | None = None
    last_modified: str | None = None
    max_age: float | None = None
    retry_after: float | None = None
    error: str | None = None


def row_to_feed(r: Row[Any]) -> Feed:
    """A `feeds` row as a `Feed`."""
    return Feed(
        id=int(r.id),
        url=r.url,
        name=r.name or "",
        kind=FeedKind(r.kind),
        actor=r.actor,
        language=r.language,
        interval_s=r.interval_s,
        enabled=bool(r.enabled),
        origin=r.origin,
        etag=r.etag,
        last_modified=r.last_modified,
        next_poll_at=r.next_poll_at,
        last_poll_at=r.last_poll_at,
        last_status=r.last_status,
        last_error=r.last_error,
        consecutive_failures=int(r.consecutive_failures or 0),
        account=bool(r.account),
    )


_SPEC_COLUMNS = ("name", "kind", "actor", "language", "interval_s", "account")


def _spec_values(spec: FeedSpec) -> dict[str, Any]:
    return {
        "name": (spec.name or "")[:300],
        "kind": FeedKind(spec.kind).value,
        "actor": spec.actor,
        "language": spec.language,
        "interval_s": spec.interval_s,
        "account": bool(spec.account),
    }


def next_delay(
    poll: PollConfig,
    *,
    interval_s: int | None,
    failures: int,
    max_age: float | None,
    retry_after: float | None,
    rng: random.Random | None = None,
) -> float:
    """Seconds until the next poll: interval with jitter, max-age/Retry-After honoured, backoff on failures.

    A failing feed waits interval * 2**(failures-1), capped by `poll.max_backoff_s`, so a dead
    host is not hammered; Retry-After wins when it asks for longer. Cache-Control max-age only
    lengthens the wait (a server asking us to come back sooner than our interval is ignored).
    """
    uniform = rng.uniform if rng is not None else random.uniform
    base = float(interval_s or poll.interval_s)
    if failures > 0:
        base = min(base * (2 ** min(failures - 1, 30)), float(poll.max_backoff_s))
    if max_age is not None and max_age > base:
        base = min(max_age, float(poll.max_backoff_s))
    jittered = base * (1.0 + uniform(-poll.jitter, poll.jitter))
    if retry_after is not None and retry_after > jittered:
        jittered = min(retry_after, float(max(poll.max_backoff_s, poll.interval_s)))
    return max(1.0, jittered)


async def _stored_id(conn: AsyncConnection, url: str) -> int | None:
    """The id of the stored feed with this URL (normalised, either trailing slash), or None."""
    row = (await conn.execute(select(s.feeds.c.id).where(s.feeds.c.url.in_(url_variants(url))))).first()
    return int(row.id) if row is not None else None


def _new_feed_values(spec: FeedSpec, origin: str, now: datetime) -> dict[str, Any]:
    """The row of a feed stored for the first time: enabled, due now, no failures."""
    return {
        "url": normalize_url(spec.url),
        "origin": origin,
        "enabled": True,
        "created_at": now,
        "next_poll_at": now,
        "consecutive_failures": 0,
        "failure_notified": False,
        **_spec_values(spec),
    }


# What a poll writes back to its feed's row (`record_polls` updates these columns in one batch).
_POLL_COLUMNS = (
    "last_poll_at",
    "last_status",
    "next_poll_at",
    "consecutive_failures",
    "failure_notified",
    "last_error",
    "last_success_at",
    "etag",
    "last_modified",
    "lease_owner",
    "lease_until",
)


def _apply_poll(
    row: dict[str, Any],
    outcome: PollOutcomeLike,
    poll: PollConfig,
    now: datetime,
    rng: random.Random | None,
    *,
    pushed: bool = False,
) -> bool:
    """Update a feed's polling state (a dict of its columns) in place; True if the admin must be told now.

    `pushed`: a hub pushes this feed to us (a verified WebSub subscription), so polling is only
    the fallback, at `poll.websub_fallback_s` or the feed's own interval if that is longer.
    """
    failed = outcome.status == "error"
    failures = int(row["consecutive_failures"] or 0) + 1 if failed else 0
    notify = failed and failures >= poll.failure_notice_after and not row["failure_notified"]
    interval = row["interval_s"]
    if pushed:
        interval = max(int(interval or poll.interval_s), poll.websub_fallback_s)
    delay = next_delay(
        poll,
        interval_s=interval,
        failures=failures,
        max_age=outcome.max_age,
        retry_after=outcome.retry_after,
        rng=rng,
    )
    row.update(
        last_poll_at=now,
        last_status=outcome.status,
        next_poll_at=now + timedelta(seconds=delay),
        consecutive_failures=failures,
        failure_notified=bool(row["failure_notified"] or notify) if failed else False,
        lease_owner=None,
        lease_until=None,
    )
    if failed:
        row["last_error"] = (outcome.error or "error")[:2000]
    else:
        row["last_error"] = None
        row["last_success_at"] = now
        # A 304 may omit validators; keep the ones we have then.
        if outcome.status == "ok" or outcome.etag:
            row["etag"] = outcome.etag
        if outcome.status == "ok" or outcome.last_modified:
            row["last_modified"] = outcome.last_modified
    return notify


class FeedStore:
    """Feeds and their polling state, on SQLite or PostgreSQL."""

    def __init__(self, db: Database, poll: PollConfig | None = None) -> None:
        self.db = db
        self.poll = poll or PollConfig()

    async def upsert_specs(self, specs: Sequence[FeedSpec], origin: str = "config") -> builtins.list[Feed]:
        """Insert new feeds and update name/kind/actor/language/interval of known ones (matched by URL).

        Polling state of known feeds is kept; a feed removed from the config stays stored.
        A handful of statements whatever the number of feeds (every start of `factbot run` calls
        this with the whole config): one read of the stored feeds, one batched
        `INSERT ... ON CONFLICT (url) DO UPDATE` of the new ones, one batched UPDATE of those whose
        settings changed, one read back. The upsert keeps replicas that start together and store
        the same new config feeds at once from colliding on the unique URL.
        """
        if not specs:
            return []
        now = datetime.now(UTC)
        f = s.feeds.c
        spec_cols = [f.id, f.url, *(f[k] for k in _SPEC_COLUMNS)]
        async with self.db.begin() as conn:
            stored = {slash_key(r.url): r for r in (await conn.execute(select(*spec_cols))).all()}
            ids: list[int | None] = []
            new: dict[str, dict[str, Any]] = {}
            changed: dict[int, dict[str, Any]] = {}
            for spec in specs:
                key = url_key(spec.url)
                row = stored.get(key)
                values = _spec_values(spec)
                if row is None:
                    new[key] = _new_feed_values(spec, origin, now)  # listed twice: the last one wins
                    ids.append(None)
                    continue
                ids.append(int(row.id))
                if any(getattr(row, k) != v for k, v in values.items()):
                    changed[int(row.id)] = values
            if new:
                # Another replica may store the same new feed at this moment: its row wins the
                # insert, ours updates it (executemany, so no bound-parameter limit on SQLite).
                stmt = dialect_insert(conn)(s.feeds)
                await conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["url"],
                        set_={k: stmt.excluded[k] for k in _SPEC_COLUMNS},
                    ),
                    list(new.values()),
                )
            if changed:
                await conn.execute(
                    update(s.feeds)
                    .where(f.id == bindparam("b_id"))
                    .values({k: bindparam(f"b_{k}") for k in _SPEC_COLUMNS}),
                    [{"b_id": i, **{f"b_{k}": v for k, v in vals.items()}} for i, vals in changed.items()],
                )
            rows = (await conn.execute(select(s.feeds))).all()
        by_id = {int(r.id): r for r in rows}
        by_key = {slash_key(r.url): r for r in rows}
        return [
            row_to_feed(by_id[i] if i is not None else by_key[url_key(spec.url)])
            for i, spec in zip(ids, specs, strict=True)
        ]

    async def add(self, spec: FeedSpec, origin: str) -> Feed:
        """Store a new feed, due now. Raises `DuplicateFeedError` when the URL is already stored.

        The URL is stored normalised; one that differs from a stored feed's only in case, default
        port, fragment, tracking parameters or a trailing slash is that feed.
        """
        now = datetime.now(UTC)
        async with self.db.begin() as conn:
            existing = await _stored_id(conn, spec.url)
            if existing is not None:
                raise DuplicateFeedError(spec.url, existing)
            # ON CONFLICT: the same URL added a moment ago elsewhere (another replica, another
            # command) is a duplicate, not a unique-violation traceback.
            stmt = dialect_insert(conn)(s.feeds).values(**_new_feed_values(spec, origin, now))
            res = await conn.execute(
                stmt.on_conflict_do_nothing(index_elements=["url"]).returning(s.feeds.c.id)
            )
            added = res.scalar_one_or_none()
            if added is None:
                existing = await _stored_id(conn, spec.url)
                raise DuplicateFeedError(spec.url, existing if existing is not None else 0)
            row = (await conn.execute(select(s.feeds).where(s.feeds.c.id == added))).one()
        return row_to_feed(row)

    async def list(self) -> builtins.list[Feed]:
        """Every stored feed, by id."""
        async with self.db.connect() as conn:
            rows = (await conn.execute(select(s.feeds).order_by(s.feeds.c.id))).all()
        return [row_to_feed(r) for r in rows]

    async def get(self, feed_id: int) -> Feed | None:
        """One feed by id, or None."""
        async with self.db.connect() as conn:
            row = (await conn.execute(select(s.feeds).where(s.feeds.c.id == int(feed_id)))).first()
        return row_to_feed(row) if row is not None else None

    async def remove(self, url_or_id: str | int) -> bool:
        """Delete a feed (and, by cascade, its items) by URL or numeric id. True if one was removed."""
        key = str(url_or_id).strip()
        cond = s.feeds.c.id == int(key) if key.isdigit() else s.feeds.c.url.in_(url_variants(key))
        async with self.db.begin() as conn:
            result = await conn.execute(delete(s.feeds).where(cond))
        return bool(result.rowcount)

    async def claim_due(
        self,
        now: datetime,
        *,
        owner: str,
        limit: int = 100,
        lease_s: float = 300,
        everything: bool = False,
    ) -> builtins.list[Feed]:
        """Lease up to `limit` enabled feeds that are due (or all enabled ones with `everything=True`).

        A feed leased by another owner whose lease has not expired is skipped. On PostgreSQL the
        rows are locked with SKIP LOCKED, so concurrent claimers never get the same feed.
        """
        f = s.feeds.c
        free = or_(f.lease_until.is_(None), f.lease_until < now)
        cond = and_(f.enabled.is_(True), free)
        if not everything:
            cond = and_(cond, or_(f.next_poll_at.is_(None), f.next_poll_at <= now))
        query = select(f.id).where(cond).order_by(f.next_poll_at.asc().nulls_first(), f.id).limit(limit)
        until = now + timedelta(seconds=lease_s)
        async with self.db.begin() as conn:
            if self.db.dialect == "postgresql":
                ids = [int(r.id) for r in (await conn.execute(query.with_for_update(skip_locked=True))).all()]
                if not ids:
                    return []
                await conn.execute(
                    update(s.feeds).where(f.id.in_(ids)).values(lease_owner=owner, lease_until=until)
                )
            else:
                # SQLite: one UPDATE with the pick as a subquery, so the pick and the lease are one
                # atomic write (a separate SELECT would let two connections read the same rows).
                result = await conn.execute(
                    update(s.feeds)
                    .where(f.id.in_(query.scalar_subquery()))
                    .values(lease_owner=owner, lease_until=until)
                    .returning(f.id)
                )
                ids = [int(r.id) for r in result.all()]
                if not ids:
                    return []
            rows = (await conn.execute(select(s.feeds).where(f.id.in_(ids)).order_by(f.id))).all()
        return [row_to_feed(r) for r in rows]

    async def next_due(self, now: datetime) -> datetime | None:
        """When the earliest enabled, unleased feed is due (None: there is none)."""
        f = s.feeds.c
        free = or_(f.lease_until.is_(None), f.lease_until < now)
        async with self.db.connect() as conn:
            when = (
                await conn.execute(select(func.min(f.next_poll_at)).where(f.enabled.is_(True), free))
            ).scalar_one()
        if isinstance(when, str):  # SQLite may hand back an aggregate's raw text
            when = s.UtcDateTime().process_result_value(when, self.db.engine.dialect)
        return when

    async def release(self, feed_ids: Sequence[int], *, owner: str) -> None:
        """Give back leases without recording a poll (a cancelled cycle)."""
        if not feed_ids:
            return
        f = s.feeds.c
        async with self.db.begin() as conn:
            await conn.execute(
                update(s.feeds)
                .where(f.id.in_(list(feed_ids)), f.lease_owner == owner)
                .values(lease_owner=None, lease_until=None)
            )

    async def record_poll(
        self,
        feed_id: int,
        outcome: PollOutcomeLike,
        *,
        now: datetime | None = None,
        rng: random.Random | None = None,
    ) -> bool:
        """Store a poll's result, schedule the next poll, release the lease.

        Returns True when the admin must be told now: the feed has just reached
        `poll.failure_notice_after` consecutive failures (once per streak; a success ends it).
        """
        return (await self.record_polls([(feed_id, outcome)], now=now, rng=rng))[0]

    async def record_polls(
        self,
        results: Sequence[tuple[int, PollOutcomeLike]],
        *,
        now: datetime | None = None,
        rng: random.Random | None = None,
    ) -> builtins.list[bool]:
        """`record_poll` for many feeds in one transaction (a warm cycle is thousands of 304s).

        One flag per result, in order. A feed id given twice is recorded in order, as two polls.
        """
        if not results:
            return []
        now = now or datetime.now(UTC)
        f = s.feeds.c
        cols = [f.id, f.interval_s, f.consecutive_failures, f.failure_notified, f.etag, f.last_modified]
        cols += [f.last_error, f.last_success_at]
        async with self.db.begin() as conn:
            ids = sorted({int(fid) for fid, _ in results})
            # a feed whose hub pushes to us (a verified, live subscription), read in the same query
            w = s.websub_subscriptions.c
            live = and_(w.feed_id == f.id, w.state == VERIFIED, w.lease_expires_at > now)
            query = (
                select(*cols, w.feed_id.label("pushed_by"))
                .select_from(s.feeds.outerjoin(s.websub_subscriptions, live))
                .where(f.id.in_(ids))
            )
            state = {int(r.id): r._asdict() for r in (await conn.execute(query)).all()}
            pushed = {fid for fid, row in state.items() if row.pop("pushed_by") is not None}
            flags: builtins.list[bool] = []
            for feed_id, outcome in results:
                row = state.get(int(feed_id))
                if row is None:  # removed while being polled
                    flags.append(False)
                    continue
                notify = _apply_poll(row, outcome, self.poll, now, rng, pushed=int(feed_id) in pushed)
                flags.append(notify)
            if state:
                await conn.execute(
                    update(s.feeds)
                    .where(f.id == bindparam("b_id"))
                    .values({name: bindparam(f"b_{name}") for name in _POLL_COLUMNS}),
                    [
                        {"b_id": fid, **{f"b_{name}": row[name] for name in _POLL_COLUMNS}}
                        for fid, row in state.items()
                    ],
                )
        return flags
