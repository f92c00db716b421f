"""The pair decision: does a new item dispute an earlier one, or report a dispute on its own?

Every candidate (an earlier item found by meaning or by actor) is scored by the learned pair
model; the item alone is scored by the single-item model. The best reading wins: linked to
the earlier item when that is likely enough, else the item alone. What kind of dispute it is
comes from who speaks: the claimant's own side retracts or corrects, another side denies,
and an opposite account with no denial word is a counter-account.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.detect.features import PairContext, Semantics, claimant_named, pair_features
from bot.detect.model import DetectorModel
from bot.detect.reading import Reading
from bot.detect.sides import same_body, voice_of
from bot.detect.terms import name_terms, share_beyond
from bot.types import Statement, StatementKind

# The item is linked to its best candidate when the link is at least this share as likely as
# the item's best reading. The model card carries the share training gave it
# (`training/train_detector.py --link-ratio`, `pick_link_ratio`); this is the fallback for older cards.
LINK_RATIO = 0.5
# A link names the statement an item disputes, so it needs evidence that the earlier item
# carries one: a claim the rules read, one its meaning reads as an official's statement, an
# answer it carries on (`carries_statement`), or the body of a role the item disputes
# (`names_the_role`). Without that, only a link the pair model is this sure of. The pair model
# learned linking from written stories, where such links are right; on the real tuning streams
# (HuffPost and AllSides 2012-15 read through, AllSides 2018), of the alerting links below 0.9
# to items stating nothing, 1 was right and 6 wrong; on the written stories and the dev-cases
# tuning half, 1 of 534 right links was such a link (README, "Fourteenth stop").
LINK_SURE = 0.9
# Two items this near in meaning may be about one event whatever words they share; below it,
# they must share a term that is no party's name. Items in two languages share few words, and
# the encoder puts a headline and its translation lower (about 0.7): for them meaning alone
# decides, at the bar a late claim in another language needs (`threads.LATE_CLAIM_COS`).
SAME_EVENT_COS = 0.7
SAME_EVENT_COS_ACROSS = 0.45
# The semantic head's "own side corrects itself" above this makes a cue-less item a correction.
SELF_SEMANTICS = 0.5
# ... and "an official's plain statement" above this lets a cue-less item be a counter-account.
CLAIM_SEMANTICS = 0.5
# ... and "reports a dispute" above this reads as words of dispute in any language.
DISPUTE_SEMANTICS = 0.5


NONE, DENIAL, COUNTER, RETRACTION, CORRECTION = (
    "none",
    "denial",
    "counter-account",
    "retraction",
    "correction",
)


@dataclass(frozen=True, slots=True)
class PairInput:
    """One candidate as the decision sees it."""

    earlier: Reading
    semantics: Semantics
    context: PairContext
    via: str


@dataclass(frozen=True, slots=True)
class Option:
    """One way to read the item: linked to an earlier item (or alone), with its probability."""

    earlier_id: int | None
    p: float
    cos: float = 0.0
    via: str = "alone"


@dataclass(frozen=True, slots=True)
class Decision:
    """What the item does, how likely that is, and which earlier item it answers."""

    label: str  # none | denial | counter-account | retraction | correction
    p: float  # calibrated probability that the item disputes an official statement (linked right)
    earlier_id: int | None  # the earlier item it answers; None for a dispute reported by the item alone
    options: tuple[Option, ...]  # every reading scored, best first ("why no alert?")
    single_p: float = 0.0
    # read from its words alone (`worded.py`): `p` is the wording model's score, not calibrated
    by_words: bool = False
    # the likely link not taken because that item states nothing to dispute (`LINK_SURE`)
    declined_link: int | None = None


def kind_of(later: Reading, sem: Semantics, earlier: Reading | None) -> str:
    """Denial, counter-account, retraction or correction, from who speaks and what cue there is."""
    st = later.disputing
    if st is not None and st.kind is StatementKind.RETRACTION:
        return RETRACTION
    if st is not None and st.kind is StatementKind.CORRECTION:
        return CORRECTION
    if st is not None:
        return DENIAL
    if sem.self_ >= SELF_SEMANTICS:
        return CORRECTION
    if sem.dispute >= DISPUTE_SEMANTICS:
        return DENIAL  # words of dispute read by meaning (a language the cue rules do not know)
    return COUNTER if earlier is not None else DENIAL


def answers(later: Reading, sem: Semantics, earlier: Reading, earlier_sem: Semantics | None = None) -> bool:
    """Whether `later` can be an answer to `earlier` at all, by the product's definition of each kind.

    * A denial in its own words (read by the rules, or by meaning in any language): yes, the
      model weighs it, except a denial the claimant's own body makes (`sides.same_body`): it
      stands by its claim against someone else's report.
    * An item carrying on an earlier answer (another outlet, another language, a second denier
      of the same story): yes, the model weighs whether it is the same story.
    * A retraction or correction withdraws the claimant's OWN words, so it answers only its own
      side's claim ("Comey admits" does not retract what the FBI said); so does a correction in
      other words ("misspoke").
    * Otherwise it can only be a counter-account: the opposite account of the same event by
      ANOTHER OFFICIAL party, stated as its own. Two outlets covering one event with no word of
      dispute are not a dispute, however alike in meaning.
    * An opinion piece is neither: its writer's view answers no official and is no official's claim.
    """
    if later.opinion or earlier.opinion:
        return False
    st = later.disputing
    self_ = (st is not None and st.kind is not StatementKind.DENIAL) or (
        st is None and sem.self_ >= SELF_SEMANTICS
    )
    earlier_answers = earlier_sem is not None and _an_answer(earlier, earlier_sem)
    them = earlier.claim_speaker
    if not self_ and ((st is not None) or sem.dispute >= DISPUTE_SEMANTICS):
        # a denial in its words, unless the claimant itself denies: a body calling a report of
        # its figures false stands by its claim ("Ministry rejects report on its tally")
        claimant = earlier.claim.speaker if earlier.claim is not None else None
        return earlier_answers or st is None or not same_body(st.speaker, claimant)
    if earlier_answers:
        return True
    us = later.protagonist
    if self_:
        return them is None or us is None or voice_of(them) == voice_of(us)
    if them is None or us is None:
        return False
    # a counter-account is an account: the later item states something of its own (a claim read
    # by the rules, or one its meaning reads as an official's statement), not a report about others
    states = (later.claim is not None and later.claim.speaker is not None) or sem.claim >= CLAIM_SEMANTICS
    return them.official and us.official and voice_of(them) != voice_of(us) and states


def _an_answer(r: Reading, sem: Semantics) -> bool:
    """The item reads as an answer itself (words of dispute, by rule or by meaning)."""
    return r.disputing is not None or sem.dispute >= DISPUTE_SEMANTICS or sem.self_ >= SELF_SEMANTICS


def same_event(later: Reading, earlier: Reading, cos: float) -> bool:
    """Whether a later item can answer an earlier one at all: both may be about one event.

    Near in meaning (`SAME_EVENT_COS`), or sharing a term that is not the name of a party to
    either (who speaks, whose statement is disputed). A president's name in both is no sign of
    one event: he is in half the news, and so is every denial of him. Across languages, where
    words cannot be compared, meaning decides (`SAME_EVENT_COS_ACROSS`).
    """
    if cos >= SAME_EVENT_COS:
        return True
    if later.language and earlier.language and later.language != earlier.language:
        return cos >= SAME_EVENT_COS_ACROSS
    return share_beyond(later.terms, earlier.terms, name_terms(*later.parties, *earlier.parties))


def may_stand_alone(r: Reading) -> bool:
    """Whether the item may be an alert without an earlier claim: it names whose statement it
    disputes (an alert must name the claimant) and it is news, not an opinion piece.

    An admission that names no error of the speaker's own ("acknowledges delays", "concedes
    some payments") does not stand alone: it often confesses a fact, not a false statement, and
    it counts only beside the earlier statement of its own side that it gives up."""
    d = r.disputing
    if d is not None and d.kind is StatementKind.DENIAL and same_body(d.speaker, d.target):
        return False  # a body does not deny itself: the target is misread, the claimant unknown
    if d is not None and _bare_admission(d):
        return False
    return claimant_named(r) and not r.opinion


def _bare_admission(st: Statement) -> bool:
    """A retraction read from an admission that names no error of the speaker's own ("admits",
    "reconoce"): the cue's group, `cues.CUE_GROUPS`."""
    return st.kind is StatementKind.RETRACTION and st.cue_group == "admission"


def takes_back_own_words(r: Reading, label: str) -> bool:
    """Whether the item is its speaker taking back their own words, as the rules read them: a
    retraction cue ("misspoke", "walks back his claim") that is neither a bare admission nor a
    U-turn on a policy (the cues read that as another sense). A desk may let these alert from a
    lower bar (`[alerts] retraction_threshold`, `routing.alert_bar`; off by default, README)."""
    d = r.disputing
    return (
        label == RETRACTION
        and d is not None
        and d.kind is StatementKind.RETRACTION
        and not _bare_admission(d)
    )


def carries_statement(candidate: PairInput) -> bool:
    """Whether an earlier item holds something an answer can dispute: a claim the rules read, a
    statement its meaning reads as an official's (`CLAIM_SEMANTICS`, any language), or words of
    dispute of its own (an answer the later item carries on, in one thread)."""
    e, sem = candidate.earlier, candidate.semantics
    return e.claim is not None or sem.claim >= CLAIM_SEMANTICS or _an_answer(e, sem)


def names_the_role(later: Reading, candidate: PairInput) -> bool:
    """Whether the later item disputes a role with no body named ("the police account") and the
    earlier item names a body that fills it ("during an LAPD arrest"): an account reported without
    a speaker, whose body the earlier report names (issue #10's "claims without a named speaker").
    A named party is no such sign: the White House is in half the news, and a report naming it
    is not its statement."""
    role = later.disputed
    if role is None or role.country is not None:
        return False
    return any(a.key != role.key and same_body(role, a) for a in candidate.earlier.actors)


def link_ratio(model: DetectorModel) -> float:
    """The share of the best reading a link needs (chosen in training, stored in the card)."""
    return float(model.card.get("link_ratio", LINK_RATIO))


@dataclass(frozen=True, slots=True)
class Case:
    """One item to decide on, with its candidates."""

    later: Reading
    semantics: Semantics
    features: np.ndarray  # ITEM_FEATURES
    candidates: Sequence[PairInput]


def decide_many(model: DetectorModel, cases: Sequence[Case]) -> list[Decision]:
    """`decide` for a batch: the models run once over every item and every candidate pair.

    Only the pairs that can be an answer about one event (`answers`, `same_event`) are scored:
    the others read 0 whatever the model says, and most candidates of ordinary news are such."""
    if not cases:
        return []
    single = model.p_single(np.vstack([c.features for c in cases]))
    pairs = [(c, p) for c in cases for p in c.candidates]
    scored = np.array([may_answer(c.later, c.semantics, p) for c, p in pairs], dtype=bool)
    rows = [
        np.concatenate(
            [c.features, pair_features(p.earlier, c.later, p.semantics, p.context, c.semantics.self_)]
        )
        for (c, p), keep in zip(pairs, scored, strict=True)
        if keep
    ]
    scores = np.zeros(len(pairs))
    if rows:
        scores[scored] = model.p_pair(np.vstack(rows))
    out, k = [], 0
    for c, sp in zip(cases, single, strict=True):
        n = len(c.candidates)
        out.append(_choose(model, c, float(sp), scores[k : k + n]))
        k += n
    return out


def may_answer(later: Reading, sem: Semantics, candidate: PairInput) -> bool:
    """Whether the pair model's score counts for this candidate: it can be an answer to it, and
    both are about one event."""
    return answers(later, sem, candidate.earlier, candidate.semantics) and same_event(
        later, candidate.earlier, candidate.context.cos
    )


def decide(
    model: DetectorModel,
    later: Reading,
    later_sem: Semantics,
    item_features: np.ndarray,
    candidates: Sequence[PairInput],
) -> Decision:
    """Score every candidate and the item alone; the best reading, its kind and probability.

    The probability is that of the likelier reading. The item is linked to its best candidate
    when that link is at least `link_ratio(model)` as likely as the best reading (so about even odds
    that the claim is the right one) and the candidate carries a statement to dispute (or names
    the body of a role the item disputes), or the model is sure of the link (`LINK_SURE`);
    otherwise it stands alone. An item stands alone only when
    it says whose statement it disputes: an alert must name the claimant.
    """
    return decide_many(model, [Case(later, later_sem, item_features, candidates)])[0]


def _choose(model: DetectorModel, case: Case, single_p: float, pair_p: np.ndarray) -> Decision:
    later, sem, candidates = case.later, case.semantics, case.candidates
    alone = Option(None, single_p if may_stand_alone(later) else 0.0)
    options = [alone] + [
        Option(c.earlier.item.id, float(p), c.context.cos, c.via)
        for c, p in zip(candidates, pair_p, strict=True)
    ]
    options.sort(key=lambda o: -o.p)
    p = options[0].p
    by_id = {c.earlier.item.id: c for c in candidates}
    best = next((o for o in options if o.earlier_id is not None), None)
    chosen, declined = alone, None
    if best is not None and best.earlier_id is not None and best.p > 0 and best.p >= link_ratio(model) * p:
        c = by_id[best.earlier_id]
        if best.p >= LINK_SURE or carries_statement(c) or names_the_role(later, c):
            chosen = best
        else:
            declined = best.earlier_id
    earlier = by_id[chosen.earlier_id].earlier if chosen.earlier_id is not None else None
    label = kind_of(later, sem, earlier)
    return Decision(label, p, chosen.earlier_id, tuple(options), single_p, declined_link=declined)


__all__ = [
    "Case",
    "Decision",
    "Option",
    "PairInput",
    "carries_statement",
    "decide",
    "decide_many",
    "kind_of",
    "may_answer",
    "may_stand_alone",
    "names_the_role",
    "same_event",
    "takes_back_own_words",
]
