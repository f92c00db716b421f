"""An `AlertView` as plain text: the console adapter's output and every platform's fallback.

All feed text goes through `bot.alerts.sanitize.plain` (or an escaper the caller passes),
so mentions and control characters from a feed never reach a channel. Layout of a parent:

    Disputed: ICE's claim about the Sinaloa lab raids
    Claim: ICE, 2025-05-14: "…quote…" (Source) https://…
    First denial: Claudia Sheinbaum, 2025-05-15: "…" (Source) https://…
    Also: U.S. Embassy (denial, 2025-05-15) https://…
    2 denials · 3 outlets · confidence 0.82
    Why: official speaker; explicit denial cue

A follow-up names what is new and the current counts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.alerts.sanitize import one_line, plain, safe_url, slack_escape, truncate
from bot.alerts.view import ROLE_LABELS, AlertView
from bot.types import Evidence, EvidenceRole

__all__ = ["QUOTE_CHARS", "render_evidence", "render_followup", "render_parent", "render_summary"]

QUOTE_CHARS = 280  # a short quote: the link carries the rest
_MAX_ALSO = 8  # further evidence lines on a parent; more would drown the alert

_FOLLOWUP_LABEL = {
    EvidenceRole.CLAIM: "The claim's own item",
    EvidenceRole.DENIAL: "New denial",
    EvidenceRole.RETRACTION: "Retracted by the speaker",
    EvidenceRole.CORRECTION: "Corrected by the speaker",
    EvidenceRole.CORROBORATION: "Corroborated",
    EvidenceRole.COVERAGE: "More coverage",
}

Escape = Callable[[str], str]


def _link(url: str | None, escape: Escape) -> str:
    # `safe_url` output is ASCII with no mention or link syntax; Slack alone still wants its
    # `&` as `&amp;`. Other escapers (Discord's backslashes) would break the link, so not them.
    link = safe_url(url)
    return slack_escape(link) if escape is slack_escape else link


def _date(when: datetime | None) -> str:
    return when.strftime("%Y-%m-%d") if when else "date unknown"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def render_evidence(
    e: Evidence, label: str, *, escape: Escape = plain, quote_chars: int = QUOTE_CHARS
) -> str:
    """One side of the story on one line: label, who, when, short quote, source, link."""
    quote = truncate(escape(one_line(e.quote or e.title)), quote_chars)
    parts = [f"{label}: {escape(one_line(e.actor)) or 'unknown speaker'}, {_date(e.published)}"]
    if quote:
        parts.append(f': "{quote}"')
    if e.source:
        parts.append(f" ({escape(one_line(e.source))})")
    link = _link(e.link, escape)
    if link:
        # Links are shown as they are (the reader must be able to open them) once `safe_url`
        # has made them inert: http(s) only, no "@", "<", ">", "|" or spaces.
        parts.append(f" {link}")
    return "".join(parts)


def render_summary(view: AlertView) -> str:
    """Counts and confidence on one line, e.g. '2 denials · 3 outlets · confidence 0.82'."""
    return (
        f"{_plural(view.denial_count, 'denial')} · {_plural(view.outlet_count, 'outlet')}"
        f" · confidence {view.confidence:.2f}"
    )


def render_parent(view: AlertView, *, escape: Escape = plain, max_chars: int | None = None) -> str:
    """The parent alert: header, claim, first denial, other evidence, counts, reasons."""
    lines = [escape(one_line(view.header))]
    lines.append(render_evidence(view.claim, "Claim", escape=escape))
    if view.first_denial is not None:
        label = (
            "First denial"
            if view.first_denial.role is EvidenceRole.DENIAL
            else ROLE_LABELS[view.first_denial.role]
        )
        lines.append(render_evidence(view.first_denial, label, escape=escape))
    others = [e for e in view.evidence if e is not view.first_denial]
    for e in others[:_MAX_ALSO]:
        who = escape(one_line(e.actor)) or escape(one_line(e.source)) or "unknown"
        link = _link(e.link, escape)
        link = f" {link}" if link else ""
        lines.append(f"Also: {who} ({ROLE_LABELS[e.role].lower()}, {_date(e.published)}){link}")
    if len(others) > _MAX_ALSO:
        lines.append(f"Also: {len(others) - _MAX_ALSO} more")
    lines.append(render_summary(view))
    if view.reasons:
        lines.append("Why: " + "; ".join(escape(one_line(r)) for r in view.reasons))
    out = "\n".join(lines)
    return truncate(out, max_chars) if max_chars else out


def render_followup(view: AlertView, *, escape: Escape = plain, max_chars: int | None = None) -> str:
    """A threaded follow-up: what is new (`view.update`), then the current counts and status."""
    lines: list[str] = []
    if view.update is not None:
        lines.append(render_evidence(view.update, _FOLLOWUP_LABEL[view.update.role], escape=escape))
    elif view.notice is not None:
        lines.append(escape(one_line(view.notice.text(view.dispute_id))))
    else:
        lines.append(f"Update: {escape(one_line(view.header))}")
    lines.append(f"Now: {view.status.value} · {render_summary(view)}")
    out = "\n".join(lines)
    return truncate(out, max_chars) if max_chars else out
