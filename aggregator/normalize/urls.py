"""Canonical URLs: one spelling per address, tracking parameters dropped.

Two sightings of one article often differ only by campaign parameters, a fragment or
the case of the host; canonicalizing first makes "same URL" a string comparison.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonicalize_url(url: str) -> str:
    """Lower-case scheme and host, drop default port, fragment and tracking parameters.

    Non-http URLs (file://) are returned with only the fragment dropped.
    """
    url = url.strip()
    parts = urlsplit(url)
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
