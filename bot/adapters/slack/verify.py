"""Slack HTTP mode: who may talk to us. Every request is checked here before Bolt sees it.

* Both signature headers must be present and well formed (`X-Slack-Request-Timestamp` digits,
  `X-Slack-Signature` `v0=` + 64 hex digits); anything else is refused, never a 500.
* The timestamp must be within five minutes of our clock, and the signature must be the
  HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret (slack_sdk's verifier).
* A signature already accepted is refused for as long as its timestamp could pass, so a
  captured request cannot be replayed (a short-lived cache of seen signatures).

The refusal's reason is for our log; it never contains the request body (a slash command's
body carries its `response_url`, which lets anyone answer in the channel).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping

from cachetools import TTLCache
from slack_sdk.signature import Clock, SignatureVerifier

MAX_AGE_S = 300  # Slack's own window for a request's timestamp
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")
_SIGNATURE = re.compile(r"^v0=[0-9a-f]{64}$")


class _SdkClock(Clock):
    """Our clock, in the form slack_sdk's verifier reads it."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock

    def now(self) -> float:
        return self._clock()


class RequestGuard:
    """`check(body, headers)` -> None for a genuine, first-seen request, else why it is refused."""

    def __init__(
        self,
        signing_secret: str,
        *,
        clock: Callable[[], float] = time.time,
        max_seen: int = 100_000,
    ) -> None:
        self._verifier = SignatureVerifier(signing_secret, clock=_SdkClock(clock))
        self._clock = clock
        # Only signatures that verified get in, so the cache grows with real traffic alone;
        # an entry outlives the window in which its timestamp is accepted.
        self._seen: TTLCache[str, bool] = TTLCache(maxsize=max_seen, ttl=2 * MAX_AGE_S + 60, timer=clock)

    def check(self, body: bytes, headers: Mapping[str, str]) -> str | None:
        """Why this request must be refused (401), or None if it may go on to the handlers."""
        timestamp = headers.get("X-Slack-Request-Timestamp")
        signature = headers.get("X-Slack-Signature")
        if timestamp is None or signature is None:
            return "missing signature headers"
        if not _TIMESTAMP.match(timestamp):
            return "malformed X-Slack-Request-Timestamp"
        if not _SIGNATURE.match(signature):
            return "malformed X-Slack-Signature"
        if abs(self._clock() - int(timestamp)) > MAX_AGE_S:
            return "stale timestamp"
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return "body is not UTF-8"
        if not self._verifier.is_valid(text, timestamp, signature):
            return "bad signature"
        if signature in self._seen:
            return "replayed request"
        self._seen[signature] = True
        return None
