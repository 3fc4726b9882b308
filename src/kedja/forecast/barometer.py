"""Arbetsförmedlingen's Yrkesbarometer by occupation × county, and a comparison with the forecast.

The format (``barometer_regional.json``) maps a JobTech occupation concept id to a county
concept id to ``[opportunities now, outlook]``: opportunities are ``små``, ``medelstora`` or
``stora`` (job opportunities small, medium, large: large means employers find it hard to
recruit), the five-year outlook is ``minska``, ``vara oförändrad`` or ``öka``. County ids map to
names through ``region_name_id.json`` (name → id). One further id, ``NATIONAL_ID``, is not a
county but the whole country: in ``ssyk_id_region_annonser_2024.json`` its ad counts equal the
sum over the 21 counties (697,030 ads). Source: "JobTech/Arbetsförmedlingen".

Examples:
    >>> rows = parse_barometer({"occ1": {"c25": ["stora", "öka"]}}, {"Norrbottens län": "c25"})
    >>> rows[0].county_name, rows[0].opportunities, rows[0].outlook
    ('Norrbottens län', 3, 1)
    >>> parse_barometer({"occ1": {"c25": ["enorma", "öka"]}}, {"N": "c25"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kedja.core.errors.InvalidInput: 'enorma' is not a Yrkesbarometer level ...

"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from kedja.core.errors import InvalidInput

__all__ = ["NATIONAL_ID", "OPPORTUNITIES", "OUTLOOK", "BarometerEntry", "compare_with_barometer",
           "parse_barometer"]

NATIONAL_ID = "i46j_HmG_v64"
"""The concept id the barometer uses for Sweden as a whole."""
OPPORTUNITIES = {"små": 1, "medelstora": 2, "stora": 3}
"""Job opportunities now: small, medium, large (large = hard to recruit)."""
OUTLOOK = {"minska": -1, "vara oförändrad": 0, "öka": 1}
"""Five-year outlook for job opportunities: decrease, unchanged, increase."""


@dataclass(frozen=True, slots=True)
class BarometerEntry:
    """One occupation in one county."""

    occupation_id: str
    county_id: str
    county_name: str
    opportunities: int
    outlook: int


def _level(table: Mapping[str, int], value: Any, where: str) -> int:
    if value not in table:
        raise InvalidInput(f"{value!r} is not a Yrkesbarometer level", field="barometer",
                           value=value, location=where, hint=f"expected one of {list(table)}")
    return table[value]


def parse_barometer(data: Mapping[str, Any], counties: Mapping[str, str]) -> list[BarometerEntry]:
    """Parse the barometer; O(occupations × counties).

    Args:
        data: occupation id → county id → ``[opportunities, outlook]``.
        counties: County name → county id.

    Raises:
        InvalidInput: an unknown county id or level, naming the occupation and county.

    """
    names = {NATIONAL_ID: "Sverige", **{cid: name for name, cid in counties.items()}}
    entries = []
    for occupation, by_county in data.items():
        for county, pair in by_county.items():
            where = f"occupation {occupation}, county {county}"
            if county not in names:
                raise InvalidInput(f"county id {county!r} is not in the county list",
                                   field="county", value=county, location=where,
                                   hint="give the matching region_name_id.json")
            if not isinstance(pair, list) or len(pair) != 2:
                raise InvalidInput(f"{pair!r} is not [opportunities, outlook]", field="barometer",
                                   value=str(pair), location=where, hint="check the export")
            entries.append(BarometerEntry(occupation, county, names[county],
                                          _level(OPPORTUNITIES, pair[0], where),
                                          _level(OUTLOOK, pair[1], where)))
    return entries


def compare_with_barometer(
    entries: list[BarometerEntry], *, county_id: str, ssyk_of: Mapping[str, str],
    shortage: Mapping[str, float],
) -> dict[str, Any]:
    """Rank agreement between the forecast's shortage index and the barometer in one county.

    Args:
        entries: Parsed barometer.
        county_id: The county to compare.
        ssyk_of: Barometer occupation id → SSYK 2012 code (the user's key).
        shortage: SSYK code → the forecast's shortage index in the county.

    Returns:
        ``pairs`` (the matched occupations), Spearman's rho and its p-value between the
        shortage index and the barometer's opportunities (``None`` under three pairs).

    """
    pairs = [(ssyk_of[e.occupation_id], e.opportunities, shortage[ssyk_of[e.occupation_id]])
             for e in entries if e.county_id == county_id
             and e.occupation_id in ssyk_of and ssyk_of[e.occupation_id] in shortage]
    rho = p = None
    if len(pairs) >= 3 and len({b for _, b, _ in pairs}) > 1:
        from scipy.stats import spearmanr  # imported here: scipy.stats is slow to load

        result = spearmanr(np.array([b for _, b, _ in pairs]), np.array([s for _, _, s in pairs]))
        rho, p = round(float(result[0]), 4), round(float(result[1]), 4)
    return {"pairs": [{"ssyk": c, "barometer": b, "shortage_index": round(s, 4)}
                      for c, b, s in pairs], "spearman_rho": rho, "p_value": p}
