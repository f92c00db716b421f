"""Who said what, in Italian: the cue words of `cues/it.toml` and the statement words of
`statements/it.toml`, read with the names the gazetteer already knows (`lang/it.toml`).

Every sentence is invented for these tests: made-up events about real institutions.

An item declared Italian is read with the Italian words (`extract_statements` keeps a declared
language the readers have words for).
"""

from __future__ import annotations

import pytest

from bot.detect.actors import Gazetteer
from bot.detect.cues import CueKind, find_cues
from bot.types import StatementKind
from tests.language_readers import LanguageReader, keys

IT = LanguageReader("it")
first = IT.first
silent_cue = IT.silent_cue
read = IT.read
statements = IT.statements
italian_cue = IT.cue


# --- denials ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        ("Kiev smentisce Mosca: «Nessun villaggio conquistato»", "ua.gov", "ru.gov"),
        ("Tajani smentisce Lavrov sulle sanzioni", "it.tajani", "ru.lavrov"),
        ("Il Cremlino nega le accuse del governo italiano", "ru.kremlin", "it.gov"),
        ("Palazzo Chigi smentisce il Cremlino", "it.chigi", "ru.kremlin"),
        ("Mosca respinge le accuse di Tajani sui missili", "ru.gov", "it.tajani"),
        ("Il ministero degli Esteri russo ha smentito le dichiarazioni di Crosetto", "ru.mfa",
            "it.crosetto"),
        ("La Farnesina definisce «prive di fondamento» le accuse di Mosca", "it.ministry.foreign",
            "ru.gov"),
        ("Il Cremlino rispedisce al mittente le accuse di Washington", "ru.kremlin", "us.gov"),
        ("Mosca bolla come propaganda le accuse di Kiev", "ru.gov", "ua.gov"),
        ("Secondo il Cremlino, le accuse di Kiev sono false", "ru.kremlin", "ua.gov"),
        # the news sets the Kremlin's words against the facts: nobody named disputes them
        ("Contrariamente a quanto affermato dal Cremlino, le truppe non si sono ritirate", None,
            "ru.kremlin"),
    ],
)  # fmt: skip
def test_a_denial_names_who_denies_whose_words(
    gaz: Gazetteer, title: str, speaker: str | None, target: str
) -> None:
    st = read(gaz, title)
    assert st, title
    assert keys(st[0]) == (StatementKind.DENIAL, speaker, target)
    assert st[0].language == "it"


def test_a_denial_of_a_report_answers_the_press_not_an_official(gaz: Gazetteer) -> None:
    st = read(gaz, "La Farnesina smentisce le notizie su un rimpatrio dell'ambasciatore")
    assert st
    assert keys(st[0]) == (StatementKind.DENIAL, "it.ministry.foreign", None)
    assert st[0].target_kind == "media"


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("Il Pentagono: la notizia non corrisponde al vero", "non corrisponde al vero"),
        ("La Farnesina: la notizia è falsa", "è falsa"),
        ("Fonti di governo: ricostruzioni prive di fondamento", "prive di fondamento"),
        ("Il Cremlino: «Nessuna prova dell'attacco»", "Nessuna prova dell"),
    ],
)
def test_phrases_that_call_something_false_carry_their_own_negation(title: str, words: str) -> None:
    cue = italian_cue(title, CueKind.DENIAL)
    assert cue.words == words
    # "non", "nessuna" belong to the phrase: they do not cancel it
    assert cue.active


@pytest.mark.parametrize(
    ("title", "speaker"),
    [
        ("Il Pentagono: la notizia non corrisponde al vero", "us.dod"),
        # guessed Portuguese, whose "é falsa" reads the same
        ("La Farnesina: la notizia è falsa", "it.ministry.foreign"),
    ],
)
def test_a_headline_colon_credits_the_one_who_calls_it_false(
    gaz: Gazetteer, title: str, speaker: str
) -> None:
    assert first(gaz, title) == (StatementKind.DENIAL, speaker, None)


# --- passive denials ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        ("La versione del Cremlino smentita dalla Farnesina", "it.ministry.foreign", "ru.kremlin"),
        ("Le accuse di Mosca sono state respinte dalla Farnesina", "it.ministry.foreign", "ru.gov"),
        ("Le accuse di Washington confutate dal Cremlino", "ru.kremlin", "us.gov"),
        # an elided agent ("dall'ambasciata") runs into the next word
        ("La versione di Mosca smentita dall'ambasciata italiana", "it.embassy", "ru.gov"),
    ],
)  # fmt: skip
def test_a_passive_denial_is_by_its_agent_of_its_subjects_words(
    gaz: Gazetteer, title: str, speaker: str, target: str
) -> None:
    assert first(gaz, title) == (StatementKind.DENIAL, speaker, target)


def test_the_passive_participle_is_a_denial_cue() -> None:
    assert (
        italian_cue("La versione del Cremlino smentita dalla Farnesina", CueKind.DENIAL).words == "smentita"
    )
    assert italian_cue("Le accuse sono state respinte dal Cremlino", CueKind.DENIAL).active


# --- retractions and corrections ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("Il Viminale ritratta: nessun migrante morto al porto", "it.ministry.interior"),
        ("Salvini fa marcia indietro sulle accuse alla Francia", "it.salvini"),
        ("Il Viminale invita a non tenere conto del precedente comunicato", "it.ministry.interior"),
        ("Meloni chiede scusa per l'errore sui dati", "it.meloni"),
        ("Il ministero della Salute ritira il comunicato sui vaccini", "it.ministry.health"),
        ("Il ministero dell'Interno cancella il post sui migranti", "it.ministry.interior"),
    ],
)  # fmt: skip
def test_a_retraction_takes_back_the_speakers_own_statement(gaz: Gazetteer, title: str, who: str) -> None:
    assert first(gaz, title) == (StatementKind.RETRACTION, who, who)


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("Tajani rettifica i dati sugli arrivi", "it.tajani"),
        ("L'Oms corregge i propri dati sui contagi", "who"),
        ("Il ministero della Salute corregge il bilancio delle vittime", "it.ministry.health"),
        ("Il Viminale rivede al ribasso il numero degli sbarchi", "it.ministry.interior"),
    ],
)  # fmt: skip
def test_a_correction_sets_the_speakers_own_figures_right(gaz: Gazetteer, title: str, who: str) -> None:
    assert first(gaz, title) == (StatementKind.CORRECTION, who, who)


def test_own_figures_make_a_correction_self_directed() -> None:
    assert italian_cue("L'Oms corregge i propri dati sui contagi", CueKind.CORRECTION).self_directed


def test_asking_a_newspaper_to_correct_is_no_correction(gaz: Gazetteer) -> None:
    title = "Il governo italiano chiede al quotidiano di rettificare"
    cue = silent_cue(gaz, title, CueKind.CORRECTION)
    assert cue.other_sense and cue.reason is not None and "demand" in cue.reason


# --- admissions against retractions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "strength", "group"),
    [
        # owning up to an error is a retraction of one's own words
        ("Meloni ammette l'errore sui dati dell'inflazione", 0.7, None),
        ("Il ministero ammette di aver sbagliato i conti", 0.7, None),
        # "ammette" alone confesses anything: the learned decision weighs it apart
        ("Crosetto ammette che i droni erano russi", 0.65, "admission"),
        ("La portavoce della Farnesina si scusa per il ritardo", 0.65, "admission"),
    ],
)
def test_an_admission_is_a_weaker_retraction_of_its_own_group(
    title: str, strength: float, group: str | None
) -> None:
    cue = italian_cue(title, CueKind.RETRACTION)
    assert cue.active
    assert (cue.strength, cue.group) == (strength, group)


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("Meloni ammette l'errore sui dati dell'inflazione", "it.meloni"),
        ("Crosetto ammette che i droni erano russi", "it.crosetto"),
    ],
)
def test_an_admission_is_its_subjects_own(gaz: Gazetteer, title: str, who: str) -> None:
    assert first(gaz, title) == (StatementKind.RETRACTION, who, who)


def test_an_admission_by_someone_else_in_the_sentence_is_not_the_first_actors(gaz: Gazetteer) -> None:
    st = read(gaz, "Il Cremlino cita un video in cui un soldato ammette di aver sparato")
    # the soldier admits, not the Kremlin that cites him
    assert [keys(s) for s in st] == [(StatementKind.RETRACTION, None, None)]


# --- findings: the subject's own words called false ---------------------------------------------


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        ("Tajani dice che il Cremlino ha mentito sulla tregua", "it.tajani", "ru.kremlin"),
        ("Salvini ha mentito sui fondi russi, dice l'opposizione", None, "it.salvini"),
        ("Piantedosi ha detto il falso sugli sbarchi, accusa il Pd", None, "it.piantedosi"),
    ],
)  # fmt: skip
def test_a_finding_disputes_the_subjects_own_words(
    gaz: Gazetteer, title: str, speaker: str | None, target: str
) -> None:
    assert first(gaz, title) == (StatementKind.DENIAL, speaker, target)


@pytest.mark.parametrize(
    "title",
    [
        "Tajani dice che il Cremlino ha mentito sulla tregua",
        "Zelensky: «Mosca mente sulla tregua»",
        "Piantedosi ha detto il falso sugli sbarchi, accusa il Pd",
    ],
)
def test_findings_are_denials_of_their_own_group(title: str) -> None:
    cue = italian_cue(title, CueKind.DENIAL)
    assert cue.active and cue.group == "finding"


# --- negated cues and hedges ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Crosetto non smentisce l'invio di nuove armi", CueKind.DENIAL),
        ("Il Cremlino non ha mai negato la presenza di truppe", CueKind.DENIAL),
        ("Meloni: «Non abbiamo mai negato la crisi»", CueKind.DENIAL),
        ("Nessuna smentita dal Viminale sulle dimissioni del prefetto", CueKind.DENIAL),
        ("Palazzo Chigi né conferma né smentisce il rimpasto", CueKind.DENIAL),
        ("Palazzo Chigi né conferma né smentisce il rimpasto", CueKind.CONFIRMATION),
        ("Il ministero non rettifica i dati", CueKind.CORRECTION),
    ],
)
def test_a_negated_cue_does_not_count(gaz: Gazetteer, title: str, kind: CueKind) -> None:
    cue = silent_cue(gaz, title, kind)
    assert cue.negated and cue.reason is not None and cue.reason.startswith("negated")


@pytest.mark.parametrize(
    "title",
    [
        "Alla domanda se il Cremlino smentisca il vertice, Peskov ha risposto: «Nessun commento»",
        "Alla richiesta di smentire, il Cremlino risponde «nessun commento»",
        "Sulle voci di rimpasto Palazzo Chigi non commenta e rimanda ogni smentita",
    ],
)
def test_a_hedge_makes_a_denial_near_it_no_denial(gaz: Gazetteer, title: str) -> None:
    cue = silent_cue(gaz, title, CueKind.DENIAL)
    assert cue.negated and cue.reason is not None and cue.reason.startswith("hedge")


def test_a_hedged_answer_is_still_the_spokesmans_claim(gaz: Gazetteer) -> None:
    title = "Alla domanda se il Cremlino smentisca il vertice, Peskov ha risposto: «Nessun commento»"
    assert [keys(s) for s in statements(gaz, title)] == [(StatementKind.CLAIM, "ru.peskov", None)]


# --- the same words in other senses ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "why"),
    [
        # courts
        ("Il tribunale respinge il ricorso del ministero dell'Interno", "object 'ricorso'"),
        ("Il gip nega la scarcerazione all'ex ministro", "object 'scarcerazione'"),
        ("Il giudice respinge le tesi della difesa", "subject 'giudice'"),
        ("La procura nega l'autorizzazione", "object 'autorizzazione'"),
        # parliaments and votes
        ("La Camera respinge l'emendamento della Lega", "object 'emendamento'"),
        ("Il Senato respinge il testo con 98 voti contrari", "subject 'senato"),
        ("Il Senato respinge la mozione di sfiducia contro Salvini", "object 'mozione'"),
        # a state refusing something, an army repelling an attack
        ("La Russia nega il visto ai giornalisti italiani", "object 'visto'"),
        ("L'esercito ucraino respinge l'attacco russo a Kharkiv", "object 'attacco'"),
        # sport
        ("La Juventus respinge l'offerta per l'attaccante", "object 'offerta'"),
        ("Il Napoli respinge il rilancio per il centrocampista", "sport transfer"),
    ],
)
def test_the_same_denial_words_in_other_senses_dispute_nothing(gaz: Gazetteer, title: str, why: str) -> None:
    cue = silent_cue(gaz, title, CueKind.DENIAL)
    assert cue.other_sense and cue.reason is not None and why in cue.reason


def test_amending_a_budget_law_is_no_correction(gaz: Gazetteer) -> None:
    title = "Il governo corregge la manovra dopo le critiche"
    cue = silent_cue(gaz, title, CueKind.CORRECTION)
    assert cue.other_sense


def test_an_accusation_keeps_its_denial_whatever_it_is_about(gaz: Gazetteer) -> None:
    # "riforma" would make "respinge" a vote, but what is rejected here is the accusations
    cue = italian_cue("Tajani respinge le accuse sulla riforma della giustizia", CueKind.DENIAL)
    assert cue.active


# --- confirmations and language codes -----------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("Palazzo Chigi conferma l'incontro con Zelensky", "it.chigi"),
        ("Il Quirinale conferma: Mattarella riceverà Zelensky", "it.presidency"),
    ],
)  # fmt: skip
def test_a_confirmation_is_its_speakers(gaz: Gazetteer, title: str, who: str) -> None:
    st = [s for s in statements(gaz, title) if s.kind is StatementKind.CONFIRMATION]
    assert [keys(s) for s in st] == [(StatementKind.CONFIRMATION, who, None)]


@pytest.mark.parametrize("code", ["it", "it-IT", "it_it"])
def test_a_regional_language_code_reads_the_italian_words(code: str) -> None:
    cues = find_cues("Il Viminale smentisce", code)
    assert [(c.kind, c.words, c.language) for c in cues] == [(CueKind.DENIAL, "smentisce", "it")]


def test_an_italian_item_is_read_with_italian_words_whatever_the_guess(gaz: Gazetteer) -> None:
    st = read(gaz, "Il Cremlino nega le accuse del governo italiano")
    assert st and st[0].language == "it"
