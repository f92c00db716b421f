"""Who said what: statements from official and news items, in five languages.

Every fixture sentence is written for these tests (the reference story retold in our own words).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.detect.actors import Gazetteer
from bot.detect.statements import extract_statements
from bot.types import FeedKind, Item, Statement, StatementKind

DISPUTE = {StatementKind.DENIAL, StatementKind.RETRACTION, StatementKind.CORRECTION}
DEV_CASES = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev-cases"


def item(
    title: str,
    text: str = "",
    *,
    language: str | None = None,
    official_actor: str | None = None,
    item_id: int = 1,
) -> Item:
    return Item(
        id=item_id, feed_id=1, guid=f"g{item_id}", link=f"https://news.example/{item_id}", title=title, text=text,
        published=datetime(2025, 5, 15, 14, tzinfo=UTC), first_seen=datetime(2025, 5, 15, 14, 5, tzinfo=UTC),
        content_hash=f"h{item_id}", language=language,
        feed_kind=FeedKind.OFFICIAL if official_actor else FeedKind.NEWS, feed_actor=official_actor,
        feed_name="Example feed",
    )  # fmt: skip


def disputes(sts: list[Statement]) -> list[Statement]:
    return [s for s in sts if s.kind in DISPUTE]


def read(gaz: Gazetteer, title: str, text: str = "", *, language: str | None = "en") -> list[Statement]:
    """The disputes a news item with this headline (and lead) reports."""
    return disputes(extract_statements(item(title, text, language=language), gaz))


def only_dispute(sts: list[Statement]) -> Statement:
    ds = disputes(sts)
    assert ds, f"no dispute statement in {sts}"
    return ds[0]


# --- the reference story ----------------------------------------------------------------------


def test_reference_claim_from_the_official_feed(gaz: Gazetteer) -> None:
    claim = item(
        "Three synthetic-drug labs taken down in Sinaloa",
        "An operation led by our HSI vetted unit, with help from Mexican agencies, took three large labs offline.",
        language="en",
        official_actor="ICE",
    )
    sts = extract_statements(claim, gaz)
    assert len(sts) == 1
    s = sts[0]
    assert s.kind is StatementKind.CLAIM
    assert s.speaker is not None and s.speaker.key == "us.ice" and s.speaker.official
    assert "Sinaloa" in s.quote
    assert s.score >= 0.8


def test_reference_denial_reports_both_sides(gaz: Gazetteer) -> None:
    news = item(
        "Sheinbaum rejects ICE's post that its agents led Sinaloa lab raids",
        "At her morning briefing the president said no U.S. agency personnel are allowed to take part in "
        "operations on Mexican soil. U.S. agencies share intelligence and the FGR acts on it, she said.",
        language="en",
    )
    sts = extract_statements(news, gaz)
    denial = only_dispute(sts)
    assert denial.kind is StatementKind.DENIAL
    assert denial.speaker is not None and denial.speaker.key == "mx.sheinbaum"
    assert denial.speaker.type.value == "head_of_state" and denial.speaker.country == "mx"
    assert denial.target is not None and denial.target.key == "us.ice"
    assert denial.target_kind == "official"
    assert denial.cue == "rejects"
    assert denial.denied and "Sinaloa" in denial.denied
    # The reported claim comes back as ICE's CLAIM, so one item can build a dispute.
    claims = [s for s in sts if s.kind is StatementKind.CLAIM and s.speaker and s.speaker.key == "us.ice"]
    assert claims and "Sinaloa lab raids" in claims[0].quote
    assert 0 < claims[0].score < denial.score <= 1


def test_reference_embassy_backs_the_president(gaz: Gazetteer) -> None:
    later = item(
        "U.S. Embassy in Mexico calls ICE post on Sinaloa labs inaccurate",
        "The embassy said Mexican authorities carried out the operation with intelligence shared by Washington.",
        language="en",
    )
    denial = only_dispute(extract_statements(later, gaz))
    assert denial.kind is StatementKind.DENIAL
    assert denial.speaker is not None and denial.speaker.key == "us.embassy_mx"
    assert denial.target is not None and denial.target.key == "us.ice"


def test_reference_denial_in_spanish(gaz: Gazetteer) -> None:
    news = item(
        "Sheinbaum desmiente a ICE sobre laboratorios en Sinaloa",
        "La presidenta afirmó que ningún agente estadounidense participa en operativos en territorio mexicano.",
        language="es",
    )
    denial = only_dispute(extract_statements(news, gaz))
    assert denial.speaker is not None and denial.speaker.key == "mx.sheinbaum"
    assert denial.target is not None and denial.target.key == "us.ice"


# --- attribution in each language -------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "speaker", "target"),
    [
        ("en", "Kremlin dismisses Kyiv's account of the bridge attack as propaganda", "ru.kremlin", "ua.gov"),
        ("en", "India rejects Canada's allegations over activist's killing", "in.gov", "ca.gov"),
        (
            "es",
            "La Cancillería colombiana rechaza las acusaciones del gobierno venezolano",
            "co.cancilleria",
            "ve.gov",
        ),
        (
            "es",
            "Padrino López califica de falsas las denuncias de Colombia sobre una incursión",
            "ve.padrino",
            "co.gov",
        ),
        ("fr", "Paris dément les accusations de la junte nigérienne", "fr.gov", "ne.regime"),
        ("fr", "Le Quai d'Orsay conteste la version de Moscou", "fr.mfa", "ru.gov"),
        ("de", "Das Auswärtige Amt weist Moskaus Darstellung zurück", "de.aa", "ru.gov"),
        ("de", "Bundesregierung widerspricht Angaben des Kremls", "de.bundesregierung", "ru.kremlin"),
        ("pt", "TSE desmente Bolsonaro sobre urnas eletrônicas", "br.tse", "br.bolsonaro"),
        ("pt", "Itamaraty rebate declarações do governo argentino", "br.itamaraty", "ar.gov"),
    ],
)
def test_denial_attribution_each_language(
    gaz: Gazetteer, language: str, title: str, speaker: str, target: str
) -> None:
    d = only_dispute(extract_statements(item(title, language=language), gaz))
    assert d.kind is StatementKind.DENIAL
    assert d.speaker is not None and d.speaker.key == speaker
    assert d.target is not None and d.target.key == target
    assert d.target_kind == "official"


@pytest.mark.parametrize(
    ("language", "title", "speaker"),
    [
        ("en", "Pentagon says the strike killed a senior militant commander", "us.dod"),
        ("en", "The strike killed a senior commander, according to the Pentagon", "us.dod"),
        ("es", "Según la Sedena, el operativo terminó sin bajas civiles", "mx.sedena"),
        ("es", "El Ministerio de Salud de Brasil afirmó que hubo 25 muertes", "br.health"),
        ("fr", "Selon l'Élysée, la rencontre aura lieu mardi", "fr.elysee"),
        ("de", "Laut Bundesregierung wird das Treffen verschoben", "de.bundesregierung"),
        ("de", "Der Bundeswehr zufolge wurde niemand verletzt", "de.bundeswehr"),
        ("pt", "Segundo o Itamaraty, a reunião foi cancelada", "br.itamaraty"),
        ("es", "Nos rodeó una fuerza mayor: Sedena", "mx.sedena"),
    ],
)
def test_claim_attribution_each_language(gaz: Gazetteer, language: str, title: str, speaker: str) -> None:
    sts = extract_statements(item(title, language=language), gaz)
    claims = [s for s in sts if s.kind is StatementKind.CLAIM]
    assert claims and claims[0].speaker is not None and claims[0].speaker.key == speaker
    assert not disputes(sts)


# --- retractions and corrections by the source itself ------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "speaker"),
    [
        ("en", "Nigerian army retracts statement on freed schoolgirls", "ng.dhq"),
        ("en", "WHO walks back remark on spread by people without symptoms", "who"),
        ("es", "Carabineros se retracta de su versión sobre la caída del joven", "cl.carabineros"),
        ("fr", "La préfecture du Bas-Rhin rectifie le bilan de l'attaque", "fr.prefecture_bas_rhin"),
        ("de", "Polizei Köln korrigiert sich: weniger Beamte im Einsatz", "de.polizei_koeln"),
        ("pt", "Ministério da Saúde corrige números de mortes divulgados", "br.health"),
    ],
)
def test_own_side_retractions(gaz: Gazetteer, language: str, title: str, speaker: str) -> None:
    d = only_dispute(extract_statements(item(title, language=language), gaz))
    assert d.kind in (StatementKind.RETRACTION, StatementKind.CORRECTION)
    assert d.speaker is not None and d.speaker.key == speaker
    assert d.target == d.speaker  # the speaker's own earlier statement
    assert d.target_kind == "official"


def test_correcting_someone_else_is_a_contradiction(gaz: Gazetteer) -> None:
    d = only_dispute(
        extract_statements(item("National Weather Service corrects Trump on storm path", language="en"), gaz)
    )
    assert d.kind is StatementKind.DENIAL
    assert d.speaker is not None and d.speaker.key == "us.nws"
    assert d.target is not None and d.target.key == "us.trump"


def test_official_feed_retraction(gaz: Gazetteer) -> None:
    post = item(
        "Correction: yesterday's toll was wrong",
        "We retract the figure published yesterday; the correct number is 47.",
        language="en",
        official_actor="Préfecture du Bas-Rhin",
    )
    d = only_dispute(extract_statements(post, gaz))
    assert d.kind in (StatementKind.RETRACTION, StatementKind.CORRECTION)
    assert d.speaker is not None and d.speaker.key == "fr.prefecture_bas_rhin"


def test_unknown_official_feed_actor_is_an_official(gaz: Gazetteer) -> None:
    sts = extract_statements(
        item("Water restored in the north district", official_actor="Riverside Water Board"), gaz
    )
    assert sts[0].kind is StatementKind.CLAIM
    assert sts[0].speaker is not None and sts[0].speaker.official
    assert sts[0].speaker.name == "Riverside Water Board"


# --- official vs non-official targets ----------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "kind"),
    [
        ("en", "Minister denies a local newspaper report that he was told to drop the probe", "media"),
        ("en", "Finance ministry dismisses social media rumours of the minister's resignation", "rumour"),
        ("en", "Presidency says a viral letter attributed to the president is a hoax", "rumour"),
        ("es", "Presidencia desmiente un falso comunicado que circula en redes sociales", "rumour"),
        ("es", "El gobierno califica de invento las revelaciones periodísticas sobre contratos", "media"),
        ("fr", "Le ministère de la Santé dément une infox sur un plan de déconfinement", "rumour"),
        ("de", "Das Verteidigungsministerium dementiert Berichte russischer Staatsmedien", "media"),
        ("pt", "Ministério desmente notícia falsa sobre vacinas", "rumour"),
        ("es", "La Cancillería desmiente al candidato presidencial sobre una oferta de vacunas", "person"),
    ],
)
def test_non_official_targets_are_marked(gaz: Gazetteer, language: str, title: str, kind: str) -> None:
    sts = extract_statements(item(title, language=language), gaz)
    denial = only_dispute(sts)
    assert denial.kind is StatementKind.DENIAL
    assert denial.speaker is not None and denial.speaker.official
    assert denial.target_kind == kind
    assert denial.target is None or not denial.target.official
    # No claim is invented for a non-official target.
    assert not [
        s for s in sts if s.kind is StatementKind.CLAIM and s.speaker and s.target is None and s.cue is None
    ]


def test_denying_an_armed_group_claim_is_not_official(gaz: Gazetteer) -> None:
    d = only_dispute(
        extract_statements(item("Israel's military denies Hamas claim about hostages", language="en"), gaz)
    )
    assert d.target is not None and d.target.key == "ag.hamas"
    assert d.target_kind == "armed_group"
    assert not d.target.official


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Judge denies bail to two men accused of arson"),
        ("en", "Club rejects second bid for its top scorer"),
        ("en", "Senate rejects budget bill in late-night vote"),
        ("en", "Ministry declined to comment on the report"),
        ("en", "Pentagon cannot confirm or deny the commander's death"),
        ("es", "Bomberos acuden a un incendio que resultó falsa alarma"),
        ("es", "El vocero ni confirmó ni desmintió la versión del diario"),
        ("fr", "Le tribunal rejette la demande de mise en liberté"),
        ("de", "Gericht weist Klage der Stadt zurück"),
        ("pt", "Juiz nega pedido de liberdade ao acusado"),
        ("en", "Health ministry confirms first case of the virus"),
    ],
)
def test_no_dispute_statement_for_other_senses_and_hedges(gaz: Gazetteer, language: str, title: str) -> None:
    sts = extract_statements(item(title, language=language), gaz)
    assert not [s for s in disputes(sts) if s.target is not None and s.target.official]


def test_statements_carry_language_quote_and_bounded_score(gaz: Gazetteer) -> None:
    sts = extract_statements(
        item("Paris dément les accusations de la junte", "Le ministère a parlé d'intox.", language="fr-FR"),
        gaz,
    )
    assert sts
    for s in sts:
        assert s.item_id == 1
        assert 0.0 < s.score <= 1.0
        assert s.quote
        assert s.language in ("fr", "en")


# --- the dev set, loaded at run time (never copied) -------------------------------------------


@pytest.mark.skipif(
    not (DEV_CASES / "distractors.jsonl").is_file(), reason="../shared/data/dev-cases not present"
)
def test_dev_set_floors(gaz: Gazetteer) -> None:
    """Regression floors on the visible dev set: recall of official-target disputes, no false ones
    on other-sense and unrelated distractors."""

    def as_item(i: int, row: dict) -> Item:
        return item(row["title"], row.get("summary", ""), language=row.get("language"), item_id=i)

    def hit(sts: list[Statement]) -> bool:
        return any(s.kind in DISPUTE and s.target is not None and s.target.official for s in sts)

    cases = [json.loads(x) for x in (DEV_CASES / "cases.jsonl").read_text().splitlines() if x.strip()]
    rows = [d for c in cases for d in c["denials"]]
    found = sum(hit(extract_statements(as_item(i, r), gaz)) for i, r in enumerate(rows))
    assert found / len(rows) >= 0.5
    distractors = [
        json.loads(x) for x in (DEV_CASES / "distractors.jsonl").read_text().splitlines() if x.strip()
    ]
    strict = [
        d for d in distractors if d["distractor_type"] in ("other-sense-denied-rejected-false", "unrelated")
    ]
    assert not [
        d["distractor_id"] for i, d in enumerate(strict) if hit(extract_statements(as_item(i, d), gaz))
    ]
    false = sum(hit(extract_statements(as_item(i, d), gaz)) for i, d in enumerate(distractors))
    assert false / len(distractors) <= 0.08


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Police deny claims by protesters that officers used tear gas", "person"),
        ("Interior ministry dismisses Amnesty report on prison deaths", "other"),
        ("Singer's representative denies dating rumours", "rumour"),
    ],
)
def test_more_non_official_targets(gaz: Gazetteer, title: str, kind: str) -> None:
    d = only_dispute(extract_statements(item(title, language="en"), gaz))
    assert d.target_kind == kind
    assert d.target is None or not d.target.official


def test_policy_rejections_are_not_disputes(gaz: Gazetteer) -> None:
    assert not disputes(
        extract_statements(item("Kyiv rejects Moscow's ceasefire proposal", language="en"), gaz)
    )


def test_a_clause_after_deny_is_still_a_denial(gaz: Gazetteer) -> None:
    d = only_dispute(
        extract_statements(
            item("The foreign ministry denied it had received any request", language="en"), gaz
        )
    )
    assert d.kind is StatementKind.DENIAL and d.target is None


def test_official_feed_actor_may_be_a_gazetteer_key(gaz: Gazetteer) -> None:
    sts = extract_statements(item("Labs dismantled in joint operation", official_actor="us.ice"), gaz)
    assert sts[0].speaker is not None and sts[0].speaker.key == "us.ice"


@given(
    st.text(max_size=160),
    st.text(max_size=400),
    st.sampled_from(["en", "es", "fr", "de", "pt", None]),
    st.booleans(),
)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_extract_statements_never_fails(
    gaz: Gazetteer, title: str, text: str, language: str | None, official: bool
) -> None:
    sts = extract_statements(
        item(title, text, language=language, official_actor="ICE" if official else None), gaz
    )
    for s in sts:
        assert 0.0 <= s.score <= 1.0
        assert s.kind in StatementKind
        if s.kind is StatementKind.DENIAL and s.target is not None:
            assert s.target_kind in ("official", "media", "armed_group", "person", "other")


# --- whose admission, whose claim -------------------------------------------------------------


def test_an_admission_counts_only_for_its_own_subject(gaz: Gazetteer) -> None:
    sts = extract_statements(
        item(
            "Outrage", "A gossip blog from the US drew anger after its author admitted inventing the quote."
        ),
        gaz,
    )
    assert all(s.speaker is None for s in disputes(sts))


def test_an_official_admission_keeps_its_speaker(gaz: Gazetteer) -> None:
    st_ = only_dispute(
        extract_statements(item("The Pentagon on Friday admitted that the raid hit a school."), gaz)
    )
    assert st_.kind is StatementKind.RETRACTION and st_.speaker is not None
    assert st_.speaker.key == "us.dod"


def test_the_writers_own_verdict_takes_no_target_from_another_sentence(gaz: Gazetteer) -> None:
    sts = extract_statements(
        item(
            "Viral clip",
            "The interior ministry said on Monday that storms would hit the coast. "
            "Separately, a clip of a shark swimming down a motorway went viral. The clip is fake.",
        ),
        gaz,
    )
    fake = [s for s in disputes(sts) if s.cue == "is fake"]
    assert fake and all(s.target is None for s in fake)


def test_an_agency_saying_a_firm_made_misleading_statements_disputes_the_firm(gaz: Gazetteer) -> None:
    st_ = only_dispute(
        extract_statements(
            item(
                "Regulator letter",
                "NHTSA's letter says Tesla made misleading statements about crash ratings.",
            ),
            gaz,
        )
    )
    assert st_.kind is StatementKind.DENIAL
    assert st_.speaker is not None and st_.speaker.name == "National Highway Traffic Safety Administration"
    assert st_.target is not None and st_.target.name == "Tesla"


def test_an_actor_after_by_is_not_the_speaker(gaz: Gazetteer) -> None:
    sts = extract_statements(
        item(
            "Hostage",
            "The aid worker who was said to be held by ISIS says reports of her capture are untrue.",
        ),
        gaz,
    )
    assert all(s.speaker is None or s.speaker.key != "ag.isis" for s in disputes(sts))


def test_background_deep_in_a_long_article_is_not_read(gaz: Gazetteer) -> None:
    filler = " ".join(f"Paragraph {i} describes the harbour and its boats." for i in range(1, 20))
    text = f"{filler} Back in 2019 the navy denied the ferry report."
    assert disputes(extract_statements(item("Harbour life", text), gaz)) == []
    assert disputes(extract_statements(item("Harbour life", "The navy denied the ferry report."), gaz))


def test_who_is_warned_or_told_is_not_the_speaker(gaz: Gazetteer) -> None:
    assert extract_statements(item("Smugglers are using the new port, Interpol is warned"), gaz) == []


def test_a_new_subject_does_not_inherit_the_headlines_speaker(gaz: Gazetteer) -> None:
    sts = extract_statements(
        item(
            "Pentagon says drone strike hit a depot",
            "A local farmer who lives near the depot later posted a video debunking reports of the blast. "
            "The spokesman also denied reports of civilian deaths.",
        ),
        gaz,
    )
    by_cue = {s.cue: s for s in disputes(sts)}
    assert by_cue["debunking"].speaker is None
    assert by_cue["denied"].speaker is not None and by_cue["denied"].speaker.key == "us.dod"


def test_a_quotation_is_credited_to_whoever_is_said_to_have_said_it(gaz: Gazetteer) -> None:
    st_ = only_dispute(
        extract_statements(
            item(
                "Border",
                "“The claim that ISIS fighters crossed the border is false,” said a DHS spokeswoman.",
            ),
            gaz,
        )
    )
    assert st_.speaker is not None and st_.speaker.key == "us.dhs"


def test_media_reports_are_not_a_claim_by_whoever_looks_into_them(gaz: Gazetteer) -> None:
    sts = extract_statements(item("WHO looks into media reports of cholera in the port city"), gaz)
    assert [s for s in sts if s.kind is StatementKind.CLAIM] == []


def test_what_a_fake_video_shows_is_not_who_calls_it_fake(gaz: Gazetteer) -> None:
    sts = extract_statements(
        item("Clip", "A clip showing President Sheinbaum tripping on stage is fake."), gaz
    )
    assert all(s.speaker is None for s in disputes(sts))


def test_a_headline_credit_names_who_calls_it_false(gaz: Gazetteer) -> None:
    st_ = only_dispute(
        extract_statements(item("Pentagon: Report of a second strike on the port is false"), gaz)
    )
    assert st_.speaker is not None and st_.speaker.key == "us.dod"


def test_a_headline_setting_a_toll_right_answers_the_one_official_the_item_names(gaz: Gazetteer) -> None:
    st_ = only_dispute(
        extract_statements(
            item(
                "Storm toll is 12 dead, not 18",
                "A count by the news agency across the hospitals finds 12 deaths; the interior ministry "
                "of Portugal did not comment on the gap.",
            ),
            gaz,
        )
    )
    assert (
        st_.kind is StatementKind.DENIAL
        and st_.target is not None
        and st_.target.key == "pt.ministry.interior"
    )


def test_a_toll_set_against_a_reports_figure_is_not_an_officials_claim(gaz: Gazetteer) -> None:
    sts = extract_statements(
        item(
            "Police chief says 12, not 18, died in the protests",
            "The police call a rights group's report of 18 deaths an exaggeration.",
        ),
        gaz,
    )
    assert all(s.target is None or not s.target.official for s in disputes(sts))


@pytest.mark.parametrize(
    ("title", "text", "language", "key"),
    [
        (
            "Relief agency gives its own toll",
            "The relief agency puts the dead at 1,210, after the UN's report of 2,300.",
            "en",
            "un",
        ),
        (
            "Defensa Civil da su cifra",
            "Defensa Civil sitúa los muertos en 310, tras el informe de la OCHA de 450.",
            "es",
            "ocha",
        ),
    ],
)
def test_a_figure_given_against_a_named_sources_figure(
    gaz: Gazetteer, title: str, text: str, language: str, key: str
) -> None:
    st_ = only_dispute(extract_statements(item(title, text, language=language), gaz))
    assert st_.kind is StatementKind.DENIAL and st_.target is not None and st_.target.key == key


def test_after_denied_it_the_next_actor_starts_a_new_clause(gaz: Gazetteer) -> None:
    sts = extract_statements(
        item("Feud", "The farmer was accused of theft and although he denied it police believe he did it."),
        gaz,
    )
    assert all(s.target is None for s in disputes(sts))


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "The army, which had denied the strike for a week, admitted on Friday that it hit the school.",
            "en",
        ),
        ("El ejército, que había negado el ataque, reconoció el viernes que alcanzó la escuela.", "es"),
    ],
)
def test_an_aside_between_commas_does_not_hide_who_admits(gaz: Gazetteer, text: str, language: str) -> None:
    sts = extract_statements(item("School strike", text, language=language), gaz)
    ret = [s for s in sts if s.kind is StatementKind.RETRACTION]
    assert ret and ret[0].speaker is not None and ret[0].speaker.type.value == "military"


@pytest.mark.parametrize(
    "text",
    [
        "Además, negó que hubiera civiles en la zona.",
        "En un mensaje en su cuenta de X, negó que hubiera civiles.",
    ],
)
def test_a_sentence_opening_with_a_connector_keeps_the_headlines_speaker(gaz: Gazetteer, text: str) -> None:
    sts = extract_statements(item("Sedena defiende operativo en Sinaloa", text, language="es"), gaz)
    den = [s for s in sts if s.kind is StatementKind.DENIAL]
    assert den and den[0].speaker is not None and den[0].speaker.key == "mx.sedena"
