"""Russian and Italian names of actors the gazetteer lists: office holders, international bodies,
Russian state bodies and companies, in the forms the press writes them.

Russian aliases of actors.toml are spelled out in their case forms (genitive, dative,
instrumental, prepositional): the term index declines the names of the language files, not the
aliases of actors.toml. The sentences are written for these tests.
"""

from __future__ import annotations

import pytest

from bot.detect.actors import Context, Gazetteer
from bot.types import ActorType


def _keys(gaz: Gazetteer, text: str, language: str) -> list[str]:
    return [a.key for a, _ in gaz.find_all(text, country=Context(language=language))]


FOUND = [
    # Russian: office holders, in the nominative and in other cases
    ("ru", "Бортников заявил о сорванной попытке диверсии", "ru.bortnikov"),
    ("ru", "Журналисты спросили Нарышкина о сроках обмена", "ru.naryshkin"),
    ("ru", "Встреча с Николаем Патрушевым прошла без прессы", "ru.patrushev"),
    ("ru", "Кулеба отверг упреки в затягивании переговоров", "ua.kuleba"),
    ("ru", "Позиция Залужного по мобилизации не изменилась", "ua.zaluzhnyi"),
    ("ru", "Андрей Ермак опроверг сообщения о своей отставке", "ua.yermak"),
    ("ru", "Телефонный разговор с Блинкеном длился час", "us.blinken"),
    ("ru", "Представитель Хегсета отказался от комментариев", "us.hegseth"),
    ("ru", "Вэнс назвал публикацию выдумкой", "us.vance"),
    ("ru", "Слова Стармера вызвали споры в парламенте", "gb.starmer"),
    ("ru", "Министр переговорил с Дэвидом Лэмми по телефону", "gb.lammy"),
    ("ru", "Дарманен опроверг слухи о своем уходе", "fr.darmanin"),
    ("ru", "Интервью Писториуса вышло в воскресенье", "de.pistorius"),
    ("ru", "Урсула фон дер Ляйен выступила перед депутатами", "de.von_der_leyen"),
    ("ru", "Мелони опровергла разногласия в коалиции", "it.meloni"),
    ("ru", "Обращение Маттареллы прозвучало в полдень", "it.mattarella"),
    ("ru", "Позиция Сикорского по санкциям осталась прежней", "pl.sikorski"),
    ("ru", "Фидан провел переговоры с делегацией", "tr.fidan"),
    ("ru", "Пресс-служба Галанта опровергла утечку", "il.gallant"),
    ("ru", "Аракчи отверг предложение о прямых контактах", "ir.araghchi"),
    ("ru", "Переговоры с Пезешкианом назначены на пятницу", "ir.pezeshkian"),
    ("ru", "Беседа с Токаевым была посвящена транзиту", "kz.tokayev"),
    ("ru", "Пашинян заявил о готовности подписать договор", "am.pashinyan"),
    ("ru", "Делегация встретилась с Алиевым в столице", "az.aliyev"),
    ("ru", "Орбан пригрозил заблокировать решение", "hu.orban"),
    ("ru", "Встреча с Ли Цяном завершилась подписанием меморандума", "cn.li_qiang"),
    ("ru", "Рютте призвал союзников увеличить расходы", "nl.rutte"),
    # Russian: international bodies
    ("ru", "МВФ ухудшил прогноз роста мировой экономики", "imf"),
    ("ru", "Эксперты Всемирного банка пересмотрели оценки", "worldbank"),
    ("ru", "ОБСЕ направит наблюдателей на выборы", "osce"),
    ("ru", "Решение МУС вызвало споры", "icc"),
    ("ru", "Международный уголовный суд отклонил жалобу", "icc"),
    ("ru", "Сотрудники Красного Креста получили доступ к лагерю", "icrc"),
    ("ru", "Резолюция была принята Европарламентом в четверг", "eu.parliament"),
    ("ru", "Генсек ООН призвал стороны к сдержанности", "un.secretary_general"),
    ("ru", "Гринпис обвинил компанию в сокрытии разлива", "ngo.greenpeace"),
    # Russian: state bodies, companies, news agencies
    ("ru", "В Газпроме опровергли слухи о сокращении поставок", "ru.gazprom"),
    ("ru", "Глава Росатома посетил площадку", "ru.rosatom"),
    ("ru", "Следственным комитетом России возбуждено уголовное дело", "ru.investigative_committee"),
    ("ru", "МЧС России сообщило о ликвидации пожара", "ru.emercom"),
    ("ru", "В Роскосмосе опровергли сообщения об аварии", "ru.roscosmos"),
    ("ru", "Об этом сообщает ТАСС со ссылкой на источник", "media.tass"),
    ("ru", "Собеседник РИА Новости подтвердил информацию", "media.ria"),
    ("ru", "ФРС сохранила ставку без изменений", "us.fed"),
    ("ru", "В Конгрессе США заявили о новых слушаниях", "us.congress"),
    ("ru", "Представитель бундесвера отказался от комментариев", "de.bundeswehr"),
    # Italian
    ("it", "La Commissione Ue smentisce le indiscrezioni sul bilancio", "eu.commission"),
    ("it", "Il Fondo monetario internazionale rivede le stime di crescita", "imf"),
    ("it", "Secondo l'Aiea la centrale resta sotto controllo", "iaea"),
    ("it", "L’Fbi apre un fascicolo sull'attacco informatico", "us.fbi"),
    ("it", "La Banca mondiale taglia le previsioni per l'Africa", "worldbank"),
    ("it", "La Corte penale internazionale respinge il ricorso", "icc"),
    ("it", "I Pasdaran negano ogni coinvolgimento", "ir.irgc"),
    ("it", "L'Alleanza atlantica rafforza il fianco orientale", "nato"),
    ("it", "La Bce lascia invariati i tassi", "eu.ecb"),
    ("it", "Re Carlo III ringrazia i soccorritori", "gb.charles"),
    ("it", "Il Consiglio europeo approva il pacchetto di aiuti", "eu.council"),
    ("it", "L'Organizzazione mondiale della sanità lancia l'allarme", "who"),
    ("it", "Medici senza frontiere denuncia nuovi attacchi agli ospedali", "ngo.msf"),
    ("it", "Il Congresso americano blocca i fondi", "us.congress"),
    ("it", "Il Comitato internazionale della Croce Rossa chiede accesso ai detenuti", "icrc"),
    ("it", "L'Osce invia una missione di osservatori", "osce"),
    ("it", "Il Comitato investigativo russo apre un'inchiesta", "ru.investigative_committee"),
]


@pytest.mark.parametrize(("language", "text", "key"), FOUND)
def test_russian_and_italian_names_find_their_actor(
    gaz: Gazetteer, language: str, text: str, key: str
) -> None:
    assert key in _keys(gaz, text, language)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Газпром опроверг слухи", "ru.gazprom"),  # nominative
        ("акции Газпрома упали", "ru.gazprom"),  # genitive
        ("договор с Газпромом продлен", "ru.gazprom"),  # instrumental
        ("Кулеба выступил", "ua.kuleba"),
        ("слова Кулебы", "ua.kuleba"),
        ("разговор с Кулебой", "ua.kuleba"),
        ("Следственный комитет РФ", "ru.investigative_committee"),
        ("данные Следственного комитета РФ", "ru.investigative_committee"),
        ("Навроцкий выступил", "pl.nawrocki"),
        ("встреча с Навроцким", "pl.nawrocki"),
    ],
)
def test_a_russian_alias_is_found_in_its_case_forms(gaz: Gazetteer, text: str, key: str) -> None:
    assert key in _keys(gaz, text, "ru")


@pytest.mark.parametrize(
    ("language", "text", "not_key"),
    [
        ("ru", "Мир изменился за одну ночь", None),  # an ordinary word names nobody
        ("ru", "На реке работали драги", "it.draghi"),  # a dredge, not Mario Draghi
        ("ru", "Герцог Сассекский выступил с речью", "il.herzog"),  # a duke
        ("ru", "Тренер Конте похвалил команду", "it.conte"),  # the football coach
        ("ru", "В Остине прошел музыкальный фестиваль", "us.austin"),  # the city
        ("ru", "Цена выросла на пять пенсов", "us.pence"),
        ("ru", "Джордж Буш-старший", "us.bush"),  # the father
        ("it", "Lo Stato ha deciso di intervenire", None),
        ("it", "Ciò che conta è il risultato", None),
        ("es", "La Corte Suprema usa un criterio distinto", "us.supreme_court"),  # 'usa': uses
    ],
)
def test_ordinary_words_are_not_these_actors(
    gaz: Gazetteer, language: str, text: str, not_key: str | None
) -> None:
    keys = _keys(gaz, text, language)
    if not_key is None:
        assert keys == []
    else:
        assert not_key not in keys


def test_one_word_names_need_their_capital(gaz: Gazetteer) -> None:
    assert "ru.gazprom" not in _keys(gaz, "газпром опроверг слухи", "ru")
    assert "imf" not in _keys(gaz, "il fmi avverte", "it")


def test_the_new_russian_state_bodies_speak_for_the_government(gaz: Gazetteer) -> None:
    for key, atype in (
        ("ru.investigative_committee", ActorType.AGENCY),
        ("ru.emercom", ActorType.MINISTRY),
        ("ru.roscosmos", ActorType.AGENCY),
    ):
        actor = gaz.get(key)
        assert actor is not None
        assert actor.type is atype
        assert actor.country == "ru"
        assert actor.parent == "ru.gov"


def test_a_cyrillic_alias_given_once_is_found_in_its_case_forms() -> None:
    # a user's actor with only the nominative: the Russian case endings apply to it
    gaz = Gazetteer.from_toml(
        '[actors]\n"ru.rosgvardia_test" = { name = "Росгвардия", type = "agency", country = "ru", '
        'parent = "ru.gov", aliases = [] }\n'
    )
    for text in ("Росгвардия опровергла слухи", "Представитель Росгвардии опроверг слухи", "С Росгвардией"):
        assert "ru.rosgvardia_test" in _keys(gaz, text, "ru"), text


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Il ministro degli Esteri Antonio Tajani ha parlato ieri", "it.tajani"),
        ("Il ministro degli Esteri Tajani ha parlato ieri", "it.tajani"),  # the surname alone
        ("Il ministro della Difesa Guido Crosetto ha parlato ieri", "it.crosetto"),
    ],
)
def test_an_italian_title_with_a_portfolio_names_the_listed_minister(
    gaz: Gazetteer, text: str, key: str
) -> None:
    # the portfolio's last word ("Esteri", "Difesa") is not the minister's first name
    assert _keys(gaz, text, "it") == [key]
