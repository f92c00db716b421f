"""Alert wording: a table of disputes built from real-shaped items (written for this project),
each rendered as the desk sees it and checked against the rules of issue 11:

- the headline is status + short actor name + the gist of the claim, at most 90 characters;
- the gist is the CLAIM's own words (a piece of its headline or statement), never the denial's,
  never another story's, never starting mid-sentence; a claim that only offers a fragment gets
  no gist rather than a wrong one;
- possessives are proper ("the Houthis'", "Philippine police claim"), no gazetteer artefacts
  ("Government of United States's", "Embassy (Iq) of Japan");
- a single-item dispute shows its quote once, with who said what;
- nouns agree with the evidence (denial / retraction / correction), and an item in another
  language than the desk's says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.alerts.headline import HEADLINE_MAX, build_headline, owner_phrase, possessive
from bot.alerts.text import render_followup, render_parent
from bot.alerts.view import AlertStyle, build_view, role_noun
from bot.types import Dispute, DisputeStatus, Evidence, EvidenceRole

T0 = datetime(2025, 6, 2, 9, tzinfo=UTC)
D, R, C = EvidenceRole.DENIAL, EvidenceRole.RETRACTION, EvidenceRole.CORRECTION


@dataclass(frozen=True)
class Side:
    """One item of a dispute as the store keeps it: who speaks, its headline and statement."""

    actor: str
    title: str
    quote: str = ""
    lang: str = "en"
    key: str | None = None
    role: EvidenceRole = D


@dataclass(frozen=True)
class Case:
    name: str
    status: DisputeStatus
    speaker_key: str | None
    speaker: str
    claim: Side
    answers: tuple[Side, ...]
    expect: str
    single: bool = False  # the claim is reported inside the (first) answering item
    also: tuple[str, ...] = field(default=())  # further checks on the rendered parent


S = DisputeStatus
CASES: tuple[Case, ...] = (
    # --- English claims, each an item of its own -------------------------------------------
    Case(
        "reference story",
        S.DISPUTED,
        "us.ice",
        "U.S. Immigration and Customs Enforcement",
        Side(
            "ICE",
            "ICE says its vetted unit led raids on three Sinaloa drug labs",
            "Our HSI vetted unit led the takedown of three big synthetic-drug labs in Sinaloa.",
        ),
        (
            Side(
                "Claudia Sheinbaum",
                "Sheinbaum: es falso que agentes de EU encabezaran el operativo",
                lang="es",
                key="mx.sheinbaum",
            ),
            Side(
                "U.S. Embassy in Mexico",
                "Embassy says ICE post on Sinaloa raids was inaccurate",
                key="us.embassy_mx",
            ),
        ),
        "Disputed: ICE's claim that its vetted unit led raids on three Sinaloa drug labs",
        also=("2 denials", "in Spanish"),
    ),
    Case(
        "frame at the end",
        S.DISPUTED,
        "il.idf",
        "Israel Defense Forces",
        Side(
            "IDF",
            "IDF: no civilians hurt in Khan Younis strike",
            "No civilians were harmed in the operation, the IDF said.",
        ),
        (
            Side(
                "Gaza Health Ministry",
                "Gaza officials say 11 killed in Khan Younis strike",
                key="ps.gaza_health",
            ),
        ),
        "Disputed: the IDF's claim that no civilians were harmed in the operation",
    ),
    Case(
        "according to",
        S.DISPUTED,
        "ru.kremlin",
        "Kremlin",
        Side(
            "Kremlin",
            "Kremlin on Istanbul talks",
            "According to the Kremlin, the talks in Istanbul ended with a draft agreement.",
        ),
        (Side("Volodymyr Zelensky", "Zelensky says no draft was agreed in Istanbul", key="ua.zelensky"),),
        "Disputed: the Kremlin's claim that the talks in Istanbul ended with a draft agreement",
    ),
    Case(
        "statement on a noun phrase",
        S.DISPUTED,
        "ru.kremlin",
        "Kremlin",
        Side(
            "Kremlin",
            "Statement on the prisoner exchange talks in Geneva",
            "Statement on the prisoner exchange talks in Geneva",
        ),
        (Side("Ukrainian military", "Kyiv denies any exchange was agreed in Geneva", key="ua.armed_forces"),),
        "Disputed: the Kremlin's statement on the prisoner exchange talks in Geneva",
    ),
    Case(
        "says-frame with a title-case headline",
        S.DISPUTED,
        "us.governor.texas",
        "Governor (Texas) of United States",
        Side("Texas governor", "Governor's Office: State Will Cover All Flood Repair Costs"),
        (Side("Kerr County", "County says it was told to bill repairs to FEMA"),),
        "Disputed: Texas governor's claim “State Will Cover All Flood Repair Costs”",
    ),
    Case(
        "U.S. government from a role pattern",
        S.DISPUTED,
        "us.gov",
        "Government of United States",
        Side("U.S.", "U.S. says Venezuelan boat was carrying cocaine"),
        (Side("Government of Venezuela", "Caracas says boat carried fishermen", key="ve.gov"),),
        "Disputed: U.S. government's claim that Venezuelan boat was carrying cocaine",
        also=("Venezuelan government",),
    ),
    Case(
        "police, attributive",
        S.DISPUTED,
        "ph.police",
        "Police of Philippines",
        Side(
            "police",
            "Police say suspect fired first during Tondo raid",
            "Police said the suspect fired first during the raid in Tondo.",
        ),
        (Side("Commission on Human Rights", "Rights body says bodycam shows suspect did not fire"),),
        "Disputed: Philippine police claim that the suspect fired first during the raid in Tondo",
    ),
    Case(
        "embassy from a role pattern takes 'by'",
        S.DISPUTED,
        "jp.embassy.iq",
        "Embassy (Iq) of Japan",
        Side("embassy", "Embassy of Japan: no staff were in the building during the attack"),
        (Side("Government of Iraq", "Iraqi police say two embassy guards were wounded", key="iq.gov"),),
        "Disputed: claim by Japanese embassy in Iraq that no staff were in the building…",
    ),
    Case(
        "a person: surname",
        S.DISPUTED,
        "us.trump",
        "Donald Trump",
        Side("Donald Trump", "Trump says tariffs have brought in $2 trillion"),
        (
            Side(
                "U.S. Department of the Treasury",
                "Treasury data show customs receipts of $195 billion",
                key="us.treasury",
            ),
        ),
        "Disputed: Trump's claim that tariffs have brought in $2 trillion",
    ),
    Case(
        "an official the gazetteer does not know",
        S.DISPUTED,
        "name:juan perez",
        "Juan Pérez",
        Side(
            "Juan Pérez",
            "Minister: riot contained",
            "Interior Minister Juan Pérez said the prison riot was contained within an hour.",
        ),
        (Side("Peruvian ombudsman", "Ombudsman says inmates held wing for two days"),),
        "Disputed: Juan Pérez's claim that the prison riot was contained within an hour",
    ),
    Case(
        "name ending in s",
        S.DISPUTED,
        "ag.houthis",
        "Houthis",
        Side("Houthis", "Houthis say they hit a U.S. destroyer in the Red Sea with two missiles and a drone"),
        (Side("U.S. Central Command", "CENTCOM says no U.S. ship was hit", key="us.centcom"),),
        "Disputed: the Houthis' claim that they hit a U.S. destroyer in the Red Sea…",
    ),
    Case(
        "BREAKING label, then a says-frame",
        S.DISPUTED,
        "ng.dhq",
        "Nigerian Defence Headquarters",
        Side("Defence Headquarters", "BREAKING: Army says all hostages freed in Zamfara raid"),
        (Side("Zamfara state government", "Zamfara government says 14 hostages still held"),),
        "Disputed: Nigerian military's claim that all hostages freed in Zamfara raid",
    ),
    Case(
        "a fragment statement: the headline is used instead",
        S.DISPUTED,
        "sd.military",
        "Military of Sudan",
        Side(
            "Sudanese army",
            "Sudan army says troops retake Khartoum airport",
            "its troops had retaken the airport in Khartoum",
        ),
        (Side("Rapid Support Forces", "RSF says it still controls the airport", key="ag.rsf"),),
        "Disputed: Sudanese military's claim that troops retake Khartoum airport",
    ),
    Case(
        "nothing but a fragment: no gist rather than a wrong one",
        S.DISPUTED,
        "kp.gov",
        "Government of North Korea",
        Side("KCNA", "says satellite delivered into orbit", "says satellite delivered into orbit"),
        (Side("Government of South Korea", "Seoul says launch failed after first stage", key="kr.gov"),),
        "Disputed: North Korean government's claim",
    ),
    Case(
        "UN agency",
        S.DISPUTED,
        "who",
        "World Health Organization",
        Side("WHO", "WHO says cholera outbreak in Kasai is contained"),
        (Side("Government of Congo", "Congo's health ministry reports 40 new cholera cases", key="cd.gov"),),
        "Disputed: the WHO's claim that cholera outbreak in Kasai is contained",
    ),
    Case(
        "long first clause cut at a clause boundary",
        S.DISPUTED,
        "us.white_house",
        "White House",
        Side(
            "White House",
            "White House: tariff deal with Vietnam signed",
            "The White House said the tariff agreement with Vietnam had been signed, and that duties would fall to 20 percent next month.",
        ),
        (Side("Government of Vietnam", "Hanoi says talks on the tariff deal continue", key="vn.gov"),),
        "Disputed: the White House's claim that the tariff agreement with Vietnam had been signed",
    ),
    Case(
        "long name gets its short form",
        S.DISPUTED,
        "us.nhtsa",
        "National Highway Traffic Safety Administration",
        Side("NHTSA", "NHTSA says recall covers every affected model year"),
        (Side("Consumer group", "Safety group says 2019 models were left out of recall"),),
        "Disputed: NHTSA's claim that recall covers every affected model year",
    ),
    Case(
        "a foreign-language name is shown in English",
        S.DISPUTED,
        "mx.sre",
        "Secretaría de Relaciones Exteriores",
        Side("SRE", "Mexico's foreign ministry says consulates were not notified of the raids"),
        (
            Side(
                "U.S. Department of State",
                "State Department says Mexico was informed in advance",
                key="us.state",
            ),
        ),
        "Disputed: Mexican foreign ministry's claim that consulates were not notified of the raids",
    ),
    # --- retractions and corrections -----------------------------------------------------------
    Case(
        "retraction by the speaker",
        S.RETRACTED,
        "police.lyon",
        "Police (Lyon)",
        Side("Lyon police", "Lyon police: officer confronted the gunman inside the school"),
        (Side("Lyon police", "Lyon police withdraw account of school shooting", role=R, key="police.lyon"),),
        "Retracted: Lyon police statement that officer confronted the gunman inside the school",
        also=("1 retraction",),
    ),
    Case(
        "correction of a toll",
        S.CORRECTED,
        "ps.gaza_health",
        "Gaza Health Ministry",
        Side("Gaza Health Ministry", "Health ministry says 500 killed in strike on Gaza City hospital"),
        (
            Side(
                "Gaza Health Ministry", "Ministry revises hospital toll to 471", role=C, key="ps.gaza_health"
            ),
        ),
        "Corrected: Gaza health ministry's statement that 500 killed in strike on Gaza City…",
        also=("1 correction",),
    ),
    Case(
        "correction by a company",
        S.CORRECTED,
        "co.pg_e",
        "Pacific Gas and Electric",
        Side("PG&E", "PG&E says no power lines were energized near the fire's origin"),
        (
            Side(
                "Pacific Gas and Electric",
                "PG&E corrects: one line near origin was live",
                role=C,
                key="co.pg_e",
            ),
        ),
        "Corrected: PG&E's statement that no power lines were energized near the fire's origin",
    ),
    Case(
        "denied, then retracted",
        S.RETRACTED,
        "us.dhs",
        "U.S. Department of Homeland Security",
        Side("DHS", "DHS says Denver shooting suspect was in the country illegally"),
        (
            Side("Government of Venezuela", "Venezuela says suspect held a valid visa", key="ve.gov"),
            Side(
                "U.S. Department of Homeland Security",
                "DHS walks back claim on suspect's status",
                role=R,
                key="us.dhs",
            ),
        ),
        "Retracted: DHS's statement that Denver shooting suspect was in the country illegally",
        also=("1 denial · 1 retraction",),
    ),
    # --- one item reports both sides ---------------------------------------------------------
    Case(
        "single item, implicit 'that'",
        S.DISPUTED,
        "us.ice",
        "U.S. Immigration and Customs Enforcement",
        Side("ICE", "Mexico's president rejects ICE claim it led Sinaloa drug lab raids"),
        (
            Side(
                "President of Mexico",
                "Mexico's president rejects ICE claim it led Sinaloa drug lab raids",
                key="mx.president",
            ),
        ),
        "Disputed: ICE's claim that it led Sinaloa drug lab raids",
        single=True,
        also=("ICE claimed, Mexican president denied",),
    ),
    Case(
        "single item, then a second denial in another item",
        S.DISPUTED,
        "us.ice",
        "U.S. Immigration and Customs Enforcement",
        Side("ICE", "Mexico's president rejects ICE claim it led Sinaloa drug lab raids"),
        (
            Side(
                "President of Mexico",
                "Mexico's president rejects ICE claim it led Sinaloa drug lab raids",
                key="mx.president",
            ),
            Side(
                "U.S. Embassy in Mexico",
                "Embassy says ICE post on the raids was inaccurate",
                key="us.embassy_mx",
            ),
        ),
        "Disputed: ICE's claim that it led Sinaloa drug lab raids",
        single=True,
        also=("Also: U.S. Embassy in Mexico (denial, 2025-06-03) https://answers.example/1/1", "2 denials"),
    ),
    Case(
        "single item, the statement's clause up to the verdict",
        S.DISPUTED,
        "us.ice",
        "U.S. Immigration and Customs Enforcement",
        Side(
            "ICE",
            "Sheinbaum calls ICE raid claim false",
            "President Claudia Sheinbaum said ICE's claim that its agents led raids on three drug labs in Sinaloa was false.",
        ),
        (Side("Claudia Sheinbaum", "Sheinbaum calls ICE raid claim false", key="mx.sheinbaum"),),
        "Disputed: ICE's claim that its agents led raids on three drug labs in Sinaloa",
        single=True,
    ),
    Case(
        "single item, an account of a noun phrase",
        S.DISPUTED,
        "us.gov",
        "Government of United States",
        Side("U.S.", "Baghdad dismisses Washington's version of the Qaim strike"),
        (
            Side(
                "Government of Iraq",
                "Baghdad dismisses Washington's version of the Qaim strike",
                key="iq.gov",
            ),
        ),
        "Disputed: U.S. government's account of the Qaim strike",
        single=True,
    ),
    Case(
        "single item, retraction of a statement",
        S.RETRACTED,
        "us.dhs",
        "U.S. Department of Homeland Security",
        Side(
            "DHS",
            "DHS walks back claim on shooting suspect",
            "The Department of Homeland Security walked back its claim that the suspect in the Denver shooting was in the country illegally.",
        ),
        (
            Side(
                "U.S. Department of Homeland Security",
                "DHS walks back claim on shooting suspect",
                role=R,
                key="us.dhs",
            ),
        ),
        "Retracted: DHS's claim that the suspect in the Denver shooting was in the country…",
        single=True,
        also=("DHS claimed, U.S. Department of Homeland Security retracted", "1 retraction"),
    ),
    Case(
        "single item, the army's post is not the IDF's",
        S.DISPUTED,
        "il.idf",
        "Israel Defense Forces",
        Side(
            "IDF",
            "Lebanese army rejects Israeli claim about border tunnel",
            "The Lebanese army rejected the Israeli military's claim that a Hezbollah tunnel ran beneath one of the army's posts.",
        ),
        (
            Side(
                "Military of Lebanon",
                "Lebanese army rejects Israeli claim about border tunnel",
                key="lb.military",
            ),
        ),
        "Disputed: the IDF's claim that a Hezbollah tunnel ran beneath one of the army's posts",
        single=True,
    ),
    Case(
        "single item without the claim's words: no gist",
        S.DISPUTED,
        "ag.rsf",
        "Rapid Support Forces",
        Side("RSF", "Sudan army denies RSF claim", "The army denied the paramilitary's claim."),
        (Side("Military of Sudan", "Sudan army denies RSF claim", key="sd.military"),),
        "Disputed: the RSF's claim",
        single=True,
    ),
    # --- Spanish --------------------------------------------------------------------------------
    Case(
        "Spanish, informó que",
        S.DISPUTED,
        "mx.sspc",
        "Secretaría de Seguridad y Protección Ciudadana",
        Side(
            "SSPC",
            "Detienen a 14 en operativo en Culiacán",
            "La SSPC informó que 14 personas fueron detenidas en el operativo de Culiacán.",
            lang="es",
        ),
        (
            Side(
                "Fiscalía General de la República",
                "FGR: solo hubo tres detenidos en Culiacán",
                lang="es",
                key="mx.fgr",
            ),
        ),
        "Disputed: Mexican security ministry's claim “14 personas fueron detenidas…”",
        also=("in Spanish",),
    ),
    Case(
        "Spanish, aseguró que, cut",
        S.DISPUTED,
        "co.army",
        "Ejército Nacional de Colombia",
        Side(
            "Ejército",
            "Ejército: no hubo civiles entre los muertos",
            "El Ejército aseguró que no hubo civiles entre los muertos del bombardeo en Guaviare.",
            lang="es",
        ),
        (
            Side(
                "Defensoría del Pueblo",
                "Defensoría dice que tres menores murieron en el bombardeo",
                lang="es",
            ),
        ),
        "Disputed: Colombian army's claim “no hubo civiles entre los muertos”",
    ),
    Case(
        "Spanish, según",
        S.DISPUTED,
        "ar.casa_rosada",
        "Casa Rosada",
        Side(
            "Casa Rosada",
            "La inflación de marzo, la más baja en cinco años",
            "Según la Casa Rosada, la inflación de marzo fue la más baja en cinco años.",
            lang="es",
        ),
        (Side("Universidad de Buenos Aires", "Economistas de la UBA discuten el dato oficial", lang="es"),),
        "Disputed: Argentine government's claim “la inflación de marzo fue la más baja en cinco…”",
    ),
    Case(
        "Spanish single item, versión de que",
        S.DISPUTED,
        "us.ice",
        "U.S. Immigration and Customs Enforcement",
        Side(
            "ICE",
            "Sheinbaum rechaza la versión de ICE de que sus agentes encabezaron el operativo en Sinaloa",
            lang="es",
        ),
        (
            Side(
                "Claudia Sheinbaum",
                "Sheinbaum rechaza la versión de ICE de que sus agentes encabezaron el operativo en Sinaloa",
                lang="es",
                key="mx.sheinbaum",
            ),
        ),
        "Disputed: ICE's account “sus agentes encabezaron el operativo en Sinaloa”",
        single=True,
        also=("in Spanish",),
    ),
    Case(
        "Spanish retraction",
        S.RETRACTED,
        "es.policia",
        "Policía Nacional",
        Side(
            "Policía Nacional",
            "La Policía Nacional informó que el detenido es el autor del ataque en Valencia",
            lang="es",
        ),
        (
            Side(
                "Policía Nacional",
                "La Policía rectifica: el detenido no es el autor",
                lang="es",
                role=R,
                key="es.policia",
            ),
        ),
        "Retracted: Spanish police statement “el detenido es el autor del ataque en Valencia”",
    ),
    # --- French -------------------------------------------------------------------------------
    Case(
        "French, a affirmé que",
        S.DISPUTED,
        "fr.interior",
        "Ministère de l'Intérieur",
        Side(
            "Intérieur",
            "Manifestation: 80 000 personnes selon l'Intérieur",
            "Le ministère de l'Intérieur a affirmé que 80 000 manifestants avaient défilé à Paris.",
            lang="fr",
        ),
        (Side("CGT", "La CGT conteste le chiffre du ministère", lang="fr"),),
        "Disputed: French interior ministry's claim “80 000 manifestants avaient défilé à Paris”",
        also=("in French",),
    ),
    Case(
        "French, selon",
        S.DISPUTED,
        "fr.elysee",
        "Élysée",
        Side(
            "Élysée",
            "Rapport sur les hôpitaux",
            "Selon l'Élysée, le président n'a jamais été informé du rapport.",
            lang="fr",
        ),
        (Side("Cour des comptes", "La Cour des comptes dit avoir transmis le rapport en mars", lang="fr"),),
        "Disputed: the Élysée's claim “le président n'a jamais été informé du rapport”",
    ),
    Case(
        "French single item, selon laquelle",
        S.DISPUTED,
        "fr.gov",
        "Government of France",
        Side(
            "Paris",
            "Bamako dément l'affirmation de Paris selon laquelle des soldats russes étaient à Tombouctou",
            lang="fr",
        ),
        (
            Side(
                "Government of Mali",
                "Bamako dément l'affirmation de Paris selon laquelle des soldats russes étaient à Tombouctou",
                lang="fr",
                key="ml.gov",
            ),
        ),
        "Disputed: French government's claim “des soldats russes étaient à Tombouctou”",
        single=True,
    ),
    # --- German -------------------------------------------------------------------------------
    Case(
        "German, erklärte",
        S.DISPUTED,
        "de.bmi",
        "Bundesministerium des Innern",
        Side(
            "BMI",
            "Weniger Asylanträge",
            "Das Bundesinnenministerium erklärte, die Zahl der Asylanträge sei um 40 Prozent gesunken.",
            lang="de",
        ),
        (Side("Pro Asyl", "Pro Asyl: Rückgang liegt bei 15 Prozent", lang="de"),),
        "Disputed: German interior ministry's claim “die Zahl der Asylanträge sei um 40 Prozent…”",
        also=("in German",),
    ),
    Case(
        "German, label",
        S.DISPUTED,
        "de.polizei_berlin",
        "Polizei Berlin",
        Side("Polizei Berlin", "Polizei Berlin: Angreifer handelte allein", lang="de"),
        (Side("Generalbundesanwalt", "Bundesanwaltschaft ermittelt gegen zwei Helfer", lang="de"),),
        "Disputed: Berlin police claim “Angreifer handelte allein”",
    ),
    Case(
        "German single item, wonach",
        S.DISPUTED,
        "ru.gov",
        "Government of Russia",
        Side(
            "Moskau",
            "Berlin weist die Darstellung Moskaus zurück, wonach deutsche Soldaten in der Ukraine kämpfen",
            lang="de",
        ),
        (
            Side(
                "Bundesregierung",
                "Berlin weist die Darstellung Moskaus zurück, wonach deutsche Soldaten in der Ukraine kämpfen",
                lang="de",
                key="de.bundesregierung",
            ),
        ),
        "Disputed: Russian government's account “deutsche Soldaten in der Ukraine kämpfen”",
        single=True,
    ),
    # --- Portuguese ---------------------------------------------------------------------------
    Case(
        "Portuguese, afirmou que",
        S.DISPUTED,
        "br.health",
        "Ministério da Saúde",
        Side(
            "Ministério da Saúde",
            "Vacinas chegaram a todos os estados",
            "O Ministério da Saúde afirmou que todos os estados receberam as vacinas.",
            lang="pt",
        ),
        (Side("Conass", "Secretários dizem que seis estados ainda esperam doses", lang="pt"),),
        "Disputed: Brazilian health ministry's claim “todos os estados receberam as vacinas”",
        also=("in Portuguese",),
    ),
    Case(
        "Portuguese retraction",
        S.RETRACTED,
        "pt.psp",
        "Polícia de Segurança Pública",
        Side(
            "PSP",
            "Suspeito detido em Lisboa",
            "A PSP informou que o suspeito foi detido em Lisboa.",
            lang="pt",
        ),
        (
            Side(
                "Polícia de Segurança Pública",
                "PSP corrige: homem detido não é o suspeito",
                lang="pt",
                role=R,
                key="pt.psp",
            ),
        ),
        "Retracted: Portuguese police statement “o suspeito foi detido em Lisboa”",
    ),
    Case(
        "Portuguese single item, versão de que",
        S.DISPUTED,
        "ve.gov",
        "Government of Venezuela",
        Side(
            "Caracas",
            "Itamaraty nega a versão de Caracas de que tropas brasileiras cruzaram a fronteira",
            lang="pt",
        ),
        (
            Side(
                "Ministério das Relações Exteriores",
                "Itamaraty nega a versão de Caracas de que tropas brasileiras cruzaram a fronteira",
                lang="pt",
                key="br.itamaraty",
            ),
        ),
        "Disputed: Venezuelan government's account “tropas brasileiras cruzaram a fronteira”",
        single=True,
    ),
    # --- a Spanish desk -----------------------------------------------------------------------
    Case(
        "English claim on a desk whose language is English; a Spanish denial is marked",
        S.DISPUTED,
        "us.state",
        "U.S. Department of State",
        Side("State Department", "State Department says visas of Mexican officials were revoked"),
        (
            Side(
                "Presidencia de México",
                "Presidencia: ningún funcionario ha sido notificado",
                lang="es",
                key="mx.presidency",
            ),
        ),
        "Disputed: the State Department's claim that visas of Mexican officials were revoked",
        also=("Mexican presidency, 2025-06-03, in Spanish",),
    ),
)

_STATUS = {
    DisputeStatus.DISPUTED: "Disputed: ",
    DisputeStatus.RETRACTED: "Retracted: ",
    DisputeStatus.CORRECTED: "Corrected: ",
}


def _dispute(case: Case, dispute_id: int = 1) -> Dispute:
    claim_id = 100
    claim = Evidence(
        item_id=claim_id,
        role=EvidenceRole.CLAIM,
        actor=case.speaker,
        title=case.claim.title,
        quote=case.claim.quote or case.claim.title,
        link=f"https://claims.example/{dispute_id}",
        published=T0,
        source="Claimant's feed",
        language=case.claim.lang,
        actor_key=case.speaker_key,
    )
    evidence = []
    for i, side in enumerate(case.answers):
        same = case.single and i == 0
        evidence.append(
            Evidence(
                item_id=claim_id if same else claim_id + 1 + i,
                role=side.role,
                actor=side.actor,
                title=side.title,
                quote=claim.quote if same else (side.quote or side.title),
                link=claim.link if same else f"https://answers.example/{dispute_id}/{i}",
                published=T0 if same else T0 + timedelta(days=1, hours=i),
                source="Wire" if same else f"Outlet {i}",
                language=side.lang,
                actor_key=side.key,
            )
        )
    return Dispute(
        id=dispute_id,
        status=case.status,
        speaker=case.speaker,
        topic="(the detector's topic, unused by headlines)",
        claim=claim,
        evidence=tuple(evidence),
        confidence=0.8,
        reasons=("official speaker",),
        speaker_key=case.speaker_key,
    )


def test_the_table_is_big_and_varied() -> None:
    assert len(CASES) >= 40
    assert {c.claim.lang for c in CASES} >= {"en", "es", "fr", "de", "pt"}
    assert {c.status for c in CASES} >= {
        DisputeStatus.DISPUTED,
        DisputeStatus.RETRACTED,
        DisputeStatus.CORRECTED,
    }
    assert sum(c.single for c in CASES) >= 8


def _gist(header: str, status: DisputeStatus) -> str | None:
    """The claim's words inside a headline: after 'that'/'of'/'on', or between the quotes."""
    m = re.search(r"“(.+)”$", header) or re.search(r" (?:that|of|on) (.+)$", header[len(_STATUS[status]) :])
    return m.group(1) if m else None


def _source_of(gist: str, case: Case) -> tuple[str, int] | None:
    """Where the gist's words are in the claim's own text (title or statement), ignoring the case of
    the first letter and a final '…'."""
    words = gist.removesuffix("…")
    for text in (case.claim.quote, case.claim.title):
        for probe in (words, words[:1].upper() + words[1:]):
            pos = text.find(probe)
            if pos >= 0:
                return text, pos
    return None


# What may come right before the gist in the claim's text: nothing (the start of its headline or
# statement), a label's colon, an attribution's comma, a reporting verb, a complementiser, or a
# claim noun and its preposition. Anything else would be a start in mid-sentence.
_CLAUSE_OPENERS = re.compile(
    r"(?:^|[:,]|\b(?:that|said|says|say|claim|version|account|of|on|de que|que|qu'|selon laquelle|wonach|"
    r"informó|aseguró|afirmou|a affirmé))\s*$",
    re.IGNORECASE,
)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_alert_wording(case: Case) -> None:
    view = build_view(_dispute(case), style=AlertStyle(base_url="https://desk.example", language="en"))
    header = view.header
    assert header == case.expect
    assert len(header) <= HEADLINE_MAX
    assert header.startswith(_STATUS[case.status])
    # proper possessives, no gazetteer artefacts
    assert not re.search(r"\b(?:Government|Police|Embassy|President|Military|Ministry) of ", header)
    assert not re.search(r"\([A-Z][a-z]\)", header) and "s's " not in header and "'s's" not in header
    gist = _gist(header, case.status)
    if gist is not None:
        found = _source_of(gist, case)
        assert found is not None, f"{gist!r} is not in the claim's own words"
        text, pos = found
        before = text[:pos]
        assert _CLAUSE_OPENERS.search(before), f"{gist!r} starts mid-sentence after {before!r}"
        if not case.single:  # never the denial's words
            for side in case.answers:
                assert gist.removesuffix("…") not in side.title
    parent = render_parent(view)
    for extra in case.also:
        assert extra in parent, parent
    # every link is in the alert, and the timeline too
    assert all(link in parent for link in view.links)
    assert "Timeline: https://desk.example/disputes/1" in parent
    # nouns agree with the evidence
    roles = [s.role for s in case.answers]
    for role in (D, R, C):
        n = roles.count(role)
        if n:
            assert f"{n} {role_noun(role, n)}" in parent
        else:
            assert f" {role_noun(role)}" not in parent.splitlines()[-3]  # the counts line
    if case.single:  # the quote once, with who said what
        assert parent.count(view.claim.quote[:60]) == 1
        assert " claimed, " in parent and "Reported (" in parent
    else:
        assert parent.splitlines()[1].startswith("Claim: ")
    # the language is shown where it is not the desk's, never for the desk's own
    assert "in English" not in parent


def test_a_follow_up_names_the_new_evidence_with_its_noun() -> None:
    case = next(c for c in CASES if c.name == "denied, then retracted")
    dispute = _dispute(case)
    view = build_view(dispute, update=dispute.evidence[-1])
    text = render_followup(view)
    assert text.startswith("Retracted by the speaker: U.S. Department of Homeland Security")
    assert "Now: retracted · 1 denial · 1 retraction" in text


def test_desk_language_decides_what_is_marked() -> None:
    case = next(c for c in CASES if c.name == "Spanish, informó que")
    spanish_desk = render_parent(build_view(_dispute(case), style=AlertStyle(language="es")))
    english_desk = render_parent(build_view(_dispute(case), style=AlertStyle(language="en")))
    assert "in Spanish" not in spanish_desk and "in Spanish" in english_desk


def test_counter_accounts_are_named_as_such() -> None:
    # the detector's redesign adds this role; the wording must not call it a denial
    assert role_noun("counter_account") == "counter-account"
    assert role_noun("counter_account", 2) == "counter-accounts"


@pytest.mark.parametrize(
    ("owner", "noun", "expect"),
    [
        ("ICE", "claim", "ICE's claim"),
        ("the Houthis", "claim", "the Houthis' claim"),
        ("U.S. Congress", "claim", "U.S. Congress's claim"),
        ("Lyon police", "statement", "Lyon police statement"),
        ("Mexico's GNR", "claim", "claim by Mexico's GNR"),
        ("Japanese embassy in Iraq", "claim", "claim by Japanese embassy in Iraq"),
    ],
)
def test_owner_phrases(owner: str, noun: str, expect: str) -> None:
    assert owner_phrase(owner, noun) == expect


_words = st.text(alphabet=st.characters(categories=("L", "N"), max_codepoint=0x24F), min_size=1, max_size=12)
_sentence = st.lists(_words, min_size=1, max_size=30).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(
    owner=st.text(min_size=1, max_size=60).filter(str.strip),
    title=_sentence,
    quote=st.one_of(_sentence, st.text(max_size=400)),
    status=st.sampled_from(list(DisputeStatus)),
    single=st.booleans(),
    lang=st.sampled_from(["en", "es", "fr", "de", "pt", None]),
)
def test_headline_rules_hold_for_any_text(
    owner: str, title: str, quote: str, status: DisputeStatus, single: bool, lang: str | None
) -> None:
    claim = Evidence(
        item_id=1,
        role=EvidenceRole.CLAIM,
        actor=owner,
        title=title,
        quote=quote,
        link=None,
        published=None,
        source="",
        language=lang,
    )
    header = build_headline(status, owner, claim, single_item=single, language=lang)
    assert len(header) <= HEADLINE_MAX
    assert "\n" not in header
    m = re.search(r"“(.+)”$", header)
    if m:  # quoted words are the claim's own, from the start of a sentence or clause
        words = m.group(1).removesuffix("…")
        assert words in " ".join(quote.split()) or words in " ".join(title.split())


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=80).filter(str.strip))
def test_possessive_is_never_doubled(name: str) -> None:
    out = possessive(name)
    assert out.startswith(name) and not out.endswith(("'s's", "''"))


def test_renderers_keep_hostile_words_inert() -> None:
    case = CASES[0]
    hostile = replace(case.claim, title="<!channel> ICE says @everyone its unit led raids on <@U123> labs")
    view = build_view(_dispute(replace(case, claim=hostile)))
    text = render_parent(view)
    assert "<!channel>" not in text and "<@U123>" not in text


def test_a_broken_user_actors_file_never_stops_an_alert(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.alerts.names import actor_names

    bad = tmp_path / "actors.toml"
    bad.write_text('[actors]\n"x.y" = { name = "X", type = "no-such-type" }\n')
    view = build_view(_dispute(CASES[0]), style=AlertStyle(actors_files=(str(bad),)))
    assert view.header == CASES[0].expect
    assert actor_names((str(tmp_path / "missing.toml"),)).short("us.ice", "U.S. ICE") == "ICE"
