"""Short, clean actor names for alerts: "ICE", "Mexican foreign ministry", "U.S. government".

The gazetteer's canonical names are built for matching, not for reading: some are long
("U.S. Immigration and Customs Enforcement"), some are in the actor's own language
("Secretaría de Relaciones Exteriores"), and actors made from role patterns carry artefacts
("Government of United States", "Embassy (Iq) of Japan"). Headlines use `short`:

1. the actor's `short` from the actors TOML files, when it has one;
2. for actors from role patterns (keys `<country>.<role>`): "<attributive> <role>", the
   attributive being the country's `short` ("U.S.") or its first demonym ("Mexican");
3. for people: the alias that ends their name (a surname: "Sheinbaum", "López Obrador");
4. for other long names: an all-capitals alias ("NHTSA"), else the name itself.

`display` is the same cleaning for evidence lines, keeping full names of people and bodies.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from bot.detect.actors import Country, Gazetteer
from bot.logging import kv
from bot.types import Actor, ActorType

__all__ = ["ActorNames", "actor_names"]

log = logging.getLogger("bot.alerts")

_PEOPLE = frozenset(
    {ActorType.HEAD_OF_STATE, ActorType.HEAD_OF_GOVERNMENT, ActorType.OFFICIAL, ActorType.PERSON}
)
_LONG = 30  # characters: a longer name gets an acronym in headlines when it has one
# "Foreign ministry (Lyon) of France": the label, an optional place, an optional country.
_ROLE_NAME = re.compile(r"^(?P<label>.+?)(?: \((?P<place>[^)]+)\))?(?: of (?P<country>[^()]+))?$")
# Roles whose place goes before the label ("Lyon police") rather than after ("embassy in Iraq").
_PLACE_FIRST = frozenset({"police", "governor", "mayor", "local government", "fire service"})
_KEY = re.compile(r"^(?P<cc>[a-z]{2})\.(?P<role>[a-z_.]+)$")


class ActorNames:
    """Headline and display names for actor keys, from a loaded gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._g = gazetteer
        self._by_name = {c.name.casefold(): c for c in gazetteer.countries}

    @classmethod
    def load(cls, paths: Sequence[str | Path] = ()) -> ActorNames:
        """Names from the packaged actors file plus user files (`[detect] actors_file`)."""
        return cls(Gazetteer.load(paths))

    def short(self, key: str | None, name: str) -> str:
        """The name a headline uses for the actor stored as (`key`, `name`)."""
        actor = self._g.get(key) if key else None
        if actor is not None and actor.short:
            return actor.short
        derived = self._role_name(key, name, actor)
        if derived:
            return derived
        if actor is not None and actor.type in _PEOPLE:
            return _surname(actor)
        if actor is not None and len(actor.name) > _LONG:
            acronym = next((a for a in actor.aliases if _is_acronym(a)), None)
            return acronym or actor.name
        return _tidy(name) or (actor.name if actor else "") or "unknown speaker"

    def display(self, key: str | None, name: str) -> str:
        """A full, readable name for evidence lines: role artefacts cleaned, people's full names kept."""
        actor = self._g.get(key) if key else None
        derived = self._role_name(key, name, actor)
        if derived:
            return derived
        if actor is not None and actor.short and actor.type not in _PEOPLE and _foreign(actor.name):
            return actor.short  # "Secretaría de Relaciones Exteriores" -> "Mexican foreign ministry"
        return _tidy(name) or "unknown speaker"

    def attributive(self, code: str | None) -> str | None:
        """How a country qualifies a noun: "U.S.", "Mexican"; None when the code is unknown."""
        c = self._g.country(code)
        if c is None:
            return None
        return c.short or (c.demonyms[0] if c.demonyms else f"{c.name}'s")

    # --- actors made from role patterns -------------------------------------------------------

    def _role_name(self, key: str | None, name: str, actor: Actor | None) -> str | None:
        """ "Government of United States" (us.gov) -> "U.S. government", "Embassy (Iq) of Japan" ->
        "Japanese embassy in Iraq". None when the actor is not one of these."""
        if actor is not None and not (actor.type is ActorType.GOVERNMENT and key and key.endswith(".gov")):
            return None  # a named gazetteer entry: its own name is right
        m = _ROLE_NAME.match(_tidy(name))
        if m is None:
            return None
        country = self._country(key, m.group("country"))
        place = m.group("place")
        if country is None and not place:
            return None
        label = m.group("label")
        label = label[:1].lower() + label[1:] if not _is_acronym(label.split()[0]) else label
        if place:
            where = self._place(place)
            if label in _PLACE_FIRST and (country is None or where != country.name):
                return f"{where} {label}"
            label = f"{label} in {where}"
        if country is None:
            return label[:1].upper() + label[1:]
        adjective = self.attributive(country.code)
        return f"{adjective} {label}"

    def _country(self, key: str | None, named: str | None) -> Country | None:
        m = _KEY.match(key or "")
        if m:
            found = self._g.country(m.group("cc"))
            if found is not None:
                return found
        return self._by_name.get((named or "").strip().casefold())

    def _place(self, place: str) -> str:
        """A role's place: a country code ("Iq") becomes the country's name, others stay ("Lyon")."""
        c = self._g.country(place.lower()) if len(place) == 2 else None
        return c.name if c is not None else place


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return 2 <= len(letters) <= 6 and all(c.isupper() for c in letters) and " " not in word.strip()


def _surname(actor: Actor) -> str:
    """The longest alias that ends the person's name ("Claudia Sheinbaum" -> "Sheinbaum")."""
    name = actor.name
    ends = [a for a in actor.aliases if a != name and name.endswith(" " + a)]
    return max(ends, key=len) if ends else name


def _foreign(name: str) -> bool:
    """True for names the gazetteer keeps in the actor's own language (accents, no English)."""
    return bool(re.search(r"[À-ÿ]", name)) or bool(
        re.match(r"^(?:Secretar|Minist[eé]r|Fiscal|Polic[ií]a|Presid[eê]ncia|Bundes|Cancill|Ejército)", name)
    )


def _tidy(name: str) -> str:
    return " ".join((name or "").split())


@lru_cache(maxsize=8)
def actor_names(paths: tuple[str, ...] = ()) -> ActorNames:
    """The names for these actors files, loaded once per process (the gazetteer takes ~0.1 s).

    Naming must never stop an alert: a user file that cannot be read is logged and left out
    (the detector reports it too), and without any gazetteer names are shown as stored.
    """
    try:
        return ActorNames.load(paths)
    except Exception as e:  # noqa: BLE001 - fall back, never fail delivery over a display name
        log.warning("actor names: using the packaged actors only", extra=kv(files=list(paths), error=str(e)))
    try:
        return ActorNames.load(())
    except Exception as e:  # noqa: BLE001
        log.error("actor names: no gazetteer; names shown as stored", extra=kv(error=str(e)))
        return ActorNames(Gazetteer({}, {}))
