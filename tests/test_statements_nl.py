"""Who said what, in Dutch: the cue words of `cues/nl.toml` and the statement words of
`statements/nl.toml`, read with the names the gazetteer already knows (`lang/nl.toml`).

Every sentence is invented for these tests: made-up events about real institutions.

An item declared Dutch is read with the Dutch words (`extract_statements` keeps a declared
language the readers have words for).
"""

from __future__ import annotations

import pytest

from bot.detect.actors import Gazetteer
from bot.detect.cues import CueKind, find_cues
from bot.types import StatementKind
from tests.language_readers import LanguageReader, keys

NL = LanguageReader("nl")
first = NL.first
silent_cue = NL.silent_cue
read = NL.read
statements = NL.statements
dutch_cue = NL.cue
dutch_cues = NL.cues


# --- denials ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        ("Het Kremlin ontkent beschuldigingen van Kyiv", "ru.kremlin", "ua.gov"),
        ("De Russische regering ontkent beschuldigingen van de Oekraïense regering", "ru.gov", "ua.gov"),
        ("Het Russische ministerie van Buitenlandse Zaken ontkent de beschuldigingen van de Nederlandse regering",
            "ru.mfa", "nl.gov"),
        ("Navo verwerpt beschuldigingen van Moskou over manoeuvres", "nato", "ru.gov"),
        ("Oekraïne ontkent Russische claim over inname dorp", "ua.gov", "ru.gov"),
        ("Het Pentagon spreekt Russische lezing tegen", "us.dod", "ru.gov"),
        # the separable "afwijzen", "van de hand wijzen": the particle closes the clause
        ("Rusland wijst beschuldigingen van de NAVO af", "ru.gov", "nato"),
        ("Het Kremlin wijst beschuldigingen van Kyiv van de hand", "ru.kremlin", "ua.gov"),
        ("Kyiv doet Russische claims af als propaganda", "ua.gov", "ru.gov"),
        ("Zacharova noemt beschuldigingen van Berlijn pure propaganda", "ru.zakharova", "de.gov"),
        ("Het Witte Huis noemt het bericht van de Russische regering onzin", "us.white_house", "ru.gov"),
        # "volgens", ", zegt de", ", aldus de": the speaker named before or after
        ("Volgens het Kremlin zijn de beschuldigingen van Kyiv onjuist", "ru.kremlin", "ua.gov"),
        ("Volgens de Navo zijn de beschuldigingen van Moskou onjuist", "nato", "ru.gov"),
        ("Beschuldigingen van Moskou zijn ongegrond, zegt de Navo", "nato", "ru.gov"),
        ("Beschuldigingen van Moskou zijn ongegrond, aldus de Navo", "nato", "ru.gov"),
        # the news sets the Kremlin's words against the facts: nobody named disputes them
        ("In tegenstelling tot wat het Kremlin beweerde, zijn de troepen niet teruggetrokken", None,
            "ru.kremlin"),
    ],
)  # fmt: skip
def test_a_denial_names_who_denies_whose_words(
    gaz: Gazetteer, title: str, speaker: str | None, target: str
) -> None:
    st = read(gaz, title)
    assert st, title
    assert keys(st[0]) == (StatementKind.DENIAL, speaker, target)
    assert st[0].language == "nl"


@pytest.mark.parametrize(
    ("title", "speaker"),
    [
        ("Kremlin ontkent berichten over ziekte Poetin", "ru.kremlin"),
        ("Buitenlandse Zaken weerspreekt berichten over vertrek ambassadeur", "nl.ministry.foreign"),
        ("Het Nederlandse ministerie van Defensie ontkent berichten over drones", "nl.ministry.defence"),
        ("De Nederlandse politie ontkent het bericht", "nl.police"),
        # "laat ... weten" splits around its subject
        ("Het bericht is onjuist, laat Defensie weten", "nl.ministry.defence"),
    ],
)
def test_a_denial_of_a_report_answers_the_press_not_an_official(
    gaz: Gazetteer, title: str, speaker: str
) -> None:
    st = read(gaz, title)
    assert st, title
    assert keys(st[0]) == (StatementKind.DENIAL, speaker, None)
    assert st[0].target_kind == "media"


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("Kremlin: bericht over aanval klopt niet", "klopt niet"),
        ("Defensie: het bericht is niet waar", "is niet waar"),
        ("Navo: geen bewijs voor Russische beschuldigingen", "geen bewijs voor"),
        ("Het Witte Huis: de ontmoeting heeft nooit plaatsgevonden", "heeft nooit plaatsgevonden"),
    ],
)
def test_phrases_that_call_something_false_carry_their_own_negation(title: str, words: str) -> None:
    cue = dutch_cue(title, CueKind.DENIAL)
    assert cue.words == words
    # "niet", "geen", "nooit" belong to the phrase: they do not cancel it
    assert cue.active


@pytest.mark.parametrize(
    ("title", "speaker"),
    [
        ("Kremlin: bericht over ziekte klopt niet", "ru.kremlin"),
        ("Defensie: het bericht is niet waar", "nl.ministry.defence"),
    ],
)
def test_a_headline_colon_credits_the_one_who_calls_it_false(
    gaz: Gazetteer, title: str, speaker: str
) -> None:
    assert first(gaz, title) == (StatementKind.DENIAL, speaker, None)


def test_verb_second_puts_the_subject_between_copula_and_falsehood() -> None:
    cue = dutch_cue("Volgens Moskou is het bericht volstrekt onjuist.", CueKind.DENIAL)
    assert cue.words == "is het bericht volstrekt onjuist" and cue.active


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        ("Het Kremlin heeft berichten over een ontmoeting met Zelensky ontkend", "ru.kremlin", None),
        ("Het Witte Huis heeft de beschuldigingen van Poetin tegengesproken", "us.white_house", "ru.putin"),
    ],
)
def test_the_perfect_is_said_by_the_subject_before_its_auxiliary(
    gaz: Gazetteer, title: str, speaker: str, target: str | None
) -> None:
    assert first(gaz, title) == (StatementKind.DENIAL, speaker, target)


# --- separable verbs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "kind", "words"),
    [
        ("Rusland spreekt berichten over aanval op Odesa tegen", CueKind.DENIAL,
            "spreekt berichten over aanval op Odesa tegen"),
        ("Het ministerie wijst de beschuldigingen van Moskou af", CueKind.DENIAL,
            "wijst de beschuldigingen van Moskou af"),
        ("Het ministerie trekt zijn verklaring over de aanval in", CueKind.RETRACTION,
            "trekt zijn verklaring over de aanval in"),
        ("Buitenlandse Zaken neemt uitspraken over ambassadeur terug", CueKind.RETRACTION,
            "neemt uitspraken over ambassadeur terug"),
        ("Schoof geeft fouten toe bij opvang asielzoekers", CueKind.RETRACTION, "geeft fouten toe"),
    ],
)  # fmt: skip
def test_a_separable_verb_is_one_cue_from_verb_to_particle(title: str, kind: CueKind, words: str) -> None:
    cue = dutch_cue(title, kind)
    assert cue.words == words and cue.active


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        # "zich uitspreken tegen" takes a side: no "tegenspreken"
        ("De minister spreekt zich uit tegen de wet", CueKind.DENIAL),
        # "tegen" inside the clause is the preposition
        ("Rusland spreekt met Turkije over steun tegen terreur", CueKind.DENIAL),
        # "toegeven aan" is to give in, not to admit
        ("Het kabinet geeft toe aan druk van de boeren", CueKind.RETRACTION),
        # recognising a state admits nothing
        ("Spanje erkent Palestijnse staat", CueKind.RETRACTION),
    ],
)
def test_the_particle_or_its_object_decides_a_separable_verb(title: str, kind: CueKind) -> None:
    assert dutch_cues(title, kind) == []


# --- passive denials ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        ("Lezing van het Kremlin weersproken door Kyiv", "ua.gov", "ru.kremlin"),
        ("Beschuldigingen van Moskou afgewezen door de NAVO", "nato", "ru.gov"),
        ("De beschuldigingen van het Kremlin werden verworpen door de Navo", "nato", "ru.kremlin"),
        ("Lezing van het Russische leger weerlegd door de Oekraïense generale staf", "ua.armed_forces",
            "ru.army"),
    ],
)  # fmt: skip
def test_a_passive_denial_is_by_its_agent_of_its_subjects_words(
    gaz: Gazetteer, title: str, speaker: str, target: str
) -> None:
    assert first(gaz, title) == (StatementKind.DENIAL, speaker, target)


def test_the_passive_participle_is_a_denial_cue() -> None:
    assert dutch_cue("Lezing van het Kremlin weersproken door Kyiv", CueKind.DENIAL).words == "weersproken"
    assert dutch_cue("De beschuldigingen zijn afgewezen door het Kremlin", CueKind.DENIAL).active


# --- retractions and corrections ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("Defensie trekt verklaring over drone-aanval in", "nl.ministry.defence"),
        ("Buitenlandse Zaken neemt uitspraken over ambassadeur terug", "nl.ministry.foreign"),
        ("Defensie krabbelt terug: geen F-35's naar Oekraïne", "nl.ministry.defence"),
        ("Het Openbaar Ministerie geeft fout toe in zaak", "nl.prosecutor"),
        ("Schoof geeft fouten toe bij opvang asielzoekers", "nl.schoof"),
        ("Defensie vraagt eerder persbericht als niet verzonden te beschouwen", "nl.ministry.defence"),
    ],
)  # fmt: skip
def test_a_retraction_takes_back_the_speakers_own_statement(gaz: Gazetteer, title: str, who: str) -> None:
    assert first(gaz, title) == (StatementKind.RETRACTION, who, who)


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("Volksgezondheid corrigeert cijfers over besmettingen", "nl.ministry.health"),
        ("De Wereldgezondheidsorganisatie corrigeert haar eigen cijfers over besmettingen", "who"),
        ("Het Russische ministerie van Defensie stelt het dodental naar beneden bij", "ru.mod"),
    ],
)  # fmt: skip
def test_a_correction_sets_the_speakers_own_figures_right(gaz: Gazetteer, title: str, who: str) -> None:
    assert first(gaz, title) == (StatementKind.CORRECTION, who, who)


def test_own_figures_make_a_correction_self_directed() -> None:
    assert dutch_cue("De WHO corrigeert haar eigen cijfers", CueKind.CORRECTION).self_directed


@pytest.mark.parametrize(
    "title",
    ["Rusland eist dat de krant rectificeert", "De Russische regering vraagt de krant om een rectificatie"],
)
def test_asking_a_newspaper_to_correct_is_no_correction(gaz: Gazetteer, title: str) -> None:
    cue = silent_cue(gaz, title, CueKind.CORRECTION)
    assert cue.other_sense and cue.reason is not None and "demand" in cue.reason


# --- admissions against retractions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "strength", "group"),
    [
        # owning up to an error is a retraction of one's own words
        ("Schoof geeft fouten toe bij opvang asielzoekers", 0.7, None),
        ("Het ministerie geeft toe te hebben overdreven", 0.7, None),
        ("De minister biedt excuses aan voor de onjuiste cijfers", 0.7, None),
        # an admission alone confesses anything: the learned decision weighs it apart
        ("Rutte geeft toe dat de gesprekken moeizaam verlopen", 0.65, "admission"),
        ("De Israëlische krijgsmacht erkent dat een school is geraakt", 0.65, "admission"),
        ("De minister biedt excuses aan voor het incident", 0.65, "admission"),
    ],
)
def test_an_admission_is_a_weaker_retraction_of_its_own_group(
    title: str, strength: float, group: str | None
) -> None:
    cue = max(dutch_cues(title, CueKind.RETRACTION), key=lambda c: c.span[1] - c.span[0])
    assert cue.active
    assert (cue.strength, cue.group) == (strength, group)


def test_an_admission_is_its_subjects_own(gaz: Gazetteer) -> None:
    st = read(gaz, "De Israëlische krijgsmacht erkent dat een school is geraakt")
    assert st
    assert keys(st[0]) == (StatementKind.RETRACTION, "il.idf", "il.idf")


# --- findings: the subject's own words called false ---------------------------------------------


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        ("Zelensky zegt dat het Kremlin heeft gelogen over het staakt-het-vuren", "ua.zelensky",
            "ru.kremlin"),
        ("Schoof heeft de Kamer onjuist geïnformeerd, zegt de oppositie", None, "nl.schoof"),
    ],
)  # fmt: skip
def test_a_finding_disputes_the_subjects_own_words(
    gaz: Gazetteer, title: str, speaker: str | None, target: str
) -> None:
    assert first(gaz, title) == (StatementKind.DENIAL, speaker, target)


@pytest.mark.parametrize(
    "title",
    [
        "Zelensky zegt dat het Kremlin heeft gelogen over het staakt-het-vuren",
        "Zelensky: Moskou liegt over het staakt-het-vuren",
        "De minister heeft de Kamer onjuist geïnformeerd over de kosten",
    ],
)
def test_findings_are_denials_of_their_own_group(title: str) -> None:
    cue = dutch_cue(title, CueKind.DENIAL)
    assert cue.active and cue.group == "finding"


# --- negated cues and hedges ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        # a main clause puts "niet" after the verb, the perfect and a subordinate clause before it
        ("Het Kremlin ontkent niet dat er gesprekken zijn gevoerd", CueKind.DENIAL),
        ("Het Kremlin ontkent het niet", CueKind.DENIAL),
        ("Het Kremlin ontkent niets", CueKind.DENIAL),
        ("Het Kremlin heeft de berichten nooit ontkend", CueKind.DENIAL),
        ("Rutte wil niet ontkennen dat er contact was", CueKind.DENIAL),
        ("Het Witte Huis bevestigt noch ontkent de berichten", CueKind.DENIAL),
        ("Het ministerie heeft de cijfers niet gecorrigeerd", CueKind.CORRECTION),
    ],
)
def test_a_negated_cue_does_not_count(gaz: Gazetteer, title: str, kind: CueKind) -> None:
    cue = silent_cue(gaz, title, kind)
    assert cue.negated and cue.reason is not None and cue.reason.startswith("negated")


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Op de vraag of Moskou het bericht ontkent: geen commentaar", CueKind.DENIAL),
        ("Gevraagd naar een ontkenning wilde het Kremlin niet reageren", CueKind.DENIAL),
        ("Het Witte Huis bevestigt noch ontkent de berichten", CueKind.CONFIRMATION),
    ],
)
def test_a_hedge_makes_a_denial_near_it_no_denial(gaz: Gazetteer, title: str, kind: CueKind) -> None:
    cue = silent_cue(gaz, title, kind)
    assert cue.negated and cue.reason is not None and cue.reason.startswith("hedge")


# --- the same words in other senses ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "why"),
    [
        # courts and immigration
        ("De rechtbank wijst het verzoek om borgtocht af", "object 'verzoek'"),
        ("Het gerechtshof verwerpt het hoger beroep van de minister", "object 'hoger beroep'"),
        ("De rechter wijst de eisen van de verdediging af", "subject 'de rechter'"),
        ("De IND wijst asielaanvraag van journalist af", "object 'asielaanvraag'"),
        # parliaments and votes
        ("Tweede Kamer verwerpt motie over stikstof", "object 'motie'"),
        ("De Eerste Kamer verwerpt de plannen van het kabinet", "subject 'eerste kamer"),
        ("De Tweede Kamer verwerpt het voorstel met 80 stemmen tegen", "object 'voorstel'"),
        # sport
        ("Ajax wijst bod op middenvelder af", "object 'bod'"),
        ("PSV wijst Engelse interesse in middenvelder af", "sport transfer"),
        # a false alarm
        ("Gemeente: bommelding bleek vals alarm", "'vals alarm'"),
    ],
)
def test_the_same_denial_words_in_other_senses_dispute_nothing(gaz: Gazetteer, title: str, why: str) -> None:
    cue = silent_cue(gaz, title, CueKind.DENIAL)
    assert cue.other_sense and cue.reason is not None and why in cue.reason


def test_an_accusation_keeps_its_denial_whatever_it_is_about() -> None:
    # "begroting" would make "verwerpt" a vote, but what is rejected here is the accusations
    assert dutch_cue("Het Kremlin verwerpt beschuldigingen over de begroting", CueKind.DENIAL).active


@pytest.mark.parametrize(
    ("title", "policy"),
    [
        ("Kabinet gaat overstag over belastingverhoging", "belastingverhoging"),
        ("Het kabinet krabbelt terug op de plannen voor een tolheffing", "plannen"),
    ],
)
def test_a_policy_u_turn_is_no_retraction(gaz: Gazetteer, title: str, policy: str) -> None:
    cue = silent_cue(gaz, title, CueKind.RETRACTION)
    assert cue.reversal and cue.other_sense and cue.reason is not None and policy in cue.reason


def test_a_u_turn_on_words_is_a_retraction() -> None:
    cue = dutch_cue("Minister krabbelt terug na ophef over uitspraken", CueKind.RETRACTION)
    assert cue.reversal and cue.active


def test_an_inflation_adjusted_figure_is_no_correction(gaz: Gazetteer) -> None:
    title = "Het CBS: de lonen stegen, gecorrigeerd voor inflatie, met twee procent"
    cue = silent_cue(gaz, title, CueKind.CORRECTION)
    assert cue.other_sense


# --- confirmations and language codes -----------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("Het kabinet bevestigt de ontmoeting met Zelensky", "nl.gov"),
        ("Het Kremlin bevestigt: Poetin ontvangt Orbán", "ru.kremlin"),
    ],
)  # fmt: skip
def test_a_confirmation_is_its_speakers(gaz: Gazetteer, title: str, who: str) -> None:
    st = [s for s in statements(gaz, title) if s.kind is StatementKind.CONFIRMATION]
    assert [keys(s) for s in st] == [(StatementKind.CONFIRMATION, who, None)]


@pytest.mark.parametrize("code", ["nl", "nl-NL", "nl-BE", "nl_nl"])
def test_a_regional_language_code_reads_the_dutch_words(code: str) -> None:
    cues = find_cues("Het Kremlin ontkent", code)
    assert [(c.kind, c.words, c.language) for c in cues] == [(CueKind.DENIAL, "ontkent", "nl")]


def test_a_dutch_item_is_read_with_dutch_words_whatever_the_guess(gaz: Gazetteer) -> None:
    st = read(gaz, "Het Kremlin ontkent beschuldigingen van Kyiv")
    assert st and st[0].language == "nl"
