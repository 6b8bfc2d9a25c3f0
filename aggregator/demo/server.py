"""Serve the bundled sample site on 127.0.0.1 so the demo runs the real crawler.

Feed files hold ``@BASE@`` where an absolute address belongs (feeds need absolute
links); it is replaced with the server's address as they are served.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aggregator.demo import SITE_DIR

BASE_PLACEHOLDER = "@BASE@"
FEED_SUFFIX = ".xml"


class _SiteHandler(SimpleHTTPRequestHandler):
    base_url = ""

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the demo prints its own summary

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.suffix != FEED_SUFFIX or not path.is_file():
            super().do_GET()
            return
        body = path.read_text(encoding="utf-8").replace(BASE_PLACEHOLDER, self.base_url)
        data = body.encode("utf-8")
        modified = formatdate(path.stat().st_mtime, usegmt=True)
        if self.headers.get("If-Modified-Since") == modified:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Last-Modified", modified)
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def serve_site(root: Path = SITE_DIR) -> Iterator[str]:
    """Serve ``root`` on a free loopback port; yields the base URL."""
    handler: type[_SiteHandler] = type("DemoHandler", (_SiteHandler,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    server.daemon_threads = True
    host, port = str(server.server_address[0]), server.server_address[1]
    handler.base_url = f"http://{host}:{port}"
    thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), name="demo-site", daemon=True
    )
    thread.start()
    try:
        yield handler.base_url
    finally:
        server.shutdown()
        server.server_close()
