"""Why an item was linked, in words a wire editor would accept, and the trace behind it.

`reasons` gives the short lines an alert shows ("Sheinbaum disputes ICE's account", "about
the same event: 0.81 alike in meaning, both name Sinaloa", "1 day after the claim", ...).
`trace` gives the stage-by-stage record that "why no alert?" reads back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.detect.decision import CORRECTION, COUNTER, DENIAL, LINK_SURE, RETRACTION, Decision
from bot.detect.reading import Reading
from bot.detect.routing import words_agree
from bot.detect.terms import readable_terms, shared_terms
from bot.text import fold

_VERB = {
    DENIAL: "disputes",
    COUNTER: "gives an opposite account to",
    RETRACTION: "withdraws",
    CORRECTION: "corrects",
}


def describe_gap(days: float) -> str:
    """'same day', '1 day after the claim', '3 months after the claim'."""
    if days < 1:
        return "same day as the claim"
    if days < 2:
        return "1 day after the claim"
    if days < 60:
        return f"{int(days)} days after the claim"
    return f"{int(days // 30)} months after the claim"


def reasons(
    decision: Decision,
    later: Reading,
    earlier: Reading | None,
    *,
    denier: str,
    claimant: str,
) -> tuple[str, ...]:
    """The alert's 'why' lines, most telling first."""
    out: list[str] = []
    verb = _VERB.get(decision.label, "disputes")
    if decision.label in (RETRACTION, CORRECTION):
        out.append(f"{denier} {verb} its own statement")
    else:
        out.append(f"{denier} {verb} {claimant}")
    st = later.disputing
    if st is not None and st.cue:
        out.append(f'in its words: "{st.cue}"')
    if earlier is not None:
        chosen = next((o for o in decision.options if o.earlier_id == earlier.item.id), None)
        shared = readable_terms(
            shared_terms(earlier.terms, later.terms, limit=4), f"{later.item.title}\n{later.item.text}"
        )
        same = (
            f"about the same event: {chosen.cos:.2f} alike in meaning" if chosen else "about the same event"
        )
        if shared:
            same += ", both name " + ", ".join(shared)
        out.append(same)
        days = max(0.0, (later.when - earlier.when) / 86400)
        out.append(describe_gap(days))
        if earlier.language and later.language and earlier.language != later.language:
            out.append(f"claim in {earlier.language}, answer in {later.language}")
    else:
        out.append("one item reports both the claim and the answer")
    if decision.by_words:
        out.append(
            f"its words read as a dispute {decision.p:.2f}, with no dispute word the rules know "
            "(the wording model's score, not a calibrated probability)"
        )
    else:
        out.append(f"probability {decision.p:.2f} on news the model did not see (calibrated)")
    return tuple(out)


def trace(
    later: Reading,
    decision: Decision,
    *,
    candidates: Sequence[tuple[int, str, float, float, str]],
    thresholds: dict[str, float],
    outcome: str,
    wording: float | None = None,
) -> dict[str, Any]:
    """The stages of one item's analysis, as `items.trace` stores them for "why no alert?".

    `wording`: the wording model's second opinion on the item, when it was asked; an alert also
    needs it at `thresholds["wording"]` or above."""
    st = later.disputing
    statements = [
        {"kind": s.kind.value, "speaker": s.speaker.name if s.speaker else s.speaker_text, "cue": s.cue}
        for s in later.statements
    ]
    return {
        "stages": [
            {
                "stage": "statements",
                # informational: with none read, the meaning is still read and decided on
                "ok": True if later.statements else None,
                "why": f"{len(later.statements)} statement(s) read"
                if later.statements
                else "no attributed statement",
                "statements": statements[:6],
                "language": later.language,
            },
            {
                "stage": "cue",
                "ok": True if st is not None else None,
                "why": f'{st.kind.value} cue "{st.cue}"'
                if st is not None and st.cue
                else "no denial, retraction or correction words (meaning still read)",
            },
            {
                "stage": "candidates",
                "ok": bool(candidates),
                "why": f"{len(candidates)} earlier item(s) near in meaning or by the disputed actor"
                if candidates
                else "no earlier item near in meaning",
                "candidates": [
                    {"item_id": i, "score": round(p, 3), "title": title[:120], "via": via, "cos": round(c, 3)}
                    for i, via, c, p, title in candidates[:8]
                ],
            },
            {
                "stage": "decision",
                "ok": decision.label != "none" and decision.p >= thresholds.get("review", 0.0),
                "why": _decision_why(decision, thresholds.get("review", 0.0)),
                "decision": {
                    "label": decision.label,
                    "p": round(decision.p, 3),
                    "earlier_item_id": decision.earlier_id,
                    "alone_p": round(decision.single_p, 3),
                },
                "options": [{"item_id": o.earlier_id, "p": round(o.p, 3)} for o in decision.options[:6]],
            },
            {
                "stage": "score",
                "ok": decision.p >= thresholds.get("alert", 1.0)
                and words_agree(wording, thresholds.get("wording", 0.0)),
                "why": f"{_versus(decision, thresholds)}{_words_versus(wording, thresholds)}: {outcome}",
                "thresholds": thresholds,
                **({"wording": round(wording, 3)} if wording is not None else {}),
            },
        ]
    }


def _decision_why(d: Decision, review: float) -> str:
    where = f"answers item {d.earlier_id}" if d.earlier_id is not None else "reports both sides itself"
    if d.declined_link is not None:
        p = next((o.p for o in d.options if o.earlier_id == d.declined_link), 0.0)
        where += (
            f" (not linked to item {d.declined_link} at {p:.2f}: it states nothing to dispute,"
            f" and such a link needs {LINK_SURE:.2f})"
        )
    if d.by_words:
        return f"{d.label}, {where}, read from its words alone: {d.p:.2f} (alone the model read {d.single_p:.2f})"
    if d.label == "none" or d.p < review:
        return f"not a dispute: the likeliest reading ({d.label}, {where}) has probability {d.p:.2f}"
    return f"{d.label}, {where}, probability {d.p:.2f}"


def _versus(d: Decision, thresholds: dict[str, float]) -> str:
    """'probability 0.83 ≥ alert threshold 0.60' and the like (a dispute read from the words
    alone has the wording model's score, not a probability)."""
    alert, review = thresholds.get("alert", 1.0), thresholds.get("review", 0.0)
    what = f"{'words-alone score' if d.by_words else 'probability'} {d.p:.2f}"
    if d.p >= alert:
        return f"{what} ≥ alert threshold {alert:.2f}"
    if d.p >= review:
        return f"{what} < alert threshold {alert:.2f}, ≥ review threshold {review:.2f}"
    return f"{what} < review threshold {review:.2f}"


def _words_versus(wording: float | None, thresholds: dict[str, float]) -> str:
    """'; its words read as a dispute 0.12 < wording threshold 0.20' and the like."""
    if wording is None or "wording" not in thresholds:
        return ""
    sign = "≥" if words_agree(wording, thresholds.get("wording", 0.0)) else "<"
    return f"; its words read as a dispute {wording:.2f} {sign} wording threshold {thresholds['wording']:.2f}"


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


__all__ = ["describe_gap", "make_topic", "reasons", "trace"]
