"""Demographic and occupational defaults for the forecast, from the region and taxonomy packs.

The forecast pack (``forecast_pack.json``, built by ``scripts/build_forecast_pack.py`` from
SCB and Arbetsförmedlingen, sources inside) gives the estimated demographic rates, employment
rates by sex and age band, the magnitudes of Arbetsförmedlingen's demand forecasts and the
Yrkesbarometer outlook per SSYK group and county.

Per municipality (region pack, Kolada): the 2019 population by sex and single age, built from
the total, the shares aged 0–19 and 65+ and the counts for ages 20–30
(``forecast.structure.population_from_bands``), and the yearly net migration 2009–2019 by the
residual method. Per occupation (taxonomy pack, SCB YREG54BAS): employees by age band in 2024
and the yearly trend 2020–2022 (capped to ±3 %; before SCB's 2023 change of coverage).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from kedja.forecast.projection import DemographicRates, project
from kedja.forecast.rates import EstimatedRates
from kedja.forecast.schedules import AGES
from kedja.forecast.structure import population_from_bands

__all__ = ["ForecastPack", "PackDemography", "PackOccupations", "expansion_growth",
           "forecast_pack", "pack_demography", "pack_occupations", "region_boundaries"]

def _pack(name: str) -> dict[str, Any]:
    text = resources.files("kedja.demo").joinpath("data", name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _from_bands(record: dict[str, Any], standard: np.ndarray | None = None) -> np.ndarray:
    return population_from_bands(record["total"], share_0_19=record["share_0_19"],
                                 share_65_plus=record["share_65_plus"],
                                 ages_20_30=record["ages_20_30"], standard=standard)


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
    rates = forecast_pack().rates
    start = np.array([_from_bands(m["age_bands"]["2009"], rates.standard) for m in records])
    base = np.array([_from_bands(m["age_bands"]["2019"], rates.standard) for m in records])
    # Natural change 2009 → 2019 with the county rates of the pack, mortality improving.
    counties = [m["code"][:2] for m in records]
    pop = start
    for year in range(2010, 2020):
        zero = np.zeros((1, 2, AGES))
        natural = DemographicRates(np.array([rates.fertility_in(c) for c in counties]),
                                   np.array([rates.death_in(c, year - rates.until)
                                             for c in counties]), zero, zero)
        pop = project(pop, natural, 1)[-1]
    net = (base.sum(axis=(-2, -1)) - pop.sum(axis=(-2, -1))) / 10
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
    # the fallback demand path is flat: the forecast's own paths come from the Employment
    # Service's outlook (expansion_growth); no trend is extrapolated from a few years of counts
    return PackOccupations(tuple(g["ssyk"] for g in groups),
                           {g["ssyk"]: g["name_sv"] for g in groups}, bands, np.zeros(len(groups)))


EMPLOYMENT_BANDS = {"16-24": (16, 24), "25-54": (25, 54), "55-64": (55, 64), "65-74": (65, 74)}


@dataclass(frozen=True)
class ForecastPack:
    """Estimated rates and outlooks of the forecast pack (see its ``sources``)."""

    rates: EstimatedRates
    employment_by_age: np.ndarray  # (2, AGES): employed share by sex and single age
    increase: dict[str, float]  # yearly demand growth of an increasing occupation, by level
    decrease: dict[str, float]  # yearly demand fall of a decreasing occupation, by level
    barometer: dict[str, dict[str, tuple[float, float]]]  # county -> SSYK -> (now, outlook)
    population_error: np.ndarray  # back-test RMS % error by horizon, index 0 = 0 years
    commuting: dict[str, dict[str, float]]  # residence -> workplace -> share (Norrbotten, 2024)
    backtest_rates: dict[int, EstimatedRates]  # fit year -> rates from SCB up to that year
    exit_age: int  # mean exit age from employment (SCB, 2024), rounded
    age_net: dict[str, np.ndarray]  # municipality -> net migration rate by age (AGES,), 21–30
    entry_paths: dict[str, dict[str, float]]  # SSYK -> SSYK -> share, through education

    def entry_matrix(self, occupations: tuple[str, ...]) -> np.ndarray:
        """``(O, O)`` entrants' paths through education (rows sum to 1).

        An occupation not in the pack keeps its own entrants; destinations outside
        ``occupations`` are dropped and the row rescaled.
        """
        at = {c: i for i, c in enumerate(occupations)}
        matrix = np.eye(len(occupations))
        for code, row in self.entry_paths.items():
            if code in at:
                values = np.zeros(len(occupations))
                for target, share in row.items():
                    if target in at:
                        values[at[target]] = share
                if values.sum() > 0:
                    matrix[at[code]] = values / values.sum()
        return matrix

    def rates_until(self, year: int) -> EstimatedRates | None:
        """The pack's rates estimated with data up to the latest fit year ≤ ``year``, or None."""
        fits = [y for y in self.backtest_rates if y <= year]
        return self.backtest_rates[max(fits)] if fits else None


def _estimated_rates(raw: dict[str, Any]) -> EstimatedRates:
    return EstimatedRates(
        until=raw["years"][1], years_used=tuple(range(raw["years"][0], raw["years"][1] + 1)),
        fertility=np.array(raw["fertility"]), death=np.array(raw["death"]),
        mortality_improvement=raw["mortality_improvement"],
        county_fertility=raw["county_fertility"], county_mortality=raw["county_mortality"],
        out_rates=np.array(raw["out_rates"]), in_profile=np.array(raw["in_profile"]),
        international_in_share=raw["international_in_share"],
        international_out_share=raw["international_out_share"],
        standard=np.array(raw["standard"]))


@cache
def forecast_pack() -> ForecastPack:
    """Read the forecast pack (cached)."""
    raw = _pack("forecast_pack.json")
    employment = np.zeros((2, AGES))
    for row, sex in enumerate(("women", "men")):
        for band, (lo, hi) in EMPLOYMENT_BANDS.items():
            employment[row, lo:hi + 1] = raw["employment"]["rates"][sex][band]
    barometer = {county: {ssyk: (v["opportunities"], v["outlook"]) for ssyk, v in cells.items()}
                 for county, cells in raw["barometer"]["counties"].items()}
    horizons = raw["backtest_errors"]["horizons"]
    error = np.array([0.0] + [horizons[str(h)] for h in range(1, len(horizons) + 1)])
    return ForecastPack(_estimated_rates(raw["rates"]), employment,
                        raw["af_demand"]["increase"], raw["af_demand"]["decrease"], barometer,
                        error, raw["commuting"]["shares"],
                        {int(y): _estimated_rates(r) for y, r in raw["backtest_rates"].items()},
                        int(raw["exit_age"]["used"]), _age_net(raw["age_net"]),
                        raw["entry_paths"]["paths"])


def _age_net(raw: dict[str, Any]) -> dict[str, np.ndarray]:
    lo, hi = raw["ages"]
    out = {}
    for code, values in raw["rates"].items():
        row = np.zeros(AGES)
        row[lo:hi + 1] = values
        out[code] = row
    return out


def expansion_growth(pack: ForecastPack, counties: tuple[str, ...],
                     occupations: tuple[str, ...], level: str) -> np.ndarray:
    """Yearly demand growth ``(municipalities, occupations)`` from Arbetsförmedlingen's outlook.

    The direction is Yrkesbarometer's five-year outlook for the SSYK group in the county (the
    mean over its barometer occupations, in [−1, 1]); the size is the ``level`` quartile
    (``low``, ``central``, ``high``) of the annualised demand forecasts 2022 → 2026 that
    increase or decrease. Occupations without a barometer entry stay flat (0).
    """
    out = np.zeros((len(counties), len(occupations)))
    for m, county in enumerate(counties):
        cells = pack.barometer.get(county, {})
        for o, code in enumerate(occupations):
            if code in cells:
                outlook = cells[code][1]
                out[m, o] = outlook * (pack.increase[level] if outlook > 0
                                       else pack.decrease[level])
    return out


@cache
def region_boundaries() -> dict[str, Any]:
    """The region's simplified municipality boundaries (GeoJSON, ``region_boundaries.geojson``)."""
    text = resources.files("kedja.demo").joinpath("data", "region_boundaries.geojson") \
        .read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data
