"""Whether an item is an opinion piece rather than news, from its headline label or its link.

An opinion piece states its writer's view: neither an official's claim nor a report that one
was denied, however it is worded. The detector therefore never takes one as either side of a
dispute (`decision.answers`). The labels and link sections of each language live in
`data/genre/<language>.toml`; every language's words are used for every item.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from bot.detect.lexicons import load_lexicon
from bot.text import fold
from bot.types import Item


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lex = load_lexicon("genre")
    label = lex.alt("label")
    # "Opinion: ...", "OP-ED | ...", "... | Opinion", "... - Commentary"
    headline = re.compile(rf"^\s*(?:{label})\s*[:|\u2014\u2013]|\s[|\u2014\u2013-]\s*(?:{label})\s*$")
    section = re.compile(rf"^(?:{lex.alt('section')})$")
    return headline, section


def is_opinion(item: Item) -> bool:
    """True when the headline carries an opinion label or the link lies in an opinion section."""
    headline, section = _patterns()
    if headline.search(fold(item.title or "")):
        return True
    if not item.link:
        return False
    try:
        path = urlsplit(item.link).path
    except ValueError:  # a malformed link in feed text: judge by the headline alone
        return False
    return any(section.match(fold(seg)) for seg in path.split("/") if seg)


__all__ = ["is_opinion"]
