"""Score weights calibrated on recorded outcomes, versioned in the algorithm register, approved by a person.

``calibrate`` fits the weights (``kedja.matching.calibration``) on the outcomes recorded 180
days after the steps of an allocation, runs the allocation with the fitted weights beside the
current ones, and stores the result as a new version: *proposed* when the equal-treatment audit
is no worse, *refused* when it is. ``approve_weights`` (a person holding the
``approve_algorithm`` permission) puts a proposed version in use; matching reads the approved
version from then on. ``record_demo_outcomes`` draws the demo region's outcomes from the
documented model in ``kedja.demo.outcomes`` (labelled demo).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from kedja.core.access import Permission, Principal, require_permission
from kedja.core.errors import Conflict, InvalidInput, NotFound
from kedja.demo.outcomes import DEMO_OUTCOME_PREFIX, GENERATING_LOGITS, INTERCEPT, draw_outcomes
from kedja.matching import allocate_region, audit_allocation, placed_kinds, prepare_matching
from kedja.matching.calibration import MIN_SAMPLE, audit_verdict, fit_weights
from kedja.matching.scoring import FACTORS, WEIGHTS
from kedja.store import loaders, session_scope
from kedja.store import repositories as repo
from kedja.store import tables as t

__all__ = ["approve_weights", "calibrate", "current_weights", "record_demo_outcomes", "weight_versions"]

SUCCESS = ("working", "studying")


def current_weights(session: Session) -> dict[str, float]:
    """The approved weights of the register's newest approved version, else the hand-set ``WEIGHTS``."""
    row = session.scalars(select(t.ScoreWeightsRow).where(t.ScoreWeightsRow.status == "approved")
                          .order_by(t.ScoreWeightsRow.version.desc()).limit(1)).first()
    return dict(row.weights) if row is not None else dict(WEIGHTS)


def _latest_allocation(session: Session, allocation_id: str | None) -> str:
    if allocation_id is not None:
        if session.get(t.AllocationRow, allocation_id) is None:
            raise NotFound(f"no allocation has the id {allocation_id!r}", field="allocation_id",
                           value=allocation_id, hint="list allocations at /api/v1/allocations")
        return allocation_id
    found = session.scalar(select(t.AllocationRow.id).order_by(t.AllocationRow.created_at.desc()).limit(1))
    if found is None:
        raise NotFound("no allocation has been run", field="allocation_id",
                       hint="run kedja match --db DB first")
    return found


def record_demo_outcomes(engine: Engine, *, allocation_id: str | None = None, seed: int = 42,
                         logits: dict[str, float] | None = None,
                         intercept: float = INTERCEPT) -> dict[str, Any]:
    """Draw the demo's 180-day outcomes for an allocation's placements (the latest by default).

    Only in a demo database. Earlier demo outcomes are replaced; the model is recorded with them.
    """
    model = logits or GENERATING_LOGITS
    with session_scope(engine) as session:
        info = repo.get_info(session, "demo")
        if info is None:
            raise InvalidInput("demo outcomes are only drawn in a demo database", field="--db",
                               hint="record real outcomes through follow-up instead")
        today = datetime.fromisoformat(json.loads(info)["today"]).date() if "today" in json.loads(info) \
            else datetime.now(UTC).date()
        allocation = _latest_allocation(session, allocation_id)
        a = t.AllocationAssignmentRow
        rows = session.execute(select(a.person_id, a.opportunity_id, a.factors)
                               .where(a.allocation_id == allocation).order_by(a.person_id)).all()
        _clear_demo_outcomes(session)
        factors = {f: np.array([r[2][f] for r in rows]) for f in model}
        success = draw_outcomes(factors, np.random.default_rng(seed), model, intercept)
        kinds = dict(session.execute(select(t.OpportunityRow.id, t.OpportunityRow.kind)).all())
        start, end = today - timedelta(days=400), today - timedelta(days=200)
        enrolments, exits, outcomes = [], [], []
        for i, ((person, opportunity, _), ok) in enumerate(zip(rows, success, strict=True)):
            eid = f"{DEMO_OUTCOME_PREFIX}{i:06d}"
            studies = kinds.get(opportunity) == "training"
            enrolments.append({"id": eid, "person_id": person, "opportunity_id": opportunity,
                               "start": start, "end": end})
            exits.append({"enrolment_id": eid, "person_id": person, "on": end,
                          "destination": ("studies" if studies else "work") if ok else "other"})
            outcomes.append({"enrolment_id": eid, "person_id": person, "days_after_exit": 180,
                             "status": ("studying" if studies else "working") if ok else "unemployed"})
        repo.insert_many(session, t.EnrolmentRow, enrolments)
        repo.insert_many(session, t.ExitRow, exits)
        repo.insert_many(session, t.OutcomeRow, outcomes)
        repo.set_info(session, "demo_outcome_model", json.dumps({"logits": model, "intercept": intercept,
                                                                 "seed": seed, "allocation_id": allocation}))
    return {"allocation_id": allocation, "outcomes": len(outcomes), "working_or_studying": int(success.sum()),
            "model": {"logits": model, "intercept": intercept}, "demo": True}


def _clear_demo_outcomes(session: Session) -> None:
    like = f"{DEMO_OUTCOME_PREFIX}%"
    session.execute(delete(t.OutcomeRow).where(t.OutcomeRow.enrolment_id.like(like)))
    session.execute(delete(t.ExitRow).where(t.ExitRow.enrolment_id.like(like)))
    session.execute(delete(t.EnrolmentRow).where(t.EnrolmentRow.id.like(like)))


def _samples(session: Session) -> tuple[np.ndarray, np.ndarray, list[str], int]:
    """Factor rows, outcomes and municipalities of the steps with a 180-day outcome and a breakdown."""
    o, e, a, p = t.OutcomeRow, t.EnrolmentRow, t.AllocationAssignmentRow, t.PersonRow
    outcomes = session.execute(select(e.person_id, e.opportunity_id, o.status, o.enrolment_id,
                                      p.municipality_code)
                               .join(e, e.id == o.enrolment_id).join(p, p.id == e.person_id)
                               .where(o.days_after_exit == 180)).all()
    breakdown: dict[tuple[str, str], dict[str, float]] = {}
    for person, opportunity, factors in session.execute(
            select(a.person_id, a.opportunity_id, a.factors)
            .join(t.AllocationRow, t.AllocationRow.id == a.allocation_id)
            .order_by(t.AllocationRow.created_at)):
        breakdown[(person, opportunity)] = factors
    rows, y, groups, demo = [], [], [], 0
    for person, opportunity, status, enrolment, municipality in outcomes:
        factors = breakdown.get((person, opportunity))
        if factors is None or status == "unknown":
            continue
        rows.append([factors[f] for f in FACTORS])
        y.append(1 if status in SUCCESS else 0)
        groups.append(municipality)
        demo += enrolment.startswith(DEMO_OUTCOME_PREFIX)
    return np.array(rows, dtype=float).reshape(-1, len(FACTORS)), np.array(y), groups, demo


def _audit_ratios(session: Session, prepared: Any, weights: dict[str, float]) -> tuple[dict[str, Any], float]:
    from kedja.services.matching import _groups

    scoring = dataclasses.replace(prepared.scoring, weights=dict(weights))
    result = allocate_region(dataclasses.replace(prepared, scoring=scoring))
    chosen = result.optimal
    kinds = placed_kinds(prepared, chosen)
    fits = [float(result.problem.fit[x]) if x >= 0 else 0.0 for x in chosen.arc_of]
    groups = _groups(loaders.list_protected(session, job_seekers_only=True), prepared.data.today)
    audit = audit_allocation(person_ids=prepared.people.ids, placed_kind=kinds, fit=fits, groups=groups)
    return {d: a["ratios"] for d, a in audit.items()}, float(chosen.placed)


def calibrate(engine: Engine, *, min_sample: int = MIN_SAMPLE, principal: Principal | None = None,
              seed: int = 42) -> dict[str, Any]:
    """Fit weights on the recorded outcomes, check them against the audit, store a new version."""
    from kedja.services.matching import forecast_shortage, matching_data

    if principal is not None:
        require_permission(principal, Permission.RUN_ALLOCATION)
    shortage = forecast_shortage(engine)
    with session_scope(engine) as session:
        x, y, groups, demo = _samples(session)
        current = current_weights(session)
        fit = fit_weights(x, y, groups, FACTORS, current=current, min_sample=min_sample, seed=seed)
        people = loaders.list_people(session, job_seekers_only=True)
        prepared = prepare_matching(dataclasses.replace(matching_data(session, people, None, shortage),
                                                        weights=current))
        before, placed_before = _audit_ratios(session, prepared, current)
        after, placed_after = _audit_ratios(session, prepared, fit.weights)
        verdict = audit_verdict(before, after)
        version = int(session.scalar(select(func.max(t.ScoreWeightsRow.version))) or 0) + 1
        model = repo.get_info(session, "demo_outcome_model")
        report = {
            "calibration": fit.as_dict(), "current_weights": current, "fitted_weights": fit.weights,
            "audit_before": before, "audit_after": after, "placed_before": placed_before,
            "placed_after": placed_after, "verdict": verdict,
            "demo": bool(demo), "demo_outcomes": demo,
            "demo_model": json.loads(model) if demo and model else None,
        }
        status = "proposed" if verdict["accepted"] else "refused"
        session.add(t.ScoreWeightsRow(version=version, created_at=datetime.now(UTC), status=status,
                                      weights=fit.weights, report=report,
                                      decided_by="audit" if status == "refused" else None,
                                      decided_at=datetime.now(UTC) if status == "refused" else None))
    return {"version": version, "status": status, **report}


def approve_weights(engine: Engine, version: int, principal: Principal) -> dict[str, Any]:
    """Put a proposed version in use; only a person with ``approve_algorithm`` may."""
    require_permission(principal, Permission.APPROVE_ALGORITHM)
    with session_scope(engine) as session:
        row = session.get(t.ScoreWeightsRow, version)
        if row is None:
            raise NotFound(f"the register has no version {version}", field="version", value=version,
                           hint="list the versions with kedja match weights")
        if row.status != "proposed":
            raise Conflict(f"version {version} is {row.status}, not proposed", field="version", value=version,
                           hint="only a proposed calibration (one that kept the audit) can be approved")
        w = t.ScoreWeightsRow
        for previous in session.scalars(select(w).where(w.status == "approved")):
            previous.status = "retired"
        row.status, row.decided_by, row.decided_at = "approved", principal.username, datetime.now(UTC)
        return {"version": version, "status": row.status, "weights": row.weights,
                "approved_by": row.decided_by}


def weight_versions(engine: Engine) -> list[dict[str, Any]]:
    """The register's versions, newest first (version 0 is the hand-set weights)."""
    with session_scope(engine) as session:
        rows = session.scalars(select(t.ScoreWeightsRow).order_by(t.ScoreWeightsRow.version.desc())).all()
        versions = [{"version": r.version, "created_at": r.created_at.isoformat(), "status": r.status,
                     "weights": r.weights, "decided_by": r.decided_by,
                     "cv_auc": r.report["calibration"]["cv_auc"],
                     "baseline_cv_auc": r.report["calibration"]["baseline_cv_auc"],
                     "demo": r.report.get("demo", False)} for r in rows]
    return [*versions, {"version": 0, "status": "hand-set", "weights": dict(WEIGHTS)}]
