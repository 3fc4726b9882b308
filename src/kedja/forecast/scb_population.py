"""Base populations from SCB's population table (BE0101N1) as PxWeb returns it in JSON-stat 2.

SCB's table "Folkmängden efter region, ålder, kön och år" has the dimensions ``Region``
(municipality codes), ``Alder`` (``0`` .. ``99``, ``100+``, sometimes ``tot``), ``Kon`` (``1`` men,
``2`` women) and ``Tid`` (years). This module turns one year of it into the projection's
``(regions, 2, AGES)`` array (women first, as everywhere in ``forecast``).

Examples:
    >>> from kedja.forecast.jsonstat import read_jsonstat
    >>> cube = read_jsonstat({"class": "dataset", "id": ["Region", "Alder", "Kon", "Tid"],
    ...     "size": [1, 2, 2, 1], "dimension": {
    ...         "Region": {"category": {"index": ["2584"]}},
    ...         "Alder": {"category": {"index": ["0", "100+"]}},
    ...         "Kon": {"category": {"index": ["1", "2"]}},
    ...         "Tid": {"category": {"index": ["2024"]}}},
    ...     "value": [110, 120, 3, 7]})
    >>> regions, pop = population_from_cube(cube, year="2024")
    >>> regions, pop[0, :, 0].tolist(), pop[0, :, 100].tolist()
    (('2584',), [120.0, 110.0], [7.0, 3.0])

"""

from __future__ import annotations

import numpy as np

from kedja.core.errors import InvalidInput
from kedja.forecast.jsonstat import JsonStatCube
from kedja.forecast.projection import check_population
from kedja.forecast.schedules import AGES, MEN, WOMEN

__all__ = ["population_from_cube"]

SEX_CODES = {"2": WOMEN, "1": MEN}


def _age(code: str) -> int | None:
    """Single age of an SCB age code (``"100+"`` → 100); ``None`` for totals."""
    digits = code.rstrip("+").strip()
    if not digits.isdigit():
        return None
    return min(int(digits), AGES - 1)


def population_from_cube(cube: JsonStatCube, *, year: str, region_dim: str = "Region",
                         age_dim: str = "Alder", sex_dim: str = "Kon",
                         time_dim: str = "Tid") -> tuple[tuple[str, ...], np.ndarray]:
    """Population by region, sex and single age in ``year``; O(cells).

    Ages above 100 are added to the open group 100+; ``tot`` rows are skipped. Other
    dimensions (``ContentsCode``) must have a single category.

    Raises:
        InvalidInput: a missing dimension or year, an unknown sex code, or a negative count.

    """
    missing = [d for d in (region_dim, age_dim, sex_dim, time_dim) if d not in cube.codes]
    if missing:
        raise InvalidInput(f"the cube lacks the dimensions {missing}", field="dimension",
                           value=",".join(missing),
                           hint=f"export by region, age, sex and year (the cube has {cube.ids})")
    extra = [d for d in cube.ids if d not in (region_dim, age_dim, sex_dim, time_dim)
             and len(cube.codes[d]) != 1]
    if extra:
        raise InvalidInput(f"dimensions {extra} have several categories", field="dimension",
                           value=",".join(extra), hint="select one category of each in PxWeb")
    regions = cube.codes[region_dim]
    result = np.zeros((len(regions), 2, AGES))
    for sex_code in cube.codes[sex_dim]:
        if sex_code not in SEX_CODES:
            raise InvalidInput(f"{sex_code!r} is not an SCB sex code", field=sex_dim,
                               value=sex_code, hint="use 1 (men) and 2 (women), no totals")
        for age_code in cube.codes[age_dim]:
            age = _age(age_code)
            if age is None:
                continue
            values = cube.slice(**{age_dim: age_code, sex_dim: sex_code, time_dim: year})
            result[:, SEX_CODES[sex_code], age] += np.nan_to_num(values.reshape(len(regions)))
    return regions, check_population(result, field="population")
