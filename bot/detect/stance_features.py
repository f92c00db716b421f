"""Features for the learned stance model, shared by training (`training/train_stance.py`) and inference.

The same code must run in both places, or the model sees different inputs at run time than it
was trained on. Everything here is numpy + the standard library: tokens are hashed with a stable
hash (crc32, not Python's salted `hash`) into fixed-size spaces, so no vocabulary file is needed
and unseen words (any language) simply land in some bucket instead of crashing.

Two kinds of features per (claim, text) pair:

* sparse hashed term counts of the claim and of the text (the "UCL baseline" inputs);
* dense hand features: TF-IDF cosines (whole text, lead, best sentence), term and bigram overlap,
  refuting / hedging / negation word counts in en, es, fr, de and pt (overall and in the sentences
  that share terms with the claim, which is where a denial of *this* claim sits), numbers, question
  marks, length; and polarity features of the sentences most similar to the claim (refuting,
  negation, hedging words there), strong debunk words, two-word denials ("not true", "shoots down")
  and negations right before a claim term. Words the claim itself uses do not count as refutation.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from bot.detect.cues import denial_strength
from bot.text import lower_keep_accents, stop_words

# Size of the hashed spaces. IDF lives in the larger one (only a vector of floats); the sparse
# inputs of the learned layers use the smaller one to keep the weight file small.
IDF_BITS = 16
SPARSE_BITS = 12
CHAR_BITS = 15
IDF_DIM = 1 << IDF_BITS
SPARSE_DIM = 1 << SPARSE_BITS
CHAR_DIM = 1 << CHAR_BITS

_TOKEN_RE = re.compile(r"\w+(?:'\w+)?", re.UNICODE)
_SENT_RE = re.compile(r"(?<=[.!?])\s+|\n+")
_NUM_RE = re.compile(r"\d+(?:[.,]\d+)?")

# Small stopword lists: they only stop function words from dominating overlap features
# (bot/data/stopwords.toml, "stance": the trained weights depend on them).
_STOP = stop_words("stance")

# Words that carry a denial, debunking or correction. Kept per language but used as one set:
# multilingual headlines are scored with the same features, so Spanish text gets real signal
# instead of nonsense.
REFUTING = frozenset(
    """
    fake fakes faked fraud fraudulent hoax hoaxes false falsely deny denies denied denying denial denials
    debunk debunks debunked debunking bogus doubt doubts doubted dubious refute refutes refuted rebut rebuts
    rebutted reject rejects rejected dismiss dismisses dismissed untrue misleading inaccurate baseless
    unfounded fabricated fabrication myth myths satire satirical spoof prank pranks scam lie lies lied liar
    incorrect wrong retract retracts retracted retraction contradict contradicts contradicted correction
    corrected nonsense rumour rumours rumor rumors disputes disputed disproved disproves disprove unverified
    misinformation disinformation phony bogus invented photoshopped doctored staged nope hoaxer hoaxers
    troll trolled trolls trolling exaggerated overblown exposed busted exaggeration fictional fiction parody
    alive survived safe unharmed unbelievable bullshit rubbish claimed insists insisted refuses refused
    crazy ridiculous absurd rebuff rebuffs rebuffed bs misreported misquoted misattributed clarifies clarified
    clarification backtracks backtracked conspiracy legend urban erroneous erroneously mistaken mistakenly
    nonexistent imaginary unsubstantiated implausible skeptical sceptical skeptics debunkers snopes
    falso falsa falsos falsas niega niegan negó negaron desmiente desmienten desmintió desmintieron desmentido
    rechaza rechazan rechazó rechazaron bulo bulos mentira mentiras inexacto inexacta infundado infundada
    engaño rectifica rectificó rectificación
    faux fausse fausses dément démenti démentent dément nie nient rejette rejettent infox canular rumeur
    inexacte erroné erronée rectifie rectificatif mensonge
    falsch falsche dementiert dementi bestreitet bestreiten bestritten zurückgewiesen weist unwahr irreführend
    widerspricht widersprochen berichtigt berichtigung lüge gerücht ente
    nega negam negou negaram desmente desmentem desmentiu boato boatos inverídico inverídica rejeita rejeitou
    mentiroso enganoso enganosa
    """.split()
)

HEDGING = frozenset(
    """
    alleged allegedly apparently appears appear claim claims claimed could reportedly reported reports rumored
    rumoured unconfirmed purportedly purported may might suspected possibly possible likely according
    suggests suggest seems seem believed thought unclear whether if maybe perhaps speculation speculate
    supuestamente presuntamente presunto presunta según habría podría aparentemente posible posiblemente
    prétendument selon aurait pourrait présumé présumée apparemment possible
    angeblich laut soll sollen mutmaßlich möglicherweise offenbar vermutlich könnte
    supostamente segundo teria poderia alegadamente aparentemente possivelmente
    """.split()
)

NEGATION = frozenset(
    """
    not no never n't none nobody nothing neither nor without cannot isn't wasn't aren't weren't doesn't didn't
    don't won't can't couldn't hasn't haven't hadn't
    nunca ningún ninguna ninguno jamás ni sin tampoco
    ne pas jamais aucun aucune sans personne rien
    nicht kein keine keinen keiner keinem nie niemals ohne nichts
    não nunca nenhum nenhuma sem nada
    """.split()
)

# Words that confirm (the "agree" side), used as a counterweight to refuting words.
CONFIRMING = frozenset(
    """
    confirm confirms confirmed confirmation verified verifies true indeed official officially proof proves proven
    confirma confirmó confirmado confirmada verdad cierto confirme confirmé vrai bestätigt bestätigte wahr
    confirmou verdade
    """.split()
)

# The strongest debunking words: a body that calls the story one of these rarely just "discusses" it.
STRONG_REFUTING = frozenset(
    """
    fake fakes faked hoax hoaxes hoaxer hoaxers false falsely debunk debunks debunked debunking bogus untrue
    fabricated fabrication myth satire satirical spoof prank pranks scam photoshopped doctored parody phony
    fictional baseless unfounded disproved disproves disprove retract retracts retracted retraction
    falso falsa falsos falsas bulo bulos desmiente desmienten desmintió desmentido mentira infundado
    faux fausse canular infox démenti dément falsch unwahr dementiert ente boato boatos desmente desmentiu
    """.split()
)

# Two-word denials ("not true", "no evidence"): each word alone is weak, together they refute.
DENIAL_BIGRAMS = frozenset(
    (a, b)
    for a, b in (
        pair.split("_")
        for pair in """
        not_true n't_true not_real n't_real no_evidence no_proof not_genuine n't_genuine never_happened
        not_actually n't_actually no_truth not_authentic n't_authentic made_up turned_out no_basis
        not_confirmed n't_confirmed no_such not_accurate n't_accurate not_happen n't_happen
        shoots_down shoot_down shot_down shooting_down record_straight make_up probably_not not_so
        too_good no_longer n't_exist not_exist nothing_to fact_check set_straight
        no_es es_falso no_hay es_faux pas_vrai nicht_wahr kein_beweis não_é não_há
        """.split()
    )
)

DENSE_NAMES: tuple[str, ...] = (
    "cos_full",
    "cos_lead",
    "cos_best_sent",
    "cos_mean_top3",
    "overlap_claim_frac",
    "overlap_lead_frac",
    "overlap_jaccard",
    "bigram_overlap_frac",
    "bigram_overlap_lead_frac",
    "best_sent_overlap_frac",
    "num_claim",
    "num_shared_frac",
    "claim_question",
    "claim_refuting",
    "claim_hedging",
    "claim_negation",
    "text_refuting_rate",
    "text_hedging_rate",
    "text_negation_rate",
    "text_confirming_rate",
    "lead_refuting",
    "lead_hedging",
    "lead_negation",
    "rel_refuting",
    "rel_hedging",
    "rel_negation",
    "rel_confirming",
    "rel_sent_frac",
    "near_refuting",
    "near_negation",
    "refute_polarity_diff",
    "neg_polarity_diff",
    "text_question",
    "text_quote_rate",
    "log_text_len",
    "log_claim_len",
    "text_short",
    "claim_tokens_in_title_frac",
    "first_new_refuting",
    "first_new_negation",
    "first_hedging",
    "best_sent_refuting",
    "best_sent_negation",
    "best_sent_hedging",
    "top3_refuting",
    "top3_negation",
    "top3_confirming",
    "cos_weighted_refuting",
    "strong_refuting_rate",
    "strong_refuting_lead",
    "rel_strong_refuting",
    "denial_bigrams",
    "denial_bigrams_rel",
    "first_refuting_pos",
    "neg_before_claim_term",
)
N_DENSE = len(DENSE_NAMES)


def tokenize(text: str) -> list[str]:
    """Lowercased word tokens (unicode aware), with "n't" split off so negation is visible."""
    out: list[str] = []
    for tok in _TOKEN_RE.findall(lower_keep_accents(text)):
        if tok.endswith("n't") and len(tok) > 3:
            out.append(tok[:-3])
            out.append("n't")
        else:
            out.append(tok)
    return out


@lru_cache(maxsize=200_000)
def _stem(tok: str) -> str:
    """A crude, language-neutral stem: a 6-character prefix (merges inflections in all five languages)."""
    return tok[:6]


@lru_cache(maxsize=400_000)
def _hash(s: str) -> int:
    """A stable hash (crc32) so model files work across processes and Python versions."""
    return zlib.crc32(s.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class TextInfo:
    """One text, pre-processed once (a body is paired with many claims in training)."""

    tokens: tuple[str, ...]
    stems: tuple[str, ...]
    content: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    sentences: tuple[tuple[str, ...], ...]  # content stems per sentence
    sent_tokens: tuple[tuple[str, ...], ...]  # raw tokens per sentence
    numbers: frozenset[str]
    question: bool
    quotes: int
    raw_len: int


def split_sentences(text: str) -> list[str]:
    """The non-blank sentences of `text` (split after . ! ? and at line breaks), as the features see them."""
    return [s for s in _SENT_RE.split(text or "") if s and s.strip()]


def analyse(text: str) -> TextInfo:
    """Tokenise and split `text` into the pieces the pair features use."""
    text = text or ""
    tokens = tokenize(text)
    stems = tuple(_stem(t) for t in tokens)
    content_list = [_stem(t) for t in tokens if t not in _STOP and len(t) > 1]
    sents_raw = split_sentences(text) or [""]
    sent_tokens = tuple(tuple(tokenize(s)) for s in sents_raw)
    sentences = tuple(tuple(_stem(t) for t in st if t not in _STOP and len(t) > 1) for st in sent_tokens)
    bigrams = frozenset(zip(content_list, content_list[1:], strict=False))
    return TextInfo(
        tokens=tuple(tokens),
        stems=stems,
        content=frozenset(content_list),
        bigrams=bigrams,
        sentences=sentences,
        sent_tokens=sent_tokens,
        numbers=frozenset(_NUM_RE.findall(text)),
        question="?" in text,
        quotes=text.count('"') + text.count("\u201c") + text.count("\u00ab"),
        raw_len=len(tokens),
    )


def _count(tokens: Iterable[str], words: frozenset[str]) -> int:
    return sum(1 for t in tokens if t in words)


def _tfidf(stems: Iterable[str], idf: np.ndarray) -> dict[int, float]:
    """A unit-length TF-IDF vector (dict bucket -> weight) over hashed stems."""
    counts = Counter(_hash(s) & (IDF_DIM - 1) for s in stems if s)
    vec = {b: (1.0 + math.log(c)) * float(idf[b]) for b, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    if norm > 0:
        for b in vec:
            vec[b] /= norm
    return vec


def _cos(a: dict[int, float], b: dict[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def sparse_counts(info: TextInfo) -> dict[int, float]:
    """Hashed, log-scaled, L2-normalised unigram+bigram counts for the sparse input layer."""
    counts: Counter[int] = Counter()
    content = [s for s, t in zip(info.stems, info.tokens, strict=True) if t not in _STOP or t in NEGATION]
    for s in content:
        counts[_hash(s) & (SPARSE_DIM - 1)] += 1
    for a, b in zip(content, content[1:], strict=False):
        counts[_hash(a + " " + b) & (SPARSE_DIM - 1)] += 1
    vec = {k: 1.0 + math.log(v) for k, v in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {k: v / norm for k, v in vec.items()}


@lru_cache(maxsize=200_000)
def _word_char_hashes(tok: str, lo: int = 2, hi: int = 5) -> tuple[int, ...]:
    """Hashed character n-grams of one word (padded by spaces); cached, words repeat a lot."""
    w = f" {tok} "
    return tuple(
        _hash("#" + w[i : i + n]) & (CHAR_DIM - 1) for n in range(lo, hi + 1) for i in range(len(w) - n + 1)
    )


def char_counts(text: str) -> dict[int, float]:
    """Hashed character 2-5-grams within words, log-scaled and L2-normalised.

    They catch word forms the token lists miss ("hoaxer", "debunking", "desmentido") in any language.
    """
    counts: Counter[int] = Counter()
    for tok in tokenize(text):
        counts.update(_word_char_hashes(tok))
    vec = {k: 1.0 + math.log(v) if v > 1 else 1.0 for k, v in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {k: v / norm for k, v in vec.items()}


def _only(tokens: Iterable[str], words: frozenset[str]) -> tuple[str, ...]:
    """The tokens that are in `words`, in order (counted later against a claim's own words)."""
    return tuple(t for t in tokens if t in words)


def _new(found: Sequence[str], claim_tok: frozenset[str]) -> int:
    """How many of `found` the claim does not use itself."""
    return sum(1 for t in found if t not in claim_tok)


@dataclass(frozen=True, slots=True)
class TextSide:
    """The later text's share of the dense features, computed once per text.

    The detector pairs one new item with each of its candidates, and training pairs one body
    with many claims: everything here depends on the later text alone, so it is not redone for
    every pair. The pair features built from it are the same numbers as before, in the same
    order of operations.
    """

    t_vec: dict[int, float]
    lead_vec: dict[int, float]
    sent_vecs: tuple[dict[int, float] | None, ...]  # None for a sentence without content stems
    lead_set: frozenset[str]
    lead_bigrams: frozenset[tuple[str, str]]
    sent_stems: tuple[tuple[str, ...], ...]  # stems of every token, per sentence
    polar_at: tuple[tuple[tuple[int, bool], ...], ...]  # (position, refuting?) of refuting/negation words
    sent_counts: tuple[tuple[int, int, int, int], ...]  # refuting, hedging, negation, confirming
    n_ref: int
    n_hedge: int
    n_neg: int
    n_conf: int
    lead_ref: int
    lead_hedge: int
    lead_neg: int
    first_neg: int
    first_hedge: int
    first_stems: frozenset[str]
    first_words: tuple[tuple[str, ...], tuple[str, ...]]  # refuting, negation words of the first sentence
    sent_words: tuple[tuple[tuple[str, ...], ...], ...]  # refuting, negation, hedging, confirming words
    strong_words: tuple[str, ...]
    lead_strong: tuple[tuple[str, ...], ...]
    sent_strong: tuple[tuple[str, ...], ...]
    bigram_hits: tuple[int, ...]
    refuting_at: tuple[tuple[int, str], ...]  # (position, word) of refuting words, in order
    neg_then: tuple[
        tuple[tuple[str, ...], ...], ...
    ]  # per sentence: stems of the 3 words after each negation


@dataclass(slots=True)
class Batch:
    """Model inputs for a batch of pairs: dense features and hashed sparse rows.

    Character n-grams of the later text are computed on first use only: the long-body head does
    not need them and they are the costly part for article bodies.
    """

    pairs: Sequence[tuple[str, str]]
    dense: np.ndarray
    claim_words: list[dict[int, float]]
    text_words: list[dict[int, float]]
    _text_chars: list[dict[int, float]] | None = None
    _denial_cues: np.ndarray | None = None

    @property
    def text_chars(self) -> list[dict[int, float]]:
        """Hashed character n-grams of each later text."""
        if self._text_chars is None:
            cache: dict[str, dict[int, float]] = {}
            out = []
            for _, t in self.pairs:
                got = cache.get(t)
                if got is None:
                    got = cache[t] = char_counts(t)
                out.append(got)
            self._text_chars = out
        return self._text_chars

    @property
    def denial_cues(self) -> np.ndarray:
        """The strongest active denial cue in each later text (0 when none), from `cues`."""
        if self._denial_cues is None:
            # One later text meets many claims (the detector pairs each new item with all its
            # candidates): the cue rules run once per distinct text.
            strength: dict[str, float] = {}
            for _, t in self.pairs:
                if t not in strength:
                    strength[t] = denial_strength(t)
            self._denial_cues = np.array([strength[t] for _, t in self.pairs], dtype=np.float64)
        return self._denial_cues

    def widened(self, extra: np.ndarray) -> Batch:
        """This batch with `extra` columns appended to its dense features (same rows)."""
        return Batch(
            self.pairs,
            np.hstack([self.dense, extra.astype(self.dense.dtype)]),
            self.claim_words,
            self.text_words,
            self._text_chars,
            self._denial_cues,
        )

    def subset(self, idx: Sequence[int] | np.ndarray) -> Batch:
        """The rows `idx` of this batch."""
        idx = [int(i) for i in idx]
        chars = None if self._text_chars is None else [self._text_chars[i] for i in idx]
        cues = None if self._denial_cues is None else self._denial_cues[idx]
        return Batch(
            [self.pairs[i] for i in idx],
            self.dense[idx],
            [self.claim_words[i] for i in idx],
            [self.text_words[i] for i in idx],
            chars,
            cues,
        )


class Featurizer:
    """Turns (claim, text) pairs into model inputs; holds the IDF table learned in training."""

    def __init__(self, idf: np.ndarray) -> None:
        if idf.shape != (IDF_DIM,):
            raise ValueError(f"idf must have shape ({IDF_DIM},), got {idf.shape}")
        self.idf = idf.astype(np.float32)

    @staticmethod
    def fit_idf(texts: Iterable[str]) -> np.ndarray:
        """Smoothed IDF over hashed stems of `texts` (training only)."""
        df = np.zeros(IDF_DIM, dtype=np.float64)
        n = 0
        for text in texts:
            n += 1
            buckets = {_hash(s) & (IDF_DIM - 1) for s in analyse(text).content}
            df[list(buckets)] += 1
        return np.log((1.0 + n) / (1.0 + df)).astype(np.float32) + 1.0

    def dense(
        self,
        claim: TextInfo,
        text: TextInfo,
        lead_n: int = 3,
        *,
        claim_vec: dict[int, float] | None = None,
        side: TextSide | None = None,
    ) -> np.ndarray:
        """The hand features for one pair, in the order of `DENSE_NAMES`.

        `claim_vec` (the claim's TF-IDF vector) and `side` (`text_side(text, lead_n)`) may be
        given when the same texts meet in many pairs; they are computed here otherwise.
        """
        c_vec = claim_vec if claim_vec is not None else _tfidf(claim.content, self.idf)
        t = side if side is not None else self.text_side(text, lead_n)
        sent_cos: list[float] = []
        sent_overlap: list[float] = []
        claim_c = claim.content
        n_claim = max(1, len(claim_c))
        for sent, vec in zip(text.sentences, t.sent_vecs, strict=True):
            if vec is None:
                sent_cos.append(0.0)
                sent_overlap.append(0.0)
                continue
            sent_cos.append(_cos(c_vec, vec))
            sent_overlap.append(len(claim_c.intersection(sent)) / n_claim)
        top = sorted(sent_cos, reverse=True)[:3] or [0.0]
        n_tok = max(1, text.raw_len)

        # Sentences that mention the claim's terms: a refuting word there is about this claim.
        rel_idx = [i for i, ov in enumerate(sent_overlap) if ov >= 0.2]
        n_rel = max(1, sum(len(text.sent_tokens[i]) for i in rel_idx))
        near_ref = 0
        near_neg = 0
        for i in rel_idx:
            pos = [j for j, s in enumerate(t.sent_stems[i]) if s in claim_c]
            if not pos:
                continue
            for j, is_ref in t.polar_at[i]:
                if any(abs(j - p) <= 6 for p in pos):
                    if is_ref:
                        near_ref += 1
                    else:
                        near_neg += 1

        c_ref = _count(claim.tokens, REFUTING)
        c_neg = _count(claim.tokens, NEGATION)
        shared_nums = len(claim.numbers & text.numbers)
        claim_tok = frozenset(claim.tokens)
        rel_counts = [sum(t.sent_counts[i][k] for i in rel_idx) for k in range(4)]
        feats = [
            _cos(c_vec, t.t_vec),
            _cos(c_vec, t.lead_vec),
            top[0],
            sum(top) / len(top),
            len(claim_c & text.content) / n_claim,
            len(claim_c & t.lead_set) / n_claim,
            len(claim_c & text.content) / max(1, len(claim_c | text.content)),
            len(claim.bigrams & text.bigrams) / max(1, len(claim.bigrams)),
            len(claim.bigrams & t.lead_bigrams) / max(1, len(claim.bigrams)),
            max(sent_overlap) if sent_overlap else 0.0,
            float(len(claim.numbers) > 0),
            shared_nums / max(1, len(claim.numbers)),
            float(claim.question),
            float(c_ref),
            float(_count(claim.tokens, HEDGING)),
            float(c_neg),
            t.n_ref / n_tok * 100.0,
            t.n_hedge / n_tok * 100.0,
            t.n_neg / n_tok * 100.0,
            t.n_conf / n_tok * 100.0,
            float(min(t.lead_ref, 5)),
            float(min(t.lead_hedge, 5)),
            float(min(t.lead_neg, 5)),
            rel_counts[0] / n_rel * 100.0,
            rel_counts[1] / n_rel * 100.0,
            rel_counts[2] / n_rel * 100.0,
            rel_counts[3] / n_rel * 100.0,
            len(rel_idx) / max(1, len(text.sentences)),
            float(min(near_ref, 10)),
            float(min(near_neg, 10)),
            # Polarity: the claim asserts, the text refutes (or the other way round).
            float(min(t.lead_ref, 5)) - float(min(c_ref, 5)),
            float(min(t.first_neg, 5)) - float(min(c_neg, 5)),
            float(text.question),
            text.quotes / n_tok * 100.0,
            math.log1p(text.raw_len),
            math.log1p(claim.raw_len),
            float(text.raw_len <= 40),
            len(claim_c & t.first_stems) / n_claim if text.sentences else 0.0,
            # Refuting / negation words of the first sentence (a headline) that the claim does not use.
            float(min(_new(t.first_words[0], claim_tok), 5)),
            float(min(_new(t.first_words[1], claim_tok), 5)),
            float(min(t.first_hedge, 5)),
        ]
        feats.extend(self._polarity(claim, text, t, sent_cos, rel_idx, claim_tok))
        return np.asarray(feats, dtype=np.float32)

    def text_side(self, text: TextInfo, lead_n: int = 3) -> TextSide:
        """What the dense features need of the later text alone, whatever the claim."""
        idf = self.idf
        t_vec = _tfidf(
            [s for s, t in zip(text.stems, text.tokens, strict=True) if t not in _STOP and len(t) > 1], idf
        )
        lead_stems = [s for sent in text.sentences[:lead_n] for s in sent]
        lead_tokens = [t for st in text.sent_tokens[:lead_n] for t in st]
        first_tokens = text.sent_tokens[0] if text.sent_tokens else ()
        sents = text.sent_tokens
        return TextSide(
            t_vec=t_vec,
            lead_vec=_tfidf(lead_stems, idf),
            sent_vecs=tuple(_tfidf(sent, idf) if sent else None for sent in text.sentences),
            lead_set=frozenset(lead_stems),
            lead_bigrams=frozenset(zip(lead_stems, lead_stems[1:], strict=False)),
            sent_stems=tuple(tuple(_stem(t) for t in st) for st in sents),
            polar_at=tuple(
                tuple((j, t in REFUTING) for j, t in enumerate(st) if t in REFUTING or t in NEGATION)
                for st in sents
            ),
            sent_counts=tuple(
                (_count(st, REFUTING), _count(st, HEDGING), _count(st, NEGATION), _count(st, CONFIRMING))
                for st in sents
            ),
            n_ref=_count(text.tokens, REFUTING),
            n_hedge=_count(text.tokens, HEDGING),
            n_neg=_count(text.tokens, NEGATION),
            n_conf=_count(text.tokens, CONFIRMING),
            lead_ref=_count(lead_tokens, REFUTING),
            lead_hedge=_count(lead_tokens, HEDGING),
            lead_neg=_count(lead_tokens, NEGATION),
            first_neg=_count(first_tokens, NEGATION),
            first_hedge=_count(first_tokens, HEDGING),
            first_stems=frozenset(s for s in text.sentences[0]) if text.sentences else frozenset(),
            first_words=(_only(first_tokens, REFUTING), _only(first_tokens, NEGATION)),
            sent_words=tuple(
                (_only(st, REFUTING), _only(st, NEGATION), _only(st, HEDGING), _only(st, CONFIRMING))
                for st in sents
            ),
            strong_words=_only(text.tokens, STRONG_REFUTING),
            lead_strong=tuple(_only(st, STRONG_REFUTING) for st in sents[:lead_n]),
            sent_strong=tuple(_only(st, STRONG_REFUTING) for st in sents),
            bigram_hits=tuple(
                sum(1 for a, b in zip(st, st[1:], strict=False) if (a, b) in DENIAL_BIGRAMS) for st in sents
            ),
            refuting_at=tuple(
                (j, t) for j, t in enumerate(text.tokens) if t in REFUTING or t in STRONG_REFUTING
            ),
            neg_then=tuple(
                tuple(tuple(_stem(u) for u in st[j + 1 : j + 4]) for j, t in enumerate(st) if t in NEGATION)
                for st in sents
            ),
        )

    @staticmethod
    def _polarity(
        claim: TextInfo,
        text: TextInfo,
        t: TextSide,
        sent_cos: list[float],
        rel_idx: list[int],
        claim_tok: frozenset[str],
    ) -> list[float]:
        """Refutation in the sentences most like the claim, strong debunk words and two-word denials.

        Words the claim itself uses are left out (a claim about a "hoax" does not make every body
        that repeats it a denial).
        """
        order = sorted(range(len(sent_cos)), key=lambda i: -sent_cos[i])[:3]
        sw = t.sent_words

        def new(i: int, k: int) -> int:
            return _new(sw[i][k], claim_tok)

        best = order[0] if order and sent_cos[order[0]] > 0 else None
        top3 = [i for i in order if sent_cos[i] > 0]
        weighted = sum(sent_cos[i] * min(new(i, 0), 3) for i in range(len(sw)))
        n_tok = max(1, text.raw_len)
        strong = _new(t.strong_words, claim_tok)
        bigram_all = 0
        bigram_rel = 0
        rel_set = set(rel_idx)
        for i, hits in enumerate(t.bigram_hits):
            bigram_all += hits
            if i in rel_set:
                bigram_rel += hits
        first_pos = 1.0
        for j, w in t.refuting_at:
            if w not in claim_tok:
                first_pos = j / n_tok
                break
        # A negation right before a word of the claim ("not dead", "never said"), anywhere in the text.
        claim_c = claim.content
        neg_before = 0
        for after in t.neg_then:
            for stems in after:
                if any(s in claim_c for s in stems):
                    neg_before += 1
        return [
            float(min(new(best, 0), 5)) if best is not None else 0.0,
            float(min(new(best, 1), 5)) if best is not None else 0.0,
            float(min(new(best, 2), 5)) if best is not None else 0.0,
            float(min(sum(new(i, 0) for i in top3), 8)),
            float(min(sum(new(i, 1) for i in top3), 8)),
            float(min(sum(new(i, 3) for i in top3), 8)),
            weighted,
            strong / n_tok * 100.0,
            float(min(sum(_new(w, claim_tok) for w in t.lead_strong), 5)),
            float(min(sum(_new(t.sent_strong[i], claim_tok) for i in rel_idx), 8)),
            float(min(bigram_all, 8)),
            float(min(bigram_rel, 8)),
            first_pos,
            float(min(neg_before, 8)),
        ]

    def featurize(self, pairs: Sequence[tuple[str, str]]) -> Batch:
        """Dense features (n, N_DENSE) and sparse claim/text vectors for `pairs`, as a `Batch`.

        Each distinct text is analysed once, which matters when one body meets many claims.
        """
        cache: dict[str, TextInfo] = {}
        sparse_cache: dict[str, dict[int, float]] = {}
        claim_vecs: dict[str, dict[int, float]] = {}
        sides: dict[str, TextSide] = {}

        def info(s: str) -> TextInfo:
            got = cache.get(s)
            if got is None:
                got = cache[s] = analyse(s)
            return got

        def sp(s: str) -> dict[int, float]:
            got = sparse_cache.get(s)
            if got is None:
                got = sparse_cache[s] = sparse_counts(info(s))
            return got

        def claim_vec(s: str) -> dict[int, float]:
            got = claim_vecs.get(s)
            if got is None:
                got = claim_vecs[s] = _tfidf(info(s).content, self.idf)
            return got

        def side(s: str) -> TextSide:
            got = sides.get(s)
            if got is None:
                got = sides[s] = self.text_side(info(s))
            return got

        dense = np.zeros((len(pairs), N_DENSE), dtype=np.float32)
        c_sparse: list[dict[int, float]] = []
        t_sparse: list[dict[int, float]] = []
        for i, (claim, text) in enumerate(pairs):
            dense[i] = self.dense(info(claim), info(text), claim_vec=claim_vec(claim), side=side(text))
            c_sparse.append(sp(claim))
            t_sparse.append(sp(text))
        return Batch(list(pairs), dense, c_sparse, t_sparse)


def sparse_matmul(rows: Sequence[dict[int, float]], weights: np.ndarray) -> np.ndarray:
    """`X @ weights` for hashed sparse rows (dicts), with numpy only."""
    out = np.zeros((len(rows), weights.shape[1]), dtype=np.float32)
    done: dict[int, int] = {}  # id of a row dict -> where its product is (`featurize` shares them)
    for i, row in enumerate(rows):
        if not row:
            continue
        same = done.get(id(row))
        if same is not None:
            out[i] = out[same]
            continue
        done[id(row)] = i
        idx = np.fromiter(row.keys(), dtype=np.int64, count=len(row))
        val = np.fromiter(row.values(), dtype=np.float32, count=len(row))
        out[i] = val @ weights[idx]
    return out


def sparse_to_csr_parts(rows: Sequence[dict[int, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(data, indices, indptr) of a CSR matrix, for training code that uses scipy."""
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    for i, row in enumerate(rows):
        indptr[i + 1] = indptr[i] + len(row)
    indices = np.zeros(indptr[-1], dtype=np.int32)
    data = np.zeros(indptr[-1], dtype=np.float32)
    for i, row in enumerate(rows):
        a, b = indptr[i], indptr[i + 1]
        indices[a:b] = list(row.keys())
        data[a:b] = list(row.values())
    return data, indices, indptr
