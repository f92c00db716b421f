"""Structured logs: key=value text and JSON lines, with the record's fields."""

from __future__ import annotations

import io
import json
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.logging import JsonFormatter, KeyValueFormatter, kv, setup_logging
from bot.storage.db import Database


@pytest.fixture
def restore_root() -> object:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


def _record(msg: str, /, **fields: object) -> logging.LogRecord:
    record = logging.LogRecord("bot.test", logging.INFO, __file__, 1, msg, None, None)
    record.fields = fields  # type: ignore[attr-defined]
    return record


def test_text_lines_carry_fields_as_key_value() -> None:
    line = KeyValueFormatter().format(
        _record("feed polled", feed="http://x/a.xml", status=200, note="two words")
    )
    assert " INFO bot.test feed polled " in line
    assert "feed=http://x/a.xml" in line and "status=200" in line and 'note="two words"' in line


def test_json_lines_are_one_object_with_fields() -> None:
    obj = json.loads(JsonFormatter().format(_record("feed polled", feed="u", new=3, failed=False)))
    assert obj["msg"] == "feed polled" and obj["level"] == "INFO" and obj["logger"] == "bot.test"
    assert obj["feed"] == "u" and obj["new"] == 3 and obj["failed"] is False
    assert obj["ts"].endswith("Z")


def test_setup_logging_replaces_only_its_own_handler(restore_root: logging.Logger) -> None:
    other = logging.NullHandler()
    restore_root.addHandler(other)
    stream = io.StringIO()
    setup_logging("INFO", "text", stream=io.StringIO())
    setup_logging("DEBUG", "json", stream=stream)
    ours = [h for h in restore_root.handlers if h.get_name() == "factbot"]
    assert len(ours) == 1 and other in restore_root.handlers
    logging.getLogger("bot.x").debug("hello", extra=kv(a=1))
    assert json.loads(stream.getvalue().splitlines()[-1])["a"] == 1


def test_exceptions_are_kept() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord("bot.t", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    assert "ValueError: boom" in KeyValueFormatter().format(record)
    assert "ValueError: boom" in json.loads(JsonFormatter().format(record))["exc"]


@given(st.dictionaries(st.text(min_size=1, max_size=10), st.one_of(st.text(), st.integers(), st.none())))
def test_any_fields_format_as_one_text_line_and_valid_json(fields: dict[str, object]) -> None:
    text = KeyValueFormatter().format(_record("m\nsecond\u2028line\x0c", **fields))
    assert len(text.splitlines()) == 1
    json.loads(JsonFormatter().format(_record("m", **fields)))


def test_plain_extra_fields_reach_both_formats() -> None:
    record = logging.LogRecord("bot.t", logging.INFO, __file__, 1, "item %d", (7,), None)
    record.__dict__.update({"item_id": 7, "outcome": "alert", "dispute_id": None, "confidence": 0.81})
    obj = json.loads(JsonFormatter().format(record))
    assert (obj["item_id"], obj["outcome"], obj["dispute_id"], obj["confidence"]) == (7, "alert", None, 0.81)
    line = KeyValueFormatter().format(record)
    assert "item_id=7 outcome=alert dispute_id=null confidence=0.81" in line


async def test_detector_item_lines_carry_their_fields_in_json(
    restore_root: logging.Logger, sqlite_db: Database
) -> None:
    """The detector passes `extra={...}` (not `kv`): its per-item fields must survive as JSON."""
    from bot.config import AlertsConfig, Config
    from bot.detect.detector import Detector
    from tests.test_reference_story import CLAIM, DENIAL, _add

    stream = io.StringIO()
    setup_logging("INFO", "json", stream=stream)
    await _add(sqlite_db, [CLAIM, DENIAL])
    config = Config(alerts=AlertsConfig(max_age_days=0))
    await Detector(sqlite_db, config, ["console:stdout"], stance=False).process_pending()
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    per_item = [o for o in lines if o["logger"] == "factbot.detect" and "item_id" in o]
    assert len(per_item) == 2
    alerted = next(o for o in per_item if o["outcome"] == "alert")
    assert isinstance(alerted["dispute_id"], int) and 0.6 <= alerted["confidence"] <= 1.0
    assert alerted["msg"].startswith(f"item {alerted['item_id']} alert:")
    quiet = next(o for o in per_item if o is not alerted)
    assert quiet["outcome"] == "none" and quiet["dispute_id"] is None
