"""A dispute read from its words alone (`bot/detect/worded.py`): an item whose words the wording
model reads as a dispute, though the rules read no dispute word, disputes the official whose
statement it reports; the alert says it was read from the words; a desk can turn it off."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import AlertsConfig, Config, ConfigError, load_config
from bot.detect.decision import CORRECTION, DENIAL, NONE, Decision
from bot.detect.detector import Detector
from bot.detect.explain import reasons
from bot.detect.features import Semantics
from bot.detect.reading import Reading
from bot.detect.worded import MEANING_FLOOR, may_be_worded, worded
from bot.storage import disputes as store
from bot.storage.db import Database
from bot.types import Actor, ActorType, FeedKind, Item, Statement, StatementKind
from bot.why import explain
from tests.test_reference_story import T0, _add
from tests.test_wording import alerted_and_trace

MAYOR = Actor("xx.city.mayor", "Mayor of Eastport", ActorType.OFFICIAL)
CLUB = Actor("xx.club", "Eastport Rowing Club", ActorType.OTHER)
NOTHING = Decision(NONE, 0.05, None, ())
SEM = Semantics(dispute=0.4)  # the meaning heads see a dispute too


def _reading(title: str, *statements: tuple[StatementKind, Actor | None], link: str | None = None) -> Reading:
    item = Item(1, 1, "g1", link, title, "", T0, T0, "h", feed_kind=FeedKind.NEWS, feed_name="Wire desk")
    sts = tuple(
        Statement(1, kind, who, who.name if who else "", title, "en", target=None, score=0.9)
        for kind, who in statements
    )
    return Reading(item, sts, tuple(a for _, a in statements if a is not None), "en")


def test_only_an_officials_reported_statement_nobody_disputes_yet_may_be_read_from_its_words() -> None:
    claim = _reading("Without evidence, mayor claims crime fell by half", (StatementKind.CLAIM, MAYOR))
    assert may_be_worded(claim, SEM, NOTHING, 0.6)
    # the decision already posts it: nothing to add
    assert not may_be_worded(claim, SEM, Decision(DENIAL, 0.8, None, ()), 0.6)
    # the rules read a dispute word: the learned decision weighs it, not the words alone
    assert not may_be_worded(
        _reading("Mayor denies crime rose", (StatementKind.DENIAL, MAYOR), (StatementKind.CLAIM, MAYOR)),
        SEM,
        NOTHING,
        0.6,
    )
    # not an official's statement, or no statement reported at all (only a name)
    assert not may_be_worded(_reading("Club claims record", (StatementKind.CLAIM, CLUB)), SEM, NOTHING, 0.6)
    assert not may_be_worded(_reading("Mayor faces doubts over crime figures"), SEM, NOTHING, 0.6)
    # the meaning heads read no dispute at all: the words alone are not enough
    assert not may_be_worded(claim, Semantics(dispute=MEANING_FLOOR - 0.01), NOTHING, 0.6)
    # an opinion piece is its writer's view
    opinion = _reading(
        "Opinion: the mayor's crime claims", (StatementKind.CLAIM, MAYOR), link="https://x/opinion/1"
    )
    assert not may_be_worded(opinion, SEM, NOTHING, 0.6)


def test_the_words_read_are_the_headlines_so_the_statement_they_fault_is_too() -> None:
    title = "Harbour chief may not contest finding that he misled inspectors"
    item = Item(1, 1, "g1", None, title, "", T0, T0, "h", feed_kind=FeedKind.NEWS, feed_name="Wire desk")
    # the only official statement the rules read is in the lead: the headline's words fault the
    # harbour chief, not what the mayor said there
    lead = Statement(
        1,
        StatementKind.CLAIM,
        MAYOR,
        "mayor",
        "A lawyer for the mayor's aide said talks go on.",
        "en",
        score=0.9,
    )
    in_lead = Reading(item, (lead,), (MAYOR,), "en")
    assert not may_be_worded(in_lead, SEM, NOTHING, 0.6)
    said = Statement(1, StatementKind.CLAIM, MAYOR, "mayor", title, "en", score=0.5)
    both = Reading(item, (lead, said), (MAYOR,), "en")
    assert may_be_worded(both, SEM, NOTHING, 0.6)
    assert worded(both, SEM, NOTHING, 0.95)[0].disputed == MAYOR


def test_the_words_make_a_dispute_of_the_speaker_or_the_speakers_own_correction() -> None:
    claim = _reading("Without evidence, mayor claims crime fell by half", (StatementKind.CLAIM, MAYOR))
    read, d = worded(claim, Semantics(dispute=0.1), NOTHING, 0.93)
    assert (d.label, d.p, d.earlier_id, d.by_words) == (DENIAL, 0.93, None, True)
    assert read.disputed == MAYOR and read.disputing is not None and read.disputing.speaker is None
    why = reasons(d, read, None, denier="Wire desk", claimant=MAYOR.name)
    assert why[0] == "Wire desk disputes Mayor of Eastport"
    assert "its words read as a dispute 0.93" in why[-1] and "not a calibrated probability" in why[-1]
    own, d2 = worded(claim, Semantics(self_=0.8), NOTHING, 0.93)
    assert d2.label == CORRECTION and own.disputed == MAYOR and own.disputing.speaker == MAYOR  # type: ignore[union-attr]


def test_the_words_alone_threshold_is_read_and_checked(tmp_path: Path) -> None:
    cfg = tmp_path / "f.toml"
    cfg.write_text("", encoding="utf-8")
    assert load_config(cfg).alerts.words_alone_threshold == AlertsConfig().words_alone_threshold > 0
    cfg.write_text("[alerts]\nwords_alone_threshold = 0\n", encoding="utf-8")
    assert load_config(cfg).alerts.words_alone_threshold == 0
    cfg.write_text("[alerts]\nwords_alone_threshold = 1.5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="words_alone_threshold"):
        load_config(cfg)


# a wire story reporting ICE's statement and saying in its own words that it is unsupported
UNSUPPORTED = (
    "wire",
    "wire-unsupported",
    T0 + timedelta(hours=3),
    "Without evidence, ICE claims its agents led the Sinaloa drug lab raids",
    "",
)


async def _run(db: Database, words_alone: float) -> tuple[list[int], dict]:  # type: ignore[type-arg]
    cfg = Config(alerts=AlertsConfig(max_age_days=0, words_alone_threshold=words_alone))
    det = Detector(db, cfg, ["slack:C0ALERTS"], stance=False)
    (item,) = await _add(db, [UNSUPPORTED])
    await det.process_pending()
    return await alerted_and_trace(db, item)


async def test_a_claim_its_words_call_unsupported_alerts_as_a_dispute_of_its_speaker(db: Database) -> None:
    alerted, trace = await _run(db, 0.9)
    assert len(alerted) == 1
    async with db.connect() as conn:
        (dispute,) = await store.load_disputes(conn, alerted)
    assert dispute.speaker == "U.S. Immigration and Customs Enforcement"
    assert any("its words read as a dispute" in r for r in dispute.reasons)
    decision = next(x for x in trace["stages"] if x["stage"] == "decision")
    assert "read from its words alone" in decision["why"]
    score = next(x for x in trace["stages"] if x["stage"] == "score")
    assert score["why"].startswith("words-alone score 0.") and "≥ alert threshold 0.60" in score["why"]


async def test_a_desk_can_turn_the_words_alone_off(db: Database) -> None:
    alerted, trace = await _run(db, 0.0)
    assert alerted == []
    decision = next(x for x in trace["stages"] if x["stage"] == "decision")
    assert decision["ok"] is False and "read from its words" not in decision["why"]


async def test_why_no_alert_blames_delivery_not_the_missing_earlier_item(db: Database) -> None:
    # a dispute reported by one item has no earlier candidate and needs none: while its alert is
    # queued, "why no alert?" says so instead of blaming the candidates stage
    await _run(db, 0.9)
    cfg = Config(alerts=AlertsConfig(max_age_days=0))
    report = await explain(db, cfg, "https://example.org/wire-unsupported")
    assert report.verdict == "In dispute #1, no alert sent: queued, not delivered yet."
    assert "words-alone score" in report.text()
