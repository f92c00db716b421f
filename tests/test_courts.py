"""Courts: official bodies whose findings judge others' statements, speaking apart from the
government of their state (a ruling against a ministry's account is two sides, not one)."""

from __future__ import annotations

from datetime import timedelta

from bot.detect.actors import Gazetteer
from bot.detect.features import PAIR_FEATURES, PairContext, Semantics, pair_features
from bot.detect.sides import voice_of, voice_of_key
from bot.types import Actor, ActorType, StatementKind
from tests.test_features import ARMY, CLAIM, T0, _reading, _st


def test_the_packaged_high_courts_are_courts_and_official(gaz: Gazetteer) -> None:
    for key in ("us.supreme_court", "br.stf", "de.bverfg", "mx.scjn", "icj"):
        court = gaz.get(key)
        assert court is not None and court.type is ActorType.COURT and court.official, key


def test_a_court_and_its_justices_speak_apart_from_the_executive_and_from_other_courts() -> None:
    # An invented state with two courts and a justice sitting on one of them.
    gaz = Gazetteer.from_toml(
        "[actors]\n"
        '"xx.high_court" = { name = "Ruritanian High Court", type = "court", country = "xx" }\n'
        '"xx.audit_court" = { name = "Ruritanian Court of Audit", type = "court", country = "xx" }\n'
        '"xx.vesna" = { name = "Justice Ilka Vesna", type = "official", country = "xx", parent = "xx.high_court" }\n'
        '"xx.mod" = { name = "Ruritanian defence ministry", type = "ministry", country = "xx", parent = "xx.gov" }\n'
        "[countries]\n"
        'xx = { names = ["Ruritania"], demonyms = ["Ruritanian"] }\n'
    )

    def voice(key: str) -> str | None:
        return voice_of(gaz.get(key))

    assert voice("xx.high_court") == voice("xx.vesna") == "xx.high_court"
    assert voice("xx.audit_court") == "xx.audit_court"
    assert voice("xx.mod") == voice("xx.gov") == "state:xx" != voice("xx.high_court")


def test_a_court_read_from_role_words_keeps_its_own_voice_when_stored(gaz: Gazetteer) -> None:
    found = [a for a, _ in gaz.find_all("헌법재판소는 정부 발표가 사실과 다르다고 밝혔다")]
    (court,) = [a for a in found if a.type is ActorType.COURT]
    (government,) = [a for a in found if a.type is ActorType.GOVERNMENT]
    assert voice_of(court) == court.key != voice_of(government) == "state:kr"
    assert voice_of_key(court.key, None, gaz.get, {"kr"}) == court.key != "state:kr"


def test_a_courts_finding_against_a_claim_reads_as_an_authoritys_finding() -> None:
    court = Actor("xx.high_court", "Ruritanian High Court", ActorType.COURT, "xx")
    finding = _reading(
        5,
        "Ruritanian High Court finds the army's account of the Vardar ridge positions false",
        T0 + timedelta(days=20),
        _st(StatementKind.DENIAL, court, ARMY),
        actors=(court, ARMY),
    )
    f = dict(
        zip(
            PAIR_FEATURES,
            pair_features(CLAIM, finding, Semantics(), PairContext(0.7, 0.7, 1)).tolist(),
            strict=True,
        )
    )
    assert f["later_regulator"] == 1.0
    assert f["disputed_is_speaker"] == 1.0
