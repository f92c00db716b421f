"""Why did (or didn't) this URL alert? One answer for the web page, `factbot why URL` and `/factbot why URL`.

`explain(db, config, url)` finds the stored item behind a URL and walks the pipeline:

    fetched -> parsed -> stored -> statements found -> cue -> candidates -> decision
            -> score vs thresholds -> delivery

Each stage says whether it passed and why, in one line, with details below it. The detector's
own account (`items.trace`, JSON; contract in docs/ARCHITECTURE.md) is shown stage by stage when
it wrote one; otherwise the answer is pieced together from what the tables keep: the feed's
polling state, the item, its statements, the disputes and evidence it is part of, the
detector's one-line note (`items.analysis`) and the outbox rows of those disputes.

Everything that came from a feed is untrusted: `WhyReport.text()` makes it inert for a terminal
or chat (no control characters, no mentions); the web page escapes it in its template.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.alerts.sanitize import one_line, plain, truncate
from bot.config import Config, check_feed_url
from bot.detect.routing import OWN_WORDS_BAR, alert_bar
from bot.storage import schema as s
from bot.storage.db import Database
from bot.storage.feeds import row_to_feed
from bot.types import DisputeStatus, Feed

__all__ = ["STAGES", "Stage", "WhyReport", "explain", "link_variants", "parse_trace"]

# The stages in pipeline order, with the names the pages and the text show.
STAGES: dict[str, str] = {
    "fetched": "fetched",
    "parsed": "parsed",
    "stored": "stored",
    "statements": "statements found",
    "cue": "cue",
    "candidates": "candidates",
    "decision": "decision",
    "score": "score vs thresholds",
    "delivery": "delivery",
}
_ALIASES = {"statements found": "statements", "score vs thresholds": "score", "thresholds": "score"}
_DISPUTING = ("denial", "retraction", "correction", "counter_account")
_QUOTE = 200  # characters of a quote shown in a detail line


@dataclass(frozen=True, slots=True)
class Stage:
    """One step of the pipeline for one item: passed (True), stopped it (False) or not reached (None)."""

    name: str  # a key of STAGES, or a stage the detector's trace adds
    ok: bool | None
    why: str
    details: tuple[str, ...] = ()
    source: str = "tables"  # "trace" when the detector wrote it

    @property
    def label(self) -> str:
        """The stage's display name ("statements found")."""
        return STAGES.get(self.name, self.name.replace("_", " "))


@dataclass(frozen=True, slots=True)
class WhyReport:
    """The answer for one URL: what was found, each stage, and a one-line verdict."""

    url: str
    verdict: str
    stages: tuple[Stage, ...]
    item_id: int | None = None
    title: str | None = None
    feed_name: str | None = None
    first_seen: datetime | None = None
    disputes: tuple[int, ...] = ()
    alerted: bool = False
    other_items: tuple[int, ...] = field(default=())  # the same link stored from other feeds

    def text(self) -> str:
        """Plain text for the command line and chat: feed words made inert."""
        lines = [f"Why no alert? {_inert(self.url, 300)}"]
        if self.item_id is not None:
            seen = f", first seen {_when(self.first_seen)}" if self.first_seen else ""
            lines.append(
                f'Item {self.item_id} "{_inert(self.title or "", 120)}" ({_inert(self.feed_name or "", 80)}){seen}'
            )
        for st in self.stages:
            mark = {True: "✓", False: "✗", None: "·"}[st.ok]
            lines.append(f"{mark} {st.label}: {_inert(st.why, 400)}")
            lines += [f"    {_inert(d, 300)}" for d in st.details[:12]]
        lines.append(f"Verdict: {_inert(self.verdict, 400)}")
        return "\n".join(lines)


def _inert(text: str, limit: int) -> str:
    return truncate(plain(one_line(text)), limit)


def _when(when: datetime | None) -> str:
    return when.strftime("%Y-%m-%d %H:%M UTC") if when else "never"


# --- finding the item -----------------------------------------------------------------------

_TRACKING = re.compile(r"^(?:utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|ref|smid)$", re.IGNORECASE)


def link_variants(url: str) -> list[str]:
    """The forms a stored link may have for this URL: as given, without fragment or tracking
    parameters, with/without a trailing slash, http or https, with/without "www."."""
    parts = urlsplit(url)
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    )
    hosts = {parts.netloc}
    if parts.netloc.startswith("www."):
        hosts.add(parts.netloc[4:])
    else:
        hosts.add("www." + parts.netloc)
    paths = {parts.path or "/", (parts.path or "/").rstrip("/") or "/", (parts.path or "") + "/"}
    out = [url, urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))]
    for scheme in (parts.scheme, "https" if parts.scheme == "http" else "http"):
        for host in sorted(hosts):
            for path in sorted(paths):
                for q in dict.fromkeys((parts.query, query)):
                    out.append(urlunsplit((scheme, host, path, q, "")))
    return list(dict.fromkeys(out))


def _clean_url(url: str) -> str:
    u = (url or "").strip().strip("<>")
    if "|" in u:  # Slack sends links as <https://x|x>
        u = u.split("|", 1)[0]
    return check_feed_url(u)  # ValueError with a readable reason


async def _find_items(conn: AsyncConnection, url: str) -> list[Any]:
    it, f = s.items, s.feeds
    variants = link_variants(url)
    q = (
        select(
            it.c.id,
            it.c.feed_id,
            it.c.guid,
            it.c.link,
            it.c.title,
            it.c.text,
            it.c.language,
            it.c.published,
            it.c.first_seen,
            it.c.last_seen,
            it.c.revision,
            it.c.analysed_at,
            it.c.analysis,
            it.c.trace,
            f.c.name.label("feed_name"),
        )
        .select_from(it.join(f, f.c.id == it.c.feed_id))
        .where(it.c.link.in_(variants))  # indexed; a guid alone is not (it is unique per feed only)
        .order_by(it.c.first_seen.desc(), it.c.id.desc())
        .limit(10)
    )
    return list((await conn.execute(q)).all())


# --- the trace ------------------------------------------------------------------------------


def parse_trace(raw: str | None) -> list[Stage]:
    """The detector's stages from `items.trace` (empty when there is none or it is unreadable).

    Format: {"stages": [{"stage": "cue", "ok": true, "why": "...", ...optional fields}]}; optional
    fields (candidates, decision, thresholds, anything else) become detail lines.
    """
    if not raw:
        return []
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        return []
    rows = data.get("stages") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        return []
    out = []
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("stage"), str):
            continue
        name = row["stage"].strip().lower()
        name = _ALIASES.get(name, name)
        ok = row.get("ok")
        details = [_detail(k, v) for k, v in row.items() if k not in ("stage", "ok", "why")]
        out.append(
            Stage(
                name=name,
                ok=ok if isinstance(ok, bool) else None,
                why=str(row.get("why") or ""),
                details=tuple(d for ds in details for d in ds),
                source="trace",
            )
        )
    return out


def _detail(key: str, value: Any) -> list[str]:
    if key == "candidates" and isinstance(value, list):
        lines = []
        for c in value[:10]:
            if isinstance(c, dict):
                score = c.get("score")
                sc = f"{score:.2f}" if isinstance(score, int | float) else "?"
                lines.append(f"candidate item {c.get('item_id', '?')} score {sc}: {c.get('title', '')}")
        return lines or [f"candidates: {len(value)}"]
    if key == "decision" and isinstance(value, dict):
        p = value.get("p")
        return [
            f"decision: {value.get('label', '?')}" + (f" (p={p:.2f})" if isinstance(p, int | float) else "")
        ]
    if key == "thresholds" and isinstance(value, dict):
        return ["thresholds: " + ", ".join(f"{k} {v}" for k, v in value.items())]
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else value
    return [f"{key}: {text}"]


# --- the stages from the tables -------------------------------------------------------------


def _feed_stage(feed: Feed | None, first_seen: datetime | None) -> Stage:
    if feed is None:
        return Stage("fetched", None, "the item's feed is no longer stored (removed since)")
    state = f"last poll {_when(feed.last_poll_at)}: {feed.last_status or 'never polled'}"
    if feed.consecutive_failures:
        state += f", {feed.consecutive_failures} failures in a row ({feed.last_error or 'error'})"
    return Stage(
        "fetched",
        True,
        f"from feed {feed.id} “{feed.name or feed.url}”, first seen {_when(first_seen)}",
        (f"feed {feed.url} ({feed.kind.value}{', ' + feed.actor if feed.actor else ''}); {state}",),
    )


async def _not_stored(conn: AsyncConnection, url: str) -> WhyReport:
    """No stored item has this link: is it a feed, or what do we watch on its host?"""
    f = s.feeds
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    row = (await conn.execute(select(f).where(f.c.url.in_(link_variants(url))))).first()
    if row is not None:
        feed = row_to_feed(row)
        n = (await conn.execute(select(s.items.c.id).where(s.items.c.feed_id == feed.id).limit(1000))).all()
        stage = _feed_stage(feed, None)
        stage = Stage(
            "fetched",
            feed.last_status not in (None, "error"),
            f"this is feed {feed.id} “{feed.name or feed.url}”, not an article: {len(n)}"
            f"{'+' if len(n) == 1000 else ''} items stored from it",
            stage.details,
        )
        return WhyReport(url, "This is a feed URL: ask about one of its articles' links.", (stage,))
    same_host = [
        row_to_feed(r)
        for r in (
            await conn.execute(select(f).where(f.c.url.contains(host)).order_by(f.c.id).limit(20))
        ).all()
        if (urlsplit(r.url).hostname or "").removeprefix("www.") == host
    ]
    if same_host:
        details = tuple(
            f"feed {x.id} {x.url}: last poll {_when(x.last_poll_at)}, {x.last_status or 'never polled'}"
            for x in same_host
        )
        why = (
            f"no stored item has this link; factbot watches {len(same_host)} feed(s) on {host}, "
            "and none of their entries carried it (yet)"
        )
    else:
        details = ()
        why = f"no stored item has this link, and no watched feed is on {host}: add its feed to watch it"
    stages = [Stage("fetched", False, why, details)]
    stages += [Stage(n, None, "not reached") for n in STAGES if n != "fetched"]
    return WhyReport(url, "Not in factbot: " + why + ".", tuple(stages))


async def _statements(conn: AsyncConnection, item_id: int) -> list[Any]:
    st = s.statements
    q = select(st).where(st.c.item_id == item_id).order_by(st.c.id)
    return list((await conn.execute(q)).all())


def _statement_line(r: Any) -> str:
    who = r.speaker_name or "unknown speaker"
    target = f" of {r.target_name}" if r.target_name else ""
    cue = f" (cue “{r.cue}”)" if r.cue else ""
    official = "" if r.speaker_official else " [not official]"
    return f"{r.kind} by {who}{target}{cue}{official}: “{truncate(one_line(r.quote), _QUOTE)}”"


async def _memberships(conn: AsyncConnection, item_id: int) -> list[dict[str, Any]]:
    """The disputes the item is in: as the claim, or as evidence (role, score, reasons)."""
    d, ev, it = s.disputes, s.evidence, s.items
    out: dict[int, dict[str, Any]] = {}
    for r in (await conn.execute(select(d).where(d.c.claim_item_id == item_id))).all():
        out[r.id] = {"dispute": r, "role": "claim", "score": None, "reasons": []}
    q = (
        select(ev.c.dispute_id, ev.c.role, ev.c.score, ev.c.reasons, ev.c.added_at)
        .where(ev.c.item_id == item_id)
        .order_by(ev.c.dispute_id)
    )
    for e in (await conn.execute(q)).all():
        row = (await conn.execute(select(d).where(d.c.id == e.dispute_id))).one()
        out[e.dispute_id] = {
            "dispute": row,
            "role": e.role,
            "score": e.score,
            "reasons": list(e.reasons or []),
        }
    for m in out.values():
        cid = m["dispute"].claim_item_id
        m["claim_title"] = (
            (await conn.execute(select(it.c.title).where(it.c.id == cid))).scalar()
            if cid is not None
            else None
        )
    return [out[k] for k in sorted(out)]


async def _delivery(conn: AsyncConnection, dispute_ids: Sequence[int], item_id: int) -> tuple[Stage, bool]:
    """What the outbox did for these disputes (the item's own events first); (stage, alerted)."""
    if not dispute_ids:
        return Stage("delivery", None, "no dispute, nothing to deliver"), False
    o = s.outbox
    rows = (await conn.execute(select(o).where(o.c.dispute_id.in_(list(dispute_ids))).order_by(o.c.id))).all()
    paused = {
        r.name: r.paused_reason
        for r in (await conn.execute(select(s.destinations).where(s.destinations.c.paused.is_(True)))).all()
    }
    if not rows:
        return (
            Stage(
                "delivery",
                False,
                "no alert was queued: the dispute stayed below the alert threshold, its words did "
                "not read as a dispute, it was too old to post, or it was dismissed or muted before "
                "anything was sent",
            ),
            False,
        )
    details = []
    for r in rows:
        what = f"{r.destination} {r.event}" + (f" (item {r.evidence_item_id})" if r.evidence_item_id else "")
        if r.status == "sent":
            details.append(
                f"{what}: sent {_when(r.sent_at)}" + (f" as {r.message_ref}" if r.message_ref else "")
            )
        elif r.status == "dead":
            details.append(f"{what}: gave up after {r.attempts} attempts: {r.last_error or 'error'}")
        elif r.status == "skipped":
            details.append(f"{what}: skipped: {r.last_error or 'not needed'}")
        else:
            note = f"; paused: {paused[r.destination]}" if r.destination in paused else ""
            err = f", last error: {r.last_error}" if r.last_error else ""
            details.append(
                f"{what}: {r.status}, attempt {r.attempts}, next try {_when(r.next_attempt_at)}{err}{note}"
            )
    own = [r for r in rows if r.evidence_item_id == item_id]
    sent = [r for r in rows if r.status == "sent"]
    alerted = bool(sent)
    if own and all(r.status == "sent" for r in own):
        why = f"this item's alert was sent to {', '.join(sorted({r.destination for r in own}))}"
    elif sent:
        why = f"the dispute's alerts went to {', '.join(sorted({r.destination for r in sent}))}"
    elif any(r.status in ("pending", "sending") for r in rows):
        why = "queued, not delivered yet" + (
            " (a destination is paused)" if set(paused) & {r.destination for r in rows} else ""
        )
    else:
        why = "nothing was delivered"
    return Stage("delivery", alerted, why, tuple(details)), alerted


def _score_stage(memberships: list[dict[str, Any]], config: Config) -> Stage:
    a = config.alerts
    if not memberships:
        return Stage("score", None, "no dispute, no score")
    m = max(memberships, key=lambda x: x["dispute"].confidence)
    conf = float(m["dispute"].confidence)
    # a retracted dispute is told by the lower bar of a speaker taking back their own words
    bar = alert_bar(a, own_retraction=m["dispute"].status == DisputeStatus.RETRACTED)
    if conf >= bar:
        why = f"confidence {conf:.2f} ≥ alert threshold {bar:.2f}" + (
            f" ({OWN_WORDS_BAR})" if bar < a.alert_threshold else ""
        )
        ok: bool | None = True
    elif conf >= a.review_threshold and a.review_channel:
        why = f"confidence {conf:.2f}: below alert {a.alert_threshold:.2f}, review channel from {a.review_threshold:.2f}"
        ok = False
    else:
        why = f"confidence {conf:.2f} < alert threshold {a.alert_threshold:.2f}"
        ok = False
    details = [f"dispute {m['dispute'].id}: {r}" for r in (m["reasons"] or m["dispute"].reasons or [])][:8]
    if a.max_age_days:
        details.append(
            f"disputes whose newest evidence is older than {a.max_age_days} days are stored, not posted"
        )
    return Stage("score", ok, why, tuple(details))


def _table_stages(
    item: Any, statements: list[Any], memberships: list[dict[str, Any]], config: Config
) -> list[Stage]:
    """statements -> cue -> candidates -> decision -> score, from the tables and the note."""
    note = item.analysis or ""
    out: list[Stage] = []
    if statements:
        kinds: dict[str, int] = {}
        for r in statements:
            kinds[r.kind] = kinds.get(r.kind, 0) + 1
        summary = ", ".join(f"{n} {k}" for k, n in kinds.items())
        out.append(
            Stage(
                "statements",
                True,
                f"{len(statements)} statement(s): {summary}",
                tuple(map(_statement_line, statements)),
            )
        )
    else:
        out.append(
            Stage("statements", False, "no statement attributed to a known speaker in the headline or lead")
        )
    disputing = [r for r in statements if r.kind in _DISPUTING]
    if disputing:
        best = max(disputing, key=lambda r: r.score or 0.0)
        out.append(
            Stage(
                "cue",
                True,
                f"{best.kind} cue “{best.cue or '?'}” by {best.speaker_name or 'unknown speaker'}"
                + (f" answering {best.target_name}" if best.target_name else ""),
            )
        )
    else:
        out.append(Stage("cue", False if statements else None, "no denial, retraction or correction cue"))
    linked = [m for m in memberships if m["role"] != "claim"]
    claims = [m for m in memberships if m["role"] == "claim"]
    if linked:
        details = tuple(
            f"dispute {m['dispute'].id}: claim item {m['dispute'].claim_item_id} by {m['dispute'].speaker_name}"
            f" “{truncate(one_line(m['claim_title'] or ''), 120)}”"
            for m in linked
        )
        out.append(
            Stage(
                "candidates",
                True,
                "linked to an earlier claim (the detector's other candidates are in its trace only)",
                details,
            )
        )
    elif claims:
        out.append(Stage("candidates", None, "this item is the claim a later item was linked to"))
    elif disputing:
        out.append(Stage("candidates", False, note or "no earlier claim matched"))
    else:
        out.append(Stage("candidates", None, "not reached"))
    if memberships:
        details = tuple(
            f"dispute {m['dispute'].id} ({m['dispute'].status}): this item is its {m['role']}"
            for m in memberships
        )
        out.append(Stage("decision", True, note or "in a dispute", details))
    else:
        failed = note.startswith("error")
        out.append(
            Stage("decision", False if (disputing or failed) else None, note or "no decision recorded")
        )
    out.append(_score_stage(memberships, config))
    return out


def _merge(own: list[Stage], trace: list[Stage]) -> list[Stage]:
    """The detector's stages replace the ones pieced together from the tables, name for name;
    stages only the trace has keep their place in its order."""
    if not trace:
        return own
    by_name = {t.name: t for t in trace}
    merged = [by_name.pop(st.name, st) for st in own]
    extra = [t for t in trace if t.name in by_name]
    at = next((i for i, st in enumerate(merged) if st.name == "delivery"), len(merged))
    return merged[:at] + extra + merged[at:]


async def explain(db: Database, config: Config, url: str) -> WhyReport:
    """Why a URL did or did not alert. Raises ValueError for something that is not an http(s) URL."""
    url = _clean_url(url)
    async with db.connect() as conn:
        rows = await _find_items(conn, url)
        if not rows:
            return await _not_stored(conn, url)
        in_dispute: list[int] = []
        for r in rows:
            if (await _memberships(conn, r.id)) and not in_dispute:
                in_dispute.append(r.id)
        item = next((r for r in rows if r.id in in_dispute), rows[0])
        feed_row = (await conn.execute(select(s.feeds).where(s.feeds.c.id == item.feed_id))).first()
        feed = row_to_feed(feed_row) if feed_row is not None else None
        stages: list[Stage] = [
            _feed_stage(feed, item.first_seen),
            Stage(
                "parsed",
                bool(item.title or item.text),
                f"title of {len(item.title or '')} characters, text of {len(item.text or '')}"
                + (f", language {item.language}" if item.language else ", language not given")
                + (
                    f", published {_when(item.published)}"
                    if item.published
                    else ", no date (first seen used)"
                ),
                (f"“{truncate(one_line(item.title or ''), _QUOTE)}”",),
            ),
            Stage(
                "stored",
                True,
                f"item {item.id}, revision {item.revision}"
                + (f"; also stored from {len(rows) - 1} other feed(s)" if len(rows) > 1 else ""),
                (f"guid {item.guid}",),
            ),
        ]
        memberships = await _memberships(conn, item.id)
        if item.analysed_at is None and not memberships:
            stages.append(
                Stage("statements", None, "not analysed yet: the detector reads new items every few seconds")
            )
            stages += [
                Stage(n, None, "not reached") for n in ("cue", "candidates", "decision", "score", "delivery")
            ]
            return _report(url, item, rows, stages, [], False, "Not analysed yet: ask again in a minute.")
        if item.analysed_at is None:  # already in a dispute; an edited revision waits for the detector
            stages[-1] = replace(
                stages[-1], details=(*stages[-1].details, "this revision is not analysed yet")
            )
        statements = await _statements(conn, item.id)
        own = _table_stages(item, statements, memberships, config)
        delivery, alerted = await _delivery(conn, [m["dispute"].id for m in memberships], item.id)
    trace = parse_trace(item.trace)
    if any(m["role"] == "claim" for m in memberships):
        # the item became a dispute's claim after it was read: the tables say so; its own
        # reading as a possible answer (the trace's candidates and decision) is beside the point
        trace = [t for t in trace if t.name not in ("candidates", "decision", "score")]
    stages = _merge(stages + own + [delivery], trace)
    return _report(url, item, rows, stages, memberships, alerted, _verdict(stages, memberships, alerted))


def _verdict(stages: list[Stage], memberships: list[dict[str, Any]], alerted: bool) -> str:
    if alerted:
        ids = ", ".join(f"#{m['dispute'].id}" for m in memberships)
        return f"Alerted: dispute {ids}."
    if memberships:
        m = memberships[0]["dispute"]
        if m.status in ("dismissed", "muted"):
            return f"In dispute #{m.id}, which a user marked {m.status}: no alerts on it."
        # in a dispute, the reading and linking stages did their part (an item that reports both
        # sides has no earlier candidate, and needs none): only the score and delivery can block
        blocking = next((st for st in stages if st.ok is False and st.name in ("score", "delivery")), None)
        return f"In dispute #{m.id}, no alert sent: {blocking.why if blocking else 'not delivered yet'}."
    blocking = next((st for st in stages if st.ok is False), None)
    return f"No alert: {blocking.label}: {blocking.why}." if blocking else "No alert."


def _report(
    url: str,
    item: Any,
    rows: list[Any],
    stages: list[Stage],
    memberships: list[dict[str, Any]],
    alerted: bool,
    verdict: str,
) -> WhyReport:
    return WhyReport(
        url=url,
        verdict=verdict,
        stages=tuple(stages),
        item_id=item.id,
        title=item.title,
        feed_name=item.feed_name,
        first_seen=item.first_seen,
        disputes=tuple(m["dispute"].id for m in memberships),
        alerted=alerted,
        other_items=tuple(r.id for r in rows if r.id != item.id),
    )
