"""/healthz (the process answers), /readyz (database reachable, a recent complete cycle), /metrics."""

from __future__ import annotations

import asyncio
import json
import logging

from aiohttp import web
from sqlalchemy import text

from bot import metrics
from bot.logging import kv
from bot.web.context import CONFIG_KEY, DB_KEY

__all__ = ["healthz", "metrics_page", "readyz"]

log = logging.getLogger("bot.web")
DB_TIMEOUT_S = 2.0


async def healthz(request: web.Request) -> web.StreamResponse:
    """The process is alive and its event loop answers."""
    return web.Response(text="ok\n")


async def readyz(request: web.Request) -> web.StreamResponse:
    """Ready when the database answers and polling, detection and delivery all completed a pass
    within `[web] ready_max_age`. 503 with the reasons otherwise."""
    db, config = request.app[DB_KEY], request.app[CONFIG_KEY]
    problems: list[str] = []
    try:
        async with asyncio.timeout(DB_TIMEOUT_S), db.connect() as conn:
            await conn.execute(text("SELECT 1"))
        database = "ok"
    except Exception as e:  # noqa: BLE001 - any failure means "not ready", said in the answer
        database = f"{type(e).__name__}: {e}"[:300]
        problems.append(f"database: {database}")
    age = metrics.cycles.age()
    limit = config.web.ready_max_age_s
    if age is None:
        problems.append("no complete cycle (poll, detect, deliver) yet")
    elif age > limit:
        problems.append(f"last complete cycle {age:.0f} s ago (limit {limit:.0f} s)")
    body = {
        "ready": not problems,
        "database": database,
        "last_cycle_age_s": None if age is None else round(age, 1),
        "problems": problems,
    }
    return web.Response(
        text=json.dumps(body) + "\n", status=200 if not problems else 503, content_type="application/json"
    )


async def metrics_page(request: web.Request) -> web.StreamResponse:
    """Prometheus text format; the database gauges are refreshed first (skipped if it fails)."""
    try:
        async with asyncio.timeout(DB_TIMEOUT_S):
            await metrics.refresh_from_db(request.app[DB_KEY])
    except Exception as e:  # noqa: BLE001 - the process counters are still worth serving
        log.warning("metrics: database gauges not refreshed", extra=kv(error=f"{type(e).__name__}: {e}"))
    body, content_type = metrics.exposition(request.headers.get("Accept"))
    response = web.Response(body=body)
    response.headers["Content-Type"] = content_type
    return response
