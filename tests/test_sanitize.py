"""Untrusted feed text made inert: properties over any input, and the cases a newsroom meets."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.alerts.sanitize import (
    ELLIPSIS,
    ZWSP,
    discord_escape,
    one_line,
    plain,
    safe_url,
    slack_escape,
    truncate,
    utf16_len,
)

# Text that is likely to contain the dangerous pieces, mixed with anything at all.
_PIECES = st.sampled_from(
    [
        "<!channel>",
        "<!here>",
        "<!everyone>",
        "@here",
        "@everyone",
        "@channel",
        "<@U123ABC>",
        "<#C0ALERTS>",
        "<@&987>",
        "<@!42>",
        "&",
        "&amp;",
        "&lt;",
        "<",
        ">",
        "*",
        "_",
        "~",
        "`",
        "|",
        "\\",
        "[x](https://e.x)",
        "＠ｈｅｒｅ",
        "\u202e",
        "\x00",
        "\u200d",
        "e\u0301",
        "👩‍👩‍👧",
        "@",
        "here",
        "!",
        "#",
    ]
)
untrusted = st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=25).map("".join)

_LIVE_AT = re.compile(r"@(everyone|here|channel)", re.IGNORECASE)
_SLACK_ENTITY = re.compile(r"&(amp|lt|gt);")
_DISCORD_MENTION = re.compile(r"<[@#!/:]|<a?:\w+:\d+>")
_DISCORD_MARKUP = "\\*_~`|>#-[]()"


def _bare_ampersands(text: str) -> int:
    return text.count("&") - len(_SLACK_ENTITY.findall(text))


@settings(max_examples=400)
@given(untrusted)
@example("<!channel> and @here, see <@U024BE7LH> in <#C024BE7LR|general> & more")
def test_slack_escape_leaves_nothing_live(text: str) -> None:
    out = slack_escape(text)
    assert "<" not in out and ">" not in out
    assert _bare_ampersands(out) == 0
    assert not _LIVE_AT.search(out)


@settings(max_examples=400)
@given(untrusted)
def test_discord_escape_leaves_nothing_live(text: str) -> None:
    out = discord_escape(text)
    assert not _LIVE_AT.search(out)
    assert not _DISCORD_MENTION.search(out)
    # every markup character is preceded by an escaping backslash
    i = 0
    while i < len(out):
        if out[i] == "\\":
            assert i + 1 < len(out) and out[i + 1] in _DISCORD_MARKUP, out
            i += 2
            continue
        assert out[i] not in _DISCORD_MARKUP, out
        i += 1


@settings(max_examples=300)
@given(untrusted)
def test_plain_has_no_live_mentions_or_controls(text: str) -> None:
    out = plain(text)
    assert not _LIVE_AT.search(out)
    assert not re.search(r"<[@#!]", out)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", out)


@settings(max_examples=400)
@given(untrusted, st.integers(min_value=0, max_value=60), st.booleans())
def test_truncate_respects_the_limit_and_keeps_escapes_whole(text: str, limit: int, utf16: bool) -> None:
    for escaped in (slack_escape(text), discord_escape(text)):
        out = truncate(escaped, limit, utf16=utf16)
        measure = utf16_len if utf16 else len
        assert measure(out) <= limit
        if out == escaped:
            continue
        assert out.endswith(ELLIPSIS) or out == ""
        head = out[: -len(ELLIPSIS)] if out else ""
        assert escaped.startswith(head)
        if escaped == slack_escape(text):
            assert _bare_ampersands(head) == 0  # no "&am" left dangling
        trailing = len(head) - len(head.rstrip("\\"))
        assert trailing % 2 == 0  # no backslash separated from what it escapes


def test_examples_read_naturally() -> None:
    assert slack_escape("Fish & chips <b>") == "Fish &amp; chips &lt;b&gt;"
    assert slack_escape("ping @here now") == f"ping @{ZWSP}here now"
    assert discord_escape("**bold** @everyone <@123>") == f"\\*\\*bold\\*\\* @{ZWSP}everyone <{ZWSP}@123\\>"
    assert plain("a\x00b <!here>") == f"ab <{ZWSP}!here>"
    assert one_line("  two\n lines\t") == "two lines"


def test_truncate_does_not_split_characters() -> None:
    assert truncate("abcdef", 10) == "abcdef"
    assert truncate("abcdef", 4) == "abc" + ELLIPSIS
    assert truncate("AT&amp;T wins", 5) == "AT" + ELLIPSIS  # not "AT&a…"
    assert truncate("ab\\*cd", 4) == "ab" + ELLIPSIS  # not "ab\\…"
    assert truncate("ab😀cd", 4, utf16=True) == "ab" + ELLIPSIS  # the emoji needs 2 UTF-16 units
    assert truncate("cafe\u0301 noir", 5) == "caf" + ELLIPSIS  # keep é's accent with its letter
    assert truncate("abc", 0) == ""


@settings(max_examples=300)
@given(st.one_of(untrusted, untrusted.map(lambda t: "https://news.example/" + t)))
def test_safe_url_is_inert_ascii(url: str) -> None:
    out = safe_url(url)
    assert out == "" or out.startswith(("http://", "https://", "HTTP", "Http"))
    assert out.isascii()
    assert not re.search(r"[@<>|\"\s\\\\^`{}]", out)


def test_safe_url_examples() -> None:
    assert safe_url("https://news.example/a?b=1&c=2") == "https://news.example/a?b=1&c=2"
    assert safe_url(" https://news.example/ñ @here|x> ") == "https://news.example/%C3%B1%20%40here%7Cx%3E"
    assert safe_url("javascript:alert(1)") == ""
    assert safe_url("https://user@evil.example/") == ""
    assert safe_url(None) == ""
