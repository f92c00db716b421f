"""A local fake of the Slack Web API (aiohttp on 127.0.0.1) for the adapter tests.

It keeps channels with their messages (metadata and threads included), records every call,
and can be told to fail the next calls of a method: 429 with Retry-After, an `ok: false`
error (`channel_not_found`, `is_archived`, `not_in_channel`, `invalid_auth`, ...) or a 5xx.
`/api/response` stands in for a slash command's or action's `response_url`.

It also speaks Socket Mode: `apps.connections.open` (app-level `xapp-` token only) hands out
`ws://127.0.0.1:<port>/socket`, where the fake greets with `hello`, pushes envelopes on demand
(`push`), and records the acks (`{"envelope_id", "payload"?}`) the client sends back.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from aiohttp import WSMsgType, web

BOT_USER = "U0BOT"
CHANNEL = "C0ALERTS"  # the alert channel the adapter tests configure


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    ts: str | None = None
    token: str | None = None  # from `Authorization: Bearer ...` (or a `token` argument)


@dataclass
class Ack:
    """What the client sent back over the socket for one envelope."""

    envelope_id: str
    payload: dict[str, Any] | None
    at: float  # time.monotonic() on arrival


@dataclass
class SocketConn:
    """One Socket Mode WebSocket connection, from the server's side."""

    ws: web.WebSocketResponse
    received: list[dict[str, Any]] = field(default_factory=list)  # every JSON message, in order
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    close_code: int | None = None


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
    sockets: list[SocketConn] = field(default_factory=list)  # every connection, newest last
    acks: dict[str, Ack] = field(default_factory=dict)  # by envelope id
    _connected: asyncio.Condition = field(default_factory=asyncio.Condition)
    _acked: asyncio.Condition = field(default_factory=asyncio.Condition)
    delays: dict[str, float] = field(default_factory=dict)  # method -> seconds before answering
    refuse_sockets: int = 0  # refuse this many WebSocket handshakes (503), then accept
    socket_attempts: list[str] = field(default_factory=list)  # the ticket of every handshake tried
    # Soak runs: `outage` answers every Web API call with 503; `chaos(method)` may answer a call
    # with "429", "5xx", or "lost" (carried out, then a 504: the message exists, the answer is lost).
    outage: bool = False
    chaos: Any = None
    posted_at: list[tuple[float, str]] = field(default_factory=list)  # (monotonic, key) per new message
    _tickets: Any = field(default_factory=lambda: itertools.count(1))

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

    @property
    def socket_url(self) -> str:
        """A new URL per call, as Slack's are: each carries a ticket of its own."""
        return f"ws://127.0.0.1:{self.port}/socket?ticket={next(self._tickets)}"

    async def connection(self, within: float = 5) -> SocketConn:
        """The newest open Socket Mode connection (waits for one)."""

        def current() -> bool:
            return bool(self.sockets) and not self.sockets[-1].ws.closed

        async with self._connected:
            await asyncio.wait_for(self._connected.wait_for(current), within)
        return self.sockets[-1]

    async def push(
        self, kind: str, payload: dict[str, Any], *, accepts_response_payload: bool | None = None
    ) -> str:
        """Send an envelope (`slash_commands`, `interactive`, `events_api`) over the socket; its id.

        Slack sets `accepts_response_payload` for slash commands and interactions that can be
        answered in the ack (it is false for button clicks on messages).
        """
        conn = await self.connection()
        envelope_id = str(uuid.uuid4())
        if accepts_response_payload is None:
            accepts_response_payload = kind == "slash_commands"
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
        }
        if kind == "events_api":
            envelope.update(retry_attempt=0, retry_reason="")
        await conn.ws.send_json(envelope)
        return envelope_id

    async def refresh(self) -> None:
        """Ask the client to reconnect, as Slack does every few hours (`refresh_requested`)."""
        conn = await self.connection()
        await conn.ws.send_json(
            {"type": "disconnect", "reason": "refresh_requested", "debug_info": {"host": "applink-fake"}}
        )

    async def ack(self, envelope_id: str, within: float = 3) -> Ack:
        """The client's ack of an envelope; fails after `within` s (Slack's own limit is 3 s)."""
        async with self._acked:
            await asyncio.wait_for(self._acked.wait_for(lambda: envelope_id in self.acks), within)
        return self.acks[envelope_id]

    async def __aenter__(self) -> FakeSlack:
        app = web.Application()
        app.router.add_get("/socket", self._socket)
        app.router.add_post("/api/{method}", self._handle)
        app.router.add_get("/api/{method}", self._handle)  # the SDK reads history with GET
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        for conn in self.sockets:  # an open socket would hold up the server's shutdown
            if not conn.ws.closed:
                await conn.ws.close(code=1001, message=b"server shutting down")
        if self._runner is not None:
            await self._runner.cleanup()

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        self.socket_attempts.append(request.query.get("ticket", ""))
        if self.refuse_sockets > 0:
            self.refuse_sockets -= 1
            return web.Response(status=503, text="socket host unavailable")
        ws = web.WebSocketResponse()  # answers the client's pings itself
        await ws.prepare(request)
        conn = SocketConn(ws)
        async with self._connected:
            self.sockets.append(conn)
            self._connected.notify_all()
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": sum(not c.ws.closed for c in self.sockets),
                "debug_info": {"host": "applink-fake", "approximate_connection_time": 18060},
                "connection_info": {"app_id": "A0FACTBOT"},
            }
        )
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                data = json.loads(msg.data)
                conn.received.append(data)
                if isinstance(data, dict) and "envelope_id" in data:
                    async with self._acked:
                        self.acks[data["envelope_id"]] = Ack(
                            data["envelope_id"], data.get("payload"), time.monotonic()
                        )
                        self._acked.notify_all()
        finally:
            conn.close_code = ws.close_code
            conn.closed.set()
        return ws

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
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else args.get("token")
        call = Call(method, args, token=token)
        self.log.append(call)
        if self.delays.get(method):
            await asyncio.sleep(self.delays[method])
        queue = self.faults.get(method) or []
        if self.outage and method != "response":
            return web.Response(status=503, text="outage")
        fate = self.chaos(method) if self.chaos is not None else None
        if fate == "429":
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
            )
        if fate == "5xx":
            return web.Response(status=503, text="upstream trouble")
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
        answer = getattr(self, "_" + method.replace(".", "_"), self._unknown)(call)
        if fate == "lost":
            return web.Response(status=504, text="gateway timeout")
        return web.json_response(answer)

    def _unknown(self, call: Call) -> dict[str, Any]:
        return {"ok": False, "error": "unknown_method"}

    def _apps_connections_open(self, call: Call) -> dict[str, Any]:
        if not call.token:
            return {"ok": False, "error": "not_authed"}
        if not call.token.startswith("xapp-"):  # e.g. the bot token: Slack wants the app-level one
            return {"ok": False, "error": "not_allowed_token_type"}
        return {"ok": True, "url": self.socket_url}

    def _auth_test(self, call: Call) -> dict[str, Any]:
        return {"ok": True, "user_id": BOT_USER, "bot_id": "B0BOT", "team_id": "T0TEAM", "user": "factbot"}

    def _chat_postMessage(self, call: Call) -> dict[str, Any]:
        a = call.args
        ts = f"{1700000000 + next(self._counter)}.000100"
        call.ts = ts
        msg = {"ts": ts, "user": BOT_USER, "text": a.get("text", ""), "blocks": a.get("blocks")}
        if a.get("metadata"):
            msg["metadata"] = a["metadata"]
            self.posted_at.append((time.monotonic(), str(a["metadata"].get("event_payload", {}).get("key"))))
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


async def responses(fake: FakeSlack, n: int = 1, method: str = "response") -> list[Call]:
    """The calls Bolt made after acking (it answers in the background); waits up to 10 s."""
    for _ in range(200):
        if len(fake.calls(method)) >= n:
            return fake.calls(method)
        await asyncio.sleep(0.05)
    raise AssertionError(f"no {method} call arrived: {[c.method for c in fake.log]}")


def slash_command(fake: FakeSlack, name: str, text: str, user: str = "U0REPORTER") -> dict[str, str]:
    """A slash command as Slack sends it: the HTTP form fields, or a `slash_commands` payload."""
    return {
        "command": name,
        "text": text,
        "user_id": user,
        "channel_id": CHANNEL,
        "team_id": "T0TEAM",
        "response_url": fake.response_url,
        "trigger_id": "1.2.3",
    }


def button_click(fake: FakeSlack, action_id: str, value: str, user: str = "U0REPORTER") -> dict[str, Any]:
    """A `block_actions` payload: a click on one button of an alert in the channel."""
    return {
        "type": "block_actions",
        "team": {"id": "T0TEAM"},
        "user": {"id": user},
        "channel": {"id": CHANNEL},
        "container": {"type": "message", "message_ts": "1.1"},
        "response_url": fake.response_url,
        "trigger_id": "1.2.3",
        "actions": [
            {"type": "button", "action_id": action_id, "value": value, "block_id": "b", "action_ts": "1"}
        ],
    }
