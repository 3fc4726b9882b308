"""Seeded chain problems: the care ladder by hand, and synthetic regions of any size.

The ladder has three levels, as in elderly care: care assistant (0) → assistant nurse (1) →
specialist nurse (2). Employees move one level up after a course; open positions are mostly at
the upper levels (the shortage); job seekers can take level-0 jobs in their locality.

Examples:
    >>> problem = synthetic_chain_problem(np.random.default_rng(42), n_employees=200,
    ...                                   n_open=20, n_seekers=50)
    >>> problem.n_employees, problem.n_positions, problem.n_seekers
    (200, 220, 50)
"""

from __future__ import annotations

import numpy as np

from kedja.chains.model import ChainProblem

__all__ = ["care_chain_problem", "synthetic_chain_problem"]


def care_chain_problem(**constraints: object) -> ChainProblem:
    """The hand case: a three-step chain down the care ladder.

    An assistant nurse trains for an open specialist-nurse post (position 2), a care
    assistant trains for the assistant-nurse job it frees (position 1), and a job seeker takes
    the care-assistant job (position 0). Courses: 0 specialist nurse, 1 assistant nurse.
    """
    return ChainProblem(
        n_positions=3, open_position=np.array([False, False, True]),
        shortage=np.array([False, False, True]), own_position=np.array([0, 1]),
        move_employee=np.array([1, 0]), move_position=np.array([2, 1]), move_course=np.array([0, 1]),
        move_cost=np.array([60_000.0, 40_000.0]), course_seats=np.array([1, 1]),
        n_seekers=1, seeker=np.array([0]), seeker_position=np.array([0]),
        seeker_fit=np.array([0.7]), **constraints)  # type: ignore[arg-type]


def _ladder_positions(rng: np.random.Generator, n_employees: int, n_open: int,
                      n_localities: int) -> tuple[np.ndarray, np.ndarray]:
    """Level and locality of each position: held ones first, then the open ones."""
    held = rng.choice(3, size=n_employees, p=[0.5, 0.35, 0.15])
    opened = rng.choice(3, size=n_open, p=[0.1, 0.4, 0.5])
    return np.concatenate([held, opened]), rng.integers(0, n_localities, n_employees + n_open)


def _targets(rng: np.random.Generator, level: np.ndarray, place: np.ndarray,
             want_level: np.ndarray, want_place: np.ndarray) -> np.ndarray:
    """A random position of the wanted level and locality for each request (-1 if none)."""
    n_places = int(place.max()) + 1
    key = level * n_places + place
    order = np.argsort(key, kind="stable")
    starts = np.searchsorted(key[order], np.arange(3 * n_places + 1))
    want = np.clip(want_level, 0, 2) * n_places + want_place
    size = starts[want + 1] - starts[want]
    pick = starts[want] + (rng.random(want.size) * np.maximum(size, 1)).astype(np.int64)
    return np.where(size > 0, order[np.minimum(pick, order.size - 1)], -1)


def synthetic_chain_problem(rng: np.random.Generator, *, n_employees: int, n_open: int, n_seekers: int,
                            n_localities: int = 20, move_share: float = 0.25,
                            arcs_per_seeker: int = 4, seats_per_course: int | None = None,
                            budget: float | None = None, max_chain_length: int | None = None) -> ChainProblem:
    """A seeded region on the care ladder; ``move_share`` of the lower two levels may move up."""
    level, place = _ladder_positions(rng, n_employees, n_open, n_localities)
    movers = np.flatnonzero((level[:n_employees] < 2) & (rng.random(n_employees) < move_share))
    mover = np.repeat(movers, rng.integers(1, 4, movers.size))
    target = _targets(rng, level, place, level[mover] + 1, place[mover])
    keep = target >= 0
    mover, target = mover[keep], target[keep]
    seeker = np.repeat(np.arange(n_seekers), arcs_per_seeker)
    home = rng.integers(0, n_localities, n_seekers)[seeker]
    seeker_target = _targets(rng, level, place, np.zeros(seeker.size, np.int64), home)
    seeker, seeker_target = seeker[seeker_target >= 0], seeker_target[seeker_target >= 0]
    n_courses = 2 * n_localities
    seats = np.full(n_courses, seats_per_course if seats_per_course is not None else 10 ** 9)
    return ChainProblem(
        n_positions=level.size, open_position=np.arange(level.size) >= n_employees,
        shortage=level == 2, own_position=np.arange(n_employees),
        move_employee=mover, move_position=target,
        move_course=level[mover] * n_localities + place[mover],
        move_cost=np.where(level[mover] == 0, 40_000.0, 60_000.0) * rng.uniform(0.8, 1.2, mover.size),
        course_seats=seats, n_seekers=n_seekers, seeker=seeker, seeker_position=seeker_target,
        seeker_fit=rng.uniform(0.3, 1.0, seeker.size), move_value=rng.uniform(0, 0.1, mover.size),
        budget=budget, max_chain_length=max_chain_length)
