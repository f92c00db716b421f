"""Which language's words read an item that does not say its language.

Feeds often tag no language. The five-language guess (`bot.text.guess_language`) reads words
and letters that Italian, Polish, Turkish, Dutch and Swedish share with its five (Italian "la",
Turkish "ç", Polish "do"), so the statement reader asks the language identifier first and
keeps its answer when it names one of the readers' other languages. Sentences are invented.
"""

from __future__ import annotations

import pytest

from bot.detect.actors import Gazetteer
from bot.detect.statements import extract_statements
from tests.test_statements import item

UNTAGGED = [
    ("it", "La Farnesina smentisce le notizie sul ritiro dell'ambasciatore da Mosca"),
    ("pl", "Rzecznik rządu zaprzecza doniesieniom o dymisji ministra finansów"),
    ("tr", "Dışişleri Bakanlığı, Yunanistan'ın iddialarını kesinlikle reddetti"),
    ("nl", "Het kabinet ontkent berichten over een geheime afspraak met de provincies"),
    ("sv", "Regeringen tillbakavisar uppgifterna om hemliga förhandlingar med Ryssland"),
    ("es", "El Gobierno desmiente los rumores sobre la dimisión del ministro de Hacienda"),
    ("pt", "O Planalto nega as informações sobre a saída do ministro da Fazenda"),
    ("fr", "L'Élysée dément les rumeurs d'un remaniement avant l'été"),
    ("de", "Die Bundesregierung dementiert Berichte über geheime Gespräche mit Moskau"),
    ("en", "The Kremlin denies reports of secret talks with Washington"),
]


@pytest.mark.parametrize(("language", "title"), UNTAGGED)
def test_an_untagged_denial_is_read_in_its_own_language(gaz: Gazetteer, language: str, title: str) -> None:
    found = extract_statements(item(title), gaz)
    assert found, title
    assert {st.language for st in found} == {language}


def test_a_declared_language_is_kept(gaz: Gazetteer) -> None:
    # declared Italian, though the identifier alone might name another Romance language
    found = extract_statements(item("Il ministero smentisce la notizia", language="it"), gaz)
    assert {st.language for st in found} <= {"it"}
