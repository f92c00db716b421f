"""Feed subscriptions as OPML (the export format of every feed reader): reading and writing.

`write_opml(feeds)` exports what factbot needs to watch a feed again elsewhere: the URL and
name as every reader understands them, and factbot's own `kind`, `actor` and poll interval as
attributes in the `urn:factbot:opml:1` namespace, which other readers ignore. `parse_opml`
reads those back, so `factbot export-opml` + `factbot import-opml` moves a desk's feed list.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from lxml import etree

from bot.config import check_feed_url
from bot.types import Feed, FeedKind, FeedSpec

__all__ = ["FACTBOT_NS", "OpmlError", "parse_opml", "read_opml", "write_opml"]

MAX_OPML_BYTES = 20_000_000
FACTBOT_NS = "urn:factbot:opml:1"
_F = f"{{{FACTBOT_NS}}}"


class OpmlError(Exception):
    """The file is not a usable OPML document; the message says why."""


def parse_opml(data: bytes, *, kind: FeedKind | None = None, actor: str | None = None) -> list[FeedSpec]:
    """Every `<outline xmlUrl=...>` in the document, at any depth, as feed specs (first wins on duplicates).

    `kind`/`actor` apply to every feed when given; otherwise each outline's factbot attributes
    (from `write_opml`) say, and feeds without them are news. Outlines with a missing or
    non-http(s) `xmlUrl` are skipped; a document that is not XML or has no `<body>` raises
    `OpmlError`.
    """
    # No entity expansion, no network, no DTD: an OPML file is untrusted input.
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as e:
        raise OpmlError(f"not well-formed XML: {e}") from None
    if root is None or etree.QName(root).localname.lower() != "opml":
        raise OpmlError("not an OPML document (the root element is not <opml>)")
    body = next((el for el in root if isinstance(el.tag, str) and etree.QName(el).localname == "body"), None)
    if body is None:
        raise OpmlError("the OPML document has no <body>")
    specs: dict[str, FeedSpec] = {}
    for outline in body.iter("{*}outline", "outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url:
            continue  # a folder, or a link without a feed
        try:
            url = check_feed_url(url)
        except ValueError:
            continue
        if url in specs:
            continue
        name = (outline.get("title") or outline.get("text") or "").strip()
        language = (outline.get("language") or "").strip() or None
        feed_kind, feed_actor, interval = _factbot_attrs(outline, kind, actor)
        specs[url] = FeedSpec(
            url=url, name=name[:300], language=language, kind=feed_kind, actor=feed_actor, interval_s=interval
        )
    return list(specs.values())


def _factbot_attrs(
    outline: etree._Element, kind: FeedKind | None, actor: str | None
) -> tuple[FeedKind, str | None, int | None]:
    """kind, actor and interval: the caller's, else the outline's factbot attributes, else news."""
    if kind is not None:
        return kind, actor, None
    own_actor = (outline.get(f"{_F}actor") or "").strip() or None
    try:
        own_kind = FeedKind((outline.get(f"{_F}kind") or "news").strip().lower())
    except ValueError:
        own_kind = FeedKind.NEWS
    if own_kind is FeedKind.OFFICIAL and not own_actor:
        own_kind = FeedKind.NEWS  # an official feed without its actor cannot be attributed
    raw = (outline.get(f"{_F}interval") or "").strip()
    interval = int(raw) if raw.isdigit() and int(raw) > 0 else None
    return own_kind, own_actor, interval


def write_opml(feeds: Sequence[Feed], *, title: str = "factbot feeds", now: datetime | None = None) -> bytes:
    """The feeds as an OPML 2.0 document (UTF-8 bytes), in the order given.

    Feed names, URLs and actors are attribute values: lxml escapes them, so a hostile feed
    title cannot break the document.
    """
    root = etree.Element("opml", nsmap={"factbot": FACTBOT_NS}, version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = format_datetime(now or datetime.now(UTC))
    body = etree.SubElement(root, "body")
    for f in feeds:
        name = _xml_safe(f.name or f.url)
        el = etree.SubElement(body, "outline", type="rss", text=name, title=name, xmlUrl=f.url)
        if f.language:
            el.set("language", _xml_safe(f.language))
        el.set(f"{_F}kind", f.kind.value)
        if f.actor:
            el.set(f"{_F}actor", _xml_safe(f.actor))
        if f.interval_s:
            el.set(f"{_F}interval", str(int(f.interval_s)))
        if not f.enabled:
            el.set(f"{_F}enabled", "false")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot carry most control characters, even escaped: drop them."""
    return "".join(c for c in text if c in "\t\n\r" or (ord(c) >= 0x20 and c not in "\ufffe\uffff"))


def read_opml(path: str | Path, *, kind: FeedKind | None = None, actor: str | None = None) -> list[FeedSpec]:
    """`parse_opml` on a file; unreadable or oversized files raise `OpmlError`."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_OPML_BYTES:
            raise OpmlError(f"{p}: larger than {MAX_OPML_BYTES // 1_000_000} MB")
        data = p.read_bytes()
    except FileNotFoundError:
        raise OpmlError(f"{p}: file not found") from None
    except IsADirectoryError:
        raise OpmlError(f"{p}: is a directory") from None
    except OSError as e:
        raise OpmlError(f"{p}: cannot read: {e.strerror}") from None
    try:
        return parse_opml(data, kind=kind, actor=actor)
    except OpmlError as e:
        raise OpmlError(f"{p}: {e}") from None
