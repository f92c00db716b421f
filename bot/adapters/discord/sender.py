"""Deliver alerts to Discord over the REST API only (no gateway), so `factbot run --once` can send.

The sender uses discord.py's own HTTP client (`Client.http` after `login(token)`), which brings
Discord's per-route rate-limit buckets. What it adds:

* Errors become `DeliveryError`s the dispatcher acts on: 403/404 on a destination -> PAUSE
  (Discord bans bots that keep sending invalid requests, so we must stop, not retry);
  429 -> RETRY with `retry_after`; 5xx and network errors -> RETRY; any other 4xx -> BAD_PAYLOAD.
  discord.py sleeps through short 429s itself; we cap that inline wait (`max_inline_wait`) so a
  long rate limit comes back to the dispatcher, which owns each destination's pacing.
* Idempotency: every message carries a `nonce` derived from the outbox idempotency key, with
  `enforce_nonce`, so a retried send within Discord's nonce window returns the message already
  created; the same reference is written in the embed footer, so `find_sent` finds the message
  in the channel (or thread) history after a crash, however long ago.
* `AllowedMentions.none()` on every message: feed text can never ping anyone.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any, Literal, cast

import aiohttp
import discord
from discord.http import Route, handle_message_parameters

from bot.adapters.discord.buttons import alert_buttons, unmute_button
from bot.adapters.discord.embeds import (
    REF_PREFIX,
    mention_safe_content,
    parent_embed,
    reply_embed,
    thread_name,
)
from bot.alerts.sender import Capabilities, DeliveryError, FailureKind, MessageRef
from bot.alerts.view import AlertView
from bot.config import DiscordConfig
from bot.storage.outbox import idempotency_key

log = logging.getLogger(__name__)

# Channel types (Discord API): where a parent alert can live.
FORUM_TYPES = frozenset({15, 16})  # forum, media: each alert is a post (a thread with a starter message)
AUTO_ARCHIVE_MINUTES: Literal[10080] = 10080  # a week: follow-ups keep arriving for days
HISTORY_PAGES = 2  # find_sent looks this many pages of 100 messages back
FORUM_POSTS_CHECKED = 25

# Discord JSON error codes that concern one message, not the destination.
UNKNOWN_MESSAGE = 10008
THREAD_ALREADY_CREATED = 160004
NONE_MENTIONS = discord.AllowedMentions.none()


def nonce_for(idempotency_key: str) -> str:
    """A 25-character nonce (Discord's maximum) derived from the outbox key; also the footer ref."""
    return "fb" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:23]


def parent_key(destination: str, dispute_id: int) -> str:
    """The outbox key of a dispute's parent alert on this channel (the parent's footer ref comes from it)."""
    return idempotency_key(f"discord:{destination}", dispute_id, "new_dispute")


def _key_parts(idempotency_key: str) -> tuple[int | None, str | None]:
    """(dispute id, event) from an outbox key, when it has the documented shape."""
    parts = idempotency_key.split("|")
    if len(parts) >= 4 and parts[1].isdigit():
        return int(parts[1]), parts[2]
    return None, None


def _has_ref(message: dict[str, Any], ref: str) -> bool:
    needle = REF_PREFIX + ref
    for embed in message.get("embeds") or []:
        if needle in ((embed.get("footer") or {}).get("text") or ""):
            return True
    return needle in (message.get("content") or "")


def _reply_to(message_id: str) -> Any:
    """A message reference that degrades to a plain message if the parent was deleted."""
    return {"message_id": int(message_id), "fail_if_not_exists": False}


def _retry_after(exc: discord.HTTPException) -> float | None:
    """Seconds to wait from a 429's Retry-After header (present on Discord's and Cloudflare's)."""
    try:
        header = exc.response.headers.get("Retry-After")
        return float(header) if header else None
    except (AttributeError, ValueError):
        return None


class DiscordSender:
    """`AlertSender` for Discord: embeds in a channel, a thread per dispute (or a forum post)."""

    prefix = "discord"
    capabilities = Capabilities(threads=True, buttons=True, edits=True, max_text=4096)

    def __init__(
        self,
        config: DiscordConfig,
        *,
        client: discord.Client | None = None,
        max_inline_wait: float = 2.0,
    ) -> None:
        if not config.token:
            raise ValueError("discord.token is not set")
        if config.api_url:
            # discord.py builds every URL from this class attribute (tests, proxies).
            Route.BASE = config.api_url.rstrip("/")
        self.config = config
        self._owns_client = client is None
        self.client = client or discord.Client(intents=discord.Intents.none(), allowed_mentions=NONE_MENTIONS)
        self.max_inline_wait = max_inline_wait
        self._login_lock = asyncio.Lock()
        self._channels: dict[int, dict[str, Any]] = {}

    # ---------------------------------------------------------------- lifecycle
    async def _http(self) -> discord.http.HTTPClient:
        """discord.py's HTTP client, logged in (REST only: no gateway connection is opened)."""
        async with self._login_lock:
            if self.client.user is None:
                try:
                    async with self._errors("login"):
                        await self.client.login(self.config.token or "")
                except DeliveryError:
                    await self.client.http.close()  # login opened a session; the next try opens another
                    raise
                # HTTPClient clamps max_ratelimit_timeout to >= 30 s; we want long waits handed back
                # to the dispatcher (which paces per destination), so set the attribute directly.
                self.client.http.max_ratelimit_timeout = self.max_inline_wait
        return self.client.http

    async def close(self) -> None:
        """Close the HTTP session, if this sender created the client and logged it in."""
        if self._owns_client and self.client.user is not None and not self.client.is_closed():
            await self.client.close()

    # ---------------------------------------------------------------- errors
    @asynccontextmanager
    async def _errors(self, what: str) -> AsyncIterator[None]:
        """Turn discord.py and network errors into the dispatcher's `DeliveryError` kinds."""
        try:
            yield
        except DeliveryError:
            raise
        except discord.RateLimited as e:
            raise DeliveryError(FailureKind.RETRY, f"{what}: rate limited", retry_after=e.retry_after) from e
        except discord.LoginFailure as e:
            raise DeliveryError(FailureKind.PAUSE, f"{what}: the bot token was refused (401)") from e
        except (discord.Forbidden, discord.NotFound) as e:
            if e.code == UNKNOWN_MESSAGE:  # one message is gone; the channel is fine
                raise DeliveryError(FailureKind.BAD_PAYLOAD, f"{what}: {e.status} {e.text}") from e
            raise DeliveryError(FailureKind.PAUSE, f"{what}: {e.status} {e.text or 'forbidden'}") from e
        except discord.HTTPException as e:
            if e.status == 429:
                raise DeliveryError(FailureKind.RETRY, f"{what}: 429", retry_after=_retry_after(e)) from e
            if e.status >= 500:
                raise DeliveryError(FailureKind.RETRY, f"{what}: Discord server error {e.status}") from e
            if e.status == 401:
                raise DeliveryError(FailureKind.PAUSE, f"{what}: 401 unauthorized") from e
            raise DeliveryError(FailureKind.BAD_PAYLOAD, f"{what}: {e.status} {e.text}") from e
        except (aiohttp.ClientError, TimeoutError, OSError) as e:
            raise DeliveryError(FailureKind.RETRY, f"{what}: network error: {e!r}") from e

    # ---------------------------------------------------------------- helpers
    async def _channel(self, channel_id: int) -> dict[str, Any]:
        """The destination channel (type, guild), fetched once per process."""
        if channel_id not in self._channels:
            http = await self._http()
            async with self._errors(f"channel {channel_id}"):
                self._channels[channel_id] = cast(dict[str, Any], await http.get_channel(channel_id))
        return self._channels[channel_id]

    async def _is_forum(self, channel_id: int) -> bool:
        return (await self._channel(channel_id)).get("type") in FORUM_TYPES

    async def _open_thread(self, channel_id: int, message_id: int, name: str) -> str | None:
        """Start a thread on the parent message; None (replies degrade to plain replies) if we cannot."""
        http = await self._http()
        try:
            data = await http.start_thread_with_message(
                channel_id, message_id, name=name, auto_archive_duration=AUTO_ARCHIVE_MINUTES
            )
            return str(data["id"])
        except discord.HTTPException as e:
            if e.code == THREAD_ALREADY_CREATED:  # a thread started from a message has the message's id
                return str(message_id)
            log.warning(
                "discord: could not open a thread on message %s in %s (%s %s); replies go to the channel",
                message_id,
                channel_id,
                e.status,
                e.text,
            )
            return None
        except (aiohttp.ClientError, TimeoutError, OSError) as e:
            log.warning(
                "discord: thread creation on %s failed (%r); will retry with the first reply", message_id, e
            )
            return None

    async def _history(self, channel_id: int) -> AsyncIterator[dict[str, Any]]:
        """Our own recent messages in a channel or thread, newest first (a few pages)."""
        http = await self._http()
        me = str(self.client.user.id) if self.client.user else None
        before: int | None = None
        for _ in range(HISTORY_PAGES):
            async with self._errors(f"history of {channel_id}"):
                page = cast(list[dict[str, Any]], await http.logs_from(channel_id, 100, before=before))
            for msg in page:
                if me is None or str((msg.get("author") or {}).get("id")) == me:
                    yield msg
            if len(page) < 100:
                return
            before = int(page[-1]["id"])

    async def _find_in(self, channel_id: int, ref: str) -> dict[str, Any] | None:
        async for msg in self._history(channel_id):
            if _has_ref(msg, ref):
                return msg
        return None

    async def _find_forum_post(self, forum_id: int, ref: str) -> dict[str, Any] | None:
        """A forum post of ours whose starter message carries `ref` (active posts, newest first)."""
        http = await self._http()
        guild_id = (await self._channel(forum_id)).get("guild_id")
        if not guild_id:
            return None
        async with self._errors(f"threads of guild {guild_id}"):
            data = await http.get_active_threads(int(guild_id))
        me = str(self.client.user.id) if self.client.user else None
        posts = [
            t
            for t in data.get("threads", [])
            if str(t.get("parent_id")) == str(forum_id) and (me is None or str(t.get("owner_id")) == me)
        ]
        posts.sort(key=lambda t: int(t["id"]), reverse=True)
        for post in posts[:FORUM_POSTS_CHECKED]:
            try:
                async with self._errors(f"forum post {post['id']}"):
                    starter = cast(dict[str, Any], await http.get_message(int(post["id"]), int(post["id"])))
            except DeliveryError as e:
                if e.kind is FailureKind.BAD_PAYLOAD:  # starter message deleted
                    continue
                raise
            if _has_ref(starter, ref):
                return {**starter, "thread": post}
        return None

    # ---------------------------------------------------------------- AlertSender
    async def post_parent(self, destination: str, view: AlertView, idempotency_key: str) -> MessageRef:
        """Post the parent embed with verdict buttons, then open its thread (or create a forum post)."""
        channel_id = int(destination)
        http = await self._http()
        ref = nonce_for(idempotency_key)
        embed = parent_embed(view, ref)
        if await self._is_forum(channel_id):
            params = handle_message_parameters(
                embed=embed,
                view=alert_buttons(view.dispute_id),
                allowed_mentions=NONE_MENTIONS,
                channel_payload={"name": thread_name(view), "auto_archive_duration": AUTO_ARCHIVE_MINUTES},
            )
            async with self._errors(f"forum post in {channel_id}"):
                data = await http.start_thread_in_forum(channel_id, params=params)
            post_id = str(data["id"])
            message_id = str((data.get("message") or {}).get("id") or post_id)
            log.info("discord: posted dispute %s as forum post %s", view.dispute_id, post_id)
            return MessageRef(message_id=message_id, thread_id=post_id)

        params = handle_message_parameters(
            embed=embed, view=alert_buttons(view.dispute_id), allowed_mentions=NONE_MENTIONS, nonce=ref
        )
        async with self._errors(f"send to {channel_id}"):
            msg = await http.send_message(channel_id, params=params)
        message_id = str(msg["id"])
        thread_id = await self._open_thread(channel_id, int(message_id), thread_name(view))
        log.info(
            "discord: posted dispute %s as message %s (thread %s)", view.dispute_id, message_id, thread_id
        )
        return MessageRef(message_id=message_id, thread_id=thread_id)

    async def post_reply(
        self,
        destination: str,
        parent: MessageRef,
        view: AlertView,
        idempotency_key: str,
        *,
        broadcast: bool = False,
    ) -> MessageRef:
        """Post the follow-up in the dispute's thread; with `broadcast`, also a short notice in the channel."""
        channel_id = int(destination)
        http = await self._http()
        thread_id = parent.thread_id
        if thread_id is None and not await self._is_forum(channel_id):
            thread_id = await self._open_thread(channel_id, int(parent.message_id), thread_name(view))
        ref = nonce_for(idempotency_key)
        embed = reply_embed(view, ref)
        forum = await self._is_forum(channel_id)
        # a mute note carries the Unmute button (admins only: the core checks the clicker)
        extra: dict[str, Any] = {}
        if view.notice is not None and view.notice.action == "muted":
            extra["view"] = unmute_button(view.dispute_id)
        msg: dict[str, Any] | None = None
        if thread_id is not None:
            params = handle_message_parameters(
                embed=embed, allowed_mentions=NONE_MENTIONS, nonce=ref, **extra
            )
            try:
                async with self._errors(f"reply in thread {thread_id}"):
                    msg = cast(dict[str, Any], await http.send_message(int(thread_id), params=params))
            except DeliveryError as e:
                # A deleted or locked thread is not a broken channel: answer the parent in the
                # channel instead (below). In a forum the post is the only place, so it stands.
                if e.kind is not FailureKind.PAUSE or forum:
                    raise
                log.warning(
                    "discord: thread %s refused the reply (%s); replying in the channel", thread_id, e.reason
                )
                thread_id = None
        if msg is None:  # no thread (missing permission, deleted): answer the parent in the channel
            params = handle_message_parameters(
                embed=embed,
                allowed_mentions=NONE_MENTIONS,
                nonce=ref,
                message_reference=_reply_to(parent.message_id),
                **extra,
            )
            async with self._errors(f"reply in {channel_id}"):
                msg = cast(dict[str, Any], await http.send_message(channel_id, params=params))
        if broadcast and thread_id is not None and not forum:
            await self._broadcast(channel_id, parent, view, idempotency_key)
        return MessageRef(message_id=str(msg["id"]), thread_id=thread_id)

    async def _broadcast(
        self, channel_id: int, parent: MessageRef, view: AlertView, idempotency_key: str
    ) -> None:
        """Best effort: a retraction by the speaker is worth a line in the channel itself."""
        http = await self._http()
        ref = nonce_for(idempotency_key + "|broadcast")
        embed = reply_embed(view, ref)
        params = handle_message_parameters(
            embed=embed,
            allowed_mentions=NONE_MENTIONS,
            nonce=ref,
            message_reference=_reply_to(parent.message_id),
        )
        try:
            async with self._errors(f"broadcast in {channel_id}"):
                await http.send_message(channel_id, params=params)
        except DeliveryError as e:
            log.warning("discord: broadcast of dispute %s failed: %s", view.dispute_id, e.reason)

    async def update_parent(self, destination: str, parent: MessageRef, view: AlertView) -> None:
        """Edit the parent embed in place: counts, status, colour (the footer keeps its reference)."""
        channel_id = int(destination)
        http = await self._http()
        where = int(parent.thread_id) if parent.thread_id and await self._is_forum(channel_id) else channel_id
        ref = nonce_for(parent_key(destination, view.dispute_id))
        params = handle_message_parameters(
            embed=parent_embed(view, ref), view=alert_buttons(view.dispute_id), allowed_mentions=NONE_MENTIONS
        )
        async with self._errors(f"edit {parent.message_id} in {where}"):
            await http.edit_message(where, int(parent.message_id), params=params)

    async def find_sent(self, destination: str, idempotency_key: str) -> MessageRef | None:
        """The message already sent for this key: looked up by its footer reference in recent history."""
        channel_id = int(destination)
        ref = nonce_for(idempotency_key)
        dispute_id, event = _key_parts(idempotency_key)
        forum = await self._is_forum(channel_id)
        if forum:
            post = await self._find_forum_post(channel_id, ref)
            if post is not None:
                return MessageRef(message_id=str(post["id"]), thread_id=str(post["thread"]["id"]))
        else:
            msg = await self._find_in(channel_id, ref)
            if msg is not None:
                thread = msg.get("thread") or {}
                return MessageRef(message_id=str(msg["id"]), thread_id=str(thread["id"]) if thread else None)
        if event == "new_dispute" or dispute_id is None:
            return None
        # A follow-up lives in the dispute's thread: find the parent first, then look in its thread.
        pref = nonce_for(parent_key(destination, dispute_id))
        if forum:
            post = await self._find_forum_post(channel_id, pref)
            thread_id = str(post["thread"]["id"]) if post else None
        else:
            parent = await self._find_in(channel_id, pref)
            thread = (parent or {}).get("thread") or {}
            thread_id = str(thread["id"]) if thread.get("id") else None
        if thread_id is None:
            return None
        msg = await self._find_in(int(thread_id), ref)
        return MessageRef(message_id=str(msg["id"]), thread_id=thread_id) if msg else None

    async def notify_admin(self, text: str) -> None:
        """Tell the application's owner by direct message; else post in the configured channel; always log."""
        log.warning("discord admin notice: %s", text)
        content = mention_safe_content(f"factbot: {text}")
        try:
            http = await self._http()
        except DeliveryError as e:
            log.error("discord: cannot notify the admin (%s)", e.reason)
            return
        for channel_id in await self._admin_channels():
            try:
                async with self._errors("admin notice"):
                    await http.send_message(
                        channel_id,
                        params=handle_message_parameters(content=content, allowed_mentions=NONE_MENTIONS),
                    )
                return
            except DeliveryError as e:
                log.warning("discord: admin notice to %s failed: %s", channel_id, e.reason)

    async def _admin_channels(self) -> Iterable[int]:
        """The owner's DM channel (opened on demand), then the configured alert channel."""
        out: list[int] = []
        app = getattr(self.client, "application", None)
        owner_id = None
        if app is not None:
            owner_id = app.team.owner_id if app.team and app.team.owner_id else app.owner.id
        if owner_id:
            try:
                async with self._errors("open DM"):
                    dm = await self.client.http.start_private_message(owner_id)
                out.append(int(dm["id"]))
            except DeliveryError as e:
                log.warning("discord: cannot open a DM with the owner: %s", e.reason)
        if self.config.channel_id:
            out.append(self.config.channel_id)
        return out
