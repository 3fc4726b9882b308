"""The audit log for administrators, and a person's own access log for a GDPR request."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from kedja.core.access import Permission, Principal, Purpose, require_permission
from kedja.core.audit import AuditAction, AuditEntry
from kedja.core.spreadsheets import safe_row
from kedja.services import gate
from kedja.services.people import Page, audit_reads, page_offset
from kedja.store import records, session_scope
from kedja.store import tables as t

__all__ = ["AUDIT_COLUMNS", "audit_csv", "audit_page", "organisation_names",
           "organisation_reads", "person_access_log"]

AUDIT_COLUMNS = ("id", "at", "actor", "organisation_id", "action", "subject_type", "subject_id",
                 "purpose")


def audit_page(engine: Engine, principal: Principal, *, subject_id: str | None = None,
               actor: str | None = None, page: int = 1,
               page_size: int = 50) -> Page[AuditEntry]:
    """One page of the audit log, newest first (admins only)."""
    require_permission(principal, Permission.READ_AUDIT)
    offset = page_offset(page, page_size)
    with session_scope(engine) as session:
        total = records.count_audit_entries(session, subject_id=subject_id, actor=actor)
        items = records.audit_entries(session, subject_id=subject_id, actor=actor,
                                      offset=offset, limit=page_size)
    return Page(items, total, page, page_size)


def audit_csv(engine: Engine, principal: Principal, *, subject_id: str | None = None,
              actor: str | None = None) -> str:
    """The audit log as CSV (admins only); the export itself is logged."""
    require_permission(principal, Permission.READ_AUDIT)
    with session_scope(engine) as session:
        entries = records.audit_entries(session, subject_id=subject_id, actor=actor)
        records.append_audit(session, [AuditEntry(
            at=datetime.now(UTC), actor=principal.username,
            organisation_id=principal.organisation_id, action=AuditAction.EXPORT,
            subject_type="audit_log", subject_id=subject_id or actor or "*",
            purpose=Purpose.SECURITY_REVIEW.value)])
    return _as_csv(entries)


def _as_csv(entries: list[AuditEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(AUDIT_COLUMNS)
    for e in entries:
        writer.writerow(safe_row([e.id, e.at.isoformat(), e.actor, e.organisation_id or "",
                                  e.action.value, e.subject_type, e.subject_id, e.purpose or ""]))
    return out.getvalue()


def person_access_log(engine: Engine, principal: Principal, person_id: str) -> list[AuditEntry]:
    """Who read or changed a person's record, when and why: the answer to a GDPR access request.

    Admins only; producing it is itself logged with the purpose ``gdpr_request``.
    """
    require_permission(principal, Permission.READ_AUDIT)
    with session_scope(engine) as session:
        entries = records.audit_entries(session, subject_type="person", subject_id=person_id)
        audit_reads(session, principal, [person_id], Purpose.GDPR_REQUEST,
                    action=AuditAction.EXPORT)
    return entries


def organisation_reads(engine: Engine, principal: Principal, *, subject_id: str | None = None,
                       page: int = 1, page_size: int = 50) -> Page[AuditEntry]:
    """One page of the reads and changes of people's records made by the user's own organisation.

    For anyone who may read people (officers, coordinators, employers' HR): each organisation
    answers for its own use of people's data, so it sees its own entries, never another
    organisation's. Gated: an entry names its person only while the person's record is open to
    the organisation for the entry's purpose (:func:`kedja.services.gate.visible_people`); otherwise
    (a refused attempt, a consent since withdrawn) the id is masked as "–". Looking is not a
    read of a record and is not logged.
    """
    require_permission(principal, Permission.READ_PEOPLE)
    offset = page_offset(page, page_size)
    with session_scope(engine) as session:
        org = principal.organisation_id
        total = records.count_audit_entries(session, subject_type="person",
                                            subject_id=subject_id, organisation_id=org)
        items = records.audit_entries(session, subject_type="person", subject_id=subject_id,
                                      organisation_id=org, offset=offset, limit=page_size)
        asked: dict[Purpose, set[str]] = {}
        for e in items:
            purpose = _purpose_of(e.purpose)
            if purpose is not None:
                asked.setdefault(purpose, set()).add(e.subject_id)
        open_to_us = {(purpose, pid) for purpose, ids in asked.items()
                      for pid in gate.visible_people(session, principal, purpose, among=ids)}
    shown = [e if (_purpose_of(e.purpose), e.subject_id) in open_to_us
             else replace(e, subject_id="–") for e in items]
    return Page(shown, total, page, page_size)


def _purpose_of(logged: str | None) -> Purpose | None:
    """The purpose an entry was written for (``"matching: refused"`` → matching), if known."""
    base = (logged or "").removesuffix(": refused")
    return Purpose(base) if base in {p.value for p in Purpose} else None


def organisation_names(engine: Engine, ids: Iterable[str]) -> dict[str, str]:
    """The names of organisations (public register facts), for showing names instead of ids."""
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    with session_scope(engine) as session:
        return dict(session.execute(select(t.OrganisationRow.id, t.OrganisationRow.name)
                                    .where(t.OrganisationRow.id.in_(wanted))).all())
