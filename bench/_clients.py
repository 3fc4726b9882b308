"""Signed-in test clients for the benchmarks that time pages in process (not a benchmark itself)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kedja import services
from kedja.demo import DEMO_PASSWORD
from kedja.web.security import SESSION_COOKIE


def signed_in(app: object, engine: object, username: str) -> TestClient:
    """A client of ``app`` signed in as the demo account ``username``."""
    client = TestClient(app)  # type: ignore[arg-type]
    token = services.sign_in(engine, username, DEMO_PASSWORD).token  # type: ignore[arg-type]
    client.cookies.set(SESSION_COOKIE, str(token))
    return client
