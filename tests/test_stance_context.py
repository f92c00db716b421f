"""The long-body stance head and its context scores (`bot.detect.stance_context`).

What matters here: long article bodies get the head that reads the sentence encoder, the
detector's short texts never do (so detection never pays for encoding sentences), the scores
survive a round trip through the model file, and old model files still load.
Fixtures are written in our own words.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.detect.encoder import DIM, default_encoder, item_text
from bot.detect.stance import (
    LONG_MIN_TOKENS,
    SHORT_MAX_TOKENS,
    StanceModel,
    StanceModelError,
    default_model_path,
)
from bot.detect.stance_context import (
    CONTEXT_NAMES,
    MAX_SENTENCE_CHARS,
    MAX_SENTENCES,
    N_CONTEXT,
    ContextScorer,
    body_sentences,
    export_context,
    load_context,
    mean_sentence_vectors,
)
from bot.detect.stance_features import Featurizer, tokenize

CLAIM = "A meteorite left a crater near the airport of the capital on Saturday night"
FILLER = " Residents of the district described a loud noise late in the evening and gathered near the site."
SCEPTIC_BODY = (
    "Officials said a small meteorite made the crater, but astronomers doubt that account. "
    "No fireball was seen or filmed anywhere in the region, they said, and the story looks false. "
    "Experts called the claim unlikely and said a gas explosion was the better explanation." + FILLER * 8
)
ASSERTING_BODY = (
    "A small meteorite struck near the airport of the capital on Saturday night, leaving a wide crater. "
    "Astronomers confirmed the impact and said the rock broke apart just before it hit the ground. "
    "Officials said nobody was hurt by the meteorite." + FILLER * 8
)


@pytest.fixture(scope="module")
def model() -> StanceModel:
    return StanceModel.load()


def test_body_sentences_are_split_trimmed_and_bounded() -> None:
    assert body_sentences("One claim here. Another one!\n\nA third?") == [
        "One claim here.",
        "Another one!",
        "A third?",
    ]
    assert body_sentences("") == []
    long = "word " * 400
    assert [len(s) for s in body_sentences(long)] == [MAX_SENTENCE_CHARS]
    assert len(body_sentences("Short sentence. " * (MAX_SENTENCES + 20))) == MAX_SENTENCES


def test_mean_sentence_vectors_average_each_body_and_zero_empty_ones() -> None:
    enc = default_encoder()
    texts = ["The rock hit the ground. Nobody was hurt.", "", "The rock hit the ground. Nobody was hurt."]
    got = mean_sentence_vectors(texts, enc)
    assert got.shape == (3, DIM)
    want = enc.encode(["The rock hit the ground.", "Nobody was hurt."]).mean(axis=0)
    np.testing.assert_allclose(got[0], want, atol=1e-5)
    np.testing.assert_array_equal(got[0], got[2])
    assert not got[1].any()


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(alphabet=st.characters(categories=("L", "Zs", "P")), max_size=200),
    text=st.text(alphabet=st.characters(categories=("L", "Zs", "P")), max_size=3000),
)
def test_detector_texts_never_reach_the_long_head(title: str, text: str) -> None:
    # What the detector scores: a headline and a lead cut at 300 characters (`item_text`).
    assert len(tokenize(item_text(title, text))) <= LONG_MIN_TOKENS


def test_short_texts_do_not_load_the_encoder() -> None:
    fresh = StanceModel.load()
    lead = item_text("Astronomers doubt the meteorite account", SCEPTIC_BODY)
    fresh.predict_array([(CLAIM, lead), (CLAIM, "Astronomers doubt it")])
    assert fresh._encoder is None


def test_long_bodies_go_to_the_long_head_and_shorter_ones_do_not(model: StanceModel) -> None:
    assert "fnc_long" in model.heads and model.heads["fnc_long"].context
    assert model._pick_head("auto", LONG_MIN_TOKENS + 1) == "fnc_long"
    assert model._pick_head("fnc", LONG_MIN_TOKENS + 1) == "fnc_long"
    assert model._pick_head("fnc", LONG_MIN_TOKENS) == "fnc"
    assert model._pick_head("auto", SHORT_MAX_TOKENS) == "short"
    assert len(tokenize(SCEPTIC_BODY)) > LONG_MIN_TOKENS


def test_a_sceptical_body_disagrees_more_than_an_asserting_one(model: StanceModel) -> None:
    sceptic = model.predict(CLAIM, SCEPTIC_BODY, head="fnc")
    asserting = model.predict(CLAIM, ASSERTING_BODY, head="fnc")
    assert sum(sceptic.values()) == pytest.approx(1.0)
    assert sceptic["disagree"] > asserting["disagree"]
    # The encoder's view of the body reads the doubt in words no list holds ("unlikely", "the
    # better explanation"); the headline's scores are the same for both pairs.
    assert model.context is not None
    batch = model.featurizer.featurize([(CLAIM, SCEPTIC_BODY), (CLAIM, ASSERTING_BODY)])
    ctx = model.context.features(batch, default_encoder())
    j = CONTEXT_NAMES.index("body_encoder_disagree")
    assert ctx[0, j] > ctx[1, j]
    head = [CONTEXT_NAMES.index(n) for n in CONTEXT_NAMES if n.startswith("head_")]
    np.testing.assert_array_equal(ctx[0, head], ctx[1, head])


def test_context_features_are_probabilities_with_one_column_per_name(model: StanceModel) -> None:
    assert model.context is not None
    pairs = [(CLAIM, SCEPTIC_BODY), ("", ""), (CLAIM, "Ein Meteorit? Experten zweifeln daran.")]
    ctx = model.context.features(model.featurizer.featurize(pairs), default_encoder())
    assert ctx.shape == (3, N_CONTEXT)
    assert ((ctx >= 0) & (ctx <= 1)).all()
    empty = model.context.features(model.featurizer.featurize([]), default_encoder())
    assert empty.shape == (0, N_CONTEXT)


def test_context_scorer_round_trips_through_arrays() -> None:
    rng = np.random.default_rng(0)
    scorer = ContextScorer(
        weights={n: rng.normal(size=4096 if "words" in n else DIM).astype(np.float32) for n in CONTEXT_NAMES},
        bias={n: float(rng.normal()) for n in CONTEXT_NAMES},
    )
    back = load_context(export_context(scorer, "c/"), "c/")
    fz = Featurizer(np.ones(1 << 16, dtype=np.float32))
    batch = fz.featurize([(CLAIM, ASSERTING_BODY)])
    np.testing.assert_allclose(
        back.features(batch, default_encoder()), scorer.features(batch, default_encoder()), atol=2e-3
    )


def test_a_head_that_needs_context_without_scores_is_refused(model: StanceModel) -> None:
    with pytest.raises(StanceModelError, match="context"):
        StanceModel(model.featurizer, model.heads, model.meta, context=None)


def test_a_format_1_file_without_the_long_head_still_loads(tmp_path: Path) -> None:
    with np.load(default_model_path(), allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files if not k.startswith(("fnc_long/", "context/"))}
    meta = json.loads(str(arrays["meta"]))
    meta["format"] = 1
    meta.pop("context")
    del meta["heads"]["fnc_long"]
    arrays["meta"] = np.asarray(json.dumps(meta))
    old = tmp_path / "old.npz"
    np.savez(old, **arrays)  # type: ignore[arg-type]
    m = StanceModel.load(old)
    assert "fnc_long" not in m.heads and m.context is None
    assert m._pick_head("fnc", LONG_MIN_TOKENS + 50) == "fnc"
    p = m.predict(CLAIM, SCEPTIC_BODY)
    assert sum(p.values()) == pytest.approx(1.0)
    assert m._encoder is None
