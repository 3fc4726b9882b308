"""``kedja init`` and ``kedja load``: a region of one's own, and the files that fill it.

``kedja load KIND FILE`` checks the whole file and prints every problem (line, column, value,
reason, fix); it writes nothing unless the file is valid, and exits 1 when it is not.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from kedja.cli.lazy import lazy_module
from kedja.cli.options import DbOption, FormatOption, OutputFormat
from kedja.loading import Kind, columns_of, parse_mapping

if TYPE_CHECKING:  # the modules load when a command runs (kedja.cli.lazy)
    import kedja.services.feeds as feeds
    import kedja.services.identity as identities
    import kedja.services.loading as loading
    import kedja.services.quality as quality_checks
    import kedja.services.regions as regions
    from kedja import services
    from kedja.services.loading import LoadReport
else:
    services = lazy_module("kedja.services")
    feeds = lazy_module("kedja.services.feeds")
    identities = lazy_module("kedja.services.identity")
    loading = lazy_module("kedja.services.loading")
    quality_checks = lazy_module("kedja.services.quality")
    regions = lazy_module("kedja.services.regions")

__all__ = ["load_app", "register"]

load_app = typer.Typer(help="Load your own files: people, employees, opportunities, courses, "
                            "organisations, places; JobTech ads; data quality.", no_args_is_help=True)
console = Console(stderr=True)


def init(
    db: DbOption = None,
    region: Annotated[str, typer.Option(help="The region's pack.")] = "upper-norrland",
) -> None:
    """Create a database with the region's facts and the taxonomy, and no people."""
    engine = services.prepare_database(db)
    summary = regions.init_region(engine, region)
    console.print(f"[green]Region {summary.region} ready[/green]: {summary.municipalities} "
                  f"municipalities, {summary.localities} localities, {summary.functional_areas} "
                  f"functional areas, {summary.occupations} occupation groups, {summary.skills} skills. "
                  "Load your files with kedja load KIND FILE.", highlight=False)


def _print_text(report: LoadReport) -> None:
    out = sys.stdout
    counted = report.added + report.changed + report.unchanged
    verdict = ("loaded" if report.written else "checked (dry run)" if report.dry_run and
               (report.ok or counted) else "refused")
    print(f"{report.filename}: {report.rows} rows of {report.kind}, {verdict}.", file=out)
    if report.problems:
        rows = report.rejected or 1
        print(f"{len(report.problems)} problem(s) in {rows} row(s):", file=out)
        for p in report.problems:
            print(f"  line {p.line}, column {p.column}: {p.value!r} {p.reason}. Fix: {p.fix}",
                  file=out)
    for note in report.notes:
        print(f"  note: {note}", file=out)
    if report.written or (report.dry_run and verdict != "refused"):
        print(f"added {report.added}, changed {report.changed}, unchanged {report.unchanged}"
              + (f", skipped {report.rejected} invalid rows" if report.rejected else "")
              + (" (dry run: nothing written)" if report.dry_run else ""), file=out)
    elif report.problems:
        print("Nothing was written. Fix the rows above and load the file again "
              "(or pass --skip-invalid to load the valid rows).", file=out)


def _write_rejected(report: LoadReport, path: Path) -> None:
    by_line: dict[int, list[str]] = {}
    for p in report.problems:
        by_line.setdefault(p.line, []).append(f"{p.column}: {p.reason}")
    rows = report.rejected_rows
    columns = list(rows[0].values) if rows else []
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["line", *columns, "problems"])
        for row in rows:
            writer.writerow([row.line, *(row.values.get(c, "") for c in columns),
                             " | ".join(by_line.get(row.line, []))])


def _load(kind: Kind, file: Path | None, db: str | None, mapping: Path | None, dry_run: bool,
          fmt: str, skip_invalid: bool, rejected: Path | None, organisation: str | None,
          template: Path | None, example: bool) -> None:
    if example:
        sys.stdout.write(loading.kind_example(kind))
        return
    if template is not None:
        engine = services.prepare_database(db) if db else None
        template.write_bytes(loading.kind_template(kind, engine))
        console.print(f"Template for {kind.value} written to {template}.")
        return
    if file is None:
        raise typer.BadParameter("give the FILE to load (or --template PATH, or --example)")
    parsed = parse_mapping(mapping.read_text(encoding="utf-8"), source=str(mapping)) if mapping else None
    engine = services.prepare_database(db)
    report = loading.load_file(engine, kind, file.name, file.read_bytes(), mapping=parsed,
                               organisation_id=organisation, dry_run=dry_run,
                               skip_invalid=skip_invalid)
    _report(report, fmt)
    if rejected is not None and report.rejected_rows:
        _write_rejected(report, rejected)
    if report.problems and not skip_invalid:
        raise SystemExit(1)  # click's Exit would be swallowed by main()'s standalone_mode=False


def _command(kind: Kind) -> None:
    required = ", ".join(c.name for c in columns_of(kind) if c.required)

    def command(
        file: Annotated[Path | None, typer.Argument(help="CSV (any delimiter, UTF-8 or Windows-1252) "
                                                          "or XLSX.", exists=True, dir_okay=False)] = None,
        db: DbOption = None,
        mapping: Annotated[Path | None, typer.Option(help="TOML file: your column names and codes → "
                                                          "Kedja's.", exists=True)] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and count, write nothing.")] = False,
        fmt: FormatOption = OutputFormat.TEXT,
        skip_invalid: Annotated[bool, typer.Option("--skip-invalid",
                                                   help="Load the valid rows, skip the others.")] = False,
        rejected: Annotated[Path | None, typer.Option(help="With --skip-invalid: write the skipped "
                                                           "rows and their problems here.")] = None,
        organisation: Annotated[str | None, typer.Option(help="Id of the organisation that owns "
                                                              "the rows.")] = None,
        template: Annotated[Path | None, typer.Option(help="Write the XLSX template to this path.")] = None,
        example: Annotated[bool, typer.Option("--example", help="Print a small valid CSV.")] = False,
    ) -> None:
        _load(kind, file, db, mapping, dry_run, fmt, skip_invalid, rejected, organisation,
              template, example)

    command.__doc__ = f"Load {kind.value} from FILE (required columns: {required})."
    load_app.command(kind.value)(command)


for _kind in Kind:
    _command(_kind)


def _report(report: LoadReport, fmt: str) -> None:
    if fmt == "json":
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        _print_text(report)


@load_app.command("jobtech")
def jobtech(
    file: Annotated[Path | None, typer.Argument(
        help="JobTech ads: JSON lines, a JSON list or a JobSearch answer.", exists=True,
        dir_okay=False)] = None,
    db: DbOption = None,
    from_api: Annotated[bool, typer.Option("--from-api", help="Fetch the region's open ads from "
                                                              "JobSearch instead of a file.")] = False,
    limit: Annotated[int, typer.Option(help="With --from-api: at most this many ads per county.")] = 2000,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and count, write nothing.")] = False,
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """Load job ads in JobTech's format as the region's vacancies (ads outside it are skipped)."""
    engine = services.prepare_database(db)
    if from_api:
        ads = feeds.fetch_jobsearch_ads(engine, limit=limit)
        result = feeds.load_jobtech_ads(engine, ads, filename="JobSearch", dry_run=dry_run)
    elif file is not None:
        result = feeds.load_jobtech_ads(engine, file.read_bytes(), filename=file.name, dry_run=dry_run)
    else:
        raise typer.BadParameter("give the FILE of ads, or --from-api")
    _report(result.load, fmt)


@load_app.command("quality")
def quality(
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """Data quality per kind: field coverage, codes that map to nothing, stale records, with fixes."""
    kinds = quality_checks.data_quality(services.prepare_database(db))
    if fmt == "json":
        print(json.dumps([dataclasses.asdict(k) for k in kinds], ensure_ascii=False, indent=2))
        return
    for k in kinds:
        print(f"{k.kind}: {k.records} records")
        for f in k.fields:
            mark = "required" if f.required else "optional"
            flag = "" if f.share == 1 or not k.records else f"  Fix: {f.fix}"
            print(f"  {f.name:<22} {mark:<8} {f.filled:>7} of {f.total:<7} {f.share:6.0%}{flag}")
        for issue in [*k.unmapped, *k.stale]:
            print(f"  ! {issue.count} {issue.what}. Fix: {issue.fix}")


@load_app.command("yh")
def yh(
    file: Annotated[Path, typer.Argument(help="YH programme list (XLSX or CSV) with the public "
                                              "columns.", exists=True, dir_okay=False)],
    db: DbOption = None,
    organisation: Annotated[str | None, typer.Option(help="Id of the provider that owns the "
                                                          "courses.")] = None,
    mapping: Annotated[Path | None, typer.Option(help="TOML mapping file.", exists=True)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and count, write nothing.")] = False,
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """Load a YH programme list (Utbildningsnummer, Utbildningsnamn, SSYK, Studieort, YH-poäng) as courses."""
    parsed = parse_mapping(mapping.read_text(encoding="utf-8"), source=str(mapping)) if mapping else None
    report = feeds.load_yh_programmes(services.prepare_database(db), file.name, file.read_bytes(),
                                      organisation_id=organisation, mapping=parsed, dry_run=dry_run)
    _report(report, fmt)
    if report.problems:
        raise SystemExit(1)


keys_app = typer.Typer(help="The key that seals names and personal numbers: new key, rotation.",
                       no_args_is_help=True)


@keys_app.command("new")
def keys_new() -> None:
    """Print a fresh random key for KEDJA_DATA_KEY (keep it out of the database's backups)."""
    print(identities.new_data_key())


@keys_app.command("rotate")
def keys_rotate(db: DbOption = None) -> None:
    """Re-seal every name and number with KEDJA_DATA_KEY (old keys in KEDJA_DATA_KEYS_PREVIOUS)."""
    count = identities.rotate_keys(services.prepare_database(db))
    console.print(f"Re-sealed {count} identities with the current key; the previous key can now be "
                  "removed from KEDJA_DATA_KEYS_PREVIOUS.")


def register(app: typer.Typer) -> None:
    """Add ``init``, ``load`` and ``keys`` to the ``kedja`` app."""
    app.command("init")(init)
    app.add_typer(load_app, name="load")
    app.add_typer(keys_app, name="keys")
