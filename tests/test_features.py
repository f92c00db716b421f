"""The decision's features: what an item and a pair of items look like to the learned model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from bot.detect.features import (
    ITEM_FEATURES,
    PAIR_FEATURES,
    CueFlags,
    PairContext,
    Semantics,
    candidate_distinctness,
    claimant_named,
    cue_flags,
    distinctive_overlaps,
    figure_conflict,
    item_features,
    pair_features,
)
from bot.detect.reading import Reading
from bot.detect.terms import extract_terms
from bot.types import Actor, ActorType, Item, Statement, StatementKind

T0 = datetime(2025, 3, 1, 9, tzinfo=UTC)
ARMY = Actor("xx.army", "Ruritanian army", ActorType.MILITARY, "xx", (), "xx.gov")
NEIGHBOUR = Actor("yy.gov", "Government of Borduria", ActorType.GOVERNMENT, "yy")
PAPER = Actor("media.gazette", "The Gazette", ActorType.MEDIA, "xx")


def _reading(
    n: int, title: str, when: datetime, *statements: Statement, actors: tuple[Actor, ...] = ()
) -> Reading:
    item = Item(n, 1, f"g{n}", None, title, "", when, when, str(n))
    return Reading(item, tuple(statements), actors, "en")


def _st(
    kind: StatementKind, speaker: Actor | None, target: Actor | None = None, score: float = 0.8
) -> Statement:
    return Statement(
        0, kind, speaker, speaker.name if speaker else "", "q", cue="cue", target=target, score=score
    )


CLAIM = _reading(
    1,
    "Ruritanian army says it holds 300 positions on the Vardar ridge",
    T0,
    _st(StatementKind.CLAIM, ARMY),
    actors=(ARMY,),
)


def _pair(later: Reading, cos: float = 0.8) -> dict[str, float]:
    f = pair_features(CLAIM, later, Semantics(), PairContext(cos, cos, 1, 0.2, 0.3))
    assert f.shape == (len(PAIR_FEATURES),)
    return dict(zip(PAIR_FEATURES, f.tolist(), strict=True))


def test_a_denial_naming_the_claims_speaker_from_the_other_state() -> None:
    denial = _reading(
        2,
        "Borduria says the Ruritanian army holds only 120 positions on the Vardar ridge",
        T0 + timedelta(days=1),
        _st(StatementKind.DENIAL, NEIGHBOUR, ARMY),
        actors=(NEIGHBOUR, ARMY),
    )
    f = _pair(denial)
    assert f["disputed_is_speaker"] == 1.0 and f["disputed_named_earlier"] == 1.0
    assert f["opposing_states"] == 1.0 and f["same_side"] == 0.0
    assert f["figure_conflict"] == 1.0  # 120 against 300
    assert f["cos_x_opposing"] == pytest.approx(0.8)
    assert 0.6 < f["gap_log_days"] < 0.8  # log(1 + 1 day)


def test_the_claimants_own_correction_is_the_same_side() -> None:
    correction = _reading(
        3,
        "Ruritanian army corrects its figure on Vardar ridge positions",
        T0 + timedelta(days=3),
        _st(StatementKind.CORRECTION, ARMY, ARMY),
        actors=(ARMY,),
    )
    f = _pair(correction)
    assert f["same_side"] == 1.0 and f["opposing_states"] == 0.0
    assert f["cos_x_own_side"] > 0.5


def test_an_item_that_names_nobody_still_gets_the_meaning_features() -> None:
    plain = _reading(4, "Fog closes the airport for a day", T0 + timedelta(hours=5))
    f = _pair(plain, cos=0.1)
    assert f["cos"] == pytest.approx(0.1) and f["disputed_is_speaker"] == 0.0 and f["shared_actors"] == 0.0


def test_item_features_read_cues_targets_and_senses() -> None:
    denial_of_paper = _reading(
        5, "Army denies newspaper report", T0, _st(StatementKind.DENIAL, ARMY, PAPER), actors=(ARMY, PAPER)
    )
    denial_of_paper = Reading(
        denial_of_paper.item,
        (
            Statement(
                0,
                StatementKind.DENIAL,
                ARMY,
                "army",
                "q",
                cue="denies",
                target=PAPER,
                score=0.7,
                target_kind="media",
            ),
        ),
        (ARMY, PAPER),
        "en",
    )
    f = dict(
        zip(
            ITEM_FEATURES,
            item_features(denial_of_paper, Semantics(0.9, 0.1, 0.0), CueFlags(negated=True)).tolist(),
            strict=True,
        )
    )
    assert f["cue_denial"] == pytest.approx(0.7) and f["target_media"] == 1.0 and f["target_official"] == 0.0
    assert f["speaker_official"] == 1.0 and f["disputed_official"] == 0.0
    assert f["sense_negated"] == 1.0 and f["sense_other"] == 0.0
    assert f["sem_dispute"] == pytest.approx(0.9) and f["claimant_named"] == 1.0


def test_figure_conflict_needs_a_different_figure_of_the_same_order() -> None:
    def terms(text: str) -> frozenset[str]:
        return extract_terms(text).numbers

    assert figure_conflict(terms("400 bridges repaired"), terms("only 262 of 400 bridges repaired"))
    assert figure_conflict(terms("1,300 schools built"), terms("890 schools, not 1,300"))
    assert not figure_conflict(terms("400 bridges repaired"), terms("400 bridges repaired, audit confirms"))
    assert not figure_conflict(terms("3 labs raided"), terms("3,000 officers deployed"))  # another order
    assert not figure_conflict(terms("the 2023 budget"), terms("the 2024 budget"))  # years are dates


def test_claimant_named_by_actor_or_by_words() -> None:
    assert claimant_named(_reading(6, "x", T0, _st(StatementKind.DENIAL, NEIGHBOUR, ARMY)))
    words = Statement(0, StatementKind.DENIAL, NEIGHBOUR, "", "q", target_text="the harbour authority")
    assert claimant_named(_reading(7, "x", T0, words))
    assert not claimant_named(_reading(8, "x", T0, _st(StatementKind.DENIAL, NEIGHBOUR)))
    assert not claimant_named(_reading(9, "x", T0))


def test_feature_vectors_are_finite() -> None:
    f = item_features(CLAIM, Semantics(), CueFlags())
    assert f.shape == (len(ITEM_FEATURES),) and np.isfinite(f).all()


def test_a_name_every_candidate_shares_counts_for_little_and_the_event_word_for_much() -> None:
    denial = extract_terms("Palace denies the minister's account of the Vardar depot fire")
    same_name_only = [
        extract_terms("The minister opens a new school in the capital"),
        extract_terms("The minister meets farmers over grain prices"),
    ]
    answered = extract_terms("The minister says the Vardar depot fire was an accident")
    scores = distinctive_overlaps(denial, [*same_name_only, answered])
    assert scores[2] > 2 * max(scores[:2])
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_a_lone_candidate_sharing_nothing_scores_zero() -> None:
    later = extract_terms("Borduria denies sending troops across the river")
    assert distinctive_overlaps(later, [extract_terms("Grain harvest up in the south")]) == [0.0]
    assert distinctive_overlaps(later, []) == []


def test_distinctness_is_counted_per_later_item_against_the_best_other_candidate() -> None:
    a = extract_terms("Vardar depot fire: palace denies the minister's account")
    b = extract_terms("Harbour strike: unions deny the mayor's figures")
    pairs = [
        (1, a, extract_terms("Minister says the Vardar depot fire was an accident")),
        (2, b, extract_terms("Mayor says 90 % of harbour workers came in")),
        (1, a, extract_terms("Minister visits a school")),
    ]
    got = candidate_distinctness(pairs)
    # the second item has one candidate: nothing else to beat
    assert got[1][1] == 0.0 and got[1][0] > 0.0
    # the first item's candidates are compared with each other only
    assert got[0][1] == got[2][0] and got[2][1] == got[0][0]
    assert got[0][0] > got[2][0]
    f = pair_features(CLAIM, CLAIM, Semantics(), PairContext(0.5, 0.5, 1, 0, 0, got[0][0], got[0][1]))
    named = dict(zip(PAIR_FEATURES, f.tolist(), strict=True))
    assert named["distinct_margin"] == pytest.approx(got[0][0] - got[0][1])


@pytest.mark.parametrize(
    ("title", "language", "admission", "finding"),
    [
        ("Harbour board admits the ferry schedule was never approved", "en", 0.65, 0.0),
        ("Port minister concedes the dredging figures were out of date", "en", 0.65, 0.0),
        ("Harbour chief falsely claimed the ferry had passed inspection", "en", 0.0, 0.7),
        ("Harbour chief says he misspoke about the ferry inspection", "en", 0.0, 0.0),
        ("El alcalde mintió sobre la inspección del ferri", "es", 0.0, 0.7),
        ("Le préfet reconnaît que le bac n'avait pas été inspecté", "fr", 0.65, 0.0),
        # a negated admission is none
        ("Harbour board did not admit any fault in the ferry schedule", "en", 0.0, 0.0),
    ],
)
def test_cue_groups_tell_an_admission_and_a_finding_from_other_retractions_and_denials(
    title: str, language: str, admission: float, finding: float
) -> None:
    flags = cue_flags(title, "", language)
    assert flags.groups == pytest.approx((admission, finding))
    r = _reading(9, title, T0)
    f = dict(zip(ITEM_FEATURES, item_features(r, Semantics(), flags).tolist(), strict=True))
    assert f["cue_admission"] == pytest.approx(admission) and f["cue_finding"] == pytest.approx(finding)
