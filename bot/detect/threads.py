"""One thread per story: a decision opens a dispute, joins the one its story already has, or
brings a late claim to a dispute that was missing it.

* A linked item joins the dispute its earlier item already belongs to (as the claim or as
  evidence), so a second denier, a retraction and ten outlets carrying the same denial all
  land in one thread, whatever their language.
* An item alone joins an open dispute when it is about the same event (near in meaning) and
  disputes the same claimant; otherwise it opens a dispute of its own.
* A denier already heard in the dispute (the same voice: an office, its holder, a wire
  report of them) adds coverage, not a second denial.

Every dispute change enqueues its alert events in the same transaction (`bot.storage.disputes`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.config import AlertsConfig
from bot.detect.decision import CORRECTION, COUNTER, RETRACTION, Decision, takes_back_own_words
from bot.detect.explain import make_topic, reasons
from bot.detect.grouping import group_key
from bot.detect.reading import Reading
from bot.detect.routing import alert_bar, route
from bot.detect.sides import name_key, voice_of, voice_of_key, whole_state
from bot.detect.terms import Terms, name_terms, overlap, share_beyond
from bot.storage import disputes as store
from bot.storage import links
from bot.storage import schema as s
from bot.storage.vectors import load_vectors
from bot.types import Actor, EvidenceRole, Statement, StatementKind

# An item alone continues a stored story when it is at least this near in meaning to one of
# the story's items and disputes the same claimant.
STORY_COS = 0.7
# A claim arriving after the item that reported its denial is that dispute's claim when it is
# at least this near in meaning (across languages: lower than STORY_COS) and by the claimant.
LATE_CLAIM_COS = 0.45
# An item that answers an item already in a dispute joins that thread from this probability
# on, below the bar for opening one: the story is established, and a late retraction by the
# claimant (months on, which the model has seen less of) must not be lost.
JOIN_P = 0.15
# Other candidates at least this share as likely as the chosen one are the same story
# (`Placement.members`): the earliest of them is the story's claim.
MEMBER_RATIO = 0.5
# A dispute about the same claimant whose newest evidence was said within this many days, with
# an item this near in meaning or sharing this much of its terms (`terms.overlap`, and at least
# one term that is no party's name), is the same story (see `Threads._recent_twin`). Two
# stories of one president share his name and little else; two denials of one claim share its
# places and things (0.3 and more). A week: a story's second answer often comes days later.
TWIN_DAYS = 7
TWIN_TERMS = 0.3
# How many stored links back a linked item follows to find its story's claim.
CHAIN = 2
# ... and only through items that are at least this likely an answer themselves: the default
# review threshold. A weaker link is a guess the detector did not act on (an official's own
# statement "answering" an unrelated one of another official at 0.17), and a story's claim
# found through it was an unrelated item.
CHAIN_MIN_P = 0.4

_ROLE = {
    "denial": EvidenceRole.DENIAL,
    COUNTER: EvidenceRole.COUNTER_ACCOUNT,
    RETRACTION: EvidenceRole.RETRACTION,
    CORRECTION: EvidenceRole.CORRECTION,
}
_SILENT = ("dismissed", "muted")


@dataclass(slots=True)
class Outcome:
    """What happened to one item, for its log line, its `analysis` note and the run's counts."""

    note: str
    dispute_id: int | None = None
    created: bool = False
    joined: bool = False
    attached: bool = False
    level: str = "none"  # alert | review | stored | joined | none | error
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Placement:
    """Everything `place` needs about one decided item."""

    later: Reading
    statement_ids: Sequence[int]
    decision: Decision
    earlier: Reading | None
    neighbours: Sequence[tuple[int, float]]  # (item id, cosine) of the candidates found by meaning
    members: Sequence[Reading] = ()  # other candidates about as likely as `earlier` (one story)
    vector: np.ndarray | None = None  # the item's sentence vector
    wording: float | None = None  # how far its words read as a dispute (`routing.route`)


class Threads:
    """Opens and joins disputes for decided items; one instance per detector."""

    def __init__(
        self,
        alerts: AlertsConfig,
        destinations: Sequence[str],
        lookup: Callable[[str], Actor | None],
        clock: Callable[[], datetime],
        vectors: tuple[str, int] | None = None,
        voice: Callable[[str | None, str | None], str | None] | None = None,
    ) -> None:
        self.alerts = alerts
        self.destinations = tuple(destinations)
        self._lookup = lookup
        self._clock = clock
        self._vectors = vectors  # (encoder name, dimensions) of the stored item vectors
        # the voice behind a stored speaker key and name (`Gazetteer.voice_of_key`)
        self._voice = voice or (lambda key, name: voice_of_key(key, name, lookup, ()))

    async def place(self, conn: AsyncConnection, p: Placement) -> Outcome:
        """Open, join, or leave alone; the outcome says which and why.

        A linked item's story is the chosen earlier item, the other candidates the pair model
        finds about as likely (`Placement.members`), and what the chosen item itself answered
        (its stored link, up to `CHAIN` steps back). When any of them is already in a dispute,
        the item joins it; otherwise a dispute opens on the story's earliest item as the claim,
        and the chosen item, when it is a weaker answer in between, joins beside this one.
        """
        d = p.decision
        if d.earlier_id is None or p.earlier is None:
            dispute_id = await self._same_story(conn, p)
            return await (self._join(conn, dispute_id, p) if dispute_id is not None else self._open(conn, p))
        chain = await _chain(conn, d.earlier_id)
        story = list(dict.fromkeys([d.earlier_id, *(r.item.id for r in p.members), *chain[1:]]))
        in_disputes = await store.disputes_for_items(conn, story)
        for item_id in story:
            if item_id in in_disputes:
                dispute_id = in_disputes[item_id][0]
                await self._complete(conn, dispute_id, p)
                return await self._join(conn, dispute_id, p)
        root = await _earliest(
            conn, [r for r in p.members if r.item.id != d.earlier_id], chain[1:], p.earlier
        )
        return await self._open(conn, p, root=root)

    async def _complete(self, conn: AsyncConnection, dispute_id: int, p: Placement) -> None:
        """Before a linked item joins a dispute through another item of its story: the chosen
        earlier item joins too (quietly), and the story's earliest item becomes the claim of a
        dispute that was opened by an item reporting both sides."""
        assert p.earlier is not None and p.decision.earlier_id is not None
        members = {e.item_id for e in await store.evidence_speakers(conn, dispute_id)}
        row = (await conn.execute(select(s.disputes).where(s.disputes.c.id == dispute_id))).one()
        if p.decision.earlier_id != row.claim_item_id and p.decision.earlier_id not in members:
            answer = _as_answer(p.earlier, await links.get_link(conn, p.decision.earlier_id))
            if answer.decision.p >= CHAIN_MIN_P or p.earlier.disputing is not None:
                await self._join(conn, dispute_id, answer, quiet=True)
                members.add(p.decision.earlier_id)
        if row.claim_item_id is not None and row.claim_item_id not in members:
            return  # the dispute has its own claim item already
        candidates = [r for r in (*p.members, p.earlier) if r.item.id not in members]
        first = min(candidates, key=lambda r: r.item.when, default=None)
        if first is None or first.disputing is not None:
            return
        claim = first.claim
        sid = await _stored_claim_id(conn, first.item.id, claim.speaker if claim else None)
        await store.attach_claim(
            conn, dispute_id, first.item.id, sid, said_at=first.item.when, terms=None, now=self._clock()
        )

    # --- joining ------------------------------------------------------------------------------

    async def about(self, conn: AsyncConnection, dispute_id: int, claimant: Actor | None) -> bool:
        """Whether a dispute is about this claimant (one voice: an office, its holder, reports of it).

        A claimant named only as a whole state ("rejected the U.S. account": its government, read
        from the country's name) is not enough for a dispute about one of its bodies: that state
        speaks in half the news, and its name alone says nothing of which statement is meant."""
        if claimant is None:
            return False
        key = await _speaker_key(conn, dispute_id)
        if key is None:
            return False
        if key != claimant.key and whole_state(claimant):
            return False
        return self._same_voice(claimant.key, key)

    async def _same_story(self, conn: AsyncConnection, p: Placement) -> int | None:
        """An open dispute this item alone continues: near in meaning, the same claimant."""
        near = [i for i, cos in p.neighbours if cos >= STORY_COS]
        disputed = p.later.disputed
        in_disputes = await store.disputes_for_items(conn, near)
        for item_id in near:
            if item_id not in in_disputes:
                continue
            dispute_id = in_disputes[item_id][0]
            key = await _speaker_key(conn, dispute_id)
            if disputed is None or key is None or self._same_voice(disputed.key, key):
                return dispute_id
        return None

    async def _join(
        self, conn: AsyncConnection, dispute_id: int, p: Placement, *, quiet: bool = False
    ) -> Outcome:
        row = (await conn.execute(select(s.disputes).where(s.disputes.c.id == dispute_id))).one()
        speakers = await store.evidence_speakers(conn, dispute_id)
        if not quiet and await self._is_missing_claim(conn, row, speakers, p):
            return Outcome(
                f"claim joins dispute {dispute_id} about {row.speaker_name} (it arrived after the answer)",
                dispute_id=dispute_id,
                attached=True,
                level="joined",
            )
        denier, denier_key = _speaker(p.later, p.decision.label, row.speaker_name)
        heard = {self._voice(e.speaker_key, e.actor_name) for e in speakers}
        voice = self._voice(denier_key, denier)
        role = _ROLE.get(p.decision.label, EvidenceRole.DENIAL)
        if (
            role in (EvidenceRole.DENIAL, EvidenceRole.COUNTER_ACCOUNT)
            and voice is not None
            and voice in heard
        ):
            role = EvidenceRole.COVERAGE  # the same voice again: another outlet, a wire report of it
        claimant = self._lookup(row.speaker_key) if row.speaker_key else None
        why = reasons(p.decision, p.later, p.earlier, denier=denier, claimant=row.speaker_name)
        why += _not_official(claimant, row.speaker_name)
        best = max(p.decision.p, float(row.confidence))
        own = takes_back_own_words(p.later, p.decision.label)
        why += _own_words_bar(best, self.alerts, own)
        now = self._clock()
        newest = max(p.later.item.when, row.newest_evidence_at or p.later.item.when)
        routing = route(
            best,
            self.alerts,
            self.destinations,
            official=_may_be_official(claimant),
            newest_evidence_at=newest,
            now=now,
            own_retraction=own,
            wording=p.wording,
        )
        if quiet:  # an earlier, weaker answer brought in beside a stronger one: no alert of its own
            routing = dc_replace(routing, destinations=())
        added = await store.add_evidence(
            conn,
            dispute_id,
            self._evidence(p, role, denier, why),
            destinations=routing.destinations,
            now=now,
            confidence=p.decision.p,
            reasons=why if p.decision.p > row.confidence else None,
        )
        if not added:
            return Outcome(f"already evidence of dispute {dispute_id}", dispute_id=dispute_id)
        if row.status in _SILENT:
            return Outcome(
                f"{role.value} by {denier} joins dispute {dispute_id}: {row.status} by a user, no alert",
                dispute_id=dispute_id,
                joined=True,
                level="stored",
            )
        return Outcome(
            f"{role.value} by {denier} joins dispute {dispute_id} about {row.speaker_name}; {routing.why}",
            dispute_id=dispute_id,
            joined=True,
            level=routing.level,
            extra={"confidence": round(best, 3)},
        )

    async def _is_missing_claim(
        self, conn: AsyncConnection, row: Any, speakers: Sequence[store.EvidenceSpeaker], p: Placement
    ) -> bool:
        """When the item is the claimant's own statement and the dispute was opened without its
        claim (an item that reported both sides came first), it becomes the claim: attached."""
        later = p.later
        claim = later.claim
        if later.disputing is not None or claim is None or claim.speaker is None or row.speaker_key is None:
            return False
        if row.claim_item_id is not None and row.claim_item_id not in {e.item_id for e in speakers}:
            return False  # the dispute has its claim item already
        if not self._same_voice(claim.speaker.key, row.speaker_key):
            return False
        sid = _statement_id(later, claim, p.statement_ids)
        return await store.attach_claim(
            conn, row.id, later.item.id, sid, said_at=later.item.when, terms=None, now=self._clock()
        )

    async def attach_late_claim(
        self,
        conn: AsyncConnection,
        later: Reading,
        statement_ids: Sequence[int],
        neighbours: Sequence[tuple[int, float]],
    ) -> Outcome | None:
        """A claim that arrives after the item that reported its denial becomes that dispute's claim."""
        claim = later.claim
        if claim is None or claim.speaker is None or later.disputing is not None:
            return None
        near = [(item_id, cos) for item_id, cos in neighbours if cos >= LATE_CLAIM_COS]
        # one query for all of them: most claims have no near item in any dispute
        in_disputes = await store.disputes_for_items(conn, [item_id for item_id, _ in near])
        for item_id, cos in near:
            if item_id not in in_disputes:
                continue
            dispute_id = in_disputes[item_id][0]  # the oldest dispute it is in
            row = (await conn.execute(select(s.disputes).where(s.disputes.c.id == dispute_id))).one()
            lacks_claim = row.claim_item_id is None or row.claim_item_id in {
                e.item_id for e in await store.evidence_speakers(conn, dispute_id)
            }
            if (
                not lacks_claim
                or row.speaker_key is None
                or not self._same_voice(claim.speaker.key, row.speaker_key)
            ):
                continue
            sid = _statement_id(later, claim, statement_ids)
            if await store.attach_claim(
                conn, dispute_id, later.item.id, sid, said_at=later.item.when, terms=None, now=self._clock()
            ):
                return Outcome(
                    f"claim by {claim.speaker.name} joins dispute {dispute_id} ({cos:.2f} alike in meaning)",
                    dispute_id=dispute_id,
                    attached=True,
                    level="joined",
                )
        return None

    # --- opening ------------------------------------------------------------------------------

    async def _open(self, conn: AsyncConnection, p: Placement, *, root: int | None = None) -> Outcome:
        d, later, earlier = p.decision, p.later, p.earlier
        now = self._clock()
        claim = (
            await _claim_in_store(conn, root, self._lookup) if root is not None else _claim_of(earlier, later)
        )
        denier, _ = _speaker(later, d.label, claim.name)
        twin = await self._recent_twin(conn, claim, p.vector, later, earlier)
        if twin is not None:
            return await self._join(conn, twin, p)
        claim_sid = await _stored_claim_id(conn, claim.item_id, claim.actor)
        if claim_sid is None:
            claim_sid = await _insert_reported_claim(conn, claim)
        own = takes_back_own_words(later, d.label)
        why = (
            reasons(d, later, earlier, denier=denier, claimant=claim.name)
            + _not_official(claim.actor, claim.name)
            + _own_words_bar(d.p, self.alerts, own)
        )
        routing = route(
            d.p,
            self.alerts,
            self.destinations,
            official=_may_be_official(claim.actor),
            newest_evidence_at=later.item.when,
            now=now,
            own_retraction=own,
            wording=p.wording,
        )
        new = store.NewDispute(
            speaker_key=claim.actor.key if claim.actor else name_key(claim.name),
            speaker_name=claim.name,
            topic=make_topic(claim.text, claim.name),
            claim_item_id=claim.item_id,
            claim_statement_id=claim_sid,
            confidence=round(d.p, 3),
            reasons=why,
            terms=(later.terms.union(earlier.terms) if earlier else later.terms).serialise(),
            claim_text=claim.text,
            claim_said_at=claim.said_at,
        )
        evidence = [self._evidence(p, _ROLE.get(d.label, EvidenceRole.DENIAL), denier, why)]
        if root is not None and earlier is not None:  # the weaker answer in between joins too
            evidence.insert(
                0,
                self._evidence(
                    answer := _as_answer(earlier, await links.get_link(conn, earlier.item.id)),
                    _ROLE.get(answer.decision.label, EvidenceRole.DENIAL),
                    _speaker(earlier)[0],
                    why,
                ),
            )
        dispute_id = await store.create_dispute(
            conn, new, evidence, destinations=routing.destinations, now=now
        )
        how = (
            f"answers item {claim.item_id}"
            if claim.item_id != later.item.id
            else "one item reports both sides"
        )
        return Outcome(
            f"{d.label} by {denier} of {claim.name}: new dispute {dispute_id} ({how}); {routing.why}",
            dispute_id=dispute_id,
            created=True,
            level=routing.level,
            extra={"confidence": round(d.p, 3), "single_item": claim.item_id == later.item.id},
        )

    async def story_of_answer(
        self, conn: AsyncConnection, later: Reading, vector: np.ndarray | None
    ) -> int | None:
        """The recent dispute an item standing alone continues (see `_recent_twin`), if any."""
        return await self._recent_twin(conn, _claim_of(None, later), vector, later)

    async def _recent_twin(
        self,
        conn: AsyncConnection,
        claim: _Claim,
        vector: np.ndarray | None,
        later: Reading,
        earlier: Reading | None = None,
    ) -> int | None:
        """A dispute opened in the last `TWIN_DAYS` about the same claimant, one of whose items is
        at least `STORY_COS` near this one in meaning, or whose terms this one shares (`TWIN_TERMS`:
        the encoder may not know a place's or a ferry's name, the terms do): the same story, opened
        meanwhile by another replica or from an item this one did not link. Join it, not a twin."""
        if vector is None or self._vectors is None:
            return None
        voice = voice_of(claim.actor, claim.name)
        when = later.item.when
        # the story's terms: the item's, and those of the earlier item it answers
        terms = later.terms.union(earlier.terms) if earlier is not None else later.terms
        d = s.disputes.c
        # "recent" in the story's time (when its newest evidence was said), not when the row was
        # written: a first poll, a backlog after downtime or a replay stores weeks of news at once
        told = func.coalesce(d.newest_evidence_at, d.created_at)
        span = timedelta(days=TWIN_DAYS)
        rows = (
            await conn.execute(
                select(d.id, d.speaker_key, d.speaker_name, d.claim_item_id, d.terms).where(
                    told >= when - span, told <= when + span, d.status.not_in(_SILENT)
                )
            )
        ).all()
        same = [r for r in rows if self._voice(r.speaker_key, r.speaker_name) == voice]
        if not same:
            return None
        model, dim = self._vectors
        # the claimant is matched already, and the same denier may answer it twice: their names
        # in both are no sign of one story by themselves
        parties = name_terms(claim.name, *later.parties)
        for r in same:
            stored = Terms.parse(r.terms)
            own = parties | name_terms(r.speaker_name)
            if overlap(stored, terms) >= TWIN_TERMS and share_beyond(stored, terms, own):
                return int(r.id)
            ids = [r.claim_item_id, *(e.item_id for e in await store.evidence_speakers(conn, r.id))]
            got = await load_vectors(conn, model=model, item_ids=[i for i in ids if i is not None], dim=dim)
            if len(got) and float((got.vectors @ vector).max()) >= STORY_COS:
                return int(r.id)
        return None

    # --- helpers ------------------------------------------------------------------------------

    def _evidence(
        self, p: Placement, role: EvidenceRole, denier: str, why: tuple[str, ...]
    ) -> store.NewEvidence:
        st = p.later.disputing
        item = p.later.item
        return store.NewEvidence(
            item_id=item.id,
            role=role,
            actor_name=denier,
            statement_id=_statement_id(p.later, st, p.statement_ids) if st is not None else None,
            score=round(p.decision.p, 3),
            reasons=why,
            group_key=group_key(f"{item.title} {item.text}"),
            said_at=item.when,
            text=f"{item.title}\n{st.quote if st is not None else item.text[:300]}",
        )

    def _same_voice(self, a: str, b: str) -> bool:
        return a == b or self._voice(a, None) == self._voice(b, None)


def _may_be_official(claimant: Actor | None) -> bool:
    """False only for a claimant the gazetteer knows to be no official (a newspaper, a private
    person, an armed group): denying what they said is not the dispute this product alerts on.
    An unknown claimant is left to the model, which weighs how official the claim reads."""
    return claimant is None or claimant.official


def _not_official(claimant: Actor | None, name: str) -> tuple[str, ...]:
    """The reason line for a dispute that is stored but never alerted: its claimant is no official."""
    return () if _may_be_official(claimant) else (f"{name} is not an official source: stored, not alerted",)


def _own_words_bar(conf: float, alerts: AlertsConfig, own: bool) -> tuple[str, ...]:
    """The reason line for a side taking back its own words that alerts below the usual bar."""
    bar = alert_bar(alerts, own_retraction=own)
    if bar <= conf < alerts.alert_threshold:
        return (
            f"a side taking back its own words: alerted from {bar:.2f}, not the usual {alerts.alert_threshold:.2f}",
        )
    return ()


def _speaker(r: Reading, label: str = "", claimant: str | None = None) -> tuple[str, str | None]:
    """Display name and key of who speaks in the later item.

    With no speaker found, a retraction or correction (`label`) is the claimant's own (that is
    what makes it one), so it is credited to `claimant`, never to the outlet reporting it.
    """
    st = r.disputing or r.claim
    if st is not None and st.speaker is not None:
        return st.speaker.name, st.speaker.key
    if st is not None and st.speaker_text:
        return st.speaker_text, name_key(st.speaker_text)
    if label in (RETRACTION, CORRECTION) and claimant:
        return claimant, None
    source = r.item.feed_actor or r.item.feed_name
    return (source or "a news report"), None


def _claimant(later: Reading, earlier: Reading | None) -> tuple[Actor | None, str]:
    """Whose statement is disputed, and its display name. An earlier item that is itself an
    answer is not the claimant: the party it disputes is (a second denial carrying on the first).
    An earlier item in which the rules read no speaker (a language they do not read, an account
    given without one) carries the statement of the official it is about (`Reading.protagonist`)."""
    if earlier is not None and earlier.disputing is not None and earlier.disputed is not None:
        return earlier.disputed, earlier.disputed.name
    said = (earlier.claim or earlier.disputing) if earlier is not None else None
    if said is not None and said.speaker is not None and said.speaker.official:
        return said.speaker, said.speaker.name
    who = later.disputed
    if who is not None:
        return who, who.name
    st = later.disputing
    if st is not None and st.target_text:
        return None, st.target_text
    if said is not None and said.speaker is not None:
        return said.speaker, said.speaker.name
    if said is not None and said.speaker_text:
        return None, said.speaker_text
    if earlier is not None and earlier.protagonist is not None:
        return earlier.protagonist, earlier.protagonist.name
    return None, "an official"


@dataclass(frozen=True, slots=True)
class _Claim:
    """The statement a dispute is about, wherever it was found."""

    item_id: int
    actor: Actor | None
    name: str
    text: str
    said_at: datetime
    language: str | None


def _claim_of(earlier: Reading | None, later: Reading) -> _Claim:
    """The claim of a new dispute: the earlier item's, or the one the later item reports."""
    actor, name = _claimant(later, earlier)
    if earlier is not None:
        st = earlier.claim or earlier.disputing
        text = st.quote if st is not None else earlier.item.title
        return _Claim(earlier.item.id, actor, name, text, earlier.item.when, earlier.language)
    return _Claim(later.item.id, actor, name, later.item.title, later.item.when, later.language)


async def _claim_in_store(
    conn: AsyncConnection, item_id: int, lookup: Callable[[str], Actor | None]
) -> _Claim:
    """A story's first item, read back from the store (its statements and headline)."""
    it = (
        await conn.execute(
            select(s.items.c.title, s.items.c.published, s.items.c.first_seen, s.items.c.language).where(
                s.items.c.id == item_id
            )
        )
    ).one()
    rows = await store.stored_statements(conn, item_id)
    claims = [
        r for r in rows if r.kind in (StatementKind.CLAIM.value, StatementKind.CONFIRMATION.value)
    ] or list(rows)
    best = claims[0] if claims else None
    actor = lookup(best.speaker_key) if best is not None and best.speaker_key else None
    name = (
        actor.name
        if actor is not None
        else (best.speaker_name if best is not None and best.speaker_name else "an official")
    )
    return _Claim(
        item_id,
        actor,
        name,
        (best.quote if best is not None else "") or it.title,
        it.published or it.first_seen,
        it.language,
    )


def _as_answer(earlier: Reading, link: links.ItemLink | None) -> Placement:
    """An earlier, weaker answer as a placement of its own (it joins beside the stronger one)."""
    label, p = (link.label, link.p) if link is not None else ("denial", 0.0)
    return Placement(earlier, (), Decision(label, p, None, ()), None, ())


def link_row(item_id: int, d: Decision) -> links.ItemLink:
    """What is stored of a decision: the earlier item only when the item is a likely enough
    answer for a later item to follow it back to its claim."""
    earlier = d.earlier_id if d.p >= CHAIN_MIN_P else None
    return links.ItemLink(item_id, earlier, d.label, round(d.p, 4), round(d.single_p, 4))


async def _earliest(
    conn: AsyncConnection, members: Sequence[Reading], chain: Sequence[int], chosen: Reading
) -> int | None:
    """The story's first item when it is not the chosen one (None when the chosen one is first)."""
    when = {r.item.id: r.item.when for r in members}
    if chain:
        rows = await conn.execute(
            select(s.items.c.id, s.items.c.published, s.items.c.first_seen).where(
                s.items.c.id.in_(list(chain))
            )
        )
        when.update({int(r.id): r.published or r.first_seen for r in rows})
    first = min(when, key=lambda i: when[i], default=None)
    return first if first is not None and when[first] < chosen.item.when else None


def story_members(
    later: Reading, decision: Decision, earlier: Callable[[int], Reading | None]
) -> list[Reading]:
    """The candidates that belong to the chosen item's story (`Placement.members`).

    When the chosen earlier item is an answer (a denial the item carries on), its story's other
    items are the candidates the pair model finds about as likely (`MEMBER_RATIO`), and the
    disputed party's own statement when it is near in meaning (`STORY_COS`) and likely enough to
    join (`JOIN_P`): a second denier may answer the first more surely than the claim, but the
    claim is still its story's. So is the same denier's earlier answer to the same claimant,
    near in meaning and likely enough to join, when the item answers a renewed claim ("again
    denies"): the story was not split by the claimant saying it twice. When the chosen item is
    itself a claim, another statement by the same speaker is another matter, however likely (an
    agency's raid post and its post about an arrest in Texas); an earlier item of another source
    (the claim's own post, when the chosen item reports it) stays, and the earliest member is the
    story's root.
    """
    chosen = earlier(decision.earlier_id) if decision.earlier_id is not None else None
    # the speaker of the chosen item's claim, when that item is a claim and not an answer
    chosen_voice = (
        voice_of(chosen.claim.speaker)
        if chosen is not None and chosen.disputing is None and chosen.claim is not None
        else None
    )
    cut = MEMBER_RATIO * decision.p
    disputed = voice_of(later.disputed) if later.disputed is not None else None
    st = later.disputing
    denier = voice_of(st.speaker, st.speaker_text) if st is not None else None
    out = []
    for o in decision.options:
        r = earlier(o.earlier_id) if o.earlier_id is not None else None
        if r is None:
            continue
        if (
            chosen_voice is not None
            and r.disputing is None
            and o.earlier_id != decision.earlier_id
            and r.claim is not None
            and voice_of(r.claim.speaker) == chosen_voice
        ):
            continue  # another statement of the chosen claim's speaker: another matter
        # the disputed party's own statement, or the same denier's earlier answer to the same
        # claimant ("again denies"): of the story when near in meaning and likely enough to join
        if r.disputing is None:
            same_parties = r.claim is not None and voice_of(r.claim.speaker) == disputed
        else:
            same_parties = (
                denier is not None
                and voice_of(r.disputed) == disputed
                and voice_of(r.disputing.speaker, r.disputing.speaker_text) == denier
            )
        joins = disputed is not None and same_parties and o.p >= JOIN_P and o.cos >= STORY_COS
        if o.p >= cut or joins:
            out.append(r)
    return out


async def _speaker_key(conn: AsyncConnection, dispute_id: int) -> str | None:
    """The key of the claimant a dispute is about (None when it was never resolved)."""
    stmt = select(s.disputes.c.speaker_key).where(s.disputes.c.id == dispute_id)
    return (await conn.execute(stmt)).scalar_one()


async def _chain(conn: AsyncConnection, item_id: int) -> list[int]:
    """`item_id`, then the earlier items its stored reading answers, back to the story's start."""
    chain = [item_id]
    while len(chain) <= CHAIN:
        link = await links.get_link(conn, chain[-1])
        if link is None or link.earlier_item_id is None or link.earlier_item_id in chain:
            break
        chain.append(link.earlier_item_id)
    return chain


def _statement_id(r: Reading, st: Statement | None, ids: Sequence[int]) -> int | None:
    if st is None:
        return None
    for sid, other in zip(ids, r.statements, strict=False):
        if other is st:
            return sid
    return None


async def _stored_claim_id(conn: AsyncConnection, item_id: int, claimant: Actor | None) -> int | None:
    """An item's stored claim statement by the claimant (or its first claim)."""
    rows = await store.stored_statements(conn, item_id)
    claims = [r for r in rows if r.kind in (StatementKind.CLAIM.value, StatementKind.CONFIRMATION.value)]
    if claimant is not None:
        mine = [r for r in claims if r.speaker_key == claimant.key]
        if mine:
            return int(mine[0].id)
    return int(claims[0].id) if claims else None


async def _insert_reported_claim(conn: AsyncConnection, claim: _Claim) -> int:
    """Store the claim an item reports (by the disputed actor) as a statement of its own."""
    res = await conn.execute(
        insert(s.statements)
        .values(
            item_id=claim.item_id,
            kind=StatementKind.CLAIM.value,
            speaker_key=claim.actor.key if claim.actor else name_key(claim.name),
            speaker_name=(claim.actor.name if claim.actor else claim.name)[:300],
            speaker_official=bool(claim.actor and claim.actor.official),
            quote=claim.text,
            language=claim.language,
            score=0.0,
            said_at=claim.said_at,
        )
        .returning(s.statements.c.id)
    )
    return int(res.scalar_one())


__all__ = [
    "JOIN_P",
    "MEMBER_RATIO",
    "STORY_COS",
    "Outcome",
    "Placement",
    "Threads",
    "link_row",
    "story_members",
]
