"""The console adapter through the real dispatcher, and the plain-text rendering it prints."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.console import ConsoleSender
from bot.alerts.dispatcher import Dispatcher
from bot.alerts.sanitize import slack_escape
from bot.alerts.sender import AlertSender
from bot.alerts.text import render_followup, render_parent
from bot.alerts.view import build_view
from bot.storage.db import Database
from bot.storage.disputes import load_dispute
from bot.types import Dispute, DisputeStatus, Evidence, EvidenceRole
from tests.test_outbox import T0, add_denial, add_item, make_story, rows

DEST = "console:stdout"


def test_console_sender_is_an_alert_sender() -> None:
    assert isinstance(ConsoleSender(), AlertSender)


async def test_thread_on_stdout(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    d = Dispatcher(db, {"console": ConsoleSender()})
    dispute_id, _ = await make_story(db, [DEST])
    await d.dispatch_pending(now=T0)
    await add_denial(db, dispute_id, [DEST])
    await d.dispatch_pending(now=T0 + timedelta(hours=3))
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert (
        lines[0]
        == f"[alert #{dispute_id}] Disputed: Border Agency's claim that it led the raid on three labs"
    )
    assert any(
        "Claim: Border Agency, 2025-05-14" in ln and "https://agency.example/raid" in ln for ln in lines
    )
    assert any(
        "First denial: The President, 2025-05-15" in ln and "https://wire.example/denial" in ln
        for ln in lines
    )
    replies = [ln for ln in lines if ln.startswith(f"  ↳ [#{dispute_id}] ")]
    assert (
        len(replies) == 1
        and "New denial: The Embassy" in replies[0]
        and "https://outlet2.example/story" in replies[0]
    )
    assert "Now: disputed · 2 denials" in out
    # Synthetic references are deterministic: the same key always gives the same ref.
    refs = [r.message_ref for r in await rows(db)]
    sender = ConsoleSender(io.StringIO())
    view = build_view(await _load(db, dispute_id))
    again = await sender.post_parent("stdout", view, f"{DEST}|{dispute_id}|new_dispute|")
    assert again.message_id == refs[0]
    assert await sender.find_sent("stdout", f"{DEST}|{dispute_id}|new_dispute|") is None


async def _load(db: Database, dispute_id: int):  # type: ignore[no-untyped-def]
    async with db.connect() as conn:
        return await load_dispute(conn, dispute_id)


async def test_feed_text_cannot_ping_through_the_console(sqlite_db: Database) -> None:
    buf = io.StringIO()
    dispute_id, _ = await make_story(sqlite_db, [DEST], speaker="Agency <!channel> @here")
    await add_item(sqlite_db, "Wire", "x", "y", "https://wire.example/other", T0)
    await Dispatcher(sqlite_db, {"console": ConsoleSender(buf)}).dispatch_pending(now=T0)
    out = buf.getvalue()
    assert "<!channel>" not in out and "@here" not in out
    assert "Agency" in out


async def test_retraction_reply_is_flagged_as_broadcast(sqlite_db: Database) -> None:
    buf = io.StringIO()
    d = Dispatcher(sqlite_db, {"console": ConsoleSender(buf)})
    dispute_id, _ = await make_story(sqlite_db, [DEST])
    await d.dispatch_pending(now=T0)
    await add_denial(sqlite_db, dispute_id, [DEST], role=EvidenceRole.RETRACTION, actor="Border Agency")
    await d.dispatch_pending(now=T0 + timedelta(hours=3))
    reply = [ln for ln in buf.getvalue().splitlines() if "↳" in ln]
    assert len(reply) == 1
    assert "Retracted by the speaker: Border Agency" in reply[0] and "(also sent to the channel)" in reply[0]


async def test_text_rendering_caps_and_lists_every_link(sqlite_db: Database) -> None:
    dispute_id, _ = await make_story(sqlite_db, [])
    for n in range(2, 5):
        await add_denial(sqlite_db, dispute_id, [], n=n, actor=f"Ministry {n}")
    view = build_view(await _load(sqlite_db, dispute_id))
    text = render_parent(view)
    for link in view.links:
        assert link in text
    assert (
        "4 denials" in text and "confidence 0.80" in text and "Why: official speaker; explicit denial" in text
    )
    short = render_parent(view, max_chars=120)
    assert len(short) <= 120 and short.endswith("…")
    follow = render_followup(build_view(await _load(sqlite_db, dispute_id), update=view.evidence[-1]))
    assert follow.startswith("New denial: Ministry 4") and "https://outlet4.example/story" in follow


# --- rendering properties: whatever a feed says, the text is inert -------------------------------

_nasty = st.lists(
    st.one_of(
        st.sampled_from(["<!channel>", "@here", "<@U1>", "&", "<", ">", "@everyone", "|", "\n"]), st.text()
    ),
    max_size=8,
).map("".join)


def _evidence(role: EvidenceRole, who: str, quote: str, link: str) -> Evidence:
    return Evidence(
        item_id=1,
        role=role,
        actor=who,
        title=quote,
        quote=quote,
        link=link,
        published=datetime(2025, 5, 15, tzinfo=UTC),
        source=who,
    )


@settings(max_examples=150, deadline=None)
@given(_nasty, _nasty, _nasty, _nasty)
def test_rendered_alerts_never_carry_live_mentions(who: str, quote: str, link: str, reason: str) -> None:
    claim = _evidence(EvidenceRole.CLAIM, who, quote, "https://a.example/" + link)
    denial = _evidence(EvidenceRole.DENIAL, quote, who, link)
    dispute = Dispute(
        id=1,
        status=DisputeStatus.DISPUTED,
        speaker=who,
        topic=quote,
        claim=claim,
        evidence=(denial,),
        confidence=0.5,
        reasons=(reason,),
    )
    for view in (build_view(dispute), build_view(dispute, update=denial)):
        for out in (render_parent(view), render_followup(view)):
            assert not re.search(r"@(here|everyone|channel)|<[@#!]", out, re.IGNORECASE)
        for out in (render_parent(view, escape=slack_escape), render_followup(view, escape=slack_escape)):
            assert "<" not in out and ">" not in out
            assert out.count("&") == len(re.findall(r"&(amp|lt|gt);", out))
            assert not re.search(r"@(here|everyone|channel)", out, re.IGNORECASE)
