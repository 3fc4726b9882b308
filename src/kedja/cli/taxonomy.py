"""``kedja import``: load official classifications and print the crosswalk coverage."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from kedja.cli.lazy import lazy_module
from kedja.cli.options import DbOption, progress
from kedja.core.errors import InvalidInput

__all__ = ["import_app"]

if TYPE_CHECKING:  # the modules load when a command runs (kedja.cli.lazy)
    from kedja import services
else:
    services = lazy_module("kedja.services")

import_app = typer.Typer(help="Import official classifications (ESCO, JobTech, SCB, O*NET) and "
                              "directories (Open Referral HSDS 3.0).",
                         no_args_is_help=True)
console = Console(stderr=True)
out = Console(highlight=False, soft_wrap=True, markup=False)

VersionOption = Annotated[str | None, typer.Option(help="Source version (default: from the path).")]


def _run(kind: str, paths: list[str], db: str | None, version: str | None,
         api_url: str | None = None) -> None:
    with progress(f"Importing {kind}") as bar:
        engine = services.prepare_database(db)
        report = services.import_taxonomy(engine, kind, paths, version=version, api_url=api_url)
        bar.step(f"{report.source} {report.version}")
    changes = report.changes
    out.print(f"Imported {report.source} {report.version} in {report.seconds:.1f} s "
              f"(parse {report.timings['parse']:.1f} s, write {report.timings['write']:.1f} s): "
              f"{changes.inserted:,} rows inserted, {changes.updated:,} updated, "
              f"{changes.removed:,} removed.")
    for key, count in sorted(report.counts.items()):
        out.print(f"  {key}: {count:,}")
    for note in report.notes:
        out.print(f"  note: {note}")
    out.print("Crosswalk coverage:")
    for line in report.coverage.lines():
        out.print(f"  {line}")


@import_app.command("esco")
def import_esco(
    paths: Annotated[list[str], typer.Argument(help="ESCO CSV zip(s) or the unzipped folder.")],
    db: DbOption = None, version: VersionOption = None,
) -> None:
    """ESCO v1.x (ESCO, European Commission): occupations, skills, relations, collections."""
    _run("esco", paths, db, version)


@import_app.command("jobtech")
def import_jobtech(
    path: Annotated[str | None, typer.Argument(help="Folder of JobTech taxonomy JSON exports.")
                    ] = None,
    db: DbOption = None, version: VersionOption = None,
    api: Annotated[bool, typer.Option("--api", help="Fetch from the live taxonomy API instead.")
                   ] = False,
    api_url: Annotated[str | None, typer.Option(
        help="The taxonomy API's GraphQL address (default: JobTech's public API).")] = None,
) -> None:
    """The JobTech taxonomy (JobTech/Arbetsförmedlingen): SSYK groups, names, skills, ISCO."""
    if path is None and not api:
        raise InvalidInput("give PATH (a folder of exports) or --api", field="PATH",
                           hint="kedja import jobtech ../shared/data/jobtech_taxonomy")
    _run("jobtech", [path] if path else [], db, version,
         (api_url or services.JOBTECH_API_URL) if api else None)


@import_app.command("scb-ssyk")
def import_scb(
    path: Annotated[str, typer.Argument(help="SCB's SSYK→ISCO key (.xlsx) or a JSON-stat table "
                                             "of employees by SSYK (.json).")],
    db: DbOption = None, version: VersionOption = None,
) -> None:
    """SCB (Källa: SCB): the SSYK 2012 → ISCO-08 key with job titles, or employees by SSYK."""
    _run("scb-ssyk", [path], db, version)


@import_app.command("onet")
def import_onet(
    path: Annotated[str, typer.Argument(help="Folder of the O*NET database in Excel format.")],
    db: DbOption = None, version: VersionOption = None,
) -> None:
    """O*NET (CC BY 4.0): occupations, skills, knowledge, job zones, education."""
    _run("onet", [path], db, version)


@import_app.command("hsds")
def import_hsds(
    path: Annotated[Path, typer.Argument(help="An HSDS 3.0 tabular package (folder or zip with "
                                              "datapackage.json) or an HSDS JSON file "
                                              "(*_full.json, *_list.json, Kedja's export).")],
    db: DbOption = None,
) -> None:
    """A directory in Open Referral HSDS 3.0 (one transaction: all or nothing).

    Kedja's own organisations (with Kedja's kind and municipality attributes) join the
    directory; every other object is kept as it came and published again by the HSDS API and
    exports.
    """
    from kedja.services import hsds

    with progress(f"Importing {path.name}"):
        report = hsds.import_directory_path(services.prepare_database(db), None, path)
    d = report.directory
    kept = ", ".join(f"{count} {kind}" for kind, count in report.kept.items() if count)
    out.print(f"Imported {path}: {len(d.organisations)} organisations, {len(d.services)} "
              f"services, {len(d.locations)} locations into Kedja's directory; kept as HSDS "
              f"records: {kept or 'none'}.")
