"""The Slack sender, through the real AsyncWebClient, against the local fake Web API."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.slack import build_sender
from bot.adapters.slack.sender import SlackSender
from bot.alerts.dispatcher import Dispatcher
from bot.alerts.sender import AlertSender, DeliveryError, FailureKind, MessageRef
from bot.alerts.view import build_view
from bot.config import SlackConfig
from bot.storage import outbox
from bot.storage.db import Database
from bot.storage.disputes import load_dispute
from tests.discord_fake import add_embassy_denial, reference_dispute, store_reference_story
from tests.slack_fake import FakeSlack

CHANNEL = "C0ALERTS"
DEST = f"slack:{CHANNEL}"
CLAIM_LINK = "https://example.org/ice/sinaloa-labs"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as f:
        yield f


def make_sender(fake: FakeSlack, **kw: object) -> SlackSender:
    return build_sender(SlackConfig(bot_token="xoxb-test", channel=CHANNEL, api_url=fake.base_url, **kw))  # type: ignore[arg-type]


def key(dispute_id: int, event: str, evidence: int | str = "") -> str:
    return f"{DEST}|{dispute_id}|{event}|{evidence}"


def dispatcher(db: Database, sender: SlackSender) -> Dispatcher:
    return Dispatcher(db, {"slack": sender}, min_interval={"slack": 0.0}, backoff_base_s=1.0)


def parents(fake: FakeSlack) -> list[dict]:
    return [c.args for c in fake.calls("chat.postMessage") if not c.args.get("thread_ts")]


async def test_sender_fits_the_protocol(fake: FakeSlack) -> None:
    assert isinstance(make_sender(fake), AlertSender)


async def test_parent_carries_blocks_links_and_key_metadata(fake: FakeSlack) -> None:
    sender = make_sender(fake)
    ref = await sender.post_parent(CHANNEL, build_view(reference_dispute()), key(7, "new_dispute"))
    [call] = fake.calls("chat.postMessage")
    assert ref == MessageRef(message_id=call.ts or "", thread_id=call.ts)
    args = call.args
    assert (
        args["blocks"][0]["text"]["text"]
        == "Disputed: ICE's claim that its vetted unit led raids on three Sinaloa drug labs"
    )
    assert args["metadata"] == {
        "event_type": "factbot_alert",
        "event_payload": {"key": key(7, "new_dispute"), "dispute_id": 7},
    }
    assert CLAIM_LINK in args["text"] and CLAIM_LINK in json.dumps(args["blocks"])
    assert "https://example.org/mx/presidency-briefing" in args["text"]
    action_ids = [e["action_id"] for b in args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert action_ids == ["factbot:v:not_a_dispute:7", "factbot:v:confirmed:7", "factbot:v:muted:7"]


async def test_find_sent_finds_parent_and_threaded_reply(fake: FakeSlack) -> None:
    sender = make_sender(fake)
    view = build_view(reference_dispute(with_embassy=True))
    parent = await sender.post_parent(CHANNEL, view, key(7, "new_dispute"))
    reply = await sender.post_reply(CHANNEL, parent, view, key(7, "new_evidence", 103))
    assert await sender.find_sent(CHANNEL, key(7, "new_dispute")) == parent
    assert await sender.find_sent(CHANNEL, key(7, "new_evidence", 103)) == reply
    assert await sender.find_sent(CHANNEL, key(7, "new_evidence", 999)) is None
    assert await sender.find_sent(CHANNEL, key(8, "new_dispute")) is None


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        ({"error": "channel_not_found"}, FailureKind.PAUSE),
        ({"error": "not_in_channel"}, FailureKind.PAUSE),
        ({"error": "is_archived"}, FailureKind.PAUSE),
        ({"error": "invalid_auth"}, FailureKind.PAUSE),
        ({"error": "token_revoked"}, FailureKind.PAUSE),
        ({"error": "invalid_blocks"}, FailureKind.BAD_PAYLOAD),
        ({"error": "msg_too_long"}, FailureKind.BAD_PAYLOAD),
        ({"status": 503}, FailureKind.RETRY),
        ({"status": 429, "retry_after": 7}, FailureKind.RETRY),
    ],
)
async def test_errors_map_to_failure_kinds(fake: FakeSlack, fault: dict, kind: FailureKind) -> None:
    fake.fail("chat.postMessage", **fault)
    with pytest.raises(DeliveryError) as info:
        await make_sender(fake).post_parent(CHANNEL, build_view(reference_dispute()), key(7, "new_dispute"))
    assert info.value.kind is kind
    assert info.value.retry_after == fault.get("retry_after")
    assert len(fake.calls("chat.postMessage")) == 1  # the SDK did not retry on its own


async def test_network_error_is_retry() -> None:
    sender = build_sender(SlackConfig(bot_token="x", channel=CHANNEL, api_url="http://127.0.0.1:9/api/"))
    with pytest.raises(DeliveryError) as info:
        await sender.post_parent(CHANNEL, build_view(reference_dispute()), key(7, "new_dispute"))
    assert info.value.kind is FailureKind.RETRY


# ------------------------------------------------------------------ through the real dispatcher


async def test_new_dispute_then_second_denial_threads_and_updates(fake: FakeSlack, db: Database) -> None:
    sender = make_sender(fake)
    dispute_id = await store_reference_story(db, [DEST])
    assert (await dispatcher(db, sender).dispatch_pending()).sent == 1
    [parent] = fake.calls("chat.postMessage")
    assert CLAIM_LINK in json.dumps(parent.args)

    await add_embassy_denial(db, dispute_id, [DEST])
    assert (await dispatcher(db, sender).dispatch_pending()).sent == 1
    [_, reply] = fake.calls("chat.postMessage")
    assert reply.args["thread_ts"] == parent.ts
    assert "https://example.org/embassy/statement" in json.dumps(reply.args)
    updates = fake.calls("chat.update")
    assert updates and updates[-1].args["ts"] == parent.ts
    assert "2 denials" in updates[-1].args["text"]


async def test_restart_between_send_and_record_posts_once(fake: FakeSlack, sqlite_db: Database) -> None:
    await store_reference_story(sqlite_db, [DEST])
    now = datetime.now(UTC)
    async with sqlite_db.begin() as conn:
        [row] = await outbox.claim(conn, owner="dead", now=now, lease_s=60)
        assert await outbox.mark_sending(conn, row.id, owner="dead", now=now, lease_s=60)
    async with sqlite_db.connect() as conn:
        dispute = await load_dispute(conn, row.dispute_id)
    await make_sender(fake).post_parent(CHANNEL, build_view(dispute), row.idempotency_key)

    fresh = make_sender(fake)  # the restarted process
    report = await dispatcher(sqlite_db, fresh).dispatch_pending(now=now + timedelta(seconds=61))
    assert report.recovered == 1 and report.sent == 0
    assert len(fake.calls("chat.postMessage")) == 1
    async with sqlite_db.connect() as conn:
        thread = await outbox.get_thread(conn, row.dispute_id, DEST)
    assert thread is not None and thread.parent_ref == fake.calls("chat.postMessage")[0].ts


async def test_429_with_retry_after_is_retried_and_delivered_once(
    fake: FakeSlack, sqlite_db: Database
) -> None:
    await store_reference_story(sqlite_db, [DEST])
    fake.fail("chat.postMessage", status=429, retry_after=1)
    sender = make_sender(fake)
    now = datetime.now(UTC)
    first = await dispatcher(sqlite_db, sender).dispatch_pending(now=now)
    assert first.sent == 0
    later = await dispatcher(sqlite_db, sender).dispatch_pending(now=now + timedelta(seconds=5))
    assert later.sent == 1
    delivered = [c for c in fake.calls("chat.postMessage") if c.ts]
    assert len(delivered) == 1 and len(fake.channels[CHANNEL]) == 1


async def test_archived_channel_is_paused_and_reported(fake: FakeSlack, sqlite_db: Database) -> None:
    await store_reference_story(sqlite_db, [DEST])
    fake.fail("chat.postMessage", error="is_archived")
    sender = make_sender(fake, admins=("U0ADMIN",))
    report = await dispatcher(sqlite_db, sender).dispatch_pending()
    assert report.paused == (DEST,)
    async with sqlite_db.connect() as conn:
        state = await outbox.destination_state(conn, DEST)
    assert state.paused
    notices = [c.args for c in fake.calls("chat.postMessage") if c.args.get("channel") == "U0ADMIN"]
    assert len(notices) == 1 and DEST in notices[0]["text"]


async def test_feed_text_with_mentions_is_posted_inert(fake: FakeSlack) -> None:
    d = reference_dispute(quote_override="<!channel> @here look <@U123> <#C999|x> & more")
    await make_sender(fake).post_parent(CHANNEL, build_view(d), key(7, "new_dispute"))
    dumped = json.dumps(fake.calls("chat.postMessage")[0].args)
    for bad in ("<!channel>", "<@U123>", "<#C999", "@here"):
        assert bad not in dumped
    assert "&lt;!channel&gt;" in dumped and "&amp; more" in dumped


async def test_retraction_reply_is_broadcast(fake: FakeSlack) -> None:
    sender = make_sender(fake)
    view = build_view(reference_dispute())
    parent = await sender.post_parent(CHANNEL, view, key(7, "new_dispute"))
    await sender.post_reply(CHANNEL, parent, view, key(7, "retraction", 200), broadcast=True)
    reply = fake.calls("chat.postMessage")[-1].args
    assert reply["thread_ts"] == parent.message_id and reply["reply_broadcast"] is True
