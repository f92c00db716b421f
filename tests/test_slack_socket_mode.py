"""The Slack frontend in Socket Mode (the default), end to end against the fake's WebSocket.

The listener is built and started as `factbot run` does (`build_frontends` from the config);
the real slack_sdk Socket Mode client fetches its URL with `apps.connections.open` (app-level
token), and the fake pushes envelopes and records the acks.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from bot.adapters import Frontend, build_frontends
from bot.adapters.slack.app import SlackFrontend
from bot.config import Config, SlackConfig
from bot.storage.db import Database
from bot.storage.disputes import load_dispute
from bot.types import DisputeStatus
from tests.discord_fake import store_reference_story
from tests.slack_fake import CHANNEL, FakeSlack, button_click, responses, slash_command

APP_TOKEN = "xapp-1-A0FACTBOT-1-test"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as f:
        yield f


def socket_config(fake: FakeSlack, app_token: str | None = APP_TOKEN) -> Config:
    return Config(
        slack=SlackConfig(
            bot_token="xoxb-test", app_token=app_token, api_url=fake.base_url, channel=CHANNEL
        )  # mode: the default, "socket"; no signing secret needed
    )


@pytest.fixture
async def frontend(fake: FakeSlack, sqlite_db: Database) -> AsyncIterator[Frontend]:
    [fe] = build_frontends(socket_config(fake), sqlite_db)
    await fe.start()
    yield fe
    await fe.stop()


async def test_connects_with_the_app_token(fake: FakeSlack, frontend: Frontend) -> None:
    [opened] = fake.calls("apps.connections.open")
    assert opened.token == APP_TOKEN
    conn = await fake.connection()
    assert not conn.ws.closed


async def test_dispute_command_is_acked_at_once_and_answered(
    fake: FakeSlack, sqlite_db: Database, frontend: Frontend
) -> None:
    dispute_id = await store_reference_story(sqlite_db, [])
    pushed = time.monotonic()
    envelope_id = await fake.push("slash_commands", slash_command(fake, "/dispute", "ice sinaloa"))
    ack = await fake.ack(envelope_id, within=3)
    assert ack.at - pushed < 3  # Slack retries (and shows the user an error) after 3 s
    assert not ack.payload  # an empty ack: the answer goes to the response URL

    [answer] = await responses(fake)
    assert answer.args["response_type"] == "ephemeral"
    first = [b for b in answer.args["blocks"] if "accessory" in b][0]
    assert "https://example.org/ice/sinaloa-labs" in first["text"]["text"]
    assert first["accessory"]["value"] == str(dispute_id)
    assert "https://example.org/ice/sinaloa-labs" in answer.args["text"]
    # Bolt checked the bot token once; nothing was posted in the channel
    assert [c.token for c in fake.calls("auth.test")] == ["xoxb-test"]
    assert fake.calls("chat.postMessage") == []


async def test_not_a_dispute_click_stores_the_verdict(
    fake: FakeSlack, sqlite_db: Database, frontend: Frontend
) -> None:
    dispute_id = await store_reference_story(sqlite_db, [])
    click = button_click(fake, f"factbot:v:not_a_dispute:{dispute_id}", str(dispute_id), user="U0DESK")
    envelope_id = await fake.push("interactive", click)
    assert not (await fake.ack(envelope_id, within=3)).payload

    [answer] = await responses(fake)
    assert answer.args["response_type"] == "ephemeral" and "not a dispute" in answer.args["text"]
    assert answer.args["replace_original"] is False  # the alert itself stays as it was
    async with sqlite_db.connect() as conn:
        assert (await load_dispute(conn, dispute_id)).status is DisputeStatus.DISMISSED


async def test_stop_closes_the_socket(fake: FakeSlack, sqlite_db: Database) -> None:
    [fe] = build_frontends(socket_config(fake), sqlite_db)
    await fe.start()
    conn = await fake.connection()
    await fe.stop()
    await asyncio.wait_for(conn.closed.wait(), 5)
    assert conn.close_code == 1000  # a normal close, sent by the client
    await asyncio.sleep(0.3)  # no reconnection after a deliberate stop
    assert len(fake.sockets) == 1 and len(fake.calls("apps.connections.open")) == 1
    await fe.stop()  # idempotent


async def test_socket_mode_needs_the_app_token(fake: FakeSlack, sqlite_db: Database) -> None:
    [fe] = build_frontends(socket_config(fake, app_token=None), sqlite_db)
    with pytest.raises(ValueError, match="app_token"):
        await fe.start()
    assert fake.log == []


async def test_reconnects_when_slack_asks_for_a_refresh(
    fake: FakeSlack, sqlite_db: Database, frontend: Frontend
) -> None:
    first = await fake.connection()
    await fake.refresh()
    await asyncio.wait_for(first.closed.wait(), 5)  # the client leaves the old socket itself
    second = await fake.connection()
    assert second is not first and len(fake.calls("apps.connections.open")) == 2

    envelope_id = await fake.push("slash_commands", slash_command(fake, "/dispute", "help"))
    await fake.ack(envelope_id)
    [usage] = await responses(fake)
    assert "/dispute" in usage.args["text"]


async def test_a_refused_app_token_fails_the_start(fake: FakeSlack, sqlite_db: Database) -> None:
    # the bot token where the app-level one belongs: Slack says not_allowed_token_type
    [fe] = build_frontends(socket_config(fake, app_token="xoxb-test"), sqlite_db)
    with pytest.raises(ValueError, match="not_allowed_token_type"):
        await asyncio.wait_for(fe.start(), 5)  # the SDK alone would retry forever
    assert fake.sockets == []
    await fe.stop()


async def test_slack_unreachable_at_start_does_not_block(sqlite_db: Database) -> None:
    async with FakeSlack() as gone:
        pass  # its port is closed now
    [fe] = build_frontends(socket_config(gone), sqlite_db)
    await asyncio.wait_for(fe.start(), 10)  # returns; the SDK keeps trying in the background
    await asyncio.wait_for(fe.stop(), 5)


async def test_a_failed_connection_asks_for_a_fresh_url(fake: FakeSlack, sqlite_db: Database) -> None:
    fake.refuse_sockets = 1  # the first URL Slack issued does not take the connection
    [fe] = build_frontends(socket_config(fake), sqlite_db)
    assert isinstance(fe, SlackFrontend)
    fe.socket_ping_s = 0.3  # the SDK waits one ping interval between attempts
    await fe.start()
    try:
        conn = await fake.connection(within=10)
        assert not conn.ws.closed
        # Each attempt used a URL of its own: the failed one was not tried again.
        assert fake.socket_attempts == ["1", "2"]
        assert len(fake.calls("apps.connections.open")) == 2
    finally:
        await fe.stop()


async def test_stop_lets_a_running_handler_finish(fake: FakeSlack, sqlite_db: Database) -> None:
    fake.delays["users.info"] = 1.0  # the admin check of /factbot takes a while
    [fe] = build_frontends(socket_config(fake), sqlite_db)
    await fe.start()
    envelope_id = await fake.push(
        "slash_commands", slash_command(fake, "/factbot", "status", user="U0SOMEONE")
    )
    await fake.ack(envelope_id)
    await asyncio.sleep(0.2)  # acked; the handler now waits for users.info
    assert isinstance(fe, SlackFrontend) and len(fe.inflight) == 1
    await fe.stop()
    # The answer went out before stop() returned.
    assert [c.method for c in fake.log if c.method == "response"] == ["response"]
    assert "only factbot admins" in fake.calls("response")[0].args["text"]
