r"""Reading a spreadsheet as people save it: CSV in any delimiter and encoding, or XLSX.

CSV: UTF-8 (with or without BOM) or Windows-1252 (what Excel on Swedish Windows saves), the
delimiter sniffed among ``; , tab |`` (Swedish Excel writes ``;`` because ``,`` is the decimal
mark). XLSX: the first sheet, the first row the header; cells keep their types (dates, numbers).

Examples:
    >>> t = read_table("p.csv", "namn;kommun\nÅsa;2580\n".encode("cp1252"))
    >>> t.columns, t.rows[0].line, t.rows[0].values, t.encoding
    (['namn', 'kommun'], 2, {'namn': 'Åsa', 'kommun': '2580'}, 'windows-1252')
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from kedja.core.errors import InvalidInput

__all__ = ["Row", "Table", "read_table"]

MAX_ROWS = 200_000


@dataclass(frozen=True)
class Row:
    """One data row: its line in the file (the sheet's row number) and its cells by header."""

    line: int
    values: dict[str, Any]


@dataclass
class Table:
    """A file read as a header and rows."""

    filename: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""


def _decode(filename: str, data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "windows-1252"


def _sniff(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:  # one column, or a header only: pick the most frequent candidate
        first = sample.splitlines()[0] if sample else ""
        return max(";,\t|", key=first.count) if first else ";"


def _csv(filename: str, data: bytes) -> Table:
    text, encoding = _decode(filename, data)
    delimiter = _sniff(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise InvalidInput(f"{filename} has no header row", field="file", value=filename,
                           hint="put the column names on the first line (see --template)")
    columns = [h.strip() for h in header]
    table = Table(filename, columns, encoding=encoding, delimiter=delimiter)
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        table.rows.append(Row(line, {c: (cells[i].strip() if i < len(cells) else "")
                                     for i, c in enumerate(columns) if c}))
        _check_size(table, filename)
    return table


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


def _xlsx(filename: str, data: bytes) -> Table:
    from openpyxl import load_workbook  # only when an XLSX arrives

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several types for a damaged file
        raise InvalidInput(f"{filename} is not a readable XLSX workbook ({error})", field="file",
                           value=filename, hint="save it again from Excel as .xlsx, or as CSV") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    columns = [str(h).strip() if h is not None else "" for h in header]
    table = Table(filename, columns, encoding="xlsx")
    for line, cells in enumerate(rows, start=2):
        values = {c: _cell(cells[i] if i < len(cells) else None) for i, c in enumerate(columns) if c}
        if any(v not in ("", None) for v in values.values()):
            table.rows.append(Row(line, values))
            _check_size(table, filename)
    book.close()
    return table


def _check_size(table: Table, filename: str) -> None:
    if len(table.rows) > MAX_ROWS:
        raise InvalidInput(f"{filename} has more than {MAX_ROWS:,} rows", field="file",
                           value=filename, hint="split the file and load the parts one by one")


def read_table(filename: str, data: bytes) -> Table:
    """The file as a table; XLSX by its content (a zip), CSV otherwise.

    Raises:
        InvalidInput: no header row, an unreadable workbook, or too many rows.
    """
    if data[:2] == b"PK":
        return _xlsx(filename, data)
    return _csv(filename, data)


def as_text(value: Any) -> str:
    """A cell as text (dates as ISO, whole floats without '.0')."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date | datetime):
        return value.isoformat()
    return "" if value is None else str(value).strip()
