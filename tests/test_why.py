""" "Why no alert?": one core answer (`bot.why.explain`) for the CLI, chat and the web page.

The reference story runs through the real detector and dispatcher; then each URL is asked about:
the denial that alerted, the claim it answered, an item with no statement, a link no feed
carried, a feed's own URL, an item the detector has not read yet, and an item whose detector
wrote a stage-by-stage trace.
"""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.adapters.console import ConsoleSender
from bot.alerts.dispatcher import Dispatcher
from bot.cli import main
from bot.commands import WhyCommand, parse_factbot_args, run_factbot
from bot.config import AlertsConfig, Config
from bot.storage import schema as s
from bot.storage.db import Database
from bot.why import explain, link_variants, parse_trace
from tests.test_reference_story import CLAIM, DENIAL, NOISE, _add, _detector

CONFIG = Config(alerts=AlertsConfig(max_age_days=0))


async def _story(db: Database) -> dict[str, int]:
    det = _detector(db)
    claim, noise = await _add(db, [CLAIM, NOISE])
    await det.process_pending()
    (denial,) = await _add(db, [DENIAL])
    await det.process_pending()
    await Dispatcher(db, {"slack": ConsoleSender(io.StringIO())}).dispatch_pending()
    return {"claim": claim, "noise": noise, "denial": denial}


def _stage(report, name: str):  # type: ignore[no-untyped-def]
    return next(st for st in report.stages if st.name == name)


async def test_the_denial_that_alerted(db: Database) -> None:
    ids = await _story(db)
    r = await explain(db, CONFIG, "https://example.org/pres-1")
    assert r.item_id == ids["denial"] and r.alerted and r.verdict.startswith("Alerted: dispute #")
    assert [st.name for st in r.stages] == [
        "fetched", "parsed", "stored", "statements", "cue", "candidates", "decision", "score", "delivery",
    ]  # fmt: skip
    assert all(st.ok for st in r.stages)
    assert "es falso" in _stage(r, "cue").why
    assert f"candidate item {ids['claim']}" in "\n".join(_stage(r, "candidates").details)
    assert f"answers item {ids['claim']}" in _stage(r, "decision").why
    assert "≥ alert threshold 0.60" in _stage(r, "score").why
    assert any("slack:C0ALERTS new_dispute: sent" in d for d in _stage(r, "delivery").details)


async def test_an_item_without_statements_stops_at_the_first_stage_that_failed(db: Database) -> None:
    await _story(db)
    r = await explain(db, CONFIG, "https://example.org/wire-2")
    assert not r.alerted and not r.disputes
    # no attributed statement and no cue words: the meaning is still read, the decision says no
    assert _stage(r, "statements").ok is None and _stage(r, "cue").ok is None
    assert _stage(r, "decision").ok is False
    assert r.verdict.startswith("No alert: decision:")


async def test_the_claim_is_found_through_tracking_parameters_and_fragments(db: Database) -> None:
    ids = await _story(db)
    r = await explain(db, CONFIG, "http://www.example.org/ice-1/?utm_source=newsletter&utm_medium=x#top")
    assert r.item_id == ids["claim"] and r.alerted
    assert _stage(r, "candidates").why.startswith("this item is the claim")


async def test_links_no_feed_carried(db: Database) -> None:
    await _story(db)
    nowhere = await explain(db, CONFIG, "https://nowhere.example/a")
    assert nowhere.item_id is None and _stage(nowhere, "fetched").ok is False
    assert "no watched feed is on nowhere.example" in nowhere.verdict
    same_host = await explain(db, CONFIG, "http://127.0.0.1/feeds/elsewhere.html")
    assert "feed(s) on 127.0.0.1" in same_host.verdict
    feed = await explain(db, CONFIG, "http://127.0.0.1/feeds/ice-1.xml")
    assert feed.verdict.startswith("This is a feed URL")


async def test_an_item_the_detector_has_not_read(db: Database) -> None:
    (item,) = await _add(db, [NOISE])
    r = await explain(db, CONFIG, "https://example.org/wire-2")
    assert r.item_id == item and r.verdict.startswith("Not analysed yet")
    assert _stage(r, "statements").ok is None


async def test_the_detectors_trace_is_shown_stage_by_stage(db: Database) -> None:
    ids = await _story(db)
    trace = {
        "stages": [
            {"stage": "statements", "ok": True, "why": "one denial by the presidency"},
            {
                "stage": "candidates",
                "ok": True,
                "why": "3 earlier claims on the same event",
                "candidates": [{"item_id": ids["claim"], "score": 0.81, "title": "ICE-led operation"}],
            },
            {"stage": "encoder", "ok": True, "why": "multilingual vectors", "model": "x-small"},
            {"stage": "decision", "ok": True, "why": "denial", "decision": {"label": "denial", "p": 0.83}},
            {"stage": "score", "ok": True, "why": "0.84", "thresholds": {"alert": 0.6, "review": 0.4}},
        ]
    }
    async with db.begin() as conn:
        await conn.execute(
            update(s.items).where(s.items.c.id == ids["denial"]).values(trace=json.dumps(trace))
        )
    r = await explain(db, CONFIG, "https://example.org/pres-1")
    names = [st.name for st in r.stages]
    assert names.index("encoder") < names.index("delivery")  # a stage only the trace has keeps its place
    cand = _stage(r, "candidates")
    assert (
        cand.source == "trace"
        and f"candidate item {ids['claim']} score 0.81: ICE-led operation" in cand.details
    )
    assert "decision: denial (p=0.83)" in _stage(r, "decision").details
    assert "thresholds: alert 0.6, review 0.4" in _stage(r, "score").details
    assert _stage(r, "cue").source == "tables"  # not in the trace: pieced together from the tables


def test_unreadable_traces_are_ignored() -> None:
    assert parse_trace("{not json") == [] and parse_trace(json.dumps({"stages": "x"})) == []
    assert parse_trace(json.dumps({"stages": [{"ok": True}, {"stage": "cue", "ok": "yes"}]}))[0].ok is None


def test_link_variants_cover_the_usual_differences() -> None:
    v = link_variants("https://www.example.org/a/?utm_source=x&id=3#frag")
    assert "https://www.example.org/a/?utm_source=x&id=3#frag" in v
    assert "https://example.org/a?id=3" in v and "http://www.example.org/a/?id=3" in v


async def test_hostile_titles_are_inert_in_the_text(db: Database) -> None:
    hostile = ("wire", "wire-9", NOISE[2], "<!channel> \x1b[31m@here now", "Nothing to see.")
    await _add(db, [hostile])
    text = (await explain(db, CONFIG, "https://example.org/wire-9")).text()
    assert "<!channel>" not in text and "\x1b" not in text and "@here now" not in text


async def test_chat_answers_anyone(sqlite_db: Database) -> None:
    await _story(sqlite_db)
    assert parse_factbot_args("why <https://example.org/pres-1|example.org/pres-1>") == WhyCommand(
        "https://example.org/pres-1"
    )
    # anyone may ask: it changes nothing
    chat = await run_factbot(sqlite_db, CONFIG, "why https://example.org/pres-1", user_is_admin=False)
    assert chat.startswith("Why no alert? https://example.org/pres-1") and "Verdict: Alerted" in chat
    assert chat == (await explain(sqlite_db, CONFIG, "https://example.org/pres-1")).text()
    assert "Not a link" in await run_factbot(sqlite_db, CONFIG, "why ftp://x", user_is_admin=False)
    assert "needs one link" in await run_factbot(sqlite_db, CONFIG, "why", user_is_admin=False)


def test_cli_prints_the_same_answer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path}/factbot.db"

    async def setup() -> str:
        db = Database(url)
        await db.migrate()
        try:
            await _story(db)
            return (await explain(db, CONFIG, "https://example.org/pres-1")).text()
        finally:
            await db.close()

    expected = asyncio.run(setup())
    config = tmp_path / "factbot.toml"
    config.write_text(f'[database]\nurl = "{url}"\n[alerts]\nmax_age_days = 0\n')
    out = io.StringIO()
    assert main(["why", "https://example.org/pres-1", "--config", str(config)], out=out) == 0
    assert out.getvalue().strip() == expected.strip()
    assert main(["why", "not a url", "--config", str(config)]) == 2
    assert "only http:// and https://" in capsys.readouterr().err


async def test_a_retraction_is_told_by_the_desks_retraction_bar(db: Database) -> None:
    await _story(db)
    async with db.begin() as conn:  # the story as a retraction the model rated 0.45, told from the store
        await conn.execute(update(s.disputes).values(status="retracted", confidence=0.45))
        await conn.execute(update(s.items).values(trace=None))
    low = Config(alerts=AlertsConfig(max_age_days=0, retraction_threshold=0.4))
    r = await explain(db, low, "https://example.org/pres-1")
    assert "≥ alert threshold 0.40 (a retraction in the speaker's own words)" in _stage(r, "score").why
    # without the option a retraction needs the ordinary bar
    r = await explain(db, CONFIG, "https://example.org/pres-1")
    assert "< alert threshold 0.60" in _stage(r, "score").why
