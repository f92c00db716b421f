"""Who said what in Russian: the cue words of `cues/ru.toml` and the statement words of
`statements/ru.toml`, read with the actor names of `lang/ru.toml`.

Every headline is written for these tests: invented events about real institutions.
"""

from __future__ import annotations

import re
import tomllib

import pytest

from bot.detect.actors import Gazetteer
from bot.detect.cues import CueKind, find_cues
from bot.detect.lexicons import DATA_DIR
from bot.detect.statements import extract_statements
from bot.text import fold_keep_offsets
from bot.types import Statement, StatementKind
from tests.test_statements import disputes, item
from tests.test_statements import read as read_in


def read(gaz: Gazetteer, title: str, text: str = "", *, language: str | None = "ru") -> list[Statement]:
    return read_in(gaz, title, text, language=language)


def key(actor: object) -> str | None:
    return getattr(actor, "key", None)


def first(gaz: Gazetteer, title: str, text: str = "") -> Statement:
    found = read(gaz, title, text)
    assert found, f"no dispute read in {title!r}"
    return found[0]


# --- the words themselves -------------------------------------------------------------------------


def _ru_items(reader: str) -> list[tuple[str, str]]:
    data = tomllib.loads((DATA_DIR / reader / "ru.toml").read_text("utf-8"))
    items = [(name, w) for name, words in data["words"].items() for w in words]
    items += [("cue", p) for entry in data.get("cue", []) for p in entry["patterns"]]
    return items


@pytest.mark.parametrize("reader", ["cues", "statements"])
def test_russian_patterns_are_written_folded_and_cannot_match_latin_text(reader: str) -> None:
    # folding lowers the case and turns "ё" into "е" and "й" into "и": a pattern with either
    # letter, or a capital, would never match
    assert fold_keep_offsets("Ёлка, Фейк") == "елка, феик"
    for name, w in _ru_items(reader):
        assert not re.search("[ёйЁЙА-Я]", w), (name, w)
        # every item joins other languages' lists: a Cyrillic letter keeps it out of their texts
        assert re.search("[а-я]", w), (name, w)


@pytest.mark.parametrize(
    ("sentence", "kind", "words"),
    [
        ("Минобороны опровергло заявление о захвате села", CueKind.DENIAL, "опровергло"),
        ("Ведомство отрицает удар по рынку", CueKind.DENIAL, "отрицает"),
        ("Посольство отвергло обвинения в шпионаже", CueKind.DENIAL, "отвергло"),
        ("Кремль назвал эти публикации вбросом", CueKind.DENIAL, "назвал эти публикации вбросом"),
        (
            "Данные о потерях не соответствуют действительности",
            CueKind.DENIAL,
            "не соответствуют действительности",
        ),
        ("Сведения о мобилизации — фейк", CueKind.DENIAL, "— фейк"),
        ("Информация о взрыве не подтвердилась", CueKind.DENIAL, "не подтвердилась"),
        ("Ведомство взяло свои слова обратно", CueKind.RETRACTION, "взяло свои слова обратно"),
        ("Министерство отозвало пресс-релиз о закупках", CueKind.RETRACTION, "отозвало пресс-релиз"),
        ("Ведомство скорректировало число пострадавших", CueKind.CORRECTION, "скорректировало"),
        ("Губернатор подтвердил гибель двух человек", CueKind.CONFIRMATION, "подтвердил"),
        # "ё" written or not, the words are the same
        ("Министр ввёл депутатов в заблуждение", CueKind.DENIAL, "ввёл депутатов в заблуждение"),
        ("Министр ввел депутатов в заблуждение", CueKind.DENIAL, "ввел депутатов в заблуждение"),
    ],
)
def test_russian_cue_words(sentence: str, kind: CueKind, words: str) -> None:
    found = [(c.kind, c.words) for c in find_cues(sentence, "ru") if c.active and c.kind is not CueKind.CLAIM]
    assert (kind, words) in found


def test_uttering_alone_is_a_claim_and_clarifying_a_figure_a_correction() -> None:
    # "уточнил" is a verb of saying in Russian news; it corrects only figures and data
    said = [c.kind for c in find_cues("МВД уточнило, что задержанных отпустили", "ru") if c.active]
    assert said == [CueKind.CLAIM]
    figures = [c.kind for c in find_cues("МВД уточнило данные о задержанных", "ru") if c.active]
    assert figures == [CueKind.CORRECTION]


# --- denials: who denies whose statement ----------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        ("Минобороны России опровергло заявления Минобороны Украины о сбитых вертолетах", "ru.mod", "ua.mod"),
        ("МИД России отверг обвинения Госдепартамента в кибератаках на выборы", "ru.mfa", "us.state"),
        ("Захарова опровергла данные Пентагона о поставках ракет", "ru.zakharova", "us.dod"),
        ("Пентагон отрицает данные Минобороны России о сбитых истребителях", "us.dod", "ru.mod"),
        ("Кремль отклонил обвинения Лондона во вмешательстве в выборы", "ru.kremlin", "gb.gov"),
        # the verb's object inside the cue: "назвал ложью слова X", "назвал заявления X фейком"
        ("Песков назвал ложью слова Зеленского о перемирии", "ru.peskov", "ua.zelensky"),
        ("Кремль назвал заявления Зеленского о потерях фейком", "ru.kremlin", "ua.zelensky"),
        # "в Кремле опровергли": the actor after "в" speaks when nobody else stands before the verb
        ("В Кремле опровергли обвинения со стороны Киева", "ru.kremlin", "ua.gov"),
        ("Кремль опроверг то, что заявил Госдеп", "ru.kremlin", "us.state"),
        # a predicate that denies what comes before it, said by the speaker of "заявил"
        ("Лавров заявил, что данные Госдепа не соответствуют действительности", "ru.lavrov", "us.state"),
        # a headline's colon names who calls the statement false
        ("Захарова: заявления Госдепа — очередная ложь", "ru.zakharova", "us.state"),
        # joined subjects: the first speaks for both
        ("Россия и Китай отвергли обвинения США в поставках оружия", "ru.gov", "us.gov"),
    ],
)
def test_a_denial_names_its_speaker_and_the_owner_of_what_it_denies(
    gaz: Gazetteer, title: str, speaker: str, target: str
) -> None:
    st = first(gaz, title)
    assert st.kind is StatementKind.DENIAL, title
    assert (key(st.speaker), key(st.target)) == (speaker, target), title
    assert st.language == "ru"


def test_a_denial_of_an_official_reports_the_denied_claim_too(gaz: Gazetteer) -> None:
    sts = extract_statements(
        item("Минобороны России опровергло заявления Киева о прорыве обороны", language="ru"), gaz
    )
    claims = [s for s in sts if s.kind is StatementKind.CLAIM]
    assert [key(s.speaker) for s in claims] == ["ua.gov"]


@pytest.mark.parametrize(
    ("title", "speaker", "kind"),
    [
        ("Кремль опроверг сообщения западных СМИ о болезни президента", "ru.kremlin", "media"),
        ("Песков отверг слухи о болезни президента", "ru.peskov", "rumour"),
        ("Посол России в США опроверг сообщения о высылке дипломатов", "ru.ambassador", "media"),
        ("Песков заявил, что сообщения западных СМИ являются фейком", "ru.peskov", "media"),
    ],
)
def test_denying_the_press_or_rumours_marks_a_non_official_target(
    gaz: Gazetteer, title: str, speaker: str, kind: str
) -> None:
    st = first(gaz, title)
    assert st.kind is StatementKind.DENIAL
    assert key(st.speaker) == speaker and st.target is None and st.target_kind == kind


def test_a_quotation_is_credited_to_whoever_is_said_to_say_it(gaz: Gazetteer) -> None:
    st = first(gaz, "«Сообщения о переговорах не соответствуют действительности», — сказала Захарова")
    assert st.kind is StatementKind.DENIAL and key(st.speaker) == "ru.zakharova"


def test_an_official_feed_denial_is_its_actors(gaz: Gazetteer) -> None:
    official = item(
        "О публикациях в социальных сетях",
        "Информация о гибели военнослужащих на учениях не соответствует действительности.",
        language="ru",
        official_actor="Минобороны России",
    )
    [st] = disputes(extract_statements(official, gaz))
    assert st.kind is StatementKind.DENIAL and key(st.speaker) == "ru.mod"


# --- the passive ----------------------------------------------------------------------------------


def test_a_passive_with_its_agent_after_v_names_both_sides(gaz: Gazetteer) -> None:
    st = first(gaz, "Заявления Киева о контрнаступлении были опровергнуты в Минобороны России")
    assert st.kind is StatementKind.DENIAL
    assert (key(st.speaker), key(st.target)) == ("ru.mod", "ua.gov")


def test_a_passive_report_denied_is_the_press(gaz: Gazetteer) -> None:
    st = first(gaz, "Сообщение о гибели генерала было опровергнуто в Минобороны России")
    assert key(st.speaker) == "ru.mod" and st.target is None and st.target_kind == "media"


@pytest.mark.parametrize(
    "title",
    [
        "Заявления Минобороны Украины опровергнуты Минобороны России",
        "Заявления Минобороны Украины о наступлении были опровергнуты.",
    ],
)
def test_what_a_bare_participle_refutes_is_never_taken_for_its_speaker(gaz: Gazetteer, title: str) -> None:
    # "опровергнуто X": the agent is in the instrumental, which the reader cannot tell from an
    # owner; the subject is still whose statement is refuted, never who refutes it
    st = first(gaz, title)
    assert st.kind is StatementKind.DENIAL and key(st.target) == "ua.mod"
    assert key(st.speaker) != "ua.mod"


# --- retractions, admissions, corrections, findings -----------------------------------------------


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("Минобороны Украины отозвало свое заявление об уничтожении колонны", "ua.mod"),
        ("Песков взял свои слова обратно", "ru.peskov"),
        ("МИД России отказался от своих слов о высылке дипломатов", "ru.mfa"),
        ("Захарова извинилась за некорректные высказывания о соседях", "ru.zakharova"),
        ("Зеленский оговорился, назвав неверную дату встречи", "ua.zelensky"),
        ("Минобороны Украины признало ошибку в сводке о потерях", "ua.mod"),
    ],
)
def test_taking_back_ones_own_words_is_a_retraction_of_ones_own_statement(
    gaz: Gazetteer, title: str, who: str
) -> None:
    st = first(gaz, title)
    assert st.kind is StatementKind.RETRACTION, title
    assert (key(st.speaker), key(st.target)) == (who, who)


def test_an_admission_is_a_retraction_weighed_apart_and_a_mistake_owned_is_not(gaz: Gazetteer) -> None:
    admits = "Минздрав России признал, что запасы вакцины закончились"
    owns_up = "Минздрав России признал ошибку в подсчетах"
    [admission] = [c for c in find_cues(admits, "ru") if c.kind is CueKind.RETRACTION]
    [mistake] = [c for c in find_cues(owns_up, "ru") if c.kind is CueKind.RETRACTION]
    assert (admission.group, mistake.group) == ("admission", None)
    assert admission.strength < mistake.strength
    for title in (admits, owns_up):
        st = first(gaz, title)
        assert st.kind is StatementKind.RETRACTION
        assert key(st.speaker) == key(st.target) == "ru.ministry.health"


def test_an_admission_counts_only_for_its_own_subject(gaz: Gazetteer) -> None:
    [st] = read(gaz, "Минздрав России раскритиковал блогера, который признал, что выдумал историю")
    assert st.kind is StatementKind.RETRACTION and st.speaker is None


@pytest.mark.parametrize(
    "title",
    [
        # to recognise a state or a verdict is no admission
        "Россия признала независимость двух автономий",
        "Мосгорсуд признал законным арест журналиста",
        # nor is a court's finding
        "Суд признал, что Минобороны нарушило закон",
    ],
)
def test_recognising_a_state_or_a_courts_finding_is_no_admission(gaz: Gazetteer, title: str) -> None:
    assert read(gaz, title) == []


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("Минобороны России скорректировало число погибших при взрыве на складе", "ru.mod"),
        ("Минздрав Украины исправил данные о числе заболевших", "ua.ministry.health"),
        ("Минобороны России пересмотрело оценку потерь", "ru.mod"),
    ],
)
def test_setting_ones_own_figures_right_is_a_correction(gaz: Gazetteer, title: str, who: str) -> None:
    st = first(gaz, title)
    assert st.kind is StatementKind.CORRECTION
    assert (key(st.speaker), key(st.target)) == (who, who)


def test_correcting_someone_elses_figures_is_a_contradiction(gaz: Gazetteer) -> None:
    st = first(gaz, "Минобороны России исправило данные Пентагона о числе ракет")
    assert st.kind is StatementKind.DENIAL
    assert (key(st.speaker), key(st.target)) == ("ru.mod", "us.dod")


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        # the subject's own words are what is disputed; whoever says so disputes them
        ("Зеленский заявил, что Кремль солгал о потерях", "ua.zelensky", "ru.kremlin"),
        ("Минздрав России ввёл общественность в заблуждение о запасах вакцины", None, "ru.ministry.health"),
    ],
)
def test_a_finding_that_the_subjects_own_words_were_false(
    gaz: Gazetteer, title: str, speaker: str | None, target: str
) -> None:
    [cue] = [c for c in find_cues(title, "ru") if c.kind is CueKind.DENIAL]
    assert cue.group == "finding"
    st = first(gaz, title)
    assert st.kind is StatementKind.DENIAL
    assert (key(st.speaker), key(st.target)) == (speaker, target)


def test_an_accusation_of_lying_disputes_the_accused(gaz: Gazetteer) -> None:
    st = first(gaz, "Госдеп обвинил Захарову во лжи о событиях в Буче")
    assert st.kind is StatementKind.DENIAL
    assert (key(st.speaker), key(st.target)) == ("us.state", "ru.zakharova")


# --- what is not a dispute: negation, hedges, other senses ----------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Кремль не опроверг сообщения о встрече",
        "Минобороны России не стало отрицать удар по Одессе",
        "Зеленский не смог опровергнуть данные Пентагона",
        "Песков: Кремль не будет опровергать каждую публикацию западных СМИ",
    ],
)
def test_a_negated_denial_is_no_denial(gaz: Gazetteer, title: str) -> None:
    assert read(gaz, title) == []
    assert any(c.negated for c in find_cues(title, "ru") if c.kind is CueKind.DENIAL)


def test_a_negated_denial_leaves_the_claim_it_sits_in(gaz: Gazetteer) -> None:
    title = "Путин заявил, что Россия не отрицает право Украины на вступление в ЕС"
    sts = extract_statements(item(title, language="ru"), gaz)
    assert [(s.kind, key(s.speaker)) for s in sts] == [(StatementKind.CLAIM, "ru.putin")]


@pytest.mark.parametrize(
    "title",
    [
        "Песков не стал ни подтверждать, ни опровергать сообщения о переговорах",
        "В Кремле отказались от комментариев, не став опровергать сообщения СМИ",
        "МИД России воздержался от комментариев и не опроверг публикацию",
        # the writer guesses
        "Вероятно, это фейк",
        "Сообщения о болезни президента, возможно, являются фейком",
    ],
)
def test_a_hedge_or_a_guess_denies_nothing(gaz: Gazetteer, title: str) -> None:
    assert read(gaz, title) == []
    denials = [c for c in find_cues(title, "ru") if c.kind is CueKind.DENIAL]
    assert denials and all(c.negated for c in denials), denials


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("Верховный суд отклонил иск Минобороны России", "иск"),
        ("Госдума отклонила законопроект о запрете абортов", "законопроект"),
        ("МИД Латвии отклонил запрос на визу для российского дипломата", "запрос"),
        ("ЦИК отклонил заявление о регистрации кандидата", "цик"),
        ("Спартак отверг предложение Зенита о трансфере нападающего", "предложение"),
        ("Зеленский отверг предложение Кремля о перемирии", "предложение"),
    ],
)
def test_rejecting_bills_suits_visas_and_offers_disputes_no_statement(
    gaz: Gazetteer, title: str, reason: str
) -> None:
    assert read(gaz, title) == []
    [cue] = [c for c in find_cues(title, "ru") if c.kind is CueKind.DENIAL]
    assert cue.other_sense and reason in (cue.reason or "")


@pytest.mark.parametrize(
    ("title", "kind", "reason"),
    [
        # a hoax bomb threat is a crime, not a statement called false
        ("Это ложное минирование, сообщили в МВД России", CueKind.DENIAL, "минирование"),
        # asking someone else to retract
        (
            "Песков потребовал от агентства отозвать публикацию о болезни президента",
            CueKind.RETRACTION,
            "demand",
        ),
    ],
)
def test_other_senses_and_demands_dispute_nothing(
    gaz: Gazetteer, title: str, kind: CueKind, reason: str
) -> None:
    assert read(gaz, title) == []
    [cue] = [c for c in find_cues(title, "ru") if c.kind is kind]
    assert cue.other_sense and reason in (cue.reason or "")


def test_refusing_a_visa_is_no_denial(gaz: Gazetteer) -> None:
    assert read(gaz, "Консульство США отказало в визе российскому журналисту") == []
    assert read(gaz, "Посольство объявило об отказе в визе главе делегации") == []


def test_wrong_is_said_of_figures_not_of_decisions(gaz: Gazetteer) -> None:
    assert read(gaz, "Минобороны России назвало ошибочным решение Пентагона") == []
    st = first(gaz, "Минобороны России назвало ошибочными данные Пентагона о потерях")
    assert st.kind is StatementKind.DENIAL
    assert (key(st.speaker), key(st.target)) == ("ru.mod", "us.dod")


def test_setting_the_facts_against_a_statement(gaz: Gazetteer) -> None:
    st = first(gaz, "Вопреки заявлениям Минобороны России, спутниковые снимки показывают разрушенный мост")
    assert st.kind is StatementKind.DENIAL and st.speaker is None and key(st.target) == "ru.mod"


# --- sentences and the language of an untagged item --------------------------------------------------


def test_a_hedge_in_the_next_sentence_does_not_cancel_a_denial(gaz: Gazetteer) -> None:
    found = read(
        gaz,
        "Минобороны России опровергло заявления Киева",
        "В ведомстве также назвали ложью сообщения о потерях. Песков отказался от комментариев.",
    )
    assert any(s.cue == "назвали ложью" for s in found)


def test_a_russian_item_without_a_language_tag_is_read_as_russian(gaz: Gazetteer) -> None:
    found = read(gaz, "Минобороны России опровергло заявления Киева", language=None)
    assert [(key(s.speaker), key(s.target)) for s in found] == [("ru.mod", "ua.gov")]
