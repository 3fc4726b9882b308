"""A seeded national instance: Sweden's 290 municipalities in their 60 FA regions.

The national pack (``data/national_pack.json``, built by ``scripts/build_national_pack.py``
from SCB/Kolada population, SCB boundaries and the FA-2015 table, sources cited inside) gives
each municipality its functional labour-market area, population and a point. Each municipality
gets its seat and a few more localities around it (more for larger ones); job seekers,
opportunities and employees are spread over localities in proportion to population. Remote
work is rarer than in :mod:`kedja.matching.synthetic` (2 % wholly remote, 8 % half) and
commutes shorter (a quarter accept 20 minutes, a twentieth 90), as in a national labour market
where most steps are taken within the commuting zone.

The same seed gives the same instance.

Examples:
    >>> pack = national_pack()
    >>> len(pack.municipality_codes), len(set(pack.fa_codes))
    (290, 60)
    >>> instance = national_instance(people=3_000, opportunities=800, places=1_100, seed=3)
    >>> len(instance.scoring.people.ids), len(instance.areas)
    (3000, 60)
    >>> int(instance.chains["23"].n_employees) > int(instance.chains["60"].n_employees)
    True
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from kedja.chains.model import ChainProblem
from kedja.chains.synthetic import synthetic_chain_problem
from kedja.forecast.regional import RegionInputs
from kedja.forecast.schedules import AGES
from kedja.matching.reach import TravelModel, road_minutes_matrix
from kedja.matching.scoring import ScoringInput
from kedja.matching.synthetic import synthetic_on_geography

__all__ = [
    "NationalInstance",
    "NationalPack",
    "national_forecast_inputs",
    "national_instance",
    "national_pack",
]

REMOTE_SHARES = np.array([0.0, 0.5, 1.0], dtype=np.float32)
REMOTE_WEIGHTS = np.array([0.90, 0.08, 0.02])
COMMUTES = np.array([20, 30, 45, 60, 90], dtype=np.float32)
COMMUTE_WEIGHTS = np.array([0.25, 0.35, 0.25, 0.10, 0.05])
"""Longest daily commute people accept, in minutes: most Swedes commute under half an hour."""
MAX_LOCALITIES = 6
"""Localities per municipality: the seat and up to five more for the largest municipalities."""


@dataclass(frozen=True)
class NationalPack:
    """Municipalities with FA region, population and a point (lat, lon), in code order."""

    municipality_codes: list[str]
    names: list[str]
    fa_codes: list[str]
    population: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    fa_names: dict[str, str]


@dataclass(frozen=True)
class NationalInstance:
    """A national matching instance with each locality's FA region, and chain problems per area."""

    scoring: ScoringInput
    locality_area: np.ndarray
    locality_municipality: np.ndarray
    areas: list[str]
    chains: dict[str, ChainProblem]


@cache
def national_pack() -> NationalPack:
    """The 290 municipalities of the national pack."""
    text = resources.files("kedja.scale").joinpath("data/national_pack.json").read_text("utf-8")
    raw = json.loads(text)
    rows = raw["municipalities"]
    return NationalPack(
        municipality_codes=[m["code"] for m in rows], names=[m["name"] for m in rows],
        fa_codes=[m["fa_code"] for m in rows],
        population=np.array([m["population"] for m in rows], dtype=np.int64),
        lat=np.array([m["lat"] for m in rows]), lon=np.array([m["lon"] for m in rows]),
        fa_names={a["code"]: a["name"] for a in raw["functional_areas"]},
    )


def _localities(rng: np.random.Generator, pack: NationalPack) -> tuple[np.ndarray, ...]:
    """Municipality, lat, lon and population weight of each locality (seat first)."""
    count = np.clip(1 + np.sqrt(pack.population / 10_000).astype(np.int64), 1, MAX_LOCALITIES)
    municipality = np.repeat(np.arange(len(pack.municipality_codes)), count)
    first = np.r_[0, np.cumsum(count)[:-1]]
    seat = np.zeros(municipality.size, dtype=bool)
    seat[first] = True
    lat = pack.lat[municipality] + np.where(seat, 0.0, rng.normal(0, 0.08, municipality.size))
    lon = pack.lon[municipality] + np.where(seat, 0.0, rng.normal(0, 0.16, municipality.size))
    # the seat holds half of its municipality, the other localities share the rest unevenly
    share = np.where(seat, 0.0, rng.lognormal(0.0, 0.6, municipality.size))
    totals = np.bincount(municipality, weights=share)
    rest = np.where(count[municipality] > 1, 0.5, 1.0)
    share = np.where(seat, rest, (1.0 - rest) * share / np.maximum(totals[municipality], 1e-12))
    weight = share * pack.population[municipality]
    return municipality, lat, lon, weight / weight.sum()


def _chain_problems(rng: np.random.Generator, pack: NationalPack, employees: int,
                    seekers: np.ndarray, areas: list[str]) -> dict[str, ChainProblem]:
    fa = np.array(pack.fa_codes)
    problems = {}
    total = pack.population.sum()
    for a, area in enumerate(areas):
        share = pack.population[fa == area].sum() / total
        n_employees = max(round(employees * share), 10)
        problems[area] = synthetic_chain_problem(
            rng, n_employees=n_employees, n_open=max(n_employees // 10, 1),
            n_seekers=max(int(seekers[a]), 1), n_localities=max(int((fa == area).sum()), 1))
    return problems


def national_instance(*, people: int, opportunities: int, places: int, employees: int | None = None,
                      seed: int = 0, k: int = 20) -> NationalInstance:
    """A national instance with population-proportional people, opportunities and employees.

    ``employees`` (default: as many as people) sizes the chain problems, one per FA region.
    """
    rng = np.random.default_rng(seed)
    pack = national_pack()
    municipality, lat, lon, weight = _localities(rng, pack)
    minutes = road_minutes_matrix(lat, lon, TravelModel()).astype(np.float32)
    scoring = synthetic_on_geography(rng, people=people, opportunities=opportunities, places=places,
                                     minutes=minutes, people_weight=weight, k=k)
    opps = scoring.opportunities
    opps.remote = rng.choice(REMOTE_SHARES, len(opps.ids), p=REMOTE_WEIGHTS)
    scoring.people.max_commute = rng.choice(COMMUTES, len(scoring.people.ids), p=COMMUTE_WEIGHTS)
    locality_area = np.array(pack.fa_codes)[municipality]
    areas = sorted(set(pack.fa_codes))
    seekers = np.array([(locality_area[scoring.people.locality] == a).sum() for a in areas])
    chains = _chain_problems(rng, pack, people if employees is None else employees, seekers, areas)
    return NationalInstance(scoring, locality_area, np.array(pack.municipality_codes)[municipality],
                            areas, chains)


def national_forecast_inputs(*, occupations: int = 20, seed: int = 0,
                             horizon: int = 2035) -> dict[str, RegionInputs]:
    """Seeded forecast inputs per FA region from the pack's populations (base year 2019).

    The age profile is flat to 64 and thins out above it, split evenly by sex; net migration,
    occupation mixes, employees' age bands and trends are drawn from ``seed``. The employment
    rate (0.8) and the population error growing 0.5 points a year (the Monte Carlo spread) are
    synthetic, of the size of the forecast's own (``docs/forecast.md``): load, not a forecast.
    """
    rng = np.random.default_rng(seed)
    pack = national_pack()
    profile = np.where(np.arange(AGES) < 65, 1.0, np.exp(-(np.arange(AGES) - 64) / 10.0))
    profile = profile / profile.sum() / 2
    codes = tuple(f"O{i:02d}" for i in range(occupations))
    age_bands = rng.integers(50, 500, (occupations, 10)).astype(float)
    trend = rng.normal(0.005, 0.01, occupations)
    fa = np.array(pack.fa_codes)
    inputs = {}
    for area in sorted(set(pack.fa_codes)):
        members = np.flatnonzero(fa == area)
        population = pack.population[members].astype(float)
        base = population[:, None, None] * np.broadcast_to(profile, (2, AGES))[None]
        inputs[area] = RegionInputs(
            municipalities=tuple(pack.municipality_codes[m] for m in members), base_year=2019,
            base_population=base, net_migration=rng.normal(0, 0.002, members.size) * population,
            occupations=codes, occupation_mix=rng.dirichlet(np.ones(occupations), members.size),
            age_bands=age_bands, trend=trend, horizon=horizon, employment_rate=0.8,
            population_error_by_horizon=0.5 * np.arange(11.0))
    return inputs
