"""Who said what, in Arabic: the cue words of `cues/ar.toml` and the statement words of
`statements/ar.toml`, read with the names the gazetteer already knows (`lang/ar.toml`).

Every sentence is invented for these tests: made-up events about real institutions.

Arabic writes its conjunctions, prepositions and article onto the word ("ونفت", "بالخطأ") and
its pronoun objects after it ("نفاها"); folding leaves Arabic letters as written (hamza forms,
ta marbuta, alef maqsura), so the patterns list the spellings. Leads put the verb first
("نفت وزارة الخارجية الروسية ..."), headlines the subject ("الخارجية الروسية تنفي ...").
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

AR = LanguageReader("ar")
read = AR.read
statements = AR.statements
arabic_cue = AR.cue
arabic_cues = AR.cues


# --- folding and the word lists ----------------------------------------------------------------


def test_folding_leaves_arabic_letters_as_written() -> None:
    # hamza forms, alef maqsura and ta marbuta are letters of their own; the offsets stay
    for word in ("أكد", "إسرائيل", "آخر", "نفى", "وزارة"):
        assert fold_keep_offsets(word) == word
    assert len(fold_keep_offsets("كذّبت")) == len("كذّبت")


def test_arabic_words_join_the_other_languages_lists_without_matching_their_words() -> None:
    lex = load_lexicon("statements")
    media = re.compile(rf"\b(?:{lex.alt('media', 'ar')})\b")
    claim = re.compile(rf"\b(?:{lex.alt('claim_noun', 'ar')}|{lex.alt('report_word', 'ar')})\b")
    for words in ("the ministry denied the report", "la prensa", "заявления Киева"):
        assert not media.search(words) and not claim.search(words), words
    assert media.search("ما نشرته وسائل الإعلام")
    assert not arabic_cues("The ministry denied the report", CueKind.DENIAL)


# --- denials: the verb, its forms and its clitics ------------------------------------------------


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("الكرملين ينفي التقارير", "ينفي التقارير"),
        ("الخارجية الروسية تنفي", "تنفي"),
        ("نفت الحكومة المصرية ذلك", "نفت"),
        ("ونفت الوزارة ذلك في بيان", "ونفت"),
        ("وتنفي موسكو ذلك", "وتنفي"),
        ("ونفى المتحدث ذلك", "ونفى"),
        ("وهو ما نفته الوزارة", "نفته"),
        ("الوزارة نفتها بشدة", "نفتها"),
        ("الحزبان ينفيان الاتفاق", "ينفيان"),
        ("وجاء ذلك في نفيها للاتهامات", "نفيها"),
        ("كذّبت الحكومة الرواية", "كذّبت"),
        ("الحكومة تكذب الادعاءات", "تكذب"),
        ("في تكذيب للتقارير", "تكذيب"),
        ("دحضت الوزارة الرواية", "دحضت"),
        ("الجيش يفند الادعاءات", "يفند"),
    ],
)
def test_the_forms_of_denying_are_cues(title: str, words: str) -> None:
    cue = arabic_cue(title, CueKind.DENIAL)
    assert cue.words == words
    assert cue.active


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("الكرملين: التقارير عن مرض الرئيس لا أساس لها من الصحة", "لا أساس لها من الصحة"),
        ("الوزارة: الأنباء عارية عن الصحة", "الأنباء عارية عن الصحة"),
        ("الوزارة: هذا الكلام عار عن الصحة", "عار عن الصحة"),
        ("المتحدث: هذا الكلام غير صحيح", "غير صحيح"),
        ("المتحدث: ما نشر ليس صحيحا", "ليس صحيحا"),
        ("أكدت الوزارة عدم صحة الأنباء", "عدم صحة"),
        ("الشرطة: اتهامات المعارضة ملفقة", "اتهامات المعارضة ملفقة"),
        ("هذه ادعاءات كاذبة", "ادعاءات كاذبة"),
        ("مزاعم الاحتلال عن الأنفاق", "مزاعم"),
    ],
)
def test_predicates_and_nouns_that_call_something_false_are_denials(title: str, words: str) -> None:
    cue = arabic_cue(title, CueKind.DENIAL)
    assert cue.words == words
    assert cue.active


def test_rejecting_claims_is_stronger_than_rejecting_alone() -> None:
    words = arabic_cue("الخارجية الإيرانية ترفض الاتهامات", CueKind.DENIAL)
    alone = arabic_cue("الخارجية الإيرانية ترفض ذلك", CueKind.DENIAL)
    assert words.words == "ترفض الاتهامات"
    assert words.strength > alone.strength


@pytest.mark.parametrize(
    "title",
    ["رفضت إسرائيل الانسحاب من المعبر", "رفض الرئيس الاعتراف بنتائج الانتخابات", "يرفض السكان التهجير"],
)
def test_refusing_to_act_is_no_cue(title: str) -> None:
    assert not arabic_cues(title, CueKind.DENIAL)


def test_a_verb_first_cue_leaves_its_subject_outside() -> None:
    # the object is read ahead of the verb, so the subject between them stays a name
    assert arabic_cue("رفضت وزارة الخارجية الروسية الاتهامات", CueKind.DENIAL).words == "رفضت"
    assert arabic_cue("سحبت الوزارة بيانها", CueKind.RETRACTION).words == "سحبت"


# --- negation and hedges -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "لا ينفي الجيش وقوع الحادث",
        "الكرملين لم ينفي التقارير",
        "الوزارة رفضت التعليق على التقارير",
        "امتنع المتحدث عن التعليق ونفى وجود خلاف",
        "الكرملين لم يؤكد ولم ينف الأنباء",
    ],
)
def test_negated_or_hedged_denials_deny_nothing(title: str) -> None:
    assert all(not c.active for c in arabic_cues(title, CueKind.DENIAL)), find_cues(title, "ar")


def test_the_jussive_after_lam_is_no_cue() -> None:
    assert not arabic_cues("لم ينفِ البيت الأبيض التقرير", CueKind.DENIAL)


# --- other senses --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "رفضت المحكمة الإفراج بكفالة عن المتهم",
        "المحكمة العليا ترفض الطعن",
        "رفض البرلمان مشروع القانون بأغلبية 120 صوتا",
        "السفارة ترفض طلب التأشيرة",
        "النادي يرفض عرضا لضم المهاجم",
    ],
)
def test_courts_parliaments_and_consulates_reject_something_else(title: str) -> None:
    cue = arabic_cue(title, CueKind.DENIAL)
    assert cue.other_sense, cue


def test_a_policy_u_turn_is_no_retraction_of_words() -> None:
    cue = arabic_cue("تراجعت الحكومة عن قرار رفع أسعار الوقود", CueKind.RETRACTION)
    assert cue.other_sense and cue.reversal


def test_markets_falling_back_are_no_cue() -> None:
    assert not find_cues("تراجعت أسعار النفط عن مستوياتها القياسية", "ar")


def test_exile_and_false_alarms_are_no_denials() -> None:
    assert arabic_cue("نفي إلى الخارج بعد الانقلاب", CueKind.DENIAL).other_sense
    assert not any(c.active for c in arabic_cues("تحقيق في بلاغ كاذب عن قنبلة", CueKind.DENIAL))


def test_asking_someone_else_to_retract_is_no_retraction() -> None:
    cue = arabic_cue("طالبت موسكو واشنطن بسحب تصريحاتها", CueKind.RETRACTION)
    assert cue.other_sense


# --- retractions, admissions, corrections, confirmations ----------------------------------------


@pytest.mark.parametrize(
    ("title", "group"),
    [
        ("الوزير يتراجع عن تصريحاته بشأن اللاجئين", None),
        ("سحبت الوزارة بيانها السابق", None),
        ("الرئاسة تحذف التغريدة", None),
        ("يرجى إهمال البيان السابق", None),
        ("الجيش يعترف بالخطأ في الغارة", None),
        ("إعترف الجيش بالخطأ", None),
        ("الوزارة تعتذر عن الخطأ", None),
        ("الجيش يعترف بأن الغارة أصابت مدنيين", "admission"),
    ],
)
def test_retractions_and_admissions(title: str, group: str | None) -> None:
    cue = arabic_cue(title, CueKind.RETRACTION)
    assert cue.active
    assert cue.group == group


@pytest.mark.parametrize(
    "title",
    [
        "صحّحت وزارة الصحة حصيلة الضحايا",
        "الأمم المتحدة تصحح أرقام النازحين",
        "عدلت وزارة الصحة حصيلة الوفيات",
        "تصحيح: البيان صدر عن الوزارة أمس",
        "الرقم ورد بالخطأ في البيان",
    ],
)
def test_corrections(title: str) -> None:
    assert arabic_cue(title, CueKind.CORRECTION).active


def test_correcting_a_course_is_no_correction() -> None:
    assert not arabic_cue("الحزب يدعو إلى تصحيح المسار", CueKind.CORRECTION).active


def test_confirming_is_no_denial() -> None:
    assert arabic_cue("أكدت الشرطة صحة التقارير", CueKind.CONFIRMATION).active
    assert not arabic_cues("أكدت الشرطة صحة التقارير", CueKind.DENIAL)


def test_lying_to_the_public_is_a_finding_about_the_subject() -> None:
    cue = arabic_cue("المعارضة: الحكومة كذبت على الرأي العام", CueKind.DENIAL)
    assert cue.group == "finding"


# --- who denies whose words ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        ("الكرملين ينفي اتهامات واشنطن بالتدخل في الانتخابات", "ru.kremlin", "us.gov"),
        ("حماس تنفي مزاعم الجيش الإسرائيلي", "ag.hamas", "il.idf"),
        ("الكرملين: اتهامات واشنطن ملفقة", "ru.kremlin", "us.gov"),
        ("الخارجية الروسية ترفض تصريحات البيت الأبيض", "ru.mfa", "us.white_house"),
        # "in response to" names whose words a verb-first denial answers
        ("ردا على اتهامات واشنطن، نفت وزارة الخارجية الصينية أي تورط", "cn.mfa", "us.gov"),
    ],
)
def test_a_denial_names_who_denies_whose_words(gaz: Gazetteer, title: str, speaker: str, target: str) -> None:
    st = read(gaz, title)
    assert st, title
    assert keys(st[0]) == (StatementKind.DENIAL, speaker, target)
    assert st[0].language == "ar"


@pytest.mark.parametrize(
    ("title", "speaker"),
    [
        # the subject first, as headlines have it
        ("الخارجية الروسية تنفي عقد اجتماع سري في جنيف", "ru.mfa"),
        ("مجلس الوزراء السعودي ينفي فرض ضرائب جديدة", "sa.gov"),
        # the verb first, as leads have it: the actor right after the verb speaks
        ("نفت وزارة الخارجية الروسية الاتهامات الأمريكية بشأن الهجوم", "ru.mfa"),
        ("ونفى المتحدث باسم الكرملين ديمتري بيسكوف التقارير", "ru.kremlin"),
        ("نفت وزارة الداخلية المصرية وقوع أي اشتباكات", "eg.ministry.interior"),
        ("رفضت وزارة الخارجية الروسية الاتهامات الأمريكية", "ru.mfa"),
        ("ونفت الحكومة المصرية صحة ما تم تداوله", "eg.gov"),
        # "said the ministry that ... is false": the speaker before the complementizer
        ("قالت وزارة الخارجية القطرية إن الأنباء غير صحيحة", "qa.ministry.foreign"),
    ],
)
def test_the_speaker_before_or_right_after_the_verb(gaz: Gazetteer, title: str, speaker: str) -> None:
    st = read(gaz, title)
    assert st, title
    assert st[0].kind is StatementKind.DENIAL
    assert st[0].speaker is not None and st[0].speaker.key == speaker


@pytest.mark.parametrize(
    ("title", "speaker", "kind"),
    [
        ("الحكومة المصرية تنفي ما تم تداوله على مواقع التواصل الاجتماعي", "eg.gov", "rumour"),
        ("وزارة الدفاع الأمريكية تنفي ما ذكرته صحيفة نيويورك تايمز", "us.dod", "media"),
        ("قالت وزارة الخارجية الروسية إن التقارير غير صحيحة", "ru.mfa", "media"),
    ],
)
def test_denying_rumours_or_the_press_marks_a_non_official_target(
    gaz: Gazetteer, title: str, speaker: str, kind: str
) -> None:
    st = read(gaz, title)
    assert st, title
    assert keys(st[0]) == (StatementKind.DENIAL, speaker, None)
    assert st[0].target_kind == kind


def test_a_denial_of_an_official_reports_the_denied_claim_too(gaz: Gazetteer) -> None:
    st = statements(gaz, "الكرملين ينفي اتهامات واشنطن")
    assert [keys(s) for s in st] == [
        (StatementKind.DENIAL, "ru.kremlin", "us.gov"),
        (StatementKind.CLAIM, "us.gov", None),
    ]


def test_a_retraction_takes_back_the_speakers_own_words(gaz: Gazetteer) -> None:
    st = read(gaz, "الجيش الإسرائيلي يتراجع عن روايته بشأن الغارة")
    assert keys(st[0]) == (StatementKind.RETRACTION, "il.idf", "il.idf")


def test_a_correction_of_ones_own_figures(gaz: Gazetteer) -> None:
    st = read(gaz, "البنتاغون يصحح أرقام الخسائر")
    assert keys(st[0]) == (StatementKind.CORRECTION, "us.dod", "us.dod")


@pytest.mark.parametrize(
    "title",
    [
        "وزير الخارجية الإيراني يزور الدوحة لبحث التعاون",
        "رفضت المحكمة الإفراج بكفالة عن المتهم",
        "الكرملين لم يؤكد ولم ينف التقارير",
        "تراجعت أسعار النفط عن مستوياتها القياسية",
    ],
)
def test_no_dispute_where_none_is_reported(gaz: Gazetteer, title: str) -> None:
    assert not read(gaz, title)
