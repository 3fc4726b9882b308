"""A person's case in one read: the record, consents, referrals, the allocated step and notes.

Every read opens the person through the gate (:func:`kedja.services.gate.open_person`) in the
same transaction, with the purpose of the reader's organisation (case management; recruitment
for an employer, who gets the candidate view and none of the case data). The receiving
organisations a case worker can refer to are listed with their distance from the person's home
and their free places (:func:`kedja.services.capacity.free_places`, the hub's one source, for
all of a page's organisations at once).
Notes belong to the organisation that wrote them and are shown to it only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kedja.core.access import Permission, PersonView, Principal, Purpose, require_permission
from kedja.core.audit import AuditAction, AuditEntry
from kedja.core.errors import InvalidInput
from kedja.core.geography import Coordinates, great_circle_km
from kedja.core.organisations import OrganisationKind
from kedja.hub.capacity import CapacityStatus
from kedja.services import gate
from kedja.services.capacity import free_places
from kedja.services.people import PersonRecord
from kedja.services.referrals import reading_purpose
from kedja.store import identity as sealed
from kedja.store import own_data, records, session_scope
from kedja.store import repositories as repo
from kedja.store import tables as t

__all__ = [
    "MAX_NOTE_LENGTH",
    "TARGET_KINDS",
    "AllocatedStep",
    "AsfStep",
    "CaseConsent",
    "CaseFile",
    "CaseNote",
    "CaseReferral",
    "ReferralTarget",
    "add_note",
    "asf_steps",
    "case_file",
    "referral_targets",
]

MAX_NOTE_LENGTH = 2000
TARGET_KINDS = (OrganisationKind.ASF, OrganisationKind.EDUCATION_PROVIDER,
                OrganisationKind.MUNICIPALITY, OrganisationKind.EMPLOYER,
                OrganisationKind.EMPLOYMENT_SERVICE)


@dataclass(frozen=True, slots=True)
class CaseConsent:
    """An active consent of the person: to whom, since when, for which purposes."""

    organisation_id: str
    organisation_name: str
    given: date
    purposes: tuple[str, ...] | None
    """``None``: every purpose."""


@dataclass(frozen=True, slots=True)
class CaseReferral:
    """A referral of the person sent or received by the reader's organisation."""

    id: str
    state: str
    created: date
    from_name: str
    to_name: str
    consent_given: date | None


@dataclass(frozen=True, slots=True)
class AllocatedStep:
    """The person's place in the newest stored allocation of the region's places."""

    allocation_id: str
    allocated_at: datetime
    opportunity_id: str
    title: str
    kind: str
    organisation_id: str
    organisation_name: str
    municipality_code: str
    fit: float


@dataclass(frozen=True, slots=True)
class CaseNote:
    """A note on the case by someone in the reader's organisation."""

    author: str
    written_at: datetime
    text: str


@dataclass(frozen=True, slots=True)
class CaseFile:
    """The case as the reader's organisation may see it (case data in the full view only)."""

    record: PersonRecord
    name: str | None
    personal_number: str | None
    consents: tuple[CaseConsent, ...] = ()
    referrals: tuple[CaseReferral, ...] = ()
    step: AllocatedStep | None = None
    notes: tuple[CaseNote, ...] = ()


@dataclass(frozen=True, slots=True)
class ReferralTarget:
    """An organisation a person can be referred to, nearest first."""

    id: str
    name: str
    kind: str
    municipality_code: str
    km: float
    """Straight-line distance from the person's home locality (or municipality seat)."""
    capacity: CapacityStatus


def _org_names(session: Session, ids: set[str]) -> dict[str, str]:
    return dict(session.execute(select(t.OrganisationRow.id, t.OrganisationRow.name)
                                .where(t.OrganisationRow.id.in_(sorted(ids)))).all())


def case_file(engine: Engine, principal: Principal, person_id: str) -> CaseFile:
    """The person's case, opened (and audited) by the gate for the reader's purpose.

    Raises:
        Forbidden: the gate refuses; an unknown id gives the same answer.
    """
    with session_scope(engine) as session:
        opened = gate.open_person(session, principal, person_id, reading_purpose(principal))
        person = repo.get_person(session, person_id)
        record = PersonRecord.of(person, opened.view, opened.shared_with)
        name, number = _identity(session, person_id)
        if opened.view is not PersonView.FULL:
            return CaseFile(record, name, None)
        return CaseFile(record, name, number, _consents(session, person_id),
                        _referrals(session, principal, person_id),
                        _step(session, person_id), _notes(session, principal, person_id))


def _identity(session: Session, person_id: str) -> tuple[str | None, str | None]:
    rows = own_data.identities(session, [person_id])
    if not rows:
        return None, None
    ring = sealed.keyring()
    row = rows[0]
    name = ring.open(row.name_token, field="name", person_id=person_id)
    number = (ring.open(row.number_token, field="personal_number", person_id=person_id)
              if row.number_token else None)
    return name, number


def _consents(session: Session, person_id: str) -> tuple[CaseConsent, ...]:
    rows = session.scalars(select(t.ConsentRow).where(
        t.ConsentRow.person_id == person_id, t.ConsentRow.withdrawn.is_(None))
        .order_by(t.ConsentRow.given, t.ConsentRow.organisation_id)).all()
    names = _org_names(session, {r.organisation_id for r in rows})
    return tuple(CaseConsent(r.organisation_id, names.get(r.organisation_id, r.organisation_id),
                             r.given, None if r.purposes is None else tuple(sorted(r.purposes)))
                 for r in rows)


def _referrals(session: Session, principal: Principal, person_id: str
               ) -> tuple[CaseReferral, ...]:
    org = principal.organisation_id
    rows = [r for r in session.scalars(select(t.ReferralRow).where(
        t.ReferralRow.person_id == person_id).order_by(t.ReferralRow.created.desc(),
                                                         t.ReferralRow.id))
            if org in (r.from_organisation_id, r.to_organisation_id)]
    names = _org_names(session, {r.from_organisation_id for r in rows}
                       | {r.to_organisation_id for r in rows})
    return tuple(CaseReferral(r.id, r.state, r.created, names.get(r.from_organisation_id, ""),
                              names.get(r.to_organisation_id, ""), r.consent_given) for r in rows)


def _step(session: Session, person_id: str) -> AllocatedStep | None:
    newest = session.scalars(select(t.AllocationRow).order_by(
        t.AllocationRow.created_at.desc()).limit(1)).first()
    if newest is None:
        return None
    found = session.execute(
        select(t.AllocationAssignmentRow.fit, t.OpportunityRow, t.OrganisationRow.name)
        .join(t.OpportunityRow,
              t.OpportunityRow.id == t.AllocationAssignmentRow.opportunity_id)
        .join(t.OrganisationRow, t.OrganisationRow.id == t.OpportunityRow.organisation_id)
        .where(t.AllocationAssignmentRow.allocation_id == newest.id,
               t.AllocationAssignmentRow.person_id == person_id)).first()
    if found is None:
        return None
    fit, opportunity, organisation_name = found
    return AllocatedStep(newest.id, newest.created_at, opportunity.id, opportunity.title,
                         opportunity.kind, opportunity.organisation_id, organisation_name,
                         opportunity.municipality_code, float(fit))


def _notes(session: Session, principal: Principal, person_id: str) -> tuple[CaseNote, ...]:
    rows = session.scalars(select(t.PersonNoteRow).where(
        t.PersonNoteRow.person_id == person_id,
        t.PersonNoteRow.organisation_id == principal.organisation_id)
        .order_by(t.PersonNoteRow.written_at.desc(), t.PersonNoteRow.id)).all()
    return tuple(CaseNote(r.author, r.written_at, r.text) for r in rows)


def add_note(engine: Engine, principal: Principal, person_id: str, text: str, *,
             now: datetime | None = None) -> CaseNote:
    """Write a note on the person's case for the principal's organisation; audited as a write.

    Raises:
        Forbidden: the principal is not a case worker, or the gate refuses the full view
            (the same answer for an unknown id).
        InvalidInput: an empty note or one over :data:`MAX_NOTE_LENGTH` characters.
    """
    require_permission(principal, Permission.RECORD_CONSENT)  # case workers, not employers
    body = text.strip()
    if not body or len(body) > MAX_NOTE_LENGTH:
        raise InvalidInput(f"a note holds 1 to {MAX_NOTE_LENGTH} characters, not {len(body)}",
                           field="text", value=len(body),
                           hint="write the note, shortened if need be")
    at = now or datetime.now(UTC)
    with session_scope(engine) as session:
        gate.open_person(session, principal, person_id, Purpose.CASE_MANAGEMENT,
                         need=PersonView.FULL, audit=None)
        session.add(t.PersonNoteRow(id=f"N-{uuid.uuid4().hex[:12]}", person_id=person_id,
                                    organisation_id=principal.organisation_id,
                                    author=principal.username, written_at=at, text=body))
        records.append_audit(session, [AuditEntry(
            at=at, actor=principal.username, organisation_id=principal.organisation_id,
            action=AuditAction.WRITE, subject_type="person", subject_id=person_id,
            purpose="case_management: note")])
    return CaseNote(principal.username, at, body)


def _home(session: Session, person_id: str) -> Coordinates:
    person = session.get(t.PersonRow, person_id)
    assert person is not None  # opened by the gate just before
    if person.locality_id:
        locality = session.get(t.LocalityRow, person.locality_id)
        if locality is not None:
            return Coordinates(locality.lat, locality.lon)
    seat = session.get(t.MunicipalityRow, person.municipality_code)
    assert seat is not None
    return Coordinates(seat.seat_lat, seat.seat_lon)


def referral_targets(engine: Engine, principal: Principal, person_id: str, *,
                     kind: OrganisationKind = OrganisationKind.ASF, limit: int = 30,
                     free_only: bool = False) -> list[ReferralTarget]:
    """Organisations of ``kind`` to refer the person to: nearest first, with free places.

    The person's home is read through the gate (case management, full view; audited).
    ``free_only`` leaves out those with no free place (unknown capacity stays).

    Raises:
        Forbidden: the gate refuses; an unknown id gives the same answer.
    """
    with session_scope(engine) as session:
        gate.open_person(session, principal, person_id, Purpose.CASE_MANAGEMENT,
                         need=PersonView.FULL)
        home = _home(session, person_id)
        seats = {code: Coordinates(lat, lon) for code, lat, lon in session.execute(
            select(t.MunicipalityRow.code, t.MunicipalityRow.seat_lat, t.MunicipalityRow.seat_lon))}
        orgs = session.execute(select(t.OrganisationRow.id, t.OrganisationRow.name,
                                      t.OrganisationRow.municipality_code)
                               .where(t.OrganisationRow.kind == kind.value,
                                      t.OrganisationRow.id != principal.organisation_id)).all()
        near = sorted(((great_circle_km(home, seats[m]), oid, name, m) for oid, name, m in orgs),
                      key=lambda row: (row[0], row[2]))
        found: list[ReferralTarget] = []
        for start in range(0, len(near), limit):  # the capacities of ``limit`` at a time
            chunk = near[start:start + limit]
            capacities = free_places(session, [oid for _, oid, _, _ in chunk])
            for km, oid, name, municipality in chunk:
                capacity = capacities[oid]
                if free_only and capacity.free == 0:
                    continue
                found.append(ReferralTarget(oid, name, kind.value, municipality, round(km, 1),
                                            capacity))
                if len(found) == limit:
                    return found
    return found


@dataclass(frozen=True, slots=True)
class AsfStep:
    """A work-training place at an ASF that the person's record is shared with."""

    opportunity_id: str
    title: str
    organisation_id: str
    organisation_name: str
    municipality_code: str
    km: float
    remote: bool
    capacity: CapacityStatus


def asf_steps(engine: Engine, principal: Principal, person_id: str, *,
              purpose: Purpose = Purpose.MATCHING) -> list[AsfStep]:
    """The placements of the ASFs that may serve the person (consent or active referral).

    An ASF the person has consented to, or that holds an active referral of them, may take
    them on: its work-training places are steps whatever the ranking of the region's steps
    says. Opened (and audited) by the gate, full view; nearest first.

    Raises:
        Forbidden: the gate refuses; an unknown id gives the same answer.
    """
    with session_scope(engine) as session:
        opened = gate.open_person(session, principal, person_id, purpose, need=PersonView.FULL)
        sharing = {g.organisation_id for g in opened.grants}
        rows = session.execute(
            select(t.OpportunityRow, t.OrganisationRow.name)
            .join(t.OrganisationRow, t.OrganisationRow.id == t.OpportunityRow.organisation_id)
            .where(t.OpportunityRow.kind == "asf_placement",
                   t.OrganisationRow.kind == OrganisationKind.ASF.value,
                   t.OrganisationRow.id.in_(sorted(sharing)))).all()
        if not rows:
            return []
        home = _home(session, person_id)
        seats = {code: Coordinates(lat, lon) for code, lat, lon in session.execute(
            select(t.MunicipalityRow.code, t.MunicipalityRow.seat_lat, t.MunicipalityRow.seat_lon))}
        capacities = free_places(session, [o.organisation_id for o, _ in rows])
        steps = [AsfStep(o.id, o.title, o.organisation_id, name, o.municipality_code,
                         round(great_circle_km(home, seats[o.municipality_code]), 1),
                         o.remote_share >= 0.99, capacities[o.organisation_id])
                 for o, name in rows]
    return sorted(steps, key=lambda s: (s.km, s.title))
