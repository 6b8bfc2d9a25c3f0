"""HTTP GET with the limits a long-running crawler needs.

Every fetch has connect and read timeouts plus a wall-clock deadline,
``total_timeout``, over the whole download: connecting, the status line and headers,
every redirect and the body. A server that trickles one byte at a time never trips a
read timeout, so a watchdog thread (:mod:`aggregator.fetch.deadline`) shuts the
connection down when the deadline passes, wherever the download is; closing the
client cuts every download in flight the same way (Ctrl-C stops a crawl at once).
Each fetch also has a size cap counted on the decompressed body (a small gzip bomb
cannot fill memory), and redirects followed by hand so that each hop is counted,
checked for loops and, for links found in content, checked against private
addresses. Failures raise :class:`FetchError` subclasses whose message starts with
the URL.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import requests
import urllib3
import urllib3.exceptions

from aggregator.config import Settings
from aggregator.errors import FetchError
from aggregator.fetch.deadline import (
    CUT_CLOSED,
    Exchange,
    Watchdog,
    WatchedAdapter,
    current,
)
from aggregator.fetch.politeness import HostGate
from aggregator.fetch.safety import host_key
from aggregator.timeutil import utcnow

log = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
# Small enough that one decompressed read stays far below the cap in memory.
CHUNK_BYTES = 16 * 1024
# Hosts kept in the connection pool at once; one connection per host is enough
# because the politeness gate allows one request per host at a time.
POOL_HOSTS = 256
ACCEPT_FEED = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, "
    "text/xml;q=0.9, text/html;q=0.5, */*;q=0.1"
)
ACCEPT_PAGE = "text/html, application/xhtml+xml, */*;q=0.5"


class HTTPStatusError(FetchError):
    """The server answered with an error status; ``retry_after`` is in seconds."""

    def __init__(self, message: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class TooLargeError(FetchError):
    """The body (after decompression) is larger than ``max_response_bytes``."""


@dataclass(frozen=True)
class FetchResult:
    """One completed GET: what a parser needs, and what the scheduler needs."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)  # keys lower-cased
    content: bytes = b""
    charset: str | None = None
    not_modified: bool = False
    redirects: tuple[str, ...] = ()
    permanent_url: str | None = None  # set when every hop was a permanent redirect
    elapsed: float = 0.0

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


def content_type_charset(value: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if any."""
    for param in (value or "").split(";")[1:]:
        key, _, raw = param.partition("=")
        if key.strip().lower() == "charset":
            charset = raw.strip().strip("\"'").strip()
            return charset or None
    return None


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date; None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - utcnow()).total_seconds())


def parse_max_age(value: str | None) -> float | None:
    """Cache-Control max-age (s-maxage wins) in seconds; None when absent or no-cache."""
    if not value:
        return None
    found: dict[str, str] = {}
    for directive in value.lower().split(","):
        key, _, raw = directive.strip().partition("=")
        found[key.strip()] = raw.strip().strip('"')
    if "no-store" in found or "no-cache" in found:
        return None
    for key in ("s-maxage", "max-age"):
        if found.get(key, "").isdigit():
            return float(found[key])
    return None


def _status_message(url: str, response: requests.Response) -> str:
    reason = response.reason or ""
    hint = {
        404: "the address does not exist (any more)",
        410: "the server says it is gone for good; remove the source or update its URL",
        401: "the server wants a login, which the crawler does not have",
        403: "the server refuses the crawler; check the URL or the user_agent setting",
        429: "the server asks us to slow down; the next fetch is postponed",
        503: "the server is unavailable; the next fetch is postponed",
    }.get(response.status_code, "")
    text = f"{url}: HTTP {response.status_code} {reason}".rstrip()
    return f"{text}; {hint}" if hint else text


class HttpClient:
    """One ``requests`` session for a whole crawl, shared by the worker threads.

    ``gate`` serialises requests per host and spaces them out; every hop of a
    redirect chain passes through it.
    """

    def __init__(self, settings: Settings, gate: HostGate | None = None) -> None:
        self.settings = settings
        self.gate = gate or HostGate(settings.per_host_delay)
        self.session = requests.Session()
        adapter = WatchedAdapter(pool_connections=POOL_HOSTS, pool_maxsize=4, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"User-Agent": settings.user_agent})
        self.session.trust_env = False  # no proxies or netrc picked up from the environment
        self._closed = threading.Event()
        self._watchdog = Watchdog()

    def close(self) -> None:
        """Cut off every download in flight (their get() raises FetchError at once)
        and refuse new ones; safe to call from another thread."""
        self._closed.set()
        self._watchdog.close()
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(
        self,
        url: str,
        *,
        user_agent: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = ACCEPT_FEED,
        check_hop: Callable[[str], None] | None = None,
        check_peer: Callable[[str, str], None] | None = None,
        min_delay: float | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """GET ``url``, following redirects; 304 gives ``not_modified=True``.

        ``check_hop`` is called with every redirect target before it is requested
        (and raises to refuse it). ``check_peer`` is called with each hop's URL and
        the IP address actually connected to, before any body is read: the name
        may have resolved differently than when the link was checked (DNS
        rebinding). ``min_delay`` raises the per-host delay for this request
        (robots.txt Crawl-delay).

        The whole download, redirects included, must end within ``total_timeout``
        seconds of its first request (waiting for the host's politeness delay
        before that does not count); past that it is cut off wherever it is.
        """
        started = time.monotonic()
        exchange = Exchange()
        outer = getattr(current, "exchange", None)
        current.exchange = exchange
        try:
            return self._get(
                url,
                exchange,
                started,
                user_agent=user_agent,
                etag=etag,
                last_modified=last_modified,
                accept=accept,
                check_hop=check_hop,
                check_peer=check_peer,
                min_delay=min_delay,
                max_bytes=max_bytes,
            )
        finally:
            self._watchdog.remove(exchange)
            current.exchange = outer

    def _get(
        self,
        url: str,
        exchange: Exchange,
        started: float,
        *,
        user_agent: str | None,
        etag: str | None,
        last_modified: str | None,
        accept: str,
        check_hop: Callable[[str], None] | None,
        check_peer: Callable[[str, str], None] | None,
        min_delay: float | None,
        max_bytes: int | None,
    ) -> FetchResult:
        headers = {"Accept": accept, "Accept-Encoding": "gzip, deflate"}
        if user_agent:
            headers["User-Agent"] = user_agent
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        hops: list[str] = []
        permanent = True
        while True:
            response = self._request(current, headers, min_delay, exchange)
            try:
                if check_peer is not None:
                    peer = _peer_address(response)
                    if peer is not None:
                        check_peer(current, peer)
                if response.status_code in REDIRECT_STATUSES and response.headers.get("location"):
                    target = urljoin(current, response.headers["location"])
                    if target in (current, url) or target in hops:
                        raise FetchError(
                            f"{url}: redirect loop ({' -> '.join([url, *hops, target])}); "
                            "check the URL in a browser"
                        )
                    if len(hops) >= self.settings.max_redirects:
                        raise FetchError(
                            f"{url}: more than {self.settings.max_redirects} redirects; "
                            "use the final address in feeds.yaml"
                        )
                    permanent = permanent and response.status_code in PERMANENT_REDIRECTS
                    hops.append(target)
                    if check_hop is not None:
                        check_hop(target)
                    current = target
                    continue
                lowered = {k.lower(): v for k, v in response.headers.items()}
                charset = content_type_charset(lowered.get("content-type"))
                if response.status_code == 304:
                    return FetchResult(
                        url=url,
                        final_url=current,
                        status=304,
                        headers=lowered,
                        charset=charset,
                        not_modified=True,
                        redirects=tuple(hops),
                        elapsed=time.monotonic() - started,
                    )
                if not 200 <= response.status_code < 300:
                    raise HTTPStatusError(
                        _status_message(url, response),
                        response.status_code,
                        parse_retry_after(lowered.get("retry-after")),
                    )
                content = self._read_body(url, response, exchange, max_bytes)
                return FetchResult(
                    url=url,
                    final_url=current,
                    status=response.status_code,
                    headers=lowered,
                    content=content,
                    charset=charset,
                    redirects=tuple(hops),
                    permanent_url=current if hops and permanent else None,
                    elapsed=time.monotonic() - started,
                )
            finally:
                exchange.detach()  # before the connection can go back to the pool
                response.close()

    def _cut_off(self, url: str, exchange: Exchange) -> FetchError:
        if exchange.cut == CUT_CLOSED:
            return FetchError(f"{url}: download cut off, the crawl is stopping")
        return FetchError(
            f"{url}: download took longer than {self.settings.total_timeout:g} s "
            "(total_timeout); the server is too slow"
        )

    def _request(
        self, url: str, headers: dict[str, str], min_delay: float | None, exchange: Exchange
    ) -> requests.Response:
        with self.gate.slot(host_key(url), min_delay):
            if self._closed.is_set():
                raise FetchError(f"{url}: not fetched, the crawl is stopping")
            now = time.monotonic()
            if exchange.deadline is None:
                exchange.deadline = now + self.settings.total_timeout
                self._watchdog.add(exchange)
            remaining = exchange.deadline - now
            if exchange.cut is not None or remaining <= 0:
                raise self._cut_off(url, exchange)
            timeout = (
                min(self.settings.connect_timeout, remaining),
                min(self.settings.read_timeout, remaining),
            )
            try:
                return self.session.get(
                    url, headers=headers, timeout=timeout, allow_redirects=False, stream=True
                )
            except Exception as exc:
                exchange.detach()
                if exchange.cut is not None or time.monotonic() >= exchange.deadline:
                    raise self._cut_off(url, exchange) from None
                if isinstance(exc, requests.Timeout):
                    raise FetchError(
                        f"{url}: timed out (connect {self.settings.connect_timeout:g} s, "
                        f"read {self.settings.read_timeout:g} s); the server is slow or down"
                    ) from None
                if isinstance(exc, requests.RequestException):
                    raise FetchError(f"{url}: {_describe(exc)}") from None
                raise

    def _read_body(
        self, url: str, response: requests.Response, exchange: Exchange, max_bytes: int | None
    ) -> bytes:
        cap = max_bytes or self.settings.max_response_bytes
        declared = response.headers.get("content-length", "")
        if (
            declared.isdigit()
            and int(declared) > cap
            and not response.headers.get("content-encoding")
        ):
            raise TooLargeError(
                f"{url}: response is {declared} bytes, over the {cap}-byte cap; raise "
                "max_response_bytes in the feeds file's settings if the source is genuine"
            )
        deadline = exchange.deadline or time.monotonic() + self.settings.total_timeout
        body = bytearray()
        try:
            while True:
                # read1 returns whatever one socket read brings (decoded with a
                # bounded output size), so the deadline is checked even when a
                # server drips a byte at a time.
                chunk = response.raw.read1(CHUNK_BYTES, decode_content=True)
                if not chunk:
                    break
                body += chunk
                if len(body) > cap:
                    raise TooLargeError(
                        f"{url}: response is over the {cap}-byte cap (counted after "
                        "decompression); raise max_response_bytes in the feeds file's "
                        "settings if the source is genuine"
                    )
                if exchange.cut is not None or time.monotonic() > deadline:
                    raise self._cut_off(url, exchange)
        except FetchError:
            raise
        except Exception as exc:
            if exchange.cut is not None or time.monotonic() > deadline:
                # The watchdog shut the connection down under the read.
                raise self._cut_off(url, exchange) from None
            error = self._body_error(url, exc)
            if error is None:
                raise
            raise error from None
        if exchange.cut is not None:
            raise self._cut_off(url, exchange)  # the end seen may be the shutdown's
        return bytes(body)

    def _body_error(self, url: str, exc: Exception) -> FetchError | None:
        """The FetchError naming ``url`` for a failed body read; None: not a fetch error."""
        if isinstance(exc, requests.Timeout | urllib3.exceptions.ReadTimeoutError):
            return FetchError(
                f"{url}: timed out reading the body (read timeout {self.settings.read_timeout:g} s)"
            )
        if isinstance(exc, urllib3.exceptions.DecodeError):
            return FetchError(f"{url}: the compressed body is corrupt")
        if isinstance(exc, urllib3.exceptions.HTTPError | OSError):
            return FetchError(f"{url}: the connection broke while reading ({exc})")
        if isinstance(exc, requests.RequestException):
            return FetchError(f"{url}: {_describe(exc)}")
        return None


def _peer_address(response: requests.Response) -> str | None:
    """The IP address the response came from, when the connection still knows it."""
    try:
        sock = response.raw.connection.sock  # type: ignore[union-attr]
        return str(sock.getpeername()[0]) if sock is not None else None
    except (AttributeError, OSError):
        return None


def _describe(exc: requests.RequestException) -> str:
    """A short reason without urllib3's nested reprs."""
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS error; the certificate could not be verified"
    if isinstance(exc, requests.exceptions.ConnectionError):
        text = str(exc)
        if "timed out" in text.lower():  # a read timeout mid-body arrives wrapped like this
            return "timed out waiting for the server (read timeout)"
        if "refused" in text.lower():
            return "connection refused; the server is down or the port is wrong"
        if "Name or service not known" in text or "nodename nor servname" in text:
            return "host not found; check the URL"
        return "connection failed; the server is down or unreachable"
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return "the compressed body is corrupt"
    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return "too many redirects"
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return "not a valid URL"
    return type(exc).__name__
