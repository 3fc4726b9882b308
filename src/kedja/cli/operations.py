"""``kedja backup``, ``restore``, ``maintenance``, ``privacy``: keeping an installation's data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from kedja.cli.lazy import lazy_module
from kedja.cli.options import progress

__all__ = ["register"]

if TYPE_CHECKING:  # the modules load when a command runs (kedja.cli.lazy)
    import kedja.services.backup as backups
    import kedja.services.maintenance as maintenance_rules
    import kedja.services.privacy as privacy
    from kedja import services
else:
    services = lazy_module("kedja.services")
    backups = lazy_module("kedja.services.backup")
    maintenance_rules = lazy_module("kedja.services.maintenance")
    privacy = lazy_module("kedja.services.privacy")

out = Console(highlight=False, soft_wrap=True, markup=False)
DbOption = Annotated[str | None, typer.Option("--db", help="SQLite file path or database URL "
                                                           "(default: $KEDJA_DATABASE_URL).")]


def backup(
    out_path: Annotated[Path, typer.Option("--out", help="The archive to write (.zip).")],
    db: DbOption = None,
) -> None:
    """Write every table and the schema revision to a portable archive (SQLite or PostgreSQL)."""
    with progress(f"Backing up to {out_path}") as bar:
        report = backups.backup_database(services.prepare_database(db), out_path)
        bar.step(f"{report.rows:,} rows")
    out.print(f"Backed up {report.rows:,} rows of {len(report.tables)} tables (schema "
              f"{report.schema_revision}) to {report.path}: {report.bytes / 1e6:.1f} MB in "
              f"{report.seconds:.1f} s.")


def restore(
    source: Annotated[Path, typer.Option("--from", help="An archive written by 'kedja backup'.")],
    db: DbOption = None,
    replace: Annotated[bool, typer.Option(help="Overwrite a database that holds data.")] = False,
) -> None:
    """Restore an archive into an empty (or, with --replace, overwritten) database, all or nothing."""
    with progress(f"Restoring {source}") as bar:
        report = backups.restore_database(services.prepare_database(db), source, replace=replace)
        bar.step(f"{report.rows:,} rows")
    out.print(f"Restored {report.rows:,} rows of {len(report.tables)} tables from {report.path} "
              f"in {report.seconds:.1f} s.")


def maintenance(
    db: DbOption = None,
    audit_years: Annotated[float, typer.Option(help="Keep audit entries this many years.")] = 5.0,
    referral_years: Annotated[float, typer.Option(
        help="Keep completed and ended referrals this many years after they were made.")] = 3.0,
    consent_years: Annotated[float, typer.Option(
        help="Keep withdrawn consents this many years after the withdrawal.")] = 2.0,
) -> None:
    """Delete what is past its time: expired sessions, old audit entries, ended referrals."""
    rules = maintenance_rules.RetentionRules(audit_years, referral_years, consent_years)
    counts = maintenance_rules.run_maintenance(services.prepare_database(db), rules)
    out.print("Deleted: " + ", ".join(f"{count:,} {name}" for name, count in counts.items()) + ".")


privacy_app = typer.Typer(help="A person's data rights: export (access request) and erasure.",
                          no_args_is_help=True)


@privacy_app.command("export")
def privacy_export(
    person_id: Annotated[str, typer.Argument(help="The person's id, e.g. P040305.")],
    out_path: Annotated[Path, typer.Option("--out", help="The JSON file to write.")],
    db: DbOption = None,
) -> None:
    """Write everything Kedja holds about a person to a JSON file (audited)."""
    data = privacy.export_person_data(services.prepare_database(db), None, person_id)
    out_path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    rows = sum(len(v) for v in data["tables"].values())
    out.print(f"Wrote {rows} rows and {len(data['access_log'])} access-log entries to {out_path}.")


@privacy_app.command("erase")
def privacy_erase(
    person_id: Annotated[str, typer.Argument(help="The person's id, e.g. P040305.")],
    reason: Annotated[str, typer.Option(help="Why, e.g. 'art. 17 request of 2026-11-02'.")],
    db: DbOption = None,
) -> None:
    """Erase a person everywhere, keeping only what the statistics count (audited)."""
    report = privacy.erase_person(services.prepare_database(db), None, person_id, reason=reason)
    changed = ", ".join(f"{name} {count}" for name, count in report.rows.items() if count)
    out.print(f"Erased {person_id}: {changed}.")


def register(app: typer.Typer) -> None:
    """Add the operations commands to the ``kedja`` app."""
    app.command()(backup)
    app.command()(restore)
    app.command()(maintenance)
    app.add_typer(privacy_app, name="privacy")
