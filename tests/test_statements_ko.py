"""Who said what, in Korean: the cue words of `cues/ko.toml` and the statement words of
`statements/ko.toml`, read with the names the gazetteer already knows (`lang/ko.toml`).

Every sentence is invented for these tests: made-up events about real institutions.

Korean writes particles and endings glued to their word ("국방부는", "부인했다"), puts the verb
last and the claim's owner before its noun ("러시아 외무부는 미국의 주장을 반박했다"); it negates
a verb with words after it ("부인하지 않았다"), and headlines credit their speaker before a comma
or a quotation ("외교부, 일본 측 주장 반박", '국방부 "北 주장 사실 아냐"').
"""

from __future__ import annotations

import re

import pytest

from bot.detect.actors import Gazetteer
from bot.detect.cues import Cue, CueKind, find_cues
from bot.detect.lexicons import load_lexicon
from bot.detect.statements import extract_statements
from bot.text import fold_keep_offsets
from bot.types import StatementKind
from tests.language_readers import LanguageReader, keys
from tests.test_statements import item

KO = LanguageReader("ko")
first = KO.first
silent_cue = KO.silent_cue
read = KO.read
statements = KO.statements
korean_cue = KO.cue


def active(title: str) -> list[Cue]:
    return [c for c in find_cues(title, "ko") if c.active and c.kind is not CueKind.CLAIM]


# --- folding and the shared lists ---------------------------------------------------------------


def test_folding_keeps_hangul_whole() -> None:
    assert fold_keep_offsets("국방부는 부인했다") == "국방부는 부인했다"
    assert fold_keep_offsets("北 주장 “사실 아냐”") == '北 주장 "사실 아냐"'


def test_korean_words_join_the_other_languages_lists_without_matching_their_words() -> None:
    lex = load_lexicon("statements")
    media = re.compile(rf"\b(?:{lex.alt('media', 'ko')})\b")
    claim = re.compile(rf"\b(?:{lex.alt('claim_noun', 'ko')}|{lex.alt('report_word', 'ko')})\b")
    for words in ("the press report", "el informe de prensa", "die Behauptung", "iddiaları"):
        assert not media.search(words) and not claim.search(words), words
    assert media.search("일부 언론 보도를")
    # "보도자료" (a press release) is an official's, not the press's
    assert not media.search("보도자료를")


# --- denials ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        # the topic word marks the speaker, the genitive owner of the object the target
        ("러시아 외무부는 미국의 주장을 반박했다", "ru.mfa", "us.gov"),
        ("국방부는 북한의 주장을 전면 부인했다", "kr.ministry.defence", "kp.gov"),
        ("크렘린궁은 우크라이나 측 주장을 반박했다", "ru.kremlin", "ua.gov"),
        ("일본 방위성은 중국 측 발표를 일축했다", "jp.ministry.defence", "cn.gov"),
        ("중국 외교부는 11일 미국 국무부의 발표를 강하게 반박했다", "cn.mfa", "us.state"),
        ("우크라이나 국방부는 러시아의 발표를 가짜뉴스라고 일축했다", "ua.mod", "ru.gov"),
        ('북한 외무성은 미국의 발표를 "터무니없는 날조"라고 비난했다', "kp.ministry.foreign", "us.gov"),
        ("국방부는 러시아 국방부의 발표가 사실무근이라고 밝혔다", "kr.ministry.defence", "ru.mod"),
        # a headline's comma credits the speaker, the object follows
        ("외교부, 일본 측 주장 반박", "kr.ministry.foreign", "jp.gov"),
        ("국방부, 北 도발설 일축", "kr.ministry.defence", "kp.gov"),
        ("美 국무부, 北 주장 반박", "us.state", "kp.gov"),
        # a headline's quotation: the speaker before it, the owner inside it
        ('국방부 "北 주장 사실 아냐"', "kr.ministry.defence", "kp.gov"),
    ],
)  # fmt: skip
def test_a_denial_names_who_denies_whose_words(gaz: Gazetteer, title: str, speaker: str, target: str) -> None:
    st = read(gaz, title)
    assert st, title
    assert keys(st[0]) == (StatementKind.DENIAL, speaker, target)
    assert st[0].language == "ko"


@pytest.mark.parametrize(
    ("title", "speaker"),
    [
        ("국방부가 북한의 주장을 반박했다", "kr.ministry.defence"),
        ("국방부는 북한의 도발을 부인하며 대응 방침을 밝혔다", "kr.ministry.defence"),
        ('국방부 관계자는 "사실과 다르다"고 말했다', "kr.ministry.defence"),
        ("대통령실은 개헌 검토 보도에 선을 그었다", "kr.presidency"),
        ("통일부는 북한의 주장을 받아들일 수 없다고 밝혔다", "kr.ministry"),
        ("합참은 의혹을 일축했다", "kr.military"),
    ],
)  # fmt: skip
def test_a_denial_of_no_named_owner_is_its_speakers(gaz: Gazetteer, title: str, speaker: str) -> None:
    st = read(gaz, title)
    assert st, title
    assert keys(st[0])[:2] == (StatementKind.DENIAL, speaker)


@pytest.mark.parametrize(
    ("title", "speaker", "kind"),
    [
        ("통일부는 일부 언론 보도를 부인했다", "kr.ministry", "media"),
        ("국방부는 해당 보도가 사실과 다르다고 해명했다", "kr.ministry.defence", "media"),
        ("질병관리청은 온라인상에 퍼진 괴담을 일축했다", "kr.ministry.health", "rumour"),
    ],
)  # fmt: skip
def test_denying_rumours_or_the_press_marks_a_non_official_target(
    gaz: Gazetteer, title: str, speaker: str, kind: str
) -> None:
    st = read(gaz, title)
    assert st, title
    assert keys(st[0]) == (StatementKind.DENIAL, speaker, None)
    assert st[0].target_kind == kind


def test_a_denial_of_an_official_reports_the_denied_claim_too(gaz: Gazetteer) -> None:
    st = statements(gaz, "러시아 외무부는 미국의 주장을 반박했다")
    assert [keys(s) for s in st] == [
        (StatementKind.DENIAL, "ru.mfa", "us.gov"),
        (StatementKind.CLAIM, "us.gov", None),
    ]


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("북한 주장은 사실이 아니다", "사실이 아니다"),
        ('국방부 "사실 아냐"', "사실 아냐"),
        ("해당 보도는 사실무근", "사실무근"),
        ("발표 내용은 사실과 다르다", "사실과 다르다"),
        ("터무니없다", "터무니없다"),
        ("명백한 오보", "명백한 오보"),
    ],
)
def test_predicates_that_call_something_false_carry_their_own_negation(title: str, words: str) -> None:
    cue = korean_cue(title, CueKind.DENIAL)
    assert cue.words == words
    assert cue.active


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("국방부가 부인했다", "부인했다"),
        ("국방부는 부인하며", "부인하며"),
        ("부인한 국방부", "부인한"),
        ("국방부가 반박했다", "반박했다"),
        ("국방부가 일축했다", "일축했다"),
        ("국방부가 부정했다", "부정했다"),
        ("반박 성명", "반박"),
        ("국방부가 해명했다", "해명했다"),
    ],
)
def test_the_endings_of_denying_are_cues(title: str, words: str) -> None:
    assert [c.words for c in active(title) if c.kind is CueKind.DENIAL] == [words]


@pytest.mark.parametrize(
    "title",
    [
        # the noun "부인" is also a wife, and "부정" unjust: no denial
        "대통령 부인 김 여사가 출국했다",
        "부정한 방법으로 돈을 받았다",
        "부정 선거 의혹",
    ],
)
def test_the_same_letters_in_other_words_are_no_denial(title: str) -> None:
    assert not active(title)


# --- findings: the subject's own words called false ---------------------------------------------


@pytest.mark.parametrize(
    ("title", "target"),
    [
        ("트럼프 대통령이 국민을 호도했다", "us.trump"),
        ("크렘린궁은 국제사회를 기만했다", "ru.kremlin"),
        ("푸틴이 거짓말을 했다", "ru.putin"),
    ],
)
def test_a_finding_disputes_the_subjects_own_words(gaz: Gazetteer, title: str, target: str) -> None:
    cue = korean_cue(title, CueKind.DENIAL)
    assert cue.active and cue.group == "finding"
    assert first(gaz, title) == (StatementKind.DENIAL, None, target)


# --- retractions and corrections ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("일본 외무성은 발언을 철회했다", "jp.ministry.foreign"),
        ("트럼프 대통령은 자신의 발언을 번복했다", "us.trump"),
        ("국방부는 입장을 하루 만에 번복했다", "kr.ministry.defence"),
        ("보건복지부는 게시물을 삭제했다", "kr.ministry.health"),
        ("기획재정부는 잘못을 인정했다", "kr.ministry.finance"),
        ("국방부는 실수를 시인했다", "kr.ministry.defence"),
    ],
)  # fmt: skip
def test_a_retraction_takes_back_the_speakers_own_statement(gaz: Gazetteer, title: str, who: str) -> None:
    assert first(gaz, title) == (StatementKind.RETRACTION, who, who)


def test_a_disregard_notice_is_a_retraction() -> None:
    cue = korean_cue("앞서 배포한 보도자료는 폐기해 주시기 바랍니다", CueKind.RETRACTION)
    assert cue.active


@pytest.mark.parametrize(
    ("title", "group"),
    [
        ("장관은 잘못을 인정했다", None),
        ("러시아 국방부는 병력 손실을 인정했다", "admission"),
        ("대변인은 지연에 대해 사과했다", "admission"),
        ("외교부는 유감을 표명했다", "admission"),
    ],
)
def test_an_admission_is_a_retraction_weighed_apart(title: str, group: str | None) -> None:
    cue = korean_cue(title, CueKind.RETRACTION)
    assert cue.active and cue.group == group


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("기획재정부는 통계를 정정했다", "kr.ministry.finance"),
        ("통계청은 실업률 수치를 하향 조정했다", "kr.kostat"),
        ("국방부, 사망자 수 정정", "kr.ministry.defence"),
        ("국방부는 사망자 수를 잘못 발표했다고 밝혔다", "kr.ministry.defence"),
        ("행정안전부는 피해 규모를 바로잡았다", "kr.ministry.interior"),
    ],
)  # fmt: skip
def test_a_correction_sets_the_speakers_own_figures_right(gaz: Gazetteer, title: str, who: str) -> None:
    assert first(gaz, title) == (StatementKind.CORRECTION, who, who)


@pytest.mark.parametrize(
    "title",
    [
        "정부는 결국 관세 부과 방침을 철회했다",
        "정부는 증세 계획을 백지화했다",
        "정부, 세금 인상 방침 철회",
    ],
)
def test_a_policy_u_turn_is_no_retraction(gaz: Gazetteer, title: str) -> None:
    cue = silent_cue(gaz, title, CueKind.RETRACTION)
    assert cue.other_sense and cue.reason is not None and "policy" in cue.reason


@pytest.mark.parametrize(
    "title",
    [
        "야당, 국방부에 정정 보도 요구",
        "외교부, 일본 정부에 망언 철회 촉구",
        "시민단체는 발언 철회를 요구했다",
        "정부는 발언 철회 여부를 검토하고 있다",
    ],
)
def test_asking_someone_else_to_retract_or_correct_is_none(gaz: Gazetteer, title: str) -> None:
    assert not [c for c in active(title) if c.kind in (CueKind.RETRACTION, CueKind.CORRECTION)]
    assert read(gaz, title) == []


def test_the_outlets_own_correction_note_is_no_official_correction(gaz: Gazetteer) -> None:
    title = "본지는 지난 3일자 보도에서 사망자를 10명으로 보도했으나 사실과 달라 바로잡습니다"
    assert not active(title)
    assert read(gaz, title) == []


# --- negated cues and hedges ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "국방부는 보도를 부인하지 않았다",
        "국방부는 북한의 주장을 강하게 부인하지 않았다",
        "국방부는 그런 보도를 부인한 적이 없다",
        "국방부는 사실을 부인할 수 없다고 밝혔다",
        "외교부는 일본 측 주장을 반박하지 못했다",
        "국방부는 북한의 주장을 인정하지 않았다",
        "국방부는 통계를 정정하지 않았다",
        "국방부는 보도를 부인하는 것은 아니라고 말했다",
    ],
)
def test_a_verb_negated_after_it_is_no_cue(gaz: Gazetteer, title: str) -> None:
    assert not active(title)
    assert read(gaz, title) == []


@pytest.mark.parametrize(
    "title",
    [
        "국방부는 보도 내용에 대해 확인도 부인도 하지 않았다",
        "외교부는 일본 측 주장에 대해 언급을 피했다",
        "국정원은 관련 보도에 대해 확인해 줄 수 없다며 말을 아꼈다",
        "국방부는 해명 요구에 답변을 거부했다",
    ],
)
def test_neither_confirming_nor_denying_is_no_denial(gaz: Gazetteer, title: str) -> None:
    assert not active(title)
    assert read(gaz, title) == []


def test_a_hedge_makes_a_denial_near_it_no_denial(gaz: Gazetteer) -> None:
    title = "국방부는 의혹을 일축했지만 구체적 언급은 피했다"
    cue = silent_cue(gaz, title, CueKind.DENIAL)
    assert cue.negated and cue.reason is not None and cue.reason.startswith("hedge")


# --- the same words in other senses ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "why"),
    [
        # courts
        ("법원은 구속영장 청구를 기각했다", "object '구속영장"),
        ("서울중앙지법은 보석 신청을 기각했다", "object '보석"),
        ("대법원은 상고를 기각했다", "object '상고"),
        ("법원은 오늘 기각했다", "subject '법원"),
        # parliaments and votes
        ("국회는 본회의에서 법안을 부결했다", "object '법안"),
        ("탄핵소추안이 재석 300명 중 찬성 150표로 부결됐다", "a vote"),
        ("국회는 오늘 부결했다", "subject '국회"),
        # a state refusing a visa or an offer of talks
        ("중국은 비자 발급 요청을 거부했다", "object '비자"),
        ("북한은 남측의 회담 제안을 거절했다", "object '회담"),
    ],
)
def test_the_same_rejection_words_in_other_senses_dispute_nothing(
    gaz: Gazetteer, title: str, why: str
) -> None:
    found = [c for c in find_cues(title, "ko") if c.kind is CueKind.DENIAL]
    assert len(found) == 1, found
    cue = found[0]
    assert cue.other_sense and cue.reason is not None and why in cue.reason, cue
    assert read(gaz, title) == []


def test_rejecting_claims_keeps_its_denial(gaz: Gazetteer) -> None:
    cue = korean_cue("중국 외교부는 미국의 주장을 단호히 거부했다", CueKind.DENIAL)
    assert cue.active
    st = read(gaz, "중국 외교부는 미국의 주장을 단호히 거부했다")
    assert st and keys(st[0]) == (StatementKind.DENIAL, "cn.mfa", "us.gov")


@pytest.mark.parametrize("title", ["거짓말 탐지기 조사를 받았다", "허위 신고로 경찰이 출동했다"])
def test_phrases_of_other_senses_are_no_denial(title: str) -> None:
    assert not active(title)


# --- confirmations, claims and language codes ---------------------------------------------------


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("백악관은 보도를 사실로 확인했다", "us.white_house"),
        ("크렘린궁은 회담 일정을 확인했다", "ru.kremlin"),
    ],
)
def test_a_confirmation_is_its_speakers(gaz: Gazetteer, title: str, who: str) -> None:
    st = [s for s in statements(gaz, title) if s.kind is StatementKind.CONFIRMATION]
    assert [keys(s) for s in st] == [(StatementKind.CONFIRMATION, who, None)]


def test_an_attributed_claim_is_its_speakers(gaz: Gazetteer) -> None:
    st = statements(gaz, "러시아 국방부는 우크라이나군이 민간인을 공격했다고 주장했다")
    assert [keys(s) for s in st] == [(StatementKind.CLAIM, "ru.mod", None)]


def test_the_lead_continues_the_headlines_speaker(gaz: Gazetteer) -> None:
    st = read(gaz, "국방부, 北 도발설 일축", "이어 대변인은 관련 보도가 사실이 아니라고 말했다.")
    assert st and keys(st[0]) == (StatementKind.DENIAL, "kr.ministry.defence", "kp.gov")


@pytest.mark.parametrize("code", ["ko", "ko-KR", "ko_kr"])
def test_a_regional_language_code_reads_the_korean_words(code: str) -> None:
    cues = find_cues("국방부가 부인했다", code)
    assert [(c.kind, c.words, c.language) for c in cues] == [(CueKind.DENIAL, "부인했다", "ko")]


def test_a_korean_item_without_a_language_tag_is_read_as_korean(gaz: Gazetteer) -> None:
    title = "러시아 외무부는 미국의 주장을 반박했다"
    text = "외무부 대변인은 미국 측 발표가 사실무근이라고 말했다."
    st = [
        s for s in extract_statements(item(title, text, language=None), gaz) if s.kind is StatementKind.DENIAL
    ]
    assert st and st[0].language == "ko"
