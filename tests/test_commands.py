"""Chat commands through real parts: the database, the search index, a feed server on 127.0.0.1."""

from __future__ import annotations

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
    ],
)
def test_parse_factbot_args_usage_errors(text: str, says: str) -> None:
    got = commands.parse_factbot_args(text)
    assert isinstance(got, commands.Help) and got.error
    assert says in got.text and "Usage:" in got.text


@given(st.text(max_size=80))
def test_parse_factbot_args_never_raises(text: str) -> None:
    got = commands.parse_factbot_args(text)
    assert isinstance(
        got,
        commands.FeedsAdd
        | commands.FeedsList
        | commands.FeedsRemove
        | commands.StatusCommand
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
    muted = await commands.record_feedback(db, dispute_id, "mute", "U2", "discord")
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
    assert replace(report, pending_alerts=0).pending_alerts == 0  # frozen data, copied not mutated

    assert await commands.remove_feed(db, str(a.feed.id))
    assert not await commands.remove_feed(db, f"{feed_server}/rss")
    assert f"{feed_server}/rss" not in [f.url for f in await commands.list_feeds(db)]
