"""Recording a person's consent (and its withdrawal) that an organisation may see their record.

Only someone who may already see the person's record (an officer or coordinator whose
organisation holds consent or an active referral) records it, as the person's case worker; each
change is a write of the person's data and goes into the audit log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kedja.core.access import Permission, Principal, Purpose, require_permission, require_person_visible
from kedja.core.audit import AuditAction, AuditEntry
from kedja.core.errors import Conflict, InvalidInput, NotFound
from kedja.store import records, session_scope

__all__ = ["ConsentRecord", "record_consent", "withdraw_consent"]


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    """A person's consent for one organisation."""

    person_id: str
    organisation_id: str
    given: date
    withdrawn: date | None
    purposes: tuple[str, ...] | None = None
    """The purposes the consent covers; ``None``: every purpose."""


def _check(session: Session, principal: Principal, person_id: str) -> None:
    require_permission(principal, Permission.RECORD_CONSENT)
    require_person_visible(principal, person_id, records.grants_for_person(session, person_id))


def _audit(session: Session, principal: Principal, person_id: str, note: str) -> None:
    records.append_audit(session, [AuditEntry(
        at=datetime.now(UTC), actor=principal.username, organisation_id=principal.organisation_id,
        action=AuditAction.WRITE, subject_type="person", subject_id=person_id, purpose=note)])


def record_consent(engine: Engine, principal: Principal, person_id: str, organisation_id: str,
                   *, today: date | None = None,
                   purposes: Sequence[Purpose] | None = None) -> ConsentRecord:
    """Record that the person consents to ``organisation_id`` seeing their record.

    ``purposes`` limits the consent to reads for those purposes (e.g. only matching): a read of
    the record for another purpose is then refused. ``None`` records a consent for every purpose.

    Raises:
        Forbidden: the principal may not record consents or may not see the person.
        NotFound: the organisation does not exist.
        Conflict: the consent is already active.
    """
    given = today or datetime.now(UTC).date()
    with session_scope(engine) as session:
        _check(session, principal, person_id)
        if records.organisation_kind(session, organisation_id) is None:
            raise NotFound(f"no organisation has the id {organisation_id!r}",
                           field="organisation_id", value=organisation_id,
                           hint="list organisations at /api/v1/organisations")
        existing = records.find_consent(session, person_id, organisation_id)
        if existing is not None and existing.withdrawn is None:
            raise Conflict(f"{person_id} already consents to {organisation_id}",
                           field="organisation_id", value=organisation_id,
                           hint="nothing to do; withdraw it first to record a new one")
        chosen = None if purposes is None else sorted({Purpose(p).value for p in purposes})
        if chosen == []:
            raise InvalidInput("a consent needs at least one purpose", field="purposes", value=[],
                               hint="leave purposes out for every purpose, or name at least one")
        records.put_consent(session, person_id, organisation_id, given=given, withdrawn=None,
                            purposes=chosen)
        scope = "every purpose" if chosen is None else ", ".join(chosen)
        _audit(session, principal, person_id, f"consent recorded for {organisation_id} ({scope})")
    return ConsentRecord(person_id, organisation_id, given, None, None if chosen is None else tuple(chosen))


def withdraw_consent(engine: Engine, principal: Principal, person_id: str,
                     organisation_id: str, *, today: date | None = None) -> ConsentRecord:
    """Record that the person withdraws their consent for ``organisation_id``.

    Raises:
        Forbidden: the principal may not record consents or may not see the person.
        NotFound: there is no active consent to withdraw.
    """
    withdrawn = today or datetime.now(UTC).date()
    with session_scope(engine) as session:
        _check(session, principal, person_id)
        existing = records.find_consent(session, person_id, organisation_id)
        if existing is None or existing.withdrawn is not None:
            raise NotFound(f"{person_id} has no active consent for {organisation_id}",
                           field="organisation_id", value=organisation_id,
                           hint="check the organisation's id")
        given, purposes = existing.given, existing.purposes
        records.put_consent(session, person_id, organisation_id, given=given,
                            withdrawn=withdrawn, purposes=purposes)
        _audit(session, principal, person_id, f"consent withdrawn for {organisation_id}")
    return ConsentRecord(person_id, organisation_id, given, withdrawn,
                         None if purposes is None else tuple(purposes))
