"""factbot's web pages, health checks and metrics, served inside `factbot run` (see `WebApp`)."""

from bot.web.app import Extension, WebApp

__all__ = ["Extension", "WebApp"]
