"""The web app that runs inside `factbot run`: pages, health checks, metrics, and room for more.

    web = WebApp(db, config)
    web.add_routes([web_routes.post("/websub/{feed_id}", callback)], public=True)  # before start()
    await web.start()   # listens on [web] host:port
    ...
    await web.stop()

Other parts of factbot add their routes through `add_routes` (or pass `extensions`, callables
that receive the `WebApp`), before `start()`: aiohttp freezes the router once it serves.
Handlers find the database, config and alert style on the app (`bot.web.context` keys).
Routes are behind the `[web] token` unless registered with `public=True` (a WebSub callback
authenticates itself with its hub's signature, not with our token).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from aiohttp import web

from bot.alerts.view import AlertStyle
from bot.config import Config
from bot.logging import kv
from bot.storage.db import Database
from bot.web import health, pages
from bot.web.auth import Auth
from bot.web.context import AUTH_KEY, CONFIG_KEY, DB_KEY, ENV_KEY, STYLE_KEY, render, templates

__all__ = ["Extension", "WebApp"]

log = logging.getLogger("bot.web")
STATIC = Path(__file__).with_name("static")
Extension = Callable[["WebApp"], None]

# Sent with every response: no scripts at all, no framing, no referrer (a signed timeline link
# must not leak to the sites its articles link to), no content sniffing.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


@web.middleware
async def _errors(request: web.Request, handler: Callable) -> web.StreamResponse:  # type: ignore[type-arg]
    """HTML error pages for browsers; a logged 500 (never a traceback) for unexpected errors."""
    try:
        return await handler(request)
    except web.HTTPException as e:
        if e.status < 400 or "text/html" not in request.headers.get("Accept", ""):
            raise
        return render(
            request, "error.html", http_status=e.status, code=e.status, reason=e.reason, message=e.text or ""
        )
    except Exception as e:
        log.exception("web: page failed", extra=kv(path=request.path, error=f"{type(e).__name__}: {e}"))
        return render(
            request,
            "error.html",
            status=500,
            reason="Internal error",
            message="The error is in factbot's log.",
        )


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    for k, v in SECURITY_HEADERS.items():
        response.headers.setdefault(k, v)


class WebApp:
    """The aiohttp application with factbot's pages; `start()` serves it on `[web] host:port`."""

    def __init__(
        self,
        db: Database,
        config: Config,
        *,
        extensions: Iterable[Extension] = (),
        style: AlertStyle | None = None,
    ) -> None:
        self.db, self.config = db, config
        self.auth = Auth(config.web.token, secure_cookie=(config.web.base_url or "").startswith("https://"))
        self.app = web.Application(middlewares=[_errors, self.auth.middleware], client_max_size=64 * 1024)
        self.app[DB_KEY] = db
        self.app[CONFIG_KEY] = config
        self.app[STYLE_KEY] = style or AlertStyle.from_config(config)
        self.app[AUTH_KEY] = self.auth
        self.app[ENV_KEY] = templates()
        self.app.on_response_prepare.append(_security_headers)
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        r = web.RouteTableDef()
        r.get("/", name="index")(pages.index)
        r.get("/disputes", name="disputes")(pages.disputes)
        r.get("/disputes/{dispute_id}", name="dispute")(pages.dispute)
        r.get("/why", name="why")(pages.why)
        r.get("/feeds", name="feeds")(pages.feeds)
        r.get("/metrics", name="metrics")(health.metrics_page)
        self.add_routes(r)
        public = web.RouteTableDef()
        public.get("/healthz", name="healthz")(health.healthz)
        public.get("/readyz", name="readyz")(health.readyz)
        public.get("/login", name="login")(pages.login_form)
        public.post("/login", name="login_submit")(pages.login_submit)
        self.add_routes(public, public=True)
        static = self.app.router.add_static("/static", STATIC, name="static")
        self.auth.public.add(static)
        for extend in extensions:
            extend(self)

    def add_routes(self, routes: Iterable[web.AbstractRouteDef], *, public: bool = False) -> None:
        """Register more routes (before `start()`); `public=True` skips the token check."""
        for definition in routes:
            for route in definition.register(self.app.router):
                if public and route.resource is not None:
                    self.auth.public.add(route.resource)

    @property
    def url(self) -> str:
        """Where this app listens (after `start()`)."""
        host = self.config.web.host
        return f"http://{'[' + host + ']' if ':' in host else host}:{self.port}"

    async def start(self) -> None:
        """Listen on `[web] host:port` (port 0: any free one, see `.port`)."""
        runner = web.AppRunner(self.app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.config.web.host, self.config.web.port, reuse_address=True)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        server = site._server  # the bound socket tells the real port when 0 was asked for
        sockets = getattr(server, "sockets", None) or []
        self.port = int(sockets[0].getsockname()[1]) if sockets else self.config.web.port
        log.info(
            "web pages serving",
            extra=kv(url=self.url, token=bool(self.config.web.token), base_url=self.config.web.base_url),
        )

    async def stop(self) -> None:
        """Stop serving (requests in flight get a moment to finish)."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
