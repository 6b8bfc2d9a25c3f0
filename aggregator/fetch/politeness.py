"""At most one request at a time per host, with a minimum pause between them.

Threads fetching different hosts run in parallel; threads that want the same
host queue on that host's lock. The pause is measured from the end of one
request to the start of the next, so a slow server is never hammered.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class HostGate:
    def __init__(self, delay: float, stop: threading.Event | None = None) -> None:
        self.delay = delay
        self.stop = stop or threading.Event()
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._last_end: dict[str, float] = {}
        self.requests = 0

    def _lock_for(self, host: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    @contextmanager
    def slot(self, host: str, min_delay: float | None = None) -> Iterator[None]:
        """Hold ``host`` for one request, after waiting out its delay."""
        delay = max(self.delay, min_delay or 0.0)
        with self._lock_for(host):
            last = self._last_end.get(host)
            if last is not None:
                wait = last + delay - time.monotonic()
                if wait > 0:
                    self.stop.wait(wait)  # returns at once when the crawl is stopping
            try:
                with self._guard:
                    self.requests += 1
                yield
            finally:
                self._last_end[host] = time.monotonic()
