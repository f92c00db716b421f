"""Discord adapter: alerts as embeds with a thread per dispute, `/dispute` and `/factbot` app commands.

Two entry points, as for every chat platform:

* `build_sender(config)` -> the `AlertSender` the dispatcher uses (REST only, works in `run --once`);
* `build_frontend(config, db)` -> the long-running listener (gateway, app commands, buttons)
  that `factbot run` starts and stops.

This package is the only place (with the Slack one) that imports a chat SDK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.config import Config, DiscordConfig

if TYPE_CHECKING:
    from bot.adapters.discord.bot import DiscordFrontend
    from bot.adapters.discord.sender import DiscordSender
    from bot.storage.db import Database


def _discord_config(config: Config | DiscordConfig) -> DiscordConfig:
    return config.discord if isinstance(config, Config) else config


def build_sender(config: Config | DiscordConfig) -> DiscordSender:
    """The Discord `AlertSender` (prefix "discord"); destinations are channel ids: "discord:<id>"."""
    from bot.adapters.discord.sender import DiscordSender

    return DiscordSender(_discord_config(config))


def build_frontend(config: Config | DiscordConfig, db: Database) -> DiscordFrontend:
    """The Discord frontend: `await start()` logs in, syncs commands, connects; `await stop()` closes."""
    from bot.adapters.discord.bot import DiscordFrontend

    whole = config if isinstance(config, Config) else Config(discord=config)
    return DiscordFrontend(whole, db)


__all__ = ["build_frontend", "build_sender"]
