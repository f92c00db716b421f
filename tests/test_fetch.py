"""The fetcher against a real local HTTP server: validators, caps, redirects, errors, the URL guard."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.config import PollConfig
from bot.ingest.fetch import Fetcher, parse_max_age, parse_retry_after
from bot.ingest.urlguard import UnsafeURL, check_public_url, is_public_ip
from tests import feedserver as _feedserver_module
from tests.feedserver import FeedServer, rss

feedserver = _feedserver_module.feedserver  # the fixture, used by name below

POLL = PollConfig(timeout_s=2.0, max_bytes=200_000, max_redirects=3, concurrency=8, per_host=2)
DOC = rss([("a", "One", "First item"), ("b", "Two", "Second item")])


async def test_conditional_get_and_304(feedserver: FeedServer) -> None:
    url = feedserver.add(
        "/f.xml",
        DOC,
        etag='"v1"',
        last_modified=datetime(2025, 5, 15, 9, 0, tzinfo=UTC),
        headers={"Cache-Control": "public, max-age=900"},
    )
    async with Fetcher(POLL) as f:
        first = await f.fetch_url(url)
        assert first.status == "ok" and first.body == DOC.encode() and first.bytes == len(DOC.encode())
        assert first.etag == '"v1"' and first.last_modified == "Thu, 15 May 2025 09:00:00 GMT"
        assert first.max_age == 900 and first.http_status == 200
        second = await f.fetch_url(url, etag=first.etag, last_modified=first.last_modified)
        assert second.status == "not_modified" and second.body == b"" and second.ok
    sent = feedserver.requests[-1].headers
    assert sent["If-None-Match"] == '"v1"' and "If-Modified-Since" in sent
    assert sent["User-Agent"] == POLL.user_agent


async def test_gzip_is_decoded(feedserver: FeedServer) -> None:
    url = feedserver.add("/z.xml", DOC, gzip=True)
    async with Fetcher(POLL) as f:
        r = await f.fetch_url(url)
    assert r.status == "ok" and r.body == DOC.encode()
    assert "gzip" in feedserver.requests[-1].headers.get("Accept-Encoding", "")


@pytest.mark.parametrize("announce", [True, False])
async def test_huge_body_is_cut_off(feedserver: FeedServer, announce: bool) -> None:
    url = feedserver.huge("/huge.xml", 50_000_000, announce_length=announce)
    async with Fetcher(POLL) as f:
        r = await f.fetch_url(url)
    assert r.status == "error" and "max_bytes" in (r.error or "")
    assert r.body == b""


async def test_timeout(feedserver: FeedServer) -> None:
    url = feedserver.slow("/slow.xml", 30, DOC)
    async with Fetcher(PollConfig(timeout_s=0.3)) as f:
        r = await f.fetch_url(url)
    assert r.status == "error" and "timed out" in (r.error or "")


async def test_redirects_followed_capped_and_loops_detected(feedserver: FeedServer) -> None:
    feedserver.add("/final.xml", DOC)
    feedserver.redirect("/r1", "/final.xml")
    async with Fetcher(POLL) as f:
        ok = await f.fetch_url(feedserver.url("/r1"))
        assert ok.status == "ok" and ok.url.endswith("/final.xml")
        loop = await f.fetch_url(feedserver.redirect_loop("/la", "/lb"))
        assert loop.status == "error" and "loop" in (loop.error or "")
        for i in range(6):
            feedserver.redirect(f"/c{i}", f"/c{i + 1}")
        chain = await f.fetch_url(feedserver.url("/c0"))
        assert chain.status == "error" and "redirects" in (chain.error or "")


@pytest.mark.parametrize("status", [404, 500])
async def test_http_errors(feedserver: FeedServer, status: int) -> None:
    url = feedserver.error(f"/e{status}", status)
    async with Fetcher(POLL) as f:
        r = await f.fetch_url(url)
    assert r.status == "error" and r.error == f"HTTP {status}" and r.http_status == status


async def test_retry_after_and_broken_connection(feedserver: FeedServer) -> None:
    async with Fetcher(POLL) as f:
        busy = await f.fetch_url(feedserver.error("/busy", 429, retry_after="120"))
        assert busy.status == "error" and busy.retry_after == 120
        broken = await f.fetch_url(feedserver.broken("/broken"))
        assert broken.status == "error" and broken.error


async def test_connection_refused_is_an_error_not_an_exception() -> None:
    async with Fetcher(POLL) as f:
        r = await f.fetch_url("http://127.0.0.1:9/feed")
    assert r.status == "error" and r.error


async def test_per_host_limit(feedserver: FeedServer) -> None:
    active = 0
    peak = 0
    original = feedserver._handle

    async def counting(request):  # type: ignore[no-untyped-def]
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        try:
            await asyncio.sleep(0.05)
            return await original(request)
        finally:
            active -= 1

    feedserver._handle = counting  # type: ignore[method-assign]
    # Re-register the route so the app calls the counting handler.
    await feedserver.stop()
    await feedserver.start()
    for i in range(8):
        feedserver.add(f"/p{i}", DOC)
    async with Fetcher(POLL) as f:
        results = await asyncio.gather(*(f.fetch_url(feedserver.url(f"/p{i}")) for i in range(8)))
    assert all(r.status == "ok" for r in results)
    assert peak <= POLL.per_host


async def test_guard_refuses_private_addresses_and_redirect_hops(feedserver: FeedServer) -> None:
    feedserver.add("/f.xml", DOC)
    async with Fetcher(POLL, guard=True) as f:
        r = await f.fetch_url(feedserver.url("/f.xml"))
        assert r.status == "error" and "refused" in (r.error or "")
    # Allow-listed: the first hop passes, but a redirect to the metadata address does not.
    feedserver.redirect("/to-meta", "http://169.254.169.254/latest/meta-data/")
    async with Fetcher(POLL, guard=True, allow_hosts=("127.0.0.1",)) as f:
        assert (await f.fetch_url(feedserver.url("/f.xml"))).status == "ok"
        meta = await f.fetch_url(feedserver.url("/to-meta"))
        assert meta.status == "error" and "refused" in (meta.error or "")


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/feed",
        "file:///etc/passwd",
        "http://127.0.0.1/feed",
        "http://localhost/feed",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://169.254.169.254/latest",
        "http://[::1]/",
        "http://[fd00::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://metadata.google.internal/",
        "http:///nohost",
    ],
)
async def test_urlguard_refuses(url: str) -> None:
    with pytest.raises(UnsafeURL):
        await check_public_url(url, ())


async def test_urlguard_allows_public_ip_and_allow_list() -> None:
    await check_public_url("https://93.184.216.34/feed", ())
    await check_public_url("http://10.0.0.5/feed", ("10.0.0.5",))
    import ipaddress

    assert is_public_ip(ipaddress.ip_address("8.8.8.8"))
    assert not is_public_ip(ipaddress.ip_address("100.64.0.1"))  # carrier-grade NAT


def test_header_parsing() -> None:
    assert parse_max_age("no-cache, max-age=60") == 60
    assert parse_max_age("private") is None and parse_max_age("max-age=abc") is None
    assert parse_retry_after("30") == 30
    now = datetime(2025, 5, 15, 9, 0, tzinfo=UTC)
    assert parse_retry_after("Thu, 15 May 2025 09:02:00 GMT", now) == 120
    assert parse_retry_after("soon") is None
