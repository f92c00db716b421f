"""Disputes worded without the usual verbs: a speaker taking back their own account ("says he
misspoke", "changes its story", "sorry for false claim") and a finding that the subject's own words
were false ("wrongly claimed", "lied about", "caught in a lie", "afirmó falsamente", "a menti sur",
"hat gelogen", "mentiu sobre"), in five languages.

Every sentence is written for these tests.
"""

from __future__ import annotations

import pytest

from bot.detect.actors import Gazetteer
from bot.types import StatementKind
from tests.test_statements import read


@pytest.mark.parametrize(
    ("language", "title", "who"),
    [
        ("en", "Macron says he misspoke about the pension vote", "Emmanuel Macron"),
        ("en", "Pentagon changes its story on the Kabul drone strike", "U.S. Department of Defense"),
        ("en", "Pentagon shifts story over the Kabul drone strike", "U.S. Department of Defense"),
        ("en", "White House shifted its explanation of the envoy's recall", "White House"),
        ("en", "White House sorry for false claim about vaccine deliveries", "White House"),
        (
            "en",
            "Health ministry expresses regret over its announcement on school closures",
            "Health ministry",
        ),
        ("es", "El Ministerio de Salud cambió su versión sobre las vacunas caducadas", "Health ministry"),
        ("es", "Sheinbaum admite que se expresó mal sobre la refinería", "Claudia Sheinbaum"),
        ("fr", "Le ministère de l'Intérieur change de version sur l'incendie", "Ministère de l'Intérieur"),
        ("de", "Das Innenministerium ändert seine Darstellung des Polizeieinsatzes", "Interior ministry"),
        ("de", "Scholz hat sich versprochen: Es waren 400 Soldaten, nicht 4000", "Olaf Scholz"),
        ("pt", "O Ministério da Saúde mudou sua versão sobre as vacinas", "Ministério da Saúde"),
    ],
)
def test_a_speaker_taking_back_their_own_account_in_other_words(
    gaz: Gazetteer, language: str, title: str, who: str
) -> None:
    st = read(gaz, title, language=language)
    assert st, title
    assert st[0].kind is StatementKind.RETRACTION
    assert st[0].speaker is not None and st[0].speaker.name == who
    # what is taken back is the speaker's own statement: the dispute is about them
    assert st[0].target is not None and st[0].target.name == who


@pytest.mark.parametrize(
    ("language", "title", "who"),
    [
        ("en", "Pentagon wrongly claimed the base had been evacuated", "U.S. Department of Defense"),
        ("en", "Biden lied about the border wall, Republicans say", "Joe Biden"),
        ("en", "White House caught in a lie about the vaccine rollout", "White House"),
        ("en", "The Kremlin tells bold, easily disproved lies about the strike", "Kremlin"),
        ("es", "El Ministerio de Defensa afirmó falsamente que no hubo víctimas", "Defence ministry"),
        ("es", "Milei mintió sobre la inflación, según el Indec", "Javier Milei"),
        ("fr", "Macron a affirmé à tort que la dette avait baissé", "Emmanuel Macron"),
        (
            "fr",
            "Le ministère de l'Intérieur a menti sur le nombre de manifestants",
            "Ministère de l'Intérieur",
        ),
        (
            "de",
            "Das Verteidigungsministerium hat über die Zahl der Toten gelogen",
            "Bundesministerium der Verteidigung",
        ),
        ("de", "Scholz behauptete fälschlicherweise, die Renten seien gestiegen", "Olaf Scholz"),
        ("pt", "Lula afirmou falsamente que a inflação caiu", "Luiz Inácio Lula da Silva"),
        ("pt", "O Ministério da Saúde mentiu sobre as vacinas", "Ministério da Saúde"),
    ],
)
def test_a_finding_that_the_subjects_own_words_were_false(
    gaz: Gazetteer, language: str, title: str, who: str
) -> None:
    st = read(gaz, title, language=language)
    assert st and st[0].kind is StatementKind.DENIAL, title
    # the subject is whose statement is disputed, not who disputes it
    assert st[0].target is not None and st[0].target.name == who
    assert st[0].speaker is None or st[0].speaker.name != who


@pytest.mark.parametrize(
    ("title", "who"),
    [
        ("Judge finds Trump's claims of fraud baseless", "Donald Trump"),
        ("Regulator says the ministry made false and misleading claims about the water supply", "Ministry"),
    ],
)
def test_an_authoritys_finding_against_a_statement(gaz: Gazetteer, title: str, who: str) -> None:
    st = read(gaz, title)
    assert st and st[0].kind is StatementKind.DENIAL, title
    assert st[0].target is not None and st[0].target.name == who


@pytest.mark.parametrize(
    ("language", "title"),
    [
        # lying to a bank or an investor is a deed (fraud), not a public statement disputed
        ("en", "Trump aide lied to banks to get loans, prosecutors say"),
        # a story of a game, a film, regret for an inconvenience: no statement taken back
        ("en", "Pentagon changes its story of the film about the Kabul airlift"),
        ("en", "White House regrets the inconvenience caused by the road closures"),
        # "versprochen" without "sich" is a promise
        ("de", "Scholz hat höhere Renten versprochen"),
        # a finding of fake goods is no finding against anyone's words
        ("en", "Police found fake passports in the ministry's car"),
        ("en", "Netflix changes story of The Crown"),
        # lying in a game or about one's age in a film is nobody's statement disputed
        ("de", "Die Kinder haben beim Spiel gelogen"),
        ("fr", "Il ment sur son âge dans ce film"),
    ],
)
def test_the_same_words_in_other_senses_dispute_nothing(gaz: Gazetteer, language: str, title: str) -> None:
    assert read(gaz, title, language=language) == [], title


@pytest.mark.parametrize(
    "title",
    [
        # a figure misstated or overestimated
        "The defence minister misstated the number of troops deployed",
        "Watchdog says the Pentagon had been overestimating troop numbers for two years",
        # a plural subject takes the bare verb in a headline
        "Police correct death toll in Lagos market fire to 9",
        "Officials correct casualty figures after the dam collapse",
        # no word between the verb and the toll
        "Interior ministry revises death toll down to 31",
        "Police revise death toll in the ferry sinking",
        # setting one's own remarks straight
        "Defence minister clarifies his remarks on the border incident",
    ],
)
def test_a_figure_or_remark_set_right_is_a_correction(gaz: Gazetteer, title: str) -> None:
    st = read(gaz, title)
    assert st and st[0].kind is StatementKind.CORRECTION, title


@pytest.mark.parametrize(
    "title",
    [
        "The correct death toll is still unknown, officials say",  # the adjective
        "Correct figures will take weeks, the ministry says",
        "Police say the count was not correct",
        "Interior ministry revises death toll up to 31 as more bodies are found",  # new deaths, not an error
    ],
)
def test_correct_as_an_adjective_or_a_rising_toll_is_no_correction(gaz: Gazetteer, title: str) -> None:
    assert not any(s.kind is StatementKind.CORRECTION for s in read(gaz, title)), title


@pytest.mark.parametrize(
    "title",
    [
        "Money market deficit revised downwards to 300 million",
        "IMF revises down its growth forecast for Chile",
        "Statistics office revised GDP growth down to 0.8 percent",
        "Central bank revised its inflation forecast downward",
        # the aggregate named after a possessive: "its estimate of today's shortfall"
        "The central bank said it had revised its estimate of today's shortfall to 900 million",
    ],
)
def test_a_forecast_or_economic_figure_revised_is_routine_not_a_correction(
    gaz: Gazetteer, title: str
) -> None:
    assert not any(s.kind is StatementKind.CORRECTION for s in read(gaz, title)), title


@pytest.mark.parametrize(
    "title",
    [
        "Interior ministry revised the number of injured down to 12",
        "Harbour police revised their estimate of the crowd to 20,000",
    ],
)
def test_a_toll_or_a_crowd_estimate_revised_is_still_a_correction(gaz: Gazetteer, title: str) -> None:
    st = read(gaz, title)
    assert st and st[0].kind is StatementKind.CORRECTION
