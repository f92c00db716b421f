"""The learned stance model: loading, predictions, features, the tree walker, and the eval commands.

Fixtures are written here in our own words. The full FNC-1 / Emergent evaluations run only when
`../shared/data` exists and are marked `slow` (`make eval-fnc1` / `make eval-emergent` run them too).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.detect.stance import LABELS, StanceModel, StanceModelError
from bot.detect.stance_features import (
    DENSE_NAMES,
    N_DENSE,
    Featurizer,
    analyse,
    char_counts,
    sparse_matmul,
    tokenize,
)
from bot.detect.trees import TreeEnsemble
from evals import stance as stance_eval

DATA = Path(os.environ.get("FACTBOT_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data"))

CLAIM = "The immigration agency says its agents led a raid that shut down three drug labs in Sinaloa"
DENIAL = (
    "Mexico's president denies that US agents led the Sinaloa drug lab raid, calling the agency's claim false"
)
AGREE = "US immigration agents led raid that shut down three Sinaloa drug labs, agency confirms"
OFF_TOPIC = "City council approves new budget for public libraries and park maintenance"


@pytest.fixture(scope="module")
def model() -> StanceModel:
    return StanceModel.load()


def _assert_distribution(p: dict[str, float]) -> None:
    assert set(p) == set(LABELS)
    assert all(0.0 <= v <= 1.0 and math.isfinite(v) for v in p.values())
    assert sum(p.values()) == pytest.approx(1.0, abs=1e-6)


# ---------------------------------------------------------------- model


def test_packaged_model_loads_offline_and_predicts_a_distribution(model: StanceModel) -> None:
    assert {"fnc", "short"} <= set(model.heads)
    _assert_distribution(model.predict(CLAIM, DENIAL))


def test_missing_model_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StanceModelError, match="make model"):
        StanceModel.load(tmp_path / "nope.npz")


def test_corrupt_model_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip file")
    with pytest.raises(StanceModelError):
        StanceModel.load(bad)


def test_refuting_text_scores_higher_disagree_than_agreeing_text(model: StanceModel) -> None:
    deny = model.predict(CLAIM, DENIAL)
    agree = model.predict(CLAIM, AGREE)
    assert deny["disagree"] > agree["disagree"]
    assert agree["agree"] > deny["agree"]


def _without_cue_boost(model: StanceModel) -> StanceModel:
    heads = {name: dataclasses.replace(h, cue_boost=0.0) for name, h in model.heads.items()}
    return StanceModel(model.featurizer, heads, model.meta, model.context)


def test_short_head_leans_to_disagree_on_an_active_denial_cue(model: StanceModel) -> None:
    assert model.heads["short"].cue_boost > 0, "the packaged model was trained with the denial-cue boost"
    plain = _without_cue_boost(model)
    denial = "Embassy denies the agency's account of the Sinaloa raid"
    assert model.predict(CLAIM, denial)["disagree"] > plain.predict(CLAIM, denial)["disagree"]
    # A hedge is not a denial, and long bodies (the fnc head) are left alone.
    hedge = "Embassy declined to comment on the agency's account of the Sinaloa raid"
    assert model.predict(CLAIM, hedge) == pytest.approx(plain.predict(CLAIM, hedge))
    body = " ".join([denial + "."] + ["Officials met in the capital on Tuesday to discuss trade."] * 12)
    assert model.predict(CLAIM, body) == pytest.approx(plain.predict(CLAIM, body))


def test_off_topic_text_is_more_unrelated_than_a_denial(model: StanceModel) -> None:
    assert model.predict(CLAIM, OFF_TOPIC)["unrelated"] > model.predict(CLAIM, DENIAL)["unrelated"]


def test_long_body_uses_the_fnc_head_and_still_ranks_denial_higher(model: StanceModel) -> None:
    filler = " Officials in both countries gave briefings on security cooperation during the week."
    body_deny = (
        "The Mexican president said on Thursday that the claim by the US immigration agency was false. "
        "No US agents took part in the raid on the Sinaloa drug labs, she said, and she denied the account. "
        "The embassy also rejected the agency's statement as inaccurate." + filler * 8
    )
    body_agree = (
        "The US immigration agency said on Wednesday that its agents led a raid on three drug labs in Sinaloa. "
        "Officials confirmed the operation, which shut down the labs, was led by the agency's unit."
        + filler
        * 8
    )
    deny = model.predict(CLAIM, body_deny, head="fnc")
    agree = model.predict(CLAIM, body_agree, head="fnc")
    _assert_distribution(deny)
    assert deny["disagree"] > agree["disagree"]


def test_spanish_text_gives_a_sane_distribution(model: StanceModel) -> None:
    claim = "La agencia estadounidense dice que sus agentes dirigieron la operación contra laboratorios en Sinaloa"
    deny = "La presidenta desmiente a la agencia: es falso que agentes estadounidenses dirigieran la operación en Sinaloa"
    agree = "La agencia estadounidense dirigió la operación contra tres laboratorios en Sinaloa, confirma el gobierno"
    p_deny = model.predict(claim, deny)
    p_agree = model.predict(claim, agree)
    _assert_distribution(p_deny)
    _assert_distribution(p_agree)
    assert p_deny["disagree"] > p_agree["disagree"]


def test_predict_many_matches_predict_and_handles_empty(model: StanceModel) -> None:
    pairs = [(CLAIM, DENIAL), (CLAIM, AGREE), (CLAIM, OFF_TOPIC), ("", ""), (CLAIM, "")]
    batched = model.predict_many(pairs)
    assert len(batched) == len(pairs)
    for (c, t), p in zip(pairs, batched, strict=True):
        single = model.predict(c, t)
        for lab in LABELS:
            assert p[lab] == pytest.approx(single[lab], abs=1e-6)
    assert model.predict_many([]) == []


def test_unknown_head_is_rejected(model: StanceModel) -> None:
    with pytest.raises(ValueError, match="unknown stance head"):
        model.predict(CLAIM, DENIAL, head="nope")


@settings(max_examples=40, deadline=None)
@given(claim=st.text(max_size=200), text=st.text(max_size=400))
def test_any_text_gives_a_probability_distribution(model: StanceModel, claim: str, text: str) -> None:
    _assert_distribution(model.predict(claim, text))


# ---------------------------------------------------------------- features


def test_tokenize_splits_negation_and_folds_quotes() -> None:
    assert tokenize("They didn\u2019t say THAT") == ["they", "did", "n't", "say", "that"]


def test_dense_features_have_the_declared_width() -> None:
    fz = Featurizer(np.ones(1 << 16, dtype=np.float32))
    batch = fz.featurize([(CLAIM, DENIAL), ("", "")])
    assert batch.dense.shape == (2, N_DENSE) == (2, len(DENSE_NAMES))
    assert np.isfinite(batch.dense).all()
    # The denial's refuting words are visible to the model.
    assert batch.dense[0, DENSE_NAMES.index("first_new_refuting")] >= 1


def _dense(claim: str, text: str) -> dict[str, float]:
    fz = Featurizer(np.ones(1 << 16, dtype=np.float32))
    return dict(zip(DENSE_NAMES, map(float, fz.featurize([(claim, text)]).dense[0]), strict=True))


def test_polarity_features_see_denials_in_the_sentence_about_the_claim() -> None:
    claim = "A shark swam down a flooded street in Houston"
    body = (
        "The weather was bad all week. "
        "The photo of a shark in a flooded Houston street is not true: it is a hoax made up in 2011."
    )
    f = _dense(claim, body)
    assert f["best_sent_refuting"] >= 1  # "hoax" in the sentence most like the claim
    assert f["denial_bigrams"] >= 2  # "not true", "made up"
    assert f["denial_bigrams_rel"] >= 1
    assert f["strong_refuting_lead"] >= 1
    assert 0.0 < f["first_refuting_pos"] < 1.0
    # A negation right before a claim term.
    assert _dense("The mayor resigned", "The mayor has not resigned")["neg_before_claim_term"] >= 1


def test_refuting_words_the_claim_already_uses_do_not_count() -> None:
    f = _dense("The moon landing hoax video", "A new video repeats the moon landing hoax story.")
    assert f["best_sent_refuting"] == 0
    assert f["strong_refuting_rate"] == 0
    assert f["first_refuting_pos"] == 1.0


def test_featurizer_rejects_a_wrong_idf_shape() -> None:
    with pytest.raises(ValueError):
        Featurizer(np.ones(10, dtype=np.float32))


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=300))
def test_char_counts_are_unit_length(text: str) -> None:
    vec = char_counts(text)
    norm = math.sqrt(sum(v * v for v in vec.values()))
    assert norm == pytest.approx(1.0) if vec else norm == 0.0


def test_sparse_matmul_equals_dense_product() -> None:
    rng = np.random.default_rng(0)
    w = rng.normal(size=(50, 3)).astype(np.float32)
    rows = [{1: 0.5, 7: 2.0}, {}, {49: 1.0}]
    dense = np.zeros((3, 50), dtype=np.float32)
    for i, r in enumerate(rows):
        for k, v in r.items():
            dense[i, k] = v
    np.testing.assert_allclose(sparse_matmul(rows, w), dense @ w, rtol=1e-5)


def test_analyse_finds_numbers_and_questions() -> None:
    info = analyse("Did 3 labs close? Officials said 12 people were held.")
    assert info.question
    assert info.numbers == frozenset({"3", "12"})
    assert len(info.sentences) == 2


def test_tree_walker_reproduces_sklearn() -> None:
    pytest.importorskip("sklearn")
    from sklearn.ensemble import HistGradientBoostingClassifier

    from bot.detect.stance import _softmax
    from bot.detect.trees import load_trees
    from training.trees import export_trees

    rng = np.random.default_rng(1)
    x = rng.normal(size=(400, 5))
    y = (x[:, 0] > 0).astype(int) + (x[:, 1] > 0.5).astype(int) + (x[:, 2] > 1).astype(int)
    clf = HistGradientBoostingClassifier(max_iter=20, max_leaf_nodes=7, random_state=0).fit(x, y)
    trees: TreeEnsemble = load_trees(export_trees(clf, "t/"), "t/")
    np.testing.assert_allclose(_softmax(trees.raw(x)), clf.predict_proba(x), atol=1e-5)
    # two classes: one raw score per row, the logit of the positive class
    binary = HistGradientBoostingClassifier(max_iter=20, max_leaf_nodes=7, random_state=0).fit(x, y > 0)
    two: TreeEnsemble = load_trees(export_trees(binary, "b/"), "b/")
    p = 1.0 / (1.0 + np.exp(-two.raw(x)[:, 0]))
    np.testing.assert_allclose(p, binary.predict_proba(x)[:, 1], atol=1e-5)


# ---------------------------------------------------------------- scoring and eval commands


@settings(max_examples=50)
@given(st.lists(st.sampled_from(stance_eval.FNC_LABELS), min_size=1, max_size=50))
def test_fnc_score_is_full_for_perfect_predictions_and_bounded(gold: list[str]) -> None:
    achieved, maximum = stance_eval.fnc_score(gold, gold)
    assert achieved == maximum
    n_unrel = sum(1 for g in gold if g == "unrelated")
    assert maximum == pytest.approx(0.25 * n_unrel + (len(gold) - n_unrel))
    all_unrel, _ = stance_eval.fnc_score(gold, ["unrelated"] * len(gold))
    assert all_unrel == pytest.approx(0.25 * n_unrel)


def test_fnc_score_partial_credit_for_related_confusions() -> None:
    # A related pair with the wrong related label earns the 0.25 relatedness part only.
    achieved, maximum = stance_eval.fnc_score(["agree", "disagree"], ["discuss", "unrelated"])
    assert (achieved, maximum) == (0.25, 2.0)


def _write_fnc_slice(folder: Path) -> list[tuple[str, str, str]]:
    bodies = {
        "10": "The president denied the agency's account and said it was false that foreign agents led the raid.",
        "11": "The agency said its agents led the raid on the labs, and officials confirmed the operation.",
        "12": "The football club announced a new coach for the coming season after a poor run of results.",
    }
    stances = [
        ("Agency says its agents led lab raid", "10", "disagree"),
        ("Agency says its agents led lab raid", "11", "agree"),
        ("Agency says its agents led lab raid", "12", "unrelated"),
        ("Club names new coach", "12", "discuss"),
    ]
    with open(folder / "competition_test_bodies.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Body ID", "articleBody"])
        w.writerows(bodies.items())
    with open(folder / "competition_test_stances.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Headline", "Body ID", "Stance"])
        w.writerows(stances)
    return stances


def test_eval_fnc1_on_a_tiny_slice_writes_competition_csv(tmp_path: Path) -> None:
    stances = _write_fnc_slice(tmp_path)
    out_csv = tmp_path / "pred.csv"
    buf = io.StringIO()
    assert stance_eval.eval_fnc1(tmp_path, out_csv, out=buf) == 0
    report = buf.getvalue()
    assert "relative score" in report and "macro-F1" in report and "disagree" in report
    with open(out_csv, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["Headline", "Body ID", "Stance"]
    assert [(r[0], r[1]) for r in rows[1:]] == [(h, b) for h, b, _ in stances]
    assert all(r[2] in stance_eval.FNC_LABELS for r in rows[1:])


def _write_emergent_slice(folder: Path) -> None:
    rows = [
        ("0", "A city banned cars downtown", "City bans cars from its centre", "for", "a0", "c0"),
        (
            "1",
            "A city banned cars downtown",
            "No, the city did not ban cars: mayor calls report false",
            "against",
            "a1",
            "c0",
        ),
        (
            "2",
            "A city banned cars downtown",
            "Reports say city may ban cars downtown",
            "observing",
            "a2",
            "c0",
        ),
        (
            "3",
            "A singer joined a rebel group",
            "Singer joined rebel group, posts suggest",
            "observing",
            "a3",
            "c1",
        ),
    ]
    with open(folder / "url-versions-2015-06-14-clean.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            ["id", "claimHeadline", "articleHeadline", "articleHeadlineStance", "articleId", "claimId"]
        )
        w.writerows(rows)
    with open(folder / "split.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "claimId", "articleId", "split"])
        w.writerows([(r[0], r[5], r[4], "test" if r[5] == "c0" else "train") for r in rows])


def test_eval_emergent_on_a_tiny_slice_writes_id_stance_csv(tmp_path: Path) -> None:
    _write_emergent_slice(tmp_path)
    out_csv = tmp_path / "pred.csv"
    buf = io.StringIO()
    assert stance_eval.eval_emergent(tmp_path, out_csv, out=buf) == 0
    assert "accuracy" in buf.getvalue() and "against F1" in buf.getvalue()
    with open(out_csv, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["id", "stance"]
    assert [r[0] for r in rows[1:]] == ["0", "1", "2"]  # only the test split, in file order
    assert all(r[1] in stance_eval.EMERGENT_LABELS for r in rows[1:])


def test_module_entry_point_runs_the_emergent_eval(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_emergent_slice(tmp_path)
    assert stance_eval.main(["emergent", "--data", str(tmp_path)]) == 0
    assert "Emergent test: 3 pairs" in capsys.readouterr().out


def test_eval_commands_fail_cleanly_on_missing_data(tmp_path: Path) -> None:
    assert stance_eval.eval_fnc1(tmp_path / "absent") == 2
    assert stance_eval.eval_emergent(tmp_path / "absent") == 2


def test_eval_fails_cleanly_on_missing_model(tmp_path: Path) -> None:
    _write_fnc_slice(tmp_path)
    assert stance_eval.eval_fnc1(tmp_path, model_path=tmp_path / "none.npz") == 2


# ---------------------------------------------------------------- real data (slow)


@pytest.mark.slow
@pytest.mark.timeout(600)  # the long-body head encodes ~18,000 body sentences (~90 s on a quiet core)
@pytest.mark.skipif(not (DATA / "fnc1" / "competition_test_stances.csv").exists(), reason="no FNC-1 data")
def test_eval_fnc1_on_real_data(tmp_path: Path) -> None:
    buf = io.StringIO()
    assert stance_eval.eval_fnc1(DATA / "fnc1", tmp_path / "p.csv", out=buf) == 0
    gold_rows, _ = stance_eval.read_fnc(DATA / "fnc1", "competition_test")
    with open(tmp_path / "p.csv", newline="", encoding="utf-8") as f:
        pred_rows = list(csv.DictReader(f))
    # Same rows in the gold file's order (the official scorer pairs rows by position).
    assert [(r["Headline"], r["Body ID"]) for r in pred_rows] == [(g.headline, g.body_id) for g in gold_rows]
    gold = [g.stance for g in gold_rows]
    achieved, maximum = stance_eval.fnc_score(gold, [r["Stance"] for r in pred_rows])
    baseline, _ = stance_eval.fnc_score(gold, ["unrelated"] * len(gold))
    assert achieved > baseline


@pytest.mark.slow
@pytest.mark.skipif(not (DATA / "emergent" / "split.csv").exists(), reason="no Emergent data")
def test_eval_emergent_on_real_data(tmp_path: Path) -> None:
    buf = io.StringIO()
    assert stance_eval.eval_emergent(DATA / "emergent", tmp_path / "p.csv", out=buf) == 0
    test_rows = [r for r in stance_eval.read_emergent(DATA / "emergent") if r.split == "test"]
    with open(tmp_path / "p.csv", newline="", encoding="utf-8") as f:
        pred = {r["id"]: r["stance"] for r in csv.DictReader(f)}
    assert set(pred) == {r.id for r in test_rows}
    # Better than always answering the majority class.
    majority = max(stance_eval.EMERGENT_LABELS, key=lambda lab: sum(r.stance == lab for r in test_rows))
    correct = sum(pred[r.id] == r.stance for r in test_rows)
    assert correct > sum(r.stance == majority for r in test_rows)
