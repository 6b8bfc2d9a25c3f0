"""A real HTTP server on 127.0.0.1 for the crawler tests: routes are set per test.

Each route answers with a fixed status, headers and body, optionally honouring
ETag / Last-Modified validators, or runs a function that writes the response
itself (slow drips, redirects, gzip bombs). Every request is recorded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Writer = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    writer: Writer | None = None


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up on purpose (caps, timeouts) are expected here


class Site:
    """Routes by path (query included); unknown paths answer 404."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        host, port = str(self.server.server_address[0]), self.server.server_address[1]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", **kwargs: Any) -> Route:
        data = body.encode("utf-8") if isinstance(body, str) else body
        route = Route(body=data, **kwargs)
        self.routes[path] = route
        return route

    def hits(self, path: str) -> int:
        with self.lock:
            return sum(1 for r in self.requests if path in (r.path, r.path.split("?", 1)[0]))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                with site.lock:
                    site.requests.append(
                        Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
                    )
                route = site.routes.get(self.path) or site.routes.get(self.path.split("?", 1)[0])
                if route is None:
                    self._send(404, {"Content-Type": "text/plain"}, b"not found")
                    return
                if route.writer is not None:
                    route.writer(self)
                    return
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                if route.last_modified:
                    headers["Last-Modified"] = route.last_modified
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self._send(304, headers, b"")
                    return
                if (
                    route.last_modified
                    and not route.etag
                    and self.headers.get("If-Modified-Since") == route.last_modified
                ):
                    self._send(304, headers, b"")
                    return
                self._send(route.status, headers, route.body)

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)

        return Handler

    @contextmanager
    def running(self) -> Iterator[Site]:
        self.server = _QuietServer(("127.0.0.1", 0), self._handler())
        thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.server.shutdown()
            self.server.server_close()


def rss(items: list[dict[str, str]], title: str = "Test feed", encoding: str = "utf-8") -> str:
    """A small RSS 2.0 document; item keys: title, link, guid, description, pubDate."""
    parts = [f'<?xml version="1.0" encoding="{encoding}"?>', '<rss version="2.0"><channel>']
    parts.append(f"<title>{title}</title><link>http://example.invalid/</link>")
    for item in items:
        parts.append("<item>")
        for key in ("title", "link", "guid", "description", "pubDate", "author"):
            if key in item:
                parts.append(f"<{key}>{item[key]}</{key}>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts)


def page(title: str, body: str, canonical: str | None = None, published: str | None = None) -> str:
    """An article page the extractor can read."""
    head = f"<title>{title}</title>"
    if canonical:
        head += f'<link rel="canonical" href="{canonical}">'
    if published:
        head += f'<meta property="article:published_time" content="{published}">'
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}</head>'
        f"<body><main><article><h1>{title}</h1>{paragraphs}</article></main></body></html>"
    )
