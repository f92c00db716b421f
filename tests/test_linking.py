"""Linking: text features across languages, actor matching, time windows, choosing the claim."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.detect.linking import (
    LEAD_CHARS,
    MIN_OVERLAP_MENTIONED,
    MIN_OVERLAP_WITH_ACTOR,
    ClaimCandidate,
    Terms,
    actor_match,
    best_link,
    candidate_keys,
    extract_terms,
    fold,
    overlap,
    shared_terms,
    stem,
    time_score,
    topic_text,
    window_for,
)
from bot.types import Actor, ActorType, Statement, StatementKind

ICE = Actor("us.ice", "U.S. Immigration and Customs Enforcement", ActorType.AGENCY, "us", ("ICE",), "us.gov")
DHS = Actor("us.dhs", "Department of Homeland Security", ActorType.MINISTRY, "us", (), "us.gov")
PRES = Actor("mx.president", "Claudia Sheinbaum", ActorType.HEAD_OF_STATE, "mx")
T0 = datetime(2025, 5, 14, 16, tzinfo=UTC)


def test_fold_removes_diacritics_and_case() -> None:
    assert fold("Secretaría de Comunicación ÉTAT Öl") == "secretaria de comunicacion etat ol"


def test_gloss_brings_languages_together() -> None:
    assert stem("laboratorios") == stem("laboratoire") == stem("laboratorio") == "lab"
    assert stem("muertos") == stem("morts") == stem("toten") == "dead"
    assert stem("labs") == "lab"


def test_names_and_numbers_are_kept_apart() -> None:
    t = extract_terms("The ministry said 1,200 soldiers crossed near Vardar on Monday.")
    assert "#1200" in t.numbers
    assert "vardar" in t.names
    assert "ministry" not in t.names  # sentence start / common word


def test_spanish_denial_overlaps_english_claim_more_than_unrelated_news() -> None:
    claim = extract_terms("ICE-led raid dismantles three synthetic drug labs in Sinaloa, Mexico")
    denial = extract_terms(
        "Sheinbaum: es falso que ICE dirigiera el operativo contra laboratorios en Sinaloa"
    )
    other = extract_terms("Peso steadies as investors await U.S. inflation figures")
    assert overlap(claim, denial) > 0.2
    assert overlap(claim, other) < overlap(claim, denial)
    assert {"ice", "sinalo"} <= set(shared_terms(claim, denial))


def test_cue_words_do_not_count_as_topic() -> None:
    a = extract_terms("Minister denies report, says claim is false")
    b = extract_terms("Police deny the claim; statement false, they said")
    assert overlap(a, b) < 0.2


@given(st.text(max_size=200), st.text(max_size=200))
def test_overlap_is_symmetric_and_bounded(a: str, b: str) -> None:
    ta, tb = extract_terms(a), extract_terms(b)
    o = overlap(ta, tb)
    assert 0.0 <= o <= 1.0
    assert abs(o - overlap(tb, ta)) < 1e-9


@given(st.text(max_size=200))
def test_terms_serialise_round_trip(text: str) -> None:
    t = extract_terms(text)
    assert Terms.parse(t.serialise()) == t


def test_actor_match_levels() -> None:
    assert actor_match(ICE, "ICE", "us.ice", "us.gov") == 1.0
    assert actor_match(ICE, "ICE", "us.gov", None) == 0.7  # the body it belongs to
    assert (
        actor_match(
            None,
            "Immigration and Customs Enforcement",
            None,
            None,
            "U.S. Immigration and Customs Enforcement",
        )
        == 0.5
    )
    assert actor_match(PRES, "Sheinbaum", "us.ice", "us.gov") == 0.0


def test_windows_and_time_score() -> None:
    assert window_for(StatementKind.RETRACTION, 30, 365) == timedelta(days=365)
    assert window_for(StatementKind.DENIAL, 30, 365) == timedelta(days=30)
    w = timedelta(days=30)
    assert time_score(timedelta(hours=5), w) == 1.0
    assert 0.5 <= time_score(timedelta(days=29), w) < 1.0
    assert time_score(timedelta(days=31), w) == 0.0
    assert time_score(timedelta(days=-3), w) == 0.0  # a claim after its denial is not "earlier"


def _denial(target: Actor | None) -> Statement:
    return Statement(
        item_id=9,
        kind=StatementKind.DENIAL,
        speaker=PRES,
        speaker_text="Sheinbaum",
        quote="es falso",
        cue="es falso",
        target=target,
        target_text=target.name if target else None,
        score=0.9,
    )


def test_best_link_prefers_the_target_speakers_claim_on_the_same_topic() -> None:
    terms = extract_terms("Sheinbaum niega que ICE dirigiera el operativo contra laboratorios en Sinaloa")
    on_topic = ClaimCandidate(
        T0,
        "us.ice",
        ICE.name,
        extract_terms("ICE raid dismantles drug labs in Sinaloa"),
        statement_id=1,
        item_id=1,
        speaker_official=True,
    )
    off_topic = ClaimCandidate(
        T0,
        "us.ice",
        ICE.name,
        extract_terms("ICE arrests fugitive wanted for fraud in Texas"),
        statement_id=2,
        item_id=2,
        speaker_official=True,
    )
    other_actor = ClaimCandidate(
        T0,
        "xx.police",
        "Police",
        extract_terms("Police raid drug labs in Sinaloa"),
        statement_id=3,
        item_id=3,
        speaker_official=True,
    )
    link = best_link(
        _denial(ICE), T0 + timedelta(days=1), terms, [off_topic, other_actor, on_topic], timedelta(days=30)
    )
    assert link is not None and link.candidate.statement_id == 1
    assert link.actor == 1.0 and link.gap_days == 1.0
    # outside the window nothing links
    assert best_link(_denial(ICE), T0 + timedelta(days=60), terms, [on_topic], timedelta(days=30)) is None


def test_candidate_keys_for_denials_and_retractions() -> None:
    assert candidate_keys(_denial(ICE)) == {"us.ice", "us.gov"}
    retraction = Statement(
        item_id=1, kind=StatementKind.RETRACTION, speaker=DHS, speaker_text="DHS", quote="", score=0.8
    )
    assert candidate_keys(retraction) == {"us.dhs", "us.gov"}
    unresolved = Statement(
        item_id=1,
        kind=StatementKind.DENIAL,
        speaker=PRES,
        speaker_text="x",
        quote="",
        target_text="the Ruritanian Navy",
    )
    assert candidate_keys(unresolved) == {"name:ruritanian navy"}


def test_registered_places_meet_across_languages() -> None:
    from bot.detect.linking import register_places

    register_places([("xr", ["Ruritania", "Ruritanie", "ruritanian", "ruritano", "RR"])])
    a = extract_terms("Ruritanian army says the Talas dam held")
    b = extract_terms("El ejército ruritano niega que la presa de Talas resistiera")
    assert "ctyxr" in (a.names | a.words) and "ctyxr" in (b.names | b.words)
    assert "ctyxr" in extract_terms("Talas: RR officials deny it").names
    assert (
        "ctyxr" not in extract_terms("talas rr officials deny it").all
    )  # two letters count only in capitals


def test_same_side_and_family() -> None:
    from bot.detect.linking import family_prefix, same_side

    gov = Actor("mx.gov", "Government of Mexico", ActorType.GOVERNMENT, "mx")
    office = Actor("mx.presidency", "Presidency", ActorType.GOVERNMENT, "mx", (), "mx.gov")
    president = Actor("mx.president", "President", ActorType.HEAD_OF_STATE, "mx", (), "mx.gov")
    former = Actor("mx.former", "Former president", ActorType.HEAD_OF_STATE, "mx", (), "mx.gov")
    agency = Actor("mx.space", "Space agency", ActorType.AGENCY, "mx", (), "mx.gov")
    assert same_side(president, gov) and same_side(office, president)
    assert not same_side(president, former) and not same_side(agency, president)
    assert not same_side(ICE, Actor("us.embassy", "Embassy", ActorType.EMBASSY, "us", (), "us.state"))
    assert (
        family_prefix(agency) == "mx." and family_prefix(Actor("co.x", "X", ActorType.COMPANY, "us")) is None
    )


def test_best_link_prefers_the_clearly_better_topic_over_a_later_claim_by_the_same_speaker() -> None:
    terms = extract_terms("ICE withdraws its post about drug labs dismantled in Sinaloa")
    older_on_topic = ClaimCandidate(
        T0,
        "us.ice",
        ICE.name,
        extract_terms("ICE says its unit led the raid that dismantled drug labs in Sinaloa"),
        statement_id=1,
        item_id=1,
        speaker_official=True,
    )
    later_loose = ClaimCandidate(
        T0 + timedelta(days=60),
        "us.ice",
        ICE.name,
        extract_terms("ICE defends its record on arrests in Texas and Sinaloa"),
        statement_id=2,
        item_id=2,
        speaker_official=True,
    )
    retraction = Statement(
        item_id=9, kind=StatementKind.RETRACTION, speaker=ICE, speaker_text="ICE", quote="withdraws",
        cue="withdraws its post", target=ICE, target_text="ICE", score=0.9,
    )  # fmt: skip
    when = T0 + timedelta(days=120)
    link = best_link(retraction, when, terms, [later_loose, older_on_topic], timedelta(days=365))
    assert link is not None and link.candidate.statement_id == 1
    # a claim made within days of the statement stays the likelier answer
    recent = ClaimCandidate(
        when - timedelta(days=2),
        "us.ice",
        ICE.name,
        extract_terms("ICE defends its record on arrests in Texas and Sinaloa"),
        statement_id=3,
        item_id=3,
        speaker_official=True,
    )
    link = best_link(retraction, when, terms, [recent, older_on_topic], timedelta(days=365))
    assert link is not None and link.candidate.statement_id == 3


def test_reasons_show_the_words_behind_the_stems() -> None:
    from bot.detect.linking import extract_terms, readable_terms, shared_terms

    a = "The ministry says the raids on three labs in Sinaloa seized 1,200 kilos"
    b = "Officials deny that any labs were raided in Sinaloa; no 1,200 kilo seizure happened"
    stems = shared_terms(extract_terms(a), extract_terms(b))
    words = readable_terms(stems, b)
    assert "Sinaloa" in words and "labs" in words and "1,200" in words
    assert all(w in b for w in words)  # only words the reader can find in the item
    assert readable_terms(["zzzz"], b) == ("zzzz",)  # nothing found: the terms stay


def test_topic_text_keeps_the_headline_and_the_lead_of_a_long_item() -> None:
    body = "First sentence of the lead. " * 30 + "Background far below. " * 100
    topic = topic_text("Headline", body)
    assert topic.startswith("Headline. First sentence") and topic.endswith("lead.")
    assert "Background" not in topic and len(topic) <= LEAD_CHARS + len("Headline. ")
    assert topic_text("Short", "One line.") == "Short. One line."


def test_a_claim_by_an_actor_the_item_only_mentions_needs_more_topic() -> None:
    """Named by the denial: a thin shared topic is enough. Merely mentioned: it is not."""
    terms = extract_terms(
        "Officials deny the claim about the broadcast on state television during the royal visit"
    )
    thin = ClaimCandidate(
        T0,
        "us.ice",
        ICE.name,
        extract_terms("ICE agents plan a visit to the border next week and meet local officials"),
        statement_id=1,
        item_id=1,
        speaker_official=True,
    )
    o = overlap(terms, thin.terms)
    assert MIN_OVERLAP_WITH_ACTOR <= o < MIN_OVERLAP_MENTIONED
    when = T0 + timedelta(days=1)
    assert best_link(_denial(ICE), when, terms, [thin], timedelta(days=30)) is not None
    assert (
        best_link(_denial(None), when, terms, [thin], timedelta(days=30), mentioned=frozenset({"us.ice"}))
        is None
    )


def test_elided_articles_are_not_part_of_the_word() -> None:
    assert "ars" in extract_terms("Selon l'ARS, la carte était fausse").names
    assert extract_terms("l'indicateur du Lot").words >= extract_terms("indicateur").words
