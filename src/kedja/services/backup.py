"""Backing up and restoring a whole database, portably across SQLite and PostgreSQL."""

from __future__ import annotations

import errno
import os
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, select

from kedja.core.errors import Conflict, InvalidInput
from kedja.services.cache import invalidate
from kedja.store import current_revision, head_revision
from kedja.store.backup import ordered_tables, read_manifest, restore_tables, write_archive

__all__ = ["BackupReport", "backup_database", "restore_database"]


@dataclass(frozen=True)
class BackupReport:
    """What a backup or restore moved, how big the archive is and how long it took."""

    path: Path
    schema_revision: str | None
    tables: dict[str, int]
    bytes: int
    seconds: float

    @property
    def rows(self) -> int:
        """All rows of all tables."""
        return sum(self.tables.values())


def backup_database(engine: Engine, out: Path | str) -> BackupReport:
    """Write every table of ``engine``'s database to the archive ``out``, from one snapshot.

    The archive is written next to ``out`` (readable by its owner only) and renamed into
    place when complete; a backup that fails half-way (a full disk, Ctrl+C) deletes what it
    wrote, so no partial copy of personal data stays behind.
    """
    started, target = time.perf_counter(), Path(out)
    if not target.parent.is_dir():
        raise InvalidInput(f"the folder {str(target.parent)!r} does not exist", field="--out",
                           value=str(target), hint="create the folder or choose another path")
    revision = current_revision(engine)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)  # a leftover of a crashed run is replaced, not appended to
    try:
        with engine.connect() as connection, connection.begin():
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            # owner-only from the first byte: the archive holds personal data
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as stream:
                counts = write_archive(connection, stream, revision=revision)
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(partial, target)
    except BaseException as error:
        partial.unlink(missing_ok=True)  # never leave a partial copy of personal data behind
        if isinstance(error, OSError) and error.errno == errno.ENOSPC:
            raise InvalidInput(f"the disk is full: the backup {str(target)!r} could not be "
                               f"written", field="--out", value=str(target),
                               hint="free space on that disk or write the backup to another "
                                    "one; nothing was left behind") from None
        raise
    return BackupReport(target, revision, counts, target.stat().st_size,
                        time.perf_counter() - started)


def restore_database(engine: Engine, source: Path | str, *, replace: bool = False) -> BackupReport:
    """Restore the archive ``source`` into ``engine``'s (migrated) database in one transaction.

    Raises:
        InvalidInput: ``source`` is not a Kedja backup, or its schema revision differs from the
            database's; nothing is changed.
        Conflict: the database holds data and ``replace`` is false.
    """
    started, path = time.perf_counter(), Path(source)
    manifest = read_manifest(path)
    revision = current_revision(engine)
    if manifest.schema_revision != revision or revision != head_revision():
        raise InvalidInput(
            f"the backup {str(path)!r} has schema revision {manifest.schema_revision!r}, the "
            f"database is at {revision!r} (this Kedja writes {head_revision()!r})",
            field="--from", value=manifest.schema_revision,
            hint="restore with the Kedja version that wrote the backup, then upgrade with "
                 "'kedja db upgrade'")
    with engine.begin() as connection:
        if not replace and any(connection.execute(select(func.count()).select_from(t)).scalar()
                               for t in ordered_tables()):
            raise Conflict("the database already holds data", field="--db",
                           hint="restore into a new database, or pass --replace to overwrite it")
        counts = restore_tables(connection, path, manifest)
    invalidate(engine)
    return BackupReport(path, revision, counts, path.stat().st_size, time.perf_counter() - started)
