"""The detector: pending items -> readings -> vectors -> candidates -> decisions -> disputes.

`Detector(db, config, destinations).process_pending()` reads the items not analysed yet in
date order and runs the stages on each batch:

1. reading (`reading.py`): who said what, the actors named, the language;
2. meaning (`encoder.py`): one multilingual vector per item, stored in `item_vectors`;
3. candidates (`retrieval.py`, `candidates.py`): earlier items near in meaning within the link
   window, and earlier statements by the actor the item disputes;
4. decision (`decision.py`, `model.py`): the learned pair and single-item models say whether
   the item disputes an earlier claim (or reports a dispute on its own), which kind, and how
   likely that is, calibrated;
5. disputes (`threads.py`): open one, join its story's thread, or bring a late claim to it;
   alert events are queued in the same transaction.

CPU work (reading, encoding, scoring) runs in a worker thread. Each item is marked analysed
with a one-line reason, and one structured log line per item says why it did or did not alert.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from dataclasses import replace as dc_replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import bindparam, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.config import Config
from bot.detect.candidates import Candidate, by_actor_in, merge
from bot.detect.decision import NONE, Case, Decision, PairInput, decide_many, kind_of, takes_back_own_words
from bot.detect.encoder import Encoder, default_encoder, item_text
from bot.detect.explain import trace
from bot.detect.features import PairContext, Semantics, candidate_distinctness, cue_flags, item_features
from bot.detect.model import DetectorModel
from bot.detect.reading import Reading, read_many
from bot.detect.retrieval import Retriever
from bot.detect.routing import alert_bar
from bot.detect.sides import voice_of
from bot.detect.threads import JOIN_P, Outcome, Placement, Threads, link_row, story_members
from bot.detect.worded import may_be_worded, worded
from bot.detect.wording import WordingModel
from bot.storage import disputes as store
from bot.storage import links
from bot.storage import schema as s
from bot.storage.db import Database
from bot.storage.items import ItemStore
from bot.storage.vectors import save_vectors
from bot.types import Actor, Item, Statement

log = logging.getLogger("factbot.detect")

Extractor = Callable[[Item], list[Statement]]
_CACHE = 4096  # readings of earlier items kept between batches
CLAIM_BATCH = 100  # items a replica claims at a time: small, so replicas share the work evenly
CLAIM_LEASE_S = 600.0  # backstop only: a dead owner's claims are freed by the reaper within ~25 s


@dataclass(frozen=True, slots=True)
class DetectReport:
    """What one `process_pending` run did."""

    items: int = 0
    statements: int = 0
    disputing: int = 0  # items read as a dispute (any kind, any probability)
    disputes_created: int = 0
    evidence_added: int = 0
    claims_attached: int = 0
    alerted: int = 0  # items whose dispute went (or already was) to the alert destinations
    review: int = 0
    stored_only: int = 0
    errors: int = 0

    def __add__(self, other: DetectReport) -> DetectReport:
        return DetectReport(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


@dataclass(frozen=True, slots=True)
class _Failed:
    """An item that could not be read; it is marked analysed with the error, nothing else."""

    item: Item
    error: str


@dataclass
class _Work:
    """One read item of a batch on its way through the later stages."""

    item: Item
    reading: Reading
    vector: np.ndarray
    semantics: Semantics
    features: np.ndarray
    candidates: tuple[Candidate, ...] = ()
    titles: dict[int, str] = field(default_factory=dict)  # the candidates' headlines, for the trace
    decision: Decision | None = None
    # the wording model's second opinion, when one is asked for; for a dispute read from the words
    # alone (`worded.py`), its score of the headline
    wording: float | None = None


@dataclass(frozen=True, slots=True)
class _Earlier:
    """A candidate as the decision reads it."""

    reading: Reading
    vector: np.ndarray
    semantics: Semantics


Earlier = dict[int, _Earlier]


def register_countries(gazetteer: Any) -> None:
    """Country names, capitals and demonyms into the lexical gloss used for shared-term features."""
    from bot.detect.terms import register_places

    try:
        register_places((c.code, c.forms) for c in gazetteer.countries)
    except Exception as e:  # noqa: BLE001 - a gloss is a nicety, not a requirement
        log.debug("country gloss unavailable: %s", e)


class Detector:
    """Turns pending items into disputes and alert events. One instance per process."""

    def __init__(
        self,
        db: Database,
        config: Config,
        destinations: Sequence[str],
        *,
        extractor: Extractor | None = None,
        model: DetectorModel | None = None,
        encoder: Encoder | None = None,
        stance: bool = True,
        clock: Callable[[], datetime] | None = None,
        batch: int = 500,
        chunk: int = 100,
    ) -> None:
        self.db = db
        self.config = config
        self.destinations = tuple(destinations)
        self._extractor = extractor
        self._gazetteer: Any = None
        self._model = model
        self._encoder = encoder
        self._stance: Any = None if stance else False  # False: the stance feature reads 0
        self._wording: WordingModel | None = None

        self._clock = clock or (lambda: datetime.now(UTC))
        self.batch = batch
        self.chunk = chunk
        self._readings: OrderedDict[int, Reading] = OrderedDict()  # item id -> its latest reading
        self._retriever: Retriever | None = None
        self._threads: Threads | None = None

    # --- setup -------------------------------------------------------------------------------

    def _ensure_ready(self) -> None:
        """Load the gazetteer, the model, the encoder and the stance model (once, off the loop)."""
        cfg = self.config.detect
        if cfg.blas_threads:
            # Process-wide and kept: OpenBLAS starts one thread per core and lets them spin
            # between calls, so replicas sharing the cores fight over them (`[detect] blas_threads`).
            from threadpoolctl import threadpool_limits

            threadpool_limits(limits=cfg.blas_threads, user_api="blas")
        if self._gazetteer is None:
            from bot.detect.actors import Gazetteer

            self._gazetteer = Gazetteer.load([cfg.actors_file] if cfg.actors_file else [])
            register_countries(self._gazetteer)
        if self._extractor is None:
            from bot.detect.statements import extract_statements

            gz = self._gazetteer
            self._extractor = lambda item: list(extract_statements(item, gz))
        if self._model is None:
            self._model = DetectorModel.load(cfg.model_file)
        if self._encoder is None:
            self._encoder = default_encoder()
        # The weights and the language model load here, off the loop, not inside the first batch.
        if (load := getattr(self._encoder, "load", None)) is not None:
            load()
        from bot.detect.languages import load as load_languages

        load_languages()
        if cfg.use_stance_model and self._stance is None:
            try:
                from bot.detect.stance import StanceModel

                self._stance = StanceModel.load()
            except Exception as e:  # noqa: BLE001 - one feature among many: without it, it reads 0
                log.warning("stance model not used: %s", e)
                self._stance = False
        alerts = self.config.alerts
        if (alerts.wording_threshold > 0 or alerts.words_alone_threshold > 0) and self._wording is None:
            self._wording = WordingModel.load(cfg.wording_file)
        if self._retriever is None:
            self._retriever = Retriever(
                self.db,
                self._encoder.name,
                self._encoder.dim,
                cfg.link_window_days,
                cfg.retraction_window_days,
                cfg.finding_window_days,
            )
        if self._threads is None:
            self._threads = Threads(
                self.config.alerts,
                self.destinations,
                self._actor,
                self._clock,
                vectors=(self._encoder.name, self._encoder.dim),
                voice=self._gazetteer.voice_of_key,
            )

    def _actor(self, key: str) -> Actor | None:
        return self._gazetteer.get(key) if self._gazetteer is not None else None

    # --- the run ------------------------------------------------------------------------------

    async def process_pending(self, owner: str | None = None) -> DetectReport:
        """Analyse every pending item, oldest first; the counts of what happened.

        With `owner` (a replica's owner id) items are claimed in small batches, so every replica
        detects at once on items of its own; without, this process takes all pending items.
        """
        await asyncio.to_thread(self._ensure_ready)
        report = DetectReport()
        seen: set[int] = set()
        store_ = ItemStore(self.db)
        while True:
            if owner is not None:
                got = await store_.claim_pending(
                    owner, min(self.batch, CLAIM_BATCH), CLAIM_LEASE_S, self._clock()
                )
            else:
                got = await store_.pending_analysis(self.batch)
            batch = [it for it in got if it.id not in seen]
            if not batch:
                break
            batch.sort(key=lambda it: (it.when, it.id))
            seen.update(it.id for it in batch)
            report = report + await self._process_batch(batch)
        return report

    async def _process_batch(self, items: Sequence[Item]) -> DetectReport:
        assert self._retriever is not None and self._encoder is not None
        work = await asyncio.to_thread(self._read_and_encode, items)
        await self._retriever.refresh(min(it.when for it in items))
        ok = [w for w in work if isinstance(w, _Work)]
        async with self.db.begin() as conn:
            await save_vectors(conn, [(w.item.id, w.item.when, w.vector) for w in ok], self._encoder.name)
        await self._find_candidates(ok)
        earlier = await self._earlier_readings(ok)
        await asyncio.to_thread(self._decide_all, ok, earlier)
        report = DetectReport()
        for start in range(0, len(work), self.chunk):
            report = report + await self._place_chunk(work[start : start + self.chunk], earlier)
        if ok:
            self._retriever.add(
                [w.item.id for w in ok],
                [w.item.when.timestamp() for w in ok],
                np.vstack([w.vector for w in ok]),
            )
        return report

    # --- stages 1-2: reading and meaning (worker thread) -----------------------------------

    def _read_and_encode(self, items: Sequence[Item]) -> list[_Work | _Failed]:
        assert self._extractor is not None and self._model is not None and self._encoder is not None
        readings = read_many(items, self._extractor, self._gazetteer)
        read = [r for r in readings if isinstance(r, Reading)]
        vectors = self._encoder.encode([item_text(r.item.title, r.item.text) for r in read])
        ready = {
            r.item.id: _Work(
                r.item, r, v, sem, item_features(r, sem, cue_flags(r.item.title, r.item.text, r.language))
            )
            for r, v, sem in zip(read, vectors, self._model.semantics(vectors), strict=True)
        }
        for r in read:
            self._remember(r)
        return [
            ready[it.id]
            if isinstance(r, Reading)
            else _Failed(it, f"statement extraction failed: {type(r).__name__}: {r}")
            for it, r in zip(items, readings, strict=True)
        ]

    def _remember(self, r: Reading) -> None:
        self._readings[r.item.id] = r
        self._readings.move_to_end(r.item.id)
        while len(self._readings) > _CACHE:
            self._readings.popitem(last=False)

    def _recalled(self, item_id: int) -> Reading | None:
        return self._readings.get(item_id)

    # --- stage 3: candidates ----------------------------------------------------------------

    async def _find_candidates(self, ok: list[_Work]) -> None:
        assert self._retriever is not None
        if not ok:
            return
        vectors = np.vstack([w.vector for w in ok])
        near = self._retriever.neighbours(
            [w.item.id for w in ok],
            [w.item.when.timestamp() for w in ok],
            vectors,
            [self._retriever.window_of(w.reading) for w in ok],
        )
        cfg = self.config.detect
        async with self.db.connect() as conn:
            for k, (w, nb) in enumerate(zip(ok, near, strict=True)):
                stored = await self._retriever.by_actor(conn, w.reading, w.vector)
                # earlier items of this batch have no statements stored yet: look in memory
                batch = [(x.reading, x.vector) for x in ok[:k]]
                here = by_actor_in(
                    w.reading, w.vector, batch, cfg.link_window_days, cfg.retraction_window_days
                )
                w.candidates = tuple(merge(nb, [*stored, *here]))

    async def _earlier_readings(self, ok: list[_Work]) -> Earlier:
        """Readings, vectors and semantics of every candidate (this batch, the cache, the store)."""
        assert self._retriever is not None and self._model is not None and self._extractor is not None
        batch = {w.item.id: w for w in ok}
        wanted = {c.item_id for w in ok for c in w.candidates}
        out: Earlier = {
            i: _Earlier(batch[i].reading, batch[i].vector, batch[i].semantics) for i in wanted & set(batch)
        }
        readings = {i: r for i in wanted - set(batch) if (r := self._recalled(i)) is not None}
        missing = sorted(wanted - set(batch) - set(readings))
        if missing:
            items = await ItemStore(self.db).get_many(missing)
            for got in await asyncio.to_thread(read_many, items, self._extractor, self._gazetteer):
                if isinstance(got, Reading):
                    self._remember(got)
                    readings[got.item.id] = got
        if readings:
            async with self.db.connect() as conn:
                vecs = await self._retriever.vectors(conn, list(readings))
            have = [i for i in readings if i in vecs]  # an item without a stored vector is no candidate
            if have:
                sems = self._model.semantics(np.vstack([vecs[i] for i in have]))
                out.update(
                    {i: _Earlier(readings[i], vecs[i], sem) for i, sem in zip(have, sems, strict=True)}
                )
        return out

    # --- stage 4: decision (worker thread) --------------------------------------------------

    def _decide_all(self, ok: list[_Work], earlier: Earlier) -> None:
        """The decision for every item of the batch; the models run once over all of them."""
        assert self._model is not None
        pairs = [(w, c, earlier[c.item_id]) for w in ok for c in w.candidates if c.item_id in earlier]
        said: dict[int, str] = {}  # item id -> its encoded text: an item is in many pairs

        def text_of(it: Item) -> str:
            got = said.get(it.id)
            if got is None:
                got = said[it.id] = item_text(it.title, it.text)
            return got

        texts = [(text_of(e.reading.item), text_of(w.item)) for w, _, e in pairs]
        stance = self._stance_disagree(texts)
        contra = (
            self._model.contradiction(
                np.vstack([e.vector for _, _, e in pairs]), np.vstack([w.vector for w, _, _ in pairs])
            )
            if pairs
            else np.zeros(0)
        )
        best = {
            w.item.id: max((c.cos for c in w.candidates if c.item_id in earlier), default=0.0) for w in ok
        }
        distinct = candidate_distinctness(
            [(w.item.id, w.reading.terms, e.reading.terms) for w, _, e in pairs]
        )
        inputs: dict[int, list[PairInput]] = {w.item.id: [] for w in ok}
        for k, (w, c, e) in enumerate(pairs):
            ctx = PairContext(
                c.cos, best[w.item.id], c.rank, float(stance[k]), float(contra[k]), *distinct[k]
            )
            inputs[w.item.id].append(PairInput(e.reading, e.semantics, ctx, c.via))
            w.titles[c.item_id] = e.reading.item.title
        cases = [Case(w.reading, w.semantics, w.features, inputs[w.item.id]) for w in ok]
        for w, d in zip(ok, decide_many(self._model, cases), strict=True):
            w.decision = d
        if self._wording is not None:
            self._read_words(ok, text_of)

    def _read_words(self, ok: list[_Work], text_of: Callable[[Item], str]) -> None:
        """The wording model's second opinion on the items that may be placed in a dispute
        (`_place`); and its reading of the headlines of those it may make a dispute by itself
        (`worded.py`)."""
        assert self._wording is not None
        alerts = self.config.alerts
        if alerts.wording_threshold > 0:
            asked = [
                w
                for w in ok
                if w.reading.disputing is not None or (w.decision is not None and w.decision.label != NONE)
            ]
            agree = self._wording.p_dispute([text_of(w.item) for w in asked])
            for w, p in zip(asked, agree, strict=True):
                w.wording = float(p)
        if alerts.words_alone_threshold <= 0:
            return
        maybe = [
            w
            for w in ok
            if w.decision is not None
            and may_be_worded(w.reading, w.semantics, w.decision, alerts.alert_threshold)
        ]
        heads = self._wording.p_dispute([w.item.title for w in maybe])
        for w, p in zip(maybe, heads, strict=True):
            if p >= alerts.words_alone_threshold:
                assert w.decision is not None  # `maybe` holds decided items only
                w.reading, w.decision = worded(w.reading, w.semantics, w.decision, float(p))
                w.wording = float(p)

    def _stance_disagree(self, texts: list[tuple[str, str]]) -> np.ndarray:
        if not texts or not self._stance:
            return np.zeros(len(texts), dtype=np.float32)
        from bot.detect.stance import LABELS

        return self._stance.predict_array(texts)[:, LABELS.index("disagree")]

    # --- stage 5: disputes --------------------------------------------------------------------

    async def _place_chunk(self, chunk: Sequence[_Work | _Failed], earlier: Earlier) -> DetectReport:
        """Items in one transaction (commits are what a small SQLite disk pays for); on any
        error the chunk is rolled back and redone one transaction per item, so one bad item
        cannot hold back the others."""
        done: list[tuple[_Work | _Failed, Outcome]] = []
        try:
            async with self.db.begin() as conn:
                await self._lock_stories(conn, chunk, earlier)
                await self._save_links(conn, chunk)
                for w in chunk:
                    done.append((w, await self._place(conn, w, earlier)))
                await _mark_many(
                    conn, [(w.item.id, o.note, self.trace_of(w, o)) for w, o in done], self._clock()
                )
        except Exception:  # noqa: BLE001 - redo one by one to isolate the failing item
            log.warning("detector chunk failed; retrying its %d items one by one", len(chunk), exc_info=True)
            done = []
            for w in chunk:
                try:
                    async with self.db.begin() as conn:
                        await self._lock_stories(conn, [w], earlier)
                        await self._save_links(conn, [w])
                        outcome = await self._place(conn, w, earlier)
                except Exception as e:  # noqa: BLE001 - logged and recorded; the next item goes on
                    log.exception("item %d: detector error", w.item.id)
                    outcome = Outcome(f"error: {type(e).__name__}: {e}"[:500], level="error")
                async with self.db.begin() as conn:
                    await _mark_many(
                        conn, [(w.item.id, outcome.note, self.trace_of(w, outcome))], self._clock()
                    )
                done.append((w, outcome))
        report = DetectReport()
        for w, outcome in done:
            report = report + self._log(w, outcome)
        return report

    async def _lock_stories(
        self, conn: AsyncConnection, chunk: Sequence[_Work | _Failed], earlier: Earlier
    ) -> None:
        """Serialise opening and joining disputes across replicas, per claimant voice.

        Replicas read, encode and decide in parallel; only this step, which opens or joins
        disputes, waits for another replica placing items about the same claimant (a
        transaction-scoped PostgreSQL advisory lock per voice, taken in sorted order so two
        replicas cannot deadlock). One process needs no lock. Nor do items that cannot open,
        join or complete a dispute (most of them: news that disputes nothing): without a
        claimant they would all share the one "unknown" voice and queue the replicas behind
        each other for nothing.
        """
        if self.db.dialect != "postgresql":
            return
        review = self.config.alerts.review_threshold
        keys = sorted({k for w in chunk if isinstance(w, _Work) for k in _story_keys(w, earlier, review)})
        for key in keys:
            await conn.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"factbot-story:{key}"}
            )

    async def _save_links(self, conn: AsyncConnection, chunk: Sequence[_Work | _Failed]) -> None:
        """Every decided item's reading, stored before any is placed: a later item of the chunk
        may follow an earlier one's link back to its claim."""
        rows = [
            link_row(w.item.id, w.decision) for w in chunk if isinstance(w, _Work) and w.decision is not None
        ]
        await links.save_links(conn, rows, self._clock())

    async def _place(self, conn: AsyncConnection, w: _Work | _Failed, earlier: Earlier) -> Outcome:
        assert self._threads is not None and self._retriever is not None
        if isinstance(w, _Failed) or w.decision is None:
            return Outcome(f"error: {getattr(w, 'error', 'not decided')}"[:500], level="error")
        r, d = w.reading, w.decision
        ids = await store.save_statements(conn, w.item, list(r.statements))
        if w.item.revision > 1 and (already := await store.disputes_for_item(conn, w.item.id)):
            return Outcome(f"revision of an item already in dispute {already[0]}", dispute_id=already[0])
        neighbours = [(c.item_id, c.cos) for c in w.candidates if c.via == "meaning"]
        review = self.config.alerts.review_threshold
        if d.earlier_id is None and r.disputing is not None:
            d = await self._into_established_story(conn, w, d, earlier)
        # an answer in its own words to an item already in a dispute, or to a recent dispute of
        # its claimant's that it shares terms with, joins at a lower bar (another replica may
        # have placed that story's other answer after this item was decided)
        continues = (
            r.disputing is not None
            and d.p >= JOIN_P
            and (
                bool(await store.disputes_for_item(conn, d.earlier_id))
                if d.earlier_id is not None
                else await self._threads.story_of_answer(conn, r, w.vector) is not None
            )
        )
        if d.label == NONE or (d.p < review and not continues):
            if r.claim is not None and r.claim.speaker is not None and r.disputing is None:
                later = self._retriever.later_neighbours(w.item.id, r.when, w.vector)
                attached = await self._threads.attach_late_claim(
                    conn, r, ids, [(n.item_id, n.score) for n in later]
                )
                if attached is not None:
                    return attached
            return Outcome(_no_dispute_note(r, d, review))
        members = story_members(r, d, lambda i: earlier[i].reading if i in earlier else None)
        chosen = earlier[d.earlier_id].reading if d.earlier_id in earlier else None
        placement = Placement(r, ids, d, chosen, neighbours, members, w.vector, w.wording)

        return await self._threads.place(conn, placement)

    async def _into_established_story(
        self, conn: AsyncConnection, w: _Work, d: Decision, earlier: Earlier
    ) -> Decision:
        """An answer standing alone that may answer an item already in a dispute answers that
        item: the story is established, and the link ratio, which weighs opening a dispute on a
        link, is no bar to joining one (a late retraction by the claimant, months on, must not be
        lost; a second denier of a claim must not open a second thread).

        Every link that joins is at least `JOIN_P` likely: sharing an event's words and a
        claimant's name (`decision.same_event`, `Threads.about`) is no sign of one story by itself
        on a real desk, where half the news names the same president (on the tuning streams, such
        links at 0.01 and less joined unrelated items to a story). The likeliest link joins from
        there on; a weaker one only a dispute about the claimant the item itself names."""
        assert self._threads is not None
        likely = [o.earlier_id for o in d.options if o.earlier_id is not None and o.p >= JOIN_P]
        in_disputes = await store.disputes_for_items(conn, [i for i in likely if i in earlier])
        for rank, item_id in enumerate(likely):
            ids = in_disputes.get(item_id)
            if ids and (rank == 0 or await self._threads.about(conn, ids[0], w.reading.disputed)):
                chosen = earlier[item_id].reading
                d = dc_replace(
                    d, label=kind_of(w.reading, w.semantics, chosen), earlier_id=item_id, declined_link=None
                )
                w.decision = d
                await links.save_links(conn, [link_row(w.item.id, d)], self._clock())
                return d
        return d

    def _log(self, w: _Work | _Failed, outcome: Outcome) -> DetectReport:
        """The one log line per item saying why it did or did not alert; its counts."""
        d = w.decision if isinstance(w, _Work) else None
        log.log(
            logging.WARNING if outcome.level == "error" else logging.INFO,
            "item %d %s: %s",
            w.item.id,
            outcome.level,
            outcome.note,
            extra={
                "item_id": w.item.id,
                "outcome": outcome.level,
                "dispute_id": outcome.dispute_id,
                "p": round(d.p, 3) if d else None,
                **outcome.extra,
            },
        )
        stmts = w.reading.statements if isinstance(w, _Work) else ()
        return DetectReport(
            items=1,
            statements=len(stmts),
            disputing=int(d is not None and d.p >= self.config.alerts.review_threshold),
            disputes_created=int(outcome.created),
            evidence_added=int(outcome.joined),
            claims_attached=int(outcome.attached),
            alerted=int(outcome.level == "alert"),
            review=int(outcome.level == "review"),
            stored_only=int(outcome.level == "stored"),
            errors=int(outcome.level == "error"),
        )

    def trace_of(self, w: _Work | _Failed, outcome: Outcome) -> dict[str, Any] | None:
        """The stage record of one analysed item (for `items.trace`)."""
        if isinstance(w, _Failed) or w.decision is None:
            return None
        own = takes_back_own_words(w.reading, w.decision.label)
        thresholds = {
            "alert": alert_bar(self.config.alerts, own_retraction=own),
            "review": self.config.alerts.review_threshold,
        }
        if self._wording is not None:
            thresholds["wording"] = self.config.alerts.wording_threshold
        p = {o.earlier_id: o.p for o in w.decision.options}
        cands = [
            (c.item_id, c.via, c.cos, p.get(c.item_id, 0.0), w.titles.get(c.item_id, ""))
            for c in w.candidates
        ]
        return trace(
            w.reading,
            w.decision,
            candidates=cands,
            thresholds=thresholds,
            outcome=outcome.note,
            wording=w.wording,
        )


# --- helpers -------------------------------------------------------------------------------------


def _story_key(w: _Work, earlier: Earlier) -> str:
    """Whose claim an item's dispute would be about, as a lock key: the voice of the disputed
    party (the denial's target, the earlier item's claimant), else of whoever the item is about."""
    r, d = w.reading, w.decision
    claimant = r.disputed
    if claimant is None and d is not None and d.earlier_id in earlier:
        claimant = earlier[d.earlier_id].reading.claim_speaker
    return voice_of(claimant or r.protagonist) or "unknown"


def _story_keys(w: _Work, earlier: Earlier, review: float) -> set[str]:
    """The story locks placing `w` needs (see `Detector._place`): none for an item that cannot
    open, join or complete a dispute; the claimant's voice for a decision that reaches the
    review bar (or may carry on a dispute at the lower join bar); the item's own speaker's
    voice for an attributed claim that may be the late claim of a dispute reported before it."""
    r, d = w.reading, w.decision
    if d is None:
        return set()
    keys: set[str] = set()
    if d.label != NONE and d.p >= review:
        return {_story_key(w, earlier)}
    if d.label != NONE and r.disputing is not None and d.p >= JOIN_P:
        keys.add(_story_key(w, earlier))
    if r.claim is not None and r.claim.speaker is not None and r.disputing is None:
        keys.add(voice_of(r.claim.speaker) or "unknown")
    return keys


def _no_dispute_note(r: Reading, d: Decision, review: float) -> str:
    st = r.disputing
    if d.label == NONE:
        if st is None:
            return "no dispute: " + (
                "no attributed statement" if not r.statements else "statements but nothing disputed"
            )
        return f"no dispute: {st.kind.value} ({st.cue or 'no cue'}) read, but probability {d.p:.2f}"
    where = f"answering item {d.earlier_id}" if d.earlier_id is not None else "on its own"
    return f"{d.label} {where} at probability {d.p:.2f} < {review}: not stored"


async def _mark_many(
    conn: AsyncConnection, notes: Sequence[tuple[int, str, dict[str, Any] | None]], now: datetime
) -> None:
    """Mark items analysed with their one-line reason and stage trace, in the caller's transaction.

    Written here rather than through `ItemStore.mark_analysed` (one transaction per item)
    so a chunk of items costs one commit: the detector owns these bookkeeping columns.
    """
    if not notes:
        return
    await conn.execute(
        update(s.items)
        .where(s.items.c.id == bindparam("item_id"))
        .values(analysed_at=now, analysis=bindparam("note"), trace=bindparam("trace_json")),
        [
            {"item_id": i, "note": n[:1000], "trace_json": json.dumps(t, ensure_ascii=False) if t else None}
            for i, n, t in notes
        ],
    )


__all__ = ["DetectReport", "Detector", "register_countries"]
