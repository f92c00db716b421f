"""Links in feeds: relative hrefs and xml:base resolved alike by the fast path and the feedparser fallback."""

from __future__ import annotations

from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.ingest.parse import _parse_feedparser, _parse_lxml, parse_feed

FEED_URL = "https://Feeds.Example.org:443/desk/rss.xml"

# hrefs as publishers write them: root-relative, document-relative, dot segments, query only,
# protocol-relative, absolute with odd case/ports, tracking parameters and fragments.
_HREFS = st.sampled_from(
    [
        "/b/2",
        "a/1",
        "../up/3",
        "./here/4",
        "?page=5",
        "//cdn.example.net/x/6",
        "HTTP://Other.Example:80/Path/7",
        "https://example.com/story/8?utm_source=rss&id=8#comments",
        "/news/9/?fbclid=abc",
        "story%20ten",
        "javascript:alert(1)",
        "mailto:desk@example.org",
    ]
)
# xml:base values: absolute (with a path to resolve against) or relative to the outer base.
_BASES = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "http://base.example/x/",
            "https://Base.Example:443/deep/er/",
            "https://base.example/file.html",
            "sub/",
            "../parent/",
            "/rooted/",
        ]
    ),
)


def _base_attr(value: str | None) -> str:
    return f" xml:base={quoteattr(value)}" if value else ""


def _rss(items: list[tuple[str, str | None, str | None]], channel_base: str | None) -> bytes:
    parts = [f'<?xml version="1.0"?><rss version="2.0"><channel{_base_attr(channel_base)}><title>t</title>']
    for i, (href, item_base, link_base) in enumerate(items):
        parts.append(
            f"<item{_base_attr(item_base)}><title>i{i}</title><guid isPermaLink='false'>g{i}</guid>"
            f"<link{_base_attr(link_base)}>{xml_escape(href)}</link><description>d</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


def _atom(items: list[tuple[str, str | None, str | None]], feed_base: str | None) -> bytes:
    parts = [
        f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"{_base_attr(feed_base)}><title>t</title>'
    ]
    for i, (href, entry_base, link_base) in enumerate(items):
        parts.append(
            f"<entry{_base_attr(entry_base)}><id>urn:x:{i}</id><title>e{i}</title>"
            f"<link rel='alternate'{_base_attr(link_base)} href={quoteattr(href)}/><summary>s</summary></entry>"
        )
    parts.append("</feed>")
    return "".join(parts).encode()


def _supported(items: list[tuple[str, str | None, str | None]], outer: str | None) -> tuple[list, str | None]:
    """The documents the property covers: an absolute xml:base on the root, or none at all.

    feedparser is not told the feed's URL (told it as Content-Location, it would also rewrite
    relative guids into URLs), and without an absolute outer base it leaks an inner xml:base
    into the items after it. Real feeds put an absolute xml:base on the root, or none.
    """
    if outer is not None and "://" not in outer:
        outer = None
    if outer is None:
        items = [(href, None, None) for href, _, _ in items]
    return items, outer


_ITEMS = st.lists(st.tuples(_HREFS, _BASES, _BASES), min_size=1, max_size=4)


@settings(max_examples=150, deadline=None)
@given(items=_ITEMS, outer=_BASES, kind=st.sampled_from(["rss", "atom"]))
def test_both_parsers_resolve_links_alike(
    items: list[tuple[str, str | None, str | None]], outer: str | None, kind: str
) -> None:
    items, outer = _supported(items, outer)
    body = _rss(items, outer) if kind == "rss" else _atom(items, outer)
    fast = _parse_lxml(body, FEED_URL)
    slow = _parse_feedparser(body, FEED_URL)
    assert fast.parser == "fast" and slow.parser == "feedparser"
    assert [e.link for e in fast.entries] == [e.link for e in slow.entries]
    for e in fast.entries:
        # every link is absolute http(s), normalised (lower-case host, no default port, no
        # fragment, no tracking parameters), or absent when it could not be followed
        assert e.link is None or e.link.startswith(("http://", "https://"))
        if e.link:
            assert "#" not in e.link and "utm_source" not in e.link and ":443" not in e.link
            assert e.link.split("/")[2] == e.link.split("/")[2].lower()


def test_relative_links_resolve_against_the_feed_url() -> None:
    body = _rss([("/b/2", None, None), ("a/1", None, None)], None)
    links = [e.link for e in parse_feed(body, url=FEED_URL).entries]
    assert links == ["https://feeds.example.org/b/2", "https://feeds.example.org/desk/a/1"]
    atom_body = _atom([("/a/1", None, None)], None)
    assert parse_feed(atom_body, url=FEED_URL).entries[0].link == "https://feeds.example.org/a/1"


def test_xml_base_wins_over_the_feed_url_and_nests() -> None:
    body = _atom([("../c", "sub/", None), ("d", None, "https://other.example/e/")], "http://base.example/x/")
    links = [e.link for e in parse_feed(body, url=FEED_URL).entries]
    assert links == ["http://base.example/x/c", "https://other.example/e/d"]


def test_unfollowable_links_are_dropped_and_guid_stands_in() -> None:
    body = _rss([("javascript:alert(1)", None, None)], None)
    (e,) = parse_feed(body, url=FEED_URL).entries
    assert e.link is None and e.guid == "g0"


def test_permalink_guid_becomes_the_link_only_when_absolute() -> None:
    body = (
        b"<rss version='2.0'><channel><title>t</title>"
        b"<item><title>a</title><guid>https://Example.org/p/1#x</guid></item>"
        b"<item><title>b</title><guid>opaque-2</guid></item></channel></rss>"
    )
    a, b = parse_feed(body, url=FEED_URL).entries
    assert a.link == "https://example.org/p/1"
    assert b.link is None and b.guid == "opaque-2"


def test_json_feed_links_resolve_against_the_feed_url() -> None:
    body = b'{"version": "https://jsonfeed.org/version/1.1", "title": "j", "items": [{"id": "1", "url": "/p/1?utm_medium=x"}]}'
    (e,) = parse_feed(body, url=FEED_URL).entries
    assert e.link == "https://feeds.example.org/p/1"
