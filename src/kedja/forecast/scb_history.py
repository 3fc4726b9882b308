r"""Reading SCB's population-change tables (PxWeb CSV) into arrays by region, year, sex and age.

SCB's statistical database exports one row per region × age × sex (and, for BE0101N1, marital
status) with one column per ``"<content code> <year>"``. The tables read here (Källa: SCB):

- BE0101N1 population on 31 December by single age 0–100+ (summed over marital status);
- BE0101A5 mean population by age; BE0101D8 deaths by age; BE0101E2 births by mother's age;
- the migration table with AU in-movers, AV out-movers, AX immigrants and AY emigrants by age.

Sex code 1 is men and 2 women; ``..`` (not published) becomes NaN. Arrays have shape
``(regions, years, 2, AGES)`` with index 0 = women, 1 = men, as everywhere in the forecast.

Examples:
    >>> text = '"Region","Alder","Kon","BE0101D8 2019","BE0101D8 2020"\n"00","100+","2",5,..\n'
    >>> t = parse_scb_csv(text, name="deaths.csv")
    >>> t.regions, t.years, float(t.values["BE0101D8"][0, 0, 0, 100])
    (('00',), (2019, 2020), 5.0)
    >>> bool(np.isnan(t.values["BE0101D8"][0, 1]).any())
    True

"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kedja.core.errors import InvalidInput
from kedja.forecast.schedules import AGES, MEN, WOMEN

__all__ = ["ScbHistory", "ScbTable", "parse_scb_csv", "read_scb_history"]

FILES = {
    "population": "population_pre2025.csv",
    "mean_population": "mean_population_pre2025.csv",
    "deaths": "deaths_pre2025.csv",
    "births": "births_pre2025.csv",
    "migration": "migration_pre2025.csv",
}
_AGE_COLUMNS = ("Alder", "AlderModer")
_SEX = {"1": MEN, "2": WOMEN}


@dataclass(frozen=True)
class ScbTable:
    """One SCB table: values per content code, shape ``(regions, years, 2, AGES)``."""

    regions: tuple[str, ...]
    years: tuple[int, ...]
    values: dict[str, np.ndarray]


def _age(text: str, *, name: str, line: int) -> int:
    digits = text.rstrip("+").strip()
    if not digits.isdigit() or int(digits) >= AGES + 1:
        raise InvalidInput(f"{text!r} is not an age", field="Alder", value=text,
                           location=f"{name}, line {line}",
                           hint="ages are whole years 0–100, the last written '100+'")
    return min(int(digits), AGES - 1)


def _number(text: str, *, name: str, line: int, column: str) -> float:
    if text.strip() in ("..", ""):
        return float("nan")
    try:
        return float(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a number", field=column, value=text,
                           location=f"{name}, line {line}",
                           hint="SCB's CSV holds counts, or '..' where a figure is not published"
                           ) from None


def _header(head: list[str], name: str) -> tuple[int, int, list[tuple[int, str, int]]]:
    if "Region" not in head or "Kon" not in head or not any(a in head for a in _AGE_COLUMNS):
        raise InvalidInput(f"{name} has no Region, age and Kon columns", field="header",
                           value=",".join(head[:5]), location=f"{name}, line 1",
                           hint="export the table from SCB with Region, Alder and Kon as rows")
    age_col = next(head.index(a) for a in _AGE_COLUMNS if a in head)
    columns = []
    for index, title in enumerate(head):
        code, _, year = title.rpartition(" ")
        if code and year.isdigit():
            columns.append((index, code, int(year)))
    return age_col, head.index("Kon"), columns


def parse_scb_csv(text: str, *, name: str) -> ScbTable:
    """Parse one PxWeb CSV export; O(rows × columns).

    Raises:
        InvalidInput: a missing column, an unknown sex code, an age or number that does not
        parse; the message names the file and line.

    """
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows:
        raise InvalidInput(f"{name} is empty", field="file", value=name,
                           hint="export the table again from SCB")
    age_col, sex_col, columns = _header(rows[0], name)
    regions = tuple(dict.fromkeys(r[0] for r in rows[1:] if r))
    years = tuple(sorted({y for _, _, y in columns}))
    codes = tuple(dict.fromkeys(c for _, c, _ in columns))
    values = {c: np.zeros((len(regions), len(years), 2, AGES)) for c in codes}
    r_index, y_index = {r: i for i, r in enumerate(regions)}, {y: i for i, y in enumerate(years)}
    for line, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if row[sex_col] not in _SEX:
            raise InvalidInput(f"{row[sex_col]!r} is not a sex code", field="Kon",
                               value=row[sex_col], location=f"{name}, line {line}",
                               hint="SCB writes 1 for men and 2 for women")
        age = _age(row[age_col], name=name, line=line)
        sex, region = _SEX[row[sex_col]], r_index[row[0]]
        for index, code, year in columns:
            values[code][region, y_index[year], sex, age] += _number(
                row[index], name=name, line=line, column=rows[0][index])
    return ScbTable(regions, years, values)


@dataclass(frozen=True)
class ScbHistory:
    """Single-age population history with births, deaths and migration for some regions.

    Attributes:
        regions: Region codes (``"00"`` is Sweden, where a table has it).
        years: Calendar years, ascending.
        population: End-of-year population ``(regions, years, 2, AGES)``; NaN where absent.
        mean_population: Mean population, same shape.
        deaths: Deaths by age reached in the year, same shape.
        births: Births by mother's age ``(regions, years, AGES)`` (both sexes of child).
        in_movers: In-movers (domestic and immigrants), same shape as ``population``.
        out_movers: Out-movers (domestic and emigrants).
        immigrants: International in-movers.
        emigrants: International out-movers.

    """

    regions: tuple[str, ...]
    years: tuple[int, ...]
    population: np.ndarray
    mean_population: np.ndarray
    deaths: np.ndarray
    births: np.ndarray
    in_movers: np.ndarray
    out_movers: np.ndarray
    immigrants: np.ndarray
    emigrants: np.ndarray

    def index(self, region: str) -> int:
        """The row of ``region``, or an error naming the regions present."""
        if region not in self.regions:
            raise InvalidInput(f"region {region!r} is not in the SCB files", field="region",
                               value=region, hint=f"choose one of {', '.join(self.regions)}")
        return self.regions.index(region)

    def years_until(self, year: int) -> np.ndarray:
        """Boolean mask of the years up to and including ``year``."""
        return np.array(self.years) <= year


def _align(table: ScbTable, code: str, regions: tuple[str, ...],
           years: tuple[int, ...]) -> np.ndarray:
    out = np.full((len(regions), len(years), 2, AGES), np.nan)
    for r, region in enumerate(regions):
        if region not in table.regions:
            continue
        for y, year in enumerate(years):
            if year in table.years:
                out[r, y] = table.values[code][table.regions.index(region), table.years.index(year)]
    return out


def read_scb_history(folder: Path) -> ScbHistory:
    """Read the five SCB exports in ``folder`` (file names in ``FILES``); O(rows × years).

    Raises:
        InvalidInput: a file is missing or malformed (the message names it).

    """
    tables = {}
    for key, file in FILES.items():
        path = folder / file
        if not path.is_file():
            raise InvalidInput(f"the SCB file {path} does not exist", field="--scb",
                               value=str(path), hint=f"give the folder that holds {file}")
        tables[key] = parse_scb_csv(path.read_text(encoding="utf-8"), name=file)
    regions = tuple(dict.fromkeys(r for t in tables.values() for r in t.regions))
    years = tuple(sorted({y for t in tables.values() for y in t.years}))
    migration = tables["migration"]
    births = _align(tables["births"], "BE0101E2", regions, years).sum(axis=2)
    return ScbHistory(
        regions=regions, years=years,
        population=_align(tables["population"], "BE0101N1", regions, years),
        mean_population=_align(tables["mean_population"], "BE0101A5", regions, years),
        deaths=_align(tables["deaths"], "BE0101D8", regions, years),
        births=births,
        in_movers=_align(migration, "BE0101AU", regions, years),
        out_movers=_align(migration, "BE0101AV", regions, years),
        immigrants=_align(migration, "BE0101AX", regions, years),
        emigrants=_align(migration, "BE0101AY", regions, years),
    )
