"""Reading one cell: numbers with a decimal comma, Swedish dates, lists separated by ``;``.

Each reader returns the value or raises :class:`CellError` with the reason and the fix, which
the validation turns into a line of the report.

Examples:
    >>> decimal("3,5"), decimal("1 234,5"), integer("40"), integer(40.0)
    (3.5, 1234.5, 40, 40)
    >>> day("2026-03-01"), day("20260301"), day("1/3/2026")
    (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1), datetime.date(2026, 3, 1))
    >>> items("B; C ;"), languages("sv:B1;ar:native")
    (['B', 'C'], [('sv', 'B1'), ('ar', 'native')])
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

__all__ = ["CellError", "day", "decimal", "integer", "items", "languages"]


class CellError(ValueError):
    """A cell that cannot be read: why, and how to fix it."""

    def __init__(self, reason: str, fix: str) -> None:
        super().__init__(reason)
        self.reason, self.fix = reason, fix


def decimal(value: Any) -> float:
    """A number; a decimal comma and spaces between thousands are fine."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise CellError("is not a number", "write a number such as 3,5 or 40") from None


def integer(value: Any) -> int:
    """A whole number."""
    number = decimal(value)
    if not number.is_integer():
        raise CellError("is not a whole number", "write a whole number such as 40")
    return int(number)


_DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")


def day(value: Any) -> date:
    """A date: ISO ``2026-03-01``, ``20260301``, ``1/3/2026``, ``1.3.2026`` or a spreadsheet date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError("is not a date", "write the date as YYYY-MM-DD, for instance 2026-03-01")


def items(value: Any) -> list[str]:
    """The non-empty parts of a list separated by ``;`` (or ``|``, or ``,`` if no ``;``)."""
    text = str(value)
    separator = ";" if ";" in text else "|" if "|" in text else ","
    return [part.strip() for part in text.split(separator) if part.strip()]


_LANGUAGE = re.compile(r"^([a-zA-Z]{2})\s*[:= ]\s*([A-Ca-c][12]|native|modersmål)$")


def languages(value: Any) -> list[tuple[str, str]]:
    """``sv:B1;ar:native`` as (ISO 639-1 code, CEFR level) pairs."""
    found = []
    for part in items(value):
        match = _LANGUAGE.match(part)
        if not match:
            raise CellError(f"{part!r} is not a language with a level",
                            "write code:level, e.g. sv:B1;ar:native (levels A1–C2 or native)")
        level = match[2]
        found.append((match[1].lower(), "native" if level.lower() in ("native", "modersmål")
                      else level.upper()))
    return found
