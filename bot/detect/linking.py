"""Linking a denial, retraction or correction to the earlier claim it answers.

Two halves:

* text features that work across languages: diacritics folded, light stemming, a small
  es/fr/de/pt -> en gloss of the words news about disputes keeps using, numbers and
  capitalised names kept apart because they carry most of the topic;
* the decision: which stored claim (or existing dispute) a new statement answers, from the
  actors (the denial's target is the claim's speaker, or the same organisation), the topical
  overlap, and the time order within the configured windows.

Everything here is pure and synchronous; the detector runs it in a worker thread.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from bot.types import OFFICIAL_ACTOR_TYPES, Actor, ActorType, Statement, StatementKind

# --- text features -----------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:[.,'][^\W_]+)*", re.UNICODE)
_NUMBER = re.compile(r"^\d[\d.,]*$")

# Function words of the five languages plus the cue and reporting verbs themselves: they say
# *that* something was said or denied, not *what* it is about, so they must not make two
# unrelated disputes look alike.
_STOP = frozenset(
    """
    a an the and or but if of to in on at by for from with without about into over after before
    as is are was were be been being has have had do does did not no nor so than that this these
    those there their they them its it he she his her we our you your i me my who whom which what
    when where why how all any both each few more most other some such only own same too very can
    will just should now also than then once here out up down off again further while during
    said says say saying told tells according statement statements report reports reported claim
    claims claimed claiming deny denies denied denying denial rejects rejected reject false falsely
    untrue inaccurate incorrect wrong retract retracts retracted retraction correct corrects corrected
    correction walks back new news official officials spokesman spokeswoman spokesperson
    mr mrs ms dr de del la las el los lo un una unos unas y o e u en con por para sin sobre
    entre que qui quoi se su sus al es son fue fueron ha han ser estar esta este esto estos
    estas ese esa eso como mas pero ni ya muy tambien segun dijo dice afirmo afirma asegura
    aseguro niega nego desmiente desmintio rechaza rechazo falso falsa falsos informo
    le les des du au aux et ou ne pas est sont ete etre avoir une il elle ils elles nous vous
    ce cet cette ces son sa ses leur leurs dans par pour avec sans sur selon dit affirme
    dement dementi faux fausse
    der die das den dem des ein eine einer eines einem einen und oder nicht ist sind war waren
    hat haben wird werden mit ohne von vom zu zum zur auf aus bei nach uber fur im am um sich
    sagte sagt laut dementiert falsch
    o os as um uma uns umas do da dos das no na nos nas ao aos pelo pela pelos pelas com sem
    por para sobre e ou nao sim foi sao ser estar disse diz afirmou segundo desmente nega
    falsa falso informou
    """.split()
)

# A small gloss of the words stories about disputes keep using, so that a Spanish denial
# shares terms with an English claim. Keys are folded (no diacritics), values are the
# English stem. Kept short on purpose: names and numbers already cross languages.
_GLOSS: dict[str, str] = {}


def _gloss(english: str, *words: str) -> None:
    for w in words:
        _GLOSS[w] = english


_gloss("lab", "laboratorio", "laboratorios", "laboratoire", "laboratoires", "labor", "labore", "laboratorium")
_gloss("drug", "droga", "drogas", "drogue", "drogues", "droge", "drogen", "narco", "narcoticos")
_gloss(
    "oper",
    "operativo",
    "operativos",
    "operacion",
    "operaciones",
    "operation",
    "operacao",
    "operacoes",
    "einsatz",
)
_gloss("agent", "agentes", "agente", "agents", "agenten")
_gloss(
    "dead",
    "muertos",
    "muerto",
    "muertes",
    "morts",
    "mort",
    "tote",
    "toten",
    "mortos",
    "morte",
    "mortes",
    "fallecidos",
    "victimas",
    "victimes",
    "opfer",
    "vitimas",
    "deces",
    "obitos",
    "death",
    "deaths",
    "killed",
)
_gloss("kill", "matar", "mato", "tue", "tues", "getotet", "mortas", "asesinados")
_gloss(
    "troop",
    "tropas",
    "troupes",
    "truppen",
    "soldados",
    "soldats",
    "soldaten",
    "soldier",
    "soldiers",
    "troops",
)
_gloss("army", "ejercito", "armee", "armée", "exercito", "militares", "militaires", "militar", "military")
_gloss("attack", "ataque", "ataques", "attaque", "attaques", "angriff", "anschlag", "atentado")
_gloss("missil", "misil", "misiles", "missile", "missiles", "rakete", "raketen", "missil", "misseis")
_gloss("hospit", "hospital", "hopital", "krankenhaus", "hospitais", "hospitales")
_gloss("girl", "ninas", "chicas", "filles", "madchen", "meninas", "schoolgirls")
_gloss("hostag", "rehenes", "otages", "geiseln", "refens", "hostages")
_gloss(
    "freed",
    "liberados",
    "liberadas",
    "liberes",
    "liberees",
    "freigelassen",
    "libertados",
    "liberation",
    "released",
)
_gloss("border", "frontera", "frontiere", "grenze", "fronteira", "valla", "fence")
_gloss("vaccin", "vacuna", "vacunas", "vaccin", "vaccins", "impfstoff", "vacina", "vacinas", "vaccine")
_gloss("elect", "elecciones", "eleccion", "elections", "election", "wahl", "wahlen", "eleicao", "eleicoes")
_gloss("fraud", "fraude", "betrug", "fraudes")
_gloss("vote", "urnas", "urna", "voto", "votos", "vote", "votes", "ballot", "ballots", "machines")
_gloss(
    "toll",
    "balance",
    "bilan",
    "bilanz",
    "balanco",
    "cifra",
    "cifras",
    "chiffre",
    "chiffres",
    "zahl",
    "numero",
)
_gloss("data", "datos", "donnees", "daten", "dados")
_gloss("forest", "deforestacion", "deforestation", "desmatamento", "abholzung")
_gloss(
    "talk",
    "conversaciones",
    "dialogo",
    "negociaciones",
    "discussions",
    "gesprache",
    "conversas",
    "talks",
    "dialogue",
    "negotiations",
)
_gloss("explos", "explosion", "explosao", "explosionen", "explosiones", "blast")
_gloss("fire", "incendio", "incendie", "brand", "feuer")
_gloss("polic", "policia", "police", "polizei", "policias", "carabineros", "gendarmerie", "gendarmes")
_gloss("bridge", "puente", "pont", "brucke", "ponte")
_gloss("protest", "manifestante", "manifestantes", "manifestants", "demonstranten", "protesters")
_gloss("ticket", "entradas", "billets", "boletos", "tickets", "karten", "ingressos")
_gloss("fake", "falsificadas", "falsifies", "gefalscht", "falsificados", "counterfeit")
_gloss("invas", "invasion", "incursion", "incursao", "einmarsch", "intrusion")
_gloss("intervent", "intervencion", "intervention", "intervencao")
_gloss("terror", "terroristas", "terroristes", "terroristen", "terrorists", "jihadistes", "yihadistas")
_gloss("presid", "presidente", "presidenta", "president", "presidentin", "prasident")
_gloss(
    "minist",
    "ministro",
    "ministra",
    "ministre",
    "minister",
    "ministerin",
    "ministerio",
    "ministere",
    "ministerium",
    "ministry",
)
_gloss("govern", "gobierno", "gouvernement", "regierung", "governo", "government")
_gloss("embass", "embajada", "ambassade", "botschaft", "embaixada", "embassy")
_gloss("consul", "consulado", "consulat", "konsulat", "consulate")
_gloss("journalist", "periodista", "journaliste", "journalistin", "jornalista", "reporter")
_gloss("earthquak", "terremoto", "sismo", "seisme", "erdbeben", "tremblement")
_gloss(
    "storm",
    "tormenta",
    "tempete",
    "sturm",
    "tempestade",
    "huracan",
    "ouragan",
    "hurricane",
    "typhoon",
    "tifon",
)
_gloss("flood", "inundacion", "inondation", "uberschwemmung", "inundacao")
_gloss("oil", "petroleo", "petrole", "ol", "barriles", "barils", "barrels")
_gloss("spill", "derrame", "fuite", "maree", "vazamento")
_gloss("deficit", "deficit", "defizit", "hueco")
_gloss("hunger", "hambre", "faim", "hungrig", "fome", "hambrientos")
_gloss("million", "millones", "millions", "millionen", "milhoes", "millon")
_gloss("billion", "mil millones", "milliard", "milliards", "milliarden", "bilhao", "bilhoes")
_gloss("strike", "ataque aereo", "frappe", "frappes", "luftangriff", "bombardeo", "bombardement", "airstrike")
_gloss("drone", "dron", "drones", "drohne", "drohnen")
_gloss("balloon", "globo", "ballon", "ballons", "balao")
_gloss("spy", "espia", "espion", "espionage", "espionaje", "spionage", "surveillance", "vigilancia")
_gloss("shoot", "disparo", "disparos", "tir", "tirs", "schusse", "tiros", "gunfire", "shooting")
_gloss("prison", "carcel", "prison", "gefangnis", "prisao", "prisioneros", "prisonniers")
_gloss("arrest", "detenido", "detenidos", "arrete", "arretes", "festgenommen", "preso", "presos", "detained")
_gloss("water", "agua", "eau", "wasser", "agua")
_gloss("nuclear", "nuclear", "nucleaire", "atom", "nuclear")
_gloss("meltdown", "fusion", "kernschmelze", "derretimento")
_gloss("test", "prueba", "pruebas", "tests", "teste", "testes")
_gloss("virus", "virus", "covid", "coronavirus")
_gloss("asymptomat", "asintomaticos", "asymptomatiques", "asymptomatisch", "assintomaticos", "asymptomatic")
_gloss("spread", "contagio", "transmision", "transmission", "ubertragung", "transmissao")
_gloss("crash", "accidente", "accident", "absturz", "acidente")
_gloss("plane", "avion", "flugzeug", "aviao", "aircraft", "airliner", "jet")
_gloss("secur", "seguridad", "securite", "sicherheit", "seguranca", "security")
_gloss("car", "coche", "auto", "voiture", "carro", "vehicle", "vehiculo")
_gloss("call", "llamada", "appel", "anruf", "ligacao", "telefonema", "phone")
_gloss("fort", "fuerte", "fortin", "cuartel", "caserne", "kaserne", "quartel", "barracks", "base")
_gloss("column", "columna", "colonne", "kolonne", "coluna", "convoy", "convoi", "konvoi", "comboio")
_gloss("tank", "tanque", "tanques", "char", "chars", "panzer", "tanks")
_gloss(
    "shootdown",
    "derribo",
    "derribado",
    "derribada",
    "derribar",
    "derribo",
    "derribaron",
    "abattu",
    "abattre",
    "abgeschossen",
    "abschuss",
    "abatido",
    "abateu",
    "downed",
    "shot",
    "shooting",
    "disparo",
)
_gloss("plane", "jetliner", "airliner", "avioes", "flieger", "passagierflugzeug")
_gloss("civil", "civilian", "civiles", "civil", "zivil", "zivilen", "ziviler", "civis")
_gloss("weather", "meteorologico", "meteorologique", "wetter", "meteorologica", "clima")
_gloss("airspac", "luftraum", "espacio aereo", "espace aerien", "airspace")
_gloss("destroy", "destruida", "destruido", "detruit", "detruite", "zerstort", "destruida", "destroyed")


_SHORT_PLACES: dict[str, str] = {}


def register_places(places: Iterable[tuple[str, Iterable[str]]]) -> None:
    """Teach the gloss country names and demonyms: ('ir', ['Iran', 'Irán', 'iraní', 'Iranian']).

    Every form maps to one token per country, so 'misil iraní' meets 'Iranian missile' and
    'Irán' meets 'Iran'. The detector registers the gazetteer's countries at start.
    """
    for code, words in places:
        token = f"cty{code.lower()}"
        for w in words:
            f = fold(w).replace(".", "").strip()
            if " " in f:
                continue
            if len(f) == 2:
                # two-letter names only when written in capitals ("US", not "us")
                if w.replace(".", "").isupper():
                    _SHORT_PLACES.setdefault(f, token)
                continue
            if len(f) < 3:
                continue
            _GLOSS.setdefault(f, token)
    extract_terms.cache_clear()


def fold(text: str) -> str:
    """Lower case without diacritics: 'Secretaría' -> 'secretaria', 'Öl' -> 'ol'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def stem(word: str) -> str:
    """A light, language-agnostic stem: glossed to English when known, else suffixes trimmed.

    Crude on purpose: it only has to make 'labs'/'lab', 'operations'/'operation' and
    'desmintió'/'desmiente' meet, and it must stay cheap (it runs on every item).
    """
    w = _GLOSS.get(word)
    if w is not None:
        return w
    if word.isdigit():
        return word
    if len(word) <= 4:
        return word[:-1] if len(word) == 4 and word.endswith("s") and not word.endswith("ss") else word
    for suffix in (
        "iones",
        "ments",
        "ation",
        "ement",
        "mente",
        "ungen",
        "ing",
        "ion",
        "ied",
        "ies",
        "es",
        "ed",
        "s",
        "e",
        "a",
        "o",
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    w = _GLOSS.get(word)
    return w if w is not None else word[:8]


def _number(token: str) -> str | None:
    digits = token.replace(",", "").replace(".", "")
    if not digits.isdigit():
        return None
    # Years are topic (2014, 2023) but also noise; keep them as terms like any number.
    return "#" + digits.lstrip("0") if digits.strip("0") else None


@dataclass(frozen=True, slots=True)
class Terms:
    """The topical fingerprint of a text: stems, with names and numbers kept separately."""

    words: frozenset[str]
    names: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()

    @property
    def all(self) -> frozenset[str]:
        """Every term, names and numbers included."""
        return self.words | self.names | self.numbers

    def union(self, other: Terms) -> Terms:
        """Both fingerprints together (a dispute's terms grow with its evidence)."""
        return Terms(self.words | other.words, self.names | other.names, self.numbers | other.numbers)

    def serialise(self) -> str:
        """One space-separated string, as stored in `disputes.terms`."""
        return " ".join(sorted(self.words) + sorted("@" + n for n in self.names) + sorted(self.numbers))

    @classmethod
    def parse(cls, stored: str) -> Terms:
        """The inverse of `serialise`."""
        words, names, numbers = set(), set(), set()
        for t in stored.split():
            if t.startswith("@"):
                names.add(t[1:])
            elif t.startswith("#"):
                numbers.add(t)
            else:
                words.add(t)
        return cls(frozenset(words), frozenset(names), frozenset(numbers))


# French and Italian elided articles and prepositions: "L'ARS" is the word "ARS".
_ELISION = re.compile(r"^(?:[lLdDjJnNsScCmMtT]|[qQ]u|[dD]ell|[aA]ll|[nN]ell|[sS]ull)'(?=\w)")


# A story's topic is in its headline and lead. Whole-article feeds would otherwise compare
# hundreds of background words, and two long articles on one war would look like one story.
LEAD_CHARS = 600


def topic_text(title: str, text: str) -> str:
    """The headline and the lead (about the first LEAD_CHARS characters, cut at a sentence end)."""
    lead = text
    if len(text) > LEAD_CHARS:
        cut = text[:LEAD_CHARS]
        end = max(cut.rfind(". "), cut.rfind(".\n"), cut.rfind("? "), cut.rfind("! "))
        lead = cut[: end + 1] if end > LEAD_CHARS // 3 else cut
    return f"{title}. {lead}"


@lru_cache(maxsize=4096)
def extract_terms(text: str) -> Terms:
    """Topic terms of a text: stems of content words, capitalised names, numbers.

    Names are words that start with a capital letter other than at the start of a
    sentence; they are folded and stemmed like other words so 'Sinaloa' in a Spanish
    headline meets 'Sinaloa' in an English post.
    """
    words: set[str] = set()
    names: set[str] = set()
    numbers: set[str] = set()
    sentence_start = True
    for m in _WORD.finditer(text):
        raw = _ELISION.sub("", m.group(0))
        before = text[max(0, m.start() - 2) : m.start()]
        if any(c in before for c in ".!?:\n"):
            sentence_start = True
        if raw[0].isdigit():
            num = _number(raw)
            if num:
                numbers.add(num)
            sentence_start = False
            continue
        folded = fold(raw.replace("'", "").replace(".", ""))
        if folded.endswith("s") and raw.endswith("'s"):
            folded = folded[:-1]
        if len(folded) == 2 and raw.replace(".", "").isupper() and folded in _SHORT_PLACES:
            names.add(_SHORT_PLACES[folded])  # "US", "UK", "EU" (written in capitals only)
            sentence_start = False
            continue
        if len(folded) < 3 or folded in _STOP:
            sentence_start = False
            continue
        s = stem(folded)
        if raw[0].isupper() and not sentence_start and not raw.isupper() or (raw.isupper() and len(raw) >= 3):
            names.add(s)
        else:
            words.add(s)
        sentence_start = False
    words -= names
    return Terms(frozenset(words), frozenset(names), frozenset(numbers))


# Names weigh most (places, people, organisations), then numbers, then other words.
_W_NAME, _W_NUMBER, _W_WORD = 2.5, 1.5, 1.0


def _weight(t: Terms) -> float:
    return _W_NAME * len(t.names) + _W_NUMBER * len(t.numbers) + _W_WORD * len(t.words)


def overlap(a: Terms, b: Terms) -> float:
    """Weighted cosine of two fingerprints in [0, 1]; names count across the word/name split.

    A word capitalised in one text and not in the other (a headline in title case) still
    matches, at the lower weight.
    """
    wa, wb = _weight(a), _weight(b)
    if wa == 0 or wb == 0:
        return 0.0
    shared_names = a.names & b.names
    shared = _W_NAME * len(shared_names) + _W_NUMBER * len(a.numbers & b.numbers)
    a_all, b_all = a.words | a.names, b.words | b.names
    shared += _W_WORD * len((a_all & b_all) - shared_names)
    return min(1.0, shared / math.sqrt(wa * wb))


def shared_terms(a: Terms, b: Terms, limit: int = 6) -> list[str]:
    """The shared terms, names first, for the human-readable reasons."""
    names = sorted(a.names & b.names)
    nums = sorted(n.lstrip("#") for n in a.numbers & b.numbers)
    words = sorted(((a.words | a.names) & (b.words | b.names)) - set(names))
    return (names + nums + words)[:limit]


def readable_terms(terms: Sequence[str], text: str) -> tuple[str, ...]:
    """The words of `text` behind stemmed terms ('sinalo' -> 'Sinaloa'), for reasons people read.

    Terms the text does not show (a gloss from another language's word) are left out; when
    none is found, the terms stay as they are.
    """
    found: dict[str, str | None] = dict.fromkeys(terms)
    for m in _WORD.finditer(text):
        raw = _ELISION.sub("", m.group(0))
        if raw[0].isdigit():
            key = raw.replace(",", "").replace(".", "").lstrip("0")
        else:
            folded = fold(raw.replace("'", "").replace(".", ""))
            if folded.endswith("s") and raw.endswith("'s"):
                folded, raw = folded[:-1], raw[:-2]
            key = stem(folded)
        if key in found and found[key] is None:
            found[key] = raw
    return tuple(w for w in found.values() if w) or tuple(terms)


# --- actors --------------------------------------------------------------------------------


def actor_keys(actor: Actor | None) -> frozenset[str]:
    """The keys that count as 'the same speaker': the actor and the body it belongs to."""
    if actor is None:
        return frozenset()
    keys = {actor.key}
    if actor.parent:
        keys.add(actor.parent)
    return frozenset(keys)


# Kinds of actor whose country's other bodies count as "the same side" (a government
# retracting its army's claim); companies, media and people speak only for themselves.
_STATE_TYPES = OFFICIAL_ACTOR_TYPES - {ActorType.UN_BODY, ActorType.INTERNATIONAL_ORG, ActorType.COMPANY}


def family_prefix(actor: Actor | None) -> str | None:
    """'ng.' for a Nigerian state body: keys of the same state share it ('ng.gov', 'ng.army')."""
    if actor is None or not actor.country or actor.type not in _STATE_TYPES:
        return None
    prefix = f"{actor.country}."
    return prefix if actor.key.startswith(prefix) else None


def name_key(text: str | None) -> str | None:
    """A key for a speaker the gazetteer did not resolve, so unresolved names still group."""
    if not text:
        return None
    t = " ".join(w for w in re.findall(r"\w+", fold(text)) if w not in _STOP)
    return f"name:{t[:100]}" if t else None


def actor_match(
    target: Actor | None,
    target_text: str | None,
    speaker_key: str | None,
    speaker_parent: str | None,
    speaker_name: str = "",
) -> float:
    """How well a denial's target names a claim's speaker.

    1 the same actor, 0.7 the same body (parent), 0.5 the same state or the same name, else 0.
    """
    if target is not None and speaker_key:
        if target.key == speaker_key:
            return 1.0
        if speaker_key in actor_keys(target) or (speaker_parent and speaker_parent in actor_keys(target)):
            return 0.7
        prefix = family_prefix(target)
        if prefix and speaker_key.startswith(prefix):
            return 0.5
    if target_text and speaker_name:
        a, b = set(fold(target_text).split()) - _STOP, set(fold(speaker_name).split()) - _STOP
        if a and b and (a <= b or b <= a):
            return 0.5
    return 0.0


# --- time windows -------------------------------------------------------------------------


def window_for(kind: StatementKind, link_window_days: int, retraction_window_days: int) -> timedelta:
    """How far back a statement of this kind may answer a claim: retractions reach months."""
    if kind in (StatementKind.RETRACTION, StatementKind.CORRECTION):
        return timedelta(days=retraction_window_days)
    return timedelta(days=link_window_days)


def time_score(gap: timedelta, window: timedelta) -> float:
    """1.0 within a day, then decaying (0.5 after a month, 0.2 after four): 0 outside the window.

    Recent claims are the likelier answer when a speaker said similar things twice.
    """
    days = gap.total_seconds() / 86400
    if days < -1 or gap > window:  # a day of slack: feeds disagree about time zones
        return 0.0
    if days <= 1:
        return 1.0
    return 1.0 / (1.0 + (days - 1) / 30)


# --- the decision ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimCandidate:
    """An earlier claim (stored statement) or an open dispute a new statement may answer."""

    said_at: datetime
    speaker_key: str | None
    speaker_name: str
    terms: Terms
    statement_id: int | None = None
    item_id: int | None = None
    dispute_id: int | None = None
    speaker_parent: str | None = None
    speaker_official: bool = False
    quote: str = ""


@dataclass(frozen=True, slots=True)
class Link:
    """The chosen candidate and why: the signals the scorer turns into a confidence."""

    candidate: ClaimCandidate
    actor: float
    overlap: float
    time: float
    shared: tuple[str, ...] = ()
    gap_days: float = 0.0
    reasons: tuple[str, ...] = field(default=())

    @property
    def strength(self) -> float:
        """One number to rank candidates by."""
        return 0.4 * self.actor + 0.4 * self.overlap + 0.2 * self.time


# A denial must share this much topic with a claim to be linked to it; with the actor
# confirmed by the target a lower bar is enough.
MIN_OVERLAP_WITH_ACTOR = 0.12
MIN_OVERLAP_WITHOUT_ACTOR = 0.35
# A claim by someone the denying item merely mentions needs more topic than one it answers by name.
MIN_OVERLAP_MENTIONED = 0.18


def best_link(
    statement: Statement,
    when: datetime,
    terms: Terms,
    candidates: Iterable[ClaimCandidate],
    window: timedelta,
    *,
    later_ok: bool = False,
    mentioned: frozenset[str] = frozenset(),
) -> Link | None:
    """The candidate this statement most plausibly answers, or None.

    `later_ok`: the candidate may be later than the statement (a claim item arriving after
    its denial, matched the other way round). `mentioned`: keys of actors the item names;
    a candidate by one of them gets a weak actor match when the statement has no target.
    """
    target = (
        statement.target
        if statement.kind is StatementKind.DENIAL
        else (statement.target or statement.speaker)
    )
    links: list[Link] = []
    for c in candidates:
        gap = when - c.said_at
        if later_ok:
            gap = abs(gap)
        t = time_score(gap, window)
        if t == 0.0:
            continue
        a = actor_match(target, statement.target_text, c.speaker_key, c.speaker_parent, c.speaker_name)
        if a == 0.0 and c.speaker_key in mentioned:
            a = 0.4
        o = overlap(terms, c.terms)
        if o < (
            MIN_OVERLAP_MENTIONED
            if a == 0.4
            else MIN_OVERLAP_WITH_ACTOR
            if a > 0
            else MIN_OVERLAP_WITHOUT_ACTOR
        ):
            continue
        link = Link(
            candidate=c,
            actor=a,
            overlap=o,
            time=t,
            shared=tuple(shared_terms(terms, c.terms)),
            gap_days=round(gap.total_seconds() / 86400, 1),
        )
        links.append(link)
    return _prefer_topic(links)


# When one speaker made several claims that a statement may answer, recency decides only
# while their topics are close: a clearly better topical fit wins over a later claim, unless
# the later claim was made within days of the statement (the likeliest thing it answers).
CLEAR_OVERLAP_GAIN = 0.05
CLEAR_OVERLAP_RATIO = 1.25
RECENT_CLAIM_DAYS = 7.0


def _prefer_topic(links: Sequence[Link]) -> Link | None:
    """The strongest link, unless a candidate with as good an actor match fits the topic clearly better."""
    if not links:
        return None
    best = max(links, key=lambda lk: lk.strength)
    if abs(best.gap_days) <= RECENT_CLAIM_DAYS:
        return best
    rivals = [
        lk
        for lk in links
        if lk is not best
        and lk.actor >= best.actor
        and lk.overlap >= best.overlap + CLEAR_OVERLAP_GAIN
        and lk.overlap >= best.overlap * CLEAR_OVERLAP_RATIO
    ]
    if rivals:
        return max(rivals, key=lambda lk: (lk.overlap, lk.strength))
    return best


_EXECUTIVE_PERSON = frozenset({ActorType.HEAD_OF_STATE, ActorType.HEAD_OF_GOVERNMENT, ActorType.OFFICIAL})


def same_side(a: Actor | None, b: Actor | None) -> bool:
    """True for the same actor, an actor and its parent body, or an office and its holder.

    A denial whose 'target' is on the speaker's own side is a misreading ("Sheinbaum: es falso
    que ICE ..." read as denying Sheinbaum); the detector then ignores that target. Two
    bodies of one state (an agency and the president, two presidents) can contradict each
    other, so siblings count only as office (government/presidency) and office holder.
    """
    if a is None or b is None:
        return False
    if a.key == b.key or a.parent == b.key or b.parent == a.key:
        return True
    if a.parent is None or a.parent != b.parent:
        return False
    types = {a.type, b.type}
    return ActorType.GOVERNMENT in types and bool(types & _EXECUTIVE_PERSON)


def disputed_actor(statement: Statement) -> Actor | None:
    """Whose claim a statement disputes: a denial's target, or the retracting speaker's own side."""
    if statement.kind is StatementKind.DENIAL:
        return statement.target
    return statement.target or statement.speaker


def candidate_prefixes(statement: Statement) -> frozenset[str]:
    """Key prefixes of the disputed actor's state ('ng.'), to find claims by its other bodies."""
    p = family_prefix(disputed_actor(statement))
    return frozenset({p}) if p else frozenset()


def candidate_keys(statement: Statement) -> frozenset[str]:
    """Speaker keys a claim must have to be answered by this statement."""
    if statement.kind is StatementKind.DENIAL:
        keys = set(actor_keys(statement.target))
        nk = name_key(statement.target_text) if statement.target is None else None
    else:  # the speaker's own side retracts or corrects
        who = statement.target or statement.speaker
        keys = set(actor_keys(who))
        nk = name_key(statement.speaker_text) if who is None else None
    if nk:
        keys.add(nk)
    return frozenset(keys)


def rank(links: Sequence[Link]) -> list[Link]:
    """Links strongest first."""
    return sorted(links, key=lambda lk: lk.strength, reverse=True)
