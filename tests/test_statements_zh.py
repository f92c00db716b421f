"""Who said what, in Chinese: the cue words of `cues/zh.toml` and the statement words of
`statements/zh.toml`, read with the names the gazetteer already knows (`lang/zh.toml`).

Every sentence is invented for these tests: made-up events about real institutions.

Chinese is written without spaces (`spaced = false`: cues are found inside a run of hanzi),
in simplified and traditional characters, with full-width punctuation that folding keeps as it
is ("：", "，"). A headline's "外交部：..." or a lead's "X表示，..." credits X with what follows,
and a predicate of falsehood ("不实", "纯属捏造") calls what stands before it false.
"""

from __future__ import annotations

import re

import pytest

from bot.detect.actors import Gazetteer
from bot.detect.cues import CueKind, find_cues
from bot.detect.lexicons import load_lexicon
from bot.detect.statements import extract_statements
from bot.text import fold_keep_offsets
from bot.types import StatementKind
from tests.language_readers import LanguageReader, keys
from tests.test_statements import item

ZH = LanguageReader("zh")
first = ZH.first
silent_cue = ZH.silent_cue
read = ZH.read
chinese_cue = ZH.cue


# --- folding and the word lists -------------------------------------------------------------------


def test_folding_keeps_hanzi_and_full_width_punctuation() -> None:
    assert fold_keep_offsets("外交部：美方说法“不实”，") == '外交部：美方说法"不实"，'
    assert fold_keep_offsets("國防部駁斥") == "國防部駁斥"


def test_chinese_words_join_the_other_languages_lists_without_matching_their_words() -> None:
    lex = load_lexicon("statements")
    for name in ("media", "rumour_word", "person", "report_word", "according_after", "response"):
        rx = re.compile(rf"\b(?:{lex.alt(name, 'zh')})\b")
        for words in ("the ministry denied the report", "FN:s uppgifter", "según el diario", "a: b"):
            assert not rx.search(words), (name, words)
    media = re.compile(rf"\b(?:{lex.alt('media', 'zh')})\b")
    assert media.search("日本媒体报道")


def test_a_cue_is_found_inside_a_run_of_hanzi() -> None:
    cue = chinese_cue("俄罗斯外交部否认了美国国务院的指控", CueKind.DENIAL)
    assert cue.words == "否认" and cue.active


# --- denials ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        ("国防部驳斥日方无端指责", "cn.ministry.defence", "jp.gov"),
        ("國防部駁斥日方無端指責", "cn.ministry.defence", "jp.gov"),
        ("俄罗斯外交部否认了美国国务院的指控", "ru.mfa", "us.state"),
        ("陆委会反驳国台办说法", "tw.gov", "cn.gov"),
        # a headline's colon credits who calls the words after it false
        ("外交部：美方说法不实", "cn.mfa", "us.gov"),
        ("外交部發言人：日方說法與事實不符", "cn.mfa", "jp.gov"),
        ("克里姆林宫：乌方指控纯属捏造", "ru.kremlin", "ua.gov"),
        ("外交部：美方散布虚假信息", "cn.mfa", "us.gov"),
        # a verb of saying before what is called false
        ("外交部发言人毛宁表示，美方有关指责毫无根据", "cn.mfa", "us.gov"),
        ("外交部称菲方说法纯属捏造", "cn.mfa", "ph.gov"),
    ],
)  # fmt: skip
def test_a_denial_names_who_denies_whose_words(gaz: Gazetteer, title: str, speaker: str, target: str) -> None:
    st = read(gaz, title)
    assert st, title
    assert keys(st[0]) == (StatementKind.DENIAL, speaker, target)
    assert st[0].language == "zh"


@pytest.mark.parametrize(
    ("title", "speaker"),
    [
        ("国防部否认", "cn.ministry.defence"),
        ("國防部否認", "cn.ministry.defence"),
        # joined subjects: the first speaks
        ("美国和日本否认", "us.gov"),
    ],
)  # fmt: skip
def test_a_denial_of_no_named_owner_is_its_speakers(gaz: Gazetteer, title: str, speaker: str) -> None:
    assert first(gaz, title) == (StatementKind.DENIAL, speaker, None)


@pytest.mark.parametrize(
    ("title", "speaker", "kind"),
    [
        ("卫健委辟谣：网传消息系谣言", "cn.ministry.health", "rumour"),
        ("台湾国防部否认共军演习相关报道", "tw.ministry.defence", "media"),
    ],
)  # fmt: skip
def test_denying_rumours_or_the_press_marks_a_non_official_target(
    gaz: Gazetteer, title: str, speaker: str, kind: str
) -> None:
    st = read(gaz, title)
    assert st, title
    assert st[0].kind is StatementKind.DENIAL
    assert st[0].speaker is not None and st[0].speaker.key == speaker
    assert st[0].target is None and st[0].target_kind == kind


def test_the_lead_names_the_speaker_and_whose_claim_it_answers(gaz: Gazetteer) -> None:
    st = read(gaz, "俄罗斯国防部回应", "俄罗斯国防部8日表示，乌方有关说法纯属捏造。该部还称，乌军损失惨重。")
    assert keys(st[0]) == (StatementKind.DENIAL, "ru.mod", "ua.gov")


def test_a_denial_in_the_lead_answers_the_claim_in_the_headline(gaz: Gazetteer) -> None:
    st = read(gaz, "美方指责中国发动网络攻击", "中国外交部予以驳斥。")
    assert keys(st[0]) == (StatementKind.DENIAL, "cn.mfa", "us.gov")


@pytest.mark.parametrize(
    "title",
    [
        "美方说法不实",
        "美方说法不實",
        "纯属捏造",
        "純屬捏造",
        "子虚乌有",
        "子虛烏有",
        "毫无根据",
        "毫無根據",
        "并非事实",
        "並非事實",
        "美方辟谣",
        "日方闢謠",
        "网传消息系谣言",
        "美方误导国际社会",
        "陆委会澄清相关报道",
    ],
)
def test_words_of_denying_and_of_falsehood_are_denials(title: str) -> None:
    cue = chinese_cue(title, CueKind.DENIAL)
    assert cue.active, cue


def test_a_finding_of_falsehood_is_marked_as_one() -> None:
    assert chinese_cue("美方误导国际社会", CueKind.DENIAL).group == "finding"


# --- negations and hedges ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    ["中方未否认此事", "美方没有直接否认", "他并未予以否认", "白宫從未否認", "美方不否认这一说法"],
)
def test_a_denial_that_is_not_made_is_negated(title: str) -> None:
    cue = chinese_cue(title, CueKind.DENIAL)
    assert cue.negated and not cue.active


@pytest.mark.parametrize(
    "title", ["外交部拒绝置评", "外交部不予置评", "白宫既不证实也不否认", "國務院不予置評"]
)
def test_a_hedge_is_no_denial(gaz: Gazetteer, title: str) -> None:
    assert not [c for c in find_cues(title, "zh") if c.active and c.kind is CueKind.DENIAL]
    assert read(gaz, title) == []


def test_an_error_not_admitted_is_no_retraction() -> None:
    assert not chinese_cue("国防部拒不承认错误", CueKind.RETRACTION).active
    assert not chinese_cue("国防部从未承认", CueKind.RETRACTION).active
    # "had to admit" admits
    assert chinese_cue("外交部不得不承认错误", CueKind.RETRACTION).active


@pytest.mark.parametrize("title", ["中方敦促日方立即撤回错误言论", "中方要求美方更正", "外交部要求日方道歉"])
def test_asking_someone_else_to_retract_is_no_retraction(gaz: Gazetteer, title: str) -> None:
    assert not [c for c in find_cues(title, "zh") if c.active and c.kind is not CueKind.CLAIM]
    assert read(gaz, title) == []


def test_unconfirmed_is_no_confirmation() -> None:
    assert not chinese_cue("一则未经证实的消息", CueKind.CONFIRMATION).active
    assert chinese_cue("韩国外交部证实此事", CueKind.CONFIRMATION).active


# --- other senses -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("最高人民法院驳回其再审申请", "object"),
        ("法院驳回上诉", "object"),
        ("法院駁回上訴", "object"),
        ("立法院以52票否决预算案", "object"),
        ("国会否决法案", "object"),
        ("美国国务院拒绝向该官员发放签证", "object"),
        ("俱乐部拒绝了对方球员的转会报价", "object"),
        ("上海法院驳回", "subject"),
    ],
)  # fmt: skip
def test_a_court_a_vote_a_visa_or_an_offer_is_another_sense(gaz: Gazetteer, title: str, reason: str) -> None:
    cue = silent_cue(gaz, title, CueKind.DENIAL)
    assert cue.other_sense and reason in (cue.reason or ""), cue


@pytest.mark.parametrize("title", ["日本政府撤回大使", "财政部撤回加税计划", "白宫撤回提名"])
def test_withdrawing_a_policy_or_a_person_is_no_retraction_of_words(gaz: Gazetteer, title: str) -> None:
    cue = silent_cue(gaz, title, CueKind.RETRACTION)
    assert cue.other_sense and "policy" in (cue.reason or "")


def test_a_policy_u_turn_is_no_cue_and_a_turn_on_words_is() -> None:
    assert not [c for c in find_cues("该部门政策急转弯", "zh") if c.kind is CueKind.RETRACTION]
    assert chinese_cue("美方出尔反尔", CueKind.RETRACTION).active
    assert chinese_cue("白宫撤回此前言论", CueKind.RETRACTION).active


def test_recognising_a_state_is_no_admission() -> None:
    assert not [c for c in find_cues("该国宣布承认巴勒斯坦国", "zh") if c.kind is CueKind.RETRACTION]


def test_the_outlets_own_correction_note_is_another_sense() -> None:
    cue = chinese_cue("本报此前报道有误，特此更正", CueKind.CORRECTION)
    assert cue.other_sense


def test_a_false_alarm_is_no_denial() -> None:
    assert not [c for c in find_cues("警方称系虚假警报", "zh") if c.active and c.kind is CueKind.DENIAL]


# --- retractions and corrections --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "kind", "speaker"),
    [
        ("行政院撤回此前声明", StatementKind.RETRACTION, "tw.gov"),
        ("行政院撤回此前聲明", StatementKind.RETRACTION, "tw.gov"),
        ("美国国务院承认错误", StatementKind.RETRACTION, "us.state"),
        ("美國國務院承認錯誤", StatementKind.RETRACTION, "us.state"),
        ("五角大楼致歉", StatementKind.RETRACTION, "us.dod"),
        ("国家统计局发布更正", StatementKind.CORRECTION, "cn.nbs"),
        ("国家统计局发布勘误", StatementKind.CORRECTION, "cn.nbs"),
        ("国家卫健委将确诊人数下修至120人", StatementKind.CORRECTION, "cn.ministry.health"),
        ("国家统计局称此前公布的数据有误", StatementKind.CORRECTION, "cn.nbs"),
    ],
)  # fmt: skip
def test_an_official_takes_back_or_corrects_its_own_words(
    gaz: Gazetteer, title: str, kind: StatementKind, speaker: str
) -> None:
    st = read(gaz, title)
    assert st, title
    assert st[0].kind is kind
    assert st[0].speaker is not None and st[0].speaker.key == speaker
    assert st[0].target is None or st[0].target.key == speaker


def test_an_admission_is_marked_as_one() -> None:
    assert chinese_cue("五角大楼致歉", CueKind.RETRACTION).group == "admission"
    assert chinese_cue("美国国务院承认错误", CueKind.RETRACTION).group is None


# --- the reader's items -----------------------------------------------------------------------------


def test_an_untagged_chinese_item_is_read_as_chinese(gaz: Gazetteer) -> None:
    sts = extract_statements(item("外交部发言人毛宁表示，美方有关指责毫无根据。"), gaz)
    st = next(s for s in sts if s.kind is StatementKind.DENIAL)
    assert st.language == "zh"
    assert keys(st) == (StatementKind.DENIAL, "cn.mfa", "us.gov")
