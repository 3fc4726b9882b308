"""Vacancy chains for the region in the database: build the problem, plan, compare, check.

The problem is built simply (and documented so it can be argued with):

- **Employees**: people with status employed; their own position has their occupation, employer
  and municipality.
- **Open positions**: job opportunities with an occupation, one position per unit of capacity;
  shortage positions are those in occupations that also have training leading to them.
- **Upskilling moves**: a training opportunity (course, seats = its capacity, cost, duration)
  leads an employee from their occupation to a position of one of its ``leads_to`` occupations
  in the same municipality, if the employee is not already in it and has the experience the
  course asks for (``requires_experience_in``), and if the move is not down the skill ladder: the
  goal's SSYK major group (first digit; 1 managers, 2 higher education ... 9 elementary) is at
  most the employee's current one, so a software developer is not "upskilled" into a care job.
  At most ``targets`` moves per employee, open positions first.
- **Job seekers**: people without a job; they can fill a position in their municipality whose
  occupation they have worked in (fit 1.0), want (0.8) or that asks for no particular schooling
  (0.5). At most ``targets`` positions per seeker, best fit first.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
from sqlalchemy import Engine

from kedja.chains import ChainPlan, ChainProblem, is_valid_chain_plan, optimise_chains, unplanned_chains
from kedja.chains.optimise import EXACT_LIMIT
from kedja.core.opportunities import Opportunity, OpportunityKind
from kedja.core.people import Person
from kedja.store import loaders, session_scope
from kedja.store import repositories as repo

__all__ = ["CHAIN_KEYS", "plan_region_chains"]

CHAIN_KEYS = ("chains", "upskilled", "job_seekers_entering", "multiplier", "cost_per_entrant",
              "shortage_positions_filled", "job_seekers_into_freed_jobs", "unplanned_job_seekers_entering",
              "method", "checker_ok")


class _Region:
    """Positions, employees, moves and seeker arcs as lists, turned into a :class:`ChainProblem`."""

    def __init__(self, people: list[Person], jobs: list[Opportunity], open_to_all: set[str]) -> None:
        self.employees = [p for p in people if not p.is_job_seeker]
        self.seekers = [p for p in people if p.is_job_seeker]
        self.positions: list[tuple[str, str, str]] = [  # (occupation, municipality, label)
            (str(p.situation.occupation_code), p.municipality_code, f"job of {p.id}") for p in self.employees]
        for job in jobs:
            labels = [job.id] if job.capacity == 1 else [f"{job.id}#{k + 1}" for k in range(job.capacity)]
            self.positions += [(str(job.occupation_code), job.municipality_code, label) for label in labels]
        self.n_held = len(self.employees)
        self.by_place: dict[tuple[str, str], list[int]] = defaultdict(list)
        for index in range(len(self.positions) - 1, -1, -1):  # open positions first in each list
            occupation, municipality, _ = self.positions[index]
            self.by_place[occupation, municipality].append(index)
        self.open_to_all = open_to_all

    def moves(self, courses: list[Opportunity], targets: int) -> list[tuple[int, int, int, float]]:
        found: list[tuple[int, int, int, float]] = []
        for e, person in enumerate(self.employees):
            options = [(p, c) for c, course in enumerate(courses)
                       for p in self._places(person, course, targets)]
            options.sort(key=lambda pc: pc[0] < self.n_held)  # open positions first
            found += [(e, p, c, float(courses[c].training.cost_sek))  # type: ignore[union-attr]
                      for p, c in options[:targets] if p != e]
        return found

    def _places(self, person: Person, course: Opportunity, targets: int) -> list[int]:
        """Positions ``course`` could lead ``person`` to (see the module docstring's rules)."""
        assert course.training is not None
        current = str(person.situation.occupation_code)
        need = course.training.requires_experience_in
        if current in course.training.leads_to or (need and current not in need):
            return []
        return [p for goal in course.training.leads_to if goal[0] <= current[0]  # SSYK: lower asks more
                for p in self.by_place.get((goal, person.municipality_code), [])[:targets]]

    def seeker_arcs(self, targets: int) -> list[tuple[int, int, float]]:
        arcs = []
        for s, person in enumerate(self.seekers):
            fits: dict[str, float] = {str(o.occupation_code): 1.0 for o in person.past_occupations}
            for wanted in person.preferences.occupations:
                fits.setdefault(str(wanted), 0.8)
            for anyone in self.open_to_all:
                fits.setdefault(anyone, 0.5)
            chosen = [(p, fit) for code, fit in sorted(fits.items(), key=lambda kv: -kv[1])
                      for p in self.by_place.get((code, person.municipality_code), [])]
            arcs += [(s, p, fit) for p, fit in chosen[:targets]]
        return arcs

    def problem(self, courses: list[Opportunity], targets: int, budget: float | None,
                max_chain_length: int | None) -> ChainProblem:
        moves = np.array(self.moves(courses, targets), dtype=float).reshape(-1, 4)
        arcs = np.array(self.seeker_arcs(targets), dtype=float).reshape(-1, 3)
        n = len(self.positions)
        shortage_codes = {code for course in courses if course.training for code in course.training.leads_to}
        return ChainProblem(
            n_positions=n, open_position=np.arange(n) >= self.n_held,
            shortage=np.array([occ in shortage_codes for occ, _, _ in self.positions], bool).reshape(n),
            own_position=np.arange(self.n_held), move_employee=moves[:, 0].astype(np.int64),
            move_position=moves[:, 1].astype(np.int64), move_course=moves[:, 2].astype(np.int64),
            move_cost=moves[:, 3], course_seats=np.array([c.capacity for c in courses], np.int64),
            n_seekers=len(self.seekers), seeker=arcs[:, 0].astype(np.int64),
            seeker_position=arcs[:, 1].astype(np.int64), seeker_fit=arcs[:, 2],
            budget=budget, max_chain_length=max_chain_length)

    def steps(self, plan: ChainPlan, courses: list[Opportunity]) -> list[dict[str, Any]]:
        return [{"end": chain.end, "steps": [{
            "person_id": (self.seekers if s.seeker else self.employees)[s.person].id,
            "job_seeker": s.seeker, "position": self.positions[s.position][2],
            "occupation_code": self.positions[s.position][0],
            "municipality_code": self.positions[s.position][1],
            "course_id": courses[s.course].id if s.course >= 0 else None, "cost_sek": s.cost,
        } for s in chain.steps]} for chain in plan.chains]


def plan_region_chains(engine: Engine, *, budget: float | None = None, max_chain_length: int | None = None,
                       targets: int = 5, exact_limit: int = EXACT_LIMIT) -> dict[str, Any]:
    """The planned chains of the database's region, the unplanned baseline's entries and the check.

    ``exact_limit`` is passed to :func:`~kedja.chains.optimise_chains` (0: never the MIP).
    """
    with session_scope(engine) as session:
        people = loaders.list_people(session)
        opportunities = loaders.list_opportunities(session)
        open_to_all = {str(o.code) for o in repo.list_occupations(session) if o.no_educational_requirement}
    jobs = [o for o in opportunities if o.kind is OpportunityKind.JOB and o.occupation_code]
    courses = [o for o in opportunities if o.kind is OpportunityKind.TRAINING and o.training]
    region = _Region(people, jobs, open_to_all)
    problem = region.problem(courses, targets, budget, max_chain_length)
    plan, unplanned = optimise_chains(problem, exact_limit=exact_limit), unplanned_chains(problem)
    ok = is_valid_chain_plan(problem, plan) and is_valid_chain_plan(problem, unplanned)
    return {"chains": region.steps(plan, courses), **{k: plan.summary[k] for k in CHAIN_KEYS[1:7]},
            "unplanned_job_seekers_entering": unplanned.summary["job_seekers_entering"],
            "unplanned_multiplier": unplanned.summary["multiplier"], "method": plan.method, "checker_ok": ok}
