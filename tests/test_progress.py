"""Progress of long operations: a tqdm bar on a terminal, structured log lines elsewhere."""

from __future__ import annotations

import io
import logging

import pytest

from bot.progress import Progress, progress, track


class Terminal(io.StringIO):
    """A stream that says it is a TTY (what a user's terminal is)."""

    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar() -> None:
    tty = Terminal()
    with progress(3, "polling feeds", unit="feed", stream=tty) as bar:
        for _ in range(3):
            bar.update()
    out = tty.getvalue()
    assert "polling feeds" in out and "3/3" in out and "100%" in out


def test_no_bar_for_a_handful(caplog: pytest.LogCaptureFixture) -> None:
    tty = Terminal()
    with progress(3, "polling feeds", stream=tty, min_total=20) as bar:
        bar.update(3)
    assert tty.getvalue() == ""


def test_elsewhere_log_lines_with_fields(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.progress")
    pipe = io.StringIO()  # cron, systemd, CI: not a TTY
    items = list(track(range(5), "importing feeds", unit="feed", stream=pipe))
    assert items == [0, 1, 2, 3, 4] and pipe.getvalue() == ""
    assert caplog.records == []  # quick work: no line at all
    with Progress(4, "eval: replaying items", stream=pipe, every_s=0.0) as p:
        p.update(2)
        p.update(2)
    lines = [r for r in caplog.records if r.name == "bot.progress"]
    assert [r.getMessage() for r in lines] == [
        "eval: replaying items: progress",
        "eval: replaying items: progress",
        "eval: replaying items: done",
    ]
    last = lines[-1].fields  # type: ignore[attr-defined]
    assert (last["done"], last["total"], last["pct"]) == (4, 4, 100.0)


def test_unknown_totals_are_fine() -> None:
    tty = Terminal()
    assert list(track(iter("abc"), "reading", stream=tty)) == ["a", "b", "c"]
    assert "3" in tty.getvalue()
