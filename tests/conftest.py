"""Shared fixtures: databases on SQLite (always) and PostgreSQL (when it answers), the demo region.

PostgreSQL tests use ``KEDJA_TEST_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/test``)
and create a fresh database per test, dropped afterwards. They skip when the server does not
answer, unless ``KEDJA_REQUIRE_POSTGRES=1`` (set by CI), where they fail instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from kedja import services
from kedja.store import open_engine

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
POSTGRES_URL = os.environ.get(
    "KEDJA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
SMALL_DEMO = {"seed": 42, "job_seekers": 600, "employed": 1500}
os.environ.setdefault("KEDJA_CACHE_SECONDS", "0")  # tests see every write; test_cache.py turns it on
# names and personal numbers are sealed with a fixed test key, never one from the home directory
os.environ.setdefault("KEDJA_DATA_KEY", "a2VkamEtdGVzdC1rZXkta2VkamEtdGVzdC1rZXktISE=")


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, skipping the test when the folder is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs the shared public data at {path} (absent on this machine)")
    return path


def _postgres_admin() -> Engine | None:
    url = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    engine = create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        engine.dispose()
        if os.environ.get("KEDJA_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL at {POSTGRES_URL} does not answer: {error}")
        return None
    return engine


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL to a fresh, empty PostgreSQL database, dropped after the test."""
    admin = _postgres_admin()
    if admin is None:
        pytest.skip(f"PostgreSQL does not answer at {POSTGRES_URL}")
    name = f"kedja_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "kedja.db")
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated, empty database on each backend."""
    engine = services.prepare_database(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def demo_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A small demo region on SQLite, built once for read-only tests."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = services.prepare_database(path)
    services.build_demo_database(engine, **SMALL_DEMO)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty SQLite database."""
    engine = open_engine(tmp_path / "kedja.db")
    services.prepare_database(tmp_path / "kedja.db")
    yield engine
    engine.dispose()


# Web shell (issue 4): a writable demo region with its demo accounts, and signed-in clients. ----

DEMO_PASSWORD = "kedja-demo-2026"
DEMO_USERS = {
    "admin": "admin@kedja.demo",
    "officer": "officer.norrbotten@kedja.demo",
    "coordinator": "coordinator@kedja.demo",
    "employer_hr": "hr@kedja.demo",
    "analyst": "analyst@kedja.demo",
}
"""One demo account per role (``kedja.demo.accounts``)."""


@pytest.fixture(scope="session")
def web_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A small demo region on SQLite that web tests may write to (sessions, audit entries)."""
    path = tmp_path_factory.mktemp("web") / "web.db"
    engine = services.prepare_database(path)
    services.build_demo_database(engine, **SMALL_DEMO)
    yield engine
    engine.dispose()


def login_token(html: str) -> str:
    """The form token of the sign-in form in a page (not the sign-out form's)."""
    import re

    found = re.search(r'action="/login"[^>]*>\s*<input type="hidden" name="csrf_token" '
                      r'value="([^"]+)"', html)
    assert found, "no sign-in form on the page"
    return found.group(1)


def signed_in_client(app: object, username: str, password: str = DEMO_PASSWORD) -> object:
    """A TestClient signed in through the login form (so it holds a real session cookie)."""
    from fastapi.testclient import TestClient

    client = TestClient(app)  # type: ignore[arg-type]
    token = login_token(client.get("/login").text)
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": token, "next": "/"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client
