"""Structured logs: key=value text and JSON lines, with the record's fields."""

from __future__ import annotations

import io
import json
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.logging import JsonFormatter, KeyValueFormatter, kv, setup_logging


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
