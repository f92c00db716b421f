"""Render the platform-neutral `AlertView` as Discord embeds.

Everything that came from a feed is untrusted: it is markdown-escaped, mention-neutralised
(embeds never ping, but `@everyone` should not even *look* like a ping) and cut to Discord's
embed limits (title 256, field value 1024, description 4096, footer 2048, total 6000).
The idempotency reference of each message is written into its footer, so that after a crash
`find_sent` can recognise a message we already posted by reading the channel history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from urllib.parse import quote, urlsplit, urlunsplit

import discord

from bot.alerts.sanitize import discord_escape, plain
from bot.alerts.sanitize import one_line as _one_line
from bot.alerts.sanitize import truncate as _truncate
from bot.alerts.text import first_label, who_said_what
from bot.alerts.view import AlertView, Notice, counts_text, language_name, role_label
from bot.types import DisputeStatus, Evidence, EvidenceRole

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
TOTAL_MAX = 6000
FIELDS_MAX = 25
THREAD_NAME_MAX = 100
CONTENT_MAX = 2000
QUOTE_MAX = 300  # a short quote; the link carries the rest

REF_PREFIX = "ref "

STATUS_COLOURS: dict[DisputeStatus, int] = {
    DisputeStatus.DISPUTED: 0xE67E22,  # orange
    DisputeStatus.CONFIRMED: 0xC0392B,  # red: the desk says it is real
    DisputeStatus.RETRACTED: 0x8E44AD,  # purple: the speaker took it back
    DisputeStatus.CORRECTED: 0xF1C40F,  # yellow
    DisputeStatus.DISMISSED: 0x95A5A6,  # grey
    DisputeStatus.MUTED: 0x607D8B,  # slate
}

_STATUS_WORDS: dict[DisputeStatus, str] = {
    DisputeStatus.DISPUTED: "disputed",
    DisputeStatus.CONFIRMED: "confirmed by the desk",
    DisputeStatus.RETRACTED: "retracted",
    DisputeStatus.CORRECTED: "corrected",
    DisputeStatus.DISMISSED: "dismissed (not a dispute)",
    DisputeStatus.MUTED: "muted",
}


def inert(text: str | None) -> str:
    """Text with no control characters and no live mentions (for places without markdown)."""
    # The shared escaper breaks "@everyone" as a word; discord.py's also breaks it inside words
    # ("@everyone0") and bare user/role ids ("@!123..."): belt and braces.
    return discord.utils.escape_mentions(plain(text or ""))


def clean(text: str | None) -> str:
    """Feed text made inert for markdown places: markdown escaped, mentions broken (shared escaper)."""
    return discord.utils.escape_mentions(discord_escape(text or ""))


def one_line(text: str | None) -> str:
    """Collapse whitespace so a quote or a name stays on one line."""
    return _one_line(text or "")


def truncate(text: str, limit: int) -> str:
    """Cut to `limit` characters with an ellipsis, never inside an escape or a surrogate pair."""
    return _truncate(text, limit)


def safe_url(url: str | None) -> str | None:
    """An http(s) URL fit for an embed link, or None; characters that break markdown links are quoted."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or len(url) > 2000:
        return None
    safe = "/:@!$&'*+,;=%?#~"  # keep URL syntax, quote spaces, parentheses, brackets and quotes
    return urlunsplit(
        (
            parts.scheme.lower(),
            quote(parts.netloc, safe=":@[]%"),
            quote(parts.path, safe=safe),
            quote(parts.query, safe=safe),
            quote(parts.fragment, safe=safe),
        )
    )


def format_date(when: datetime | None) -> str:
    """A date every reader reads the same way: 2025-05-14."""
    return when.date().isoformat() if when else "date unknown"


def link_markdown(ev: Evidence) -> str:
    """`[source](url)`, or just the escaped source name when the item has no usable link."""
    label = truncate(clean(one_line(ev.source)) or "source", 80)
    url = safe_url(ev.link)
    return f"[{label}]({url})" if url else label


def evidence_field(label: str, ev: Evidence, who: str | None = None) -> tuple[str, str]:
    """One embed field for a piece of evidence: who, when and (if not the desk's) the language in
    the name; quote and link in the value. `who` (already cleaned) replaces the speaker."""
    who = who or truncate(clean(one_line(ev.actor)) or "unknown", 200)
    lang = f" · in {language_name(ev.language)}" if ev.language else ""
    name = truncate(f"{label}: {who} · {format_date(ev.published)}{lang}", FIELD_NAME_MAX)
    quote_text = one_line(ev.quote or ev.title)
    link = link_markdown(ev)
    room = FIELD_VALUE_MAX - len(link) - 3  # "> " + newline
    body = truncate(clean(quote_text), min(QUOTE_MAX, max(room, 0))) if quote_text else ""
    value = f"> {body}\n{link}" if body else link
    return name, truncate(value, FIELD_VALUE_MAX)


def counts_line(view: AlertView) -> str:
    """'2 denials · 1 retraction · 3 outlets · status: disputed', with the timeline's link."""
    line = f"{counts_text(view)} · status: {_STATUS_WORDS[view.status]}"
    url = safe_url(view.url)
    return f"{line}\n[Timeline, sources and why]({url})" if url else line


def footer_text(view: AlertView, ref: str | None) -> str:
    """Confidence and reasons, then the message's reference (kept whole: find_sent matches it)."""
    tail = f" · {REF_PREFIX}{ref}" if ref else ""
    reasons = "; ".join(one_line(r) for r in view.reasons if r.strip())
    head = f"Confidence {view.confidence:.0%}" + (f" · {reasons}" if reasons else "")
    # Footers do not render markdown, but mention-looking text is still neutralised.
    head = inert(head)
    return truncate(head, FOOTER_MAX - len(tail)) + tail


def _more_evidence_lines(evidence: Iterable[Evidence]) -> list[str]:
    lines = []
    for ev in evidence:
        who = truncate(clean(one_line(ev.actor)) or "unknown", 80)
        lines.append(f"• {role_label(ev.role)} — {who}, {format_date(ev.published)}: {link_markdown(ev)}")
    return lines


def _pack_lines(lines: Sequence[str], limit: int = FIELD_VALUE_MAX) -> list[str]:
    """Greedily pack lines into field values of at most `limit` characters."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        line = truncate(line, limit)
        if current and len(current) + 1 + len(line) > limit:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        chunks.append(current)
    return chunks


def _fit(embed: discord.Embed) -> discord.Embed:
    """Drop trailing 'more evidence' fields, then shorten the description, until the total fits."""
    while len(embed) > TOTAL_MAX and len(embed.fields) > 2:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) > TOTAL_MAX and embed.description:
        over = len(embed) - TOTAL_MAX
        embed.description = truncate(embed.description, max(len(embed.description) - over, 1))
    return embed


def parent_embed(view: AlertView, ref: str | None = None) -> discord.Embed:
    """The parent alert: header, the claim, the first denial, every other denial's link, counts, footer."""
    embed = discord.Embed(
        title=truncate(clean(one_line(view.header)), TITLE_MAX),
        url=safe_url(view.claim.link),
        colour=STATUS_COLOURS[view.status],
        description=truncate(counts_line(view), DESCRIPTION_MAX),
    )
    report = view.single_report
    if report is not None:  # one item reports both sides: its quote once, with who said what
        name, value = evidence_field("Reported", report, who=truncate(who_said_what(view, clean), 200))
        embed.add_field(name=name, value=value, inline=False)
    else:
        name, value = evidence_field("Claim", view.claim)
        embed.add_field(name=name, value=value, inline=False)
        if view.first_denial is not None:
            name, value = evidence_field(first_label(view.first_denial), view.first_denial)
            embed.add_field(name=name, value=value, inline=False)
    rest = list(view.others)
    for i, chunk in enumerate(_pack_lines(_more_evidence_lines(rest))):
        if len(embed.fields) >= FIELDS_MAX:
            break
        embed.add_field(
            name="More evidence" if i == 0 else "More evidence (cont.)", value=chunk, inline=False
        )
    embed.set_footer(text=footer_text(view, ref))
    when = view.first_denial.published if view.first_denial else view.claim.published
    if when is not None:
        embed.timestamp = when
    return _fit(embed)


def _update_title(view: AlertView, ev: Evidence) -> str:
    actor = one_line(ev.actor) or "unknown"
    titles = {
        EvidenceRole.DENIAL: f"New denial from {actor}",
        EvidenceRole.RETRACTION: f"Retracted by {actor}",
        EvidenceRole.CORRECTION: f"Corrected by {actor}",
        EvidenceRole.CORROBORATION: f"Corroborated by {actor}",
        EvidenceRole.COVERAGE: f"Also reported by {one_line(ev.source) or actor}",
        EvidenceRole.CLAIM: f"The original claim by {actor}",
    }
    return titles.get(ev.role) or f"{role_label(ev.role)} from {actor}"


_MENTION = "FACTBOTMENTION"


def _notice_text(notice: Notice, dispute_id: int) -> str:
    """A mute notice; a Discord user as a mention (it shows the name; replies allow no mentions: no ping)."""
    if notice.platform == "discord" and notice.user.isdigit():
        return clean(one_line(notice.text(dispute_id, _MENTION))).replace(_MENTION, f"<@{int(notice.user)}>")
    return clean(one_line(notice.text(dispute_id)))


def reply_embed(view: AlertView, ref: str | None = None) -> discord.Embed:
    """A follow-up in the thread: what is new (`view.update`), with its link, and the current counts."""
    ev = view.update
    if ev is None:  # a status change without new evidence, or a desk action (a mute)
        what = f"Status changed: {counts_line(view)}"
        if view.notice is not None:
            what = _notice_text(view.notice, view.dispute_id)
        embed = discord.Embed(
            title=truncate(clean(one_line(view.header)), TITLE_MAX),
            colour=STATUS_COLOURS[view.status],
            description=truncate(what, DESCRIPTION_MAX),
        )
    else:
        embed = discord.Embed(
            title=truncate(clean(_update_title(view, ev)), TITLE_MAX),
            url=safe_url(ev.link),
            colour=STATUS_COLOURS[view.status],
            description=truncate(counts_line(view), DESCRIPTION_MAX),
        )
        name, value = evidence_field(role_label(ev.role), ev)
        embed.add_field(name=name, value=value, inline=False)
        if ev.published is not None:
            embed.timestamp = ev.published
    embed.set_footer(text=footer_text(view, ref))
    return _fit(embed)


def thread_name(view: AlertView) -> str:
    """The thread (or forum post) title: plain text, no markdown, at most 100 characters."""
    name = inert(one_line(view.header)) or f"Dispute {view.dispute_id}"
    return truncate(name, THREAD_NAME_MAX)


def results_embed(views: Sequence[AlertView], query: str) -> discord.Embed:
    """The `/dispute` answer: the best matches, each with speaker, deniers, dates, status and links."""
    title = f"Disputes matching “{one_line(query)}”" if query.strip() else "Latest disputes"
    embed = discord.Embed(title=truncate(clean(title), TITLE_MAX), colour=0x3498DB)
    if not views:
        embed.description = "No disputes found. Try fewer or other words, e.g. `/dispute ice sinaloa`."
        return embed
    for view in views[: FIELDS_MAX - 1]:
        lines = [
            f"Claim by {clean(one_line(view.speaker))}, {format_date(view.claim.published)}: {link_markdown(view.claim)}"
        ]
        for ev in view.evidence:
            if ev.role is EvidenceRole.COVERAGE:
                continue
            who = clean(one_line(ev.actor)) or "unknown"
            lines.append(f"{role_label(ev.role)} by {who}, {format_date(ev.published)}: {link_markdown(ev)}")
        lines.append(f"{counts_line(view)} · confidence {view.confidence:.0%} · #{view.dispute_id}")
        value = _pack_lines(lines)[0]
        embed.add_field(
            name=truncate(clean(one_line(view.header)), FIELD_NAME_MAX), value=value, inline=False
        )
        if len(embed) > TOTAL_MAX:
            embed.remove_field(len(embed.fields) - 1)
            break
    return embed


def mention_safe_content(text: str) -> str:
    """Plain message content (admin notices): mentions neutralised, at most 2000 characters."""
    return truncate(inert(text), CONTENT_MAX)
