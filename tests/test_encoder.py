"""The sentence encoder (USE multilingual, offline) and language identification."""

from __future__ import annotations

import numpy as np
import pytest

from bot.detect.encoder import DIM, default_encoder, item_text
from bot.detect.languages import detect_language


def test_item_text_is_the_headline_then_the_start_of_the_lead() -> None:
    assert item_text("Ministry denies report", "The ministry said the report was false.") == (
        "Ministry denies report. The ministry said the report was false."
    )
    # a summary that repeats the headline is not read twice
    assert item_text("Army claims village", "Army claims village: troops entered at dawn.") == (
        "Army claims village. troops entered at dawn."
    )
    long = item_text("Title", "word " * 200)
    assert len(long) < 320 and not long.endswith(" ")
    assert item_text("", "Only a lead") == "Only a lead"


def test_a_headline_in_capitals_is_encoded_in_sentence_case() -> None:
    assert item_text("PORT OF VARDAR DENIES CARGO LOSS", "") == "Port of vardar denies cargo loss"
    # acronyms and short shouts in an ordinary headline stay as written
    assert item_text("NATO and EU deny report", "") == "NATO and EU deny report"
    assert item_text("UN OK", "") == "UN OK"


def test_vectors_are_unit_length_and_empty_text_is_zero() -> None:
    vecs = default_encoder().encode(["Coast guard says it rescued 40 people", "", "   "])
    assert vecs.shape == (3, DIM) and vecs.dtype == np.float32
    assert abs(float(np.linalg.norm(vecs[0])) - 1.0) < 1e-3
    assert not vecs[1].any() and not vecs[2].any()
    assert default_encoder().encode([]).shape == (0, DIM)


def test_the_same_statement_in_two_languages_is_nearer_than_another_story() -> None:
    en, es, it, ja, other = default_encoder().encode(
        [
            "The health ministry says the new hospital in the capital will open in March",
            "El ministerio de Salud afirma que el nuevo hospital de la capital abrirá en marzo",
            "Il ministero della Salute afferma che il nuovo ospedale della capitale aprirà a marzo",
            "保健省は首都の新しい病院が3月に開院すると発表した",
            "The football club signed a new goalkeeper from a rival team on Tuesday",
        ]
    )
    for translation in (es, it, ja):
        assert float(en @ translation) > float(en @ other) + 0.2


@pytest.mark.parametrize(
    "text,lang",
    [
        ("El gobierno desmiente la información publicada por el diario", "es"),
        ("Il ministero smentisce le notizie sul rimpasto di governo", "it"),
        ("Правительство опровергло сообщения о закрытии завода", "ru"),
        ("政府は報道を否定した", "ja"),
        ("Regeringen förnekar uppgifterna om nedläggningen", "sv"),
        ("Police say the officer did not confront the gunman", "en"),
    ],
)
def test_language_is_identified_without_a_feed_hint(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_too_little_text_has_no_language() -> None:
    assert detect_language("ok") is None
    assert detect_language("   ") is None
