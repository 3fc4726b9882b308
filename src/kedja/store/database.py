"""Opening a database: URL resolution, engine set-up and clear configuration errors.

Kedja runs on an embedded SQLite file by default (WAL journal, foreign keys on) and on
PostgreSQL in production, chosen by ``KEDJA_DATABASE_URL`` or a ``--db`` path.

Examples:
    >>> database_url("/tmp/kedja.db")
    'sqlite:////tmp/kedja.db'
    >>> database_url("postgresql://kedja@db/kedja")
    'postgresql+psycopg://kedja@db/kedja'
    >>> database_url("mysql://x@y/z")
    Traceback (most recent call last):
    ...
    kedja.core.errors.ConfigurationError: Kedja cannot use the database URL 'mysql://x@y/z':
    it speaks SQLite and PostgreSQL only (field 'KEDJA_DATABASE_URL'). Fix: give a file path ...
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kedja.core.errors import ConfigurationError

__all__ = ["DEFAULT_DB_PATH", "database_url", "open_engine", "session_scope"]

DEFAULT_DB_PATH = "kedja.db"
URL_HINT = (
    "give a file path such as 'kedja.db', a URL 'sqlite:///path/kedja.db', "
    "or 'postgresql://user@host:5432/dbname'"
)


def database_url(db: str | os.PathLike[str] | None = None) -> str:
    """The SQLAlchemy URL for ``db`` (a path or URL), else ``KEDJA_DATABASE_URL``, else the default."""
    raw = str(db) if db is not None else os.environ.get("KEDJA_DATABASE_URL", DEFAULT_DB_PATH)
    if "://" not in raw:
        return f"sqlite:///{Path(raw).expanduser().absolute()}" if raw != ":memory:" else "sqlite://"
    try:
        url = make_url(raw)
    except ArgumentError:
        url = None
    backend = url.get_backend_name() if url is not None else ""
    if url is None or backend not in ("sqlite", "postgresql"):
        raise ConfigurationError(
            f"Kedja cannot use the database URL {raw!r}: it speaks SQLite and PostgreSQL only",
            field="KEDJA_DATABASE_URL",
            value=raw,
            hint=URL_HINT,
        )
    if backend == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)

POSTGRES_HINT = (
    "check that the server runs and accepts connections (pg_isready -h HOST), "
    "that the database exists and that the user may log in; "
    "or run without KEDJA_DATABASE_URL to use the embedded SQLite file"
)
SQLITE_HINT = "choose a path on a writable disk, for instance --db ./kedja.db"


def _check_sqlite_path(url: str) -> None:
    database = make_url(url).database
    if not database or database == ":memory:":
        return
    parent = Path(database).parent
    if not parent.is_dir():
        raise ConfigurationError(
            f"Kedja cannot create the database {database!r}: the folder {str(parent)!r} does not exist",
            field="--db",
            value=database,
            hint=f"create the folder first (mkdir -p {parent}) or choose another path",
        )
    target = Path(database) if Path(database).exists() else parent
    if not os.access(target, os.W_OK):
        raise ConfigurationError(
            f"Kedja cannot write the database {database!r}: {str(target)!r} is not writable",
            field="--db",
            value=database,
            hint="choose a path in a folder you can write to, or fix its permissions",
        )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    # deleted rows are overwritten with zeros, so an erased person leaves no copy in the file
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def open_engine(db: str | os.PathLike[str] | None = None, *, check: bool = True) -> Engine:
    """An engine for ``db``; with ``check``, connect once and turn failures into advice."""
    url = database_url(db)
    is_sqlite = url.startswith("sqlite")
    if is_sqlite:
        _check_sqlite_path(url)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})
    if check:
        _check_connection(engine)
    return engine


def _check_connection(engine: Engine) -> None:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        shown = engine.url.render_as_string(hide_password=True)
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise ConfigurationError(
            f"Kedja cannot reach the database {shown}: {reason}",
            field="KEDJA_DATABASE_URL",
            value=shown,
            hint=SQLITE_HINT if engine.dialect.name == "sqlite" else POSTGRES_HINT,
        ) from None


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as session, session.begin():
        yield session
