"""Job rotation: while an employee trains, a job seeker stands in for them, hour for hour.

Each upskilled employee of a plan is away for their course (an **absence**: the employee's own
position, the first and the last week, the hours a week to cover). A job seeker can stand in
(**cover**) when they have a candidate arc to that position (matching's reach and fit), can work
at least the hours to cover (hour for hour: one substitute works all the hours the employee
trains), are not hired elsewhere by the plan, and, when the rule is set, have been without a job
for at least ``min_weeks_unemployed`` weeks when the absence starts (as the Danish and Swedish
job-rotation schemes ask). The job seeker the plan hires into the same job when the employee
moves up is the natural substitute and gets ``continuity_bonus`` on their fit: they learn the
job before they take it.

One substitute per absence, one absence per substitute (rotation spreads work experience over
as many job seekers as there are absences); the assignment maximises the number of absences
covered, then the total fit: one min-cost flow (OR-Tools ``SimpleMinCostFlow``), exact.

Examples:
    >>> problem = RotationProblem(
    ...     absence_position=np.array([0]), absence_start=np.array([0]), absence_weeks=np.array([40]),
    ...     absence_hours=np.array([40]), seeker=np.array([0, 1]), seeker_position=np.array([0, 0]),
    ...     seeker_fit=np.array([0.6, 0.9]), seeker_hours=np.array([40, 20]),
    ...     seeker_weeks_unemployed=np.array([30, 80]), seeker_busy=np.array([False, False]))
    >>> plan_rotation(problem).substitute.tolist()  # the better fit works only 20 hours
    [0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kedja.chains.model import ChainPlan, ChainProblem
from kedja.core.errors import InvalidInput

__all__ = ["RotationPlan", "RotationProblem", "is_valid_rotation", "plan_rotation", "rotation_for_plan"]

SCALE = 1_000


@dataclass(frozen=True)
class RotationProblem:
    """Absences to cover and job seekers' arcs to the absent employees' positions.

    ``absence_start`` is a week number (any origin), ``seeker_busy`` marks job seekers the plan
    hires elsewhere, ``seeker_enters`` (optional) the position each enters at the plan's end
    (-1 for none).
    """

    absence_position: np.ndarray
    absence_start: np.ndarray
    absence_weeks: np.ndarray
    absence_hours: np.ndarray
    seeker: np.ndarray
    seeker_position: np.ndarray
    seeker_fit: np.ndarray
    seeker_hours: np.ndarray
    seeker_weeks_unemployed: np.ndarray
    seeker_busy: np.ndarray
    seeker_enters: np.ndarray | None = None
    min_weeks_unemployed: int | None = None
    continuity_bonus: float = 0.2

    def __post_init__(self) -> None:
        absences = (self.absence_position, self.absence_start, self.absence_weeks, self.absence_hours)
        if len({a.shape for a in absences}) != 1 or self.seeker.shape != self.seeker_position.shape \
                or self.seeker.shape != self.seeker_fit.shape:
            raise InvalidInput("rotation arrays differ in length", field="rotation",
                               hint="give one position, start, length and hours per absence, and one "
                                    "seeker, position and fit per arc")
        if self.min_weeks_unemployed is not None and self.min_weeks_unemployed < 0:
            raise InvalidInput(f"'{self.min_weeks_unemployed}' is not a number of weeks",
                               field="min_weeks_unemployed", value=self.min_weeks_unemployed,
                               hint="give 0 or more weeks, or leave the rule out")

    @property
    def n_absences(self) -> int:
        """How many absences."""
        return int(self.absence_position.size)


def rotation_for_plan(problem: ChainProblem, plan: ChainPlan, *, course_weeks: np.ndarray,
                      course_start_week: np.ndarray, employee_hours: np.ndarray, seeker_hours: np.ndarray,
                      seeker_weeks_unemployed: np.ndarray,
                      min_weeks_unemployed: int | None = None) -> tuple[np.ndarray, RotationProblem]:
    """A chain plan's trainees (employees moving after a course) and the rotation problem of their absences.

    Each trainee is away for their course (``course_start_week`` and ``course_weeks`` per course)
    for their own hours (``employee_hours`` per employee); the plan's job seekers' arcs are the
    candidate covers, those the plan hires are busy except at the job they will take.
    """
    if problem.move_course.size == 0:  # no upskilling move in the region: nobody is away
        trainees = np.zeros(0, dtype=np.int64)
    else:
        trainees = np.flatnonzero((plan.move_of >= 0)
                                  & (problem.move_course[np.maximum(plan.move_of, 0)] >= 0))
    courses = problem.move_course[plan.move_of[trainees]]
    enters = np.full(problem.n_seekers, -1, np.int64)
    entering = np.flatnonzero(plan.seeker_arc_of >= 0)
    enters[entering] = problem.seeker_position[plan.seeker_arc_of[entering]]
    return trainees, RotationProblem(
        absence_position=problem.own_position[trainees], absence_start=course_start_week[courses],
        absence_weeks=course_weeks[courses], absence_hours=employee_hours[trainees],
        seeker=problem.seeker, seeker_position=problem.seeker_position, seeker_fit=problem.seeker_fit,
        seeker_hours=seeker_hours, seeker_weeks_unemployed=seeker_weeks_unemployed,
        seeker_busy=plan.seeker_arc_of >= 0, seeker_enters=enters, min_weeks_unemployed=min_weeks_unemployed)


@dataclass(frozen=True)
class RotationPlan:
    """``substitute[a]``: the job seeker covering absence ``a`` (-1: uncovered), and the figures."""

    substitute: np.ndarray
    arc: np.ndarray
    summary: dict[str, float]


def _eligible_arcs(problem: RotationProblem) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(arc, absence, gain) for every seeker arc that may cover an absence."""
    if problem.n_absences == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    order = np.argsort(problem.absence_position, kind="stable")
    positions = problem.absence_position[order]
    at = np.minimum(np.searchsorted(positions, problem.seeker_position), positions.size - 1)
    absence = np.where(positions[at] == problem.seeker_position, order[at], -1)
    ok = absence >= 0
    seeker = problem.seeker
    ok &= problem.seeker_hours[seeker] >= np.where(ok, problem.absence_hours[np.maximum(absence, 0)], 0)
    if problem.min_weeks_unemployed is not None:
        ok &= problem.seeker_weeks_unemployed[seeker] >= problem.min_weeks_unemployed
    enters = problem.seeker_enters
    same_job = np.zeros(seeker.size, bool) if enters is None else enters[seeker] == problem.seeker_position
    ok &= ~problem.seeker_busy[seeker] | same_job
    arcs = np.flatnonzero(ok)
    gain = np.clip(problem.seeker_fit[arcs], 0, 1) + problem.continuity_bonus * same_job[arcs]
    return arcs, absence[arcs], gain


def plan_rotation(problem: RotationProblem) -> RotationPlan:
    """Cover as many absences as possible, then with the best fit (see the module docstring)."""
    from ortools.graph.python import min_cost_flow

    arcs, absence, gain = _eligible_arcs(problem)
    substitute = np.full(problem.n_absences, -1, np.int64)
    chosen_arc = np.full(problem.n_absences, -1, np.int64)
    if arcs.size:
        seekers, seeker_node = np.unique(problem.seeker[arcs], return_inverse=True)
        n_s, n_a = seekers.size, problem.n_absences
        source, sink = n_s + n_a, n_s + n_a + 1
        bonus = int(SCALE * (1 + problem.continuity_bonus)) * (n_a + 1)
        tails = np.concatenate([np.full(n_s, source), seeker_node, n_s + np.arange(n_a)])
        heads = np.concatenate([np.arange(n_s), n_s + absence, np.full(n_a, sink)])
        costs = np.concatenate([np.zeros(n_s), -(bonus + np.round(SCALE * gain)), np.zeros(n_a)])
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32),
                                                  np.ones(tails.size, np.int64), costs.astype(np.int64))
        flow.add_arc_with_capacity_and_unit_cost(source, sink, n_s, 0)
        flow.set_node_supply(source, n_s)
        flow.set_node_supply(sink, -n_s)
        if flow.solve() != flow.OPTIMAL:  # pragma: no cover - the bypass arc keeps it feasible
            raise InvalidInput("the rotation flow has no solution", field="rotation")
        used = np.flatnonzero(flow.flows(np.arange(n_s, n_s + arcs.size, dtype=np.int32)) > 0)
        substitute[absence[used]] = problem.seeker[arcs[used]]
        chosen_arc[absence[used]] = arcs[used]
    covered = substitute >= 0
    hours = problem.absence_hours * problem.absence_weeks
    return RotationPlan(substitute, chosen_arc, {
        "absences": problem.n_absences, "covered": int(covered.sum()),
        "substitutes": int(np.unique(substitute[covered]).size),
        "hours_to_cover": float(hours.sum()), "hours_covered": float(hours[covered].sum()),
        "substitute_weeks": float(problem.absence_weeks[covered].sum()),
    })


def is_valid_rotation(problem: RotationProblem, plan: RotationPlan) -> bool:
    """Each absence at most one substitute along an eligible arc, each substitute at most once."""
    arcs, absence, _ = _eligible_arcs(problem)
    eligible = set(zip(arcs.tolist(), absence.tolist(), strict=True))
    covered = np.flatnonzero(plan.substitute >= 0)
    if np.unique(plan.substitute[covered]).size != covered.size:
        return False
    return all((int(plan.arc[a]), int(a)) in eligible and problem.seeker[plan.arc[a]] == plan.substitute[a]
               for a in covered)
