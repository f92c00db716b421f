"""Fetching feeds over HTTP: conditional GET, caps on time/size/redirects, polite concurrency.

One `Fetcher` holds one aiohttp session for a whole process (connection reuse matters with
thousands of feeds). Redirects are followed by hand so we can cap them, detect loops, and
apply the URL guard on every hop for feeds added from chat. Bodies are streamed and abandoned
past `poll.max_bytes`, so a 5 GB response costs us at most a few MB.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urljoin, urlsplit

import aiohttp

from bot.config import PollConfig
from bot.ingest.urlguard import PublicOnlyResolver, UnsafeURL, check_public_url
from bot.types import Feed

FetchStatus = Literal["ok", "not_modified", "error"]
REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024
# Feeds whose URL came from a chat user: fetched through the URL guard (SSRF), every hop.
GUARDED_ORIGINS = frozenset({"chat"})


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one fetch produced. `status` is ok | not_modified | error; `error` explains an error."""

    status: FetchStatus
    url: str
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    max_age: float | None = None
    retry_after: float | None = None
    bytes: int = 0
    elapsed: float = 0.0
    error: str | None = None
    http_status: int | None = None
    content_type: str | None = None
    link_header: str | None = None  # every `Link` header, joined: WebSub discovery reads it

    @property
    def ok(self) -> bool:
        """True unless the fetch failed (a 304 is fine)."""
        return self.status != "error"


def parse_max_age(cache_control: str | None) -> float | None:
    """Seconds from `Cache-Control: max-age=N` (s-maxage ignored: we are not a shared cache)."""
    if not cache_control:
        return None
    for part in cache_control.split(","):
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "max-age":
            try:
                n = int(value.strip().strip('"'))
            except ValueError:
                return None
            return float(n) if n >= 0 else None
    return None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class _TooLarge(Exception):
    pass


class Fetcher:
    """Fetches feeds with one shared aiohttp session. Use as `async with Fetcher(poll) as f:` or call `close()`.

    `guard=True` applies `check_public_url` to the first URL and to every redirect hop
    (feeds added from chat); hosts in `allow_hosts` pass.
    """

    def __init__(self, poll: PollConfig, *, guard: bool = False, allow_hosts: Sequence[str] = ()) -> None:
        self.poll = poll
        self.guard = guard
        self.allow_hosts = tuple(allow_hosts)
        self._sessions: dict[bool, aiohttp.ClientSession] = {}
        self._global = asyncio.Semaphore(poll.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _get_session(self, guard: bool) -> aiohttp.ClientSession:
        # Guarded fetches get a session of their own whose resolver refuses non-public addresses
        # at connect time, so a host that passed `check_public_url` cannot rebind to the LAN.
        session = self._sessions.get(guard)
        if session is None or session.closed:
            connector = aiohttp.TCPConnector(
                limit=self.poll.concurrency,
                limit_per_host=self.poll.per_host,
                ttl_dns_cache=300,
                resolver=PublicOnlyResolver(self.allow_hosts) if guard else None,
            )
            session = self._sessions[guard] = aiohttp.ClientSession(
                connector=connector,
                headers={"User-Agent": self.poll.user_agent, "Accept-Encoding": "gzip, deflate"},
                # Timeouts are enforced per fetch below (whole request, redirects included).
                timeout=aiohttp.ClientTimeout(total=None, sock_connect=self.poll.timeout_s),
                auto_decompress=True,
            )
        return session

    async def close(self) -> None:
        """Close the HTTP sessions."""
        sessions, self._sessions = list(self._sessions.values()), {}
        for session in sessions:
            if not session.closed:
                await session.close()

    def _host_sem(self, url: str) -> asyncio.Semaphore:
        host = (urlsplit(url).hostname or "").lower()
        sem = self._hosts.get(host)
        if sem is None:
            sem = self._hosts[host] = asyncio.Semaphore(self.poll.per_host)
        return sem

    async def fetch(self, feed: Feed) -> FetchResult:
        """Fetch a feed, conditionally on its stored ETag/Last-Modified. Never raises for network trouble.

        Feeds added from chat are always fetched through the URL guard, on every hop.
        """
        guard = self.guard or feed.origin in GUARDED_ORIGINS
        return await self.fetch_url(feed.url, etag=feed.etag, last_modified=feed.last_modified, guard=guard)

    async def fetch_url(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        guard: bool | None = None,
    ) -> FetchResult:
        """Fetch one URL; see `fetch`. `guard=None` uses the fetcher's setting."""
        start = time.perf_counter()
        guard = self.guard if guard is None else guard
        # Host first: a task waiting for a busy host must not hold a global slot meanwhile.
        async with self._host_sem(url), self._global:
            try:
                async with asyncio.timeout(self.poll.timeout_s):
                    result = await self._fetch(url, etag, last_modified, guard)
            except TimeoutError:
                result = FetchResult("error", url, error=f"timed out after {self.poll.timeout_s:g}s")
            except UnsafeURL as e:
                result = FetchResult("error", url, error=f"refused: {e}")
            except _TooLarge as e:
                result = FetchResult("error", url, error=str(e))
            except (aiohttp.ClientError, OSError, ValueError) as e:
                result = FetchResult("error", url, error=f"{type(e).__name__}: {e}".strip())
        return _with_elapsed(result, time.perf_counter() - start)

    async def _fetch(self, url: str, etag: str | None, last_modified: str | None, guard: bool) -> FetchResult:
        session = self._get_session(guard)
        seen: list[str] = []
        current = url
        for _hop in range(self.poll.max_redirects + 1):
            if guard:
                await check_public_url(current, self.allow_hosts)
            seen.append(current)
            headers = {
                "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
                "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
            }
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            async with session.get(current, headers=headers, allow_redirects=False) as resp:
                if resp.status in REDIRECTS and resp.headers.get("Location"):
                    nxt = urljoin(current, resp.headers["Location"])
                    if urlsplit(nxt).scheme not in ("http", "https"):
                        return FetchResult(
                            "error", url, error=f"redirect to a non-http URL: {nxt}", http_status=resp.status
                        )
                    if nxt in seen:
                        return FetchResult(
                            "error", url, error=f"redirect loop at {nxt}", http_status=resp.status
                        )
                    current = nxt
                    continue
                common = {
                    "etag": resp.headers.get("ETag"),
                    "last_modified": resp.headers.get("Last-Modified"),
                    "max_age": parse_max_age(resp.headers.get("Cache-Control")),
                    "retry_after": parse_retry_after(resp.headers.get("Retry-After")),
                    "http_status": resp.status,
                    "content_type": resp.headers.get("Content-Type"),
                    "link_header": ", ".join(resp.headers.getall("Link", [])) or None,
                }
                if resp.status == 304:
                    return FetchResult("not_modified", current, **common)  # type: ignore[arg-type]
                if resp.status != 200:
                    return FetchResult("error", current, error=f"HTTP {resp.status}", **common)  # type: ignore[arg-type]
                length = resp.content_length
                if length is not None and length > self.poll.max_bytes:
                    raise _TooLarge(f"body of {length} bytes exceeds max_bytes={self.poll.max_bytes}")
                body = bytearray()
                async for chunk in resp.content.iter_chunked(CHUNK):
                    body += chunk
                    if len(body) > self.poll.max_bytes:
                        # Stop reading now; closing the response drops the connection.
                        raise _TooLarge(f"body larger than max_bytes={self.poll.max_bytes}")
                data = bytes(body)
                return FetchResult("ok", current, body=data, bytes=len(data), **common)  # type: ignore[arg-type]
        return FetchResult("error", url, error=f"more than {self.poll.max_redirects} redirects")


def _with_elapsed(r: FetchResult, elapsed: float) -> FetchResult:
    return FetchResult(
        r.status,
        r.url,
        r.body,
        r.etag,
        r.last_modified,
        r.max_age,
        r.retry_after,
        r.bytes,
        elapsed,
        r.error,
        r.http_status,
        r.content_type,
        r.link_header,
    )
