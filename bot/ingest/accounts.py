"""Social account feeds: whose words each post is (reposts, boosts and quotes of other authors).

An `official` feed's items are its actor's statements. A social account's feed also carries
other people's posts: reposts (X retweets, Mastodon boosts, Bluesky reposts) and quotes. For
feeds marked `account = true` the parser asks this module, per entry, what is the account's
own and what is someone else's:

- a repost is someone else's post as a whole: `shared="repost"`, `original_author` = its
  author when the feed names one (else None, and the detector credits it to nobody);
- a quote is the account's own comment plus a quoted post: the comment stays the account's,
  the quoted post is cut out of it and returned on its own (`shared="quote"`), credited to
  its author.

The markers are those of the feeds that reach factbot (see README, "Social accounts"):
- Nitter (X bridge): title "RT by @account: ...", the original author in `<dc:creator>`;
  quotes as `<blockquote><b>Name (@handle)</b>...<cite><a href=...>`;
- RSSHub's X routes: title "RT Name: ..." (or "🔁 Name: ..."), quotes in
  `<div class="rsshub-quote">Name: text</div>`;
- the classic "RT @handle: text" of tweets copied by other bridges;
- Mastodon: boosts are not in its RSS; a quote post carries `<p class="quote-inline">RE: <a
  href=...>` (the quoted text itself is not in the feed, so only the marker is cut);
- Bluesky's own RSS has only the account's posts (no reposts, no quoted text): nothing to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

REPOST = "repost"
QUOTE = "quote"


@dataclass(frozen=True, slots=True)
class Quoted:
    """A post quoted inside another: its author (None when the feed does not say), plain text and link."""

    author: str | None
    text: str
    link: str | None


@dataclass(frozen=True, slots=True)
class Attribution:
    """What one account-feed entry is: its own title and body, and whose words they are."""

    title: str
    body_html: str
    shared: str | None = None  # "repost" when the whole entry is someone else's post
    original_author: str | None = None
    quoted: Quoted | None = None


# "RT by @account: " (Nitter), "RT Name: " / "🔁 Name: " (RSSHub), "RT @handle: " (tweet text).
_NITTER_RT = re.compile(r"^\s*RT by @[\w.]+:\s*")
_CLASSIC_RT = re.compile(r"^\s*RT\s+(@[\w.]{1,50}):\s*")
_RSSHUB_RT = re.compile(r"^\s*(?:RT|🔁)\s+([^:\n@][^:\n]{0,79}?):\s+")
_NITTER_QUOTE_AUTHOR = re.compile(r"^\s*(.*?)\s*\((@[\w.]+)\)\s*$")
_MASTODON_QUOTE_URL = re.compile(r"https?://([^/\s]+)/@([\w.]+)")


def attribute(title: str, body_html: str, author: str | None) -> Attribution:
    """Split one account-feed entry into the account's own words and whatever it reposts or quotes.

    `title` and `body_html` are as the feed has them; `author` is the entry's author element
    (Nitter puts the original author there for a repost).
    """
    original: str | None
    if m := _NITTER_RT.match(title):
        original = (author or "").strip() or None
        return Attribution(title[m.end() :], body_html, REPOST, original)
    if m := _CLASSIC_RT.match(title):
        return Attribution(title[m.end() :], body_html, REPOST, m.group(1))
    if m := _RSSHUB_RT.match(title):
        return Attribution(title[m.end() :], _drop_rsshub_rt_line(body_html), REPOST, m.group(1).strip())
    body, quoted = split_quote(body_html)
    return Attribution(title, body, quoted=quoted)


def _drop_rsshub_rt_line(body_html: str) -> str:
    # RSSHub opens a retweet's description with "RT&ensp;Name<br>": not part of the post
    return re.sub(r"^\s*(?:RT|🔁)(?:&ensp;|\u2002|\s)+[^<]{0,80}<br\s*/?>", "", body_html, count=1)


def split_quote(body_html: str) -> tuple[str, Quoted | None]:
    """The body without its quoted post, and the quoted post (None when there is none)."""
    if not body_html or not any(m in body_html for m in ("<blockquote", "rsshub-quote", "quote-inline")):
        return body_html, None
    try:
        root = lxml_html.fragment_fromstring(body_html, create_parent="div")
    except (etree.ParserError, ValueError):
        return body_html, None
    quoted: Quoted | None = None
    found = root.xpath(".//div[contains(concat(' ', normalize-space(@class), ' '), ' rsshub-quote ')]")
    if found:
        quoted = _rsshub_quote(found[0])
        _cut(found[0])
    elif found := root.xpath(".//blockquote"):
        quoted = _nitter_quote(found[0])
        _cut(found[0])
    elif found := root.xpath(".//*[contains(concat(' ', normalize-space(@class), ' '), ' quote-inline ')]"):
        href = next(iter(found[0].xpath(".//a/@href")), None)
        m = _MASTODON_QUOTE_URL.match(href or "")
        author = f"@{m.group(2)}@{m.group(1)}" if m else None
        quoted = Quoted(author, "", href)  # Mastodon leaves the quoted text out of its feed
        _cut(found[0])
    if quoted is None:
        return body_html, None
    inner = (root.text or "") + "".join(
        etree.tostring(c, encoding="unicode", method="html", with_tail=True) for c in root
    )
    return inner, quoted


def _cut(el: etree._Element) -> None:
    """Remove an element (and the rule before it that only separated it), keeping its tail text."""
    prev = el.getprevious()
    if prev is not None and prev.tag == "hr" and not (prev.tail or "").strip():
        prev.drop_tree()
    el.drop_tree()


def _text(el: etree._Element) -> str:
    """Plain text of an element, block elements ending words ("<p>a</p><p>b</p>" is "a b")."""
    for child in el.iter():
        if child is not el and child.tag in ("p", "br", "div", "li", "hr"):
            child.tail = " " + (child.tail or "")
    return " ".join(str(el.text_content()).split())


def _nitter_quote(bq: etree._Element) -> Quoted:
    author = None
    bold = next(iter(bq.xpath("./b")), None)
    if bold is not None:
        m = _NITTER_QUOTE_AUTHOR.match(bold.text_content())
        author = (m.group(1) or m.group(2)) if m else bold.text_content().strip() or None
        bold.drop_tree()
    link = next(iter(bq.xpath(".//cite//a/@href | .//footer//a/@href")), None)
    for footer in bq.xpath(".//footer"):
        footer.drop_tree()
    return Quoted(author, _text(bq), link)


def _rsshub_quote(div: etree._Element) -> Quoted:
    link = next(iter(div.xpath(".//small//a/@href")), None)
    for small in div.xpath(".//small"):
        small.drop_tree()
    # "Name:&ensp;quoted text" (the name may be a link to the profile in readable mode)
    name, sep, rest = _text(div).partition(":")
    if sep and 0 < len(name.strip()) <= 80:
        return Quoted(name.strip(), rest.strip(), link)
    return Quoted(None, _text(div), link)
