"""Who said what, in Turkish: the cue words of `cues/tr.toml` and the statement words of
`statements/tr.toml`, read with the names the gazetteer already knows (`lang/tr.toml`).

Every sentence is invented for these tests: made-up events about real institutions.

Turkish puts the verb last and the claim's owner before its noun, in the genitive ("Rusya,
ABD'nin iddialarını reddetti"); it negates a verb with an ending ("yalanlamadı"), and folding
keeps the dotless "ı" while a capital "I" becomes "i".
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

TR = LanguageReader("tr")
first = TR.first
silent_cue = TR.silent_cue
read = TR.read
statements = TR.statements
turkish_cue = TR.cue


# --- folding ------------------------------------------------------------------------------------


def test_folding_keeps_the_dotless_i_and_lowers_the_dotted_capital() -> None:
    assert fold_keep_offsets("İddia") == "iddia"
    assert fold_keep_offsets("ışık") == "ısık"
    assert fold_keep_offsets("IŞIK") == "isik"
    assert fold_keep_offsets("DMM") == "dmm"


@pytest.mark.parametrize("title", ["Bakanlık iddiaları yalanladı", "BAKANLIK İDDİALARI YALANLADI"])
def test_a_cue_reads_in_lower_and_upper_case(title: str) -> None:
    assert turkish_cue(title, CueKind.DENIAL).active


def test_turkish_words_join_the_other_languages_lists_without_matching_their_words() -> None:
    lex = load_lexicon("statements")
    media = re.compile(rf"\b(?:{lex.alt('media', 'tr')})\b")
    claim = re.compile(rf"\b(?:{lex.alt('claim_noun', 'tr')}|{lex.alt('report_word', 'tr')})\b")
    # English "basin", Spanish "haber", Italian "veri" are no Turkish press or claim words
    for words in ("the river basin", "no haber dicho", "dati veri", "al gore"):
        assert not media.search(words) and not claim.search(words), words
    assert media.search(fold_keep_offsets("Basında çıkan haberler"))


# --- denials ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        ("Rusya, ABD'nin iddialarını reddetti", "ru.gov", "us.gov"),
        ("Moskova, Ukrayna'nın açıklamalarını yalanladı", "ru.gov", "ua.gov"),
        ("Rusya Dışişleri Bakanlığı, Yunanistan'ın iddialarını yalanladı", "ru.mfa", "gr.gov"),
        ("TSK, Yunanistan'ın iddialarını kesin bir dille reddetti", "tr.military", "gr.gov"),
        ("Pentagon, Rusya'nın açıklamalarını çürüttü", "us.dod", "ru.gov"),
        ("Cumhurbaşkanlığı İletişim Başkanlığı, Yunanistan'ın iddialarını tekzip etti", "tr.gov",
            "gr.gov"),
        ('Beyaz Saray, Kremlin\'in iddialarını "yalan" olarak nitelendirdi', "us.white_house",
            "ru.kremlin"),
        # what is said to be false, with its owner, as the object of a verb of saying
        ("Kremlin Sözcüsü Peskov, ABD'nin iddialarının doğru olmadığını söyledi", "ru.peskov",
            "us.gov"),
        ("Dışişleri Bakanlığı Sözcüsü, Yunanistan'ın iddialarının gerçek dışı olduğunu belirtti",
            "tr.ministry.foreign", "gr.gov"),
        # a headline's colon credits who calls the claims false
        ("MSB: Yunanistan'ın iddiaları asılsız", "tr.ministry.defence", "gr.gov"),
        ("Pentagon'un açıklamasına göre Rusya'nın iddiaları gerçeği yansıtmıyor", "us.dod", "ru.gov"),
    ],
)  # fmt: skip
def test_a_denial_names_who_denies_whose_words(gaz: Gazetteer, title: str, speaker: str, target: str) -> None:
    st = read(gaz, title)
    assert st, title
    assert keys(st[0]) == (StatementKind.DENIAL, speaker, target)
    assert st[0].language == "tr"


@pytest.mark.parametrize(
    ("title", "speaker"),
    [
        ("Sağlık Bakanlığı iddiaları yalanladı", "tr.ministry.health"),
        ("Bakanlık iddiaları yalanlıyor", "tr.ministry"),
        ("Emniyet Genel Müdürlüğü, iddiaların asılsız olduğunu açıkladı", "tr.police"),
        ("Hükümet sözcüsü iddiaları kabul etmedi", "tr.gov"),
        ("Bakanlık: Böyle bir karar söz konusu değil", "tr.ministry"),
        ("MSB: İddialar asılsız", "tr.ministry.defence"),
        ('DMM: "Ordu\'da patlama" iddiası gerçek dışı', "tr.gov"),
        ("İçişleri Bakanlığı'na göre iddialar asılsız", "tr.ministry.interior"),
        ("Kremlin'den ABD'nin iddialarına yalanlama", "ru.kremlin"),
        # a place inside what is denied is not who denies it
        ("MSB, Yunanistan'daki tatbikata ilişkin iddiaları yalanladı", "tr.ministry.defence"),
        ("ABD'nin iddiaları Moskova tarafından yalanlandı", "ru.gov"),
    ],
)  # fmt: skip
def test_a_denial_of_no_named_owner_is_its_speakers(gaz: Gazetteer, title: str, speaker: str) -> None:
    assert first(gaz, title) == (StatementKind.DENIAL, speaker, None)


@pytest.mark.parametrize(
    ("title", "speaker", "kind"),
    [
        ("Sağlık Bakanlığı, sosyal medyadaki iddiaları yalanladı", "tr.ministry.health", "rumour"),
        ("Dezenformasyonla Mücadele Merkezi sosyal medyada yayılan iddiaları yalanladı", "tr.gov",
            "rumour"),
        ("İçişleri Bakanlığı basında çıkan haberleri yalanladı", "tr.ministry.interior", "media"),
        ("İletişim Başkanlığı, Yunan basınının haberlerini yalanladı", "tr.gov", "media"),
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
    st = statements(gaz, "Rusya, ABD'nin iddialarını reddetti")
    assert [keys(s) for s in st] == [
        (StatementKind.DENIAL, "ru.gov", "us.gov"),
        (StatementKind.CLAIM, "us.gov", None),
    ]


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("Haber gerçeği yansıtmıyor", "gerçeği yansıtmıyor"),
        ("Bakanlık: İddialar asılsızdır", "İddialar asılsızdır"),
        ("Kremlin: Bu doğru değil", "doğru değil"),
        ("Sözcü: Böyle bir görüşme yaşanmadı", "Böyle bir görüşme yaşanmadı"),
        ("Bakan: Bu iddiaların aslı yok", "aslı yok"),
        ("MSB: Hiçbir kanıt bulunmuyor", "Hiçbir kanıt bulunmuyor"),
    ],
)
def test_predicates_that_call_something_false_carry_their_own_negation(title: str, words: str) -> None:
    cue = turkish_cue(title, CueKind.DENIAL)
    assert cue.words == words
    assert cue.active


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("Kremlin iddiaları yalanladı", "yalanladı"),
        ("ABD'nin iddiaları yalanlandı", "yalanlandı"),
        ("Kremlin'den yalanlama", "yalanlama"),
        ("Bakanlığın yalanlamasına rağmen", "yalanlamasına"),
        ("Pentagon reddediyor", "reddediyor"),
    ],
)
def test_the_tenses_and_the_noun_of_denying_are_cues(title: str, words: str) -> None:
    found = [c for c in find_cues(title, "tr") if c.kind is CueKind.DENIAL]
    if words == "yalanlamasına":
        # the dative of the noun ("despite the denial") is no denial of its own
        assert not found
        return
    assert [c.words for c in found] == [words]


# --- findings: the subject's own words called false ---------------------------------------------


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        ("Erdoğan yalan söyledi, dedi muhalefet", None, "tr.erdogan"),
        ("Kremlin kamuoyunu yanılttı", None, "ru.kremlin"),
        # the genitive is the subject of the lie, the one before the comma says so
        ("Fidan, Kremlin'in kamuoyunu yanılttığını söyledi", "tr.fidan", "ru.kremlin"),
    ],
)  # fmt: skip
def test_a_finding_disputes_the_subjects_own_words(
    gaz: Gazetteer, title: str, speaker: str | None, target: str
) -> None:
    cue = turkish_cue(title, CueKind.DENIAL)
    assert cue.active and cue.group == "finding"
    assert first(gaz, title) == (StatementKind.DENIAL, speaker, target)


# --- retractions and corrections ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("Sağlık Bakanlığı açıklamasını geri çekti", "tr.ministry.health"),
        ("Erdoğan sözlerini geri aldı", "tr.erdogan"),
        ("Fidan, açıklamasından geri adım attı", "tr.fidan"),
        ("Erdoğan: Hata yaptık", "tr.erdogan"),
        ("Milli Savunma Bakanlığı hatasını kabul etti", "tr.ministry.defence"),
        ("Sağlık Bakanlığı yanlış bilgi için özür diledi", "tr.ministry.health"),
        ("İçişleri Bakanlığı paylaşımını sildi", "tr.ministry.interior"),
    ],
)  # fmt: skip
def test_a_retraction_takes_back_the_speakers_own_statement(gaz: Gazetteer, title: str, who: str) -> None:
    assert first(gaz, title) == (StatementKind.RETRACTION, who, who)


def test_a_disregard_notice_is_a_retraction() -> None:
    cue = turkish_cue("Önceki açıklamamızın dikkate alınmaması rica olunur", CueKind.RETRACTION)
    assert cue.active


@pytest.mark.parametrize(
    ("title", "group"),
    [
        ("Bakan, hata yaptığını kabul etti", None),
        ("Bakan, saldırının yaşandığını kabul etti", "admission"),
        ("Sözcü gecikme için özür diledi", "admission"),
        ("Bakan itiraf etti", "admission"),
    ],
)
def test_an_admission_is_a_retraction_weighed_apart(title: str, group: str | None) -> None:
    cue = turkish_cue(title, CueKind.RETRACTION)
    assert cue.active and cue.group == group


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("Hazine ve Maliye Bakanlığı enflasyon rakamlarını düzeltti", "tr.ministry.finance"),
        ("İçişleri Bakanlığı ölü sayısını aşağı yönlü revize etti", "tr.ministry.interior"),
        ("Sağlık Bakanlığı açıklaması sehven yayımlanmıştır", "tr.ministry.health"),
    ],
)  # fmt: skip
def test_a_correction_sets_the_speakers_own_figures_right(gaz: Gazetteer, title: str, who: str) -> None:
    assert first(gaz, title) == (StatementKind.CORRECTION, who, who)


def test_a_policy_u_turn_is_no_retraction(gaz: Gazetteer) -> None:
    # stepping back from a tax, not from words
    assert read(gaz, "Hükümet vergi düzenlemesinden geri adım attı") == []


def test_amending_a_law_is_no_correction(gaz: Gazetteer) -> None:
    title = "Hükümet, vergi kanununda düzeltme yaptı"
    cue = silent_cue(gaz, title, CueKind.CORRECTION)
    assert cue.other_sense


@pytest.mark.parametrize(
    "title",
    ["Gazete, bakanlıktan düzeltme istedi", "Bakan, gazeteden haberi düzeltmesini istedi"],
)
def test_asking_someone_else_to_correct_is_no_correction(gaz: Gazetteer, title: str) -> None:
    assert not [c for c in find_cues(title, "tr") if c.kind is CueKind.CORRECTION and c.active]
    assert read(gaz, title) == []


# --- negated cues and hedges ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Bakanlık iddiaları yalanlamadı",
        "Kremlin iddiaları yalanlamıyor",
        "Pentagon iddiaları reddetmedi",
        "Kremlin iddiaları doğrulamadı",
        "Bakanlık düzeltme yapmadı",
    ],
)
def test_a_verb_negated_by_its_ending_is_no_cue(gaz: Gazetteer, title: str) -> None:
    assert not [c for c in find_cues(title, "tr") if c.active and c.kind is not CueKind.CLAIM]
    assert read(gaz, title) == []


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Kremlin yalanlama yapmadı", CueKind.DENIAL),
        ("Kremlin'den hiçbir yalanlama gelmedi", CueKind.DENIAL),
        ("Bakanlık iddiaları ne doğruladı ne de yalanladı", CueKind.DENIAL),
        ("Bakanlık iddiaları ne doğruladı ne de yalanladı", CueKind.CONFIRMATION),
    ],
)
def test_a_negated_cue_does_not_count(gaz: Gazetteer, title: str, kind: CueKind) -> None:
    cue = silent_cue(gaz, title, kind)
    assert cue.negated


@pytest.mark.parametrize(
    "title",
    [
        "Kremlin, yalanlama sorusuna yorum yapmaktan kaçındı",
        "Sözcü iddiaları ne teyit etti ne yalanladı",
    ],
)
def test_a_hedge_makes_a_denial_near_it_no_denial(gaz: Gazetteer, title: str) -> None:
    cue = silent_cue(gaz, title, CueKind.DENIAL)
    assert cue.negated and cue.reason is not None and cue.reason.startswith(("hedge", "negated"))


# --- the same words in other senses ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "why"),
    [
        # courts
        ("Mahkeme, tutuklama talebinin reddine karar verdi", None),
        ("Sulh ceza hakimliği tahliye talebini reddetti", "object 'tahliye"),
        ("Anayasa Mahkemesi başvuruyu reddetti", "object 'basvuruyu'"),
        ("Yargıtay itirazı reddetti", "object 'itiraz"),
        # parliaments and votes
        ("TBMM Genel Kurulu önergeyi oy çokluğuyla reddetti", "object 'onergeyi'"),
        ("Meclis, kanun teklifini oybirliğiyle reddetti", "object 'kanun teklifini'"),
        # a state refusing a visa, a club an offer
        ("Rusya vize başvurusunu reddetti", "object 'vize"),
        ("Fenerbahçe, futbolcu için gelen teklifi reddetti", "object 'teklifi'"),
        ("Mahkeme bu sabah reddetti", "subject 'mahkeme'"),
    ],
)
def test_the_same_denial_words_in_other_senses_dispute_nothing(
    gaz: Gazetteer, title: str, why: str | None
) -> None:
    found = [c for c in find_cues(title, "tr") if c.kind is CueKind.DENIAL]
    if why is None:
        # "talebinin reddine" (the rejection of the request) is no cue at all
        assert not [c for c in found if c.active]
    else:
        assert len(found) == 1
        cue = found[0]
        assert cue.other_sense and cue.reason is not None and why in cue.reason, cue
    assert read(gaz, title) == []


def test_rejecting_claims_keeps_its_denial_whatever_they_are_about(gaz: Gazetteer) -> None:
    # "teklif" would make "reddetti" an offer refused, but what is rejected here is the claims
    cue = turkish_cue("Bakanlık, kanun teklifine ilişkin iddiaları reddetti", CueKind.DENIAL)
    assert cue.active


# --- confirmations and language codes -----------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("Beyaz Saray görüşmeyi teyit etti", "us.white_house"),
        ("Kremlin iddiaları doğruladı", "ru.kremlin"),
    ],
)
def test_a_confirmation_is_its_speakers(gaz: Gazetteer, title: str, who: str) -> None:
    st = [s for s in statements(gaz, title) if s.kind is StatementKind.CONFIRMATION]
    assert [keys(s) for s in st] == [(StatementKind.CONFIRMATION, who, None)]


@pytest.mark.parametrize("code", ["tr", "tr-TR", "tr_tr"])
def test_a_regional_language_code_reads_the_turkish_words(code: str) -> None:
    cues = find_cues("Bakanlık yalanladı", code)
    assert [(c.kind, c.words, c.language) for c in cues] == [(CueKind.DENIAL, "yalanladı", "tr")]


def test_a_turkish_item_without_a_language_tag_is_read_as_turkish(gaz: Gazetteer) -> None:
    title = "Rusya Dışişleri Bakanlığı, Yunanistan'ın iddialarını yalanladı"
    text = "Bakanlık, Atina yönetiminin iddialarının asılsız olduğunu bildirdi."
    st = [
        s for s in extract_statements(item(title, text, language=None), gaz) if s.kind is StatementKind.DENIAL
    ]
    assert st and st[0].language == "tr"
    assert keys(st[0]) == (StatementKind.DENIAL, "ru.mfa", "gr.gov")
