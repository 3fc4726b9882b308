"""Labour balance by occupation × municipality × year: supply, demand, gap and shortage index.

The method follows Cedefop's skills forecast: demand is **expansion demand** (the employment
trend of each occupation) plus the demand of new **establishments**, and **replacement
demand** is the workers who leave for retirement; supply is today's employed minus the
retirements plus **entrants** from the projected working-age population (Cedefop 2023,
*Skills forecast methodology*; SCB, *Trender och prognoser*). Retirements come from each
occupation's national age structure (SCB's employees by SSYK 2012 × age band): ages are spread
evenly inside each band, and a worker leaves in the year they reach ``exit_age``. Entrants are
the change in the projected workforce (employment rate × population 20–64) net of retirements,
shared among occupations as young workers (16–29) are locally, passed through those workers'
educations to the occupations that employ the same educations (``entry_paths``; a net outflow
leaves each occupation in proportion to the workers who remain). The gap is demand − supply;
the shortage index is gap / demand (0 = balance, positive = shortage). Registered job seekers
who can be matched are shown as a separate term: ``gap_after_matching`` = gap − matched job
seekers, where each municipality's job seekers (by last occupation) are spread over the short
occupations they can reach (``reach``: their own, or a plausible transition) in proportion to
the gaps, and no occupation takes more than its gap.

Arrays are indexed ``[..., year, municipality, occupation]``; any leading axis (Monte Carlo
draws) broadcasts. Complexity O(draws × years × municipalities × occupations).

Examples:
    >>> bands = np.array([[10, 10, 10, 10, 10, 10, 10, 10, 10, 10]], float)
    >>> r = retired_share(bands, exit_age=65, years=5)
    >>> [round(float(v), 3) for v in r[:, 0]]
    [0.0, 0.12, 0.14, 0.16, 0.18, 0.2]

"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from kedja.core.errors import InvalidInput
from kedja.core.establishments import Establishment
from kedja.forecast.projection import check_population

__all__ = [
    "BAND_EDGES",
    "LabourBalance",
    "LabourInputs",
    "establishment_demand",
    "labour_balance",
    "retired_share",
]

BAND_EDGES = ((16, 24), (25, 29), (30, 34), (35, 39), (40, 44), (45, 49), (50, 54), (55, 59),
              (60, 64), (65, 69))
"""SCB's age bands of employees (YREG54BAS): 16–24, 25–29, ..., 65–69."""
YOUNG_BANDS = 2  # 16–24 and 25–29: the bands whose occupation mix entrants follow


@dataclass(frozen=True)
class LabourInputs:
    """What the labour balance needs, as arrays.

    Attributes:
        years: Calendar years, the base year first.
        municipalities: Municipality codes (axis of ``employed``).
        occupations: Occupation codes (axis of ``employed``).
        employed: Employed in the base year, ``(M, O)``.
        age_bands: Employees by age band (``BAND_EDGES``) per occupation, ``(O, 10)``.
        trend: Yearly employment growth per occupation, ``(O,)``.
        workforce: Projected workforce, ``(..., T, M)``; its base year equals ``employed`` summed.
        exit_age: Age at which workers retire.
        job_seekers: Registered job seekers by their last occupation, ``(M, O)``; ``None`` = 0.
        reach: ``(O, O)`` booleans: a job seeker last in row o can take a job in column o'
            (the diagonal is always true); ``None`` = their own occupation only.
        entry_paths: ``(O, O)`` rows summing to 1: where the entrants who would follow the
            young workers of row o go through those workers' educations; ``None`` = they
            stay in o.

    """

    years: tuple[int, ...]
    municipalities: tuple[str, ...]
    occupations: tuple[str, ...]
    employed: np.ndarray
    age_bands: np.ndarray
    trend: np.ndarray
    workforce: np.ndarray
    exit_age: int = 65
    job_seekers: np.ndarray | None = None
    reach: np.ndarray | None = None
    entry_paths: np.ndarray | None = None

    def __post_init__(self) -> None:
        check_population(self.employed, field="employed")
        if self.job_seekers is not None:
            check_population(self.job_seekers, field="job_seekers")
        size = len(self.occupations)
        for name, matrix in (("reach", self.reach), ("entry_paths", self.entry_paths)):
            if matrix is not None and np.shape(matrix) != (size, size):
                raise InvalidInput(f"{name} has shape {np.shape(matrix)}, expected "
                                   f"({size}, {size})", field=name, value=str(np.shape(matrix)),
                                   hint="give one row and one column per occupation")
        check_population(self.age_bands, field="age_bands")
        check_population(self.workforce, field="workforce")
        if not 50 <= self.exit_age <= 75:
            raise InvalidInput(f"exit age {self.exit_age} is outside [50, 75]", field="exit_age",
                               value=self.exit_age, hint="give a retirement age such as 65")


@dataclass(frozen=True)
class LabourBalance:
    """Components of the balance, each ``(..., T, M, O)``.

    The derived arrays (``gap``, ``matched_job_seekers`` and those from them) are computed once
    per balance and kept read-only: a forecast page reads the gap of each municipality, and the
    region's forecast is kept in the cache, so computing them on every access cost a page tens
    of whole-array computations.
    """

    inputs: LabourInputs
    expansion: np.ndarray
    establishments: np.ndarray
    retirements: np.ndarray
    entrants: np.ndarray
    demand: np.ndarray
    supply: np.ndarray

    @cached_property
    def gap(self) -> np.ndarray:
        """Demand − supply: positive means people will be missing."""
        return _read_only(self.demand - self.supply)

    @cached_property
    def matched_job_seekers(self) -> np.ndarray:
        """Job seekers placed in each short occupation, ``(..., T, M, O)``.

        Each municipality's job seekers last in o spread over the occupations with a positive
        gap that they can reach, in proportion to those gaps; an occupation takes at most its
        gap. O(T × M × O²).
        """
        seekers = self.inputs.job_seekers
        if seekers is None:
            return _read_only(np.zeros_like(self.gap))
        size = len(self.inputs.occupations)
        reach = np.eye(size) if self.inputs.reach is None \
            else np.asarray(self.inputs.reach, float)
        reach = np.maximum(reach, np.eye(size))
        short = np.maximum(self.gap, 0.0)
        reachable = short @ reach.T  # per origin: the gaps it can reach
        per_gap = np.divide(seekers, reachable, out=np.zeros_like(reachable),
                            where=reachable > 0)
        return _read_only(np.minimum(short * (per_gap @ reach), short))

    def matched_share(self, t: int = -1) -> float:
        """Share of the job seekers matched in year index ``t`` (0 without job seekers)."""
        seekers = self.inputs.job_seekers
        if seekers is None or seekers.sum() <= 0:
            return 0.0
        return float(self.matched_job_seekers[..., t, :, :].sum() / seekers.sum())

    @cached_property
    def gap_after_matching(self) -> np.ndarray:
        """The gap left once the matched job seekers are placed (zero or more where short)."""
        return _read_only(self.gap - self.matched_job_seekers)

    @cached_property
    def shortage_index(self) -> np.ndarray:
        """Gap as a share of demand (0 where demand is 0)."""
        return _read_only(np.divide(self.gap, self.demand, out=np.zeros_like(self.gap),
                                    where=self.demand > 0))


def _read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def retired_share(age_bands: np.ndarray, *, exit_age: int, years: int) -> np.ndarray:
    """Share of each occupation's workers retired after 0..``years`` years, ``(years+1, O)``.

    Ages are spread evenly in each band; workers aged ``exit_age − k`` or more today have
    retired after k years (those already past it leave in the first year).
    """
    ages = np.arange(16, 70)
    width = np.array([hi - lo + 1 for lo, hi in BAND_EDGES], float)
    per_age = np.repeat(age_bands / width, width.astype(int), axis=1)
    totals = per_age.sum(axis=1, keepdims=True)
    share = np.divide(per_age, totals, out=np.zeros_like(per_age), where=totals > 0)
    steps = np.arange(years + 1)
    gone = (ages[None, :] >= exit_age - steps[:, None]) & (steps[:, None] > 0)
    return gone.astype(float) @ share.T


def establishment_demand(
    establishments: Sequence[Establishment], inputs: LabourInputs
) -> np.ndarray:
    """Extra headcount over the base year by year, municipality and occupation, ``(T, M, O)``.

    Raises:
        InvalidInput: an establishment in an unknown municipality or with an unknown occupation.

    """
    m_index = {c: i for i, c in enumerate(inputs.municipalities)}
    o_index = {c: i for i, c in enumerate(inputs.occupations)}
    result = np.zeros((len(inputs.years), len(m_index), len(o_index)))
    for e in establishments:
        m = _known(m_index, e.municipality_code, e, "municipality_code")
        base = e.headcount(inputs.years[0])
        growth = np.array([e.headcount(y) - base for y in inputs.years], float)
        for code, share in e.occupation_mix.items():
            result[:, m, _known(o_index, code, e, "occupation_mix")] += growth * share
    return result


def _known(index: dict[str, int], code: str, e: Establishment, field: str) -> int:
    if code not in index:
        raise InvalidInput(
            f"establishment {e.id} ({e.name}) names {field.replace('_', ' ')} {code!r}, "
            "which is not in the forecast",
            field=f"establishment.{field}", value=code,
            hint="use a code from the taxonomy (SSYK 2012, four digits) and the region",
        )
    return index[code]


def _entrant_mix(inputs: LabourInputs) -> np.ndarray:
    totals = inputs.age_bands.sum(axis=1)
    young = np.divide(inputs.age_bands[:, :YOUNG_BANDS].sum(axis=1), totals,
                      out=np.zeros(len(totals)), where=totals > 0)
    weights = inputs.employed * young[None, :]
    if inputs.entry_paths is not None:
        weights = weights @ inputs.entry_paths
    sums = weights.sum(axis=1, keepdims=True)
    return np.divide(weights, sums, out=np.zeros_like(weights), where=sums > 0)


def labour_balance(
    inputs: LabourInputs,
    establishments: Sequence[Establishment] = (),
    *,
    establishment_extra: np.ndarray | None = None,
) -> LabourBalance:
    """Supply, demand and their components; see the module docstring for the method.

    Args:
        inputs: Base employment, age structure, trend and projected workforce.
        establishments: Investments whose headcount adds to demand.
        establishment_extra: Precomputed establishment demand ``(..., T, M, O)`` (scenarios and
            Monte Carlo draws); replaces ``establishments`` when given.

    """
    horizon = len(inputs.years) - 1
    steps = np.arange(horizon + 1)[:, None, None]
    retire = inputs.employed[None] * retired_share(inputs.age_bands, exit_age=inputs.exit_age,
                                                   years=horizon)[:, None, :]
    expansion = inputs.employed[None] * ((1.0 + inputs.trend) ** steps - 1.0)
    extra = establishment_demand(establishments, inputs) if establishment_extra is None \
        else establishment_extra
    stayers = inputs.employed.sum(axis=1) - retire.sum(axis=2)
    net = (inputs.workforce - stayers)[..., None]
    # A net outflow (the workforce shrinks faster than people retire) leaves every occupation
    # in proportion to its stayers, so supply never turns negative.
    remaining = inputs.employed - retire
    totals = remaining.sum(axis=2, keepdims=True)
    outflow_mix = np.divide(remaining, totals, out=np.zeros_like(remaining), where=totals > 0)
    entrants = np.where(net >= 0, net * _entrant_mix(inputs), net * outflow_mix)
    demand = inputs.employed + expansion + extra
    supply = inputs.employed - retire + entrants
    return LabourBalance(inputs, expansion, extra, retire, entrants, demand, supply)
