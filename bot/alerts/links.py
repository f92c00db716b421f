"""Links from alerts to the web pages: `<base_url>/disputes/<id>`, signed when pages need a token.

A reader who clicks an alert in Slack or Discord has no token. When `[web] token` is set, the
alert's link carries `k=<signature>`: an HMAC of the dispute id under the token, good for that
one dispute's timeline and nothing else (the web app checks it with `check_signature`).
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import quote

__all__ = ["check_signature", "dispute_path", "dispute_url", "link_signature"]


def link_signature(secret: str, dispute_id: int) -> str:
    """The signature that opens one dispute's page without the token."""
    mac = hmac.new(secret.encode("utf-8"), f"factbot:dispute:{int(dispute_id)}".encode(), hashlib.sha256)
    return mac.hexdigest()[:32]


def check_signature(secret: str, dispute_id: int, signature: str | None) -> bool:
    """True when `signature` opens this dispute (constant-time comparison)."""
    return bool(signature) and hmac.compare_digest(link_signature(secret, dispute_id), str(signature))


def dispute_path(dispute_id: int) -> str:
    """The timeline's path inside the web app."""
    return f"/disputes/{int(dispute_id)}"


def dispute_url(base_url: str | None, dispute_id: int, secret: str | None = None) -> str | None:
    """The timeline's absolute URL for alerts (None without `base_url`), signed when `secret` is set."""
    if not base_url:
        return None
    url = base_url.rstrip("/") + dispute_path(dispute_id)
    return f"{url}?k={quote(link_signature(secret, dispute_id))}" if secret else url
