"""Who may see the pages: everyone on this machine, or whoever has `[web] token`.

With no token (only allowed while the app listens on a loopback address) every page is open.
With a token, a request is let in when it carries
  - `Authorization: Bearer <token>` (Prometheus, scripts),
  - the session cookie the login form or `?token=<token>` set (a browser; the token itself is
    never stored in the cookie, only an HMAC of it),
  - or, for one dispute's timeline only, the `k=` signature an alert's link carries.
Public routes (health checks, the login form, static files, and routes an extension registers
as public, such as a WebSub callback that proves itself) need nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from aiohttp import web

from bot.alerts.links import check_signature

__all__ = ["COOKIE", "Auth"]

COOKIE = "factbot_session"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Auth:
    """The token rule as an aiohttp middleware; `public` holds the resources that skip it."""

    def __init__(self, token: str | None, *, secure_cookie: bool = False) -> None:
        self.token = token
        self.secure_cookie = secure_cookie
        self.public: set[web.AbstractResource] = set()  # resources that skip the check

    @property
    def session(self) -> str:
        assert self.token is not None
        return hmac.new(self.token.encode(), b"factbot-web-session", hashlib.sha256).hexdigest()

    def token_ok(self, given: str | None) -> bool:
        """True when `given` is the token (constant-time)."""
        return bool(self.token and given) and hmac.compare_digest(str(given).encode(), self.token.encode())  # type: ignore[union-attr]

    def allowed(self, request: web.Request) -> bool:
        """True when the request may see what it asks for."""
        if not self.token:
            return True
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer ") and self.token_ok(header[7:].strip()):
            return True
        cookie = request.cookies.get(COOKIE)
        if cookie and hmac.compare_digest(cookie.encode(), self.session.encode()):
            return True
        if request.match_info.route.name == "dispute":
            try:
                dispute_id = int(request.match_info["dispute_id"])
            except (KeyError, ValueError):
                return False
            return check_signature(self.token, dispute_id, request.query.get("k"))
        return False

    def set_session(self, response: web.StreamResponse) -> None:
        """Log the browser in (after the token was shown)."""
        response.set_cookie(
            COOKIE,
            self.session,
            httponly=True,
            samesite="Lax",
            secure=self.secure_cookie,
            path="/",
            max_age=30 * 86400,
        )

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        resource = request.match_info.route.resource
        if resource is not None and resource in self.public:
            return await handler(request)
        if self.token and "token" in request.query and self.token_ok(request.query.get("token")):
            # `?token=` once: remember the browser, then drop the token from the address bar
            clean = request.rel_url.with_query([(k, v) for k, v in request.query.items() if k != "token"])
            response = web.HTTPSeeOther(str(clean))
            self.set_session(response)
            raise response
        if self.allowed(request):
            return await handler(request)
        if request.method == "GET" and "text/html" in request.headers.get("Accept", "text/html"):
            raise web.HTTPSeeOther(f"/login?next={quote(str(request.rel_url), safe='')}")
        raise web.HTTPUnauthorized(
            text="factbot: this page needs the [web] token (Authorization: Bearer ...)\n",
            headers={"WWW-Authenticate": 'Bearer realm="factbot"'},
        )
