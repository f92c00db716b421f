"""The Slack frontend in HTTP mode: signed slash commands and button clicks through Bolt."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import urlencode

import aiohttp
import pytest

from bot.adapters.slack import build_frontend
from bot.adapters.slack.app import SlackFrontend
from bot.commands import status
from bot.config import Config, SlackConfig
from bot.storage import outbox
from bot.storage.db import Database
from bot.storage.disputes import load_dispute
from bot.types import DisputeStatus
from tests.discord_fake import store_reference_story
from tests.slack_fake import CHANNEL, FakeSlack, button_click, responses, slash_command
from tests.test_outbox import T0

SECRET = "test-signing-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as f:
        f.users["U0BOSS"] = {"id": "U0BOSS", "is_admin": True}
        f.users["U0REPORTER"] = {"id": "U0REPORTER", "is_admin": False}
        yield f


@pytest.fixture
async def frontend(fake: FakeSlack, sqlite_db: Database) -> AsyncIterator[SlackFrontend]:
    config = Config(
        slack=SlackConfig(
            bot_token="xoxb-test",
            signing_secret=SECRET,
            api_url=fake.base_url,
            channel=CHANNEL,
            mode="http",
            host="127.0.0.1",
            port=free_port(),
            admins=("U0EDITOR",),
        )
    )
    fe = build_frontend(config, sqlite_db)
    await fe.start()
    yield fe
    await fe.stop()


Post = Callable[..., Awaitable[tuple[int, str]]]

FORGED_HEADERS = [
    {"X-Slack-Request-Timestamp": "not-a-number"},  # the SDK's own check answered this with a 500
    {"X-Slack-Request-Timestamp": "1e9"},
    {"X-Slack-Request-Timestamp": ""},
    {"X-Slack-Request-Timestamp": None},
    {"X-Slack-Signature": None},
    {"X-Slack-Signature": "v1=" + "0" * 64},
    {"X-Slack-Signature": "v0=zz"},
    {"X-Slack-Signature": "v0=" + "0" * 64},
]


@pytest.fixture
def post(frontend: SlackFrontend) -> Post:
    async def send(
        form: dict[str, str],
        *,
        secret: str = SECRET,
        age: int = 0,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        body = urlencode(form).encode()
        ts = str(int(time.time()) - age)
        sig = "v0=" + hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
        sent = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": sig,
        }
        headers = {k: v for k, v in {**sent, **(headers or {})}.items() if v is not None}
        url = f"http://127.0.0.1:{frontend.config.slack.port}/slack/events"
        async with aiohttp.ClientSession() as s, s.post(url, data=body, headers=headers) as r:
            return r.status, await r.text()

    return send


def click(fake: FakeSlack, action_id: str, value: str, user: str = "U0REPORTER") -> dict[str, str]:
    return {"payload": json.dumps(button_click(fake, action_id, value, user))}


async def test_dispute_search_answers_with_the_dispute_first(
    fake: FakeSlack, sqlite_db: Database, post: Post
) -> None:
    dispute_id = await store_reference_story(sqlite_db, [])
    status, _ = await post(slash_command(fake, "/dispute", "ice sinaloa"))
    assert status == 200
    [answer] = await responses(fake)
    assert answer.args["response_type"] == "ephemeral"
    first = [b for b in answer.args["blocks"] if "accessory" in b][0]
    assert "https://example.org/ice/sinaloa-labs" in first["text"]["text"]
    assert first["accessory"]["value"] == str(dispute_id)


async def test_bad_or_stale_signature_is_refused(fake: FakeSlack, post: Post) -> None:
    assert (await post(slash_command(fake, "/dispute", "x"), secret="wrong"))[0] == 401
    assert (await post(slash_command(fake, "/dispute", "x"), age=60 * 10))[0] == 401
    await asyncio.sleep(0.1)
    assert fake.calls("response") == []


@pytest.mark.parametrize("headers", FORGED_HEADERS)
async def test_every_malformed_signature_header_is_a_401(
    fake: FakeSlack, post: Post, headers: dict[str, str | None], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    status, _ = await post(slash_command(fake, "/dispute", "secret words"), headers=headers)
    assert status == 401
    await asyncio.sleep(0.1)
    assert fake.calls("response") == []
    # No request body in the log: not the words, not the response_url that lets anyone answer.
    assert "secret words" not in caplog.text and "secret+words" not in caplog.text
    assert fake.response_url not in caplog.text and "response_url" not in caplog.text


async def test_a_replayed_request_is_refused(fake: FakeSlack, frontend: SlackFrontend) -> None:
    body = urlencode(slash_command(fake, "/dispute", "help")).encode()
    ts = str(int(time.time()))
    sig = "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": sig,
    }
    url = f"http://127.0.0.1:{frontend.config.slack.port}/slack/events"
    async with aiohttp.ClientSession() as s:
        statuses = []
        for _ in range(2):  # the same signed request, sent twice within the 5-minute window
            async with s.post(url, data=body, headers=headers) as r:
                statuses.append(r.status)
    assert statuses == [200, 401]
    await asyncio.sleep(0.2)
    assert len(fake.calls("response")) == 1  # the command ran once


async def test_dispute_help_and_empty_search(fake: FakeSlack, post: Post) -> None:
    await post(slash_command(fake, "/dispute", "help"))
    [usage] = await responses(fake)
    assert "/dispute" in usage.args["text"]
    await post(slash_command(fake, "/dispute", ""))
    _, latest = await responses(fake, 2)
    assert "No disputes found" in latest.args["text"]


async def test_verdict_button_stores_feedback(fake: FakeSlack, sqlite_db: Database, post: Post) -> None:
    dispute_id = await store_reference_story(sqlite_db, [])
    status, _ = await post(click(fake, f"factbot:v:not_a_dispute:{dispute_id}", str(dispute_id)))
    assert status == 200
    [answer] = await responses(fake)
    assert answer.args["response_type"] == "ephemeral" and "not a dispute" in answer.args["text"]
    async with sqlite_db.connect() as conn:
        assert (await load_dispute(conn, dispute_id)).status is DisputeStatus.DISMISSED


async def test_share_button_posts_in_channel(fake: FakeSlack, sqlite_db: Database, post: Post) -> None:
    dispute_id = await store_reference_story(sqlite_db, [])
    await post(click(fake, f"factbot:share:{dispute_id}", str(dispute_id)))
    [shared] = await responses(fake, method="chat.postMessage")
    assert shared.args["channel"] == CHANNEL
    assert "https://example.org/ice/sinaloa-labs" in json.dumps(shared.args)


@pytest.mark.parametrize(("user", "allowed"), [("U0REPORTER", False), ("U0EDITOR", True), ("U0BOSS", True)])
async def test_factbot_admin_only(fake: FakeSlack, post: Post, user: str, allowed: bool) -> None:
    await post(slash_command(fake, "/factbot", "feeds list", user=user))
    [answer] = await responses(fake)
    assert ("only factbot admins" in answer.args["text"]) is not allowed
    if allowed:
        assert "No feeds yet" in answer.args["text"]


async def test_factbot_resume_unpauses_the_alert_channel_for_admins(
    fake: FakeSlack, sqlite_db: Database, post: Post
) -> None:
    # Nothing paused yet: the configured channel is known all the same.
    await post(slash_command(fake, "/factbot", "resume slack:C0ALERTS", user="U0BOSS"))
    [answer] = await responses(fake)
    assert "slack:C0ALERTS is not paused" in answer.args["text"]

    await store_reference_story(sqlite_db, [f"slack:{CHANNEL}"])
    async with sqlite_db.begin() as conn:
        await outbox.pause_destination(conn, f"slack:{CHANNEL}", reason="not_in_channel", now=T0)
    await post(slash_command(fake, "/factbot", "status", user="U0BOSS"))
    text = (await responses(fake, 2))[1].args["text"]
    assert "paused: slack:C0ALERTS (not_in_channel)" in text and "/factbot resume" in text

    await post(slash_command(fake, "/factbot", "resume slack:C0ALERTS"))  # a reporter
    assert "only factbot admins" in (await responses(fake, 3))[2].args["text"]
    assert len((await status(sqlite_db)).paused_destinations) == 1

    # Typed as a channel link, as Slack sends `#fact-alerts`.
    await post(slash_command(fake, "/factbot", "resume <#C0ALERTS|fact-alerts>", user="U0EDITOR"))
    text = (await responses(fake, 4))[3].args["text"]
    assert "Resumed slack:C0ALERTS" in text and "kept alert" in text
    assert (await status(sqlite_db)).paused_destinations == ()

    await post(slash_command(fake, "/factbot", "resume slack:CGONE", user="U0EDITOR"))
    assert "No destination" in (await responses(fake, 5))[4].args["text"]


async def test_factbot_why_answers_a_reporter_in_a_code_block(
    fake: FakeSlack, sqlite_db: Database, post: Post
) -> None:
    await store_reference_story(sqlite_db, [f"slack:{CHANNEL}"])
    link = "https://example.org/mx/presidency-briefing"
    await post(slash_command(fake, "/factbot", f"why <{link}|example.org/mx/presidency-briefing>"))
    [answer] = await responses(fake)
    text = answer.args["text"]
    assert answer.args["response_type"] == "ephemeral"
    assert text.startswith("```Why no alert? " + link) and text.endswith("```")
    assert "✓ decision:" in text and "Verdict: In dispute #" in text


async def test_mute_is_for_admins_and_the_thread_says_who_muted(
    fake: FakeSlack, sqlite_db: Database, frontend: SlackFrontend, post: Post
) -> None:
    from bot.adapters.slack import build_sender
    from bot.alerts.dispatcher import Dispatcher

    dispute_id = await store_reference_story(sqlite_db, [f"slack:{CHANNEL}"])
    dispatcher = Dispatcher(sqlite_db, {"slack": build_sender(frontend.config)})
    await dispatcher.dispatch_ready()
    [parent] = fake.calls("chat.postMessage")

    # [alerts] mute = "admins" (the default): a reporter cannot silence the story for the desk.
    await post(click(fake, f"factbot:v:muted:{dispute_id}", str(dispute_id), user="U0REPORTER"))
    [refused] = await responses(fake)
    assert "only factbot admins can mute" in refused.args["text"]
    async with sqlite_db.connect() as conn:
        assert (await load_dispute(conn, dispute_id)).status is DisputeStatus.DISPUTED

    await post(click(fake, f"factbot:v:muted:{dispute_id}", str(dispute_id), user="U0BOSS"))
    assert "Muted" in (await responses(fake, 2))[1].args["text"]
    await dispatcher.dispatch_ready()
    note = fake.calls("chat.postMessage")[-1]
    assert note.args["thread_ts"] == parent.ts
    blocks = json.dumps(note.args["blocks"])
    assert "Muted by <@U0BOSS>" in blocks and f"factbot:v:unmuted:{dispute_id}" in blocks
    assert fake.calls("chat.update")[-1].args["text"].startswith("Muted:")

    # Only an admin unmutes; the story is as it was, and the thread says so.
    await post(click(fake, f"factbot:v:unmuted:{dispute_id}", str(dispute_id), user="U0REPORTER"))
    assert "only factbot admins can unmute" in (await responses(fake, 3))[2].args["text"]
    await post(click(fake, f"factbot:v:unmuted:{dispute_id}", str(dispute_id), user="U0EDITOR"))
    assert "Unmuted" in (await responses(fake, 4))[3].args["text"]
    async with sqlite_db.connect() as conn:
        assert (await load_dispute(conn, dispute_id)).status is DisputeStatus.DISPUTED
    await dispatcher.dispatch_ready()
    note = fake.calls("chat.postMessage")[-1]
    assert note.args["thread_ts"] == parent.ts and "Unmuted by <@U0EDITOR>" in json.dumps(note.args["blocks"])
    assert fake.calls("chat.update")[-1].args["text"].startswith("Disputed:")


async def test_mute_anyone_lets_a_reporter_mute(fake: FakeSlack, sqlite_db: Database) -> None:
    from bot.commands import record_feedback

    dispute_id = await store_reference_story(sqlite_db, [])
    result = await record_feedback(sqlite_db, dispute_id, "muted", "U0REPORTER", "slack", mute="anyone")
    assert result.dispute.status is DisputeStatus.MUTED
