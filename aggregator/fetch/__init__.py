"""Fetching: the only package that talks HTTP (requests lives here and nowhere else).

Bytes and headers come out; parsing them is the parse stage's job.
"""

from aggregator.fetch.http import (
    ACCEPT_FEED,
    ACCEPT_PAGE,
    FetchResult,
    HttpClient,
    HTTPStatusError,
    TooLargeError,
    parse_max_age,
)
from aggregator.fetch.politeness import HostGate
from aggregator.fetch.robots import RobotsCache, RobotsVerdict
from aggregator.fetch.safety import check_link, check_peer, host_key, is_public_address

__all__ = [
    "ACCEPT_FEED",
    "ACCEPT_PAGE",
    "FetchResult",
    "HTTPStatusError",
    "HostGate",
    "HttpClient",
    "RobotsCache",
    "RobotsVerdict",
    "TooLargeError",
    "check_link",
    "check_peer",
    "host_key",
    "is_public_address",
    "parse_max_age",
]
