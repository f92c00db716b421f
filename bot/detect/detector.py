"""The detector: pending items -> statements -> links -> disputes -> alert events.

`Detector(db, config, destinations).process_pending()` reads the items not analysed yet in
date order, extracts statements in a worker thread, links every denial, retraction and
correction to the earlier claim it answers (or builds a single-item dispute when the item
reports both sides), groups it into the story it continues, scores it, stores it and
enqueues its alert events in the same transaction. Each item is marked analysed with a
one-line reason, and one structured log line per item says why it did or did not alert.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from dataclasses import replace as dc_replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.config import Config
from bot.detect.grouping import OpenDispute, choose_dispute, group_key
from bot.detect.linking import (
    ClaimCandidate,
    Link,
    Terms,
    actor_keys,
    best_link,
    candidate_keys,
    candidate_prefixes,
    disputed_actor,
    extract_terms,
    family_prefix,
    fold,
    name_key,
    overlap,
    readable_terms,
    register_places,
    same_side,
    shared_terms,
    topic_text,
    window_for,
)
from bot.detect.scoring import Signals, confidence, reasons, route
from bot.storage import disputes as store
from bot.storage import schema as s
from bot.storage.db import Database
from bot.storage.items import ItemStore
from bot.storage.search import search_items
from bot.types import Actor, ActorType, EvidenceRole, Item, Statement, StatementKind

log = logging.getLogger("factbot.detect")

Extractor = Callable[[Item], list[Statement]]

_DISPUTING = (StatementKind.DENIAL, StatementKind.RETRACTION, StatementKind.CORRECTION)
# An earlier item without an attributed statement is taken as the claim's report only
# when it shares this much topic (see `_reported_link`).
REPORTED_CLAIM_OVERLAP = 0.3
# ... and this much when it names the disputed actor itself (not only a body of its state).
REPORTED_NAMED_OVERLAP = 0.25
# A denial answers a claim older than `link_window_days` only with this much topic.
LATE_CLAIM_OVERLAP = 0.3
_CAPITALISED = re.compile(r"\b[A-ZÀ-Þ][\w'’-]+")

_ROLE = {
    StatementKind.DENIAL: EvidenceRole.DENIAL,
    StatementKind.RETRACTION: EvidenceRole.RETRACTION,
    StatementKind.CORRECTION: EvidenceRole.CORRECTION,
}


class StanceScorer(Protocol):
    """The learned stance model, as the detector uses it (optional signal)."""

    def predict(self, claim_text: str, later_text: str) -> dict[str, float]: ...


@dataclass(frozen=True, slots=True)
class DetectReport:
    """What one `process_pending` run did."""

    items: int = 0
    statements: int = 0
    disputing: int = 0  # denial / retraction / correction statements seen
    disputes_created: int = 0
    evidence_added: int = 0
    claims_attached: int = 0
    alerted: int = 0  # items whose dispute went (or already was) to the alert destinations
    review: int = 0
    stored_only: int = 0
    errors: int = 0

    def __add__(self, other: DetectReport) -> DetectReport:
        return DetectReport(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


@dataclass(slots=True)
class _Outcome:
    note: str
    dispute_id: int | None = None
    created: bool = False
    joined: bool = False
    attached: bool = False
    level: str = "none"  # alert | review | stored | none
    extra: dict[str, Any] = field(default_factory=dict)


class MentionFinder(Protocol):
    """What the detector needs of the gazetteer: the actors a text names."""

    def find_all(self, text: str, *, country: str | None = None) -> list[tuple[Actor, Any]]: ...

    def get(self, key: str) -> Actor | None: ...


def _default_extractor(config: Config) -> tuple[Extractor, MentionFinder]:
    from bot.detect.actors import Gazetteer
    from bot.detect.statements import extract_statements

    files = [config.detect.actors_file] if config.detect.actors_file else []
    gazetteer = Gazetteer.load(files)
    _register_countries(gazetteer)

    def extract(item: Item) -> list[Statement]:
        return list(extract_statements(item, gazetteer))

    return extract, gazetteer


def _register_countries(gazetteer: Any) -> None:
    """Country names, capitals and demonyms (inflected) into the linking gloss."""
    try:
        register_places((c.code, c.forms) for c in gazetteer.countries)
    except Exception as e:  # noqa: BLE001 - a gloss is a nicety, not a requirement
        log.debug("country gloss unavailable: %s", e)


def _load_stance(config: Config) -> StanceScorer | None:
    if not config.detect.use_stance_model:
        return None
    try:
        from bot.detect.stance import StanceModel

        return StanceModel.load()
    except Exception as e:  # noqa: BLE001 - an optional signal: any failure means "not present"
        log.info("stance model not used: %s", e)
        return None


def make_topic(text: str, speaker: str = "") -> str:
    """A few words naming what a claim is about, taken from its headline or quote."""
    t = re.sub(r"\s+", " ", text).strip()
    # "ICE: ..." / "Sheinbaum says ..." -> the part after the speaker's framing
    t = re.sub(r"^[^:]{2,40}:\s+", "", t)
    words = t.split(" ")
    spk = {fold(w) for w in re.findall(r"\w+", speaker) if len(w) > 2}
    while words and fold(re.sub(r"\W", "", words[0])) in spk:
        words.pop(0)
    out = " ".join(words[:10]).strip(" .,;:")
    return out + ("…" if len(words) > 10 else "") if out else "an official statement"


class Detector:
    """Turns pending items into disputes and alert events. One instance per process."""

    def __init__(
        self,
        db: Database,
        config: Config,
        destinations: Sequence[str],
        *,
        extractor: Extractor | None = None,
        stance: StanceScorer | None | bool = True,
        clock: Callable[[], datetime] | None = None,
        batch: int = 500,
        chunk: int = 100,
    ) -> None:
        self.db = db
        self.config = config
        self.destinations = tuple(destinations)
        self._extractor = extractor
        self._stance: StanceScorer | None = None
        self._gazetteer: MentionFinder | None = None
        self._stance_wanted = stance
        self._clock = clock or (lambda: datetime.now(UTC))
        self.batch = batch
        self.chunk = chunk

    # --- setup -------------------------------------------------------------------------------

    def _ensure_ready(self) -> None:
        if self._extractor is None:
            self._extractor, self._gazetteer = _default_extractor(self.config)
        if self._stance_wanted is True:
            self._stance = _load_stance(self.config)
            self._stance_wanted = False
        elif self._stance_wanted not in (False, None):
            self._stance = self._stance_wanted  # type: ignore[assignment]
            self._stance_wanted = False

    def _extract_many(self, items: Sequence[Item]) -> list[list[Statement] | Exception]:
        assert self._extractor is not None
        out: list[list[Statement] | Exception] = []
        for it in items:
            try:
                out.append(self._extractor(it))
            except Exception as e:  # noqa: BLE001 - one bad item must not stop the run
                out.append(e)
        return out

    # --- the run ------------------------------------------------------------------------------

    async def process_pending(self) -> DetectReport:
        """Analyse every pending item, oldest first; the counts of what happened."""
        await asyncio.to_thread(self._ensure_ready)
        report = DetectReport()
        seen: set[int] = set()
        while True:
            batch = [it for it in await _pending(self.db, self.batch) if it.id not in seen]
            if not batch:
                break
            batch.sort(key=lambda it: (it.when, it.id))
            extracted = await asyncio.to_thread(self._extract_many, batch)
            seen.update(it.id for it in batch)
            pairs = list(zip(batch, extracted, strict=True))
            for start in range(0, len(pairs), self.chunk):
                report = report + await self._process_chunk(pairs[start : start + self.chunk])
        return report

    async def _process_chunk(self, chunk: Sequence[tuple[Item, list[Statement] | Exception]]) -> DetectReport:
        """Items in one transaction (commits are what a small SQLite disk pays for); on any
        error the chunk is rolled back and redone one transaction per item, so one bad item
        cannot hold back the others."""
        done: list[tuple[Item, list[Statement] | Exception, _Outcome]] = []
        try:
            async with self.db.begin() as conn:
                for item, stmts in chunk:
                    if isinstance(stmts, Exception):
                        note = f"error: statement extraction failed: {type(stmts).__name__}: {stmts}"
                        done.append((item, stmts, _Outcome(note[:500], level="error")))
                    else:
                        done.append((item, stmts, await self._analyse(conn, item, stmts)))
                await _mark_many(conn, [(item.id, o.note) for item, _, o in done], self._clock())
        except Exception:  # noqa: BLE001 - redo one by one to isolate the failing item
            log.warning("detector chunk failed; retrying its %d items one by one", len(chunk), exc_info=True)
            report = DetectReport()
            for item, stmts in chunk:
                report = report + await self._process_item(item, stmts)
            return report
        report = DetectReport()
        for item, stmts, outcome in done:
            report = report + self._log(item, stmts, outcome)
        return report

    async def _process_item(self, item: Item, stmts: list[Statement] | Exception) -> DetectReport:
        if isinstance(stmts, Exception):
            outcome = _Outcome(
                f"error: statement extraction failed: {type(stmts).__name__}: {stmts}"[:500], level="error"
            )
        else:
            try:
                async with self.db.begin() as conn:
                    outcome = await self._analyse(conn, item, stmts)
            except Exception as e:  # noqa: BLE001 - logged and recorded; the next item goes on
                log.exception("item %d: detector error", item.id)
                outcome = _Outcome(note=f"error: {type(e).__name__}: {e}"[:500], level="error")
        async with self.db.begin() as conn:
            await _mark_many(conn, [(item.id, outcome.note)], self._clock())
        return self._log(item, stmts, outcome)

    def _log(self, item: Item, stmts: list[Statement] | Exception, outcome: _Outcome) -> DetectReport:
        """The one log line per item saying why it did or did not alert; its counts."""
        log.log(
            logging.WARNING if outcome.level == "error" else logging.INFO,
            "item %d %s: %s",
            item.id,
            outcome.level,
            outcome.note,
            extra={
                "item_id": item.id,
                "outcome": outcome.level,
                "dispute_id": outcome.dispute_id,
                **outcome.extra,
            },
        )
        stmts = [] if isinstance(stmts, Exception) else stmts
        disputing = sum(1 for st in stmts if st.kind in _DISPUTING)
        return DetectReport(
            items=1,
            statements=len(stmts),
            disputing=disputing,
            disputes_created=int(outcome.created),
            evidence_added=int(outcome.joined),
            claims_attached=int(outcome.attached),
            alerted=int(outcome.level == "alert"),
            review=int(outcome.level == "review"),
            stored_only=int(outcome.level == "stored"),
            errors=int(outcome.level == "error"),
        )

    async def _analyse(self, conn: AsyncConnection, item: Item, stmts: list[Statement]) -> _Outcome:
        ids = await store.save_statements(conn, item, stmts)
        if not stmts:
            return _Outcome("no attributed statement")
        # only a revision can already be evidence; first revisions skip the query
        already = await store.disputes_for_item(conn, item.id) if item.revision > 1 else []
        if already:  # a revision of an item that is already evidence: statements refreshed only
            return _Outcome(f"revision of an item already in dispute {already[0]}", dispute_id=already[0])
        terms = extract_terms(topic_text(item.title, item.text))
        pairs = list(zip(ids, stmts, strict=True))

        disputing = sorted(((i, st) for i, st in pairs if st.kind in _DISPUTING), key=lambda p: -p[1].score)
        # One dispute per item. First the statements that answer a stored claim or continue
        # a stored story (strongest first), then the strongest one that stands on its own.
        strength: dict[int, float] = {}
        found_links: dict[int, Any] = {}
        for sid, st in disputing:
            found_links[sid] = await self._find_link(conn, item, st, terms, pairs)
            found = found_links[sid][4]
            strength[sid] = found.strength if found is not None else -1.0
        linked_first = sorted(disputing, key=lambda p: -strength[p[0]])
        for single in (False, True):
            for sid, st in linked_first if not single else disputing:
                outcome = await self._dispute_statement(
                    conn, item, sid, st, terms, pairs, allow_single=single, found=found_links[sid]
                )
                if outcome is not None:
                    return outcome

        claims = [(i, st) for i, st in pairs if st.kind is StatementKind.CLAIM and st.speaker is not None]
        for sid, st in claims:
            outcome = await self._claim_joins(conn, item, sid, st, terms)
            if outcome is not None:
                return outcome
        if disputing:
            st = disputing[0][1]
            return _Outcome(
                f"{st.kind.value} ({st.cue or 'no cue'}) by {_name(st.speaker, st.speaker_text)} "
                "not linked to any claim and names no disputed speaker",
                level="stored",
            )
        kinds = sorted({st.kind.value for st in stmts})
        return _Outcome(f"statements ({', '.join(kinds)}) but nothing disputed", level="none")

    # --- a claim item arriving after its denial ------------------------------------------------

    async def _claim_joins(
        self, conn: AsyncConnection, item: Item, sid: int, st: Statement, terms: Terms
    ) -> _Outcome | None:
        assert st.speaker is not None
        keys = actor_keys(st.speaker)
        window = timedelta(days=self.config.detect.retraction_window_days)
        found = await store.open_disputes(conn, keys, since=item.when - timedelta(days=1))
        waiting = [_open(d) for d in found if not d.has_claim_item and d.status not in ("dismissed", "muted")]
        # the denial must come after the claim (a day of slack for time zones)
        waiting = [d for d in waiting if (d.claim_said_at or d.created_at) >= item.when - timedelta(days=1)]
        choice = choose_dispute(keys, terms, item.when, waiting, window, min_overlap=0.25)
        if choice is None:
            return None
        attached = await store.attach_claim(
            conn,
            choice.dispute.id,
            item.id,
            sid,
            said_at=item.when,
            terms=terms.serialise(),
            now=self._clock(),
        )
        if not attached:
            return None
        return _Outcome(
            f"claim by {st.speaker.name} joins dispute {choice.dispute.id} (overlap {choice.overlap:.2f})",
            dispute_id=choice.dispute.id,
            attached=True,
            level="joined",
        )

    # --- denials, retractions, corrections ----------------------------------------------------

    async def _find_link(
        self,
        conn: AsyncConnection,
        item: Item,
        st: Statement,
        terms: Terms,
        pairs: Sequence[tuple[int, Statement]],
    ) -> tuple[Statement, frozenset[str], frozenset[str], timedelta, Link | None]:
        """The stored claim a disputing statement answers (read only), with what was used to find it."""
        cfg = self.config.detect
        window = window_for(st.kind, cfg.link_window_days, cfg.retraction_window_days)
        if st.kind is StatementKind.DENIAL and same_side(st.speaker, st.target):
            st = dc_replace(st, target=None, target_text=None)
        keys, prefixes = candidate_keys(st), candidate_prefixes(st)
        # An attributed denier with no target answers someone the item names. A statement that
        # names nobody on either side (the writer's own "this is false", "she later admitted")
        # would fit any official a long article mentions, so it links only to a claim it
        # names; a denial of "reports" or "rumours" disputes the press, not whoever is named.
        anonymous = st.speaker is None and st.target is None
        press = (
            st.kind is StatementKind.DENIAL and st.target is None and st.target_kind in ("media", "rumour")
        )
        mentioned = frozenset() if anonymous or press else self._mentioned(item, pairs, st.speaker)
        if press and st.speaker is not None and st.speaker.type is ActorType.MEDIA:
            return st, keys, prefixes, window, None  # one outlet refuting others' reports
        if st.kind is StatementKind.DENIAL and st.target is None:
            keys = keys | mentioned
        when = item.when
        slack = timedelta(days=1)

        # 1. the earlier claim: by the disputed speaker, or found by full text
        fts_ids = await _fts_candidates(conn, item, since=when - window, until=when + slack)
        stored = await store.claim_candidates(
            conn,
            keys,
            when - window,
            when + slack,
            extra_item_ids=fts_ids,
            key_prefixes=prefixes,
            exclude_item_id=item.id,
            kinds=(StatementKind.CLAIM, StatementKind.DENIAL),
        )
        # An official's earlier denial can itself be the claim that is later retracted or
        # contradicted, but only when it is by the disputed side; and what the denier, its own
        # body or one of its members said before is never what it now denies.
        own = st.speaker if st.kind is StatementKind.DENIAL else None
        stored = [
            c
            for c in stored
            if not self._own_side(own, c.speaker_key)
            and (
                c.kind == StatementKind.CLAIM.value
                or c.speaker_key in keys
                or any((c.speaker_key or "").startswith(p) for p in prefixes)
            )
        ]
        link = best_link(st, when, terms, [_candidate(c) for c in stored], window, mentioned=mentioned)
        if link is not None and anonymous and link.actor == 0.0:
            link = None  # nobody named on either side: a shared topic alone is not a dispute
        if link is None and st.kind is StatementKind.DENIAL and st.target is not None:
            link = await self._late_link(conn, item, st, terms, window)
        if link is None:
            link = await self._reported_link(
                conn, item, st, terms, fts_ids, {c.item_id for c in stored}, window
            )
        return st, keys, prefixes, window, link

    async def _late_link(
        self, conn: AsyncConnection, item: Item, st: Statement, terms: Terms, window: timedelta
    ) -> Link | None:
        """A denial naming the speaker outright may answer a claim older than the usual window.

        Only the named actor's own claims count, up to the retraction window, and the topic
        must match strongly; otherwise an actor's every statement of the year would compete.
        """
        assert st.target is not None
        long = timedelta(days=self.config.detect.retraction_window_days)
        if long <= window:
            return None
        stored = await store.claim_candidates(
            conn, [st.target.key], item.when - long, item.when - window, exclude_item_id=item.id
        )
        link = best_link(st, item.when, terms, [_candidate(c) for c in stored], long)
        if link is None or link.actor < 1.0 or link.overlap < LATE_CLAIM_OVERLAP:
            return None
        return link

    async def _reported_link(
        self,
        conn: AsyncConnection,
        item: Item,
        st: Statement,
        terms: Terms,
        fts_ids: Sequence[int],
        seen: set[int],
        window: timedelta,
    ) -> Link | None:
        """An earlier item that reports the disputed actor's claim without an attributed statement.

        Feeds often carry the claim as a plain news story ("Three labs dismantled in
        Sinaloa, officials say" without a parseable attribution). An earlier item that names
        the disputed actor (or a body of the same state) and shares the topic strongly is
        taken as the claim's report. The actor match is weak (0.5) and the bar on topic high.
        """
        who = disputed_actor(st)
        if who is None or self._gazetteer is None:
            return None
        ids = [i for i in fts_ids if i not in seen]
        if not ids:
            return None
        rows = (
            await conn.execute(
                select(
                    s.items.c.id, s.items.c.title, s.items.c.text, s.items.c.published, s.items.c.first_seen
                ).where(s.items.c.id.in_(ids))
            )
        ).all()
        family = actor_keys(who) | ({p} if (p := family_prefix(who)) else set())
        # "the police" with no country: any police body the earlier item names may be it.
        generic = who.country is None and not who.key.startswith("name:")
        exact: set[int] = set()
        cands = []
        for r in rows:
            said = r.published or r.first_seen
            if said >= item.when:
                continue
            text = f"{r.title}. {r.text}"
            try:
                named = {a.key for a, _ in self._gazetteer.find_all(text)}
                # "Israeli", "Moscú": a country word stands for that state's bodies
                code_of = getattr(self._gazetteer, "country_code", None)
                if code_of is not None:
                    named |= {f"{c}.gov" for w in _CAPITALISED.findall(text) if (c := code_of(w))}
            except Exception:  # noqa: BLE001
                continue
            if who.key in named:
                exact.add(r.id)
            elif generic:
                if not any(a.type is who.type for a, _ in self._gazetteer.find_all(text)):
                    continue
            elif not any(
                k in family or any(k.startswith(f) for f in family if f.endswith(".")) for k in named
            ):
                continue
            cands.append(
                ClaimCandidate(
                    said_at=said,
                    speaker_key=who.key,
                    speaker_name=who.name,
                    terms=extract_terms(topic_text(r.title, r.text)),
                    item_id=r.id,
                    speaker_official=who.official,
                    quote=r.title,
                )
            )
        bare = dc_replace(st, target=None, target_text=None)
        links = [
            lk
            for group, bar in (
                ([c for c in cands if c.item_id in exact], REPORTED_NAMED_OVERLAP),
                (cands, REPORTED_CLAIM_OVERLAP),
            )
            if (lk := best_link(bare, item.when, terms, group, window, mentioned=frozenset({who.key})))
            is not None
            and lk.overlap >= bar
        ]
        if not links:
            return None
        link = max(links, key=lambda lk: lk.strength)
        return dc_replace(link, actor=0.5)

    async def _dispute_statement(
        self,
        conn: AsyncConnection,
        item: Item,
        sid: int,
        st: Statement,
        terms: Terms,
        pairs: Sequence[tuple[int, Statement]] = (),
        *,
        allow_single: bool = True,
        found: Any = None,
    ) -> _Outcome | None:
        st, keys, prefixes, window, link = found or await self._find_link(conn, item, st, terms, pairs)
        when = item.when

        # who made the disputed claim, and is it official?
        disputed = disputed_actor(st)
        if link is not None:
            c = link.candidate
            speaker_key, speaker_name, official = c.speaker_key, c.speaker_name, c.speaker_official
        elif disputed is not None:
            speaker_key, speaker_name, official = disputed.key, disputed.name, disputed.official
        else:
            text = st.target_text if st.kind is StatementKind.DENIAL else st.speaker_text
            nk = name_key(text)
            if nk is None:
                return None
            speaker_key, speaker_name, official = nk, text or "", False
        group_keys = frozenset(keys | ({speaker_key} if speaker_key else set()))

        # 2. the story it continues
        dispute = None
        if link is not None:
            dispute = await _dispute_of_claim(conn, link.candidate.statement_id, link.candidate.item_id)
        open_ = [
            _open(d)
            for d in await store.open_disputes(conn, group_keys, since=when - window, key_prefixes=prefixes)
        ]
        if dispute is None:
            candidates = open_
            if link is not None:
                # A linked claim that no dispute holds yet starts its own story, unless an open
                # dispute's claim was made within days of it (the same claim, another report).
                # A single-item dispute (no claim item yet) only dates its report of the claim,
                # so an earlier claim may be the one it reports.
                # The same denier answering the same speaker again is the story going on,
                # whichever report of the claim it was linked to this time.
                near = timedelta(days=3)
                said = link.candidate.said_at
                again = st.speaker.key if st.speaker is not None else None
                candidates = [
                    d
                    for d in open_
                    if abs((d.claim_said_at or d.created_at) - said) <= near
                    or (not d.has_claim_item and (d.claim_said_at or d.created_at) >= said - near)
                    or (
                        again is not None
                        and again in d.denier_keys
                        and abs((d.claim_said_at or d.created_at) - said) <= timedelta(days=14)
                    )
                ]
            choice = choose_dispute(
                group_keys,
                terms,
                when,
                candidates,
                window,
                prefixes=prefixes,
                siblings=self._siblings(st, candidates),
            )
            dispute = choice.dispute.id if choice else None
        denier = _name(st.speaker, st.speaker_text)
        stance = await self._stance_of(link.candidate.quote if link else None, f"{item.title}. {st.quote}")

        now = self._clock()
        if dispute is not None:
            return await self._join(conn, dispute, item, sid, st, terms, link, open_, stance, official, now)

        if link is None and not (allow_single and self._single_item_ok(st)):
            return None
        single = link is None
        sig = Signals(
            cue=st.score,
            actor=link.actor if link else 1.0,
            overlap=link.overlap if link else 0.0,
            time=link.time if link else 1.0,
            claim_item=not single,
            official=official,
            stance_disagree=stance,
            kind=st.kind.value,
        )
        conf = confidence(sig)
        why = reasons(
            cue=st.cue,
            kind=st.kind.value,
            speaker=speaker_name,
            denier=denier,
            actor=sig.actor if not single else 0.0,
            shared=readable_terms(link.shared, f"{item.title}\n{item.text}") if link else (),
            gap_days=link.gap_days if link else None,
            stance_disagree=stance,
            official=official,
            single_item=single,
        )
        routing = route(
            conf, self.config.alerts, self.destinations, official=official, newest_evidence_at=when, now=now
        )
        claim_sid: int | None
        if single:
            # the reported claim of the same item is the dispute's claim
            # the extractor may already have stored the reported claim (by the disputed actor)
            claim_sid = next(
                (
                    i
                    for i, c in pairs
                    if c.kind is StatementKind.CLAIM
                    and c.speaker is not None
                    and c.speaker.key == speaker_key
                ),
                None,
            ) or await _reported_claim(conn, item, st, disputed, speaker_name)
            claim_item_id, claim_said_at, claim_text = item.id, when, st.quote
        else:
            assert link is not None and link.candidate.item_id is not None
            claim_sid, claim_item_id = link.candidate.statement_id, link.candidate.item_id
            claim_said_at, claim_text = link.candidate.said_at, link.candidate.quote
        topic_src = claim_text if not single else (item.title or st.quote)
        new = store.NewDispute(
            speaker_key=speaker_key,
            speaker_name=speaker_name,
            topic=make_topic(topic_src, speaker_name),
            claim_item_id=claim_item_id,
            claim_statement_id=claim_sid,
            confidence=conf,
            reasons=why,
            terms=(terms.union(link.candidate.terms) if link else terms).serialise(),
            claim_text=claim_text,
            claim_said_at=claim_said_at,
        )
        ev = store.NewEvidence(
            item_id=item.id,
            role=_ROLE[st.kind],
            actor_name=denier,
            statement_id=sid,
            score=conf,
            reasons=why,
            group_key=group_key(f"{item.title} {item.text}"),
            said_at=when,
            text=f"{item.title}\n{st.quote}",
        )
        dispute_id = await store.create_dispute(conn, new, [ev], destinations=routing.destinations, now=now)
        how = "single-item dispute" if single else f"linked to claim item {claim_item_id}"
        return _Outcome(
            f"{st.kind.value} by {denier} of {speaker_name}: new dispute {dispute_id} ({how}); {routing.why}",
            dispute_id=dispute_id,
            created=True,
            level=routing.level,
            extra={"confidence": conf, "single_item": single},
        )

    def _mentioned(
        self, item: Item, pairs: Sequence[tuple[int, Statement]], speaker: Actor | None
    ) -> frozenset[str]:
        """Keys of the actors the item names, other than the speaker's own side."""
        actors: list[Actor] = []
        for _, st in pairs:
            actors += [a for a in (st.speaker, st.target) if a is not None]
        if self._gazetteer is not None:
            try:
                actors += [a for a, _ in self._gazetteer.find_all(f"{item.title}\n{item.text}")]
            except Exception as e:  # noqa: BLE001 - mentions only widen the candidates
                log.debug("actor mentions unavailable: %s", e)
        return frozenset(
            a.key for a in actors if not same_side(a, speaker) and (speaker is None or a.key != speaker.key)
        )

    def _siblings(self, st: Statement, disputes: Sequence[OpenDispute]) -> frozenset[str]:
        """Speakers of `disputes` under the same parent body as a retracting or correcting speaker."""
        me = st.speaker
        if st.kind is StatementKind.DENIAL or me is None or not me.parent:
            return frozenset()
        return frozenset(
            d.speaker_key for d in disputes if d.speaker_key and self._parent_of(d.speaker_key) == me.parent
        )

    def _own_side(self, denier: Actor | None, key: str | None) -> bool:
        """True when `key` is the denier itself, the body it belongs to, or one of its own members.

        A government denying "reports" about its own leader answers the press, not the leader;
        two bodies of the same state (a president and his space agency) can still disagree.
        """
        if denier is None or key is None:
            return False
        return key in (denier.key, denier.parent) or self._parent_of(key) == denier.key

    def _parent_of(self, key: str) -> str | None:
        """The body a gazetteer actor belongs to ('us.gov' for 'us.state'); None when unknown."""
        actor = self._gazetteer.get(key) if self._gazetteer is not None else None
        return actor.parent if actor is not None else None

    def _single_item_ok(self, st: Statement) -> bool:
        """An item that reports both sides: whose claim is denied must be named."""
        if st.kind is StatementKind.DENIAL:
            return st.target is not None or bool(st.target_text)
        return st.speaker is not None or st.target is not None  # own side retracts / corrects

    async def _join(
        self,
        conn: AsyncConnection,
        dispute_id: int,
        item: Item,
        sid: int,
        st: Statement,
        terms: Terms,
        link: Link | None,
        open_: list[OpenDispute],
        stance: float | None,
        official: bool,
        now: datetime,
    ) -> _Outcome:
        row = (await conn.execute(select(s.disputes).where(s.disputes.c.id == dispute_id))).one()
        od = next((d for d in open_ if d.id == dispute_id), None)
        denier = _name(st.speaker, st.speaker_text)
        denier_key = st.speaker.key if st.speaker else name_key(st.speaker_text)
        deniers = od.denier_keys if od else frozenset()
        # the same denier again (another outlet carrying it) is coverage, not a second denial
        role = (
            EvidenceRole.COVERAGE
            if (denier_key and denier_key in deniers and st.kind is StatementKind.DENIAL)
            else _ROLE[st.kind]
        )
        d_terms = Terms.parse(row.terms or "")
        o = link.overlap if link else overlap(terms, d_terms)
        if row.claim_statement_id is not None:
            # the dispute's claim decides whether it is official, not this item's reading of it
            official = official or bool(
                (
                    await conn.execute(
                        select(s.statements.c.speaker_official).where(
                            s.statements.c.id == row.claim_statement_id
                        )
                    )
                ).scalar()
            )
        sig = Signals(
            cue=st.score,
            actor=link.actor if link else 0.7,
            overlap=o,
            time=link.time if link else 1.0,
            claim_item=od.has_claim_item if od else True,
            official=official,
            stance_disagree=stance,
            kind=st.kind.value,
            joined=len(deniers),
        )
        conf = confidence(sig)
        why = reasons(
            cue=st.cue,
            kind=st.kind.value,
            speaker=row.speaker_name,
            denier=denier,
            actor=sig.actor,
            shared=readable_terms(shared_terms(terms, d_terms), f"{item.title}\n{item.text}"),
            gap_days=link.gap_days if link else None,
            stance_disagree=stance,
            official=official,
            single_item=False,
        )
        best = max(conf, float(row.confidence))
        newest = max(item.when, row.newest_evidence_at or item.when)
        routing = route(
            best, self.config.alerts, self.destinations, official=official, newest_evidence_at=newest, now=now
        )
        ev = store.NewEvidence(
            item_id=item.id,
            role=role,
            actor_name=denier,
            statement_id=sid,
            score=conf,
            reasons=why,
            group_key=group_key(f"{item.title} {item.text}"),
            said_at=item.when,
            text=f"{item.title}\n{st.quote}",
        )
        added = await store.add_evidence(
            conn,
            dispute_id,
            ev,
            destinations=routing.destinations,
            now=now,
            confidence=conf,
            reasons=why if conf > row.confidence else None,
            terms=terms.serialise(),
        )
        attached = False
        if (
            link is not None
            and od is not None
            and not od.has_claim_item
            and link.candidate.item_id is not None
        ):
            attached = await store.attach_claim(
                conn,
                dispute_id,
                link.candidate.item_id,
                link.candidate.statement_id,
                said_at=link.candidate.said_at,
                terms=link.candidate.terms.serialise(),
                now=now,
            )
        if not added:
            return _Outcome(f"already evidence of dispute {dispute_id}", dispute_id=dispute_id, level="none")
        silent = row.status in ("dismissed", "muted")
        level = "stored" if silent else routing.level
        return _Outcome(
            f"{role.value} by {denier} joins dispute {dispute_id} about {row.speaker_name}; "
            + (f"dispute {row.status} by a user: no alert" if silent else routing.why),
            dispute_id=dispute_id,
            joined=True,
            attached=attached,
            level=level,
            extra={"confidence": best},
        )

    async def _stance_of(self, claim_text: str | None, later_text: str) -> float | None:
        if self._stance is None or not claim_text:
            return None
        try:
            probs = await asyncio.to_thread(self._stance.predict, claim_text, later_text)
        except Exception as e:  # noqa: BLE001 - optional signal
            log.warning("stance model failed: %s", e)
            return None
        return round(float(probs.get("disagree", 0.0)), 3)


# --- helpers -------------------------------------------------------------------------------------


def _name(actor: Actor | None, text: str | None) -> str:
    return actor.name if actor is not None else (text or "unknown speaker")


def _candidate(c: store.StoredClaim) -> ClaimCandidate:
    return ClaimCandidate(
        said_at=c.said_at,
        speaker_key=c.speaker_key,
        speaker_name=c.speaker_name,
        terms=extract_terms(topic_text(c.title, c.text)),
        statement_id=c.statement_id,
        item_id=c.item_id,
        speaker_official=c.speaker_official,
        quote=c.quote or c.title,
    )


def _open(d: store.StoredDispute) -> OpenDispute:
    return OpenDispute(
        id=d.id,
        speaker_key=d.speaker_key,
        speaker_name=d.speaker_name,
        terms=Terms.parse(d.terms),
        created_at=d.created_at,
        newest_evidence_at=d.newest_evidence_at,
        claim_said_at=d.claim_said_at,
        denier_keys=d.denier_keys,
        has_claim_item=d.has_claim_item,
    )


async def _dispute_of_claim(
    conn: AsyncConnection, statement_id: int | None, item_id: int | None
) -> int | None:
    """The dispute a linked claim already belongs to: as its claim, or as an item of its evidence."""
    d = s.disputes
    cond = d.c.claim_statement_id == (statement_id if statement_id is not None else -1)
    if item_id is not None:
        cond = cond | (d.c.claim_item_id == item_id)
    row = (await conn.execute(select(d.c.id).where(cond).order_by(d.c.id).limit(1))).first()
    if row is None and item_id is not None:
        row = (
            await conn.execute(
                select(s.evidence.c.dispute_id)
                .where(s.evidence.c.item_id == item_id)
                .order_by(s.evidence.c.dispute_id)
                .limit(1)
            )
        ).first()
    return int(row[0]) if row else None


async def _reported_claim(
    conn: AsyncConnection, item: Item, st: Statement, who: Actor | None, name: str
) -> int:
    """Store the claim a single item reports (its speaker is the denied party) as a statement."""
    res = await conn.execute(
        insert(s.statements)
        .values(
            item_id=item.id,
            kind=StatementKind.CLAIM.value,
            speaker_key=who.key if who else name_key(name),
            speaker_name=(who.name if who else name)[:300],
            speaker_official=bool(who and who.official),
            target_key=None,
            target_name=None,
            cue=None,
            quote=st.quote,
            language=st.language or item.language,
            score=0.0,
            said_at=item.when,
        )
        .returning(s.statements.c.id)
    )
    return int(res.scalar_one())


async def _fts_candidates(
    conn: AsyncConnection, item: Item, *, since: datetime, until: datetime
) -> list[int]:
    """Items that share words with this one's headline (full-text search)."""
    try:
        hits = await search_items(conn, item.title, since=since, until=until, limit=15)
    except Exception as e:  # noqa: BLE001 - search is a candidate source, not a requirement
        log.debug("full-text candidates unavailable: %s", e)
        return []
    return [i for i, _ in hits if i != item.id]


async def _pending(db: Database, limit: int) -> list[Item]:
    return list(await ItemStore(db).pending_analysis(limit))


async def _mark_many(conn: AsyncConnection, notes: Sequence[tuple[int, str]], now: datetime) -> None:
    """Mark items analysed with their one-line reason, in the caller's transaction.

    Written here rather than through `ItemStore.mark_analysed` (one transaction per item)
    so a chunk of items costs one commit: the detector owns these two bookkeeping columns.
    """
    if not notes:
        return
    await conn.execute(
        update(s.items)
        .where(s.items.c.id == bindparam("item_id"))
        .values(analysed_at=now, analysis=bindparam("note")),
        [{"item_id": i, "note": n[:1000]} for i, n in notes],
    )


__all__ = ["Detector", "DetectReport", "StanceScorer", "make_topic"]
