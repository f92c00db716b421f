"""Deliver alerts to Slack through the Web API (`AsyncWebClient`), usable from `run --once`.

* Errors become `DeliveryError`s the dispatcher acts on: `ratelimited`/429 -> RETRY with
  Retry-After; a channel or token that cannot work (`channel_not_found`, `not_in_channel`,
  `is_archived`, `invalid_auth`, ...) -> PAUSE; 5xx, timeouts, network errors -> RETRY; a message
  Slack refuses (`invalid_blocks`, `msg_too_long`, ...) -> BAD_PAYLOAD.
* The SDK's own retry handlers are off: the dispatcher owns each destination's rate budget, so a
  429 must come back to it rather than be slept through here.
* Idempotency: each message carries the outbox key in its `metadata` (event_type
  `factbot_alert`), so after a crash between send and record `find_sent` finds it with
  `conversations.history` / `conversations.replies` and nothing is posted twice.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import alert_blocks, alert_text, followup_blocks, followup_text
from bot.alerts.sanitize import plain, truncate
from bot.alerts.sender import Capabilities, DeliveryError, FailureKind, MessageRef
from bot.alerts.view import AlertView
from bot.config import SlackConfig

log = logging.getLogger(__name__)

EVENT_TYPE = "factbot_alert"
HISTORY_PAGES = 3  # find_sent looks back this many pages of 200 messages
DEFAULT_API_URL = "https://slack.com/api/"

PAUSE_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "no_permission",
        "missing_scope",
        "team_access_not_granted",
        "restricted_action",
        "ekm_access_denied",
        "org_login_required",
    }
)
RETRY_ERRORS = frozenset(
    {"ratelimited", "rate_limited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


def _key_dispute(idempotency_key: str) -> int | None:
    parts = idempotency_key.split("|")
    return int(parts[1]) if len(parts) >= 4 and parts[1].isdigit() else None


def _metadata(idempotency_key: str) -> dict[str, Any]:
    payload: dict[str, Any] = {"key": idempotency_key}
    dispute_id = _key_dispute(idempotency_key)
    if dispute_id is not None:
        payload["dispute_id"] = dispute_id
    return {"event_type": EVENT_TYPE, "event_payload": payload}


def _payload(message: dict[str, Any]) -> dict[str, Any]:
    meta = message.get("metadata") or {}
    if meta.get("event_type") != EVENT_TYPE:
        return {}
    return meta.get("event_payload") or {}


def _retry_after(e: SlackApiError) -> float | None:
    try:
        value = e.response.headers.get("Retry-After") or e.response.headers.get("retry-after")
        return float(value) if value else None
    except (AttributeError, TypeError, ValueError):
        return None


def classify(e: SlackApiError, what: str) -> DeliveryError:
    """The dispatcher's view of a Slack API error."""
    status = getattr(e.response, "status_code", 200) or 200
    data = e.response.data if isinstance(e.response.data, dict) else {}
    error = str(data.get("error") or f"http_{status}")
    reason = f"{what}: {error}"
    if status == 429 or error in ("ratelimited", "rate_limited"):
        return DeliveryError(FailureKind.RETRY, reason, retry_after=_retry_after(e))
    if error in PAUSE_ERRORS or status in (401, 403, 404, 410):
        return DeliveryError(FailureKind.PAUSE, reason)
    if status >= 500 or error in RETRY_ERRORS:
        return DeliveryError(FailureKind.RETRY, reason)
    return DeliveryError(FailureKind.BAD_PAYLOAD, reason)


class SlackSender:
    """`AlertSender` for Slack: a Block Kit parent per dispute, follow-ups in its thread."""

    prefix = "slack"
    capabilities = Capabilities(threads=True, buttons=True, edits=True, max_text=3000)

    def __init__(
        self, config: SlackConfig, *, client: AsyncWebClient | None = None, timeout: int = 15
    ) -> None:
        if not config.bot_token:
            raise ValueError("slack.bot_token is not set")
        self.config = config
        self.client = client or AsyncWebClient(
            token=config.bot_token, base_url=config.api_url or DEFAULT_API_URL, timeout=timeout
        )
        # No SDK retries: a 429 or a failing connection goes back to the dispatcher, which paces
        # every destination and knows when to give up.
        self.client.retry_handlers = []

    async def close(self) -> None:
        """Nothing to release: the client opens a session per call."""

    @asynccontextmanager
    async def _errors(self, what: str) -> AsyncIterator[None]:
        try:
            yield
        except DeliveryError:
            raise
        except SlackApiError as e:
            raise classify(e, what) from e
        except (aiohttp.ClientError, TimeoutError, OSError) as e:
            raise DeliveryError(FailureKind.RETRY, f"{what}: network error: {e!r}") from e

    async def post_parent(self, destination: str, view: AlertView, idempotency_key: str) -> MessageRef:
        """Post the parent alert (blocks + text fallback + the key in metadata)."""
        async with self._errors(f"chat.postMessage to {destination}"):
            resp = await self.client.chat_postMessage(
                channel=destination,
                text=alert_text(view),
                blocks=alert_blocks(view),
                metadata=_metadata(idempotency_key),
                unfurl_links=False,
                unfurl_media=False,
            )
        ts = str(resp["ts"])
        log.info("slack: posted dispute %s to %s as %s", view.dispute_id, destination, ts)
        return MessageRef(message_id=ts, thread_id=ts)

    async def post_reply(
        self,
        destination: str,
        parent: MessageRef,
        view: AlertView,
        idempotency_key: str,
        *,
        broadcast: bool = False,
    ) -> MessageRef:
        """Post the follow-up in the parent's thread; `broadcast` also shows it in the channel."""
        async with self._errors(f"reply in {destination}"):
            resp = await self.client.chat_postMessage(
                channel=destination,
                thread_ts=parent.message_id,
                reply_broadcast=broadcast,
                text=followup_text(view),
                blocks=followup_blocks(view),
                metadata=_metadata(idempotency_key),
                unfurl_links=False,
                unfurl_media=False,
            )
        return MessageRef(message_id=str(resp["ts"]), thread_id=parent.message_id)

    async def update_parent(self, destination: str, parent: MessageRef, view: AlertView) -> None:
        """Refresh the parent (counts, status) with `chat.update`."""
        async with self._errors(f"chat.update {parent.message_id} in {destination}"):
            await self.client.chat_update(
                channel=destination, ts=parent.message_id, text=alert_text(view), blocks=alert_blocks(view)
            )

    async def _messages(
        self, destination: str, *, thread_ts: str | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            async with self._errors(f"history of {destination}"):
                if thread_ts:
                    resp = await self.client.conversations_replies(
                        channel=destination, ts=thread_ts, limit=200, cursor=cursor, include_all_metadata=True
                    )
                else:
                    resp = await self.client.conversations_history(
                        channel=destination, limit=200, cursor=cursor, include_all_metadata=True
                    )
            for msg in resp.get("messages") or []:
                yield msg
            cursor = ((resp.get("response_metadata") or {}).get("next_cursor")) or None
            if not cursor:
                return

    async def find_sent(self, destination: str, idempotency_key: str) -> MessageRef | None:
        """The message already sent for this key, found by its metadata in history (or the thread)."""
        dispute_id = _key_dispute(idempotency_key)
        parent_ts: str | None = None
        async for msg in self._messages(destination):
            payload = _payload(msg)
            if payload.get("key") == idempotency_key:
                ts = str(msg["ts"])
                return MessageRef(message_id=ts, thread_id=str(msg.get("thread_ts") or ts))
            if (
                parent_ts is None
                and dispute_id is not None
                and payload.get("dispute_id") == dispute_id
                and "|new_dispute|" in str(payload.get("key"))
            ):
                parent_ts = str(msg["ts"])
        if parent_ts is None:
            return None
        # a follow-up lives in the parent's thread, which channel history does not list
        async for msg in self._messages(destination, thread_ts=parent_ts):
            if _payload(msg).get("key") == idempotency_key:
                return MessageRef(message_id=str(msg["ts"]), thread_id=parent_ts)
        return None

    async def notify_admin(self, text: str) -> None:
        """DM each configured admin; if none (or all fail), post in the alert channel; always log."""
        log.warning("slack admin notice: %s", text)
        body = truncate(plain(f"factbot: {text}"), 3000)
        delivered = False
        for target in self.config.admins:  # a DM: posting to a user id opens the app's DM with them
            delivered = await self._try_post(target, body) or delivered
        if not delivered and self.config.channel:
            await self._try_post(self.config.channel, body)

    async def _try_post(self, channel: str, text: str) -> bool:
        try:
            async with self._errors("admin notice"):
                await self.client.chat_postMessage(channel=channel, text=text)
            return True
        except DeliveryError as e:
            log.warning("slack: admin notice to %s failed: %s", channel, e.reason)
            return False
