"""The text toolkit (bot/text.py): folds, words, sentences, stop words and the language guess."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text import (
    StopWordsError,
    base_language,
    fold,
    fold_char,
    fold_keep_offsets,
    guess_language,
    lower_keep_accents,
    split_sentences,
    stop_words,
    strip_accents_keep_case,
    words,
)

# --- folds ---------------------------------------------------------------------------------------


def test_fold_examples() -> None:
    assert fold("México ÉTAT Straße İstanbul") == "mexico etat strasse istanbul"
    assert fold("ﬁ Ⅻ ｆｕｌｌ") == "fi xii full"  # compatibility forms (NFKD)
    assert fold("Ёлка й Αθήνα") == "елка и αθηνα"
    assert fold("Nguyễn a\u0301\U0001d400b") == "nguyen aab"  # stacked accents; an astral letter
    assert fold("") == ""


def test_scripts_without_accents_are_left_whole() -> None:
    # A Hangul syllable is not its first consonant, "ガス" (gas) is not "カス" (dregs), and an
    # Arabic hamza is part of its letter.
    for text in ("국방부는 밝혔다", "ガス がす", "أمن الدولة", "中国外交部", "กระทรวง", "שָׁלוֹם", "क़ानून"):
        assert fold(text) == unicodedata.normalize("NFC", text.casefold())
        assert fold_keep_offsets(text) == text
        assert strip_accents_keep_case(text) == text


def _old_index_fold(value: str) -> str:
    # How search documents were folded before the toolkit: Latin, Greek and Cyrillic text must
    # fold the same way (the index of such text did not need re-folding).
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@settings(max_examples=500, deadline=None)
@given(value=st.text(st.characters(max_codepoint=0x52F, exclude_categories=("Cs",)), max_size=40))
def test_latin_greek_and_cyrillic_fold_as_the_index_always_did(value: str) -> None:
    assert fold(value) == unicodedata.normalize("NFC", _old_index_fold(value))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_fold_is_stable(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_fold_keep_offsets_keeps_length(text: str) -> None:
    folded = fold_keep_offsets(text)
    assert len(folded) == len(text)
    assert folded == fold_keep_offsets(folded)
    assert len(strip_accents_keep_case(text)) == len(text)


def test_offset_fold_examples() -> None:
    assert fold_keep_offsets("Díaz-Canel “dijo” — Straße") == 'diaz-canel "dijo" - strase'
    assert strip_accents_keep_case("Díaz-Canel ÉTAT") == "Diaz-Canel ETAT"
    assert fold_char("É") == "e" and fold_char("가") == "가" and fold_char("が") == "が"
    assert fold_keep_offsets("İstanbul") == "istanbul"  # Turkish dotted capital I, one character


def test_lower_keep_accents_is_the_stance_models_form() -> None:
    assert lower_keep_accents("Didn’t DESMINTIÓ") == "didn't desmintió"


# --- words and sentences --------------------------------------------------------------------------


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
@settings(max_examples=200, deadline=None)
def test_sentence_spans_are_ordered_and_inside(text: str) -> None:
    last = 0
    for s, e in split_sentences(text):
        assert last <= s < e <= len(text)
        assert text[s:e].strip() == text[s:e]
        last = e


def test_sentence_split_keeps_abbreviations() -> None:
    text = "The U.S. Embassy said Gen. Smith left. Then Dr. Pérez spoke.\nNew line here"
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == ["The U.S. Embassy said Gen. Smith left.", "Then Dr. Pérez spoke.", "New line here"]


def test_a_full_width_stop_ends_a_sentence_with_no_space_after_it() -> None:
    # Japanese and Chinese write no space and no capital after their full stop
    text = "外務省は報道を否定した。同省は「事実無根」と述べた。\n国防部表示，说法不实！第二句来了。"
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == [
        "外務省は報道を否定した。",
        "同省は「事実無根」と述べた。",
        "国防部表示，说法不实！",
        "第二句来了。",
    ]
    # a stop inside a quotation ends the quotation, not the sentence that reports it
    quoted = "長官は「撤回する。」と述べた。次の文。"
    assert [quoted[s:e] for s, e in split_sentences(quoted)] == ["長官は「撤回する。」と述べた。", "次の文。"]


def test_words_fold_and_keep_hyphens() -> None:
    assert words("Díaz-Canel DIJO: ¡No!") == ["diaz-canel", "dijo", "no"]


# --- stop words and the language guess ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The ministry said that the report was not accurate and would be corrected", "en"),
        ("El ministerio dijo que el informe no era exacto y que sería corregido por la secretaría", "es"),
        ("Le ministère a déclaré que le rapport était inexact et qu'il serait corrigé", "fr"),
        ("Das Ministerium sagte, der Bericht sei nicht korrekt und werde von der Behörde korrigiert", "de"),
        ("O ministério disse que o relatório não era exato e que seria corrigido pela secretaria", "pt"),
    ],
)
def test_guess_language(text: str, lang: str) -> None:
    assert guess_language(text) == lang


def test_stop_words_per_use_and_language() -> None:
    assert "the" in stop_words("search", "en") and "the" not in stop_words("search", "es")
    assert {"said", "desmiente", "dementiert"} <= stop_words("topic")  # the cue verbs too
    assert "más" in stop_words("stance")  # the stance model's words keep their accents
    assert stop_words("guess", "xx") == frozenset()
    with pytest.raises(StopWordsError, match="no stop-word list 'nope'"):
        stop_words("nope")


def test_a_bad_stop_word_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "stop.toml"
    bad.write_text('[en]\nsearch = "the a"\n', "utf-8")
    with pytest.raises(StopWordsError, match=r"stop\.toml: en\.search: expected a list"):
        stop_words("search", path=bad)


@pytest.mark.parametrize(
    ("tag", "base"),
    [("pt-BR", "pt"), ("pt_br", "pt"), ("EN", "en"), ("zh-Hant-TW", "zh"), ("", ""), (None, "")],
)
def test_a_language_tags_primary_subtag(tag: str | None, base: str) -> None:
    assert base_language(tag) == base
