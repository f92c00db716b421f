"""Who counts as one voice in a dispute: an office, its holder and reports of them are one.

Mexico's president, "the Mexican presidency", "Mexico's government" and a wire report of the
president's denial are one denier of ICE's claim; the U.S. Embassy is a second. A state's
bodies speak as one side of a story, so a state actor's voice is its state; companies, UN
bodies, armed groups and people speak for themselves.
"""

from __future__ import annotations

from bot.detect.linking import name_key
from bot.types import Actor, ActorType

_OWN_VOICE = frozenset(
    {
        ActorType.COMPANY,
        ActorType.UN_BODY,
        ActorType.INTERNATIONAL_ORG,
        ActorType.ARMED_GROUP,
        ActorType.MEDIA,
        ActorType.PERSON,
        ActorType.OTHER,
    }
)


def voice_of(actor: Actor | None, name: str | None = None) -> str | None:
    """The key of the voice an actor speaks with (`state:mx`, `us.ice`, `name:...`), None if nobody."""
    if actor is None:
        return name_key(name)
    if actor.type in _OWN_VOICE or not actor.country:
        return actor.key
    return f"state:{actor.country}"


__all__ = ["voice_of"]
