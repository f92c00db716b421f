"""App commands and buttons, driven by interaction payloads shaped like the gateway's.

The frontend logs in against the fake REST API (and syncs its commands there); each test
builds an interaction payload, hands it to discord.py (`discord.Interaction` with the client's
connection state, or the connection's own INTERACTION_CREATE parser), and reads the answer
discord.py sent to `POST /interactions/{id}/{token}/callback`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import discord
import pytest
from aiohttp import web
from sqlalchemy import select

from bot import commands as core
from bot.adapters import build_senders
from bot.adapters.discord import build_frontend
from bot.adapters.discord import commands as discord_commands
from bot.adapters.discord.bot import DiscordFrontend, intents
from bot.adapters.discord.sender import DiscordSender
from bot.alerts.dispatcher import Dispatcher
from bot.alerts.sender import AlertSender
from bot.config import Config, DiscordConfig, SlackConfig
from bot.storage import outbox, schema
from bot.storage.db import Database
from tests.discord_fake import (
    APP_ID,
    GUILD_ID,
    FakeDiscord,
    Recorded,
    store_reference_story,
)
from tests.test_outbox import T0

CHANNEL = 1200000000000000001
ADMIN_ROLE_ID = 1200000000000000050
MANAGE_GUILD = discord.Permissions(manage_guild=True).value


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as f:
        monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
        f.add_channel(CHANNEL)
        yield f


def discord_config(fake: FakeDiscord, **kw: Any) -> DiscordConfig:
    return DiscordConfig(
        token="test-token", channel_id=CHANNEL, guild_ids=(GUILD_ID,), api_url=fake.base_url, **kw
    )


def app_config(fake: FakeDiscord, **kw: Any) -> Config:
    return Config(discord=discord_config(fake, **kw))


@pytest.fixture
async def frontend(fake: FakeDiscord, sqlite_db: Database) -> AsyncIterator[DiscordFrontend]:
    fe = DiscordFrontend(app_config(fake), sqlite_db, gateway=False)
    await fe.start()
    yield fe
    await fe.stop()


# ------------------------------------------------------------------ payloads (as the gateway sends them)


def member(
    user_id: int = 1200000000000000100, *, permissions: int = 0, roles: tuple[int, ...] = ()
) -> dict[str, Any]:
    return {
        "user": FakeDiscord.user(user_id, "reporter", bot=False),
        "roles": [str(r) for r in roles],
        "joined_at": "2024-01-01T00:00:00+00:00",
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": str(permissions),
    }


def interaction_payload(fake: FakeDiscord, type: int, data: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "id": str(fake.snowflake()),
        "application_id": str(APP_ID),
        "type": type,
        "token": f"tok-{fake.snowflake()}",
        "version": 1,
        "guild_id": str(GUILD_ID),
        "channel_id": str(CHANNEL),
        "channel": {**fake.channels[CHANNEL]},
        "member": extra.pop("member", member()),
        "data": data,
        "locale": "en-US",
        "guild_locale": "en-US",
        "app_permissions": "309237730304",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(GUILD_ID)},
        "context": 0,
        "attachment_size_limit": 10485760,
        **extra,
    }


def command_data(fake: FakeDiscord, name: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    synced = {c["name"]: c for c in fake.commands[GUILD_ID]}
    return {"id": synced[name]["id"], "name": name, "type": 1, "guild_id": str(GUILD_ID), "options": options}


def subcommand(path: list[str], options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nest options as Discord does for `/factbot feeds add ...` (type 2 group, type 1 subcommand)."""
    opts = [{"name": path[-1], "type": 1, "options": options}]
    for group in reversed(path[:-1]):
        opts = [{"name": group, "type": 2, "options": opts}]
    return opts


async def run_command(frontend: DiscordFrontend, payload: dict[str, Any]) -> None:
    """Build the Interaction with the client's connection state and run the app command."""
    client = frontend.client
    interaction: discord.Interaction[Any] = discord.Interaction(data=payload, state=client._connection)  # type: ignore[arg-type]
    await client.tree._call(interaction)


async def wait_for_call(fake: FakeDiscord, method: str, path: str, *, wait: float = 5.0) -> Recorded:
    """The first request to `path`, once discord.py's scheduled tasks have sent it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while True:
        found = fake.calls(method, path)
        if found:
            return found[0]
        if loop.time() > deadline:
            raise AssertionError(f"no {method} {path}")
        await asyncio.sleep(0.01)


async def callback_for(fake: FakeDiscord, payload: dict[str, Any]) -> Recorded:
    """The interaction response discord.py sent for this payload."""
    return await wait_for_call(fake, "POST", f"/interactions/{payload['id']}/{payload['token']}/callback")


def answer_text(rec: Recorded) -> str:
    data = rec.body["data"]
    return str(data.get("content", "")) + str(data.get("embeds", ""))


# ------------------------------------------------------------------ start-up


async def test_start_logs_in_and_syncs_commands_to_the_guild(
    fake: FakeDiscord, frontend: DiscordFrontend
) -> None:
    puts = fake.calls("PUT", rf"/applications/{APP_ID}/guilds/{GUILD_ID}/commands")
    assert len(puts) == 1
    commands = {c["name"]: c for c in puts[0].body}
    assert set(commands) == {"dispute", "factbot"}
    assert [o["name"] for o in commands["dispute"]["options"]] == ["query"]
    factbot = commands["factbot"]
    assert {o["name"] for o in factbot["options"]} == {"feeds", "status", "resume", "why"}
    resume = next(o for o in factbot["options"] if o["name"] == "resume")
    assert [(o["name"], o["required"], o.get("autocomplete")) for o in resume["options"]] == [
        ("destination", True, True)
    ]
    feeds = next(o for o in factbot["options"] if o["name"] == "feeds")
    assert {o["name"] for o in feeds["options"]} == {"add", "list", "remove"}
    assert int(factbot["default_member_permissions"]) == MANAGE_GUILD
    privileged = discord.Intents(members=True, presences=True, message_content=True)
    assert not intents().value & privileged.value


async def test_build_functions_accept_the_whole_config(sqlite_db: Database) -> None:
    config = Config(discord=DiscordConfig(token="t", channel_id=CHANNEL, guild_ids=(GUILD_ID,)))
    assert isinstance(build_frontend(config, sqlite_db), DiscordFrontend)
    sender = build_senders(config)["discord"]
    assert isinstance(sender, DiscordSender) and isinstance(sender, AlertSender)


# ------------------------------------------------------------------ /dispute


async def test_dispute_command_finds_the_reference_story(fake: FakeDiscord, db: Database) -> None:
    """On SQLite (FTS5) and PostgreSQL (tsvector) alike."""
    frontend = DiscordFrontend(app_config(fake), db, gateway=False)
    await frontend.start()
    try:
        await _dispute_command_finds_the_reference_story(fake, frontend, db)
    finally:
        await frontend.stop()


async def _dispute_command_finds_the_reference_story(
    fake: FakeDiscord, frontend: DiscordFrontend, db: Database
) -> None:
    dispute_id = await store_reference_story(db, [f"discord:{CHANNEL}"])
    payload = interaction_payload(
        fake, 2, command_data(fake, "dispute", [{"name": "query", "type": 3, "value": "ice sinaloa"}])
    )
    await run_command(frontend, payload)

    rec = await callback_for(fake, payload)
    assert rec.body["type"] == 4  # CHANNEL_MESSAGE_WITH_SOURCE
    data = rec.body["data"]
    assert data["flags"] & 64  # ephemeral
    assert data["allowed_mentions"] == {"parse": []}
    embed = data["embeds"][0]
    assert (
        embed["fields"][0]["name"]
        == "Disputed: ICE's claim that its vetted unit led raids on three Sinaloa drug labs"
    )
    value = embed["fields"][0]["value"]
    assert (
        "https://example.org/ice/sinaloa-labs" in value
        and "https://example.org/mx/presidency-briefing" in value
    )
    assert "Claudia Sheinbaum" in value and "2025-05-15" in value
    buttons = [c for row in data["components"] for c in row["components"]]
    assert [b["label"] for b in buttons] == ["Share in channel"]
    assert buttons[0]["custom_id"] == f"factbot:share:{dispute_id}"


async def test_dispute_without_terms_lists_latest(
    fake: FakeDiscord, frontend: DiscordFrontend, sqlite_db: Database
) -> None:
    await store_reference_story(sqlite_db, [f"discord:{CHANNEL}"])
    payload = interaction_payload(fake, 2, command_data(fake, "dispute", []))
    await run_command(frontend, payload)
    rec = await callback_for(fake, payload)
    assert "Latest disputes" in answer_text(rec) and "Sinaloa" in answer_text(rec)


async def test_dispute_with_no_match_says_so(
    fake: FakeDiscord, frontend: DiscordFrontend, sqlite_db: Database
) -> None:
    await store_reference_story(sqlite_db, [f"discord:{CHANNEL}"])
    payload = interaction_payload(
        fake, 2, command_data(fake, "dispute", [{"name": "query", "type": 3, "value": "volcano iceland"}])
    )
    await run_command(frontend, payload)
    rec = await callback_for(fake, payload)
    assert "No disputes found" in answer_text(rec)
    assert "components" not in rec.body["data"] or rec.body["data"]["components"] == []


async def test_gateway_dispatch_of_share_button_posts_publicly(
    fake: FakeDiscord, frontend: DiscordFrontend, sqlite_db: Database
) -> None:
    dispute_id = await store_reference_story(sqlite_db, [f"discord:{CHANNEL}"])
    ask = interaction_payload(
        fake, 2, command_data(fake, "dispute", [{"name": "query", "type": 3, "value": "sheinbaum"}])
    )
    await run_command(frontend, ask)
    answer = (await callback_for(fake, ask)).body["data"]
    # The ephemeral answer as Discord would hand it back with the click on its button.
    message = fake._message(CHANNEL, {**answer, "flags": 64})
    [button] = [c for row in answer["components"] for c in row["components"]]
    assert button["custom_id"] == f"factbot:share:{dispute_id}"

    click = interaction_payload(
        fake, 3, {"custom_id": button["custom_id"], "component_type": 2}, message=message
    )
    frontend.client._connection.parse_interaction_create(click)  # type: ignore[arg-type]  # the gateway path
    data = (await callback_for(fake, click)).body["data"]
    assert not data.get("flags", 0) & 64  # visible to the channel
    assert data["allowed_mentions"] == {"parse": []}
    assert "Sinaloa" in str(data["embeds"]) and "Shared by reporter" in data["content"]


# ------------------------------------------------------------------ buttons on alerts


async def test_verdict_button_on_a_real_alert_is_stored(
    fake: FakeDiscord, frontend: DiscordFrontend, sqlite_db: Database
) -> None:
    dest = f"discord:{CHANNEL}"
    dispute_id = await store_reference_story(sqlite_db, [dest])
    sender = DiscordSender(discord_config(fake))
    try:
        await Dispatcher(sqlite_db, {"discord": sender}, min_interval={"discord": 0}).dispatch_pending()
    finally:
        await sender.close()
    [alert] = fake.posted(CHANNEL)
    custom_id = f"factbot:v:not_a_dispute:{dispute_id}"
    assert custom_id in [c["custom_id"] for row in alert["components"] for c in row["components"]]

    payload = interaction_payload(fake, 3, {"custom_id": custom_id, "component_type": 2}, message=alert)
    frontend.client._connection.parse_interaction_create(payload)  # type: ignore[arg-type]  # the gateway path
    rec = await callback_for(fake, payload)
    assert rec.body["type"] == 7  # UPDATE_MESSAGE: the alert itself shows the verdict
    edited = rec.body["data"]["embeds"][0]
    assert "Marked **Not a dispute** by reporter" in edited["description"]
    assert edited["footer"] == alert["embeds"][0]["footer"]  # the reference find_sent needs is kept
    thanks = await wait_for_call(fake, "POST", f"/webhooks/{APP_ID}/{payload['token']}")
    assert thanks.body["flags"] & 64 and "not a dispute" in thanks.body["content"]
    assert thanks.body["allowed_mentions"] == {"parse": []}

    async with sqlite_db.connect() as conn:
        fb = (await conn.execute(select(schema.feedback))).one()
        status = (await conn.execute(select(schema.disputes.c.status))).scalar_one()
    assert (fb.dispute_id, fb.verdict, fb.platform, fb.user_id) == (
        dispute_id,
        "not_a_dispute",
        "discord",
        "1200000000000000100",
    )
    assert status == "dismissed"


async def test_mute_needs_a_manager_and_the_thread_says_who_with_an_unmute_button(
    fake: FakeDiscord, frontend: DiscordFrontend, sqlite_db: Database
) -> None:
    dest = f"discord:{CHANNEL}"
    dispute_id = await store_reference_story(sqlite_db, [dest])
    sender = DiscordSender(discord_config(fake))
    dispatcher = Dispatcher(sqlite_db, {"discord": sender}, min_interval={"discord": 0})
    try:
        await dispatcher.dispatch_pending()
        [alert] = fake.posted(CHANNEL)
        mute = {"custom_id": f"factbot:v:muted:{dispute_id}", "component_type": 2}
        refused = interaction_payload(fake, 3, mute, message=alert)  # an ordinary member
        frontend.client._connection.parse_interaction_create(refused)  # type: ignore[arg-type]
        assert "only factbot admins can mute" in answer_text(await callback_for(fake, refused))

        manager = member(1200000000000000200, permissions=MANAGE_GUILD)
        muted = interaction_payload(fake, 3, mute, message=alert, member=manager)
        frontend.client._connection.parse_interaction_create(muted)  # type: ignore[arg-type]
        await callback_for(fake, muted)
        await dispatcher.dispatch_pending()
    finally:
        await sender.close()
    [note] = [m for msgs in fake.messages.values() for m in msgs if "Muted by" in str(m.get("embeds"))]
    assert "<@1200000000000000200>" in note["embeds"][0]["description"]
    [sent] = [r for r in fake.calls("POST", r"/channels/\d+/messages") if "Muted by" in str(r.body)]
    assert sent.body["allowed_mentions"] == {"parse": []}  # the name shows, nobody is pinged
    buttons = [c["custom_id"] for row in note["components"] for c in row["components"]]
    assert buttons == [f"factbot:v:unmuted:{dispute_id}"]


# ------------------------------------------------------------------ /factbot (admin only)


async def test_factbot_status_refused_to_ordinary_members(
    fake: FakeDiscord, frontend: DiscordFrontend
) -> None:
    payload = interaction_payload(fake, 2, command_data(fake, "factbot", subcommand(["status"], [])))
    await run_command(frontend, payload)
    rec = await callback_for(fake, payload)
    assert rec.body["data"]["flags"] & 64 and "Manage Server" in answer_text(rec)


async def test_factbot_status_for_managers(
    fake: FakeDiscord, frontend: DiscordFrontend, sqlite_db: Database
) -> None:
    await store_reference_story(sqlite_db, [f"discord:{CHANNEL}"])
    payload = interaction_payload(
        fake,
        2,
        command_data(fake, "factbot", subcommand(["status"], [])),
        member=member(permissions=MANAGE_GUILD),
    )
    await run_command(frontend, payload)
    rec = await callback_for(fake, payload)
    assert rec.body["data"]["flags"] & 64
    assert "feeds" in answer_text(rec).lower()


async def test_factbot_feeds_list_and_remove(
    fake: FakeDiscord, frontend: DiscordFrontend, sqlite_db: Database
) -> None:
    await store_reference_story(sqlite_db, [f"discord:{CHANNEL}"])  # stores three feeds
    admin = member(permissions=MANAGE_GUILD)
    listing = interaction_payload(
        fake, 2, command_data(fake, "factbot", subcommand(["feeds", "list"], [])), member=admin
    )
    await run_command(frontend, listing)
    text = answer_text(await callback_for(fake, listing))
    assert "https://example.org/feeds/101" in text and "ICE on X" in text

    remove = interaction_payload(
        fake,
        2,
        command_data(
            fake,
            "factbot",
            subcommand(
                ["feeds", "remove"], [{"name": "feed", "type": 3, "value": "https://example.org/feeds/103"}]
            ),
        ),
        member=admin,
    )
    await run_command(frontend, remove)
    await callback_for(fake, remove)
    async with sqlite_db.connect() as conn:
        urls = set((await conn.execute(select(schema.feeds.c.url))).scalars())
    assert "https://example.org/feeds/103" not in urls and "https://example.org/feeds/101" in urls


async def test_admin_role_by_id_is_allowed(fake: FakeDiscord, sqlite_db: Database) -> None:
    fe = DiscordFrontend(app_config(fake, admin_role=str(ADMIN_ROLE_ID)), sqlite_db, gateway=False)
    await fe.start()
    try:
        payload = interaction_payload(
            fake,
            2,
            command_data(fake, "factbot", subcommand(["status"], [])),
            member=member(roles=(ADMIN_ROLE_ID,)),
        )
        await run_command(fe, payload)
        rec = await callback_for(fake, payload)
        assert "Manage Server" not in answer_text(rec)
    finally:
        await fe.stop()


def resume_payload(
    fake: FakeDiscord, value: str, who: dict[str, Any], *, focused: bool = False
) -> dict[str, Any]:
    option: dict[str, Any] = {"name": "destination", "type": 3, "value": value}
    if focused:
        option["focused"] = True
    data = command_data(fake, "factbot", subcommand(["resume"], [option]))
    return interaction_payload(fake, 4 if focused else 2, data, member=who)


async def test_factbot_resume_sends_the_kept_alerts_again(
    fake: FakeDiscord, frontend: DiscordFrontend, sqlite_db: Database
) -> None:
    dest = f"discord:{CHANNEL}"
    await store_reference_story(sqlite_db, [dest])
    async with sqlite_db.begin() as conn:
        await outbox.pause_destination(conn, dest, reason="403 Forbidden (50001): Missing Access", now=T0)
    admin = member(permissions=MANAGE_GUILD)

    # Autocomplete offers the paused destination first, to admins only.
    ask = resume_payload(fake, "disc", admin, focused=True)
    await run_command(frontend, ask)
    rec = await callback_for(fake, ask)
    assert rec.body["type"] == 8
    assert [c["value"] for c in rec.body["data"]["choices"]] == [dest]
    assert "paused, 1 waiting" in rec.body["data"]["choices"][0]["name"]
    ask = resume_payload(fake, "", member(), focused=True)
    await run_command(frontend, ask)
    assert (await callback_for(fake, ask)).body["data"]["choices"] == []

    refused = resume_payload(fake, dest, member())
    await run_command(frontend, refused)
    assert "Manage Server" in answer_text(await callback_for(fake, refused))
    assert len((await core.status(sqlite_db)).paused_destinations) == 1

    # Typed as a channel mention, as Discord fills in `#alerts`.
    resume = resume_payload(fake, f"<#{CHANNEL}>", admin)
    await run_command(frontend, resume)
    rec = await callback_for(fake, resume)
    assert rec.body["data"]["flags"] & 64 and f"Resumed {dest}" in answer_text(rec)
    assert (await core.status(sqlite_db)).paused_destinations == ()

    # And the dispatcher now delivers what was kept, through the fake REST API.
    report = await Dispatcher(sqlite_db, build_senders(app_config(fake))).dispatch_pending()
    assert report.sent == 1 and fake.calls("POST", rf"/channels/{CHANNEL}/messages")

    unknown = resume_payload(fake, "discord:42", admin)
    await run_command(frontend, unknown)
    assert "No destination" in answer_text(await callback_for(fake, unknown))


async def test_mentions_in_stored_text_never_ping_in_answers(
    fake: FakeDiscord, frontend: DiscordFrontend, sqlite_db: Database
) -> None:
    await store_reference_story(sqlite_db, [f"discord:{CHANNEL}"])
    async with sqlite_db.begin() as conn:
        await conn.execute(
            schema.disputes.update().values(topic="@everyone the Sinaloa lab raids <@&1200000000000000050>")
        )
    payload = interaction_payload(
        fake, 2, command_data(fake, "dispute", [{"name": "query", "type": 3, "value": "sinaloa"}])
    )
    await run_command(frontend, payload)
    rec = await callback_for(fake, payload)
    assert rec.body["data"]["allowed_mentions"] == {"parse": []}
    text = answer_text(rec)
    assert "@everyone" not in text and "<@&1200000000000000050>" not in text


RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Desk test feed</title><link>http://127.0.0.1/</link>
<description>Items written for the tests</description>
<item><title>Ministry says bridge repairs are finished</title><link>http://127.0.0.1/a</link>
<guid>a</guid><pubDate>Wed, 14 May 2025 10:00:00 GMT</pubDate><description>The ministry said work ended.</description></item>
</channel></rss>"""


@pytest.fixture
async def feed_url() -> AsyncIterator[str]:
    async def rss(request: web.Request) -> web.Response:
        return web.Response(body=RSS, content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/feed.xml", rss)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/feed.xml"
    await runner.cleanup()


def feeds_add(fake: FakeDiscord, url: str, who: dict[str, Any]) -> dict[str, Any]:
    options = [
        {"name": "url", "type": 3, "value": url},
        {"name": "kind", "type": 3, "value": "official"},
        {"name": "actor", "type": 3, "value": "Ministry of Works"},
    ]
    return interaction_payload(
        fake, 2, command_data(fake, "factbot", subcommand(["feeds", "add"], options)), member=who
    )


async def test_feeds_add_fetches_then_saves(fake: FakeDiscord, sqlite_db: Database, feed_url: str) -> None:
    # 127.0.0.1 is refused from chat unless allow-listed (the same list serves Slack and Discord).
    config = Config(discord=discord_config(fake), slack=SlackConfig(allow_hosts=("127.0.0.1",)))
    fe = DiscordFrontend(config, sqlite_db, gateway=False)
    await fe.start()
    try:
        payload = feeds_add(fake, feed_url, member(permissions=MANAGE_GUILD))
        await run_command(fe, payload)
        deferred = await callback_for(fake, payload)
        assert deferred.body["type"] == 5 and deferred.body["data"]["flags"] & 64  # thinking, ephemeral
        done = await wait_for_call(fake, "POST", f"/webhooks/{APP_ID}/{payload['token']}")
        assert "Added feed" in done.body["content"]
    finally:
        await fe.stop()
    async with sqlite_db.connect() as conn:
        row = (await conn.execute(select(schema.feeds).where(schema.feeds.c.url == feed_url))).one()
    assert (row.kind, row.actor, row.origin) == ("official", "Ministry of Works", "chat")


async def test_feeds_add_refuses_private_hosts(
    fake: FakeDiscord, frontend: DiscordFrontend, sqlite_db: Database, feed_url: str
) -> None:
    payload = feeds_add(fake, feed_url, member(permissions=MANAGE_GUILD))
    await run_command(frontend, payload)
    done = await wait_for_call(fake, "POST", f"/webhooks/{APP_ID}/{payload['token']}")
    assert "Not added" in done.body["content"] and "non-public" in done.body["content"]
    async with sqlite_db.connect() as conn:
        assert (await conn.execute(select(schema.feeds))).first() is None


async def test_feeds_add_refused_to_ordinary_members(
    fake: FakeDiscord, frontend: DiscordFrontend, sqlite_db: Database, feed_url: str
) -> None:
    payload = feeds_add(fake, feed_url, member())
    await run_command(frontend, payload)
    assert "Manage Server" in answer_text(await callback_for(fake, payload))
    async with sqlite_db.connect() as conn:
        assert (await conn.execute(select(schema.feeds))).first() is None


async def test_slow_search_is_deferred_then_answered(
    fake: FakeDiscord, frontend: DiscordFrontend, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await store_reference_story(sqlite_db, [f"discord:{CHANNEL}"])
    # Make "slow" mean anything that takes longer than no time at all, so the search defers.
    monkeypatch.setattr(discord_commands, "ANSWER_WITHIN", 0.0)
    payload = interaction_payload(
        fake, 2, command_data(fake, "dispute", [{"name": "query", "type": 3, "value": "ice sinaloa"}])
    )
    await run_command(frontend, payload)
    deferred = await callback_for(fake, payload)
    assert deferred.body["type"] == 5 and deferred.body["data"]["flags"] & 64
    answer = await wait_for_call(fake, "POST", f"/webhooks/{APP_ID}/{payload['token']}")
    assert answer.body["flags"] & 64 and "Sinaloa" in str(answer.body["embeds"])


async def test_bad_token_fails_fast_at_start(fake: FakeDiscord, sqlite_db: Database) -> None:
    fake.fail("GET", "/users/@me", 401)
    fe = DiscordFrontend(app_config(fake), sqlite_db, gateway=False)
    with pytest.raises(discord.LoginFailure):
        await fe.start()
    await fe.stop()


async def test_discord_down_at_start_does_not_stop_the_bot(fake: FakeDiscord, sqlite_db: Database) -> None:
    fake.fail("GET", "/users/@me", 503)
    fe = DiscordFrontend(app_config(fake), sqlite_db, gateway=False)
    await fe.start()  # returns: the login is retried in the background
    assert fake.calls("PUT", rf"/applications/{APP_ID}/guilds/{GUILD_ID}/commands") == []
    await fe.stop()


async def test_factbot_why_explains_a_link(
    fake: FakeDiscord, frontend: DiscordFrontend, sqlite_db: Database
) -> None:
    await store_reference_story(sqlite_db, [f"discord:{CHANNEL}"])
    option = {"name": "url", "type": 3, "value": "https://example.org/mx/presidency-briefing"}
    payload = interaction_payload(fake, 2, command_data(fake, "factbot", subcommand(["why"], [option])))
    await run_command(frontend, payload)
    rec = await callback_for(fake, payload)
    embed = rec.body["data"]["embeds"][0]
    assert rec.body["data"]["flags"] & 64 and embed["title"] == "Why no alert?"
    assert "decision" in embed["description"] and "Verdict: In dispute \\#" in embed["description"]
