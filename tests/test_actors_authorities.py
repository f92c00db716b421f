"""Audit and statistics offices: found by name and by role words, and speaking apart from their state.

Supreme audit institutions (role "auditor") and national statistics offices (role
"statistics_office") are listed in actors.toml and mapped to their country's role in its [roles]
table; their findings judge what a government says, so neither they nor their heads speak with
the government's voice. The headlines are written for these tests.
"""

from __future__ import annotations

import pytest

from bot.detect.actors import Gazetteer
from bot.detect.sides import voice_of
from bot.types import ActorType
from tests.test_actors import keys

# --- by name ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("The GAO finds the Pentagon cannot account for half its assets", "us.gao"),
        ("National Audit Office says the rail project is years late", "gb.nao"),
        ("India's CAG flags losses in coal block allocation", "in.cag"),
        ("EU auditors question how recovery money was spent", "eu.eca"),
        ("Statistics Canada says the jobless rate edged up", "ca.statcan"),
        ("ONS revises first-quarter growth figure", "gb.ons"),
        ("Eurostat: euro zone inflation eases again", "eu.eurostat"),
        ("La Cour des comptes épingle la gestion des hôpitaux", "fr.ccomptes"),
        ("L'Insee relève sa prévision de croissance", "fr.insee"),
        ("Der Bundesrechnungshof rügt das Beschaffungswesen", "de.brh"),
        ("Laut dem Statistischen Bundesamt stiegen die Preise", "de.destatis"),
        ("El Tribunal de Cuentas fiscaliza a los partidos", "es.tcu"),
        ("El INEGI reporta un alza del desempleo", "mx.inegi"),
        ("O TCU suspende a licitação das obras", "br.tcu"),
        ("O IBGE divulga o desemprego do trimestre", "br.ibge"),
        ("L'Istat rivede al rialzo le stime del Pil", "it.istat"),
        ("La Corte dei conti boccia il decreto", "it.cdc"),
        ("Росстат сообщил о замедлении инфляции", "ru.rosstat"),
        ("Инфляция замедлилась, по данным Росстата", "ru.rosstat"),
        ("国家统计局公布最新数据", "cn.nbs"),
        ("감사원이 감사 결과를 발표했다", "kr.bai"),
    ],
)
def test_an_office_is_found_by_its_name(gaz: Gazetteer, text: str, key: str) -> None:
    assert key in keys(gaz, text), text


# --- by role words and a country ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("The Brazilian audit court blocks the contract", "br.tcu"),
        ("Germany's statistics office confirms the recession", "de.destatis"),
        ("Canada's auditor general faults the procurement", "ca.oag"),
        ("China's National Bureau of Statistics reports slower growth", "cn.nbs"),
        ("Nigeria's National Bureau of Statistics puts inflation at a new high", "ng.nbs"),
        ("La Contraloría de Chile denuncia irregularidades", "cl.cgr"),
        ("L'institut national de la statistique italien publie ses chiffres", "it.istat"),
        ("Das türkische Statistikamt meldet höhere Preise", "tr.turkstat"),
        ("L'istituto di statistica francese conferma i dati", "fr.insee"),
        ("Счётная палата Украины нашла нарушения", "ua.accounting_chamber"),
        ("Статистическое ведомство Украины сообщило о росте цен", "ua.ukrstat"),
    ],
)
def test_a_role_word_with_a_country_gives_that_countrys_office(gaz: Gazetteer, text: str, key: str) -> None:
    assert key in keys(gaz, text), text


def test_a_shared_name_is_read_in_the_storys_country(gaz: Gazetteer) -> None:
    # the name several countries give their office goes to the one the story is about
    assert keys(gaz, "The National Bureau of Statistics said prices rose", country="ng") == ["ng.nbs"]
    assert keys(gaz, "The National Bureau of Statistics said prices rose", country="cn") == ["cn.nbs"]
    assert keys(gaz, "La Contraloría General de la República abrió una investigación", country="co") == [
        "co.cgr"
    ]
    # France's by default; Morocco's in a story about Morocco
    assert keys(gaz, "La Cour des comptes publie son rapport annuel") == ["fr.ccomptes"]
    assert keys(gaz, "La Cour des comptes publie son rapport annuel", country="ma") == ["ma.auditor"]
    # a country whose office the file does not list keeps the role, placed
    (found,) = [a for a, _ in gaz.find_all("O instituto de estatística de Angola revê o PIB")]
    assert (found.key, found.type, found.country) == ("ao.statistics_office", ActorType.AGENCY, "ao")


# --- by role words alone --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "atype"),
    [
        ("The statistics office said the figures would be revised", ActorType.AGENCY),
        ("L'institut de la statistique a publié ses chiffres", ActorType.AGENCY),
        ("Um instituto de estatística divulgou os números", ActorType.AGENCY),
        ("The auditor general said the books did not balance", ActorType.REGULATOR),
        ("La Contraloría General de la República abrió una investigación", ActorType.REGULATOR),
        ("Der Rechnungshof kritisiert die Ausgaben", ActorType.REGULATOR),
    ],
)
def test_a_role_word_alone_is_an_unplaced_office(gaz: Gazetteer, text: str, atype: ActorType) -> None:
    found = [a for a, _ in gaz.find_all(text) if a.type is atype]
    assert len(found) == 1, text
    assert found[0].country is None
    assert found[0].key == ("statistics_office" if atype is ActorType.AGENCY else "auditor")


def test_a_companys_auditors_are_no_audit_office(gaz: Gazetteer) -> None:
    assert keys(gaz, "The company's auditors resigned over the accounts") == []


# --- voices ---------------------------------------------------------------------------------------


def test_every_listed_office_speaks_with_its_own_voice(gaz: Gazetteer) -> None:
    offices = [a for a in gaz if {"auditor", "statistics_office"} & set(a.roles)]
    assert len(offices) >= 80
    for a in offices:
        assert voice_of(a) == a.key, a.key
        want = ActorType.REGULATOR if "auditor" in a.roles else ActorType.AGENCY
        assert a.type is want, a.key
    # the European ones have no country and speak for themselves anyway
    for key in ("eu.eca", "eu.eurostat"):
        assert voice_of(gaz.get(key)) == key


def test_an_office_and_its_head_speak_apart_from_their_government(gaz: Gazetteer) -> None:
    # An invented head of an audit office and one of a statistics office
    heads = Gazetteer.from_toml(
        "[actors]\n"
        '"fr.vautrin" = { name = "Odile Vautrin", type = "official", country = "fr", parent = "fr.ccomptes" }\n'
        '"de.kessler" = { name = "Jonas Kessler", type = "official", country = "de", parent = "de.destatis" }\n'
    )
    assert voice_of(heads.get("fr.vautrin")) == "fr.ccomptes" != voice_of(heads.get("fr.elysee"))
    assert voice_of(heads.get("de.kessler")) == "de.destatis" != voice_of(heads.get("de.bmi"))
    assert voice_of(gaz.get("fr.elysee")) == "state:fr"
    # read from role words, mapped or not, the office keeps its own voice
    (mapped,) = [a for a, _ in gaz.find_all("Germany's statistics office said")]
    assert voice_of(mapped) == "de.destatis"
    (unmapped,) = [a for a, _ in gaz.find_all("O instituto de estatística de Angola revê o PIB")]
    assert voice_of(unmapped) == "ao.statistics_office"
    assert gaz.voice_of_key("ao.statistics_office") == "ao.statistics_office"
    assert gaz.voice_of_key("ao.ministry.finance") == "state:ao"


# --- no shadowing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("El INE convocó a elecciones", ["mx.ine"]),  # Mexico's electoral institute, not a statistics office
        ("African swine fever (ASF) spreads to a new province", []),  # not Mexico's audit office
        ("NBS data showed a rebound", []),  # China's or Nigeria's: left out
        ("Mortgage rates rose 25 bps", []),
        ("The BLS said payrolls rose", ["us.bls"]),
        ("ICE detains a farmworker", ["us.ice"]),
    ],
)
def test_acronyms_keep_their_meaning(gaz: Gazetteer, text: str, want: list[str]) -> None:
    assert keys(gaz, text) == want


def test_each_offices_names_resolve_to_it(gaz: Gazetteer) -> None:
    for a in gaz:
        if not {"auditor", "statistics_office"} & set(a.roles):
            continue
        for alias in (a.name, *a.aliases):
            found = gaz.resolve(alias)
            assert found is not None and found.key == a.key, (a.key, alias)


# --- regulators and courts named by their role words --------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "atype"),
    [
        ("Brazil's supreme court says the decree is void", "br.court", ActorType.COURT),
        ("Mexico regulator says the tariff figures were wrong", "mx.regulator", ActorType.REGULATOR),
        ("El organismo regulador de Chile rechaza las cifras", "cl.regulator", ActorType.REGULATOR),
        ("Le Conseil d'État du Sénégal annule l'arrêté", "sn.court", ActorType.COURT),
        ("A federal court rejects the agency's account", "court", ActorType.COURT),
    ],
)
def test_a_regulator_or_a_court_named_by_role_is_no_government(
    gaz: Gazetteer, text: str, key: str, atype: ActorType
) -> None:
    found = {a.key: a for a, _ in gaz.find_all(text)}
    assert key in found and found[key].type is atype, found
    assert voice_of(found[key]) == key  # it speaks apart from the government it may rule against


def test_a_court_as_a_place_is_no_speaker(gaz: Gazetteer) -> None:
    assert not any(a.type is ActorType.COURT for a, _ in gaz.find_all("Trump takes the case to court"))
