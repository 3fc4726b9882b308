"""``kedja report``: the follow-up indicators and the directory, as files for funders and partners."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kedja.cli.lazy import lazy_module
from kedja.cli.options import DbOption, DirectoryFormat, TableFormat

__all__ = ["report_app"]

if TYPE_CHECKING:  # the modules load when a command runs (kedja.cli.lazy)
    import kedja.services.esf as esf
    import kedja.services.follow_up as follow_up
    import kedja.services.hub as hub
    from kedja import services
else:
    services = lazy_module("kedja.services")
    esf = lazy_module("kedja.services.esf")
    follow_up = lazy_module("kedja.services.follow_up")
    hub = lazy_module("kedja.services.hub")

report_app = typer.Typer(help="Reports: follow-up and ESF+ indicators (protected), the HSDS "
                              "directory.",
                         no_args_is_help=True)
OutputOption = Annotated[Path | None, typer.Option("--output", "-o",
                                                   help="Write to this file (default: stdout).")]


def _write(data: bytes, output: Path | None, *, binary: bool) -> None:
    if output is not None:
        output.write_bytes(data)
    elif binary and sys.stdout.isatty():
        raise typer.BadParameter("a binary file does not go to a terminal: give --output FILE")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


@report_app.command("indicators")
def indicators(
    db: DbOption = None,
    period: Annotated[str | None, typer.Option(help="YYYY-MM-DD:YYYY-MM-DD (enrolments "
                                                    "overlapping it).")] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", case_sensitive=False,
                                             help="csv or xlsx.")] = TableFormat.CSV,
    output: OutputOption = None,
) -> None:
    """Participants, outcomes, progression and the equal-treatment report.

    Counts are in columns ending in _n; cells from 1 to 4, and cells that could be worked out
    from the totals, are empty.
    """
    engine = services.prepare_database(db)
    data = follow_up.indicators_export(engine, None, fmt=fmt,
                                       period=follow_up.parse_period(period))
    _write(data, output, binary=fmt == "xlsx")


@report_app.command("directory")
def directory(
    db: DbOption = None,
    fmt: Annotated[DirectoryFormat, typer.Option(
        "--format", case_sensitive=False,
        help="json (HSDS 3.0) or zip (the HSDS tabular package).")] = DirectoryFormat.JSON,
    output: OutputOption = None,
) -> None:
    """The directory of actors as Open Referral HSDS 3.0 (no personal data)."""
    _write(hub.export_directory(services.prepare_database(db), fmt=fmt), output,
           binary=fmt == "zip")


@report_app.command("esf")
def esf_indicators(
    db: DbOption = None,
    period: Annotated[str | None, typer.Option(help="YYYY-MM-DD:YYYY-MM-DD in whole months "
                                                    "(enrolments overlapping it).")] = None,
    organisation: Annotated[str | None, typer.Option(
        help="An organisation's id (default: the whole region).")] = None,
    output: OutputOption = None,
) -> None:
    """The ESF+ common indicators for participants (Regulation (EU) 2021/1057, Annex I) as XLSX.

    One sheet per indicator group and a sheet of sources and definitions; every figure is
    protected by the cell-key method, small ones are empty, and unknown is a column of its own.
    """
    engine = services.prepare_database(db)
    _write(esf.esf_workbook(engine, None, period=period, organisation_id=organisation), output,
           binary=True)
