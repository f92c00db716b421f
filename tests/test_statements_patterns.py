"""Pattern classes added for recall: each with fixtures written for these tests, in our own words.

- a clause with no subject of its own continues the sentence's first subject (pro-drop);
- more claim verbs (recounting, responding, defending, recording figures);
- owners of a quoted claim noun, and English "the claims of X";
- Spanish-press ministry metonyms ("Interior", "Hacienda") with the context's country;
- a person's bare surname in a text about their own country;
- "contrary to what X said" and "far from the N claimed by X" in five languages;
- death-toll revisions as corrections (downwards only).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.detect.actors import Gazetteer
from bot.detect.cues import CueKind, find_cues
from bot.detect.statements import extract_statements
from bot.types import FeedKind, Item, Statement, StatementKind

DISPUTE = {StatementKind.DENIAL, StatementKind.RETRACTION, StatementKind.CORRECTION}


def item(title: str, text: str = "", *, language: str | None = None) -> Item:
    return Item(
        id=1, feed_id=1, guid="g1", link="https://news.example/1", title=title, text=text,
        published=datetime(2025, 5, 15, 14, tzinfo=UTC), first_seen=datetime(2025, 5, 15, 14, 5, tzinfo=UTC),
        content_hash="h1", language=language, feed_kind=FeedKind.NEWS, feed_name="Example feed",
    )  # fmt: skip


def disputes(sts: list[Statement]) -> list[Statement]:
    return [s for s in sts if s.kind in DISPUTE]


def claims(sts: list[Statement]) -> list[Statement]:
    return [s for s in sts if s.kind is StatementKind.CLAIM]


# --- pro-drop continuation ------------------------------------------------------------------------


def test_a_subjectless_clause_continues_the_first_subject(gaz: Gazetteer) -> None:
    """The police body denied earlier; the officer it names is not whose claim is denied."""
    sts = extract_statements(
        item(
            "Carabineros da su versión sobre el joven herido en el puente",
            "Carabineros afirma que el joven resbaló al huir de los agentes; antes había negado que "
            "un carabinero lo empujara.",
            language="es",
        ),
        gaz,
    )
    ds = disputes(sts)
    assert ds and ds[0].speaker is not None and ds[0].speaker.key == "cl.carabineros"
    assert ds[0].target is None  # not "Carabineros denied by someone"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The ministry issued its count on Monday, and later denied that the count was wrong."),
        ("pt", "O ministério divulgou o balanço na segunda; depois negou que o balanço estivesse errado."),
    ],
)
def test_continuation_in_other_languages(gaz: Gazetteer, language: str, text: str) -> None:
    ds = disputes(extract_statements(item("Count questioned", text, language=language), gaz))
    assert ds and ds[0].speaker is not None and ds[0].speaker.type.value == "ministry"


# --- claim verbs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "speaker"),
    [
        (
            "es",
            "El presidente de Argentina contó que el exmandatario le pidió levantar la cuarentena",
            "ar.president",
        ),
        ("es", "El Ministerio de Salud de Brasil responde que los datos son correctos", "br.health"),
        ("pt", "Ministério da Saúde registra 500 mortes em 24 horas", "br.health"),
        ("en", "The Pentagon defended the strike as necessary", "us.dod"),
        ("de", "Die Bundesregierung verteidigte den Einsatz als notwendig", "de.bundesregierung"),
    ],
)
def test_more_claim_verbs(gaz: Gazetteer, language: str, title: str, speaker: str) -> None:
    sts = extract_statements(item(title, language=language), gaz)
    cl = claims(sts)
    assert cl and cl[0].speaker is not None and cl[0].speaker.key == speaker
    assert not disputes(sts)


# --- owners of claim nouns ------------------------------------------------------------------------


def test_quoted_claim_noun_keeps_its_owner(gaz: Gazetteer) -> None:
    d = disputes(
        extract_statements(
            item("La cancillería de Brasil rechazó las 'acusaciones' del gobierno argentino", language="es"),
            gaz,
        )
    )[0]
    assert d.target is not None and d.target.country == "ar" and d.target_kind == "official"


def test_english_claims_of_owner(gaz: Gazetteer) -> None:
    d = disputes(
        extract_statements(item("Residents contradict the claims of the Nigerian army", language="en"), gaz)
    )[0]
    assert d.target is not None and d.target.country == "ng" and d.target_kind == "official"


@pytest.mark.parametrize(
    ("title", "owner"),
    [
        ("Reporters question Sheinbaum's latest Pemex output claim", "Claudia Sheinbaum"),
        ("Analysts doubt the Kremlin's new NATO troop claim", "Kremlin"),
        ("Economists pick apart Milei's inflation claim", "Javier Milei"),
    ],
)
def test_a_possessive_owns_the_claim_noun_whatever_names_stand_between(
    gaz: Gazetteer, title: str, owner: str
) -> None:
    """In "A's latest B claim" the claim is A's; B says what it is about."""
    claims = [
        st for st in extract_statements(item(title, language="en"), gaz) if st.kind is StatementKind.CLAIM
    ]
    assert claims and claims[0].speaker is not None and claims[0].speaker.name == owner


def test_a_possessive_far_from_the_claim_noun_owns_nothing(gaz: Gazetteer) -> None:
    # many words between them: the possessive belongs to something else, and the claim to the
    # subject of its own clause
    title = "Sheinbaum's aides met reporters all day while Pemex claims record output"
    claims = [
        st for st in extract_statements(item(title, language="en"), gaz) if st.kind is StatementKind.CLAIM
    ]
    assert claims and claims[0].speaker is not None and claims[0].speaker.name == "Pemex"


def test_a_possessive_before_a_verb_of_saying_leaves_its_subject_the_speaker(gaz: Gazetteer) -> None:
    # "Brazil's audit court said": the court speaks, not the state its possessive names
    lead = "Brazil's Federal Court of Accounts said forest loss fell far less than announced."
    claims = [
        st
        for st in extract_statements(item("Audit court revises forest figures", lead, language="en"), gaz)
        if st.kind is StatementKind.CLAIM
    ]
    assert claims and claims[0].speaker is not None and claims[0].speaker.key == "br.tcu"


def test_reports_of_is_about_not_by(gaz: Gazetteer) -> None:
    """'reports of the police raid' are about the police, not the police's own reports."""
    ds = disputes(extract_statements(item("Mayor denies reports of the police raid", language="en"), gaz))
    assert not any(d.target is not None and d.target.type.value == "police" for d in ds)


# --- ministry metonyms ----------------------------------------------------------------------------


def test_spanish_ministry_metonym_with_context_country(gaz: Gazetteer) -> None:
    sts = extract_statements(
        item("El Defensor del Pueblo contradice a Interior sobre la frontera", language="es"), gaz
    )
    d = disputes(sts)[0]
    assert d.target is not None and d.target.type.value == "ministry" and d.target.country == "es"


@pytest.mark.parametrize(
    "text",
    [
        "Interior Design trends for the spring",
        "Sanidad Animal Galicia abre sus puertas",
        "la justicia de Interior",
    ],
)
def test_metonym_needs_a_country_and_no_following_name(gaz: Gazetteer, text: str) -> None:
    assert not [m for m in gaz.mentions(text) if m.actor.type.value == "ministry"]


# --- surnames in context --------------------------------------------------------------------------


def test_bare_surname_names_a_known_person_in_their_country(gaz: Gazetteer) -> None:
    text = "Johnson told MPs that every rule had been followed."
    assert [m.actor.key for m in gaz.mentions(text, country="gb")] == ["gb.johnson"]
    assert gaz.mentions(text, country="us") == []  # another country: another Johnson


@pytest.mark.parametrize("text", ["Jo Johnson told MPs.", "Johnson Matthey told investors."])
def test_surname_inside_another_name_is_not_the_person(gaz: Gazetteer, text: str) -> None:
    assert not [m for m in gaz.mentions(text, country="gb") if m.actor.key == "gb.johnson"]


# --- contrast and count cues ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "target_country"),
    [
        (
            "en",
            "Contrary to what the Brazilian health ministry said, hospitals were full, records show",
            "br",
        ),
        (
            "es",
            "A diferencia de lo que afirmó el Ministerio de Salud de Chile, los hospitales estaban llenos",
            "cl",
        ),
        ("fr", "Contrairement à ce qu'affirmait le gouvernement français, les hôpitaux étaient pleins", "fr"),
        (
            "pt",
            "Ao contrário do que disse o Ministério da Saúde do Brasil, os hospitais estavam lotados",
            "br",
        ),
        ("de", "Entgegen der Darstellung der französischen Regierung waren die Kliniken voll", "fr"),
    ],
)
def test_contrary_to_what_x_said(gaz: Gazetteer, language: str, title: str, target_country: str) -> None:
    ds = disputes(extract_statements(item(title, language=language), gaz))
    assert ds and ds[0].kind is StatementKind.DENIAL
    assert ds[0].target is not None and ds[0].target.country == target_country
    assert ds[0].speaker is None or ds[0].speaker.country != target_country


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "Only 900 forged passes were found, far below the 20,000 claimed by the French interior minister.",
        ),
        (
            "fr",
            "Seuls 900 faux billets ont été trouvés, très loin des 20 000 avancés par le ministre de l'Intérieur.",
        ),
        (
            "es",
            "Solo se hallaron 900 pases, muy lejos de los 20.000 anunciados por el Ministerio del Interior.",
        ),
        ("pt", "Só 900 passes foram achados, muito longe dos 20 mil anunciados pelo Ministério da Justiça."),
    ],
)
def test_far_from_the_figure_claimed_by(language: str, text: str) -> None:
    cues = [c for c in find_cues(text, language) if c.kind is CueKind.DENIAL]
    assert cues and cues[0].active  # a nearby "fake tickets" does not make it another sense


def test_contrast_without_an_actor_is_no_dispute(gaz: Gazetteer) -> None:
    sts = extract_statements(item("Contrary to what many expect, the river rose slowly", language="en"), gaz)
    assert not any(d.target is not None for d in disputes(sts))


# --- toll revisions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("es", "La ONU ajusta a la baja el número de muertos por las inundaciones"),
        ("es", "La OMS rebaja la cifra de fallecidos del brote"),
        ("en", "UN agency revises flood death toll down by two thirds"),
    ],
)
def test_downward_toll_revisions_are_corrections(gaz: Gazetteer, language: str, title: str) -> None:
    ds = disputes(extract_statements(item(title, language=language), gaz))
    assert ds and ds[0].kind is StatementKind.CORRECTION


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("es", "El gobierno ajusta al alza la cifra de muertos por el sismo"),
        ("en", "Ministry revises quake death toll up to 300"),
    ],
)
def test_rising_tolls_are_routine_updates(gaz: Gazetteer, language: str, title: str) -> None:
    assert not disputes(extract_statements(item(title, language=language), gaz))


# --- titled officials the gazetteer does not know --------------------------------------------------


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        ("DHS rejects Congressman Tom Reyes's claim about crossings", "DHS", "Tom Reyes"),
        ("El diputado Juan Pérez desmiente al gobernador Samuel Ortiz", "Juan Pérez", "Samuel Ortiz"),
        ("Army spokesman Col. Ahmed Ali denies civilian deaths in the raid", "Ahmed Ali", None),
        ("Gov. Greg Tallis's claim about migrants is false, says White House", "White House", "Greg Tallis"),
    ],
)
def test_titled_names_speak_and_are_answered(
    gaz: Gazetteer, title: str, speaker: str, target: str | None
) -> None:
    d = disputes(extract_statements(item(title), gaz))[0]
    assert d.speaker is not None and speaker in d.speaker_text + d.speaker.name
    if target is None:
        assert d.target is None
    else:
        assert d.target is not None and d.target.name == target


def test_a_known_official_keeps_their_entry_behind_a_title(gaz: Gazetteer) -> None:
    d = disputes(extract_statements(item("Defense Secretary Lloyd Austin denies the report"), gaz))[0]
    assert d.speaker is not None and d.speaker.key == "us.austin"


@pytest.mark.parametrize(
    ("title", "target", "kind"),
    [
        ("Moscow denies alleged losses near the border", "ua.poroshenko", "official"),
        # a rumour proper is not pinned on the item's claimant
        ("Moscow denies viral rumour of alleged losses", None, "rumour"),
    ],
)
def test_an_alleged_thing_was_alleged_by_the_items_claimant(
    gaz: Gazetteer, title: str, target: str | None, kind: str
) -> None:
    lead = "Ukraine's president Petro Poroshenko said his army destroyed a column of armoured vehicles."
    d = disputes(extract_statements(item(title, lead), gaz))[0]
    assert (d.target.key if d.target else None) == target
    assert d.target_kind == kind


@pytest.mark.parametrize(
    ("title", "owner"),
    [
        ("Peru's government rejects the UN report on the protests", "un"),
        ("Gobierno de Perú rechaza informe de la ONU sobre las protestas", "un"),
        ("Le gouvernement péruvien conteste le rapport de l'ONU", "un"),
        ("Governo do Peru rebate relatório da ONU", "un"),
    ],
)
def test_a_report_is_its_authors_claim_in_each_language(gaz: Gazetteer, title: str, owner: str) -> None:
    d = disputes(extract_statements(item(title), gaz))[0]
    assert d.target is not None and d.target.key == owner


def test_the_office_before_a_name_is_not_part_of_it(gaz: Gazetteer) -> None:
    sts = extract_statements(
        item(
            "La cancillería venezolana calificó de falsas las declaraciones del secretario de Estado Marco Rubio"
        ),
        gaz,
    )
    d = disputes(sts)[0]
    assert d.target is not None and d.target.key == "us.rubio"


@pytest.mark.parametrize(
    ("title", "speaker", "target"),
    [
        ("Pentagon's account contradicted by Afghan officials", "af.gov", "us.dod"),
        ("Versión de la Sedena, desmentida por la CNDH", "mx.cndh", "mx.sedena"),
        ("ICE's claim was false, the Mexican president said Friday", "mx.president", "us.ice"),
    ],
)
def test_headline_passives_and_claim_nouns(gaz: Gazetteer, title: str, speaker: str, target: str) -> None:
    d = disputes(extract_statements(item(title), gaz))[0]
    assert d.speaker is not None and d.speaker.key == speaker
    assert d.target is not None and d.target.key == target


@pytest.mark.parametrize(
    ("title", "language"),
    [
        ("\u00abEs falso\u00bb, respondió el Ministerio de Defensa de Chile", "es"),
        ('"This is untrue," replied the Foreign Office', "en"),
        ("Laut Innenministerium sind die Angaben der Polizei falsch", "de"),
    ],
)
def test_replies_and_verb_second_denials_have_a_speaker(gaz: Gazetteer, title: str, language: str) -> None:
    d = disputes(extract_statements(item(title, language=language), gaz))[0]
    assert d.speaker is not None


def test_a_dash_credit_ends_a_headline(gaz: Gazetteer) -> None:
    d = disputes(
        extract_statements(item("Russia's claim of a captured village is untrue \u2013 Ukrainian army"), gaz)
    )[0]
    assert d.speaker is not None and d.speaker.key == "ua.armed_forces"
    assert d.target is not None and d.target.key == "ru.gov"
    # A news agency after the dash is the source of the story, not the speaker.
    d = disputes(extract_statements(item("Report of a second raid is false - Reuters"), gaz))[0]
    assert d.speaker is None


@pytest.mark.parametrize(
    ("text", "speaker", "target"),
    [
        (
            "The French army said the drone strike announced by the defence minister had not taken place.",
            "fr.armees",
            "fr.ministry.defence.minister",
        ),
        (
            'The Kremlin dismissed as "fake" statements by Ukraine\'s air force that it had downed three jets.',
            "ru.kremlin",
            "ua.armed_forces",
        ),
        (
            "Mexico's president rejected a claim by US Immigration and Customs Enforcement that its agents led the raid.",
            "mx.president",
            "us.ice",
        ),
    ],
)
def test_owners_of_what_is_denied(gaz: Gazetteer, text: str, speaker: str, target: str) -> None:
    d = disputes(extract_statements(item("Official statement questioned", text), gaz))[0]
    assert d.speaker is not None and d.speaker.key == speaker
    assert d.target is not None and d.target.key == target


@pytest.mark.parametrize(
    ("title", "language", "speaker", "target"),
    [
        ("La version du ministère russe de la Défense contredite par l'ONU", "fr", "un", "ru.mod"),
        ("Versão do Exército contestada pelo Ministério da Saúde do Brasil", "pt", "br.health", "br.army"),
        ("Russia's Defence Ministry's Kupiansk claims dismissed by Kyiv", "en", "ua.gov", "ru.mod"),
        ("Israelische Armee weist Angaben der Hamas zurück", "de", "il.idf", "ag.hamas"),
        ("La Embajada de EE.UU. en México desmiente a la Sedena", "es", "us.embassy_mx", "mx.sedena"),
        ("\u201eDas ist falsch\u201c, sagt das Verteidigungsministerium", "de", "de.bmvg", None),
        # a report of no named origin is not pinned on the country it is about
        ("Pentagon rebuts report on Syria pullout", "en", "us.dod", None),
    ],
)
def test_passives_quotes_and_owners_across_languages(
    gaz: Gazetteer, title: str, language: str, speaker: str, target: str | None
) -> None:
    d = disputes(extract_statements(item(title, language=language), gaz))[0]
    assert d.speaker is not None and d.speaker.key == speaker
    assert (d.target.key if d.target else None) == target


@pytest.mark.parametrize(
    ("title", "text", "language", "speaker", "target"),
    [
        (
            "Israeli army says 12 rockets were fired, not 40 as Hezbollah claimed",
            "",
            "en",
            "il.idf",
            "ag.hezbollah",
        ),
        (
            "Moscow answers Kyiv",
            "The Kremlin said Ukraine's armed forces had given a false account of the strike.",
            "en",
            "ru.kremlin",
            "ua.armed_forces",
        ),
        (
            "Sheinbaum: es falso lo que dijo el Departamento de Estado sobre las aduanas",
            "",
            "es",
            "mx.sheinbaum",
            "us.state",
        ),
        (
            "Alexandre de Moraes desmente versão de Bolsonaro sobre a reunião",
            "",
            "pt",
            "br.moraes",
            "br.bolsonaro",
        ),
        (
            "Governo venezuelano acusa o Itamaraty de mentir sobre diplomatas",
            "",
            "pt",
            "ve.gov",
            "br.itamaraty",
        ),
    ],
)
def test_more_owners_of_what_is_denied(
    gaz: Gazetteer, title: str, text: str, language: str, speaker: str, target: str
) -> None:
    d = disputes(extract_statements(item(title, text, language=language), gaz))[0]
    assert d.speaker is not None and d.speaker.key == speaker
    assert d.target is not None and d.target.key == target


def test_it_said_continues_the_actor_the_sentence_before_opened_with(gaz: Gazetteer) -> None:
    text = (
        "Brazil's health ministry issued a note on Monday. It said a claim by the World Health "
        "Organization that dengue cases had doubled was false."
    )
    d = disputes(extract_statements(item("Dengue figures questioned", text), gaz))[0]
    assert d.speaker is not None and d.speaker.key == "br.health"
    assert d.target is not None and d.target.key == "who"


def test_an_expletive_it_or_a_member_does_not_speak_for_the_body(gaz: Gazetteer) -> None:
    text = "The foreign ministry met the envoy on Monday. It has been said that the report is false."
    assert all(d.speaker is None for d in disputes(extract_statements(item("Envoy visit", text), gaz)))
    sts = extract_statements(
        item(
            "El Congreso tumba la moción de censura",
            "El Pleno rechaza la moción por 82 votos; un diputado corrige su voto al final.",
            language="es",
        ),
        gaz,
    )
    assert all(s.speaker is None or s.speaker.type.value != "legislature" for s in disputes(sts))


@pytest.mark.parametrize(
    ("title", "text", "language"),
    [
        (
            "Kremlin answers tabloid",
            'The Kremlin dismissed as "pure fiction" a British tabloid report on the president.',
            "en",
        ),
        ("Repsol responde", "Repsol desmintió que esté negociando la venta de sus activos en México.", "es"),
        (
            "Auswärtiges Amt",
            "Das Auswärtige Amt hat einen Bericht zurückgewiesen, wonach Diplomaten in Doha verhandelt hätten.",
            "de",
        ),
    ],
)
def test_a_place_in_a_denied_report_is_not_its_author(
    gaz: Gazetteer, title: str, text: str, language: str
) -> None:
    for d in disputes(extract_statements(item(title, text, language=language), gaz)):
        assert d.target is None or d.target.type.value != "government"


@pytest.mark.parametrize(
    ("title", "language", "speaker"),
    [
        ("The allegation is false, according to a statement from Nigeria's army", "en", "ng.dhq"),
        (
            "Selon le ministère de l'Intérieur du Maroc, les chiffres d'Amnesty sont « totalement infondés »",
            "fr",
            "ma.ministry.interior",
        ),
    ],
)
def test_according_to_a_statement_from(gaz: Gazetteer, title: str, language: str, speaker: str) -> None:
    d = disputes(extract_statements(item(title, language=language), gaz))[0]
    assert d.speaker is not None and d.speaker.key == speaker


def test_the_white_house_is_not_a_chamber_that_votes(gaz: Gazetteer) -> None:
    d = disputes(extract_statements(item("White House rejects Russia's claim about the talks"), gaz))[0]
    assert d.speaker is not None and d.speaker.key == "us.white_house"
    assert d.target is not None and d.target.key == "ru.gov"


@pytest.mark.parametrize(
    ("title", "text", "language", "speaker", "target"),
    [
        ("Israel and Hamas deny Qatar's statement on the truce draft", "", "en", "il.gov", "qa.gov"),
        ("Bolivia y Perú niegan haber cerrado la frontera", "", "es", "bo.gov", None),
        (
            "Kanzleramt",
            "Das Kanzleramt hat einen Zeitungsbericht über ein Treffen mit Viktor Orbán dementiert.",
            "de",
            "de.gov",
            None,
        ),
        (
            "Kenya's interior ministry denies police fired live rounds at protesters",
            "",
            "en",
            "ke.ministry.interior",
            None,
        ),
        (
            "Castro rumours",
            "The Cuban government disputed the report, according to AFP's correspondent in Havana.",
            "en",
            "cu.gov",
            None,
        ),
    ],
)
def test_joined_subjects_perfect_tense_and_content_clauses(
    gaz: Gazetteer, title: str, text: str, language: str, speaker: str, target: str | None
) -> None:
    d = disputes(extract_statements(item(title, text, language=language), gaz))[0]
    assert d.speaker is not None and d.speaker.key == speaker
    assert (d.target.key if d.target else None) == target


@pytest.mark.parametrize(
    ("title", "language"),
    [
        ("El Senado rechaza la reforma del sistema de pensiones", "es"),
        ("Senado rejeita projeto que amplia o porte de armas", "pt"),
        ("Le gouvernement rejette l'initiative populaire sur les retraites", "fr"),
        ("Anvisa nega registro de vacina importada", "pt"),
        ("Governor denies clemency to inmate on death row", "en"),
        ("Chile's Senate rejects pension overhaul by 26 votes to 21", "en"),
        ("Sinner denies Alcaraz a third straight Rome title", "en"),
        ("Health insurer denied nearly a third of in-network claims", "en"),
        ("Câmara rejeita PEC que limitava decisões do STF", "pt"),
        ("VAR denies City a late winner against Arsenal", "en"),
        ("Governor rejects calls to resign over the scandal", "en"),
        ("Agency denied their aid claims after the floods", "en"),
        ("Climate denial is spreading online, study finds", "en"),
    ],
)
def test_votes_refusals_sport_and_denialism_are_not_disputes(
    gaz: Gazetteer, title: str, language: str
) -> None:
    assert not disputes(extract_statements(item(title, language=language), gaz))


@pytest.mark.parametrize(
    ("title", "language", "speaker", "target", "kind"),
    [
        (
            "Moskau weist Vorwürfe der Bundesregierung zu Cyberangriff zurück",
            "de",
            "ru.gov",
            "de.bundesregierung",
            "official",
        ),
        ("Les révélations du Canard enchaîné démenties par Matignon", "fr", "fr.gov", None, "media"),
        ("Reports of Dhaka curfew denied by Bangladesh police", "en", "bd.police", None, "media"),
    ],
)
def test_passive_agents_and_named_governments(
    gaz: Gazetteer, title: str, language: str, speaker: str, target: str | None, kind: str
) -> None:
    d = disputes(extract_statements(item(title, language=language), gaz))[0]
    assert d.speaker is not None and d.speaker.key == speaker
    assert (d.target.key if d.target else None) == target
    assert d.target_kind == kind


@pytest.mark.parametrize(
    "title",
    ["USGS corrects location of Alaska earthquake", "Transport minister corrects rail strike timeline"],
)
def test_corrections_of_details(gaz: Gazetteer, title: str) -> None:
    assert disputes(extract_statements(item(title), gaz))[0].kind is StatementKind.CORRECTION


def test_a_countrys_possessive_introduces_the_claimant(gaz: Gazetteer) -> None:
    text = "The Pentagon disputed claims by Yemen's Houthi rebels that they had struck the carrier."
    for d in disputes(extract_statements(item("Pentagon disputes claim", text), gaz)):
        assert d.target is not None and d.target.key == "ag.houthis"
