"""The feed server the benchmarks share: a separate process answering on 32 loopback addresses.

    serve(version, document)   # in the child process (the benchmark's `--serve` mode)
    serve_on_loopbacks(app)    # the same addresses for an aiohttp app of the benchmark's own

`version(i, round)` says which version feed `i` is at in the current round (its ETag, so
unchanged feeds answer 304); `document(i, version)` builds that version's body (cached).
GET /_round/N moves to round N. The server prints its port, then serves until stdin closes.
It runs apart from the process being measured, so it takes none of its CPU time or memory,
and its 32 addresses make per-host limits behave as with real, distinct hosts.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web

HOSTS = 32  # loopback addresses 127.0.0.1 .. 127.0.0.32, one "site" each


def serve(version: Callable[[int, int], Hashable], document: Callable[[int, Hashable], bytes]) -> None:
    """Serve /feed/{i}.xml until stdin closes (see the module doc)."""
    from aiohttp import web

    state = {"round": 0}
    cache: dict[tuple[int, Hashable], bytes] = {}

    async def feed(request: web.Request) -> web.Response:
        i = int(request.match_info["i"])
        v = version(i, state["round"])
        etag = f'"{i}-{v}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        body = cache.get((i, v))
        if body is None:
            body = cache[(i, v)] = document(i, v)
        return web.Response(body=body, headers={"ETag": etag, "Content-Type": "application/rss+xml"})

    async def set_round(request: web.Request) -> web.Response:
        state["round"] = int(request.match_info["n"])
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/feed/{i}.xml", feed)
    app.router.add_get("/_round/{n}", set_round)
    asyncio.run(serve_on_loopbacks(app))


async def serve_on_loopbacks(app: web.Application) -> None:
    """Serve `app` on one port of 127.0.0.1 .. 127.0.0.HOSTS; print the port; stop when stdin closes."""
    from aiohttp import web

    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    first = web.TCPSite(runner, "127.0.0.1", 0)
    await first.start()
    port = first._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    for h in range(2, HOSTS + 1):
        await web.TCPSite(runner, f"127.0.0.{h}", port).start()
    print(port, flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await runner.cleanup()


def feed_urls(port: int, n: int) -> list[str]:
    """The URLs of feeds 0..n-1, spread over the server's addresses."""
    return [f"http://127.0.0.{i % HOSTS + 1}:{port}/feed/{i}.xml" for i in range(n)]
