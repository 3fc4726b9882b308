"""The audit trail of reads and writes of a person's data.

Entries are append-only: nothing in Kedja updates or deletes one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["AuditAction", "AuditEntry"]


class AuditAction(StrEnum):
    """What was done to the subject."""

    READ = "read"
    LIST = "list"
    WRITE = "write"
    EXPORT = "export"
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_OUT = "sign_out"
    ACCOUNT = "account"
    ERASE = "erase"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """Who did what to which record, when and why."""

    at: datetime
    actor: str
    organisation_id: str | None
    action: AuditAction
    subject_type: str
    subject_id: str
    purpose: str | None = None
    id: int | None = None
