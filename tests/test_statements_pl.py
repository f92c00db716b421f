"""Who said what, in Polish: the cue words of `cues/pl.toml` and the statement words of
`statements/pl.toml`, read with the names the gazetteer already knows (`lang/pl.toml`).

Every sentence is invented for these tests: made-up events about real institutions.

An item declared Polish is read with the Polish words (`extract_statements` keeps a declared
language the readers have words for).
"""

from __future__ import annotations

import pytest

from bot.detect.actors import Gazetteer
from bot.detect.cues import CueKind, find_cues
from bot.types import StatementKind
from tests.language_readers import LanguageReader, keys

PL = LanguageReader("pl")
first = PL.first
silent_cue = PL.silent_cue
read = PL.read
statements = PL.statements
polish_cue = PL.cue


# --- folding --------------------------------------------------------------------------------------


def test_the_cues_match_whatever_the_polish_letters() -> None:
    # "ł" keeps its own letter; the others lose their marks ("zaprzeczyła", "dementują")
    assert polish_cue("Ambasada zaprzeczyła doniesieniom", CueKind.DENIAL).words == "zaprzeczyła"
    assert polish_cue("Służby dementują plotki", CueKind.DENIAL).words == "dementują"
    assert polish_cue("Policja odparła zarzuty", CueKind.DENIAL).words == "odparła"


@pytest.mark.parametrize(
    "title",
    [
        # both aspects, the present and the past by gender and number
        "Władze zaprzeczają doniesieniom",
        "Ministrowie zaprzeczyli doniesieniom",
        "Służby zaprzeczyły doniesieniom",
        "Ministerstwo zdementowało doniesienia",
        "Rzeczniczka dementowała doniesienia",
        "Ambasady zdementowały doniesienia",
        "Władze odrzuciły zarzuty",
        "Prokuratorzy odpierają zarzuty",
        "Ministerstwo wydało stanowcze dementi",
    ],
)
def test_the_denial_verbs_read_in_every_common_form(title: str) -> None:
    cue = polish_cue(title, CueKind.DENIAL)
    assert cue.active and cue.strength >= 0.85


# --- denials ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        ("Kreml odrzuca zarzuty Warszawy", "ru.kremlin", "pl.gov"),
        ("Pentagon zaprzecza słowom Pieskowa", "us.dod", "ru.peskov"),
        ("MON dementuje informacje rosyjskiego MSZ", "pl.mod", "ru.mfa"),
        ("Pieskow nazwał oskarżenia Warszawy kłamstwem", "ru.peskov", "pl.gov"),
        ("Kreml odrzuca oskarżenia wysunięte przez Warszawę", "ru.kremlin", "pl.gov"),
        ("MSZ odpiera zarzuty ze strony Moskwy", "pl.ministry.foreign", "ru.gov"),
        ("Pentagon zaprzecza temu, co mówił Pieskow", "us.dod", "ru.peskov"),
        ("Kijów zaprzecza, jakoby ukraińskie drony zaatakowały Mińsk", "ua.gov", "by.gov"),
        ("Wojsko izraelskie kwestionuje dane ONZ o ofiarach", "il.idf", "un"),
        ("Rzecznik Kremla: zarzuty Warszawy są bezpodstawne", "ru.kremlin", "pl.gov"),
        ("Kreml: to kolejna prowokacja Kijowa", "ru.kremlin", "ua.gov"),
        # the news sets the Kremlin's words against the facts: nobody named disputes them
        ("Wbrew zapewnieniom Kremla wojska nie wycofały się", None, "ru.kremlin"),
        ("Nieprawdą jest, jak twierdził Kreml, że wojska się wycofały", None, "ru.kremlin"),
    ],
)  # fmt: skip
def test_a_denial_names_who_denies_whose_words(
    gaz: Gazetteer, title: str, speaker: str | None, target: str
) -> None:
    st = read(gaz, title)
    assert st, title
    assert keys(st[0]) == (StatementKind.DENIAL, speaker, target)
    assert st[0].language == "pl"


@pytest.mark.parametrize(
    ("title", "speaker", "kind"),
    [
        ("MSZ Rosji zaprzecza doniesieniom o ataku na ambasadę", "ru.mfa", "media"),
        ("Rzecznik rządu Adam Szłapka zdementował doniesienia „Rzeczpospolitej”", "pl.szlapka", "media"),
        ("Kreml określił doniesienia jako fałszywe", "ru.kremlin", "media"),
        ("Ministerstwo Zdrowia zaprzecza plotkom w mediach społecznościowych", "pl.ministry.health", "rumour"),
        ("Jak poinformowało MSZ, informacje rosyjskich mediów są nieprawdziwe", "pl.ministry.foreign", "media"),
    ],
)  # fmt: skip
def test_a_denial_of_reports_or_rumours_answers_no_official(
    gaz: Gazetteer, title: str, speaker: str, kind: str
) -> None:
    st = read(gaz, title)
    assert st, title
    assert keys(st[0]) == (StatementKind.DENIAL, speaker, None)
    assert st[0].target_kind == kind


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("MON: informacje o ataku nie są prawdą", "nie są prawdą"),
        ("Rzecznik MSZ: doniesienia mijają się z prawdą", "mijają się z prawdą"),
        ("Kreml: informacje nie odpowiadają prawdzie", "nie odpowiadają prawdzie"),
        ("MON: nic takiego nie miało miejsca", "nic takiego nie miało miejsca"),
        ("Straż Graniczna: nie ma żadnych dowodów", "nie ma żadnych dowodów"),
        ("Policja: informacje o strzelaninie nie potwierdziły się", "nie potwierdziły się"),
    ],
)
def test_phrases_that_call_something_false_carry_their_own_negation(title: str, words: str) -> None:
    cue = polish_cue(title, CueKind.DENIAL)
    assert cue.words == words
    # "nie", "nic", "brak" belong to the phrase: they do not cancel it
    assert cue.active


@pytest.mark.parametrize(
    ("title", "speaker"),
    [
        ("Pieskow: to kłamstwo", "ru.peskov"),
        ("Rzecznik MSZ: doniesienia o dymisji ambasadora to nieprawda", "pl.ministry.foreign"),
        # after the statement: "– przekazało X", "– powiedział X"
        ("Informacje o ataku na ambasadę są nieprawdziwe – poinformowało MSZ", "pl.ministry.foreign"),
        ("„Doniesienia są nieprawdziwe” – powiedział rzecznik MSZ", "pl.ministry.foreign"),
        ("Doniesienia o dymisji ministra to fake news – przekazało Centrum Informacyjne Rządu", "pl.gov"),
        ("Według rzecznika Kremla doniesienia o chorobie Putina to fejk", "ru.kremlin"),
    ],
)  # fmt: skip
def test_who_calls_it_false_is_credited_by_colon_dash_or_according_to(
    gaz: Gazetteer, title: str, speaker: str
) -> None:
    st = read(gaz, title)
    assert st, title
    assert keys(st[0])[:2] == (StatementKind.DENIAL, speaker)


# --- passive denials ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        ("Doniesienia Moskwy zostały zdementowane przez MON", "pl.mod", "ru.gov"),
        ("Wersja Kremla zdementowana przez Pentagon", "us.dod", "ru.kremlin"),
        ("Zarzuty Mińska zostały odrzucone przez Warszawę", "pl.gov", "by.gov"),
    ],
)  # fmt: skip
def test_a_passive_denial_is_by_its_agent_of_its_subjects_words(
    gaz: Gazetteer, title: str, speaker: str, target: str
) -> None:
    assert first(gaz, title) == (StatementKind.DENIAL, speaker, target)


# --- retractions and corrections ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("Sikorski wycofał się ze swoich słów o Niemczech", "pl.sikorski"),
        ("Ministerstwo Obrony Rosji wycofało komunikat o zestrzeleniu drona", "ru.mod"),
        ("MSZ Węgier wycofało oświadczenie w sprawie Ukrainy", "hu.ministry.foreign"),
        ("Tusk przeprosił za swoje słowa o rolnikach", "pl.tusk"),
        ("Policja przyznała się do błędu w sprawie zatrzymania", "pl.police"),
        ("Ławrow odwołał swoje słowa o Polsce", "ru.lavrov"),
        ("MSWiA usunęło wpis o migrantach", "pl.ministry.interior"),
        ("Prosimy o nieuwzględnianie poprzedniego komunikatu – przekazał MON", "pl.mod"),
    ],
)  # fmt: skip
def test_a_retraction_takes_back_the_speakers_own_statement(gaz: Gazetteer, title: str, who: str) -> None:
    assert first(gaz, title) == (StatementKind.RETRACTION, who, who)


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("GUS koryguje dane o inflacji", "pl.gus"),
        ("Ministerstwo Zdrowia koryguje swoje dane o zakażeniach", "pl.ministry.health"),
        ("Ministerstwo Finansów publikuje sprostowanie", "pl.ministry.finance"),
        ("Ministerstwo Zdrowia obniżyło liczbę ofiar powodzi", "pl.ministry.health"),
        ("Straż Graniczna skorygowała dane o przekroczeniach granicy", "pl.border_guard"),
    ],
)  # fmt: skip
def test_a_correction_sets_the_speakers_own_figures_right(gaz: Gazetteer, title: str, who: str) -> None:
    assert first(gaz, title) == (StatementKind.CORRECTION, who, who)


def test_own_figures_make_a_correction_self_directed() -> None:
    assert polish_cue(
        "Ministerstwo Zdrowia koryguje swoje dane o zakażeniach", CueKind.CORRECTION
    ).self_directed


@pytest.mark.parametrize(
    "title", ["Premier wezwał portal do sprostowania", "Kancelaria Premiera zażądała od TVP sprostowania"]
)
def test_asking_someone_else_to_correct_is_no_correction(gaz: Gazetteer, title: str) -> None:
    cue = silent_cue(gaz, title, CueKind.CORRECTION)
    assert cue.other_sense and cue.reason is not None and "demand" in cue.reason


# --- admissions against retractions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "strength", "group"),
    [
        # owning up to an error is a retraction of one's own words
        ("Minister przyznał się do błędu", 0.7, None),
        ("Rzecznik rządu przyznał, że się pomylił", 0.7, None),
        # "przyznał, że" alone confesses anything: the learned decision weighs it apart
        ("Minister zdrowia przyznał, że dane były zawyżone", 0.65, "admission"),
        ("Ministerstwo przeprasza za opóźnienie", 0.65, "admission"),
    ],
)
def test_an_admission_is_a_weaker_retraction_of_its_own_group(
    title: str, strength: float, group: str | None
) -> None:
    cue = polish_cue(title, CueKind.RETRACTION)
    assert cue.active
    assert (cue.strength, cue.group) == (strength, group)


@pytest.mark.parametrize("title", ["Rząd przyznał dotację rolnikom", "Sąd przyznał odszkodowanie"])
def test_to_grant_something_is_no_admission(title: str) -> None:
    assert not [c for c in find_cues(title, "pl") if c.kind is CueKind.RETRACTION]


@pytest.mark.parametrize(
    ("title", "text", "who"),
    [
        ("Policja zaprzecza doniesieniom", "Przyznała jednak, że doszło do błędu.", "pl.police"),
        ("MSZ zaprzecza doniesieniom o ataku", "Resort przyznał też, że kontaktował się z ambasadą.",
            "pl.ministry.foreign"),
        ("Pentagon zaprzecza doniesieniom o wycofaniu wojsk",
            "Rzecznik resortu przyznał jednak, że dane były błędne.", "us.dod"),
    ],
)  # fmt: skip
def test_a_lead_with_no_named_subject_is_the_headlines_speakers(
    gaz: Gazetteer, title: str, text: str, who: str
) -> None:
    st = [s for s in read(gaz, title, text) if s.kind is StatementKind.RETRACTION]
    assert [keys(s) for s in st] == [(StatementKind.RETRACTION, who, who)]


# --- findings: the subject's own words called false ---------------------------------------------


@pytest.mark.parametrize(
    ("title", "target"),
    [
        ("Pentagon: Putin skłamał w sprawie strat", "ru.putin"),
        ("Trump wprowadził opinię publiczną w błąd, twierdzi Biały Dom", "us.trump"),
    ],
)
def test_a_finding_disputes_the_subjects_own_words(gaz: Gazetteer, title: str, target: str) -> None:
    st = read(gaz, title)
    assert st, title
    assert keys(st[0])[::2] == (StatementKind.DENIAL, target)


@pytest.mark.parametrize(
    "title",
    [
        "Pentagon: Putin skłamał w sprawie strat",
        "Trump wprowadził opinię publiczną w błąd, twierdzi Biały Dom",
        "Opozycja: minister fałszywie twierdził, że budżet jest zrównoważony",
    ],
)
def test_findings_are_denials_of_their_own_group(title: str) -> None:
    cue = polish_cue(title, CueKind.DENIAL)
    assert cue.active and cue.group == "finding"


# --- negated cues and hedges ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Kreml nie zaprzecza doniesieniom o spotkaniu", CueKind.DENIAL),
        ("Rzecznik rządu nigdy nie zaprzeczył tym informacjom", CueKind.DENIAL),
        ("Straż Graniczna nie zdementowała doniesień", CueKind.DENIAL),
        ("GUS nie koryguje danych", CueKind.CORRECTION),
        ("Kreml nie potwierdza spotkania", CueKind.CONFIRMATION),
    ],
)
def test_a_negated_cue_does_not_count(gaz: Gazetteer, title: str, kind: CueKind) -> None:
    cue = silent_cue(gaz, title, kind)
    assert cue.negated and cue.reason is not None and cue.reason.startswith("negated")


@pytest.mark.parametrize(
    "title",
    [
        "Kreml ani nie potwierdza, ani nie zaprzecza doniesieniom",
        "Rzecznik Pentagonu odmówił komentarza i nie dementuje doniesień",
        "Pytany, czy MSZ zdementuje doniesienia, rzecznik odmówił komentarza",
        "Rzecznik Kremla nie chciał komentować doniesień ani ich dementować",
        "Kreml pozostawił bez komentarza doniesienia, których Pieskow nie zdementował",
    ],
)
def test_a_hedge_makes_a_denial_near_it_no_denial(gaz: Gazetteer, title: str) -> None:
    denials = [c for c in find_cues(title, "pl") if c.kind is CueKind.DENIAL and c.language == "pl"]
    assert denials and all(not c.active for c in denials)
    assert read(gaz, title) == []


# --- the same words in other senses ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "why"),
    [
        # courts
        ("Sąd odrzucił zażalenie prokuratury", "object 'zazalenie'"),
        ("Sąd Okręgowy w Warszawie odrzucił pozew ministra", "object 'pozew'"),
        ("Sąd odrzucił wniosek o areszt dla byłego ministra", "object 'wniosek'"),
        ("Sędzia odrzucił argumenty obrony", "subject 'sedzia'"),
        # parliaments and votes
        ("Sejm odrzucił projekt ustawy o podatku", "object 'ustawy'"),
        ("Sejm odrzucił sprawozdanie rządu", "subject 'sejm"),
        ("Senatorowie odrzucili sprawozdanie 52 głosami", "subject 'senatorowie'"),
        ("Posłowie odrzucili wniosek o wotum nieufności", "object 'wniosek'"),
        # a state refusing something
        ("Rosja odrzuciła wnioski wizowe polskich dziennikarzy", "object 'wnioski'"),
        # sport
        ("Legia odrzuciła ofertę za napastnika", "object 'oferte'"),
        # a false alarm is no statement called false
        ("Rzecznik policji: fałszywy alarm bombowy na lotnisku. Policja zaprzecza", "fałszywy alarm"),
    ],
)
def test_the_same_denial_words_in_other_senses_dispute_nothing(gaz: Gazetteer, title: str, why: str) -> None:
    cue = silent_cue(gaz, title, CueKind.DENIAL)
    assert cue.other_sense and cue.reason is not None and why in cue.reason


def test_an_army_repelling_an_attack_denies_nothing() -> None:
    assert not [
        c for c in find_cues("Ukraińska armia odparła atak na Charków", "pl") if c.kind is CueKind.DENIAL
    ]


def test_an_accusation_keeps_its_denial_whatever_it_is_about() -> None:
    # "umowy" would make "odrzuca" another sense, but what is rejected is the accusations
    assert polish_cue("Kreml odrzuca zarzuty dotyczące umowy gazowej", CueKind.DENIAL).active


@pytest.mark.parametrize(
    "title",
    [
        "Rząd wycofuje się z podwyżki akcyzy",
        "Minister wycofał się z zakazu handlu",
        "Ministerstwo Finansów zrobiło krok wstecz w sprawie podatku",
    ],
)
def test_a_u_turn_on_a_policy_takes_back_no_words(gaz: Gazetteer, title: str) -> None:
    cue = silent_cue(gaz, title, CueKind.RETRACTION)
    assert cue.reversal and cue.other_sense and cue.reason is not None and "policy" in cue.reason


def test_a_u_turn_on_words_is_a_retraction() -> None:
    cue = polish_cue("MSZ wycofało komunikat o ewakuacji", CueKind.RETRACTION)
    assert cue.reversal and cue.active


# --- confirmations and language codes -----------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("Kreml potwierdza rozmowę Putina z Trumpem", "ru.kremlin"),
        ("Kancelaria Prezydenta potwierdziła wizytę Zełenskiego", "pl.presidency"),
    ],
)  # fmt: skip
def test_a_confirmation_is_its_speakers(gaz: Gazetteer, title: str, who: str) -> None:
    st = [s for s in statements(gaz, title) if s.kind is StatementKind.CONFIRMATION]
    assert [keys(s) for s in st] == [(StatementKind.CONFIRMATION, who, None)]


@pytest.mark.parametrize("code", ["pl", "pl-PL", "pl_pl"])
def test_a_regional_language_code_reads_the_polish_words(code: str) -> None:
    cues = find_cues("Kreml zaprzecza", code)
    assert [(c.kind, c.words, c.language) for c in cues] == [(CueKind.DENIAL, "zaprzecza", "pl")]


def test_a_polish_item_is_read_with_polish_words_whatever_the_guess(gaz: Gazetteer) -> None:
    st = read(gaz, "Kreml odrzuca zarzuty Warszawy")
    assert st and st[0].language == "pl"
