"""An `AlertView` as Slack Block Kit, with the plain `text` fallback Slack shows in notifications.

Feed text is untrusted: every string from a feed goes through `slack_escape` (mrkdwn) or
`plain` (plain_text), so `<!channel>`, `<@U…>`, `<#C…>` and `@here` arrive inert. Links go
through `safe_url` first (http(s) only, no `| < > @`), so `<url|label>` cannot be broken out of.
Every length is capped to Slack's limits: header 150, section text 3000, `text` 40 000, 50 blocks.
"""

from __future__ import annotations

import re
from typing import Any

from bot.alerts.sanitize import ELLIPSIS, one_line, plain, safe_url, slack_escape, truncate
from bot.alerts.text import (
    QUOTE_CHARS,
    first_label,
    render_followup,
    render_parent,
    render_summary,
    who_said_what,
)
from bot.alerts.view import AlertStyle, AlertView, Notice, build_view, language_name, role_label
from bot.types import Dispute, Evidence, EvidenceRole

__all__ = [
    "ACTION_SHARE",
    "ACTION_VERDICT_PREFIX",
    "HEADER_MAX",
    "MAX_BLOCKS",
    "SECTION_MAX",
    "TEXT_MAX",
    "VERDICTS",
    "alert_blocks",
    "alert_text",
    "followup_blocks",
    "followup_text",
    "parse_verdict_action",
    "search_blocks",
    "search_text",
]

HEADER_MAX = 150
SECTION_MAX = 3000
CONTEXT_MAX = 2000  # per context element
URL_MAX = 2000  # longer links are left out rather than cut
TEXT_MAX = 40_000
MAX_BLOCKS = 50
ACTION_VERDICT_PREFIX = "factbot:v"
ACTION_SHARE = "factbot:share"
# Button label -> verdict stored by `commands.record_feedback`.
VERDICTS = (("Not a dispute", "not_a_dispute"), ("Confirmed", "confirmed"), ("Mute this story", "muted"))
_MAX_ALSO = 8

Block = dict[str, Any]


def _date(e: Evidence) -> str:
    return e.published.strftime("%Y-%m-%d") if e.published else "date unknown"


def _link(url: str | None, label: str) -> str:
    """`<url|label>` with the label escaped, or just the label if the URL is not safe to show."""
    safe = slack_escape(safe_url(url))
    # `safe_url` output has no `|`, `<`, `>`; a monster URL would not fit a section whole, and a
    # cut link is broken markup, so it is left out (the label still names the source)
    if not safe or len(safe) > URL_MAX:
        return label
    return f"<{safe}|{label}>"


def _fit(lines: list[str], limit: int = SECTION_MAX) -> str:
    """Whole lines while they fit (a cut line could end inside a `<url|label>` link)."""
    out: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > limit:
            if size + 2 <= limit:
                out.append(ELLIPSIS)
            break
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)


def _evidence_mrkdwn(e: Evidence, label: str, who: str | None = None) -> str:
    """Label, who, when (and the language when it is not the desk's), quote, linked source.
    `who` (already escaped) replaces the speaker (a single-item report's "ICE claimed, X denied")."""
    who = who or truncate(slack_escape(one_line(e.actor)), 200) or "unknown speaker"
    quote = truncate(slack_escape(one_line(e.quote or e.title)), QUOTE_CHARS)
    source = truncate(slack_escape(one_line(e.source)), 200) or "source"
    lang = f", in {language_name(e.language)}" if e.language else ""
    lines = [f"*{label}:* {who}, {_date(e)}{lang}"]
    if quote:
        lines.append(f">{quote}")
    lines.append(_link(e.link, source))
    return _fit(lines)


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, SECTION_MAX)}}


def _header(text: str) -> Block:
    # plain_text is never parsed for mentions, but `plain` also drops control characters.
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": truncate(plain(one_line(text)), HEADER_MAX)},
    }


def _context(texts: list[str]) -> Block:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": truncate(t, CONTEXT_MAX)} for t in texts[:10] if t],
    }


def verdict_action_id(verdict: str, dispute_id: int) -> str:
    """The action id of a verdict button: it carries the dispute id (ids are unique per message)."""
    return f"{ACTION_VERDICT_PREFIX}:{verdict}:{dispute_id}"


def parse_verdict_action(action_id: str) -> tuple[str, int] | None:
    """(verdict, dispute id) from a verdict button's action id; None if it is not one."""
    parts = action_id.split(":")
    if len(parts) != 4 or f"{parts[0]}:{parts[1]}" != ACTION_VERDICT_PREFIX or not parts[3].isdigit():
        return None
    return parts[2], int(parts[3])


def _buttons(dispute_id: int) -> Block:
    return {
        "type": "actions",
        "block_id": f"factbot_verdict_{dispute_id}",
        "elements": [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": label},
                "action_id": verdict_action_id(verdict, dispute_id),
                "value": str(dispute_id),
                **({"style": "primary"} if verdict == "confirmed" else {}),
            }
            for label, verdict in VERDICTS
        ],
    }


def alert_blocks(view: AlertView, *, buttons: bool = True) -> list[Block]:
    """The parent alert: header, claim, first denial, further evidence, confidence/reasons, buttons."""
    blocks: list[Block] = [_header(view.header)]
    report = view.single_report
    if report is not None:  # one item reports both sides: its quote once, with who said what
        who = truncate(who_said_what(view, slack_escape), 400)
        blocks.append(_section(_evidence_mrkdwn(report, "Reported", who=who)))
    else:
        blocks.append(_section(_evidence_mrkdwn(view.claim, "Claim")))
        if view.first_denial is not None:
            blocks.append(_section(_evidence_mrkdwn(view.first_denial, first_label(view.first_denial))))
    others = list(view.others)
    if others:
        lines = []
        for e in others[:_MAX_ALSO]:
            who = (
                truncate(slack_escape(one_line(e.actor)) or slack_escape(one_line(e.source)), 200)
                or "unknown"
            )
            lines.append(f"• {who} ({role_label(e.role).lower()}, {_date(e)}) {_link(e.link, 'link')}")
        if len(others) > _MAX_ALSO:
            lines.append(f"• and {len(others) - _MAX_ALSO} more")
        blocks.append(_section(_fit(["*Also:*", *lines])))
    context = [render_summary(view)]
    if view.reasons:
        context.append("Why: " + "; ".join(slack_escape(one_line(r)) for r in view.reasons))
    if view.url:
        context.append(_link(view.url, "Timeline, sources and why"))
    blocks.append(_context(context))
    if buttons:
        blocks.append(_buttons(view.dispute_id))
    return blocks[:MAX_BLOCKS]


def alert_text(view: AlertView) -> str:
    """The parent's `text` fallback (notifications, screen readers): every link included."""
    return truncate(render_parent(view, escape=slack_escape), TEXT_MAX)


def followup_blocks(view: AlertView) -> list[Block]:
    """A threaded follow-up: the new evidence, then the current status and counts."""
    blocks: list[Block] = []
    if view.update is not None:
        label = {
            EvidenceRole.DENIAL: "New denial",
            EvidenceRole.RETRACTION: "Retracted by the speaker",
            EvidenceRole.CORRECTION: "Corrected by the speaker",
        }.get(view.update.role, role_label(view.update.role))
        blocks.append(_section(_evidence_mrkdwn(view.update, label)))
    elif view.notice is not None:
        blocks.append(_section(notice_mrkdwn(view.notice, view.dispute_id)))
    else:
        blocks.append(_section(f"*Update:* {slack_escape(one_line(view.header))}"))
    context = [f"Now: {view.status.value} · {render_summary(view)}"]
    if view.url:
        context.append(_link(view.url, "Timeline"))
    blocks.append(_context(context))
    if view.notice is not None and view.notice.action == "muted":
        blocks.append(
            {
                "type": "actions",
                "block_id": f"factbot_unmute_{view.dispute_id}",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Unmute (admins)"},
                        "action_id": verdict_action_id("unmuted", view.dispute_id),
                        "value": str(view.dispute_id),
                    }
                ],
            }
        )
    return blocks


def notice_mrkdwn(notice: Notice, dispute_id: int) -> str:
    """A mute notice, naming a Slack user with a mention (escaped text, then the mention put in)."""
    if notice.platform != "slack":
        return slack_escape(one_line(notice.text(dispute_id)))
    user = re.sub(r"[^A-Z0-9]", "", notice.user.upper())  # a mention is ours to make: a bare user id
    return slack_escape(one_line(notice.text(dispute_id, _MENTION))).replace(_MENTION, f"<@{user}>")


_MENTION = "FACTBOTMENTION"


def followup_text(view: AlertView) -> str:
    """A follow-up's `text` fallback."""
    return truncate(render_followup(view, escape=slack_escape), TEXT_MAX)


def _result_mrkdwn(d: Dispute, view: AlertView) -> str:
    lines = [f"*{truncate(slack_escape(one_line(view.header)), 300)}* ({d.status.value})"]
    lines.append(
        f"Claim: {truncate(slack_escape(one_line(view.speaker)), 200) or 'unknown'}, {_date(view.claim)} "
        f"{_link(view.claim.link, 'claim')}"
    )
    if view.first_denial is not None:
        fd = view.first_denial
        lines.append(
            f"{first_label(fd)}: {truncate(slack_escape(one_line(fd.actor)), 200) or 'unknown'}, {_date(fd)} "
            f"{_link(fd.link, truncate(slack_escape(one_line(fd.source)), 200) or 'link')}"
        )
    lines.append(render_summary(view) + (f" · {_link(view.url, 'timeline')}" if view.url else ""))
    return _fit(lines)


def search_blocks(
    disputes: list[Dispute], query: str, *, share: bool = True, style: AlertStyle | None = None
) -> list[Block]:
    """`/dispute` results: one section per dispute, each with a Share in channel button."""
    if not disputes:
        what = f"for “{slack_escape(one_line(query))}”" if query else "yet"
        return [_section(truncate(f"No disputes found {what}.", SECTION_MAX))]
    title = f"Disputes matching “{slack_escape(one_line(query))}”" if query else "Latest disputes"
    blocks: list[Block] = [_section(f"*{title}*")]
    for d in disputes[:12]:
        section = _section(_result_mrkdwn(d, build_view(d, style=style)))
        if share:
            section["accessory"] = {
                "type": "button",
                "text": {"type": "plain_text", "text": "Share in channel"},
                "action_id": f"{ACTION_SHARE}:{d.id}",
                "value": str(d.id),
            }
        blocks.append(section)
    return blocks[:MAX_BLOCKS]


def search_text(disputes: list[Dispute], query: str, *, style: AlertStyle | None = None) -> str:
    """`/dispute` results as plain fallback text, links included."""
    if not disputes:
        return "No disputes found."
    return truncate("\n\n".join(_result_mrkdwn(d, build_view(d, style=style)) for d in disputes), TEXT_MAX)
