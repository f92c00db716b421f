"""The dispatcher against a real database and a recording stand-in for a chat platform.

`FakePlatform` plays the platform's side of `AlertSender` (it is a test double for Slack or
Discord, not for our code): it remembers every message by idempotency key, can be told to
fail the next calls, and can "crash" the process right after the platform accepted a message.
"""

from __future__ import annotations

import asyncio
import os
import random
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from bot.alerts.dispatcher import Dispatcher, DispatchReport
from bot.alerts.sender import Capabilities, DeliveryError, FailureKind, MessageRef
from bot.alerts.view import AlertView
from bot.storage import outbox
from bot.storage.db import Database
from bot.storage.disputes import set_verdict
from bot.types import EvidenceRole
from tests.test_outbox import T0, add_denial, make_story, rows


class Crash(BaseException):
    """The process dies: not an Exception, so nothing in the dispatcher may swallow it."""


@dataclass
class Call:
    method: str
    destination: str
    key: str | None
    view: AlertView | None
    parent: str | None = None
    broadcast: bool = False


@dataclass
class FakePlatform:
    prefix: str = "chat"
    capabilities: Capabilities = field(default_factory=Capabilities)
    calls: list[Call] = field(default_factory=list)
    by_key: dict[str, MessageRef] = field(default_factory=dict)
    fail: list[BaseException] = field(default_factory=list)  # raised by the next sends, in order
    crash_after_send: bool = False
    admin: list[str] = field(default_factory=list)
    min_interval: float = 0.0

    def _next_failure(self) -> None:
        if self.fail:
            raise self.fail.pop(0)

    def _accept(self, method: str, destination: str, key: str, view: AlertView, **kw: object) -> MessageRef:
        self._next_failure()
        ref = MessageRef(f"m{len(self.by_key) + 1}", thread_id=f"t{len(self.by_key) + 1}")
        self.by_key[key] = ref
        self.calls.append(Call(method, destination, key, view, **kw))  # type: ignore[arg-type]
        if self.crash_after_send:
            raise Crash
        return ref

    @property
    def posts(self) -> list[Call]:
        return [c for c in self.calls if c.method in ("post_parent", "post_reply")]

    async def post_parent(self, destination: str, view: AlertView, idempotency_key: str) -> MessageRef:
        return self._accept("post_parent", destination, idempotency_key, view)

    async def post_reply(
        self,
        destination: str,
        parent: MessageRef,
        view: AlertView,
        idempotency_key: str,
        *,
        broadcast: bool = False,
    ) -> MessageRef:
        return self._accept(
            "post_reply", destination, idempotency_key, view, parent=parent.message_id, broadcast=broadcast
        )

    async def update_parent(self, destination: str, parent: MessageRef, view: AlertView) -> None:
        self._next_failure()
        self.calls.append(Call("update_parent", destination, None, view, parent=parent.message_id))

    async def find_sent(self, destination: str, idempotency_key: str) -> MessageRef | None:
        return self.by_key.get(idempotency_key)

    async def notify_admin(self, text: str) -> None:
        self.admin.append(text)


DEST = "chat:C1"


async def test_parent_then_threaded_reply_and_parent_refresh(db: Database) -> None:
    platform = FakePlatform()
    d = Dispatcher(db, {"chat": platform})
    dispute_id, _ = await make_story(db, [DEST])
    report = await d.dispatch_pending(now=T0)
    assert (report.sent, report.claimed) == (1, 1)
    [parent] = platform.posts
    assert parent.method == "post_parent" and parent.view is not None
    assert parent.view.denial_count == 1 and parent.view.claim.link == "https://agency.example/raid"

    embassy = await add_denial(db, dispute_id, [DEST])
    report = await d.dispatch_pending(now=T0 + timedelta(hours=3))
    assert report.sent == 1
    reply, refresh = platform.calls[-2:]
    assert (reply.method, reply.parent, reply.broadcast) == ("post_reply", "m1", False)
    assert reply.view is not None and reply.view.update is not None and reply.view.update.item_id == embassy
    # The parent is refreshed with the current counts: two denials now.
    assert refresh.method == "update_parent" and refresh.view is not None and refresh.view.denial_count == 2
    assert [(r.event, r.status, r.message_ref) for r in await rows(db)] == [
        ("new_dispute", "sent", "m1"),
        ("new_evidence", "sent", "m2"),
    ]
    # Nothing is left to send: a third pass posts nothing.
    assert (await d.dispatch_pending(now=T0 + timedelta(hours=4))).claimed == 0
    assert len(platform.posts) == 2


async def test_follow_up_waits_for_its_parent(db: Database) -> None:
    platform = FakePlatform(fail=[DeliveryError(FailureKind.RETRY, "503 from the platform")])
    d = Dispatcher(db, {"chat": platform}, backoff_base_s=1)
    dispute_id, _ = await make_story(db, [DEST])
    await d.dispatch_pending(now=T0)  # the parent fails once
    await add_denial(db, dispute_id, [DEST])
    later = T0 + timedelta(hours=3)
    # Another replica holds the parent's lease: our dispatcher only gets the follow-up, which waits.
    async with db.begin() as conn:
        held = await outbox.claim(conn, owner="other-replica", now=later, limit=1, lease_s=30)
    assert [r.event for r in held] == ["new_dispute"]
    report = await d.dispatch_pending(now=later)
    assert (report.claimed, report.waiting, report.sent) == (1, 1, 0) and platform.posts == []
    # The other replica died; after its lease the parent goes first, then the follow-up.
    report = await d.dispatch_pending(now=later + timedelta(minutes=1))
    assert report.sent == 2
    assert [c.method for c in platform.posts] == ["post_parent", "post_reply"]
    assert platform.posts[1].parent == platform.by_key[held[0].idempotency_key].message_id


async def test_restart_between_send_and_record_posts_once(db: Database) -> None:
    platform = FakePlatform(crash_after_send=True)
    dispute_id, _ = await make_story(db, [DEST])
    with pytest.raises(Crash):
        await Dispatcher(db, {"chat": platform}, lease_s=60).dispatch_pending(now=T0)
    [row] = await rows(db)
    assert row.status == "sending"  # the platform has the message; we never recorded it

    platform.crash_after_send = False
    restarted = Dispatcher(db, {"chat": platform}, lease_s=60)
    # Within the lease the row belongs to the dead process.
    assert (await restarted.dispatch_pending(now=T0 + timedelta(seconds=30))).claimed == 0
    report = await restarted.dispatch_pending(now=T0 + timedelta(seconds=61))
    assert (report.recovered, report.sent) == (1, 0)
    assert len(platform.posts) == 1
    [row] = await rows(db)
    assert (row.status, row.message_ref) == ("sent", "m1")
    # The recovered parent is the thread the next follow-up goes into.
    await add_denial(db, dispute_id, [DEST])
    await restarted.dispatch_pending(now=T0 + timedelta(hours=3))
    assert platform.posts[-1].parent == "m1"


async def test_rate_limit_is_honoured_and_delivered_once(db: Database) -> None:
    platform = FakePlatform(fail=[DeliveryError(FailureKind.RETRY, "ratelimited", retry_after=30)])
    d = Dispatcher(db, {"chat": platform})
    await make_story(db, [DEST])
    report = await d.dispatch_pending(now=T0)
    assert (report.retried, report.sent) == (1, 0)
    async with db.connect() as conn:
        wait_until = (await outbox.destination_state(conn, DEST)).next_send_at
    # 30 s from when the platform answered (the pass's clock runs on from `now`)
    assert wait_until is not None and T0 + timedelta(seconds=30) <= wait_until < T0 + timedelta(seconds=31)
    # Before Retry-After has passed nothing is tried.
    assert (await d.dispatch_pending(now=T0 + timedelta(seconds=20))).claimed == 0
    report = await d.dispatch_pending(now=T0 + timedelta(seconds=31))
    assert report.sent == 1
    assert len(platform.posts) == 1
    [row] = await rows(db)
    assert (row.status, row.attempts) == ("sent", 1)  # the 429 did not use up an attempt


async def test_pause_keeps_rows_and_tells_the_admin_once(db: Database) -> None:
    platform = FakePlatform(fail=[DeliveryError(FailureKind.PAUSE, "channel_not_found")])
    told: list[str] = []

    async def notify(text: str) -> None:
        told.append(text)

    d = Dispatcher(db, {"chat": platform}, notify_admin=notify)
    first, _ = await make_story(db, [DEST])
    await make_story(db, [DEST], speaker="Navy")
    report = await d.dispatch_pending(now=T0)
    assert report.paused == (DEST,) and report.sent == 0
    assert len(told) == 1 and "channel_not_found" in told[0] and DEST in told[0]
    assert [(r.status, r.attempts) for r in await rows(db)] == [("pending", 0), ("pending", 0)]
    # While paused, later passes neither send nor tell the admin again.
    await add_denial(db, first, [DEST])
    for minutes in (1, 10, 60):
        assert (await d.dispatch_pending(now=T0 + timedelta(minutes=minutes))).claimed == 0
    assert len(told) == 1 and platform.posts == []
    # Fixed and resumed: everything kept goes out, parents before their follow-up.
    assert await d.resume(DEST)
    report = await d.dispatch_pending(now=T0 + timedelta(hours=2))
    assert report.sent == 3
    assert [c.method for c in platform.posts] == ["post_parent", "post_parent", "post_reply"]
    assert platform.admin == []  # the dispatcher's notify_admin was used, not the sender's


async def test_bad_payload_is_dead_and_logged_with_the_payload(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    platform = FakePlatform(fail=[DeliveryError(FailureKind.BAD_PAYLOAD, "invalid_blocks")])
    d = Dispatcher(db, {"chat": platform})
    await make_story(db, [DEST])
    report = await d.dispatch_pending(now=T0)
    assert report.dead == 1
    [row] = await rows(db)
    assert row.status == "dead" and "invalid_blocks" in (row.last_error or "")
    assert "https://agency.example/raid" in caplog.text  # the payload is in the log
    assert (await d.dispatch_pending(now=T0 + timedelta(days=1))).claimed == 0


async def _pass_every(d: Dispatcher, start, step: timedelta, passes: int) -> list[DispatchReport]:
    return [await d.dispatch_pending(now=start + step * (n + 1)) for n in range(passes)]


async def test_a_long_outage_never_kills_an_alert_and_the_admin_hears_once(db: Database) -> None:
    # 40 failures at a 60 s cap: 40 minutes of 5xx, far past the 8 attempts that used to kill a row.
    platform = FakePlatform(fail=[DeliveryError(FailureKind.RETRY, "503 from the platform")] * 40)
    told: list[str] = []

    async def notify(text: str) -> None:
        told.append(text)

    d = Dispatcher(db, {"chat": platform}, notify_admin=notify, backoff_cap_s=60)
    for n in range(3):
        await make_story(db, [DEST], speaker=f"Agency {n}")
    reports = await _pass_every(d, T0, timedelta(seconds=30), 120)
    assert sum(r.dead for r in reports) == 0
    assert len(platform.posts) == 3 and not platform.fail
    assert [r.status for r in await rows(db)] == ["sent"] * 3
    # Probed about once a minute through the outage, not once per row per pass.
    assert sum(r.retried for r in reports) == 40
    assert len(told) == 1 and "cannot deliver alerts to chat:C1" in told[0]
    async with db.connect() as conn:
        state = await outbox.destination_state(conn, DEST)
    assert (state.failures, state.failing_since, state.outage_notified) == (0, None, False)


async def test_one_failing_message_does_not_hold_up_the_others(db: Database) -> None:
    class OneBadMessage(FakePlatform):
        def _accept(
            self, method: str, destination: str, key: str, view: AlertView, **kw: object
        ) -> MessageRef:
            if view.speaker == "Agency 0":
                raise DeliveryError(FailureKind.RETRY, "500 for this one message")
            return super()._accept(method, destination, key, view, **kw)

    platform = OneBadMessage()
    d = Dispatcher(db, {"chat": platform}, backoff_cap_s=60)
    for n in range(4):
        await make_story(db, [DEST], speaker=f"Agency {n}")
    await _pass_every(d, T0, timedelta(seconds=30), 3)
    assert len(platform.posts) == 3  # within 90 s, while the first keeps failing
    assert [r.status for r in await rows(db)] == ["pending", "sent", "sent", "sent"]


async def test_gives_up_after_give_up_after_and_retry_brings_them_back(db: Database) -> None:
    platform = FakePlatform(fail=[DeliveryError(FailureKind.RETRY, "502")] * 1000)
    d = Dispatcher(db, {"chat": platform}, give_up_after_s=3600, backoff_cap_s=300)
    for n in range(3):
        await make_story(db, [DEST], speaker=f"Agency {n}")
    step = timedelta(minutes=5)
    reports = await _pass_every(d, T0, step, 11)  # 55 minutes of failures
    assert sum(r.dead for r in reports) == 0
    reports = await _pass_every(d, T0 + step * 11, step, 3)
    assert sum(r.dead for r in reports) == 3  # the probing row and the two waiting behind it
    dead = await rows(db)
    assert [r.status for r in dead] == ["dead"] * 3 and "gave up after 1." in (dead[0].last_error or "")
    assert (await d.dispatch_pending(now=T0 + timedelta(days=1))).claimed == 0

    platform.fail.clear()
    async with db.begin() as conn:
        assert await outbox.revive_dead(conn, now=T0 + timedelta(days=1)) == 3
    report = await d.dispatch_pending(now=T0 + timedelta(days=1, minutes=1))
    assert report.sent == 3 and [r.status for r in await rows(db)] == ["sent"] * 3


async def test_dismissed_dispute_rows_are_skipped(db: Database) -> None:
    platform = FakePlatform()
    d = Dispatcher(db, {"chat": platform})
    dispute_id, _ = await make_story(db, [DEST])
    await d.dispatch_pending(now=T0)
    async with db.begin() as conn:
        await outbox.enqueue(
            conn,
            dispute_id=dispute_id,
            event="new_evidence",
            destinations=[DEST],
            evidence_item_id=12345,
            now=T0,
        )
        await set_verdict(conn, dispute_id, "not_a_dispute", "U1", "slack", T0)
    report = await d.dispatch_pending(now=T0 + timedelta(minutes=1))
    assert report.skipped == 1 and len(platform.posts) == 1
    assert [r.status for r in await rows(db)] == ["sent", "skipped"]


async def test_retraction_by_the_speaker_is_one_broadcast_reply(db: Database) -> None:
    platform = FakePlatform()
    d = Dispatcher(db, {"chat": platform})
    dispute_id, _ = await make_story(db, [DEST])
    await d.dispatch_pending(now=T0)
    await add_denial(db, dispute_id, [DEST], role=EvidenceRole.RETRACTION, actor="Border Agency")
    await d.dispatch_pending(now=T0 + timedelta(hours=3))
    replies = [c for c in platform.posts if c.method == "post_reply"]
    assert len(replies) == 1 and replies[0].broadcast
    assert replies[0].view is not None and replies[0].view.status.value == "retracted"
    assert sorted((r.event, r.status) for r in await rows(db)) == [
        ("new_dispute", "sent"),
        ("new_evidence", "skipped"),
        ("status_change", "sent"),
    ]


async def test_failed_parent_refresh_is_queued_and_retried(db: Database) -> None:
    platform = FakePlatform()
    d = Dispatcher(db, {"chat": platform})
    dispute_id, _ = await make_story(db, [DEST])
    await d.dispatch_pending(now=T0)
    await add_denial(db, dispute_id, [DEST])
    # The reply itself gets through: only the parent edit fails, once.
    orig = platform.update_parent
    failed_once: list[bool] = []

    async def flaky_update(destination: str, parent: MessageRef, view: AlertView) -> None:
        if not failed_once:
            failed_once.append(True)
            raise DeliveryError(FailureKind.RETRY, "edit failed")
        await orig(destination, parent, view)

    platform.update_parent = flaky_update  # type: ignore[method-assign]
    await d.dispatch_pending(now=T0 + timedelta(hours=3))
    report = await d.dispatch_pending(now=T0 + timedelta(hours=4))
    assert report.sent == 1
    refreshes = [c for c in platform.calls if c.method == "update_parent"]
    assert len(refreshes) == 1 and refreshes[0].view is not None and refreshes[0].view.denial_count == 2
    assert [r.event for r in await rows(db)] == ["new_dispute", "new_evidence", "refresh"]


async def test_destinations_without_a_sender_wait(db: Database) -> None:
    d = Dispatcher(db, {"chat": FakePlatform()})
    await make_story(db, ["other:X"])
    report = await d.dispatch_pending(now=T0)
    assert report.waiting == 1
    [row] = await rows(db)
    assert row.status == "pending" and "other" in (row.last_error or "")


async def test_pacing_spaces_messages_to_one_destination(sqlite_db: Database) -> None:
    platform = FakePlatform(min_interval=0.05)
    d = Dispatcher(sqlite_db, {"chat": platform})
    for n in range(3):
        await make_story(sqlite_db, [DEST], speaker=f"Agency {n}")
    stamps: list[float] = []
    loop = asyncio.get_running_loop()
    orig = platform.post_parent

    async def stamped(destination: str, view: AlertView, key: str) -> MessageRef:
        stamps.append(loop.time())
        return await orig(destination, view, key)

    platform.post_parent = stamped  # type: ignore[method-assign,assignment]
    report = await d.dispatch_pending(now=T0)
    assert report.sent == 3
    # ordering check, not a timing benchmark: each send waited for the previous gap
    assert all(b - a >= 0.045 for a, b in zip(stamps, stamps[1:], strict=False))


async def test_dispatch_ready_works_through_full_batches(sqlite_db: Database) -> None:
    platform = FakePlatform()
    d = Dispatcher(sqlite_db, {"chat": platform}, batch=2)
    for n in range(5):
        await make_story(sqlite_db, [DEST], speaker=f"Agency {n}")
    report = await d.dispatch_ready()
    assert (report.claimed, report.sent) == (5, 5) and len(platform.posts) == 5


async def test_drain_sleeps_through_a_short_retry_after(sqlite_db: Database) -> None:
    platform = FakePlatform(fail=[DeliveryError(FailureKind.RETRY, "ratelimited", retry_after=0.2)])
    d = Dispatcher(sqlite_db, {"chat": platform})
    await make_story(sqlite_db, [DEST])
    report = await d.drain(max_wait_s=5)
    assert (report.retried, report.sent) == (1, 1)
    assert len(platform.posts) == 1


class ChaosPlatform(FakePlatform):
    """A platform that fails at random: before accepting, after accepting, with 429s, or "kills" us."""

    def __init__(
        self,
        seed: int,
        p_fail: float = 0.15,
        p_lost_answer: float = 0.1,
        p_429: float = 0.05,
        p_crash: float = 0.05,
    ) -> None:
        super().__init__()
        self.rng = random.Random(seed)
        self.p = (p_fail, p_lost_answer, p_429, p_crash)

    def _accept(self, method: str, destination: str, key: str, view: AlertView, **kw: object) -> MessageRef:
        p_fail, p_lost, p_429, p_crash = self.p
        x = self.rng.random()
        if x < p_fail:
            raise DeliveryError(FailureKind.RETRY, "503")
        if x < p_fail + p_429:
            raise DeliveryError(FailureKind.RETRY, "ratelimited", retry_after=1)
        ref = super()._accept(method, destination, key, view, **kw)
        x = self.rng.random()
        if x < p_lost:
            raise DeliveryError(FailureKind.RETRY, "timeout after the platform accepted")
        if x < p_lost + p_crash:
            raise Crash
        return ref


async def run_chaos(db: Database, disputes: int, seed: int) -> dict[str, int]:
    """Queue `disputes` stories with a follow-up each, deliver through random failures and crashes."""
    platform = ChaosPlatform(seed)
    ids = [(await make_story(db, [DEST], speaker=f"Agency {n}"))[0] for n in range(disputes)]
    for n, dispute_id in enumerate(ids):
        await add_denial(db, dispute_id, [DEST], n=2 + n, actor=f"Ministry {n}")
    now, passes, crashes, recovered = T0 + timedelta(days=30), 0, 0, 0
    d = Dispatcher(db, {"chat": platform}, lease_s=30)
    while any(r.status in ("pending", "sending") for r in await rows(db)):
        passes += 1
        assert passes < 2000, "delivery does not converge"
        now += timedelta(hours=2)
        try:
            recovered += (await d.dispatch_pending(now=now)).recovered
        except Crash:
            crashes += 1
            d = Dispatcher(db, {"chat": platform}, lease_s=30)  # the restarted process
    # Exactly once: every outbox key reached the platform once, replies in their parent's thread.
    keys = [c.key for c in platform.posts]
    assert len(keys) == len(set(keys)) == 2 * disputes
    parents = {
        c.view.dispute_id: platform.by_key[c.key or ""].message_id
        for c in platform.posts
        if c.method == "post_parent" and c.view
    }
    for c in platform.posts:
        if c.method == "post_reply" and c.view:
            assert c.parent == parents[c.view.dispute_id]
    assert all(r.status == "sent" for r in await rows(db))
    return {"messages": len(keys), "passes": passes, "crashes": crashes, "recovered": recovered}


@pytest.mark.parametrize("seed", [2, 3])
async def test_exactly_once_through_random_failures_and_crashes(db: Database, seed: int) -> None:
    stats = await run_chaos(db, disputes=int(os.environ.get("FACTBOT_CHAOS_DISPUTES", "15")), seed=seed)
    print(f"chaos seed={seed} {db.dialect}: {stats}")
    # The scenario really exercised recovery (lost answers, and a crash for seed 2).
    assert stats["recovered"] > 0 and (seed != 2 or stats["crashes"] > 0)
