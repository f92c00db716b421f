"""WebSub (W3C Recommendation, 2018) protocol pieces: discovery, the hub request, signatures.

Pure functions and one small HTTP client, no storage: `bot.ingest.push` keeps the
subscriptions and answers the hub's callbacks with these.

- Discovery: a feed advertises its hub with `rel="hub"` and its canonical URL (the topic) with
  `rel="self"`, in the HTTP `Link` header or as `<atom:link>` in the document (JSON Feed:
  `hubs` and `feed_url`). The header wins, as the spec asks, then the document.
- Subscribing is a form POST to the hub; the hub answers 202 and verifies our intent later with
  a GET to the callback (`bot.ingest.push`).
- Content distribution is signed: `X-Hub-Signature: sha256=<hex HMAC of the raw body>` with the
  secret we gave the hub.

The hub URL is text from an untrusted feed: every request to it goes through the SSRF guard
(`bot.ingest.urlguard`), whatever the feed's origin, and redirects are not followed.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import aiohttp

from bot.ingest.urlguard import PublicOnlyResolver, UnsafeURL, check_public_url

__all__ = [
    "SIGNATURE_ALGORITHMS",
    "Discovery",
    "HubClient",
    "HubResponse",
    "discover",
    "parse_link_header",
    "parse_signature",
    "sign",
    "verify_signature",
]

# The spec's algorithms; sha1 is still what many hubs send (it is an HMAC, so sha1's collision
# weakness does not make forgery practical).
SIGNATURE_ALGORITHMS = frozenset({"sha1", "sha256", "sha384", "sha512"})
_HEX_LENGTH = {"sha1": 40, "sha256": 64, "sha384": 96, "sha512": 128}


@dataclass(frozen=True, slots=True)
class Discovery:
    """Where a feed's pushes come from: its hub, and the topic URL to subscribe to."""

    hub: str
    topic: str


# --- discovery -------------------------------------------------------------------------------

# One link-value of RFC 8288: `<uri>` then `; name=value` parameters (quoted or token values).
_LINK = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,=\s]+\s*(?:=\s*(?:\"(?:[^\"\\]|\\.)*\"|[^;,]*))?)*)")
_PARAM = re.compile(r";\s*([^;,=\s]+)\s*(?:=\s*(\"(?:[^\"\\]|\\.)*\"|[^;,]*))?")


def parse_link_header(value: str | None, base: str = "") -> list[tuple[str, frozenset[str]]]:
    """The links of a `Link` header as (absolute URL, rel values), in order.

    `rel` may list several relations (`rel="hub self"`); relative URLs are resolved against
    `base` (the feed's URL). Links without a rel are dropped: discovery cannot use them.
    """
    out: list[tuple[str, frozenset[str]]] = []
    for m in _LINK.finditer(value or ""):
        rels: frozenset[str] = frozenset()
        for p in _PARAM.finditer(m.group(2)):
            if p.group(1).lower() == "rel" and p.group(2):
                raw = p.group(2).strip()
                if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
                    raw = raw[1:-1]
                rels = frozenset(r.lower() for r in raw.split())
                break  # the first rel parameter counts (RFC 8288 3.3)
        url = m.group(1).strip()
        if rels and url:
            out.append((urljoin(base, url) if base else url, rels))
    return out


def _http_url(url: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.hostname else None


def discover(
    link_header: str | None,
    hubs: Sequence[str],
    self_url: str | None,
    feed_url: str,
) -> Discovery | None:
    """The hub and topic a fetched feed advertises, or None when it names no (usable) hub.

    `link_header` is the response's `Link` header; `hubs` and `self_url` what the document
    itself says (`ParsedFeed.hubs`, `ParsedFeed.self_url`); `feed_url` the URL it was fetched
    from, which is the topic when no self link is given. The header wins over the document.
    """
    header = parse_link_header(link_header, feed_url)
    header_hub = next((u for u, rels in header if "hub" in rels and _http_url(u)), None)
    header_self = next((u for u, rels in header if "self" in rels and _http_url(u)), None)
    hub = header_hub or next((h for h in hubs if _http_url(h)), None)
    if hub is None:
        return None
    topic = header_self if header_hub else None
    topic = topic or _http_url(self_url) or header_self or feed_url
    return Discovery(hub=hub.strip(), topic=topic.strip())


# --- secrets and signatures ------------------------------------------------------------------


def parse_signature(value: str | None) -> tuple[str, str] | None:
    """`X-Hub-Signature: method=signature` as (method, lowercase hex), or None when unusable.

    Unknown methods, missing or non-hex signatures, and a signature of the wrong length for
    its method are all None: such a push is treated as unsigned.
    """
    if not value:
        return None
    method, sep, sig = value.strip().partition("=")
    method, sig = method.strip().lower(), sig.strip().lower()
    if not sep or method not in SIGNATURE_ALGORITHMS:
        return None
    if len(sig) != _HEX_LENGTH[method] or not all(c in "0123456789abcdef" for c in sig):
        return None
    return method, sig


def sign(secret: str, body: bytes, method: str = "sha256") -> str:
    """The `X-Hub-Signature` value a hub sends for `body` (tests, and the verifier below)."""
    digest = hmac.new(secret.encode(), body, method).hexdigest()
    return f"{method}={digest}"


def verify_signature(secret: str, body: bytes, header: str | None) -> bool:
    """True when `header` is a valid HMAC of the raw `body` under `secret` (constant-time compare)."""
    parsed = parse_signature(header)
    if parsed is None:
        return False
    method, sig = parsed
    return hmac.compare_digest(sign(secret, body, method), f"{method}={sig}")


# --- the hub request -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HubResponse:
    """What the hub said to a (un)subscribe request: `ok` is a 202 (or any 2xx)."""

    ok: bool
    status: int | None = None
    error: str | None = None


class HubClient:
    """Sends (un)subscribe requests to hubs, through the SSRF guard. `close()` at the end."""

    def __init__(self, *, user_agent: str, timeout_s: float, allow_hosts: Sequence[str] = ()) -> None:
        self.user_agent, self.timeout_s = user_agent, timeout_s
        self.allow_hosts = tuple(allow_hosts)
        self._session: aiohttp.ClientSession | None = None

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            # The resolver refuses non-public addresses at connect time (DNS rebinding after the check).
            connector = aiohttp.TCPConnector(limit=8, resolver=PublicOnlyResolver(self.allow_hosts))
            self._session = aiohttp.ClientSession(
                connector=connector,
                headers={"User-Agent": self.user_agent},
                timeout=aiohttp.ClientTimeout(total=self.timeout_s),
            )
        return self._session

    async def request(
        self,
        hub: str,
        *,
        mode: str,
        topic: str,
        callback: str,
        secret: str | None = None,
        lease_seconds: int | None = None,
    ) -> HubResponse:
        """POST `hub.mode=<mode>` for `topic` to `hub`; never raises for network or guard trouble."""
        form = {"hub.mode": mode, "hub.topic": topic, "hub.callback": callback}
        if secret:
            form["hub.secret"] = secret
        if lease_seconds:
            form["hub.lease_seconds"] = str(int(lease_seconds))
        try:
            await check_public_url(hub, self.allow_hosts)
            async with self._get_session().post(hub, data=form, allow_redirects=False) as resp:
                text = (await resp.content.read(500)).decode("utf-8", "replace").strip()
                if 200 <= resp.status < 300:
                    return HubResponse(True, resp.status)
                return HubResponse(False, resp.status, f"HTTP {resp.status}: {text[:200]}".strip(": "))
        except UnsafeURL as e:
            return HubResponse(False, None, f"refused: {e}")
        except TimeoutError:
            return HubResponse(False, None, f"timed out after {self.timeout_s:g}s")
        except (aiohttp.ClientError, OSError, ValueError) as e:
            return HubResponse(False, None, f"{type(e).__name__}: {e}".strip())

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None
