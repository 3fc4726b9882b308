r"""Reading establishments from CSV: one row per investment, with ``key:value`` lists.

Columns: ``id``, ``name``, ``municipality_code``, ``headcounts`` (``year:count`` pairs separated
by ``;``), ``occupation_mix`` (``SSYK:share`` pairs separated by ``;``, summing to 1) and an
optional ``description``, ``headcount_source`` (who published the headcounts) and
``headcount_as_of`` (its date, YYYY-MM-DD); without a source the headcounts are the user's
assumption. Every error names the file and line.

Examples:
    >>> text = ("id,name,municipality_code,headcounts,occupation_mix\n"
    ...         "E9,Datacenter,2580,2027:100;2030:250,2512:0.5;3512:0.5\n")
    >>> [(e.id, e.headcount(2030), e.occupation_mix["2512"]) for e in parse_establishments(text)]
    [('E9', 250, 0.5)]

"""

from __future__ import annotations

import csv
import io

from kedja.core.errors import InvalidInput, KedjaError
from kedja.core.establishments import Establishment
from kedja.core.ids import EstablishmentId, MunicipalityCode, OccupationCode

__all__ = ["COLUMNS", "parse_establishments"]

COLUMNS = ("id", "name", "municipality_code", "headcounts", "occupation_mix")


def _pairs(text: str, *, field: str, location: str) -> list[tuple[str, str]]:
    pairs = []
    for item in (part.strip() for part in text.split(";") if part.strip()):
        key, sep, value = item.partition(":")
        if not sep:
            raise InvalidInput(f"{item!r} is not a key:value pair", field=field, value=item,
                               location=location, hint="write pairs like 2027:500;2030:1200")
        pairs.append((key.strip(), value.strip()))
    return pairs


def _number(text: str, kind: type, *, field: str, location: str) -> float:
    try:
        return float(kind(text))
    except ValueError as error:
        raise InvalidInput(f"{text!r} is not a number", field=field, value=text,
                           location=location, hint="write digits, with '.' for decimals") from error


def _row(row: dict[str, str], location: str) -> Establishment:
    counts = {int(_number(y, int, field="headcounts", location=location)):
              int(_number(n, int, field="headcounts", location=location))
              for y, n in _pairs(row["headcounts"], field="headcounts", location=location)}
    mix = {OccupationCode(code): _number(share, float, field="occupation_mix", location=location)
           for code, share in _pairs(row["occupation_mix"], field="occupation_mix",
                                     location=location)}
    try:
        return Establishment(EstablishmentId(row["id"].strip()), row["name"],
                             MunicipalityCode(row["municipality_code"].strip()), counts, mix,
                             description=(row.get("description") or "").strip(),
                             headcount_source=(row.get("headcount_source") or "").strip(),
                             headcount_as_of=(row.get("headcount_as_of") or "").strip())
    except KedjaError as error:
        error.location = location
        raise InvalidInput(error.message, field=error.field, value=error.value, hint=error.hint,
                           location=location) from error


def parse_establishments(text: str, *, source: str = "establishments.csv") -> list[Establishment]:
    """Parse establishments from CSV text; O(rows).

    Raises:
        InvalidInput: a missing column, a malformed pair, or an establishment the domain refuses
            (shares not summing to 1, a negative headcount, ...), with file and line.

    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise InvalidInput(f"the CSV lacks the columns {missing}", field="columns",
                           value=",".join(missing), location=f"{source}, line 1",
                           hint=f"give a header row with {', '.join(COLUMNS)}")
    result, seen = [], set()
    for line, row in enumerate(reader, start=2):
        location = f"{source}, line {line}"
        establishment = _row(row, location)
        if establishment.id in seen:
            raise InvalidInput(f"establishment id {establishment.id!r} appears twice", field="id",
                               value=establishment.id, location=location,
                               hint="give every establishment its own id")
        seen.add(establishment.id)
        result.append(establishment)
    return result
