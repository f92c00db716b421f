"""WebSub push inside `factbot run`: subscribing to hubs, answering their callbacks, storing pushes.

    websub = WebSubService(db, config, due_poller.poller)      # the poller's write path
    web = WebApp(db, config, extensions=[websub.extension])     # /websub/<token>, public
    due_poller.poller.discovered = websub.discovered            # polls report the hubs they see
    jobs.add(Job("websub", WEBSUB_EVERY_S, websub.run_due))     # requests, renewals, expiry
    websub.nudge = jobs.run_soon                                # "detect" after a push

Only on when `[web] base_url` is set (the hub must reach our callback) and the web server
runs; `bot.app.run` decides. Protocol pieces live in `bot.ingest.websub`, rows in
`bot.storage.websub`.

The callback (`/websub/<token>`, the token opaque and per subscription):

- GET, intent verification: 200 with `hub.challenge` only when `hub.topic` is the topic of a
  request we sent on this callback and are waiting on (new or renewal); 404 otherwise.
- GET with `hub.mode=denied`: the subscription is marked denied and the feed polled normally.
- POST, content distribution: the body (at most `[poll] max_bytes`) must carry a valid
  `X-Hub-Signature` HMAC with our secret. A missing or bad signature is answered 202 and the
  body is dropped unread by anything else: the spec allows a 2xx, and answering like a success
  gives someone guessing signatures nothing to learn (the log records it). A signed body goes
  through `FeedPoller.save_document`, the poller's own parse-and-store path, so dedupe,
  revisions, detection and delivery are the same as for a poll; then detection is nudged so
  an alert reaches chat within seconds instead of at the next detector tick.
- Unknown token: 410 Gone, which tells a hub to drop a subscription we no longer hold (a
  removed feed, a replaced hub).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from aiohttp import web

from bot import metrics
from bot.config import Config
from bot.ingest.parse import FeedParseError
from bot.ingest.poller import FeedPoller, allow_hosts
from bot.ingest.websub import Discovery, HubClient, verify_signature
from bot.logging import kv
from bot.storage.db import Database
from bot.storage.feeds import FeedStore
from bot.storage.websub import VERIFIED, Subscription, WebSubStore
from bot.types import Feed

if TYPE_CHECKING:
    from bot.web import WebApp

__all__ = ["CALLBACK_PREFIX", "WebSubService"]

log = logging.getLogger("bot.websub")
CALLBACK_PREFIX = "/websub/"
MAX_CHALLENGE = 1024  # we echo the challenge: a hub needs no more, and we reflect no megabytes


class WebSubService:
    """Subscriptions, callbacks and pushes for one process (see the module docstring)."""

    def __init__(self, db: Database, config: Config, poller: FeedPoller) -> None:
        self.db, self.config, self.poller = db, config, poller
        self.store = WebSubStore(db)
        self.feeds = FeedStore(db, config.poll)
        self.base_url = (config.web.base_url or "").rstrip("/")
        self.client = HubClient(
            user_agent=config.poll.user_agent,
            timeout_s=config.poll.timeout_s,
            allow_hosts=allow_hosts(config),
        )
        # Run a job of `bot.jobs` now ("websub" after a discovery, "detect" after a push).
        self.nudge: Callable[[str], object] | None = None
        # feed id -> (hub, topic) as stored: a poll that finds the same hub writes nothing.
        self._known: dict[int, tuple[str, str]] | None = None

    # --- wiring --------------------------------------------------------------------------------

    def routes(self) -> web.RouteTableDef:
        """The callback routes (register with `public=True`: the hub's signature is the auth)."""
        r = web.RouteTableDef()
        r.get(CALLBACK_PREFIX + "{token}", name="websub_verify")(self.handle_verify)
        r.post(CALLBACK_PREFIX + "{token}", name="websub_push")(self.handle_push)
        return r

    def extension(self, app: WebApp) -> None:
        """A `bot.web` extension: adds the callback routes before the server starts."""
        app.add_routes(self.routes(), public=True)

    def callback_url(self, token: str) -> str:
        """Where the hub calls us back for one subscription."""
        return f"{self.base_url}{CALLBACK_PREFIX}{token}"

    def _nudge(self, job: str) -> None:
        if self.nudge is not None:
            try:
                self.nudge(job)
            except Exception as e:  # a missed nudge only means the job's next regular run
                log.warning("websub nudge failed", extra=kv(job=job, error=f"{type(e).__name__}: {e}"))

    async def close(self) -> None:
        """Close the hub client's HTTP session."""
        await self.client.close()

    # --- discovery and subscribing ---------------------------------------------------------------

    async def discovered(self, feed: Feed, found: Discovery | None) -> None:
        """A poll saw the feed advertise `found` (the poller's `discovered` hook).

        A feed that stops naming a hub loses its subscription (not renewed, pushes answered
        410, polled at its normal interval again); a new hub or topic starts a new one.
        """
        if self._known is None:
            self._known = await self.store.known()
        if found is None:
            if self._known.pop(feed.id, None) is not None:
                await self.store.drop(feed.id)
                log.info("websub hub no longer advertised: subscription dropped", extra=kv(feed_id=feed.id))
            return
        key = (found.hub, found.topic)
        if self._known.get(feed.id) == key:
            return
        fresh = await self.store.discovered(feed.id, found.hub, found.topic, datetime.now(UTC))
        self._known[feed.id] = key
        if fresh:
            log.info("websub hub found", extra=kv(feed_id=feed.id, hub=found.hub, topic=found.topic))
            self._nudge("websub")

    async def run_due(self, now: datetime | None = None) -> int:
        """The periodic job: expire ended leases, send due (re)subscribe requests; how many were sent.

        One replica at a time (the hubs would otherwise get each request once per replica).
        """
        async with self.db.exclusive("websub") as mine:
            if not mine:
                return 0
            now = now or datetime.now(UTC)
            # Re-read the discovery cache now and then: another replica (or a removed feed whose
            # id came back) may have changed rows under it.
            self._known = await self.store.known()
            for feed_id in await self.store.expire(now):
                log.info("websub lease expired: polling the feed again", extra=kv(feed_id=feed_id))
            due = await self.store.due(now)
            for sub in due:
                await self.subscribe(sub, now)
            return len(due)

    async def subscribe(self, sub: Subscription, now: datetime) -> bool:
        """Send one subscribe request (new or renewal); True when the hub accepted it."""
        if not self.base_url:
            return False
        # Recorded before the request: some hubs verify before they answer it.
        await self.store.requested(sub.feed_id, now)
        answer = await self.client.request(
            sub.hub,
            mode="subscribe",
            topic=sub.topic,
            callback=self.callback_url(sub.token),
            secret=sub.secret,
            lease_seconds=self.config.poll.websub_lease_s,
        )
        fields = {
            "feed_id": sub.feed_id,
            "hub": sub.hub,
            "topic": sub.topic,
            "renewal": sub.state == VERIFIED,
        }
        if answer.ok:
            log.info("websub subscribe sent", extra=kv(**fields, http=answer.status))
            return True
        if (answer.error or "").startswith("refused:"):
            # The URL guard refused the hub (a private address): asking again would not help.
            await self.store.deny(sub.feed_id, now, answer.error or "refused")
            log.warning("websub hub refused", extra=kv(**fields, error=answer.error))
            return False
        await self.store.requested(sub.feed_id, now, error=answer.error)
        log.warning("websub subscribe failed", extra=kv(**fields, http=answer.status, error=answer.error))
        return False

    # --- the callback ----------------------------------------------------------------------------

    async def handle_verify(self, request: web.Request) -> web.StreamResponse:
        """GET /websub/<token>: the hub verifies our intent, or tells us we were denied."""
        token = request.match_info["token"]
        q = request.query
        mode, topic = q.get("hub.mode", ""), q.get("hub.topic", "")
        now = datetime.now(UTC)
        if mode == "subscribe":
            challenge = q.get("hub.challenge", "")
            lease = _int(q.get("hub.lease_seconds")) or self.config.poll.websub_lease_s
            sub = None
            if challenge and len(challenge) <= MAX_CHALLENGE:
                sub = await self.store.verify(token, topic, lease, now)
            if sub is None:
                log.warning("websub verification refused", extra=kv(mode=mode, topic=topic))
                return web.Response(status=404, text="no such pending subscription")
            log.info(
                "websub subscription verified",
                extra=kv(feed_id=sub.feed_id, topic=topic, lease_s=sub.lease_seconds, renew_at=sub.renew_at),
            )
            return web.Response(text=challenge, content_type="text/plain")
        if mode == "denied":
            sub = await self.store.by_token(token)
            if sub is None or sub.topic != topic:
                return web.Response(status=404, text="no such subscription")
            reason = q.get("hub.reason", "") or "denied by the hub"
            await self.store.deny(sub.feed_id, now, f"denied: {reason}")
            log.warning("websub subscription denied", extra=kv(feed_id=sub.feed_id, reason=reason[:200]))
            return web.Response(text="ok", content_type="text/plain")
        # Unsubscribe (we never ask for one) and anything else: not an intent of ours.
        log.warning("websub verification refused", extra=kv(mode=mode[:20], topic=topic[:300]))
        return web.Response(status=404, text="no such pending subscription")

    async def handle_push(self, request: web.Request) -> web.StreamResponse:
        """POST /websub/<token>: content distribution. Never raises (a bad push must not hurt us)."""
        start = time.perf_counter()
        token = request.match_info["token"]
        feed_id: int | None = None
        outcome, new, changed, entries, status = "error", 0, 0, 0, 500
        try:
            outcome, status, feed_id, (entries, new, changed) = await self._push(request, token)
        except Exception as e:  # storage trouble: a 5xx, so the hub delivers again later
            log.exception("websub push failed", extra=kv(feed_id=feed_id, error=f"{type(e).__name__}: {e}"))
        metrics.record_push(outcome, new, changed)
        ms = int((time.perf_counter() - start) * 1000)
        level = logging.INFO if outcome in ("stored", "ignored") else logging.WARNING
        log.log(
            level,
            "websub push",
            extra=kv(
                feed_id=feed_id,
                outcome=outcome,
                http=status,
                entries=entries,
                new=new,
                changed=changed,
                ms=ms,
            ),
        )
        return web.Response(status=status, text=outcome, content_type="text/plain")

    async def _push(
        self, request: web.Request, token: str
    ) -> tuple[str, int, int | None, tuple[int, int, int]]:
        """(outcome, HTTP status, feed id, (entries, new, changed)) of one push."""
        none = (0, 0, 0)
        sub = await self.store.by_token(token)
        if sub is None:
            return "unknown", 410, None, none
        body = await _read_limited(request, self.config.poll.max_bytes)
        if body is None:
            return "too_large", 413, sub.feed_id, none
        if not verify_signature(sub.secret, body, request.headers.get("X-Hub-Signature")):
            return "bad_signature", 202, sub.feed_id, none
        feed = await self.feeds.get(sub.feed_id)
        if feed is None or not feed.enabled:
            return "ignored", 202, sub.feed_id, none
        try:
            parsed, saved = await self.poller.save_document(
                feed, body, sub.topic, request.headers.get("Content-Type")
            )
        except FeedParseError as e:
            log.warning("websub push unreadable", extra=kv(feed_id=feed.id, error=str(e)[:300]))
            return "unreadable", 400, feed.id, none
        await self.store.pushed(feed.id, datetime.now(UTC))
        if saved.new or saved.changed:
            self._nudge("detect")
        return "stored", 200, feed.id, (len(parsed.entries), len(saved.new), len(saved.changed))


async def _read_limited(request: web.Request, limit: int) -> bytes | None:
    """The raw request body, or None past `limit` bytes (read from the stream: the web app's own
    64 KiB cap on `request.read()` is for forms, and a feed document may be bigger)."""
    if request.content_length is not None and request.content_length > limit:
        return None
    body = bytearray()
    async for chunk in request.content.iter_chunked(64 * 1024):
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def _int(value: str | None) -> int | None:
    try:
        n = int((value or "").strip())
    except ValueError:
        return None
    return n if n > 0 else None
