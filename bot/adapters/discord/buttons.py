"""Persistent buttons: verdicts on alerts and "Share in channel" on `/dispute` answers.

They are `DynamicItem`s: the state lives in the `custom_id` (the dispute id), so a button on
an alert posted a week ago, by another process, still works after a restart. The running
client needs `add_dynamic_items(VerdictButton, ShareButton)` (the frontend does it).
"""

from __future__ import annotations

import logging
import re
from typing import Any, Protocol, runtime_checkable

import discord

log = logging.getLogger(__name__)

VERDICTS: dict[str, tuple[str, discord.ButtonStyle]] = {
    "not_a_dispute": ("Not a dispute", discord.ButtonStyle.secondary),
    "confirmed": ("Confirmed", discord.ButtonStyle.success),
    "muted": ("Mute this story", discord.ButtonStyle.secondary),
}
# Under the "Muted by ..." note in the thread (admins only; the core checks).
UNMUTE: dict[str, tuple[str, discord.ButtonStyle]] = {
    "unmuted": ("Unmute (admins)", discord.ButtonStyle.secondary)
}


@runtime_checkable
class HasHandlers(Protocol):
    """The client the buttons run in: it carries the handlers that reach the core."""

    handlers: Any  # bot.adapters.discord.commands.Handlers


class VerdictButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"factbot:v:(?P<verdict>not_a_dispute|confirmed|muted|unmuted):(?P<dispute_id>[0-9]{1,18})",
):
    """One of the three verdict buttons on an alert; the custom_id carries verdict and dispute id."""

    def __init__(self, verdict: str, dispute_id: int) -> None:
        label, style = {**VERDICTS, **UNMUTE}[verdict]
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=f"factbot:v:{verdict}:{dispute_id}")
        )
        self.verdict, self.dispute_id = verdict, dispute_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> VerdictButton:
        return cls(match["verdict"], int(match["dispute_id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Store the user's verdict through the core, then answer only to that user."""
        client = interaction.client
        if not isinstance(client, HasHandlers):
            log.error("verdict button clicked on a client without factbot handlers")
            return
        await client.handlers.verdict(interaction, self.dispute_id, self.verdict)


class ShareButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"factbot:share:(?P<ids>[0-9]{1,18}(?:,[0-9]{1,18}){0,4})",
):
    """'Share in channel' under an ephemeral `/dispute` answer: posts the same answer for everyone."""

    def __init__(self, dispute_ids: tuple[int, ...]) -> None:
        ids = ",".join(str(i) for i in dispute_ids[:5])  # custom_id is capped at 100 characters
        super().__init__(
            discord.ui.Button(
                label="Share in channel", style=discord.ButtonStyle.primary, custom_id=f"factbot:share:{ids}"
            )
        )
        self.dispute_ids = tuple(int(i) for i in ids.split(","))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ShareButton:
        return cls(tuple(int(i) for i in match["ids"].split(",")))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Post the answer publicly in the channel the command was used in."""
        client = interaction.client
        if not isinstance(client, HasHandlers):
            log.error("share button clicked on a client without factbot handlers")
            return
        await client.handlers.share(interaction, self.dispute_ids)


def alert_buttons(dispute_id: int) -> discord.ui.View:
    """The verdict buttons for one alert, as a persistent view (no timeout)."""
    view = discord.ui.View(timeout=None)
    for verdict in VERDICTS:
        view.add_item(VerdictButton(verdict, dispute_id))
    return view


def unmute_button(dispute_id: int) -> discord.ui.View:
    """The Unmute button under a mute note, as a persistent view."""
    view = discord.ui.View(timeout=None)
    view.add_item(VerdictButton("unmuted", dispute_id))
    return view


def share_button(dispute_ids: tuple[int, ...]) -> discord.ui.View:
    """The 'Share in channel' button for a `/dispute` answer."""
    view = discord.ui.View(timeout=None)
    view.add_item(ShareButton(dispute_ids))
    return view
