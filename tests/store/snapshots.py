"""Every table's rows as comparable data, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from kedja.store.backup import ordered_tables, table_rows


def database_snapshot(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Each table's rows (encoded as in a backup: times in UTC), in primary-key order."""
    with engine.connect() as connection:
        return {table.name: list(table_rows(connection, table)) for table in ordered_tables()}


def row_counts(snapshot: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """The number of rows per table."""
    return {name: len(rows) for name, rows in snapshot.items()}
