"""The Discord sender, through discord.py's real HTTP client, against the local fake REST API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import discord
import pytest

from bot.adapters.discord.sender import DiscordSender, nonce_for, parent_key
from bot.alerts.dispatcher import Dispatcher
from bot.alerts.sender import DeliveryError, FailureKind, MessageRef
from bot.alerts.view import build_view
from bot.config import DiscordConfig
from bot.storage import outbox
from bot.storage.db import Database
from bot.storage.disputes import load_dispute
from tests.discord_fake import (
    FORUM,
    OWNER_ID,
    FakeDiscord,
    add_embassy_denial,
    reference_dispute,
    store_reference_story,
)
from tests.stored_items import store_item

CHANNEL = 1100000000000000001
FORUM_CHANNEL = 1100000000000000002


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as f:
        # The sender sets Route.BASE from discord.api_url; monkeypatch puts the real one back afterwards.
        monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
        f.add_channel(CHANNEL)
        f.add_channel(FORUM_CHANNEL, type=FORUM, name="disputes")
        yield f


def make_sender(fake: FakeDiscord) -> DiscordSender:
    return DiscordSender(DiscordConfig(token="test-token", channel_id=CHANNEL, api_url=fake.base_url))


@pytest.fixture
async def sender(fake: FakeDiscord) -> AsyncIterator[DiscordSender]:
    s = make_sender(fake)
    yield s
    await s.close()


def key(dispute_id: int, event: str, evidence: int | str = "", dest: int = CHANNEL) -> str:
    return f"discord:{dest}|{dispute_id}|{event}|{evidence}"


async def test_new_dispute_posts_embed_then_opens_thread(fake: FakeDiscord, sender: DiscordSender) -> None:
    view = build_view(reference_dispute())
    ref = await sender.post_parent(str(CHANNEL), view, key(7, "new_dispute"))

    posts = fake.calls("POST", f"/channels/{CHANNEL}/messages")
    assert len(posts) == 1
    body = posts[0].body
    assert body["allowed_mentions"] == {"parse": []}
    assert body["nonce"] == nonce_for(key(7, "new_dispute")) and body["enforce_nonce"] is True
    embed = body["embeds"][0]
    assert embed["title"] == "Disputed: ICE's claim that its vetted unit led raids on three Sinaloa drug labs"
    assert embed["url"] == "https://example.org/ice/sinaloa-labs"
    text = str(embed)
    assert (
        "https://example.org/mx/presidency-briefing" in text and "2025-05-15" in text and "2025-05-14" in text
    )
    custom_ids = [c["custom_id"] for row in body["components"] for c in row["components"]]
    assert custom_ids == ["factbot:v:not_a_dispute:7", "factbot:v:confirmed:7", "factbot:v:muted:7"]

    threads = fake.calls("POST", rf"/channels/{CHANNEL}/messages/\d+/threads")
    assert len(threads) == 1 and threads[0].body["name"].startswith("Disputed: ICE")
    # A thread started from a message has the message's id.
    assert ref == MessageRef(
        message_id=fake.posted(CHANNEL)[0]["id"], thread_id=fake.posted(CHANNEL)[0]["id"]
    )


async def test_second_denial_goes_into_thread_and_parent_is_edited(
    fake: FakeDiscord, sender: DiscordSender
) -> None:
    first = reference_dispute()
    parent = await sender.post_parent(str(CHANNEL), build_view(first), key(7, "new_dispute"))
    both = reference_dispute(with_embassy=True)
    embassy = both.evidence[-1]
    view = build_view(both, update=embassy)

    reply = await sender.post_reply(str(CHANNEL), parent, view, key(7, "new_evidence", embassy.item_id))
    await sender.update_parent(str(CHANNEL), parent, view)

    assert parent.thread_id is not None
    in_thread = fake.posted(int(parent.thread_id))
    assert [m["id"] for m in in_thread] == [reply.message_id]
    reply_embed = in_thread[0]["embeds"][0]
    assert "U.S. Embassy in Mexico" in reply_embed["title"]
    assert "https://example.org/embassy/statement" in str(reply_embed)
    assert fake.calls("POST", f"/channels/{parent.thread_id}/messages")[0].body["allowed_mentions"] == {
        "parse": []
    }

    edits = fake.calls("PATCH", f"/channels/{CHANNEL}/messages/{parent.message_id}")
    assert len(edits) == 1 and edits[0].body["allowed_mentions"] == {"parse": []}
    edited = fake.posted(CHANNEL)[0]["embeds"][0]
    assert "2 denials" in edited["description"]
    # The parent keeps the reference find_sent looks for.
    assert nonce_for(parent_key(str(CHANNEL), 7)) in edited["footer"]["text"]
    assert len(fake.posted(CHANNEL)) == 1  # nothing new in the channel itself


async def test_resend_with_same_key_returns_the_same_message(
    fake: FakeDiscord, sender: DiscordSender
) -> None:
    view = build_view(reference_dispute())
    a = await sender.post_parent(str(CHANNEL), view, key(7, "new_dispute"))
    b = await sender.post_parent(str(CHANNEL), view, key(7, "new_dispute"))
    assert a == b
    assert len(fake.posted(CHANNEL)) == 1


async def test_restart_finds_parent_and_reply_from_history(fake: FakeDiscord, sender: DiscordSender) -> None:
    both = reference_dispute(with_embassy=True)
    parent = await sender.post_parent(str(CHANNEL), build_view(reference_dispute()), key(7, "new_dispute"))
    reply = await sender.post_reply(
        str(CHANNEL), parent, build_view(both, update=both.evidence[-1]), key(7, "new_evidence", 103)
    )

    fresh = make_sender(fake)  # a new process: nothing in memory
    try:
        assert await fresh.find_sent(str(CHANNEL), key(7, "new_dispute")) == parent
        assert await fresh.find_sent(str(CHANNEL), key(7, "new_evidence", 103)) == reply
        assert await fresh.find_sent(str(CHANNEL), key(7, "new_evidence", 999)) is None
        assert await fresh.find_sent(str(CHANNEL), key(8, "new_dispute")) is None
    finally:
        await fresh.close()


@pytest.mark.parametrize("status", [403, 404])
async def test_forbidden_or_missing_destination_pauses(
    fake: FakeDiscord, sender: DiscordSender, status: int
) -> None:
    fake.fail("POST", f"/channels/{CHANNEL}/messages", status)
    with pytest.raises(DeliveryError) as info:
        await sender.post_parent(str(CHANNEL), build_view(reference_dispute()), key(7, "new_dispute"))
    assert info.value.kind is FailureKind.PAUSE
    assert len(fake.calls("POST", f"/channels/{CHANNEL}/messages")) == 1  # no retry loop against Discord


async def test_unknown_channel_pauses_before_sending(fake: FakeDiscord, sender: DiscordSender) -> None:
    with pytest.raises(DeliveryError) as info:
        await sender.post_parent(
            "1100000000000000999", build_view(reference_dispute()), key(7, "new_dispute")
        )
    assert info.value.kind is FailureKind.PAUSE
    assert fake.calls("POST", r"/channels/\d+/messages") == []


async def test_long_429_comes_back_to_the_dispatcher(fake: FakeDiscord, sender: DiscordSender) -> None:
    fake.fail("POST", f"/channels/{CHANNEL}/messages", 429, retry_after=45.0)
    with pytest.raises(DeliveryError) as info:
        await sender.post_parent(str(CHANNEL), build_view(reference_dispute()), key(7, "new_dispute"))
    assert info.value.kind is FailureKind.RETRY and info.value.retry_after == 45.0
    assert len(fake.calls("POST", f"/channels/{CHANNEL}/messages")) == 1


async def test_short_429_is_absorbed_and_sent_once(fake: FakeDiscord, sender: DiscordSender) -> None:
    fake.fail("POST", f"/channels/{CHANNEL}/messages", 429, retry_after=0.05)
    await sender.post_parent(str(CHANNEL), build_view(reference_dispute()), key(7, "new_dispute"))
    assert [r.status for r in fake.calls("POST", f"/channels/{CHANNEL}/messages")] == [429, 200]
    assert len(fake.posted(CHANNEL)) == 1


async def test_cloudflare_429_without_via_is_a_retry(fake: FakeDiscord, sender: DiscordSender) -> None:
    fake.fail("POST", f"/channels/{CHANNEL}/messages", 429, retry_after=0.05, via=False)
    with pytest.raises(DeliveryError) as info:
        await sender.post_parent(str(CHANNEL), build_view(reference_dispute()), key(7, "new_dispute"))
    assert info.value.kind is FailureKind.RETRY and info.value.retry_after == 0.05


async def test_server_error_is_a_retry(fake: FakeDiscord, sender: DiscordSender) -> None:
    fake.fail("POST", f"/channels/{CHANNEL}/messages", 503)
    with pytest.raises(DeliveryError) as info:
        await sender.post_parent(str(CHANNEL), build_view(reference_dispute()), key(7, "new_dispute"))
    assert info.value.kind is FailureKind.RETRY


async def test_bad_payload_is_not_retried(fake: FakeDiscord, sender: DiscordSender) -> None:
    fake.fail(
        "POST", f"/channels/{CHANNEL}/messages", 400, body={"code": 50035, "message": "Invalid Form Body"}
    )
    with pytest.raises(DeliveryError) as info:
        await sender.post_parent(str(CHANNEL), build_view(reference_dispute()), key(7, "new_dispute"))
    assert info.value.kind is FailureKind.BAD_PAYLOAD


async def test_bad_token_pauses(fake: FakeDiscord) -> None:
    fake.fail("GET", "/users/@me", 401)
    s = make_sender(fake)
    with pytest.raises(DeliveryError) as info:
        await s.post_parent(str(CHANNEL), build_view(reference_dispute()), key(7, "new_dispute"))
    assert info.value.kind is FailureKind.PAUSE
    await s.close()


async def test_mentions_in_feed_text_are_inert(fake: FakeDiscord, sender: DiscordSender) -> None:
    hostile = (
        "@everyone @here <@123456789012345678> <@&223456789012345678> **bold** [x](https://evil.example)"
    )
    view = build_view(reference_dispute(quote_override=hostile))
    await sender.post_parent(str(CHANNEL), view, key(7, "new_dispute"))
    body = fake.calls("POST", f"/channels/{CHANNEL}/messages")[0].body
    assert body["allowed_mentions"] == {"parse": []}
    text = str(body["embeds"])
    for raw in ("@everyone", "@here", "<@123456789012345678>", "<@&223456789012345678>", "**bold**"):
        assert raw not in text


async def test_no_thread_permission_degrades_to_channel_replies(
    fake: FakeDiscord, sender: DiscordSender
) -> None:
    fake.fail("POST", rf"/channels/{CHANNEL}/messages/\d+/threads", 403, times=2)
    parent = await sender.post_parent(str(CHANNEL), build_view(reference_dispute()), key(7, "new_dispute"))
    assert parent.thread_id is None
    both = reference_dispute(with_embassy=True)
    reply = await sender.post_reply(
        str(CHANNEL), parent, build_view(both, update=both.evidence[-1]), key(7, "new_evidence", 103)
    )
    assert reply.thread_id is None
    sent = fake.calls("POST", f"/channels/{CHANNEL}/messages")[-1].body
    assert sent["message_reference"]["message_id"] == int(parent.message_id)


async def test_forum_destination_gets_a_post(fake: FakeDiscord, sender: DiscordSender) -> None:
    parent = await sender.post_parent(
        str(FORUM_CHANNEL), build_view(reference_dispute()), key(7, "new_dispute", dest=FORUM_CHANNEL)
    )
    created = fake.calls("POST", f"/channels/{FORUM_CHANNEL}/threads")
    assert len(created) == 1
    assert created[0].body["message"]["allowed_mentions"] == {"parse": []}
    assert created[0].body["name"].startswith("Disputed: ICE")
    assert parent.thread_id == parent.message_id

    both = reference_dispute(with_embassy=True)
    view = build_view(both, update=both.evidence[-1])
    reply = await sender.post_reply(
        str(FORUM_CHANNEL), parent, view, key(7, "new_evidence", 103, dest=FORUM_CHANNEL)
    )
    await sender.update_parent(str(FORUM_CHANNEL), parent, view)
    assert fake.calls("PATCH", f"/channels/{parent.thread_id}/messages/{parent.message_id}")
    assert "2 denials" in fake.posted(int(parent.thread_id))[0]["embeds"][0]["description"]

    fresh = make_sender(fake)
    try:
        assert await fresh.find_sent(str(FORUM_CHANNEL), key(7, "new_dispute", dest=FORUM_CHANNEL)) == parent
        assert (
            await fresh.find_sent(str(FORUM_CHANNEL), key(7, "new_evidence", 103, dest=FORUM_CHANNEL))
            == reply
        )
    finally:
        await fresh.close()


async def test_admin_notice_goes_to_the_owner_by_dm(fake: FakeDiscord, sender: DiscordSender) -> None:
    await sender.notify_admin("paused discord:1 (403 Missing Permissions) @everyone")
    dm = fake.calls("POST", "/users/@me/channels")
    assert dm and dm[0].body["recipient_id"] == OWNER_ID
    notice = fake.calls("POST", r"/channels/\d+/messages")[-1].body
    assert "paused discord:1" in notice["content"] and "@everyone" not in notice["content"]
    assert notice["allowed_mentions"] == {"parse": []}


async def test_lost_response_then_retry_does_not_duplicate(fake: FakeDiscord, sender: DiscordSender) -> None:
    # Discord creates the message but the 500 hides it; discord.py retries with the same nonce.
    fake.fail("POST", f"/channels/{CHANNEL}/messages", 500, after=True)
    ref = await sender.post_parent(str(CHANNEL), build_view(reference_dispute()), key(7, "new_dispute"))
    assert [r.status for r in fake.calls("POST", f"/channels/{CHANNEL}/messages")] == [500, 200]
    assert [m["id"] for m in fake.posted(CHANNEL)] == [ref.message_id]


async def test_lost_response_seen_by_dispatcher_is_found_later(
    fake: FakeDiscord, sender: DiscordSender
) -> None:
    # The response is lost for good (a 503 is not retried by discord.py): the caller sees RETRY,
    # and the lookup the dispatcher does before resending finds the message.
    fake.fail("POST", f"/channels/{CHANNEL}/messages", 503, after=True)
    with pytest.raises(DeliveryError) as info:
        await sender.post_parent(str(CHANNEL), build_view(reference_dispute()), key(7, "new_dispute"))
    assert info.value.kind is FailureKind.RETRY
    found = await sender.find_sent(str(CHANNEL), key(7, "new_dispute"))
    assert found is not None and found.message_id == fake.posted(CHANNEL)[0]["id"]


# ------------------------------------------------------------------ through the real dispatcher

DEST = f"discord:{CHANNEL}"


def dispatcher(db: Database, sender: DiscordSender) -> Dispatcher:
    return Dispatcher(db, {"discord": sender}, min_interval={"discord": 0.0}, backoff_base_s=1.0)


async def test_dispatcher_posts_parent_then_threaded_follow_up(
    fake: FakeDiscord, sender: DiscordSender, db: Database
) -> None:
    """The whole Discord path on SQLite and on PostgreSQL."""
    dispute_id = await store_reference_story(db, [DEST])
    report = await dispatcher(db, sender).dispatch_pending()
    assert report.sent == 1
    [parent] = fake.posted(CHANNEL)
    assert (
        parent["embeds"][0]["title"]
        == "Disputed: ICE's claim that its vetted unit led raids on three Sinaloa drug labs"
    )
    assert "thread" in parent  # a thread was opened on it

    await add_embassy_denial(db, dispute_id, [DEST])
    report = await dispatcher(db, sender).dispatch_pending()
    assert report.sent == 1
    assert len(fake.posted(CHANNEL)) == 1  # the follow-up is not in the channel...
    [reply] = fake.posted(int(parent["id"]))  # ...but in the thread
    assert "U.S. Embassy in Mexico" in reply["embeds"][0]["title"]
    assert fake.calls("PATCH", f"/channels/{CHANNEL}/messages/{parent['id']}")
    assert fake.posted(CHANNEL)[0]["embeds"][0]["description"].startswith("2 denials")


async def test_restart_after_send_before_record_posts_nothing_twice(
    fake: FakeDiscord, sender: DiscordSender, sqlite_db: Database
) -> None:
    await store_reference_story(sqlite_db, [DEST])
    now = datetime.now(UTC)
    # A dispatcher claims the row, marks it sending, posts... and dies before recording.
    async with sqlite_db.begin() as conn:
        [row] = await outbox.claim(conn, owner="dead", now=now, lease_s=60)
        assert await outbox.mark_sending(conn, row.id, owner="dead", now=now, lease_s=60)
    async with sqlite_db.connect() as conn:
        dispute = await load_dispute(conn, row.dispute_id)
    await sender.post_parent(str(CHANNEL), build_view(dispute), row.idempotency_key)
    assert len(fake.posted(CHANNEL)) == 1

    fresh = make_sender(fake)  # the restarted process
    try:
        report = await dispatcher(sqlite_db, fresh).dispatch_pending(now=now + timedelta(seconds=61))
        assert report.recovered == 1 and report.sent == 0
        again = await dispatcher(sqlite_db, fresh).dispatch_pending(now=now + timedelta(seconds=120))
        assert again.claimed == 0
    finally:
        await fresh.close()
    assert len(fake.posted(CHANNEL)) == 1
    async with sqlite_db.connect() as conn:
        thread = await outbox.get_thread(conn, row.dispute_id, DEST)
    assert thread is not None and thread.parent_ref == fake.posted(CHANNEL)[0]["id"]


async def test_forbidden_channel_is_paused_and_admin_told_once(
    fake: FakeDiscord, sender: DiscordSender, sqlite_db: Database
) -> None:
    dispute_id = await store_reference_story(sqlite_db, [DEST])
    fake.fail("POST", f"/channels/{CHANNEL}/messages", 403, times=10)
    report = await dispatcher(sqlite_db, sender).dispatch_pending()
    assert report.paused == (DEST,)
    async with sqlite_db.connect() as conn:
        state = await outbox.destination_state(conn, DEST)
    assert state.paused and state.admin_notified

    dms = fake.calls("POST", "/users/@me/channels")
    assert len(dms) == 1 and dms[0].body["recipient_id"] == OWNER_ID
    notice_channel = fake.posted(max(fake.channels))  # the DM channel opened last
    assert DEST in notice_channel[0]["content"]

    # Later passes and new events do not hit the refused channel again.
    await add_embassy_denial(sqlite_db, dispute_id, [DEST])
    await dispatcher(sqlite_db, sender).dispatch_pending(now=datetime.now(UTC) + timedelta(hours=1))
    assert len(fake.calls("POST", f"/channels/{CHANNEL}/messages")) == 1
    assert len(fake.calls("POST", "/users/@me/channels")) == 1


async def test_rate_limited_send_is_retried_later_and_delivered_once(
    fake: FakeDiscord, sender: DiscordSender, sqlite_db: Database
) -> None:
    await store_reference_story(sqlite_db, [DEST])
    fake.fail("POST", f"/channels/{CHANNEL}/messages", 429, retry_after=40.0)
    first = await dispatcher(sqlite_db, sender).dispatch_pending()
    assert first.retried == 1 and fake.posted(CHANNEL) == []
    async with sqlite_db.connect() as conn:
        state = await outbox.destination_state(conn, DEST)
    assert state.next_send_at is not None  # the dispatcher owns the wait, not a sleeping sender

    early = await dispatcher(sqlite_db, sender).dispatch_pending(now=datetime.now(UTC) + timedelta(seconds=5))
    assert early.sent == 0
    later = await dispatcher(sqlite_db, sender).dispatch_pending(
        now=datetime.now(UTC) + timedelta(seconds=41)
    )
    assert later.sent == 1
    assert len(fake.posted(CHANNEL)) == 1


async def test_deleted_thread_falls_back_to_a_channel_reply(fake: FakeDiscord, sender: DiscordSender) -> None:
    parent = await sender.post_parent(str(CHANNEL), build_view(reference_dispute()), key(7, "new_dispute"))
    assert parent.thread_id is not None
    del fake.channels[int(parent.thread_id)]  # a moderator deleted the thread
    both = reference_dispute(with_embassy=True)
    reply = await sender.post_reply(
        str(CHANNEL), parent, build_view(both, update=both.evidence[-1]), key(7, "new_evidence", 103)
    )
    assert reply.thread_id is None
    last = fake.posted(CHANNEL)[-1]
    assert last["id"] == reply.message_id
    assert last["message_reference"]["message_id"] == int(parent.message_id)


async def test_retraction_is_broadcast_to_the_channel_too(fake: FakeDiscord, sender: DiscordSender) -> None:
    parent = await sender.post_parent(str(CHANNEL), build_view(reference_dispute()), key(7, "new_dispute"))
    both = reference_dispute(with_embassy=True)
    view = build_view(both, update=both.evidence[-1])
    await sender.post_reply(str(CHANNEL), parent, view, key(7, "status_change", 103), broadcast=True)
    assert parent.thread_id is not None and len(fake.posted(int(parent.thread_id))) == 1
    channel = fake.posted(CHANNEL)
    assert len(channel) == 2 and channel[1]["message_reference"]["message_id"] == int(parent.message_id)


# ------------------------------------------------------------------ end to end: feeds -> factbot run --once -> Discord

E2E_ICE = (
    "ice-sinaloa-1",
    "Wed, 14 May 2025 16:00:00 GMT",
    "ICE-led operation dismantles three synthetic drug labs in Sinaloa",
    "The vetted unit of Homeland Security Investigations led an operation in Sinaloa, Mexico, that took "
    "down three large synthetic drug laboratories, with Mexican forces in support.",
)
E2E_PRESIDENCY = (
    "pres-sinaloa-1",
    "Thu, 15 May 2025 14:00:00 GMT",
    "Sheinbaum: es falso que ICE encabezara el operativo contra laboratorios en Sinaloa",
    "La presidenta Claudia Sheinbaum dijo que es falso lo publicado por ICE: ningún agente de Estados Unidos "
    "participa en operativos en territorio mexicano; la Fiscalía desmanteló los laboratorios de Sinaloa.",
)
E2E_EMBASSY = (
    "emb-sinaloa-1",
    "Thu, 15 May 2025 22:00:00 GMT",
    "Embassy statement on the Sinaloa drug lab operation",
    "The U.S. Embassy said Mexican authorities led the operation against the Sinaloa drug labs with shared "
    "intelligence, that no U.S. personnel took part, and that ICE's earlier post was inaccurate.",
)


def rss(title: str, items: list[tuple[str, str, str, str]]) -> bytes:
    from xml.sax.saxutils import escape

    body = "".join(
        f"<item><guid>{g}</guid><link>https://example.org/{g}</link><pubDate>{d}</pubDate>"
        f"<title>{escape(t)}</title><description>{escape(x)}</description></item>"
        for g, d, t, x in items
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>{body}</channel></rss>'.encode()


async def test_run_once_delivers_the_reference_story_to_discord(fake: FakeDiscord, tmp_path: Any) -> None:
    from aiohttp import web

    from bot.app import run_once
    from bot.config import parse_config

    served: dict[str, list[tuple[str, str, str, str]]] = {
        "ice": [E2E_ICE],
        "pres": [E2E_PRESIDENCY],
        "emb": [],
    }
    titles = {"ice": "ICE newsroom", "pres": "Presidencia", "emb": "U.S. Embassy in Mexico"}

    async def feed(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        return web.Response(body=rss(titles[name], served[name]), content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/{name}.xml", feed)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    actors = {
        "ice": "U.S. Immigration and Customs Enforcement",
        "pres": "Presidency of Mexico",
        "emb": "U.S. Embassy in Mexico",
    }
    config = parse_config(
        {
            "database": {"url": f"sqlite:///{tmp_path}/factbot.db"},
            "alerts": {"max_age_days": 0},
            "discord": {"token": "test-token", "channel_id": CHANNEL, "api_url": fake.base_url},
            "feeds": [
                {"url": f"{base}/{n}.xml", "name": titles[n], "kind": "official", "actor": actors[n]}
                for n in served
            ],
        }
    )
    try:
        await run_once(config)
        [parent] = fake.posted(CHANNEL)
        title = parent["embeds"][0]["title"]
        assert title.startswith("Disputed: ICE's claim that ") and len(title) <= 90
        assert "https://example.org/ice-sinaloa-1" in str(parent["embeds"]) and "thread" in parent

        served["emb"] = [E2E_EMBASSY]
        await run_once(config)  # a later cron run: the Embassy joins the same thread
        assert len(fake.posted(CHANNEL)) == 1
        [reply] = fake.posted(int(parent["id"]))
        assert "https://example.org/emb-sinaloa-1" in str(reply["embeds"])
        assert fake.posted(CHANNEL)[0]["embeds"][0]["description"].startswith("2 denials")

        await run_once(config)  # nothing new: nothing posted twice
        assert len(fake.posted(CHANNEL)) == 1 and len(fake.posted(int(parent["id"]))) == 1
    finally:
        await runner.cleanup()
    sends = fake.calls("POST", r"/channels/\d+/messages")
    assert sends and all(r.body["allowed_mentions"] == {"parse": []} for r in sends)


async def test_rest_calls_per_alert_stay_within_budget(
    fake: FakeDiscord, sender: DiscordSender, sqlite_db: Database
) -> None:
    """Discord's rate limits are per route: a parent costs a send and a thread, a follow-up a send and an edit."""
    first = await store_reference_story(sqlite_db, [DEST])
    await dispatcher(sqlite_db, sender).dispatch_pending()
    warm = len(fake.requests)  # login (2 calls) and the channel lookup happen once per process

    second = await store_reference_story_again(sqlite_db, first)
    await dispatcher(sqlite_db, sender).dispatch_pending()
    parent_calls = [(r.method, r.path) for r in fake.requests[warm:]]
    assert parent_calls == [
        ("POST", f"/channels/{CHANNEL}/messages"),
        ("POST", f"/channels/{CHANNEL}/messages/{fake.posted(CHANNEL)[-1]['id']}/threads"),
    ]

    mark = len(fake.requests)
    await add_embassy_denial(sqlite_db, second, [DEST])
    await dispatcher(sqlite_db, sender).dispatch_pending()
    follow_up = [r.method for r in fake.requests[mark:]]
    assert follow_up == ["POST", "PATCH"]


async def store_reference_story_again(db: Database, like: int) -> int:
    """A second, separate dispute with the same shape (new items), for counting warm calls."""
    from sqlalchemy import insert, select

    from bot.storage import schema as s
    from bot.storage.disputes import NewDispute, NewEvidence, create_dispute
    from bot.types import EvidenceRole

    now = datetime(2025, 5, 16, tzinfo=UTC)
    async with db.begin() as conn:
        feed_id = (await conn.execute(select(s.feeds.c.id).limit(1))).scalar_one()
        ids = []
        for n, title in ((201, "Second claim"), (202, "Second denial")):
            await conn.execute(
                insert(s.items).values(
                    id=n,
                    feed_id=feed_id,
                    guid=f"again-{n}",
                    link=f"https://example.org/again/{n}",
                    title=title,
                    text=title,
                    published=now,
                    first_seen=now,
                    last_seen=now,
                    content_hash=f"{n:064d}",
                )
            )
            ids.append(n)
        return await create_dispute(
            conn,
            NewDispute(
                speaker_key="us.ice",
                speaker_name="ICE",
                topic="a second story",
                claim_item_id=ids[0],
                claim_statement_id=None,
                confidence=0.9,
                reasons=(),
                terms="second story",
            ),
            [NewEvidence(item_id=ids[1], role=EvidenceRole.DENIAL, actor_name="Someone", said_at=now)],
            destinations=[DEST],
            now=now,
        )


async def test_feed_item_with_mentions_is_posted_inert(
    fake: FakeDiscord, sender: DiscordSender, sqlite_db: Database
) -> None:
    from sqlalchemy import update

    from bot.storage import schema as s

    await store_reference_story(sqlite_db, [DEST])
    async with sqlite_db.begin() as conn:  # a hostile feed wrote these into its items
        await conn.execute(
            update(s.items)
            .where(s.items.c.id == 101)
            .values(
                title="@everyone @here ICE says <@123456789012345678> led raids **now** <@&223456789012345678>"
            )
        )
    await dispatcher(sqlite_db, sender).dispatch_pending()
    [send] = fake.calls("POST", f"/channels/{CHANNEL}/messages")
    assert send.body["allowed_mentions"] == {"parse": []}
    text = str(send.body["embeds"])
    assert "ICE says" in text
    for raw in ("@everyone", "@here", "<@123456789012345678>", "<@&223456789012345678>", "**now**"):
        assert raw not in text


async def _store_items(db: Database, rows: list[tuple[str, str, str, str, str, str]]) -> list[int]:
    async with db.begin() as conn:
        return [
            await store_item(
                conn,
                feed=name,
                guid=guid,
                when=parsedate_to_datetime(date),
                title=title,
                text=text,
                kind="official",
                actor=actor,
            )
            for name, actor, guid, date, title, text in rows
        ]


async def test_detector_to_discord_reference_story(
    fake: FakeDiscord, sender: DiscordSender, db: Database
) -> None:
    """Stored items -> the real detector -> the outbox -> the dispatcher -> Discord (SQLite and PostgreSQL)."""
    from bot.config import AlertsConfig, Config
    from bot.detect.detector import Detector

    detector = Detector(db, Config(alerts=AlertsConfig(max_age_days=0)), [DEST], stance=False)
    ice = ("ICE newsroom", "U.S. Immigration and Customs Enforcement")
    pres = ("Presidencia", "Presidency of Mexico")
    emb = ("U.S. Embassy in Mexico", "U.S. Embassy in Mexico")
    await _store_items(db, [(*ice, *E2E_ICE), (*pres, *E2E_PRESIDENCY)])
    await detector.process_pending()
    await dispatcher(db, sender).dispatch_pending()
    [parent] = fake.posted(CHANNEL)
    assert parent["embeds"][0]["title"].startswith("Disputed: ")
    assert "https://example.org/ice-sinaloa-1" in str(parent["embeds"])
    assert "https://example.org/pres-sinaloa-1" in str(parent["embeds"])

    await _store_items(db, [(*emb, *E2E_EMBASSY)])
    await detector.process_pending()
    await dispatcher(db, sender).dispatch_pending()
    [reply] = fake.posted(int(parent["id"]))
    assert "https://example.org/emb-sinaloa-1" in str(reply["embeds"])
    assert fake.posted(CHANNEL)[0]["embeds"][0]["description"].startswith("2 denials")

    fresh = make_sender(fake)  # a restart: nothing is posted again
    try:
        report = await dispatcher(db, fresh).dispatch_pending()
    finally:
        await fresh.close()
    assert report.claimed == 0
    assert len(fake.posted(CHANNEL)) == 1 and len(fake.posted(int(parent["id"]))) == 1
