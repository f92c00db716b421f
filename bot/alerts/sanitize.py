"""Neutralising untrusted feed text before any chat platform sees it.

Feed titles and quotes are written by strangers. Whatever they contain, an alert must
never ping a channel (`@here`, `<!channel>`), a user (`<@U123>`), a role (`<@&42>`),
link a channel (`<#C1>`), or restyle the message with markup. Each platform gets its own
escaper because each parses differently:

* `slack_escape` — Slack mrkdwn: `&`, `<`, `>` become entities (Slack's documented escaping;
  with no raw `<` no `<!…>`/`<@…>` control sequence can exist), and bare `@here`-style words
  are broken with a zero-width space so no client turns them into mentions.
* `discord_escape` — Discord markdown: markup characters get a backslash, mention sequences
  are broken with a zero-width space. (Adapters still send `AllowedMentions.none()`.)
* `plain` — console and fallbacks: control characters removed, mentions broken.

`truncate` cuts any of these outputs to a length limit with an ellipsis, never inside a
surrogate pair, an `&entity;`, a backslash escape or a combining sequence.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

__all__ = [
    "ELLIPSIS",
    "ZWSP",
    "discord_escape",
    "one_line",
    "plain",
    "safe_url",
    "slack_escape",
    "truncate",
    "utf16_len",
]

ZWSP = "\u200b"  # zero-width space: invisible, but splits a token so it is no longer a mention
ELLIPSIS = "…"

# C0/C1 control characters except tab and newline, plus bidi overrides that can disguise text.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# "@everyone", "@here", "@channel" (Slack) as words; any case, any full-width lookalike is NFKC'd first.
_AT_WORDS = re.compile(r"@(?=everyone|here|channel)", re.IGNORECASE)
# The start of a Slack/Discord control sequence: <@U…>, <@!1>, <@&1>, <#C…>, <!here>, </cmd:1>, <t:1>, <a:x:1>
_ANGLE_SEQ = re.compile(r"<(?=[@#!/:a-zA-Z])")
# Discord markdown: emphasis, code, strike, spoiler, quote, headings, lists, masked links, escapes.
_DISCORD_MARKUP = re.compile(r"([\\*_~`|>#\-\[\]()])")
_ENTITY_TAIL = re.compile(r"&[A-Za-z0-9#]{0,8}$")
# Characters a URL may show as is: RFC 3986 unreserved + reserved, minus "@" (never needed after
# the host, and part of mention syntax) and "|" / "<" / ">" (Slack link syntax), plus "%".
_URL_UNSAFE = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]!$&'()*+,;=%]")


def _clean(text: str) -> str:
    # NFKC folds full-width "＠ｈｅｒｅ" and similar lookalikes into their ASCII forms, so the
    # mention patterns below see what a chat client would render.
    return _CONTROL.sub("", unicodedata.normalize("NFKC", text or ""))


def _break_at_words(text: str) -> str:
    return _AT_WORDS.sub("@" + ZWSP, text)


def plain(text: str) -> str:
    """Feed text made safe for plain-text output: no control characters, no live mentions."""
    out = _break_at_words(_clean(text))
    return _ANGLE_SEQ.sub("<" + ZWSP, out)


def slack_escape(text: str) -> str:
    """Feed text for Slack mrkdwn / `text` fields: `& < >` escaped, `@here`-words broken.

    After this no `<` or `>` is left, so `<!channel>`, `<@U…>`, `<#C…>` and links from the
    feed cannot exist; every `&` starts one of `&amp;`, `&lt;`, `&gt;`.
    """
    out = _clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _break_at_words(out)


def discord_escape(text: str) -> str:
    """Feed text for Discord content/embeds: markdown escaped, mentions broken."""
    out = _clean(text)
    out = _ANGLE_SEQ.sub("<" + ZWSP, out)
    out = _break_at_words(out)
    return _DISCORD_MARKUP.sub(r"\\\1", out)


def safe_url(url: str | None) -> str:
    """A feed's link made safe to show as is: http(s) only, no userinfo, odd characters %-encoded.

    Returns "" for anything else (`javascript:`, `mailto:`, no host), so a renderer can simply
    leave the link out. The result is pure ASCII with no `@ < > | "` or whitespace: it cannot
    carry a mention or break out of a platform's link syntax. Slack still needs `&` as `&amp;`
    (`slack_escape(safe_url(u))`).
    """
    raw = _CONTROL.sub("", (url or "").strip())
    try:
        parts = urlsplit(raw)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        return ""
    return _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8", "replace")), raw)


def one_line(text: str) -> str:
    """Collapse all whitespace (newlines included) to single spaces; strip the ends."""
    return " ".join((text or "").split())


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (how JavaScript-based limits count)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _safe_cut(text: str, cut: int) -> int:
    """Move `cut` left until text[:cut] ends on a whole unit (no half escape or grapheme)."""
    while cut > 0:
        head = text[:cut]
        # a lone high surrogate (only in strings built from UTF-16 data)
        if "\ud800" <= head[-1] <= "\udbff":
            cut -= 1
            continue
        # an odd run of trailing backslashes: the last one escapes what we cut away
        run = len(head) - len(head.rstrip("\\"))
        if run % 2 == 1:
            cut -= 1
            continue
        # inside an "&amp;"-style entity
        m = _ENTITY_TAIL.search(head)
        if m:
            cut = m.start()
            continue
        # the next char continues this one (combining mark, ZWJ sequence, variation selector)
        if cut < len(text):
            nxt = text[cut]
            if unicodedata.combining(nxt) or nxt in "\u200d\ufe0e\ufe0f" or head[-1] == "\u200d":
                cut -= 1
                continue
        break
    return cut


def truncate(text: str, limit: int, *, ellipsis: str = ELLIPSIS, utf16: bool = False) -> str:
    """`text` cut to at most `limit` characters (UTF-16 units if `utf16`), ending in `ellipsis`.

    Works on escaped output: the cut never splits a surrogate pair, an `&entity;`, a backslash
    escape or a character from its combining marks. Text within the limit comes back as is.
    """
    measure = utf16_len if utf16 else len
    if measure(text) <= limit:
        return text
    room = limit - measure(ellipsis)
    if room <= 0:
        return ellipsis if measure(ellipsis) <= limit else ""
    cut = min(room, len(text))
    while cut > 0 and measure(text[:cut]) > room:
        # only reached in utf16 mode: astral characters count twice
        cut -= 1
    head = text[: _safe_cut(text, cut)].rstrip()
    # stripping spaces can expose a new unsafe tail (e.g. "&amp" before the space): cut again
    return head[: _safe_cut(head, len(head))] + ellipsis
