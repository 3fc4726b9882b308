"""Migrations upgrade a fresh database to the models' schema and downgrade cleanly, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from kedja.store import current_revision, downgrade, head_revision, open_engine, upgrade
from kedja.store.tables import Base


def test_upgrade_matches_models_and_downgrade_empties(db_url: str) -> None:
    engine = open_engine(db_url)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], f"models and migrations differ: {differences}"
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)  # and up again from nothing
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_sqlite_runs_wal_with_foreign_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = open_engine(tmp_path / "k.db")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
