"""What every ``kedja`` command shares: choices, defaults, exit codes, quiet mode, progress.

A choice is an enum, so an unknown value is refused before anything runs, with the valid ones
listed (``kedja match --format yaml``: "'yaml' is not one of 'text', 'json'"), and the same
option has the same values and default in every command:

| option | values | default |
|---|---|---|
| ``--format`` (results) | text, json (and csv where the result is a list) | text |
| ``--format`` (tables to a file) | csv, xlsx (and json where rows are records) | csv |
| ``--format`` (the directory) | json, zip | json |
| ``--lang`` | sv, en | sv |
| ``--band`` | gender, age_band, born_abroad, disability | none |

Exit codes (:class:`ExitCode`): 0 done; 1 Kedja refused the request (bad input, not found,
infeasible, not allowed, conflict: the message says what to change); 2 the command line itself
is wrong (an unknown option or value); 3 configuration (the database cannot be reached or
opened, a setting is missing); 130 interrupted (Ctrl+C).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "AuditDimension",
    "BandOption",
    "DirectoryFormat",
    "ExitCode",
    "FormatOption",
    "GapsFormat",
    "LangOption",
    "Language",
    "ListFormat",
    "OccupationLevel",
    "OutputFormat",
    "ProgressReport",
    "TableFormat",
    "is_quiet",
    "progress",
    "set_quiet",
    "stderr",
]


class ExitCode(IntEnum):
    """What a ``kedja`` command's exit status means."""

    OK = 0
    REFUSED = 1
    USAGE = 2
    CONFIGURATION = 3
    INTERRUPTED = 130


class OutputFormat(StrEnum):
    """A command's result on the terminal: for people, or JSON for scripts."""

    TEXT = "text"
    JSON = "json"


class ListFormat(StrEnum):
    """A list on the terminal: for people, JSON, or CSV rows."""

    TEXT = "text"
    JSON = "json"
    CSV = "csv"


class OccupationLevel(StrEnum):
    """The occupation classification a command works on."""

    SSYK4 = "ssyk4"
    ESCO = "esco"


class TableFormat(StrEnum):
    """A table written to a file."""

    CSV = "csv"
    XLSX = "xlsx"


class GapsFormat(StrEnum):
    """A table of records written to a file (also as a JSON list)."""

    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


class DirectoryFormat(StrEnum):
    """The directory as HSDS 3.0: JSON, or the tabular package (a zip)."""

    JSON = "json"
    ZIP = "zip"


class Language(StrEnum):
    """The language of explanations."""

    SV = "sv"
    EN = "en"


class AuditDimension(StrEnum):
    """An equal-treatment audit dimension (read only by the audit, never by a score)."""

    GENDER = "gender"
    AGE_BAND = "age_band"
    BORN_ABROAD = "born_abroad"
    DISABILITY = "disability"


DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLite file path or database URL (default: $KEDJA_DATABASE_URL, "
                              "else kedja.db)."),
]
FormatOption = Annotated[OutputFormat, typer.Option(
    "--format", case_sensitive=False, help="text (for people) or json (for scripts).")]
LangOption = Annotated[Language, typer.Option(
    "--lang", case_sensitive=False, help="Language of the explanations.")]
BandOption = Annotated[AuditDimension | None, typer.Option(
    "--band", case_sensitive=False,
    help="Keep each group of this audit dimension at or above --band-floor of its fair share "
         "of places.")]

_QUIET = {"on": False}


def set_quiet(on: bool) -> None:
    """``kedja --quiet``: no progress and no notes on stderr; results and errors still show."""
    _QUIET["on"] = on


def is_quiet() -> bool:
    """Whether ``--quiet`` was given."""
    return _QUIET["on"]


def stderr() -> Console:
    """The console for progress and notes (stderr), quiet when ``--quiet`` was given."""
    from rich.console import Console

    return Console(stderr=True, quiet=is_quiet())


class ProgressReport:
    """What a command tells its progress display: the step it is on, and work done."""

    def __init__(self, bar: object | None, task: object | None, title: str) -> None:
        self._bar, self._task, self._title = bar, task, title
        self.total: int | None = None

    def step(self, text: str) -> None:
        """Name the current step."""
        if self._bar is not None:
            self._bar.update(self._task, description=f"{self._title}: {text}")  # type: ignore[attr-defined]

    def advance(self, done: int, total: int) -> None:
        """``done`` of ``total`` units of work finished."""
        self.total = total
        if self._bar is not None:
            self._bar.update(self._task, completed=done, total=total)  # type: ignore[attr-defined]


@contextmanager
def progress(title: str, *, total: int | None = None) -> Iterator[ProgressReport]:
    """A rich progress bar on stderr (a spinner while the amount of work is unknown).

    Off with ``--quiet``; on a pipe it prints the last state only, so logs stay readable.
    """
    if is_quiet():
        yield ProgressReport(None, None, title)
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=stderr(),
                  transient=False) as bar:
        task = bar.add_task(title, total=total)
        report = ProgressReport(bar, task, title)
        report.total = total
        yield report
        final = report.total or 1
        bar.update(task, description=f"{title}: done", completed=final, total=final)
