"""Cue words per language, negation and hedges, other senses of "denied/rejected/false"."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.detect.cues import CueKind, denial_strength, find_cues, strongest


def active(sentence: str, language: str | None) -> list[tuple[CueKind, str]]:
    return [
        (c.kind, c.words) for c in find_cues(sentence, language) if c.active and c.kind is not CueKind.CLAIM
    ]


@pytest.mark.parametrize(
    ("language", "sentence", "kind", "words"),
    [
        # English
        ("en", "The ministry denied the account given by the agency.", CueKind.DENIAL, "denied"),
        ("en", "The embassy called the post inaccurate.", CueKind.DENIAL, "called the post inaccurate"),
        ("en", "Officials said the figure was false.", CueKind.DENIAL, "was false"),
        ("en", "The navy contradicted the earlier version.", CueKind.DENIAL, "contradicted"),
        ("en", "The department rebuffed the senator's claim.", CueKind.DENIAL, "rebuffed"),
        ("en", "The army said no such raid took place.", CueKind.DENIAL, "no such raid took place"),
        ("en", "The ministry corrected its casualty figure.", CueKind.CORRECTION, "corrected its"),
        ("en", "The ministry corrects casualty figure.", CueKind.CORRECTION, "corrects"),
        ("en", "The agency retracted its statement on Friday.", CueKind.RETRACTION, "retracted"),
        ("en", "The health body walked back its remarks.", CueKind.RETRACTION, "walked back"),
        (
            "en",
            "The utility corrected the figure it had published.",
            CueKind.CORRECTION,
            "corrected the figure",
        ),
        # Spanish
        ("es", "La presidenta desmintió la publicación de la agencia.", CueKind.DENIAL, "desmintió"),
        (
            "es",
            "El ministro calificó de falsas las versiones del ejército.",
            CueKind.DENIAL,
            "calificó de falsas",
        ),
        ("es", "La cancillería rechazó la versión del gobierno vecino.", CueKind.DENIAL, "rechazó"),
        ("es", "El gobernador se retractó de sus dichos.", CueKind.RETRACTION, "se retractó"),
        ("es", "La secretaría rectificó la cifra de víctimas.", CueKind.CORRECTION, "rectificó"),
        # French
        ("fr", "Le ministère dément formellement cette version.", CueKind.DENIAL, "dément"),
        (
            "fr",
            "Le gouvernement a qualifié ces affirmations de fausses.",
            CueKind.DENIAL,
            "qualifié ces affirmations de fausses",
        ),
        (
            "fr",
            "Le préfet est revenu sur ses propos de la veille.",
            CueKind.RETRACTION,
            "revenu sur ses propos",
        ),
        ("fr", "La préfecture rectifie le bilan publié mardi.", CueKind.CORRECTION, "rectifie"),
        # German
        (
            "de",
            "Die Botschaft nannte die Darstellung der Behörde falsch.",
            CueKind.DENIAL,
            "nannte die Darstellung der Behörde falsch",
        ),
        ("de", "Das Ministerium dementiert den Bericht der Behörde.", CueKind.DENIAL, "dementiert"),
        (
            "de",
            "Die Regierung weist die Darstellung entschieden zurück.",
            CueKind.DENIAL,
            "weist die Darstellung entschieden zurück",
        ),
        ("de", "Die Polizei hat die Meldung zurückgezogen.", CueKind.RETRACTION, "zurückgezogen"),
        ("de", "Die Polizei korrigiert die Zahl der Einsatzkräfte.", CueKind.CORRECTION, "korrigiert"),
        # Portuguese
        ("pt", "O tribunal eleitoral desmente a fala do presidente.", CueKind.DENIAL, "desmente"),
        ("pt", "O ministério rebateu as declarações do governador.", CueKind.DENIAL, "rebateu"),
        ("pt", "O governo voltou atrás na declaração.", CueKind.RETRACTION, "voltou atrás"),
        ("pt", "A secretaria corrigiu os números divulgados.", CueKind.CORRECTION, "corrigiu"),
    ],
)
def test_cues_each_language(language: str, sentence: str, kind: CueKind, words: str) -> None:
    assert (kind, words) in active(sentence, language)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "The ministry did not deny the report."),
        ("en", "A spokesman said he could neither confirm nor deny the account."),
        ("en", "The army cannot confirm or deny the strike."),
        ("en", "The agency declined to comment and never denied it."),
        ("es", "El vocero ni confirmó ni desmintió la versión."),
        ("es", "La presidenta no negó los hechos."),
        ("fr", "Le ministère n'a pas démenti l'information."),
        ("fr", "Le porte-parole n'a ni confirmé ni démenti."),
        ("de", "Das Ministerium wollte das weder bestätigen noch dementieren."),
        ("de", "Die Regierung hat den Bericht nicht dementiert."),
        ("pt", "O ministério não negou a informação."),
        ("pt", "O porta-voz nem confirmou nem desmentiu."),
    ],
)
def test_negation_and_hedges_are_not_denials(language: str, sentence: str) -> None:
    cues = [c for c in find_cues(sentence, language) if c.kind is CueKind.DENIAL]
    assert cues, "the lexicon should still see the cue words"
    assert all(c.negated and not c.active and c.reason for c in cues)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "A judge denied bail to the three men."),
        ("en", "The court rejected the appeal on Tuesday."),
        ("en", "Two athletes were denied visas for the championship."),
        ("en", "The club rejected a £20m bid for its striker."),
        ("en", "The Senate rejected the bill by 52 votes to 48."),
        ("en", "The traveller was denied entry at the border."),
        ("en", "Firefighters said the call was a false alarm."),
        ("es", "El juez negó la libertad bajo fianza al acusado."),
        ("es", "El Congreso rechazó la moción de censura por 170 votos."),
        ("es", "El aviso de incendio resultó falsa alarma."),
        ("fr", "Le tribunal a rejeté la demande de libération sous caution."),
        ("fr", "L'Assemblée a rejeté la motion de censure."),
        ("de", "Das Gericht wies den Antrag zurück."),
        ("de", "Der Bundestag lehnte den Gesetzentwurf ab und wies den Antrag zurück."),
        ("pt", "O juiz negou o pedido de habeas corpus."),
        ("pt", "A Câmara rejeitou o projeto de lei."),
    ],
)
def test_other_senses_are_flagged(language: str, sentence: str) -> None:
    denial_like = [c for c in find_cues(sentence, language) if c.kind is CueKind.DENIAL]
    assert all(not c.active for c in denial_like)
    assert all(
        c.other_sense and c.reason and c.reason.startswith("other sense")
        for c in denial_like
        if not c.negated
    )


def test_demand_to_retract_is_not_a_retraction() -> None:
    cues = find_cues("The ministry asked the two portals to retract their stories.", "en")
    assert all(not c.active for c in cues if c.kind is CueKind.RETRACTION)


def test_denial_strength_counts_only_active_denials() -> None:
    assert denial_strength("The embassy denies the agency's account of the raid") > 0.5
    assert denial_strength("La embajada desmiente la versión de la agencia", "es") > 0.5
    assert denial_strength("The embassy did not deny the agency's account") == 0.0
    assert denial_strength("The judge denied bail to the suspect") == 0.0
    assert denial_strength("The embassy says the raid took place") == 0.0


def test_strongest_prefers_retraction_over_claim() -> None:
    cues = find_cues("The army said on Friday that it retracts its earlier statement.", "en")
    best = strongest(cues)
    assert best is not None and best.kind is CueKind.RETRACTION


def test_unknown_language_still_finds_english_and_romance_cues() -> None:
    assert (CueKind.DENIAL, "denied") in active("The ministry denied it.", None)
    assert (CueKind.DENIAL, "desmintió") in active("El ministerio desmintió la versión del diario.", None)


@given(st.text(max_size=300), st.sampled_from(["en", "es", "fr", "de", "pt", None]))
@settings(max_examples=150, deadline=None)
def test_find_cues_spans_are_valid(sentence: str, language: str | None) -> None:
    cues = find_cues(sentence, language)
    last_end = -1
    for c in cues:
        s, e = c.span
        assert 0 <= s < e <= len(sentence)
        assert sentence[s:e] == c.words
        assert s >= last_end  # no overlaps
        last_end = e
        assert 0 < c.strength <= 1


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "The prefecture asked newsrooms to disregard its earlier statement."),
        ("fr", "La préfecture demande aux rédactions de ne pas tenir compte de son dernier communiqué."),
        ("es", "El ayuntamiento pidió no tener en cuenta el comunicado anterior."),
    ],
)
def test_asking_to_disregard_ones_own_statement_is_a_retraction(language: str, sentence: str) -> None:
    best = strongest(find_cues(sentence, language))
    assert best is not None and best.kind is CueKind.RETRACTION


@pytest.mark.parametrize(
    "sentence",
    [
        "Their leader warned that any move to deny the villagers their rights would be punished.",
        "Nobody should deny citizens liberty of movement, the writer argued.",
    ],
)
def test_deny_someone_their_rights_is_withholding_not_a_denial(sentence: str) -> None:
    assert active(sentence, "en") == []


def test_denying_an_abuse_of_rights_is_still_a_denial() -> None:
    assert active("The ministry denied violating the detainees' rights.", "en") == [
        (CueKind.DENIAL, "denied")
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Correction: an earlier version of this story gave the wrong name for the office.",
        "CORRECTION: The original article stated incorrectly that the mayor had resigned.",
        "Correction: This post originally presented the clip of the storm as genuine; it turned out to be a hoax.",
    ],
)
def test_the_outlets_own_correction_note_is_not_an_official_correction(sentence: str) -> None:
    assert active(sentence, "en") == []


def test_an_official_correcting_its_own_figure_still_counts() -> None:
    assert active("The ministry corrected its earlier tally of the injured.", "en") == [
        (CueKind.CORRECTION, "corrected its")
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The mayor signed an order to dismiss the clerk for missing work.",
        "The inquiry ended when the coach was dismissed by the club owner.",
    ],
)
def test_dismissing_a_person_is_not_a_denial(sentence: str) -> None:
    assert active(sentence, "en") == []


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("The ministry dismissed the claims as baseless.", "dismissed"),
        ("The army dismissed them out of hand.", "dismissed"),
        ("The governor's account was dismissed by the coroner.", "dismissed"),
    ],
)
def test_dismissing_a_statement_is_a_denial(sentence: str, words: str) -> None:
    assert (CueKind.DENIAL, words) in active(sentence, "en")


@pytest.mark.parametrize(
    "sentence",
    [
        "The photo of the giant squid is probably fake.",
        "The leaked memo may turn out to be a hoax.",
        "I'd bet against the rumour, but I've been wrong before.",
        "Update: my first estimates were wrong.",
    ],
)
def test_guesses_and_the_writers_own_mistakes_are_not_denials(sentence: str) -> None:
    assert active(sentence, "en") == []


def test_granting_a_description_is_not_a_retraction() -> None:
    assert active("What the harbour police admit is odd behaviour started on Monday.", "en") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The director left the film in April over a pay dispute.",
        "He mentioned his dispute with the cable company.",
        "They asked the mayor for the award and were denied.",
        "The company still hasn't publicly acknowledged the flaw.",
        "Fans are excited about a supposed backtrack on the design.",
        "Clerks were told to reject birth certificates with that name.",
        "Update: readers point out the photo was doctored and is fake.",
        "The air force shoots down two drones over the border.",
        "Clerks were ordered to revise the school timetable.",
        "Registrars were told to reject any birth certificates with that name.",
        "Their plan is denying the governor anything he asks for.",
    ],
)
def test_quarrels_refusals_rumoured_reversals_and_notes_are_not_disputes(sentence: str) -> None:
    assert active(sentence, "en") == []


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("The ministry disputes the report.", "disputes"),
        ("The two agencies dispute the claim that the dam failed.", "dispute"),
        ("The reports were quickly denied by the army.", "denied"),
    ],
)
def test_disputing_and_passive_denials_still_count(sentence: str, words: str) -> None:
    assert (CueKind.DENIAL, words) in active(sentence, "en")


@pytest.mark.parametrize(
    ("language", "sentence", "kind"),
    [
        ("fr", "Le ministère annonce des rectifications dans trois départements.", CueKind.CORRECTION),
        ("es", "La secretaría publicó rectificaciones a las cifras.", CueKind.CORRECTION),
        ("en", "The coast guard says the sailors considered dead are alive.", CueKind.CORRECTION),
        (
            "en",
            "The minister confirms for the first time that the unit crossed the border.",
            CueKind.RETRACTION,
        ),
    ],
)
def test_corrections_and_first_time_admissions(language: str, sentence: str, kind: CueKind) -> None:
    best = strongest([c for c in find_cues(sentence, language) if c.active])
    assert best is not None and best.kind is kind


@pytest.mark.parametrize(
    "sentence",
    [
        "Party elders warn it would be wrong to sack the coach.",
        "Leaving the treaty now could be a grave error, allies say.",
        "The governor calls the bridge closure a mistake.",
    ],
)
def test_weighing_a_course_of_action_is_not_a_denial(sentence: str) -> None:
    assert active(sentence, "en") == []


def test_a_statement_proved_false_is_still_a_denial() -> None:
    assert (CueKind.DENIAL, "to be false") in active("The harbour figures turned out to be false.", "en")


@pytest.mark.parametrize(
    "sentence",
    [
        "The candidate withdraws amid allegations of misconduct.",
        "The mayor withdrew from the race after reports of unpaid taxes.",
        "Two senators withdrew support for the claims bill.",
    ],
)
def test_withdrawing_for_a_cause_withdraws_no_claim(sentence: str) -> None:
    assert [k for k, _ in active(sentence, "en") if k is CueKind.RETRACTION] == []


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("The port authority withdrew its earlier statement.", "withdrew its earlier statement"),
        ("The ministry has withdrawn the casualty figures.", "withdrawn the casualty figures"),
    ],
)
def test_withdrawing_ones_words_is_still_a_retraction(sentence: str, words: str) -> None:
    assert (CueKind.RETRACTION, words) in active(sentence, "en")


@pytest.mark.parametrize(
    "sentence",
    [
        "It is fine to admit that the new bridge looks good.",
        "Maybe it is time to concede the harbour deal worked.",
    ],
)
def test_an_admission_nobody_makes_is_not_a_retraction(sentence: str) -> None:
    assert [k for k, _ in active(sentence, "en") if k is CueKind.RETRACTION] == []


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("The port authority was forced to admit the figures were wrong.", "forced to admit"),
        ("Harbour officials admit the tally was inflated.", "admit"),
    ],
)
def test_having_to_admit_and_plural_admissions_still_count(sentence: str, words: str) -> None:
    assert (CueKind.RETRACTION, words) in active(sentence, "en")


@pytest.mark.parametrize(
    "sentence",
    [
        "Critics want to deny the mayor credit for the new harbour.",
        "The panel may deny the aide a security clearance.",
        "A fisherman mistakenly shot by coast guards is recovering.",
    ],
)
def test_withholding_credit_or_clearance_and_mistaken_deeds_dispute_no_words(sentence: str) -> None:
    assert active(sentence, "en") == []


def test_a_statement_made_by_mistake_is_still_a_correction() -> None:
    found = active("The port authority mistakenly reported 300 containers lost.", "en")
    assert (CueKind.CORRECTION, "mistakenly reported") in found


def test_prison_staff_are_not_corrections() -> None:
    assert active("The governor fires three corrections officers over a photo.", "en") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Two trawlers were seized in the disputed fishing grounds off the cape.",
        "The survey vessel sailed into disputed waters on Tuesday.",
        "Talks over the disputed islets resumed in Geneva.",
        "Protests followed a hotly disputed mayoral election.",
    ],
)
def test_disputed_describing_a_contested_thing_is_no_denial(sentence: str) -> None:
    assert active(sentence, "en") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The harbour authority disputed the report of a spill.",
        "Villagers have long disputed it.",
        "The ministry's disputed figures on the spill were withdrawn.",
        "It was a disputed claim by the port authority.",
    ],
)
def test_disputed_said_of_a_statement_still_counts(sentence: str) -> None:
    assert (CueKind.DENIAL, "disputed") in active(sentence, "en")


# --- an admission of one's own error against an admission of something else -------------------


@pytest.mark.parametrize(
    ("language", "sentence", "words"),
    [
        ("en", "The harbour board admits it was wrong about the spill size.", "admits it was wrong"),
        (
            "en",
            "Transport minister acknowledges counting errors in ferry data.",
            "acknowledges counting errors",
        ),
        ("en", "Mayor concedes he misled voters on the tunnel budget.", "concedes he misled"),
        ("en", "Spokesman admits lying about the drone flights.", "admits lying"),
        ("es", "La gobernación reconoce su error en el conteo de evacuados", "reconoce su error"),
        ("es", "El alcalde admite que mintió sobre el presupuesto del puerto", "admite que mintió"),
        (
            "es",
            "El ministerio pide disculpas por la información errónea sobre el puente",
            "pide disculpas por la información errónea",
        ),
        ("fr", "La préfecture reconnaît son erreur sur le nombre de blessés", "reconnaît son erreur"),
        ("fr", "Le maire admet avoir menti sur le budget du tunnel", "admet avoir menti"),
        ("de", "Die Stadtverwaltung räumt Fehler bei der Zählung ein", "räumt Fehler bei der Zählung ein"),
        (
            "de",
            "Der Sprecher entschuldigt sich für falsche Angaben zum Hafen",
            "entschuldigt sich für falsche Angaben",
        ),
        ("pt", "A prefeitura reconhece o erro na contagem de desalojados", "reconhece o erro"),
        ("pt", "O secretário pede desculpas pelo erro nos dados do porto", "pede desculpas pelo erro"),
        ("it", "Il sindaco ammette di aver mentito sul bilancio del porto", "ammette di aver mentito"),
        ("ru", "Мэрия признала, что ошиблась в подсчете пострадавших", "признала, что ошиблась"),
    ],
)
def test_owning_up_to_ones_own_error_is_a_retraction_outside_the_admission_group(
    language: str, sentence: str, words: str
) -> None:
    found = [c for c in find_cues(sentence, language) if c.active and c.kind is CueKind.RETRACTION]
    assert [(c.words, c.group) for c in found] == [(words, None)]


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        # a fact, a defeat or a delay confessed: no words of one's own are given up
        ("en", "Statistics bureau acknowledges the delays in the census release"),
        ("en", "Harbour board concedes the vote"),
        ("es", "La empresa estatal pide disculpas por los retrasos en los trenes"),
        ("fr", "Le ministre reconnaît des difficultés dans les hôpitaux"),
        ("de", "Der Bürgermeister räumt Probleme bei der Müllabfuhr ein"),
        ("pt", "O governo admite dificuldades no porto"),
    ],
)
def test_an_admission_of_something_else_keeps_its_group(language: str, sentence: str) -> None:
    found = [c for c in find_cues(sentence, language) if c.active and c.kind is CueKind.RETRACTION]
    assert found and all(c.group == "admission" for c in found)


# --- a U-turn on words against a U-turn on a policy ----------------------------------------------


@pytest.mark.parametrize(
    ("language", "sentence", "active_"),
    [
        # what the U-turn first names decides: a policy, or something said
        ("en", "Harbour minister backtracks on the ferry fare increase", False),
        ("en", "Council climbs down over parking fees after protests", False),
        ("en", "Harbour minister backtracks on remarks about the ferry strike", True),
        ("en", "Mayor walks back claim that the tunnel is finished, vows new tax", True),
        ("en", "Mayor backtracks: tunnel is not finished", True),  # nothing named: words, as before
        ("es", "El gobierno regional da marcha atrás con la subida del peaje", False),
        ("es", "El alcalde recula y dice que las cifras del censo eran otras", True),
        ("pt", "Prefeitura recua e desiste do aumento da tarifa de ônibus", False),
        ("pt", "Secretário recua e diz que não houve mortes na operação", True),
        ("fr", "La mairie fait marche arrière sur la hausse des tarifs de cantine", False),
        ("de", "Der Senat rudert bei den Parkgebühren zurück", False),
        ("de", "Der Senat zieht den Gesetzentwurf zurück", False),
        ("de", "Die Regierung nimmt die Kürzung beim Wohngeld zurück", False),  # singular and plural
        ("de", "Die Polizei nimmt ihre Aussage zur Festnahme zurück", True),
        ("it", "Il comune fa marcia indietro sulla tassa di soggiorno", False),
        ("ru", "Мэрия пошла на попятную по налогу на парковку", False),
    ],
)
def test_a_u_turn_on_a_policy_is_no_retraction_of_words(language: str, sentence: str, active_: bool) -> None:
    found = [c for c in find_cues(sentence, language) if c.kind is CueKind.RETRACTION]
    assert found, sentence
    assert found[0].active is active_, found[0].reason
    if not active_:
        assert "policy" in (found[0].reason or "")


@pytest.mark.parametrize(
    ("language", "sentence", "words"),
    [
        # headlines put the words they doubt in quotes, straight or curly
        ("en", "Harbour chief says he 'misspoke' about the ferry crash", "misspoke"),
        ("en", "Harbour chief says he ‘misspoke’ about the ferry crash", "misspoke"),
        ("es", "El alcalde dice que 'se expresó mal' sobre el puente", "se expresó mal"),
    ],
)
def test_a_cue_in_quotes_still_counts(language: str, sentence: str, words: str) -> None:
    assert words in [c.words for c in find_cues(sentence, language) if c.active]


@pytest.mark.parametrize(
    ("language", "sentence", "kind"),
    [
        # denying a turnaround takes nothing back
        ("en", "Port authority denies backtracking on the dredging figures", CueKind.RETRACTION),
        ("en", "Governor rejects claims he walked back his flood estimate", CueKind.RETRACTION),
        ("fr", "Le ministère dément avoir corrigé le bilan des crues", CueKind.CORRECTION),
    ],
)
def test_a_denied_turnaround_is_no_retraction(language: str, sentence: str, kind: CueKind) -> None:
    found = [c for c in find_cues(sentence, language) if c.kind is kind]
    assert found, sentence
    assert not found[0].active and "denied" in (found[0].reason or "")
    assert any(c.active and c.kind is CueKind.DENIAL for c in find_cues(sentence, language))


def test_a_turnaround_in_a_later_clause_still_counts() -> None:
    cues = find_cues("Port authority denies the report, then corrects its dredging figures", "en")
    assert [c.kind for c in cues if c.active] == [CueKind.DENIAL, CueKind.CORRECTION]
