"""The seam between the platform-neutral delivery core and each chat platform."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

from bot.alerts.view import AlertView


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a platform can do; the dispatcher degrades where it cannot."""

    threads: bool = True
    buttons: bool = True
    edits: bool = True
    max_text: int = 4000


@dataclass(frozen=True, slots=True)
class MessageRef:
    """Where a sent message lives: Slack `ts`; Discord message id (+ thread channel id)."""

    message_id: str
    thread_id: str | None = None


class FailureKind(StrEnum):
    RETRY = "retry"  # 5xx, timeouts, 429: try again later
    PAUSE = "pause"  # channel gone, not in channel, archived, bad auth, 403/404: pause the destination
    BAD_PAYLOAD = "bad_payload"  # our message was refused: log it with the payload, do not retry forever


class DeliveryError(Exception):
    """A send failed; `kind` tells the dispatcher what to do next."""

    def __init__(self, kind: FailureKind, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.kind, self.reason, self.retry_after = kind, reason, retry_after


@runtime_checkable
class AlertSender(Protocol):
    """One chat platform's delivery. `destination` is the part after the prefix ("C0ALERTS")."""

    prefix: str  # "slack", "discord", "console"
    capabilities: Capabilities

    async def post_parent(self, destination: str, view: AlertView, idempotency_key: str) -> MessageRef:
        """Post the parent alert (and open a thread where the platform needs one)."""
        ...

    async def post_reply(
        self,
        destination: str,
        parent: MessageRef,
        view: AlertView,
        idempotency_key: str,
        *,
        broadcast: bool = False,
    ) -> MessageRef:
        """Post a follow-up (`view.update` says what is new) in the parent's thread."""
        ...

    async def update_parent(self, destination: str, parent: MessageRef, view: AlertView) -> None:
        """Refresh the parent with current counts and status."""
        ...

    async def find_sent(self, destination: str, idempotency_key: str) -> MessageRef | None:
        """After a crash between send and record: the message already sent for this key, if any."""
        ...

    async def notify_admin(self, text: str) -> None:
        """Tell the bot's admin something once (paused destination, failing feed)."""
        ...
