"""A real HTTP feed server on 127.0.0.1 for tests: feeds with validators, 304s, and every way a feed host misbehaves.

Usage in a test module:

    from tests.feedserver import FeedServer, feedserver, rss  # noqa: F401  (fixture import)

    async def test_x(feedserver: FeedServer) -> None:
        url = feedserver.add("/a.xml", rss([("g1", "Title", "Body")]), etag='"v1"')
        ...
        assert feedserver.hits["/a.xml"] == 1

Routes are registered at run time; anything not registered is a 404. Every request is
recorded (`requests`: path + headers) so tests can check conditional GET headers.
"""

from __future__ import annotations

import asyncio
import gzip as gzip_mod
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

import pytest
from aiohttp import web


@dataclass
class Route:
    """How one path answers."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    gzip: bool = False
    delay_s: float = 0.0  # before the headers
    redirect_to: str | None = None
    huge_bytes: int = 0  # stream this many bytes of filler (never all in memory)
    broken: bool = False  # send part of the body, then drop the connection


@dataclass
class SeenRequest:
    """One request the server answered."""

    path: str
    headers: dict[str, str]


class FeedServer:
    """An aiohttp server on a free 127.0.0.1 port. `await start()`, `await stop()` (the fixture does both)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[SeenRequest] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT`."""
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """The absolute URL of a path on this server."""
        return self.base_url + path

    async def start(self) -> FeedServer:
        """Listen on a free port."""
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._handle)
        # Slow handlers (timeout tests) must not hold the teardown: cancel them quickly.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    async def stop(self) -> None:
        """Stop listening and close connections."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- registering routes -------------------------------------------------------------------

    def add(
        self,
        path: str,
        body: bytes | str,
        *,
        content_type: str = "application/rss+xml; charset=utf-8",
        etag: str | None = None,
        last_modified: str | datetime | None = None,
        headers: dict[str, str] | None = None,
        gzip: bool = False,
        status: int = 200,
    ) -> str:
        """Serve `body` at `path` (replacing what was there); with validators, matching requests get 304."""
        if isinstance(last_modified, datetime):
            last_modified = format_datetime(last_modified.astimezone(UTC), usegmt=True)
        self.routes[path] = Route(
            body=body.encode() if isinstance(body, str) else body,
            status=status,
            content_type=content_type,
            etag=etag,
            last_modified=last_modified,
            headers=dict(headers or {}),
            gzip=gzip,
        )
        return self.url(path)

    def slow(self, path: str, delay_s: float, body: bytes | str = b"") -> str:
        """Answer only after `delay_s` seconds (for timeouts)."""
        url = self.add(path, body)
        self.routes[path].delay_s = delay_s
        return url

    def huge(self, path: str, size: int, *, announce_length: bool = False) -> str:
        """Stream `size` bytes; with `announce_length` a Content-Length header says so up front."""
        self.routes[path] = Route(huge_bytes=size, headers={"X-Announce": "1"} if announce_length else {})
        return self.url(path)

    def broken(self, path: str, body: bytes | str = b"<rss><channel><item><title>cut") -> str:
        """Send part of a body, then drop the connection."""
        url = self.add(path, body)
        self.routes[path].broken = True
        return url

    def redirect(self, path: str, to: str, status: int = 301) -> str:
        """Redirect `path` to `to` (a path on this server or an absolute URL)."""
        self.routes[path] = Route(status=status, redirect_to=to)
        return self.url(path)

    def redirect_loop(self, a: str, b: str) -> str:
        """Two paths redirecting to each other."""
        self.redirect(a, b, 302)
        self.redirect(b, a, 302)
        return self.url(a)

    def error(self, path: str, status: int = 500, *, retry_after: str | None = None) -> str:
        """Answer with an error status (500, 404, 429, 503...), optionally with Retry-After."""
        headers = {"Retry-After": retry_after} if retry_after else {}
        return self.add(path, f"error {status}", status=status, content_type="text/plain", headers=headers)

    def html_page(self, path: str) -> str:
        """A web page where a feed was expected."""
        page = (
            "<!DOCTYPE html><html><head><title>Newsroom</title></head><body><p>Latest news</p></body></html>"
        )
        return self.add(path, page, content_type="text/html; charset=utf-8")

    # --- serving -------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path_qs if request.query_string else request.path
        self.hits[path] += 1
        self.requests.append(SeenRequest(path, dict(request.headers)))
        route = self.routes.get(path) or self.routes.get(request.path)
        if route is None:
            return web.Response(status=404, text="not found")
        if route.delay_s:
            await asyncio.sleep(route.delay_s)
        if route.redirect_to is not None:
            return web.Response(status=route.status, headers={"Location": route.redirect_to})
        validators: dict[str, str] = {}
        if route.etag:
            validators["ETag"] = route.etag
        if route.last_modified:
            validators["Last-Modified"] = route.last_modified
        if route.status == 200 and (route.etag or route.last_modified):
            inm = request.headers.get("If-None-Match")
            ims = request.headers.get("If-Modified-Since")
            if (inm and route.etag and inm == route.etag) or (
                not inm and ims and route.last_modified and ims == route.last_modified
            ):
                return web.Response(status=304, headers={**validators, **route.headers})
        if route.huge_bytes:
            return await self._stream_huge(request, route)
        body = route.body
        headers = {**validators, **route.headers, "Content-Type": route.content_type}
        if route.gzip:
            body = gzip_mod.compress(body)
            headers["Content-Encoding"] = "gzip"
        if route.broken:
            resp = web.StreamResponse(status=route.status, headers=headers)
            resp.content_length = len(body) + 10_000  # promise more than we send
            await resp.prepare(request)
            await resp.write(body)
            assert request.transport is not None
            request.transport.close()
            return resp
        return web.Response(status=route.status, body=body, headers=headers)

    async def _stream_huge(self, request: web.Request, route: Route) -> web.StreamResponse:
        resp = web.StreamResponse(status=200, headers={"Content-Type": "application/rss+xml"})
        if route.headers.get("X-Announce"):
            resp.content_length = route.huge_bytes
        else:
            resp.enable_chunked_encoding()
        await resp.prepare(request)
        chunk = b"<!-- " + b"x" * (64 * 1024 - 9) + b" -->"
        sent = 0
        try:
            while sent < route.huge_bytes:
                await resp.write(chunk)
                sent += len(chunk)
        except (ConnectionResetError, ConnectionError, RuntimeError):
            pass  # the client hung up, as it should
        return resp


@pytest.fixture
async def feedserver() -> AsyncIterator[FeedServer]:
    """A started `FeedServer`, stopped after the test."""
    server = await FeedServer().start()
    try:
        yield server
    finally:
        await server.stop()


# --- documents ------------------------------------------------------------------------------

Item = tuple[str, str, str]  # (guid, title, html body)


def rss(
    items: Sequence[Item],
    *,
    title: str = "Example desk feed",
    language: str | None = "en",
    link_base: str = "https://example.org/news/",
    published: datetime | None = None,
) -> str:
    """An RSS 2.0 document; each item links to `link_base + guid`."""
    when = format_datetime((published or datetime(2025, 5, 15, 9, 0, tzinfo=UTC)), usegmt=True)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>{link_base}</link>",
        f"<language>{language}</language>" if language else "",
    ]
    for guid, t, body in items:
        parts.append(
            f"<item><guid isPermaLink='false'>{escape(guid)}</guid><title>{escape(t)}</title>"
            f"<link>{escape(link_base + guid)}</link><pubDate>{when}</pubDate>"
            f"<description>{escape(body)}</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts)


def atom(items: Sequence[Item], *, title: str = "Example Atom feed", lang: str | None = "en") -> str:
    """An Atom 1.0 document with HTML content."""
    lang_attr = f' xml:lang="{lang}"' if lang else ""
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"{lang_attr}>']
    parts.append(
        f"<title>{escape(title)}</title><id>urn:example:feed</id><updated>2025-05-15T09:00:00Z</updated>"
    )
    for guid, t, body in items:
        parts.append(
            f"<entry><id>{escape(guid)}</id><title>{escape(t)}</title>"
            f'<link rel="alternate" href="https://example.org/a/{escape(guid)}"/>'
            f"<published>2025-05-15T08:00:00+02:00</published><updated>2025-05-15T10:00:00Z</updated>"
            f'<author><name>Desk</name></author><content type="html">{escape(body)}</content></entry>'
        )
    parts.append("</feed>")
    return "".join(parts)
