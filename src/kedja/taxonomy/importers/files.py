"""Reading source files strictly: zips or folders, UTF-8 only, headers checked, rows counted.

Every problem becomes an :class:`~kedja.core.errors.InvalidInput` whose ``location`` names the
file and line, so an import can be refused before anything is written.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kedja.core.errors import InvalidInput

__all__ = ["CsvRow", "SourceFiles", "csv_rows", "decoded_text"]


@dataclass(frozen=True)
class CsvRow:
    """A CSV record as a dict of column → value, with the line where the record ends."""

    values: dict[str, str]
    line: int
    file: str

    def location(self) -> str:
        """``"file, line N"`` for error messages."""
        return f"{self.file}, line {self.line}"

    def require(self, column: str) -> str:
        """The non-blank value of ``column``, or an error naming file, line and column."""
        value = self.values.get(column, "").strip()
        if not value:
            raise InvalidInput(f"the column {column!r} is empty", field=column, value=value,
                               location=self.location(),
                               hint="fill the value or take a fresh copy of the official file")
        return value


class SourceFiles:
    r"""Named files found in folders and zip archives, opened on demand.

    Examples:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "a.csv").write_text("x\n1\n")
        >>> files = SourceFiles([folder])
        >>> files.names()
        ['a.csv']
        >>> files.read_bytes("a.csv")
        b'x\n1\n'

    """

    def __init__(self, paths: Iterable[Path | str] = (),
                 contents: dict[str, bytes] | None = None) -> None:
        self._found: dict[str, tuple[Path, str | None]] = {}
        self._contents = dict(contents or {})
        for path in map(Path, paths):
            self._add(path)
        for name in self._contents:
            self._found.setdefault(name, (Path(name), None))

    def _add(self, path: Path) -> None:
        if not path.exists():
            raise InvalidInput(f"{str(path)!r} does not exist", field="PATH", value=str(path),
                               hint="give the downloaded zip file or the folder it unpacks to")
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() != ".zip":
                    self._found.setdefault(child.name, (child, None))
            for child in sorted(path.rglob("*.zip")):
                self._add_zip(child)
        elif path.suffix.lower() == ".zip":
            self._add_zip(path)
        else:
            self._found.setdefault(path.name, (path, None))

    def _add_zip(self, path: Path) -> None:
        try:
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.namelist() if not m.endswith("/")]
        except zipfile.BadZipFile:
            raise InvalidInput(f"{path.name!r} is not a readable zip archive", field="PATH",
                               value=str(path), location=str(path),
                               hint="download the file again; it may be truncated") from None
        for member in members:
            self._found.setdefault(Path(member).name, (path, member))

    def names(self) -> list[str]:
        """The file names found, sorted."""
        return sorted(self._found)

    def has(self, name: str) -> bool:
        """Whether a file of this name was found."""
        return name in self._found

    def read_bytes(self, name: str) -> bytes:
        """The bytes of the file ``name`` (from disk or from inside its zip)."""
        if name not in self._found:
            raise InvalidInput(f"the file {name!r} is missing", field="PATH", value=name,
                               hint=f"give the folder or zip(s) that contain {name}")
        if name in self._contents:
            return self._contents[name]
        path, member = self._found[name]
        if member is None:
            return path.read_bytes()
        with zipfile.ZipFile(path) as archive:
            return archive.read(member)

    def display(self, name: str) -> str:
        """How the file is named in messages: ``path`` or ``archive.zip:member``."""
        path, member = self._found[name]
        return str(path) if member is None else f"{path.name}:{member}"


def decoded_text(data: bytes, *, file: str) -> str:
    r"""``data`` decoded as UTF-8 (a byte-order mark is dropped); bad bytes name their line.

    Examples:
        >>> decoded_text("a\nö\n".encode(), file="x.csv")
        'a\nö\n'
        >>> decoded_text(b"a\n\xf6\n", file="x.csv")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        kedja.core.errors.InvalidInput: x.csv is not valid UTF-8: ... (x.csv, line 2, ...

    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvalidInput(
            f"{file} is not valid UTF-8: byte 0x{data[error.start]:02x} cannot be decoded",
            field="encoding", value=f"0x{data[error.start]:02x}", location=f"{file}, line {line}",
            hint="save the file as UTF-8 (the official downloads are UTF-8)",
        ) from None


def csv_rows(text: str, *, file: str, columns: Iterable[str], required: Iterable[str] = (),
             min_fields: int | None = None) -> Iterator[CsvRow]:
    r"""The records of a CSV text whose header has only known ``columns`` and all ``required``.

    Raises :class:`InvalidInput` for an unknown or missing column, a record with more or fewer
    fields than the header (a truncated row) and malformed quoting, each naming file and line.
    ``min_fields`` accepts shorter records (padded with empty values) for files whose official
    form leaves trailing empty fields out (ESCO's skills hierarchy).

    Examples:
        >>> [r.values for r in csv_rows("a,b\n1,2\n", file="f.csv", columns=["a", "b"])]
        [{'a': '1', 'b': '2'}]
        >>> list(csv_rows("a,b\n1\n", file="f.csv", columns=["a", "b"]))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        kedja.core.errors.InvalidInput: the record has 1 fields where the header has 2: ...

    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput(f"{file} is empty", field="header", location=f"{file}, line 1",
                           hint="take a fresh copy of the official file") from None
    _check_header(header, file=file, columns=set(columns), required=required)
    yield from _records(reader, header, file=file, min_fields=min_fields or len(header))


def _check_header(header: list[str], *, file: str, columns: set[str],
                  required: Iterable[str]) -> None:
    for name in header:
        if name not in columns:
            raise InvalidInput(
                f"unknown column {name!r}; expected only {sorted(columns)}", field=name,
                value=name, location=f"{file}, line 1",
                hint="check that the file is the official download of the version Kedja reads",
            )
    for name in required:
        if name not in header:
            raise InvalidInput(f"the column {name!r} is missing", field=name,
                               location=f"{file}, line 1",
                               hint="take a fresh copy of the official file")


def _records(reader: Iterator[list[str]], header: list[str], *, file: str,
             min_fields: int) -> Iterator[CsvRow]:
    line = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise InvalidInput(f"malformed CSV: {error}", field="quoting",
                               location=f"{file}, line {line + 1}",
                               hint="the file is cut off or a quote is not closed; "
                                    "take a fresh copy of the official file") from None
        line = reader.line_num  # type: ignore[attr-defined]
        if not record:
            continue
        if not min_fields <= len(record) <= len(header):
            column = header[min(len(record), len(header) - 1)]
            raise InvalidInput(
                f"the record has {len(record)} fields where the header has {len(header)}: "
                "the row is truncated or has a stray separator", field=column,
                location=f"{file}, line {line}",
                hint="repair the row or take a fresh copy of the official file")
        record += [""] * (len(header) - len(record))
        yield CsvRow(dict(zip(header, record, strict=True)), line, file)
