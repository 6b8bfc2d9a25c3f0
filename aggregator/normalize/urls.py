"""Canonical URLs: one spelling per address, tracking parameters dropped.

Two sightings of one article often differ only by campaign parameters, a fragment or
the case of the host; canonicalizing first makes "same URL" a string comparison.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

from tld import get_fld

from aggregator.errors import AggregatorError

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wickedid",
        "rb_clickid",
        "s_cid",
        "ncid",
        "cmpid",
        "ito",
        "at_medium",
        "at_campaign",
        "ref_src",
        "ref_url",
        "spm",
        "sr_share",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "__hs")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters that can never be part of a host name (RFC 3986 reg-name plus the
# percent sign, which browsers reject in hosts too); whitespace is checked apart.
_BAD_HOST_CHARS = frozenset('<>"{}|\\^`%/?#@[]')


class InvalidURLError(AggregatorError, ValueError):
    """A URL that cannot be parsed or used: a port that is not a number from 0 to
    65535, unbalanced IPv6 brackets, no host, a space in the host.

    The message names the URL and says what is wrong with it. It is a ValueError
    (as :func:`urllib.parse.urlsplit` raises for the same problems) and an
    AggregatorError (so a caller that does not handle it still ends in one line).
    """

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url!r} is not a valid URL: {reason}")
        self.url = url
        self.reason = reason


def split_url(url: str) -> SplitResult:
    """:func:`urlsplit` whose ``port`` is known to be readable.

    Raises :class:`InvalidURLError` for what ``urlsplit`` or ``.port`` would refuse
    with a bare ValueError (bad port, broken IPv6 literal).
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError as exc:
        raise InvalidURLError(url, _reason(exc)) from None
    return parts


def _reason(exc: ValueError) -> str:
    text = str(exc)
    if "Port out of range" in text:
        return "the port is not a number from 0 to 65535"
    if "Port could not be cast" in text:
        return "the port is not a number"
    if "IPv6" in text:
        return "the IPv6 address in brackets is malformed"
    return text


def check_http_url(url: str) -> str:
    """``url`` stripped, if it is a usable http(s) address; else :class:`InvalidURLError`.

    Usable: http or https, a host with no spaces or reserved characters (an IPv6
    literal must be a valid address), a port from 0 to 65535 when one is given.
    """
    url = url.strip()
    parts = split_url(url)
    if parts.scheme.lower() not in DEFAULT_PORTS:
        raise InvalidURLError(url, "it must start with http:// or https://")
    netloc_host = parts.netloc.rpartition("@")[2]
    host = parts.hostname or ""
    if not host:
        raise InvalidURLError(url, "it has no host name")
    if netloc_host.startswith("["):
        try:
            ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            raise InvalidURLError(url, f"{host!r} is not an IPv6 address") from None
    elif any(c.isspace() or c in _BAD_HOST_CHARS or not c.isprintable() for c in host):
        raise InvalidURLError(
            url, f"the host name {host!r} contains a space or a reserved character"
        )
    elif ".." in host or host.startswith("."):
        raise InvalidURLError(url, f"the host name {host!r} has an empty label")
    return url


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonicalize_url(url: str) -> str:
    """Lower-case scheme and host, drop default port, fragment and tracking parameters.

    Non-http URLs (file://) are returned with only the fragment dropped. Raises
    :class:`InvalidURLError` (a ValueError) when ``url`` cannot be parsed: a port
    that is not a number from 0 to 65535, or a malformed IPv6 literal. Nothing
    else is checked here (see :func:`check_http_url`).
    """
    url = url.strip()
    parts = split_url(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host
    if parts.port and parts.port != DEFAULT_PORTS[scheme]:
        netloc = f"{host}:{parts.port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not is_tracking_param(k)
        ]
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def file_uri(path: Path) -> str:
    """The absolute file:// URI of a local file, the identity of an imported file."""
    return path.resolve().as_uri()


def site_of(url: str) -> str:
    """The registrable domain of a URL's host ("www.bbc.co.uk" -> "bbc.co.uk",
    "m.entertain.naver.com" -> "naver.com"), from the public suffix list that the
    tld package bundles (no download). A host the list does not cover (an IP
    address, localhost, a test domain) is its own site, less a leading "www.".
    """
    found = get_fld(url, fail_silently=True, search_private=False)
    if isinstance(found, str) and found:
        return found.lower()
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@")


def redact_credentials(text: str) -> str:
    """``text`` with the user and password of every URL in it replaced by ``***``:
    messages and stored errors end up in logs and cron mail."""
    return _CREDENTIALS.sub(r"\1***@", text)
