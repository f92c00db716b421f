"""What an edit of a published statement did: a pure comparison of two texts.

    compare_revisions(before, after) -> EditVerdict(kind, before, after, reason)

`kind` is one of
- `cosmetic`: only spelling, punctuation, case, spacing, links, dates or times changed;
- `softened`: a sentence now hedges ("may have", "reportedly") or claims a lesser role or
  certainty ("led" -> "supported", "all" -> "some");
- `removed`: a sentence that asserted something is gone and nothing in the new text says it;
- `reversed`: a sentence now says the opposite (a negation added or dropped), or a new
  sentence negates what an old one said;
- `other`: a real change that is none of these (added detail, a rewording, a new figure).

Only softened, removed and reversed are worth an alert (`EditVerdict.alerts`); the stage that
calls this (`bot.detect.edits`) decides what to do with them. The words that decide are data:
`bot/detect/data/edit_cues.toml`, five languages. The comparison works on folded tokens
(lower case, accents stripped), sentence by sentence, so it needs no language detection.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources

from bot.text import fold_keep_offsets, split_sentences

__all__ = ["EditKind", "EditVerdict", "compare_revisions"]


class EditKind(StrEnum):
    """What an edit did to the statement."""

    COSMETIC = "cosmetic"
    SOFTENED = "softened"
    REMOVED = "removed"
    REVERSED = "reversed"
    OTHER = "other"


ALERTING = frozenset({EditKind.SOFTENED, EditKind.REMOVED, EditKind.REVERSED})
# The strongest kind found in the text wins.
_RANK = {
    EditKind.COSMETIC: 0,
    EditKind.OTHER: 1,
    EditKind.SOFTENED: 2,
    EditKind.REMOVED: 3,
    EditKind.REVERSED: 4,
}


@dataclass(frozen=True, slots=True)
class EditVerdict:
    """What an edit did: its kind, the changed sentences before and after, and why."""

    kind: EditKind
    before: tuple[str, ...]
    after: tuple[str, ...]
    reason: str

    @property
    def alerts(self) -> bool:
        """True when the edit softened, removed or reversed what was said."""
        return self.kind in ALERTING


@dataclass(frozen=True, slots=True)
class _Lexicon:
    negations: frozenset[str]
    hedges: frozenset[str]
    strong: frozenset[str]
    weak: frozenset[str]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    raw = tomllib.loads(resources.files("bot.detect").joinpath("data/edit_cues.toml").read_text("utf-8"))
    sets: dict[str, set[str]] = {"negations": set(), "hedges": set(), "strong": set(), "weak": set()}
    for table in raw.values():
        for name, words in table.items():
            sets[name].update(fold_keep_offsets(w) for w in words)
    return _Lexicon(**{k: frozenset(v) for k, v in sets.items()})


# Noise that never changes what a statement says: links, dates, clock times, "updated" stamps.
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_CLOCK = re.compile(
    r"\b\d{1,2}(?:[:.h]\d{2}){1,2}\s*(?:[ap]\.?\s?m\.?|gmt|utc|cet|cest|est|edt|pst|pdt|h)?(?!\w)", re.I
)
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:t[\d:.]+z?)?\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b", re.I)
_STAMP = re.compile(
    r"\b(?:last\s+)?(?:updated|modified|edited|actualizad[oa]|mis\s+a\s+jour|aktualisiert|atualizad[oa])\b[^.\n]{0,40}",
    re.I,
)
_TOKEN = re.compile(r"[\w']+")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


def _tokens(text: str) -> list[str]:
    text = fold_keep_offsets(text)
    for rx in (_URL, _STAMP, _DATE, _CLOCK):
        text = rx.sub(" ", text)
    return [t.strip("'") for t in _TOKEN.findall(text) if t.strip("'")]


def _sentences(text: str) -> list[str]:
    return [text[a:b].strip() for a, b in split_sentences(text) if text[a:b].strip()]


def _content(tokens: list[str]) -> set[str]:
    """Words that carry content: numbers and words of four letters or more, bar the cue words."""
    lex = _lexicon()
    return {t for t in tokens if (len(t) >= 4 or _NUMBER.match(t)) and t not in lex.negations}


def _typo(a: str, b: str) -> bool:
    """Two tokens that are the same word misspelt (not two different words, numbers or cues)."""
    lex = _lexicon()
    cues = lex.negations | lex.hedges | lex.strong | lex.weak
    if a in cues or b in cues or _NUMBER.match(a) or _NUMBER.match(b):
        return False
    return min(len(a), len(b)) >= 3 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.75


def _only_typos(before: list[str], after: list[str]) -> bool:
    """True when the token lists differ only by misspelt words, each replaced one for one."""
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op != "replace" or i2 - i1 != j2 - j1:
            return False
        if not all(_typo(a, b) for a, b in zip(before[i1:i2], after[j1:j2], strict=True)):
            return False
    return True


def _similarity(a: list[str], b: list[str]) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@dataclass(frozen=True, slots=True)
class _Change:
    kind: EditKind
    before: str | None
    after: str | None
    why: str


def _pair_change(before: str, after: str, tb: list[str], ta: list[str]) -> _Change:
    """What changed between a sentence and its edited version."""
    lex = _lexicon()
    if tb == ta or _only_typos(tb, ta):
        return _Change(EditKind.COSMETIC, before, after, "spelling or formatting")
    sb, sa = set(tb), set(ta)
    neg_b, neg_a = sum(t in lex.negations for t in tb), sum(t in lex.negations for t in ta)
    if (neg_b > 0) != (neg_a > 0):
        word = sorted((sa - sb if neg_a else sb - sa) & lex.negations) or ["a negation"]
        return _Change(
            EditKind.REVERSED,
            before,
            after,
            f"{'added' if neg_a else 'dropped'} {word[0]!r}: it now says the opposite",
        )
    hedges = sorted((sa - sb) & lex.hedges)
    if hedges:
        return _Change(EditKind.SOFTENED, before, after, f"now hedged with {hedges[0]!r}")
    lost, gained = sorted((sb - sa) & lex.strong), sorted((sa - sb) & lex.weak)
    if lost and (gained or not (sa - sb)):
        to = f" -> {gained[0]!r}" if gained else ""
        return _Change(EditKind.SOFTENED, before, after, f"{lost[0]!r}{to}: a lesser role or certainty")
    dropped = sorted(t for t in (sb - sa) & lex.hedges)
    if dropped:  # a hedge removed makes it firmer: a change, not a retreat
        return _Change(EditKind.OTHER, before, after, f"hedge {dropped[0]!r} removed")
    nums_b, nums_a = [t for t in tb if _NUMBER.match(t)], [t for t in ta if _NUMBER.match(t)]
    if nums_b != nums_a:
        return _Change(EditKind.OTHER, before, after, "a figure changed")
    return _Change(EditKind.OTHER, before, after, "reworded")


def _substantive(tokens: list[str]) -> bool:
    """A sentence that asserts something (not a dateline, a byline or a link)."""
    return len(_content(tokens)) >= 3


def compare_revisions(before: str, after: str) -> EditVerdict:
    """Compare an earlier and a later version of a text (title and body joined by a newline)."""
    lex = _lexicon()
    if _tokens(before) == _tokens(after):
        return EditVerdict(EditKind.COSMETIC, (), (), "only formatting, links, dates or times changed")
    sb, sa = _sentences(before), _sentences(after)
    tb, ta = [_tokens(x) for x in sb], [_tokens(x) for x in sa]
    changes: list[_Change] = []
    removed: list[int] = []
    added: list[int] = []
    matcher = difflib.SequenceMatcher(
        None, [" ".join(t) for t in tb], [" ".join(t) for t in ta], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        left, right = list(range(i1, i2)), list(range(j1, j2))
        # pair each old sentence with its most similar new one in the block (an edit in place)
        for i in left:
            best = max(right, key=lambda j: _similarity(tb[i], ta[j]), default=None)
            if best is not None and _similarity(tb[i], ta[best]) >= 0.5:
                right.remove(best)
                changes.append(_pair_change(sb[i], sa[best], tb[i], ta[best]))
            else:
                removed.append(i)
        added += right
    after_words = set().union(*map(set, ta)) if ta else set()
    for i in removed:
        if not _substantive(tb[i]):
            changes.append(_Change(EditKind.COSMETIC, sb[i], None, "a line without content"))
            continue
        content = _content(tb[i])
        # negated elsewhere: a new sentence that shares the old one's words and negates them
        for j in added:
            if _content(ta[j]) and len(content & _content(ta[j])) >= max(2, len(content) // 2):
                if any(t in lex.negations for t in ta[j]) != any(t in lex.negations for t in tb[i]):
                    changes.append(
                        _Change(EditKind.REVERSED, sb[i], sa[j], "a new sentence says the opposite")
                    )
                    break
        else:
            kept = len(content & after_words) / len(content)
            if kept >= 0.7:  # rephrased or moved into other sentences, not gone
                changes.append(_Change(EditKind.OTHER, sb[i], None, "rephrased elsewhere"))
            else:
                changes.append(_Change(EditKind.REMOVED, sb[i], None, "sentence removed"))
    for j in added:
        if not any(c.after == sa[j] for c in changes):
            kind = EditKind.OTHER if _substantive(ta[j]) else EditKind.COSMETIC
            changes.append(_Change(kind, None, sa[j], "sentence added"))
    if not changes:
        return EditVerdict(EditKind.COSMETIC, (), (), "sentences reordered")
    top = max(changes, key=lambda c: _RANK[c.kind])
    shown = [c for c in changes if c.kind is not EditKind.COSMETIC] or changes
    return EditVerdict(
        kind=top.kind,
        before=tuple(c.before for c in shown if c.before),
        after=tuple(c.after for c in shown if c.after),
        reason=top.why if top.kind is not EditKind.COSMETIC else "only spelling or formatting changed",
    )
