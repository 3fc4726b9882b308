"""Recording a person's consent (and its withdrawal) that an organisation may see their record.

Who may change a person's consents:

- the organisation that holds the person's case: its own consent from the person covers
  ``case_management``, and the gate opens the full record to it for that purpose;
- any other organisation that sees the full record for case management (e.g. an ASF that
  received a consented referral) only with the person's request recorded: who asked, when and
  how (:class:`PersonRequest`, stored in ``data_requests`` and named in the audit entry).

A consent cannot be widened by someone holding a narrower one: the purposes of a consent
recorded for another organisation must lie within the purposes of the recorder's own consent.
Each change is a write of the person's data and goes into the audit log.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kedja.core.access import GrantBasis, Permission, PersonView, Principal, Purpose, require_permission
from kedja.core.audit import AuditAction, AuditEntry
from kedja.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from kedja.services import gate
from kedja.store import records, session_scope

__all__ = ["CHANNELS", "ConsentRecord", "PersonRequest", "record_consent", "withdraw_consent"]

CHANNELS = ("in_person", "phone", "letter", "e_service")
"""How a person's request can reach an organisation."""


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    """A person's consent for one organisation."""

    person_id: str
    organisation_id: str
    given: date
    withdrawn: date | None
    purposes: tuple[str, ...] | None = None
    """The purposes the consent covers; ``None``: every purpose."""
    request_id: str | None = None
    """The person's recorded request behind the change, when there is one."""


@dataclass(frozen=True, slots=True)
class PersonRequest:
    """The person's own request for a change: who asked, when and how."""

    requested_by: str
    """The person, or their representative by name."""
    received: date
    channel: str
    """One of :data:`CHANNELS`."""

    def checked(self) -> PersonRequest:
        """The request after checking its fields.

        Raises:
            InvalidInput: no requester, an unknown channel or a date in the future.
        """
        if not self.requested_by.strip():
            raise InvalidInput("a request needs who asked", field="requested_by",
                               hint="write 'the person' or the representative's name")
        if self.channel not in CHANNELS:
            raise InvalidInput(f"{self.channel!r} is not a channel", field="channel",
                               value=self.channel, hint="use one of " + ", ".join(CHANNELS))
        if self.received > datetime.now(UTC).date():
            raise InvalidInput(f"the request's date {self.received.isoformat()} is in the future",
                               field="received", value=self.received.isoformat(),
                               hint="give the day the request came")
        return self


def _cap(opened: gate.Opened, principal: Principal) -> tuple[bool, frozenset[str] | None]:
    """Whether the principal's organisation holds the case, and the purposes it holds."""
    own = [g for g in opened.grants if g.organisation_id == principal.organisation_id
           and g.basis is GrantBasis.CONSENT]
    holds_case = any(g.covers(Purpose.CASE_MANAGEMENT.value) for g in own)
    if not own or any(g.purposes is None for g in own):
        return holds_case, None
    return holds_case, frozenset().union(*(g.purposes or () for g in own))


def _open(session: Session, principal: Principal, person_id: str,
          request: PersonRequest | None) -> tuple[frozenset[str] | None, str | None]:
    require_permission(principal, Permission.RECORD_CONSENT)
    opened = gate.open_person(session, principal, person_id, Purpose.CASE_MANAGEMENT,
                              need=PersonView.FULL, audit=None)
    holds_case, cap = _cap(opened, principal)
    if request is None:
        if not holds_case:
            raise Forbidden(
                f"{principal.organisation_id!r} does not hold {person_id}'s case; only that "
                "organisation changes the person's consents, or anyone with the person's "
                "request recorded", field="request", value=person_id,
                hint="record who asked, when and how (requested_by, received, channel)")
        return cap, None
    request = request.checked()
    request_id = f"DR-{uuid.uuid4().hex[:16]}"
    records.add_data_request(
        session, request_id=request_id, person_id=person_id, kind="consent",
        organisation_id=principal.organisation_id, requester=request.requested_by.strip()[:255],
        received=request.received, channel=request.channel, reason=None, identity_check=None,
        recorded_by=principal.username, recorded_at=datetime.now(UTC))
    return cap, request_id


def _audit(session: Session, principal: Principal, person_id: str, note: str,
           request_id: str | None) -> None:
    if request_id is not None:
        note += f" at the person's request {request_id}"
    records.append_audit(session, [AuditEntry(
        at=datetime.now(UTC), actor=principal.username, organisation_id=principal.organisation_id,
        action=AuditAction.WRITE, subject_type="person", subject_id=person_id, purpose=note)])


def record_consent(engine: Engine, principal: Principal, person_id: str, organisation_id: str,
                   *, today: date | None = None, purposes: Sequence[Purpose] | None = None,
                   request: PersonRequest | None = None) -> ConsentRecord:
    """Record that the person consents to ``organisation_id`` seeing their record.

    ``purposes`` limits the consent to reads for those purposes (e.g. only matching): a read of
    the record for another purpose is then refused. ``None`` records a consent for every purpose.
    ``request`` records that the person asked (needed unless the principal's organisation holds
    the person's case).

    Raises:
        Forbidden: the principal may not record consents, the gate does not open the full
            record for case management, the organisation does not hold the case and no request
            is given, or the consent would cover a purpose the recorder's own consent leaves out.
        NotFound: the organisation does not exist.
        Conflict: the consent is already active.
    """
    given = today or datetime.now(UTC).date()
    chosen = None if purposes is None else sorted({Purpose(p).value for p in purposes})
    if chosen == []:
        raise InvalidInput("a consent needs at least one purpose", field="purposes", value=[],
                           hint="leave purposes out for every purpose, or name at least one")
    with session_scope(engine) as session:
        cap, request_id = _open(session, principal, person_id, request)
        wider = None if cap is None else (sorted(set(Purpose)) if chosen is None
                                          else sorted(set(chosen) - cap))
        if wider:
            raise Forbidden(
                f"{principal.organisation_id!r} holds {person_id}'s consent for "
                f"{', '.join(sorted(cap or ()))} only and cannot record a wider one",
                field="purposes", value=chosen or "every purpose",
                hint="name purposes within your own consent, or ask the organisation that "
                     "holds the person's full consent")
        if records.organisation_kind(session, organisation_id) is None:
            raise NotFound(f"no organisation has the id {organisation_id!r}",
                           field="organisation_id", value=organisation_id,
                           hint="list organisations at /api/v1/organisations")
        existing = records.find_consent(session, person_id, organisation_id)
        if existing is not None and existing.withdrawn is None:
            raise Conflict(f"{person_id} already consents to {organisation_id}",
                           field="organisation_id", value=organisation_id,
                           hint="nothing to do; withdraw it first to record a new one")
        records.put_consent(session, person_id, organisation_id, given=given, withdrawn=None,
                            purposes=chosen)
        scope = "every purpose" if chosen is None else ", ".join(chosen)
        _audit(session, principal, person_id,
               f"consent recorded for {organisation_id} ({scope})", request_id)
    return ConsentRecord(person_id, organisation_id, given, None,
                         None if chosen is None else tuple(chosen), request_id)


def withdraw_consent(engine: Engine, principal: Principal, person_id: str,
                     organisation_id: str, *, today: date | None = None,
                     request: PersonRequest | None = None) -> ConsentRecord:
    """Record that the person withdraws their consent for ``organisation_id``.

    Raises:
        Forbidden: as :func:`record_consent` (a request is needed unless the principal's
            organisation holds the person's case).
        NotFound: there is no active consent to withdraw.
    """
    withdrawn = today or datetime.now(UTC).date()
    with session_scope(engine) as session:
        _, request_id = _open(session, principal, person_id, request)
        existing = records.find_consent(session, person_id, organisation_id)
        if existing is None or existing.withdrawn is not None:
            raise NotFound(f"{person_id} has no active consent for {organisation_id}",
                           field="organisation_id", value=organisation_id,
                           hint="check the organisation's id")
        given, purposes = existing.given, existing.purposes
        records.put_consent(session, person_id, organisation_id, given=given,
                            withdrawn=withdrawn, purposes=purposes)
        _audit(session, principal, person_id, f"consent withdrawn for {organisation_id}",
               request_id)
    return ConsentRecord(person_id, organisation_id, given, withdrawn,
                         None if purposes is None else tuple(purposes), request_id)
