"""Who said what, in Japanese: the cue words of `cues/ja.toml` and the statement words of
`statements/ja.toml`, read with the names the gazetteer already knows (`lang/ja.toml`).

Every sentence is invented for these tests: made-up events about real institutions.

Japanese is written without spaces (`spaced = false`: cues are found inside a run of
characters), puts the verb last and the object before it ("外務省は中国の主張を否定した"), and
negates a verb with an ending ("否定しなかった"), which the cue patterns leave out.
"""

from __future__ import annotations

import re

import pytest

from bot.detect.actors import Gazetteer
from bot.detect.cues import CueKind, find_cues
from bot.detect.lexicons import load_lexicon
from bot.text import fold_keep_offsets
from bot.types import StatementKind
from tests.language_readers import LanguageReader, keys

JA = LanguageReader("ja")
read = JA.read
statements = JA.statements
japanese_cue = JA.cue
japanese_cues = JA.cues


# --- folding and the lists joined with other languages -----------------------------------------


def test_folding_keeps_kana_kanji_and_full_width_punctuation() -> None:
    for text in ("外務省「事実無根」", "がぎぐげご", "官房長官：否定"):
        assert fold_keep_offsets(text) == text
    assert fold_keep_offsets("ＮＨＫ") == "ｎｈｋ"  # full-width Latin is lowered, not made ASCII


def test_japanese_items_join_the_other_languages_lists_without_matching_their_words() -> None:
    lex = load_lexicon("statements")
    media = re.compile(rf"\b(?:{lex.alt('media', 'ja')})\b")
    according = re.compile(rf"^\s*(?:{lex.alt('according_after', 'ja')})\b")
    for words in ("the press said", "la stampa", "el periódico"):
        assert not media.search(words), words
    # a boundary stands only at punctuation: the items cover a whole run of kana and kanji
    assert media.search("防衛省は一部報道を否定した")
    assert according.match("によると、中国軍機が")
    assert according.match("によれば中国軍機が")


# --- denials ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "speaker"),
    [
        ("防衛省、中国軍機の領空侵犯報道を否定", "jp.ministry.defence"),
        ("外務省は18日、中国の主張を否定した", "jp.ministry.foreign"),
        ("官房長官「事実無根」", "jp.gov"),
        ("中国外務省の報道官は「日本側の主張は事実ではない」と反論した", "cn.mfa"),
        ("ロシア外務省は米国務省の発表を「虚偽だ」と批判した", "ru.mfa"),
        ("官房長官は野党の指摘を一蹴した", "jp.gov"),
        ("国防総省は報道内容が事実と異なると反論した", "us.dod"),
        ("警察庁はネット上のうわさについて「根拠がない」と説明した", "jp.police"),
        # "によると" (according to) credits the actor before it
        ("防衛省によると、中国軍機が領空を侵犯したとの報道は事実無根だ", "jp.ministry.defence"),
    ],
)  # fmt: skip
def test_a_denial_is_its_speakers_the_first_actor_before_it(gaz: Gazetteer, title: str, speaker: str) -> None:
    st = read(gaz, title)
    assert st, title
    assert st[0].kind is StatementKind.DENIAL
    assert st[0].speaker is not None and st[0].speaker.key == speaker
    assert st[0].language == "ja"


def test_an_actor_after_the_topic_owns_what_is_denied_and_does_not_speak(gaz: Gazetteer) -> None:
    # "中国国防省の発表": the ministry after "は" owns the statement, so it is the target
    # (its claim noun is written onto it: statements claim_noun_glued)
    st = read(gaz, "防衛省は18日、中国国防省の発表を否定した")
    assert keys(st[0]) == (StatementKind.DENIAL, "jp.ministry.defence", "cn.ministry.defence")


def test_a_denial_answers_the_claim_of_another_sentence(gaz: Gazetteer) -> None:
    st = statements(gaz, "外務省は否定した", "中国外務省は日本が合意に違反したと主張した")
    assert [keys(s) for s in st] == [
        (StatementKind.DENIAL, "jp.ministry.foreign", "cn.mfa"),
        (StatementKind.CLAIM, "cn.mfa", None),
    ]


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("官房長官「事実無根」", "事実無根"),
        ("報道は事実ではない", "事実ではない"),
        ("そのような事実はありません", "そのような事実はありません"),
        ("外務省は報道を全面否定した", "全面否定"),
        ("防衛省は報道は誤りだと指摘した", "誤りだ"),
        ("防衛省は「誤り」", "「誤り」"),
        ("同省は「デマ」と説明", "「デマ」"),
        ("主張には根拠がない", "根拠がない"),
        ("容疑者は容疑を否認している", "否認"),
    ],
)
def test_the_words_of_denying_are_cues(title: str, words: str) -> None:
    cue = japanese_cue(title, CueKind.DENIAL)
    assert cue.words == words
    assert cue.active


# --- negations and hedges -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "外務省は報道を否定しなかった",
        "官房長官は報道を否定せず",
        "防衛省は報道を否定はしない考えだ",
        "その可能性は否定できない",
        "政府は否定的な見方を示した",
        "大臣は報道を否定しませんでした",
    ],
)
def test_negative_forms_are_no_denial(title: str) -> None:
    assert not [c for c in japanese_cues(title, CueKind.DENIAL) if c.active]


@pytest.mark.parametrize(
    "title",
    [
        "外務省は報道について肯定も否定もしなかった",
        "官房長官は「事実ではない」とした上で詳細についてはコメントを控えた",
        "防衛省は否定も肯定もせず、明言を避けた",
    ],
)
def test_hedges_cancel_the_denials_near_them(gaz: Gazetteer, title: str) -> None:
    assert not [c for c in japanese_cues(title, CueKind.DENIAL) if c.active]
    assert not read(gaz, title)


# --- other senses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "東京地裁は国側の主張を退けた",  # a court rejects a party's case
        "日経平均株価は3日ぶりに反発した",  # a market rebounds
        "横綱が挑戦者を一蹴した",  # sport
        "衆院は野党の主張を退け、法案を賛成多数で可決した",  # a vote
    ],
)
def test_other_senses_of_the_words_are_no_denial(title: str) -> None:
    found = japanese_cues(title, CueKind.DENIAL)
    assert found and not [c for c in found if c.active], found


@pytest.mark.parametrize(
    "title",
    [
        "参院は法案を否決した",  # a parliament votes a bill down
        "東京地裁は原告の請求を棄却した",  # a court dismisses a claim
        "最高裁は原告側の請求を退けた",
        "高裁は申し立てを却下した",
        "入管は査証の発給を拒否した",  # a visa refused
        "政府は値上げの方針を撤回した",  # a policy U-turn
        "経産省は法案を撤回した",
        "同社は今期の業績予想を下方修正した",  # a forecast revised
        "国会は法案を修正した",
        "同社は有価証券報告書の虚偽記載について調査している",
    ],
)
def test_courts_votes_visas_and_policies_make_no_cue(gaz: Gazetteer, title: str) -> None:
    active = [c for c in find_cues(title, "ja") if c.active and c.kind is not CueKind.CLAIM]
    assert not active, active
    assert not read(gaz, title)


@pytest.mark.parametrize(
    "title",
    ["野党は大臣に発言の撤回を求めた", "中国側は日本に訂正を要求した", "野党は首相の謝罪を求めた"],
)
def test_a_demand_that_someone_else_retract_is_no_retraction(title: str) -> None:
    assert not [c for c in find_cues(title, "ja") if c.active and c.kind is not CueKind.CLAIM]


# --- retractions, admissions, corrections ---------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "speaker", "words"),
    [
        ("防衛相は発言を撤回した", "jp.ministry.defence.minister", "発言を撤回"),
        ("外務省は記述を訂正して撤回した", "jp.ministry.foreign", "訂正して撤回"),
        ("官房長官は会見での説明を撤回", "jp.gov", "説明を撤回"),
        ("警察庁は投稿を取り消した", "jp.police", "投稿を取り消し"),
        ("厚労省は誤りを認めた", "jp.ministry.health", "誤りを認め"),
        ("国土交通省はSNSの投稿を削除した", "jp.ministry.transport", "投稿を削除"),
    ],
)  # fmt: skip
def test_a_retraction_takes_back_the_speakers_own_words(
    gaz: Gazetteer, title: str, speaker: str, words: str
) -> None:
    st = read(gaz, title)
    assert st, title
    assert keys(st[0]) == (StatementKind.RETRACTION, speaker, speaker)
    assert st[0].cue == words


def test_an_apology_is_an_admission_weighed_apart() -> None:
    cue = japanese_cue("防衛省は謝罪した", CueKind.RETRACTION)
    assert cue.group == "admission" and cue.active
    assert japanese_cue("防衛相は誤りを認めた", CueKind.RETRACTION).group is None


def test_a_withdrawal_is_a_u_turn_word() -> None:
    cue = japanese_cue("官房長官は撤回した", CueKind.RETRACTION)
    assert cue.reversal and cue.active


@pytest.mark.parametrize(
    ("title", "speaker", "words"),
    [
        ("財務省が発表を訂正", "jp.ministry.finance", "訂正"),
        ("厚生労働省は死者数を修正した", "jp.ministry.health", "数を修正"),
        ("警察庁は負傷者の人数を12人に修正した", "jp.police", "人数を12人に修正"),
        ("環境省はデータを誤って公表した", "jp.ministry.environment", "誤って公表"),
    ],
)  # fmt: skip
def test_a_correction_sets_the_speakers_own_figures_right(
    gaz: Gazetteer, title: str, speaker: str, words: str
) -> None:
    st = read(gaz, title)
    assert st, title
    assert keys(st[0]) == (StatementKind.CORRECTION, speaker, speaker)
    assert st[0].cue == words


def test_the_outlets_own_correction_note_is_no_official_correction() -> None:
    cue = japanese_cue("先ほどの記事に誤りがありました。おわびして訂正します", CueKind.CORRECTION)
    assert cue.other_sense


# --- findings: the subject's own words called false ---------------------------------------------


def test_a_false_explanation_accuses_its_subject(gaz: Gazetteer) -> None:
    st = read(gaz, "防衛省が国会で虚偽の答弁をしていたことが分かった")
    assert st
    assert st[0].kind is StatementKind.DENIAL
    assert st[0].target is not None and st[0].target.key == "jp.ministry.defence"
    assert st[0].cue_group == "finding"


# --- claims and confirmations ---------------------------------------------------------------------


def test_a_claim_names_its_speaker(gaz: Gazetteer) -> None:
    st = statements(gaz, "中国外務省は日本が合意に違反したと主張した")
    assert [keys(s) for s in st] == [(StatementKind.CLAIM, "cn.mfa", None)]


def test_a_confirmation_is_read() -> None:
    assert japanese_cue("防衛省は報道を認めた", CueKind.CONFIRMATION).active
    assert not japanese_cues("防衛省は報道を認めなかった", CueKind.CONFIRMATION)


def test_the_gazetteer_knows_both_houses_of_the_diet(gaz: Gazetteer) -> None:
    for name in ("衆院", "参議院"):
        assert [m.actor.key for m in gaz.mentions(name)] == ["jp.legislature"], name
