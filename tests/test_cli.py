"""The `factbot` command line, driven as a user would: arguments in, exit code and output out."""

from __future__ import annotations

import asyncio
import io
import os
import sys
from pathlib import Path

import pytest
from aiohttp import web

from bot import cli
from bot.demo import DemoFeedServer, demo_dir, feed_for_round

REPO = Path(__file__).resolve().parents[1]
FACTBOT = str(Path(sys.executable).with_name("factbot"))


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    p = tmp_path / "factbot.toml"
    p.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/cli.db"\n[logging]\nlevel = "WARNING"\n')
    return p


def run_cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(list(argv), out=out)
    return code, out.getvalue()


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    for command in (
        "run",
        "check-config",
        "feeds",
        "destinations",
        "import-opml",
        "demo",
        "eval",
        "--config",
    ):
        assert command in text


def test_run_help_documents_once(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["run", "--help"])
    assert "--once" in capsys.readouterr().out


def test_missing_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main([])
    assert info.value.code == 2


def test_check_config_summarises(config_file: Path) -> None:
    code, out = run_cli("--config", str(config_file), "check-config")
    assert code == 0
    assert "OK" in out and "console:stdout" in out


def test_config_option_after_the_subcommand_and_from_env(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = run_cli("check-config", "--config", str(config_file))
    assert code == 0 and str(config_file) in out
    monkeypatch.setenv("FACTBOT_CONFIG", str(config_file))
    code, out = run_cli("check-config")
    assert code == 0 and str(config_file) in out


def test_config_errors_exit_2_with_file_and_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[poll]\ninterval = "often"\n')
    code, _ = run_cli("--config", str(bad), "check-config")
    err = capsys.readouterr().err
    assert code == 2
    assert str(bad) in err and "poll.interval" in err
    code, _ = run_cli("--config", str(tmp_path / "missing.toml"), "run", "--once")
    assert code == 2 and "file not found" in capsys.readouterr().err


def test_migrate_creates_the_database(config_file: Path, tmp_path: Path) -> None:
    from bot.storage.migrate import head_revision

    code, out = run_cli("--config", str(config_file), "migrate")
    assert code == 0 and f"revision {head_revision()}" in out
    assert (tmp_path / "cli.db").exists()
    assert run_cli("--config", str(config_file), "migrate") == (code, out)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["feeds", "add", "ftp://example.org/x"], "http"),
        (["feeds", "add", "not a url"], "http"),
        (["feeds", "add", "https://example.org/x", "--kind", "official"], "--actor"),
        (["feeds", "add", "https://example.org/x", "--interval", "sometimes"], "--interval"),
        (["import-opml", "/nonexistent/feeds.opml"], "file not found"),
    ],
)
def test_bad_feed_input_exits_2(
    config_file: Path, args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run_cli("--config", str(config_file), *args)
    assert code == 2
    assert words in capsys.readouterr().err


def test_feeds_add_list_remove(config_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    c = ("--config", str(config_file))
    code, out = run_cli(*c, "feeds", "list")
    assert code == 0 and "no feeds" in out
    code, out = run_cli(
        *c,
        "feeds",
        "add",
        "https://example.org/ice.rss",
        "--kind",
        "official",
        "--actor",
        "ICE",
        "--interval",
        "5m",
    )
    assert code == 0 and "https://example.org/ice.rss" in out
    code, out = run_cli(*c, "feeds", "add", "https://example.org/wire.xml", "--name", "Wire")
    assert code == 0
    code, _ = run_cli(*c, "feeds", "add", "https://example.org/wire.xml")
    assert code == 1 and "already stored" in capsys.readouterr().err
    code, out = run_cli(*c, "feeds", "list")
    assert code == 0
    assert "https://example.org/ice.rss" in out and "official" in out and "'ICE'" in out
    assert "https://example.org/wire.xml" in out and "'Wire'" in out
    code, out = run_cli(*c, "feeds", "remove", "https://example.org/ice.rss")
    assert code == 0
    code, out = run_cli(*c, "feeds", "list")
    assert "ice.rss" not in out and "wire.xml" in out
    wire_id = out.split()[0]
    assert run_cli(*c, "feeds", "remove", wire_id)[0] == 0
    assert "no feeds" in run_cli(*c, "feeds", "list")[1]
    assert run_cli(*c, "feeds", "remove", "https://example.org/never-added")[0] == 1
    assert "never-added" in capsys.readouterr().err


async def _pause_with_an_alert_kept(db_url: str, destination: str, reason: str) -> None:
    from bot.storage import outbox
    from bot.storage.db import Database
    from tests.test_outbox import T0, make_story

    db = Database(db_url)
    try:
        await db.migrate()
        await make_story(db, [destination])
        async with db.begin() as conn:
            await outbox.pause_destination(conn, destination, reason=reason, now=T0)
    finally:
        await db.close()


def test_destinations_list_and_resume(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    c = ("--config", str(config_file))
    code, out = run_cli(*c, "destinations", "list")
    assert code == 0 and out.split() == ["console:stdout", "active", "pending=0"]  # configured, unused

    asyncio.run(_pause_with_an_alert_kept(f"sqlite:///{tmp_path}/cli.db", "slack:C0ALERTS", "not_in_channel"))
    code, out = run_cli(*c, "destinations", "list")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("slack:C0ALERTS"))
    assert "PAUSED" in line and "pending=1" in line and "since=2025-05-15 12:00" in line
    assert "why=not_in_channel" in line
    assert "factbot destinations resume NAME" in out

    code, _ = run_cli(*c, "destinations", "resume", "slack:CNOPE")
    err = capsys.readouterr().err
    assert code == 2 and "No destination `slack:CNOPE`" in err and "slack:C0ALERTS" in err

    code, out = run_cli(*c, "destinations", "resume", "slack:C0ALERTS")
    assert code == 0 and "Resumed slack:C0ALERTS" in out and "1 kept alert goes out" in out
    code, out = run_cli(*c, "destinations", "list")
    assert "PAUSED" not in out and "resume" not in out
    code, out = run_cli(*c, "destinations", "resume", "C0ALERTS")  # already active: says so, no error
    assert code == 0 and "is not paused" in out


async def _give_up_on_an_alert(db_url: str, destination: str) -> None:
    from bot.storage import outbox
    from bot.storage.db import Database
    from tests.test_outbox import make_story, rows

    db = Database(db_url)
    try:
        await db.migrate()
        await make_story(db, [destination])
        [row] = await rows(db)
        async with db.begin() as conn:
            await outbox.mark_dead(conn, row.id, error="gave up after 168.0 h of failures: 503")
    finally:
        await db.close()


def test_outbox_list_retry_and_status_show_given_up_alerts(config_file: Path, tmp_path: Path) -> None:
    c = ("--config", str(config_file))
    asyncio.run(_give_up_on_an_alert(f"sqlite:///{tmp_path}/cli.db", "slack:C0ALERTS"))
    code, out = run_cli(*c, "status")
    assert code == 0 and "undeliverable: 1" in out and "factbot outbox retry" in out
    code, out = run_cli(*c, "outbox", "list")
    assert code == 0 and out.strip() == "no open alert events"
    code, out = run_cli(*c, "outbox", "list", "--status", "dead")
    assert code == 0 and "dead     slack:C0ALERTS  dispute 1 new_dispute" in out
    assert "error: gave up after 168.0 h" in out and "factbot outbox retry" in out
    code, out = run_cli(*c, "destinations", "list")
    assert "given_up=1" in next(x for x in out.splitlines() if x.startswith("slack:C0ALERTS"))

    code, out = run_cli(*c, "outbox", "retry", "--destination", "slack:COTHER")
    assert code == 0 and out.strip() == "0 given-up alert events queued again"
    code, out = run_cli(*c, "outbox", "retry")
    assert code == 0 and out.strip() == "1 given-up alert event queued again"
    code, out = run_cli(*c, "outbox", "list")
    assert "pending  slack:C0ALERTS" in out and "attempts=0" in out
    assert "undeliverable: 0" in run_cli(*c, "status")[1]


async def test_destinations_resume_of_an_unknown_name_exits_2(config_file: Path) -> None:
    code, out, err = await _factbot("destinations", "resume", "discord:999", "--config", str(config_file))
    assert code == 2 and out == ""
    assert "No destination `discord:999`" in err and "console:stdout" in err


OPML = b"""<?xml version="1.0"?>
<opml version="2.0">
  <head><title>Desk subscriptions</title></head>
  <body>
    <outline text="Officials">
      <outline text="Ministry" title="Ministry of Examples" type="rss" xmlUrl="https://example.org/ministry.xml"/>
      <outline text="Nested">
        <outline text="Deep" xmlUrl="http://example.org/deep.rss" language="es"/>
      </outline>
    </outline>
    <outline text="A web page only" htmlUrl="https://example.org/"/>
    <outline text="Not http" xmlUrl="gopher://example.org/feed"/>
    <outline text="Duplicate" xmlUrl="https://example.org/ministry.xml"/>
  </body>
</opml>
"""


def test_opml_parsing_finds_nested_outlines() -> None:
    from bot.opml import parse_opml

    specs = parse_opml(OPML)
    assert [(s.url, s.name, s.language) for s in specs] == [
        ("https://example.org/ministry.xml", "Ministry of Examples", None),
        ("http://example.org/deep.rss", "Deep", "es"),
    ]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "well-formed"),
        (b"<opml><body>", "well-formed"),
        (b"<rss><channel/></rss>", "not an OPML"),
        (b"<opml version='2.0'><head/></opml>", "no <body>"),
        (
            b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><opml><body><outline xmlUrl="&e;"/></body></opml>',
            "",
        ),
    ],
)
def test_bad_opml_is_a_clear_error(data: bytes, words: str) -> None:
    from bot.opml import OpmlError, parse_opml

    try:
        specs = parse_opml(data)
    except OpmlError as e:
        assert words in str(e)
    else:  # the entity case: never expanded, so no feed comes out of it
        assert specs == [] and words == ""


def test_import_opml_rejects_files_without_feeds(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.opml"
    empty.write_bytes(b"<opml><body><outline text='folder'/></body></opml>")
    assert run_cli("--config", str(config_file), "import-opml", str(empty))[0] == 2
    assert "no feeds found" in capsys.readouterr().err
    broken = tmp_path / "broken.opml"
    broken.write_bytes(b"<opml><body><outline")
    assert run_cli("--config", str(config_file), "import-opml", str(broken))[0] == 2
    assert str(broken) in capsys.readouterr().err


def test_import_opml_adds_new_feeds_once(config_file: Path, tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_bytes(OPML)
    c = ("--config", str(config_file))
    code, out = run_cli(*c, "import-opml", str(opml))
    assert code == 0 and "imported 2 new feeds" in out
    code, out = run_cli(*c, "import-opml", str(opml))
    assert code == 0 and "imported 0 new feeds (2 already present)" in out
    listing = run_cli(*c, "feeds", "list")[1]
    assert "ministry.xml" in listing and "deep.rss" in listing and "origin=opml" in listing


def test_eval_subcommands_dispatch_to_the_evaluators() -> None:
    parser = cli.build_parser()
    args = parser.parse_args(["eval", "cases", "--data", "d", "--json", "o.json"])
    assert args.func is cli.cmd_eval_cases and args.data == "d" and args.json == "o.json"
    for name in ("fnc1", "emergent"):
        args = parser.parse_args(["eval", name, "--data", "d", "--predictions", "p.csv"])
        assert args.func is cli.cmd_eval_stance and args.eval_set == name and args.predictions == "p.csv"


def test_demo_feeds_unfold_by_round() -> None:
    directory = demo_dir()
    claim, denial, embassy = b"HSI vetted unit", b"is false", b"inaccurate"
    rounds = {
        n: b"".join(feed_for_round(p.read_bytes(), n) for p in sorted(directory.glob("*.xml")))
        for n in (1, 2, 3)
    }
    assert claim in rounds[1] and denial not in rounds[1] and embassy not in rounds[1]
    assert denial in rounds[2] and embassy not in rounds[2]
    assert embassy in rounds[3]
    assert all(b"demo:round" not in body and b"xmlns:demo" not in body for body in rounds.values())


async def test_demo_server_serves_etags_and_304s() -> None:
    import aiohttp

    server = DemoFeedServer(demo_dir())
    base = await server.start()
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{base}/ice-newsroom.xml") as r:
                assert r.status == 200 and "rss" in r.headers["Content-Type"]
                etag = r.headers["ETag"]
            async with session.get(f"{base}/ice-newsroom.xml", headers={"If-None-Match": etag}) as r:
                assert r.status == 304
            server.round = 3
            async with session.get(f"{base}/presidency.xml", headers={"If-None-Match": etag}) as r:
                assert r.status == 200 and "atom" in r.headers["Content-Type"]
            for bad in ("factbot-demo.toml", "..%2Fpyproject.toml", "nope.xml"):
                async with session.get(f"{base}/{bad}") as r:
                    assert r.status == 404
    finally:
        await server.stop()


# --- end to end through the installed console script ----------------------------------------


async def _factbot(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        FACTBOT,
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=str(REPO),
        env={**os.environ, **(env or {})},
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=90)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_demo_prints_one_threaded_alert() -> None:
    code, out, err = await _factbot("demo")
    assert code == 0, err
    parents = [line for line in out.splitlines() if line.startswith("[alert #")]
    replies = [line for line in out.splitlines() if line.lstrip().startswith("↳")]
    assert len(parents) == 1, out
    assert replies, out
    round2 = out.index("=== Round 2")
    round3 = out.index("=== Round 3")
    assert round2 < out.index(parents[0]) < round3  # the alert appears once the denial is published
    assert "https://demo.invalid/ice/news/sinaloa-labs" in out
    assert "https://demo.invalid/presidency/briefings/sinaloa-ice" in out
    assert "https://demo.invalid/embassy/news/sinaloa-statement" in out[round3:]


async def test_run_once_twice_posts_nothing_twice(tmp_path: Path) -> None:
    directory = demo_dir()
    server = DemoFeedServer(directory)
    base = await server.start()
    try:
        server.round = 3
        config = tmp_path / "factbot.toml"
        feeds = "".join(
            f'[[feeds]]\nurl = "{base}/{name}"\nkind = "official"\nactor = "{actor}"\n'
            for name, actor in (
                ("ice-newsroom.xml", "U.S. Immigration and Customs Enforcement"),
                ("presidency.xml", "Claudia Sheinbaum"),
                ("embassy.xml", "U.S. Embassy in Mexico"),
            )
        )
        config.write_text(
            f'[database]\nurl = "sqlite:///{tmp_path}/once.db"\n[alerts]\nmax_age_days = 0\n'
            f'[logging]\nlevel = "INFO"\nformat = "json"\n{feeds}'
        )
        code, first, err = await _factbot("run", "--once", "--config", str(config))
        assert code == 0, err
        assert "[alert #" in first
        assert '"msg": "cycle done"' in err  # structured JSON logs on stderr
        code, second, err = await _factbot("run", "--once", "--config", str(config))
        assert code == 0, err
        assert "[alert #" not in second and "↳" not in second
    finally:
        await server.stop()


async def test_run_once_survives_a_broken_feed(tmp_path: Path) -> None:
    async def broken(request: web.Request) -> web.Response:
        return web.Response(status=500, text="oops")

    app = web.Application()
    app.router.add_get("/broken.xml", broken)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        config = tmp_path / "factbot.toml"
        config.write_text(
            f'[database]\nurl = "sqlite:///{tmp_path}/b.db"\n[poll]\ntimeout = "5s"\n'
            f'[[feeds]]\nurl = "http://{host}:{port}/broken.xml"\n'
        )
        code, _out, err = await _factbot("run", "--once", "--config", str(config))
        assert code == 0, err  # one failing feed is recorded, not fatal
        assert "failed_feeds=1" in err
    finally:
        await runner.cleanup()
