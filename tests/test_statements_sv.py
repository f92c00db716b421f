"""Who said what, in Swedish: the cue words of `cues/sv.toml` and the statement words of
`statements/sv.toml`, read with the names the gazetteer already knows (`lang/sv.toml`).

Every sentence is invented for these tests: made-up events about real institutions.

An item declared Swedish is read with the Swedish words (`extract_statements` keeps a declared
language the readers have words for).
"""

from __future__ import annotations

import pytest

from bot.detect.actors import Gazetteer
from bot.detect.cues import CueKind, find_cues
from bot.types import StatementKind
from tests.language_readers import LanguageReader, keys

SV = LanguageReader("sv")
first = SV.first
silent_cue = SV.silent_cue
read = SV.read
statements = SV.statements
swedish_cue = SV.cue


# --- denials ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        ("Ryssland förnekar Ukrainas uppgifter om attacken mot kraftverket", "ru.gov", "ua.gov"),
        ("Zelenskyj dementerar Kremls uppgifter om fångutväxling", "ua.zelensky", "ru.kremlin"),
        ("UD avvisar Rysslands anklagelser om spionage", "se.ministry.foreign", "ru.gov"),
        ("Nato tillbakavisar Moskvas anklagelser om provokationer", "nato", "ru.gov"),
        ("Kreml avvisar påståendena från Vita huset", "ru.kremlin", "us.white_house"),
        ("Israels armé tillbakavisar FN:s uppgifter om dödssiffran", "il.idf", "un"),
        ("Ukrainas generalstab dementerar Rysslands uppgifter om erövrad by", "ua.armed_forces", "ru.gov"),
        ("EU-kommissionen avvisar Ungerns kritik", "eu.commission", "hu.gov"),
        # "USA:s": the genitive of an abbreviation inside the cue's words
        ("Kina kallar USA:s anklagelser för lögner", "cn.gov", "us.gov"),
        ("Iran avfärdar USA:s anklagelser som lögner", "ir.gov", "us.gov"),
        ("Zelenskyj anklagar Kreml för att sprida lögner", "ua.zelensky", "ru.kremlin"),
        # the news sets the Kremlin's words against the facts: nobody named disputes them
        ("Tvärtemot vad Kreml uppgett har trupperna inte dragit sig tillbaka", None, "ru.kremlin"),
    ],
)  # fmt: skip
def test_a_denial_names_who_denies_whose_words(
    gaz: Gazetteer, title: str, speaker: str | None, target: str
) -> None:
    st = read(gaz, title)
    assert st, title
    assert keys(st[0]) == (StatementKind.DENIAL, speaker, target)
    assert st[0].language == "sv"


@pytest.mark.parametrize(
    ("title", "speaker", "kind"),
    [
        ("Kreml förnekar uppgifterna om truppförflyttningar", "ru.kremlin", "media"),
        ("Pentagon tillbakavisar uppgifterna i New York Times", "us.dod", "media"),
        ("Polisen dementerar rykten i sociala medier om en skjutning", "se.police", "rumour"),
        # "polisen i Malmö": the city is where the police are, not who speaks
        ("Polisen i Malmö dementerar uppgifterna om skottlossningen", "se.police", "media"),
    ],
)
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
        ("Peskov: Det stämmer inte", "stämmer inte"),
        ("UD: Inte sant", "Inte sant"),
        ("Ryska ambassaden: Anklagelserna saknar grund", "saknar grund"),
        ("Säpo: Det finns inga bevis för sabotage", "Det finns inga bevis för"),
        ("Pentagon: Uppgifterna är falska", "är falska"),
    ],
)
def test_phrases_that_call_something_false_carry_their_own_negation(title: str, words: str) -> None:
    cue = swedish_cue(title, CueKind.DENIAL)
    assert cue.words == words
    # "inte", "inga" belong to the phrase: they do not cancel it
    assert cue.active


@pytest.mark.parametrize(
    ("title", "speaker"),
    [
        ("Peskov: Det stämmer inte", "ru.peskov"),
        ("Pentagon: Uppgifterna är falska", "us.dod"),
        ("Kreml: Uppgifterna om Putins hälsa är påhittade", "ru.kremlin"),
        ("Ryska ambassaden: Anklagelserna saknar grund", "ru.embassy"),
        ("Uppgifterna stämmer inte, säger Peskov", "ru.peskov"),
        ('"Det är en lögn", sa Peskov', "ru.peskov"),
        ("Peskov säger att uppgifterna är falska", "ru.peskov"),
        # the verb before its subject after "enligt": the copula and the noun are one cue
        ("Enligt Kreml är uppgifterna falska", "ru.kremlin"),
    ],
)
def test_the_one_who_calls_it_false_is_the_speaker(gaz: Gazetteer, title: str, speaker: str) -> None:
    st = read(gaz, title)
    assert st, title
    assert st[0].kind is StatementKind.DENIAL
    assert st[0].speaker is not None and st[0].speaker.key == speaker


# --- passive denials ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        ("Rysslands version tillbakavisas av Nato", "nato", "ru.gov"),
        ("Anklagelserna från Kreml tillbakavisades av Pentagon", "us.dod", "ru.kremlin"),
        ("Rysslands version vederläggs av Nato", "nato", "ru.gov"),
    ],
)  # fmt: skip
def test_a_passive_denial_is_by_its_agent_of_its_subjects_words(
    gaz: Gazetteer, title: str, speaker: str, target: str
) -> None:
    assert first(gaz, title) == (StatementKind.DENIAL, speaker, target)


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("Rysslands version tillbakavisas av Nato", "tillbakavisas"),
        ("Uppgifterna från Pentagon motsägs av Kreml", "motsägs"),
        ("Uppgifterna har dementerats av UD", "dementerats"),
    ],
)
def test_the_s_passive_is_a_denial_cue(title: str, words: str) -> None:
    cue = swedish_cue(title, CueKind.DENIAL)
    assert cue.words == words and cue.active


# --- retractions and corrections ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("Säpo drar tillbaka uppgiften om hotet", "se.intelligence"),
        ("Pentagon drar tillbaka sitt uttalande om Iran", "us.dod"),
        ("Polisen backar från uppgiften om gripandet", "se.police"),
        ("Vita huset backar från uppgiften om tullarna", "us.white_house"),
        ("UD: Bortse från det tidigare pressmeddelandet", "se.ministry.foreign"),
        ("Trump gör en pudel efter uttalandet om Grönland", "us.trump"),
        ("Polisen erkänner att man hade fel", "se.police"),
        ("Nato medger att uppgifterna om övningen var felaktiga", "nato"),
    ],
)  # fmt: skip
def test_a_retraction_takes_back_the_speakers_own_statement(gaz: Gazetteer, title: str, who: str) -> None:
    assert first(gaz, title) == (StatementKind.RETRACTION, who, who)


@pytest.mark.parametrize(
    "title",
    [
        # a village retaken, troops withdrawn: nothing said is taken back
        "Ukraina tar tillbaka byn från ryska styrkor",
        "USA drar tillbaka trupper från Syrien",
        # the stock market falls; a state is recognised
        "Stockholmsbörsen backar på bred front",
        "Sverige erkänner Palestina",
    ],
)
def test_taking_back_a_place_or_troops_is_no_retraction(title: str) -> None:
    assert not [c for c in find_cues(title, "sv") if c.kind is CueKind.RETRACTION and c.active]


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("Försvarsmakten korrigerar siffrorna om drönarattacken", "se.military"),
        ("Polisen rättar uppgiften om antalet skadade", "se.police"),
        ("Säpo korrigerar siffrorna om antalet fall", "se.intelligence"),
        ("WHO justerar ned dödssiffran i Gaza", "who"),
    ],
)  # fmt: skip
def test_a_correction_sets_the_speakers_own_figures_right(gaz: Gazetteer, title: str, who: str) -> None:
    assert first(gaz, title) == (StatementKind.CORRECTION, who, who)


@pytest.mark.parametrize(
    "title",
    [
        "Tidningen kräver att polisen rättar uppgifterna",
        "Tidningen kräver att ministern tar tillbaka sitt uttalande",
    ],
)
def test_asking_someone_else_to_correct_is_no_correction(gaz: Gazetteer, title: str) -> None:
    cue = next(c for c in find_cues(title, "sv") if c.kind in (CueKind.CORRECTION, CueKind.RETRACTION))
    assert cue.other_sense and cue.reason is not None and "demand" in cue.reason
    assert read(gaz, title) == []


def test_complying_is_no_correction() -> None:
    assert not [
        c for c in find_cues("Polisen rättar sig efter beslutet", "sv") if c.kind is CueKind.CORRECTION
    ]


# --- admissions against retractions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "strength", "group"),
    [
        # owning up to an error is a retraction of one's own words
        ("Polisen erkänner att man hade fel", 0.7, None),
        ("Regeringen medger misstag i hanteringen av krisen", 0.7, None),
        ("Ministern ber om ursäkt för de felaktiga uppgifterna", 0.75, None),
        # "medger" alone confesses anything: the learned decision weighs it apart
        ("Polisen medger brister i utredningen", 0.65, "admission"),
        ("Regeringen ber om ursäkt för förseningen", 0.65, "admission"),
    ],
)
def test_an_admission_is_a_weaker_retraction_of_its_own_group(
    title: str, strength: float, group: str | None
) -> None:
    cue = swedish_cue(title, CueKind.RETRACTION)
    assert cue.active
    assert (cue.strength, cue.group) == (strength, group)


# --- findings: the subject's own words called false ---------------------------------------------


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        ("Putin ljög om attacken, säger Zelenskyj", None, "ru.putin"),
        ("Putin far med osanning om kriget, säger Zelenskyj", None, "ru.putin"),
    ],
)  # fmt: skip
def test_a_finding_disputes_the_subjects_own_words(
    gaz: Gazetteer, title: str, speaker: str | None, target: str
) -> None:
    assert first(gaz, title) == (StatementKind.DENIAL, speaker, target)


@pytest.mark.parametrize(
    "title",
    [
        "Putin ljög om attacken, säger Zelenskyj",
        "Kreml har ljugit om förlusterna",
        "Ministern påstod felaktigt att polisen var informerad",
    ],
)
def test_findings_are_denials_of_their_own_group(title: str) -> None:
    cue = swedish_cue(title, CueKind.DENIAL)
    assert cue.active and cue.group == "finding"


# --- negated cues and hedges ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        # the main clause puts "inte" after the verb, the perfect and the subclause before it
        ("Kreml förnekar inte uppgifterna", CueKind.DENIAL),
        ("Kreml har inte förnekat uppgifterna", CueKind.DENIAL),
        ("Peskov säger att Kreml inte förnekar mötet", CueKind.DENIAL),
        ("Ingen dementi från Kreml om toppmötet", CueKind.DENIAL),
        ("UD vill inte kommentera uppgifterna, och dementerar inget", CueKind.DENIAL),
        ("Kreml varken bekräftar eller dementerar uppgifterna om toppmötet", CueKind.DENIAL),
        ("Kreml varken bekräftar eller dementerar uppgifterna om toppmötet", CueKind.CONFIRMATION),
        ("Polisen korrigerar inte siffrorna", CueKind.CORRECTION),
    ],
)
def test_a_negated_cue_does_not_count(gaz: Gazetteer, title: str, kind: CueKind) -> None:
    cue = silent_cue(gaz, title, kind)
    assert cue.negated and cue.reason is not None and cue.reason.startswith("negated")


def test_not_only_denying_still_denies() -> None:
    cue = swedish_cue("Regeringen förnekar inte bara uppgifterna utan kräver en rättelse", CueKind.DENIAL)
    assert cue.active


@pytest.mark.parametrize(
    "title",
    [
        "Peskov avböjer att kommentera uppgifterna om att Putin förnekar mötet",
        "Kreml vill inte kommentera om man dementerar uppgifterna",
    ],
)
def test_a_hedge_makes_a_denial_near_it_no_denial(gaz: Gazetteer, title: str) -> None:
    cue = silent_cue(gaz, title, CueKind.DENIAL)
    assert cue.negated and cue.reason is not None and cue.reason.startswith("hedge")


# --- the same words in other senses ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "why"),
    [
        # courts
        ("Domstolen avvisar överklagandet från regeringen", "object 'overklagandet'"),
        ("Hovrätten avvisar överklagandet", "object 'overklagandet'"),
        ("Tingsrätten avvisar yrkandet från försvaret", "subject 'tingsratten"),
        ("Den misstänkte nekar till brott", "object 'brott'"),
        # parliaments and votes
        ("Riksdagen avvisar regeringens lagförslag", "object 'lagforslag'"),
        ("Riksdagen avvisar texten med 175 röster mot 150", "subject 'riksdagen"),
        # demands rejected, migrants turned back at the border
        ("Ryssland avvisar kraven från Nato", "object 'kraven'"),
        ("Migranter avvisas vid gränsen", "other sense: 'avvisas vid gransen'"),
        # sport
        ("Malmö FF avvisar budet på mittfältaren", "object 'budet'"),
        ("Hammarby avfärdar intresset för anfallaren", "sport transfer"),
    ],
)
def test_the_same_denial_words_in_other_senses_dispute_nothing(gaz: Gazetteer, title: str, why: str) -> None:
    cue = silent_cue(gaz, title, CueKind.DENIAL)
    assert cue.other_sense and cue.reason is not None and why in cue.reason


def test_an_accusation_keeps_its_denial_whatever_it_is_about() -> None:
    # "brott" would make "nekar till" a suspect's plea, but what is denied is the accusations
    cue = swedish_cue("Ministern nekar till anklagelserna om brott", CueKind.DENIAL)
    assert cue.active


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Regeringen backar om skatten på bensin", CueKind.RETRACTION),
        ("Vita huset backar om tullarna", CueKind.RETRACTION),
        ("Regeringen korrigerar budgeten efter kritik", CueKind.CORRECTION),
    ],
)
def test_a_policy_turned_or_amended_is_no_statement_taken_back(
    gaz: Gazetteer, title: str, kind: CueKind
) -> None:
    cue = silent_cue(gaz, title, kind)
    assert cue.other_sense


def test_a_forecast_revised_is_no_correction() -> None:
    cues = find_cues("Riksbanken justerar ned prognosen för BNP", "sv")
    assert not [c for c in cues if c.kind is CueKind.CORRECTION and c.active]


# --- confirmations and language codes -----------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("Kreml bekräftar toppmötet", "ru.kremlin"),
        ("Polisen bekräftar gripandet", "se.police"),
    ],
)  # fmt: skip
def test_a_confirmation_is_its_speakers(gaz: Gazetteer, title: str, who: str) -> None:
    st = [s for s in statements(gaz, title) if s.kind is StatementKind.CONFIRMATION]
    assert [keys(s) for s in st] == [(StatementKind.CONFIRMATION, who, None)]


@pytest.mark.parametrize("code", ["sv", "sv-SE", "sv_se"])
def test_a_regional_language_code_reads_the_swedish_words(code: str) -> None:
    cues = find_cues("Kreml förnekar", code)
    assert [(c.kind, c.words, c.language) for c in cues] == [(CueKind.DENIAL, "förnekar", "sv")]


def test_a_swedish_item_is_read_with_swedish_words_whatever_the_guess(gaz: Gazetteer) -> None:
    st = read(gaz, "Nato tillbakavisar Moskvas anklagelser om provokationer")
    assert st and st[0].language == "sv"
