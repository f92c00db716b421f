"""Delivery soak: thousands of alerts through fake Slack and Discord servers, with faults and kills.

    .venv/bin/python benchmarks/soak.py                      # 800 stories: 3,200 messages, ~6 min
    .venv/bin/python benchmarks/soak.py --stories 100        # quicker
    .venv/bin/python benchmarks/soak.py --database postgresql://postgres@127.0.0.1:5432/soak

The stories (a claim, a denial, then a second denial: a parent and a reply) are stored before
the run, each queued to one of 16 Slack channels and one of 8 Discord channels, so the real
`factbot run --no-chat` processes deliver them as they would a detector's. Meanwhile:

* the fakes (tests/slack_fake.py, tests/discord_fake.py, in this process) answer a share of
  sends with a 429 (Retry-After 1 s), a 5xx, or carry the send out and lose the answer;
* both services go down (every send a 5xx) for `--outage` seconds, longer than the retry cap
  (`[alerts] max_backoff`, `--cap`), so rows keep retrying at the cap;
* the bot is killed with SIGKILL every 8-20 s (never during the outage) and restarted at once.

At the end every outbox key is looked up on the fakes: lost = a key that never arrived, dup = a
key that arrived more than once (both must be 0). "delay" is from a restart (the new process
spawned) to its first delivered message; "startup" is from the spawn to "factbot running".
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FACTBOT = str(Path(sys.executable).with_name("factbot"))
SLACK_CHANNELS = [f"C{n:02d}SOAK" for n in range(16)]
DISCORD_CHANNELS = [910000000000000000 + n for n in range(8)]


async def populate(url: str, stories: int) -> None:
    """Store the stories and queue their alerts (parent + one reply, each to a Slack and a Discord channel)."""
    from sqlalchemy import update

    from bot.storage import schema as s
    from bot.storage.db import Database
    from tests.test_outbox import add_denial, make_story

    db = Database(url)
    await db.migrate()
    try:
        for n in range(stories):
            dests = [f"slack:{SLACK_CHANNELS[n % len(SLACK_CHANNELS)]}", f"discord:{DISCORD_CHANNELS[n % 8]}"]
            dispute_id, _ = await make_story(db, dests, speaker=f"Agency {n}")
            await add_denial(db, dispute_id, dests, n=2 + n, actor=f"Ministry {n}")
        async with db.begin() as conn:  # the stories are built: nothing is left for detection or polling
            await conn.execute(update(s.items).values(analysed_at=datetime.now(UTC), analysis="soak fixture"))
            await conn.execute(update(s.feeds).values(enabled=False))  # made-up hosts: nothing to poll
    finally:
        await db.close()


async def outbox_state(url: str) -> tuple[Counter[str], list[tuple[str, str]]]:
    """Rows per status, and (key, destination) of every row that posts a message.

    (`refresh` rows only edit a parent after a failed edit; `skipped` rows post nothing.)
    """
    from sqlalchemy import select

    from bot.storage import schema as s
    from bot.storage.db import Database

    db = Database(url)
    try:
        async with db.connect() as conn:
            o = s.outbox.c
            rows = (await conn.execute(select(o.idempotency_key, o.destination, o.status, o.event))).all()
    finally:
        await db.close()
    posts = [
        (r.idempotency_key, r.destination) for r in rows if r.event != "refresh" and r.status != "skipped"
    ]
    return Counter(r.status for r in rows), posts


def write_config(path: Path, url: str, slack_api: str, discord_api: str, cap_s: int) -> None:
    path.write_text(
        f'[database]\nurl = "{url}"\n'
        f'[alerts]\nmax_backoff = "{cap_s}s"\n'
        f'[slack]\nbot_token = "xoxb-soak"\napi_url = "{slack_api}"\nchannel = "{SLACK_CHANNELS[0]}"\n'
        f'[discord]\ntoken = "soak-token"\nchannel_id = {DISCORD_CHANNELS[0]}\napi_url = "{discord_api}"\n'
        '[logging]\nlevel = "INFO"\n'
    )


class Bot:
    """One `factbot run --no-chat` process at a time, restarted after each kill."""

    def __init__(self, config: Path, logs: Path) -> None:
        self.config, self.logs = config, logs
        self.proc: asyncio.subprocess.Process | None = None
        self.runs = 0
        self.spawned_at = 0.0
        self.running_at: float | None = None
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.runs += 1
        log = open(self.logs / f"run{self.runs}.log", "wb")  # noqa: ASYNC230, SIM115 - a local file; the reader closes it
        self.spawned_at, self.running_at = time.monotonic(), None
        self.proc = await asyncio.create_subprocess_exec(
            FACTBOT,
            "run",
            "--no-chat",
            "--config",
            str(self.config),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
            env=dict(os.environ),
        )
        self._reader = asyncio.create_task(self._read(self.proc, log))

    async def _read(self, proc: asyncio.subprocess.Process, log: object) -> None:
        assert proc.stderr is not None
        with log:  # type: ignore[attr-defined]
            while line := await proc.stderr.readline():
                log.write(line)  # type: ignore[attr-defined]
                if self.running_at is None and b"factbot running" in line:
                    self.running_at = time.monotonic()

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()
        if self._reader is not None:
            await self._reader

    async def stop(self) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(self.proc.wait(), 60)
        if self._reader is not None:
            await self._reader
        return code


def count_in_logs(work: Path, text: str) -> int:
    """How often `text` appears in the runs' logs."""
    return sum(p.read_text(errors="replace").count(text) for p in sorted(work.glob("run*.log")))


def first_delivery_after(fakes: list[object], since: float) -> float | None:
    times = [t for f in fakes for t, _ in f.posted_at if t >= since]  # type: ignore[attr-defined]
    return min(times) if times else None


async def run(args: argparse.Namespace) -> int:
    from bot.adapters.discord.sender import nonce_for
    from tests.discord_fake import FakeDiscord
    from tests.slack_fake import FakeSlack

    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="factbot-soak-"))
    url = args.database or f"sqlite:///{work}/soak.db"
    t0 = time.perf_counter()
    await populate(url, args.stories)
    print(f"stored {args.stories} stories in {time.perf_counter() - t0:.1f} s; work dir {work}", flush=True)

    faults: Counter[str] = Counter()

    def fate() -> str | None:
        x = rng.random()
        for name, p in (("429", args.p429), ("5xx", args.p5xx), ("lost", args.plost)):
            if x < p:
                faults[name] += 1
                return name
            x -= p
        return None

    async with FakeSlack() as slack, FakeDiscord() as discord_fake:
        for cid in DISCORD_CHANNELS:
            discord_fake.add_channel(cid)
        slack.chaos = lambda method: fate() if method in ("chat.postMessage", "chat.update") else None
        discord_fake.chaos = lambda method, path: (
            fate() if method in ("POST", "PATCH") and path.startswith("/channels/") else None
        )
        config = work / "soak.toml"
        write_config(config, url, slack.base_url, discord_fake.base_url, args.cap)
        bot = Bot(config, work)
        start = time.monotonic()
        outage_from, outage_to = start + args.outage_at, start + args.outage_at + args.outage
        await bot.start()
        restarts: list[tuple[int, float, float | None, float | None]] = []  # run, spawned, running, first
        next_kill = start + rng.uniform(8, 20)
        pending: tuple[int, float] | None = None
        while True:
            now = time.monotonic()
            slack.outage = discord_fake.outage = outage_from <= now < outage_to
            counts, _ = await outbox_state(url)
            open_rows = counts["pending"] + counts["sending"]
            if pending is not None:
                first = first_delivery_after([slack, discord_fake], pending[1])
                if first is not None or open_rows == 0:
                    restarts.append((pending[0], pending[1], bot.running_at, first))
                    pending = None
            if open_rows == 0 and now > outage_to:
                break
            if now - start > args.timeout:
                print(f"timed out with {open_rows} alerts open", flush=True)
                break
            quiet = not (outage_from - 5 <= now <= outage_to + 5)
            if now >= next_kill and quiet and pending is None and len(restarts) < args.kills:
                await bot.kill()
                await bot.start()
                pending = (bot.runs, bot.spawned_at)
                next_kill = time.monotonic() + rng.uniform(8, 20)
            print(
                f"t={now - start:5.0f}s open={open_rows:5d} sent={counts['sent']:5d} dead={counts['dead']} "
                f"outage={'yes' if slack.outage else 'no '} runs={bot.runs}",
                flush=True,
            )
            await asyncio.sleep(args.poll)
        code = await bot.stop()
        took = time.monotonic() - start

        counts, rows = await outbox_state(url)
        seen_slack: Counter[str] = Counter()
        for messages in slack.channels.values():
            for m in messages:
                key = (m.get("metadata") or {}).get("event_payload", {}).get("key")
                if key:
                    seen_slack[key] += 1
        seen_discord: Counter[str] = Counter()
        for messages in discord_fake.messages.values():
            for m in messages:
                if m.get("nonce"):
                    seen_discord[m["nonce"]] += 1
        lost = dup = 0
        for key, dest in rows:
            n = seen_slack[key] if dest.startswith("slack:") else seen_discord[nonce_for(key)]
            lost += n == 0
            dup += max(n - 1, 0)
        recovered = count_in_logs(work, "was already delivered")
        print()
        print(
            f"alerts: {len(rows)} messages ({args.stories} stories x 2 events x 2 platforms); outbox rows "
            f"by status {dict(counts)} (refresh rows: parent edits retried)"
        )
        print(
            f"faults injected: {dict(faults)}; outage {args.outage:.0f} s of 5xx on both (retry cap {args.cap} s)"
        )
        print(
            f"kills: {bot.runs - 1} SIGKILLs; rows found already delivered after a crash or a lost answer: {recovered}"
        )
        for run_no, spawned, running, first in restarts:
            startup = f"{running - spawned:.1f} s" if running else "-"
            delay = f"{first - spawned:.1f} s" if first else "-"
            print(f"  restart {run_no - 1}: startup {startup}, first delivery {delay} after the restart")
        print(f"took {took:.0f} s; last process exit code {code}")
        print(f"LOST {lost}  DUPLICATES {dup}")
        return 0 if lost == 0 and dup == 0 and code == 0 else 1


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--stories", type=int, default=800)
    p.add_argument("--database", help="database URL (default: a fresh SQLite file)")
    p.add_argument("--p429", type=float, default=0.05)
    p.add_argument("--p5xx", type=float, default=0.05)
    p.add_argument("--plost", type=float, default=0.05)
    p.add_argument("--cap", type=int, default=20, help="[alerts] max_backoff in seconds")
    p.add_argument("--outage-at", type=float, default=40.0, help="seconds after start")
    p.add_argument("--outage", type=float, default=60.0, help="seconds of 5xx on both services")
    p.add_argument("--kills", type=int, default=10)
    p.add_argument("--timeout", type=float, default=1800)
    p.add_argument("--poll", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=13)
    return asyncio.run(run(p.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
