"""``kedja backup``, ``restore``, ``maintenance``, ``privacy``: keeping an installation's data."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from kedja.cli.lazy import lazy_module
from kedja.cli.options import DbOption, progress

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
    requester: Annotated[str, typer.Option(
        help="Who asked: 'the person' or their representative's name.")],
    reason: Annotated[str, typer.Option(help="The request as made, e.g. 'art. 15 letter'.")],
    identity_check: Annotated[str, typer.Option(
        help="How the identity was checked, e.g. 'BankID' or 'ID card at the office'.")],
    received: Annotated[str | None, typer.Option(
        help="The day the request came, YYYY-MM-DD (default: today).")] = None,
    channel: Annotated[str, typer.Option(
        help="How it came: in_person, phone, letter or e_service.")] = "letter",
    db: DbOption = None,
) -> None:
    """Record a person's access request, then write all Kedja holds about them to a JSON file.

    Both are audited under your system user.
    """
    engine = services.prepare_database(db)
    operator = services.cli_operator()
    day = parse_day(received, "--received")
    request_id = privacy.record_access_request(engine, operator, person_id, requester=requester,
                                               received=day, channel=channel, reason=reason,
                                               identity_check=identity_check)
    data = privacy.export_person_data(engine, operator, person_id, request_id=request_id)
    out_path.write_text(json.dumps(asdict(data), ensure_ascii=False, indent=1, default=str),
                        encoding="utf-8")
    rows = sum(len(v) for v in data.tables.values())
    out.print(f"Recorded request {request_id}. Wrote {rows} rows and "
              f"{len(data.access_log)} access-log entries to {out_path}.")


def parse_day(text: str | None, option: str) -> date:
    """A YYYY-MM-DD option as a date (today when left out), or a clear error."""
    if text is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date; write YYYY-MM-DD",
                                 param_hint=option) from None


@privacy_app.command("erase")
def privacy_erase(
    person_id: Annotated[str, typer.Argument(help="The person's id, e.g. P040305.")],
    reason: Annotated[str, typer.Option(help="Why, e.g. 'art. 17 request of 2026-11-02'.")],
    db: DbOption = None,
) -> None:
    """Erase a person everywhere, keeping only what the statistics count (audited)."""
    report = privacy.erase_person(services.prepare_database(db), services.cli_operator(),
                                  person_id, reason=reason)
    changed = ", ".join(f"{name} {count}" for name, count in report.rows.items() if count)
    out.print(f"Erased {person_id}: {changed}.")
    if report.scrubbed.get("busy"):
        out.print("Another process kept the write-ahead log open: when the server is idle, run "
                  'sqlite3 DB "PRAGMA wal_checkpoint(TRUNCATE)" to empty it.')


def register(app: typer.Typer) -> None:
    """Add the operations commands to the ``kedja`` app."""
    app.command()(backup)
    app.command()(restore)
    app.command()(maintenance)
    app.add_typer(privacy_app, name="privacy")
