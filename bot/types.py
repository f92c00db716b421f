"""Frozen data shared by every part of factbot.

Everything that crosses a module boundary (ingest -> storage -> detect -> alerts -> adapters)
is one of these. They hold no behaviour beyond small derived properties, so any layer can
create them in tests without touching a database or a platform SDK.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class FeedKind(StrEnum):
    """What a feed publishes: an actor's own statements, or news about others."""

    OFFICIAL = "official"
    NEWS = "news"


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """A feed as a user describes it (config file, chat command, OPML), before it is stored."""

    url: str
    name: str = ""
    kind: FeedKind = FeedKind.NEWS
    actor: str | None = None
    language: str | None = None
    interval_s: int | None = None  # None: the [poll] default
    account: bool = False  # a social account: reposts and quotes are credited to their authors


@dataclass(frozen=True, slots=True)
class Feed:
    """A stored feed, with the polling state the scheduler and fetcher keep."""

    id: int
    url: str
    name: str
    kind: FeedKind
    actor: str | None = None
    language: str | None = None
    interval_s: int | None = None
    enabled: bool = True
    origin: str = "config"  # config | cli | chat | opml
    etag: str | None = None
    last_modified: str | None = None
    next_poll_at: datetime | None = None
    last_poll_at: datetime | None = None
    last_status: str | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    account: bool = False  # see FeedSpec.account


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a parsed feed, normalised: plain text, aware UTC datetimes."""

    guid: str | None
    link: str | None
    title: str
    text: str
    published: datetime | None = None
    updated: datetime | None = None
    author: str | None = None
    language: str | None = None
    # On account feeds (`FeedSpec.account`): "repost" when the entry is another author's post,
    # "quote" for a post the account quoted; `original_author` is that author (None: unknown).
    shared: str | None = None
    original_author: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """A stored entry (one row of `items`), with what the detector needs of its feed."""

    id: int
    feed_id: int
    guid: str
    link: str | None
    title: str
    text: str
    published: datetime | None
    first_seen: datetime
    content_hash: str
    revision: int = 1
    author: str | None = None
    language: str | None = None
    feed_kind: FeedKind = FeedKind.NEWS
    feed_actor: str | None = None
    feed_name: str = ""
    shared: str | None = None  # see Entry.shared
    original_author: str | None = None

    @property
    def when(self) -> datetime:
        """When the item was said: its published date, else when we first saw it."""
        return self.published or self.first_seen


class ActorType(StrEnum):
    """What kind of speaker an actor is. Only some kinds make a statement 'official'."""

    HEAD_OF_STATE = "head_of_state"
    HEAD_OF_GOVERNMENT = "head_of_government"
    GOVERNMENT = "government"
    MINISTRY = "ministry"
    MILITARY = "military"
    POLICE = "police"
    AGENCY = "agency"
    REGULATOR = "regulator"
    COURT = "court"  # its rulings and findings; it speaks apart from the government
    EMBASSY = "embassy"
    UN_BODY = "un_body"
    INTERNATIONAL_ORG = "international_org"
    LEGISLATURE = "legislature"
    LOCAL_GOVERNMENT = "local_government"
    COMPANY = "company"
    OFFICIAL = "official"  # a named office holder (minister, spokesperson, governor)
    ARMED_GROUP = "armed_group"
    MEDIA = "media"
    PERSON = "person"
    OTHER = "other"


OFFICIAL_ACTOR_TYPES: frozenset[ActorType] = frozenset(
    {
        ActorType.HEAD_OF_STATE,
        ActorType.HEAD_OF_GOVERNMENT,
        ActorType.GOVERNMENT,
        ActorType.MINISTRY,
        ActorType.MILITARY,
        ActorType.POLICE,
        ActorType.AGENCY,
        ActorType.REGULATOR,
        ActorType.COURT,
        ActorType.EMBASSY,
        ActorType.UN_BODY,
        ActorType.INTERNATIONAL_ORG,
        ActorType.LEGISLATURE,
        ActorType.LOCAL_GOVERNMENT,
        ActorType.COMPANY,
        ActorType.OFFICIAL,
    }
)


@dataclass(frozen=True, slots=True)
class Actor:
    """A speaker resolved through the gazetteer (or a role pattern)."""

    key: str  # stable id, e.g. "us.ice"
    name: str  # canonical display name
    type: ActorType
    country: str | None = None  # ISO 3166 alpha-2, lower case; None for international
    aliases: tuple[str, ...] = ()
    parent: str | None = None  # key of the government/body it belongs to
    short: str | None = None  # the name a headline uses ("ICE", "the Pentagon"); see bot.alerts.names
    # Whether the surname alone ("Mnuchin said") may name this person in a text about their
    # country; false where it is a common word or another public figure's name ("Rice", "Acosta").
    bare_surname: bool = True
    # The voice it speaks with when that is not its state's government (bot.detect.sides.voice_of):
    # a lawmaker speaks for herself, a governor for his state. Set by the gazetteer.
    voice: str | None = None
    # Role keys of offices that speak with this body's voice ("us.governor.texas" for the State of
    # Texas): "the governor of Texas" and Governor Abbott are one side of a story.
    offices: tuple[str, ...] = ()
    # Roles this body fills in its country, without the country ("ministry.education" for the
    # U.S. Department of Education): a headline's "Education Department" with no country may be
    # it. Set by the gazetteer from its [roles] map.
    roles: tuple[str, ...] = ()

    @property
    def official(self) -> bool:
        """True when this actor's statements count as official."""
        return self.type in OFFICIAL_ACTOR_TYPES


class StatementKind(StrEnum):
    """What a statement does."""

    CLAIM = "claim"
    DENIAL = "denial"  # another party denies or contradicts
    RETRACTION = "retraction"  # the speaker's own side withdraws
    CORRECTION = "correction"  # the speaker's own side corrects a figure or account
    CONFIRMATION = "confirmation"  # corroborates an earlier statement


@dataclass(frozen=True, slots=True)
class Statement:
    """Who said what in one item, and what kind of statement it is."""

    item_id: int
    kind: StatementKind
    speaker: Actor | None
    speaker_text: str  # the words that named the speaker
    quote: str  # the sentence or headline carrying the statement
    language: str | None = None
    cue: str | None = None  # the cue words ("denied", "es falso", "dementiert")
    target: Actor | None = None  # for denials: whose statement is denied
    target_text: str | None = None
    score: float = 0.0  # how sure the statement extractor is, 0..1
    # What kind of thing a denial targets: "official" (an official actor's statement), "media"
    # (a newspaper report), "rumour" (social-media posts, fake communiqués, hoaxes), "person"
    # (a private person, candidate, celebrity), "armed_group", "other" (NGOs, sports bodies), or
    # None when the text does not say.
    target_kind: str | None = None
    denied: str | None = None  # the words naming what is denied ("ICE's post that ...")
    # the finer kind of the cue (cues.CUE_GROUPS): an "admission" may confess something other
    # than a false statement
    cue_group: str | None = None


class DisputeStatus(StrEnum):
    """Where a dispute stands; a user's verdict overrides what the detector says."""

    DISPUTED = "disputed"
    RETRACTED = "retracted"
    CORRECTED = "corrected"
    CONFIRMED = "confirmed"  # a user confirmed it is a real dispute
    DISMISSED = "dismissed"  # a user said "not a dispute": no further alerts
    MUTED = "muted"  # a user muted the story: no further alerts


class EvidenceRole(StrEnum):
    """The part an item plays in a dispute."""

    CLAIM = "claim"
    DENIAL = "denial"
    COUNTER_ACCOUNT = "counter_account"  # the other side's opposite account, no denial word
    RETRACTION = "retraction"
    CORRECTION = "correction"
    CORROBORATION = "corroboration"
    COVERAGE = "coverage"  # another outlet carrying the same denial


@dataclass(frozen=True, slots=True)
class Evidence:
    """One item in a dispute, as an alert shows it."""

    item_id: int
    role: EvidenceRole
    actor: str  # display name of who speaks in this item
    title: str
    quote: str
    link: str | None
    published: datetime | None
    source: str  # the feed's name
    language: str | None = None
    added_at: datetime | None = None
    actor_key: str | None = None  # the speaker's gazetteer key, when known (for short names)


@dataclass(frozen=True, slots=True)
class Dispute:
    """One story: an official claim and everything that denies, retracts or corrects it."""

    id: int
    status: DisputeStatus
    speaker: str  # who made the claim (display name)
    topic: str  # a few words naming what the claim is about
    claim: Evidence  # for single-item disputes, the item that reports both sides
    evidence: tuple[Evidence, ...]  # denials, retractions, corrections, coverage: oldest first
    confidence: float
    reasons: tuple[str, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None
    verdict: str | None = None
    denier_names: tuple[str, ...] = field(default=())
    speaker_key: str | None = None  # the claimant's gazetteer key, when known (for short names)

    @property
    def denial_count(self) -> int:
        """How many distinct items deny, retract or correct the claim."""
        return sum(
            1
            for e in self.evidence
            if e.role is not EvidenceRole.COVERAGE and e.role is not EvidenceRole.CLAIM
        )
