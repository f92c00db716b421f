"""Chat commands as plain async functions: the one core both chat adapters and the CLI call.

Adapters turn a slash command or a button into a call here and render the frozen result;
nothing in this module knows about Slack or Discord.

* `/dispute <terms>` -> `parse_dispute_args` + `search_disputes` (empty -> the latest).
* `/factbot feeds add|list|remove`, `/factbot status` -> `parse_factbot_args` and
  `add_feed` / `list_feeds` / `remove_feed` / `status`, or all at once `run_factbot`.
* Alert buttons -> `record_feedback` (Not a dispute / Confirmed / Mute this story).

A feed URL from chat is untrusted: http(s) only; a host that resolves to a loopback,
private, link-local or cloud-metadata address is refused unless allow-listed, also after
redirects and at connect time (so DNS rebinding cannot slip through); the feed is fetched
once and must parse before it is saved.
"""

from __future__ import annotations

import asyncio
import inspect
import ipaddress
import json
import logging
import math
import shlex
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from sqlalchemy import delete, func, insert, select

from bot.config import Config, check_feed_url
from bot.storage import outbox
from bot.storage import schema as s
from bot.storage.db import Database
from bot.storage.disputes import VERDICTS, latest_disputes, load_disputes, set_verdict
from bot.storage.disputes import load_dispute as load_dispute
from bot.types import Dispute, DisputeStatus, Feed, FeedKind, FeedSpec

__all__ = [
    "DISPUTE_USAGE",
    "FACTBOT_USAGE",
    "DisputeQuery",
    "FeedAddResult",
    "FeedbackResult",
    "FeedsAdd",
    "FeedsList",
    "FeedsRemove",
    "Help",
    "StatusCommand",
    "StatusReport",
    "UnsafeURLError",
    "add_feed",
    "check_public_url",
    "list_feeds",
    "load_dispute",
    "parse_dispute_args",
    "parse_factbot_args",
    "record_feedback",
    "remove_feed",
    "run_factbot",
    "search_disputes",
    "status",
]

log = logging.getLogger(__name__)

DISPUTE_USAGE = (
    "/dispute <words> searches the disputes factbot found: speakers, deniers, claim and denial text, "
    "topic (e.g. `/dispute ice sinaloa`, `/dispute sheinbaum`). Without words: the latest disputes. "
    "`/dispute help`: this text."
)
FACTBOT_USAGE = (
    "/factbot feeds add <url> [official <actor>|news]  watch a feed (official: the actor's own statements)\n"
    "/factbot feeds list                               the feeds factbot watches\n"
    "/factbot feeds remove <url|id>                    stop watching a feed\n"
    "/factbot status                                   feeds, failing feeds, last poll, alerts waiting"
)


# --- /dispute -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DisputeQuery:
    """A `/dispute` search; empty `terms` asks for the latest disputes."""

    terms: str = ""


@dataclass(frozen=True, slots=True)
class Help:
    """Usage text to show; `error` when the user typed something we could not read."""

    text: str
    error: bool = False

    def __str__(self) -> str:
        return self.text


def parse_dispute_args(text: str | None) -> DisputeQuery | Help:
    """`/dispute` arguments: `help` (or `?`) -> usage; anything else -> the search words."""
    terms = " ".join((text or "").split())
    if terms.lower() in ("help", "?", "-h", "--help"):
        return Help(DISPUTE_USAGE)
    return DisputeQuery(terms)


# Relevance decides; recency breaks near-ties and lifts this week's story over last year's.
_RECENCY_WEIGHT = 0.25
_RECENCY_HALF_LIFE_DAYS = 14.0


async def search_disputes(db: Database, query: str, limit: int = 5) -> list[Dispute]:
    """Disputes matching `query`, best first (relevance, then recency); empty query -> latest.

    Dismissed disputes ("not a dispute") are left out, as in the latest list.
    """
    query = " ".join((query or "").split())
    limit = max(1, min(limit, 25))
    async with db.connect() as conn:
        if not query:
            return await latest_disputes(conn, limit)
        from bot.storage.search import search_disputes as fts

        hits = await fts(conn, query, limit=limit * 4)
        if not hits:
            return []
        found = {d.id: d for d in await load_disputes(conn, [i for i, _ in hits])}
    best = max((score for _, score in hits), default=0.0) or 1.0
    now = datetime.now(UTC)

    def rank(hit: tuple[int, float]) -> float:
        d = found[hit[0]]
        when = d.updated_at or d.created_at or now
        age_days = max((now - when).total_seconds() / 86400, 0.0)
        recency = math.pow(0.5, age_days / _RECENCY_HALF_LIFE_DAYS)
        return (1 - _RECENCY_WEIGHT) * (hit[1] / best) + _RECENCY_WEIGHT * recency

    ranked = sorted((h for h in hits if h[0] in found), key=rank, reverse=True)
    out = [found[i] for i, _ in ranked if found[i].status is not DisputeStatus.DISMISSED]
    return out[:limit]


# --- feedback -----------------------------------------------------------------------------

_VERDICT_ALIASES = {
    "not_a_dispute": "not_a_dispute",
    "not-a-dispute": "not_a_dispute",
    "dismiss": "not_a_dispute",
    "dismissed": "not_a_dispute",
    "confirmed": "confirmed",
    "confirm": "confirmed",
    "muted": "muted",
    "mute": "muted",
}


@dataclass(frozen=True, slots=True)
class FeedbackResult:
    """A stored verdict and the dispute after it."""

    dispute: Dispute
    verdict: str
    stops_alerts: bool

    def __str__(self) -> str:
        if self.verdict == "not_a_dispute":
            return "Thanks: marked as not a dispute. No further alerts on it; it is kept as an example for tuning."
        if self.verdict == "muted":
            return "Muted: no further alerts on this story for anyone."
        return "Thanks: marked as a confirmed dispute."


async def record_feedback(
    db: Database, dispute_id: int, verdict: str, user: str, platform: str
) -> FeedbackResult:
    """Store a user's verdict on a dispute (from an alert's buttons).

    `not_a_dispute` stops further alerts and is kept as a labelled example for the detector;
    `muted` stops alerts on the story for everyone; `confirmed` marks it confirmed. Raises
    ValueError for an unknown verdict and KeyError for an unknown dispute.
    """
    v = _VERDICT_ALIASES.get(verdict.strip().lower())
    if v is None:
        raise ValueError(f"unknown verdict {verdict!r}; expected one of {', '.join(VERDICTS)}")
    async with db.begin() as conn:
        await load_dispute(conn, dispute_id)  # KeyError before anything is written
        dispute = await set_verdict(conn, dispute_id, v, user, platform, datetime.now(UTC))
    log.info("feedback: %s:%s marked dispute %s %s", platform, user, dispute_id, v)
    return FeedbackResult(dispute=dispute, verdict=v, stops_alerts=v in ("not_a_dispute", "muted"))


# --- feeds --------------------------------------------------------------------------------

_METADATA_IPS = {
    ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
}
_METADATA_HOSTS = {"metadata.google.internal", "metadata", "instance-data", "instance-data.ec2.internal"}


class UnsafeURLError(ValueError):
    """A feed URL that must not be fetched from chat (scheme, or where its host points)."""


def _allowed(host: str, allow_hosts: Sequence[str]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == a.lower().rstrip(".") for a in allow_hosts)


def _public_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    # `is_global` is False for loopback, private, link-local, CGNAT, reserved and documentation ranges.
    return ip.is_global and not ip.is_multicast and ip not in _METADATA_IPS


async def check_public_url(url: str, allow_hosts: Sequence[str] = ()) -> str:
    """Return the URL if it is http(s) and its host resolves only to public addresses.

    Raises `UnsafeURLError` otherwise. Hosts in `allow_hosts` (exact names or IPs) pass as is.
    The ingest package's guard (`bot.ingest.urlguard.check_public_url`), when present, is
    applied as well.
    """
    try:
        url = check_feed_url(url)
    except ValueError as e:
        raise UnsafeURLError(str(e)) from None
    host = (urlsplit(url).hostname or "").lower()
    if _allowed(host, allow_hosts):
        return url
    if host.rstrip(".") in _METADATA_HOSTS:
        raise UnsafeURLError(f"{host} is a cloud metadata address")
    try:
        ips = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except OSError as e:
            raise UnsafeURLError(f"{host} does not resolve ({e.strerror or e})") from None
        ips = [ipaddress.ip_address(str(i[4][0]).split("%")[0]) for i in infos]
    bad = sorted({str(ip) for ip in ips if not _public_ip(ip)})
    if bad or not ips:
        raise UnsafeURLError(
            f"{host} points to a non-public address ({', '.join(bad) or 'none'}); "
            "ask the bot's admin to allow-list it if this is intended"
        )
    await _ingest_guard(url, allow_hosts)
    return url


async def _ingest_guard(url: str, allow_hosts: Sequence[str]) -> None:
    try:
        from bot.ingest.urlguard import check_public_url as ingest_check  # type: ignore[import-not-found]
    except ImportError:
        return
    try:
        result = ingest_check(url, tuple(allow_hosts))
        if inspect.isawaitable(result):
            result = await result
    except Exception as e:  # its own error type; the message is what the user needs
        raise UnsafeURLError(str(e)) from None
    if result is False:
        raise UnsafeURLError(f"{url} is not allowed")


class _PublicOnlyResolver(AbstractResolver):
    """Resolves like aiohttp's default but drops non-public addresses (defeats DNS rebinding)."""

    def __init__(self, allow_hosts: Sequence[str]) -> None:
        self._inner = aiohttp.ThreadedResolver()
        self._allow = tuple(allow_hosts)

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        if _allowed(host, self._allow):
            return results
        ok = [r for r in results if _public_ip(ipaddress.ip_address(r["host"].split("%")[0]))]
        if not ok:
            raise OSError(f"{host} resolves only to non-public addresses")
        return ok

    async def close(self) -> None:
        await self._inner.close()


@dataclass(frozen=True, slots=True)
class _Fetched:
    url: str
    body: bytes
    content_type: str


async def _fetch_once(url: str, config: Config, allow_hosts: Sequence[str]) -> _Fetched:
    """GET a feed once, following redirects by hand so every hop passes the URL guard."""
    p = config.poll
    timeout = aiohttp.ClientTimeout(total=p.timeout_s)
    connector = aiohttp.TCPConnector(resolver=_PublicOnlyResolver(allow_hosts))
    async with aiohttp.ClientSession(
        timeout=timeout, connector=connector, headers={"User-Agent": p.user_agent}
    ) as session:
        for _ in range(p.max_redirects + 1):
            await check_public_url(url, allow_hosts)
            async with session.get(url, allow_redirects=False) as resp:
                if resp.status in (301, 302, 303, 307, 308) and "Location" in resp.headers:
                    url = urljoin(url, resp.headers["Location"])
                    continue
                if resp.status != 200:
                    raise OSError(f"HTTP {resp.status}")
                body = bytearray()
                async for chunk in resp.content.iter_chunked(65536):
                    body += chunk
                    if len(body) > p.max_bytes:
                        raise OSError(f"larger than {p.max_bytes} bytes")
                return _Fetched(url, bytes(body), resp.headers.get("Content-Type", ""))
        raise OSError(f"more than {p.max_redirects} redirects")


def _parse_check(fetched: _Fetched) -> tuple[int, str]:
    """(entries, title) if the body is a feed; ValueError otherwise. Runs in a worker thread."""
    try:
        from bot.ingest.parse import parse_feed  # type: ignore[import-not-found]
    except ImportError:
        parse_feed = None
    if parse_feed is not None:
        parsed = parse_feed(fetched.body, fetched.url, fetched.content_type)
        entries = list(getattr(parsed, "entries", ()) or ())
        title = str(getattr(parsed, "title", "") or "")
        if not entries and not title:
            raise ValueError("no feed entries found")
        return len(entries), title
    head = fetched.body.lstrip()[:1]
    if head in (b"{", b"["):
        data = json.loads(fetched.body)
        if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
            raise ValueError("JSON, but not a JSON Feed")
        return len(data.get("items") or []), str(data.get("title") or "")
    import feedparser

    parsed = feedparser.parse(fetched.body)
    version = parsed.get("version") or ""
    if not version and not parsed.entries:
        raise ValueError("not RSS, Atom or JSON Feed")
    return len(parsed.entries), str(parsed.feed.get("title", "") or "")


@dataclass(frozen=True, slots=True)
class FeedAddResult:
    """The outcome of `feeds add`: `ok`, a message for the user, and the stored feed."""

    ok: bool
    message: str
    feed: Feed | None = None
    entries: int = 0

    def __str__(self) -> str:
        return self.message


def _feed(r: Any) -> Feed:
    return Feed(
        id=int(r.id),
        url=r.url,
        name=r.name or "",
        kind=FeedKind(r.kind),
        actor=r.actor,
        language=r.language,
        interval_s=r.interval_s,
        enabled=bool(r.enabled),
        origin=r.origin,
        etag=r.etag,
        last_modified=r.last_modified,
        next_poll_at=r.next_poll_at,
        last_poll_at=r.last_poll_at,
        last_status=r.last_status,
        last_error=r.last_error,
        consecutive_failures=int(r.consecutive_failures or 0),
    )


def _feed_store(db: Database) -> Any | None:
    # The ingest package owns feed storage; until its FeedStore is importable we use the table directly.
    try:
        from bot.storage.feeds import FeedStore  # type: ignore[import-not-found]
    except ImportError:
        return None
    return FeedStore(db)


async def _find_feed(db: Database, url_or_id: str) -> Feed | None:
    key = url_or_id.strip().strip("<>")
    f = s.feeds
    cond = f.c.id == int(key) if key.isdigit() else f.c.url == key
    async with db.connect() as conn:
        r = (await conn.execute(select(f).where(cond))).first()
    return _feed(r) if r is not None else None


async def add_feed(
    db: Database,
    config: Config,
    url: str,
    kind: str | FeedKind = FeedKind.NEWS,
    actor: str | None = None,
    *,
    user_is_admin: bool,
    fetch_check: bool = True,
    name: str | None = None,
    user: str | None = None,
    origin: str = "chat",
) -> FeedAddResult:
    """Add a feed from chat: admins only; URL guarded; fetched and parsed once before saving.

    Never raises for user mistakes: the result says what was wrong. `config.slack.allow_hosts`
    lists hosts that may point at private addresses (an intranet feed).
    """
    if not user_is_admin:
        return FeedAddResult(False, "Sorry, only factbot admins can change the feeds.")
    url = (url or "").strip().strip("<>")
    if "|" in url:  # Slack sends links as <https://x|x>
        url = url.split("|", 1)[0]
    try:
        feed_kind = FeedKind(str(kind).lower())
    except ValueError:
        return FeedAddResult(False, f"Unknown feed kind {kind!r}: use `official <actor>` or `news`.")
    if feed_kind is FeedKind.OFFICIAL and not (actor or "").strip():
        return FeedAddResult(
            False,
            "Official feeds need the actor whose statements they publish: "
            "`feeds add <url> official <actor>`.",
        )
    allow = config.slack.allow_hosts
    try:
        url = await check_public_url(url, allow)
    except UnsafeURLError as e:
        return FeedAddResult(False, f"Not added: {e}.")
    existing = await _find_feed(db, url)
    if existing is not None:
        return FeedAddResult(False, f"Already watching {url} (id {existing.id}).", existing)
    entries, title = 0, ""
    if fetch_check:
        try:
            fetched = await _fetch_once(url, config, allow)
            entries, title = await asyncio.to_thread(_parse_check, fetched)
        except UnsafeURLError as e:
            return FeedAddResult(False, f"Not added: {e}.")
        except (OSError, aiohttp.ClientError, TimeoutError) as e:
            return FeedAddResult(False, f"Not added: could not fetch {url}: {e or type(e).__name__}.")
        except Exception as e:  # a parser's own error types: the body is not a feed we can read
            return FeedAddResult(False, f"Not added: {url} is not a feed factbot can read ({e}).")
    spec = FeedSpec(
        url=url, name=(name or title or "").strip()[:300], kind=feed_kind, actor=(actor or "").strip() or None
    )
    store = _feed_store(db)
    if store is not None:
        feed = await store.add(spec, origin)
    else:
        now = datetime.now(UTC)
        async with db.begin() as conn:
            r = (
                await conn.execute(
                    insert(s.feeds)
                    .values(
                        url=spec.url,
                        name=spec.name,
                        kind=spec.kind.value,
                        actor=spec.actor,
                        enabled=True,
                        origin=origin,
                        created_at=now,
                        next_poll_at=now,
                        consecutive_failures=0,
                        failure_notified=False,
                    )
                    .returning(*s.feeds.c)
                )
            ).one()
        feed = _feed(r)
    log.info("feeds: %s added %s (%s, actor=%s)", user or "someone", url, feed_kind.value, spec.actor)
    what = f"official, {spec.actor}" if feed_kind is FeedKind.OFFICIAL else "news"
    label = f"{spec.name} " if spec.name else ""
    return FeedAddResult(
        True, f"Added feed {feed.id}: {label}<{url}> ({what}); {entries} entries now.", feed, entries
    )


async def list_feeds(db: Database) -> list[Feed]:
    """Every stored feed, in id order."""
    store = _feed_store(db)
    if store is not None:
        return list(await store.list())
    async with db.connect() as conn:
        return [_feed(r) for r in (await conn.execute(select(s.feeds).order_by(s.feeds.c.id))).all()]


async def remove_feed(db: Database, url_or_id: str) -> bool:
    """Stop watching a feed, by URL or id. False if no feed matches. (Adapters check admin rights.)"""
    feed = await _find_feed(db, url_or_id)
    if feed is None:
        return False
    store = _feed_store(db)
    if store is not None:
        return bool(await store.remove(str(feed.id)))
    async with db.begin() as conn:
        await conn.execute(delete(s.feeds).where(s.feeds.c.id == feed.id))
    log.info("feeds: removed %s", feed.url)
    return True


# --- status -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusReport:
    """What `/factbot status` shows."""

    feeds: int
    enabled_feeds: int
    failing: tuple[Feed, ...]
    last_poll_at: datetime | None
    pending_alerts: int
    dead_alerts: int
    paused_destinations: tuple[tuple[str, str], ...]  # (destination, reason)
    disputes: int

    def __str__(self) -> str:
        last = self.last_poll_at.strftime("%Y-%m-%d %H:%M UTC") if self.last_poll_at else "never"
        lines = [
            f"Feeds: {self.feeds} ({self.enabled_feeds} enabled), failing: {len(self.failing)}",
            f"Last poll: {last}",
            f"Disputes: {self.disputes}; alerts waiting: {self.pending_alerts}; undeliverable: {self.dead_alerts}",
        ]
        for f in self.failing[:10]:
            lines.append(
                f"  failing: {f.name or f.url} ({f.consecutive_failures}x: {f.last_error or f.last_status})"
            )
        for dest, reason in self.paused_destinations:
            lines.append(f"  paused: {dest} ({reason})")
        return "\n".join(lines)


async def status(db: Database) -> StatusReport:
    """Feeds, failing feeds, last poll, alerts waiting and paused destinations."""
    async with db.connect() as conn:
        feeds = [_feed(r) for r in (await conn.execute(select(s.feeds).order_by(s.feeds.c.id))).all()]
        counts = await outbox.counts_by_status(conn)
        paused = await outbox.paused_destinations(conn)
        n_disputes = int((await conn.execute(select(func.count()).select_from(s.disputes))).scalar_one())
    polls = [f.last_poll_at for f in feeds if f.last_poll_at]
    return StatusReport(
        feeds=len(feeds),
        enabled_feeds=sum(1 for f in feeds if f.enabled),
        failing=tuple(f for f in feeds if f.enabled and f.consecutive_failures > 0),
        last_poll_at=max(polls) if polls else None,
        pending_alerts=counts.get("pending", 0) + counts.get("sending", 0),
        dead_alerts=counts.get("dead", 0),
        paused_destinations=tuple((p.name, p.paused_reason or "") for p in paused),
        disputes=n_disputes,
    )


# --- /factbot -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedsAdd:
    url: str
    kind: FeedKind = FeedKind.NEWS
    actor: str | None = None


@dataclass(frozen=True, slots=True)
class FeedsList:
    pass


@dataclass(frozen=True, slots=True)
class FeedsRemove:
    target: str  # URL or id


@dataclass(frozen=True, slots=True)
class StatusCommand:
    pass


FactbotCommand = FeedsAdd | FeedsList | FeedsRemove | StatusCommand | Help


def _usage(problem: str) -> Help:
    return Help(f"{problem}\n\nUsage:\n{FACTBOT_USAGE}", error=True)


def parse_factbot_args(text: str | None) -> FactbotCommand:
    """Read `/factbot` arguments. Unreadable input gives `Help(error=True)` saying what was wrong."""
    try:
        words = shlex.split(text or "")
    except ValueError:
        words = (text or "").split()
    if not words or words[0].lower() in ("help", "?", "-h", "--help"):
        return Help(f"Usage:\n{FACTBOT_USAGE}")
    cmd = words[0].lower()
    if cmd == "status":
        return StatusCommand() if len(words) == 1 else _usage("`status` takes no arguments.")
    if cmd != "feeds":
        return _usage(f"Unknown command `{words[0]}`.")
    if len(words) < 2:
        return _usage("`feeds` needs `add`, `list` or `remove`.")
    sub, rest = words[1].lower(), words[2:]
    if sub == "list":
        return FeedsList() if not rest else _usage("`feeds list` takes no arguments.")
    if sub == "remove":
        if len(rest) != 1:
            return _usage("`feeds remove` needs one feed URL or id.")
        return FeedsRemove(rest[0].strip("<>").split("|", 1)[0])
    if sub == "add":
        if not rest:
            return _usage("`feeds add` needs a feed URL.")
        url = rest[0].strip("<>").split("|", 1)[0]
        if len(rest) == 1:
            return FeedsAdd(url)
        kind = rest[1].lower()
        if kind == "news":
            return FeedsAdd(url) if len(rest) == 2 else _usage("`news` feeds take no actor.")
        if kind == "official":
            actor = " ".join(rest[2:]).strip()
            if not actor:
                return _usage('`official` needs the actor, e.g. `feeds add <url> official "US ICE"`.')
            return FeedsAdd(url, FeedKind.OFFICIAL, actor)
        return _usage(f"Unknown feed kind `{rest[1]}`: use `official <actor>` or `news`.")
    return _usage(f"Unknown feeds command `{words[1]}`.")


async def run_factbot(db: Database, config: Config, text: str, *, user_is_admin: bool, user: str = "") -> str:
    """Parse and run a `/factbot` command; the answer as plain text (adapters may render richer)."""
    cmd = parse_factbot_args(text)
    if isinstance(cmd, Help):
        return cmd.text
    if not user_is_admin:
        return "Sorry, only factbot admins can change feeds or see the status."
    if isinstance(cmd, FeedsAdd):
        result = await add_feed(db, config, cmd.url, cmd.kind, cmd.actor, user_is_admin=True, user=user)
        return result.message
    if isinstance(cmd, FeedsList):
        feeds = await list_feeds(db)
        if not feeds:
            return "No feeds yet. Add one with `/factbot feeds add <url>`."
        return "\n".join(
            f"{f.id}  {f.name or '(no name)'}  {f.kind.value}{' ' + f.actor if f.actor else ''}  {f.url}"
            + ("" if f.enabled else "  (disabled)")
            for f in feeds
        )
    if isinstance(cmd, FeedsRemove):
        return (
            f"Removed {cmd.target}."
            if await remove_feed(db, cmd.target)
            else f"No feed matches {cmd.target}."
        )
    return str(await status(db))
