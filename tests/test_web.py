"""The web app over real HTTP on 127.0.0.1: every route, the token rule, /metrics through
prometheus_client's own parser, health and readiness, and the app inside `factbot run`."""

from __future__ import annotations

import asyncio
import re
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families

from bot import app as bot_app
from bot import metrics
from bot.alerts.links import link_signature
from bot.commands import record_feedback
from bot.config import ConfigError, parse_config
from bot.storage import outbox
from bot.storage.db import Database
from bot.web import WebApp, pages
from bot.web.auth import COOKIE
from tests.test_outbox import T0
from tests.test_reference_story import _add
from tests.webtools import TOKEN, reference_story, serving, web_config

HTML = {"Accept": "text/html"}


@pytest.fixture
async def story(db: Database) -> dict[str, object]:
    return await reference_story(db, web_config(), hostile=True)


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


async def get(
    client: aiohttp.ClientSession, url: str, **kw: object
) -> tuple[int, str, aiohttp.ClientResponse]:
    async with client.get(url, allow_redirects=False, **kw) as r:  # type: ignore[arg-type]
        return r.status, await r.text(), r


# --- pages, no token (local only) ----------------------------------------------------------


async def test_pages_answer_with_escaped_feed_text(
    db: Database, story: dict[str, object], client: aiohttp.ClientSession
) -> None:
    async with serving(db, web_config()) as w:
        status, _, r = await get(client, w.url + "/")
        assert status == 302 and r.headers["Location"] == "/disputes"

        status, html, r = await get(client, w.url + "/disputes", headers=HTML)
        assert status == 200 and r.content_type == "text/html"
        assert (
            "Disputed: ICE&#39;s claim that ICE-led operation dismantles three synthetic drug labs…" in html
        )
        assert 'href="/disputes/1"' in html and "2 denials · 3 outlets" in html
        for name, value in (
            ("Content-Security-Policy", "default-src 'none'"),
            ("Referrer-Policy", "no-referrer"),
        ):
            assert r.headers[name].startswith(value)

        status, html, _ = await get(client, w.url + "/disputes/1", headers=HTML)
        assert status == 200
        assert html.index("https://example.org/ice-1") < html.index("https://example.org/pres-1")
        assert html.index("https://example.org/pres-1") < html.index("https://example.org/emb-1")
        assert "in Spanish" not in html and "Spanish" in html  # the page names every item's language
        assert "&lt;script&gt;window.pwned=2&lt;/script&gt;" in html and "<script>" not in html
        assert "Why it was linked" in html and 'href="/why?url=https%3A%2F%2Fexample.org%2Fpres-1"' in html

        status, html, _ = await get(client, w.url + "/static/style.css")
        assert status == 200 and "prefers-color-scheme" in html


async def test_search_filter_and_pagination(
    db: Database, story: dict[str, object], client: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with serving(db, web_config()) as w:
        _, html, _ = await get(client, w.url + "/disputes?q=ice+sinaloa", headers=HTML)
        assert "Disputes matching “ice sinaloa”" in html and 'href="/disputes/1"' in html
        _, html, _ = await get(client, w.url + "/disputes?q=volcano+eruption", headers=HTML)
        assert "No disputes match." in html
        _, html, _ = await get(client, w.url + "/disputes?status=retracted", headers=HTML)
        assert "No disputes yet." in html
        _, html, _ = await get(client, w.url + "/disputes?q=ice&status=disputed", headers=HTML)
        assert 'href="/disputes/1"' in html
        _, html, _ = await get(client, w.url + "/disputes?status=<script>&before=garbage", headers=HTML)
        assert 'href="/disputes/1"' in html  # unknown filters are ignored, not echoed
        # a second dispute, then pages of one
        await reference_story_again(db)
        monkeypatch.setattr(pages, "PAGE", 1)
        _, first, _ = await get(client, w.url + "/disputes", headers=HTML)
        nxt = re.search(r'href="(/disputes\?before=[^"]+)" rel="next"', first)
        assert nxt and 'href="/disputes/2"' in first and 'href="/disputes/1"' not in first
        _, second, _ = await get(client, w.url + nxt.group(1).replace("&amp;", "&"), headers=HTML)
        assert 'href="/disputes/1"' in second and 'rel="next"' not in second


async def reference_story_again(db: Database) -> None:
    """A second story (another claim and denial), later than the first."""
    from datetime import timedelta

    from tests.test_reference_story import CLAIM, DENIAL, _add, _detector

    shift = timedelta(days=40)
    claim = (
        "ice",
        "ice-2",
        CLAIM[2] + shift,
        "ICE agents seize a fentanyl shipment at the Nogales border crossing",
        "An ICE team led the seizure of 40 kilograms of fentanyl hidden in a truck at the Nogales crossing.",
    )
    denial = (
        "pres",
        "pres-2",
        DENIAL[2] + shift,
        "Sheinbaum: la incautación en Nogales la hizo la Guardia Nacional, no ICE",
        "La presidenta dijo que es falso que agentes de ICE hicieran la incautación de fentanilo en Nogales.",
    )

    await _add(db, [claim])
    await _detector(db).process_pending()
    await _add(db, [denial])
    await _detector(db).process_pending()


async def test_timeline_shows_feedback_and_delivery(
    db: Database, story: dict[str, object], client: aiohttp.ClientSession
) -> None:
    await record_feedback(db, 1, "confirmed", "U0EDITOR", "slack")
    async with serving(db, web_config()) as w:
        _, html, _ = await get(client, w.url + "/disputes/1", headers=HTML)
    assert "confirmed — slack:U0EDITOR" in html
    assert "slack:C0ALERTS" in html and "new_dispute" in html and "sent" in html


async def test_missing_disputes_are_404_pages(db: Database, client: aiohttp.ClientSession) -> None:
    async with serving(db, web_config()) as w:
        for path in ("/disputes/999", "/disputes/abc", "/nothing-here"):
            status, html, r = await get(client, w.url + path, headers=HTML)
            assert status == 404 and r.content_type == "text/html" and "Back to the disputes" in html


async def test_why_page(db: Database, story: dict[str, object], client: aiohttp.ClientSession) -> None:
    async with serving(db, web_config()) as w:
        status, html, _ = await get(client, w.url + "/why", headers=HTML)
        assert status == 200 and 'name="url"' in html and "Paste the link" in html
        status, html, _ = await get(
            client, w.url + "/why?url=https%3A%2F%2Fexample.org%2Fpres-1", headers=HTML
        )
        assert status == 200
        for stage in (
            "fetched",
            "parsed",
            "stored",
            "statements found",
            "cue",
            "candidates",
            "decision",
            "score vs thresholds",
            "delivery",
        ):
            assert f"<strong>{stage}</strong>" in html
        assert "Alerted: dispute #1." in html and 'href="/disputes/1"' in html
        status, html, _ = await get(
            client, w.url + "/why?url=https%3A%2F%2Fexample.org%2Femb-1", headers=HTML
        )
        assert "&lt;script&gt;" in html and "<script>" not in html
        status, html, _ = await get(client, w.url + "/why?url=javascript%3Aalert(1)", headers=HTML)
        assert status == 400 and "Not a link factbot can look up" in html


async def test_feeds_page_shows_polling_state_and_paused_destinations(
    db: Database, story: dict[str, object], client: aiohttp.ClientSession
) -> None:
    async with db.begin() as conn:
        await outbox.pause_destination(conn, "slack:C0ALERTS", reason="channel_not_found", now=T0)
    async with serving(db, web_config()) as w:
        status, html, _ = await get(client, w.url + "/feeds", headers=HTML)
    assert status == 200 and "Feeds (4)" in html
    assert "ICE newsroom" in html and "http://127.0.0.1/feeds/ice-1.xml" in html and "never polled" in html
    assert "slack:C0ALERTS</strong>: channel_not_found" in html and "factbot destinations resume" in html


# --- health, readiness, metrics --------------------------------------------------------------


async def test_health_and_readiness(db: Database, client: aiohttp.ClientSession) -> None:
    metrics.cycles.reset()
    config = web_config()
    async with serving(db, config) as w:
        status, text, _ = await get(client, w.url + "/healthz")
        assert (status, text) == (200, "ok\n")
        status, text, r = await get(client, w.url + "/readyz")
        body = await r.json()
        assert status == 503 and body["database"] == "ok" and "no complete cycle" in body["problems"][0]
        # a real one-shot cycle (no feeds: nothing to poll, detect, deliver) completes a cycle
        await bot_app.run_cycle(bot_app.Pipeline(config, db, {}))
        status, _, r = await get(client, w.url + "/readyz")
        assert status == 200 and (await r.json())["last_cycle_age_s"] < 60
        for phase in metrics.PHASES:  # an old cycle is not ready
            metrics.cycles.mark(phase, now=time.time() - 3600)
        status, _, r = await get(client, w.url + "/readyz")
        assert status == 503 and "limit 600 s" in (await r.json())["problems"][0]
    down = Database("postgresql://postgres@127.0.0.1:9/nowhere")
    try:
        async with serving(down, config) as w:
            status, _, r = await get(client, w.url + "/readyz")
            assert status == 503 and (await r.json())["database"] != "ok"
            status, _, _ = await get(client, w.url + "/healthz")
            assert status == 200
    finally:
        await down.close()
    metrics.cycles.reset()


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


async def test_metrics_parse_with_prometheus_clients_own_parser(
    db: Database, client: aiohttp.ClientSession
) -> None:
    before = _samples(metrics.exposition()[0].decode())
    await reference_story(db, web_config())
    # detection is measured around the pipeline's call to the detector
    await _add(db, [("wire", "wire-3", T0, "Council approves new bus lanes", "The vote was 7 to 2.")])
    await bot_app.Pipeline(web_config(), db, {}).detect()
    async with db.begin() as conn:
        await outbox.pause_destination(conn, "slack:C0ALERTS", reason="x", now=T0)
    async with serving(db, web_config()) as w:
        status, text, r = await get(client, w.url + "/metrics")
    assert status == 200 and r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    families = {f.name: f for f in text_string_to_metric_families(text)}
    for name, kind in (
        ("factbot_polls", "counter"),
        ("factbot_items", "counter"),
        ("factbot_detect_items", "counter"),
        ("factbot_detect_seconds", "counter"),
        ("factbot_detect_item_seconds", "histogram"),
        ("factbot_alerts", "counter"),
        ("factbot_disputes", "gauge"),
        ("factbot_outbox_depth", "gauge"),
        ("factbot_paused_destinations", "gauge"),
        ("factbot_last_cycle_timestamp_seconds", "gauge"),
        ("factbot_feeds", "gauge"),
    ):
        assert families[name].type == kind, name
    after = _samples(text)
    assert after[("factbot_disputes", (("status", "disputed"),))] == 1
    assert after[("factbot_paused_destinations", ())] == 1
    assert after[("factbot_feeds", (("state", "enabled"),))] == 4
    assert after[("factbot_outbox_depth", ())] == 0
    sent = ("factbot_alerts_total", (("result", "sent"),))
    assert after[sent] - before.get(sent, 0) == 2  # the parent, then the Embassy's reply
    items = ("factbot_detect_items_total", ())
    assert after[items] - before.get(items, 0) == 1
    assert after[("factbot_detect_item_seconds_count", ())] > before.get(
        ("factbot_detect_item_seconds_count", ()), 0
    )


async def test_polls_are_counted_where_they_happen(tmp_path: Path) -> None:
    from tests.feedserver import FeedServer, rss

    before = _samples(metrics.exposition()[0].decode())
    server = await FeedServer().start()
    try:
        url = server.add("/a.xml", rss([("a-1", "A headline", "Some text.")]))
        broken = server.broken("/b.xml")
        config = parse_config(
            {
                "database": {"url": f"sqlite:///{tmp_path}/polls.db"},
                "feeds": [{"url": url}, {"url": broken}],
                "alerts": {"max_age_days": 0},
            }
        )
        report = await bot_app.run_once(config)
    finally:
        await server.stop()
    assert report.feeds_polled == 2
    after = _samples(metrics.exposition()[0].decode())

    def delta(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert (
        delta("factbot_polls_total", outcome="ok") == 1 and delta("factbot_polls_total", outcome="error") == 1
    )
    assert delta("factbot_items_total", kind="new") == 1


# --- the token ----------------------------------------------------------------------------------


def test_token_is_required_beyond_localhost() -> None:
    with pytest.raises(ConfigError, match=r"web.token: required when host = '0.0.0.0'"):
        parse_config({"web": {"host": "0.0.0.0"}})
    with pytest.raises(ConfigError, match="at least 16 characters"):
        parse_config({"web": {"host": "0.0.0.0", "token": "short"}})
    assert parse_config({"web": {"host": "0.0.0.0", "token": TOKEN}}).web.token == TOKEN
    assert parse_config({"web": {"host": "0.0.0.0", "enabled": False}}).web.enabled is False
    with pytest.raises(ConfigError, match="web.base_url"):
        parse_config({"web": {"base_url": "javascript:alert(1)"}})


async def test_the_token_rule(db: Database, story: dict[str, object], client: aiohttp.ClientSession) -> None:
    config = web_config(token=TOKEN)
    async with serving(db, config) as w:
        status, _, r = await get(client, w.url + "/disputes/1", headers=HTML)
        assert status == 303 and r.headers["Location"] == "/login?next=/disputes/1"
        status, _, r = await get(client, w.url + "/metrics")
        assert status == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
        for public in ("/healthz", "/login", "/static/style.css"):
            assert (await get(client, w.url + public))[0] == 200, public
        bearer = {"Authorization": f"Bearer {TOKEN}"}
        assert (await get(client, w.url + "/metrics", headers=bearer))[0] == 200
        assert (await get(client, w.url + "/metrics", headers={"Authorization": "Bearer wrong"}))[0] == 401
        # a signed alert link opens its own dispute, and only that one
        sig = link_signature(TOKEN, 1)
        assert (await get(client, f"{w.url}/disputes/1?k={sig}", headers=HTML))[0] == 200
        assert (await get(client, f"{w.url}/disputes/2?k={sig}", headers=HTML))[0] == 303
        assert (await get(client, f"{w.url}/disputes?k={sig}", headers=HTML))[0] == 303
        # ?token= once: a session cookie, and the token leaves the address bar
        async with aiohttp.ClientSession() as browser:
            status, _, r = await get(browser, f"{w.url}/feeds?page=1&token={TOKEN}", headers=HTML)
            assert status == 303 and r.headers["Location"] == "/feeds?page=1"
            cookie = r.cookies[COOKIE]
            assert TOKEN not in cookie.value and cookie["httponly"] and cookie["samesite"] == "Lax"
            assert cookie["secure"]  # base_url is https: the cookie never travels in clear
    # behind no https (base_url unset), the same with the login form; a browser keeps cookies
    # from 127.0.0.1, which aiohttp's client does only when told
    async with serving(db, web_config(token=TOKEN, base_url=None)) as w:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
            status, _, r = await get(browser, f"{w.url}/feeds?token={TOKEN}", headers=HTML)
            assert status == 303 and not r.cookies[COOKIE]["secure"]
            assert (await get(browser, w.url + "/feeds", headers=HTML))[0] == 200
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
            async with browser.post(
                w.url + "/login", data={"token": "nope", "next": "/why"}, allow_redirects=False
            ) as r:
                assert r.status == 401 and "not the token" in await r.text()
            async with browser.post(
                w.url + "/login", data={"token": TOKEN, "next": "//evil.example/x"}, allow_redirects=False
            ) as r:
                assert r.status == 303 and r.headers["Location"] == "/disputes"
            assert (await get(browser, w.url + "/why", headers=HTML))[0] == 200


async def test_alerts_link_to_their_timeline_and_the_link_opens_it(
    db: Database, client: aiohttp.ClientSession
) -> None:
    config = web_config(token=TOKEN)
    story = await reference_story(db, config)
    alerts = str(story["alerts"])
    m = re.search(r"Timeline: (https://factbot\.desk\.example/disputes/1\?k=[0-9a-f]+)", alerts)
    assert m, alerts
    async with serving(db, config) as w:
        link = urlsplit(m.group(1))
        status, html, _ = await get(client, f"{w.url}{link.path}?{link.query}", headers=HTML)
    assert status == 200 and "Timeline" in html and parse_qs(link.query)["k"] == [link_signature(TOKEN, 1)]


# --- extensions (WebSub callbacks and the like) ----------------------------------------------


async def test_other_parts_register_their_routes(db: Database, client: aiohttp.ClientSession) -> None:
    async def callback(request: web.Request) -> web.Response:
        return web.Response(text=request.query.get("hub.challenge", ""))

    async def private(request: web.Request) -> web.Response:
        return web.Response(text="internal")

    def websub(w: WebApp) -> None:
        w.add_routes([web.get("/websub/{feed_id}", callback)], public=True)
        w.add_routes([web.get("/websub-admin", private)])

    async with serving(db, web_config(token=TOKEN), extensions=[websub]) as w:
        status, text, _ = await get(client, w.url + "/websub/7?hub.challenge=abc123")
        assert (status, text) == (200, "abc123")
        assert (await get(client, w.url + "/websub-admin"))[0] == 401


# --- inside `factbot run` --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _up(url: str, *, wait: float = 10.0) -> bool:
    deadline = time.monotonic() + wait
    async with aiohttp.ClientSession() as s:
        while time.monotonic() < deadline:
            try:
                async with s.get(url) as r:
                    return r.status == 200
            except aiohttp.ClientError:
                await asyncio.sleep(0.05)
    return False


async def test_factbot_run_serves_the_pages_and_can_do_without_them(tmp_path: Path) -> None:
    port = _free_port()
    base = {"database": {"url": f"sqlite:///{tmp_path}/run.db"}, "logging": {"level": "WARNING"}}
    stop = asyncio.Event()
    task = asyncio.create_task(
        bot_app.run(parse_config({**base, "web": {"port": port}}), stop=stop, chat=False)
    )
    try:
        assert await _up(f"http://127.0.0.1:{port}/healthz")
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
    # the port taken by something else: the bot runs on without its pages
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", port))
        busy.listen()
        stop = asyncio.Event()
        task = asyncio.create_task(
            bot_app.run(parse_config({**base, "web": {"port": port}}), stop=stop, chat=False)
        )
        await asyncio.sleep(1.0)
        assert not task.done()
        stop.set()
        await asyncio.wait_for(task, 30)
    # turned off
    stop = asyncio.Event()
    task = asyncio.create_task(
        bot_app.run(parse_config({**base, "web": {"port": port, "enabled": False}}), stop=stop, chat=False)
    )
    try:
        await asyncio.sleep(0.5)
        assert not await _up(f"http://127.0.0.1:{port}/healthz", wait=0.5)
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
