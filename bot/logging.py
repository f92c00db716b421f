"""Structured logging: one line per event, as `key=value` text or as JSON lines.

Code logs with fields instead of formatting them into the message, so lines can be grepped
and parsed (and "why was this not delivered?" is answerable from the logs):

    log.info("feed polled", extra=kv(feed=url, status=200, new=3))

Plain `extra={"item_id": 7, "outcome": "alert"}` works too: every attribute a record carries
beyond the standard `LogRecord` ones is a field, in both formats. (`kv` only nests the fields
under one attribute, which keeps them clear of names `logging` reserves, such as `name`.)
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import IO, Any

__all__ = ["JsonFormatter", "KeyValueFormatter", "kv", "setup_logging"]

_HANDLER_NAME = "factbot"
_KEY_UNSAFE = re.compile(r"[^\w.-]")


def kv(**fields: Any) -> dict[str, dict[str, Any]]:
    """The `extra=` argument that attaches structured fields to a log record."""
    return {"fields": fields}


# What every LogRecord has (plus what formatters add): anything else on a record came from `extra=`.
_STANDARD_ATTRS = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "fields",
    "taskName",
}


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    """The record's structured fields: `extra=` attributes, then those given through `kv(...)`."""
    out = {k: v for k, v in record.__dict__.items() if k not in _STANDARD_ATTRS and not k.startswith("_")}
    fields = getattr(record, "fields", None)
    if isinstance(fields, dict):
        out.update(fields)
    return out


def _quote(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
    # Quote anything a `key=value` reader would split on; keep simple tokens bare.
    if not text.isprintable():  # newlines, line separators, control characters: escape them all
        return json.dumps(text)
    if text == "" or any(c in text for c in ' ="'):
        return json.dumps(text, ensure_ascii=False)
    return text


class KeyValueFormatter(logging.Formatter):
    """`2025-05-15T09:00:00Z INFO bot.ingest feed polled feed=... status=200` lines."""

    def format(self, record: logging.LogRecord) -> str:
        ts = datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        # One event, one line: newlines inside the message (feed titles...) are escaped.
        msg = record.getMessage()
        if not msg.isprintable():
            msg = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in msg)
        parts = [ts, record.levelname, record.name, msg]
        parts += [f"{_KEY_UNSAFE.sub('_', str(k))}={_quote(v)}" for k, v in _fields(record).items()]
        line = " ".join(parts)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, msg, then the record's fields."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat().replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for k, v in _fields(record).items():
            out.setdefault(k, v)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


def setup_logging(level: str = "INFO", fmt: str = "text", stream: IO[str] | None = None) -> logging.Handler:
    """Configure the root logger once (calling again replaces our handler, not others').

    Logs go to stderr by default so that stdout stays free for console alerts and CLI output.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter() if fmt == "json" else KeyValueFormatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # Libraries that are chatty at INFO: keep their warnings, drop their routine lines.
    for noisy in ("apscheduler", "aiosqlite", "asyncio", "discord", "slack_bolt", "slack_sdk", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    return handler
