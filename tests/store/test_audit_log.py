"""The audit log's entries: written in the reading transaction, last, and only if it commits."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text, update

from kedja import services
from kedja.core.audit import AuditAction, AuditEntry
from kedja.store import records, session_scope
from kedja.store import tables as t


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return services.prepare_database(tmp_path / "kedja.db")


def _entry(subject: str) -> AuditEntry:
    return AuditEntry(at=datetime.now(UTC), actor="officer", organisation_id=None,
                      action=AuditAction.READ, subject_type="person", subject_id=subject,
                      purpose="matching")


def _subjects(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(select(t.AuditEntryRow.subject_id).order_by(t.AuditEntryRow.id)))


def test_an_entry_is_written_by_the_commit_and_holds_no_write_lock_before(engine: Engine) -> None:
    with session_scope(engine) as session:
        records.append_audit(session, [_entry("P1"), _entry("P2")])
        session.execute(select(t.PersonRow.id).limit(1)).all()  # the page's reads go on
        with engine.connect() as other:  # another writer is not kept waiting meanwhile
            other.execute(text("PRAGMA busy_timeout=0"))
            other.execute(update(t.CacheGenerationRow).values(generation=0))
            other.commit()
    assert _subjects(engine) == ["P1", "P2"]


def test_a_rolled_back_read_leaves_no_entry(engine: Engine) -> None:
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        records.append_audit(session, [_entry("P1")])
        raise RuntimeError("the page failed")
    assert _subjects(engine) == []


def test_the_transaction_sees_its_own_entries_and_other_writes_keep_their_order(engine: Engine) -> None:
    with session_scope(engine) as session:
        records.append_audit(session, [_entry("P1")])
        assert records.count_audit_entries(session, subject_id="P1") == 1
        records.append_audit(session, [_entry("P2")])
        session.execute(update(t.AuditEntryRow).where(t.AuditEntryRow.subject_id == "P2")
                        .values(subject_id="pseudonym"))  # as an erasure does
        records.append_audit(session, [_entry("P3")])
    assert _subjects(engine) == ["P1", "pseudonym", "P3"]
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(t.AuditEntryRow)) == 3
