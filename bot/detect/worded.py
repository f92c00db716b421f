"""A dispute reported in words the rules do not know, read by the wording model alone.

Real headlines often report a dispute with no word the cue lexicons know: "Without evidence,
Trump claims vindication", "says he didn't fire Comey despite video evidence", "... was a false
alarm". The rules then read no disputing statement, the meaning heads read such headlines low,
and the learned decision finds nothing (README, "Where the real-stream misses are"). The wording
model (`wording.py`) ranks them well at its top: on a real stream it never saw, most items it
reads at 0.9 or more are disputes of an official statement.

So an item the decision would not post, in which the rules read no disputing statement, stands
alone as a dispute when its headline's words read as one at least `[alerts] words_alone_threshold`
and the meaning heads do not rule it out (`MEANING_FLOOR`): two models that fail in different ways
rarely agree on the same wrong alert. The headline alone is read because it is where an outlet
says a statement is false; a lead's background ("disputed waters", "claimed victory") is not.

What the words call false is the statement the item reports, so the rules must have read one,
with an official as its speaker ("X claims ...", "X says ...", "X: ..."): that speaker is the
claimant, and the outlet reports the dispute. An item that names an official without reporting a
statement of theirs is left to the decision: its words may fault anyone it names. When the meaning
heads read the item as its own side taking words back, it is that side's correction. The alert
says it was read from the words alone, with the model's score, which is not a calibrated
probability.
"""

from __future__ import annotations

from dataclasses import replace

from bot.detect.decision import NONE, SELF_SEMANTICS, Decision, kind_of
from bot.detect.features import Semantics
from bot.detect.reading import Reading, strongest_claim
from bot.detect.statements import said_in_headline
from bot.types import Actor, Statement, StatementKind

# The meaning heads' "reports a dispute" reading an item needs as well (`Semantics.dispute`).
# They read the plain disputes the wording model finds at 0.3-0.45 ("says he didn't fire Comey
# despite video evidence"), and most of its wrong ones under 0.15 ("..., report claims", a ruling
# on a policy). Chosen on the tuning side (README, "Eleventh stop").
MEANING_FLOOR = 0.2


def _claimant(r: Reading) -> Actor | None:
    """The speaker of the statement the headline reports, as the rules read it (no fallback to
    whoever the item is about: the words must fault a statement the item carries). The words read
    are the headline's, so the statement they fault is too: a claim the lead reports ("an
    attorney for X's campaign chairman said ...") is not what a headline calls false."""
    best = strongest_claim(st for st in r.statements if said_in_headline(st, r.item))
    return best.speaker if best is not None else None


def may_be_worded(r: Reading, sem: Semantics, d: Decision, alert: float) -> bool:
    """Whether the wording model's reading could make the item a dispute: the decision would not
    post it, the rules read no disputing statement, it is news (not an opinion piece), it reports
    an official's statement for the words to dispute, and its meaning may be a dispute."""
    if not (sem.dispute >= MEANING_FLOOR and (d.label == NONE or d.p < alert)):
        return False  # most items: asked of every decided item, before the statements are scanned
    claimant = _claimant(r)
    return r.disputing is None and not r.opinion and claimant is not None and claimant.official


def worded(r: Reading, sem: Semantics, d: Decision, wording: float) -> tuple[Reading, Decision]:
    """The item read as a dispute from its words (`wording`: the model's score of its headline):
    its reading with the disputing statement the words report, and a decision standing alone on
    that score.

    Call only where `may_be_worded` holds and the score reaches the bar."""
    claimant = _claimant(r)
    assert claimant is not None
    own = sem.self_ >= SELF_SEMANTICS
    st = Statement(
        item_id=r.item.id,
        kind=StatementKind.CORRECTION if own else StatementKind.DENIAL,
        # its own side corrects; else the outlet reports the dispute (no speaker: `threads._speaker`)
        speaker=claimant if own else None,
        speaker_text=claimant.name if own else "",
        quote=r.item.title,
        language=r.language,
        target=None if own else claimant,
        target_text=None if own else claimant.name,
        score=wording,
        target_kind=None if own else "official",
    )
    read = Reading(r.item, (*r.statements, st), r.actors, r.language)
    return read, replace(d, label=kind_of(read, sem, None), p=wording, earlier_id=None, by_words=True)


__all__ = ["MEANING_FLOOR", "may_be_worded", "worded"]
