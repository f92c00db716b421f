"""What every handler finds on the aiohttp app (typed keys), and the template renderer."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web
from jinja2 import Environment, PackageLoader, select_autoescape

from bot.alerts.view import AlertStyle
from bot.config import Config
from bot.storage.db import Database

if TYPE_CHECKING:
    from bot.web.auth import Auth

__all__ = ["AUTH_KEY", "CONFIG_KEY", "DB_KEY", "ENV_KEY", "STYLE_KEY", "render", "templates"]

DB_KEY = web.AppKey("factbot.db", Database)
CONFIG_KEY = web.AppKey("factbot.config", Config)
STYLE_KEY = web.AppKey("factbot.style", AlertStyle)
AUTH_KEY: web.AppKey[Auth] = web.AppKey("factbot.auth")


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def templates() -> Environment:
    """The page templates; autoescaping is on for every .html template."""
    env = Environment(
        loader=PackageLoader("bot.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    return env


ENV_KEY = web.AppKey("factbot.templates", Environment)


def render(request: web.Request, name: str, *, http_status: int = 200, **values: Any) -> web.Response:
    """A rendered page as an HTML response."""
    html = request.app[ENV_KEY].get_template(name).render(**values)
    return web.Response(text=html, status=http_status, content_type="text/html", charset="utf-8")
