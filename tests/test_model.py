"""The learned decision's model file and the decision it drives."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from bot.detect.decision import (
    CORRECTION,
    COUNTER,
    DENIAL,
    LINK_SURE,
    RETRACTION,
    PairInput,
    carries_statement,
    decide,
    kind_of,
    names_the_role,
)
from bot.detect.explain import trace
from bot.detect.features import ITEM_FEATURES, PAIR_FEATURES, PairContext, Semantics
from bot.detect.model import Calibration, DetectorModel, Linear, ModelError, default_model_path
from bot.detect.reading import Reading
from bot.types import Actor, ActorType, Item, Statement, StatementKind

T0 = datetime(2025, 3, 1, 9, tzinfo=UTC)
ARMY = Actor("xx.army", "Ruritanian army", ActorType.MILITARY, "xx", (), "xx.gov")
NEIGHBOUR = Actor("yy.gov", "Government of Borduria", ActorType.GOVERNMENT, "yy")
N_ITEM, N_PAIR = len(ITEM_FEATURES), len(PAIR_FEATURES)


def _linear(n_in: int, weights: dict[int, float], bias: float, n_out: int = 1) -> Linear:
    coef = np.zeros((n_out, n_in), dtype=np.float32)
    for i, w in weights.items():
        coef[0, i] = w
    return Linear(
        np.zeros(n_in, np.float32), np.ones(n_in, np.float32), coef, np.full(n_out, bias, np.float32)
    )


def _identity() -> Calibration:
    return Calibration(np.zeros(0), np.zeros(0))


def _model(link_ratio: float = 0.5) -> DetectorModel:
    """A hand-set model: the pair score rises with meaning (cos), the item alone with its denial cue."""
    cos = N_ITEM + PAIR_FEATURES.index("cos")
    cue = ITEM_FEATURES.index("cue_denial")
    return DetectorModel(
        semantics_head=_linear(512, {}, -3.0, n_out=3),
        contradiction_head=_linear(1024, {}, -3.0),
        pair=_linear(N_ITEM + N_PAIR, {cos: 10.0}, -6.0),
        pair_calibration=_identity(),
        single=_linear(N_ITEM, {cue: 6.0}, -3.0),
        single_calibration=_identity(),
        card={"link_ratio": link_ratio, "note": "hand-set for tests"},
    )


def _reading(n: int, *statements: Statement) -> Reading:
    item = Item(n, 1, f"g{n}", None, f"item {n}", "", T0 + timedelta(hours=n), T0, str(n))
    return Reading(item, tuple(statements), (), "en")


def _denial(target: Actor | None) -> Statement:
    return Statement(
        0, StatementKind.DENIAL, NEIGHBOUR, "Borduria", "q", cue="denies", target=target, score=0.9
    )


def _feats(r: Reading) -> np.ndarray:
    from bot.detect.features import CueFlags, item_features

    return item_features(r, Semantics(), CueFlags())


def _candidate(n: int, cos: float) -> PairInput:
    claim = _reading(n, Statement(0, StatementKind.CLAIM, ARMY, "army", "q", score=0.9))
    return PairInput(claim, Semantics(), PairContext(cos, cos, 1), "meaning")


def test_a_near_claim_is_linked_and_a_far_one_leaves_the_item_alone() -> None:
    later = _reading(9, _denial(ARMY))
    near = decide(_model(), later, Semantics(), _feats(later), [_candidate(1, 0.9)])
    assert near.earlier_id == 1 and near.label == DENIAL
    assert near.p == pytest.approx(max(near.single_p, float(1 / (1 + np.exp(-3.0)))), rel=1e-4)
    far = decide(_model(), later, Semantics(), _feats(later), [_candidate(1, 0.1)])
    assert far.earlier_id is None and far.p == pytest.approx(far.single_p)
    assert [o.earlier_id for o in far.options][0] is None  # best first


def test_the_link_ratio_comes_from_the_model_card() -> None:
    later = _reading(9, _denial(ARMY))
    weak = [_candidate(1, 0.5)]  # the link is well below the item alone
    assert decide(_model(link_ratio=0.5), later, Semantics(), _feats(later), weak).earlier_id is None
    assert decide(_model(link_ratio=0.01), later, Semantics(), _feats(later), weak).earlier_id == 1


def _stating_nothing(n: int, cos: float, sem: Semantics | None = None) -> PairInput:
    """An earlier item the rules read no statement in (a report about the army, say)."""
    return PairInput(_reading(n), sem or Semantics(), PairContext(cos, cos, 1), "meaning")


def test_a_link_to_an_item_stating_nothing_needs_the_model_to_be_sure() -> None:
    # The link names the statement the item disputes: an earlier item with none to dispute is
    # linked only when the pair model is sure of it (LINK_SURE); one with a claim, at even odds.
    later = _reading(9, _denial(ARMY))
    fairly = 0.75  # pair p about 0.82: likely enough for the link ratio, short of LINK_SURE
    assert (
        decide(_model(), later, Semantics(), _feats(later), [_stating_nothing(1, fairly)]).earlier_id is None
    )
    assert decide(_model(), later, Semantics(), _feats(later), [_candidate(1, fairly)]).earlier_id == 1
    sure = decide(_model(), later, Semantics(), _feats(later), [_stating_nothing(1, 0.95)])
    assert sure.earlier_id == 1 and next(o.p for o in sure.options if o.earlier_id == 1) >= LINK_SURE
    assert sure.declined_link is None


def test_a_report_naming_the_body_of_a_disputed_role_may_be_its_account() -> None:
    # "The police account ... is contradicted": the role names no force, and the earlier report
    # ("dies during a Northport police arrest") names the body that fills it; a named party in
    # both is no such sign
    role = Actor("police", "Police", ActorType.POLICE, None)
    force = Actor("xx.police.northport", "Northport police", ActorType.POLICE, "xx")
    report = _reading(1)
    report = Reading(report.item, (), (force,), "en")
    by_role = _reading(9, _denial(role))
    earlier = PairInput(report, Semantics(), PairContext(0.6, 0.6, 1), "meaning")
    assert names_the_role(by_role, earlier)
    d = decide(_model(), by_role, Semantics(), _feats(by_role), [earlier])
    assert d.earlier_id == 1
    named = _reading(9, _denial(force))
    assert not names_the_role(named, earlier)
    army_report = PairInput(
        Reading(report.item, (), (ARMY,), "en"), Semantics(), PairContext(0.6, 0.6, 1), "x"
    )
    assert not names_the_role(by_role, army_report)


def test_why_no_link_says_the_earlier_item_states_nothing() -> None:
    later = _reading(9, _denial(ARMY))
    d = decide(_model(), later, Semantics(), _feats(later), [_stating_nothing(1, 0.75)])
    assert d.earlier_id is None and d.declined_link == 1
    stages = trace(later, d, candidates=[], thresholds={"review": 0.4, "alert": 0.6}, outcome="")["stages"]
    why = next(st["why"] for st in stages if st["stage"] == "decision")
    assert "reports both sides itself (not linked to item 1 at 0.82: it states nothing to dispute" in why
    assert f"needs {LINK_SURE:.2f}" in why


def test_what_counts_as_a_statement_to_dispute() -> None:
    # a claim read by meaning (any language), or an earlier answer the item carries on
    assert not carries_statement(_stating_nothing(1, 0.5))
    assert carries_statement(_candidate(1, 0.5))
    assert carries_statement(_stating_nothing(1, 0.5, Semantics(claim=0.8)))
    assert carries_statement(_stating_nothing(1, 0.5, Semantics(dispute=0.8)))
    answer = PairInput(_reading(1, _denial(ARMY)), Semantics(), PairContext(0.5, 0.5, 1), "meaning")
    assert carries_statement(answer)


def test_an_item_that_names_no_claimant_cannot_stand_alone() -> None:
    later = _reading(9, _denial(None))
    d = decide(_model(), later, Semantics(), _feats(later), [])
    assert d.single_p > 0.5 and d.p == 0.0 and d.earlier_id is None


def test_kind_follows_who_speaks_and_the_cue() -> None:
    def st(kind: StatementKind) -> Statement:
        return Statement(0, kind, ARMY, "army", "q", cue="x", target=ARMY, score=0.8)

    earlier = _reading(1)
    assert kind_of(_reading(2, st(StatementKind.RETRACTION)), Semantics(), earlier) == RETRACTION
    assert kind_of(_reading(2, st(StatementKind.CORRECTION)), Semantics(), None) == CORRECTION
    assert kind_of(_reading(2, _denial(ARMY)), Semantics(), earlier) == DENIAL
    assert kind_of(_reading(2), Semantics(self_=0.9), earlier) == CORRECTION  # "misspoke": no cue word
    assert kind_of(_reading(2), Semantics(), earlier) == COUNTER  # the other side's opposite account


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    _model().save(path)
    back = DetectorModel.load(path)
    x = np.random.default_rng(0).normal(size=(4, N_ITEM + N_PAIR)).astype(np.float32)
    np.testing.assert_allclose(back.p_pair(x), _model().p_pair(x), rtol=1e-6)
    card = json.loads(path.with_suffix(".json").read_text())
    assert card["item_features"] == list(ITEM_FEATURES) and card["pair_kind"] == "linear"


def test_a_missing_old_or_mismatched_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="make model"):
        DetectorModel.load(tmp_path / "none.npz")
    path = tmp_path / "m.npz"
    _model().save(path)
    card = json.loads(path.with_suffix(".json").read_text())
    path.with_suffix(".json").write_text(json.dumps(dict(card, pair_features=card["pair_features"][:-1])))
    with pytest.raises(ModelError, match="other features"):
        DetectorModel.load(path)
    path.with_suffix(".json").write_text(json.dumps(dict(card, format=0)))
    with pytest.raises(ModelError, match="format"):
        DetectorModel.load(path)


def test_calibration_is_monotone_and_clipped() -> None:
    cal = Calibration(np.array([0.1, 0.5, 0.9]), np.array([0.0, 0.4, 0.95]))
    out = cal(np.array([0.0, 0.1, 0.3, 0.5, 0.7, 1.0]))
    assert (np.diff(out) >= 0).all() and out[0] == 0.0 and out[-1] == pytest.approx(0.95)


def test_the_shipped_model_loads_and_says_what_it_was_trained_on() -> None:
    model = DetectorModel.load(default_model_path())
    card = model.card
    assert card["encoder"] == "use-multilingual-v3"
    assert {"streams", "probes"} <= set(card["sources"])
    assert card["pair"]["reliability"] and card["single"]["reliability"]
    assert 0.0 < float(card["link_ratio"]) <= 1.0


def _read(n: int, *statements: Statement, actors: tuple[Actor, ...] = ()) -> Reading:
    item = Item(n, 1, f"g{n}", None, f"item {n}", "", T0 + timedelta(hours=n), T0, str(n))
    return Reading(item, tuple(statements), actors, "en")


ARMY_CLAIM = _read(1, Statement(0, StatementKind.CLAIM, ARMY, "army", "q", score=0.9), actors=(ARMY,))


def test_a_denial_in_its_own_words_can_answer_anyone() -> None:
    from bot.detect.decision import answers

    assert answers(_read(2, _denial(ARMY)), Semantics(), ARMY_CLAIM)


def test_a_retraction_answers_only_its_own_sides_claim() -> None:
    from bot.detect.decision import answers

    own = Statement(0, StatementKind.RETRACTION, ARMY, "army", "q", cue="withdraws", target=ARMY, score=0.9)
    other = Statement(0, StatementKind.RETRACTION, NEIGHBOUR, "Borduria", "q", cue="admits", score=0.9)
    assert answers(_read(2, own, actors=(ARMY,)), Semantics(), ARMY_CLAIM)
    assert not answers(_read(2, other, actors=(NEIGHBOUR,)), Semantics(), ARMY_CLAIM)


def test_an_opposite_account_must_be_another_officials_own_statement() -> None:
    from bot.detect.decision import answers

    theirs = Statement(0, StatementKind.CLAIM, NEIGHBOUR, "Borduria", "q", score=0.8)
    stated = _read(2, theirs, actors=(NEIGHBOUR,))
    assert answers(stated, Semantics(), ARMY_CLAIM)
    # the same side's cue-less follow-up is no counter-account; nor is a report naming nobody
    assert not answers(_read(2, actors=(ARMY,)), Semantics(claim=0.9), ARMY_CLAIM)
    assert not answers(_read(2), Semantics(claim=0.9), ARMY_CLAIM)
    # another official only mentioned, with nothing stated of its own: coverage, not an account
    assert not answers(_read(2, actors=(NEIGHBOUR,)), Semantics(claim=0.1), ARMY_CLAIM)
    assert answers(_read(2, actors=(NEIGHBOUR,)), Semantics(claim=0.9), ARMY_CLAIM)  # stated, by meaning
    # the claimant's own side in other words ("misspoke") is a correction, not an opposite account
    assert answers(_read(2, actors=(ARMY,)), Semantics(self_=0.9), ARMY_CLAIM)


def test_meaning_reads_a_denial_and_a_carried_on_answer_in_any_language() -> None:
    from bot.detect.decision import answers

    # no cue the rules know (say, a Korean headline), but the meaning reads a dispute
    assert answers(_read(2, actors=(NEIGHBOUR,)), Semantics(dispute=0.8), ARMY_CLAIM)
    assert kind_of(_read(2), Semantics(dispute=0.8), ARMY_CLAIM) == DENIAL
    # a cue-less report carrying on an earlier answer may be the same story (the model decides)
    earlier_denial = _read(1, _denial(ARMY), actors=(NEIGHBOUR,))
    assert answers(_read(2, actors=(ARMY,)), Semantics(), earlier_denial, Semantics())
    assert not answers(_read(2, actors=(ARMY,)), Semantics(), ARMY_CLAIM, Semantics())


def test_a_claimant_denying_a_report_stands_by_its_claim_and_answers_nobody() -> None:
    from bot.detect.decision import answers, may_stand_alone

    def denial_by(speaker: Actor, target: Actor | None = None) -> Statement:
        return Statement(0, StatementKind.DENIAL, speaker, speaker.name, "q", cue="rejects", target=target)

    # the army calling a newspaper's report of its tally false does not dispute its own tally
    assert not answers(_read(2, denial_by(ARMY), actors=(ARMY,)), Semantics(), ARMY_CLAIM)
    # ... but it may carry on a story whose earlier item is itself an answer
    earlier_denial = _read(1, _denial(ARMY), actors=(NEIGHBOUR,))
    assert answers(_read(2, denial_by(ARMY), actors=(ARMY,)), Semantics(), earlier_denial, Semantics())
    # a neighbour's denial still answers it, and a report of the claim with no speaker is weighed
    assert answers(_read(2, denial_by(NEIGHBOUR), actors=(NEIGHBOUR,)), Semantics(), ARMY_CLAIM)
    # an item whose denier and target are one body names no claimant of its own: it cannot stand alone
    assert not may_stand_alone(_read(2, denial_by(ARMY, target=ARMY)))
    assert may_stand_alone(_read(2, denial_by(NEIGHBOUR, target=ARMY)))


def test_an_admission_of_something_else_does_not_stand_alone_but_may_answer_its_own_side() -> None:
    from bot.detect.decision import answers, may_stand_alone

    def retraction(group: str | None) -> Statement:
        return Statement(
            0,
            StatementKind.RETRACTION,
            ARMY,
            "army",
            "q",
            cue="admits",
            target=ARMY,
            score=0.9,
            cue_group=group,
        )

    # "the army admits delays": a fact confessed, no false statement named
    bare = _read(2, retraction("admission"), actors=(ARMY,))
    assert not may_stand_alone(bare)
    # ... but beside the army's own earlier claim it gives that claim up
    assert answers(bare, Semantics(), ARMY_CLAIM)
    # "the army admits its tally was wrong" names its own error: it stands alone
    assert may_stand_alone(_read(2, retraction(None), actors=(ARMY,)))


def test_a_side_taking_back_its_own_words_is_told_from_admissions_and_denials() -> None:
    from bot.config import AlertsConfig
    from bot.detect.decision import takes_back_own_words
    from bot.detect.routing import alert_bar, route

    def one(kind: StatementKind, group: str | None = None) -> Reading:
        return _read(
            2, Statement(0, kind, ARMY, "army", "q", cue="x", target=ARMY, score=0.9, cue_group=group)
        )

    assert takes_back_own_words(one(StatementKind.RETRACTION), RETRACTION)
    # a bare admission, a denial, and a retraction the decision does not read as one are not
    assert not takes_back_own_words(one(StatementKind.RETRACTION, "admission"), RETRACTION)
    assert not takes_back_own_words(one(StatementKind.DENIAL), DENIAL)
    assert not takes_back_own_words(one(StatementKind.RETRACTION), DENIAL)

    alerts = AlertsConfig(alert_threshold=0.6, review_threshold=0.3, retraction_threshold=0.4)
    assert alert_bar(alerts, own_retraction=True) == 0.4 and alert_bar(alerts) == 0.6
    # a retraction bar above the alert bar never raises it
    assert alert_bar(AlertsConfig(alert_threshold=0.6, retraction_threshold=0.9), own_retraction=True) == 0.6
    # unset (the default), a retraction needs the ordinary bar
    assert alert_bar(AlertsConfig(alert_threshold=0.6), own_retraction=True) == 0.6
    at = dict(official=True, newest_evidence_at=T0, now=T0)
    assert route(0.45, alerts, ["console:stdout"], own_retraction=True, **at).level == "alert"
    assert route(0.45, alerts, ["console:stdout"], **at).level == "stored"
