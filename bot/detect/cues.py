"""Cue words: what a sentence does (claims, denies, retracts, corrects, confirms), per language.

`find_cues(sentence, language)` returns every cue with its span and two flags that keep
precision: `negated` ("did not deny", "ni confirmó ni desmintió", "cannot confirm or deny",
"declined to comment") and `other_sense` ("judge denied bail", "visa rejected", "Senate rejects
bill", "false alarm", "transfer bid rejected"), each with a reason. The words are data, one file
per language (`data/cues/<language>.toml`, read through `lexicons.py`): regexes over the folded
text (lower case, no accents; see `bot.text.fold_keep_offsets`), so spans map back unchanged. The rules that
use them are here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import NamedTuple

from bot.detect.lexicons import Lexicon, LexiconError, expand, load_lexicon
from bot.text import base_language, fold_keep_offsets, guess_language

__all__ = [
    "CUE_LANGUAGES",
    "CUE_GROUPS",
    "Cue",
    "CueEntry",
    "CueKind",
    "cue_patterns",
    "find_cues",
    "strongest",
]


class CueKind(StrEnum):
    """What the cue words do."""

    CLAIM = "claim"
    DENIAL = "denial"
    RETRACTION = "retraction"
    CORRECTION = "correction"
    CONFIRMATION = "confirmation"


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue in a sentence."""

    kind: CueKind
    span: tuple[int, int]
    words: str  # the cue words as written
    language: str
    strength: float  # how reliably these words mean `kind`, 0..1
    negated: bool = False
    other_sense: bool = False
    reason: str | None = None  # why negated / other sense
    self_directed: bool = False  # "corrige sus cifras", "walked back its claim", "retracts"
    group: str | None = None  # the entry's finer kind (CUE_GROUPS): "admits" is no "misspoke"
    reversal: bool = False  # a U-turn word that fits a policy as well as words ("backtracks")

    @property
    def active(self) -> bool:
        """True when the cue counts: neither negated nor another sense of the words."""
        return not self.negated and not self.other_sense


_LEX = load_lexicon("cues", frozenset({"cue", "spaced"}))
# the languages with a cue file
CUE_LANGUAGES = frozenset(_LEX.languages)
# Finer kinds a `[[cue]]` entry may name (`group`), read as features by the learned decision:
# an admission ("admits", "reconoce") often confesses something other than a false statement;
# a finding ("falsely claimed", "mintió sobre") says the subject's own words were false.
CUE_GROUPS = ("admission", "finding")
_KINDS = {k.value: k for k in CueKind}


def _alt(name: str, language: str | None = None) -> str:
    return _LEX.alt(name, language)


# Pieces the cue patterns of every language use: words that may sit between a verb and its
# object ("rejected the Canadian PM's claim"), and a figure or a range of figures.
_GIVEN = {
    "gap": r"(?:[\w'-]+ ){0,6}?",
    "number": rf"(?:\d[\d\s.,]*(?:(?:{_alt('range')}|-) ?\d[\d\s.,]*)?)",
}


class CueEntry(NamedTuple):
    """One `[[cue]]` entry of a language's file, compiled."""

    kind: CueKind
    strength: float
    rx: re.Pattern[str]
    group: str | None  # one of CUE_GROUPS, or None
    reversal: bool  # a U-turn that may be of a policy: its object decides (`_policy_reversed`)


def cue_patterns(lex: Lexicon, language: str) -> list[CueEntry]:
    """The `[[cue]]` entries of a language's file, compiled (`\\b` boundaries added, unless the
    file says `spaced = false`: a language written without spaces between words).

    Raises LexiconError naming the file and entry of a bad one.
    """
    out = []
    spaced = lex.table(language, "spaced")
    if spaced is None:
        spaced = True
    elif not isinstance(spaced, bool):
        raise LexiconError(f"cues/{language}.toml: spaced: expected true or false")
    for n, entry in enumerate(lex.table(language, "cue") or []):
        where = f"cues/{language}.toml: cue {n + 1}"
        kind, strength, patterns = entry.get("kind"), entry.get("strength"), entry.get("patterns")
        if kind not in _KINDS or not isinstance(strength, float | int) or not 0 <= strength <= 1:
            raise LexiconError(f"{where}: needs a kind ({', '.join(_KINDS)}) and a strength in 0..1")
        group = entry.get("group")
        if group is not None and group not in CUE_GROUPS:
            raise LexiconError(f"{where}: group {group!r} is not one of {', '.join(CUE_GROUPS)}")
        reversal = entry.get("reversal", False)
        if not isinstance(reversal, bool):
            raise LexiconError(f"{where}: reversal: expected true or false")
        if (
            not isinstance(patterns, list)
            or not patterns
            or not all(isinstance(p, str) and p for p in patterns)
        ):
            raise LexiconError(f"{where}: patterns: expected a list of non-empty strings")
        body = "|".join(expand(p, lex, language, where, _GIVEN) for p in patterns)
        # a cue starts a word: not after a letter, a hyphen or an apostrophe inside a word, but
        # after an opening quote ("says he 'misspoke'": headlines quote the words they doubt).
        # Two plain lookbehinds: an alternation of them made every cue search twice as slow.
        # A language written without spaces between words (Japanese, Chinese) has no such
        # boundary: its cues are found inside a run of characters.
        rx = re.compile(rf"(?<![\w-])(?<!\w')(?:{body})(?![\w-])" if spaced else f"(?:{body})")
        out.append(CueEntry(_KINDS[kind], float(strength), rx, group, reversal))
    return out


_COMPILED: dict[str, list[CueEntry]] = {lang: cue_patterns(_LEX, lang) for lang in _LEX.languages}
# English nouns for something said, used by the rules for English verbs below.
_CLAIM_NOUN_EN = f"(?:{_alt('claim_noun', 'en')})"

# --- negation and hedges -----------------------------------------------------------------------

# Words right before a verb cue that cancel it. The window stops at clause punctuation.
_NEG_BEFORE_RX = {
    lang: re.compile(rf"(?:^|\s)(?:{_alt('negation_before', lang)})$")
    for lang in _LEX.languages
    if _LEX.has("negation_before", lang)
}
# "denied nothing", "n'a rien démenti" (after participle), "dementiert nicht"
_NEG_AFTER_RX = {
    lang: re.compile(rf"^ (?:{_alt('negation_after', lang)})\b")
    for lang in _LEX.languages
    if _LEX.has("negation_after", lang)
}
# Cue phrases that are themselves negative ("no es cierto", "is not true") carry their own "not".
_NEGATIVE_PHRASE = re.compile(rf"(?:{_alt('negative_phrase')})\b")
# "has not publicly denied": one adverb may stand between the negation and the verb
_ADVERB_AT_END = re.compile(rf" (?:\w+ly|{_alt('adverb')})$")

# Whole phrases that make every denial in their clause a non-denial.
_HEDGES = re.compile(_alt("hedges"))

# --- other senses ----------------------------------------------------------------------------

# Objects that make "deny/reject/refuse/false" mean something else (courts, visas, votes, sport).
_OTHER_OBJECT = re.compile(rf"\b(?:{_alt('other_object')})\b")
# What a U-turn is about, the first named: something said, or a policy (`_policy_reversed`),
# within the cue and this many words after it.
_SAID_OR_POLICY = re.compile(rf"\b(?:(?P<said>{_alt('claim_noun')})|(?P<policy>{_alt('policy_object')}))\b")
_OBJECT_WORDS = 6
_SENTENCE_STOP = re.compile(r"[.;:!?]")
# Subjects that decide cases or votes rather than dispute statements.
_OTHER_SUBJECT = re.compile(rf"\b(?:{_alt('other_subject')})\b")
# Legislatures and insurers reject bills and deny claims for payment: only as the verb's own
# subject (the last words before it), not "the minister, speaking in Congress, denied ...".
_BODY_THAT_VOTES = re.compile(
    rf"\b(?:{_alt('voting_body')})(?:'s)?(?: (?:{_alt('voting_body_link')})? ?[\w-]+){{0,2}}? $"
)
_VOTE = re.compile(rf"\b(?:{_alt('vote')})\b")
_OTHER_PHRASE = re.compile(rf"\b(?:{_alt('other_phrase')})\b")
_SPORT = re.compile(rf"\b(?:{_alt('sport')})\b")
_SPORT_VERB = re.compile(rf"(?:{_alt('sport_verb')})")

_DEMAND = re.compile(
    rf"\b(?:{_alt('demand')})\b(?:\s+[\w'-]+){{0,5}}?\s+(?:{_alt('demand_to')})?\s*"
    rf"(?:(?:{_alt('reflexive')})\s*)?$"
)
# "disregard our statement" is the speaker's own withdrawal, whoever asks it.
_DISREGARD = re.compile(rf"(?:{_alt('disregard')})")
# Verbs with senses besides disputing a statement (courts deny bail, clubs reject bids).
# "desmentir", "dementieren", "démentir", "refute", "contradict" have none, so they skip the checks.
_AMBIGUOUS = re.compile(rf"(?:{_alt('ambiguous')})")
# Cues that set a statement against facts or counts ("contrary to what", "far from the N
# claimed by"): no other sense, so nearby "fake tickets" or "false alarm" do not cancel them.
_SET_AGAINST = re.compile(rf"(?:{_alt('set_against')})")
# The outlet's own correction note ("An earlier version of this story said ..."): the
# publisher corrects itself, no official does.
_OUTLET_NOTE = re.compile(rf"\b(?:{_alt('outlet_note')})\b")
# "Update: my calculations were wrong", "I've been wrong before": the writer about themself.
_FIRST_PERSON_BEFORE = re.compile(rf"\b(?:{_alt('first_person')})(?: [\w'-]+){{0,2}} $")
# "probably fake", "may turn out to be a hoax": the writer guesses, nobody denies.
_GUESS_BEFORE = re.compile(rf"\b(?:{_alt('guess')})(?: (?:{_alt('guess_filler')}))*(?: to)? $")
# "X is false" with no verb of denying: the writer's verdict.
_COPULA = re.compile(rf"(?:{_alt('copula')})\b")
# "a rumoured retraction", "the expected correction"
_RUMOURED_BEFORE = re.compile(rf"\b(?:{_alt('rumoured')})(?: [\w-]+)? $")
# "they asked for the honour and were denied": someone was refused something
_REFUSED_BEFORE = re.compile(rf"\b(?:{_alt('refused_aux')})(?: \w+ly)? $")
_SAID_BEFORE = re.compile(rf"\b(?:{_CLAIM_NOUN_EN[3:-1]}|{_alt('said_thing')})\b")
# "a pay dispute", "their dispute with the landlord": the noun is a quarrel, not a denial.
_DISPUTE_KIND_BEFORE = re.compile(rf"\b(?:{_alt('quarrel_kind')})(?:-related)? $")
_DISPUTE_NOUN_BEFORE = re.compile(rf"\b(?:{_alt('determiner')})(?: [\w-]+)? $")
_DISPUTED_OBJECT = re.compile(rf" (?:{_alt('quarrel_object')})\b")
_DISPUTE_LINK = re.compile(rf" (?:{_alt('quarrel_link')})\b")
# "the disputed waters", "into disputed territory": the adjective of a contested thing
_CONTESTED_BEFORE = re.compile(
    rf"\b(?:{_alt('determiner')}|{_alt('contested_before', 'en')})(?: [\w-]+ly)? $"
)
_STATEMENT_AFTER = re.compile(rf"^(?: [\w-]+)? {_CLAIM_NOUN_EN}\b")
# "dismissed the claims", "dismissed them as lies", "reports were dismissed": a statement set aside.
# Otherwise "dismiss" is to fire someone or throw out a case.
_DISMISSED_STATEMENT = re.compile(rf"^(?: [\w'-]+){{0,4}}? (?:{_CLAIM_NOUN_EN[3:-1]}|{_alt('set_aside')})\b")
_CLAIM_WAS_BEFORE = re.compile(rf"\b{_CLAIM_NOUN_EN}(?: [\w'-]+){{0,3}} (?:was|were|been|is|are) $")
_CLAIM_BEFORE = re.compile(rf"\b{_CLAIM_NOUN_EN} $")
# "deny someone their rights / deny people liberty": to withhold, not to dispute a statement.
_WITHHELD = re.compile(
    rf"\s*(?P<gap>(?:[\w'-]+ ){{0,3}}?)(?:(?:{_alt('withheld_owner')}) )?(?:(?:{_alt('withheld_kind')}) )?"
    rf"(?:{_alt('withheld')})\b"
)
# "Iraq shoots down two planes": the weapon sense, not a rebuttal.
_SHOT_DOWN_OBJECT = re.compile(rf"^(?: [\w'-]+){{0,3}}? (?:{_alt('aircraft')}|\d+)\b")
_NOT_WITHHELD_GAP = re.compile(rf"\b(?:{_alt('not_withheld')}|\w+ing)\b")
# "a £25m bid was received and immediately rejected": the object came first.
_PASSIVE_BEFORE = re.compile(rf"\b(?:{_alt('passive_aux')})(?: \w+ly|(?: (?:{_alt('passive_adverb')})))? $")
_CLAUSE_OBJECT = re.compile(rf"\s*(?:{_alt('clause_opener')})\b")
_ACCUSATION_NOUN = re.compile(rf"\b(?:{_alt('accusation_noun')})\b")
# "what police admit is very unusual behaviour": granting a description, not a retraction
_GRANTING = re.compile(rf"(?:{_alt('granting')})")
_GRANTED_DESCRIPTION = re.compile(rf" (?:{_alt('granted_copula')})\b")
_VERBISH = frozenset({CueKind.DENIAL, CueKind.RETRACTION, CueKind.CORRECTION, CueKind.CONFIRMATION})
_CLAUSE_BREAK = re.compile(rf",(?=\s)|[;:()\"]|\b(?:{_alt('conjunction')})\b")
_SELF = re.compile(rf"^(?: (?:{_alt('self')}))\b")


def _language_of(sentence: str, language: str | None) -> list[str]:
    lang = base_language(language) or None
    if lang not in _COMPILED:
        lang = guess_language(sentence)
    if lang in _COMPILED:
        return [lang] if lang == "en" else [lang, "en"]  # English cue words leak into all news
    return ["en", "es", "pt", "fr"]  # unsure: the lexicons without "nie"/"nega" collisions


def find_cues(sentence: str, language: str | None = None) -> list[Cue]:
    """Every cue in one sentence (or headline), left to right, with negation/other-sense flags.

    `language` is an ISO code ("es", "pt-BR"); None guesses it. Overlapping cues keep the
    longest ("rejected ... as false" over "rejected").
    """
    folded = fold_keep_offsets(sentence)
    langs = _language_of(sentence, language)
    found: list[Cue] = []
    for lang in langs:
        for kind, strength, rx, group, reversal in _COMPILED[lang]:
            for m in rx.finditer(folded):
                words = sentence[m.start() : m.end()]
                found.append(Cue(kind, m.span(), words, lang, strength, group=group, reversal=reversal))
    # Longest first, then strongest; drop cues inside a longer one.
    found.sort(key=lambda c: (-(c.span[1] - c.span[0]), -c.strength, c.span[0]))
    kept: list[Cue] = []
    for c in found:
        if any(c.span[0] < k.span[1] and k.span[0] < c.span[1] for k in kept):
            continue
        kept.append(c)
    kept.sort(key=lambda c: c.span[0])
    return _denied_turnarounds([_flag(c, folded) for c in kept], folded)


# A retraction or correction within this many characters after an active denial is what the
# denial denies: "denies backtracking on the pact", "niega haber rectificado", "dément avoir
# fait marche arrière" take nothing back.
_DENIED_TURN_GAP = 12


def _denied_turnarounds(cues: list[Cue], folded: str) -> list[Cue]:
    """Retractions and corrections that an active denial right before them denies, negated."""
    out: list[Cue] = []
    denial: Cue | None = None  # the last active denial (cues come left to right)
    for c in cues:
        if (
            denial is not None
            and c.active
            and c.kind in (CueKind.RETRACTION, CueKind.CORRECTION)
            and 0 <= c.span[0] - denial.span[1] <= _DENIED_TURN_GAP
            and not _CLAUSE_BREAK.search(folded[denial.span[1] : c.span[0]])
        ):
            c = _with(c, negated=True, reason=f"denied: {denial.words!r}")
        if c.active and c.kind is CueKind.DENIAL:
            denial = c
        out.append(c)
    return out


@dataclass(frozen=True, slots=True)
class _Around:
    """Where a cue sits in its folded sentence: its words and the clause around them."""

    folded: str
    s: int
    e: int
    words: str  # the cue words, folded
    before: str  # up to 60 characters before the cue
    clause_before: str  # the part of `before` in the cue's clause
    after: str  # up to 90 characters after the cue
    clause_after: str  # the part of `after` in the cue's clause

    @classmethod
    def of(cls, c: Cue, folded: str) -> _Around:
        s, e = c.span
        before = folded[max(0, s - 60) : s]
        breaks = list(_CLAUSE_BREAK.finditer(before))
        after = folded[e : e + 90]
        nxt = _CLAUSE_BREAK.search(after)
        return cls(
            folded=folded,
            s=s,
            e=e,
            words=folded[s:e],
            before=before,
            clause_before=before[breaks[-1].end() :] if breaks else before,
            after=after,
            clause_after=after[: nxt.start()] if nxt else after,
        )


# Why a cue does not count: (True, reason) when it is negated or hedged, (False, reason) when
# its words mean something else here.
_Verdict = tuple[bool, str]
_NEGATED, _OTHER_SENSE = True, False


def _flag(c: Cue, folded: str) -> Cue:
    """The cue with its negation / other-sense flags: the first check that objects decides."""
    if c.kind is CueKind.CLAIM:
        return c
    at = _Around.of(c, folded)
    self_directed = bool(_SELF.match(at.after)) and c.kind in (CueKind.CORRECTION, CueKind.RETRACTION)
    for check in _CHECKS:
        verdict = check(c, at)
        if verdict is not None:
            negated, reason = verdict
            return _with(c, negated=negated, other=not negated, reason=reason, self_directed=self_directed)
    return _with(c, self_directed=True) if self_directed else c


def _negation(c: Cue, at: _Around) -> _Verdict | None:
    """ "did not deny", "ni desmintió", "n'a pas démenti"; not for cue phrases that are themselves
    negative ("no es cierto", "is not true"): those carry their own "not"."""
    toks = at.clause_before.split()
    near = " ".join(toks[-3:])
    lang_neg = _NEG_BEFORE_RX.get(c.language)
    negative_phrase = bool(_NEGATIVE_PHRASE.match(at.words)) or " not " in at.words
    near_verb = _ADVERB_AT_END.sub("", near)
    if c.kind in _VERBISH and not negative_phrase and lang_neg and near and lang_neg.search(near_verb):
        return _NEGATED, f"negated: {' '.join(toks[-2:])!r}"
    neg_after = _NEG_AFTER_RX.get(c.language)
    if neg_after and neg_after.match(at.after):
        return _NEGATED, "negated after the verb"
    return None


def _hedged(c: Cue, at: _Around) -> _Verdict | None:
    """ "cannot confirm or deny", "declined to comment" near a denial or confirmation."""
    hedge = _HEDGES.search(at.folded[max(0, at.s - 50) : min(len(at.folded), at.e + 60)])
    if hedge and c.kind in (CueKind.DENIAL, CueKind.CONFIRMATION):
        return _NEGATED, f"hedge: {hedge.group(0)!r}"
    return None


def _demanded(c: Cue, at: _Around) -> _Verdict | None:
    """Asking someone else to retract or correct is not a retraction ("asks the portal to retract")."""
    if (
        c.kind in (CueKind.RETRACTION, CueKind.CORRECTION)
        and not _DISREGARD.match(at.words)
        and _DEMAND.search(at.folded[max(0, at.s - 45) : at.s])
    ):
        return _OTHER_SENSE, "other sense: a demand that someone else retract"
    return None


def _outlet_note(c: Cue, at: _Around) -> _Verdict | None:
    if note := _OUTLET_NOTE.search(at.folded):
        return _OTHER_SENSE, f"other sense: the outlet's own correction note {note.group(0)!r}"
    return None


def _writers_verdict(c: Cue, at: _Around) -> _Verdict | None:
    """ "X is false" with no verb of denying is the writer's verdict; a guess ("probably fake") or
    the writer's own mistake ("I've been wrong") denies nothing."""
    if c.kind is not CueKind.DENIAL or not _COPULA.match(at.words):
        return None
    if _FIRST_PERSON_BEFORE.search(at.before):
        return _OTHER_SENSE, "other sense: the writer about themself"
    if guess := _GUESS_BEFORE.search(at.before):
        return _NEGATED, f"hedge: {guess.group(0).strip()!r}"
    return None


def _rumoured(c: Cue, at: _Around) -> _Verdict | None:
    if c.kind in (CueKind.RETRACTION, CueKind.CORRECTION) and _RUMOURED_BEFORE.search(at.before):
        return _NEGATED, "hedge: a rumoured retraction"
    return None


# --- English verbs with senses of their own ---------------------------------------------------


def _refused(c: Cue, at: _Around) -> _Verdict | None:
    """ "they asked for the honour and were denied": someone was refused something."""
    if (
        at.words.startswith("den")
        and _REFUSED_BEFORE.search(at.before)
        and not re.match(r"\s*by\b", at.after)
        and not _SAID_BEFORE.search(at.folded[: at.s])
    ):
        return _OTHER_SENSE, "other sense: someone was refused"
    return None


def _quarrel(c: Cue, at: _Around) -> _Verdict | None:
    """ "a pay dispute", "their dispute with the landlord"."""
    if (
        at.words == "dispute"
        and _DISPUTE_NOUN_BEFORE.search(at.before)
        and not _DISPUTED_OBJECT.match(at.after)
    ) or (
        at.words in ("dispute", "disputes")
        and (_DISPUTE_LINK.match(at.after) or _DISPUTE_KIND_BEFORE.search(at.before))
    ):
        return _OTHER_SENSE, "other sense: a dispute (a quarrel)"
    return None


def _contested(c: Cue, at: _Around) -> _Verdict | None:
    """ "the disputed waters", "a hotly disputed election": a contested thing, not a denial (but
    "a disputed claim" is a statement someone disputes)."""
    if (
        at.words == "disputed"
        and _CONTESTED_BEFORE.search(at.before)
        and not _STATEMENT_AFTER.match(at.after)
    ):
        return _OTHER_SENSE, "other sense: a contested thing"
    return None


def _shot_down(c: Cue, at: _Around) -> _Verdict | None:
    if re.match(r"sho(?:ot|t)", at.words) and _SHOT_DOWN_OBJECT.match(at.clause_after):
        return _OTHER_SENSE, "other sense: shooting down aircraft"
    return None


def _dismissed(c: Cue, at: _Around) -> _Verdict | None:
    """ "dismiss" a person or a case, unless what is dismissed is something said."""
    if at.words.startswith("dismiss") and not (
        _DISMISSED_STATEMENT.match(" " + at.clause_after.strip())
        or _CLAIM_WAS_BEFORE.search(at.clause_before)
        # a headline's passive without its auxiliary: "Kupiansk claims dismissed by Kyiv"
        or (_CLAIM_BEFORE.search(at.clause_before) and at.clause_after.startswith(" by "))
    ):
        return _OTHER_SENSE, "other sense: dismissing a person or a case"
    return None


def _granting(c: Cue, at: _Around) -> _Verdict | None:
    """ "what police admit is very unusual behaviour": granting a description, not a retraction."""
    if c.kind is CueKind.RETRACTION and _GRANTING.match(at.words) and _GRANTED_DESCRIPTION.match(at.after):
        return _OTHER_SENSE, "other sense: granting a point"
    return None


# --- other senses ------------------------------------------------------------------------------


def _other_phrase(c: Cue, at: _Around) -> _Verdict | None:
    """ "false alarm", "climate denial" next to a denial cue; "corrections officers" around a
    correction cue."""
    ph = _OTHER_PHRASE.search(at.folded)
    if not ph:
        return None
    inside = ph.start() <= at.s < ph.end()
    if (
        c.kind is CueKind.DENIAL
        and not _SET_AGAINST.match(at.words)
        and (abs(ph.start() - at.e) < 40 or abs(at.s - ph.end()) < 40 or inside)
    ) or (c.kind is CueKind.CORRECTION and inside):
        return _OTHER_SENSE, f"other sense: {ph.group(0)!r}"
    return None


def _ambiguous_verb(c: Cue, at: _Around) -> _Verdict | None:
    """Verbs with senses besides disputing a statement: courts deny bail, clubs reject bids, a
    senate rejects a bill, "deny people their rights"."""
    if c.kind is not CueKind.DENIAL or not _AMBIGUOUS.match(at.words):
        return None
    withheld = _WITHHELD.match(at.clause_after) if at.words.startswith("den") else None
    if withheld and not _NOT_WITHHELD_GAP.search(withheld.group("gap")):
        return _OTHER_SENSE, f"other sense: withholding {withheld.group(0).strip()!r}"
    if _PASSIVE_BEFORE.search(at.clause_before):
        obj_before = _OTHER_OBJECT.search(" ".join(at.folded[max(0, at.s - 80) : at.s].split()[-10:]))
        if obj_before:
            return _OTHER_SENSE, f"other sense: object {obj_before.group(0)!r}"
    clause_obj = _CLAUSE_OBJECT.match(at.clause_after)
    obj = None if clause_obj else _OTHER_OBJECT.search(at.words + " " + " ".join(at.clause_after.split()[:6]))
    if obj and not _ACCUSATION_NOUN.search(at.clause_after[: obj.start() + 1]):
        return _OTHER_SENSE, f"other sense: object {obj.group(0)!r}"
    subj = _OTHER_SUBJECT.search(at.clause_before) or _BODY_THAT_VOTES.search(at.clause_before)
    if subj:
        return _OTHER_SENSE, f"other sense: subject {subj.group(0)!r}"
    if _VOTE.search(at.folded):
        return _OTHER_SENSE, "other sense: a vote"
    if _SPORT.search(at.folded) and _SPORT_VERB.match(at.words):
        return _OTHER_SENSE, "other sense: sport transfer"
    return None


def _policy_reversed(c: Cue, at: _Around) -> _Verdict | None:
    """ "backtracks on the fuel tax", "recua na taxa", "zieht den Gesetzentwurf zurück": a U-turn
    on a policy, not on words. The first thing named inside the cue or just after it decides: a
    policy (`policy_object`) before anything said (`claim_noun`)."""
    if c.kind is not CueKind.RETRACTION or not c.reversal:
        return None
    # the cue's own words after its first, then past a conjunction too ("recua e desiste da
    # taxa"), not past the sentence's punctuation
    after = _SENTENCE_STOP.split(at.after, maxsplit=1)[0]
    window = " ".join([*at.words.split()[1:], *after.split()[:_OBJECT_WORDS]])
    first = _SAID_OR_POLICY.search(window)
    if first is not None and first.lastgroup == "policy":
        return _OTHER_SENSE, f"other sense: a policy reversed ({first.group(0)!r}), not words"
    return None


# In this order: the first that objects to a cue gives the reason.
_CHECKS: tuple[Callable[[Cue, _Around], _Verdict | None], ...] = (
    _negation,
    _hedged,
    _demanded,
    _outlet_note,
    _writers_verdict,
    _rumoured,
    _refused,
    _quarrel,
    _contested,
    _shot_down,
    _dismissed,
    _granting,
    _other_phrase,
    _ambiguous_verb,
    _policy_reversed,
)


def _with(
    c: Cue,
    *,
    negated: bool = False,
    other: bool = False,
    reason: str | None = None,
    self_directed: bool = False,
) -> Cue:
    return replace(
        c,
        negated=negated or c.negated,
        other_sense=other or c.other_sense,
        reason=reason or c.reason,
        self_directed=self_directed or c.self_directed,
    )


_RANK = {
    CueKind.RETRACTION: 4,
    CueKind.CORRECTION: 3,
    CueKind.DENIAL: 2,
    CueKind.CONFIRMATION: 1,
    CueKind.CLAIM: 0,
}


def strongest(cues: list[Cue]) -> Cue | None:
    """The active cue that best says what a sentence does (retraction > correction > denial ...)."""
    active = [c for c in cues if c.active]
    if not active:
        return None
    return max(active, key=lambda c: (_RANK[c.kind], c.strength, -c.span[0]))


def denial_strength(text: str, language: str | None = None) -> float:
    """How strongly `text` denies something: the strongest active denial cue, 0 when none.

    The stance model's short head uses it to lean towards `disagree` (rules and model together).
    """
    return max(
        (c.strength for c in find_cues(text, language) if c.active and c.kind == CueKind.DENIAL), default=0.0
    )
