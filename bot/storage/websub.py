"""WebSub subscriptions: one row per feed that advertises a hub (`websub_subscriptions`).

The life of a subscription:

    discovered (poll finds hub + topic)  -> pending, requested_at NULL (a request is due)
    subscribe request sent               -> requested_at = now (waiting for the hub's verification)
    hub verifies (GET with our topic)    -> verified, lease recorded, renew_at at 80 % of the lease
    renew_at reached                     -> a new request (state stays verified while it waits)
    lease ends unrenewed                 -> expired: the feed is polled at its normal interval again
    hub says hub.mode=denied             -> denied (no retry until the feed names another hub/topic)

A request the hub never verifies is sent again after `RETRY_S`. Any replica may answer a
callback: the answer depends on the database row only.
"""

from __future__ import annotations

import builtins
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.engine import Row

from bot.storage import schema as s
from bot.storage.db import Database, dialect_insert

PENDING, VERIFIED, DENIED, EXPIRED = "pending", "verified", "denied", "expired"
RETRY_S = 900.0  # a request the hub has not verified within this is sent again
RENEW_AT = 0.8  # renew when this fraction of the lease has passed


@dataclass(frozen=True, slots=True)
class Subscription:
    """One stored subscription (see the module docstring for the states)."""

    feed_id: int
    hub: str
    topic: str
    token: str
    secret: str
    state: str
    created_at: datetime
    requested_at: datetime | None = None
    verified_at: datetime | None = None
    lease_seconds: int | None = None
    lease_expires_at: datetime | None = None
    renew_at: datetime | None = None
    last_push_at: datetime | None = None
    last_error: str | None = None


def _row(r: Row[Any]) -> Subscription:
    return Subscription(
        feed_id=int(r.feed_id),
        hub=r.hub,
        topic=r.topic,
        token=r.token,
        secret=r.secret,
        state=r.state,
        created_at=r.created_at,
        requested_at=r.requested_at,
        verified_at=r.verified_at,
        lease_seconds=r.lease_seconds,
        lease_expires_at=r.lease_expires_at,
        renew_at=r.renew_at,
        last_push_at=r.last_push_at,
        last_error=r.last_error,
    )


class WebSubStore:
    """Subscriptions on SQLite or PostgreSQL."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def known(self) -> dict[int, tuple[str, str]]:
        """feed id -> (hub, topic) of every stored subscription (the discovery cache)."""
        c = s.websub_subscriptions.c
        async with self.db.connect() as conn:
            rows = (await conn.execute(select(c.feed_id, c.hub, c.topic))).all()
        return {int(r.feed_id): (r.hub, r.topic) for r in rows}

    async def discovered(self, feed_id: int, hub: str, topic: str, now: datetime) -> bool:
        """Record the hub and topic a feed advertises; True when that starts a new subscription.

        The same hub and topic as stored change nothing. Another hub or topic replaces the
        subscription (new callback token and secret, pending, a request due): the old hub's
        pushes then find no subscription and are refused.
        """
        c = s.websub_subscriptions.c
        values = {
            "feed_id": int(feed_id),
            "hub": hub[:2048],
            "topic": topic[:2048],
            # The callback's last path segment, and the HMAC key the hub signs pushes with
            # (the spec caps a secret at 200 bytes).
            "token": secrets.token_urlsafe(24),
            "secret": secrets.token_hex(32),
            "state": PENDING,
            "created_at": now,
            "requested_at": None,
            "verified_at": None,
            "lease_seconds": None,
            "lease_expires_at": None,
            "renew_at": None,
            "last_error": None,
        }
        async with self.db.begin() as conn:
            stmt = dialect_insert(conn)(s.websub_subscriptions).values(**values)
            # One statement, so replicas that discover the same hub at once do not collide.
            stmt = stmt.on_conflict_do_update(
                index_elements=["feed_id"],
                set_={k: stmt.excluded[k] for k in values if k != "feed_id"},
                where=or_(c.hub != stmt.excluded.hub, c.topic != stmt.excluded.topic),
            ).returning(c.feed_id)
            return (await conn.execute(stmt)).first() is not None

    async def get(self, feed_id: int) -> Subscription | None:
        """A feed's subscription, or None."""
        c = s.websub_subscriptions.c
        async with self.db.connect() as conn:
            row = (
                await conn.execute(select(s.websub_subscriptions).where(c.feed_id == int(feed_id)))
            ).first()
        return _row(row) if row is not None else None

    async def by_token(self, token: str) -> Subscription | None:
        """The subscription whose callback URL ends in `token`, or None."""
        c = s.websub_subscriptions.c
        async with self.db.connect() as conn:
            row = (await conn.execute(select(s.websub_subscriptions).where(c.token == token))).first()
        return _row(row) if row is not None else None

    async def due(self, now: datetime, *, limit: int = 50) -> builtins.list[Subscription]:
        """Subscriptions that need a (new) subscribe request now: new, renewals, expired, unanswered."""
        c = s.websub_subscriptions.c
        waiting_done = or_(c.requested_at.is_(None), c.requested_at < now - timedelta(seconds=RETRY_S))
        cond = and_(
            c.state.in_((PENDING, VERIFIED, EXPIRED)),
            waiting_done,
            or_(c.state != VERIFIED, c.renew_at <= now),
        )
        async with self.db.connect() as conn:
            rows = (
                await conn.execute(
                    select(s.websub_subscriptions).where(cond).order_by(c.feed_id).limit(limit)
                )
            ).all()
        return [_row(r) for r in rows]

    async def requested(self, feed_id: int, now: datetime, *, error: str | None = None) -> None:
        """A subscribe request was sent (or failed with `error`): wait `RETRY_S` before another."""
        c = s.websub_subscriptions.c
        async with self.db.begin() as conn:
            await conn.execute(
                update(s.websub_subscriptions)
                .where(c.feed_id == int(feed_id))
                .values(requested_at=now, last_error=error[:2000] if error else None)
            )

    async def deny(self, feed_id: int, now: datetime, reason: str) -> None:
        """Give up on this hub (it denied us, or the URL guard refused it); the feed is polled normally."""
        c = s.websub_subscriptions.c
        async with self.db.begin() as conn:
            await conn.execute(
                update(s.websub_subscriptions)
                .where(c.feed_id == int(feed_id))
                .values(state=DENIED, requested_at=None, last_error=reason[:2000])
            )
            await _poll_now(conn, [int(feed_id)], now)

    async def verify(self, token: str, topic: str, lease_seconds: int, now: datetime) -> Subscription | None:
        """The hub confirms a request we sent: verified with its lease. None when we sent none
        (unknown token, another topic, nothing waiting): the callback then answers 404."""
        c = s.websub_subscriptions.c
        lease = max(60, int(lease_seconds))
        async with self.db.begin() as conn:
            row = (
                await conn.execute(
                    update(s.websub_subscriptions)
                    .where(
                        c.token == token,
                        c.topic == topic,
                        c.requested_at.is_not(None),
                        c.state != DENIED,
                    )
                    .values(
                        state=VERIFIED,
                        verified_at=now,
                        requested_at=None,
                        lease_seconds=lease,
                        lease_expires_at=now + timedelta(seconds=lease),
                        renew_at=now + timedelta(seconds=lease * RENEW_AT),
                        last_error=None,
                    )
                    .returning(*s.websub_subscriptions.c)
                )
            ).first()
        return _row(row) if row is not None else None

    async def drop(self, feed_id: int) -> None:
        """Forget a feed's subscription (its feed no longer names a hub)."""
        async with self.db.begin() as conn:
            await conn.execute(
                delete(s.websub_subscriptions).where(s.websub_subscriptions.c.feed_id == int(feed_id))
            )

    async def pushed(self, feed_id: int, now: datetime) -> None:
        """Note a push that was stored."""
        c = s.websub_subscriptions.c
        async with self.db.begin() as conn:
            await conn.execute(
                update(s.websub_subscriptions).where(c.feed_id == int(feed_id)).values(last_push_at=now)
            )

    async def expire(self, now: datetime) -> builtins.list[int]:
        """Verified subscriptions whose lease has ended become expired; their feeds are due at once."""
        c = s.websub_subscriptions.c
        async with self.db.begin() as conn:
            ids = [
                int(r.feed_id)
                for r in (
                    await conn.execute(
                        update(s.websub_subscriptions)
                        .where(c.state == VERIFIED, c.lease_expires_at <= now)
                        .values(state=EXPIRED)
                        .returning(c.feed_id)
                    )
                ).all()
            ]
            await _poll_now(conn, ids, now)
        return ids


async def _poll_now(conn: Any, feed_ids: builtins.list[int], now: datetime) -> None:
    # Pushes stopped: poll at once instead of waiting out the long WebSub fallback interval.
    if feed_ids:
        f = s.feeds.c
        await conn.execute(
            update(s.feeds).where(f.id.in_(feed_ids), f.next_poll_at > now).values(next_poll_at=now)
        )
