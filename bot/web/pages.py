"""The HTML pages: disputes (search, status filter), a dispute's timeline, "why no alert?", feeds.

Server-rendered with Jinja2 (autoescaping on: every feed word is text, never markup); no
JavaScript. Handlers only read: nothing a page does changes the bot's state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from bot import commands
from bot.adapters import destinations
from bot.alerts.sanitize import one_line, safe_url
from bot.alerts.view import AlertView, build_view, counts_text, language_name, role_label
from bot.types import Dispute, Evidence, EvidenceRole
from bot.web import queries
from bot.web.context import AUTH_KEY, CONFIG_KEY, DB_KEY, STYLE_KEY, render

__all__ = ["dispute", "disputes", "feeds", "index", "login_form", "login_submit", "why"]

PAGE = 50
FEEDS_PAGE = 200
QUERY_MAX = 200


async def index(request: web.Request) -> web.StreamResponse:
    """/ leads to the disputes."""
    raise web.HTTPFound("/disputes")


def _cursor(text: str | None) -> tuple[datetime, int] | None:
    """ "2025-05-15T14:00:00+00:00~12" -> (datetime, 12); None for anything else."""
    if not text or "~" not in text:
        return None
    when, _, ident = text.rpartition("~")
    try:
        return datetime.fromisoformat(when), int(ident)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class _Row:
    id: int
    header: str
    status: str
    counts: str
    confidence: float
    updated: datetime | None
    href: str


async def disputes(request: web.Request) -> web.StreamResponse:
    """The list: newest first, or the same search as `/dispute`; filter by status."""
    db, style = request.app[DB_KEY], request.app[STYLE_KEY]
    q = " ".join(request.query.get("q", "").split())[:QUERY_MAX]
    status = request.query.get("status", "")
    status = status if status in queries.STATUSES else ""
    nxt = None
    if q:
        found = await commands.search_disputes(db, q, limit=25)
        if status:
            found = [d for d in found if d.status.value == status]
    else:
        async with db.connect() as conn:
            found, cursor = await queries.disputes_page(
                conn, status=status or None, before=_cursor(request.query.get("before")), limit=PAGE
            )
        if cursor is not None:
            params = {
                "before": f"{cursor[0].isoformat()}~{cursor[1]}",
                **({"status": status} if status else {}),
            }
            nxt = "/disputes?" + urlencode(params)
    rows = []
    for d in found:
        view = build_view(d, style=style)
        rows.append(
            _Row(
                d.id,
                view.header,
                d.status.value,
                counts_text(view),
                d.confidence,
                d.updated_at,
                f"/disputes/{d.id}",
            )
        )
    return render(
        request, "disputes.html", q=q, status=status, statuses=queries.STATUSES, rows=rows, next=nxt
    )


@dataclass(frozen=True, slots=True)
class _Entry:
    label: str
    role_class: str
    who: str
    when: datetime | None
    source: str
    language: str | None
    quote: str
    title: str
    link: str | None
    score: float | None
    cue: str | None
    reasons: tuple[str, ...]
    why_href: str | None


def _entry(
    e: Evidence, label: str, who: str, detail: queries.EvidenceDetail | None, original: Evidence | None
) -> _Entry:
    language = (original or e).language
    return _Entry(
        label=label,
        role_class=e.role.value,
        who=who,
        when=e.published,
        source=one_line(e.source),
        language=language_name(language),
        quote=one_line(e.quote or ""),
        title=one_line(e.title or ""),
        link=safe_url(e.link) or None,
        score=detail.score if detail else None,
        cue=detail.cue if detail else None,
        reasons=detail.reasons if detail else (),
        why_href=("/why?" + urlencode({"url": e.link})) if safe_url(e.link) else None,
    )


def _timeline(d: Dispute, view: AlertView, details: dict[int, queries.EvidenceDetail]) -> list[_Entry]:
    """The claim and every piece of evidence in time order; one entry when one item reports both."""
    original = {e.item_id: e for e in d.evidence}
    entries: list[_Entry] = []
    report = view.single_report
    if report is None:
        entries.append(_entry(view.claim, "Claim", view.claim.actor, None, d.claim))
    for e in view.evidence:
        detail = details.get(e.item_id)
        if report is not None and e is report:
            label = f"Claim and {role_label(e.role).lower()} in one report"
            who = f"{view.speaker} (claim), {e.actor} ({role_label(e.role).lower()})"
            entries.append(_entry(e, label, who, detail, original.get(e.item_id)))
        else:
            label = (
                "First denial"
                if e is view.first_denial and e.role is EvidenceRole.DENIAL
                else role_label(e.role)
            )
            entries.append(_entry(e, label, e.actor, detail, original.get(e.item_id)))
    return sorted(entries, key=lambda x: (x.when is None, x.when or datetime.max))


async def dispute(request: web.Request) -> web.StreamResponse:
    """One dispute's timeline: claim, each denial/retraction/correction/coverage, why, feedback."""
    db, style = request.app[DB_KEY], request.app[STYLE_KEY]
    try:
        dispute_id = int(request.match_info["dispute_id"])
    except ValueError:
        raise web.HTTPNotFound(text="no such dispute") from None
    async with db.connect() as conn:
        try:
            d = await commands.load_dispute(conn, dispute_id)
        except KeyError:
            raise web.HTTPNotFound(text=f"no dispute #{dispute_id}") from None
        details, feedback, delivery = await queries.dispute_details(conn, dispute_id)
    view = build_view(d, style=style)
    return render(
        request,
        "dispute.html",
        view=view,
        counts=counts_text(view),
        entries=_timeline(d, view, details),
        feedback=feedback,
        delivery=delivery,
        created=d.created_at,
        updated=d.updated_at,
    )


async def why(request: web.Request) -> web.StreamResponse:
    """ "Why no alert?" for the `url` asked about (the form alone without one)."""
    from bot.why import explain

    url = request.query.get("url", "").strip()[:2048]
    if not url:
        return render(request, "why.html", url="", report=None, error=None)
    try:
        report = await explain(request.app[DB_KEY], request.app[CONFIG_KEY], url)
    except ValueError as e:
        return render(
            request,
            "why.html",
            http_status=400,
            url=url,
            report=None,
            error=f"Not a link factbot can look up: {e}",
        )
    return render(request, "why.html", url=url, report=report, error=None)


def _backoff(last: datetime | None, nxt: datetime | None, failures: int) -> str | None:
    if not failures or last is None or nxt is None:
        return None
    minutes = max(0, int((nxt - last).total_seconds() // 60))
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


async def feeds(request: web.Request) -> web.StreamResponse:
    """Feeds with their polling state, and paused alert destinations."""
    db, config = request.app[DB_KEY], request.app[CONFIG_KEY]
    try:
        page = max(1, int(request.query.get("page", "1")))
    except ValueError:
        page = 1
    async with db.connect() as conn:
        rows, total = await queries.feeds_page(conn, offset=(page - 1) * FEEDS_PAGE, limit=FEEDS_PAGE)
    paused = [d for d in await commands.list_destinations(db, destinations(config)) if d.paused]
    shown: list[dict[str, Any]] = [
        {
            "feed": r.feed,
            "items": r.items,
            "backoff": _backoff(r.feed.last_poll_at, r.feed.next_poll_at, r.feed.consecutive_failures),
        }
        for r in rows
    ]
    prev = f"/feeds?page={page - 1}" if page > 1 else None
    nxt = f"/feeds?page={page + 1}" if page * FEEDS_PAGE < total else None
    return render(request, "feeds.html", rows=shown, total=total, paused=paused, prev=prev, next=nxt)


def _safe_next(value: str | None) -> str:
    """Only a path on this site ("/disputes/3"), never "//evil.example" or "https://..."."""
    v = (value or "").strip()
    return v if v.startswith("/") and not v.startswith("//") and "\\" not in v else "/disputes"


async def login_form(request: web.Request) -> web.StreamResponse:
    """The login form (public)."""
    return render(request, "login.html", next=_safe_next(request.query.get("next")), error=None)


async def login_submit(request: web.Request) -> web.StreamResponse:
    """The login form's POST: a session cookie for the right token, then back where the reader was."""
    auth = request.app[AUTH_KEY]
    form = await request.post()
    nxt = _safe_next(str(form.get("next", "")))
    if not auth.token or auth.token_ok(str(form.get("token", ""))):
        response = web.HTTPSeeOther(nxt)
        if auth.token:
            auth.set_session(response)
        raise response
    return render(request, "login.html", http_status=401, next=nxt, error="That is not the token.")
