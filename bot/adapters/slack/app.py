"""The Slack frontend: `/dispute`, `/factbot` and the alert buttons, on slack_bolt's AsyncApp.

`/factbot` (feeds, status, resume) is routed whole to `commands.run_factbot`.

Socket Mode (the default) needs only the app token and no public URL; HTTP mode
(`slack.mode = "http"`) serves Bolt's default path `/slack/events` on `slack.port`, and Bolt
verifies every request's signature with `slack.signing_secret` (bad or stale -> 401).

Every handler acks at once (Slack wants an answer within 3 s) and does the work afterwards,
answering through the request's `response_url` (`respond`), ephemerally unless shared.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.app.async_server import AsyncSlackAppServer
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import commands
from bot.adapters import destinations
from bot.adapters.slack.blocks import (
    ACTION_SHARE,
    ACTION_VERDICT_PREFIX,
    parse_verdict_action,
    search_blocks,
    search_text,
)
from bot.adapters.slack.sender import DEFAULT_API_URL
from bot.alerts.sanitize import slack_escape
from bot.alerts.view import AlertStyle
from bot.config import Config
from bot.storage.db import Database

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
RESULTS = 5
_VERDICT_RE = re.compile(rf"^{re.escape(ACTION_VERDICT_PREFIX)}:[a-z_]+:\d+$")
_SHARE_RE = re.compile(rf"^{re.escape(ACTION_SHARE)}:\d+$")


def _code(text: str) -> str:
    """Command output (feed names, URLs from users) shown inert in a code block."""
    return "```" + slack_escape(text).replace("```", "`​``") + "```"


async def is_admin(config: Config, client: AsyncWebClient, user_id: str) -> bool:
    """Configured admins, or workspace admins/owners (users.info); False if Slack cannot say."""
    if user_id in config.slack.admins:
        return True
    try:
        resp = await client.users_info(user=user_id)
    except SlackApiError as e:
        log.warning("slack: users.info %s failed: %s", user_id, e.response.get("error"))
        return False
    except Exception as e:  # network: refuse politely rather than fail the command
        log.warning("slack: users.info %s failed: %r", user_id, e)
        return False
    user = resp.get("user") or {}
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))


def build_app(config: Config, db: Database, *, client: AsyncWebClient | None = None) -> AsyncApp:
    """The Bolt app with every command and action registered."""
    s = config.slack
    style = AlertStyle.from_config(config)  # search results link to timelines like alerts do
    client = client or AsyncWebClient(token=s.bot_token, base_url=s.api_url or DEFAULT_API_URL)
    app = AsyncApp(
        client=client,
        signing_secret=s.signing_secret or "",
        # AsyncApp makes no network call here; its auth.test runs on the first request (to api_url)
        request_verification_enabled=True,
        # acks return at once; listeners keep running after the HTTP response
        process_before_response=False,
    )

    @app.command("/dispute")
    async def dispute(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        parsed = commands.parse_dispute_args(command.get("text"))
        if isinstance(parsed, commands.Help):
            await respond(response_type="ephemeral", text=parsed.text)
            return
        try:
            found = await commands.search_disputes(db, parsed.terms, RESULTS)
        except Exception:
            log.exception("slack: /dispute search failed")
            await respond(response_type="ephemeral", text="Sorry, the search failed; please try again.")
            return
        await respond(
            response_type="ephemeral",
            text=search_text(found, parsed.terms, style=style),
            blocks=search_blocks(found, parsed.terms, style=style),
        )

    @app.command("/factbot")
    async def factbot(
        ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await ack()
        text = command.get("text") or ""
        user = command.get("user_id") or ""
        parsed = commands.parse_factbot_args(text)
        admin = False if isinstance(parsed, commands.Help) else await is_admin(config, client, user)
        try:
            answer = await commands.run_factbot(
                db, config, text, user_is_admin=admin, user=user, destinations=destinations(config)
            )
        except Exception:
            log.exception("slack: /factbot %s failed", text)
            answer = "Sorry, that failed; the details are in factbot's log."
        own_words = isinstance(parsed, commands.Help) or (
            not admin and not isinstance(parsed, commands.WhyCommand)
        )
        await respond(
            # our own texts (usage, refusal) as they are; listings and results carry user-given
            # names and URLs (and `why` feed titles), so they go in a code block where nothing is parsed
            response_type="ephemeral",
            text=answer if own_words else _code(answer),
        )

    @app.action(_VERDICT_RE)
    async def verdict(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        parsed = parse_verdict_action(action.get("action_id", ""))
        if parsed is None:
            return
        verdict_name, dispute_id = parsed
        user = (body.get("user") or {}).get("id", "")
        try:
            result = await commands.record_feedback(db, dispute_id, verdict_name, user, "slack")
            text = str(result)
        except KeyError:
            text = "That dispute no longer exists."
        except ValueError as e:
            text = f"Sorry: {e}"
        await respond(response_type="ephemeral", replace_original=False, text=text)

    @app.action(_SHARE_RE)
    async def share(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        dispute_id = int(action.get("value") or action["action_id"].rsplit(":", 1)[1])
        from bot.storage.disputes import load_dispute

        try:
            async with db.connect() as conn:
                d = await load_dispute(conn, dispute_id)
        except KeyError:
            await respond(
                response_type="ephemeral", replace_original=False, text="That dispute no longer exists."
            )
            return
        channel = str((body.get("channel") or {}).get("id") or config.slack.channel or "")
        # a mention of the clicking user is ours to make; keep it to a well-formed user id
        user = re.sub(r"[^A-Z0-9]", "", str((body.get("user") or {}).get("id", "")).upper())
        try:
            await client.chat_postMessage(
                channel=channel,
                text=f"Shared by <@{user}>:\n" + search_text([d], "", style=style),
                blocks=[
                    {"type": "context", "elements": [{"type": "mrkdwn", "text": f"Shared by <@{user}>"}]},
                    *search_blocks([d], "", share=False, style=style)[1:],
                ],
                unfurl_links=False,
            )
        except SlackApiError as e:
            # not in the channel (e.g. a DM): post through the response URL instead
            log.info(
                "slack: share via chat.postMessage failed (%s); using response_url", e.response.get("error")
            )
            await respond(
                response_type="in_channel", replace_original=False, text=search_text([d], "", style=style)
            )

    return app


class SlackFrontend:
    """The Slack listener `factbot run` starts: Socket Mode, or HTTP on `slack.port`."""

    def __init__(self, config: Config, db: Database, *, host: str = "0.0.0.0") -> None:
        self.config, self.db, self.host = config, db, host
        self.app = build_app(config, db)
        self._runner: web.AppRunner | None = None
        self._socket: Any = None
        self._connecting: asyncio.Task[None] | None = None

    @property
    def mode(self) -> str:
        return "http" if self.config.slack.mode == "http" else "socket"

    async def start(self) -> None:
        """Begin serving in the background (returns once listening / connected).

        A refused app token raises; an unreachable Slack does not (Socket Mode keeps trying).
        """
        s = self.config.slack
        if self.mode == "http":
            if not s.signing_secret:
                raise ValueError("slack.mode = 'http' needs slack.signing_secret")
            server = AsyncSlackAppServer(port=s.port, path=EVENTS_PATH, app=self.app, host=self.host)
            self._runner = web.AppRunner(server.web_app, access_log=None)
            await self._runner.setup()
            await web.TCPSite(self._runner, self.host, s.port).start()
            log.info("slack: HTTP mode listening on %s:%s%s", self.host, s.port, EVENTS_PATH)
            return
        if not s.app_token:
            raise ValueError("Socket Mode needs slack.app_token (xapp-...); or set slack.mode = 'http'")
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        self._socket = socket = AsyncSocketModeHandler(self.app, s.app_token)
        # The SDK's connect() retries every failure forever, a refused token included, so
        # `factbot run` would hang here: ask for the WebSocket URL once ourselves first. A refusal
        # (invalid_auth, not_allowed_token_type, ...) is a configuration error and raises; if
        # Slack is unreachable, the SDK keeps trying in the background, as the Discord adapter does.
        try:
            socket.client.wss_uri = await socket.client.issue_new_wss_url()
        except SlackApiError as e:
            await self.stop()
            raise ValueError(
                f"Slack refused slack.app_token for Socket Mode ({e.response.get('error')}); "
                "it must be an app-level token (xapp-...) with the connections:write scope"
            ) from e
        except (aiohttp.ClientError, OSError, TimeoutError) as e:
            log.warning("slack: apps.connections.open failed (%r); connecting in the background", e)
            self._connecting = asyncio.create_task(socket.connect_async(), name="slack-socket-mode")
            return
        await socket.connect_async()
        log.info("slack: connected in Socket Mode")

    async def stop(self) -> None:
        """Stop listening and close connections."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._connecting is not None:
            self._connecting.cancel()  # still retrying: it sleeps between attempts
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._connecting
            self._connecting = None
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
