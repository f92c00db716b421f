"""Reading feed subscriptions from an OPML file (the export format of every feed reader)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from bot.config import check_feed_url
from bot.types import FeedKind, FeedSpec

__all__ = ["OpmlError", "parse_opml", "read_opml"]

MAX_OPML_BYTES = 20_000_000


class OpmlError(Exception):
    """The file is not a usable OPML document; the message says why."""


def parse_opml(data: bytes, *, kind: FeedKind = FeedKind.NEWS, actor: str | None = None) -> list[FeedSpec]:
    """Every `<outline xmlUrl=...>` in the document, at any depth, as feed specs (first wins on duplicates).

    Outlines with a missing or non-http(s) `xmlUrl` are skipped; a document that is not XML or
    has no `<body>` raises `OpmlError`.
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
        specs[url] = FeedSpec(url=url, name=name[:300], kind=kind, actor=actor, language=language)
    return list(specs.values())


def read_opml(
    path: str | Path, *, kind: FeedKind = FeedKind.NEWS, actor: str | None = None
) -> list[FeedSpec]:
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
