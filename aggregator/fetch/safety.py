"""Where a link found in fetched content may lead.

Feeds and pages are written by strangers. A link inside them could point the
crawler at the machine it runs on or at the private network around it (router
admin pages, cloud metadata services); so such links may only lead to public
addresses, unless they stay on the host of the source that published them.
Source URLs from feeds.yaml are trusted and never checked here.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from aggregator.errors import FetchError

ALLOWED_SCHEMES = ("http", "https")


def host_key(url: str) -> str:
    """'host:port' of a URL (default port filled in): the unit of politeness and trust."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None:
        port = 443 if parts.scheme.lower() == "https" else 80
    return f"{host}:{port}"


def is_public_address(address: str) -> bool:
    """False for private, loopback, link-local, reserved, multicast and unspecified IPs."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc}") from None
    return sorted({str(info[4][0]) for info in infos})


def check_peer(url: str, address: str, trusted_hosts: frozenset[str] = frozenset()) -> None:
    """Refuse a connection that ended up at a non-public address for an untrusted host."""
    if host_key(url) in trusted_hosts or is_public_address(address):
        return
    raise FetchError(
        f"{url}: refused, the host now resolves to a non-public address ({address}) "
        "on another host than its source"
    )


def check_link(url: str, trusted_hosts: frozenset[str] = frozenset()) -> None:
    """Raise :class:`FetchError` unless ``url`` is http(s) and leads to a public address.

    ``trusted_hosts`` ('host:port' keys, see :func:`host_key`) are the hosts of the
    source itself: a feed on an intranet may link to its own pages.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise FetchError(f"{url}: only http and https links are followed")
    if not parts.hostname:
        raise FetchError(f"{url}: the link has no host")
    if host_key(url) in trusted_hosts:
        return
    port = int(host_key(url).rsplit(":", 1)[1])
    for address in resolve(parts.hostname, port):
        if not is_public_address(address):
            raise FetchError(
                f"{url}: refused, the link leads to a non-public address ({address}) "
                "on another host than its source"
            )
