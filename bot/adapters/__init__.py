"""The adapter registry: which chat platforms are on, built from the config.

Each platform package (`bot.adapters.slack`, `bot.adapters.discord`) is imported only when
its section is enabled, so a console-only install never loads a chat SDK, and a broken
optional platform cannot stop the others. The console adapter is the fallback when no chat
tokens are set, so the bot is useful on a bare machine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bot.config import Config

if TYPE_CHECKING:
    from bot.alerts.sender import AlertSender
    from bot.storage.db import Database

__all__ = ["Frontend", "build_frontends", "build_senders", "destinations"]


@runtime_checkable
class Frontend(Protocol):
    """A long-running chat listener (slash commands, buttons), started by `factbot run`."""

    async def start(self) -> None:
        """Connect and begin serving; returns once the listener runs in the background."""
        ...

    async def stop(self) -> None:
        """Disconnect and release resources."""
        ...


def chat_enabled(config: Config) -> bool:
    """True when at least one chat platform is configured."""
    return config.slack.enabled or config.discord.enabled


def destinations(config: Config) -> tuple[str, ...]:
    """Where alerts go: `slack:<channel>`, `discord:<channel_id>`, else `console:stdout`."""
    out: list[str] = []
    if config.slack.enabled:
        out.append(f"slack:{config.slack.channel}")
    if config.discord.enabled:
        out.append(f"discord:{config.discord.channel_id}")
    return tuple(out) or ("console:stdout",)


def build_senders(config: Config) -> dict[str, AlertSender]:
    """One `AlertSender` per enabled platform, keyed by destination prefix."""
    senders: dict[str, AlertSender] = {}
    if config.slack.enabled:
        from bot.adapters.slack import build_sender as slack_sender

        senders["slack"] = slack_sender(config)
    if config.discord.enabled:
        from bot.adapters.discord import build_sender as discord_sender

        senders["discord"] = discord_sender(config)
    if not senders:
        from bot.adapters.console import ConsoleSender

        senders["console"] = ConsoleSender()
    return senders


def build_frontends(config: Config, db: Database) -> list[Frontend]:
    """The chat listeners to run alongside the pipeline (none in console-only mode)."""
    frontends: list[Frontend] = []
    if config.slack.enabled:
        from bot.adapters.slack import build_frontend as slack_frontend

        frontends.append(slack_frontend(config, db))
    if config.discord.enabled:
        from bot.adapters.discord import build_frontend as discord_frontend

        frontends.append(discord_frontend(config, db))
    return frontends
