"""A portable copy of every table: JSON lines per table in a zip, with the schema revision.

The format does not depend on the backend, so a SQLite backup restores into PostgreSQL and
back. The archive holds ``manifest.json`` (format, schema revision, backend, time, tables in
dependency order with their row counts and columns) and ``tables/<name>.jsonl``, one JSON
object per row. Dates and times are ISO 8601 strings (times in UTC), JSON columns stay JSON.

Examples:
    >>> encoded_value(date(2026, 11, 2))
    '2026-11-02'
    >>> encoded_value(datetime(2026, 11, 2, 8, 30))
    '2026-11-02T08:30:00+00:00'
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import JSON, Connection, Date, DateTime, Table, bindparam, func, select, text

from kedja.core.errors import InvalidInput
from kedja.store.tables import Base

__all__ = [
    "FORMAT",
    "NOT_BACKED_UP",
    "BackupManifest",
    "decoded_value",
    "encoded_value",
    "ordered_tables",
    "read_manifest",
    "restore_tables",
    "table_rows",
    "write_archive",
]

FORMAT = "kedja-backup/1"
CHUNK = 5_000


@dataclass(frozen=True)
class BackupManifest:
    """What an archive holds."""

    schema_revision: str | None
    backend: str
    created: str
    tables: dict[str, int]


NOT_BACKED_UP = frozenset({"cache_generations"})
"""Counters of this database's own changes (``kedja.services.cache``), not data: a restore
counts them up anew."""


def ordered_tables() -> list[Table]:
    """Every table of the schema that a backup holds, parents before children (the order to insert in)."""
    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_BACKED_UP]


def encoded_value(value: Any) -> Any:
    """A column value as JSON: dates and times as ISO strings (naive times are UTC)."""
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def decoded_value(table: Table, column: str, value: Any) -> Any:
    """The Python value for ``column`` of ``table`` from its JSON form."""
    if value is None:
        return None
    kind = table.c[column].type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    return value


def table_rows(connection: Connection, table: Table) -> Iterator[dict[str, Any]]:
    """The rows of ``table`` in primary-key order, encoded for JSON."""
    query = select(table).order_by(*table.primary_key.columns)
    for row in connection.execute(query).mappings():
        yield {key: encoded_value(value) for key, value in row.items()}


def write_archive(connection: Connection, target: IO[bytes], *, revision: str | None) -> dict[str, int]:
    """Write every table to ``target`` as a backup archive; the row count per table."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in ordered_tables():
            with archive.open(f"tables/{table.name}.jsonl", "w") as member:
                count = 0
                for row in table_rows(connection, table):
                    member.write(json.dumps(row, ensure_ascii=False).encode() + b"\n")
                    count += 1
            counts[table.name] = count
        manifest = {"format": FORMAT, "schema_revision": revision,
                    "backend": connection.dialect.name,
                    "created": datetime.now(UTC).isoformat(timespec="seconds"),
                    "tables": [{"name": t.name, "rows": counts[t.name],
                                "columns": [c.name for c in t.columns]} for t in ordered_tables()]}
        archive.writestr("manifest.json", json.dumps(manifest, indent=1))
    return counts


def read_manifest(path: Path) -> BackupManifest:
    """The manifest of the archive at ``path``, refusing anything that is not a Kedja backup."""
    hint = "give a file written by 'kedja backup'"
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InvalidInput(f"{str(path)!r} is not a Kedja backup ({error})", field="--from",
                           value=str(path), hint=hint) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InvalidInput(f"{str(path)!r} has format {manifest.get('format')!r}, "
                           f"expected {FORMAT!r}", field="--from", value=str(path), hint=hint)
    return BackupManifest(manifest.get("schema_revision"), manifest.get("backend", "?"),
                          manifest.get("created", "?"),
                          {t["name"]: int(t["rows"]) for t in manifest["tables"]})


def _archive_rows(archive: zipfile.ZipFile, table: Table, path: Path) -> Iterator[dict[str, Any]]:
    name = f"tables/{table.name}.jsonl"
    with archive.open(name) as member:
        for number, line in enumerate(member, start=1):
            try:
                row = json.loads(line)
                yield {key: decoded_value(table, key, value) for key, value in row.items()}
            except (ValueError, KeyError, TypeError) as error:
                raise InvalidInput(f"bad row in {name} of {str(path)!r} ({error})",
                                   field="--from", value=f"{path}:{name}:{number}",
                                   hint="the backup is damaged: restore from another copy") from None


def restore_tables(connection: Connection, path: Path, manifest: BackupManifest) -> dict[str, int]:
    """Empty every table, then insert the archive's rows in dependency order (caller's transaction)."""
    tables = ordered_tables()
    missing = sorted(set(manifest.tables) ^ {t.name for t in tables})
    if missing:
        raise InvalidInput(f"the backup's tables differ from this schema: {', '.join(missing)}",
                           field="--from", value=str(path),
                           hint="restore with the Kedja version that wrote the backup")
    for table in reversed(tables):
        connection.execute(table.delete())
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path) as archive:
        for table in tables:
            counts[table.name] = _insert_all(connection, table, _archive_rows(archive, table, path))
    if connection.dialect.name == "postgresql":
        _reset_sequences(connection, tables)
    return counts


def _insert_statement(table: Table) -> Any:
    """The table's insert; a JSON column's ``None`` is written as SQL NULL, as it was read.

    SQLAlchemy's JSON type writes ``None`` as the JSON text ``null`` by default, which a
    restore must not do: ``consents.purposes`` NULL means "every purpose".
    """
    nullable_json = {c.name: bindparam(c.name, type_=JSON(none_as_null=True))
                     for c in table.columns if isinstance(c.type, JSON)}
    return table.insert().values(nullable_json) if nullable_json else table.insert()


def _insert_all(connection: Connection, table: Table, rows: Iterator[dict[str, Any]]) -> int:
    count, chunk, statement = 0, [], _insert_statement(table)
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            connection.execute(statement, chunk)
            count, chunk = count + len(chunk), []
    if chunk:
        connection.execute(statement, chunk)
    return count + len(chunk)


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    """Move each serial column's sequence past the restored ids (PostgreSQL)."""
    for table in tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True:
                top = connection.execute(select(func.max(column))).scalar()
                connection.execute(
                    text("SELECT setval(pg_get_serial_sequence(:t, :c), :v, :called)"),
                    {"t": table.name, "c": column.name, "v": top or 1, "called": top is not None})
