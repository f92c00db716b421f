"""The alert headline: status, who made the claim, and the gist of the claim in its own words.

    Disputed: ICE's claim that its agents led raids on three drug labs in Sinaloa
    Retracted: Lyon police statement that the officer confronted the gunman
    Disputed: the Kremlin's account of the talks in Geneva
    Disputed: Mexican presidency's claim “el operativo fue encabezado por la Fiscalía”

Rules (the alert wording tests check them on a table of real-shaped items):
- the gist comes from the CLAIM's own words: its statement or headline when the claim is an
  item of its own; when one item reports both sides, the words that item gives as the claim
  ("rejects ICE's claim that ..."). Never from a denial, never from another story;
- it starts where a sentence or a reported clause starts (after "X said that", "según X,"),
  never mid-sentence, and a clause that starts with a verb is not used at all;
- English claims read as a clause ("claim that ..."); claims in other languages, and headlines
  in Title Case, are quoted as they are, so no words are put in anyone's mouth;
- at most `HEADLINE_MAX` characters, cut at a clause boundary when possible, else at a word
  with "…"; possessives follow the name ("ICE's", "the Houthis'", "police statement",
  "claim by Mexico's GNR").

The lexicons (reporting verbs, claim nouns, what denials call a claim) are data:
`bot/alerts/data/headline.toml`, per language of the claim.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.text import base_language
from bot.types import DisputeStatus, Evidence

__all__ = ["HEADLINE_MAX", "Gist", "build_headline", "claim_gists", "owner_phrase", "possessive"]

HEADLINE_MAX = 90
DATA_FILE = Path(__file__).with_name("data") / "headline.toml"

STATUS_WORDS: dict[DisputeStatus, str] = {
    DisputeStatus.DISPUTED: "Disputed",
    DisputeStatus.CONFIRMED: "Disputed",  # the desk's confirmation is shown with the counts
    DisputeStatus.RETRACTED: "Retracted",
    DisputeStatus.CORRECTED: "Corrected",
    DisputeStatus.DISMISSED: "Not a dispute",
    DisputeStatus.MUTED: "Muted",
}
# What the claim is called when its own words do not name it ("account", "figures").
_DEFAULT_NOUN = {DisputeStatus.RETRACTED: "statement", DisputeStatus.CORRECTED: "statement"}
_WORD_CHARS = r"[\w.'’&-]"
_QUOTES = "\"'“”«»„‘’"
# Pronouns and determiners that open a clause the English press leaves without "that"
# ("rejects ICE's claim it led the raids").
_IMPLICIT_THAT = frozenset("it its they their he his she her the a an no there".split())
_FIRST_PERSON = re.compile(r"\b(?:we|our|ours|us|I|my|me)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Gist:
    """What the claim says, and how the headline frames it.

    `form`: "that" (an English clause: "claim that ..."), "np" (a noun phrase after `link`:
    "account of ..."), "quote" (words quoted as they are). `noun` is the claim's own word for
    itself when the text has one ("account", "figures"). `anchored`: an attribution showed where
    the claim starts ("ICE said ...", "según X, ...", "rejects ICE's claim that ...").
    """

    text: str
    form: str
    noun: str | None = None
    link: str | None = None
    anchored: bool = True  # found through an attribution ("X said", "X:", "claim that"), not raw text


@dataclass(frozen=True, slots=True)
class _Lexicon:
    lang: str
    frame: re.Pattern[str]
    suffix: re.Pattern[str]
    according: re.Pattern[str]
    claim_noun: re.Pattern[str]
    nouns: dict[str, str]
    np_link: re.Pattern[str]
    clause_link: re.Pattern[str]
    denial: re.Pattern[str]
    breaks: tuple[str, ...]
    function_words: frozenset[str]
    statement_title: re.Pattern[str] | None


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _lexicon(lang: str, d: dict[str, Any]) -> _Lexicon:
    subject = rf"(?:{_WORD_CHARS}+ ){{0,7}}?{_WORD_CHARS}+"
    comp = _alt(d["complementiser"])
    free = _alt(d["frame_verbs"]) if d["frame_verbs"] else None
    bound = _alt(d["frame_verbs_that"]) if d["frame_verbs_that"] else None
    # words between the verb and "that" ("said on Tuesday that"): only when "that" follows
    mid = rf"(?: [^,.;:]{{1,40}}?)??,? (?:{comp}) ?"
    parts = []
    if free:  # "ICE says its unit ..." / "Die Polizei sagte, der Täter ..."
        parts.append(rf"(?:{free})(?:{mid}|,? )")
    if bound:  # "ICE announced that ..." / "la SSPC informó que ..."
        parts.append(rf"(?:{bound}){mid}")
    frame = re.compile(rf"^{subject} (?:{'|'.join(parts)})(?P<clause>\S.*)$", re.IGNORECASE)
    verbs = _alt(d["frame_verbs"] + d["frame_verbs_that"])
    suffix = re.compile(
        rf"^(?P<clause>.+?),\s+(?:(?:[^,.;:]{{2,60}}\s+)?(?:{verbs})(?:\s+[^,.;:]{{2,60}})?"
        rf"|(?:{_alt(d['according'])})\s+[^,.;:]{{2,60}})[.!]?$",
        re.IGNORECASE,
    )
    according = re.compile(rf"^(?:{_alt(d['according'])}) [^,]{{2,80}}, (?P<clause>\S.*)$", re.IGNORECASE)
    nouns = {k.casefold(): v for k, v in d["claim_nouns"].items()}
    claim_noun = re.compile(rf"(?<!\w)(?P<noun>{_alt(list(d['claim_nouns']))})(?!\w)", re.IGNORECASE)
    # words between the noun and the link: "claim by the ministry that", "Darstellung Moskaus zurück, wonach"
    by = r"(?: [^\s,;:.]+){0,4}?"
    np_link = re.compile(rf"^{by},? (?P<link>{_alt(d['np_links'])}) (?P<rest>\S.*)$", re.IGNORECASE)
    clause_link = re.compile(rf"^{by},? (?:{_alt(d['clause_links'])}) (?P<rest>\S.*)$", re.IGNORECASE)
    adverbs = r"(?:(?:completely|entirely|totally|absolutely|simply|also|totalmente|completamente|tout à fait|völlig) )?"
    denial = re.compile(
        rf"\s+(?:{_alt(d['copulas'])})\s+{adverbs}(?:{_alt(d['false_words'])})(?!\w)", re.IGNORECASE
    )
    titles = d.get("statement_titles") or []
    statement_title = (
        re.compile(
            rf"^(?:{_alt(titles)})(?: (?:by|from) [^,;:]{{1,60}}?)? (?P<link>{_alt(d['np_links'])}) (?P<rest>\S.*)$",
            re.IGNORECASE,
        )
        if titles and lang == "en"
        else None
    )
    return _Lexicon(
        lang=lang,
        frame=frame,
        suffix=suffix,
        according=according,
        claim_noun=claim_noun,
        nouns=nouns,
        np_link=np_link,
        clause_link=clause_link,
        denial=denial,
        breaks=tuple(d["clause_breaks"]),
        function_words=frozenset(w.casefold() for w in d["function_words"]),
        statement_title=statement_title,
    )


@lru_cache(maxsize=1)
def _lexicons() -> dict[str, _Lexicon]:
    data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    return {lang: _lexicon(lang, d) for lang, d in data.items()}


def _lex(lang: str | None) -> _Lexicon:
    lexicons = _lexicons()
    return lexicons.get(base_language(lang) or "en", lexicons["en"])


# --- names ----------------------------------------------------------------------------------


def possessive(name: str) -> str:
    """ "ICE" -> "ICE's", "the Houthis" -> "the Houthis'", "U.S. Congress" -> "U.S. Congress's"."""
    if name.endswith(("'s", "’s", "'", "’")):
        return name
    if name.endswith("s") and not name.endswith("ss"):
        return name + "'"
    return name + "'s"


def owner_phrase(owner: str, noun: str) -> str:
    """Who made the claim, with the claim's noun: "ICE's claim", "Lyon police statement",
    "claim by Mexico's GNR" (a name that is already a possessive, or ends in a prepositional
    phrase, takes "by")."""
    owner = " ".join(owner.split()) or "unknown speaker"
    if re.search(r"['’]s\b| (?:in|of|for|at) ", owner):  # "Japanese embassy in Iraq's claim" reads wrong
        return f"{noun} by {owner}"
    if owner.split()[-1].casefold() == "police":
        return f"{owner} {noun}"
    return f"{possessive(owner)} {noun}"


# --- finding the gist ------------------------------------------------------------------------


def _clean(text: str) -> str:
    t = " ".join((text or "").split())
    return t.strip().strip(_QUOTES).strip()


def _first_sentence(text: str) -> str:
    m = re.search(r"(?<!\b[A-Z])(?<!\b[A-Z][a-z])(?<!\bU\.S)[.!?](?=\s+[\"“«¿¡(]?[A-ZÀ-Þ0-9])", text)
    return text[: m.start()] if m else text


def _cut_denial(text: str, lex: _Lexicon) -> str:
    """The claim's words end where a denial's verdict on them starts ("... was false")."""
    m = lex.denial.search(text)
    return text[: m.start()] if m else text


def _tail_clean(text: str) -> str:
    t = text.strip().rstrip(" ,;:.!—–-")
    return t.strip(_QUOTES).strip().rstrip(" ,;:.!—–-")


def _title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text)]
    if len(words) < 4:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps >= 0.75 * len(words) and not all(w.isupper() for w in words)


def _starts_clause(text: str, lex: _Lexicon, *, after_complementiser: bool) -> bool:
    """True when `text` can open a clause: a capitalised word, a digit, a function word, or any
    word right after a complementiser."""
    m = re.match(r"[\"“«¿¡(]?([\w'’-]+)", text)
    if m is None:
        return False
    word = m.group(1)
    # After "that"/"que"/"dass" a clause may open with any word ("that officer confronted ...",
    # "que encabezó ..."); without one, a lower-case word is most likely a verb: mid-sentence.
    return (
        after_complementiser
        or word[0].isupper()
        or word[0].isdigit()
        or word.casefold() in lex.function_words
    )


def _strip_frame(text: str, lex: _Lexicon) -> tuple[str, bool]:
    """The claim without its attribution: (clause, whether a complementiser/frame opened it)."""
    t = text
    framed = False
    label = re.match(r"^[A-ZÀ-Þ][\w.'’&-]*(?: [\w.'’&-]+){0,4}: (?=\S)", t)
    if label:  # "ICE: ..." / "BREAKING: ..." / "Sinaloa: ...": what follows is said, not narrated
        t, framed = t[label.end() :], True
    for rx in (lex.according, lex.frame):
        m = rx.match(t)
        if m:
            t, framed = m.group("clause"), True
            break
    m = lex.suffix.match(t)
    if m and len(m.group("clause").split()) >= 3:
        t, framed = m.group("clause"), True
    return t, framed


def _own_words(text: str, lex: _Lexicon) -> Gist | None:
    """The gist of a claim item's headline or statement."""
    t = _clean(text)
    if not re.match(r"[\"“«¿¡(]?[^\W_]", t) or not (
        t.lstrip(_QUOTES + "¿¡(")[:1].isupper() or t[:1].isdigit()
    ):
        return None  # a fragment that starts mid-sentence ("its troops had ...")
    t = _first_sentence(t)
    if lex.statement_title is not None:
        m = lex.statement_title.match(t)
        if m:  # "Statement on the Sinaloa operation"
            return Gist(_tail_clean(m.group("rest")), "np", noun="statement", link=m.group("link").lower())
    clause, framed = _strip_frame(t, lex)
    clause = _tail_clean(_cut_denial(clause, lex))
    if len(clause.split()) < 2 or not _starts_clause(clause, lex, after_complementiser=framed):
        return None
    if lex.lang == "en" and not _title_case(clause) and not _FIRST_PERSON.search(clause):
        return Gist(clause, "that", anchored=framed)
    return Gist(clause, "quote", anchored=framed)  # "our unit led ...": the speaker's voice stays quoted


def _reported(text: str, lex: _Lexicon) -> Gist | None:
    """The claim as an item that reports both sides gives it: "rejects ICE's claim that ..."."""
    t = _clean(text)
    for m in lex.claim_noun.finditer(t):
        noun = lex.nouns.get(m.group("noun").casefold(), "claim")
        after = t[m.end() :]
        np = lex.np_link.match(after)
        cl = lex.clause_link.match(after)
        if np:
            rest, form, link = np.group("rest"), "np", np.group("link").lower()
        elif cl:
            rest, form, link = cl.group("rest"), "that", None
        elif lex.lang == "en" and (
            (w := re.match(r" ([\w'’]+)", after)) and w.group(1).casefold() in _IMPLICIT_THAT
        ):
            rest, form, link = after.strip(), "that", None
        else:
            continue
        rest = _tail_clean(_cut_denial(_first_sentence(rest), lex))
        if len(rest.split()) < 2:
            continue
        if form == "that" and not _starts_clause(rest, lex, after_complementiser=cl is not None):
            continue
        if lex.lang != "en":
            form, link = "quote", None
        elif form == "np" and link not in ("of", "on", "about"):
            link = "on"  # "regarding", "concerning", "over": one plain preposition in headlines
        return Gist(rest, form, noun=noun, link=link)
    return None


def claim_gists(claim: Evidence, *, single_item: bool, language: str | None) -> list[Gist]:
    """Candidate gists of the claim, best first (the statement before the headline)."""
    lex = _lex(language)
    sources = [claim.quote, claim.title] if claim.quote != claim.title else [claim.quote]
    found: list[Gist] = []
    for src in sources:
        g = _reported(src, lex) if single_item else _own_words(src, lex)
        if g is not None and g not in found:
            found.append(g)
    return found


# --- fitting -----------------------------------------------------------------------------------


def _fit(text: str, budget: int, lex: _Lexicon) -> str | None:
    """`text` in at most `budget` characters: whole, else cut at a clause boundary, else at a
    word with "…" (never ending on a function word). None when too little would be left."""
    if len(text) <= budget:
        return text
    cuts = [i for b in lex.breaks for i in _find_all(text, b) if budget // 2 <= i <= budget]
    cuts += [m.start() for m in re.finditer(r",", text) if budget * 2 // 3 <= m.start() <= budget]
    if cuts:
        return _tail_clean(text[: max(cuts)])
    words = text[: budget - 1].split(" ")
    if len(text) > budget - 1 and text[budget - 1 : budget] not in (" ", ""):
        words = words[:-1]  # the last word was cut through
    while words and (words[-1].casefold().strip(",;:") in lex.function_words or not words[-1].strip(",;:")):
        words.pop()
    if len(words) < 2:
        return None
    return _tail_clean(" ".join(words)) + "…"


def _find_all(text: str, needle: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(needle), text)]


def _lower_first(text: str, lex: _Lexicon) -> str:
    """ "The unit led ..." -> "the unit led ..." after "that" (function words only; names keep case)."""
    m = re.match(r"([\w'’]+)", text)
    if m and m.group(1).casefold() in lex.function_words and m.group(1)[1:].islower() and m.group(1) != "I":
        return text[:1].lower() + text[1:]
    return text


def build_headline(
    status: DisputeStatus,
    owner: str,
    claim: Evidence,
    *,
    single_item: bool,
    language: str | None = None,
    limit: int = HEADLINE_MAX,
) -> str:
    """The headline of a dispute's alert, at most `limit` characters.

    `owner`: the claimant's short name (`bot.alerts.names`); `claim`: the claim's evidence;
    `single_item`: the claim was found inside an item that also reports the denial;
    `language`: the claim's language (the lexicon used to read it).
    """
    lex = _lex(language)
    word = STATUS_WORDS[status]
    default_noun = _DEFAULT_NOUN.get(status, "claim")
    best: tuple[tuple[bool, int], str] | None = None
    for gist in claim_gists(claim, single_item=single_item, language=language):
        phrase = owner_phrase(owner, gist.noun or default_noun)
        if gist.form == "quote":
            head, tail = f"{word}: {phrase} “", "”"
        else:
            head, tail = f"{word}: {phrase} {gist.link if gist.form == 'np' else 'that'} ", ""
        text = _fit(gist.text, limit - len(head) - len(tail), lex)
        if not text:
            continue
        text = text if gist.form == "quote" else _lower_first(text, lex)
        # Words whose start an attribution showed beat raw text; then the one that says most
        # (a cut with "…" pays for what it leaves out).
        rank = (gist.anchored, len(text.split()) - (3 if text.endswith("…") else 0))
        if best is None or rank > best[0]:
            best = (rank, f"{head}{text}{tail}")
    if best is not None:
        return best[1]
    plain = f"{word}: {owner_phrase(owner, default_noun)}"
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"
