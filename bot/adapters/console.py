"""The console adapter: alerts printed to stdout when no chat platform is configured.

Each parent is printed as `[alert #12] ...` and its follow-ups as `  ↳ [#12] ...`, so a
thread reads naturally in a terminal or a log file. Message references are synthetic and
deterministic (`console:12:<hash of the idempotency key>`).

Delivery is **at-least-once**: stdout cannot be asked what was printed before, so
`find_sent` returns None and a crash between printing and recording prints the alert again
after a restart. Chat adapters, which can look their messages up, are exactly-once in effect.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from typing import TextIO

from bot.alerts.sender import Capabilities, MessageRef
from bot.alerts.text import render_followup, render_parent
from bot.alerts.view import AlertView

__all__ = ["ConsoleSender"]


def _ref(dispute_id: int, idempotency_key: str) -> str:
    return f"console:{dispute_id}:{hashlib.sha256(idempotency_key.encode()).hexdigest()[:12]}"


class ConsoleSender:
    """`AlertSender` that writes plain-text alerts to a stream (stdout by default)."""

    prefix = "console"
    capabilities = Capabilities(threads=True, buttons=False, edits=False, max_text=100_000)
    min_interval = 0.0  # no rate limit on a terminal

    def __init__(self, stream: TextIO | Callable[[], TextIO] | None = None) -> None:
        # A callable is resolved at each write so pytest's capsys (which swaps sys.stdout) works.
        self._stream = stream

    def _out(self) -> TextIO:
        s = self._stream
        if s is None:
            return sys.stdout
        return s() if callable(s) else s

    def _write(self, text: str) -> None:
        out = self._out()
        out.write(text + "\n")
        out.flush()

    async def post_parent(self, destination: str, view: AlertView, idempotency_key: str) -> MessageRef:
        """Print the parent alert; its first line carries the `[alert #id]` marker."""
        body = render_parent(view)
        first, _, rest = body.partition("\n")
        lines = [f"[alert #{view.dispute_id}] {first}"] + [f"  {line}" for line in rest.splitlines()]
        self._write("\n".join(lines))
        return MessageRef(_ref(view.dispute_id, idempotency_key))

    async def post_reply(
        self,
        destination: str,
        parent: MessageRef,
        view: AlertView,
        idempotency_key: str,
        *,
        broadcast: bool = False,
    ) -> MessageRef:
        """Print a follow-up under its parent's marker (`↳`); broadcasts are flagged."""
        body = render_followup(view)
        first, _, rest = body.partition("\n")
        flag = " (also sent to the channel)" if broadcast else ""
        lines = [f"  ↳ [#{view.dispute_id}] {first}{flag}"] + [f"      {line}" for line in rest.splitlines()]
        self._write("\n".join(lines))
        return MessageRef(_ref(view.dispute_id, idempotency_key))

    async def update_parent(self, destination: str, parent: MessageRef, view: AlertView) -> None:
        """Printed text cannot be edited (capabilities.edits is False); nothing to do."""
        return None

    async def find_sent(self, destination: str, idempotency_key: str) -> MessageRef | None:
        """Stdout cannot be queried: always None (console delivery is at-least-once)."""
        return None

    async def notify_admin(self, text: str) -> None:
        """Admin notices go to stderr-style marker lines on the same stream."""
        self._write(f"[factbot admin] {text}")
