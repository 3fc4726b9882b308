"""Opening and migrating the database, and its health."""

from __future__ import annotations

import os

from sqlalchemy import Engine, text

from kedja.store import current_revision, downgrade, head_revision, open_engine, upgrade

__all__ = ["database_health", "downgrade_database", "prepare_database"]


def prepare_database(db: str | os.PathLike[str] | None = None) -> Engine:
    """Open ``db`` (path or URL; default ``KEDJA_DATABASE_URL``) and migrate it to the newest schema."""
    engine = open_engine(db)
    upgrade(engine)
    return engine


def database_health(engine: Engine) -> dict[str, str | None]:
    """Whether the database answers, and its schema revision against the newest."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    revision, head = current_revision(engine), head_revision()
    return {
        "database": "ok",
        "backend": engine.dialect.name,
        "schema_revision": revision,
        "schema_status": "current" if revision == head else "behind",
    }


def downgrade_database(db: str | os.PathLike[str] | None, revision: str) -> None:
    """Migrate ``db`` down to ``revision`` ('base' removes every table)."""
    downgrade(open_engine(db), revision)
