"""The long-running Discord frontend: gateway connection, app commands, persistent buttons.

Only `factbot run` starts it (alerts are sent by `DiscordSender` over REST, with or without it).
Intents: none privileged. `guilds` alone is enough: interactions arrive over the gateway
without any message intent, and the guild cache lets `/factbot` check the admin role by name.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
import discord
from discord import app_commands
from discord.http import Route

from bot.adapters.discord.buttons import ShareButton, VerdictButton
from bot.adapters.discord.commands import Handlers, register_commands
from bot.config import Config
from bot.storage.db import Database

log = logging.getLogger(__name__)


def intents() -> discord.Intents:
    """The gateway intents factbot asks for: `guilds` only (not privileged)."""
    return discord.Intents(guilds=True)


class FactbotClient(discord.Client):
    """A discord.py client carrying factbot's command tree and the handlers that reach the core."""

    def __init__(self, config: Config, db: Database, **kwargs: Any) -> None:
        super().__init__(intents=intents(), allowed_mentions=discord.AllowedMentions.none(), **kwargs)
        self.config = config.discord
        self.handlers = Handlers(db, config)
        self.tree = app_commands.CommandTree(self)
        register_commands(self.tree, self.handlers)

    async def setup_hook(self) -> None:
        """After login, before the gateway: make buttons work on old alerts, then sync commands."""
        self.add_dynamic_items(VerdictButton, ShareButton)
        await self.sync_commands()

    async def sync_commands(self) -> list[app_commands.AppCommand]:
        """Publish the commands: to each configured guild (instant), else globally."""
        synced: list[app_commands.AppCommand] = []
        if self.config.guild_ids:
            for gid in self.config.guild_ids:
                try:
                    synced += await self.tree.sync(guild=discord.Object(gid))
                except discord.HTTPException as e:
                    # A guild the bot was not invited to with applications.commands: say which.
                    log.error("discord: syncing commands to guild %s failed: %s %s", gid, e.status, e.text)
        else:
            synced = await self.tree.sync()
        log.info("discord: %d application commands synced", len(synced))
        return synced


class DiscordFrontend:
    """`Frontend` for Discord: `start()` logs in and syncs commands, then runs the gateway in a task."""

    name = "discord"

    def __init__(self, config: Config, db: Database, *, gateway: bool = True) -> None:
        if not config.discord.token:
            raise ValueError("discord.token is not set")
        if config.discord.api_url:
            Route.BASE = config.discord.api_url.rstrip("/")
        self.config = config.discord
        self.client = FactbotClient(config, db)
        self.gateway = gateway
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Log in and sync commands, then run the gateway in the background.

        A refused token is a configuration error and raises (`discord.LoginFailure`). If Discord is
        unreachable at start, the bot does not die: logging in is retried in the background.
        """
        try:
            await self.client.login(self.config.token or "")
        except discord.LoginFailure:
            await self.client.close()
            raise
        except (discord.HTTPException, aiohttp.ClientError, OSError) as e:
            log.warning("discord: login failed (%r); retrying in the background", e)
            await self.client.http.close()
            self._task = asyncio.create_task(self._login_then_connect(), name="discord-gateway")
            self._task.add_done_callback(self._gateway_ended)
            return
        if self.gateway:
            self._task = asyncio.create_task(self.client.connect(reconnect=True), name="discord-gateway")
            self._task.add_done_callback(self._gateway_ended)

    async def _login_then_connect(self) -> None:
        delay = 5.0
        while not self.client.is_closed():
            await asyncio.sleep(delay)
            try:
                await self.client.login(self.config.token or "")
                break
            except (discord.HTTPException, aiohttp.ClientError, OSError) as e:
                await self.client.http.close()
                delay = min(delay * 2, 300.0)
                log.warning("discord: login failed again (%r); next try in %.0fs", e, delay)
        if self.gateway and not self.client.is_closed():
            await self.client.connect(reconnect=True)

    def _gateway_ended(self, task: asyncio.Task[None]) -> None:
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            # discord.py reconnects on network errors itself; what ends up here is fatal (bad intents, token).
            log.error("discord: gateway stopped: %r", exc)

    async def stop(self) -> None:
        """Disconnect and close the HTTP session."""
        await self.client.close()
        if self._task is not None:
            if not self._task.done():
                self._task.cancel()  # a background login still waiting
            try:
                await asyncio.wait_for(self._task, timeout=10)
            except (TimeoutError, asyncio.CancelledError, Exception) as e:  # noqa: BLE001 - already logged
                log.debug("discord: gateway task ended with %r", e)
            self._task = None
