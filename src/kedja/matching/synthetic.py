"""Synthetic matching instances at any scale, built directly as encoded arrays.

For benchmarks and scale tests: a country-sized instance (hundreds of thousands of people) is
generated in seconds without building domain objects. Localities cluster around seats whose
sizes follow a log-normal law; occupations come in families whose members share skills, so
that similarity, skill coverage and reach behave like the real region's.

Examples:
    >>> data = synthetic_instance(people=500, opportunities=120, places=200, seed=1)
    >>> len(data.people.ids), int(data.opportunities.capacity.sum())
    (500, 200)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from kedja.core.opportunities import OpportunityKind
from kedja.matching.encoding import KIND_CODES, EncodedOpportunities, EncodedPeople
from kedja.matching.reach import TravelModel, road_minutes_matrix
from kedja.matching.scoring import ScoringInput

__all__ = ["SyntheticShape", "synthetic_instance", "synthetic_on_geography"]


@dataclass(frozen=True)
class SyntheticShape:
    """Sizes of the synthetic taxonomy and geography."""

    occupations: int = 400
    families: int = 40
    skills: int = 6_000
    skills_per_occupation: int = 15
    seats: int = 290
    localities: int = 2_000


def _geography(rng: np.random.Generator, shape: SyntheticShape) -> tuple[np.ndarray, np.ndarray]:
    seat_lat = rng.uniform(55.5, 68.5, shape.seats)
    seat_lon = rng.uniform(12.0, 23.5, shape.seats)
    seat_size = rng.lognormal(0.0, 1.2, shape.seats)
    seat = rng.choice(shape.seats, size=shape.localities, p=seat_size / seat_size.sum())
    lat = seat_lat[seat] + rng.normal(0, 0.15, shape.localities)
    lon = seat_lon[seat] + rng.normal(0, 0.3, shape.localities)
    weight = seat_size[seat] * rng.lognormal(0.0, 0.8, shape.localities)
    minutes = road_minutes_matrix(lat, lon, TravelModel()).astype(np.float32)
    return minutes, weight / weight.sum()


def _taxonomy(rng: np.random.Generator, shape: SyntheticShape) -> tuple[np.ndarray, np.ndarray]:
    family = rng.integers(0, shape.families, shape.occupations)
    pool = shape.skills // shape.families
    skills = np.empty((shape.occupations, shape.skills_per_occupation), dtype=np.int64)
    for o in range(shape.occupations):
        own = family[o] * pool + rng.choice(pool, shape.skills_per_occupation, replace=False)
        skills[o] = own
    similarity = np.where(family[:, None] == family[None, :], 0.6, 0.05).astype(np.float32)
    np.fill_diagonal(similarity, 1.0)
    return skills, similarity


def _rows(rng: np.random.Generator, pools: np.ndarray, count: int, width: int,
          weight: float = 1.0) -> sp.csr_matrix:
    picks = np.stack([rng.permutation(row)[:count] for row in pools]) if count else None
    n = pools.shape[0]
    if picks is None:
        return sp.csr_matrix((n, width), dtype=np.float32)
    indptr = np.arange(0, n * count + 1, count)
    data = np.full(n * count, weight, dtype=np.float32)
    return sp.csr_matrix((data, np.sort(picks, axis=1).ravel(), indptr), shape=(n, width))


def _people(rng: np.random.Generator, n: int, occ_skills: np.ndarray, shape: SyntheticShape,
            locality_weight: np.ndarray) -> EncodedPeople:
    occupation = rng.integers(0, shape.occupations, n)
    experience = sp.csr_matrix((rng.uniform(0.4, 1.0, n).astype(np.float32),
                                (np.arange(n), occupation)), shape=(n, shape.occupations))
    return EncodedPeople(
        ids=[f"S{i:07d}" for i in range(n)],
        locality=rng.choice(locality_weight.size, n, p=locality_weight).astype(np.int32),
        max_commute=rng.choice(np.array([30, 45, 60, 90], dtype=np.float32), n),
        hours=rng.choice(np.array([20, 30, 40, 40, 40], dtype=np.int16), n),
        swedish=rng.choice(np.array([2, 3, 4, 7, 7, 7], dtype=np.int8), n),
        licences=np.where(rng.random(n) < 0.8, 1 << 5, 0).astype(np.int64),
        adaptations=np.where(rng.random(n) < 0.1, 1, 0).astype(np.int64),
        available=np.zeros(n, dtype=np.int64), distance=rng.beta(2, 3, n).astype(np.float32),
        education=rng.choice(np.array([2, 3, 3, 4, 5], dtype=np.int8), n),
        skills=_rows(rng, occ_skills[occupation], 8, shape.skills, 0.85),
        experience=experience, preferred=sp.csr_matrix((n, shape.occupations), dtype=np.float32),
        preferred_sectors=np.zeros(n, dtype=np.int64),
    )


def _opportunities(rng: np.random.Generator, m: int, places: int, occ_skills: np.ndarray,
                   shape: SyntheticShape, locality_weight: np.ndarray) -> EncodedOpportunities:
    kinds = [OpportunityKind.JOB, OpportunityKind.INTERNSHIP, OpportunityKind.TRAINING,
             OpportunityKind.ASF_PLACEMENT]
    kind = rng.choice([KIND_CODES[k] for k in kinds], m, p=[0.7, 0.15, 0.1, 0.05]).astype(np.int8)
    occupation = rng.integers(0, shape.occupations, m).astype(np.int32)
    capacity = np.ones(m, dtype=np.int32)
    extra = rng.choice(m, max(places - m, 0), replace=True)
    np.add.at(capacity, extra, 1)
    required = _rows(rng, occ_skills[occupation], 3, shape.skills)
    entry_steps = kind != KIND_CODES[OpportunityKind.JOB]
    required = sp.diags(np.where(entry_steps, 0.0, 1.0).astype(np.float32)) @ required
    required.eliminate_zeros()
    return EncodedOpportunities(
        ids=[f"SO{j:07d}" for j in range(m)], kind=kind, occupation=occupation,
        sector=np.zeros(m, dtype=np.int64),
        locality=rng.choice(locality_weight.size, m, p=locality_weight).astype(np.int32),
        remote=rng.choice(np.array([0.0, 0.0, 0.0, 0.5, 1.0], dtype=np.float32), m),
        hours=rng.choice(np.array([20, 30, 40, 40], dtype=np.int16), m),
        swedish=rng.choice(np.array([0, 3, 4, 5], dtype=np.int8), m),
        licences=np.where(rng.random(m) < 0.2, 1 << 5, 0).astype(np.int64),
        adaptations=np.where(rng.random(m) < 0.3, 1, 0).astype(np.int64),
        starts=np.zeros(m, dtype=np.int64), ends=np.full(m, 10**7, dtype=np.int64),
        capacity=capacity, min_education=rng.choice(np.array([0, 0, 3, 5], dtype=np.int8), m),
        max_swedish=np.full(m, 7, dtype=np.int8), entry=rng.random(m) < 0.15,
        required=required.tocsr(), merit=_rows(rng, occ_skills[occupation], 2, shape.skills),
        prerequisite=sp.csr_matrix((m, shape.occupations), dtype=np.float32),
    )


def synthetic_instance(*, people: int, opportunities: int, places: int, seed: int = 0,
                       shape: SyntheticShape | None = None, k: int = 20) -> ScoringInput:
    """A synthetic, encoded matching instance with ``places`` seats over ``opportunities``."""
    shape = shape or SyntheticShape()
    rng = np.random.default_rng(seed)
    minutes, weight = _geography(rng, shape)
    return synthetic_on_geography(rng, people=people, opportunities=opportunities, places=places,
                                  minutes=minutes, people_weight=weight, shape=shape, k=k)


def synthetic_on_geography(rng: np.random.Generator, *, people: int, opportunities: int, places: int,
                           minutes: np.ndarray, people_weight: np.ndarray,
                           opportunity_weight: np.ndarray | None = None,
                           shape: SyntheticShape | None = None, k: int = 20) -> ScoringInput:
    """A synthetic instance on a given geography: locality minutes and locality weights.

    People live in localities drawn by ``people_weight``, opportunities by
    ``opportunity_weight`` (the same by default).
    """
    shape = shape or SyntheticShape()
    occ_skills, similarity = _taxonomy(rng, shape)
    encoded_people = _people(rng, people, occ_skills, shape, people_weight)
    opp_weight = people_weight if opportunity_weight is None else opportunity_weight
    encoded_opps = _opportunities(rng, opportunities, places, occ_skills, shape, opp_weight)
    shortage = rng.uniform(0, 1, shape.occupations).astype(np.float32)
    return ScoringInput(encoded_people, encoded_opps, minutes, similarity, shortage, set(), k)
