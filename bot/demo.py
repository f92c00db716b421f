"""`factbot demo`: the reference story, told by bundled feeds, on a bare machine.

A local aiohttp server on 127.0.0.1 (random port) serves `config/demo/*.xml`. Each item
carries a `<demo:round>` marker; in round N the server shows the items of rounds 1..N, so
the story unfolds as it did: the agency's claim first, the President's denial next, the
Embassy's statement last. After each round the whole pipeline runs once (poll, detect,
dispatch) against a temporary SQLite database, and alerts appear on the console: one parent
alert, then replies in its thread.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from aiohttp import web
from lxml import etree

from bot.alerts.view import build_view, counts_text
from bot.commands import search_disputes
from bot.config import load_config
from bot.logging import setup_logging

if TYPE_CHECKING:
    from bot.app import Pipeline

__all__ = ["DemoFeedServer", "demo_dir", "run_demo"]

DEMO_NS = "urn:factbot:demo"
ROUNDS = (
    "Round 1: the agency posts its account of the Sinaloa lab raids",
    "Round 2: the next morning, the President calls that account false",
    "Round 3: later that day, the U.S. Embassy backs the President",
)


def demo_dir() -> Path:
    """The bundled demo directory: config/demo next to the package (source checkout), else ./config/demo."""
    beside_package = Path(__file__).resolve().parents[1] / "config" / "demo"
    return beside_package if beside_package.is_dir() else Path.cwd() / "config" / "demo"


def feed_for_round(data: bytes, round_no: int) -> bytes:
    """The feed as it looked in `round_no`: later items dropped, the demo markers stripped."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
    root = etree.fromstring(data, parser=parser)
    for marker in list(root.iter(f"{{{DEMO_NS}}}round")):
        item = marker.getparent()
        if item is None:
            continue
        try:
            appears = int((marker.text or "1").strip())
        except ValueError:
            appears = 1
        if appears > round_no and item.getparent() is not None:
            item.getparent().remove(item)
        else:
            item.remove(marker)
    etree.cleanup_namespaces(root)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


class DemoFeedServer:
    """Serves the demo feeds for the current round, with ETags (so 304s show up as in real life)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.round = 1
        self.requests = 0
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def _feed(self, request: web.Request) -> web.StreamResponse:
        self.requests += 1
        name = request.match_info["name"]
        path = self.directory / name
        if not name.endswith(".xml") or path.parent != self.directory or not path.is_file():
            raise web.HTTPNotFound()
        body = feed_for_round(path.read_bytes(), self.round)
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        ctype = (
            "application/atom+xml" if b"http://www.w3.org/2005/Atom" in body[:500] else "application/rss+xml"
        )
        return web.Response(body=body, headers={"ETag": etag, "Content-Type": f"{ctype}; charset=utf-8"})

    async def start(self) -> str:
        """Listen on 127.0.0.1, a free port; returns the base URL."""
        app = web.Application()
        app.router.add_get("/{name}", self._feed)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"
        return self.base_url

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


@contextlib.contextmanager
def _env(**values: str) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


async def run_demo(feeds_dir: str | Path | None = None, out: TextIO | None = None) -> int:
    """Run the three rounds of the reference story; returns the exit code (0 when every round ran)."""
    from bot.app import Pipeline, run_cycle

    out = out or sys.stdout
    directory = Path(feeds_dir) if feeds_dir else demo_dir()
    config_file = directory / "factbot-demo.toml"
    server = DemoFeedServer(directory)
    base = await server.start()
    failures = 0
    try:
        with (
            tempfile.TemporaryDirectory(prefix="factbot-demo-") as tmp,
            _env(FACTBOT_DEMO_BASE=base, FACTBOT_DEMO_DB=str(Path(tmp) / "demo.db")),
        ):
            config = load_config(config_file)
            setup_logging(config.log_level, config.log_format)
            print(f"factbot demo: {len(config.feeds)} feeds served from {base}, database in {tmp}", file=out)
            pipeline = await Pipeline.open(config)
            try:
                for n, title in enumerate(ROUNDS, start=1):
                    server.round = n
                    print(f"\n=== {title} ===\n", file=out, flush=True)
                    report = await run_cycle(pipeline)
                    out.flush()
                    print(
                        f"--- polled {report.feeds_polled} feeds, {report.new_items} new items"
                        + (f", errors: {'; '.join(report.errors)}" if report.errors else ""),
                        file=out,
                    )
                    failures += 0 if report.ok else 1
                await _show_search(pipeline, "ice sinaloa", out)
            finally:
                await pipeline.close()
    finally:
        await server.stop()
    print("\nThat is factbot. Point config/factbot.toml at your feeds and run `make run`.", file=out)
    return 0 if failures == 0 else 1


async def _show_search(pipeline: Pipeline, query: str, out: TextIO) -> None:
    """What a reporter's `/dispute ice sinaloa` would find now."""
    found = await search_disputes(pipeline.db, query)
    print(f"\n=== /dispute {query} ===", file=out)
    if not found:
        print("(no disputes found)", file=out)
    for d in found:
        view = build_view(d)
        print(f"#{d.id} {view.header} ({counts_text(view)}, confidence {d.confidence:.2f})", file=out)
