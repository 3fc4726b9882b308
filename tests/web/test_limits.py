"""Body limits before reading: an anonymous flood is refused at the headers, a signed-in body
over its cap is refused as it streams, and ordinary requests pass."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from kedja.web.app import create_app
from kedja.web.limits import ANONYMOUS_BYTES, SIGNED_IN_BYTES
from tests.conftest import DEMO_USERS, signed_in_client


@pytest.fixture(scope="module")
def server(web_engine: Engine) -> Iterator[int]:
    """The app behind a real uvicorn on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(web_engine), host="127.0.0.1", port=port,
                            log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(200):
        if running.started:
            break
        time.sleep(0.05)
    yield port
    running.should_exit = True
    thread.join(timeout=10)


def _post_headers(port: int, size: int, *, send: int) -> tuple[str, float]:
    """POST a body declared as ``size`` bytes, sending only ``send`` of them; the status line
    and the seconds until it came."""
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(b"POST /api/v1/postings HTTP/1.1\r\nHost: localhost\r\n"
                     b"Content-Type: application/json\r\n"
                     + f"Content-Length: {size}\r\n\r\n".encode() + b"x" * send)
        reply = conn.recv(4096).decode(errors="replace")
    return reply.split("\r\n", 1)[0], time.perf_counter() - started


def test_an_anonymous_64_mb_body_is_refused_before_it_is_read(server: int) -> None:
    # the review's attack: a huge anonymous POST was read whole (6.8 s, +300 MB) before 401
    status, seconds = _post_headers(server, 64 * 1024 * 1024, send=1024)
    assert status.startswith("HTTP/1.1 413"), status
    assert seconds < 0.5, seconds


def test_an_anonymous_chunked_body_is_cut_off_at_the_cap(web_engine: Engine) -> None:
    client = TestClient(create_app(web_engine))

    def chunks() -> Iterator[bytes]:
        for _ in range(64):
            yield b"x" * ANONYMOUS_BYTES

    response = client.post("/api/v1/postings", content=chunks(),
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_small_bodies_pass_and_signed_in_bodies_get_a_larger_cap(web_engine: Engine) -> None:
    app = create_app(web_engine)
    anonymous = TestClient(app)
    assert anonymous.post("/api/v1/postings", json={}).status_code == 401
    hr = signed_in_client(app, DEMO_USERS["employer_hr"])
    token = hr.get("/api/v1/me").json()["csrf_token"]  # type: ignore[attr-defined]
    headers = {"X-CSRF-Token": token, "Content-Type": "application/json"}
    middling = hr.post("/api/v1/postings", content=b" " * (ANONYMOUS_BYTES * 2) + b"{}",  # type: ignore[attr-defined]
                       headers=headers)
    assert middling.status_code == 422  # read and validated: over the anonymous cap, under its own
    huge = hr.post("/api/v1/postings", content=b" " * (SIGNED_IN_BYTES + 1),  # type: ignore[attr-defined]
                   headers=headers)
    assert huge.status_code == 413
