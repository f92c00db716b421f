"""The `factbot` command line.

    factbot run [--once]            the bot (long-running), or one cron-friendly cycle
    factbot check-config            validate the config file and say what is configured
    factbot migrate                 bring the database schema up to date (deploy release step)
    factbot feeds add|list|remove   manage feeds stored in the database
    factbot destinations list       alert destinations: paused or not, why, alerts kept
    factbot destinations resume D   send a paused destination's kept (and given-up) alerts again
    factbot outbox list|retry       alert events waiting or given up; queue given-up ones again
    factbot status                  feeds, failing feeds, alerts waiting/given up, destinations
    factbot import-opml FILE        add every feed of an OPML export
    factbot export-opml [FILE]      write the stored feeds as OPML (stdout without FILE)
    factbot why URL                 why an article did or did not alert, stage by stage
    factbot demo                    the reference story from bundled feeds, on this machine
    factbot eval cases|statements|fnc1|emergent  measure the detector and the stance model

`--config PATH` works everywhere (default config/factbot.toml, or $FACTBOT_CONFIG).
Exit codes: 0 ok, 1 failure at run time, 2 bad usage or bad configuration/input.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.config import DEFAULT_CONFIG_PATH, Config, ConfigError, check_feed_url, load_config, parse_duration
from bot.logging import setup_logging
from bot.types import Feed, FeedKind, FeedSpec
from bot.urls import url_key

if TYPE_CHECKING:
    from bot.storage.db import Database
    from bot.storage.feeds import FeedStore

log = logging.getLogger("bot.cli")

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input from the user (not a bug, not a run-time failure): exit code 2."""


def _add_config_option(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # Accepted before and after the subcommand; the subcommand's copy must not overwrite the
    # top-level value with its default, hence SUPPRESS there.
    parser.add_argument(
        "--config",
        metavar="PATH",
        default=None if top else argparse.SUPPRESS,
        help=f"config file (default: $FACTBOT_CONFIG or {DEFAULT_CONFIG_PATH})",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `factbot` command."""
    p = argparse.ArgumentParser(
        prog="factbot",
        description="Watches news and official feeds and alerts your desk when an official statement "
        "is denied, contradicted, retracted or corrected.",
        epilog="Start with `factbot demo` to see it work on bundled feeds, no tokens needed.",
    )
    _add_config_option(p, top=True)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help_: str, **kw: Any) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_, **kw)
        _add_config_option(sp, top=False)
        return sp

    run = command("run", "run the bot: scheduler, detector, dispatcher and chat listeners, until stopped")
    run.add_argument(
        "--once",
        action="store_true",
        help="poll every enabled feed now, detect, deliver alerts, then exit (for cron)",
    )
    run.add_argument(
        "--no-chat",
        action="store_true",
        help="do not start the chat listeners (extra worker replicas: poll, detect, deliver only)",
    )
    run.set_defaults(func=cmd_run)

    command("check-config", "validate the config file and summarise it").set_defaults(func=cmd_check_config)
    command("migrate", "create or upgrade the database schema, then exit").set_defaults(func=cmd_migrate)

    feeds = command("feeds", "manage the feeds stored in the database")
    fsub = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    add = fsub.add_parser("add", help="add a feed")
    _add_config_option(add, top=False)
    add.add_argument("url", help="the feed's http(s) URL")
    add.add_argument("--kind", choices=[k.value for k in FeedKind], default="news", help="default: news")
    add.add_argument("--actor", help="for official feeds: whose statements the feed publishes")
    add.add_argument("--name", default="", help="display name (default: the feed's title)")
    add.add_argument("--language", help="language hint, e.g. en, es")
    add.add_argument("--interval", help="poll interval, e.g. 5m (default: [poll] interval)")
    add.add_argument(
        "--account",
        action="store_true",
        help="a social account's feed (Bluesky, Mastodon, an X bridge): reposts and quotes are "
        "credited to their own authors, not to --actor",
    )
    add.set_defaults(func=cmd_feeds_add)
    ls = fsub.add_parser("list", help="list stored feeds and their polling state")
    _add_config_option(ls, top=False)
    ls.set_defaults(func=cmd_feeds_list)
    rm = fsub.add_parser("remove", help="remove a feed by URL or id")
    _add_config_option(rm, top=False)
    rm.add_argument("feed", metavar="URL|ID")
    rm.set_defaults(func=cmd_feeds_remove)

    dest = command("destinations", "see alert destinations and resume paused ones")
    dsub = dest.add_subparsers(dest="destinations_command", metavar="ACTION", required=True)
    dls = dsub.add_parser(
        "list", help="every destination: paused or not, why and since when, alerts waiting for it"
    )
    _add_config_option(dls, top=False)
    dls.set_defaults(func=cmd_destinations_list)
    dre = dsub.add_parser(
        "resume",
        help="unpause a destination (after fixing the channel, permission or token); "
        "its kept alerts go out on the next delivery pass",
    )
    _add_config_option(dre, top=False)
    dre.add_argument("destination", metavar="NAME", help="e.g. slack:C0ALERTS or discord:1234 (see `list`)")
    dre.set_defaults(func=cmd_destinations_resume)

    ob = command("outbox", "see alert events and send given-up ones again")
    osub = ob.add_subparsers(dest="outbox_command", metavar="ACTION", required=True)
    ols = osub.add_parser("list", help="alert events, newest first (default: those not sent)")
    _add_config_option(ols, top=False)
    ols.add_argument(
        "--status",
        choices=["open", "pending", "sending", "sent", "dead", "skipped", "all"],
        default="open",
        help="open (pending + sending, the default), dead (given up), all, ...",
    )
    ols.add_argument("--destination", metavar="NAME", help="only this destination, e.g. slack:C0ALERTS")
    ols.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    ols.set_defaults(func=cmd_outbox_list)
    ore = osub.add_parser(
        "retry", help="queue given-up (dead) alert events again: all, some ids, or one destination's"
    )
    _add_config_option(ore, top=False)
    ore.add_argument("ids", nargs="*", type=int, metavar="ID", help="outbox ids (see `list --status dead`)")
    ore.add_argument("--destination", metavar="NAME", help="only this destination's dead alerts")
    ore.set_defaults(func=cmd_outbox_retry)

    command("status", "feeds, failing feeds, alerts waiting and given up, destinations").set_defaults(
        func=cmd_status
    )

    opml = command("import-opml", "add every feed listed in an OPML file")
    opml.add_argument("file", help="an OPML export from a feed reader")
    opml.add_argument(
        "--kind",
        choices=[k.value for k in FeedKind],
        default=None,
        help="for every feed (default: as the file says, from `export-opml`, else news)",
    )
    opml.add_argument("--actor", help="for --kind official: whose statements these feeds publish")
    opml.set_defaults(func=cmd_import_opml)

    exp = command("export-opml", "write the stored feeds as an OPML file (to move them to another install)")
    exp.add_argument("file", nargs="?", help="where to write (default: standard output)")
    exp.set_defaults(func=cmd_export_opml)

    why = command("why", "why an article did or did not alert: each stage from fetch to delivery")
    why.add_argument("url", help="the article's link, as a feed gave it")
    why.set_defaults(func=cmd_why)

    demo = command("demo", "replay the bundled demo feeds through the whole pipeline, console alerts")
    demo.add_argument("--feeds", metavar="DIR", help="demo feed directory (default: the bundled config/demo)")
    demo.set_defaults(func=cmd_demo)

    ev = command("eval", "measure the detector and the stance model on labelled data")
    esub = ev.add_subparsers(dest="eval_command", metavar="SET", required=True)
    cases = esub.add_parser("cases", help="replay a cases/distractors set (../shared/data/dev-cases format)")
    cases.add_argument("--data", required=True, metavar="DIR")
    cases.add_argument("--json", metavar="OUT", help="also write the figures as JSON")
    cases.add_argument(
        "--split",
        choices=("tune", "heldout"),
        help="only one half of dev-cases, as written down in training/splits.toml",
    )
    cases.add_argument(
        "--splits", metavar="FILE", default="training/splits.toml", help="the split file for --split"
    )
    cases.add_argument("--model", metavar="FILE", help="a detector model other than the packaged one")
    _add_config_option(cases, top=False)
    cases.set_defaults(func=cmd_eval_cases)
    st = esub.add_parser("statements", help="who-said-what accuracy on labelled items (JSON lines)")
    st.add_argument("--data", nargs="+", required=True, metavar="PATH", help="probe files or folders of them")
    st.add_argument("--show", type=int, default=30, metavar="N", help="mismatches to print (default 30)")
    st.set_defaults(func=cmd_eval_statements)
    for name, what in (("fnc1", "FNC-1 competition test split"), ("emergent", "Emergent test split")):
        e = esub.add_parser(name, help=f"stance model on the {what}")
        e.add_argument("--data", required=True, metavar="DIR")
        e.add_argument("--predictions", metavar="OUT.csv", help="write the predictions as CSV")
        _add_config_option(e, top=False)
        e.set_defaults(func=cmd_eval_stance, eval_set=name)
    return p


# --- helpers --------------------------------------------------------------------------------


def _config(args: argparse.Namespace) -> Config:
    return load_config(args.config)


def _arun(coro_fn: Callable[[], Awaitable[int]]) -> int:
    async def main() -> int:
        return await coro_fn()

    return asyncio.run(main())


async def _open_db(config: Config) -> Database:
    from bot.storage.db import Database

    db = Database(config.database.url)
    await db.migrate()
    return db


def _feed_store(db: Database, config: Config) -> FeedStore:
    from bot.storage.feeds import FeedStore

    return FeedStore(db, config.poll)


def _fmt_when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else "-"


# --- commands -------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    """`factbot run [--once]`."""
    config = _config(args)
    setup_logging(config.log_level, config.log_format)
    from bot import app

    try:
        if args.once:
            report = asyncio.run(app.run_once(config))  # its summary is logged as "cycle done"
            return EXIT_OK if report.ok else EXIT_FAILURE
        asyncio.run(app.run(config, chat=not args.no_chat))
    except (ConfigError, UsageError, KeyboardInterrupt):
        raise
    except Exception as e:  # logged with its traceback, then a plain exit code for supervisors
        log.exception("factbot stopped on an error", extra={"fields": {"error": f"{type(e).__name__}: {e}"}})
        return EXIT_FAILURE
    return EXIT_OK


def cmd_check_config(args: argparse.Namespace, out: TextIO) -> int:
    """`factbot check-config`: load, validate, summarise (no secrets printed)."""
    config = _config(args)
    from bot.adapters import destinations

    official = sum(1 for f in config.feeds if f.kind is FeedKind.OFFICIAL)
    print(f"{config.path}: OK", file=out)
    print(f"  database: {config.database.url.split('://', 1)[0]}", file=out)
    print(
        f"  feeds: {len(config.feeds)} ({official} official, {len(config.feeds) - official} news)", file=out
    )
    print(f"  poll interval: {config.poll.interval_s}s, concurrency {config.poll.concurrency}", file=out)
    print(f"  alerts to: {', '.join(destinations(config))}", file=out)
    print(f"  slack: {'on (' + config.slack.mode + ' mode)' if config.slack.enabled else 'off'}", file=out)
    print(f"  discord: {'on' if config.discord.enabled else 'off'}", file=out)
    w = config.web
    pages = (
        f"on at http://{w.host}:{w.port}" + (" (token required)" if w.token else "") if w.enabled else "off"
    )
    print(
        f"  web pages: {pages}" + (f", alerts link to {w.base_url}" if w.enabled and w.base_url else ""),
        file=out,
    )
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace, out: TextIO) -> int:
    """`factbot migrate`."""
    config = _config(args)
    setup_logging(config.log_level, config.log_format)

    async def go() -> int:
        from bot.storage.migrate import current_revision

        db = await _open_db(config)
        try:
            print(f"database at revision {await current_revision(db)}", file=out)
        finally:
            await db.close()
        return EXIT_OK

    return _arun(go)


def _spec_from_args(args: argparse.Namespace) -> FeedSpec:
    try:
        url = check_feed_url(args.url)
    except ValueError as e:
        raise UsageError(str(e)) from None
    kind = FeedKind(args.kind)
    if kind is FeedKind.OFFICIAL and not args.actor:
        raise UsageError("official feeds need --actor (whose statements the feed publishes)")
    interval: int | None = None
    if args.interval:
        try:
            interval = int(parse_duration(args.interval))
        except ValueError as e:
            raise UsageError(f"--interval: {e}") from None
    return FeedSpec(
        url=url,
        name=args.name or "",
        kind=kind,
        actor=args.actor,
        language=args.language,
        interval_s=interval,
        account=bool(getattr(args, "account", False)),
    )


def cmd_feeds_add(args: argparse.Namespace, out: TextIO) -> int:
    """`factbot feeds add URL ...`."""
    spec = _spec_from_args(args)
    config = _config(args)

    async def go() -> int:
        from bot.storage.feeds import DuplicateFeedError

        db = await _open_db(config)
        try:
            feed = await _feed_store(db, config).add(spec, origin="cli")
        except DuplicateFeedError as e:
            print(f"factbot: {spec.url} is already stored as feed {e.feed_id}", file=sys.stderr)
            return EXIT_FAILURE
        finally:
            await db.close()
        print(
            f"added feed {feed.id}: {feed.url} ({feed.kind.value}{', ' + feed.actor if feed.actor else ''})",
            file=out,
        )
        return EXIT_OK

    return _arun(go)


def cmd_feeds_list(args: argparse.Namespace, out: TextIO) -> int:
    """`factbot feeds list`: one line per feed with its polling state."""
    config = _config(args)

    async def go() -> int:
        db = await _open_db(config)
        try:
            feeds = await _feed_store(db, config).list()
        finally:
            await db.close()
        if not feeds:
            print("no feeds yet: add one with `factbot feeds add URL` or in the config file", file=out)
            return EXIT_OK
        for f in feeds:
            state = f.last_status or "never polled"
            if f.consecutive_failures:
                state += f", {f.consecutive_failures} failures"
            flags = "" if f.enabled else " [disabled]"
            who = f" actor={f.actor!r}" if f.actor else ""
            print(
                f"{f.id:>5}  {f.kind.value:<8} {f.url}{flags}\n"
                f"       name={f.name!r}{who} origin={f.origin} last_poll={_fmt_when(f.last_poll_at)} "
                f"status={state}",
                file=out,
            )
        return EXIT_OK

    return _arun(go)


def cmd_feeds_remove(args: argparse.Namespace, out: TextIO) -> int:
    """`factbot feeds remove URL|ID`."""
    config = _config(args)
    target: int | str = int(args.feed) if args.feed.isdigit() else args.feed

    async def go() -> int:
        db = await _open_db(config)
        try:
            removed = await _feed_store(db, config).remove(target)
        finally:
            await db.close()
        if not removed:
            print(f"no feed {args.feed!r}", file=sys.stderr)
            return EXIT_FAILURE
        print(f"removed feed {args.feed}", file=out)
        return EXIT_OK

    return _arun(go)


def cmd_destinations_list(args: argparse.Namespace, out: TextIO) -> int:
    """`factbot destinations list`: one line per destination with its pause state and queue."""
    config = _config(args)
    from bot.adapters import destinations
    from bot.commands import list_destinations

    async def go() -> int:
        db = await _open_db(config)
        try:
            found = await list_destinations(db, destinations(config))
        finally:
            await db.close()
        width = max((len(d.name) for d in found), default=0)
        for d in found:
            line = f"{d.name:<{width}}  {'PAUSED' if d.paused else 'active':<6}  pending={d.pending}"
            if d.dead:
                line += f"  given_up={d.dead}"
            if d.failures:
                line += f"  failing_since={_fmt_when(d.failing_since)}  failures={d.failures}"
            if d.paused:
                line += f"  since={_fmt_when(d.since)}  why={d.reason or '-'}"
            print(line, file=out)
        if any(d.paused for d in found):
            print("resume one with `factbot destinations resume NAME` once the cause is fixed", file=out)
        return EXIT_OK

    return _arun(go)


def cmd_destinations_resume(args: argparse.Namespace, out: TextIO) -> int:
    """`factbot destinations resume NAME`: 0 resumed (or not paused), 2 no such destination."""
    config = _config(args)
    from bot.adapters import destinations
    from bot.commands import resume_destination

    async def go() -> int:
        db = await _open_db(config)
        try:
            result = await resume_destination(
                db, args.destination, configured=destinations(config), user="cli"
            )
        finally:
            await db.close()
        if not result.known:
            raise UsageError(result.message)
        print(result.message, file=out)
        return EXIT_OK

    return _arun(go)


def cmd_outbox_list(args: argparse.Namespace, out: TextIO) -> int:
    """`factbot outbox list [--status S] [--destination D] [--limit N]`."""
    config = _config(args)
    from bot.commands import outbox_rows

    async def go() -> int:
        db = await _open_db(config)
        try:
            if args.status == "open":
                found = await outbox_rows(
                    db, status="pending", destination=args.destination, limit=args.limit
                )
                found += await outbox_rows(
                    db, status="sending", destination=args.destination, limit=args.limit
                )
                found = sorted(found, key=lambda r: r.id, reverse=True)[: args.limit]
            else:
                status = None if args.status == "all" else args.status
                found = await outbox_rows(db, status=status, destination=args.destination, limit=args.limit)
        finally:
            await db.close()
        if not found:
            print(f"no {args.status} alert events", file=out)
            return EXIT_OK
        for r in found:
            print(
                f"{r.id:>7}  {r.status:<8} {r.destination}  dispute {r.dispute_id} {r.event}  "
                f"attempts={r.attempts} queued={_fmt_when(r.created_at)} next={_fmt_when(r.next_attempt_at)}"
                + (f"\n         error: {r.last_error[:300]}" if r.last_error and r.status != "sent" else ""),
                file=out,
            )
        if any(r.status == "dead" for r in found):
            print("queue dead ones again with `factbot outbox retry [ID...] [--destination NAME]`", file=out)
        return EXIT_OK

    return _arun(go)


def cmd_outbox_retry(args: argparse.Namespace, out: TextIO) -> int:
    """`factbot outbox retry [ID...] [--destination D]`: dead rows back to pending."""
    config = _config(args)
    from bot.commands import retry_dead

    async def go() -> int:
        db = await _open_db(config)
        try:
            n = await retry_dead(db, ids=args.ids or None, destination=args.destination)
        finally:
            await db.close()
        print(f"{n} given-up alert event{'' if n == 1 else 's'} queued again", file=out)
        return EXIT_OK

    return _arun(go)


def cmd_status(args: argparse.Namespace, out: TextIO) -> int:
    """`factbot status`: what `/factbot status` says in chat."""
    config = _config(args)
    from bot.commands import status

    async def go() -> int:
        db = await _open_db(config)
        try:
            print(await status(db), file=out)
        finally:
            await db.close()
        return EXIT_OK

    return _arun(go)


def cmd_import_opml(args: argparse.Namespace, out: TextIO) -> int:
    """`factbot import-opml FILE`: add the feeds that are not stored yet."""
    from bot.opml import OpmlError, read_opml
    from bot.progress import track

    kind = FeedKind(args.kind) if args.kind else None
    if kind is FeedKind.OFFICIAL and not args.actor:
        raise UsageError("--kind official needs --actor")
    try:
        specs = read_opml(args.file, kind=kind, actor=args.actor)
    except OpmlError as e:
        raise UsageError(str(e)) from None
    if not specs:
        raise UsageError(f"{args.file}: no feeds found (no <outline xmlUrl=...> with an http(s) URL)")
    config = _config(args)
    setup_logging(config.log_level, config.log_format)  # progress lines when stderr is not a terminal

    async def go() -> int:
        db = await _open_db(config)
        try:
            store = _feed_store(db, config)
            known = {url_key(f.url) for f in await store.list()}
            added = 0
            for spec in track(specs, "importing feeds", unit="feed"):
                if url_key(spec.url) in known:  # stored, or listed twice in another spelling
                    continue
                await store.add(spec, origin="opml")
                known.add(url_key(spec.url))
                added += 1
        finally:
            await db.close()
        print(f"imported {added} new feeds ({len(specs) - added} already present) from {args.file}", file=out)
        return EXIT_OK

    return _arun(go)


def cmd_why(args: argparse.Namespace, out: TextIO) -> int:
    """`factbot why URL`: 0 answered (whatever the answer), 2 not a URL."""
    try:
        check_feed_url((args.url or "").strip())
    except ValueError as e:
        raise UsageError(str(e)) from None
    config = _config(args)

    async def go() -> int:
        from bot.why import explain

        db = await _open_db(config)
        try:
            report = await explain(db, config, args.url)
        finally:
            await db.close()
        print(report.text(), file=out)
        return EXIT_OK

    return _arun(go)


def cmd_export_opml(args: argparse.Namespace, out: TextIO) -> int:
    """`factbot export-opml [FILE]`: every stored feed, with its kind, actor, language and interval."""
    from bot.opml import write_opml

    config = _config(args)

    async def feeds() -> list[Feed]:
        db = await _open_db(config)
        try:
            return await _feed_store(db, config).list()
        finally:
            await db.close()

    stored = asyncio.run(feeds())
    data = write_opml(stored)
    if not args.file:
        out.write(data.decode("utf-8"))
        return EXIT_OK
    try:
        Path(args.file).write_bytes(data)
    except OSError as e:
        raise UsageError(f"{args.file}: cannot write: {e.strerror}") from None
    print(f"exported {len(stored)} feeds to {args.file}", file=out)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    """`factbot demo`."""
    from bot.demo import run_demo

    return asyncio.run(run_demo(feeds_dir=args.feeds, out=out))


def cmd_eval_cases(args: argparse.Namespace, out: TextIO) -> int:
    """`factbot eval cases --data DIR [--json OUT] [--split tune|heldout] [--splits FILE] [--model FILE]`."""
    from evals.cases import eval_cases

    # Progress lines only: the detector's line per item would drown the figures.
    setup_logging("WARNING")
    logging.getLogger("bot.progress").setLevel(logging.INFO)
    return int(
        eval_cases(args.data, json_out=args.json, split=args.split, splits=args.splits, model=args.model)
    )


def cmd_eval_statements(args: argparse.Namespace, out: TextIO) -> int:
    """`factbot eval statements --data PATH... [--show N]`."""
    from evals.statements import eval_statements

    return eval_statements(args.data, out, show=args.show)


def cmd_eval_stance(args: argparse.Namespace, out: TextIO) -> int:
    """`factbot eval fnc1|emergent --data DIR [--predictions OUT]`."""
    from evals import stance

    fn = stance.eval_fnc1 if args.eval_set == "fnc1" else stance.eval_emergent
    return int(fn(args.data, predictions=args.predictions))


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Entry point of the `factbot` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    stream = out or sys.stdout
    try:
        code = int(args.func(args, stream))
    except ConfigError as e:
        print(f"factbot: configuration error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as e:
        print(f"factbot: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    if argv is None and args.func is cmd_run and args.once:
        _exit_now(code)
    return code


def _exit_now(code: int) -> None:
    """End a finished `run --once` process without the interpreter's teardown.

    Everything is written and closed by then (database, HTTP sessions, alert delivery); what is
    left is freeing every module and object one by one, a few tenths of a second of each cron
    run. Only the console script comes here (`argv` None), never a caller of `main`.
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
