"""The audit log's entries are written at the end of the transaction that reads the records.

A read is audited in the same transaction as the read itself (the gate's rule), but the entry
is written last: just before the commit, or before the first other write of the transaction,
or before any statement that reads or changes the audit log. The rows and their order are the
same as writing them at once; what changes is how long the transaction holds the database's
write lock. SQLite has one writer at a time and takes the lock at a transaction's first write:
written when the gate opens a record, the entry held the lock through the rest of the page's
reads (a pathway page's scoring, the person page's lists), so under load every audited page
queued behind the others, some for the whole 10 s busy timeout ("database is locked",
``bench/bench_load.py``). Written at the end, the lock is held for one insert and the commit.

If the write fails, the commit fails with it and the caller returns nothing; a rolled-back
transaction drops its entries with everything else it did.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql import visitors

from kedja.core.audit import AuditEntry
from kedja.store import tables as t

__all__ = ["append_audit", "write_pending"]

_PENDING = "kedja_pending_audit"
"""The key in ``Session.info`` of the entries not written yet."""
_AUDIT = t.AuditEntryRow.__table__


def append_audit(session: Session, entries: Sequence[AuditEntry]) -> None:
    """Append entries to the audit log (never updated, never deleted), in the session's transaction."""
    if entries:
        session.info.setdefault(_PENDING, []).extend(
            {"at": e.at, "actor": e.actor, "organisation_id": e.organisation_id,
             "action": e.action.value, "subject_type": e.subject_type, "subject_id": e.subject_id,
             "purpose": e.purpose}
            for e in entries)


def write_pending(session: Session) -> None:
    """Write the session's pending entries now (the events below call it)."""
    rows = session.info.pop(_PENDING, None)
    if rows:
        # on the session's connection: the ORM's bulk path costs more than the write on every page
        session.connection().execute(insert(t.AuditEntryRow), rows)


def _touches_audit(statement: Any) -> bool:
    return any(element is _AUDIT for element in visitors.iterate(statement))


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    write_pending(session)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(_PENDING):  # another write takes the lock anyway: keep the order
        write_pending(session)


@event.listens_for(Session, "do_orm_execute")
def _before_statement(state: ORMExecuteState) -> None:
    session = state.session
    if session.info.get(_PENDING) and (not state.is_select or _touches_audit(state.statement)):
        write_pending(session)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
