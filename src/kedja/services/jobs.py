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
from kedja.core.errors import KedjaError, NotFound
from kedja.services.matching import run_allocation
from kedja.store import records, session_scope
from kedja.store import tables as t

__all__ = ["JobStatus", "fail_orphaned_jobs", "job_status", "start_allocation_job"]


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


def start_allocation_job(engine: Engine, principal: Principal, *, scenario: str = "baseline",
                         long_term_priority: float = 1.0) -> JobStatus:
    """Queue a region-wide allocation run and start it in the background; audited.

    Raises:
        Forbidden: the principal may not run allocations.
    """
    require_permission(principal, Permission.RUN_ALLOCATION)
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
                              principal=principal, progress=progress)

    threading.Thread(target=_run, args=(engine, job_id, work), name=job_id, daemon=True).start()
    return status


def job_status(engine: Engine, principal: Principal, job_id: str) -> JobStatus:
    """A job's state, progress and (when done) result.

    Raises:
        Forbidden: the principal may not run allocations.
        NotFound: no job has this id.
    """
    require_permission(principal, Permission.RUN_ALLOCATION)
    with session_scope(engine) as session:
        row = session.get(t.JobRow, job_id)
        if row is None:
            raise NotFound(f"no job has the id {job_id!r}", field="job_id", value=job_id,
                           hint="use the id returned when the job was started")
        return _status(row)


def fail_orphaned_jobs(engine: Engine) -> int:
    """Mark jobs left queued or running by a stopped process as failed; how many."""
    with session_scope(engine) as session:
        result = session.execute(update(t.JobRow).where(t.JobRow.state.in_(("queued", "running")))
                                 .values(state="failed", error="the server stopped during the job",
                                         finished=datetime.now(UTC)))
        return int(getattr(result, "rowcount", 0) or 0)
