"""Demographic and occupational defaults for the forecast, from the region and taxonomy packs.

Per municipality (region pack, Kolada): the 2019 population by sex and single age, built from
the total, the shares aged 0–19 and 65+ and the counts for ages 20–30
(``forecast.structure.population_from_bands``), and the yearly net migration 2009–2019 by the
residual method. Per occupation (taxonomy pack, SCB YREG54BAS): employees by age band in 2024
and the yearly trend 2020–2022 (capped to ±3 %; before SCB's 2023 change of coverage).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from kedja.forecast.projection import DemographicRates, project
from kedja.forecast.structure import population_from_bands

__all__ = ["PackDemography", "PackOccupations", "pack_demography", "pack_occupations"]

TREND_CAP = 0.03


def _pack(name: str) -> dict[str, Any]:
    text = resources.files("kedja.demo").joinpath("data", name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _from_bands(record: dict[str, Any]) -> np.ndarray:
    return population_from_bands(record["total"], share_0_19=record["share_0_19"],
                                 share_65_plus=record["share_65_plus"],
                                 ages_20_30=record["ages_20_30"])


class PackDemography:
    """Base population (2019) and net migration (2009–2019) per municipality of the pack."""

    def __init__(self, codes: tuple[str, ...], names: tuple[str, ...], base: np.ndarray,
                 net: np.ndarray, base_year: int) -> None:
        self.codes, self.names, self.base_year = codes, names, base_year
        self.base, self.net = base, net


@cache
def pack_demography() -> PackDemography:
    """Read and derive the region pack's demography (cached: the pack never changes)."""
    records = _pack("region_pack.json")["municipalities"]
    start = np.array([_from_bands(m["age_bands"]["2009"]) for m in records])
    base = np.array([_from_bands(m["age_bands"]["2019"]) for m in records])
    natural = project(start, DemographicRates.national(), 10)[-1].sum(axis=(-2, -1))
    net = (base.sum(axis=(-2, -1)) - natural) / 10
    return PackDemography(tuple(m["code"] for m in records), tuple(m["name"] for m in records),
                          base, net, 2019)


class PackOccupations:
    """Codes, Swedish names, age bands (2024) and trends of the taxonomy pack's occupations."""

    def __init__(self, codes: tuple[str, ...], names: dict[str, str], bands: np.ndarray,
                 trend: np.ndarray) -> None:
        self.codes, self.names, self.bands, self.trend = codes, names, bands, trend


@cache
def pack_occupations() -> PackOccupations:
    """Read the taxonomy pack's occupation figures (cached)."""
    groups = _pack("taxonomy_pack.json")["occupation_groups"]
    bands = np.array([g["employees_by_age_2024"] for g in groups], float)
    first = np.array([g["employees_trend"]["2020"] for g in groups], float)
    last = np.array([g["employees_trend"]["2022"] for g in groups], float)
    growth = np.sqrt(np.divide(last, first, out=np.ones_like(last), where=first > 0)) - 1.0
    return PackOccupations(tuple(g["ssyk"] for g in groups),
                           {g["ssyk"]: g["name_sv"] for g in groups}, bands,
                           growth.clip(-TREND_CAP, TREND_CAP))
