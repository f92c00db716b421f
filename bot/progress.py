"""Progress of long operations: a bar on a terminal (tqdm), plain log lines otherwise.

    with progress(len(feeds), "polling feeds", unit="feed") as bar:
        ...; bar.update()

    for row in track(rows, "training", unit="split"):
        ...

On a terminal the bar is drawn on stderr and log lines are printed above it, not through it.
Elsewhere (cron, systemd, CI, a pipe) a bar would be noise in a log file, so a structured log
line says how far it got at most every `every_s` seconds, and once more at the end if the
operation took that long.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import IO, TypeVar

from bot.logging import kv

__all__ = ["Progress", "progress", "track"]

log = logging.getLogger("bot.progress")
T = TypeVar("T")


class Progress:
    """Counts work done; draws a bar on a TTY, logs now and then elsewhere. Use as a context manager."""

    def __init__(
        self,
        total: int | None,
        desc: str,
        *,
        unit: str = "item",
        stream: IO[str] | None = None,
        every_s: float = 10.0,
        bar: bool | None = None,
        min_total: int = 0,
    ) -> None:
        self.total, self.desc, self.unit, self.every_s = total, desc, unit, every_s
        self.done = 0
        self._stream = stream or sys.stderr
        self._start = self._last_log = time.monotonic()
        self._logged = False
        self._bar = None
        self._redirect: contextlib.ExitStack | None = None
        tty = bar if bar is not None else _isatty(self._stream)
        if tty and (total is None or total >= min_total):  # a bar for 3 feeds would only flicker
            from tqdm import tqdm
            from tqdm.contrib.logging import logging_redirect_tqdm

            self._redirect = contextlib.ExitStack()
            self._redirect.enter_context(logging_redirect_tqdm())
            self._bar = tqdm(total=total, desc=desc, unit=f" {unit}", file=self._stream, dynamic_ncols=True)

    def update(self, n: int = 1) -> None:
        """`n` more units done."""
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
            return
        now = time.monotonic()
        if now - self._last_log >= self.every_s:
            self._last_log = now
            self._log("progress")

    def close(self) -> None:
        """Finish the bar, or log the final count if progress lines were logged or it took long."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
            if self._redirect is not None:
                self._redirect.close()
        elif self._logged or time.monotonic() - self._start >= self.every_s:
            self._log("done")

    def _log(self, what: str) -> None:
        self._logged = True
        pct = round(100 * self.done / self.total, 1) if self.total else None
        log.info(
            f"{self.desc}: {what}",
            extra=kv(
                done=self.done,
                total=self.total,
                pct=pct,
                unit=self.unit,
                seconds=round(time.monotonic() - self._start, 1),
            ),
        )

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _isatty(stream: IO[str]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or not a real file
        return False


def progress(
    total: int | None,
    desc: str,
    *,
    unit: str = "item",
    stream: IO[str] | None = None,
    every_s: float = 10.0,
    min_total: int = 0,
) -> Progress:
    """A progress counter for `total` units of work (None when unknown); no bar below `min_total`."""
    return Progress(total, desc, unit=unit, stream=stream, every_s=every_s, min_total=min_total)


def track(
    items: Iterable[T],
    desc: str,
    *,
    total: int | None = None,
    unit: str = "item",
    stream: IO[str] | None = None,
) -> Iterator[T]:
    """Iterate over `items`, counting each one as done."""
    if total is None:
        try:
            total = len(items)  # type: ignore[arg-type]
        except TypeError:
            total = None
    with progress(total, desc, unit=unit, stream=stream) as bar:
        for item in items:
            yield item
            bar.update()
