"""Indicator tables as CSV (long form) and Excel (a sheet per table).

Count columns end in ``_n``; a suppressed cell is empty. CSV columns: ``indicator``,
``breakdown``, ``group``, ``category``, ``count_n`` and ``value`` (a share or a mean, on the
row's ``total`` line).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

from openpyxl import Workbook

from kedja.core.spreadsheets import safe_row
from kedja.follow_up.indicators import IndicatorTable

__all__ = ["indicators_csv", "indicators_xlsx", "table_rows"]

CSV_COLUMNS = ("indicator", "breakdown", "group", "category", "count_n", "value")


def _blank(value: float | int | None) -> str:
    if value is None:
        return ""
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def table_rows(table: IndicatorTable) -> Iterator[tuple[str, list[int | None], int | None,
                                                         float | None]]:
    """(group, cells, row total, value) per row, then ``('total', …)`` for the margins."""
    p = table.published
    values = table.values or (None,) * len(table.rows)
    for row, cells, total, value in zip(table.rows, p.cells, p.row_totals, values, strict=True):
        yield row, list(cells), total, value
    yield "total", list(p.column_totals), p.total, table.total_value


def indicators_csv(tables: Sequence[IndicatorTable]) -> str:
    """All tables in one long CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for table in tables:
        for group, cells, total, value in table_rows(table):
            for column, n in zip(table.columns, cells, strict=True):
                writer.writerow(safe_row([table.indicator, table.breakdown, group, column,
                                          _blank(n), ""]))
            writer.writerow(safe_row([table.indicator, table.breakdown, group, "total",
                                      _blank(total), _blank(value)]))
    return out.getvalue()


def _sheet_name(table: IndicatorTable, used: set[str]) -> str:
    base = f"{table.indicator}_{table.breakdown}"[:31]
    name, k = base, 1
    while name in used:
        k += 1
        name = f"{base[:28]}_{k}"
    used.add(name)
    return name


def indicators_xlsx(tables: Sequence[IndicatorTable]) -> bytes:
    """An Excel workbook, a sheet per table: group, ``<category>_n`` …, ``total_n``, value."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table, used))
        header = [table.breakdown, *(f"{c}_n" for c in table.columns), "total_n"]
        sheet.append(safe_row([*header, table.value_name] if table.value_name else header))
        for group, cells, total, value in table_rows(table):
            row: list[object] = [group, *cells, total]
            sheet.append(safe_row([*row, value] if table.value_name else row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
