"""The platform-neutral alert: what every renderer (Slack, Discord, console, web) shows.

`build_view(dispute, update, notice, style=...)` turns a stored dispute into an `AlertView`: the
headline (`bot.alerts.headline`), clean short names (`bot.alerts.names`), counts whose nouns
agree with what the evidence is (denials, retractions, corrections, counter-accounts), the
language of each item when it is not the desk's, whether the claim and its denial are one
item (a single-item dispute shows its quote once), and the link to the dispute's timeline.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bot.alerts.headline import build_headline
from bot.alerts.links import dispute_url
from bot.alerts.names import ActorNames, actor_names
from bot.text import base_language
from bot.types import Dispute, DisputeStatus, Evidence, EvidenceRole

if TYPE_CHECKING:
    from bot.config import Config

__all__ = [
    "ROLE_LABELS",
    "AlertStyle",
    "AlertView",
    "Notice",
    "build_view",
    "counts_text",
    "language_name",
    "plural",
    "role_label",
    "role_noun",
]

# What each piece of evidence is called in alerts, on every platform.
ROLE_LABELS: dict[EvidenceRole, str] = {
    EvidenceRole.CLAIM: "Claim",
    EvidenceRole.DENIAL: "Denial",
    EvidenceRole.RETRACTION: "Retraction",
    EvidenceRole.CORRECTION: "Correction",
    EvidenceRole.CORROBORATION: "Corroboration",
    EvidenceRole.COVERAGE: "Coverage",
}
# Roles that dispute the claim, in the order counts are shown. Looked up by value so that a role
# the detector adds (the redesign's "counter_account") is counted without a change here.
_DISPUTING = ("denial", "counter_account", "retraction", "correction")
_NOUNS = {"counter_account": ("counter-account", "counter-accounts")}
_VERBS = {
    "denial": "denied",
    "counter_account": "contradicted",
    "retraction": "retracted",
    "correction": "corrected",
    "corroboration": "corroborated",
    "coverage": "reported",
}
_LANGUAGES = Path(__file__).with_name("data") / "languages.toml"


def role_label(role: EvidenceRole | str) -> str:
    """ "Denial", "Retraction", "Counter-account": the label of an evidence role."""
    value = role.value if isinstance(role, EvidenceRole) else str(role)
    if isinstance(role, EvidenceRole) and role in ROLE_LABELS:
        return ROLE_LABELS[role]
    return value.replace("_", "-").capitalize()


def role_noun(role: EvidenceRole | str, n: int = 1) -> str:
    """The noun for `n` pieces of evidence of this role: "denial", "retractions", "counter-account"."""
    value = role.value if isinstance(role, EvidenceRole) else str(role)
    one, many = _NOUNS.get(value, (value.replace("_", "-"), value.replace("_", "-") + "s"))
    return one if n == 1 else many


def role_verb(role: EvidenceRole | str) -> str:
    """ "denied", "retracted", "contradicted": what an item of this role did to the claim."""
    value = role.value if isinstance(role, EvidenceRole) else str(role)
    return _VERBS.get(value, "answered")


def plural(n: int, word: str, words: str | None = None) -> str:
    """ "1 outlet", "3 outlets"."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    return tomllib.loads(_LANGUAGES.read_text(encoding="utf-8"))


def language_name(code: str | None) -> str | None:
    """ "es" -> "Spanish"; an unknown code as it is; None for None."""
    if not code:
        return None
    base = base_language(code)
    return _language_names().get(base, base)


def _same_language(a: str | None, b: str | None) -> bool:
    return base_language(a) == base_language(b)


@dataclass(frozen=True, slots=True)
class AlertStyle:
    """What the desk's configuration changes in every alert: the timeline links, the desk's
    language (items in another one are marked), and the actors files the names come from."""

    base_url: str | None = None
    language: str = "en"
    link_secret: str | None = None  # `[web] token`: links to timelines are signed with it
    actors_files: tuple[str, ...] = ()

    @classmethod
    def from_config(cls, config: Config) -> AlertStyle:
        """The style a config asks for (`[web] base_url`/`token`, `[alerts] language`, `[detect] actors_file`)."""
        return cls(
            base_url=config.web.base_url,
            language=config.alerts.language,
            link_secret=config.web.token,
            actors_files=(config.detect.actors_file,) if config.detect.actors_file else (),
        )

    @property
    def names(self) -> ActorNames:
        """Short and display names of actors (loaded once per process)."""
        return actor_names(self.actors_files)


@dataclass(frozen=True, slots=True)
class Notice:
    """A desk action shown in the thread: who muted or unmuted the story (`user` is the platform's id)."""

    action: str  # muted | unmuted
    user: str
    platform: str  # slack | discord | cli

    def text(self, dispute_id: int, who: str | None = None) -> str:
        """The note in plain words; `who` is how the platform names the user (a mention)."""
        name = who or f"{self.platform} user {self.user}"
        if self.action == "muted":
            return (
                f"Muted by {name}: no further alerts on this story for anyone. "
                f"An admin can unmute it (`/factbot unmute {dispute_id}`)."
            )
        return f"Unmuted by {name}: alerts on this story go out again."


@dataclass(frozen=True, slots=True)
class AlertView:
    """A dispute as an alert: header, both sides with links, counts, confidence and reasons.

    `update` is set on follow-ups: the evidence that is new in this event; `notice` on a
    follow-up that reports a desk action (a mute) instead. `single_item` is True when one item
    reports both the claim and its denial (its quote is shown once).
    `counts` are the disputing evidence per role, e.g. (("denial", 2), ("retraction", 1)).
    Evidence `language` is set only where it differs from the desk's.
    """

    dispute_id: int
    status: DisputeStatus
    header: str
    speaker: str
    topic: str
    claim: Evidence
    first_denial: Evidence | None
    evidence: tuple[Evidence, ...]
    denial_count: int
    outlet_count: int
    confidence: float
    reasons: tuple[str, ...]
    update: Evidence | None = None
    url: str | None = None
    single_item: bool = False
    counts: tuple[tuple[str, int], ...] = field(default=())
    language: str = "en"
    notice: Notice | None = None

    @property
    def links(self) -> tuple[str, ...]:
        """Every link the alert reports: the claim's first, then each piece of evidence."""
        out = [e.link for e in (self.claim, *self.evidence) if e.link]
        return tuple(dict.fromkeys(out))

    @property
    def single_report(self) -> Evidence | None:
        """For a single-item dispute: the one item that reports both sides (also `first_denial`)."""
        return self.first_denial if self.single_item else None

    @property
    def others(self) -> tuple[Evidence, ...]:
        """Evidence beyond the claim and the first denial (the "Also" lines)."""
        return tuple(e for e in self.evidence if e is not self.first_denial)


def counts_text(view: AlertView) -> str:
    """ "2 denials · 1 retraction · 3 outlets": nouns that agree with the evidence."""
    parts = [plural(n, role_noun(role), role_noun(role, 2)) for role, n in view.counts]
    if not parts:
        parts = ["no denial yet"]
    parts.append(plural(view.outlet_count, "outlet"))
    return " · ".join(parts)


def _disputing(e: Evidence) -> bool:
    return e.role.value in _DISPUTING


def _clean_evidence(e: Evidence, names: ActorNames, desk: str) -> Evidence:
    """Readable actor name; language kept only when it is not the desk's (guessed if unknown)."""
    lang = e.language
    if not lang:
        from bot.text import guess_language

        lang = guess_language(f"{e.title} {e.quote}")
    return replace(
        e,
        actor=names.display(e.actor_key, e.actor) if e.actor else e.actor,
        language=None if not lang or _same_language(lang, desk) else lang,
    )


def build_view(
    dispute: Dispute,
    update: Evidence | None = None,
    notice: Notice | None = None,
    *,
    style: AlertStyle | None = None,
) -> AlertView:
    """The alert view of a dispute; `update` is the new evidence for a follow-up, `notice` a desk action."""
    style = style or AlertStyle()
    names = style.names
    claim_language = dispute.claim.language
    claim = _clean_evidence(
        replace(dispute.claim, actor_key=dispute.claim.actor_key or dispute.speaker_key),
        names,
        style.language,
    )
    evidence = tuple(_clean_evidence(e, names, style.language) for e in dispute.evidence)
    disputing = [e for e in evidence if _disputing(e)]
    first = disputing[0] if disputing else (evidence[0] if evidence else None)
    report = next((e for e in evidence if claim.item_id and e.item_id == claim.item_id), None)
    single = report is not None
    if report is not None:  # the one item that reports both sides leads, whatever came before it
        first = report
    per_role = Counter(e.role.value for e in disputing)
    counts = tuple((role, per_role[role]) for role in _DISPUTING if per_role[role])
    counts += tuple((role, n) for role, n in per_role.items() if role not in _DISPUTING)
    outlets = {e.source for e in evidence} | {claim.source}
    owner = names.short(dispute.speaker_key, dispute.speaker)
    if not claim_language:
        from bot.text import guess_language

        claim_language = guess_language(f"{dispute.claim.title} {dispute.claim.quote}", default="en")
    header = build_headline(dispute.status, owner, dispute.claim, single_item=single, language=claim_language)
    if update is not None:
        update = next((e for e in evidence if e.item_id == update.item_id), None) or _clean_evidence(
            update, names, style.language
        )
    return AlertView(
        dispute_id=dispute.id,
        status=dispute.status,
        header=header,
        speaker=owner,
        topic=dispute.topic,
        claim=claim,
        first_denial=first,
        evidence=evidence,
        denial_count=len(disputing),
        outlet_count=len(outlets),
        confidence=dispute.confidence,
        reasons=dispute.reasons,
        update=update,
        url=dispute_url(style.base_url, dispute.id, style.link_secret),
        single_item=single,
        counts=counts,
        language=style.language,
        notice=notice,
    )
