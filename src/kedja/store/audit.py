"""The append-only audit log: who read or wrote which person's data, when and why."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from kedja.store import tables as t

__all__ = ["record_access"]


def record_access(session: Session, *, actor: str, action: str, subject_type: str,
                  subject_id: str, purpose: str | None = None,
                  organisation_id: str | None = None) -> None:
    """Append an audit entry in the caller's transaction."""
    session.add(t.AuditEntryRow(at=datetime.now(UTC), actor=actor, organisation_id=organisation_id,
                                action=action, subject_type=subject_type, subject_id=subject_id,
                                purpose=purpose))
