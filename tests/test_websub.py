"""WebSub end to end: a real hub on 127.0.0.1 (written here) subscribes the bot's real callback
server, verifies intent against it, and pushes signed content that is stored through the poller's
own path. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import select

from bot.config import Config, PollConfig, SlackConfig, WebConfig
from bot.ingest.poller import FeedPoller
from bot.ingest.push import WebSubService
from bot.ingest.websub import sign
from bot.jobs import Job, JobScheduler
from bot.storage import schema as s
from bot.storage.db import Database
from bot.storage.feeds import FeedStore, PollRecord
from bot.storage.items import ItemStore
from bot.storage.websub import DENIED, EXPIRED, PENDING, VERIFIED, WebSubStore
from bot.types import Feed, FeedSpec
from bot.web import WebApp
from tests import feedserver as _feedserver_module
from tests.feedserver import FeedServer, atom

feedserver = _feedserver_module.feedserver  # the fixture, used by name below

# Tests allow 127.0.0.1 the way the feed tests do (`allow_hosts`); production config does not.
CONFIG = Config(
    poll=PollConfig(timeout_s=2.0, max_bytes=200_000, interval_s=600, websub_fallback_s=3600),
    web=WebConfig(port=0),
    slack=SlackConfig(allow_hosts=("127.0.0.1",)),
)


# --- a tiny WebSub hub -------------------------------------------------------------------------


@dataclass
class Verification:
    """One intent verification the hub made: what it sent and what the callback answered."""

    callback: str
    topic: str
    challenge: str
    status: int
    body: str


@dataclass
class Subscriber:
    callback: str
    secret: str
    lease_seconds: int


@dataclass
class Hub:
    """Accepts subscribe requests (202), verifies them with a GET to the callback, pushes content."""

    lease_seconds: int = 3600  # what the hub grants, whatever was asked
    verify: bool = True  # False: accept requests but never verify them
    topic_override: str | None = None  # verify with another topic (a forged or confused hub)
    requests: list[dict[str, str]] = field(default_factory=list)
    verifications: asyncio.Queue[Verification] = field(default_factory=asyncio.Queue)
    subscribers: dict[str, Subscriber] = field(default_factory=dict)  # topic -> the verified one
    port: int = 0
    _runner: web.AppRunner | None = None
    _session: aiohttp.ClientSession | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hub"

    async def start(self) -> Hub:
        app = web.Application()
        app.router.add_post("/hub", self._subscribe)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._session = aiohttp.ClientSession()
        return self

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _subscribe(self, request: web.Request) -> web.Response:
        form = {k: str(v) for k, v in (await request.post()).items()}
        self.requests.append(form)
        if self.verify:
            # Asynchronous verification, as most hubs do it: 202 first, the GET afterwards.
            task = asyncio.create_task(self.verify_intent(form))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return web.Response(status=202, text="accepted")

    async def verify_intent(self, form: dict[str, str], *, mode: str = "subscribe") -> Verification:
        topic = self.topic_override or form["hub.topic"]
        challenge = secrets.token_hex(8)
        params = {
            "hub.mode": mode,
            "hub.topic": topic,
            "hub.challenge": challenge,
            "hub.lease_seconds": str(self.lease_seconds),
        }
        assert self._session is not None
        async with self._session.get(form["hub.callback"], params=params) as resp:
            v = Verification(form["hub.callback"], topic, challenge, resp.status, await resp.text())
        if v.status == 200 and v.body == challenge:
            self.subscribers[topic] = Subscriber(form["hub.callback"], form["hub.secret"], self.lease_seconds)
        await self.verifications.put(v)
        return v

    async def deny(self, form: dict[str, str]) -> int:
        assert self._session is not None
        params = {"hub.mode": "denied", "hub.topic": form["hub.topic"], "hub.reason": "not on our list"}
        async with self._session.get(form["hub.callback"], params=params) as resp:
            return resp.status

    async def publish(
        self,
        topic: str,
        body: bytes,
        *,
        method: str = "sha256",
        secret: str | None = None,
        signed: bool = True,
    ) -> tuple[int, str]:
        """POST `body` to the verified subscriber of `topic`, signed with its secret (or `secret`)."""
        sub = self.subscribers[topic]
        headers = {"Content-Type": "application/atom+xml"}
        if signed:
            headers["X-Hub-Signature"] = sign(secret or sub.secret, body, method)
        assert self._session is not None
        async with self._session.post(sub.callback, data=body, headers=headers) as resp:
            return resp.status, await resp.text()


@pytest.fixture
async def hub() -> AsyncIterator[Hub]:
    h = await Hub().start()
    try:
        yield h
    finally:
        await h.stop()


# --- the bot's side: poller, WebSub service, web server ---------------------------------------------


@dataclass
class Bot:
    db: Database
    poller: FeedPoller
    websub: WebSubService
    web: WebApp
    nudges: list[str]


async def _bot(db: Database, config: Config = CONFIG) -> Bot:
    poller = FeedPoller(db, config)
    service = WebSubService(db, config, poller)
    webapp = WebApp(db, config, extensions=[service.extension])
    await webapp.start()
    service.base_url = webapp.url  # port 0: the real one is known only now
    poller.discovered = service.discovered
    nudges: list[str] = []
    service.nudge = nudges.append
    return Bot(db, poller, service, webapp, nudges)


@pytest.fixture
async def bot(db: Database) -> AsyncIterator[Bot]:
    b = await _bot(db)
    try:
        yield b
    finally:
        await b.web.stop()
        await b.websub.close()
        await b.poller.close()


def _atom_with_hub(items: list[tuple[str, str, str]], hub: str, self_url: str) -> str:
    doc = atom(items)
    links = f'<link rel="hub" href="{hub}"/><link rel="self" href="{self_url}"/>'
    return doc.replace("<title>", links + "<title>", 1)


ITEMS = [("g1", "Ministry statement on the port", "The ministry said the port reopened on Monday.")]
PUSHED = [
    ("g1", "Ministry statement on the port", "The ministry said the port reopened on Monday."),
    ("g2", "Port authority: still closed", "The port authority denied that the port reopened."),
]


async def _feed(db: Database, url: str) -> Feed:
    (feed,) = await FeedStore(db, CONFIG.poll).upsert_specs([FeedSpec(url, name="ministry")])
    return feed


async def _guids(db: Database, feed_id: int) -> set[str]:
    async with db.connect() as conn:
        rows = (await conn.execute(select(s.items.c.guid).where(s.items.c.feed_id == feed_id))).all()
    return {r.guid for r in rows}


async def _feed_naming(hub: Hub, feedserver: FeedServer, db: Database) -> tuple[Feed, str]:
    """A stored feed whose document names `hub` (and itself as the topic), not yet polled."""
    topic = feedserver.url("/ministry.atom")
    feedserver.add(
        "/ministry.atom", _atom_with_hub(ITEMS, hub.url, topic), content_type="application/atom+xml"
    )
    return await _feed(db, topic), topic


async def _subscribed(bot: Bot, hub: Hub, feedserver: FeedServer) -> tuple[Feed, str]:
    """Poll a feed that names `hub`, send the subscribe request, wait for the verification."""
    feed, topic = await _feed_naming(hub, feedserver, bot.db)
    outcome = await bot.poller.poll(feed)
    assert outcome.ok and outcome.new == 1
    assert bot.nudges == ["websub"]  # a new hub: the websub job is asked to run now
    sub = await WebSubStore(bot.db).get(feed.id)
    assert sub is not None and sub.state == PENDING and sub.hub == hub.url and sub.topic == topic
    assert await bot.websub.run_due() == 1
    v = await asyncio.wait_for(hub.verifications.get(), 2)
    assert v.status == 200 and v.body == v.challenge
    return feed, topic


# --- tests --------------------------------------------------------------------------------------


async def test_subscribe_verify_and_signed_push_go_through_the_poll_pipeline(
    bot: Bot, hub: Hub, feedserver: FeedServer
) -> None:
    feed, topic = await _subscribed(bot, hub, feedserver)
    (form,) = hub.requests
    sub = await WebSubStore(bot.db).get(feed.id)
    assert sub is not None and sub.state == VERIFIED
    assert form["hub.mode"] == "subscribe" and form["hub.topic"] == topic
    assert form["hub.callback"] == f"{bot.web.url}/websub/{sub.token}"
    assert form["hub.secret"] == sub.secret and form["hub.lease_seconds"] == str(CONFIG.poll.websub_lease_s)
    assert sub.lease_seconds == hub.lease_seconds  # the hub's grant, not our wish
    assert (
        sub.lease_expires_at is not None and sub.renew_at is not None and sub.renew_at < sub.lease_expires_at
    )

    status, _ = await hub.publish(topic, _atom_with_hub(PUSHED, hub.url, topic).encode())
    assert status == 200
    assert await _guids(bot.db, feed.id) == {"g1", "g2"}  # g1 deduplicated against the polled copy
    assert "detect" in bot.nudges  # alerts need not wait for the detector's next tick
    assert await ItemStore(bot.db).has_pending_analysis()
    after = await WebSubStore(bot.db).get(feed.id)
    assert after is not None and after.last_push_at is not None

    # The same document again: stored items are unchanged, nothing new to detect.
    bot.nudges.clear()
    assert (await hub.publish(topic, _atom_with_hub(PUSHED, hub.url, topic).encode(), method="sha1"))[
        0
    ] == 200
    assert bot.nudges == []

    # While the hub pushes, polling is only the fallback: the longer interval.
    now = datetime.now(UTC)
    await FeedStore(bot.db, CONFIG.poll).record_poll(feed.id, PollRecord("not_modified"), now=now)
    polled = await FeedStore(bot.db).get(feed.id)
    assert polled is not None and polled.next_poll_at is not None
    assert polled.next_poll_at - now > timedelta(seconds=3000)


async def test_bad_or_missing_signatures_and_unknown_callbacks_store_nothing(
    bot: Bot, hub: Hub, feedserver: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    feed, topic = await _subscribed(bot, hub, feedserver)
    body = _atom_with_hub([*PUSHED, ("g3", "Forged", "Someone else wrote this.")], hub.url, topic).encode()
    caplog.set_level("INFO", logger="bot.websub")
    status, text = await hub.publish(topic, body, secret="not-the-secret")
    assert status == 202 and text == "bad_signature"  # 2xx: nothing for a forger to learn
    status, _ = await hub.publish(topic, body, signed=False)
    assert status == 202
    assert await _guids(bot.db, feed.id) == {"g1"}
    pushes = [r for r in caplog.records if r.getMessage() == "websub push"]
    assert [r.fields["outcome"] for r in pushes] == ["bad_signature", "bad_signature"]  # type: ignore[attr-defined]
    assert all(r.fields["feed_id"] == feed.id for r in pushes)  # type: ignore[attr-defined]

    async with aiohttp.ClientSession() as http:
        async with http.post(f"{bot.web.url}/websub/no-such-token", data=body) as resp:
            assert resp.status == 410  # tells the hub to drop a subscription we do not hold
        # Signed, but not a feed: refused, logged, the process goes on.
        sub = hub.subscribers[topic]
        garbage = b"<html><body>not a feed</body></html>"
        headers = {"X-Hub-Signature": sign(sub.secret, garbage)}
        async with http.post(sub.callback, data=garbage, headers=headers) as resp:
            assert resp.status == 400
        # Too big: refused before it is read to the end.
        big = b"x" * (CONFIG.poll.max_bytes + 10)
        async with http.post(
            sub.callback, data=big, headers={"X-Hub-Signature": sign(sub.secret, big)}
        ) as resp:
            assert resp.status == 413
    assert await _guids(bot.db, feed.id) == {"g1"}


async def test_a_verification_for_another_topic_or_no_pending_request_gets_404(
    bot: Bot, hub: Hub, feedserver: FeedServer
) -> None:
    hub.verify = False
    feed, _ = await _feed_naming(hub, feedserver, bot.db)
    await bot.poller.poll(feed)
    await bot.websub.run_due()
    (form,) = hub.requests
    hub.topic_override = "https://elsewhere.example/feed"
    wrong = await hub.verify_intent(form)
    assert wrong.status == 404 and wrong.challenge not in wrong.body
    assert (await hub.verify_intent(form, mode="unsubscribe")).status == 404  # we never asked for one
    hub.topic_override = None
    assert (await hub.verify_intent(form)).status == 200
    assert (await hub.verify_intent(form)).status == 404  # verified already: nothing pending any more
    sub = await WebSubStore(bot.db).get(feed.id)
    assert sub is not None and sub.state == VERIFIED


async def test_renewal_at_80_percent_of_the_lease_and_expiry_falls_back_to_polling(
    bot: Bot, hub: Hub, feedserver: FeedServer
) -> None:
    hub.lease_seconds = 100
    feed, topic = await _subscribed(bot, hub, feedserver)
    store = WebSubStore(bot.db)
    first = await store.get(feed.id)
    assert first is not None and first.verified_at is not None
    start = first.verified_at
    assert await bot.websub.run_due(now=start + timedelta(seconds=50)) == 0  # not yet
    assert await bot.websub.run_due(now=start + timedelta(seconds=85)) == 1  # past 80 %
    assert len(hub.requests) == 2 and hub.requests[1]["hub.callback"] == hub.requests[0]["hub.callback"]
    v = await asyncio.wait_for(hub.verifications.get(), 2)
    assert v.status == 200  # a renewal is a pending request too
    renewed = await store.get(feed.id)
    assert renewed is not None and renewed.state == VERIFIED and renewed.verified_at is not None
    assert renewed.verified_at > start and renewed.requested_at is None

    # The hub stops answering: the lease runs out, the feed is due at once, a new request goes out.
    hub.verify = False
    assert renewed.lease_expires_at is not None
    later = renewed.lease_expires_at + timedelta(seconds=1)
    await FeedStore(bot.db).record_poll(feed.id, PollRecord("ok"), now=later - timedelta(seconds=2))
    assert await bot.websub.run_due(now=later) == 1
    expired = await store.get(feed.id)
    assert expired is not None and expired.state == EXPIRED and expired.requested_at == later
    polled = await FeedStore(bot.db).get(feed.id)
    assert polled is not None and polled.next_poll_at == later
    await FeedStore(bot.db, CONFIG.poll).record_poll(feed.id, PollRecord("ok"), now=later)
    polled = await FeedStore(bot.db).get(feed.id)
    assert polled is not None and polled.next_poll_at is not None
    assert polled.next_poll_at - later < timedelta(seconds=700)  # the normal interval again


async def test_a_denied_subscription_is_not_retried_and_polls_normally(
    bot: Bot, hub: Hub, feedserver: FeedServer
) -> None:
    hub.verify = False
    feed, _ = await _feed_naming(hub, feedserver, bot.db)
    await bot.poller.poll(feed)
    await bot.websub.run_due()
    assert await hub.deny(hub.requests[0]) == 200
    sub = await WebSubStore(bot.db).get(feed.id)
    assert sub is not None and sub.state == DENIED and "not on our list" in (sub.last_error or "")
    assert await bot.websub.run_due(now=datetime.now(UTC) + timedelta(days=30)) == 0
    # Polled again: the same hub changes nothing; no second request.
    await bot.poller.poll(feed)
    assert len(hub.requests) == 1


async def test_discovery_from_the_link_header(bot: Bot, hub: Hub, feedserver: FeedServer) -> None:
    canonical = "https://news.example.org/ministry.xml"
    url = feedserver.add(
        "/plain.atom",
        atom(ITEMS),
        content_type="application/atom+xml",
        headers={"Link": f'<{hub.url}>; rel="hub", <{canonical}>; rel="self"'},
    )
    feed = await _feed(bot.db, url)
    assert (await bot.poller.poll(feed)).ok
    sub = await WebSubStore(bot.db).get(feed.id)
    assert sub is not None and (sub.hub, sub.topic) == (hub.url, canonical)
    # Polled again with the same links: one row, same token; no new subscription.
    bot.nudges.clear()
    await bot.poller.poll(feed)
    again = await WebSubStore(bot.db).get(feed.id)
    assert again is not None and again.token == sub.token and bot.nudges == []


async def test_the_url_guard_refuses_a_hub_on_a_private_address(
    db: Database, hub: Hub, feedserver: FeedServer
) -> None:
    # Production config: no allow_hosts. The feed itself is from the config file (fetched
    # unguarded, as config feeds are), but the hub it names is untrusted text: guarded.
    production = replace(CONFIG, slack=SlackConfig())
    b = await _bot(db, production)
    try:
        feed, _ = await _feed_naming(hub, feedserver, db)
        assert (await b.poller.poll(feed)).ok
        assert await b.websub.run_due() == 1
        assert hub.requests == []  # never contacted
        sub = await WebSubStore(db).get(feed.id)
        assert sub is not None and sub.state == DENIED and "refused" in (sub.last_error or "")
        assert await b.websub.run_due() == 0  # not retried
    finally:
        await b.web.stop()
        await b.websub.close()
        await b.poller.close()


async def test_a_push_nudges_the_detect_job_to_run_now() -> None:
    ran: list[str] = []
    gate = asyncio.Event()

    async def detect() -> None:
        ran.append("detect")
        await gate.wait()

    jobs = JobScheduler()
    jobs.add(Job("detect", 3600, detect, start_now=False))
    jobs.start()
    try:
        jobs.run_soon("detect")
        await asyncio.sleep(0.05)
        assert ran == ["detect"]
        jobs.run_soon("detect")  # while running: once more when it ends, not twice at once
        jobs.run_soon("detect")
        gate.set()
        await asyncio.sleep(0.05)
        assert ran == ["detect", "detect"]
        jobs.run_soon("no-such-job")
    finally:
        await jobs.shutdown(1)


async def test_websub_needs_base_url_and_the_web_server(sqlite_db: Database) -> None:
    from bot.app import Pipeline, _websub
    from bot.ingest.scheduler import DuePoller

    for config, on in (
        (CONFIG, False),  # no base_url
        (replace(CONFIG, web=replace(CONFIG.web, base_url="https://factbot.example.org")), True),
        (replace(CONFIG, web=WebConfig(port=0, base_url="https://x.example", enabled=False)), False),
        (
            replace(
                CONFIG,
                web=replace(CONFIG.web, base_url="https://factbot.example.org"),
                poll=replace(CONFIG.poll, websub=False),
            ),
            False,
        ),
    ):
        pipeline: Any = Pipeline(config, sqlite_db, {})
        poller = DuePoller(sqlite_db, config, owner="t")
        service = _websub(pipeline, poller)
        assert (service is not None) == on
        if service is not None:
            assert service.callback_url("tok") == "https://factbot.example.org/websub/tok"
            await service.close()
        await poller.close()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_factbot_run_subscribes_and_a_pushed_denial_alerts_within_seconds(
    hub: Hub, feedserver: FeedServer, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole process: `factbot run` polls, finds the hub, subscribes through its own web server,
    and the President's denial arrives by push, not by poll; the alert follows within seconds."""
    from bot import app
    from bot.config import parse_config
    from bot.demo import DemoFeedServer, demo_dir, feed_for_round

    demo = DemoFeedServer(demo_dir())
    await demo.start()  # round 1: the agency's claim
    presidency = (demo_dir() / "presidency.xml").read_bytes()
    topic = feedserver.url("/presidency.atom")

    def doc(round_no: int) -> str:
        body = feed_for_round(presidency, round_no).decode()
        return body.replace(
            "<title>", f'<link rel="hub" href="{hub.url}"/><link rel="self" href="{topic}"/><title>', 1
        )

    feedserver.add("/presidency.atom", doc(1), content_type="application/atom+xml")
    port = _free_port()
    config = parse_config(
        {
            "database": {"url": f"sqlite:///{tmp_path}/run.db"},
            "alerts": {"max_age_days": 0},
            "poll": {"timeout": "5s"},
            "web": {"port": port, "base_url": f"http://127.0.0.1:{port}"},
            "slack": {"allow_hosts": ["127.0.0.1"]},
            "feeds": [
                {
                    "url": demo.base_url + "/ice-newsroom.xml",
                    "kind": "official",
                    "actor": "U.S. Immigration and Customs Enforcement",
                },
                {"url": topic, "kind": "official", "actor": "Claudia Sheinbaum"},
            ],
        }
    )
    stop = asyncio.Event()
    task = asyncio.create_task(app.run(config, stop=stop, chat=False))
    watcher = Database(config.database.url)
    try:
        v = await asyncio.wait_for(hub.verifications.get(), 30)
        assert v.status == 200 and v.topic == topic
        for _ in range(600):  # the first detector run loads its models: up to a minute
            if not await ItemStore(watcher).has_pending_analysis():
                break
            await asyncio.sleep(0.1)
        assert "[alert #" not in capsys.readouterr().out  # a claim alone is not a dispute
        polls = feedserver.hits["/presidency.atom"]

        loop = asyncio.get_running_loop()
        pushed_at = loop.time()
        assert (await hub.publish(topic, doc(2).encode()))[0] == 200
        seen = ""
        while loop.time() - pushed_at < 15 and "[alert #" not in seen:
            seen += capsys.readouterr().out
            await asyncio.sleep(0.1)
        assert "[alert #" in seen, "the pushed denial did not alert"
        assert feedserver.hits["/presidency.atom"] == polls  # it came by push, not by a poll
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=60)
        await watcher.close()
        await demo.stop()
    assert task.exception() is None


async def test_a_feed_that_stops_naming_its_hub_loses_the_subscription(
    bot: Bot, hub: Hub, feedserver: FeedServer
) -> None:
    feed, topic = await _subscribed(bot, hub, feedserver)
    feedserver.add("/ministry.atom", atom(PUSHED), content_type="application/atom+xml")  # no hub any more
    assert (await bot.poller.poll(feed)).new == 1
    assert await WebSubStore(bot.db).get(feed.id) is None
    status, _ = await hub.publish(topic, atom([("g9", "Late", "Pushed after the hub was dropped.")]).encode())
    assert status == 410  # the hub is told to drop us too
    assert "g9" not in await _guids(bot.db, feed.id)
    now = datetime.now(UTC)
    await FeedStore(bot.db, CONFIG.poll).record_poll(feed.id, PollRecord("ok"), now=now)
    polled = await FeedStore(bot.db).get(feed.id)
    assert polled is not None and polled.next_poll_at is not None
    assert polled.next_poll_at - now < timedelta(seconds=700)  # the normal interval
