"""The wording model: a second opinion from the characters of the words (`bot/detect/wording.py`).

Its featurizer must split text the same way at run time as `training/train_wording.py` did when
it learned the weights; the packaged model must read disputes as disputes in several languages;
an alert needs its agreement (`routing.route`), told in the item's trace; a broken file is a
clear error."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.config import AlertsConfig, Config, ConfigError, DetectConfig, load_config
from bot.detect.detector import Detector
from bot.detect.encoder import item_text
from bot.detect.model import ModelError
from bot.detect.routing import route
from bot.detect.wording import BUCKETS, WordingModel, featurize, ngram_counts
from bot.storage import disputes as store
from bot.storage import schema as s
from bot.storage.db import Database
from tests.test_reference_story import CLAIM, DENIAL, EMBASSY, _add
from training.train_wording import balance, idf_of, read_through_arg, tf_matrix, weighted

NOW = datetime(2026, 12, 7, tzinfo=UTC)


def test_each_word_gives_its_padded_ngrams() -> None:
    # " ab " has 3 two-grams, 2 three-grams and 1 four-gram; case does not matter
    assert sum(ngram_counts("AB").values()) == 6
    assert (
        ngram_counts("ab ab") == ngram_counts("AB  ab") == {k: 2 * v for k, v in ngram_counts("ab").items()}
    )
    assert ngram_counts("") == {}


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_features_are_unit_rows_of_valid_buckets(text: str) -> None:
    idf = np.ones(BUCKETS)
    ((cols,), (vals,)) = featurize([text], idf)
    assert ((cols >= 0) & (cols < BUCKETS)).all()
    assert len(set(cols.tolist())) == len(cols)
    assert np.isclose(float(vals @ vals), 1.0) if len(cols) else len(vals) == 0


def test_run_time_features_equal_the_training_matrix() -> None:
    texts = [
        "Ministry denies the report",
        "Ministerio desmiente el informe",
        "Harbour board opens a new quay",
        "",
    ]
    tf = tf_matrix(texts)
    idf = idf_of(tf)
    x = weighted(tf, idf).toarray()
    cols, vals = featurize(texts, idf)
    for k in range(len(texts)):
        row = np.zeros(BUCKETS)
        row[cols[k]] = vals[k]
        assert np.allclose(row, x[k])


def test_written_and_real_rows_weigh_the_same() -> None:
    y = np.array([1, 0, 0, 0, 1, 0])
    real = np.array([False, False, True, True, True, True])
    w = balance(y, real)
    assert np.isclose(w[real].sum(), w[~real].sum())
    assert np.isclose(w[real & (y == 1)].sum(), w[real & (y == 0)].sum())


# our own pairs: the same kind of body, once disputing a statement, once ordinary news
PAIRS = [
    ("Port authority says its earlier tonnage figure was wrong", "Port authority reports record tonnage"),
    (
        "Interior ministry denies claim that border post was abandoned",
        "Interior ministry opens new border post",
    ),
    ("Audit office finds minister overstated hospital spending", "Minister announces hospital spending plan"),
    ("Army spokesman retracts statement on village shelling", "Army holds parade in the capital"),
    ("El ministerio niega que el puerto haya cerrado", "El ministerio inaugura un nuevo puerto"),
    (
        "Die Polizei korrigiert ihre Angaben zur Zahl der Verletzten",
        "Die Polizei stellt neue Streifenwagen vor",
    ),
]


def test_the_packaged_model_reads_disputes_above_plain_news() -> None:
    m = WordingModel.load()
    p = m.p_dispute([t for pair in PAIRS for t in pair]).reshape(-1, 2)
    assert (p[:, 0] > p[:, 1]).all(), p
    assert (p[:, 0] >= 0.5).all() and (p[:, 1] < 0.5).all(), p
    assert m.card["read_throughs"] == ["allsides-train", "huffpost-train", "allsides-2012-15"]
    assert m.card["out_of_fold_auc"]["real"] > 0.85


def test_a_read_through_is_named_by_its_committed_labels() -> None:
    assert read_through_arg("huffpost-train=/data/hp.jsonl") == ("huffpost-train", Path("/data/hp.jsonl"))
    for bad, why in (
        ("/data/hp.jsonl", "NAME=STREAM"),
        ("nobody-read-this=/data/x.jsonl", "no read-through labels"),
    ):
        with pytest.raises(argparse.ArgumentTypeError, match=why):
            read_through_arg(bad)


def test_a_missing_or_mismatched_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="wording model"):
        WordingModel.load(tmp_path / "none.npz")
    bad = tmp_path / "bad.npz"
    np.savez(bad, idf=np.ones(8), coef=np.ones(4), intercept=np.float32(0))
    bad.with_suffix(".json").write_text('{"format": 1}', encoding="utf-8")
    with pytest.raises(ModelError, match="format"):
        WordingModel.load(bad)


def _route(conf: float, wording: float | None, **alerts: object) -> tuple[str, str]:
    r = route(
        conf,
        AlertsConfig(max_age_days=0, **alerts),  # type: ignore[arg-type]
        ["slack:C1"],
        official=True,
        newest_evidence_at=NOW,
        now=NOW,
        wording=wording,
    )
    return r.level, r.why


def test_an_alert_needs_the_words_to_agree() -> None:
    assert _route(0.9, 0.5)[0] == "alert"
    level, why = _route(0.9, 0.1)
    assert level == "stored" and "words read as a dispute only 0.10" in why
    assert _route(0.9, 0.1, review_channel="slack:CREVIEW")[0] == "review"
    assert _route(0.9, None)[0] == "alert"  # not asked: no second opinion to wait for
    assert _route(0.9, 0.1, wording_threshold=0.0)[0] == "alert"  # the desk turned it off
    assert _route(0.3, 0.9)[1].startswith("confidence 0.30 <")  # the words never lift a low score


def test_the_wording_threshold_is_read_and_checked(tmp_path: Path) -> None:
    cfg = tmp_path / "f.toml"
    cfg.write_text("", encoding="utf-8")
    assert load_config(cfg).alerts.wording_threshold == 0.2
    cfg.write_text("[alerts]\nwording_threshold = 0.35\n", encoding="utf-8")
    assert load_config(cfg).alerts.wording_threshold == 0.35
    cfg.write_text("[alerts]\nwording_threshold = 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="wording_threshold"):
        load_config(cfg)


async def _reference_denial(
    db: Database, wording_threshold: float, wording_file: str | None = None
) -> tuple[list[int], dict]:  # type: ignore[type-arg]
    """The ICE claim, then the president's denial: which disputes alerted, and the denial's trace."""
    cfg = Config(
        alerts=AlertsConfig(max_age_days=0, wording_threshold=wording_threshold),
        detect=DetectConfig(wording_file=wording_file),
    )
    det = Detector(db, cfg, ["slack:C0ALERTS"], stance=False)
    await _add(db, [CLAIM])
    await det.process_pending()
    (denial,) = await _add(db, [DENIAL])
    await det.process_pending()
    return await alerted_and_trace(db, denial)


async def alerted_and_trace(db: Database, item_id: int) -> tuple[list[int], dict]:  # type: ignore[type-arg]
    """The disputes alerted so far, and the stored trace of one item."""
    async with db.connect() as conn:
        alerted = await store.alerted_dispute_ids(conn)
        trace = (await conn.execute(select(s.items.c.trace).where(s.items.c.id == item_id))).scalar_one()
    return alerted, json.loads(trace) if isinstance(trace, str) else trace


async def test_a_dispute_whose_words_do_not_agree_is_stored_not_posted(db: Database) -> None:
    alerted, trace = await _reference_denial(db, 0.99)  # a bar no headline's words reach
    assert alerted == []
    score = next(x for x in trace["stages"] if x["stage"] == "score")
    assert score["ok"] is False and score["thresholds"]["wording"] == 0.99
    assert "< wording threshold 0.99" in score["why"] and "no review channel" in score["why"]


async def test_the_reference_denial_reads_as_a_dispute(db: Database) -> None:
    alerted, trace = await _reference_denial(db, 0.2)
    assert len(alerted) == 1
    score = next(x for x in trace["stages"] if x["stage"] == "score")
    assert score["ok"] is True and score["wording"] >= 0.5
    assert "≥ wording threshold 0.20" in score["why"]


async def test_the_wording_model_named_in_the_config_is_the_one_asked(db: Database, tmp_path: Path) -> None:
    # a copy of the packaged model whose intercept makes every text read as no dispute: with it,
    # the reference denial is held back, so the bot asked this file and not the packaged one
    packaged = WordingModel.load()
    mine = tmp_path / "mine.npz"
    np.savez_compressed(mine, idf=packaged.idf, coef=packaged.coef, intercept=np.float64(-50.0))
    mine.with_suffix(".json").write_text(json.dumps(packaged.card), encoding="utf-8")
    cfg = tmp_path / "factbot.toml"
    cfg.write_text(f'[detect]\nwording_file = "{mine}"\n', encoding="utf-8")
    assert load_config(cfg).detect.wording_file == str(mine)
    alerted, trace = await _reference_denial(db, 0.2, wording_file=str(mine))
    assert alerted == []
    score = next(x for x in trace["stages"] if x["stage"] == "score")
    assert score["wording"] < 0.01


async def test_a_held_back_dispute_alerts_when_a_later_answer_reads_as_one(db: Database) -> None:
    # the Embassy's statement reads as a dispute less than the president's "es falso": with the
    # bar between the two, the first answer is held back and the second posts it (the bar is
    # read off the packaged model, so a retrained one keeps the test meaningful)
    texts = [item_text(title, text) for *_, title, text in (EMBASSY, DENIAL)]
    embassy_p, president_p = WordingModel.load().p_dispute(texts)
    assert embassy_p < president_p
    cfg = Config(alerts=AlertsConfig(max_age_days=0, wording_threshold=float(embassy_p + president_p) / 2))
    det = Detector(db, cfg, ["slack:C0ALERTS"], stance=False)
    await _add(db, [CLAIM])
    await det.process_pending()
    (embassy,) = await _add(db, [EMBASSY])
    await det.process_pending()
    async with db.connect() as conn:
        assert await store.alerted_dispute_ids(conn) == []
        (held,) = await store.disputes_for_item(conn, embassy)  # stored, with the Embassy's answer
    (president,) = await _add(db, [DENIAL])
    await det.process_pending()
    async with db.connect() as conn:
        assert await store.alerted_dispute_ids(conn) == [held]
        (dispute,) = await store.load_disputes(conn, [held])
    assert {e.item_id for e in dispute.evidence} >= {embassy, president}  # one thread for both
