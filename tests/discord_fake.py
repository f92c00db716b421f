"""A local fake of the Discord REST API (v10), enough for factbot's adapter, driven by discord.py.

Start it, point `discord.http.Route.BASE` (or `discord.api_url` in config) at `fake.base_url`,
and discord.py talks to it as it would to Discord: every response carries
`Content-Type: application/json` exactly (discord.py only decodes JSON on that exact value),
429s carry `Via` and `retry_after` like Discord's, and every request is recorded.

Faults are injected with `fake.fail(method, path_regex, status, times=...)`.
Only what the adapter uses is implemented: users/@me, the application, channels and their
messages (create with nonce + enforce_nonce, list, get, edit), threads from a message and forum
posts, active guild threads, DMs, interaction callbacks and webhook follow-ups, and the bulk
overwrite of guild commands.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

DISCORD_EPOCH_MS = 1420070400000
BOT_ID = 900000000000000001
APP_ID = 900000000000000002
OWNER_ID = 900000000000000003
GUILD_ID = 900000000000000010

TEXT, DM, NEWS, PUBLIC_THREAD, FORUM = 0, 1, 5, 11, 15


@dataclass
class Recorded:
    """One request as the fake saw it."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    body: Any  # decoded JSON, or None
    headers: dict[str, str]
    status: int = 0


@dataclass
class _Fault:
    method: str
    pattern: re.Pattern[str]
    status: int
    times: int
    body: dict[str, Any] | None
    retry_after: float
    via: bool
    after: bool  # let the request take effect, then answer with the error (a lost response)


@dataclass
class FakeDiscord:
    """The fake server's state; `async with FakeDiscord() as fake:` starts and stops it."""

    requests: list[Recorded] = field(default_factory=list)
    channels: dict[int, dict[str, Any]] = field(default_factory=dict)
    messages: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    commands: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    faults: list[_Fault] = field(default_factory=list)
    base_url: str = ""
    _runner: web.AppRunner | None = None
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _nonces: dict[tuple[int, str], dict[str, Any]] = field(default_factory=dict)
    # Soak runs: `outage` answers every channel request with 503; `chaos(method, path)` may answer
    # one with "429", "5xx", or "lost" (carried out, then a 500 in place of the answer).
    outage: bool = False
    chaos: Any = None
    posted_at: list[tuple[float, str]] = field(default_factory=list)  # (monotonic, nonce) per new message

    # ---------------------------------------------------------------- lifecycle
    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> str:
        """Serve on 127.0.0.1 on a free port; returns the API base URL (like https://discord.com/api/v10)."""
        app = web.Application(middlewares=[self._middleware])
        app.router.add_route("*", "/api/v10/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}/api/v10"
        return self.base_url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ---------------------------------------------------------------- test helpers
    def snowflake(self) -> int:
        """A fresh id that sorts by creation, like Discord's."""
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return (ms << 22) + (next(self._counter) % (1 << 22))

    def add_channel(
        self, channel_id: int, *, type: int = TEXT, guild_id: int = GUILD_ID, name: str = "alerts"
    ) -> None:
        """Declare a channel the bot can post in (text channel by default; FORUM for a forum)."""
        self.channels[channel_id] = {
            "id": str(channel_id),
            "type": type,
            "guild_id": str(guild_id),
            "name": name,
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
        }
        self.messages.setdefault(channel_id, [])

    def fail(
        self,
        method: str,
        path_regex: str,
        status: int,
        *,
        times: int = 1,
        body: dict[str, Any] | None = None,
        retry_after: float = 1.0,
        via: bool = True,
        after: bool = False,
    ) -> None:
        """Answer the next `times` matching requests with `status` (403, 404, 429, 5xx...).

        With `after=True` the request is carried out first and only its response is replaced:
        the message exists, but the client never heard so (a timeout at Discord's edge).
        """
        fault = _Fault(method.upper(), re.compile(path_regex), status, times, body, retry_after, via, after)
        self.faults.append(fault)

    def calls(self, method: str, path_regex: str = ".*") -> list[Recorded]:
        """Recorded requests with this method whose path matches the regex (fullmatch)."""
        rx = re.compile(path_regex)
        return [r for r in self.requests if r.method == method.upper() and rx.fullmatch(r.path)]

    def posted(self, channel_id: int) -> list[dict[str, Any]]:
        """Messages currently in a channel (or thread), oldest first."""
        return list(self.messages.get(channel_id, []))

    # ---------------------------------------------------------------- plumbing
    @staticmethod
    def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
        # Exactly `application/json`: discord.py compares the header for equality.
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        return web.Response(body=json.dumps(data).encode(), status=status, headers=h)

    @staticmethod
    def _error(status: int, code: int, message: str) -> web.Response:
        return FakeDiscord._json({"code": code, "message": message}, status)

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        body = await self._body(request)
        path = "/" + request.match_info.get("tail", "")
        rec = Recorded(request.method, path, dict(request.query), body, dict(request.headers))
        self.requests.append(rec)
        # Interaction callbacks and webhooks authenticate with the token in the path, not a header.
        by_token = path.startswith(("/interactions/", "/webhooks/"))
        if not by_token and not request.headers.get("Authorization", "").startswith("Bot "):
            resp: web.StreamResponse = self._error(401, 0, "401: Unauthorized")
        else:
            fate = self.chaos(request.method, path) if self.chaos is not None else None
            if self.outage and path.startswith("/channels/"):
                fate = "5xx"
            before = self._fault_for(request.method, path, after=False)
            if fate == "429":
                headers = {"Retry-After": "1", "X-RateLimit-Scope": "user", "Via": "1.1 google"}
                body = {"message": "You are being rate limited.", "retry_after": 1.0, "global": False}
                resp = self._json(body, 429, headers)
            elif fate == "5xx":
                resp = self._error(503, 0, "503: Service Unavailable")
            elif before is not None:
                resp = before
            else:
                resp = await handler(request)
                lost = self._fault_for(request.method, path, after=True)
                if fate == "lost":
                    lost = self._error(500, 0, "500: Internal Server Error")
                resp = lost if lost is not None else resp
        rec.status = resp.status
        return resp

    @staticmethod
    async def _body(request: web.Request) -> Any:
        raw = await request.read()  # aiohttp caches the body, so handlers can read it again
        return json.loads(raw) if raw and request.content_type == "application/json" else None

    def _fault_for(self, method: str, path: str, *, after: bool) -> web.Response | None:
        for f in self.faults:
            if f.times > 0 and f.after == after and f.method == method and f.pattern.fullmatch(path):
                f.times -= 1
                if f.status == 429:
                    headers = {"Retry-After": str(f.retry_after), "X-RateLimit-Scope": "user"}
                    if f.via:
                        headers["Via"] = "1.1 google"
                    body = f.body or {
                        "message": "You are being rate limited.",
                        "retry_after": f.retry_after,
                        "global": False,
                    }
                    return self._json(body, 429, headers)
                defaults = {403: (50013, "Missing Permissions"), 404: (10003, "Unknown Channel")}
                code, message = defaults.get(f.status, (0, f"{f.status}: error"))
                return self._json(f.body or {"code": code, "message": message}, f.status)
        return None

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body = await self._body(request)
        for method, rx, handler in self._routes():
            m = rx.fullmatch(path)
            if m and method == request.method:
                return await handler(request, body, **m.groupdict())
        return self._error(404, 0, f"404: Not Found ({request.method} {path})")

    def _routes(self) -> list[tuple[str, re.Pattern[str], Any]]:
        r = re.compile
        return [
            ("GET", r(r"/users/@me"), self._me),
            ("GET", r(r"/oauth2/applications/@me"), self._application),
            ("GET", r(r"/applications/@me"), self._application),
            ("POST", r(r"/users/@me/channels"), self._open_dm),
            ("GET", r(r"/channels/(?P<cid>\d+)"), self._get_channel),
            ("POST", r(r"/channels/(?P<cid>\d+)/messages"), self._create_message),
            ("GET", r(r"/channels/(?P<cid>\d+)/messages"), self._list_messages),
            ("GET", r(r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)"), self._get_message),
            ("PATCH", r(r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)"), self._edit_message),
            ("POST", r(r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)/threads"), self._thread_from_message),
            ("POST", r(r"/channels/(?P<cid>\d+)/threads"), self._forum_post),
            ("GET", r(r"/guilds/(?P<gid>\d+)/threads/active"), self._active_threads),
            ("POST", r(r"/interactions/(?P<iid>\d+)/(?P<token>[^/]+)/callback"), self._interaction_callback),
            ("POST", r(r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)"), self._followup),
            ("PATCH", r(r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/@original"), self._edit_original),
            ("PUT", r(r"/applications/(?P<app>\d+)/guilds/(?P<gid>\d+)/commands"), self._put_commands),
            ("GET", r(r"/applications/(?P<app>\d+)/guilds/(?P<gid>\d+)/commands"), self._get_commands),
        ]

    # ---------------------------------------------------------------- payloads
    @staticmethod
    def user(user_id: int = BOT_ID, name: str = "factbot", *, bot: bool = True) -> dict[str, Any]:
        """A user object as Discord sends it."""
        return {
            "id": str(user_id),
            "username": name,
            "discriminator": "0",
            "global_name": None,
            "avatar": None,
            "bot": bot,
            "flags": 0,
            "public_flags": 0,
        }

    def _message(
        self, channel_id: int, body: dict[str, Any], *, message_id: int | None = None
    ) -> dict[str, Any]:
        return {
            "id": str(message_id or self.snowflake()),
            "channel_id": str(channel_id),
            "author": self.user(),
            "content": body.get("content") or "",
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "attachments": [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": bool(body.get("tts")),
            "type": 0,
            "flags": body.get("flags", 0),
            "timestamp": datetime.now(UTC).isoformat(),
            "edited_timestamp": None,
            **({"message_reference": body["message_reference"]} if body.get("message_reference") else {}),
        }

    def _thread(self, thread_id: int, parent_id: int, name: str) -> dict[str, Any]:
        parent = self.channels.get(parent_id, {})
        return {
            "id": str(thread_id),
            "type": PUBLIC_THREAD,
            "guild_id": parent.get("guild_id", str(GUILD_ID)),
            "parent_id": str(parent_id),
            "owner_id": str(BOT_ID),
            "name": name,
            "message_count": 0,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 10080,
                "archive_timestamp": datetime.now(UTC).isoformat(),
                "locked": False,
            },
        }

    def _find(self, mid: int) -> dict[str, Any] | None:
        for msgs in self.messages.values():
            for m in msgs:
                if int(m["id"]) == mid:
                    return m
        return None

    # ---------------------------------------------------------------- handlers
    async def _me(self, request: web.Request, body: Any) -> web.Response:
        return self._json(self.user())

    async def _application(self, request: web.Request, body: Any) -> web.Response:
        return self._json(
            {
                "id": str(APP_ID),
                "name": "factbot",
                "icon": None,
                "description": "",
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": self.user(OWNER_ID, "desk-admin", bot=False),
                "verify_key": "0" * 64,
                "team": None,
                "flags": 0,
                "summary": "",
                "rpc_origins": [],
            }
        )

    async def _open_dm(self, request: web.Request, body: Any) -> web.Response:
        cid = self.snowflake()
        self.channels[cid] = {
            "id": str(cid),
            "type": DM,
            "recipients": [self.user(int(body["recipient_id"]), "u", bot=False)],
        }
        self.messages[cid] = []
        return self._json(self.channels[cid])

    async def _get_channel(self, request: web.Request, body: Any, cid: str) -> web.Response:
        ch = self.channels.get(int(cid))
        return self._json(ch) if ch else self._error(404, 10003, "Unknown Channel")

    async def _create_message(self, request: web.Request, body: Any, cid: str) -> web.Response:
        channel_id = int(cid)
        if channel_id not in self.channels:
            return self._error(404, 10003, "Unknown Channel")
        nonce = body.get("nonce")
        if nonce is not None and len(str(nonce)) > 25:
            return self._error(400, 50035, "Invalid Form Body (nonce)")
        if nonce and body.get("enforce_nonce"):
            existing = self._nonces.get((channel_id, str(nonce)))
            if existing is not None:  # Discord returns the message already created with this nonce
                return self._json(existing)
        msg = self._message(channel_id, body)
        if nonce is not None:
            msg["nonce"] = str(nonce)
            self.posted_at.append((time.monotonic(), str(nonce)))
            self._nonces[(channel_id, str(nonce))] = msg
        self.messages[channel_id].append(msg)
        return self._json(msg)

    async def _list_messages(self, request: web.Request, body: Any, cid: str) -> web.Response:
        channel_id = int(cid)
        if channel_id not in self.channels:
            return self._error(404, 10003, "Unknown Channel")
        limit = int(request.query.get("limit", "50"))
        msgs = sorted(self.messages[channel_id], key=lambda m: int(m["id"]), reverse=True)
        if "before" in request.query:
            msgs = [m for m in msgs if int(m["id"]) < int(request.query["before"])]
        # GET responses do not carry the nonce, as on Discord.
        return self._json([{k: v for k, v in m.items() if k != "nonce"} for m in msgs[:limit]])

    async def _get_message(self, request: web.Request, body: Any, cid: str, mid: str) -> web.Response:
        msg = next((m for m in self.messages.get(int(cid), []) if m["id"] == mid), None)
        return self._json(msg) if msg else self._error(404, 10008, "Unknown Message")

    async def _edit_message(self, request: web.Request, body: Any, cid: str, mid: str) -> web.Response:
        msg = next((m for m in self.messages.get(int(cid), []) if m["id"] == mid), None)
        if msg is None:
            return self._error(404, 10008, "Unknown Message")
        for k in ("content", "embeds", "components", "flags"):
            if k in body:
                msg[k] = body[k]
        msg["edited_timestamp"] = datetime.now(UTC).isoformat()
        return self._json(msg)

    async def _thread_from_message(self, request: web.Request, body: Any, cid: str, mid: str) -> web.Response:
        channel_id, message_id = int(cid), int(mid)
        msg = next((m for m in self.messages.get(channel_id, []) if int(m["id"]) == message_id), None)
        if msg is None:
            return self._error(404, 10008, "Unknown Message")
        if "thread" in msg:
            return self._error(400, 160004, "A thread has already been created for this message")
        thread = self._thread(message_id, channel_id, body["name"])  # the thread id is the message id
        self.channels[message_id] = thread
        self.messages[message_id] = []
        msg["thread"] = thread
        return self._json(thread, 201)

    async def _forum_post(self, request: web.Request, body: Any, cid: str) -> web.Response:
        channel_id = int(cid)
        parent = self.channels.get(channel_id)
        if parent is None:
            return self._error(404, 10003, "Unknown Channel")
        if parent["type"] != FORUM:
            return self._error(400, 50024, "Cannot execute action on this channel type")
        thread_id = self.snowflake()
        thread = self._thread(thread_id, channel_id, body["name"])
        self.channels[thread_id] = thread
        starter = self._message(thread_id, body.get("message") or {}, message_id=thread_id)
        self.messages[thread_id] = [starter]
        return self._json({**thread, "message": starter}, 201)

    async def _active_threads(self, request: web.Request, body: Any, gid: str) -> web.Response:
        threads = [
            c for c in self.channels.values() if c.get("type") == PUBLIC_THREAD and c.get("guild_id") == gid
        ]
        return self._json({"threads": threads, "members": []})

    async def _interaction_callback(
        self, request: web.Request, body: Any, iid: str, token: str
    ) -> web.Response:
        data = (body or {}).get("data") or {}
        flags = int(data.get("flags", 0) or 0)
        msg_id = self.snowflake()
        return self._json(
            {
                "interaction": {
                    "id": iid,
                    "type": 2,
                    "response_message_id": str(msg_id),
                    "response_message_loading": body.get("type") == 5,
                    "response_message_ephemeral": bool(flags & 64),
                }
            }
        )

    async def _followup(self, request: web.Request, body: Any, app: str, token: str) -> web.Response:
        return self._json(self._message(0, body or {}))

    async def _edit_original(self, request: web.Request, body: Any, app: str, token: str) -> web.Response:
        return self._json(self._message(0, body or {}))

    async def _put_commands(self, request: web.Request, body: Any, app: str, gid: str) -> web.Response:
        out = []
        for cmd in body or []:
            out.append(
                {**cmd, "id": str(self.snowflake()), "application_id": app, "guild_id": gid, "version": "1"}
            )
        self.commands[int(gid)] = out
        return self._json(out)

    async def _get_commands(self, request: web.Request, body: Any, app: str, gid: str) -> web.Response:
        return self._json(self.commands.get(int(gid), []))


# ---------------------------------------------------------------------------------------------
# The reference story as disputes (our own words), for the Discord tests.
# ---------------------------------------------------------------------------------------------


def _ev(
    item_id: int, role: Any, actor: str, title: str, quote: str, link: str | None, day: int, source: str
) -> Any:
    from bot.types import Evidence

    return Evidence(
        item_id=item_id,
        role=role,
        actor=actor,
        title=title,
        quote=quote,
        link=link,
        published=datetime(2025, 5, day, 14, 0, tzinfo=UTC),
        source=source,
        language="en",
    )


def reference_dispute(
    *, dispute_id: int = 7, with_embassy: bool = False, quote_override: str | None = None
) -> Any:
    """ICE's lab-raid claim, denied by Mexico's president (and later the U.S. Embassy)."""
    from bot.types import Dispute, DisputeStatus, EvidenceRole

    claim = _ev(
        101,
        EvidenceRole.CLAIM,
        "ICE",
        "ICE says its vetted unit led raids on three Sinaloa drug labs",
        quote_override or "Our HSI vetted unit led the takedown of three big synthetic-drug labs in Sinaloa.",
        "https://example.org/ice/sinaloa-labs",
        14,
        "ICE on X",
    )
    denial = _ev(
        102,
        EvidenceRole.DENIAL,
        "Claudia Sheinbaum",
        "Sheinbaum: no U.S. agents took part in Sinaloa operation",
        "The president called the post false: only Mexican forces act on Mexican soil.",
        "https://example.org/mx/presidency-briefing",
        15,
        "Presidency of Mexico",
    )
    evidence = [denial]
    if with_embassy:
        evidence.append(
            _ev(
                103,
                EvidenceRole.DENIAL,
                "U.S. Embassy in Mexico",
                "U.S. Embassy says the ICE post was inaccurate",
                "The embassy said the earlier post did not describe the operation accurately.",
                "https://example.org/embassy/statement",
                15,
                "U.S. Embassy Mexico",
            )
        )
    return Dispute(
        id=dispute_id,
        status=DisputeStatus.DISPUTED,
        speaker="ICE",
        topic="the Sinaloa lab raids",
        claim=claim,
        evidence=tuple(evidence),
        confidence=0.91,
        reasons=(
            "denial cue 'false'",
            "target ICE matches the claim's speaker",
            "shared terms: sinaloa, labs",
        ),
        created_at=datetime(2025, 5, 15, 15, 0, tzinfo=UTC),
    )


async def store_reference_story(db: Any, destinations: list[str]) -> int:
    """Store the claim and the president's denial as a dispute (queued to `destinations`); its id."""
    from sqlalchemy import insert

    from bot.storage import schema as s
    from bot.storage.disputes import NewDispute, NewEvidence, create_dispute
    from bot.types import EvidenceRole

    d = reference_dispute(with_embassy=True)
    now = datetime(2025, 5, 15, 16, 0, tzinfo=UTC)
    async with db.begin() as conn:
        for ev in (d.claim, *d.evidence):
            feed = await conn.execute(
                insert(s.feeds)
                .values(
                    url=f"https://example.org/feeds/{ev.item_id}", name=ev.source, kind="news", created_at=now
                )
                .returning(s.feeds.c.id)
            )
            await conn.execute(
                insert(s.items).values(
                    id=ev.item_id,
                    feed_id=feed.scalar_one(),
                    guid=f"ref-{ev.item_id}",
                    link=ev.link,
                    title=ev.title,
                    text=ev.quote,
                    published=ev.published,
                    first_seen=now,
                    last_seen=now,
                    content_hash=f"{ev.item_id:064d}",
                )
            )
        claim, denial = d.claim, d.evidence[0]
        return await create_dispute(
            conn,
            NewDispute(
                speaker_key="us.ice",
                speaker_name=d.speaker,
                topic=d.topic,
                claim_item_id=claim.item_id,
                claim_statement_id=None,
                confidence=d.confidence,
                reasons=d.reasons,
                terms="ice sinaloa labs raids hsi",
                claim_text=claim.quote,
                claim_said_at=claim.published,
            ),
            [
                NewEvidence(
                    item_id=denial.item_id,
                    role=EvidenceRole.DENIAL,
                    actor_name=denial.actor,
                    said_at=denial.published,
                    text=f"{denial.title} {denial.quote}",
                )
            ],
            destinations=destinations,
            now=now,
        )


async def add_embassy_denial(db: Any, dispute_id: int, destinations: list[str]) -> int:
    """The U.S. Embassy's later denial joins the dispute; returns its item id."""
    from bot.storage.disputes import NewEvidence, add_evidence
    from bot.types import EvidenceRole

    embassy = reference_dispute(with_embassy=True).evidence[-1]
    async with db.begin() as conn:
        await add_evidence(
            conn,
            dispute_id,
            NewEvidence(
                item_id=embassy.item_id,
                role=EvidenceRole.DENIAL,
                actor_name=embassy.actor,
                said_at=embassy.published,
                text=f"{embassy.title} {embassy.quote}",
            ),
            destinations=destinations,
            now=datetime(2025, 5, 15, 18, 0, tzinfo=UTC),
        )
    return int(embassy.item_id)
