"""App commands (`/dispute`, `/factbot feeds ...`, `/factbot status`, `/factbot resume`) and buttons.

The work is done by the platform-neutral core (`bot.commands`); this module only turns
interactions into calls and results into ephemeral embeds. Every answer is sent with no
allowed mentions. `/dispute` answers within Discord's 3-second window: if the search is slow
the interaction is deferred first and the answer follows.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from typing import Any, Literal, TypeVar

import discord
from discord import app_commands

from bot import commands as core
from bot.adapters import destinations
from bot.adapters.discord.buttons import UNMUTE, VERDICTS, share_button
from bot.adapters.discord.embeds import (
    STATUS_COLOURS,
    clean,
    counts_line,
    mention_safe_content,
    one_line,
    results_embed,
    truncate,
)
from bot.alerts.view import AlertStyle, AlertView, build_view
from bot.config import Config, DiscordConfig
from bot.storage.db import Database
from bot.storage.disputes import load_disputes
from bot.types import Dispute

log = logging.getLogger(__name__)

VERDICT_LABELS = {verdict: label for verdict, (label, _style) in {**VERDICTS, **UNMUTE}.items()}

T = TypeVar("T")
NONE_MENTIONS = discord.AllowedMentions.none()
ANSWER_WITHIN = 2.0  # seconds before we defer: Discord drops an interaction not answered in 3 s
RESULTS = 5

DISPUTE_HELP = (
    "**/dispute** `query:<words>` searches the disputes factbot has found: speakers, deniers, "
    "claim and denial text, topic (e.g. `ice sinaloa`, `sheinbaum`). Without words it lists the latest. "
    "Only you see the answer; **Share in channel** posts it for everyone."
)
REFUSAL = (
    "Sorry, only members with **Manage Server**{role} can change factbot's feeds, see its status "
    "or resume alerts."
)


def is_admin(interaction: discord.Interaction[Any], admin_role: str | None) -> bool:
    """Manage Server in this channel, or the configured role (by name or id)."""
    if interaction.guild_id is None:
        return False
    if interaction.permissions.manage_guild or interaction.permissions.administrator:
        return True
    if not admin_role:
        return False
    member = interaction.user
    if not isinstance(member, discord.Member):
        return False
    wanted = admin_role.strip()
    if any(r.name == wanted or str(r.id) == wanted for r in member.roles):
        return True
    # Without the guild in cache, roles are only ids: compare those too.
    return wanted.isdigit() and int(wanted) in getattr(member, "_roles", ())


async def _answer(
    interaction: discord.Interaction[Any],
    *,
    ephemeral: bool = True,
    content: str | None = None,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
) -> None:
    """Respond, or follow up if already deferred; never with mentions."""
    kwargs: dict[str, Any] = {"ephemeral": ephemeral, "allowed_mentions": NONE_MENTIONS}
    if content is not None:
        kwargs["content"] = mention_safe_content(content)
    if embed is not None:
        kwargs["embed"] = embed
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


async def _in_time(interaction: discord.Interaction[Any], work: Awaitable[T], *, ephemeral: bool = True) -> T:
    """Run `work`; if it is not done within ANSWER_WITHIN seconds, defer the interaction meanwhile."""
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.wait_for(asyncio.shield(task), ANSWER_WITHIN)
    except TimeoutError:
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        return await task


class Handlers:
    """What each command and button does, over the core; one instance per client."""

    def __init__(self, db: Database, config: Config) -> None:
        self.db, self.app_config = db, config
        self.config: DiscordConfig = config.discord
        self.style = AlertStyle.from_config(config)  # results link to timelines like alerts do
        self.mute = config.alerts.mute  # who may mute a story for everyone

    # ------------------------------------------------------------------ /dispute
    async def dispute(self, interaction: discord.Interaction[Any], query: str | None) -> None:
        """Search disputes and answer only to the caller, with a button to share the answer."""
        parsed = core.parse_dispute_args(query)
        if isinstance(parsed, core.Help):
            await _answer(interaction, content=DISPUTE_HELP)
            return
        text = parsed.terms
        disputes: list[Dispute] = await _in_time(interaction, core.search_disputes(self.db, text, RESULTS))
        views = [build_view(d, style=self.style) for d in disputes]
        share = share_button(tuple(v.dispute_id for v in views)) if views else None
        await _answer(interaction, embed=results_embed(views, text), view=share)

    async def share(self, interaction: discord.Interaction[Any], dispute_ids: Sequence[int]) -> None:
        """Post a `/dispute` answer in the channel for everyone (no mentions)."""
        views = await self._views(dispute_ids)
        embed = results_embed(views, "")
        embed.title = "Disputes shared from /dispute"
        await _answer(
            interaction,
            ephemeral=False,
            content=f"Shared by {clean(one_line(interaction.user.display_name))}",
            embed=embed,
        )

    async def _views(self, dispute_ids: Sequence[int]) -> list[AlertView]:
        """Alert views of the disputes that still exist, in the order asked."""
        async with self.db.connect() as conn:
            return [build_view(d, style=self.style) for d in await load_disputes(conn, list(dispute_ids))]

    # ------------------------------------------------------------------ buttons
    async def verdict(self, interaction: discord.Interaction[Any], dispute_id: int, verdict: str) -> None:
        """Store a verdict from an alert's button, show it on the alert, and thank the user privately."""
        try:
            result = await core.record_feedback(
                self.db,
                dispute_id,
                verdict,
                str(interaction.user.id),
                "discord",
                user_is_admin=is_admin(interaction, self.config.admin_role),
                mute=self.mute,
            )
        except KeyError:
            await _answer(interaction, content="This dispute no longer exists.")
            return
        except ValueError as e:  # a mute refused by `[alerts] mute = "admins"`
            await _answer(interaction, content=f"Sorry: {e}.")
            return
        log.info("discord: %s marked dispute %s as %s", interaction.user.id, dispute_id, verdict)
        marked = self._marked_alert(interaction, build_view(result.dispute, style=self.style), verdict)
        if marked is not None:
            # Show the verdict on the alert itself (colour, status line) for everyone in the channel;
            # the footer and its reference stay as they were, so find_sent still recognises it.
            await interaction.response.edit_message(embed=marked, allowed_mentions=NONE_MENTIONS)
        await _answer(interaction, content=str(result))

    @staticmethod
    def _marked_alert(
        interaction: discord.Interaction[Any], view: AlertView, verdict: str
    ) -> discord.Embed | None:
        message = interaction.message
        if message is None or not message.embeds:
            return None
        embed = message.embeds[0].copy()
        embed.colour = discord.Colour(STATUS_COLOURS[view.status])
        who = clean(one_line(interaction.user.display_name))
        embed.description = truncate(
            f"{counts_line(view)}\nMarked **{VERDICT_LABELS[verdict]}** by {who}", 4096
        )
        return embed

    # ------------------------------------------------------------------ /factbot
    async def _refuse_unless_admin(self, interaction: discord.Interaction[Any]) -> bool:
        if is_admin(interaction, self.config.admin_role):
            return False
        role = f" or the **{clean(self.config.admin_role)}** role" if self.config.admin_role else ""
        await _answer(interaction, content=REFUSAL.format(role=role))
        return True

    async def feeds_add(
        self,
        interaction: discord.Interaction[Any],
        url: str,
        kind: str,
        actor: str | None,
        name: str | None,
    ) -> None:
        """Add a feed (checked and fetched once by the core before it is saved)."""
        if await self._refuse_unless_admin(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)  # the core fetches the feed first
        result = await core.add_feed(
            self.db,
            self.app_config,
            url,
            kind,
            actor,
            user_is_admin=True,  # checked above: Manage Server or the admin role
            name=name,
            user=f"discord:{interaction.user.id}",
        )
        await _answer(interaction, content=str(result))

    async def feeds_list(self, interaction: discord.Interaction[Any]) -> None:
        """List the feeds."""
        if await self._refuse_unless_admin(interaction):
            return
        feeds = await core.list_feeds(self.db)
        lines = [
            f"`{f.id}` {clean(f.name) or '(no name)'} — {f.kind.value}"
            + (f" ({clean(f.actor)})" if f.actor else "")
            + f" — <{f.url}>"
            + ("" if f.enabled else " (disabled)")
            for f in feeds
        ]
        body = "\n".join(lines) if lines else "No feeds yet. Add one with `/factbot feeds add`."
        await _answer(
            interaction, embed=discord.Embed(title=f"Feeds ({len(feeds)})", description=truncate(body, 4096))
        )

    async def feeds_remove(self, interaction: discord.Interaction[Any], feed: str) -> None:
        """Remove a feed by URL or id."""
        if await self._refuse_unless_admin(interaction):
            return
        removed = await core.remove_feed(self.db, feed.strip())
        await _answer(
            interaction, content=f"Removed {feed.strip()}." if removed else f"No feed matches {feed.strip()}."
        )

    async def status(self, interaction: discord.Interaction[Any]) -> None:
        """Feeds, failing feeds, last poll, pending alerts."""
        if await self._refuse_unless_admin(interaction):
            return
        report = await core.status(self.db)
        await _answer(
            interaction,
            embed=discord.Embed(title="factbot status", description=truncate(clean(str(report)), 4096)),
        )

    async def resume(self, interaction: discord.Interaction[Any], destination: str) -> None:
        """Unpause a destination (after its channel or permission was fixed); its kept alerts go out."""
        if await self._refuse_unless_admin(interaction):
            return
        result = await core.resume_destination(
            self.db,
            destination,
            configured=destinations(self.app_config),
            user=f"discord:{interaction.user.id}",
        )
        await _answer(interaction, content=str(result))

    async def why(self, interaction: discord.Interaction[Any], url: str) -> None:
        """Why an article did or did not alert (read-only: no admin check)."""
        text = await _in_time(interaction, core.why_text(self.db, self.app_config, url))
        await _answer(
            interaction,
            embed=discord.Embed(title="Why no alert?", description=truncate(clean(text), 4096)),
        )

    async def destination_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        """Autocomplete for `/factbot resume`: paused destinations first (admins only)."""
        if not is_admin(interaction, self.config.admin_role):
            return []
        found = await core.list_destinations(self.db, destinations(self.app_config))
        found.sort(key=lambda d: (not d.paused, d.name))
        typed = current.strip().lower()
        return [
            app_commands.Choice(
                name=truncate(f"{d.name} ({'paused' if d.paused else 'active'}, {d.pending} waiting)", 100),
                value=d.name[:100],
            )
            for d in found
            if typed in d.name.lower()
        ][:25]


def register_commands(tree: app_commands.CommandTree[Any], handlers: Handlers) -> None:
    """Add `/dispute` and the `/factbot` group to the tree (guild commands when guild_ids are set)."""
    config = handlers.config
    guilds = [discord.Object(g) for g in config.guild_ids]

    @app_commands.command(name="dispute", description="Search disputed official statements")
    @app_commands.describe(query="Words to search for, e.g. 'ice sinaloa'; empty for the latest disputes")
    async def dispute(interaction: discord.Interaction[Any], query: str | None = None) -> None:
        await handlers.dispute(interaction, query)

    factbot = app_commands.Group(
        name="factbot",
        description="Manage factbot's feeds, see its status, resume paused alerts",
        guild_only=True,
        # Hidden from members without Manage Server unless a role is configured (checked again at run time).
        default_permissions=None if config.admin_role else discord.Permissions(manage_guild=True),
    )
    feeds = app_commands.Group(name="feeds", description="Feeds factbot watches", parent=factbot)

    @feeds.command(name="add", description="Watch a new RSS/Atom/JSON feed")
    @app_commands.describe(
        url="The feed URL (http or https)",
        kind="official: an actor's own statements; news: reporting about others",
        actor="For official feeds: whose statements these are",
        name="A display name for the feed",
    )
    async def feeds_add(
        interaction: discord.Interaction[Any],
        url: str,
        kind: Literal["news", "official"] = "news",
        actor: str | None = None,
        name: str | None = None,
    ) -> None:
        await handlers.feeds_add(interaction, url, kind, actor, name)

    @feeds.command(name="list", description="List the feeds factbot watches")
    async def feeds_list(interaction: discord.Interaction[Any]) -> None:
        await handlers.feeds_list(interaction)

    @feeds.command(name="remove", description="Stop watching a feed")
    @app_commands.describe(feed="The feed's URL or id (see /factbot feeds list)")
    async def feeds_remove(interaction: discord.Interaction[Any], feed: str) -> None:
        await handlers.feeds_remove(interaction, feed)

    @factbot.command(name="status", description="Feeds, failing feeds, last poll, pending alerts")
    async def status(interaction: discord.Interaction[Any]) -> None:
        await handlers.status(interaction)

    @factbot.command(name="resume", description="Send a paused destination's kept alerts again")
    @app_commands.describe(destination="e.g. discord:1234 or slack:C0ALERTS (see /factbot status)")
    async def resume(interaction: discord.Interaction[Any], destination: str) -> None:
        await handlers.resume(interaction, destination)

    @factbot.command(name="why", description="Why an article did or did not alert, stage by stage")
    @app_commands.describe(url="The article's link")
    async def why(interaction: discord.Interaction[Any], url: str) -> None:
        await handlers.why(interaction, url)

    @resume.autocomplete("destination")
    async def resume_choices(
        interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return await handlers.destination_choices(interaction, current)

    kwargs: dict[str, Any] = {"guilds": guilds} if guilds else {}
    tree.add_command(dispute, **kwargs)
    tree.add_command(factbot, **kwargs)

    @tree.error
    async def on_error(interaction: discord.Interaction[Any], error: app_commands.AppCommandError) -> None:
        log.exception(
            "discord: command %s failed",
            interaction.command and interaction.command.qualified_name,
            exc_info=error,
        )
        try:
            await _answer(interaction, content="Something went wrong on factbot's side; the error is logged.")
        except discord.HTTPException:
            pass
