"""An `AlertView` as plain text: the console adapter's output and every platform's fallback.

All feed text goes through `bot.alerts.sanitize.plain` (or an escaper the caller passes),
so mentions and control characters from a feed never reach a channel. Layout of a parent:

    Disputed: ICE's claim that its unit led raids on three drug labs in Sinaloa
    Claim: U.S. Immigration and Customs Enforcement, 2025-05-14: "…quote…" (Source) https://…
    First denial: Claudia Sheinbaum, 2025-05-15, in Spanish: "…" (Source) https://…
    Also: U.S. Embassy in Mexico (denial, 2025-05-15) https://…
    2 denials · 3 outlets · confidence 0.82
    Why: official speaker; explicit denial cue
    Timeline: https://factbot.example.org/disputes/12

When one item reports both sides, its quote is shown once, with who said what:

    Reported: ICE claimed, Claudia Sheinbaum denied (Wire desk), 2025-05-15: "…" https://…

A follow-up names what is new and the current counts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.alerts.sanitize import one_line, plain, safe_url, slack_escape, truncate
from bot.alerts.view import AlertView, counts_text, language_name, role_label, role_noun, role_verb
from bot.types import Evidence, EvidenceRole

__all__ = [
    "QUOTE_CHARS",
    "first_label",
    "render_evidence",
    "render_followup",
    "render_parent",
    "render_summary",
    "who_said_what",
]

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


def render_evidence(
    e: Evidence,
    label: str,
    *,
    escape: Escape = plain,
    quote_chars: int = QUOTE_CHARS,
    who: str | None = None,
) -> str:
    """One side of the story on one line: label, who, when, language, short quote, source, link.

    `who` (already escaped) replaces the speaker's name; the source is then left out, as the
    label names it (a single-item report: "Reported (Wire desk): ICE claimed, X denied")."""
    quote = truncate(escape(one_line(e.quote or e.title)), quote_chars)
    speaker = who if who is not None else (escape(one_line(e.actor)) or "unknown speaker")
    parts = [f"{label}: {speaker}, {_date(e.published)}"]
    if e.language:  # set by `build_view` only when it is not the desk's language
        parts.append(f", in {language_name(e.language)}")
    if quote:
        parts.append(f': "{quote}"')
    if e.source and who is None:
        parts.append(f" ({escape(one_line(e.source))})")
    link = _link(e.link, escape)
    if link:
        # Links are shown as they are (the reader must be able to open them) once `safe_url`
        # has made them inert: http(s) only, no "@", "<", ">", "|" or spaces.
        parts.append(f" {link}")
    return "".join(parts)


def render_summary(view: AlertView) -> str:
    """Counts and confidence on one line, e.g. '2 denials · 1 retraction · 3 outlets · confidence 0.82'."""
    return f"{counts_text(view)} · confidence {view.confidence:.2f}"


def first_label(e: Evidence) -> str:
    """ "First denial" for a denial; the role's own label ("Retraction") otherwise."""
    return "First denial" if e.role is EvidenceRole.DENIAL else role_label(e.role)


def who_said_what(view: AlertView, escape: Escape = plain) -> str:
    """For a single-item dispute: "ICE claimed, Claudia Sheinbaum denied"."""
    report = view.single_report
    claimant = escape(one_line(view.speaker)) or "unknown speaker"
    if report is None:
        return f"{claimant} claimed"
    answer = escape(one_line(report.actor)) or "unknown speaker"
    return f"{claimant} claimed, {answer} {role_verb(report.role)}"


def render_parent(view: AlertView, *, escape: Escape = plain, max_chars: int | None = None) -> str:
    """The parent alert: header, claim, first denial (or the one report of both), other evidence,
    counts, reasons, the timeline's link."""
    lines = [escape(one_line(view.header))]
    report = view.single_report
    if report is not None:
        label = f"Reported ({_source(report, escape)})"
        lines.append(render_evidence(report, label, escape=escape, who=who_said_what(view, escape)))
    else:
        lines.append(render_evidence(view.claim, "Claim", escape=escape))
        if view.first_denial is not None:
            lines.append(render_evidence(view.first_denial, first_label(view.first_denial), escape=escape))
    others = view.others
    for e in others[:_MAX_ALSO]:
        who = escape(one_line(e.actor)) or escape(one_line(e.source)) or "unknown"
        link = _link(e.link, escape)
        link = f" {link}" if link else ""
        lines.append(f"Also: {who} ({role_label(e.role).lower()}, {_date(e.published)}){link}")
    if len(others) > _MAX_ALSO:
        lines.append(f"Also: {len(others) - _MAX_ALSO} more")
    lines.append(render_summary(view))
    if view.reasons:
        lines.append("Why: " + "; ".join(escape(one_line(r)) for r in view.reasons))
    timeline = _link(view.url, escape)
    if timeline:
        lines.append(f"Timeline: {timeline}")
    out = "\n".join(lines)
    return truncate(out, max_chars) if max_chars else out


def _source(e: Evidence, escape: Escape) -> str:
    return escape(one_line(e.source)) or "source unknown"


def render_followup(view: AlertView, *, escape: Escape = plain, max_chars: int | None = None) -> str:
    """A threaded follow-up: what is new (`view.update`), then the current counts and status."""
    lines: list[str] = []
    if view.update is not None:
        label = _FOLLOWUP_LABEL.get(view.update.role) or f"New {role_noun(view.update.role)}"
        lines.append(render_evidence(view.update, label, escape=escape))
    elif view.notice is not None:
        lines.append(escape(one_line(view.notice.text(view.dispute_id))))
    else:
        lines.append(f"Update: {escape(one_line(view.header))}")
    lines.append(f"Now: {view.status.value} · {render_summary(view)}")
    out = "\n".join(lines)
    return truncate(out, max_chars) if max_chars else out
