"""Vacancy chains for the region in the database: build the problem, plan, compare, check.

The problem is built as follows (documented so that it can be argued with):

- **Employees**: people with status employed; their own position has their occupation, employer,
  municipality and locality.
- **Open positions**: job opportunities with an occupation, one position per unit of capacity.
  A position (open or held) is in **shortage** when the forecast expects a gap (demand above
  supply) in its occupation and municipality five years on (:mod:`kedja.services.chains_forecast`).
- **Upskilling moves**: a training opportunity (course, seats = its capacity, cost, duration)
  leads an employee from their occupation to a position of one of its ``leads_to`` occupations
  in the same municipality when

  * the course is within reach: given in the employee's municipality, or mostly at a distance;
  * the employee meets its admission: the experience it asks for (``requires_experience_in``,
    e.g. an assistant nurse for specialist assistant-nurse training) and its education level;
  * the move is a step up: a specialisation the course asks experience for (an assistant
    nurse to specialist assistant nurse), or a move to a qualified occupation (not one that
    asks for no particular education) that is either a higher SSYK skill level (major group
    1–2: 4, 3: 3, 4–8: 2, 9: 1) or, from an entry occupation such as care assistant, another
    minor group; and for the latter two, the taxonomy's skill similarity from the employee's
    occupation to the goal is at least :data:`RELATED_MOVE` (a care assistant to an assistant
    nurse is 0.77; a mechanic to a personal assistant is 0). Sideways moves (an assistant
    nurse to a support worker) are not upskilling.

  At most ``targets`` moves per employee, open positions first.
- **Job seekers**: people without a job. Their arcs come from matching (:mod:`kedja.matching`):
  the same reach, hard constraints and explained fit (divided by 100) as their pathways, scored
  against the open jobs and against the job each candidate mover would free (a job of the
  mover's occupation at the mover's locality, asking for the skills that open jobs in that
  occupation most often ask for). Each seeker keeps the ``k`` best.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Engine

from kedja.chains import ChainPlan, ChainProblem, is_valid_chain_plan, optimise_chains
from kedja.chains.counterfactuals import no_upskilling_plan, unplanned_plan
from kedja.chains.effects import EFFECT_SOURCES, ChainEffects, chain_effects
from kedja.chains.optimise import EXACT_LIMIT
from kedja.chains.rotation import is_valid_rotation, plan_rotation, rotation_for_plan
from kedja.chains.simulate import STRATEGIES, SimulationSettings, simulate_strategies
from kedja.core.errors import KedjaError
from kedja.core.ids import OccupationCode, OpportunityId, OrganisationId, SkillId
from kedja.core.opportunities import Opportunity, OpportunityKind
from kedja.core.people import Person
from kedja.matching import MatchingData, prepare_matching
from kedja.matching.scoring import generate_candidates
from kedja.services.cache import cached, peek
from kedja.services.chains_forecast import ForecastShortage, forecast_shortage
from kedja.services.matching import matching_data, reference_date
from kedja.store import flows, loaders, records, session_scope

__all__ = [
    "CHAIN_KEYS",
    "EFFECT_KEYS",
    "RELATED_MOVE",
    "ChainRegion",
    "load_chain_region",
    "plan_region_chains",
    "recorded_rates",
    "region_and_plan",
    "region_plan_ready",
    "simulate_region_chains",
]

CHAIN_KEYS = ("chains", "upskilled", "job_seekers_entering", "multiplier", "cost_per_entrant",
              "shortage_positions_filled", "job_seekers_into_freed_jobs", "direct_hires",
              "unplanned_job_seekers_entering", "method", "checker_ok")
EFFECT_KEYS = ("no_upskilling_job_seekers_entering", "unplanned_job_seekers_entering", "unplanned_upskilled",
               "unplanned_job_seekers_into_freed_jobs", "unplanned_multiplier",
               "net_entrants_vs_no_upskilling", "net_entrants_vs_unplanned", "net_entrants_per_upskilled",
               "net_entrants_per_million_sek", "cost_per_net_entrant_sek",
               "expected_entrants_after_displacement", "expected_entrants_into_freed_jobs",
               "expected_net_entrants_vs_no_upskilling", "entrants_into_freed_jobs_per_upskilled")
"""The counterfactual figures a plan carries (:func:`kedja.chains.effects.chain_effects`)."""
UPSKILLING_VALUE = 0.3
"""Tie-break value of an upskilling move, a little above the dearest course's cost penalty (0.25).

Among plans that let in as many job seekers and fill as many open positions, the one that
upskills more employees wins: a care assistant who trains to fill the assistant-nurse job an
upskilled colleague frees is worth a chain step, even when an experienced job seeker could
have taken that job."""
RELATED_MOVE = 0.25
"""Least skill similarity for a move that no course admission ties to the employee's occupation."""
SKILL_LEVEL = {"0": 2, "1": 4, "2": 4, "3": 3, "4": 2, "5": 2, "6": 2, "7": 2, "8": 2, "9": 1}
"""SSYK 2012 skill level by major group (ISCO-08's four levels)."""
FREED_PREFIX = "FREED-"


def _skill_level(code: str) -> int:
    return SKILL_LEVEL.get(code[:1], 2)


class ChainRegion:
    """Positions, employees, moves and seeker arcs of a region, turned into a :class:`ChainProblem`.

    ``positions`` holds ``(occupation, municipality, label, employer)`` per position: every
    employee's own job first (label ``job of P…``), then one per unit of each open job.
    """

    def __init__(self, people: list[Person], jobs: list[Opportunity], courses: list[Opportunity],
                 similarity: dict[tuple[str, str], float], entry: set[str], today: date) -> None:
        self.employees = [p for p in people if not p.is_job_seeker]
        self.seekers = [p for p in people if p.is_job_seeker]
        self.jobs, self.courses, self.today = jobs, courses, today
        self.positions: list[tuple[str, str, str, str]] = [
            (str(p.situation.occupation_code), p.municipality_code, f"job of {p.id}",
             str(p.situation.employer_id or "")) for p in self.employees]
        self.job_of_position: list[Opportunity | None] = [None] * len(self.employees)
        for job in jobs:
            labels = [job.id] if job.capacity == 1 else [f"{job.id}#{k + 1}" for k in range(job.capacity)]
            self.positions += [(str(job.occupation_code), job.municipality_code, label, job.organisation_id)
                               for label in labels]
            self.job_of_position += [job] * len(labels)
        self.n_held = len(self.employees)
        self.by_place: dict[tuple[str, str], list[int]] = defaultdict(list)
        for index in range(len(self.positions) - 1, -1, -1):  # open positions first in each list
            occupation, municipality, _, _ = self.positions[index]
            self.by_place[occupation, municipality].append(index)
        self.similarity, self.entry = similarity, entry
        self.asf_placement: dict[str, str] = {}
        """Job seeker → the ASF whose work-integration placement they are in now."""
        self.shortage: ForecastShortage | None = None
        """The forecast's gaps: a position is in shortage when its occupation's gap there is positive."""

    def _course_options(self, current: str) -> list[tuple[int, str]]:
        """(course, goal occupation) pairs that are a step up from ``current``."""
        options: list[tuple[int, str]] = []
        for c, course in enumerate(self.courses):
            assert course.training is not None
            need = course.training.requires_experience_in
            if current in course.training.leads_to or (need and current not in need):
                continue
            options += [(c, str(goal)) for goal in course.training.leads_to
                        if self._step_up(current, goal, need)]
        return options

    def _step_up(self, current: str, goal: str, need: tuple[str, ...]) -> bool:
        """A specialisation the course asks for, or a related move up the skill ladder."""
        if goal in self.entry:
            return False
        if current in need:
            return True
        up = _skill_level(goal) > _skill_level(current) or (current in self.entry and goal[:3] != current[:3])
        return up and self.similarity.get((current, goal), 0.0) >= RELATED_MOVE

    def _admitted(self, person: Person, course: Opportunity) -> bool:
        within_reach = course.municipality_code == person.municipality_code or course.remote_share >= 0.5
        level = person.education.sun_level if person.education else "0"
        return within_reach and (course.min_education_level is None or level >= course.min_education_level)

    def moves(self, targets: int) -> list[tuple[int, int, int, float]]:
        """(employee, position, course, cost) candidate arcs; see the module docstring's rules."""
        by_occupation: dict[str, list[tuple[int, str]]] = {}
        found: list[tuple[int, int, int, float]] = []
        for e, person in enumerate(self.employees):
            current = str(person.situation.occupation_code)
            if current not in by_occupation:
                by_occupation[current] = self._course_options(current)
            options = [(p, c) for c, goal in by_occupation[current]
                       if self._admitted(person, self.courses[c])
                       for p in self.by_place.get((goal, person.municipality_code), [])[:targets] if p != e]
            options.sort(key=lambda pc: pc[0] < self.n_held)  # open positions first
            found += [(e, p, c, float(self.courses[c].training.cost_sek))  # type: ignore[union-attr]
                      for p, c in options[:targets]]
        return found

    def freed_jobs(self, movers: set[int]) -> list[Opportunity]:
        """The jobs candidate movers would free, as job opportunities matching can score."""
        asked: dict[str, Counter[SkillId]] = defaultdict(Counter)
        for job in self.jobs:
            asked[str(job.occupation_code)].update(job.required_skills)
        freed = []
        for e in sorted(movers):
            person = self.employees[e]
            code = str(person.situation.occupation_code)
            freed.append(Opportunity(
                id=OpportunityId(f"{FREED_PREFIX}{person.id}"), kind=OpportunityKind.JOB,
                title=f"job of {person.id}",
                organisation_id=person.situation.employer_id or OrganisationId("-"),
                municipality_code=person.municipality_code, occupation_code=OccupationCode(code),
                locality_id=person.locality_id,
                required_skills=tuple(s for s, _ in asked[code].most_common(4))))
        return freed

    def problem(self, moves: list[tuple[int, int, int, float]], arcs: list[tuple[int, int, float]],
                budget: float | None, max_chain_length: int | None,
                freed_job_weight: float = 1.0) -> ChainProblem:
        """The engine's problem from the candidate moves and the job seekers' arcs."""
        move_array = np.array(moves, dtype=float).reshape(-1, 4)
        arc_array = np.array(arcs, dtype=float).reshape(-1, 3)
        n = len(self.positions)
        forecast = self.shortage
        places = {(p[0], p[1]) for p in self.positions}
        short = {place for place in places if forecast is not None and forecast.in_shortage(*place)}
        return ChainProblem(
            n_positions=n, open_position=np.arange(n) >= self.n_held,
            shortage=np.array([(p[0], p[1]) in short for p in self.positions], bool).reshape(n),
            own_position=np.arange(self.n_held), move_employee=move_array[:, 0].astype(np.int64),
            move_position=move_array[:, 1].astype(np.int64), move_course=move_array[:, 2].astype(np.int64),
            move_cost=move_array[:, 3], course_seats=np.array([c.capacity for c in self.courses], np.int64),
            n_seekers=len(self.seekers), seeker=arc_array[:, 0].astype(np.int64),
            seeker_position=arc_array[:, 1].astype(np.int64), seeker_fit=arc_array[:, 2],
            move_value=np.full(len(moves), UPSKILLING_VALUE), budget=budget,
            max_chain_length=max_chain_length, freed_job_weight=freed_job_weight)

    def course_weeks(self) -> np.ndarray:
        """Weeks of each course."""
        return np.array([c.training.duration_weeks if c.training else 1 for c in self.courses], np.int64)

    def steps(self, plan: ChainPlan) -> list[dict[str, Any]]:
        """The plan's chains with ids and labels, chains with moves first."""
        chains = [{"end": chain.end, "steps": [self.step(s.person, s.position, s.seeker, s.course, s.cost)
                                               for s in chain.steps]} for chain in plan.chains]
        return sorted(chains, key=lambda c: -len(c["steps"]))

    def step(self, person: int, position: int, seeker: bool, course: int, cost: float) -> dict[str, Any]:
        """One step with ids and labels: who, into which position, from which job, after which course."""
        occupation, municipality, label, employer = self.positions[position]
        training = self.courses[course] if course >= 0 else None
        return {
            "person_id": (self.seekers if seeker else self.employees)[person].id,
            "job_seeker": seeker, "position": label, "occupation_code": occupation,
            "municipality_code": municipality, "employer_id": employer or None,
            "from_occupation_code": None if seeker else str(self.employees[person].situation.occupation_code),
            "course_id": training.id if training else None,
            "course_title": training.title if training else None,
            "course_weeks": training.training.duration_weeks if training and training.training else None,
            "cost_sek": cost,
            "asf_placement": self.asf_placement.get(self.seekers[person].id) if seeker else None,
        }


def _seeker_arcs(region: ChainRegion, data: MatchingData, movers: set[int],
                 k: int) -> list[tuple[int, int, float]]:
    """Job seekers' arcs to open and freed positions, from matching's reach and fit.

    ``data`` is the region's matching input (taxonomy, shortage, travel), read once.
    """
    if not region.seekers:
        return []
    freed = region.freed_jobs(movers)
    prepared = prepare_matching(replace(data, people=region.seekers, opportunities=[*region.jobs, *freed],
                                        k=k))
    candidates = generate_candidates(prepared.scoring)
    units: dict[str, list[int]] = defaultdict(list)
    for position, job in enumerate(region.job_of_position):
        if job is not None:
            units[job.id].append(position)
    employee_index: dict[str, int] = {p.id: e for e, p in enumerate(region.employees)}
    for opportunity in freed:
        units[opportunity.id] = [employee_index[opportunity.id.removeprefix(FREED_PREFIX)]]
    ids = prepared.opportunities.ids
    seeker_row: dict[str, int] = {p.id: s for s, p in enumerate(region.seekers)}
    return [(seeker_row[prepared.people.ids[int(i)]], position, round(float(fit) / 100.0, 3))
            for i, j, fit in zip(candidates.person, candidates.opportunity, candidates.fit, strict=True)
            for position in units[ids[int(j)]]]


def load_chain_region(engine: Engine, *, targets: int = 5, k: int = 10,
                      budget: float | None = None, max_chain_length: int | None = None,
                      effects: ChainEffects | None = None) -> tuple[ChainRegion, ChainProblem]:
    """The database's region and its chain problem (see the module docstring).

    The plan values a job seeker entering a freed job by the chance it reaches them
    (``effects.seeker_share``: 1 − displacement − withdrawal), an open post's entrant as 1.

    Employees are read by :func:`~kedja.store.loaders.list_employees` (the eight columns a move
    needs), job seekers in full (matching scores them); the occupations' similarity is taken
    from matching's matrix where it is above zero.
    """
    with session_scope(engine) as session:
        people = [*loaders.list_employees(session), *loaders.list_people(session, job_seekers_only=True)]
        data = matching_data(session, [])
        opportunities = data.opportunities
        codes = [str(o.code) for o in data.occupations]
        rows, cols = np.nonzero(np.asarray(data.similarity) > 0)
        values = np.asarray(data.similarity)[rows, cols]
        similarity = {(codes[i], codes[j]): float(v)
                      for i, j, v in zip(rows.tolist(), cols.tolist(), values.tolist(), strict=True)}
        jobs = [o for o in opportunities if o.kind is OpportunityKind.JOB and o.occupation_code]
        courses = [o for o in opportunities if o.kind is OpportunityKind.TRAINING and o.training]
        entry = {str(o.code) for o in data.occupations if o.no_educational_requirement}
        region = ChainRegion(people, jobs, courses, similarity, entry, data.today)
        region.asf_placement = records.current_placements(session, OpportunityKind.ASF_PLACEMENT.value,
                                                          data.today)
    region.shortage = _forecast_shortage(engine)
    moves = region.moves(targets)
    arcs = _seeker_arcs(region, data, {e for e, _, _, _ in moves}, k)
    return region, region.problem(moves, arcs, budget, max_chain_length,
                                  (effects or ChainEffects()).seeker_share)


def _forecast_shortage(engine: Engine) -> ForecastShortage | None:
    """The forecast's gaps, or None when the database has no forecast inputs (no shortage then)."""
    try:
        return forecast_shortage(engine)
    except KedjaError:
        return None


def _rotation(region: ChainRegion, problem: ChainProblem, plan: ChainPlan,
              min_weeks_unemployed: int | None) -> dict[str, Any]:
    """Substitutes for the plan's trainees, hour for hour, with the calendar of who is where when."""
    starts = [course.starts or region.today for course in region.courses]
    trainees, rotation = rotation_for_plan(
        problem, plan, course_weeks=region.course_weeks(),
        course_start_week=np.array([(d - region.today).days // 7 for d in starts], np.int64),
        employee_hours=np.array([p.constraints.hours_per_week for p in region.employees], np.int64),
        seeker_hours=np.array([p.constraints.hours_per_week for p in region.seekers], np.int64),
        seeker_weeks_unemployed=np.array([(p.situation.days_since(region.today) or 0) // 7
                                          for p in region.seekers], np.int64),
        min_weeks_unemployed=min_weeks_unemployed)
    result = plan_rotation(rotation)
    calendar: list[dict[str, Any]] = []
    for a, e in enumerate(trainees.tolist()):
        c = int(problem.move_course[plan.move_of[e]])
        employee, course = region.employees[e], region.courses[c]
        start = starts[c]
        end = start + timedelta(weeks=int(rotation.absence_weeks[a]))
        calendar.append({"person_id": employee.id, "role": "training", "place": course.id,
                         "title": course.title, "from": start.isoformat(), "to": end.isoformat()})
        calendar.append({"person_id": employee.id, "role": "moves_up",
                         "place": region.positions[int(problem.move_position[plan.move_of[e]])][2],
                         "title": None, "from": end.isoformat(), "to": None})
        substitute = int(result.substitute[a])
        if substitute >= 0:
            calendar.append({"person_id": region.seekers[substitute].id, "role": "substitute",
                             "place": region.positions[e][2], "title": None,
                             "hours_per_week": int(rotation.absence_hours[a]),
                             "from": start.isoformat(), "to": end.isoformat()})
    return {**result.summary, "min_weeks_unemployed": min_weeks_unemployed,
            "checker_ok": is_valid_rotation(rotation, result), "calendar": calendar}


def plan_region_chains(engine: Engine, *, budget: float | None = None, max_chain_length: int | None = None,
                       targets: int = 5, exact_limit: int = EXACT_LIMIT,
                       min_weeks_unemployed: int | None = None,
                       effects: ChainEffects | None = None) -> dict[str, Any]:
    """The planned chains of the database's region with job rotation, the counterfactuals, the check.

    ``exact_limit`` is passed to :func:`~kedja.chains.optimise_chains` (0: never the MIP);
    ``min_weeks_unemployed`` sets the rotation's rule for substitutes (none by default);
    ``effects`` the chances of displacement, withdrawal and deadweight at a freed job.
    """
    region, problem = load_chain_region(engine, targets=targets, budget=budget,
                                        max_chain_length=max_chain_length, effects=effects)
    return _planned(region, problem, exact_limit, min_weeks_unemployed, effects)


def _planned(region: ChainRegion, problem: ChainProblem, exact_limit: int,
             min_weeks_unemployed: int | None, effects: ChainEffects | None = None) -> dict[str, Any]:
    """The plan (c) against (a) no upskilling and (b) unplanned upskilling, in one run."""
    effects = effects or ChainEffects()
    plan = optimise_chains(problem, exact_limit=exact_limit)
    none, unplanned = no_upskilling_plan(problem), unplanned_plan(problem)
    ok = all(is_valid_chain_plan(problem, p) for p in (plan, none, unplanned))
    figures = chain_effects(problem, plan, effects, none, unplanned)
    return {"chains": region.steps(plan), **{k: plan.summary[k] for k in CHAIN_KEYS[1:8]},
            "cost_sek": plan.summary["cost"], **{k: figures[k] for k in EFFECT_KEYS},
            "effect_parameters": {**asdict(effects), "sources": EFFECT_SOURCES},
            "shortage_source": _shortage_source(region),
            "method": plan.method, "checker_ok": ok,
            "rotation": _rotation(region, problem, plan, min_weeks_unemployed)}


def _shortage_source(region: ChainRegion) -> str:
    forecast = region.shortage
    if forecast is None:
        return "no forecast inputs in the database: no position counts as shortage"
    return ("Kedja's regional forecast: gap (demand − supply) by occupation and municipality in "
            f"{forecast.year}")


RATE_SOURCES = {
    "completion_rate": "SCB, Examensgraden inom yrkeshögskolan 2016–2020: 71.6 % had graduated in 2020",
    "retention_rate": "setting (no regional source yet): 0.9 of movers and entrants stay the year",
    "attrition_rate": "setting (no regional source yet): 0.05 of employees leave the region's jobs a year",
    "substitute_hire_rate": "IFAU Rapport 2005:10 (Friårets arbetsmarknadseffekter): substitutes spent 23 "
                            "fewer days in unemployment or programmes the year after, 23/365 = 0.063",
}
"""Where each simulation rate comes from when it is not estimated from the database."""


def recorded_rates(engine: Engine) -> dict[str, tuple[float, str]]:
    """Yearly rates estimated from the database, each with how it was estimated.

    - ``inflow_rate``: job seekers who registered in the last year over all job seekers now (in
      a steady state, the yearly inflow as a share of the stock);
    - ``seeker_exit_rate``: of the people followed up 365 days after leaving a programme with a
      known status, the share studying or outside the labour force (left without work);
    - ``retirement_rate``: the forecast's retirements in its first year over the employed
      (:mod:`kedja.services.chains_forecast`).

    Counts only: no person is read, nothing is audited.
    """
    rates: dict[str, tuple[float, str]] = {}
    with session_scope(engine) as session:
        today = reference_date(session)
        stock, recent = flows.job_seeker_registrations(session, today)
        outcomes = flows.outcome_counts(session, 365)
    if stock:
        rates["inflow_rate"] = (round(recent / stock, 3), f"database: {recent} of {stock} job seekers "
                                                          f"registered in the year before {today}")
    known = sum(n for status, n in outcomes.items() if status != "unknown")
    if known:
        left = outcomes.get("studying", 0) + outcomes.get("outside_labour_force", 0)
        rates["seeker_exit_rate"] = (round(left / known, 3), f"database: {left} of {known} followed up "
                                                             "365 days after exit were studying or outside "
                                                             "the labour force")
    forecast = _forecast_shortage(engine)
    if forecast is not None and forecast.retirement_rate > 0:
        rates["retirement_rate"] = (forecast.retirement_rate, "Kedja's regional forecast: first-year "
                                                              "retirements over the employed")
    return rates


def simulate_region_chains(engine: Engine, *, years: int = 5, runs: int = 20, seed: int = 0,
                           budget: float | None = None,
                           progress: Callable[[str, int, int], None] | None = None,
                           **rates: float) -> dict[str, Any]:
    """The three strategies over ``years`` on the database's region: per year, mean and 10–90 % band.

    ``rates`` are :class:`~kedja.chains.simulate.SimulationSettings` fields (completion_rate, ...);
    those not given are estimated from the database where it records them
    (:func:`recorded_rates`), else the defaults with the sources of :data:`RATE_SOURCES`.
    ``progress(stage, done, total)`` reports the stages ("region", "runs").
    """
    if progress is not None:
        progress("region", 0, 1)
    region, problem = load_chain_region(engine, budget=budget)
    recorded = recorded_rates(engine)
    given = {k: v for k, v in rates.items() if v is not None}
    chosen = {**{k: v for k, (v, _) in recorded.items()}, **given}
    sources = {**RATE_SOURCES, **{k: why for k, (_, why) in recorded.items()},
               **{k: "given on the command line" for k in given}}
    settings = SimulationSettings(years=years, runs=runs, seed=seed, course_weeks=region.course_weeks(),
                                  **chosen)  # type: ignore[arg-type]
    if progress is not None:
        progress("region", 1, 1)
    result = simulate_strategies(problem, settings, progress=None if progress is None
                                 else lambda done, total: progress("runs", done, total))
    return {"years": years, "runs": runs, "seed": seed, "strategies": list(STRATEGIES),
            "settings": {k: v for k, v in vars(settings).items() if k != "course_weeks"},
            "sources": {k: sources[k] for k in sorted(sources) if k in vars(settings)},
            "yearly": result.yearly, "checker_ok": result.checker_ok,
            "first_year": region.today.year + 1}


CACHE_SECONDS = 86_400.0
"""The region's plan is costly (half a minute to a minute on the demo region): it is computed in
the background when the server starts and kept a day; the services that change the region's data
drop it at once (:func:`kedja.services.cache.invalidate`)."""


def region_and_plan(engine: Engine, progress: Callable[[str, float], None] | None = None
                    ) -> tuple[ChainRegion, ChainProblem, dict[str, Any]]:
    """The region, its problem and its plan with the counterfactuals, computed once and kept."""
    def compute() -> tuple[ChainRegion, ChainProblem, dict[str, Any]]:
        step = progress or (lambda _step, _share: None)
        step("reading the region and matching job seekers", 0.05)
        region, problem = load_chain_region(engine)
        step("planning chains and the counterfactuals", 0.6)
        return region, problem, _planned(region, problem, EXACT_LIMIT, None)
    return cached(engine, "chains_plan", compute, seconds=CACHE_SECONDS)


def region_plan_ready(engine: Engine) -> tuple[ChainRegion, ChainProblem, dict[str, Any]] | None:
    """The kept plan if it is there, else None (never computes, never waits)."""
    return peek(engine, "chains_plan", seconds=CACHE_SECONDS)
