"""The adapter registry: destinations and senders follow the config; console when no chat is set."""

from __future__ import annotations

import subprocess
import sys

from bot.adapters import build_frontends, build_senders, chat_enabled, destinations
from bot.config import parse_config


def test_no_tokens_means_console_only() -> None:
    config = parse_config({})
    assert destinations(config) == ("console:stdout",)
    assert not chat_enabled(config)
    senders = build_senders(config)
    assert list(senders) == ["console"] and senders["console"].prefix == "console"
    assert build_frontends(config, db=None) == []  # type: ignore[arg-type]


def test_chat_destinations_follow_the_config() -> None:
    config = parse_config(
        {
            "slack": {"bot_token": "xoxb-1", "channel": "C0ALERTS"},
            "discord": {"token": "t", "channel_id": "1234"},
        }
    )
    assert destinations(config) == ("slack:C0ALERTS", "discord:1234")
    assert chat_enabled(config)
    # Half-configured platforms stay off (a token without a channel is not enough).
    half = parse_config({"slack": {"bot_token": "xoxb-1"}, "discord": {"channel_id": 5}})
    assert destinations(half) == ("console:stdout",)


def test_console_only_never_loads_a_chat_sdk() -> None:
    code = (
        "import sys\n"
        "import bot.app, bot.cli, bot.demo\n"
        "from bot.adapters import build_senders\n"
        "from bot.config import parse_config\n"
        "build_senders(parse_config({}))\n"
        "print(sorted(m for m in ('slack_sdk', 'slack_bolt', 'discord') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
