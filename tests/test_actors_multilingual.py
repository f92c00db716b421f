"""Actor mentions in it, ru, zh, ja, ko, ar, nl, pl, tr, sv: the language files and the term index.

The headlines are written for these tests. Each names the actors that must be found; an entry is
an actor key, or "<country>:<type>" where the key depends on how actors.toml maps a role.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.detect.actor_terms import (
    COUNTRY_NAMES_PATH,
    Kind,
    LanguageFileError,
    Lexicon,
    Term,
    TermIndex,
    normalise,
    packaged_lexicon,
    read_language_file,
)
from bot.detect.actors import ActorsFileError, Context, Gazetteer
from bot.detect.reading import read_item
from bot.detect.statements import extract_statements
from bot.types import ActorType
from tests.test_actors import keys
from tests.test_statements import item

ROOT = Path(__file__).resolve().parents[1]


def _matches(gaz: Gazetteer, text: str, want: str) -> bool:
    found = [a for a, _ in gaz.find_all(text)]
    if ":" in want:
        cc, atype = want.split(":")
        return any(a.country == cc and a.type is ActorType(atype) for a in found)
    return any(a.key == want for a in found)


HEADLINES = [
    ("it", "Il ministero della Difesa russo smentisce le perdite", ["ru.mod"]),
    ("it", "La Farnesina convoca l'ambasciatore iraniano", ["it.ministry.foreign", "ir.ambassador"]),
    ("it", "L'esercito israeliano annuncia nuovi raid", ["il.idf"]),
    ("it", "Le autorità cinesi negano il blocco dei porti", ["cn.gov"]),
    ("it", "Il portavoce del Cremlino respinge le accuse", ["ru.kremlin"]),
    ("it", "La polizia francese sgombera il campo", ["fr.police"]),
    ("it", "Il governo tedesco conferma l'accordo sul gas", ["de.gov"]),
    ("it", "La Casa Bianca: nessun incontro con Teheran", ["us.white_house", "ir.gov"]),
    ("it", "Il ministro degli Esteri turco in visita", ["tr.ministry.foreign.minister"]),
    ("it", "La guardia costiera libica intercetta un barcone", ["ly:military"]),
    ("ru", "Минобороны России опровергло данные о потерях", ["ru.mod"]),
    ("ru", "МИД Китая выразил протест Токио", ["cn.mfa", "jp.gov"]),
    ("ru", "Российский МИД вызвал посла Германии", ["ru.mfa", "de.ambassador"]),
    ("ru", "Пресс-секретарь Кремля отказался от комментариев", ["ru.kremlin"]),
    ("ru", "Госдеп США призвал Москву к переговорам", ["us.state", "ru.gov"]),
    ("ru", "ВСУ заявили об отражении атаки", ["ua.armed_forces"]),
    ("ru", "Украинская полиция задержала подозреваемых", ["ua:police"]),
    ("ru", "Береговая охрана Японии обнаружила судно", ["jp:military"]),
    ("ru", "Захарова ответила на слова Макрона", ["ru.zakharova", "fr.macron"]),
    ("zh", "中国外交部回应美方指责", ["cn.mfa", "us.gov"]),
    ("zh", "美国防部称将增派舰艇", ["us.dod"]),
    ("zh", "俄军宣布控制一村庄", ["ru.army"]),
    ("zh", "日本防卫省抗议中国海警船只", ["jp:ministry", "cn:military"]),
    ("zh", "韩国政府否认相关报道", ["kr.gov"]),
    ("zh", "白宫发言人否认特朗普将访华", ["us.white_house", "us.trump"]),
    ("zh", "以军称打死一名指挥官", ["il.idf"]),
    ("zh", "俄罗斯驻华大使馆发表声明", ["ru:embassy"]),
    ("zh", "英国警方逮捕两名嫌疑人", ["gb:police"]),
    ("ja", "防衛省、中国軍機の接近を発表", ["jp:ministry", "cn.pla"]),
    ("ja", "ロシア外務省、日本大使を呼び出し", ["ru.mfa", "jp:official"]),
    ("ja", "米国務省報道官が会見", ["us.state"]),
    ("ja", "韓国側は協議継続を要求", ["kr.gov"]),
    ("ja", "中国外務省、報道を否定", ["cn.mfa"]),
    ("ja", "警察庁が詐欺グループを摘発", ["jp:police"]),
    ("ja", "イスラエル軍がガザで空爆", ["il.idf"]),
    ("ja", "ドイツ政府が原発方針を撤回", ["de.gov"]),
    ("ko", "국방부는 북한군이 포격했다고 밝혔다", ["kr:ministry", "kp:military"]),
    ("ko", "미 국무부는 논평을 거부했다", ["us.state"]),
    ("ko", "중국 외교부는 보도를 부인했다", ["cn.mfa"]),
    ("ko", "러시아 국방부는 공격을 부인했다", ["ru.mod"]),
    ("ko", "일본 정부가 항의했다", ["jp.gov"]),
    ("ko", "주한 미국대사관이 성명을 냈다", ["us:embassy"]),
    ("ko", "경찰은 용의자 두 명을 체포했다", ["kr:police"]),
    ("ko", "북한 외무성은 담화를 발표했다", ["kp:ministry"]),
    ("ko", "해경이 불법 조업 어선을 나포했다", ["kr:military"]),
    ("ar", "وزارة الخارجية الروسية تنفي التقارير", ["ru.mfa"]),
    ("ar", "الجيش الإسرائيلي يعلن انسحاب قواته", ["il.idf"]),
    ("ar", "السفارة الأمريكية في بغداد تحذر رعاياها", ["us:embassy"]),
    ("ar", "الحكومة المصرية تنفي شائعات رفع الأسعار", ["eg.gov"]),
    ("ar", "المتحدث باسم الكرملين يرفض الاتهامات", ["ru.kremlin"]),
    ("ar", "الشرطة التركية تعتقل مشتبها بهم", ["tr:police"]),
    ("ar", "وزير الدفاع الأمريكي يزور الرياض", ["us:official", "sa.gov"]),
    ("ar", "خفر السواحل الليبي ينقذ مهاجرين", ["ly:military"]),
    ("ar", "ونفت وزارة الصحة السعودية وجود إصابات", ["sa:ministry"]),
    ("nl", "Het Nederlandse ministerie van Defensie stuurt een fregat", ["nl:ministry"]),
    ("nl", "De Russische regering ontkent betrokkenheid", ["ru.gov"]),
    ("nl", "Defensie bevestigt inzet van drones", ["nl:ministry"]),
    ("nl", "De Belgische politie houdt drie verdachten aan", ["be:police"]),
    ("nl", "Het Israëlische leger trekt zich terug", ["il.idf"]),
    ("nl", "Woordvoerder van het Witte Huis weerspreekt bericht", ["us.white_house"]),
    ("nl", "De Chinese ambassade reageert op kritiek", ["cn:embassy"]),
    ("nl", "Buitenlandse Zaken roept ambassadeur terug", ["nl:ministry"]),
    ("pl", "Polska policja zatrzymała dwóch podejrzanych", ["pl:police"]),
    ("pl", "MSZ Rosji wezwało ambasadora Polski", ["ru.mfa", "pl:official"]),
    ("pl", "Rosyjskie ministerstwo obrony zaprzecza doniesieniom", ["ru.mod"]),
    ("pl", "Rzecznik Kremla odrzuca oskarżenia", ["ru.kremlin"]),
    ("pl", "Rząd Niemiec zapowiada nowe sankcje", ["de.gov"]),
    ("pl", "Ukraińska armia odbiła wieś", ["ua.armed_forces"]),
    ("pl", "Straż Graniczna zatrzymała przemytników", ["pl:agency"]),
    ("pl", "Rzecznik Białego Domu zaprzecza", ["us.white_house"]),
    ("pl", "MON potwierdza przyjęcie nowych czołgów", ["pl.mod"]),
    ("pl", "Putina nie było na szczycie", ["ru.putin"]),
    ("tr", "Türkiye Dışişleri Bakanlığı açıklama yaptı", ["tr:ministry"]),
    ("tr", "Rusya'nın Savunma Bakanlığı iddiaları reddetti", ["ru.mod"]),
    ("tr", "ABD Dışişleri Bakanlığı Sözcüsü açıklama yaptı", ["us.state"]),
    ("tr", "Rus ordusu köyü ele geçirdiğini duyurdu", ["ru.army"]),
    ("tr", "Türk polisi operasyon düzenledi", ["tr:police"]),
    ("tr", "Yunanistan Sahil Güvenlik birimleri göçmenleri kurtardı", ["gr:military"]),
    ("tr", "İsrail ordusu Gazze'ye saldırdı", ["il.idf"]),
    ("tr", "Beyaz Saray'dan Ankara'ya yanıt", ["us.white_house", "tr.gov"]),
    ("tr", "Milli Savunma Bakanlığı tatbikatın başladığını duyurdu", ["tr:ministry"]),
    ("sv", "Svenska försvarsmakten höjer beredskapen", ["se:military"]),
    ("sv", "Ryska UD kallar upp den svenska ambassadören", ["ru.mfa", "se:official"]),
    ("sv", "Sveriges regering kritiserar beslutet", ["se.gov"]),
    ("sv", "Polisen griper två personer i Malmö", ["se:police"]),
    ("sv", "Kinesiska utrikesministeriet avvisar kritiken", ["cn.mfa"]),
    ("sv", "Kustbevakningen bordade fartyget", ["se:military"]),
    ("sv", "Amerikanska försvarsministern besöker Stockholm", ["us:official", "se.gov"]),
    ("sv", "Finska regeringen inför gränskontroller", ["fi.gov"]),
]


@pytest.mark.parametrize(
    ("lang", "text", "want"), HEADLINES, ids=[f"{h[0]}{n}" for n, h in enumerate(HEADLINES)]
)
def test_headlines_name_their_actors(gaz: Gazetteer, lang: str, text: str, want: list[str]) -> None:
    missing = [w for w in want if not _matches(gaz, text, w)]
    assert missing == [], (lang, text, keys(gaz, text))


def test_the_table_covers_every_language() -> None:
    per_lang = {lang: sum(1 for h in HEADLINES if h[0] == lang) for lang in {h[0] for h in HEADLINES}}
    assert set(per_lang) == {"it", "ru", "zh", "ja", "ko", "ar", "nl", "pl", "tr", "sv"}
    assert min(per_lang.values()) >= 6 and len(HEADLINES) >= 60


NOT_ACTORS = [
    # a country as a team or a venue in a sports result
    ("Verstappen vince il Gran Premio del Giappone", ["jp.gov"]),
    ("Italia-Spagna 2-1, decide un rigore", ["it.gov", "es.gov"]),
    ("Сборная России обыграла Канаду со счётом 3:2", ["ru.gov", "ca.gov"]),
    ("日本代表、ドイツに2-1で勝利", ["jp.gov", "de.gov"]),
    ("中国队2-1战胜日本队夺冠", ["cn.gov", "jp.gov"]),
    ("대표팀, 월드컵 예선에서 일본에 2-1 승리", ["jp.gov", "kr.gov"]),
    ("منتخب مصر يفوز على المغرب 2-1", ["eg.gov", "ma.gov"]),
    ("Milli takım maçı Almanya karşısında 2-1 kazandı", ["de.gov", "tr.gov"]),
    ("Polska wygrała mecz z Holandią 2-1", ["pl.gov", "nl.gov"]),
    ("Oranje wint met 2-0 van Duitsland", ["de.gov", "nl.gov"]),
    ("Sverige vann landskampen mot Norge", ["se.gov", "no.gov"]),
    # a person's name that is also a common word, written as the word
    ("Il prezzo dei meloni sale ancora", ["it.meloni"]),
    ("На берегу много песков и камней", ["ru.peskov"]),
    ("fidan dikimi kampanyası başladı", ["tr.fidan"]),
    ("Na weselu grała duda i skrzypce", ["pl.duda"]),
    # a name inside a longer word, and words that only contain a name
    ("マリンスポーツが人気", ["ml.gov"]),
    ("以军事手段解决问题不可取", ["il.idf", "il.military"]),
    ("沿海地区迎来降雨", ["ht.gov"]),
    ("수단과 방법을 가리지 않았다", ["sd.gov"]),
    ("الأزمة المالية تتفاقم في الأسواق", ["ml.gov"]),
    ("Island residents flee as the storm nears", ["is.gov"]),
]


@pytest.mark.parametrize(("text", "absent"), NOT_ACTORS)
def test_words_that_are_not_these_actors(gaz: Gazetteer, text: str, absent: list[str]) -> None:
    assert not set(keys(gaz, text)) & set(absent), keys(gaz, text)


# --- the lead's examples: type and country ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "atype", "country"),
    [
        ("il ministero della Difesa russo", ActorType.MINISTRY, "ru"),
        ("Минобороны России", ActorType.MINISTRY, "ru"),
        ("中国外交部", ActorType.MINISTRY, "cn"),
        ("防衛省", ActorType.MINISTRY, "jp"),
        ("국방부는", ActorType.MINISTRY, "kr"),
        ("وزارة الخارجية الروسية", ActorType.MINISTRY, "ru"),
        ("het Nederlandse ministerie van Defensie", ActorType.MINISTRY, "nl"),
        ("polska policja", ActorType.POLICE, "pl"),
        ("Türkiye Dışişleri Bakanlığı", ActorType.MINISTRY, "tr"),
        ("svenska försvarsmakten", ActorType.MILITARY, "se"),
    ],
)
def test_role_words_resolve_to_a_typed_actor_of_the_right_country(
    gaz: Gazetteer, text: str, atype: ActorType, country: str
) -> None:
    found = gaz.find_all(text)
    assert len(found) == 1, found
    actor, (s, e) = found[0]
    assert (actor.type, actor.country) == (atype, country)
    assert actor.official and text[s:e].strip()


def test_a_listed_body_wins_over_the_role_it_fills(gaz: Gazetteer) -> None:
    # actors.toml [roles] maps "ru.ministry.defence" to ru.mod: every language reaches the same actor
    for text in (
        "Минобороны России",
        "il ministero della Difesa russo",
        "러시아 국방부",
        "Rosyjskie ministerstwo obrony",
    ):
        assert keys(gaz, text) == ["ru.mod"]


# --- where bare roles belong --------------------------------------------------------------------------


def test_a_bare_role_takes_the_context_then_its_language_home(gaz: Gazetteer) -> None:
    assert keys(gaz, "Минобороны заявило о перехвате") == ["ru.mod"]  # Russian-language home
    assert keys(gaz, "Минобороны заявило о перехвате", country="by") == ["by.ministry.defence"]
    assert keys(gaz, "경찰은 수사에 착수했다") == ["kr.police"]
    assert keys(gaz, "경찰은 수사에 착수했다", country="jp") == ["jp.police"]


def test_a_word_two_languages_share_has_no_home(gaz: Gazetteer) -> None:
    # "polis" is Swedish and Turkish for police: without a country in the text or context, nobody's
    assert [a.country for a, _ in gaz.find_all("Polis olay yerine geldi")] == [None]
    # the script settles it for words Chinese and Japanese write alike
    assert keys(gaz, "政府否认相关报道") == ["cn.gov"]
    assert keys(gaz, "政府は報道を否定した") == ["jp.gov"]


def test_a_title_next_to_a_name_is_that_persons(gaz: Gazetteer) -> None:
    assert keys(gaz, "プーチン大統領が演説") == ["ru.putin"]
    assert keys(gaz, "国家主席习近平会见外宾") == ["cn.xi"]
    assert keys(gaz, "윤석열 대통령이 기자회견을 열었다") == ["kr.yoon"]


# --- the Latin-script rules stay as they were ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Apple said a report that it would buy an artificial intelligence startup was not accurate",
        "Insurer denied a third of claims, regulator finds",
        "The ski resort reopened after the storm",
        "La Corte Suprema falló a favor del gobierno",
        "El presidente Javier Milei desmintió la versión",
    ],
)
def test_words_of_the_new_languages_do_not_leak_into_others(gaz: Gazetteer, text: str) -> None:
    foreign = {"it", "pl", "se", "nl", "tr"}
    assert not [k for k in keys(gaz, text) if k.split(".")[0] in foreign]


def test_short_all_caps_names_still_need_capitals(gaz: Gazetteer) -> None:
    assert keys(gaz, "МИД России") == ["ru.mfa"]
    assert keys(gaz, "мид сообщил") == []  # written small, neither is a name
    assert "pl.mod" not in keys(gaz, "mon ami")
    assert keys(gaz, "the ice on the lake was thin") == []


def test_a_country_states_dateline_in_capitals_is_not_the_state(gaz: Gazetteer) -> None:
    assert "ma.gov" not in keys(gaz, "RABAT - Les chiffres sont totalement infondés")


@pytest.mark.parametrize(
    ("text", "language", "key"),
    [
        ("農水省は新米の価格が落ち着いたと説明した", "ja", "jp.ministry.agriculture"),  # abbreviation
        ("国土交通省によると、橋の点検は終わった", "ja", "jp.ministry.transport"),
        ("文科省、学校の回線整備は完了と発表", "ja", "jp.ministry.education"),
        ("米農務省は小麦の在庫見通しを下げた", "ja", "us.agriculture"),  # a foreign counterpart
        ("환경부는 하천 수질이 좋아졌다고 밝혔다", "ko", "kr.ministry.environment"),
        ("고용노동부가 실업 통계를 고쳤다", "ko", "kr.ministry.labour"),
    ],
)
def test_ministries_named_by_their_portfolio_in_japanese_and_korean(
    gaz: Gazetteer, text: str, language: str, key: str
) -> None:
    assert key in _in(gaz, text, language)


# --- matching mechanics --------------------------------------------------------------------------------


def test_arabic_vowel_marks_and_glued_prepositions(gaz: Gazetteer) -> None:
    text = "وقالت الخارجيّة الروسيّة إن التقرير كاذب"  # with shadda, as some outlets write
    (actor, (s, e)), *_ = gaz.find_all(text)
    assert actor.key == "ru.mfa"
    assert text[s:e] == "الخارجيّة الروسيّة"
    assert keys(gaz, "وفي بيان للحكومة المصرية") == ["eg.gov"]  # ل + الحكومة
    assert keys(gaz, "وروسيا ترفض") == ["ru.gov"]


def test_inflected_forms(gaz: Gazetteer) -> None:
    assert keys(gaz, "посла Великобритании") == ["gb.ambassador"]
    assert keys(gaz, "в заявлении российского правительства") == ["ru.gov"]
    assert keys(gaz, "według polskiej policji") == ["pl.police"]
    assert keys(gaz, "Dışişleri Bakanlığı'ndan açıklama") == ["tr.ministry.foreign"]
    assert keys(gaz, "Rysslands regering") == ["ru.gov"]


def _in(gaz: Gazetteer, text: str, language: str | None) -> list[str]:
    return [a.key for a, _ in gaz.find_all(text, country=Context(language=language))]


@pytest.mark.parametrize(
    ("language", "text", "not_there"),
    [
        # "Bernie" is also the Polish locative of Berno (Bern), "Autorité" the Italian "autorità"
        ("en", "Bernie Sanders wins the Nevada caucus", "ch.gov"),
        ("fr", "L'Autorité de la concurrence inflige une amende record", "it.gov"),
    ],
)
def test_another_languages_inflections_do_not_count_in_a_text_of_known_language(
    gaz: Gazetteer, language: str, text: str, not_there: str
) -> None:
    assert not_there not in _in(gaz, text, language)


def test_a_languages_own_inflections_and_any_words_own_spelling_still_count(gaz: Gazetteer) -> None:
    assert _in(gaz, "Rysslands regering", "sv") == ["ru.gov"]
    assert _in(gaz, "Rysslands regering", "sv-SE") == ["ru.gov"]  # a region tag is the same language
    assert _in(gaz, "według polskiej policji", "pl") == ["pl.police"]
    # a Swedish word as Swedish spells it counts in an English text (a quoted name, a place)
    assert "se.gov" in _in(gaz, "Regeringen i Stockholm", "en")


def test_a_term_running_from_latin_into_kanji_counts_only_whole(gaz: Gazetteer) -> None:
    # "W杯" (the World Cup) makes a sports story, where countries are teams; its "W" alone does
    # not ("George W. Bush", "W. Va.")
    assert "iq.gov" in keys(gaz, "George W. Bush says the Iraq war was right")
    assert "ru.gov" in keys(gaz, "Manchin of W. Va. says Russia lied about the pipeline")
    assert "ir.gov" not in keys(gaz, "日本代表、W杯予選でイランに勝利")


def test_an_items_reading_looks_up_actors_in_the_items_language(gaz: Gazetteer) -> None:
    title = "Bernie Sanders says the White House misled voters on drug prices"
    r = read_item(item(title, language="en"), lambda it: extract_statements(it, gaz), gaz)
    assert "ch.gov" not in {a.key for a in r.actors}
    assert all(st.target is None or st.target.key != "ch.gov" for st in r.statements)


_GAZ = Gazetteer.load()  # hypothesis runs each example in one test call: no per-test fixture


@given(st.text(alphabet=st.sampled_from("ab Яяقالْ中国軍ー국방부는'-2:1 .ّ"), max_size=60))
@settings(max_examples=300, deadline=None)
def test_spans_always_point_into_the_text(text: str) -> None:
    for _actor, (s, e) in _GAZ.find_all(text):
        assert 0 <= s < e <= len(text)


@given(st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_normalise_maps_every_character_back(text: str) -> None:
    norm, offsets = normalise(text)
    if offsets is None:
        assert len(norm) == len(text)
    else:
        assert len(offsets) == len(norm) and list(offsets) == sorted(set(offsets))
        assert all(0 <= i < len(text) for i in offsets)


def test_user_aliases_in_other_scripts_are_found() -> None:
    gaz = Gazetteer.from_toml(
        '[actors]\n"ru.rosgvardia" = { name = "Rosgvardia", type = "police", country = "ru", aliases = ["Росгвардия"] }\n'
    )
    assert keys(gaz, "Росгвардия сообщила о задержании") == ["ru.rosgvardia"]


_EXTRA_TERMS_TEXTS = [
    "Росгвардия сообщила о задержании, Минобороны России опровергло",
    "Росгвардии не было на месте, заявил Кремль",
    "中国外交部否认了美国国务院的说法",
    "国防部は米国務省の発表を否定した",
    "The Kremlin and Rosgvardia denied what the Pentagon said",
    "ministro degli Esteri Tajani smentisce la Casa Bianca",
    "示例局表示",
    "Ведомства Примеров не было, сообщили в МИД",
]


def test_an_index_extended_with_more_terms_reads_as_one_built_with_all_of_them() -> None:
    lexicon = packaged_lexicon()
    russian = next(t.language for t in lexicon.terms if t.language.code == "ru")
    added = [
        Term("Росгвардия", Kind.ACTOR, "ru.rosgvardia", language=russian, form="actor", source="test"),
        Term("示例局", Kind.ACTOR, "cn.example", form="actor", source="test"),
        Term("Ведомство Примеров", Kind.ACTOR, "ru.example", language=russian, form="actor", source="test"),
    ]
    rebuilt = TermIndex((*lexicon.terms, *added))
    extended = lexicon.index.extended(added)
    assert len(extended) == len(rebuilt) == len(lexicon.index) + len(added)
    for text in _EXTRA_TERMS_TEXTS:
        for language in (None, "ru", "zh", "ja"):
            assert extended.scan(text, language) == rebuilt.scan(text, language), (text, language)
    # the lexicon's own index is left as it was
    assert "ru.rosgvardia" not in {f.value for f in lexicon.index.scan(_EXTRA_TERMS_TEXTS[0], "ru").found}
    assert "ru.rosgvardia" in {f.value for f in extended.scan(_EXTRA_TERMS_TEXTS[0], "ru").found}
    assert "ru.example" in {f.value for f in extended.scan(_EXTRA_TERMS_TEXTS[-1], "ru").found}


# --- the data files ------------------------------------------------------------------------------------


def test_every_language_file_loads_and_names_known_actors() -> None:
    lexicon = packaged_lexicon()
    langs = {Path(f).stem for f in lexicon.files}
    assert langs == {"ar", "it", "ja", "ko", "nl", "pl", "ru", "sv", "tr", "zh"}
    Gazetteer.load()  # raises ActorsFileError naming the file and key of a bad entry


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('language = "xx"\ncolour = "red"\n', "colour"),
        ('home = "xx"\n', "language: missing"),
        ('language = "xx"\n[inflection]\nparadigms = [{ drop = 1 }]\n', "paradigms"),
        ('language = "xx"\n[inflection]\ninflect = ["verbs"]\n', "verbs"),
        ('language = "xx"\n[templates]\nministry = ["ministero"]\n', "{p}"),
        ('language = "xx"\n[names]\n"x" = 3\n', "names"),
        ('language = "xx"\n[link]\nbefore_pattern = "("\n', "before_pattern"),
        ('language = "xx"\n[inflection]\nprefixes = ["de"]\n', "apostrophe"),
        ('language = "xx"\n[roles\n', "invalid TOML"),
    ],
)
def test_a_bad_language_file_names_the_problem(tmp_path: Path, body: str, message: str) -> None:
    bad = tmp_path / "xx.toml"
    bad.write_text(body, encoding="utf-8")
    with pytest.raises(LanguageFileError, match=message) as err:
        read_language_file(bad)
    assert str(bad) in str(err.value)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('language = "xx"\n[names]\n"Zorg" = "zz.nobody"\n', "zz.nobody"),
        ('language = "xx"\n[roles]\nwizard = ["mago"]\n', "wizard"),
        ('language = "xx"\n[countries]\nzz = { names = ["Zedland"] }\n', "zz"),
    ],
)
def test_a_language_file_entry_naming_nothing_known_is_an_error(
    tmp_path: Path, body: str, message: str
) -> None:
    bad = tmp_path / "xx.toml"
    bad.write_text(body, encoding="utf-8")
    _, terms = read_language_file(bad)
    base = Gazetteer.load()
    lexicon = Lexicon(tuple(terms), TermIndex(terms), {}, {}, (str(bad),))
    with pytest.raises(ActorsFileError, match=message):
        Gazetteer({a.key: a for a in base}, {c.code: c for c in base.countries}, {}, lexicon)


def test_the_generated_country_names_are_current() -> None:
    """scripts/gen_country_names.py writes the same file again (when the installed babel carries
    the CLDR release the file was made from)."""
    babel = pytest.importorskip("babel.core")
    committed = json.loads(COUNTRY_NAMES_PATH.read_text(encoding="utf-8"))
    if committed["cldr"] != babel.get_cldr_version():
        pytest.skip(f"babel has CLDR {babel.get_cldr_version()}, the file {committed['cldr']}")
    script = ROOT / "scripts" / "gen_country_names.py"
    run = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert run.returncode == 0, "country_names.json is stale: run `make country-names`"


@pytest.mark.parametrize(
    ("text", "language", "key"),
    [
        ("Кишинёв опроверг заявление Москвы", "ru", "md.gov"),
        ("Таллин опроверг заявление Москвы", "ru", "ee.gov"),
        ("Vilnius rejects the Kremlin's account", "en", "lt.gov"),
        ("Chisinau denies the report", "en", "md.gov"),
    ],
)
def test_the_capitals_of_moldova_and_two_baltic_states_name_their_governments(
    gaz: Gazetteer, text: str, language: str, key: str
) -> None:
    assert key in _in(gaz, text, language)
