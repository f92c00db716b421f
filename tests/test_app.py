"""The wiring: `run_once` and the long-running `run`, on the demo feeds served from 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from bot.config import load_config
from bot.demo import DemoFeedServer, demo_dir

FACTBOT = str(Path(sys.executable).with_name("factbot"))

FEEDS = (
    ("ice-newsroom.xml", "official", "U.S. Immigration and Customs Enforcement"),
    ("presidency.xml", "official", "Claudia Sheinbaum"),
    ("embassy.xml", "official", "U.S. Embassy in Mexico"),
    ("wire.xml", "news", None),
)


@pytest.fixture
async def feed_server():
    server = DemoFeedServer(demo_dir())
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def write_config(tmp_path: Path, base: str, *, extra: str = "") -> Path:
    feeds = ""
    for name, kind, actor in FEEDS:
        feeds += f'[[feeds]]\nurl = "{base}/{name}"\nkind = "{kind}"\n'
        feeds += f'actor = "{actor}"\n' if actor else ""
    p = tmp_path / "factbot.toml"
    p.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path}/app.db"\n[alerts]\nmax_age_days = 0\n'
        f'[poll]\ntimeout = "5s"\n{extra}{feeds}'
    )
    return p


async def test_run_once_reports_each_phase(feed_server: DemoFeedServer, tmp_path: Path, capsys) -> None:
    from bot import app

    feed_server.round = 1
    config = load_config(write_config(tmp_path, feed_server.base_url))
    first = await app.run_once(config)
    assert first.ok, first.errors
    assert first.feeds_polled == len(FEEDS) and first.feeds_failed == 0
    assert first.new_items > 0
    assert set(first.phases) == {"poll", "detect", "edits", "dispatch"}
    assert "[alert #" not in capsys.readouterr().out  # a claim alone is not a dispute

    feed_server.round = 2
    second = await app.run_once(config)
    assert second.ok, second.errors
    assert "[alert #" in capsys.readouterr().out

    again = await app.run_once(config)  # nothing new: nothing posted again
    assert again.ok and again.new_items == 0
    assert capsys.readouterr().out == ""


async def test_a_failing_phase_does_not_stop_the_others(tmp_path: Path) -> None:
    from bot import app

    # Feeds on a port nothing listens on: every poll fails, detect and dispatch still run.
    p = tmp_path / "factbot.toml"
    p.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path}/x.db"\n[poll]\ntimeout = "2s"\n'
        '[[feeds]]\nurl = "http://127.0.0.1:9/feed.xml"\n'
    )
    report = await app.run_once(load_config(p))
    assert report.feeds_polled == 1 and report.feeds_failed == 1
    assert report.ok  # one failing feed is recorded, not a failed run
    assert {"detect", "dispatch"} <= set(report.phases)


async def test_run_delivers_then_stops_cleanly(feed_server: DemoFeedServer, tmp_path: Path, capsys) -> None:
    from bot import app

    feed_server.round = 3
    config = load_config(write_config(tmp_path, feed_server.base_url))
    stop = asyncio.Event()
    task = asyncio.create_task(app.run(config, stop=stop))
    seen = ""
    try:
        for _ in range(600):  # up to a minute for the first alert; returns as soon as it shows
            seen += capsys.readouterr().out
            if "[alert #" in seen or task.done():
                break
            await asyncio.sleep(0.1)
        assert "[alert #" in seen
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=60)
    assert task.exception() is None


async def test_sigterm_stops_factbot_run_gracefully(feed_server: DemoFeedServer, tmp_path: Path) -> None:
    config = write_config(tmp_path, feed_server.base_url, extra='[logging]\nlevel = "INFO"\n')
    proc = await asyncio.create_subprocess_exec(
        FACTBOT,
        "run",
        "--config",
        str(config),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=dict(os.environ),
    )
    assert proc.stderr is not None
    lines: list[str] = []
    try:
        while True:
            line = (await asyncio.wait_for(proc.stderr.readline(), timeout=60)).decode()
            assert line, "".join(lines)  # EOF before "running": the process died
            lines.append(line)
            if "factbot running" in line:
                break
        proc.send_signal(signal.SIGTERM)
        rest = await asyncio.wait_for(proc.communicate(), timeout=60)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 0, "".join(lines) + rest[1].decode()
    assert "factbot stopped" in rest[1].decode()
