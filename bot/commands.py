"""Chat commands as plain async functions: the one core both chat adapters and the CLI call.

Adapters turn a slash command or a button into a call here and render the frozen result;
nothing in this module knows about Slack or Discord.

* `/dispute <terms>` -> `parse_dispute_args` + `search_disputes` (empty -> the latest).
* `/factbot feeds add|list|remove`, `/factbot status`, `/factbot resume <destination>` ->
  `parse_factbot_args` and `add_feed` / `list_feeds` / `remove_feed` / `status` /
  `resume_destination`, or all at once `run_factbot`.
* `/factbot why <url>` (and `factbot why URL`) -> `bot.why.explain`: why a link did or did
  not alert, stage by stage (anyone may ask; it changes nothing).
* `factbot destinations list|resume` (CLI) -> `list_destinations` / `resume_destination`.
* Alert buttons -> `record_feedback` (Not a dispute / Confirmed / Mute this story).

A feed URL from chat is untrusted: http(s) only; a host that resolves to a loopback,
private, link-local or cloud-metadata address is refused unless allow-listed, also after
redirects and at connect time (so DNS rebinding cannot slip through); the feed is fetched
once and must parse before it is saved.
"""

from __future__ import annotations

import asyncio
import logging
import math
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.config import Config, check_feed_url
from bot.ingest import urlguard
from bot.ingest.fetch import Fetcher
from bot.ingest.parse import FeedParseError, parse_feed
from bot.storage import mutes, outbox
from bot.storage import schema as s
from bot.storage.db import Database
from bot.storage.disputes import VERDICTS, latest_disputes, load_disputes, set_verdict
from bot.storage.disputes import load_dispute as load_dispute
from bot.storage.feeds import DuplicateFeedError, FeedStore, row_to_feed
from bot.types import Dispute, DisputeStatus, Feed, FeedKind, FeedSpec
from bot.urls import url_variants

__all__ = [
    "DISPUTE_USAGE",
    "FACTBOT_USAGE",
    "DestinationInfo",
    "DisputeQuery",
    "FeedAddResult",
    "FeedbackResult",
    "FeedsAdd",
    "FeedsList",
    "FeedsRemove",
    "Help",
    "ResumeCommand",
    "ResumeResult",
    "StatusCommand",
    "UnmuteCommand",
    "StatusReport",
    "UnsafeURLError",
    "WhyCommand",
    "add_feed",
    "check_public_url",
    "list_destinations",
    "list_feeds",
    "load_dispute",
    "parse_dispute_args",
    "parse_factbot_args",
    "record_feedback",
    "outbox_rows",
    "remove_feed",
    "resume_destination",
    "retry_dead",
    "run_factbot",
    "search_disputes",
    "status",
    "why_text",
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
    "/factbot status                                   feeds, failing feeds, last poll, alerts waiting, "
    "paused destinations\n"
    "/factbot resume <destination>                     send a paused destination's kept alerts again "
    "(e.g. `slack:C0ALERTS`; see `status`)\n"
    "/factbot unmute <dispute id>                      let alerts on a muted story go out again\n"
    "/factbot why <url>                                why an article did or did not alert, stage by stage"
)
RESUME_HINT = (
    "Fix the cause (invite the bot, restore its permission or token), then `/factbot resume <destination>` "
    "(command line: `factbot destinations resume <destination>`): the kept alerts go out."
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
    "unmuted": "unmuted",
    "unmute": "unmuted",
}
# Verdicts that concern the whole desk: who may give them depends on `[alerts] mute` (unmute: admins).
MUTE_VERDICTS = ("muted", "unmuted")


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
            return "Muted: no further alerts on this story for anyone. The thread says who muted it."
        if self.verdict == "unmuted":
            return "Unmuted: alerts on this story go out again."
        return "Thanks: marked as a confirmed dispute."


async def record_feedback(
    db: Database,
    dispute_id: int,
    verdict: str,
    user: str,
    platform: str,
    *,
    user_is_admin: bool = False,
    mute: str = "admins",
) -> FeedbackResult:
    """Store a user's verdict on a dispute (from an alert's buttons).

    `not_a_dispute` stops further alerts and is kept as a labelled example for the detector;
    `muted` stops alerts on the story for everyone and notes who did it in the thread (allowed
    to admins, or to anyone when `mute` is "anyone": `[alerts] mute`); `unmuted` (admins
    only) lets them go out again; `confirmed` marks it confirmed. Raises ValueError for an
    unknown or refused verdict and KeyError for an unknown dispute.
    """
    v = _VERDICT_ALIASES.get(verdict.strip().lower())
    if v is None:
        raise ValueError(f"unknown verdict {verdict!r}; expected one of {', '.join(VERDICTS)}")
    if v == "muted" and mute != "anyone" and not user_is_admin:
        raise ValueError("only factbot admins can mute a story for the whole desk")
    if v == "unmuted" and not user_is_admin:
        raise ValueError("only factbot admins can unmute a story")
    now = datetime.now(UTC)
    async with db.begin() as conn:
        await load_dispute(conn, dispute_id)  # KeyError before anything is written
        if v == "muted":
            dispute = await mutes.mute(conn, dispute_id, user, platform, now)
        elif v == "unmuted":
            dispute = await mutes.unmute(conn, dispute_id, user, platform, now)
        else:
            dispute = await set_verdict(conn, dispute_id, v, user, platform, now)
    log.info("feedback: %s:%s marked dispute %s %s", platform, user, dispute_id, v)
    return FeedbackResult(dispute=dispute, verdict=v, stops_alerts=v in ("not_a_dispute", "muted"))


# --- feeds --------------------------------------------------------------------------------


class UnsafeURLError(ValueError):
    """A feed URL that must not be fetched from chat (scheme, or where its host points)."""


async def check_public_url(url: str, allow_hosts: Sequence[str] = ()) -> str:
    """Return the normalised URL if it is a valid http(s) URL whose host resolves only to public addresses.

    Raises `UnsafeURLError` otherwise. Hosts in `allow_hosts` (exact names or IPs) pass as is.
    """
    try:
        url = check_feed_url(url)
        await urlguard.check_public_url(url, allow_hosts)
    except ValueError as e:  # UnsafeURL is a ValueError too
        raise UnsafeURLError(str(e)) from None
    return url


async def _probe_feed(url: str, config: Config, allow_hosts: Sequence[str]) -> tuple[int, str]:
    """Fetch and parse a feed once, guarded on every hop: (entries, title). ValueError says what is wrong."""
    async with Fetcher(config.poll, guard=True, allow_hosts=allow_hosts) as fetcher:
        got = await fetcher.fetch_url(url)
    if not got.ok:
        raise ValueError(f"could not fetch {url}: {got.error}")
    try:
        parsed = await asyncio.to_thread(parse_feed, got.body, got.url, got.content_type)
    except FeedParseError as e:
        raise ValueError(f"{url} is not a feed factbot can read ({e})") from None
    if not parsed.entries and not parsed.title:
        raise ValueError(f"{url} is not a feed factbot can read (no title, no entries)")
    return len(parsed.entries), parsed.title


@dataclass(frozen=True, slots=True)
class FeedAddResult:
    """The outcome of `feeds add`: `ok`, a message for the user, and the stored feed."""

    ok: bool
    message: str
    feed: Feed | None = None
    entries: int = 0

    def __str__(self) -> str:
        return self.message


async def _find_feed(db: Database, url_or_id: str) -> Feed | None:
    key = url_or_id.strip().strip("<>")
    f = s.feeds
    cond = f.c.id == int(key) if key.isdigit() else f.c.url.in_(url_variants(key))
    async with db.connect() as conn:
        r = (await conn.execute(select(f).where(cond))).first()
    return row_to_feed(r) if r is not None else None


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
            entries, title = await _probe_feed(url, config, allow)
        except ValueError as e:
            return FeedAddResult(False, f"Not added: {e}.")
    spec = FeedSpec(
        url=url, name=(name or title or "").strip()[:300], kind=feed_kind, actor=(actor or "").strip() or None
    )
    try:
        feed = await FeedStore(db).add(spec, origin)
    except DuplicateFeedError as e:  # added by someone else while we were fetching
        return FeedAddResult(False, f"Already watching {url} (id {e.feed_id}).")
    log.info("feeds: %s added %s (%s, actor=%s)", user or "someone", url, feed_kind.value, spec.actor)
    what = f"official, {spec.actor}" if feed_kind is FeedKind.OFFICIAL else "news"
    label = f"{spec.name} " if spec.name else ""
    return FeedAddResult(
        True, f"Added feed {feed.id}: {label}<{url}> ({what}); {entries} entries now.", feed, entries
    )


async def list_feeds(db: Database) -> list[Feed]:
    """Every stored feed, in id order."""
    return await FeedStore(db).list()


async def remove_feed(db: Database, url_or_id: str) -> bool:
    """Stop watching a feed, by URL or id. False if no feed matches. (Adapters check admin rights.)"""
    feed = await _find_feed(db, url_or_id)
    if feed is None or not await FeedStore(db).remove(feed.id):
        return False
    log.info("feeds: removed %s", feed.url)
    return True


# --- destinations -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DestinationInfo:
    """One alert destination (`slack:C0ALERTS`, `discord:1234`, `console:stdout`) and its delivery state."""

    name: str
    paused: bool = False
    reason: str | None = None  # why it was paused (the platform's error)
    since: datetime | None = None  # when it was paused
    pending: int = 0  # alerts queued for it and not delivered yet (kept while paused)
    dead: int = 0  # alerts given up on (refused, or failing past give_up_after); `resume` revives them
    failures: int = 0  # transient failures in a row: an outage in progress when > 0
    failing_since: datetime | None = None

    def __str__(self) -> str:
        kept = f"{self.pending} alert{'' if self.pending == 1 else 's'}"
        dead = f", {self.dead} given up" if self.dead else ""
        if not self.paused:
            failing = ""
            if self.failures:
                since = self.failing_since.strftime("%Y-%m-%d %H:%M UTC") if self.failing_since else "?"
                failing = f", failing since {since} ({self.failures} attempts in a row)"
            return f"{self.name}: active{failing}, {kept} waiting{dead}"
        since = f" since {self.since.strftime('%Y-%m-%d %H:%M UTC')}" if self.since else ""
        return f"{self.name} ({self.reason or 'no reason recorded'}){since}, {kept} kept{dead}"


async def _destinations(conn: AsyncConnection, configured: Sequence[str]) -> dict[str, DestinationInfo]:
    d, o = s.destinations, s.outbox
    states = {r.name: r for r in (await conn.execute(select(d))).all()}
    counts: dict[str, dict[str, int]] = {}
    for dest, status_, n in (
        await conn.execute(
            select(o.c.destination, o.c.status, func.count())
            .where(o.c.status.in_(("pending", "sending", "dead")))
            .group_by(o.c.destination, o.c.status)
        )
    ).all():
        counts.setdefault(dest, {})[status_] = int(n)
    queued = (await conn.execute(select(o.c.destination).distinct())).scalars().all()
    names = sorted({*configured, *states, *queued})
    out: dict[str, DestinationInfo] = {}
    for name in names:
        st = states.get(name)
        paused = bool(st is not None and st.paused)
        c = counts.get(name, {})
        out[name] = DestinationInfo(
            name=name,
            paused=paused,
            reason=st.paused_reason if paused and st is not None else None,
            since=st.paused_at if paused and st is not None else None,
            pending=c.get("pending", 0) + c.get("sending", 0),
            dead=c.get("dead", 0),
            failures=int(st.failures or 0) if st is not None else 0,
            failing_since=st.failing_since if st is not None else None,
        )
    return out


async def list_destinations(db: Database, configured: Sequence[str] = ()) -> list[DestinationInfo]:
    """Every destination factbot knows (configured, or seen in the outbox), paused or not, by name.

    `configured` adds the destinations of the current config that were never used yet.
    """
    async with db.connect() as conn:
        return list((await _destinations(conn, configured)).values())


def _destination_key(text: str) -> str:
    """What a user typed as a destination: `slack:C1`, `C1`, a Slack `<#C1|alerts>` or Discord `<#123>`."""
    key = " ".join((text or "").split()).strip("<>`'\"")
    return key.split("|", 1)[0].lstrip("#").strip()


def _match_destination(text: str, known: Sequence[str]) -> tuple[str | None, list[str]]:
    """(the one destination `text` names, or None; the candidates when it is ambiguous)."""
    key = _destination_key(text)
    if not key:
        return None, []
    if key in known:
        return key, []
    lowered = [k for k in known if k.lower() == key.lower()]
    if len(lowered) == 1:
        return lowered[0], []
    by_id = [k for k in known if k.partition(":")[2] == key]  # "C0ALERTS" for "slack:C0ALERTS"
    if len(by_id) == 1:
        return by_id[0], []
    return None, by_id


@dataclass(frozen=True, slots=True)
class ResumeResult:
    """The outcome of resuming a destination; `str()` is the answer for the user.

    `ok`: it was paused and is resumed now. `destination` is None when no destination matched.
    """

    ok: bool
    message: str
    destination: DestinationInfo | None = None

    @property
    def known(self) -> bool:
        return self.destination is not None

    def __str__(self) -> str:
        return self.message


async def resume_destination(
    db: Database, name: str, *, configured: Sequence[str] = (), user: str | None = None
) -> ResumeResult:
    """Unpause a destination and queue again the alerts given up on for it; they go out next pass.

    `name` may be the full destination (`slack:C0ALERTS`), its id alone when that is unique
    (`C0ALERTS`), or a channel link (`<#C0ALERTS|alerts>`, `<#1234>`). Never raises for user
    mistakes: an unknown or ambiguous name gives `ok=False` with `destination=None`, a
    destination that is neither paused nor has dead alerts `ok=False` with its state.
    (Adapters check admin rights.)
    """
    async with db.begin() as conn:
        known = await _destinations(conn, configured)
        match, candidates = _match_destination(name, list(known))
        if match is None:
            typed = _destination_key(name) or name.strip()
            if candidates:
                return ResumeResult(
                    False, f"`{typed}` could mean {', '.join(candidates)}: give the full destination."
                )
            names = ", ".join(known) if known else "none yet"
            return ResumeResult(False, f"No destination `{typed}`. Known destinations: {names}.")
        info = known[match]
        resumed = info.paused and await outbox.resume_destination(conn, match)
        revived = await outbox.revive_dead(conn, now=datetime.now(UTC), destination=match)
    if not resumed and not revived:
        return ResumeResult(False, f"{info.name} is not paused ({info.pending} alerts waiting).", info)
    log.info(
        "destinations: %s resumed %s (paused since %s: %s; %d alerts kept, %d given-up alerts queued again)",
        user or "someone",
        match,
        info.since,
        info.reason,
        info.pending,
        revived,
    )
    parts = [f"Resumed {match}"]
    if resumed:
        parts[0] += f" (was paused: {info.reason or 'no reason recorded'})"
    waiting = info.pending + revived
    again = f", {revived} of them given up on before" if revived else ""
    parts.append(
        f"{waiting} kept alert{'' if waiting == 1 else 's'}{again} go{'es' if waiting == 1 else ''} "
        "out on the next delivery pass."
    )
    return ResumeResult(
        True,
        ". ".join(parts),
        replace(info, paused=False, reason=None, since=None, pending=waiting, dead=info.dead - revived),
    )


async def outbox_rows(
    db: Database, *, status: str | None = None, destination: str | None = None, limit: int = 50
) -> list[outbox.OutboxRow]:
    """Alert events in the outbox, newest first (`factbot outbox list`)."""
    async with db.connect() as conn:
        return await outbox.list_rows(
            conn, statuses=[status] if status else None, destination=destination, limit=limit
        )


async def retry_dead(
    db: Database, *, ids: Sequence[int] | None = None, destination: str | None = None
) -> int:
    """Queue dead alerts again (all, these ids, or one destination's); how many (`factbot outbox retry`)."""
    async with db.begin() as conn:
        n = await outbox.revive_dead(conn, now=datetime.now(UTC), ids=ids, destination=destination)
    log.info("outbox: %d dead alerts queued again (ids=%s destination=%s)", n, ids, destination)
    return n


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
    paused_destinations: tuple[DestinationInfo, ...]
    disputes: int
    failing_destinations: tuple[DestinationInfo, ...] = ()

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
        for d in self.failing_destinations:
            lines.append(f"  failing: {d}")
        for d in self.paused_destinations:
            lines.append(f"  paused: {d}")
        if self.paused_destinations:
            lines.append(RESUME_HINT)
        if self.dead_alerts:
            lines.append(
                "Undeliverable alerts go out again with `/factbot resume <destination>` "
                "(command line: `factbot outbox retry`)."
            )
        return "\n".join(lines)


async def status(db: Database) -> StatusReport:
    """Feeds, failing feeds, last poll, alerts waiting and paused destinations."""
    async with db.connect() as conn:
        feeds = [row_to_feed(r) for r in (await conn.execute(select(s.feeds).order_by(s.feeds.c.id))).all()]
        counts = await outbox.counts_by_status(conn)
        destinations = await _destinations(conn, ())
        n_disputes = int((await conn.execute(select(func.count()).select_from(s.disputes))).scalar_one())
    polls = [f.last_poll_at for f in feeds if f.last_poll_at]
    return StatusReport(
        feeds=len(feeds),
        enabled_feeds=sum(1 for f in feeds if f.enabled),
        failing=tuple(f for f in feeds if f.enabled and f.consecutive_failures > 0),
        last_poll_at=max(polls) if polls else None,
        pending_alerts=counts.get("pending", 0) + counts.get("sending", 0),
        dead_alerts=counts.get("dead", 0),
        paused_destinations=tuple(d for d in destinations.values() if d.paused),
        disputes=n_disputes,
        failing_destinations=tuple(d for d in destinations.values() if d.failures and not d.paused),
    )


# --- why ---------------------------------------------------------------------------------


async def why_text(db: Database, config: Config, url: str) -> str:
    """`why <url>` as plain text (feed words made inert); a bad URL gets a one-line answer."""
    from bot.why import explain

    try:
        report = await explain(db, config, url)
    except ValueError as e:
        return f"Not a link factbot can look up: {e}."
    return report.text()


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


@dataclass(frozen=True, slots=True)
class ResumeCommand:
    destination: str  # as typed: `slack:C0ALERTS`, `C0ALERTS`, a channel link


@dataclass(frozen=True, slots=True)
class WhyCommand:
    url: str  # as typed (Slack's `<url|label>` already unwrapped)


@dataclass(frozen=True, slots=True)
class UnmuteCommand:
    dispute_id: int


FactbotCommand = (
    FeedsAdd | FeedsList | FeedsRemove | StatusCommand | ResumeCommand | UnmuteCommand | WhyCommand | Help
)


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
    if cmd == "why":
        if len(words) != 2:
            return _usage("`why` needs one link, e.g. `why https://example.org/news/story`.")
        return WhyCommand(words[1].strip("<>").split("|", 1)[0])
    if cmd == "status":
        return StatusCommand() if len(words) == 1 else _usage("`status` takes no arguments.")
    if cmd == "resume":
        if len(words) != 2:
            return _usage(
                "`resume` needs one destination, e.g. `resume slack:C0ALERTS` (`status` lists the paused ones)."
            )
        return ResumeCommand(words[1])
    if cmd == "unmute":
        if len(words) != 2 or not words[1].lstrip("#").isdigit():
            return _usage("`unmute` needs the dispute's number, e.g. `unmute 42`.")
        return UnmuteCommand(int(words[1].lstrip("#")))
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


async def run_factbot(
    db: Database,
    config: Config,
    text: str,
    *,
    user_is_admin: bool,
    user: str = "",
    destinations: Sequence[str] = (),
    platform: str = "slack",
) -> str:
    """Parse and run a `/factbot` command; the answer as plain text (adapters may render richer).

    `destinations` are the configured alert destinations (known to `resume` even before use).
    Everything but `why` (read-only) needs `user_is_admin`.
    """
    cmd = parse_factbot_args(text)
    if isinstance(cmd, Help):
        return cmd.text
    if isinstance(cmd, WhyCommand):  # read-only: anyone may ask
        return await why_text(db, config, cmd.url)
    if not user_is_admin:
        return "Sorry, only factbot admins can change feeds, see the status or resume alerts."
    if isinstance(cmd, ResumeCommand):
        resumed = await resume_destination(db, cmd.destination, configured=destinations, user=user)
        return resumed.message
    if isinstance(cmd, UnmuteCommand):
        try:
            return str(
                await record_feedback(db, cmd.dispute_id, "unmuted", user, platform, user_is_admin=True)
            )
        except KeyError:
            return f"No dispute {cmd.dispute_id}."
        except ValueError as e:
            return f"Not unmuted: {e}."
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
