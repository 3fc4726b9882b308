"""YH programme lists (yrkeshögskolan) → the generic course columns.

The public lists (Arbetsförmedlingen's *kopplingsschema* links occupation groups to SUN codes
and YH programmes) carry one row per programme and occupation group: ``Utbildningsnummer``,
``Utbildningsnamn``, ``SSYK Arbetsförmedlingen``, ``Anordnare``. Rows of one programme are
merged into one course leading to all its groups. Where the programme is given (``Studieort``
or ``Kommun``) and how long it is (``Veckor``, or ``YH-poäng``: 200 points are one year of
full-time study, 40 weeks, so 5 points a week, Myndigheten för yrkeshögskolan) are read when
the list has them; a list without them is reported with the column to add.

Examples:
    >>> from kedja.loading.files import Row, Table
    >>> t = Table("yh.xlsx", ["Utbildningsnummer", "Utbildningsnamn", "SSYK Arbetsförmedlingen",
    ...                       "Studieort", "YH-poäng"],
    ...           [Row(2, {"Utbildningsnummer": "YH1", "Utbildningsnamn": "Paralegal",
    ...                    "SSYK Arbetsförmedlingen": "2614", "Studieort": "Luleå", "YH-poäng": 200}),
    ...            Row(3, {"Utbildningsnummer": "YH1", "Utbildningsnamn": "Paralegal",
    ...                    "SSYK Arbetsförmedlingen": "2613", "Studieort": "Luleå", "YH-poäng": 200})])
    >>> yh_table(t).rows[0].values["leads_to"], yh_table(t).rows[0].values["weeks"]
    ('2614;2613', '40')
"""

from __future__ import annotations

from typing import Any

from kedja.loading.files import Row, Table, as_text

__all__ = ["POINTS_PER_WEEK", "yh_table"]

POINTS_PER_WEEK = 5
"""YH points per full-time week: 200 points = 40 weeks (Myndigheten för yrkeshögskolan)."""

_COLUMNS = ["external_id", "title", "leads_to", "municipality", "weeks", "provider_name"]


def _first(values: dict[str, Any], *names: str) -> str:
    for name in names:
        text = as_text(values.get(name))
        if text:
            return text
    return ""


def _weeks(values: dict[str, Any]) -> str:
    weeks = _first(values, "Veckor", "Längd (veckor)")
    if weeks:
        return weeks
    points = _first(values, "YH-poäng", "Yh-poäng", "Poäng")
    try:
        return str(round(float(points.replace(",", ".")) / POINTS_PER_WEEK)) if points else ""
    except ValueError:
        return points  # the course validation reports it


def yh_table(table: Table) -> Table:
    """The list as a table of the generic course columns, one row per programme."""
    merged: dict[str, Row] = {}
    for row in table.rows:
        number = _first(row.values, "Utbildningsnummer")
        if not number:
            continue
        ssyk = _first(row.values, "SSYK Arbetsförmedlingen", "SSYK SCB", "SSYK")
        if number in merged:
            codes = merged[number].values["leads_to"].split(";")
            if ssyk and ssyk not in codes:
                merged[number].values["leads_to"] += f";{ssyk}"
            continue
        merged[number] = Row(row.line, {
            "external_id": number, "title": _first(row.values, "Utbildningsnamn"),
            "leads_to": ssyk, "municipality": _first(row.values, "Studieort", "Kommun"),
            "weeks": _weeks(row.values), "provider_name": _first(row.values, "Anordnare")})
    return Table(table.filename, list(_COLUMNS), list(merged.values()), table.encoding, table.delimiter)
