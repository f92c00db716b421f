"""Feed parsing: RSS 0.9x/1.0/2.0, Atom and JSON Feed into frozen `Entry` values.

The fast path is a strict lxml parse (no network, no entity expansion, no huge trees) and our
own element walking; it handles the well-formed feeds that make up nearly all traffic. A
malformed document falls back to feedparser, which is slower but forgiving. JSON Feed is
recognised by content. A web page served instead of a feed raises `FeedParseError`.

Every link is made absolute against the `xml:base` in scope (else the feed's URL) and
normalised (`bot.urls`), in both parsers alike, so an entry links to the same place
whichever parser read it.

For a social account's feed (`account=True`), each entry is split by `bot.ingest.accounts`
into the account's own words and the posts it reposts or quotes, credited to their authors.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from bot.ingest.accounts import QUOTE, attribute
from bot.types import Entry
from bot.urls import join_base, resolve_link

ParserName = Literal["fast", "feedparser", "json"]

ATOM = "http://www.w3.org/2005/Atom"
ATOM03 = "http://purl.org/atom/ns#"
RSS1 = "http://purl.org/rss/1.0/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"

MAX_TEXT = 100_000  # characters of body text kept per entry


class FeedParseError(ValueError):
    """The body is not a feed we can read (an HTML page, JSON that is not a JSON Feed, garbage)."""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A parsed feed: its title and language, its entries, and which parser read it."""

    title: str
    language: str | None
    entries: tuple[Entry, ...]
    parser: ParserName
    # WebSub discovery (`bot.ingest.websub`): the hubs the document names and its self URL,
    # absolute but not normalised (a topic must be the exact URL the hub knows).
    hubs: tuple[str, ...] = ()
    self_url: str | None = None


# --- text ----------------------------------------------------------------------------------

_TAG_HINT = re.compile(r"<[a-zA-Z!/]")
_WS = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def html_to_text(value: str | None) -> str:
    """Plain text from an HTML fragment: tags stripped (script/style dropped), entities unescaped, spaces collapsed."""
    if not value:
        return ""
    value = _CONTROL.sub(" ", value)
    if _TAG_HINT.search(value):
        if _HEAVY.search(value):
            value = _html_text_lxml(value)
        else:
            # The common case (p, a, b, br...): two regex passes are ~10x faster than building a tree.
            value = _BLOCK_TAG.sub(" ", value)
            value = _ANY_TAG.sub("", value)
    value = html.unescape(value)
    return _WS.sub(" ", value).strip()[:MAX_TEXT]


_BLOCKS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr td th table blockquote section article header footer pre hr".split()
)
# Markup whose content is not text (script, style) or that a regex cannot strip safely (comments, CDATA).
_HEAVY = re.compile(r"<(script|style|noscript|!--|!\[CDATA)", re.I)
_BLOCK_TAG = re.compile(r"</?(?:" + "|".join(sorted(_BLOCKS)) + r")\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _html_text_lxml(value: str) -> str:
    try:
        doc = lxml_html.fragment_fromstring(value, create_parent="div")
        for bad in doc.xpath(".//script|.//style|.//noscript"):
            bad.drop_tree()
        # Block elements end words: "<p>a</p><p>b</p>" is "a b", not "ab".
        for el in doc.iter():
            if isinstance(el.tag, str) and el.tag in _BLOCKS:
                el.tail = " " + (el.tail or "")
        return str(doc.text_content())
    except (etree.ParserError, ValueError):
        return _ANY_TAG.sub(" ", value)


def _clean(value: str | None) -> str:
    return _WS.sub(" ", _CONTROL.sub(" ", value or "")).strip()


# --- dates ---------------------------------------------------------------------------------


def parse_date(value: str | None) -> datetime | None:
    """An aware UTC datetime from RFC 822 or ISO 8601 text, or None if it cannot be read."""
    value = (value or "").strip()
    if not value:
        return None
    dt: datetime | None = None
    try:
        dt = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        dt = None
    if dt is None:
        iso = value.replace("Z", "+00:00").replace("z", "+00:00")
        if len(iso) >= 10 and iso[4:5] == "-" and " " in iso[:11]:
            iso = iso.replace(" ", "T", 1)
        try:
            dt = datetime.fromisoformat(iso)
        except ValueError:
            return None
    try:
        if dt.tzinfo is None:
            return dt.replace(tzinfo=UTC)
        return dt.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


# --- lxml fast path --------------------------------------------------------------------------

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    huge_tree=False,
    load_dtd=False,
    recover=False,
    remove_comments=True,
)


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _ns(tag: Any) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


# An element's children grouped by tag ("{ns}name", or "name" outside any namespace), each with
# its position: built once per entry so each of the dozen lookups below is a dict get, not a scan.
_Kids = dict[str, list[tuple[int, etree._Element]]]


def _kids(el: etree._Element) -> _Kids:
    out: _Kids = {}
    for i, c in enumerate(el):
        if isinstance(c.tag, str):
            out.setdefault(c.tag, []).append((i, c))
    return out


def _tag(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}" if ns else name


def _children(el: etree._Element | _Kids, name: str, ns: tuple[str, ...] = ("",)) -> list[etree._Element]:
    """Children called `name` in any of the namespaces `ns`, in document order."""
    if not isinstance(el, dict):
        return [c for c in el if _local(c.tag) == name and _ns(c.tag) in ns]
    if len(ns) == 1:
        return [c for _, c in el.get(_tag(ns[0], name), ())]
    found = [pair for n in ns for pair in el.get(_tag(n, name), ())]
    found.sort(key=lambda pair: pair[0])
    return [c for _, c in found]


def _first_text(el: etree._Element | _Kids, name: str, ns: tuple[str, ...] = ("",)) -> str | None:
    for c in _children(el, name, ns):
        t = "".join(c.itertext())
        if t.strip():
            return t
    return None


def _lang(el: etree._Element, inherited: str | None) -> str | None:
    v = el.get(XML_LANG)
    return _norm_lang(v) if v else inherited


def _norm_lang(v: str | None) -> str | None:
    v = (v or "").strip().replace("_", "-")
    return v[:16].lower() or None


def _base(el: etree._Element, doc_url: str | None) -> str | None:
    """The base URI in force at `el`: the document's URL, then each xml:base from the root down."""
    chain = [v for e in (el, *el.iterancestors()) if (v := e.get(XML_BASE))]
    base = doc_url
    for value in reversed(chain):
        base = join_base(base, value)
    return base


def _atom_text(el: etree._Element) -> str:
    """An Atom text construct as a string that may hold HTML (type text/html/xhtml)."""
    kind = (el.get("type") or "text").lower()
    if kind == "xhtml" or (kind.endswith("xml") and len(el)):
        return etree.tostring(el, method="html", encoding="unicode", with_tail=False)
    return "".join(el.itertext())


def _entries(
    title_html: str,
    body_html: str,
    *,
    account: bool,
    url: str | None,
    guid: str | None,
    link: str | None,
    published: datetime | None,
    updated: datetime | None,
    author: str | None,
    language: str | None,
) -> tuple[Entry, ...]:
    """The entry (or, on an account feed, the entry and the post it quotes) from raw title and body."""
    title = html_to_text(title_html)
    if not account:
        return (Entry(guid, link, title, html_to_text(body_html), published, updated, author, language),)
    a = attribute(title, body_html, author)
    own = Entry(
        guid,
        link,
        a.title,
        html_to_text(a.body_html),
        published,
        updated,
        author,
        language,
        shared=a.shared,
        original_author=a.original_author,
    )
    q = a.quoted
    if q is None or not q.text:
        return (own,)
    qlink = resolve_link(q.link, url)
    quoted = Entry(
        guid=qlink or f"{guid or link}#quote",
        link=qlink or link,
        title="",
        text=_clean(q.text)[:MAX_TEXT],
        published=published,
        author=q.author,
        language=language,
        shared=QUOTE,
        original_author=q.author,
    )
    return (own, quoted)


def _is_permalink(guid_el: etree._Element) -> bool:
    return (guid_el.get("isPermaLink") or "true").strip().lower() == "true"


def _rss_entry(
    it: etree._Element, lang: str | None, ns: tuple[str, ...], url: str | None, account: bool
) -> tuple[Entry, ...]:
    kids = _kids(it)
    title = _first_text(kids, "title", ns) or ""
    link = None
    for el in _children(kids, "link", ns):
        if (text := "".join(el.itertext()).strip()) and (link := resolve_link(text, _base(el, url))):
            break
    if not link:  # an Atom link inside RSS
        for a in _children(kids, "link", (ATOM,)):
            if a.get("href") and (link := resolve_link(a.get("href"), _base(a, url))):
                break
    guid_el = next(iter(_children(kids, "guid", ns)), None)
    guid = "".join(guid_el.itertext()).strip() if guid_el is not None else None
    if not link and guid_el is not None and guid and _is_permalink(guid_el):
        # RSS 2.0: a guid is the item's permalink unless it says otherwise; only an absolute one
        # (or one made absolute by xml:base) is taken, since "b1" under a feed's URL links nowhere.
        link = resolve_link(guid, _base(guid_el, None))
    if not guid:
        guid = it.get(f"{{{RDF}}}about") or None
    body = _first_text(kids, "encoded", (CONTENT,)) or _first_text(kids, "description", ns) or ""
    pub = _first_text(kids, "pubDate", ns) or _first_text(kids, "date", (DC,))
    upd = _first_text(kids, "updated", (ATOM,))
    author = _first_text(kids, "author", ns) or _first_text(kids, "creator", (DC,))
    language = _lang(it, _norm_lang(_first_text(kids, "language", (DC,))) or lang)
    return _entries(
        title,
        body,
        account=account,
        url=url,
        guid=_clean(guid) or link,
        link=link,
        published=parse_date(pub),
        updated=parse_date(upd),
        author=_clean(author) or None,
        language=language,
    )


def _atom_link(el: etree._Element | _Kids, ns: tuple[str, ...], url: str | None) -> str | None:
    best = None
    for a in _children(el, "link", ns):
        href = resolve_link(a.get("href"), _base(a, url))
        if not href:
            continue
        rel = a.get("rel") or "alternate"
        if rel == "alternate":
            return href
        best = best or href
    return best


def _hub_links(
    el: etree._Element | None, ns: tuple[str, ...], url: str | None
) -> tuple[tuple[str, ...], str | None]:
    """WebSub discovery in a document: `<link rel="hub">` hrefs and the `rel="self"` one."""
    hubs: list[str] = []
    self_url = None
    if el is None:
        return (), None
    for a in _children(el, "link", ns):
        href = (a.get("href") or "").strip()
        rels = (a.get("rel") or "").lower().split()
        if not href or not ("hub" in rels or "self" in rels):
            continue
        try:
            href = urljoin(_base(a, url) or "", href)
        except ValueError:
            continue
        if "hub" in rels:
            hubs.append(href)
        if "self" in rels and self_url is None:
            self_url = href
    return tuple(dict.fromkeys(hubs)), self_url


def _atom_entry(
    en: etree._Element, lang: str | None, ns: tuple[str, ...], url: str | None, account: bool
) -> tuple[Entry, ...]:
    lang = _lang(en, lang)
    kids = _kids(en)
    title_el = next(iter(_children(kids, "title", ns)), None)
    content_el = next(iter(_children(kids, "content", ns)), None)
    if content_el is None:
        content_el = next(iter(_children(kids, "summary", ns)), None)
    author = None
    for a in _children(kids, "author", ns):
        author = _first_text(a, "name", ns)
        if author:
            break
    link = _atom_link(kids, ns, url)
    guid = _clean(_first_text(kids, "id", ns)) or link
    published = _first_text(kids, "published", ns) or _first_text(kids, "issued", ns)
    updated = _first_text(kids, "updated", ns) or _first_text(kids, "modified", ns)
    return _entries(
        _atom_text(title_el) if title_el is not None else "",
        _atom_text(content_el) if content_el is not None else "",
        account=account,
        url=url,
        guid=guid,
        link=link,
        published=parse_date(published) or parse_date(updated),
        updated=parse_date(updated),
        author=_clean(author) or None,
        language=_lang(content_el, lang) if content_el is not None else lang,
    )


def _flat(groups: Any) -> tuple[Entry, ...]:
    return tuple(e for group in groups for e in group)


def _parse_lxml(body: bytes, url: str | None = None, account: bool = False) -> ParsedFeed:
    root = etree.fromstring(body, _PARSER)
    name, ns = _local(root.tag), _ns(root.tag)
    feed_lang = _lang(root, None)
    if name == "feed" and ns in (ATOM, ATOM03):
        nss = (ns,)
        title = _first_text(root, "title", nss) or ""
        entries = _flat(_atom_entry(e, feed_lang, nss, url, account) for e in _children(root, "entry", nss))
        return ParsedFeed(html_to_text(title), feed_lang, entries, "fast", *_hub_links(root, nss, url))
    if name == "rss" and ns == "":
        channel = next(iter(_children(root, "channel")), None)
        if channel is None:
            raise FeedParseError("RSS document without a <channel>")
        feed_lang = _norm_lang(_first_text(channel, "language")) or _lang(channel, feed_lang)
        title = _first_text(channel, "title") or ""
        items = _children(channel, "item") or _children(root, "item")
        return ParsedFeed(
            html_to_text(title),
            feed_lang,
            _flat(_rss_entry(i, feed_lang, ("",), url, account) for i in items),
            "fast",
            *_hub_links(channel, (ATOM,), url),
        )
    if name == "RDF" and ns == RDF:
        rss1: tuple[str, ...] = (RSS1, "")
        channel = next(iter(_children(root, "channel", rss1)), None)
        title = (_first_text(channel, "title", rss1) or "") if channel is not None else ""
        if channel is not None:
            feed_lang = _norm_lang(_first_text(channel, "language", (DC,))) or feed_lang
        items = _children(root, "item", rss1)
        return ParsedFeed(
            html_to_text(title),
            feed_lang,
            _flat(_rss_entry(i, feed_lang, rss1, url, account) for i in items),
            "fast",
            *_hub_links(channel, (ATOM,), url),
        )
    if name.lower() == "html":
        raise FeedParseError("this is an HTML page, not a feed (look for its RSS/Atom link)")
    raise FeedParseError(f"not RSS or Atom (root element <{name or '?'}>)")


# --- JSON Feed ------------------------------------------------------------------------------


def _parse_json(body: bytes, url: str | None = None, account: bool = False) -> ParsedFeed:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as e:
        raise FeedParseError(f"invalid JSON: {e}") from None
    if not isinstance(data, dict) or "jsonfeed.org/version/" not in str(data.get("version", "")):
        raise FeedParseError("JSON, but not a JSON Feed")
    lang = _norm_lang(str(data.get("language") or "")) if data.get("language") else None
    items = data.get("items") or []
    if not isinstance(items, list):
        raise FeedParseError("JSON Feed whose items is not a list")
    entries: list[Entry] = []
    for it in items:
        if not isinstance(it, dict):
            continue
        body_html = it.get("content_html")
        if not isinstance(body_html, str) or not body_html.strip():
            # plain text, escaped so that html_to_text gives it back as it is
            body_html = html.escape(str(it.get("content_text") or ""), quote=False)
        if not body_html.strip() and isinstance(it.get("summary"), str):
            body_html = it["summary"]
        link = resolve_link(it["url"], url) if isinstance(it.get("url"), str) else None
        guid = str(it["id"]) if it.get("id") not in (None, "") else link
        authors = it.get("authors") or ([it["author"]] if isinstance(it.get("author"), dict) else [])
        author = next((a.get("name") for a in authors if isinstance(a, dict) and a.get("name")), None)
        entries += _entries(
            str(it.get("title") or ""),
            body_html,
            account=account,
            url=url,
            guid=_clean(guid) or None,
            link=link,
            published=parse_date(str(it.get("date_published") or "")),
            updated=parse_date(str(it.get("date_modified") or "")),
            author=_clean(str(author)) if author else None,
            language=_norm_lang(str(it["language"])) if it.get("language") else lang,
        )
    listed = data.get("hubs")
    hubs = tuple(
        urljoin(url or "", h["url"].strip())
        for h in (listed if isinstance(listed, list) else [])
        if isinstance(h, dict)
        and isinstance(h.get("url"), str)
        and h["url"].strip()
        and str(h.get("type") or "websub").lower() in ("websub", "pubsubhubbub")
    )
    feed_url = data.get("feed_url")
    self_url = (
        urljoin(url or "", feed_url.strip()) if isinstance(feed_url, str) and feed_url.strip() else None
    )
    return ParsedFeed(
        html_to_text(str(data.get("title") or "")), lang, tuple(entries), "json", hubs, self_url
    )


# --- feedparser fallback -----------------------------------------------------------------------


def _fp_struct(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        y, mo, d, h, mi, sec = (int(v) for v in value[:6])
        return datetime(y, mo, d, h, mi, sec, tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def _parse_feedparser(body: bytes, url: str, account: bool = False) -> ParsedFeed:
    import feedparser

    # Given bytes, feedparser never touches the network; sanitising is ours, so skip its own.
    # It resolves links against xml:base; we resolve what is left against the feed's URL below.
    # (Told the URL as Content-Location, it would also rewrite relative guids into URLs.)
    d = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    version = d.get("version") or ""
    if not version and not d.entries:
        raise FeedParseError("not RSS, Atom or JSON Feed")
    feed = d.get("feed", {})
    lang = _norm_lang(feed.get("language")) if feed.get("language") else None
    entries: list[Entry] = []
    for e in d.entries:
        contents = e.get("content") or []
        body_html = (
            (contents[0].get("value") if contents else None) or e.get("summary") or e.get("description") or ""
        )
        from_guid = bool(e.get("guidislink")) and e.get("link") == e.get("id")
        # a link that is only the guid counts when it is absolute (see `_rss_entry`)
        link = resolve_link(e.get("link"), None if from_guid else url)
        entries += _entries(
            e.get("title") or "",
            body_html,
            account=account,
            url=url,
            guid=_clean(e.get("id")) or link,
            link=link,
            published=_fp_struct(e.get("published_parsed")) or _fp_struct(e.get("updated_parsed")),
            updated=_fp_struct(e.get("updated_parsed")),
            author=_clean(e.get("author")) or None,
            language=_norm_lang(e.get("language")) if e.get("language") else lang,
        )
    hubs: list[str] = []
    self_url = None
    for link in feed.get("links") or []:
        href, rel = (link.get("href") or "").strip(), (link.get("rel") or "").lower()
        if href and rel == "hub":
            hubs.append(urljoin(url or "", href))
        elif href and rel == "self" and self_url is None:
            self_url = urljoin(url or "", href)
    return ParsedFeed(
        html_to_text(feed.get("title") or ""),
        lang,
        tuple(entries),
        "feedparser",
        tuple(dict.fromkeys(hubs)),
        self_url,
    )


# --- entry point -------------------------------------------------------------------------------

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html[\s>])", re.I | re.S)


def _looks_like_html(body: bytes, content_type: str | None) -> bool:
    head = body[:2048].lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(head):
        return True
    return bool(
        content_type and "text/html" in content_type.lower() and b"<rss" not in head and b"<feed" not in head
    )


def parse_feed(
    body: bytes, url: str = "", content_type: str | None = None, *, account: bool = False
) -> ParsedFeed:
    """Parse a feed document. Raises `FeedParseError` for anything that is not a readable feed.

    `account=True` for a social account's feed: reposts and quotes are credited to their authors.

    CPU bound: call it through `asyncio.to_thread` from async code.
    """
    if not body or not body.strip():
        raise FeedParseError("empty document")
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"[") or (content_type and "json" in content_type.lower()):
        return _parse_json(stripped, url, account)
    if _looks_like_html(body, content_type):
        raise FeedParseError("this is an HTML page, not a feed (look for its RSS/Atom link)")
    try:
        return _parse_lxml(body, url, account)
    except FeedParseError:
        raise
    except Exception:  # noqa: BLE001 - malformed (XMLSyntaxError and friends): the forgiving parser below
        pass
    try:
        return _parse_feedparser(body, url, account)
    except FeedParseError:
        raise
    except Exception as e:  # feedparser's own failures on garbage: one error type for callers
        raise FeedParseError(f"unreadable feed: {type(e).__name__}: {e}") from None
