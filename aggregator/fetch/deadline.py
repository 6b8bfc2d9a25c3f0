"""A deadline over a whole HTTP download, which requests cannot set.

requests/urllib3 only offer per-socket-operation timeouts, which a server that sends
one header byte a second never trips. So each download is an :class:`Exchange` with a
deadline; the connection classes below tell the exchange of the current thread which
socket it uses; a :class:`Watchdog` thread shuts that socket down when the deadline
passes (or the client is closed), and the blocked read in the worker thread returns
at once with an error that :mod:`aggregator.fetch.http` reports as the deadline (or
the stop).
"""

from __future__ import annotations

import os
import socket
import threading
import time

import urllib3
import urllib3.connection
from requests.adapters import HTTPAdapter

current = threading.local()  # .exchange: the Exchange this thread is downloading

CUT_DEADLINE = "deadline"
CUT_CLOSED = "closed"


def _shutdown(sock: object) -> None:
    """Shut ``sock`` down for both directions, from any thread.

    Done on a duplicate of its descriptor: shutdown acts on the connection itself,
    and the socket object (a TLS one, maybe) is left alone for its owner thread.
    """
    try:
        fd = sock.fileno()  # type: ignore[attr-defined]
        if fd < 0:
            return
        twin = socket.socket(fileno=os.dup(fd))
    except (AttributeError, OSError, ValueError):
        return
    try:
        twin.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        twin.close()


class Exchange:
    """One download (all its redirect hops): its deadline and the socket in use."""

    def __init__(self) -> None:
        self.deadline: float | None = None  # set when the first request starts
        self.cut: str | None = None  # CUT_DEADLINE or CUT_CLOSED once cut off
        self._lock = threading.Lock()
        self._conn: urllib3.connection.HTTPConnection | None = None
        self._sock: socket.socket | None = None

    def attach(
        self,
        conn: urllib3.connection.HTTPConnection | None = None,
        sock: socket.socket | None = None,
    ) -> None:
        with self._lock:
            if conn is not None:
                self._conn = conn
            if sock is not None:
                self._sock = sock
            if self.cut is not None:
                self._shutdown_locked()

    def detach(self) -> None:
        """The hop is over: its connection may go back to the pool, untouchable."""
        with self._lock:
            self._conn = self._sock = None

    def abort(self, why: str) -> None:
        with self._lock:
            if self.cut is None:
                self.cut = why
            self._shutdown_locked()

    def _shutdown_locked(self) -> None:
        if self._conn is not None and self._conn.sock is not None:
            _shutdown(self._conn.sock)
        if self._sock is not None:
            _shutdown(self._sock)


def _attach(conn: urllib3.connection.HTTPConnection, sock: socket.socket | None = None) -> None:
    exchange = getattr(current, "exchange", None)
    if exchange is not None:
        exchange.attach(conn, sock)


class _WatchedHTTPConnection(urllib3.connection.HTTPConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _attach(self, sock)
        return sock

    def request(self, *args: object, **kwargs: object) -> None:
        _attach(self)  # a kept-alive connection is reused without connecting
        super().request(*args, **kwargs)  # type: ignore[arg-type]


class _WatchedHTTPSConnection(urllib3.connection.HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _attach(self, sock)  # before the TLS handshake, which can trickle too
        return sock

    def request(self, *args: object, **kwargs: object) -> None:
        _attach(self)
        super().request(*args, **kwargs)  # type: ignore[arg-type]


class _WatchedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class WatchedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        super().init_poolmanager(*args, **kwargs)  # type: ignore[arg-type]
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPPool,
            "https": _WatchedHTTPSPool,
        }


class Watchdog:
    """One thread per client that cuts off the exchanges whose deadline has passed."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._active: set[Exchange] = set()
        self._thread: threading.Thread | None = None
        self._closed = False

    def add(self, exchange: Exchange) -> None:
        with self._cond:
            closed = self._closed
            if not closed:
                self._active.add(exchange)
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="http-watchdog", daemon=True
                    )
                    self._thread.start()
                self._cond.notify()
        if closed:
            exchange.abort(CUT_CLOSED)

    def remove(self, exchange: Exchange) -> None:
        with self._cond:
            self._active.discard(exchange)

    def close(self) -> None:
        """Cut off every exchange in flight; later ones are cut off as they start."""
        with self._cond:
            self._closed = True
            active, self._active = list(self._active), set()
            self._cond.notify()
        for exchange in active:
            exchange.abort(CUT_CLOSED)

    def _run(self) -> None:
        with self._cond:
            while not self._closed:
                now = time.monotonic()
                due = [e for e in self._active if e.deadline is not None and e.deadline <= now]
                for exchange in due:
                    self._active.discard(exchange)
                    exchange.abort(CUT_DEADLINE)
                upcoming = [e.deadline for e in self._active if e.deadline is not None]
                self._cond.wait(max(0.0, min(upcoming) - now) if upcoming else None)
