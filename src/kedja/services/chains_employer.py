"""An employer's planner: its staff by occupation, each consenting employee's possible steps, saved plans.

For each employee who consented to the employer's workforce planning, the planner lists the steps
the region offers them (the upskilling moves of :mod:`kedja.services.chains`): the course with its
dates and cost, the post it leads to, the substitutes who could stand in during the course (job
seekers whom matching finds fit for the employee's own job, hour for hour: job rotation) and who
could take the job they free (those job seekers, and colleagues with a move into it). Whether the
region's plan uses the step is shown too. Everyone else is counted, never named: other staff by
occupation (counts under five read "<5"), job seekers by how many there are and the best fit.
Each named read is audited (purpose ``workforce_planning``).

A saved plan keeps the chosen steps; shared with the Employment Service office of the employer's
county, it is shown there without names (occupations, courses, dates and the jobs it frees).
"""

from __future__ import annotations

import secrets
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Engine

from kedja.core.access import Permission, Principal, Purpose, Role, require_permission
from kedja.core.audit import AuditAction, AuditEntry
from kedja.core.errors import Forbidden, InvalidInput, NotFound
from kedja.services import cache, gate
from kedja.services.chains import ChainRegion, region_and_plan, region_plan_ready
from kedja.services.chains_views import chain_names, chain_region_progress, suppressed, warm_chain_region
from kedja.services.gate import audit_reads
from kedja.services.identity import person_names
from kedja.store import chain_plans, records, session_scope

__all__ = ["employer_chain_plan", "list_chain_plans", "save_chain_plan", "share_chain_plan"]

STEPS_PER_EMPLOYEE = 3
"""Possible steps shown per employee (the region's plan first, then open posts, then cheapest)."""


def _employer(principal: Principal, organisation_id: str | None) -> str:
    require_permission(principal, Permission.PLAN_WORKFORCE)
    employer = organisation_id or principal.organisation_id
    if Role.ADMIN not in principal.roles and employer != principal.organisation_id:
        raise Forbidden(f"an employer's planner shows its own staff only, not {employer!r}",
                        field="organisation_id", value=employer, hint="leave organisation_id out")
    return employer


def employer_chain_plan(engine: Engine, principal: Principal, organisation_id: str | None = None, *,
                        wait: bool = True) -> dict[str, Any]:
    """The employer's staff by occupation with each consenting employee's possible steps (see module).

    With ``wait`` false and the region's plan not computed yet, returns ``{"ready": False, ...}``.
    """
    employer = _employer(principal, organisation_id)
    kept = region_plan_ready(engine)
    if kept is None and not wait and cache.enabled():
        warm_chain_region(engine)
        step, share = chain_region_progress(engine)
        return {"ready": False, "organisation_id": employer, "step": step, "progress": share}
    region, problem, plan = kept or region_and_plan(engine)
    names = chain_names(engine)
    staff = [e for e, p in enumerate(region.employees) if p.situation.employer_id == employer]
    planned = _planned_moves(plan)
    with session_scope(engine) as session:  # the gate's answer and the named reads audited together
        # named: the staff the gate opens to the reader for workforce planning (their consent to
        # the employer covers it); an admin reads no records, so sees no names
        named = set(gate.visible_people(session, principal, Purpose.WORKFORCE_PLANNING,
                                        among={region.employees[e].id for e in staff}))
        employer_name = chain_plans.organisation_name(session, employer) or employer
        steps = _StepFinder(region, problem, planned, names)
        people = [steps.employee(e) for e in staff if region.employees[e].id in named]
        audit_reads(session, principal, sorted(p["person_id"] for p in people), Purpose.WORKFORCE_PLANNING)
        plans = [p for p in chain_plans.list_plans(session, employer) if p["organisation_id"] == employer]
    if people:  # their names, read through the gate with the records just audited
        shown = person_names(engine, principal, [p["person_id"] for p in people],
                             purpose=Purpose.WORKFORCE_PLANNING)
        people = [{**p, "name": shown.get(p["person_id"], p["name"])} for p in people]
    by_occupation: Counter[str] = Counter(str(region.employees[e].situation.occupation_code) for e in staff)
    named_by_occupation: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for person in people:
        named_by_occupation[person["occupation_code"]].append(person)
    occupations: list[dict[str, Any]] = []
    for code, n in by_occupation.most_common():
        in_occupation = named_by_occupation.get(code, [])
        with_steps = [p for p in in_occupation if p["steps"]]
        without = len(in_occupation) - len(with_steps)
        occupations.append({"occupation_code": code, "name": names["occupations"].get(code, code),
                            "staff": suppressed(n), "named": with_steps,
                            "named_without_steps": suppressed(without) if without else 0})
    occupations.sort(key=lambda o: not o["named"])  # occupations with steps first, then by size
    return {"ready": True, "organisation_id": employer, "organisation_name": employer_name,
            "staff": suppressed(len(staff)), "consenting": suppressed(len(people)),
            "with_steps": suppressed(sum(1 for p in people if p["steps"])),
            "occupations": occupations, "plans": plans}


def _planned_moves(plan: dict[str, Any]) -> set[tuple[str, str | None, str]]:
    """(person, course, position) of every move in the region's plan."""
    return {(s["person_id"], s["course_id"], s["position"]) for c in plan["chains"] for s in c["steps"]
            if not s["job_seeker"]}


class _StepFinder:
    """Each employee's possible steps with course, dates, cost, substitutes and who takes the freed job."""

    def __init__(self, region: ChainRegion, problem: Any, planned: set[tuple[str, str | None, str]],
                 names: dict[str, Any]) -> None:
        self.region, self.problem, self.planned, self.names = region, problem, planned, names
        order = np.argsort(problem.move_employee, kind="stable")
        self.move_order, self.move_starts = order, np.searchsorted(
            problem.move_employee[order], np.arange(problem.n_employees + 1))
        self.seekers_at = np.bincount(problem.seeker_position, minlength=problem.n_positions)
        best = np.zeros(problem.n_positions)
        np.maximum.at(best, problem.seeker_position, problem.seeker_fit)
        self.best_fit = best
        self.movers_into = Counter(problem.move_position.tolist())

    def employee(self, e: int) -> dict[str, Any]:
        person = self.region.employees[e]
        code = str(person.situation.occupation_code)
        arcs = self.move_order[self.move_starts[e]:self.move_starts[e + 1]].tolist()
        steps = sorted((self.step(e, k) for k in arcs),
                       key=lambda s: (not s["in_region_plan"], not s["open_post"], s["cost_sek"]))
        return {"person_id": person.id, "name": getattr(person, "name", None), "occupation_code": code,
                "occupation_name": self.names["occupations"].get(code, code),
                "municipality": self.names["places"].get(person.municipality_code, {}).get("name"),
                "hours_per_week": person.constraints.hours_per_week, "steps": steps[:STEPS_PER_EMPLOYEE]}

    def step(self, e: int, k: int) -> dict[str, Any]:
        p, c = int(self.problem.move_position[k]), int(self.problem.move_course[k])
        course = self.region.courses[c]
        goal, _, label, employer = self.region.positions[p]
        start = course.starts or self.region.today
        weeks = course.training.duration_weeks if course.training else 0
        return {
            "course_id": course.id, "course_title": course.title, "weeks": weeks,
            "from": start.isoformat(), "to": (start + timedelta(weeks=weeks)).isoformat(),
            # the post by its index, never its label: a colleague's post is labelled with their id
            "cost_sek": float(self.problem.move_cost[k]), "position": str(p),
            "occupation_code": goal, "occupation_name": self.names["occupations"].get(goal, goal),
            "open_post": bool(self.problem.open_position[p]), "post_employer_id": employer or None,
            "in_region_plan": (self.region.employees[e].id, course.id, label) in self.planned,
            # the employee's own job: who could stand in during the course and take it afterwards
            "substitutes": int(self.seekers_at[e]), "best_substitute_fit": round(float(self.best_fit[e]), 2),
            "colleagues_who_could_move_in": int(self.movers_into.get(e, 0)),
        }


def save_chain_plan(engine: Engine, principal: Principal, *, title: str, steps: list[str],
                    organisation_id: str | None = None) -> dict[str, Any]:
    """Save the chosen steps (each ``person_id|course_id|position``) as the employer's plan; audited.

    Raises:
        InvalidInput: no step, or a step that is not one of the employer's possible steps.
    """
    employer = _employer(principal, organisation_id)
    title = title.strip()
    if not steps or not title:
        raise InvalidInput("a plan needs a title and at least one step", field="steps" if title else "title",
                           hint="tick the steps to keep and give the plan a title")
    view = employer_chain_plan(engine, principal, employer)
    offered = {f"{p['person_id']}|{s['course_id']}|{s['position']}": (p, s)
               for o in view["occupations"] for p in o["named"] for s in p["steps"]}
    unknown = [s for s in steps if s not in offered]
    if unknown:
        raise InvalidInput(f"'{unknown[0]}' is not one of your staff's possible steps", field="steps",
                           value=unknown[0], hint="choose steps from the planner")
    chosen = [{**{k: s[k] for k in ("course_id", "course_title", "weeks", "from", "to", "cost_sek",
                                    "occupation_code", "occupation_name", "open_post", "substitutes",
                                    "best_substitute_fit")},
               "person_id": p["person_id"], "from_occupation_code": p["occupation_code"],
               "from_occupation_name": p["occupation_name"], "municipality": p["municipality"],
               "hours_per_week": p["hours_per_week"]} for p, s in (offered[k] for k in dict.fromkeys(steps))]
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        plan = chain_plans.add_plan(session, plan_id=f"CP-{secrets.token_hex(6)}", organisation_id=employer,
                                    title=title[:255], created_by=principal.username, created=now,
                                    steps=chosen)
        audit_reads(session, principal, sorted({s["person_id"] for s in chosen}), Purpose.WORKFORCE_PLANNING)
    return plan


def _office_for(session: Any, employer: str) -> str:
    """The Employment Service office of the employer's county (``AF`` + county code)."""
    office = f"AF{(chain_plans.organisation_municipality(session, employer) or '')[:2]}"
    if records.organisation_kind(session, office) != "employment_service":
        raise NotFound(f"no Employment Service office {office!r} for the county of {employer!r}",
                       field="organisation_id", value=employer,
                       hint="add the county's office to the directory")
    return office


def share_chain_plan(engine: Engine, principal: Principal, plan_id: str) -> dict[str, Any]:
    """Share a saved plan with the Employment Service office of the employer's county; audited.

    The office sees the plan without names. Raises NotFound for a plan of another employer (the
    same as for none).
    """
    require_permission(principal, Permission.PLAN_WORKFORCE)
    with session_scope(engine) as session:
        row = chain_plans.get_plan(session, plan_id)
        mine = row is not None and (Role.ADMIN in principal.roles
                                    or row.organisation_id == principal.organisation_id)
        if row is None or not mine:
            raise NotFound(f"no plan {plan_id!r} of yours", field="plan_id", value=plan_id,
                           hint="share a plan your organisation saved")
        chain_plans.share_plan(session, row, _office_for(session, row.organisation_id), datetime.now(UTC))
        records.append_audit(session, [_share_entry(principal, plan_id, row.shared_with or "")])
        return chain_plans.plan_dict(row)


def _share_entry(principal: Principal, plan_id: str, office: str) -> AuditEntry:
    return AuditEntry(at=datetime.now(UTC), actor=principal.username,
                      organisation_id=principal.organisation_id,
                      action=AuditAction.WRITE, subject_type="chain_plan", subject_id=plan_id,
                      purpose=f"workforce plan shared with {office}")


def list_chain_plans(engine: Engine, principal: Principal) -> list[dict[str, Any]]:
    """Plans the user's organisation saved (with names) or that were shared with it (without names)."""
    require_permission(principal, Permission.READ_AGGREGATES)
    with session_scope(engine) as session:
        plans = chain_plans.list_plans(session, principal.organisation_id)
        for plan in plans:
            plan["organisation_name"] = chain_plans.organisation_name(session, plan["organisation_id"])
    return [plan if plan["organisation_id"] == principal.organisation_id else _without_names(plan)
            for plan in plans]


def _without_names(plan: dict[str, Any]) -> dict[str, Any]:
    return {**plan, "steps": [{k: v for k, v in s.items() if k != "person_id"} for s in plan["steps"]]}
