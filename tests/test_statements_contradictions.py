"""Contradictions without "deny" wording, each with fixtures written for these tests in our own words.

- the basis of a claim denied: "there is no evidence of", "nunca fue comprobado", "jamais foi comprovado";
- the truth of an official account put in question: "investiga la veracidad del parte policial";
- "X's first report is full of errors": the owner of the report is disputed, not the speaker;
- people reported dead who are alive, and "the true figure is": corrections of an earlier account;
- a figure set against an official's figure in the same item ("47, not 53"), and not against a
  figure from a report or an NGO.
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


def kinds(sentence: str, language: str) -> set[CueKind]:
    return {c.kind for c in find_cues(sentence, language) if c.active}


# --- cues ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "sentence", "kind"),
    [
        ("en", "The commission says there is no evidence of tampering with the machines", CueKind.DENIAL),
        ("en", "The regulator said the allegation has never been proven", CueKind.DENIAL),
        ("es", "El tribunal afirma que nunca fue comprobado un caso de manipulación", CueKind.DENIAL),
        ("es", "La fiscalía dice que no hay pruebas de que el ataque ocurriera", CueKind.DENIAL),
        ("pt", "O tribunal diz que jamais foi comprovada uma fraude nas urnas", CueKind.DENIAL),
        ("fr", "Le parquet met en doute la véracité du procès-verbal des gendarmes", CueKind.DENIAL),
        ("de", "Das Gericht sieht keine Beweise für die Manipulation", CueKind.DENIAL),
        ("es", "La fiscal investiga la veracidad del parte policial de la comisaría", CueKind.DENIAL),
        ("en", "The sailors reported dead are alive and in custody, the navy says", CueKind.CORRECTION),
        ("es", "Los mineros dados por muertos están vivos, dice el gobierno", CueKind.CORRECTION),
        ("en", "The agency says the true figure is closer to 800 million", CueKind.CORRECTION),
        ("es", "La agencia dice que la cifra verdadera es de 800 millones", CueKind.CORRECTION),
        ("fr", "Le ministère explique que le vrai bilan est de 12 morts", CueKind.CORRECTION),
    ],
)
def test_contradictions_without_deny_wording(language: str, sentence: str, kind: CueKind) -> None:
    assert kind in kinds(sentence, language)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "The senator claimed without evidence that the vote was rigged"),
        ("en", "Police are investigating the death of a man found in the river"),
        ("es", "La fiscalía investiga la muerte de un joven en el río"),
        ("en", "Rescuers say two of the climbers are alive after the avalanche"),
        ("en", "The agency says the figure is expected to rise"),
    ],
)
def test_near_misses_are_not_contradictions(language: str, sentence: str) -> None:
    assert not kinds(sentence, language) & {CueKind.DENIAL, CueKind.CORRECTION, CueKind.RETRACTION}


# --- statements ---------------------------------------------------------------------------------


def test_no_evidence_answers_the_claimant_named_in_the_headline(gaz: Gazetteer) -> None:
    sts = extract_statements(
        item(
            "TSE publica nota sobre a fala de Bolsonaro",
            "O TSE diz que jamais foi comprovado um caso de fraude nas urnas eletrônicas.",
            language="pt",
        ),
        gaz,
    )
    d = disputes(sts)
    assert d and d[0].speaker is not None and d[0].speaker.key == "br.tse"
    assert d[0].target is not None and d[0].target.key == "br.bolsonaro"


def test_veracity_of_a_police_report_names_the_police_as_disputed(gaz: Gazetteer) -> None:
    sts = extract_statements(
        item("Fiscalía investiga la veracidad del parte policial presentado por Carabineros", language="es"),
        gaz,
    )
    d = disputes(sts)
    assert d and d[0].target is not None and d[0].target.key == "cl.carabineros"


def test_owner_of_a_report_full_of_errors_is_the_disputed_side(gaz: Gazetteer) -> None:
    sts = extract_statements(
        item(
            "The Memphis Police Department's first report on the arrest is full of discrepancies",
            language="en",
        ),
        gaz,
    )
    d = disputes(sts)
    assert d and d[0].speaker is None
    assert d[0].target is not None and d[0].target.key == "us.mpd_memphis"


def test_people_reported_dead_are_alive_is_a_correction_by_the_speakers_side(gaz: Gazetteer) -> None:
    sts = extract_statements(
        item("Ukraine's navy says the sailors reported dead are alive and held captive", language="en"),
        gaz,
    )
    d = disputes(sts)
    assert d and d[0].kind is StatementKind.CORRECTION
    assert d[0].target is not None and d[0].target.country == "ua"


def test_a_figure_set_against_an_officials_figure_disputes_that_official(gaz: Gazetteer) -> None:
    sts = extract_statements(
        item(
            "Inondations : le bilan est de 31 morts et non de 38",
            "Le ministère de l'Intérieur avait annoncé un bilan de 38 morts. "
            "Un recensement auprès des mairies donne 31 décès.",
            language="fr",
        ),
        gaz,
    )
    d = [s for s in disputes(sts) if s.denied == "38"]
    assert d and d[0].target is not None and d[0].target.key == "fr.interior"


def test_a_figure_set_against_an_ngo_report_is_not_a_dispute_of_an_official(gaz: Gazetteer) -> None:
    sts = extract_statements(
        item(
            "Police chief says 12, not 40 people died in the protests",
            "The police call a rights group's report of 40 deaths an exaggeration.",
            language="en",
        ),
        gaz,
    )
    assert not [s for s in sts if s.denied == "40" and s.target is not None and s.target.official]


def test_a_figure_with_no_named_source_is_not_a_dispute(gaz: Gazetteer) -> None:
    sts = extract_statements(item("Storm damage: 120 homes, not 90, were hit", language="en"), gaz)
    assert not [s for s in sts if s.target is not None and s.target.official]
