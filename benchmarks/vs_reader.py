"""factbot against lemon24/reader, side by side: whole processes on the same local feeds (prints figures).

    .venv/bin/pip install -e '.[bench]'          # reader, for this benchmark only
    .venv/bin/python benchmarks/vs_reader.py     # 500 feeds x 20 items, 3 repeats of warm/changed

Both tools run as whole processes, started fresh for each cycle (start-up, imports, database
open, polling, storing and, for factbot, detection and delivery all count):

- factbot: `factbot run --once --config <500 [[feeds]]>` (SQLite; alerts to the console);
- reader:  a small script around `make_reader(db).update_feeds(scheduled=False, workers=N)`
  (its cold cycle also adds the 500 feeds, as factbot's stores its config feeds).

Cycles: cold (empty databases, every entry new), warm (every feed answers 304), changed (10 %
of the feeds gain 2 new entries; a new round each repeat). factbot's own phase timings come
from its "cycle done" log line, so detection's share is shown apart: the detector's per-item
cost belongs to the detector, and "without detection" is what ingest owns. The feed server runs
in a separate process on 32 loopback addresses (the per-host limit works as with real hosts).
The feed texts are generated filler, not news.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.local_feeds import HOSTS, feed_urls  # noqa: E402
from benchmarks.local_feeds import serve as serve_feeds  # noqa: E402

FACTBOT = str(Path(sys.executable).with_name("factbot"))

_WORDS = (
    "council budget river bridge harbour school rail water market energy transport museum festival "
    "report season storm harvest library district clinic tunnel airport ferry court stadium plant"
).split()


def feed_doc(i: int, items: int, extra: int) -> bytes:
    """Feed `i`: `items` entries plus `extra` newer ones (generated text, stable per entry)."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>',
        f"<title>Bench feed {i}</title><link>https://bench.example/{i}/</link><language>en</language>",
    ]
    for j in reversed(range(items + extra)):
        w = [_WORDS[(i * 7 + j * 3 + k) % len(_WORDS)] for k in range(6)]
        body = (
            f"The {w[0]} committee met on day {j} to review the {w[1]} and the {w[2]} plans. "
            f"Members asked for a new {w[3]} study before the {w[4]} vote, and the {w[5]} office will publish it."
        )
        parts.append(
            f"<item><guid isPermaLink='false'>bench-{i}-{j}</guid>"
            f"<title>Feed {i} note {j}: {w[0]} and {w[1]} update</title>"
            f"<link>https://bench.example/{i}/{j}</link>"
            f"<pubDate>Thu, 15 May 2025 {j % 24:02d}:{i % 60:02d}:00 GMT</pubDate>"
            f"<description>&lt;p&gt;{body}&lt;/p&gt;</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


def serve(items: int) -> None:
    """The feed server process: 10 % of the feeds gain 2 entries each round."""
    serve_feeds(lambda i, rnd: 2 * rnd if i % 10 == 0 else 0, lambda i, extra: feed_doc(i, items, int(extra)))


READER_SCRIPT = """
import sys
from reader import make_reader
db, workers, urls = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
r = make_reader(db)
for url in urls:
    r.add_feed(url, exist_ok=True)
r.update_feeds(scheduled=False, workers=workers)
r.close()
"""


@dataclass
class Run:
    wall: float
    phases: dict[str, float]
    new_items: int = 0
    cpu: float = 0.0  # user + system seconds of the process: steadier than wall time on a busy machine


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


_CYCLE = re.compile(r"cycle done(?P<rest>.*)$", re.M)
_FIELD = re.compile(r"(\w+)=([\w.\-]+)")


def run_factbot(command: list[str], config: Path, log: Path) -> Run:
    t, cpu = time.perf_counter(), _children_cpu()
    with open(log, "w") as err:
        proc = subprocess.run(
            [*command, "run", "--once", "--config", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=err,
            check=False,
        )
    wall, cpu = time.perf_counter() - t, _children_cpu() - cpu
    text = log.read_text()
    if proc.returncode != 0:
        raise SystemExit(f"factbot exited {proc.returncode}; see {log}")
    m = list(_CYCLE.finditer(text))
    fields = dict(_FIELD.findall(m[-1].group("rest"))) if m else {}
    phases = {k[:-2]: float(v) for k, v in fields.items() if k.endswith("_s")}
    return Run(wall, phases, int(fields.get("new_items", 0)), cpu)


def run_reader(db: Path, workers: int, urls: list[str]) -> Run:
    t, cpu = time.perf_counter(), _children_cpu()
    subprocess.run([sys.executable, "-c", READER_SCRIPT, str(db), str(workers), *urls], check=True)
    return Run(time.perf_counter() - t, {}, 0, _children_cpu() - cpu)


def write_config(path: Path, db: Path, urls: list[str]) -> None:
    lines = [f'[database]\nurl = "sqlite:///{db}"\n[alerts]\nmax_age_days = 0\n[poll]\ntimeout = "20s"\n']
    for url in urls:
        lines.append(f'[[feeds]]\nurl = "{url}"\n')
    path.write_text("".join(lines))


def set_round(port: int, n: int) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_round/{n}") as r:
        r.read()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--feeds", type=int, default=500)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3, help="warm and changed cycles each (median shown)")
    ap.add_argument("--workers", type=int, default=16, help="reader's update_feeds workers")
    ap.add_argument(
        "--factbot",
        default=FACTBOT,
        help="the factbot command to time (default: this venv's; e.g. 'python -m bot.cli' with PYTHONPATH "
        "pointing at another checkout, to compare versions)",
    )
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.items)
        return
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--items", str(args.items)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None and server.stdin is not None
    port = int(server.stdout.readline())
    tmp = tempfile.TemporaryDirectory()
    work = Path(tmp.name)
    urls = feed_urls(port, args.feeds)
    config = work / "factbot.toml"
    write_config(config, work / "factbot.db", urls)
    os.environ.pop("FACTBOT_CONFIG", None)
    command = shlex.split(args.factbot)
    print(
        f"feeds={args.feeds} items/feed={args.items} hosts={HOSTS} reader workers={args.workers} (load {os.getloadavg()[0]:.1f})"
    )
    rows: list[tuple[str, Run, Run]] = []
    try:
        fb = run_factbot(command, config, work / "cold.log")
        rd = run_reader(work / "reader.db", args.workers, urls)
        rows.append(("cold", fb, rd))
        warm_f, warm_r = [], []
        for k in range(args.repeat):
            warm_f.append(run_factbot(command, config, work / f"warm{k}.log"))
            warm_r.append(run_reader(work / "reader.db", args.workers, urls))
        rows.append(("warm", _median(warm_f), _median(warm_r)))
        ch_f, ch_r = [], []
        for k in range(args.repeat):
            set_round(port, k + 1)
            ch_f.append(run_factbot(command, config, work / f"changed{k}.log"))
            ch_r.append(run_reader(work / "reader.db", args.workers, urls))
        rows.append(("changed", _median(ch_f), _median(ch_r)))
    finally:
        server.stdin.close()
        server.wait()
    print(
        f"{'cycle':8s} {'factbot':>8s} {'reader':>8s} {'ratio':>6s}   {'detect':>7s} {'w/o det.':>8s} {'ratio':>6s}"
        f"   {'cpu fb':>7s} {'cpu rd':>7s}   factbot phases (s)"
    )
    for name, fb, rd in rows:
        det = fb.phases.get("detect", 0.0)
        phases = " ".join(f"{k}={v:.2f}" for k, v in fb.phases.items())
        startup = fb.wall - sum(fb.phases.values())
        print(
            f"{name:8s} {fb.wall:7.2f}s {rd.wall:7.2f}s {fb.wall / rd.wall:5.2f}x   {det:6.2f}s "
            f"{fb.wall - det:7.2f}s {(fb.wall - det) / rd.wall:5.2f}x   {fb.cpu:6.2f}s {rd.cpu:6.2f}s   "
            f"{phases} outside phases={startup:.2f}"
        )
    print("ratios are factbot / reader (lower is faster); 'w/o det.' leaves out the detect phase")
    tmp.cleanup()


def _median(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda r: r.wall)[len(runs) // 2]


if __name__ == "__main__":
    main()
