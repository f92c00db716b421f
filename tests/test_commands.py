"""Chat commands through real parts: the database, the search index, a feed server on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, update

from bot import commands
from bot.alerts.dispatcher import Dispatcher
from bot.alerts.sender import DeliveryError, FailureKind
from bot.config import Config, SlackConfig
from bot.storage import outbox
from bot.storage import schema as s
from bot.storage.db import Database
from bot.types import DisputeStatus, FeedKind
from tests.test_dispatcher import FakePlatform
from tests.test_outbox import T0, add_denial, make_story, rows

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Ministry press office</title><link>https://ministry.example/</link>
<description>Statements</description>
<item><title>Ministry announces new port inspections</title><link>https://ministry.example/1</link>
<guid>m-1</guid><pubDate>Wed, 14 May 2025 10:00:00 GMT</pubDate><description>Inspections start Monday.</description></item>
</channel></rss>"""


@pytest.fixture
async def feed_server() -> AsyncIterator[str]:
    """A feed server on 127.0.0.1: /rss (a feed), /page (HTML), /gone (404), /to-private (redirect)."""

    async def rss(_: web.Request) -> web.Response:
        return web.Response(body=RSS, content_type="application/rss+xml")

    async def page(_: web.Request) -> web.Response:
        return web.Response(
            text="<html><body><p>Just a page, no feed here.</p></body></html>", content_type="text/html"
        )

    async def gone(_: web.Request) -> web.Response:
        return web.Response(status=404)

    async def to_private(request: web.Request) -> web.Response:
        # Redirect to the same server by a name that is not allow-listed: must be refused.
        raise web.HTTPFound(f"http://localhost:{request.url.port}/rss")

    app = web.Application()
    app.router.add_get("/rss", rss)
    app.router.add_get("/page", page)
    app.router.add_get("/gone", gone)
    app.router.add_get("/to-private", to_private)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


ALLOW_LOCAL = Config(slack=SlackConfig(allow_hosts=("127.0.0.1",)))


# --- parsing --------------------------------------------------------------------------------


def test_parse_dispute_args() -> None:
    assert commands.parse_dispute_args("  ice   sinaloa ") == commands.DisputeQuery("ice sinaloa")
    assert commands.parse_dispute_args("") == commands.DisputeQuery("")
    assert commands.parse_dispute_args(None) == commands.DisputeQuery("")
    help_ = commands.parse_dispute_args("HELP")
    assert isinstance(help_, commands.Help) and "/dispute" in help_.text and not help_.error


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("feeds add https://a.example/rss", commands.FeedsAdd("https://a.example/rss")),
        ("feeds add <https://a.example/rss|a.example/rss> news", commands.FeedsAdd("https://a.example/rss")),
        (
            'feeds add https://a.example/rss official "US ICE"',
            commands.FeedsAdd("https://a.example/rss", FeedKind.OFFICIAL, "US ICE"),
        ),
        (
            "feeds add https://a.example/rss official Claudia Sheinbaum",
            commands.FeedsAdd("https://a.example/rss", FeedKind.OFFICIAL, "Claudia Sheinbaum"),
        ),
        ("feeds list", commands.FeedsList()),
        ("feeds remove 12", commands.FeedsRemove("12")),
        ("Status", commands.StatusCommand()),
        ("resume slack:C0ALERTS", commands.ResumeCommand("slack:C0ALERTS")),
        ("RESUME <#C0ALERTS|alerts>", commands.ResumeCommand("<#C0ALERTS|alerts>")),
    ],
)
def test_parse_factbot_args(text: str, expected: object) -> None:
    assert commands.parse_factbot_args(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("feeds add", "needs a feed URL"),
        ("feeds add https://a.example/rss official", "needs the actor"),
        ("feeds add https://a.example/rss blog", "Unknown feed kind"),
        ("feeds remove", "one feed URL or id"),
        ("feeds purge", "Unknown feeds command"),
        ("deploy", "Unknown command"),
        ("status now", "takes no arguments"),
        ("resume", "needs one destination"),
        ("resume slack:C1 slack:C2", "needs one destination"),
    ],
)
def test_parse_factbot_args_usage_errors(text: str, says: str) -> None:
    got = commands.parse_factbot_args(text)
    assert isinstance(got, commands.Help) and got.error
    assert says in got.text and "Usage:" in got.text


def test_usage_lists_resume() -> None:
    help_ = commands.parse_factbot_args("help")
    assert isinstance(help_, commands.Help) and "/factbot resume <destination>" in help_.text


@given(st.text(max_size=80))
def test_parse_factbot_args_never_raises(text: str) -> None:
    got = commands.parse_factbot_args(text)
    assert isinstance(
        got,
        commands.FeedsAdd
        | commands.FeedsList
        | commands.FeedsRemove
        | commands.StatusCommand
        | commands.ResumeCommand
        | commands.Help,
    )


# --- search and feedback ---------------------------------------------------------------------


async def test_search_finds_the_story_and_empty_means_latest(db: Database) -> None:
    first, _ = await make_story(db, [])
    other, _ = await make_story(db, [], speaker="Coast Guard")
    found = await commands.search_disputes(db, "border agency raid")
    assert found and found[0].id == first
    assert [d.id for d in await commands.search_disputes(db, "coast guard")][:1] == [other]
    assert await commands.search_disputes(db, "zzzunrelatedzzz") == []
    latest = await commands.search_disputes(db, "   ")
    assert {d.id for d in latest} == {first, other}


async def test_search_prefers_the_recent_story_on_equal_relevance(db: Database) -> None:
    old, _ = await make_story(db, [], speaker="Harbour Police")
    new, _ = await make_story(db, [], speaker="Harbour Police Unit")
    async with db.begin() as conn:
        now = datetime.now(UTC)
        await conn.execute(
            update(s.disputes).where(s.disputes.c.id == old).values(updated_at=now - timedelta(days=90))
        )
        await conn.execute(update(s.disputes).where(s.disputes.c.id == new).values(updated_at=now))
    found = await commands.search_disputes(db, "harbour police", limit=2)
    assert [d.id for d in found] == [new, old]


async def test_not_a_dispute_stops_alerts_and_is_kept_as_an_example(db: Database) -> None:
    platform = FakePlatform()
    d = Dispatcher(db, {"chat": platform})
    dispute_id, _ = await make_story(db, ["chat:C1"])
    await d.dispatch_pending(now=T0)
    result = await commands.record_feedback(db, dispute_id, "not_a_dispute", "U42", "slack")
    assert (
        result.stops_alerts
        and result.dispute.status is DisputeStatus.DISMISSED
        and "not a dispute" in str(result)
    )
    await add_denial(db, dispute_id, ["chat:C1"])
    await d.dispatch_pending(now=T0 + timedelta(hours=3))
    assert len(platform.posts) == 1  # nothing after the verdict
    async with db.connect() as conn:
        fb = (
            await conn.execute(select(s.feedback.c.verdict, s.feedback.c.user_id, s.feedback.c.platform))
        ).all()
    assert [tuple(r) for r in fb] == [("not_a_dispute", "U42", "slack")]
    assert all(r.status in ("sent", "skipped") for r in await rows(db))
    assert dispute_id not in [x.id for x in await commands.search_disputes(db, "border agency")]


async def test_mute_and_confirm_and_bad_input(db: Database) -> None:
    dispute_id, _ = await make_story(db, [])
    assert (
        await commands.record_feedback(db, dispute_id, "confirmed", "U1", "discord")
    ).dispute.status is DisputeStatus.CONFIRMED
    muted = await commands.record_feedback(db, dispute_id, "mute", "U2", "discord", user_is_admin=True)
    assert muted.verdict == "muted" and muted.dispute.status is DisputeStatus.MUTED and muted.stops_alerts
    with pytest.raises(ValueError, match="unknown verdict"):
        await commands.record_feedback(db, dispute_id, "lol", "U3", "slack")
    with pytest.raises(KeyError):
        await commands.record_feedback(db, 999_999, "confirmed", "U3", "slack")


# --- feeds --------------------------------------------------------------------------------


async def test_add_feed_checks_then_saves(db: Database, feed_server: str) -> None:
    refused = await commands.add_feed(
        db, ALLOW_LOCAL, f"{feed_server}/rss", "news", None, user_is_admin=False
    )
    assert not refused.ok and "admin" in str(refused)
    added = await commands.add_feed(
        db, ALLOW_LOCAL, f"{feed_server}/rss", "official", "Ministry of Ports", user_is_admin=True, user="U1"
    )
    assert added.ok and added.feed is not None and added.entries == 1, added.message
    assert (added.feed.kind, added.feed.actor, added.feed.name) == (
        FeedKind.OFFICIAL,
        "Ministry of Ports",
        "Ministry press office",
    )
    again = await commands.add_feed(db, ALLOW_LOCAL, f"{feed_server}/rss", user_is_admin=True)
    assert not again.ok and "Already watching" in again.message
    assert [f.url for f in await commands.list_feeds(db)] == [f"{feed_server}/rss"]


@pytest.mark.parametrize(
    ("path", "says"),
    [("/page", "not a feed"), ("/gone", "HTTP 404"), ("/to-private", "non-public")],
)
async def test_add_feed_refuses_what_does_not_parse_or_redirects_inside(
    sqlite_db: Database, feed_server: str, path: str, says: str
) -> None:
    got = await commands.add_feed(sqlite_db, ALLOW_LOCAL, feed_server + path, user_is_admin=True)
    assert not got.ok and says in got.message, got.message
    assert await commands.list_feeds(sqlite_db) == []


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("ftp://files.example/feed.xml", "only http"),
        ("http://127.0.0.1:9/feed", "non-public"),
        ("http://localhost/feed", "non-public"),
        ("http://10.1.2.3/feed", "non-public"),
        ("http://[::1]/feed", "non-public"),
        ("http://169.254.169.254/latest/meta-data/", "non-public"),
        ("http://metadata.google.internal/computeMetadata/v1/", "metadata"),
        ("http://[::ffff:192.168.0.1]/rss", "non-public"),
    ],
)
async def test_add_feed_refuses_private_targets(sqlite_db: Database, url: str, says: str) -> None:
    got = await commands.add_feed(sqlite_db, Config(), url, user_is_admin=True)
    assert not got.ok and says in got.message, got.message


async def test_official_feed_needs_an_actor(sqlite_db: Database) -> None:
    got = await commands.add_feed(
        sqlite_db, Config(), "https://a.example/rss", "official", " ", user_is_admin=True
    )
    assert not got.ok and "actor" in got.message


async def test_remove_list_status_and_run_factbot(db: Database, feed_server: str) -> None:
    a = await commands.add_feed(db, ALLOW_LOCAL, f"{feed_server}/rss", user_is_admin=True)
    assert a.feed is not None
    listing = await commands.run_factbot(db, ALLOW_LOCAL, "feeds list", user_is_admin=True)
    assert f"{feed_server}/rss" in listing and "Ministry press office" in listing
    assert "only factbot admins" in await commands.run_factbot(
        db, ALLOW_LOCAL, "feeds list", user_is_admin=False
    )
    assert "Usage:" in await commands.run_factbot(db, ALLOW_LOCAL, "feeds zap", user_is_admin=False)

    # A failing feed, a paused destination and a queued alert show in the status.
    async with db.begin() as conn:
        await conn.execute(
            update(s.feeds)
            .where(s.feeds.c.id == a.feed.id)
            .values(consecutive_failures=3, last_error="HTTP 503", last_poll_at=T0)
        )
        await outbox.pause_destination(conn, "slack:C1", reason="is_archived", now=T0)
    await make_story(db, ["slack:C1"])
    report = await commands.status(db)
    assert (report.feeds, report.pending_alerts, report.disputes, report.last_poll_at) == (
        3,
        1,
        1,
        T0,
    )  # +2 story feeds
    assert [f.id for f in report.failing] == [a.feed.id]
    text = str(report)
    assert "HTTP 503" in text and "slack:C1 (is_archived)" in text and "alerts waiting: 1" in text
    assert "1 alert kept" in text and "/factbot resume" in text
    assert replace(report, pending_alerts=0).pending_alerts == 0  # frozen data, copied not mutated

    assert await commands.remove_feed(db, str(a.feed.id))
    assert not await commands.remove_feed(db, f"{feed_server}/rss")
    assert f"{feed_server}/rss" not in [f.url for f in await commands.list_feeds(db)]


# --- destinations ----------------------------------------------------------------------------


async def test_a_paused_destination_is_listed_then_resumed_and_its_alerts_go_out(db: Database) -> None:
    """Through the real dispatcher: a refused channel pauses, `resume` sends what was kept."""
    platform = FakePlatform(fail=[DeliveryError(FailureKind.PAUSE, "channel_not_found")])
    d = Dispatcher(db, {"chat": platform}, notify_admin=lambda text: asyncio.sleep(0))
    await make_story(db, ["chat:C1", "chat:C2"])
    await make_story(db, ["chat:C1"], speaker="Navy")
    await d.dispatch_pending(now=T0)
    paused = "chat:C1" if platform.posts[0].destination == "C2" else "chat:C2"
    active = "chat:C2" if paused == "chat:C1" else "chat:C1"

    listed = {x.name: x for x in await commands.list_destinations(db, ["chat:C1", "console:stdout"])}
    assert set(listed) == {"chat:C1", "chat:C2", "console:stdout"}  # the outbox's and the configured
    assert listed[paused].paused and listed[paused].reason == "channel_not_found"
    assert listed[paused].since is not None and listed[paused].pending >= 1
    assert not listed[active].paused and listed[active].pending == 0
    assert listed["console:stdout"] == commands.DestinationInfo("console:stdout")

    report = await commands.status(db)
    assert [x.name for x in report.paused_destinations] == [paused]
    text = str(report)
    assert f"paused: {paused} (channel_not_found) since" in text
    assert "/factbot resume <destination>" in text and "factbot destinations resume" in text

    kept = listed[paused].pending
    result = await commands.resume_destination(db, paused, user="U0BOSS")
    assert result.ok and result.known and paused in str(result) and f"{kept} kept alert" in str(result)
    assert result.destination is not None and not result.destination.paused
    assert "paused:" not in str(await commands.status(db))
    before = len(platform.posts)
    sent = await d.dispatch_pending(now=T0 + timedelta(hours=1))
    assert sent.sent == kept and len(platform.posts) == before + kept
    assert {c.destination for c in platform.posts[before:]} == {paused.partition(":")[2]}

    again = await commands.resume_destination(db, paused)
    assert not again.ok and again.known and "is not paused" in str(again)


async def test_resume_finds_the_destination_by_id_or_channel_link_and_refuses_unknown_names(
    db: Database,
) -> None:
    async with db.begin() as conn:
        await outbox.pause_destination(conn, "slack:C0ALERTS", reason="not_in_channel", now=T0)
        await outbox.pause_destination(conn, "discord:1234", reason="403 Forbidden", now=T0)
        await outbox.pause_destination(conn, "slack:1234", reason="is_archived", now=T0)
    r = await commands.resume_destination(db, "<#C0ALERTS|fact-alerts>")
    assert r.ok and r.destination is not None and r.destination.name == "slack:C0ALERTS"
    ambiguous = await commands.resume_destination(db, "<#1234>")
    assert not ambiguous.known and "discord:1234" in str(ambiguous) and "slack:1234" in str(ambiguous)
    assert (await commands.resume_destination(db, "DISCORD:1234")).ok  # case of the prefix
    unknown = await commands.resume_destination(db, "slack:CNOPE")
    assert not unknown.ok and not unknown.known
    assert "No destination `slack:CNOPE`" in str(unknown) and "slack:C0ALERTS" in str(unknown)
    assert not (await commands.resume_destination(db, "   ")).known
    async with db.connect() as conn:  # an unknown name is not created as a side effect
        names = set((await conn.execute(select(s.destinations.c.name))).scalars())
    assert names == {"slack:C0ALERTS", "discord:1234", "slack:1234"}
    paused = [x.name for x in await commands.list_destinations(db) if x.paused]
    assert paused == ["slack:1234"]


async def test_run_factbot_resume_is_for_admins_only(db: Database) -> None:
    async with db.begin() as conn:
        await outbox.pause_destination(conn, "slack:C1", reason="is_archived", now=T0)
    refused = await commands.run_factbot(db, ALLOW_LOCAL, "resume slack:C1", user_is_admin=False)
    assert "only factbot admins" in refused
    assert [x.name for x in (await commands.status(db)).paused_destinations] == ["slack:C1"]
    answer = await commands.run_factbot(db, ALLOW_LOCAL, "resume C1", user_is_admin=True, user="U0BOSS")
    assert answer.startswith("Resumed slack:C1")
    assert (await commands.status(db)).paused_destinations == ()
    configured = await commands.run_factbot(
        db, ALLOW_LOCAL, "resume slack:C9", user_is_admin=True, destinations=["slack:C9"]
    )
    assert "slack:C9 is not paused" in configured


async def test_resume_queues_alerts_given_up_after_a_long_outage(db: Database) -> None:
    """The issue's lost alert: a week of 5xx sets it aside; `/factbot resume` sends it after all."""
    platform = FakePlatform(fail=[DeliveryError(FailureKind.RETRY, "503")] * 1000)
    d = Dispatcher(db, {"chat": platform}, give_up_after_s=3600, backoff_cap_s=600)
    await make_story(db, ["chat:C1"])
    for n in range(12):
        await d.dispatch_pending(now=T0 + timedelta(minutes=10 * n))
    report = await commands.status(db)
    assert report.dead_alerts == 1 and "/factbot resume" in str(report)
    [failing] = report.failing_destinations
    assert failing.name == "chat:C1" and failing.dead == 1 and "failing since" in str(failing)

    platform.fail.clear()
    answer = await commands.run_factbot(db, ALLOW_LOCAL, "resume chat:C1", user_is_admin=True)
    assert answer.startswith("Resumed chat:C1") and "1 of them given up on before" in answer
    assert (await d.dispatch_pending()).sent == 1  # revived "now", the real clock
    after = await commands.status(db)
    assert after.dead_alerts == 0 and after.failing_destinations == ()
