"""Long jobs in the background, with progress: the web app keeps serving while one runs.

A job is a row in ``jobs`` (queued → running → done or failed, with its progress, current step
and result) and a daemon thread of the web process that does the work in its own transactions.
Progress is written in short transactions of its own, so a status request sees it at once.
A job left running by a process that died stays ``running``; :func:`fail_orphaned_jobs`
(run at web start-up) marks such jobs failed.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, update

from kedja.core.access import Permission, Principal, require_permission
from kedja.core.audit import AuditAction, AuditEntry
from kedja.core.errors import InvalidInput, KedjaError, NotFound
from kedja.services.matching import AUDIT_DIMENSIONS, run_allocation
from kedja.store import records, session_scope
from kedja.store import tables as t

__all__ = ["JobStatus", "fail_orphaned_jobs", "job_status", "start_allocation_job",
           "start_chain_simulation_job"]


@dataclass(frozen=True)
class JobStatus:
    """Where a job stands."""

    id: str
    kind: str
    state: str
    progress: float
    step: str
    created: datetime
    finished: datetime | None
    result: dict[str, Any] | None
    error: str | None


def _status(row: t.JobRow) -> JobStatus:
    return JobStatus(row.id, row.kind, row.state, row.progress, row.step, row.created,
                     row.finished, row.result, row.error)


def _update(engine: Engine, job_id: str, **values: Any) -> None:
    with session_scope(engine) as session:
        session.execute(update(t.JobRow).where(t.JobRow.id == job_id).values(**values))


def _run(engine: Engine, job_id: str, work: Callable[[Callable[[str, float], None]], dict[str, Any]]
         ) -> None:
    _update(engine, job_id, state="running", step="starting")
    try:
        result = work(lambda step, share: _update(engine, job_id, step=step, progress=share))
    except KedjaError as error:
        _update(engine, job_id, state="failed", error=str(error), finished=datetime.now(UTC))
    except Exception as error:  # a job must end in a state, whatever went wrong
        _update(engine, job_id, state="failed", error=f"internal error: {type(error).__name__}",
                finished=datetime.now(UTC))
    else:
        _update(engine, job_id, state="done", progress=1.0, step="done", result=result,
                finished=datetime.now(UTC))


def start_allocation_job(engine: Engine, principal: Principal, *, scenario: str = "huvudkörning",
                         long_term_priority: float = 1.0, band: str | None = None) -> JobStatus:
    """Queue a region-wide allocation run and start it in the background; audited.

    ``band`` keeps every group of one audit dimension at four fifths of its fair share
    (see :func:`kedja.services.matching.run_allocation`).

    Raises:
        Forbidden: the principal may not run allocations.
        InvalidInput: ``band`` is not an audit dimension (checked before the job starts).
    """
    require_permission(principal, Permission.RUN_ALLOCATION)
    if band is not None and band not in AUDIT_DIMENSIONS:
        raise InvalidInput(f"{band!r} is not an audit dimension", field="band", value=band,
                           hint=f"use one of {', '.join(AUDIT_DIMENSIONS)}")
    job_id, now = f"JOB-{secrets.token_hex(6)}", datetime.now(UTC)
    with session_scope(engine) as session:
        row = t.JobRow(id=job_id, kind="allocation", state="queued", progress=0.0, step="queued",
                       created_by=principal.username, created=now, finished=None, result=None,
                       error=None)
        session.add(row)
        records.append_audit(session, [AuditEntry(
            at=now, actor=principal.username, organisation_id=principal.organisation_id,
            action=AuditAction.WRITE, subject_type="job", subject_id=job_id,
            purpose=f"allocation run {scenario!r} started")])
        status = _status(row)

    def work(progress: Callable[[str, float], None]) -> dict[str, Any]:
        return run_allocation(engine, scenario=scenario, long_term_priority=long_term_priority,
                              band=band, principal=principal, progress=progress)

    threading.Thread(target=_run, args=(engine, job_id, work), name=job_id, daemon=True).start()
    return status


KIND_PERMISSION = {"allocation": Permission.RUN_ALLOCATION, "chains_simulation": Permission.READ_AGGREGATES}
"""The permission that starts and reads each kind of job (a simulation's result is aggregates only)."""


def start_chain_simulation_job(engine: Engine, principal: Principal, *, years: int = 5, runs: int = 10,
                               seed: int = 0) -> JobStatus:
    """Queue a simulation of the three chain strategies and start it in the background; audited."""
    from kedja.chains.simulate import SimulationSettings
    from kedja.services.chains import simulate_region_chains

    require_permission(principal, KIND_PERMISSION["chains_simulation"])
    SimulationSettings(years=years, runs=runs, seed=seed)  # bad input fails here, not in the thread
    status = _queued(engine, principal, "chains_simulation", f"chain simulation {years} years × {runs} runs")

    def work(progress: Callable[[str, float], None]) -> dict[str, Any]:
        def report(stage: str, done: int, total: int) -> None:
            share = 0.1 * done / total if stage == "region" else 0.1 + 0.9 * done / total
            label = "reading the region and matching job seekers" if stage == "region" else "simulating runs"
            progress(label, share)
        return simulate_region_chains(engine, years=years, runs=runs, seed=seed, progress=report)

    threading.Thread(target=_run, args=(engine, status.id, work), name=status.id, daemon=True).start()
    return status


def _queued(engine: Engine, principal: Principal, kind: str, what: str) -> JobStatus:
    job_id, now = f"JOB-{secrets.token_hex(6)}", datetime.now(UTC)
    with session_scope(engine) as session:
        row = t.JobRow(id=job_id, kind=kind, state="queued", progress=0.0, step="queued",
                       created_by=principal.username, created=now, finished=None, result=None, error=None)
        session.add(row)
        records.append_audit(session, [AuditEntry(
            at=now, actor=principal.username, organisation_id=principal.organisation_id,
            action=AuditAction.WRITE, subject_type="job", subject_id=job_id, purpose=f"{what} started")])
        return _status(row)


def job_status(engine: Engine, principal: Principal, job_id: str) -> JobStatus:
    """A job's state, progress and (when done) result.

    Raises:
        NotFound: no job has this id.
        Forbidden: the principal may not start jobs of this kind (an analyst and an allocation).
    """
    with session_scope(engine) as session:
        row = session.get(t.JobRow, job_id)
        if row is None:
            raise NotFound(f"no job has the id {job_id!r}", field="job_id", value=job_id,
                           hint="use the id returned when the job was started")
        require_permission(principal, KIND_PERMISSION.get(row.kind, Permission.RUN_ALLOCATION))
        return _status(row)


def fail_orphaned_jobs(engine: Engine) -> int:
    """Mark jobs left queued or running by a stopped process as failed; how many."""
    with session_scope(engine) as session:
        result = session.execute(update(t.JobRow).where(t.JobRow.state.in_(("queued", "running")))
                                 .values(state="failed", error="the server stopped during the job",
                                         finished=datetime.now(UTC)))
        return int(getattr(result, "rowcount", 0) or 0)
