"""``kedja backup``, ``kedja restore``, ``kedja maintenance``: keeping an installation's data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from kedja import services
from kedja.services.backup import backup_database, restore_database

__all__ = ["register"]

out = Console(highlight=False, soft_wrap=True, markup=False)
DbOption = Annotated[str | None, typer.Option("--db", help="SQLite file path or database URL "
                                                           "(default: $KEDJA_DATABASE_URL).")]


def backup(
    out_path: Annotated[Path, typer.Option("--out", help="The archive to write (.zip).")],
    db: DbOption = None,
) -> None:
    """Write every table and the schema revision to a portable archive (SQLite or PostgreSQL)."""
    report = backup_database(services.prepare_database(db), out_path)
    out.print(f"Backed up {report.rows:,} rows of {len(report.tables)} tables (schema "
              f"{report.schema_revision}) to {report.path}: {report.bytes / 1e6:.1f} MB in "
              f"{report.seconds:.1f} s.")


def restore(
    source: Annotated[Path, typer.Option("--from", help="An archive written by 'kedja backup'.")],
    db: DbOption = None,
    replace: Annotated[bool, typer.Option(help="Overwrite a database that holds data.")] = False,
) -> None:
    """Restore an archive into an empty (or, with --replace, overwritten) database, all or nothing."""
    report = restore_database(services.prepare_database(db), source, replace=replace)
    out.print(f"Restored {report.rows:,} rows of {len(report.tables)} tables from {report.path} "
              f"in {report.seconds:.1f} s.")


def register(app: typer.Typer) -> None:
    """Add the operations commands to the ``kedja`` app."""
    app.command()(backup)
    app.command()(restore)
