"""A local fake of the Slack Web API (aiohttp on 127.0.0.1) for the adapter tests.

It keeps channels with their messages (metadata and threads included), records every call,
and can be told to fail the next calls of a method: 429 with Retry-After, an `ok: false`
error (`channel_not_found`, `is_archived`, `not_in_channel`, `invalid_auth`, ...) or a 5xx.
`/api/response` stands in for a slash command's or action's `response_url`.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web

BOT_USER = "U0BOT"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    ts: str | None = None


@dataclass
class Fault:
    error: str | None = None  # ok:false error code
    status: int = 200
    retry_after: int | None = None


@dataclass
class FakeSlack:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    log: list[Call] = field(default_factory=list)
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    _counter: Any = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    @property
    def response_url(self) -> str:
        return f"{self.base_url}response"

    def fail(
        self,
        method: str,
        *,
        error: str | None = None,
        status: int = 200,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` fail this way."""
        self.faults.setdefault(method, []).extend(Fault(error, status, retry_after) for _ in range(times))

    def calls(self, method: str) -> list[Call]:
        return [c for c in self.log if c.method == method]

    async def __aenter__(self) -> FakeSlack:
        app = web.Application()
        app.router.add_post("/api/{method}", self._handle)
        app.router.add_get("/api/{method}", self._handle)  # the SDK reads history with GET
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _args(self, request: web.Request) -> dict[str, Any]:
        raw = await request.text()
        if request.method == "GET":
            return dict(request.query)
        if "json" in request.headers.get("Content-Type", ""):
            return json.loads(raw or "{}")
        args: dict[str, Any] = {k: v[0] for k, v in parse_qs(raw).items()}
        for k in ("blocks", "metadata"):
            if isinstance(args.get(k), str):
                args[k] = json.loads(args[k])
        return args

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        call = Call(method, args)
        self.log.append(call)
        queue = self.faults.get(method) or []
        if queue:
            f = queue.pop(0)
            headers = {"Retry-After": str(f.retry_after)} if f.retry_after is not None else {}
            if f.status == 429:
                return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers=headers)
            if f.status >= 500:
                return web.Response(status=f.status, text="upstream trouble")
            return web.json_response({"ok": False, "error": f.error}, headers=headers)
        if method == "response":
            return web.Response(text="ok")
        return web.json_response(getattr(self, "_" + method.replace(".", "_"), self._unknown)(call))

    def _unknown(self, call: Call) -> dict[str, Any]:
        return {"ok": False, "error": "unknown_method"}

    def _auth_test(self, call: Call) -> dict[str, Any]:
        return {"ok": True, "user_id": BOT_USER, "bot_id": "B0BOT", "team_id": "T0TEAM", "user": "factbot"}

    def _chat_postMessage(self, call: Call) -> dict[str, Any]:
        a = call.args
        ts = f"{1700000000 + next(self._counter)}.000100"
        call.ts = ts
        msg = {"ts": ts, "user": BOT_USER, "text": a.get("text", ""), "blocks": a.get("blocks")}
        if a.get("metadata"):
            msg["metadata"] = a["metadata"]
        if a.get("thread_ts"):
            msg["thread_ts"] = a["thread_ts"]
        self.channels.setdefault(a["channel"], []).append(msg)
        return {"ok": True, "channel": a["channel"], "ts": ts, "message": msg}

    def _chat_update(self, call: Call) -> dict[str, Any]:
        a = call.args
        for m in self.channels.get(a["channel"], []):
            if m["ts"] == a["ts"]:
                m.update(text=a.get("text", ""), blocks=a.get("blocks"))
                return {"ok": True, "channel": a["channel"], "ts": a["ts"]}
        return {"ok": False, "error": "message_not_found"}

    def _chat_postEphemeral(self, call: Call) -> dict[str, Any]:
        return {"ok": True, "message_ts": f"{1700000000 + next(self._counter)}.000200"}

    def _conversations_history(self, call: Call) -> dict[str, Any]:
        msgs = [
            m for m in self.channels.get(call.args["channel"], []) if m.get("thread_ts") in (None, m["ts"])
        ]
        return {"ok": True, "messages": list(reversed(msgs)), "has_more": False}

    def _conversations_replies(self, call: Call) -> dict[str, Any]:
        ts = call.args["ts"]
        msgs = [m for m in self.channels.get(call.args["channel"], []) if ts in (m["ts"], m.get("thread_ts"))]
        return {"ok": True, "messages": msgs, "has_more": False}

    def _users_info(self, call: Call) -> dict[str, Any]:
        user = self.users.get(call.args["user"])
        return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
