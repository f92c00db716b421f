"""Feed parsing: RSS 0.9x/1.0/2.0, Atom, JSON Feed, the feedparser fallback, and robustness."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.ingest.parse import FeedParseError, html_to_text, parse_date, parse_feed
from tests.feedserver import atom, rss

RSS091 = b"""<?xml version="1.0"?>
<rss version="0.91"><channel><title>Old style</title><language>fr</language>
<item><title>Premier</title><link>https://example.org/1</link><description>Un texte &amp; plus</description></item>
</channel></rss>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://example.org/"><title>RDF desk</title><dc:language>de</dc:language></channel>
<item rdf:about="https://example.org/r1"><title>Erste Meldung</title><link>https://example.org/r1</link>
<description>Ministerium &lt;b&gt;dementiert&lt;/b&gt; Bericht</description><dc:date>2025-05-15T07:30:00+02:00</dc:date>
<dc:creator>Redaktion</dc:creator></item>
</rdf:RDF>"""


def test_rss2_entries_are_normalised() -> None:
    body = rss(
        [
            (
                "g1",
                "Agency says <b>x</b>",
                "<p>First para.</p><p>Second&nbsp;para.</p><script>alert(1)</script>",
            )
        ],
        language="en-US",
    ).encode()
    parsed = parse_feed(body, url="https://example.org/feed")
    assert parsed.parser == "fast"
    assert parsed.title == "Example desk feed"
    assert parsed.language == "en-us"
    (e,) = parsed.entries
    assert e.guid == "g1"
    assert e.link == "https://example.org/news/g1"
    assert e.title == "Agency says x"
    assert e.text == "First para. Second para."
    assert e.published == datetime(2025, 5, 15, 9, 0, tzinfo=UTC)
    assert e.language == "en-us"


def test_rss091_and_rdf() -> None:
    old = parse_feed(RSS091, url="u")
    assert old.parser == "fast" and old.language == "fr"
    assert old.entries[0].text == "Un texte & plus"
    assert old.entries[0].guid == "https://example.org/1"  # no guid: the link stands in
    rdf = parse_feed(RDF, url="u")
    assert rdf.parser == "fast" and rdf.title == "RDF desk" and rdf.language == "de"
    (e,) = rdf.entries
    assert e.text == "Ministerium dementiert Bericht"
    assert e.published == datetime(2025, 5, 15, 5, 30, tzinfo=UTC)
    assert e.author == "Redaktion"
    assert e.guid == "https://example.org/r1"


def test_atom_with_language_and_timezone() -> None:
    parsed = parse_feed(
        atom([("urn:1", "Título", "<p>El ministerio <em>niega</em> el informe</p>")], lang="es").encode()
    )
    assert parsed.parser == "fast" and parsed.language == "es"
    (e,) = parsed.entries
    assert e.guid == "urn:1"
    assert e.link == "https://example.org/a/urn:1"
    assert e.text == "El ministerio niega el informe"
    assert e.published == datetime(2025, 5, 15, 6, 0, tzinfo=UTC)
    assert e.updated == datetime(2025, 5, 15, 10, 0, tzinfo=UTC)
    assert e.author == "Desk" and e.language == "es"


def test_json_feed() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON desk",
        "language": "en",
        "items": [
            {
                "id": "j1",
                "url": "https://example.org/j1",
                "title": "One",
                "content_html": "<p>Hello <b>there</b></p>",
            },
            {"id": 2, "content_text": "Plain  text", "date_published": "2025-05-15T09:00:00Z"},
        ],
    }
    parsed = parse_feed(json.dumps(doc).encode(), url="u", content_type="application/feed+json")
    assert parsed.parser == "json" and parsed.title == "JSON desk"
    assert [e.text for e in parsed.entries] == ["Hello there", "Plain text"]
    assert parsed.entries[1].guid == "2"
    assert parsed.entries[1].published == datetime(2025, 5, 15, 9, 0, tzinfo=UTC)


def test_malformed_xml_falls_back_to_feedparser() -> None:
    # An unescaped ampersand and an unclosed tag: not well-formed, still readable.
    body = (
        b"<rss version='2.0'><channel><title>Broken & co</title><item><title>Ministry denies report</title>"
        b"<guid>b1</guid><description>It is <b>false</description></item></channel></rss>"
    )
    parsed = parse_feed(body, url="https://example.org/broken")
    assert parsed.parser == "feedparser"
    assert parsed.entries[0].guid == "b1"
    assert parsed.entries[0].title == "Ministry denies report"
    assert "false" in parsed.entries[0].text


@pytest.mark.parametrize(
    "body",
    [
        b"<!DOCTYPE html><html><head><title>x</title></head><body>page</body></html>",
        b"  <html><body><p>not a feed</p></body></html>",
    ],
)
def test_html_page_is_a_clear_error(body: bytes) -> None:
    with pytest.raises(FeedParseError, match="HTML page"):
        parse_feed(body, url="https://example.org/")


@pytest.mark.parametrize("body", [b"", b"   ", b'{"a": 1}', b"[1,2]", b"just words", b"\x00\x01\x02"])
def test_non_feeds_raise_feed_parse_error(body: bytes) -> None:
    with pytest.raises(FeedParseError):
        parse_feed(body, url="u")


def test_entities_are_not_expanded() -> None:
    # A billion-laughs style entity must neither expand nor hang.
    body = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">
    <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><rss version="2.0"><channel><title>t</title>
    <item><guid>1</guid><title>&c;</title></item></channel></rss>"""
    try:
        parsed = parse_feed(body, url="u")
    except FeedParseError:
        return
    assert all(len(e.title) < 1000 for e in parsed.entries)


def test_external_entities_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<rss version='2.0'><channel><title>t</title><item><guid>1</guid><title>a &x; b</title></item></channel></rss>"
    ).encode()
    try:
        parsed = parse_feed(body, url="u")
    except FeedParseError:
        return
    assert all("TOPSECRET" not in e.title + e.text for e in parsed.entries)


def test_html_to_text_and_dates() -> None:
    assert html_to_text("<div>a<br>b</div><style>p{}</style>&amp; c") == "a b & c"
    assert html_to_text("5 &lt; 6") == "5 < 6"
    assert parse_date("Thu, 15 May 2025 09:00:00 +0200") == datetime(2025, 5, 15, 7, 0, tzinfo=UTC)
    assert parse_date("2025-05-15T09:00:00Z") == datetime(2025, 5, 15, 9, 0, tzinfo=UTC)
    assert parse_date("2025-05-15 09:00:00") == datetime(2025, 5, 15, 9, 0, tzinfo=UTC)
    assert parse_date("not a date") is None


_HYP = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_HYP
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash(body: bytes) -> None:
    try:
        parsed = parse_feed(body, url="u")
    except FeedParseError:
        return
    for e in parsed.entries:
        assert isinstance(e.title, str) and isinstance(e.text, str)


_ITEMS = st.lists(
    st.tuples(st.text(min_size=1, max_size=20), st.text(max_size=40), st.text(max_size=80)),
    max_size=5,
)


@_HYP
@given(_ITEMS, st.floats(min_value=0.0, max_value=1.0), st.sampled_from(["rss", "atom"]))
def test_truncated_real_shaped_feeds_never_crash(
    items: list[tuple[str, str, str]], cut: float, kind: str
) -> None:
    doc = (rss(items) if kind == "rss" else atom(items)).encode("utf-8", "surrogatepass")
    body = doc[: int(len(doc) * cut)]
    try:
        parsed = parse_feed(body, url="u")
    except FeedParseError:
        return
    for e in parsed.entries:
        assert e.published is None or e.published.tzinfo is not None
        assert "<" not in e.text or "&lt;" not in e.text


@_HYP
@given(_ITEMS)
def test_whole_feeds_round_trip(items: list[tuple[str, str, str]]) -> None:
    doc = rss(items).encode("utf-8", "surrogatepass")
    try:
        parsed = parse_feed(doc, url="u")
    except FeedParseError:
        # Control characters are not allowed in XML at all; that document is rightly refused.
        assert any(any(ord(c) < 32 and c not in "\t\r\n" for c in "".join(i)) for i in items) or any(
            0xD800 <= ord(c) <= 0xDFFF or ord(c) in (0xFFFE, 0xFFFF) for i in items for c in "".join(i)
        )
        return
    assert len(parsed.entries) == len(items)
