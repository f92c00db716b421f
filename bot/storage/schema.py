"""The database schema, as SQLAlchemy Core tables. One schema for SQLite and PostgreSQL.

Full-text search tables are dialect specific and live in `bot.storage.search`
(SQLite FTS5 virtual tables; PostgreSQL tsvector expressions with GIN indexes).
Timestamps are stored as aware UTC datetimes (`UtcDateTime`), so SQLite and PostgreSQL
return the same values.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect

# Integer primary keys that are BIGINT on PostgreSQL and INTEGER (rowid alias) on SQLite.
Id = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, whatever the backend stores."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use aware UTC datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw SQL paths on SQLite
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

feeds = Table(
    "feeds",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("url", String(2048), nullable=False, unique=True),
    Column("name", String(300), nullable=False, default=""),
    Column("kind", String(16), nullable=False, default="news"),
    Column("actor", String(300)),
    Column("language", String(16)),
    Column("interval_s", Integer),
    Column("enabled", Boolean, nullable=False, default=True),
    # a social account's feed: reposts and quotes are credited to their own authors
    Column("account", Boolean, nullable=False, default=False, server_default="0"),
    Column("origin", String(16), nullable=False, default="config"),
    Column("created_at", UtcDateTime, nullable=False),
    # polling state
    Column("next_poll_at", UtcDateTime),
    Column("lease_owner", String(100)),
    Column("lease_until", UtcDateTime),
    Column("etag", String(500)),
    Column("last_modified", String(100)),
    Column("last_poll_at", UtcDateTime),
    Column("last_success_at", UtcDateTime),
    Column("last_status", String(40)),
    Column("last_error", Text),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("failure_notified", Boolean, nullable=False, default=False),
    Index(None, "next_poll_at"),
)

items = Table(
    "items",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("feed_id", Id, ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
    Column("guid", String(2048), nullable=False),
    Column("link", String(2048)),
    Column("title", Text, nullable=False, default=""),
    Column("text", Text, nullable=False, default=""),
    Column("author", String(500)),
    Column("language", String(16)),
    # account feeds: "repost" | "quote" when the words are another author's (Entry.shared)
    Column("shared", String(16)),
    Column("original_author", String(300)),
    Column("published", UtcDateTime),
    Column("updated", UtcDateTime),
    Column("first_seen", UtcDateTime, nullable=False),
    Column("last_seen", UtcDateTime, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("revision", Integer, nullable=False, default=1),
    # detector bookkeeping: NULL = not analysed yet (or changed since)
    Column("analysed_at", UtcDateTime),
    Column("analysis", Text),  # why it did or did not alert, one line
    # The detector's stage-by-stage account of the item as JSON (see docs/ARCHITECTURE.md,
    # "Why no alert?"): read by `bot.why`; NULL when the detector did not write one.
    Column("trace", Text),
    # which replica is analysing it (an owner id, see `bot.storage.owners`) and until when: every
    # replica claims pending items for itself, so detection runs in all of them at once
    Column("analysis_owner", String(100)),
    Column("analysis_until", UtcDateTime),
    UniqueConstraint("feed_id", "guid"),
    Index(None, "link"),
    Index(None, "content_hash"),
    Index(None, "analysed_at"),
    Index(None, "published"),
    Index(None, "first_seen"),  # full-text search bounds its candidates by id through this
)

item_revisions = Table(
    "item_revisions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("item_id", Id, ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("seen_at", UtcDateTime, nullable=False),
    # when the silent-edit check compared this version with the next (NULL: not yet)
    Column("compared_at", UtcDateTime),
    UniqueConstraint("item_id", "revision"),
    Index(None, "compared_at"),
)

# One sentence vector per item (the detector's encoder), for retrieval by meaning. `seq` orders
# the rows as they were written, so a replica loads what others wrote since it last looked.
item_vectors = Table(
    "item_vectors",
    metadata,
    Column("seq", Id, primary_key=True, autoincrement=True),
    Column("item_id", Id, ForeignKey("items.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("said_at", UtcDateTime, nullable=False),
    Column("model", String(40), nullable=False),
    Column("vector", LargeBinary, nullable=False),  # float16, little-endian
    Index(None, "said_at"),
)

# The detector's reading of each analysed item: the earlier item it answers (if any), what
# kind of answer, how likely. A later item that links to this one finds the story's claim
# through it, even when this item alone was too weak to alert.
item_links = Table(
    "item_links",
    metadata,
    Column("item_id", Id, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("earlier_item_id", Id, ForeignKey("items.id", ondelete="SET NULL")),
    Column("label", String(20), nullable=False),
    Column("p", Float, nullable=False),
    Column("alone_p", Float, nullable=False),
    Column("decided_at", UtcDateTime, nullable=False),
    Index(None, "earlier_item_id"),
)

statements = Table(
    "statements",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("item_id", Id, ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("speaker_key", String(120)),
    Column("speaker_name", String(300), nullable=False, default=""),
    Column("speaker_official", Boolean, nullable=False, default=False),
    Column("target_key", String(120)),
    Column("target_name", String(300)),
    Column("cue", String(200)),
    Column("quote", Text, nullable=False, default=""),
    Column("language", String(16)),
    Column("score", Float, nullable=False, default=0.0),
    Column("said_at", UtcDateTime, nullable=False),
    Index(None, "item_id"),
    Index(None, "speaker_key", "said_at"),
    Index(None, "kind", "said_at"),
)

disputes = Table(
    "disputes",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("status", String(16), nullable=False, default="disputed"),
    Column("speaker_key", String(120)),
    Column("speaker_name", String(300), nullable=False),
    Column("topic", String(300), nullable=False, default=""),
    Column("claim_item_id", Id, ForeignKey("items.id", ondelete="SET NULL")),
    Column("claim_statement_id", Id, ForeignKey("statements.id", ondelete="SET NULL")),
    Column("confidence", Float, nullable=False, default=0.0),
    Column("reasons", JSON, nullable=False, default=list),
    Column("terms", Text, nullable=False, default=""),  # key terms used for linking and search
    Column("search_text", Text, nullable=False, default=""),  # actors, claim, denials, terms
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("newest_evidence_at", UtcDateTime),
    Column("verdict", String(20)),  # confirmed | not_a_dispute | muted
    Column("verdict_by", String(100)),
    Column("verdict_at", UtcDateTime),
    Index(None, "speaker_key", "created_at"),
    Index(None, "updated_at"),
    Index(None, "status", "updated_at"),  # the web list filtered by status, newest first
)

evidence = Table(
    "evidence",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("dispute_id", Id, ForeignKey("disputes.id", ondelete="CASCADE"), nullable=False),
    Column("item_id", Id, ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("statement_id", Id, ForeignKey("statements.id", ondelete="SET NULL")),
    Column("role", String(16), nullable=False),
    Column("actor_name", String(300), nullable=False, default=""),
    Column("group_key", String(64)),  # near-duplicate group: the same denial in several outlets
    Column("score", Float, nullable=False, default=0.0),
    Column("reasons", JSON, nullable=False, default=list),
    Column("added_at", UtcDateTime, nullable=False),
    UniqueConstraint("dispute_id", "item_id"),
    Index(None, "item_id"),
)

# Every alert event, one row per destination; written in the same transaction as the
# dispute change that caused it. `idempotency_key` is unique so an event is queued once.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("idempotency_key", String(200), nullable=False, unique=True),
    Column("dispute_id", Id, ForeignKey("disputes.id", ondelete="CASCADE"), nullable=False),
    Column("destination", String(200), nullable=False),  # "slack:C0ALERTS", "discord:123", "console"
    Column("event", String(20), nullable=False),  # new_dispute | new_evidence | status_change | refresh
    Column("evidence_item_id", Id),
    Column("status", String(12), nullable=False, default="pending"),  # pending|sending|sent|dead|skipped
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("claimed_by", String(100)),
    Column("claimed_until", UtcDateTime),
    Column("last_error", Text),
    Column("message_ref", String(200)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime),
    # First failed attempt of a transient failure: `[alerts] give_up_after` counts from here.
    Column("first_failed_at", UtcDateTime),
    Index(None, "status", "next_attempt_at"),
    Index(None, "dispute_id", "destination"),
)

# Where a dispute's parent message lives on each destination (Slack ts, Discord ids).
threads = Table(
    "threads",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("dispute_id", Id, ForeignKey("disputes.id", ondelete="CASCADE"), nullable=False),
    Column("destination", String(200), nullable=False),
    Column("parent_ref", String(200), nullable=False),  # Slack ts / Discord message id
    Column("thread_ref", String(200)),  # Discord thread channel id
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("dispute_id", "destination"),
)

destinations = Table(
    "destinations",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("paused", Boolean, nullable=False, default=False),
    Column("paused_reason", Text),
    Column("paused_at", UtcDateTime),
    Column("admin_notified", Boolean, nullable=False, default=False),
    Column("next_send_at", UtcDateTime),  # pacing / 429 Retry-After
    # An outage: consecutive transient failures (5xx, timeouts) across rows, since when, and
    # whether the admin was told (once per outage; a delivered message ends the outage).
    Column("failures", Integer, nullable=False, default=0),
    Column("failing_since", UtcDateTime),
    Column("outage_notified", Boolean, nullable=False, default=False),
)

# Live processes that hold leases (feeds.lease_owner, outbox.claimed_by). Each heartbeats;
# one that stops (or whose pid is gone on this host) is reaped and its leases freed at once.
owners = Table(
    "owners",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("pid_started", Float, nullable=False),  # the process's start time: tells a reused pid apart
    Column("started_at", UtcDateTime, nullable=False),
    Column("heartbeat_at", UtcDateTime, nullable=False),
)

# WebSub (push) subscriptions, one per feed whose feed advertises a hub. `token` names the
# callback URL (`/websub/<token>`): opaque, so a stranger cannot guess callbacks from feed ids.
# `secret` signs the hub's pushes (HMAC). `requested_at` is set while a subscribe request waits
# for the hub's verification (a new one or a renewal) and cleared when it is verified.
websub_subscriptions = Table(
    "websub_subscriptions",
    metadata,
    Column("feed_id", Id, ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True),
    Column("hub", String(2048), nullable=False),
    Column("topic", String(2048), nullable=False),
    Column("token", String(64), nullable=False, unique=True),
    Column("secret", String(128), nullable=False),
    Column("state", String(16), nullable=False),  # pending | verified | denied | expired
    Column("created_at", UtcDateTime, nullable=False),
    Column("requested_at", UtcDateTime),
    Column("verified_at", UtcDateTime),
    Column("lease_seconds", Integer),
    Column("lease_expires_at", UtcDateTime),
    Column("renew_at", UtcDateTime),
    Column("last_push_at", UtcDateTime),
    Column("last_error", Text),
    Index(None, "state", "renew_at"),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("dispute_id", Id, ForeignKey("disputes.id", ondelete="CASCADE"), nullable=False),
    Column("verdict", String(20), nullable=False),  # confirmed | not_a_dispute | muted
    Column("user_id", String(100), nullable=False),
    Column("platform", String(20), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index(None, "dispute_id"),
)
