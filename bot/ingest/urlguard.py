"""Refusing feed URLs that point inside our own network (SSRF guard for feeds added from chat).

A chat user must not be able to make the bot fetch `http://169.254.169.254/` or a database
admin page on the LAN. Every address a host resolves to must be public, unless the host is
allow-listed by the admin. The fetcher re-applies the check on every redirect hop.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Sequence
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

# Names that resolve to cloud metadata services on some providers, whatever DNS says elsewhere.
METADATA_HOSTS = frozenset(
    {
        "metadata.google.internal",
        "metadata",
        "metadata.azure.internal",
        "instance-data",
        "instance-data.ec2.internal",
    }
)


class UnsafeURL(ValueError):
    """The URL is not http(s), does not resolve, or points to a non-public address."""


def is_public_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for globally routable unicast addresses (no loopback, private, link-local, ULA, metadata)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return is_public_ip(ip.ipv4_mapped)
    if isinstance(ip, ipaddress.IPv6Address) and ip in ipaddress.ip_network("64:ff9b::/96"):
        return is_public_ip(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def host_allowed(host: str, allow_hosts: Sequence[str]) -> bool:
    """True if the host (name or IP) is in the admin's allow-list (exact, case-insensitive)."""
    host = host.lower().rstrip(".").strip("[]")
    return any(host == a.lower().rstrip(".").strip("[]") for a in allow_hosts)


async def check_public_url(url: str, allow_hosts: Sequence[str] = ()) -> None:
    """Raise `UnsafeURL` unless `url` is http(s) and its host resolves only to public addresses.

    Hosts in `allow_hosts` pass without a lookup (an intranet feed the admin vouches for).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL(f"only http and https feeds are allowed, not {parts.scheme or 'no scheme'!r}")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise UnsafeURL("the URL has no host")
    if host_allowed(host, allow_hosts):
        return
    if host in METADATA_HOSTS:
        raise UnsafeURL(f"{host} is a cloud metadata address")
    try:
        ips = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise UnsafeURL("the URL has an invalid port") from None
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as e:
            raise UnsafeURL(f"{host} does not resolve ({e})") from None
        ips = [ipaddress.ip_address(str(i[4][0]).split("%")[0]) for i in infos]
    bad = sorted({str(ip) for ip in ips if not is_public_ip(ip)})
    if bad or not ips:
        raise UnsafeURL(f"{host} points to a non-public address ({', '.join(bad) or 'none'})")


class PublicOnlyResolver(AbstractResolver):
    """Resolves like aiohttp's default resolver but drops non-public addresses at connect time.

    `check_public_url` looks the host up once; a hostile DNS server can answer differently a
    moment later (DNS rebinding). Connecting only to addresses this resolver returns closes that gap.
    """

    def __init__(self, allow_hosts: Sequence[str] = ()) -> None:
        self._inner = aiohttp.ThreadedResolver()
        self._allow = tuple(allow_hosts)

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """The host's addresses, public ones only (all of them for allow-listed hosts)."""
        results = await self._inner.resolve(host, port, family)
        if host_allowed(host, self._allow):
            return results
        public = [r for r in results if is_public_ip(ipaddress.ip_address(r["host"].split("%")[0]))]
        if not public:
            raise OSError(f"{host} resolves only to non-public addresses")
        return public

    async def close(self) -> None:
        """Release the inner resolver."""
        await self._inner.close()
