"""Reading Kolada's population exports (xlsx) into arrays for projection and back-testing.

Two files, as Kolada exports them (``Källa: Kolada``): population totals for all 290
municipalities by year (``Municipality`` in the first cell, years across), and age indicators
(indicator title, municipality name, then years): the shares aged 0–19 and 65+ in percent and
the single-age counts for ages 20–30. Municipalities are matched by name (Unicode NFC);
duplicated rows must carry identical values.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kedja.core.errors import InvalidInput

__all__ = ["AGES_FILE", "TOTALS_FILE", "KoladaHistory", "read_kolada"]

TOTALS_FILE = "kolada_invanare_totalt_1998_2019_290kommuner.xlsx"
AGES_FILE = "kolada_invanare_alder_andelar_1998_2019_290kommuner.xlsx"
SHARE_0_19 = "Invånare 0-19 år, andel (%)"
SHARE_65_PLUS = "Invånare 65+, andel (%)"
SINGLE_AGE = "Invånare {age} år, antal"


@dataclass(frozen=True)
class KoladaHistory:
    """Population history: totals, age shares (fractions) and counts aged 20–30; NaN = missing.

    Attributes:
        names: Municipality names, sorted.
        years: The years, ascending.
        total: ``(municipalities, years)``.
        share_0_19: ``(municipalities, years)``.
        share_65_plus: ``(municipalities, years)``.
        ages_20_30: ``(municipalities, years, 11)``.

    """

    names: tuple[str, ...]
    years: tuple[int, ...]
    total: np.ndarray
    share_0_19: np.ndarray
    share_65_plus: np.ndarray
    ages_20_30: np.ndarray

    def year_index(self, year: int, *, field: str) -> int:
        """The column of ``year``, or an error naming the years the files cover."""
        if year not in self.years:
            raise InvalidInput(
                f"{year} is not a year in the Kolada files ({self.years[0]}–{self.years[-1]})",
                field=field, value=year,
                hint=f"choose a year from {self.years[0]} to {self.years[-1]}",
            )
        return self.years.index(year)


def _nfc(text: Any) -> str:
    return unicodedata.normalize("NFC", str(text)).strip()


def _read_excel(path: Path) -> list[tuple[Any, ...]]:
    """The first sheet's rows as value tuples (openpyxl, read-only: no pandas needed)."""
    import openpyxl  # heavy: imported only when a Kolada file is read

    if not path.is_file():
        raise InvalidInput(f"the Kolada file {path} does not exist", field="--kolada",
                           value=str(path), hint=f"give the folder that holds {path.name}")
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def _numbers(cells: tuple[Any, ...]) -> np.ndarray:
    return np.array([np.nan if c is None or c == "" else c for c in cells], dtype=float)


def _table(rows: list[tuple[int, tuple[Any, ...]]], names_col: int, first_col: int,
           path: Path) -> dict[str, np.ndarray]:
    table: dict[str, np.ndarray] = {}
    for line, row in rows:
        name = _nfc(row[names_col])
        values = _numbers(row[first_col:])
        if name in table and not np.array_equal(table[name], values, equal_nan=True):
            raise InvalidInput(
                f"municipality {name!r} appears twice with different values",
                field="municipality", value=name, location=f"{path.name}, line {line + 1}",
                hint="remove the duplicated row from the export",
            )
        table[name] = values
    return table


def read_kolada(folder: Path) -> KoladaHistory:
    """Read both Kolada files in ``folder``; O(rows × years).

    Raises:
        InvalidInput: a file is missing, or a municipality lacks an indicator.

    """
    totals_raw = _read_excel(folder / TOTALS_FILE)
    years = tuple(int(y) for y in totals_raw[0][1:] if y not in (None, ""))
    totals = _table(list(enumerate(totals_raw))[1:], 0, 1, folder / TOTALS_FILE)
    ages_raw = _read_excel(folder / AGES_FILE)
    age_years = tuple(int(y) for y in ages_raw[1][2:] if y not in (None, ""))
    body = list(enumerate(ages_raw))[2:]
    titles = [SHARE_0_19, SHARE_65_PLUS] + [SINGLE_AGE.format(age=a) for a in range(20, 31)]
    indicators = {t: _table([(i, r) for i, r in body if r[0] == t], 1, 2, folder / AGES_FILE)
                  for t in titles}
    names = tuple(sorted(totals))
    column = [age_years.index(y) for y in years]

    def grid(title: str) -> np.ndarray:
        return np.array([_lookup(indicators[title], n, title)[column] for n in names])

    return KoladaHistory(
        names=names, years=years,
        total=np.array([totals[n] for n in names]),
        share_0_19=grid(SHARE_0_19) / 100, share_65_plus=grid(SHARE_65_PLUS) / 100,
        ages_20_30=np.stack([grid(t) for t in titles[2:]], axis=-1),
    )


def _lookup(table: dict[str, np.ndarray], name: str, title: str) -> np.ndarray:
    if name not in table:
        raise InvalidInput(f"municipality {name!r} has no {title!r} in {AGES_FILE}",
                           field="municipality", value=name,
                           hint="export the age indicators for every municipality")
    return table[name]
