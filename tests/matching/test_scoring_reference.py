"""The vectorised scorer and greedy baseline give exactly what the plain reference code gives."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp

from kedja.matching import AllocationProblem, greedy_allocation, synthetic
from kedja.matching.scoring import FACTORS, ScoringInput, generate_candidates
from kedja.matching.synthetic import synthetic_instance
from tests.matching import reference_scoring


def _enriched(seed: int) -> ScoringInput:
    """A seeded instance with every feature the scorer reads: preferences, sectors, prerequisites,
    public transport, exclusions, merit skills and localities of every size."""
    rng = np.random.default_rng(seed)
    shape = synthetic.SyntheticShape(localities=120, seats=30, occupations=60, families=8, skills=600)
    data = synthetic_instance(people=3_000, opportunities=900, places=1_300, seed=seed, shape=shape)
    p, o = data.people, data.opportunities
    n, m, occ = len(p.ids), len(o.ids), shape.occupations
    picks = rng.random(n) < 0.3
    p.preferred = sp.csr_matrix((np.ones(int(picks.sum()), dtype=np.float32),
                                 (np.flatnonzero(picks), rng.integers(0, occ, int(picks.sum())))),
                                shape=(n, occ))
    p.preferred_sectors = rng.integers(0, 4, n).astype(np.int64)
    o.sector = rng.choice(np.array([0, 1, 2], dtype=np.int64), m)
    o.occupation = np.where(rng.random(m) < 0.1, -1, o.occupation).astype(np.int32)
    needs = np.flatnonzero(rng.random(m) < 0.05)
    o.prerequisite = sp.csr_matrix((np.ones(needs.size, dtype=np.float32),
                                    (needs, rng.integers(0, occ, needs.size))), shape=(m, occ))
    p.licences = np.where(rng.random(n) < 0.6, p.licences, 0).astype(np.int64)
    data.public_minutes = np.where(rng.random(data.car_minutes.shape) < 0.2, np.nan,
                                   data.car_minutes * 1.7).astype(np.float32)
    data.excluded = {(int(i), int(j)) for i, j in zip(rng.integers(0, n, 200), rng.integers(0, m, 200),
                                                       strict=True)}
    return data


def _as_reference(data: ScoringInput) -> reference_scoring.ScoringInput:
    return reference_scoring.ScoringInput(
        data.people, data.opportunities, data.car_minutes, data.similarity, data.shortage,
        data.excluded, data.k, data.public_minutes, data.weights)


def _by_pair(c: Any) -> dict[tuple[int, int], tuple[float, ...]]:
    return {(int(i), int(j)): (float(f), float(t), *(float(c.factors[name][a]) for name in FACTORS))
            for a, (i, j, f, t) in enumerate(zip(c.person, c.opportunity, c.fit, c.minutes, strict=True))}


@pytest.mark.parametrize("seed", [3, 11])
def test_scores_and_breakdowns_equal_the_reference(seed: int) -> None:
    data = _enriched(seed)
    new = generate_candidates(data)
    old = reference_scoring.generate_candidates(_as_reference(data), workers=1)
    assert len(old) > 10_000
    _assert_same(new, old)


def _assert_same(new: Any, old: Any) -> None:
    got, want = _by_pair(new), _by_pair(old)
    assert got.keys() == want.keys()
    for pair, values in want.items():
        assert np.array_equal(got[pair], values, equal_nan=True), pair


def test_a_subset_of_people_is_scored_as_in_the_reference() -> None:
    data = _enriched(5)
    rows = np.arange(0, 3_000, 7)
    new = generate_candidates(data, rows)
    old = reference_scoring.generate_candidates(_as_reference(data), rows, workers=1)
    assert len(old) > 1_000
    _assert_same(new, old)


def _greedy_loop(problem: AllocationProblem) -> list[int]:
    order = np.argsort(-problem.arc_value(), kind="stable")
    left = problem.capacities.astype(np.int64).copy()
    free = np.ones(problem.n_people, dtype=bool)
    chosen = []
    for arc in order:
        i, j = problem.person[arc], problem.place[arc]
        if free[i] and left[j] > 0:
            free[i], left[j] = False, left[j] - 1
            chosen.append(int(arc))
    return chosen


@pytest.mark.parametrize("seed", range(6))
def test_greedy_equals_the_arc_by_arc_loop(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m, e = 400, 60, 4_000
    fit = rng.integers(1, 30, e).astype(np.float64)  # many ties: order among equals matters
    problem = AllocationProblem(n, rng.integers(0, 5, m), rng.integers(0, n, e), rng.integers(0, m, e),
                                fit, rng.uniform(1, 2, n) if seed % 2 else None)
    want = _greedy_loop(problem)
    got = greedy_allocation(problem)
    assert np.flatnonzero(got.arc_of >= 0).size == len(want)
    assert sorted(got.arc_of[got.arc_of >= 0].tolist()) == sorted(want)
    assert got.total_fit == float(problem.fit[want].sum())
