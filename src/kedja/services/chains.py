"""Vacancy chains for the region in the database: build the problem, plan, compare, check.

The problem is built as follows (documented so that it can be argued with):

- **Employees**: people with status employed; their own position has their occupation, employer,
  municipality and locality.
- **Open positions**: job opportunities with an occupation, one position per unit of capacity;
  shortage positions are those in occupations that training leads to.
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
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Engine

from kedja.chains import ChainPlan, ChainProblem, is_valid_chain_plan, optimise_chains, unplanned_chains
from kedja.chains.optimise import EXACT_LIMIT
from kedja.chains.rotation import is_valid_rotation, plan_rotation, rotation_for_plan
from kedja.chains.simulate import STRATEGIES, SimulationSettings, simulate_strategies
from kedja.core.access import Permission, Principal, Purpose, Role, require_permission
from kedja.core.errors import Forbidden
from kedja.core.ids import OccupationCode, OpportunityId, OrganisationId, SkillId
from kedja.core.opportunities import Opportunity, OpportunityKind
from kedja.core.people import Person
from kedja.matching import MatchingData, prepare_matching
from kedja.matching.scoring import generate_candidates
from kedja.services.cache import cached
from kedja.services.matching import matching_data
from kedja.services.people import audit_reads
from kedja.store import loaders, records, session_scope

__all__ = [
    "CHAIN_KEYS",
    "RELATED_MOVE",
    "ChainRegion",
    "employer_chain_plan",
    "load_chain_region",
    "plan_region_chains",
    "regional_chain_view",
    "simulate_region_chains",
]

CHAIN_KEYS = ("chains", "upskilled", "job_seekers_entering", "multiplier", "cost_per_entrant",
              "shortage_positions_filled", "job_seekers_into_freed_jobs", "direct_hires",
              "unplanned_job_seekers_entering", "method", "checker_ok")
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
                budget: float | None, max_chain_length: int | None) -> ChainProblem:
        """The engine's problem from the candidate moves and the job seekers' arcs."""
        move_array = np.array(moves, dtype=float).reshape(-1, 4)
        arc_array = np.array(arcs, dtype=float).reshape(-1, 3)
        n = len(self.positions)
        shortage_codes = {code for course in self.courses if course.training
                          for code in course.training.leads_to}
        return ChainProblem(
            n_positions=n, open_position=np.arange(n) >= self.n_held,
            shortage=np.array([p[0] in shortage_codes for p in self.positions], bool).reshape(n),
            own_position=np.arange(self.n_held), move_employee=move_array[:, 0].astype(np.int64),
            move_position=move_array[:, 1].astype(np.int64), move_course=move_array[:, 2].astype(np.int64),
            move_cost=move_array[:, 3], course_seats=np.array([c.capacity for c in self.courses], np.int64),
            n_seekers=len(self.seekers), seeker=arc_array[:, 0].astype(np.int64),
            seeker_position=arc_array[:, 1].astype(np.int64), seeker_fit=arc_array[:, 2],
            move_value=np.full(len(moves), UPSKILLING_VALUE), budget=budget,
            max_chain_length=max_chain_length)

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
                      budget: float | None = None, max_chain_length: int | None = None
                      ) -> tuple[ChainRegion, ChainProblem]:
    """The database's region and its chain problem (see the module docstring)."""
    with session_scope(engine) as session:
        people = loaders.list_people(session)
        data = matching_data(session, [])
        opportunities = data.opportunities
        codes = [o.code for o in data.occupations]
        similarity = {(str(a), str(b)): float(data.similarity[i, j]) for i, a in enumerate(codes)
                      for j, b in enumerate(codes) if data.similarity[i, j] > 0}
        jobs = [o for o in opportunities if o.kind is OpportunityKind.JOB and o.occupation_code]
        courses = [o for o in opportunities if o.kind is OpportunityKind.TRAINING and o.training]
        entry = {str(o.code) for o in data.occupations if o.no_educational_requirement}
        region = ChainRegion(people, jobs, courses, similarity, entry, data.today)
        region.asf_placement = records.current_placements(session, OpportunityKind.ASF_PLACEMENT.value,
                                                          data.today)
    moves = region.moves(targets)
    arcs = _seeker_arcs(region, data, {e for e, _, _, _ in moves}, k)
    return region, region.problem(moves, arcs, budget, max_chain_length)


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
                       min_weeks_unemployed: int | None = None) -> dict[str, Any]:
    """The planned chains of the database's region with job rotation, the unplanned baseline, the check.

    ``exact_limit`` is passed to :func:`~kedja.chains.optimise_chains` (0: never the MIP);
    ``min_weeks_unemployed`` sets the rotation's rule for substitutes (none by default).
    """
    region, problem = load_chain_region(engine, targets=targets, budget=budget,
                                        max_chain_length=max_chain_length)
    return _planned(region, problem, exact_limit, min_weeks_unemployed)


def _planned(region: ChainRegion, problem: ChainProblem, exact_limit: int,
             min_weeks_unemployed: int | None) -> dict[str, Any]:
    plan, unplanned = optimise_chains(problem, exact_limit=exact_limit), unplanned_chains(problem)
    ok = is_valid_chain_plan(problem, plan) and is_valid_chain_plan(problem, unplanned)
    return {"chains": region.steps(plan), **{k: plan.summary[k] for k in CHAIN_KEYS[1:8]},
            "unplanned_job_seekers_entering": unplanned.summary["job_seekers_entering"],
            "unplanned_multiplier": unplanned.summary["multiplier"],
            "unplanned_job_seekers_into_freed_jobs": unplanned.summary["job_seekers_into_freed_jobs"],
            "method": plan.method, "checker_ok": ok,
            "rotation": _rotation(region, problem, plan, min_weeks_unemployed)}


def simulate_region_chains(engine: Engine, *, years: int = 5, runs: int = 20, seed: int = 0,
                           budget: float | None = None,
                           progress: Callable[[int, int], None] | None = None,
                           **rates: float) -> dict[str, Any]:
    """The three strategies over ``years`` on the database's region: per year, mean and 10–90 % band.

    ``rates`` are :class:`~kedja.chains.simulate.SimulationSettings` fields (completion_rate, ...).
    """
    region, problem = load_chain_region(engine, budget=budget)
    settings = SimulationSettings(years=years, runs=runs, seed=seed, course_weeks=region.course_weeks(),
                                  **rates)  # type: ignore[arg-type]
    result = simulate_strategies(problem, settings, progress=progress)
    return {"years": years, "runs": runs, "seed": seed, "strategies": list(STRATEGIES),
            "settings": {k: v for k, v in vars(settings).items() if k != "course_weeks"},
            "yearly": result.yearly, "checker_ok": result.checker_ok,
            "first_year": region.today.year + 1}


SMALL_CELL = 5
"""Counts under this are shown as "<5" in the regional view (small-cell suppression)."""
CACHE_SECONDS = 600.0
"""The region's plan is costly (tens of seconds on the demo region): it is kept ten minutes."""


def _region_and_plan(engine: Engine) -> tuple[ChainRegion, ChainProblem, dict[str, Any]]:
    def compute() -> tuple[ChainRegion, ChainProblem, dict[str, Any]]:
        region, problem = load_chain_region(engine)
        return region, problem, _planned(region, problem, EXACT_LIMIT, None)
    return cached(engine, "chains_plan", compute, seconds=CACHE_SECONDS)


def _suppressed(count: int) -> int | str:
    return count if count >= SMALL_CELL else f"<{SMALL_CELL}"


def regional_chain_view(engine: Engine, principal: Principal) -> dict[str, Any]:
    """The region's chains as aggregates only: figures, and chain patterns by occupation.

    No person is named; pattern counts under five are shown as "<5". A job seeker's step comes
    "from" ``asf_placement`` when they are in an ASF's work-integration placement now.
    """
    require_permission(principal, Permission.READ_AGGREGATES)
    _, _, plan = _region_and_plan(engine)
    patterns: Counter[tuple[tuple[str, str | None], ...]] = Counter()
    for chain in plan["chains"]:
        if len(chain["steps"]) > 1:
            patterns[tuple((s["occupation_code"], s["from_occupation_code"]
                            or ("asf_placement" if s["asf_placement"] else None))
                           for s in chain["steps"])] += 1
    rows = [{"steps": [{"into": into, "from": origin} for into, origin in pattern],
             "chains": _suppressed(n), "end": "job_seeker"} for pattern, n in patterns.most_common()]
    keys = ("upskilled", "job_seekers_entering", "multiplier", "cost_per_entrant",
            "shortage_positions_filled", "job_seekers_into_freed_jobs", "direct_hires",
            "unplanned_job_seekers_entering",
            "unplanned_multiplier", "unplanned_job_seekers_into_freed_jobs", "method", "checker_ok")
    rotation = {k: v for k, v in plan["rotation"].items() if k != "calendar"}
    return {**{k: plan[k] for k in keys}, "patterns": rows, "rotation": rotation}


def employer_chain_plan(engine: Engine, principal: Principal, organisation_id: str | None = None
                        ) -> dict[str, Any]:
    """An employer's planner: its staff by occupation, their possible moves, the chains they start.

    Staff are counted by occupation (counts under five read "<5"); an employee is named only
    when they have consented to the employer seeing their record, and each such read is
    audited. People further down a chain (other employers' staff, job seekers) are shown by
    occupation and municipality only. Employer HR sees its own organisation; an admin may name
    any employer.
    """
    require_permission(principal, Permission.PLAN_WORKFORCE)
    employer = organisation_id or principal.organisation_id
    if Role.ADMIN not in principal.roles and employer != principal.organisation_id:
        raise Forbidden(f"an employer's planner shows its own staff only, not {employer!r}",
                        field="organisation_id", value=employer, hint="leave organisation_id out")
    region, problem, plan = _region_and_plan(engine)
    staff = [e for e, p in enumerate(region.employees) if p.situation.employer_id == employer]
    ids: set[str] = {region.employees[e].id for e in staff}
    by_occupation: Counter[str] = Counter(str(region.employees[e].situation.occupation_code) for e in staff)
    moves: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    for k in np.flatnonzero(np.isin(problem.move_employee, staff)).tolist():
        e, c = int(problem.move_employee[k]), int(problem.move_course[k])
        goal = region.positions[int(problem.move_position[k])][0]
        moves[str(region.employees[e].situation.occupation_code), goal, region.courses[c].title].add(e)
    with session_scope(engine) as session:  # the consents read and the named reads audited together
        named = set(records.consenting_people(session, employer))
        chains = [_anonymised(chain, ids & named) for chain in plan["chains"]
                  if any(not s["job_seeker"] and s["person_id"] in ids for s in chain["steps"])]
        shown = sorted({s["person_id"] for c in chains for s in c["steps"] if s["person_id"]})
        audit_reads(session, principal, shown, Purpose.WORKFORCE_PLANNING)
    return {
        "organisation_id": employer, "staff": _suppressed(len(staff)),
        "occupations": [{"occupation_code": code, "staff": _suppressed(n)}
                        for code, n in by_occupation.most_common()],
        "moves": [{"from_occupation_code": origin, "occupation_code": goal, "course_title": title,
                   "staff": _suppressed(len(who))} for (origin, goal, title), who in sorted(moves.items())],
        "chains": chains,
    }


def _anonymised(chain: dict[str, Any], named: set[str]) -> dict[str, Any]:
    """A chain with everyone not in ``named`` reduced to their step: no id, no position label."""
    def shown(step: dict[str, Any]) -> dict[str, Any]:
        label = step["position"]
        hidden_label = label.startswith("job of ") and label.removeprefix("job of ") not in named
        if step["person_id"] in named:
            return {**step, "position": None if hidden_label else label}
        return {**step, "person_id": None, "position": None,
                "employer_id": None if step["job_seeker"] else step["employer_id"]}
    return {"end": chain["end"], "steps": [shown(s) for s in chain["steps"]]}
