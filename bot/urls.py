"""One form for every URL we store: feed URLs and item links, so the same resource is stored once.

`normalize_url` is RFC 3986 normalisation by the `url-normalize` library (scheme and host in
lower case, IDNA hosts, default ports dropped, percent-encoding and dot segments normalised),
then the fragment and the tracking parameters (`bot/data/tracking_params.txt`) dropped. A trailing
slash is kept in the stored form, because `/a/` and `/a` may be different resources on a server
that does not redirect one to the other; `url_key` also drops it, and is what dedupe compares.

`resolve_link` joins a link found in a feed with its base (xml:base, else the feed's URL) and
normalises it; both feed parsers call it, so they give the same absolute links.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from urllib.parse import urljoin, urlsplit, urlunsplit

from url_normalize import url_normalize

WEB_SCHEMES = frozenset({"http", "https"})


def _load_tracking() -> tuple[frozenset[str], tuple[str, ...]]:
    text = resources.files("bot").joinpath("data/tracking_params.txt").read_text("utf-8")
    names = [ln.strip().lower() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    exact = frozenset(n for n in names if not n.endswith("*"))
    prefixes = tuple(n[:-1] for n in names if n.endswith("*"))
    return exact, prefixes


_TRACKING_EXACT, _TRACKING_PREFIXES = _load_tracking()
# url-normalize leaves spaces in hosts alone; such a URL is not one we can fetch or link to.
_BAD_HOST = re.compile(r"[\s<>\"{}|\\^`]")


def is_tracking_param(name: str) -> bool:
    """True for a query parameter that only tracks the click (utm_source, fbclid, ...)."""
    n = name.lower()
    return n in _TRACKING_EXACT or n.startswith(_TRACKING_PREFIXES)


def _strip_tracking(query: str) -> str:
    if not query:
        return ""
    kept = [p for p in query.split("&") if p and not is_tracking_param(p.partition("=")[0])]
    return "&".join(kept)


@lru_cache(maxsize=4096)
def normalize_url(url: str) -> str:
    """The stored form of an absolute http(s) URL; anything else comes back stripped, unchanged.

    `HTTP://Example.COM:80/a/./b?utm_source=x&id=3#top` -> `http://example.com/a/b?id=3`.
    """
    raw = (url or "").strip()
    try:
        # Only absolute web URLs: url-normalize would read "b1" as the host "https://b1/".
        if urlsplit(raw).scheme.lower() not in WEB_SCHEMES:
            return raw
        norm = url_normalize(raw) or raw
        parts = urlsplit(norm)
    except (ValueError, UnicodeError):  # "http://[::1", an undecodable IDNA label
        return raw
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", _strip_tracking(parts.query), ""))


def url_key(url: str) -> str:
    """What dedupe compares: the normalised URL without a trailing slash on its path."""
    return slash_key(normalize_url(url))


def slash_key(normalized: str) -> str:
    """`url_key` of a URL that is already normalised (cheap: a string operation, no parsing)."""
    base, sep, query = normalized.partition("?")
    head, slashes, path = base.partition("://")
    if "/" in path.rstrip("/"):
        path = path.rstrip("/")
    else:  # the root of a site: "http://host/" and "http://host" are one URL
        path = path.rstrip("/") + "/"
    return f"{head}{slashes}{path}{sep}{query}"


def url_variants(url: str) -> tuple[str, ...]:
    """The normalised URL and its twin with or without the trailing slash (they share a `url_key`)."""
    norm = normalize_url(url)
    base, sep, query = norm.partition("?")
    if "/" not in base.partition("://")[2].rstrip("/"):  # a site's root has no twin
        return (norm,)
    twin = base[:-1] if base.endswith("/") else base + "/"
    return (norm, f"{twin}{sep}{query}")


def resolve_link(href: str | None, base: str | None) -> str | None:
    """An absolute, normalised http(s) link from a feed's (maybe relative) `href`, or None.

    `base` is the xml:base in scope, else the feed's URL. A link that stays relative (no base)
    or that is not http(s) (`javascript:`, `mailto:`) is not a link a reader can follow.
    """
    href = (href or "").strip()
    if not href:
        return None
    try:
        joined = urljoin(base or "", href)
        scheme = urlsplit(joined).scheme.lower()
    except ValueError:
        return None
    if scheme not in WEB_SCHEMES:
        return None
    norm = normalize_url(joined)
    host = urlsplit(norm).netloc
    if not host or _BAD_HOST.search(host):
        return None
    return norm


def join_base(base: str | None, xml_base: str | None) -> str | None:
    """The base URI inside an element carrying `xml:base` (relative values join the outer base)."""
    if not xml_base or not xml_base.strip():
        return base
    try:
        joined = urljoin(base or "", xml_base.strip())
    except ValueError:
        return base
    # An unsafe or relative xml:base (no usable scheme) leaves the outer base in force.
    return joined if urlsplit(joined).scheme.lower() in WEB_SCHEMES else base
