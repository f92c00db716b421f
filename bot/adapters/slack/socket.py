"""Socket Mode: a fresh WebSocket URL for every connection attempt.

Slack's `apps.connections.open` hands out a URL that works for one connection. slack_sdk's
aiohttp client asks for one, but when connecting to it fails it keeps retrying that same URL
(`connect()` only asks again when it has none), so a dropped socket whose URL has expired
never comes back. `fresh_url_per_attempt(client)` makes a failed connect forget the URL it
used, so the SDK's next attempt asks Slack for a new one.
"""

from __future__ import annotations

from typing import Any


class _ForgetUrlOnFailure:
    """The SDK client's aiohttp session, except that a failed `ws_connect` forgets its URL."""

    def __init__(self, session: Any, client: Any) -> None:
        self._session, self._client = session, client

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)

    async def ws_connect(self, url: str, **kwargs: Any) -> Any:
        try:
            return await self._session.ws_connect(url, **kwargs)
        except BaseException:
            if self._client.wss_uri == url:
                self._client.wss_uri = None  # the next attempt calls apps.connections.open
            raise


def fresh_url_per_attempt(client: Any) -> None:
    """Make `client` (slack_sdk.socket_mode.aiohttp.SocketModeClient) ask for a new URL after a failure."""
    client.aiohttp_client_session = _ForgetUrlOnFailure(client.aiohttp_client_session, client)
