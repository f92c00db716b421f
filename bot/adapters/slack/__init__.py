"""Slack adapter: Block Kit alerts threaded per dispute, `/dispute` and `/factbot`, verdict buttons.

Two entry points, as for every chat platform:

* `build_sender(config)` -> the `AlertSender` the dispatcher uses (Web API only; works in `run --once`);
* `build_frontend(config, db)` -> the listener (Socket Mode, or HTTP on `slack.port`) `factbot run` starts.

This package is the only place (with the Discord one) that imports a chat SDK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.config import Config, SlackConfig

if TYPE_CHECKING:
    from bot.adapters.slack.app import SlackFrontend
    from bot.adapters.slack.sender import SlackSender
    from bot.storage.db import Database


def build_sender(config: Config | SlackConfig) -> SlackSender:
    """The Slack `AlertSender` (prefix "slack"); destinations are channel ids: "slack:<id>"."""
    from bot.adapters.slack.sender import SlackSender

    return SlackSender(config.slack if isinstance(config, Config) else config)


def build_frontend(config: Config | SlackConfig, db: Database) -> SlackFrontend:
    """The Slack frontend: `await start()` begins serving, `await stop()` closes."""
    from bot.adapters.slack.app import SlackFrontend

    whole = config if isinstance(config, Config) else Config(slack=config)
    return SlackFrontend(whole, db)


__all__ = ["build_frontend", "build_sender"]
