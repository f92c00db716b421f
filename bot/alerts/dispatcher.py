"""The dispatcher: works the outbox, one destination at a time, through each platform's sender.

It is the single owner of every chat platform's send budget. For each due row it loads the
dispute fresh (so a parent shows today's counts), renders nothing itself (senders render
the `AlertView`), and records the outcome:

* ordering — per dispute x destination the parent goes first; a follow-up whose parent is
  not recorded yet waits; a follow-up whose parent can never be sent is posted as a parent,
  so its news is not lost;
* exactly-once effect — a row is marked `sending` (committed) before the platform is called
  and `sent` with the platform's reference after it answers; a row found in `sending` later
  (a crash in between) or retried after an ambiguous failure first asks the sender's
  `find_sent`, and records that message instead of posting again;
* pacing — at most one message per `min_interval` seconds per destination (Slack: ~1/s per
  channel), and a platform's Retry-After is stored on the destination and honoured;
* failures — `DeliveryError` RETRY (5xx, timeouts, lost answers): the row backs off (10 s
  doubling up to `backoff_cap_s`, then retried at the cap) and so does the destination as a
  whole, so an outage is probed, not hammered; a run of failures is an outage, told to the
  admin once. Only after `give_up_after_s` of failing is a row marked dead, with everything
  else waiting for that destination; `revive_dead` (`factbot outbox retry`, `/factbot
  resume`) queues them again. A 429 waits for its Retry-After and costs nothing.
  PAUSE: the destination is paused, the admin told once, rows kept pending until `resume`;
  BAD_PAYLOAD: logged with the payload and marked dead;
* verdicts — rows of a dismissed or muted dispute are marked `skipped`; the `muted` and
  `unmuted` events themselves are posted in the thread (who did it) and refresh the parent.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta

from bot import metrics
from bot.alerts.sender import AlertSender, DeliveryError, FailureKind, MessageRef
from bot.alerts.text import render_followup, render_parent
from bot.alerts.view import AlertStyle, AlertView, Notice, build_view
from bot.storage import mutes, outbox
from bot.storage.db import Database
from bot.storage.disputes import load_dispute
from bot.types import Dispute, DisputeStatus, Evidence, EvidenceRole

__all__ = ["DEFAULT_MIN_INTERVAL", "DispatchReport", "Dispatcher"]

log = logging.getLogger(__name__)

# Seconds between two messages to the same destination, per platform prefix. Slack allows
# about one message per second per channel; Discord's buckets are handled by discord.py, a
# small gap keeps bursts polite. A sender may override with a `min_interval` attribute.
DEFAULT_MIN_INTERVAL: dict[str, float] = {"slack": 1.0, "discord": 0.25, "console": 0.0}
_SILENT = (DisputeStatus.DISMISSED, DisputeStatus.MUTED)
_DESK_EVENTS = ("muted", "unmuted")  # notes of a desk action, posted even on a muted story
# Waits up to one pacing interval plus this are slept through inside a pass; longer ones
# (a long Retry-After) release the destination's rows until then.
_INLINE_WAIT_S = 0.5
# A platform call that has not answered by then is abandoned as a transient failure (the row
# is looked up with `find_sent` before it is sent again). Below `owners.DEAD_AFTER_S`: a
# replica taking over a silent owner's rows knows that owner's last send has ended.
SEND_TIMEOUT_S = 15.0
# Consecutive transient failures of one destination before the admin hears of an outage.
OUTAGE_NOTICE_AFTER = 4

NotifyAdmin = Callable[[str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class DispatchReport:
    """What one pass over the outbox did."""

    claimed: int = 0
    sent: int = 0  # posted now
    recovered: int = 0  # found already posted (crash between send and record) and recorded
    retried: int = 0  # failed, will be tried again
    waiting: int = 0  # parent not recorded yet, pacing, Retry-After, or no sender configured
    skipped: int = 0  # dismissed / muted / superseded
    dead: int = 0  # refused payload or out of attempts
    paused: tuple[str, ...] = ()  # destinations paused during this pass

    def __add__(self, other: DispatchReport) -> DispatchReport:
        values = {f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        values["paused"] = tuple(dict.fromkeys(self.paused + other.paused))
        return DispatchReport(**values)


@dataclass(slots=True)
class _Tally:
    counts: dict[str, int] = field(default_factory=dict)
    paused: list[str] = field(default_factory=list)

    def add(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


class _Clock:
    """`now` as the caller gave it, moved on by the real time spent since (pacing sleeps)."""

    def __init__(self, start: datetime) -> None:
        self.start, self.t0 = start, time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.t0)


class _Stop(Exception):
    """Internal: stop working this destination for this pass."""


class Dispatcher:
    """Delivers the outbox through `senders` (keyed by destination prefix: "slack", "discord", ...).

    `notify_admin` receives one-off admin notices (a paused destination); without it the
    notice goes through the paused destination's own sender.
    """

    def __init__(
        self,
        db: Database,
        senders: Mapping[str, AlertSender],
        *,
        notify_admin: NotifyAdmin | None = None,
        owner: str | None = None,
        min_interval: Mapping[str, float] | None = None,
        lease_s: float = 120.0,
        give_up_after_s: float = 7 * 86400,
        backoff_base_s: float = 10.0,
        backoff_cap_s: float = 600.0,
        parent_wait_s: float = 5.0,
        batch: int = 20,
        per_destination: int = 3,
        send_timeout_s: float = SEND_TIMEOUT_S,
        style: AlertStyle | None = None,
    ) -> None:
        self.db = db
        self.style = style or AlertStyle()  # timeline links, desk language, actor names
        self.senders = dict(senders)
        self._notify_admin = notify_admin
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.min_interval = {**DEFAULT_MIN_INTERVAL, **(min_interval or {})}
        self.lease_s = lease_s
        self.give_up_after_s = give_up_after_s
        self.send_timeout_s = send_timeout_s
        self.backoff_base_s, self.backoff_cap_s = backoff_base_s, backoff_cap_s
        self.parent_wait_s = parent_wait_s
        self.batch = batch
        self.per_destination = per_destination
        self._last_send: dict[str, float] = {}  # destination -> monotonic time of its last message

    # ------------------------------------------------------------------ public API

    async def dispatch_pending(self, now: datetime | None = None) -> DispatchReport:
        """One pass: claim due rows and deliver them, destinations in parallel, each in order."""
        report = await self._dispatch_once(now)
        metrics.record_dispatch(report)
        return report

    async def _dispatch_once(self, now: datetime | None) -> DispatchReport:
        clock = _Clock(now or datetime.now(UTC))
        async with self.db.begin() as conn:
            rows = await outbox.claim(
                conn,
                owner=self.owner,
                now=clock(),
                limit=self.batch,
                lease_s=self.lease_s,
                per_destination=self.per_destination,
            )
        if not rows:
            return DispatchReport()
        by_dest: dict[str, list[outbox.OutboxRow]] = {}
        for r in rows:
            by_dest.setdefault(r.destination, []).append(r)
        tally = _Tally()
        await asyncio.gather(*(self._work_destination(d, rs, clock, tally) for d, rs in by_dest.items()))
        c = tally.counts
        return DispatchReport(
            claimed=len(rows),
            sent=c.get("sent", 0),
            recovered=c.get("recovered", 0),
            retried=c.get("retried", 0),
            waiting=c.get("waiting", 0),
            skipped=c.get("skipped", 0),
            dead=c.get("dead", 0),
            paused=tuple(tally.paused),
        )

    async def drain(self, *, max_wait_s: float = 30.0) -> DispatchReport:
        """Dispatch until nothing is due within `max_wait_s` (for `factbot run --once`).

        Short waits (pacing, a Retry-After of a few seconds, a parent posted a moment ago) are
        slept through so a cron run delivers what it can; longer ones are left to the next run.
        """
        total = DispatchReport()
        waited = 0.0  # the whole run waits at most `max_wait_s`, however the waits add up
        while True:
            report = await self.dispatch_pending()
            total = total + report
            async with self.db.connect() as conn:
                due = await outbox.next_due(conn)
            if due is None:
                return total
            delay = max((due - datetime.now(UTC)).total_seconds(), 0.0)
            if report.claimed == 0 and delay == 0:
                # Due but not claimable (another dispatcher holds the lease): do not spin.
                delay = 1.0
            if waited + delay > max_wait_s:
                return total
            waited += delay
            await asyncio.sleep(delay)

    async def dispatch_ready(self) -> DispatchReport:
        """Passes while they deliver something: everything due now (the `dispatch` job).

        A claim holds at most `per_destination` rows of one destination, so a backlog for one
        channel is worked a few rows a pass, round-robin with the others.
        """
        total = DispatchReport()
        while True:
            report = await self.dispatch_pending()
            total = total + report
            if report.sent + report.recovered + report.skipped + report.dead == 0:
                return total

    async def resume(self, destination: str) -> bool:
        """Unpause a destination; its kept rows go out on the next pass. True if it was paused."""
        async with self.db.begin() as conn:
            resumed = await outbox.resume_destination(conn, destination)
        if resumed:
            log.info("dispatcher: destination %s resumed", destination)
        return resumed

    # ------------------------------------------------------------------ per destination

    def _interval(self, prefix: str, sender: AlertSender) -> float:
        own = getattr(sender, "min_interval", None)
        if isinstance(own, int | float):
            return float(own)
        return self.min_interval.get(prefix, 0.0)

    async def _release_rest(
        self, rows: list[outbox.OutboxRow], until: datetime | None, tally: _Tally, error: str | None = None
    ) -> None:
        if not rows:
            return
        async with self.db.begin() as conn:
            for r in rows:
                await outbox.release(conn, r.id, next_attempt_at=until, error=error)
        tally.add("waiting", len(rows))

    async def _work_destination(
        self, destination: str, rows: list[outbox.OutboxRow], clock: _Clock, tally: _Tally
    ) -> None:
        prefix, _, target = destination.partition(":")
        sender = self.senders.get(prefix)
        if sender is None:
            log.warning(
                "dispatcher: no sender for %s (%d alerts wait); is %s configured?",
                destination,
                len(rows),
                prefix,
            )
            await self._release_rest(rows, clock() + timedelta(minutes=5), tally, f"no sender for {prefix!r}")
            return
        interval = self._interval(prefix, sender)
        for i, row in enumerate(rows):
            async with self.db.connect() as conn:
                state = await outbox.destination_state(conn, destination)
            if state.paused:  # paused by a concurrent pass since the claim
                await self._release_rest(rows[i:], None, tally)
                return
            # The destination's next free slot: stored (a Retry-After, or the pacing of another
            # replica sending to the same channel) or this process's own last send.
            wait = (state.next_send_at - clock()).total_seconds() if state.next_send_at else 0.0
            last = self._last_send.get(destination)
            if last is not None and interval > 0:
                wait = max(wait, last + interval - time.monotonic())
            if wait > interval + _INLINE_WAIT_S:
                # A platform asked us to wait (Retry-After): honour it for the whole destination.
                await self._release_rest(rows[i:], clock() + timedelta(seconds=wait), tally)
                return
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                await self._deliver(row, destination, target, sender, clock, tally)
            except _Stop:
                await self._release_rest(rows[i + 1 :], None, tally)
                return

    # ------------------------------------------------------------------ one row

    @staticmethod
    def _evidence(dispute: Dispute, item_id: int | None) -> Evidence | None:
        if item_id is None:
            return None
        for e in dispute.evidence:
            if e.item_id == item_id:
                return e
        return dispute.claim if dispute.claim.item_id == item_id else None

    async def _deliver(
        self,
        row: outbox.OutboxRow,
        destination: str,
        target: str,
        sender: AlertSender,
        clock: _Clock,
        tally: _Tally,
    ) -> None:
        key = row.idempotency_key
        async with self.db.connect() as conn:
            try:
                dispute = await load_dispute(conn, row.dispute_id)
            except KeyError:
                dispute = None
            thread = await outbox.get_thread(conn, row.dispute_id, destination)
            parent_states = await outbox.row_status(conn, row.dispute_id, destination, "new_dispute")
            desk_action = (
                await mutes.notice(conn, row.evidence_item_id) if row.event in _DESK_EVENTS else None
            )
            superseded = False
            if row.event == "new_evidence" and row.evidence_item_id is not None:
                other = outbox.idempotency_key(
                    destination, row.dispute_id, "status_change", row.evidence_item_id
                )
                superseded = await outbox.get_row_by_key(conn, other) is not None
        if dispute is None:
            await self._skip(row, "the dispute no longer exists", tally)
            return
        notice = Notice(*desk_action) if desk_action is not None else None
        if row.event in _DESK_EVENTS and (notice is None or thread is None):
            await self._skip(row, "nothing to note: no such mute, or no thread here", tally)
            return
        if dispute.status in _SILENT and notice is None:
            await self._skip(row, f"dispute is {dispute.status.value}", tally)
            return
        if superseded:
            # A retraction/correction queues both events for one item; the status change reply
            # (broadcast where the platform can) carries it, so one message, not two.
            await self._skip(row, "carried by the status_change reply", tally)
            return

        update = None if notice is not None else self._evidence(dispute, row.evidence_item_id)
        as_parent = row.event == "new_dispute"
        if not as_parent and thread is None:
            if any(st in ("pending", "sending") for st in parent_states):
                async with self.db.begin() as conn:
                    await outbox.release(
                        conn, row.id, next_attempt_at=clock() + timedelta(seconds=self.parent_wait_s)
                    )
                tally.add("waiting")
                log.debug("dispatcher: %s waits for its parent", key)
                return
            if row.event == "refresh":
                await self._skip(row, "no parent to refresh", tally)
                return
            # The parent was refused or never queued here: post this as the parent instead, so
            # the news (and the whole story so far) still reaches the channel.
            as_parent = True
        if row.event == "new_dispute" and thread is not None:
            async with self.db.begin() as conn:
                await outbox.mark_sent(conn, row.id, message_ref=thread.parent_ref, now=clock())
            tally.add("recovered")
            return

        view = build_view(
            dispute,
            update=update if row.event != "new_dispute" else None,
            notice=notice,
            style=self.style,
        )

        # A row that may already have gone out (found in `sending`, or retried after an
        # ambiguous failure) is looked up on the platform before it is sent again.
        if row.status == "sending" or row.attempts > 0:
            try:
                found = await sender.find_sent(target, key)
            except Exception:
                log.warning("dispatcher: find_sent failed for %s; sending again", key, exc_info=True)
                found = None
            if found is not None:
                await self._record(row, destination, found, as_parent, clock(), tally, "recovered")
                log.info(
                    "dispatcher: %s was already delivered (%s); recorded, not resent", key, found.message_id
                )
                return

        async with self.db.begin() as conn:
            ok = await outbox.mark_sending(conn, row.id, owner=self.owner, now=clock(), lease_s=self.lease_s)
        if not ok:
            log.info("dispatcher: lost the lease on %s; another dispatcher has it", key)
            return
        self._last_send[destination] = time.monotonic()
        parent = MessageRef(thread.parent_ref, thread.thread_ref) if thread is not None else None
        try:
            async with asyncio.timeout(self.send_timeout_s):
                if as_parent:
                    ref = await sender.post_parent(target, view, key)
                elif row.event == "refresh":
                    assert parent is not None
                    if sender.capabilities.edits:
                        await sender.update_parent(target, parent, build_view(dispute, style=self.style))
                    ref = parent
                else:
                    assert parent is not None
                    broadcast = (
                        row.event == "status_change"
                        and update is not None
                        and update.role in (EvidenceRole.RETRACTION, EvidenceRole.CORRECTION)
                    )
                    ref = await sender.post_reply(target, parent, view, key, broadcast=broadcast)
        except DeliveryError as e:
            await self._failed(row, destination, sender, view, e, clock(), tally)
            return
        except Exception as e:  # a bug or network error the sender did not classify: retry, loudly
            log.exception("dispatcher: unexpected error sending %s", key)
            await self._failed(
                row, destination, sender, view, DeliveryError(FailureKind.RETRY, repr(e)), clock(), tally
            )
            return
        self._last_send[destination] = time.monotonic()
        interval = self._interval(destination.partition(":")[0], sender)
        await self._record(row, destination, ref, as_parent, clock(), tally, "sent", pace_s=interval)
        if not as_parent and row.event != "refresh" and parent is not None and sender.capabilities.edits:
            await self._refresh_parent(row, destination, target, sender, parent, dispute, clock)

    async def _record(
        self,
        row: outbox.OutboxRow,
        destination: str,
        ref: MessageRef,
        as_parent: bool,
        now: datetime,
        tally: _Tally,
        outcome: str,
        pace_s: float = 0.0,
    ) -> None:
        # `sent` and the thread record commit together: a parent is never sent-but-threadless.
        async with self.db.begin() as conn:
            await outbox.mark_sent(conn, row.id, message_ref=ref.message_id, now=now)
            if await outbox.destination_ok(conn, destination):
                log.info("dispatcher: %s delivers again; its outage is over", destination)
            if as_parent:
                await outbox.save_thread(
                    conn, row.dispute_id, destination, ref.message_id, ref.thread_id, now
                )
            if pace_s > 0:
                # Stored, so other replicas sending to this destination keep the same pace.
                await outbox.set_next_send_at(conn, destination, now + timedelta(seconds=pace_s))
        tally.add(outcome)
        log.info("dispatcher: %s %s -> %s", outcome, row.idempotency_key, ref.message_id)

    async def _refresh_parent(
        self,
        row: outbox.OutboxRow,
        destination: str,
        target: str,
        sender: AlertSender,
        parent: MessageRef,
        dispute: Dispute,
        clock: _Clock,
    ) -> None:
        """Refresh the parent's counts; if that fails, queue a `refresh` row to try again."""
        try:
            await sender.update_parent(target, parent, build_view(dispute, style=self.style))
            return
        except DeliveryError as e:
            log.warning(
                "dispatcher: refreshing the parent of dispute %s on %s failed (%s): %s",
                row.dispute_id,
                destination,
                e.kind.value,
                e.reason,
            )
            err: DeliveryError | None = e
        except Exception:
            log.exception(
                "dispatcher: refreshing the parent of dispute %s on %s failed", row.dispute_id, destination
            )
            err = None
        now = clock()
        async with self.db.begin() as conn:
            if err is not None and err.kind is FailureKind.BAD_PAYLOAD:
                return  # the same edit would be refused again; the next event refreshes it
            when = now + timedelta(seconds=err.retry_after) if err is not None and err.retry_after else None
            if when is not None:
                await outbox.set_next_send_at(conn, destination, when)
            await outbox.enqueue(
                conn,
                dispute_id=row.dispute_id,
                event="refresh",
                destinations=[destination],
                evidence_item_id=row.evidence_item_id,
                now=when or now,
            )
        if err is not None and err.kind is FailureKind.PAUSE:
            await self._pause(
                destination, row, self.senders[destination.partition(":")[0]], err.reason, now, None
            )

    async def _skip(self, row: outbox.OutboxRow, reason: str, tally: _Tally) -> None:
        async with self.db.begin() as conn:
            await outbox.mark_skipped(conn, row.id, reason=reason)
        tally.add("skipped")
        log.info("dispatcher: skipped %s: %s", row.idempotency_key, reason)

    async def _failed(
        self,
        row: outbox.OutboxRow,
        destination: str,
        sender: AlertSender,
        view: AlertView,
        e: DeliveryError,
        now: datetime,
        tally: _Tally,
    ) -> None:
        key = row.idempotency_key
        attempts = row.attempts + 1  # counted by mark_sending
        if e.kind is FailureKind.BAD_PAYLOAD:
            payload = render_parent(view) if view.update is None else render_followup(view)
            log.error(
                "dispatcher: %s refused by the platform (%s); giving up. payload:\n%s", key, e.reason, payload
            )
            async with self.db.begin() as conn:
                await outbox.mark_dead(conn, row.id, error=f"bad payload: {e.reason}")
            tally.add("dead")
            return
        if e.kind is FailureKind.PAUSE:
            async with self.db.begin() as conn:
                await outbox.release(conn, row.id, error=f"paused: {e.reason}", undo_attempt=True)
            await self._pause(destination, row, sender, e.reason, now, tally)
            tally.add("waiting")
            raise _Stop
        # RETRY: a 429 is the platform pacing us (Retry-After, no attempt used, certainly not
        # posted); anything else is a transient failure of the row and of the destination.
        if e.retry_after is not None:
            until = now + timedelta(seconds=max(float(e.retry_after), 0.0))
            async with self.db.begin() as conn:
                await outbox.release(conn, row.id, next_attempt_at=until, error=e.reason, undo_attempt=True)
                await outbox.set_next_send_at(conn, destination, until)
            tally.add("retried")
            log.warning("dispatcher: %s rate limited (%s); retry at %s", key, e.reason, until.isoformat())
            raise _Stop
        backoff = outbox.backoff_s(attempts, base=self.backoff_base_s, cap=self.backoff_cap_s)
        async with self.db.begin() as conn:
            state = await outbox.destination_failed(conn, destination, now=now)
            # The destination probes again after its own backoff (a run of failures grows it),
            # this row after its backoff: a message that alone fails does not hold up the rest.
            dest_backoff = outbox.backoff_s(state.failures, base=self.backoff_base_s, cap=self.backoff_cap_s)
            await outbox.set_next_send_at(conn, destination, now + timedelta(seconds=dest_backoff))
            since = min(row.first_failed_at or now, state.failing_since or now)
            failing_s = (now - since).total_seconds()
            if failing_s >= self.give_up_after_s:
                error = (
                    f"gave up after {failing_s / 3600:.1f} h of failures ({attempts} attempts): {e.reason}"
                )
                await outbox.mark_dead(conn, row.id, error=error)
                others = await outbox.give_up_waiting(conn, destination, owner=self.owner, error=error)
            else:
                await outbox.release(
                    conn,
                    row.id,
                    next_attempt_at=now + timedelta(seconds=backoff),
                    error=e.reason,
                    failed_at=now,
                )
        if failing_s >= self.give_up_after_s:
            payload = render_parent(view) if view.update is None else render_followup(view)
            log.error(
                "dispatcher: %s and %d more alerts for %s given up (%s); `factbot outbox retry` or "
                "`/factbot resume %s` sends them again. payload:\n%s",
                key,
                others,
                destination,
                error,
                destination,
                payload,
            )
            tally.add("dead", 1 + others)
            raise _Stop
        tally.add("retried")
        log.warning(
            "dispatcher: %s failed (%s), attempt %d; retry in %.0fs (destination: %d failures in a row)",
            key,
            e.reason,
            attempts,
            backoff,
            state.failures,
        )
        if state.failures >= OUTAGE_NOTICE_AFTER and not state.outage_notified:
            await self._tell_outage(destination, sender, state, e.reason)
        raise _Stop

    async def _tell_outage(
        self, destination: str, sender: AlertSender, state: outbox.DestinationState, reason: str
    ) -> None:
        """Tell the admin once per outage (a delivered message ends it)."""
        async with self.db.begin() as conn:
            if not await outbox.mark_outage_notified(conn, destination):
                return  # another replica told them
        since = state.failing_since.strftime("%Y-%m-%d %H:%M UTC") if state.failing_since else "a while"
        give_up = self.give_up_after_s
        span = f"{give_up / 86400:g} days" if give_up >= 86400 else f"{give_up / 3600:g} h"
        text = (
            f"factbot cannot deliver alerts to {destination}: {state.failures} attempts in a row failed "
            f"since {since} (last: {reason}). Alerts are kept and retried every "
            f"{self.backoff_cap_s / 60:.0f} min at most; they go out by themselves when the service "
            f"answers again. Only after {span} of failures are they set aside, and then "
            f"`factbot outbox retry` or `/factbot resume {destination}` sends them."
        )
        log.error("dispatcher: outage of %s: %s", destination, text)
        await self._notify(sender, text, destination)

    async def _notify(self, sender: AlertSender, text: str, destination: str) -> None:
        notify = self._notify_admin or sender.notify_admin
        try:
            await notify(text)
        except Exception:  # the admin channel may be what failed; the log line says it already
            log.exception("dispatcher: could not tell the admin about %s", destination)

    async def _pause(
        self,
        destination: str,
        row: outbox.OutboxRow,
        sender: AlertSender,
        reason: str,
        now: datetime,
        tally: _Tally | None,
    ) -> None:
        async with self.db.begin() as conn:
            newly = await outbox.pause_destination(conn, destination, reason=reason, now=now)
        if newly:
            log.error(
                "dispatcher: destination %s paused: %s (alerts are kept until it is resumed)",
                destination,
                reason,
            )
            if tally is not None:
                tally.paused.append(destination)
        async with self.db.begin() as conn:
            first = await outbox.mark_admin_notified(conn, destination)
        if not first:
            return
        text = (
            f"factbot paused alerts to {destination}: {reason}. Alerts for it are kept and will be sent once "
            f"the problem is fixed and the destination is resumed: `/factbot resume {destination}` "
            f"in chat, or `factbot destinations resume {destination}`."
        )
        await self._notify(sender, text, destination)
