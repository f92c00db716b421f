"""Whether an alert names the claimant a reader labelled (or a case gives as its claim's speaker).

Readers write the claimant as free text ("Trump administration officials (ICE raids)", "Ben
Carson / HUD"); the alert shows an actor's display name ("Government of United States"). Both
are read through the gazetteer: they agree when they name one body (`sides.same_body`), a
country's whole government both times, or share a name word ("Trump", "Kobach"). A voice is too
loose a match: Iran's Revolutionary Guard speaks for Iran's state, yet a reader who wrote "Iranian
government" did not mean it.

It is strict where the gazetteer cannot read a name: a speaker written in a script or language
it holds no alias for ("経済産業省", "Ministero della Salute") agrees only by a shared word, and a
bracket is read as what the claim was about, as the stream labels use it, though the written
cases sometimes name the body there ("Vocero presidencial (Casa Rosada)").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.detect.reading import Gazetteer
from bot.detect.sides import same_body, whole_state
from bot.types import Actor

# Words that name a kind of body or office, not which one: sharing them is no agreement.
_GENERIC = frozenset(
    """government administration office ministry department dept agency officials official
    authorities president minister spokesperson spokesman spokeswoman secretary state states federal
    national the and for his her its their former campaign account claim claims statement
    statements leaders leader police court army military house senate congress party""".split()
)
_WORD = re.compile(r"[^\W\d_]{3,}")


def _alternatives(labelled: str) -> list[str]:
    """The claimants a label names: "A / B" is either, and a bracket only says what about."""
    plain = re.sub(r"\([^)]*\)", " ", labelled)
    return [p.strip() for p in plain.split("/") if p.strip()]


def _name_words(text: str) -> set[str]:
    words = {w.lower() for w in _WORD.findall(re.sub(r"['’]s\b", "", text))}
    return words - _GENERIC


def _one_body(a: Iterable[Actor], b: Iterable[Actor]) -> bool:
    bs = list(b)
    return any(
        x.key == y.key or same_body(x, y) or (whole_state(x) and whole_state(y) and x.country == y.country)
        for x in a
        for y in bs
    )


def named_as_labelled(named: str, labelled: str, gazetteer: Gazetteer) -> bool:
    """Whether the alert's claimant `named` is the one a reader wrote as `labelled`."""
    ours = [a for a, _ in gazetteer.find_all(named)]
    our_words = _name_words(named)
    for alt in _alternatives(labelled):
        if our_words & _name_words(alt):
            return True
        if _one_body(ours, (a for a, _ in gazetteer.find_all(alt))):
            return True
    return False


def named_as_any(named: str, labelled: Iterable[str], gazetteer: Gazetteer) -> bool:
    """Whether the alert's claimant is one that a reader wrote for any of its items."""
    return any(named_as_labelled(named, w, gazetteer) for w in labelled)


__all__ = ["named_as_any", "named_as_labelled"]
