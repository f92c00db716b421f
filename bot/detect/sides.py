"""Who is on which side: an actor's keys, its state, how well a name points at it, its voice.

Mexico's president, "the Mexican presidency", "Mexico's government" and a wire report of the
president's denial are one voice against ICE's claim; the U.S. Embassy is a second. A state's
bodies speak as one side of a story, so a state actor's voice is its state; courts, companies,
UN bodies, armed groups and people speak for themselves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping

from bot.detect.terms import STOP_WORDS
from bot.text import fold
from bot.types import OFFICIAL_ACTOR_TYPES, Actor, ActorType


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


def whole_state(actor: Actor) -> bool:
    """A state's government as a whole ("mx.gov"), as a country's name alone names it."""
    return actor.key == f"{actor.country}.gov"


def name_key(text: str | None) -> str | None:
    """A key for a speaker the gazetteer did not resolve, so unresolved names still group."""
    if not text:
        return None
    t = " ".join(w for w in re.findall(r"\w+", fold(text)) if w not in STOP_WORDS)
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
        a, b = set(fold(target_text).split()) - STOP_WORDS, set(fold(speaker_name).split()) - STOP_WORDS
        if a and b and (a <= b or b <= a):
            return 0.5
    return 0.0


_OWN_VOICE = frozenset(
    {
        ActorType.COMPANY,
        ActorType.COURT,
        ActorType.UN_BODY,
        ActorType.INTERNATIONAL_ORG,
        ActorType.ARMED_GROUP,
        ActorType.MEDIA,
        ActorType.PERSON,
        ActorType.OTHER,
    }
)


# Roles of a state that do not speak for its government: a legislature (its members speak each
# for themselves), a governor or mayor of a named place, a state's or city's own government, a
# court, and the authorities whose findings judge the government's statements (a regulator, an
# audit office, a statistics office).
APART_ROLES = (
    "legislature",
    "governor",
    "mayor",
    "local_government",
    "court",
    "regulator",
    "auditor",
    "statistics_office",
)


def voice_of(actor: Actor | None, name: str | None = None) -> str | None:
    """The key of the voice an actor speaks with (`state:mx`, `us.ice`, `name:...`), None if nobody.

    A state's executive bodies and their officials are one voice; a legislature, a lawmaker and
    a state's or city's own government each speak apart from it (`Actor.voice`)."""
    if actor is None:
        return name_key(name)
    if actor.type in _OWN_VOICE or not actor.country:
        return actor.key
    return actor.voice or f"state:{actor.country}"


def voice_of_key(
    key: str | None,
    name: str | None,
    lookup: Callable[[str], Actor | None],
    countries: Collection[str],
    office_voices: Mapping[str, str] | None = None,
) -> str | None:
    """The voice behind a stored speaker key. A key the gazetteer does not hold but that starts
    with a country code ("mx.president", "pl.ministry.defence") is a role of that state, made
    when the statement was read: it speaks for the state like any state body, except the roles
    that speak apart, with the voice of the body the gazetteer lists them under (`office_voices`:
    "us.governor.texas" -> "us.state.tx") or their own."""
    if not key:
        return name_key(name)
    if key.startswith("name:"):
        return key
    actor = lookup(key)
    if actor is not None:
        return voice_of(actor)
    cc, _, rest = key.partition(".")
    if rest.partition(".")[0] in APART_ROLES:
        # "us.governor.texas", "mx.legislature": apart from the state's government
        return (office_voices or {}).get(key, key)
    return f"state:{cc}" if rest and cc in countries else key


# The authorities whose findings judge others' statements; `judges`.
_JUDGING_TYPES = frozenset({ActorType.REGULATOR, ActorType.COURT})
_JUDGING_ROLES = frozenset({"auditor", "statistics_office", "ombudsman"})


def judges(actor: Actor | None) -> bool:
    """Whether the actor is an authority whose findings judge others' statements: a regulator,
    a court, an audit or a statistics office, an ombudsman (listed, or read from role words).
    Its findings come months after what they judge: an audit report, a ruling, a revised count."""
    if actor is None:
        return False
    if actor.type in _JUDGING_TYPES:
        return True
    return bool(_JUDGING_ROLES & {*actor.roles, *actor.key.split(".")})


def same_body(a: Actor | None, b: Actor | None) -> bool:
    """Whether two mentions may be one body speaking: the same actor, one the body the other
    belongs to, or a role read with no country ("the ministry", "Education Department") and a
    body that fills it (any ministry; the U.S. Department of Education). Narrower than a voice:
    two bodies of one state (ICE and the U.S. Embassy) are one voice but not one body."""
    if a is None or b is None or whole_state(a) or whole_state(b):
        # a country's name alone names its whole government, and a place in a headline ("talks
        # in Moscow") is often read as a speaker: too loose to call two mentions one body
        return False
    if a.key == b.key or a.parent == b.key or b.parent == a.key:
        return True
    return _fills(a, b) or _fills(b, a)


def _fills(unplaced: Actor, body: Actor) -> bool:
    if unplaced.country is not None or unplaced.type in _OWN_VOICE:
        return False
    if "." not in unplaced.key:  # a bare role: "the ministry", "the government", "police"
        return body.type is unplaced.type
    return bool({unplaced.key, unplaced.parent} & {body.key, *body.roles})


__all__ = [
    "APART_ROLES",
    "actor_keys",
    "actor_match",
    "family_prefix",
    "judges",
    "name_key",
    "same_body",
    "voice_of",
    "voice_of_key",
    "whole_state",
]
