"""The web tier as deployed: gunicorn with sourcebelt/gunicorn_conf.py and the production settings.

A long address reaches the application, which answers 414 in the API's error shape (gunicorn's
default limit answered its own HTML page), and a 50 MB body is refused with 413 as soon as its
headers arrive: the client never has to send it.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_settings import ROOT, production_env

GUNICORN = Path(sys.executable).parent / "gunicorn"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the server's gunicorn writes its log (its standard error)."""
    return tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"


@pytest.fixture(scope="module")
def server(server_log: Path) -> Iterator[int]:
    """gunicorn serving the project on a free port, as the Dockerfile starts it (one worker)."""
    port = _free_port()
    env = {
        **production_env(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "PATH": str(Path(sys.executable).parent),
    }
    log = server_log.open("w")
    process = subprocess.Popen(
        [str(GUNICORN), "sourcebelt.wsgi", "-c", "python:sourcebelt.gunicorn_conf", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"gunicorn did not start: {server_log.read_text()!r}") from None
                time.sleep(0.1)
        exchange(port, "GET /api/v1/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", wait=60)  # warm
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def exchange(port: int, head: str, *, wait: float = 10) -> tuple[int, dict[str, str], bytes]:
    """Send a request's head (and no body, whatever it announces); the status, headers and body
    of the answer, which must come within `wait` seconds."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as connection:
        connection.sendall(head.encode("latin-1"))
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head_bytes, _blank, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head_bytes.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _colon, value in (line.partition(":") for line in header_lines)}
    return int(status_line.split()[1]), headers, body


def test_hardening_an_address_longer_than_gunicorns_default_limit_gets_the_apis_414(server: int) -> None:
    query = "q=" + "bag+" * 2000  # 8,002 characters: over gunicorn's default 4,094, under its 8,190

    status, headers, body = exchange(
        server, f"GET /api/v1/products/?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )

    assert status == 414
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["error"]["code"] == "uri_too_long"


def test_hardening_a_50_mb_upload_is_refused_before_its_body_is_sent(server: int) -> None:
    started = time.monotonic()

    status, headers, body = exchange(
        server,
        "POST /api/v1/rfqs/1/attachments/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {50 * 1024 * 1024}\r\n\r\n",
    )

    assert status == 413
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["error"]["code"] == "too_large"
    assert time.monotonic() - started < 10


def test_a_worker_warms_up_before_it_takes_a_request_and_says_so_in_the_log(server: int, server_log: Path) -> None:
    """Each worker makes a search and the home page through the whole application before gunicorn
    gives it a request (`post_worker_init`; where they fail, on a database not reachable, that is
    logged and the first request does the work), and logs when it is done: an operator (and the
    HTTP bench) knows from when its first request is as fast as the others."""
    status, _headers, _body = exchange(server, "GET /api/v1/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    log = server_log.read_text()

    assert status == 200
    assert log.count("Booting worker") == 1
    assert log.count("Worker warmed up in") == 1
    assert log.index("Booting worker") < log.index("Worker warmed up in")
