"""WebSub protocol pieces: Link header parsing, discovery in documents and headers, signatures."""

from __future__ import annotations

import hmac

from hypothesis import given
from hypothesis import strategies as st

from bot.ingest.parse import parse_feed
from bot.ingest.websub import (
    SIGNATURE_ALGORITHMS,
    Discovery,
    discover,
    parse_link_header,
    parse_signature,
    sign,
    verify_signature,
)

FEED_URL = "https://news.example.org/feeds/desk.xml"


def test_link_header_with_several_links_and_relations() -> None:
    header = (
        '<https://hub.example.net/>; rel="hub", <https://news.example.org/feeds/desk.xml>; rel=self, '
        '</other>; rel="alternate hub"; type="text/html", <https://x.example/>; title="no rel"'
    )
    links = parse_link_header(header, FEED_URL)
    assert links == [
        ("https://hub.example.net/", frozenset({"hub"})),
        ("https://news.example.org/feeds/desk.xml", frozenset({"self"})),
        ("https://news.example.org/other", frozenset({"alternate", "hub"})),
    ]
    assert parse_link_header(None) == [] and parse_link_header("garbage, <>; rel=") == []


def test_discovery_prefers_the_link_header_then_the_document() -> None:
    header = '<https://hub.example.net/>; rel="hub", <https://news.example.org/canonical>; rel="self"'
    assert discover(header, ("https://doc-hub.example/",), "https://doc/self", FEED_URL) == Discovery(
        "https://hub.example.net/", "https://news.example.org/canonical"
    )
    # No hub in the header: the document's hub and self link.
    assert discover(None, ("https://doc-hub.example/",), "https://doc.example/self", FEED_URL) == Discovery(
        "https://doc-hub.example/", "https://doc.example/self"
    )
    # No self link anywhere: the URL the feed was fetched from is the topic.
    assert discover(None, ("https://doc-hub.example/",), None, FEED_URL) == Discovery(
        "https://doc-hub.example/", FEED_URL
    )
    assert discover(None, (), "https://doc.example/self", FEED_URL) is None
    assert discover(None, ("javascript:alert(1)", "ftp://hub/"), None, FEED_URL) is None


ATOM_WITH_HUB = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://news.example.org/feeds/">
  <title>Desk</title><id>urn:x</id><updated>2025-05-15T09:00:00Z</updated>
  <link rel="hub" href="https://hub.example.net/"/>
  <link rel="self" href="desk.atom"/>
  <link rel="alternate" href="https://news.example.org/"/>
  <entry><id>e1</id><title>One</title><link href="https://news.example.org/1"/>
    <updated>2025-05-15T09:00:00Z</updated><content>Text</content></entry>
</feed>"""

RSS_WITH_HUB = """<?xml version="1.0"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
  <title>Desk</title><link>https://news.example.org/</link>
  <atom:link rel="hub" href="https://hub.example.net/a"/>
  <atom:link rel="hub" href="https://hub.example.net/b"/>
  <atom:link rel="self" type="application/rss+xml" href="https://news.example.org/rss"/>
  <item><guid>g1</guid><title>One</title><description>Text</description></item>
</channel></rss>"""


def test_documents_name_their_hubs_atom_rss_json_and_the_fallback_parser() -> None:
    atom = parse_feed(ATOM_WITH_HUB.encode(), FEED_URL)
    assert atom.parser == "fast" and len(atom.entries) == 1
    assert atom.hubs == ("https://hub.example.net/",)
    assert atom.self_url == "https://news.example.org/feeds/desk.atom"  # xml:base applies

    rss = parse_feed(RSS_WITH_HUB.encode(), FEED_URL)
    assert rss.hubs == ("https://hub.example.net/a", "https://hub.example.net/b")
    assert rss.self_url == "https://news.example.org/rss"

    json_feed = parse_feed(
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "Desk", "feed_url": "/feed.json",'
        b' "hubs": [{"type": "WebSub", "url": "https://hub.example.net/"}, {"type": "rssCloud", "url": "x"}],'
        b' "items": [{"id": "1", "content_text": "Text"}]}',
        FEED_URL,
    )
    assert json_feed.hubs == ("https://hub.example.net/",)
    assert json_feed.self_url == "https://news.example.org/feed.json"

    # Malformed XML (a bare `&`) goes to feedparser, which still finds the hub.
    broken = parse_feed(
        RSS_WITH_HUB.replace("<title>Desk</title>", "<title>Desk & co</title>").encode(), FEED_URL
    )
    assert broken.parser == "feedparser"
    assert broken.hubs[0] == "https://hub.example.net/a" and broken.self_url == "https://news.example.org/rss"

    plain = parse_feed(RSS_WITH_HUB.replace("atom:link", "ignored").encode(), FEED_URL)
    assert plain.hubs == () and plain.self_url is None


# --- signatures ------------------------------------------------------------------------------

methods = st.sampled_from(sorted(SIGNATURE_ALGORITHMS))


@given(secret=st.text(min_size=1, max_size=80), body=st.binary(max_size=2000), method=methods)
def test_a_hub_signature_verifies_in_any_case_and_only_for_its_body(
    secret: str, body: bytes, method: str
) -> None:
    header = sign(secret, body, method)
    assert verify_signature(secret, body, header)
    assert verify_signature(secret, body, header.upper())  # "SHA256=ABC..." is the same signature
    assert verify_signature(secret, body, f"  {header}  ")
    assert not verify_signature(secret + "x", body, header)
    assert not verify_signature(secret, body + b"x", header)


@given(secret=st.text(min_size=1, max_size=40), body=st.binary(max_size=200), method=methods, data=st.data())
def test_any_changed_signature_digit_is_refused(
    secret: str, body: bytes, method: str, data: st.DataObject
) -> None:
    digest = sign(secret, body, method).split("=", 1)[1]
    i = data.draw(st.integers(0, len(digest) - 1))
    swapped = "0" if digest[i] != "0" else "1"
    assert not verify_signature(secret, body, f"{method}={digest[:i]}{swapped}{digest[i + 1 :]}")
    assert not verify_signature(secret, body, f"{method}={digest[:-1]}")  # too short
    assert not verify_signature(secret, body, f"md5={hmac.new(secret.encode(), body, 'md5').hexdigest()}")


@given(st.text(max_size=300))
def test_the_signature_parser_never_raises_and_returns_only_well_formed_values(value: str) -> None:
    parsed = parse_signature(value)
    if parsed is not None:
        method, digest = parsed
        assert method in SIGNATURE_ALGORITHMS
        assert len(digest) == {"sha1": 40, "sha256": 64, "sha384": 96, "sha512": 128}[method]
        assert all(c in "0123456789abcdef" for c in digest)
    assert not verify_signature("secret", b"body", value) or parsed is not None


@given(method=methods, digest=st.text(alphabet="0123456789abcdefABCDEF", min_size=1, max_size=130))
def test_the_signature_parser_checks_the_length_for_the_method(method: str, digest: str) -> None:
    expected = {"sha1": 40, "sha256": 64, "sha384": 96, "sha512": 128}[method]
    parsed = parse_signature(f"{method}={digest}")
    assert (parsed is not None) == (len(digest) == expected)
    if parsed is not None:
        assert parsed == (method, digest.lower())
    assert parse_signature(None) is None and parse_signature("") is None and parse_signature(digest) is None
