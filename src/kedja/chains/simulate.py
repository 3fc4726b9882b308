"""Years of upskilling, simulated: which strategy brings most people from unemployment into work.

A seeded Monte Carlo over ``years`` and ``runs``. Each year every strategy plans on the region as
it then is (who holds which position, which positions are vacant, who is still without a job),
then chance decides what happens:

- **training completion** (``completion_rate``): an employee who fails their course keeps their
  own job; the chain below them does not happen (the job they would have freed is not freed);
- **retention** (``retention_rate``): a person who entered a job or moved up stays the year, or
  leaves it (an entrant goes back to looking for work, a mover leaves the region's workforce);
- **attrition and retirement** (``attrition_rate``, ``retirement_rate``): employees leave; their
  positions fall vacant and are planned for the next year (this is how retirements open jobs);
- **rotation** (planned strategy only): the substitutes who covered for trainees have worked
  the year; ``substitute_hire_rate`` of them are hired afterwards into a vacant job they can do;
- **inflow** (``inflow_rate``): each year new job seekers register, ``inflow_rate`` × the first
  year's job seekers, each drawn with replacement from the region's job seekers (a bootstrap:
  a newcomer can reach and do what a job seeker of the region can), the same newcomers for
  every strategy in a run;
- **outflow** (``seeker_exit_rate``): a job seeker still out at the year's end leaves the
  register without work (studies, moving away, outside the labour force) with this chance.

Strategies (:data:`STRATEGIES`), each with *optimal* matching of the job seekers
(:mod:`kedja.chains.counterfactuals`), so that they differ by upskilling and planning alone:

- ``no_upskilling``: nobody trains; job seekers go into the vacant jobs by one flow;
- ``unplanned``: employees upskill into vacant positions on their own (the documented rules of
  :func:`~kedja.chains.unplanned.employee_choices`), job seekers then go optimally into what is
  vacant (:func:`~kedja.chains.unplanned_chains`);
- ``planned_rotation``: the planned chains (:func:`~kedja.chains.optimise_chains`) with job
  rotation (:func:`~kedja.chains.rotation.plan_rotation`).

Course seats and the budget renew each year. The rates are settings, not findings: give the
region's own figures where they are known (the defaults are stated in ``docs/chains.md``).
Each year's problem holds only the employees who can still move up, so a year costs one flow
over the movers, not the whole workforce.

Examples:
    >>> from kedja.chains.synthetic import synthetic_chain_problem
    >>> problem = synthetic_chain_problem(np.random.default_rng(1), n_employees=300, n_open=40,
    ...                                   n_seekers=120)
    >>> result = simulate_strategies(problem, SimulationSettings(years=2, runs=3, seed=7))
    >>> sorted(result.strategies), len(result.yearly["planned_rotation"]["entered_work"])
    (['no_upskilling', 'planned_rotation', 'unplanned'], 2)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from kedja.chains.checker import is_valid_chain_plan
from kedja.chains.counterfactuals import no_upskilling_plan
from kedja.chains.model import ChainPlan, ChainProblem
from kedja.chains.optimise import optimise_chains
from kedja.chains.rotation import plan_rotation, rotation_for_plan
from kedja.chains.unplanned import unplanned_chains
from kedja.core.errors import InvalidInput

__all__ = ["STRATEGIES", "SimulationResult", "SimulationSettings", "simulate_strategies", "with_inflow"]

STRATEGIES = ("no_upskilling", "unplanned", "planned_rotation")
MEASURES = ("entered_work", "entered_work_cumulative", "upskilled", "substitutes", "shortage_filled")


@dataclass(frozen=True)
class SimulationSettings:
    """The horizon, the number of runs, the seed and the yearly rates."""

    years: int = 5
    runs: int = 20
    seed: int = 0
    completion_rate: float = 0.72
    retention_rate: float = 0.9
    attrition_rate: float = 0.05
    retirement_rate: float = 0.03
    substitute_hire_rate: float = 0.063
    inflow_rate: float = 0.0
    seeker_exit_rate: float = 0.0
    min_weeks_unemployed: int | None = None
    course_weeks: np.ndarray | None = None
    """Weeks of each course (for the rotation); 40 when not given."""

    def __post_init__(self) -> None:
        for name in ("completion_rate", "retention_rate", "attrition_rate", "retirement_rate",
                     "substitute_hire_rate", "inflow_rate", "seeker_exit_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise InvalidInput(f"{name} '{value}' is not a share", field=name, value=value,
                                   hint="give a share between 0 and 1")
        for name, low, high in (("years", 1, 50), ("runs", 1, 10_000)):
            value = getattr(self, name)
            if not low <= value <= high:
                raise InvalidInput(f"{name} '{value}' is out of range", field=name, value=value,
                                   hint=f"give {low} to {high}")


@dataclass
class SimulationResult:
    """Per strategy and measure: one row per run, one column per year; and the bands."""

    strategies: tuple[str, ...]
    runs: dict[str, dict[str, np.ndarray]]
    checker_ok: bool
    yearly: dict[str, dict[str, list[dict[str, float]]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for strategy, measures in self.runs.items():
            self.yearly[strategy] = {name: [_band(values[:, y]) for y in range(values.shape[1])]
                                     for name, values in measures.items()}


def _band(values: np.ndarray) -> dict[str, float]:
    """Mean and the 10th and 90th percentiles over runs."""
    low, high = np.percentile(values, [10, 90])
    return {"mean": round(float(values.mean()), 2), "p10": round(float(low), 2), "p90": round(float(high), 2)}


class _State:
    """Who holds what: persons are the employees (first) and then the job seekers."""

    def __init__(self, problem: ChainProblem, arrival: np.ndarray | None = None) -> None:
        self.base = problem
        n_e, n_s = problem.n_employees, problem.n_seekers
        self.n_e = n_e
        self.position_of = np.concatenate([problem.own_position, np.full(n_s, -1)]).astype(np.int64)
        self.arrival = np.zeros(n_s, np.int64) if arrival is None else arrival
        self.active = np.concatenate([np.ones(n_e, bool), self.arrival == 0])
        self.may_move = np.ones(n_e, bool)
        self.weeks_out = np.where(self.arrival == 0, 52.0, 0.0)
        self.hours = np.full(n_e + n_s, 40)

    def arrive(self, year: int) -> None:
        """The new job seekers of ``year`` register."""
        self.active[self.n_e:] |= self.arrival == year

    def holder_of(self) -> np.ndarray:
        holder = np.full(self.base.n_positions, -1, np.int64)
        held = np.flatnonzero(self.position_of >= 0)
        holder[self.position_of[held]] = held
        return holder

    def year_problem(self, strategy: str) -> tuple[ChainProblem, np.ndarray, np.ndarray]:
        """The year's problem over the movers who are left; with its employees' and seekers' ids."""
        base, holder = self.base, self.holder_of()
        vacant = holder < 0
        can = np.zeros(self.position_of.size, bool)
        holds_own = self.position_of[:self.n_e] == base.own_position
        can[:self.n_e] = self.may_move & holds_own & self.active[:self.n_e]
        keep_move = can[base.move_employee] & (vacant[base.move_position]
                                               | can[np.maximum(holder[base.move_position], 0)])
        if strategy == "no_upskilling":
            keep_move[:] = False
        movers = np.unique(base.move_employee[keep_move])
        employee_index = np.full(self.n_e, -1, np.int64)
        employee_index[movers] = np.arange(movers.size)
        seekers = np.flatnonzero(self.active[self.n_e:] & (self.position_of[self.n_e:] < 0))
        seeker_index = np.full(base.n_seekers, -1, np.int64)
        seeker_index[seekers] = np.arange(seekers.size)
        reachable = vacant.copy()
        reachable[base.own_position[movers]] = True
        keep_move &= reachable[base.move_position]
        keep_arc = (seeker_index[base.seeker] >= 0) & reachable[base.seeker_position]
        year = ChainProblem(
            n_positions=base.n_positions, open_position=vacant, shortage=base.shortage,
            own_position=base.own_position[movers],
            move_employee=employee_index[base.move_employee[keep_move]],
            move_position=base.move_position[keep_move], move_course=base.move_course[keep_move],
            move_cost=base.move_cost[keep_move], course_seats=base.course_seats,
            n_seekers=seekers.size, seeker=seeker_index[base.seeker[keep_arc]],
            seeker_position=base.seeker_position[keep_arc], seeker_fit=base.seeker_fit[keep_arc],
            move_value=None if base.move_value is None else base.move_value[keep_move],
            budget=base.budget, max_chain_length=base.max_chain_length,
            freed_job_weight=base.freed_job_weight)
        return year, movers, seekers


def _plan(strategy: str, problem: ChainProblem) -> ChainPlan:
    if strategy == "planned_rotation":
        return optimise_chains(problem, exact_limit=0)
    if strategy == "no_upskilling":
        return no_upskilling_plan(problem)
    return unplanned_chains(problem)


def with_inflow(problem: ChainProblem, settings: SimulationSettings,
                rng: np.random.Generator) -> tuple[ChainProblem, np.ndarray]:
    """The problem with the years' new job seekers appended, and each job seeker's year of arrival.

    Each year ``round(inflow_rate × n_seekers)`` newcomers arrive (years 1 .. years−1; the first
    year's job seekers are there from the start), each a copy of a job seeker drawn with
    replacement: the same arcs and fits. Time O(arcs of the drawn job seekers).
    """
    per_year = round(settings.inflow_rate * problem.n_seekers)
    if per_year == 0 or settings.years < 2 or problem.n_seekers == 0:
        return problem, np.zeros(problem.n_seekers, np.int64)
    drawn = rng.integers(0, problem.n_seekers, per_year * (settings.years - 1))
    order = np.argsort(problem.seeker, kind="stable")
    starts = np.searchsorted(problem.seeker[order], np.arange(problem.n_seekers + 1))
    counts = starts[drawn + 1] - starts[drawn]
    arcs = order[np.concatenate([np.arange(starts[d], starts[d + 1]) for d in drawn])] if counts.sum() \
        else np.zeros(0, np.int64)
    newcomer = problem.n_seekers + np.repeat(np.arange(drawn.size), counts)
    arrival = np.concatenate([np.zeros(problem.n_seekers, np.int64),
                              1 + np.arange(drawn.size) // per_year])
    extended = replace(problem, n_seekers=problem.n_seekers + drawn.size,
                       seeker=np.concatenate([problem.seeker, newcomer]),
                       seeker_position=np.concatenate([problem.seeker_position,
                                                       problem.seeker_position[arcs]]),
                       seeker_fit=np.concatenate([problem.seeker_fit, problem.seeker_fit[arcs]]))
    return extended, arrival


def _rotation(state: _State, problem: ChainProblem, plan: ChainPlan, movers: np.ndarray, seekers: np.ndarray,
              settings: SimulationSettings) -> np.ndarray:
    """The job seekers (year problem's index) who stand in for this year's trainees."""
    n_courses = problem.course_seats.size
    weeks = np.full(n_courses, 40) if settings.course_weeks is None else settings.course_weeks
    _, rotation = rotation_for_plan(
        problem, plan, course_weeks=weeks, course_start_week=np.zeros(n_courses, np.int64),
        employee_hours=state.hours[movers], seeker_hours=state.hours[state.n_e + seekers],
        seeker_weeks_unemployed=state.weeks_out[seekers], min_weeks_unemployed=settings.min_weeks_unemployed)
    covered = plan_rotation(rotation).substitute
    return covered[covered >= 0]


def _apply(state: _State, problem: ChainProblem, plan: ChainPlan, movers: np.ndarray, seekers: np.ndarray,
           rng: np.random.Generator, settings: SimulationSettings) -> tuple[list[int], list[int], int]:
    """Carry out the plan's chains top-down, with training failures: the movers and the entrants.

    A failed course stops the chain there (the mover keeps their job, nobody below moves); a
    swap happens whole or not at all.
    """
    moved, entrants, upskilled = [], [], 0
    for chain in plan.chains:
        passed = [s.course < 0 or rng.random() < settings.completion_rate for s in chain.steps]
        if chain.end == "cycle" and not all(passed):
            continue
        for step, ok in zip(chain.steps, passed, strict=True):
            if step.seeker:
                person = state.n_e + int(seekers[step.person])
                state.position_of[person] = step.position
                entrants.append(person)
                break
            if not ok:
                break
            employee = int(movers[step.person])
            state.position_of[employee] = step.position
            state.may_move[employee] = False
            moved.append(employee)
            upskilled += step.course >= 0
    return moved, entrants, upskilled


def _hire_substitutes(state: _State, problem: ChainProblem, substitutes: np.ndarray, seekers: np.ndarray,
                      rng: np.random.Generator, settings: SimulationSettings) -> list[int]:
    """Substitutes hired after their cover, into a vacant job they can do (best fit first)."""
    hired: list[int] = []
    vacant = state.holder_of() < 0
    lucky = set(substitutes[rng.random(substitutes.size) < settings.substitute_hire_rate].tolist())
    for arc in np.argsort(-problem.seeker_fit, kind="stable").tolist():
        s, position = int(problem.seeker[arc]), int(problem.seeker_position[arc])
        person = state.n_e + int(seekers[s])
        if s in lucky and vacant[position] and state.position_of[person] < 0:
            state.position_of[person], vacant[position] = position, False
            hired.append(person)
            lucky.discard(s)
    return hired


def _year_end(state: _State, moved: list[int], entrants: list[int], rng: np.random.Generator,
              settings: SimulationSettings) -> int:
    """Retention, attrition and retirement; the entrants still in work at the year's end."""
    still = 0
    for person in entrants:
        if rng.random() < settings.retention_rate:
            still += 1
        else:
            state.position_of[person] = -1
    gone = [person for person in moved if rng.random() >= settings.retention_rate]
    state.position_of[gone] = -1
    state.active[gone] = False
    employed = np.flatnonzero(state.position_of >= 0)
    leave = employed[rng.random(employed.size) < settings.attrition_rate + settings.retirement_rate]
    state.position_of[leave] = -1
    state.active[leave] = False
    out = state.active[state.n_e:] & (state.position_of[state.n_e:] < 0)
    leaving = np.flatnonzero(out & (rng.random(out.size) < settings.seeker_exit_rate))
    state.active[state.n_e + leaving] = False
    state.weeks_out[out] += 52
    return still


def _run(problem: ChainProblem, strategy: str, rng: np.random.Generator,
         settings: SimulationSettings, arrival: np.ndarray) -> tuple[dict[str, list[float]], bool]:
    state, ok = _State(problem, arrival), True
    shortage = problem.shortage_flags()
    rows: dict[str, list[float]] = {m: [] for m in MEASURES}
    total = 0
    for y in range(settings.years):
        state.arrive(y)
        year, movers, seekers = state.year_problem(strategy)
        plan = _plan(strategy, year)
        ok &= is_valid_chain_plan(year, plan)
        substitutes = (_rotation(state, year, plan, movers, seekers, settings)
                       if strategy == "planned_rotation" else np.zeros(0, np.int64))
        moved, entrants, upskilled = _apply(state, year, plan, movers, seekers, rng, settings)
        entrants += _hire_substitutes(state, year, substitutes, seekers, rng, settings)
        entered = _year_end(state, moved, entrants, rng, settings)
        total += entered
        holder = state.holder_of()
        for name, value in (("entered_work", entered), ("entered_work_cumulative", total),
                            ("upskilled", upskilled), ("substitutes", substitutes.size),
                            ("shortage_filled", int((shortage & (holder >= 0)).sum()))):
            rows[name].append(float(value))
    return rows, ok


def simulate_strategies(problem: ChainProblem, settings: SimulationSettings,
                        strategies: tuple[str, ...] = STRATEGIES,
                        progress: Callable[[int, int], None] | None = None) -> SimulationResult:
    """Every strategy over the same seeded chance draws (common random numbers per run).

    ``progress(done, total)`` is called after each run of each strategy.
    """
    unknown = [s for s in strategies if s not in STRATEGIES]
    if unknown:
        raise InvalidInput(f"'{unknown[0]}' is not a strategy", field="strategies", value=unknown[0],
                           hint=f"use {', '.join(STRATEGIES)}")
    runs: dict[str, dict[str, np.ndarray]] = {}
    checker_ok = True
    inflows = [with_inflow(problem, settings, np.random.default_rng([settings.seed, run, 1]))
               for run in range(settings.runs)]
    done = 0
    for strategy in strategies:
        table: dict[str, list[list[float]]] = {m: [] for m in MEASURES}
        for run in range(settings.runs):
            extended, arrival = inflows[run]
            rng = np.random.default_rng([settings.seed, run])
            rows, ok = _run(extended, strategy, rng, settings, arrival)
            done += 1
            if progress is not None:
                progress(done, settings.runs * len(strategies))
            checker_ok &= ok
            if progress is not None:
                progress(strategies.index(strategy) * settings.runs + run + 1,
                         len(strategies) * settings.runs)
            for name in MEASURES:
                table[name].append(rows[name])
        runs[strategy] = {name: np.array(values) for name, values in table.items()}
    return SimulationResult(tuple(strategies), runs, checker_ok)
