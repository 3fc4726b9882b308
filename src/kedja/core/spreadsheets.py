r"""Cells safe to open in a spreadsheet: no text Kedja writes to CSV or Excel runs as a formula.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read
by Excel and LibreOffice as a formula (CSV injection, OWASP): such text gets a leading
apostrophe, which the spreadsheet shows as text. Plain numbers (``-0.25``, ``+3``) are left
as they are: they compute nothing. Every CSV and Excel writer in Kedja passes its rows
through :func:`safe_row` or :func:`safe_record`.

Examples:
    >>> safe_row(["=1+1", "@SUM(1+1)*cmd", "-0.25", "P040017", 3, None])
    ["'=1+1", "'@SUM(1+1)*cmd", '-0.25', 'P040017', 3, None]
    >>> safe_cell("\t=cmd"), safe_cell("-1+2")
    ("'\t=cmd", "'-1+2")
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["FORMULA_STARTS", "safe_cell", "safe_record", "safe_row"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """``value`` with a leading apostrophe when it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """Every cell of a row made safe."""
    return [safe_cell(v) for v in values]


def safe_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """Every value of a record (a ``csv.DictWriter`` row) made safe."""
    return {k: safe_cell(v) for k, v in record.items()}
