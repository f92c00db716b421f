"""Topic terms across languages: folding, stems, the gloss, names and numbers, overlap."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.detect.terms import (
    LEAD_CHARS,
    Terms,
    extract_terms,
    fold,
    overlap,
    shared_terms,
    stem,
    topic_text,
)

T0 = datetime(2025, 5, 14, 16, tzinfo=UTC)


def test_fold_removes_diacritics_and_case() -> None:
    assert fold("Secretaría de Comunicación ÉTAT Öl") == "secretaria de comunicacion etat ol"


def test_gloss_brings_languages_together() -> None:
    assert stem("laboratorios") == stem("laboratoire") == stem("laboratorio") == "lab"
    assert stem("muertos") == stem("morts") == stem("toten") == "dead"
    assert stem("labs") == "lab"


def test_names_and_numbers_are_kept_apart() -> None:
    t = extract_terms("The ministry said 1,200 soldiers crossed near Vardar on Monday.")
    assert "#1200" in t.numbers
    assert "vardar" in t.names
    assert "ministry" not in t.names  # sentence start / common word


def test_capitals_of_a_title_cased_headline_are_not_names_unless_the_lead_says_so() -> None:
    alone = extract_terms("Harbour Chief Issues Correction On Cargo Numbers")
    assert alone.names == frozenset()
    assert {stem("harbour"), stem("cargo")} <= alone.words  # still topic words, at a word's weight
    led = extract_terms(
        "Harbour Chief Issues Correction On Cargo Numbers. Chief Ana Velt revised the Vardar figures."
    )
    assert {"velt", "vardar"} <= led.names
    assert stem("cargo") not in led.names and stem("issues") not in led.names
    shouted = extract_terms("PORT OF VARDAR REVIEW. Tonnage rose at Vardar, the Kesh Line said.")
    assert "vardar" in shouted.names and "review" not in shouted.names


def test_two_title_cased_headlines_share_no_names_through_common_words() -> None:
    a = extract_terms("Minister Issues Correction On Cargo Numbers")
    b = extract_terms("Senator Slams Critics: These Issues Will Define Us")
    assert not (a.names & b.names)


def test_spanish_denial_overlaps_english_claim_more_than_unrelated_news() -> None:
    claim = extract_terms("ICE-led raid dismantles three synthetic drug labs in Sinaloa, Mexico")
    denial = extract_terms(
        "Sheinbaum: es falso que ICE dirigiera el operativo contra laboratorios en Sinaloa"
    )
    other = extract_terms("Peso steadies as investors await U.S. inflation figures")
    assert overlap(claim, denial) > 0.2
    assert overlap(claim, other) < overlap(claim, denial)
    assert {"ice", "sinalo"} <= set(shared_terms(claim, denial))


def test_cue_words_do_not_count_as_topic() -> None:
    a = extract_terms("Minister denies report, says claim is false")
    b = extract_terms("Police deny the claim; statement false, they said")
    assert overlap(a, b) < 0.2


@given(st.text(max_size=200), st.text(max_size=200))
def test_overlap_is_symmetric_and_bounded(a: str, b: str) -> None:
    ta, tb = extract_terms(a), extract_terms(b)
    o = overlap(ta, tb)
    assert 0.0 <= o <= 1.0
    assert abs(o - overlap(tb, ta)) < 1e-9


@given(st.text(max_size=200))
def test_terms_serialise_round_trip(text: str) -> None:
    t = extract_terms(text)
    assert Terms.parse(t.serialise()) == t


def test_registered_places_meet_across_languages() -> None:
    from bot.detect.terms import register_places

    register_places([("xr", ["Ruritania", "Ruritanie", "ruritanian", "ruritano", "RR"])])
    a = extract_terms("Ruritanian army says the Talas dam held")
    b = extract_terms("El ejército ruritano niega que la presa de Talas resistiera")
    assert "ctyxr" in (a.names | a.words) and "ctyxr" in (b.names | b.words)
    assert "ctyxr" in extract_terms("Talas: RR officials deny it").names
    assert (
        "ctyxr" not in extract_terms("talas rr officials deny it").all
    )  # two letters count only in capitals


def test_reasons_show_the_words_behind_the_stems() -> None:
    from bot.detect.terms import extract_terms, readable_terms, shared_terms

    a = "The ministry says the raids on three labs in Sinaloa seized 1,200 kilos"
    b = "Officials deny that any labs were raided in Sinaloa; no 1,200 kilo seizure happened"
    stems = shared_terms(extract_terms(a), extract_terms(b))
    words = readable_terms(stems, b)
    assert "Sinaloa" in words and "labs" in words and "1,200" in words
    assert all(w in b for w in words)  # only words the reader can find in the item
    assert readable_terms(["zzzz"], b) == ("zzzz",)  # nothing found: the terms stay


def test_topic_text_keeps_the_headline_and_the_lead_of_a_long_item() -> None:
    body = "First sentence of the lead. " * 30 + "Background far below. " * 100
    topic = topic_text("Headline", body)
    assert topic.startswith("Headline. First sentence") and topic.endswith("lead.")
    assert "Background" not in topic and len(topic) <= LEAD_CHARS + len("Headline. ")
    assert topic_text("Short", "One line.") == "Short. One line."


def test_elided_articles_are_not_part_of_the_word() -> None:
    assert "ars" in extract_terms("Selon l'ARS, la carte était fausse").names
    assert extract_terms("l'indicateur du Lot").words >= extract_terms("indicateur").words


def test_the_gloss_file_is_read_and_a_word_under_two_stems_is_an_error(tmp_path: Path) -> None:
    from bot.detect.terms import GlossError, read_gloss

    gloss = read_gloss()
    assert gloss["laboratorio"] == "lab" and gloss["desmatamento"] == "forest"
    bad = tmp_path / "gloss.toml"
    bad.write_text('[gloss]\nlab = ["labo"]\nlabour = ["labo"]\n', "utf-8")
    with pytest.raises(GlossError, match="gloss.labour: 'labo' is already glossed as 'lab'"):
        read_gloss(bad)
    bad.write_text('[gloss]\nlab = "labo"\n', "utf-8")
    with pytest.raises(GlossError, match="gloss.lab: expected a list"):
        read_gloss(bad)
