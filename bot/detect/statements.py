"""Who said what: statements (claims, denials, retractions, corrections) in one stored item.

- An item from an `official` feed is a statement by its feed's actor.
- In news items, attributed statements are found in the title and each sentence of the text:
  a cue ("denied", "desmintió", "dementiert") with its subject (the speaker: the nearest actor
  before the cue in the same clause, or "according to X", "..., says X", "Headline: X") and,
  for denials, the object (the target: "ICE's post", "Russian claim", "desmiente a Bolsonaro",
  "a newspaper report", "social media rumours").
- A denial whose target is official also yields the reported claim as a CLAIM statement by the
  target, so one news item that reports both sides can build a dispute on its own.

Non-official targets are kept (target_kind "media" / "rumour" / "person" / "armed_group") so the
detector can store them without alerting.

The words (speech verbs, claim nouns, attributions, articles ...) are data, one file per language
(`data/statements/<language>.toml`, read through `lexicons.py`); the patterns that place them are
here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.detect.actors import Context, Gazetteer, Mention
from bot.detect.cues import CUE_LANGUAGES, Cue, CueKind, find_cues
from bot.detect.languages import detect_language
from bot.detect.lexicons import load_lexicon
from bot.text import (
    LANGUAGES,
    base_language,
    fold_keep_offsets,
    guess_language,
    normalise_space,
    split_sentences,
)
from bot.types import Actor, ActorType, FeedKind, Item, Statement, StatementKind

__all__ = ["extract_statements", "said_in_headline", "target_kind_of"]

_LEX = load_lexicon("statements")
# languages beyond the five with words of their own for both readers (cue and statement files)
_READ_LANGUAGES = frozenset(_LEX.languages) & CUE_LANGUAGES - set(LANGUAGES)


def _alt(name: str) -> str:
    """List `name` of every language's file, as the inside of a regex alternation."""
    return _LEX.alt(name)


_KIND = {
    CueKind.CLAIM: StatementKind.CLAIM,
    CueKind.DENIAL: StatementKind.DENIAL,
    CueKind.RETRACTION: StatementKind.RETRACTION,
    CueKind.CORRECTION: StatementKind.CORRECTION,
    CueKind.CONFIRMATION: StatementKind.CONFIRMATION,
}

# Nouns naming something said.
_CLAIM_NOUN = f"(?:{_alt('claim_noun')})"
_ART_ANY = f"(?:{_alt('article')}|{_alt('indefinite')}) "
# "rebuts report on Syria pullout": a report of no named origin (an accusation has an accuser)
_REPORT_WORDS = f"(?:{_alt('report_word')})"
_UNSOURCED_REPORT = re.compile(rf"\W*(?:{_ART_ANY})?(?:[\w-]+ )?{_REPORT_WORDS}\b")
_OUTLET_NOUN = re.compile(rf"\b(?:{_alt('outlet')})\b")
_REVELATIONS = re.compile(rf"\b(?:{_alt('revelation')})\b")
_REPORT_ABOUT = re.compile(rf"\b{_REPORT_WORDS} (?:{_alt('about')}) (?:(?:{_alt('article_singular')}) )?$")
_REPORT_WORD = re.compile(rf"\b{_REPORT_WORDS}\b")
_ART = f"(?:{_LEX.spaced('article')})?"

# What a denial may target that is not an official statement.
_MEDIA_WORDS = re.compile(rf"\b(?:{_alt('media')})\b")
# Words that say something was claimed without vouching for it ("alleged", "angebliche"), as
# against rumour proper (hoaxes, viral posts, fake news).
_ALLEGED = re.compile(rf"\b(?:{_alt('alleged')})\b")
_RUMOUR_PROPER = re.compile(rf"\b(?:{_alt('rumour')})\b")
_RUMOUR_WORDS = re.compile(rf"\b(?:{_alt('rumour_word')})\b")
_PERSON_WORDS = re.compile(rf"\b(?:{_alt('person')})\b")
# "in response to X", "after X said" ...: who the item says made the claim being answered.
_RESPONSE = re.compile(rf"\b(?:{_alt('response')})\b")
_ACCORDING = re.compile(
    rf"\b(?:{_alt('according')})\s+"
    # "according to a statement from Nigeria's army", "según un comunicado de la Cancillería"
    rf"(?:(?:{_alt('statement_article')}) (?:{_alt('statement_doc')}) (?:{_alt('statement_from')}) )?"
    rf"(?:{_LEX.spaced('according_article')})?$"
)
_ZUFOLGE = re.compile(rf"^\s*(?:{_alt('according_after')})\b")
# "says"/"claims" as a verb, not the noun after a possessive or article ("ICE's claim", "the claims")
_NOT_A_NOUN = "(?<!'s )(?<!' )" + "".join(rf"(?<!\b{w} )" for w in _LEX.words("noun_determiner"))
_SAYS_AFTER = re.compile(
    r"^[\s,]*(?:\"|'|\u00bb|\u201d|\u201c|\u2019)?[\s,]*"
    rf"(?:{_alt('says_after')})\s+(?:(?:{_alt('says_article')})\s+)?$"
)
_PREPOSITION_BEFORE = re.compile(rf"(?:\b(?:{_alt('preposition')})\s+{_ART})$")
# Prepositions that make an actor the agent, source or place of something else ("kidnapped by
# ISIS", "a blog from the US", "fighters in Syria"); not "of"/"de"/"do", which mark an owner
# ("o balanço do ministério" is the ministry's).
_NOT_SPEAKER_BEFORE = re.compile(rf"\b(?:{_alt('agent_preposition')})\s+{_ART}$")
# A full stop ends a clause, except after a title's abbreviation ("Army spokesman Col. Ali denies").
_TITLE_ABBREV = "".join(rf"(?<!\b{a})" for a in _LEX.words("title_abbreviation"))
_CLAUSE_BREAK = re.compile(
    rf"[;:\u2014]| - |(?<=\w{{2}})(?=\.\s){_TITLE_ABBREV}\.\s|\b(?:{_alt('clause_conjunction')})\b|, (?:{_alt('and')}) "
)


# Copulas, and predicates that deny what comes before them, like "is false": "the raid never happened"
_COPULA = re.compile(rf"^(?:{_alt('copula')})\b")
_SPEECH_VERB = re.compile(rf"{_NOT_A_NOUN}\b(?:{_alt('speech_verb')})\b")
_CALLS = re.compile(rf"(?:{_alt('calls')})\w*")
# Cues that set a statement against the facts: the actor after them is the disputed one.
_CONTRAST = re.compile(rf"(?:{_alt('contrast')})\b")
# A relative pronoun right before a cue: the cue is said of the noun before the pronoun, which
# is the subject found only when nothing else stands between them ("Obama, who misled ...").
_RELATIVE_BEFORE = re.compile(rf"\b(?:{_alt('relative_pronoun')})\s+$")
_RELATIVE_ONLY = re.compile(rf",?\s*(?:{_alt('relative_pronoun')})\s+")
# "X falsely claimed", "misrepresenting": the cue accuses its own subject.
_ACCUSES_SUBJECT = re.compile(f"(?:{_alt('accuses_subject')})")
_PASSIVE_BEFORE = re.compile(rf"\b(?:{_alt('passive_aux')})\s+$")
# "by the ministry", "dall'ambasciata": an elided agent runs into the next word
_PASSIVE_AGENT = re.compile(rf"^\s+(?:{_alt('agent')})(?:\s|(?<='))")
_PARTICIPLE = re.compile(f"(?:{_alt('participle')})$")
_SPEECH = re.compile(rf"{_NOT_A_NOUN}\b(?:{_alt('speech')})\b")


@dataclass(frozen=True, slots=True)
class _Unit:
    """A sentence (or the headline) with its offset in the item's text."""

    text: str
    headline: bool
    index: int


@dataclass(frozen=True, slots=True)
class _Target:
    actor: Actor | None
    text: str | None
    kind: str | None
    denied: str | None
    start: int  # where in the sentence the denied thing starts (for the reported claim)
    inferred: bool = False  # guessed from the other country in the sentence, not named as owner


def _normalise_language(item: Item) -> str | None:
    lang = base_language(item.language)
    if lang in LANGUAGES or lang in _READ_LANGUAGES:  # a declared language the readers have words for
        return lang
    if not lang:
        # an untagged item: the language identifier first, whose guess counts here only for the
        # readers' other languages ("it", "pl", "tr"...). The five-language guess below places
        # most of those in one of its five from shared stop words and letters (on the written
        # stories' untagged items, 17 % of Italian and 5 % of Polish headlines kept their language).
        other = detect_language(f"{item.title}. {item.text[:400]}")
        if other in _READ_LANGUAGES:
            return other
    guessed = guess_language(f"{item.title}. {item.text[:600]}")
    if guessed in LANGUAGES:
        return guessed
    return lang or None


def target_kind_of(actor: Actor | None) -> str | None:
    """'official' | 'media' | 'armed_group' | 'person' for an actor (None for no actor)."""
    if actor is None:
        return None
    if actor.official:
        return "official"
    if actor.type is ActorType.MEDIA:
        return "media"
    if actor.type is ActorType.ARMED_GROUP:
        return "armed_group"
    if actor.type is ActorType.OTHER:
        return "other"  # NGOs, sports bodies: not official, not a private person either
    return "person"


def extract_statements(item: Item, gazetteer: Gazetteer) -> list[Statement]:
    """The statements one item makes or reports, most telling first. Pure and CPU-bound."""
    language = _normalise_language(item)
    # The headline's first country is usually the protagonist's; the whole text breaks ties.
    hint = gazetteer.context(item.title, item.text, language)
    if item.feed_kind is FeedKind.OFFICIAL or str(item.feed_kind) == "official":
        if item.shared and not item.original_author:
            return []  # an account's repost or quote of an unknown author: nobody's statement
        return _official_item(item, gazetteer, language, hint)
    units = _units(item)
    out: list[Statement] = []
    lead: Actor | None = None  # the headline's speaker: "the spokesman" in the text is theirs
    # whom a sentence opening with "It"/"They" means: the actor the sentence before opened with
    # ("The ministry issued a note. It said ...")
    opener: Actor | None = None
    for unit in units:
        found = _from_unit(item, unit, gazetteer, language, hint, lead, opener)
        speaker = next((s.speaker for s in found if s.speaker is not None), None)
        if unit.headline:
            lead = speaker
        opener = speaker or _opening_actor(unit.text, gazetteer, hint)
        out.extend(found)
    out = _fill_targets_from_context(item, out, units, gazetteer, hint)
    out += _numeric_contradictions(item, out, units, gazetteer, language, hint)
    out = _media_clarifications(item, out)
    out = _share_nonofficial_targets(out)
    out = _add_reported_claims(out)
    return _dedupe(out)


def _opening_actor(text: str, gazetteer: Gazetteer, hint: Context) -> Actor | None:
    """The official actor a sentence opens with ("Brazil's health ministry issued a note")."""
    mentions = gazetteer.mentions(text, country=hint)
    first = mentions[0] if mentions else None
    if first is None or not first.actor.official or first.actor.type is ActorType.MEDIA:
        return None
    return first.actor if re.fullmatch(rf"\W*{_ART}\s*", fold_keep_offsets(text[: first.span[0]])) else None


# "It said", "Ils ont démenti"; not the "it" of "it is false", "it has been rumoured", "il y a"
_PRONOUN_SUBJECT = re.compile(rf"\W*(?:{_alt('subject_pronoun')})\s(?!(?:{_alt('not_after_pronoun')})\b)")


# --- official feeds -------------------------------------------------------------------------------


def _official_item(item: Item, gazetteer: Gazetteer, language: str | None, hint: Context) -> list[Statement]:
    # a repost or quote on an account feed is its original author's, not the feed actor's
    name = (item.original_author or item.feed_actor or item.feed_name or "").strip()
    speaker = (
        (gazetteer.get(name) or gazetteer.resolve(name, language=language, country=hint)) if name else None
    )
    if speaker is None and name:
        who = ActorType.PERSON if item.original_author else ActorType.OFFICIAL  # unknown: not official
        speaker = Actor(key=f"name:{fold_keep_offsets(name)}", name=name, type=who)
    units = _units(item)[:3]  # what an official post does is in its title and first lines
    best: tuple[Cue, _Unit] | None = None
    for unit in units:
        for c in find_cues(unit.text, language):
            if c.active and c.kind is not CueKind.CLAIM and (best is None or _rank(c) > _rank(best[0])):
                best = (c, unit)
    quote = _quote(item)
    if best is None or best[0].kind is CueKind.CONFIRMATION:
        kind = StatementKind.CONFIRMATION if best else StatementKind.CLAIM
        return [
            Statement(
                item_id=item.id, kind=kind, speaker=speaker, speaker_text=name, quote=quote,
                language=language, cue=best[0].words if best else None, score=0.9,
            )
        ]  # fmt: skip
    cue, unit = best
    mentions = gazetteer.mentions(unit.text, country=hint)
    target = _find_target(unit.text, cue, mentions, speaker, gazetteer)
    kind = _KIND[cue.kind]
    if kind in (StatementKind.RETRACTION, StatementKind.CORRECTION):
        other = target.actor is not None and not _same_side(target.actor, speaker)
        if other and not cue.self_directed and cue.kind is CueKind.CORRECTION:
            kind = StatementKind.DENIAL
        else:
            target = _Target(speaker, name, target_kind_of(speaker), target.denied, target.start)
    st = Statement(
        item_id=item.id, kind=kind, speaker=speaker, speaker_text=name, quote=quote, language=language,
        cue=cue.words, target=target.actor, target_text=target.text, score=round(min(0.97, 0.55 + 0.4 * cue.strength), 3),
        target_kind=target.kind, denied=target.denied, cue_group=cue.group,
    )  # fmt: skip
    return _add_reported_claims([st])


def _rank(c: Cue) -> tuple[int, float]:
    order = {
        CueKind.RETRACTION: 4,
        CueKind.CORRECTION: 3,
        CueKind.DENIAL: 2,
        CueKind.CONFIRMATION: 1,
        CueKind.CLAIM: 0,
    }
    return order[c.kind], c.strength


def _quote(item: Item) -> str:
    title = normalise_space(item.title)
    if title:
        return title[:_QUOTE_CHARS]
    spans = split_sentences(item.text)
    return normalise_space(item.text[spans[0][0] : spans[0][1]])[:_QUOTE_CHARS] if spans else ""


def said_in_headline(st: Statement, item: Item) -> bool:
    """Whether the rules read `st` in the item's headline (its quote is the headline's)."""
    return bool(item.title.strip()) and st.quote == _quote(item)


# --- news items -----------------------------------------------------------------------------------


# A statement keeps this much of the sentence or headline carrying it (`Statement.quote`).
_QUOTE_CHARS = 500

# A news item's news is in its headline and first paragraphs; further down, long articles
# retell background ("the ministry had earlier denied ...", old hoaxes, quotes of quotes) that
# would raise alerts about other stories.
LEAD_SENTENCES = 8


def _units(item: Item) -> list[_Unit]:
    units: list[_Unit] = []
    title = normalise_space(item.title)
    if title:
        units.append(_Unit(title, True, 0))
    for i, (a, b) in enumerate(split_sentences(item.text[:20000]), start=1):
        s = normalise_space(item.text[a:b])
        if s and fold_keep_offsets(s) != fold_keep_offsets(title):
            units.append(_Unit(s, False, i))
        if len(units) > LEAD_SENTENCES:
            break
    return units


# A sentence whose subject points back to the headline's speaker ("It denied ...", "The
# spokesman said ...", "Later, officials admitted ..."), or that has no subject before its verb.
_BACK_REFERENCE = re.compile(
    rf"^(?:(?:{_alt('back_opener')})[, ]+)*"
    rf"(?:(?:{_alt('back_pronoun')})\b|"
    rf"(?:{_alt('back_determiner')})\s+(?:[\w-]+\s+){{0,2}}?(?:{_alt('back_noun')})\b|$)"
)


# An opening phrase of place, time or source ("In a post on X,", "Según el comunicado,").
_OPENING_PHRASE = re.compile(rf"^(?:(?:{_alt('opening')})\b[^,]{{0,60}},\s*)+")


def _refers_back(before_cue: str) -> bool:
    """True when the words before a cue are a pronoun or role noun (or nothing): the headline's speaker."""
    words = _OPENING_PHRASE.sub("", before_cue.strip(" \"'«“”"))
    return _BACK_REFERENCE.match(words) is not None


# Admissions ("admits", "reconoce") are weak retraction cues: they need their own subject.
_WEAK_RETRACTION = 0.65
# Between an actor and the verb, a new noun phrase or clause means the verb has another subject.
_OTHER_SUBJECT_BETWEEN = re.compile(rf"\b(?:{_alt('new_subject')})\b")


def _from_unit(
    item: Item,
    unit: _Unit,
    gazetteer: Gazetteer,
    language: str | None,
    hint: Context,
    lead: Actor | None,
    opener: Actor | None = None,
) -> list[Statement]:
    """What one sentence (or the headline) says: a statement per disputing cue, else the claim it
    attributes ("X said ...", "according to X", "..., says X", "Headline: X")."""
    text = unit.text
    cues = find_cues(text, language)
    if not cues and not (unit.headline and ": " in text):
        return []
    mentions = gazetteer.mentions(text, country=hint)
    folded = fold_keep_offsets(text)
    out: list[Statement] = []
    for cue in (c for c in cues if c.active and c.kind is not CueKind.CLAIM):
        inverted = _inverted(folded, cue)
        if not inverted:
            out.append(_cue_statement(item, unit, folded, cue, mentions, gazetteer, lead, opener))
        elif (denial := _inverted_denial(item, unit, folded, cue, inverted, mentions)) is not None:
            out.append(denial)
    if not out:
        claim = _attributed_claim(item, unit, cues, mentions, language)
        if claim is not None:
            out.append(claim)
    return out


def _statement(
    item: Item,
    unit: _Unit,
    cue: Cue,
    kind: StatementKind,
    speaker: Actor | None,
    speaker_text: str,
    target: _Target,
    *,
    from_lead: bool = False,
) -> Statement:
    return Statement(
        item_id=item.id, kind=kind, speaker=speaker, speaker_text=speaker_text, quote=unit.text[:_QUOTE_CHARS],
        language=cue.language, cue=cue.words, target=target.actor, target_text=target.text,
        score=_score(cue, speaker, target, unit, from_lead, kind), target_kind=target.kind, denied=target.denied,
        cue_group=cue.group,
    )  # fmt: skip


def _inverted_denial(
    item: Item, unit: _Unit, folded: str, cue: Cue, inverted: str, mentions: list[Mention]
) -> Statement | None:
    """ "The police report was contradicted by videos" / "X falsely claimed ...": the subject is
    whose statement is disputed; the agent after "by" (if any), or who says so, disputes it."""
    text, cs = unit.text, cue.span[0]
    subj = _find_speaker(text, cue, mentions)
    source = None
    if subj is not None and _credited_source(folded, subj):
        # "Trump lied about the payments, according to prosecutors": the subject is accused, and
        # the source the item credits accuses him
        source, subj = subj, _main_subject(folded, mentions, cs)
    gap = folded[subj.span[1] : cs] if subj is not None else ""
    if _RELATIVE_BEFORE.search(gap) and not _RELATIVE_ONLY.fullmatch(gap):
        subj = None  # "Obama appoints a lawyer who lied": the lawyer lied, not Obama
    speaker, speaker_text = _inverted_speaker(text, folded, cue, inverted, subj, mentions)
    if speaker is None and source is not None:
        speaker, speaker_text = source.actor, text[source.span[0] : source.span[1]]
    if subj is not None and _REPORT_ABOUT.search(folded[: subj.span[0]]):
        subj = None  # "Reports of Dhaka curfew denied by police": Dhaka is what is reported on
    between = folded[subj.span[1] : cs] if subj is not None else folded[:cs]
    nonoff = _MEDIA_WORDS.search(between) or _RUMOUR_WORDS.search(between)
    if nonoff is not None:
        kind = "media" if _MEDIA_WORDS.search(between) else "rumour"
        start = subj.span[1] + nonoff.start() if subj else nonoff.start()
        target = _Target(None, text[start:][:40], kind, None, 0)
    elif subj is not None:
        words = text[subj.span[0] : subj.span[1]]
        target = _Target(subj.actor, words, target_kind_of(subj.actor), text[:cs].strip()[:300], 0)
    elif speaker is not None:
        # "Les révélations du Canard enchaîné démenties par Matignon": the agent denies a thing
        # no actor owns; a report or revelation is the press's
        press = _REPORT_WORD.search(between) or _REVELATIONS.search(between)
        target = _Target(None, None, "media" if press else None, text[:cs].strip()[:300], 0)
    else:
        return None
    return _statement(item, unit, cue, StatementKind.DENIAL, speaker, speaker_text, target)


def _inverted_speaker(
    text: str, folded: str, cue: Cue, inverted: str, subj: Mention | None, mentions: list[Mention]
) -> tuple[Actor | None, str]:
    """Who disputes what an inverted cue's subject said: the passive's agent, or whoever says
    that the subject accused ("The agency's letter says Tesla made misleading statements")."""
    ce = cue.span[1]
    agent = next((m for m in mentions if m.span[0] >= ce and m.span[0] - ce <= 12), None)
    if inverted == "passive" and agent is not None and agent is not subj:
        return agent.actor, text[agent.span[0] : agent.span[1]]
    said = _SPEECH_VERB.search(folded, 0, subj.span[0]) if inverted == "accusation" and subj else None
    if said is None or subj is None:
        return None, ""
    pseudo = Cue(cue.kind, said.span(), text[said.start() : said.end()], cue.language, cue.strength)
    accuser = _find_speaker(text, pseudo, [m for m in mentions if m is not subj])
    return (accuser.actor, text[accuser.span[0] : accuser.span[1]]) if accuser is not None else (None, "")


def _cue_statement(
    item: Item,
    unit: _Unit,
    folded: str,
    cue: Cue,
    mentions: list[Mention],
    gazetteer: Gazetteer,
    lead: Actor | None,
    opener: Actor | None,
) -> Statement:
    """A cue read with its subject as the speaker: "X denies Y's claim", "Z corrects its figures"."""
    speaker, speaker_text, from_lead = _cue_speaker(unit, folded, cue, mentions, lead, opener)
    target = _find_target(unit.text, cue, mentions, speaker, gazetteer)
    kind = _KIND[cue.kind]
    if kind in (StatementKind.RETRACTION, StatementKind.CORRECTION):
        directed = target.actor is not None and not _same_side(target.actor, speaker) and target.start <= 25
        if directed and cue.kind is CueKind.CORRECTION and not cue.self_directed:
            kind = StatementKind.DENIAL  # "NWS corrects Trump": a contradiction by another party
        else:
            target = _Target(
                speaker, speaker_text or None, target_kind_of(speaker), target.denied, target.start
            )
    elif (
        kind is StatementKind.DENIAL
        and target.actor is not None
        and speaker is not None
        and target.actor.key == speaker.key
    ):
        target = _Target(None, None, None, target.denied, target.start)
    return _statement(item, unit, cue, kind, speaker, speaker_text, target, from_lead=from_lead)


def _cue_speaker(
    unit: _Unit, folded: str, cue: Cue, mentions: list[Mention], lead: Actor | None, opener: Actor | None
) -> tuple[Actor | None, str, bool]:
    """(speaker, the words naming it, whether it was taken from the headline or sentence before)."""
    cs = cue.span[0]
    speaker_m = _speaker_of_cue(unit.text, folded, cue, mentions, unit.headline)
    if (
        speaker_m is not None
        and cue.kind is CueKind.RETRACTION
        and cue.strength <= _WEAK_RETRACTION
        and _OTHER_SUBJECT_BETWEEN.search(
            # an aside between commas ("the army, which had denied it, now admits") is skipped
            re.sub(r",[^,]*,", " ", folded[speaker_m.span[1] : cs])
        )
    ):
        # "a blog from the US ... after its author admitted": someone else admits; an admission
        # counts only when the actor is the subject of it.
        speaker_m = None
    if speaker_m is not None:
        return speaker_m.actor, unit.text[speaker_m.span[0] : speaker_m.span[1]], False
    if lead is not None and not unit.headline and _refers_back(folded[:cs]):
        return lead, lead.name, True
    if opener is not None and not unit.headline and _PRONOUN_SUBJECT.match(folded):
        return opener, opener.name, True
    return None, "", False


def _speaker_of_cue(
    text: str, folded: str, cue: Cue, mentions: list[Mention], headline: bool
) -> Mention | None:
    """Who makes the statement a cue carries, by the cue's grammar."""
    cs, ce = cue.span
    copula = _COPULA.match(folded[cs:ce]) is not None
    speech = _SPEECH_VERB.search(folded, 0, cs) if copula else None
    if speech is not None:
        # "General Mills says a release naming Obama is a hoax": the speaker is who says it.
        said = Cue(cue.kind, speech.span(), text[speech.start() : speech.end()], cue.language, cue.strength)
        found = _find_speaker(text, said, mentions)
        if found is not None:
            return found
    if _CONTRAST.match(folded, cs):
        # "contrary to what the ministry said, ...": the actor after the cue is whose
        # statement is contradicted, never the speaker.
        named = next((m for m in mentions if ce <= m.span[0] <= ce + 40), None)
        return _find_speaker(text, cue, [m for m in mentions if m is not named])
    if copula:
        # "A video of the president's speech is fake": with no verb of saying, the actors
        # before "is fake" are what it is about; only "..., X said", "according to X" or a
        # headline's "X: ..." name who calls it false.
        colon = text.find(": ")
        credited = [
            m
            for m in mentions
            if m.span[0] >= ce
            or _according_before(folded, m)
            or (headline and colon > 0 and _credited_by_colon(colon, m))
        ]
        return _find_speaker(text, cue, credited)
    return _find_speaker(text, cue, mentions)


def _inverted(folded: str, cue: Cue) -> str | None:
    """'passive' for "was contradicted by", 'accusation' for "falsely claimed"; else None."""
    cs, ce = cue.span
    if cue.kind is CueKind.DENIAL and _ACCUSES_SUBJECT.match(folded[cs:ce]):
        return "accusation"
    if cue.kind in (CueKind.DENIAL, CueKind.CORRECTION) and _PASSIVE_BEFORE.search(
        folded[max(0, cs - 14) : cs]
    ):
        if _PASSIVE_AGENT.match(folded[ce : ce + 10]) or ce >= len(folded.rstrip(" .")) - 1:
            return "passive"
    # Headlines drop the auxiliary: "Pentagon's account contradicted by Afghan officials",
    # "Versión de la Sedena, desmentida por la CNDH".
    if (
        cue.kind in (CueKind.DENIAL, CueKind.CORRECTION)
        and _PARTICIPLE.search(folded[cs:ce])
        and _PASSIVE_AGENT.match(folded[ce : ce + 10])
    ):
        return "passive"
    return None


def _attributed_claim(
    item: Item, unit: _Unit, cues: list[Cue], mentions: list[Mention], language: str | None
) -> Statement | None:
    text = unit.text
    for cue in cues:
        if cue.kind is not CueKind.CLAIM:
            continue
        pre = fold_keep_offsets(text[max(0, cue.span[0] - 14) : cue.span[0]])
        if _PASSIVE_BEFORE.search(pre):
            continue  # "the UN is warned", "officials were told": who hears it, not who says it
        if _NOUN_BEFORE.search(pre) and _NOUN_CUE.match(fold_keep_offsets(cue.words)):
            continue  # "WHO investigates media reports ...": a noun, and the media's
        m = _possessor(text, cue, mentions) or _find_speaker(text, cue, mentions)
        if m is None or m.actor.type is ActorType.MEDIA:
            continue
        score = 0.45 + (0.2 if m.actor.official else 0.0) + (0.1 if unit.headline else 0.0)
        return Statement(
            item_id=item.id, kind=StatementKind.CLAIM, speaker=m.actor, speaker_text=text[m.span[0] : m.span[1]],
            quote=text[:_QUOTE_CHARS], language=cue.language, cue=cue.words, score=round(score, 3),
        )  # fmt: skip
    if unit.headline and mentions:
        # "Nos rodeó fuerza mayor: Durazo" / "Sedena: hubo precipitación": the colon attributes.
        colon = text.find(": ")
        if colon > 0:
            for m in mentions:
                if m.span[1] >= len(text) - 2 or (m.span[0] <= 2 and m.span[1] >= colon - 1):
                    return Statement(
                        item_id=item.id, kind=StatementKind.CLAIM, speaker=m.actor,
                        speaker_text=text[m.span[0] : m.span[1]], quote=text[:_QUOTE_CHARS], language=language,
                        score=0.55 if m.actor.official else 0.4,
                    )  # fmt: skip
    return None


def _possessor(text: str, cue: Cue, mentions: list[Mention]) -> Mention | None:
    """Who owns a claim named by a noun: "Trump's latest Amazon claim" is Trump's, and the name
    between the possessive and the noun says what the claim is about, not who makes it
    (`_OWNED_BY_POSSESSIVE`, the possessive half of what owns a denial's target)."""
    folded = fold_keep_offsets(text)
    before = (m for m in reversed(mentions) if m.span[1] <= cue.span[0])
    return next((m for m in before if _OWNED_BY_POSSESSIVE.fullmatch(folded, m.span[1], cue.span[1])), None)


# What may open a clause whose subject is the previous clause's: conjunctions, time adverbs,
# auxiliaries and subject pronouns ("; antes había negado", ", and it later denied").
_CONTINUATION = re.compile(rf"\s*(?:(?:{_alt('continuation')})\s+)*")


def _main_subject(folded: str, mentions: list[Mention], end: int) -> Mention | None:
    """The first subject-like actor mention of the sentence before `end` (not after a preposition)."""
    for m in mentions:
        if m.span[1] > end:
            break
        if m.actor.type is ActorType.MEDIA or _PREPOSITION_BEFORE.search(
            folded[max(0, m.span[0] - 25) : m.span[0]]
        ):
            continue
        if _CLAUSE_BREAK.search(folded, 0, m.span[0]) is None:
            return m  # only a subject that opens the sentence's first clause
        return None
    return None


# Words before "reports"/"claims" that make them nouns ("media reports", "the claims").
_NOUN_BEFORE = re.compile(rf"\b(?:{_alt('noun_before')})\s+$")
_NOUN_CUE = re.compile(f"(?:{_alt('noun_cue')})")
_ARTICLE_AT_END = re.compile(rf"(?:{_alt('quote_article')}) $")
_SAID_TAIL = re.compile(rf"^[\s,]*(?:{_alt('said_tail')})\b")
_SAID_AFTER_NAME = re.compile(rf"^\s*(?:{_alt('said_after_name')})\b")
# Where what a denial denies ends: the end of its clause.
_TARGET_END = re.compile(
    rf";|(?<=\w{{2}})\.\s|\s-\s|\u2014|, (?:{_alt('saying')}|{_alt('and')})\b|\b(?:{_alt('but')})\b"
)
# "denied on X", "en la conferencia": a venue between a cue and an actor
_VENUE = re.compile(rf"\b(?:{_alt('venue')})\s+\S*\s*$")
_PRONOUN_OBJECT = re.compile(rf"\s*(?:{_alt('object_pronoun')})\s*")
_DIRECT_OBJECT = re.compile(rf"\s*(?:{_alt('object_article')})?\s*")
_STATE_MEDIA = re.compile(rf" \w*(?:{_alt('state_media')})\b")
_CLAIMANT_VERB = re.compile(rf"^ (?:{_alt('claimant_verb')})\b")
_CLAIMED_CONTENT = re.compile(rf"\b(?:{_alt('that')})\s+(.+)$", re.IGNORECASE)
_OPEN_QUOTES = ('"', "“", "«")
_CLOSE_QUOTE = re.compile(r"[\"”»]")


def _quoted_speaker(text: str, folded: str, cs: int, mentions: list[Mention]) -> Mention | None:
    """Who is credited with a quotation the cue sits in: '"... is false," said the DHS spokesman'."""
    opened = max(text.rfind(q, 0, cs) for q in _OPEN_QUOTES)
    if opened < 0 or _CLOSE_QUOTE.search(text, opened + 1, cs) is not None:
        return None  # the cue is not inside a quotation
    close = _CLOSE_QUOTE.search(text, cs)
    if close is None:
        return None
    for m in mentions:
        if m.span[0] <= close.start() or m.span[0] - close.end() > 45:
            continue
        # 'said a DHS spokeswoman': the article does not stand between verb and speaker
        gap = _ARTICLE_AT_END.sub("", folded[close.end() : m.span[0]])
        tail = folded[m.span[1] : m.span[1] + 20]
        if _SAYS_AFTER.search(gap) or _SAID_TAIL.match(tail):
            return m
    return None


def _governed(folded: str, m: Mention) -> bool:
    """True when a preposition makes the actor an agent, source or place ("by ISIS", "from the US")."""
    return _NOT_SPEAKER_BEFORE.search(folded[max(0, m.span[0] - 25) : m.span[0]]) is not None


_DE_AUXILIARY = re.compile(rf"\b(?:{_alt('auxiliary_last')})\b")
_AND = re.compile(rf"\s*(?:,|{_alt('and_subject')})\s*")
_DASH_CREDIT = re.compile(rf"\s[-\u2013\u2014]\s(?:(?:{_alt('credit_article')})\s)?$")


def _credited_by_colon(colon: int, m: Mention) -> bool:
    """A headline's "Sedena: ..." credits the actor that opens it."""
    return m.span[1] <= colon + 1 and m.span[0] <= 3


def _clause_start(folded: str, end: int) -> int:
    """Where the clause holding position `end` starts (after the last clause break before it)."""
    return max((br.end() for br in _CLAUSE_BREAK.finditer(folded, 0, end)), default=0)


def _find_speaker(text: str, cue: Cue, mentions: list[Mention]) -> Mention | None:
    """The subject of a cue: nearest actor before it in its clause, else "according to"/"says X"."""
    cs, ce = cue.span
    folded = fold_keep_offsets(text)
    quoted = _quoted_speaker(text, folded, cs, mentions)
    if quoted is not None:
        return quoted
    clause_start = _clause_start(folded, cs)
    # An actor whose claim noun is written onto it owns that claim and does not answer it:
    # "警視庁発表に反論" (rebuts the police's statement), "美方的说法".
    answer = cue.kind is not CueKind.CLAIM
    before = [
        m for m in mentions
        if clause_start <= m.span[0] and m.span[1] <= cs
        and not (answer and _GLUED_OWNER.match(folded, m.span[1]))
    ]  # fmt: skip
    # Prefer subjects over places ("in Mexico") and over media ("told Reuters").
    subjects = [
        m for m in before
        if not _PREPOSITION_BEFORE.search(folded[max(0, m.span[0] - 25) : m.span[0]])
        and m.actor.type is not ActorType.MEDIA
        and not _according_before(folded, m)
    ]  # fmt: skip
    according = _according_to(folded, mentions, subjects)
    if according is not None:
        return according
    if subjects:
        return _first_subject(folded, subjects, clause_start, cs)
    if clause_start > 0 and _CONTINUATION.fullmatch(folded[clause_start:cs]):
        # "X says ...; earlier it had denied ...": a clause with no subject of its own (a dropped
        # or pronoun subject) continues the sentence's first subject, not the nearest noun.
        main = _main_subject(folded, mentions, clause_start)
        if main is not None:
            return main
    credited = _credited_after(text, folded, mentions, ce)
    if credited is not None:
        return credited
    # The nearest actor before the cue, unless a preposition governs it ("kidnapped by ISIS",
    # "a blog from the US"): that actor is not who speaks.
    last = before[-1] if before else None
    if last is None or last.actor.type is ActorType.MEDIA:
        return None
    return None if _governed(folded, last) else last


def _according_to(folded: str, mentions: list[Mention], subjects: list[Mention]) -> Mention | None:
    """ "according to X" / "laut X" / "según X" / "X zufolge" anywhere in the sentence names the speaker."""
    for m in mentions:
        if m.actor.type is ActorType.MEDIA and subjects:
            continue  # "the government disputed it, according to AFP": the agency only reports it
        if _credited_source(folded, m):
            return m
    return None


def _credited_source(folded: str, m: Mention) -> bool:
    """Whether the item credits what it says to this mention ("according to X", "X zufolge")."""
    return _according_before(folded, m) or bool(_ZUFOLGE.match(folded[m.span[1] :]))


def _according_before(folded: str, m: Mention) -> bool:
    """Whether "according to" / "según" / "laut" stands shortly before this mention."""
    return _ACCORDING.search(folded[max(0, m.span[0] - 60) : m.span[0]]) is not None


def _first_subject(folded: str, subjects: list[Mention], clause_start: int, cs: int) -> Mention:
    """Which of the subjects before a cue speaks: the nearest, the first of joined ones."""
    # German perfect and passive put the participle last: "Das Kanzleramt hat einen Bericht über
    # ein Treffen mit Orbán dementiert": the subject is the actor before the auxiliary.
    aux = _DE_AUXILIARY.search(folded, clause_start, cs)
    if aux is not None:
        before_aux = [m for m in subjects if m.span[1] <= aux.start() and aux.start() - m.span[1] <= 2]
        if before_aux:
            return before_aux[-1]
    # "Israel and Hamas deny", "Bolivia y Perú niegan": the first of joined subjects.
    nearest = subjects[-1]
    for prev in reversed(subjects[:-1]):
        if _AND.fullmatch(folded[prev.span[1] : nearest.span[0]]):
            nearest = prev
        else:
            break
    return nearest


def _credited_after(text: str, folded: str, mentions: list[Mention], ce: int) -> Mention | None:
    """A speaker named after the statement: "..., says X", "..., X said", "... - China", "Sedena: ..."."""
    for m in mentions:
        if m.span[0] >= ce:
            if _SAYS_AFTER.search(folded[ce : m.span[0]]) or _SAYS_AFTER.search(
                folded[max(ce, m.span[0] - 30) : m.span[0]]
            ):
                return m
            tail = folded[m.span[1] : m.span[1] + 20]
            if _SAID_AFTER_NAME.match(tail) and not _governed(folded, m):
                return m
    # Headline credit after a dash: "Alleged spy balloon is a weather device - China".
    end = len(text.rstrip(" ."))
    for m in mentions:
        if (
            m.span[1] >= end - 1
            and m.span[0] >= ce
            and m.actor.type is not ActorType.MEDIA
            and _DASH_CREDIT.search(text, max(ce, m.span[0] - 7), m.span[0]) is not None
        ):
            return m
    # Headline attribution by colon: "Sedena: ...", "...: Sedena".
    colon = text.find(": ")
    if colon > 0:
        for m in mentions:
            if _credited_by_colon(colon, m):
                return m
            # "...: Sedena" credits; "...: no deal signed in Beijing" names a place
            if m.span[0] > colon and m.span[1] >= len(text.rstrip(" .")) - 1 and not _governed(folded, m):
                return m
    return None


def _same_side(a: Actor | None, b: Actor | None) -> bool:
    if a is None or b is None:
        return False
    ka = {a.key, a.parent} - {None}
    kb = {b.key, b.parent} - {None}
    if ka & kb:
        return True
    gov_a = (
        a.parent if a.parent and a.parent.endswith(".gov") else (a.key if a.key.endswith(".gov") else None)
    )
    gov_b = (
        b.parent if b.parent and b.parent.endswith(".gov") else (b.key if b.key.endswith(".gov") else None)
    )
    return gov_a is not None and gov_a == gov_b


@dataclass(frozen=True, slots=True)
class _Region:
    """Where a cue's object is looked for: its clause after the cue, or, for "X is false",
    between the speech verb and the cue."""

    text: str
    folded: str
    start: int
    end: int
    denied: str | None  # the words of what is denied

    @property
    def words(self) -> str:
        return self.folded[self.start : self.end]


def _target_region(text: str, folded: str, cue: Cue) -> _Region:
    cs, ce = cue.span
    sm = _TARGET_END.search(folded, ce)
    region_end = sm.start() if sm else len(text)
    # "called ICE's post inaccurate": the object sits inside the cue words.
    lead = _CALLS.match(folded[cs:ce])
    if lead:
        ce = cs + lead.end()
    # "X said the report was false": what is denied comes before the cue, after the speech verb.
    if _COPULA.match(folded[cs:ce]):
        speech = _SPEECH.search(folded, 0, cs)  # "says a viral report that ... is fake": from "says"
        lo = speech.end() if speech else 0
        if len(folded[lo:cs].strip()) > 3:  # "es falsa la versión de X": the subject follows
            ce, region_end = lo, cs
    return _Region(text, folded, ce, region_end, text[ce:region_end].strip(" ,:")[:300] or None)


def _find_target(
    text: str, cue: Cue, mentions: list[Mention], speaker: Actor | None, gazetteer: Gazetteer
) -> _Target:
    """What a denial denies, and whose it is: the first telling thing after the cue."""
    r = _target_region(text, fold_keep_offsets(text), cue)
    named = _claimant_named_after(r, mentions)
    if named is not None:
        return named
    owner = _owner_candidate(r, mentions, speaker)
    candidates = [
        *([owner] if owner is not None else []),
        *_country_candidates(r, speaker, gazetteer),
        *_nonofficial_candidates(r),
    ]
    if not candidates:
        glued = _glued_owner_before(r, cue, mentions, speaker)
        if glued is not None:
            return glued
        return _target_without_candidate(r, cue, mentions, speaker, gazetteer)
    candidates.sort(key=lambda c: c[0])
    first = candidates[0][1]
    # A media/rumour word that only describes an official's claim ("ICE's viral post", "dismissed
    # as 'fake' statements by Ukraine's air force") yields to the official owner a few words on.
    if first.actor is None and len(candidates) > 1:
        nxt = candidates[1]
        if (
            nxt[1].actor is not None
            and nxt[0] - candidates[0][0] <= (12 if first.kind == "media" else 30)
            and first.kind in ("media", "rumour")
            and nxt[1].kind == "official"
        ):
            return nxt[1]
    return first


def _glued_owner_before(
    r: _Region, cue: Cue, mentions: list[Mention], speaker: Actor | None
) -> _Target | None:
    """In a verb-final language the denied claim comes before the verb, its owner written onto
    it ("外務省は中国の主張を否定した"): the nearest such owner in the cue's clause."""
    clause_start = _clause_start(r.folded, cue.span[0])
    for m in reversed(mentions):
        s, e = m.span
        if e > cue.span[0] or s < clause_start or (speaker is not None and m.actor.key == speaker.key):
            continue
        if _GLUED_OWNER.match(r.folded, e):
            return _Target(m.actor, r.text[s:e], target_kind_of(m.actor), None, 0)
    return None


def _claimant_named_after(r: _Region, mentions: list[Mention]) -> _Target | None:
    """ "No es cierto que ... como afirmó Rafael López": the claimant comes last."""
    for m in mentions:
        s, e = m.span
        if s >= r.start and _AS_CLAIMED.search(r.folded[max(0, s - 40) : s]):
            return _Target(m.actor, r.text[s:e], target_kind_of(m.actor), r.denied, s - r.start)
    am = _AS_CLAIMED_SHORT.search(r.folded[r.start :])
    if am:
        words = r.text[r.start + am.start() : r.start + am.end() + 30].strip()
        return _Target(None, words, "person", r.denied, am.start())
    return None


def _owner_candidate(
    r: _Region, mentions: list[Mention], speaker: Actor | None
) -> tuple[int, _Target] | None:
    """An actor that owns something said ("ICE's post", "claims by the junta", "a versão do TSE"),
    or the actor right after the cue ("desmiente a Bolsonaro")."""
    folded = r.folded
    for m in mentions:
        s, e = m.span
        if s < r.start or s >= r.end or (speaker is not None and m.actor.key == speaker.key):
            continue
        owns = _owns(folded[e : e + 40], folded[max(r.start, s - 45) : s])
        gap = folded[r.start : s]
        direct = (
            not _VENUE.search(gap)
            # "he denied it police believe ...": after a pronoun object, a new clause begins
            and not _PRONOUN_OBJECT.fullmatch(gap)
            and _DIRECT_OBJECT.fullmatch(gap) is not None
            # "denies police fired live rounds": the actor of what is denied, not whose claim it is
            and not _CLAUSE_VERB_AFTER.match(folded, e)
        )
        if owns or direct:
            body = _body_of_country(m, mentions, folded)
            if body is not None:
                m, (s, e) = body, body.span
            return s, _Target(m.actor, r.text[s:e], target_kind_of(m.actor), r.denied, s - r.start)
    return None


def _country_candidates(r: _Region, speaker: Actor | None, gazetteer: Gazetteer) -> list[tuple[int, _Target]]:
    """A country word owning a claim: "Russian claim", "Moscow's account", "acusaciones rusas"."""
    out: list[tuple[int, _Target]] = []
    region = r.words

    def other_government(word: str) -> Actor | None:
        cc = gazetteer.country_code(word)
        return gazetteer.get(f"{cc}.gov") if cc and (speaker is None or speaker.country != cc) else None

    for rm in re.finditer(rf"\b([\w.-]+(?: [\w.-]+)?)(?:'s?|')? (?:[\w-]+ )?{_CLAIM_NOUN}\b", region):
        if _OUTLET_NOUN.search(rm.group(0)):
            continue  # "a British tabloid report": the tabloid's, not Britain's
        for w in (rm.group(1), rm.group(1).split()[-1]):
            gov = other_government(w)
            if gov is not None:
                pos = r.start + rm.start(1) + rm.group(1).find(w)
                out.append(
                    (pos, _Target(gov, r.text[pos : pos + len(w)], "official", r.denied, pos - r.start))
                )
                break
    for rm in re.finditer(rf"\b{_CLAIM_NOUN} ([\w-]+)", region):
        if _MEDIA_WORDS.match(region, rm.end() + 1) or _STATE_MEDIA.match(region[rm.end() :]):
            continue  # "Berichte russischer Staatsmedien": the reports are the media's
        gov = other_government(rm.group(1))
        if gov is not None:
            pos = r.start + rm.start()
            out.append((pos, _Target(gov, rm.group(1), "official", r.denied, pos - r.start)))
    return out


def _nonofficial_candidates(r: _Region) -> list[tuple[int, _Target]]:
    """Non-official things: a newspaper report, rumours, a fake communiqué, a candidate."""
    out: list[tuple[int, _Target]] = []
    for rx, kind in ((_RUMOUR_WORDS, "rumour"), (_MEDIA_WORDS, "media"), (_PERSON_WORDS, "person")):
        nm = rx.search(r.words)
        if nm:
            words = r.text[r.start + nm.start() : r.start + nm.end()]
            out.append((r.start + nm.start(), _Target(None, words, kind, r.denied, nm.start())))
    return out


def _target_without_candidate(
    r: _Region, cue: Cue, mentions: list[Mention], speaker: Actor | None, gazetteer: Gazetteer
) -> _Target:
    """The target when nothing after the cue names one."""
    folded, cs = r.folded, cue.span[0]
    # "'That figure is wrong,' said Peskov, speaking of an estimate by Ukraine's armed forces":
    # the owner of a claim named anywhere else in the sentence.
    for m in mentions:
        s0, e0 = m.span
        if (
            (speaker is None or m.actor.key != speaker.key)
            and (s0 >= r.start or s0 < cs)
            and _owns(folded[e0 : e0 + 40], folded[max(0, s0 - 45) : s0])
        ):
            return _Target(m.actor, r.text[s0:e0], target_kind_of(m.actor), r.denied, abs(s0 - r.start))
    # "Colombia niega estar detrás del ataque en Venezuela": a strong denial with no named owner
    # answers the other country's government when exactly one other is in the sentence. Not when
    # what is denied is a report or claim of no named origin ("rebuts report on Syria pullout"):
    # a place in its content is not its author.
    if (
        cue.kind is CueKind.DENIAL
        and cue.strength >= 0.8
        and speaker is not None
        and speaker.country
        and speaker.type is not ActorType.COMPANY
        and not _REPORT_WORD.search(folded)
        and not _MEDIA_WORDS.search(folded)
        and not _RUMOUR_PROPER.search(folded)
    ):
        # countries named before what is denied are the deniers' side ("Bolivia y Perú niegan")
        others = {
            m.actor.country for m in mentions
            if m.actor.official and m.actor.country and m.actor.country != speaker.country
            and m.span[0] >= r.start
        }  # fmt: skip
        gov = gazetteer.get(f"{others.pop()}.gov") if len(others) == 1 else None
        if gov is not None:
            return _Target(gov, gov.name, "official", r.denied, len(r.words), inferred=True)
    unsourced = _UNSOURCED_REPORT.match(r.words)
    if unsourced is not None:
        # "disputed the report": a report nobody in the sentence owns is taken for the press's
        return _Target(None, unsourced.group(0).strip(" ,"), "media", r.denied, unsourced.start())
    return _Target(None, None, None, r.denied, len(r.words))


_CLAUSE_VERB_AFTER = re.compile(rf"(?:'s)?\s+(?:{_alt('clause_verb')})\b")


def _body_of_country(m: Mention, mentions: list[Mention], folded: str) -> Mention | None:
    """The actor a country's possessive introduces: "Yemen's Houthi rebels" -> the Houthis."""
    if m.actor.type is not ActorType.GOVERNMENT:
        return None
    after = next((n for n in mentions if n.span[0] > m.span[0]), None)
    if after is not None and re.fullmatch(r"'s? ", folded[m.span[1] : after.span[0]]):
        return after
    return None


_Q = "[\"'\u00ab\u00bb]?"
_OWNER_BEFORE = re.compile(
    rf"\b{_CLAIM_NOUN}{_Q} (?:(?:{_alt('issued')}|[\w-]+ ){{0,3}}?)?"
    # one modifier may come first: "a claim by US Immigration and Customs Enforcement"
    rf"(?:{_alt('owner_of')}) {_ART}(?:[\w.']+ )?$"
    # English "of" owns only words for something said ("the claims of the army"), not
    # "reports of the police raid" (about the police).
    rf"|\b(?:{_alt('said_of')}) {_Q}of (?:the )?$"
    # "es falso lo que dijo el Departamento de Estado", "ce qu'a affirmé le ministre"
    rf"|\b(?:{_alt('what_said')}) (?:(?:{_alt('what_said_aux')}) )?(?:{_alt('what_said_verb')}) {_ART}$"
    # whatever was announced or claimed by someone is theirs: "the strike announced by the minister"
    rf"|\b(?:{_alt('announced')}) (?:{_alt('announced_by')}) {_ART}(?:[\w.]+ )?$"
)


def _possessive_owner(words: int) -> str:
    """A possessive owning a claim noun up to `words` words on ("ICE's post", "Trump's latest
    Amazon claim"): the words between say what it is about."""
    return rf"(?:'s?|') {_Q}(?:[\w-]+ ){{0,{words}}}?{_CLAIM_NOUN}"


# A claim noun written onto its owner, in the languages that write no space or a genitive
# particle between them (Japanese "警視庁の発表", Chinese "美方的说法", Korean "북한의 주장").
_GLUED_OWNER = re.compile(f"(?:{_alt('claim_noun_glued')})")
# Whose claim a speaker's noun is (`_possessor`): "the DEA's new border seizure figures".
_OWNED_BY_POSSESSIVE = re.compile(rf"{_possessive_owner(4)}\b")
# What owns a denial's target; a closing quote or guillemet may follow the claim noun: "rejected
# the 'smears' of the minister".
_OWNER_AFTER = re.compile(rf"^(?:{_possessive_owner(2)}|(?:'s?|')? {_Q}{_CLAIM_NOUN})\b")
# "como afirmó X", "as X claimed", "comme l'a affirmé X": the claimant named after the content.
_AS_CLAIMED = re.compile(rf"\b(?:{_alt('as_claimed')})\s+(?:(?:{_alt('as_claimed_by')}) )?$")
_AS_CLAIMED_SHORT = re.compile(
    rf"(?:{_alt('as_claimed_short')}) (?:(?:{_alt('as_claimed_article')}) )?[A-Za-z]"
)


def _owns(after: str, before: str) -> bool:
    """True when an actor mention owns a claim noun: "ICE's post", "acusaciones de la junta"."""
    return bool(_OWNER_AFTER.match(after) or _OWNER_BEFORE.search(before))


def _score(
    cue: Cue, speaker: Actor | None, target: _Target, unit: _Unit, from_lead: bool, kind: StatementKind
) -> float:
    s = 0.25 + 0.5 * cue.strength
    if speaker is None:
        s -= 0.15
    elif speaker.official:
        s += 0.1
    if from_lead:
        s -= 0.05
    if kind is StatementKind.DENIAL:
        if target.kind == "official":
            s += 0.0 if target.inferred else 0.1
        elif target.kind is None:
            s -= 0.1
        else:
            s -= 0.2
    if unit.headline:
        s += 0.05
    elif unit.index > 15:  # deep in a long article: quotes of quotes, background paragraphs
        s -= 0.1
    elif unit.index > 5:
        s -= 0.05
    return round(max(0.05, min(0.97, s)), 3)


def _fill_targets_from_context(
    item: Item, statements: list[Statement], units: list[_Unit], gazetteer: Gazetteer, hint: Context
) -> list[Statement]:
    """A denial with no target in its sentence answers a claimant named elsewhere in the item.

    Claimants are speakers of attributed claims in the item, owners of claim nouns ("Trump's
    remarks") and actors after "in response to"/"tras". Never the denier's own side.
    """
    # "Russia denies alleged losses": what is alleged was alleged by someone; when the item
    # names who (an attributed claim), that claimant is the target, not a rumour.
    alleged = [
        s
        for s in statements
        if s.kind is StatementKind.DENIAL
        and s.target is None
        and s.target_kind == "rumour"
        and _ALLEGED.search(fold_keep_offsets(s.quote))
        and not _RUMOUR_PROPER.search(fold_keep_offsets(s.quote))
    ]
    need = [
        s for s in statements if s.kind is StatementKind.DENIAL and s.target is None and s.target_kind is None
    ] + alleged
    if not need:
        return statements
    claimants: list[tuple[Actor, str, str]] = []  # (actor, its words, the sentence naming it)
    for s in statements:
        if s.kind is StatementKind.CLAIM and s.speaker is not None:
            claimants.append((s.speaker, s.speaker_text, s.quote))
    attributed = len(claimants)
    for unit in units:
        folded = fold_keep_offsets(unit.text)
        unit_mentions = gazetteer.mentions(unit.text, country=hint)
        for m in unit_mentions:
            if _body_of_country(m, unit_mentions, folded) is not None:
                continue  # "Yemen's Houthi rebels": the rebels are the claimant
            a, (s0, e0) = m.actor, m.span
            after = folded[e0 : e0 + 40]
            before = folded[max(0, s0 - 40) : s0]
            owns = _owns(after, before)
            responds = _RESPONSE.search(before[-25:]) is not None
            says = _CLAIMANT_VERB.match(after)
            if owns or responds or says:
                claimants.append((a, unit.text[s0:e0], unit.text[:_QUOTE_CHARS]))
    out: list[Statement] = []
    for s in statements:
        if s in need:
            # The writer's own "this is false" answers only a claimant of the same sentence: in
            # a long article, the first claimant named anywhere is rarely what it calls false.
            pool = claimants[:attributed] if s in alleged else claimants
            pick = next(
                (
                    (a, t)
                    for a, t, where in pool
                    if not _same_side(a, s.speaker)
                    and (s.speaker is None or a.key != s.speaker.key)
                    and (s.speaker is not None or where == s.quote)
                ),
                None,
            )
            if pick is not None:
                a, t = pick
                s = replace(
                    s,
                    target=a,
                    target_text=t,
                    target_kind=target_kind_of(a),
                    score=round(max(0.05, s.score - 0.05 + (0.1 if a.official else 0)), 3),
                )
        out.append(s)
    return out


_NUM = r"\d[\d.,]*\d|\d"
_ART_NUM = f"(?:{_alt('number_article')})*"
# "47, not 53", "47 et non 53", "19 y no los 36 anunciados", "870 millones en lugar de mil":
# the text sets one figure against another that someone gave.
_NUMBER_SET_AGAINST = re.compile(
    rf"(?<![\w.,])(?P<n>{_NUM})(?: [\w'-]+){{0,3}}?(?:{_alt('instead_of')}) {_ART_NUM}(?P<m>{_NUM})(?![\d])"
)

# "puts the dead at 3,621, after the UN office's report of 4,460", "sitúa los muertos en 3.621,
# tras el informe de la OCHA de 4.460": a figure given against a named source's figure.
_FIGURE_AGAINST_SOURCE = re.compile(
    rf"(?<![\w.,])(?P<n>{_NUM})(?: [\w'-]+){{0,3}}?,? (?:{_alt('against_source')}) {_ART}"
    rf"(?:[\w'-]+ ){{0,2}}?(?:{_alt('figure_noun')})"
    rf"(?: [\w'-]+){{1,5}}? (?:{_alt('figure_of')})?"
    rf"(?:(?:{_alt('about_number')}) )?(?P<m>{_NUM})(?![\d])"
)


def _numeric_contradictions(
    item: Item,
    statements: list[Statement],
    units: list[_Unit],
    gazetteer: Gazetteer,
    language: str | None,
    hint: Context,
) -> list[Statement]:
    """A figure set against an official's figure: "the toll is 47, not 53" where the item says who gave 53.

    The earlier figure must be attributed in the item to an official speaker ("the ministry
    announced 53 deaths"); a figure from a report, an NGO or nobody named is not an official
    claim, and the official setting it right is then no dispute.
    """
    out: list[Statement] = []
    for unit in units:
        folded = fold_keep_offsets(unit.text)
        nm = _NUMBER_SET_AGAINST.search(folded) or _FIGURE_AGAINST_SOURCE.search(folded)
        if nm is None or nm.group("n") == nm.group("m"):
            continue
        figure = nm.group("m")
        mentions = gazetteer.mentions(unit.text, country=hint)
        said = next((c for c in find_cues(unit.text, language) if c.kind is CueKind.CLAIM and c.active), None)
        speaker_m = _find_speaker(unit.text, said, mentions) if said is not None else None
        speaker = speaker_m.actor if speaker_m is not None else None
        if nm.re is _FIGURE_AGAINST_SOURCE:
            # the source is named with its figure: "the OCHA's report of 4,460"
            source = next(
                (
                    m
                    for m in reversed(mentions)
                    if nm.end("n") <= m.span[0] and m.span[1] <= nm.start("m") and m.actor.official
                ),
                None,
            )
            claimant = (source.actor, unit.text[source.span[0] : source.span[1]]) if source else None
        else:
            # "12 rockets, not 40 as Hezbollah had claimed": the source right after its figure
            after = _AS_SOURCE.match(folded, nm.end("m"))
            source = next((m for m in mentions if after and m.span[0] == after.end()), None)
            claimant = (
                (source.actor, unit.text[source.span[0] : source.span[1]])
                if source is not None
                else _claimant_of_figure(units, figure, gazetteer, language, hint)
            )
        if (
            claimant is None
            and unit.headline
            and not any(_figure_rx(figure).search(fold_keep_offsets(u.text)) for u in units if not u.headline)
        ):
            # the body does not say where the other figure comes from (when it does, and no
            # official is said to give it, it is a report's or an NGO's)
            deniers = [st.speaker for st in statements if st.kind is not StatementKind.CLAIM and st.speaker]
            claimant = _sole_official(units, gazetteer, hint, [speaker, *deniers])
        if (
            claimant is None
            or _same_side(claimant[0], speaker)
            or (speaker and speaker.key == claimant[0].key)
        ):
            continue
        who, who_text = claimant
        out.append(
            Statement(
                item_id=item.id, kind=StatementKind.DENIAL, speaker=speaker,
                speaker_text=unit.text[speaker_m.span[0] : speaker_m.span[1]] if speaker_m else "",
                quote=unit.text[:_QUOTE_CHARS], language=language, cue=unit.text[nm.start() : nm.end()],
                target=who, target_text=who_text, target_kind=target_kind_of(who), denied=figure,
                score=round(0.6 + (0.05 if unit.headline else 0.0) + (0.05 if speaker and speaker.official else 0.0), 3),
            )
        )  # fmt: skip
        break
    return out


_AS_SOURCE = re.compile(rf"(?: [\w-]+){{0,2}}? (?:{_alt('as_source')}) (?:(?:{_alt('source_article')}) )?")


def _figure_rx(figure: str) -> re.Pattern[str]:
    """`figure` as a whole number in folded text (not part of a longer one)."""
    return re.compile(rf"(?<![\d.,]){re.escape(figure)}(?![\d])")


def _sole_official(
    units: list[_Unit], gazetteer: Gazetteer, hint: Context, deniers: Sequence[Actor | None]
) -> tuple[Actor, str] | None:
    """The one official body an item names besides whoever disputes something in it: whose
    figure a headline's "47, not 53" sets right when no sentence says who gave 53 ("the
    ministry declined to comment on the gap"). None when the item names several."""
    found: dict[str, tuple[Actor, str]] = {}
    for unit in units:
        for m in gazetteer.mentions(unit.text, country=hint):
            a = m.actor
            if a.official and a.type is not ActorType.MEDIA and not any(_same_side(a, d) for d in deniers):
                found.setdefault(a.key, (a, unit.text[m.span[0] : m.span[1]]))
    return next(iter(found.values())) if len(found) == 1 else None


def _claimant_of_figure(
    units: list[_Unit], figure: str, gazetteer: Gazetteer, language: str | None, hint: Context
) -> tuple[Actor, str] | None:
    """The official who, in a sentence of the item, says or announces `figure`."""
    rx = _figure_rx(figure)
    for unit in units:
        folded = fold_keep_offsets(unit.text)
        hits = [m.start() for m in rx.finditer(folded)]
        if not hits or _NUMBER_SET_AGAINST.search(folded):
            continue
        mentions = gazetteer.mentions(unit.text, country=hint)
        for cue in find_cues(unit.text, language):
            if cue.kind is not CueKind.CLAIM or not cue.active or not any(h > cue.span[1] for h in hits):
                continue
            m = _find_speaker(unit.text, cue, mentions)
            if m is not None and m.actor.official and m.actor.type is not ActorType.MEDIA:
                return m.actor, unit.text[m.span[0] : m.span[1]]
    return None


def _media_clarifications(item: Item, statements: list[Statement]) -> list[Statement]:
    """A weak own-side retraction/correction in an item about a media report or a rumour is the
    official setting that report straight ("Pemex aclara que las imágenes son de 2016"), not a
    retraction of its own statement."""
    folded = fold_keep_offsets(f"{item.title}\n{item.text}")
    nonofficial = next(
        (
            s.target_kind
            for s in statements
            if s.kind is StatementKind.DENIAL and s.target_kind in ("media", "rumour")
        ),
        None,
    )
    if nonofficial is None:
        if _RUMOUR_WORDS.search(folded):
            nonofficial = "rumour"
        elif _MEDIA_WORDS.search(folded):
            nonofficial = "media"
    if nonofficial is None:
        return statements
    out = []
    for s in statements:
        weak = (
            s.kind in (StatementKind.RETRACTION, StatementKind.CORRECTION)
            and s.cue is not None
            and (
                fold_keep_offsets(s.cue) in _WEAK_SELF
                or max((c.strength for c in find_cues(s.cue, s.language)), default=1.0) < 0.65
            )
        )
        if weak:
            s = replace(
                s,
                kind=StatementKind.DENIAL,
                target=None,
                target_text=None,
                target_kind=nonofficial,
                score=round(s.score * 0.7, 3),
            )
        out.append(s)
    return out


_WEAK_SELF = frozenset(_LEX.words("weak_clarification"))


def _share_nonofficial_targets(statements: list[Statement]) -> list[Statement]:
    """Denials in one item are usually about one thing: when one names a newspaper report or a
    rumour, the item's denials that name nothing are about the same report or rumour."""
    kinds = [
        s.target_kind
        for s in statements
        if s.kind is StatementKind.DENIAL and s.target_kind in ("media", "rumour", "person", "other")
    ]
    if not kinds:
        return statements
    kind = kinds[0]
    return [
        replace(s, target_kind=kind)
        if s.kind is StatementKind.DENIAL and s.target is None and s.target_kind is None
        else s
        for s in statements
    ]


def _add_reported_claims(statements: list[Statement]) -> list[Statement]:
    """For each denial of an official, also the claim it reports, as said by the target."""
    out = list(statements)
    have = {(s.kind, s.speaker.key if s.speaker else None) for s in statements}
    for s in statements:
        if s.kind is not StatementKind.DENIAL or s.target is None or not s.target.official:
            continue
        if (StatementKind.CLAIM, s.target.key) in have:
            continue
        claimed = _claimed_content(s.denied or s.quote)
        out.append(
            Statement(
                item_id=s.item_id, kind=StatementKind.CLAIM, speaker=s.target, speaker_text=s.target_text or s.target.name,
                quote=claimed, language=s.language, cue=None, score=round(s.score * 0.8, 3),
            )
        )  # fmt: skip
        have.add((StatementKind.CLAIM, s.target.key))
    return out


def _claimed_content(denied: str) -> str:
    """The claimed content of "ICE's post that three labs were dismantled" -> "three labs ..."."""
    cm = _CLAIMED_CONTENT.search(denied)
    text = cm.group(1) if cm and len(cm.group(1)) > 15 else denied
    return normalise_space(text)[:_QUOTE_CHARS]


def _dedupe(statements: list[Statement]) -> list[Statement]:
    """One statement per (kind, speaker, target); the best-scored copy wins. Best first."""
    best: dict[tuple[StatementKind, str | None, str | None], Statement] = {}
    for s in statements:
        key = (
            s.kind,
            s.speaker.key if s.speaker else fold_keep_offsets(s.speaker_text) or None,
            s.target.key if s.target else s.target_kind,
        )
        if key not in best or s.score > best[key].score:
            best[key] = s
    order = {
        StatementKind.RETRACTION: 0,
        StatementKind.CORRECTION: 1,
        StatementKind.DENIAL: 2,
        StatementKind.CONFIRMATION: 3,
        StatementKind.CLAIM: 4,
    }
    return sorted(best.values(), key=lambda s: (order[s.kind], -s.score))
