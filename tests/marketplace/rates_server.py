"""A local HTTP server that answers like the ECB's rates server, for the feed's tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def rates_server(*, body: bytes, status: int = 200) -> Iterator[str]:
    """Serve `body` (with `status`) at /stats/eurofxref/eurofxref-daily.xml; yields that URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != "/stats/eurofxref/eurofxref-daily.xml":
                self.send_error(404)
                return
            self.send_response(status)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # the test output stays quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/stats/eurofxref/eurofxref-daily.xml"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
