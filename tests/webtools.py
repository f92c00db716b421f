"""Shared by the web tests: the reference story through the real detector and dispatcher, and a
running `WebApp` on 127.0.0.1 (any free port)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta

from bot.adapters.console import ConsoleSender
from bot.alerts.dispatcher import Dispatcher
from bot.alerts.view import AlertStyle
from bot.config import AlertsConfig, Config, WebConfig
from bot.storage.db import Database
from bot.web import Extension, WebApp
from tests.test_reference_story import CLAIM, DENIAL, EMBASSY, NOISE, _add, _detector

TOKEN = "desk-token-0123456789abcdef"
BASE_URL = "https://factbot.desk.example"
HOSTILE_TITLE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script> @here & “quotes”'


def web_config(
    *, token: str | None = None, host: str = "127.0.0.1", base_url: str | None = BASE_URL
) -> Config:
    """A config whose pages listen on 127.0.0.1 (any free port) with an optional token."""
    return Config(
        alerts=AlertsConfig(max_age_days=0),
        web=WebConfig(host=host, port=0, base_url=base_url, token=token),
    )


async def reference_story(db: Database, config: Config, *, hostile: bool = False) -> dict[str, object]:
    """The claim, the president's denial and the Embassy's through the real detector; alerts
    delivered to the console (their text returned). With `hostile`, the Embassy's headline is an
    attack on the page."""
    det = _detector(db)
    out = io.StringIO()
    dispatcher = Dispatcher(db, {"slack": ConsoleSender(out)}, style=AlertStyle.from_config(config))
    claim, noise = await _add(db, [CLAIM, NOISE])
    await det.process_pending()
    (denial,) = await _add(db, [DENIAL])
    await det.process_pending()
    await dispatcher.dispatch_pending()
    embassy_row = (*EMBASSY[:3], HOSTILE_TITLE, EMBASSY[4]) if hostile else EMBASSY
    (embassy,) = await _add(db, [embassy_row])
    await det.process_pending()
    await dispatcher.dispatch_pending(now=None)
    return {"claim": claim, "noise": noise, "denial": denial, "embassy": embassy, "alerts": out.getvalue()}


@asynccontextmanager
async def serving(
    db: Database, config: Config, extensions: Iterable[Extension] = ()
) -> AsyncIterator[WebApp]:
    """The web app, started on a free port and stopped afterwards."""
    web = WebApp(db, config, extensions=extensions)
    await web.start()
    try:
        yield web
    finally:
        await web.stop()


def later(config: Config, **web: object) -> Config:
    """The same config with other [web] values."""
    return replace(config, web=replace(config.web, **web))  # type: ignore[arg-type]


ONE_DAY = timedelta(days=1)
