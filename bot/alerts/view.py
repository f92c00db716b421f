"""The platform-neutral alert: what every renderer (Slack, Discord, console) shows."""

from __future__ import annotations

from dataclasses import dataclass

from bot.types import Dispute, DisputeStatus, Evidence, EvidenceRole

_HEADLINES = {
    DisputeStatus.DISPUTED: "Disputed",
    DisputeStatus.RETRACTED: "Retracted",
    DisputeStatus.CORRECTED: "Corrected",
    DisputeStatus.CONFIRMED: "Disputed (confirmed by the desk)",
    DisputeStatus.DISMISSED: "Dismissed",
    DisputeStatus.MUTED: "Muted",
}

# What each piece of evidence is called in alerts, on every platform.
ROLE_LABELS: dict[EvidenceRole, str] = {
    EvidenceRole.CLAIM: "Claim",
    EvidenceRole.DENIAL: "Denial",
    EvidenceRole.RETRACTION: "Retraction",
    EvidenceRole.CORRECTION: "Correction",
    EvidenceRole.CORROBORATION: "Corroboration",
    EvidenceRole.COVERAGE: "Coverage",
}


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
    follow-up that reports a desk action (a mute) instead.
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
    notice: Notice | None = None

    @property
    def links(self) -> tuple[str, ...]:
        """Every link the alert reports: the claim's first, then each piece of evidence."""
        out = [e.link for e in (self.claim, *self.evidence) if e.link]
        return tuple(dict.fromkeys(out))


def build_view(dispute: Dispute, update: Evidence | None = None, notice: Notice | None = None) -> AlertView:
    """The alert view of a dispute; `update` is the new evidence for a follow-up, `notice` a desk action."""
    denials = [e for e in dispute.evidence if e.role not in (EvidenceRole.COVERAGE, EvidenceRole.CLAIM)]
    first = denials[0] if denials else (dispute.evidence[0] if dispute.evidence else None)
    outlets = {e.source for e in dispute.evidence} | {dispute.claim.source}
    header = f"{_HEADLINES[dispute.status]}: {dispute.speaker}'s claim about {dispute.topic}".strip()
    return AlertView(
        dispute_id=dispute.id,
        status=dispute.status,
        header=header,
        speaker=dispute.speaker,
        topic=dispute.topic,
        claim=dispute.claim,
        first_denial=first,
        evidence=dispute.evidence,
        denial_count=len(denials),
        outlet_count=len(outlets),
        confidence=dispute.confidence,
        reasons=dispute.reasons,
        update=update,
        notice=notice,
    )
