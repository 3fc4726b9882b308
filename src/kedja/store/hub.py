"""Repositories of the collaboration hub and follow-up.

Referrals and their events, the directory, postings, agreements, enrolments, exits, outcomes
and self-assessments.

Functions take an open session; ``kedja.services`` owns the transaction and the access rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from kedja.core.directory import (
    Agreement,
    Directory,
    HsdsRecord,
    HubService,
    Location,
    Posting,
    ServiceAtLocation,
)
from kedja.core.ids import OpportunityId, OrganisationId, PersonId, ReferralId
from kedja.core.journeys import Enrolment, Exit, Outcome, ProgressAssessment, Referral
from kedja.store import tables as t
from kedja.store.repositories import insert_many, organisation_from_row

__all__ = [
    "EsfRow",
    "ParticipantRow",
    "ReferralEvent",
    "add_referral_event",
    "agreements",
    "assessments",
    "capacities_of",
    "capacity_of",
    "enrolments_of",
    "esf_rows",
    "exits_in",
    "exits_of",
    "get_referral",
    "in_use_at",
    "load_directory",
    "outcomes",
    "participant_rows",
    "people_in_places",
    "postings",
    "put_referral",
    "referral_events",
    "referrals",
    "save_agreement",
    "save_assessments",
    "save_directory",
    "save_enrolments",
    "save_exits",
    "save_outcomes",
    "save_postings",
    "waiting_list",
    "waitlisted_days",
]


@dataclass(frozen=True, slots=True)
class ReferralEvent:
    """A stored state change (or consent) of a referral."""

    referral_id: str
    from_state: str | None
    to_state: str
    at: datetime
    actor: str | None
    note: str | None


def _referral(row: t.ReferralRow) -> Referral:
    return Referral(id=ReferralId(row.id), person_id=PersonId(row.person_id),
                    from_organisation_id=OrganisationId(row.from_organisation_id),
                    to_organisation_id=OrganisationId(row.to_organisation_id),
                    created=row.created,
                    opportunity_id=OpportunityId(row.opportunity_id) if row.opportunity_id else None,
                    state=row.state,  # type: ignore[arg-type]
                    consent_given=row.consent_given, end_reason=row.end_reason)


def get_referral(session: Session, referral_id: str) -> tuple[Referral, str | None] | None:
    """A referral and its purpose, or ``None``."""
    row = session.get(t.ReferralRow, referral_id)
    return None if row is None else (_referral(row), row.purpose)


def put_referral(session: Session, referral: Referral, *, purpose: str | None,
                 waitlisted_on: date | None = None) -> None:
    """Insert or update a referral (``waitlisted_on`` puts a new one on the waiting list)."""
    row = session.get(t.ReferralRow, referral.id)
    values = {"person_id": referral.person_id, "from_organisation_id": referral.from_organisation_id,
              "to_organisation_id": referral.to_organisation_id, "created": referral.created,
              "opportunity_id": referral.opportunity_id, "state": referral.state.value,
              "consent_given": referral.consent_given, "end_reason": referral.end_reason,
              "purpose": purpose}
    if row is None:
        session.add(t.ReferralRow(id=referral.id, waitlisted_on=waitlisted_on, **values))
    else:
        for key, value in values.items():
            setattr(row, key, value)
    session.flush()


def add_referral_event(session: Session, event: ReferralEvent) -> None:
    """Store a state change; events are never updated or deleted."""
    session.add(t.ReferralEventRow(referral_id=event.referral_id, from_state=event.from_state,
                                   to_state=event.to_state, at=event.at, actor=event.actor,
                                   note=event.note))
    session.flush()


def referral_events(session: Session, referral_ids: Sequence[str]) -> list[ReferralEvent]:
    """Events of these referrals, oldest first."""
    rows = session.scalars(select(t.ReferralEventRow)
                           .where(t.ReferralEventRow.referral_id.in_(list(referral_ids)))
                           .order_by(t.ReferralEventRow.at, t.ReferralEventRow.id)).all()
    return [ReferralEvent(r.referral_id, r.from_state, r.to_state, r.at, r.actor, r.note)
            for r in rows]


def referrals(session: Session, *, to_organisation: str | None = None,
              from_organisation: str | None = None, person_id: str | None = None,
              limit: int = 500) -> list[tuple[Referral, str | None]]:
    """Referrals by receiver, sender or person, newest first."""
    query = select(t.ReferralRow).order_by(t.ReferralRow.created.desc(), t.ReferralRow.id)
    if to_organisation is not None:
        query = query.where(t.ReferralRow.to_organisation_id == to_organisation)
    if from_organisation is not None:
        query = query.where(t.ReferralRow.from_organisation_id == from_organisation)
    if person_id is not None:
        query = query.where(t.ReferralRow.person_id == person_id)
    return [(_referral(r), r.purpose) for r in session.scalars(query.limit(limit)).all()]


def capacity_of(session: Session, organisation_id: str) -> int | None:
    """Places an organisation offers: its services' capacity, else an ASF's placement capacity."""
    total = session.scalar(select(func.sum(t.HubServiceRow.capacity)).where(
        t.HubServiceRow.organisation_id == organisation_id,
        t.HubServiceRow.status == "active"))
    if total is not None:
        return int(total)
    return session.scalar(select(t.OrganisationRow.asf_placement_capacity)
                          .where(t.OrganisationRow.id == organisation_id))


def in_use_at(session: Session, organisation_id: str) -> int:
    """Accepted and started referrals an organisation holds."""
    return int(session.scalar(select(func.count()).select_from(t.ReferralRow).where(
        t.ReferralRow.to_organisation_id == organisation_id,
        t.ReferralRow.state.in_(("accepted", "started")))) or 0)


def waitlisted_days(session: Session, referral_ids: Sequence[str]) -> dict[str, date]:
    """The day each of these referrals was put on a waiting list (those that were)."""
    return {str(i): d for i, d in session.execute(  # type: ignore[misc]
        select(t.ReferralRow.id, t.ReferralRow.waitlisted_on)
        .where(t.ReferralRow.id.in_(list(referral_ids)),
               t.ReferralRow.waitlisted_on.is_not(None))).all()}


def waiting_list(session: Session, organisation_id: str) -> list[tuple[Referral, str | None]]:
    """The organisation's waiting list: proposed referrals put on it, first come first."""
    # first come first: the day it was put on the list, then the moment it was created
    came = (select(t.ReferralEventRow.referral_id, func.min(t.ReferralEventRow.at).label("at"))
            .group_by(t.ReferralEventRow.referral_id).subquery())
    rows = session.scalars(select(t.ReferralRow)
                           .outerjoin(came, came.c.referral_id == t.ReferralRow.id).where(
        t.ReferralRow.to_organisation_id == organisation_id,
        t.ReferralRow.state == "proposed", t.ReferralRow.waitlisted_on.is_not(None))
        .order_by(t.ReferralRow.waitlisted_on, came.c.at, t.ReferralRow.id)).all()
    return [(_referral(r), r.purpose) for r in rows]


def capacities_of(session: Session, organisation_ids: Sequence[str]) -> dict[str, int | None]:
    """Places per organisation, as :func:`capacity_of`, in two queries for many organisations."""
    ids = list(organisation_ids)
    services = dict(session.execute(
        select(t.HubServiceRow.organisation_id, func.sum(t.HubServiceRow.capacity))
        .where(t.HubServiceRow.organisation_id.in_(ids), t.HubServiceRow.status == "active",
               t.HubServiceRow.capacity.is_not(None))
        .group_by(t.HubServiceRow.organisation_id)).all())
    placements = dict(session.execute(
        select(t.OrganisationRow.id, t.OrganisationRow.asf_placement_capacity)
        .where(t.OrganisationRow.id.in_(ids))).all())
    found: dict[str, int | None] = {}
    for i in ids:
        total = services.get(i)
        found[i] = int(total) if total is not None else placements.get(i)
    return found


def people_in_places(session: Session, organisation_ids: Sequence[str], *, on: date
                     ) -> dict[str, set[str]]:
    """Per organisation, the people holding one of its places on ``on``.

    A person holds a place while enrolled in one of the organisation's opportunities (no end,
    or an end on or after ``on``) or while a referral to it is accepted or started; a person
    with both counts once.
    """
    ids = list(organisation_ids)
    held: dict[str, set[str]] = {i: set() for i in ids}
    enrolled = session.execute(
        select(t.OpportunityRow.organisation_id, t.EnrolmentRow.person_id)
        .join(t.OpportunityRow, t.OpportunityRow.id == t.EnrolmentRow.opportunity_id)
        .where(t.OpportunityRow.organisation_id.in_(ids), t.EnrolmentRow.start <= on,
               or_(t.EnrolmentRow.end.is_(None), t.EnrolmentRow.end >= on))).all()
    referred = session.execute(
        select(t.ReferralRow.to_organisation_id, t.ReferralRow.person_id)
        .where(t.ReferralRow.to_organisation_id.in_(ids),
               t.ReferralRow.state.in_(("accepted", "started")))).all()
    for org, person in [*enrolled, *referred]:
        held[str(org)].add(str(person))
    return held


# The directory ---------------------------------------------------------------------------------


def load_directory(session: Session, *, organisation_ids: Iterable[str] | None = None) -> Directory:
    """The directory (of some organisations, when given), in id order."""
    orgs = select(t.OrganisationRow).order_by(t.OrganisationRow.id)
    services = select(t.HubServiceRow).order_by(t.HubServiceRow.id)
    locations = select(t.HubLocationRow).order_by(t.HubLocationRow.id)
    if organisation_ids is not None:
        ids = list(organisation_ids)
        orgs = orgs.where(t.OrganisationRow.id.in_(ids))
        services = services.where(t.HubServiceRow.organisation_id.in_(ids))
        locations = locations.where(t.HubLocationRow.organisation_id.in_(ids))
    service_rows = session.scalars(services).all()
    links = session.scalars(select(t.HubServiceAtLocationRow).where(
        t.HubServiceAtLocationRow.service_id.in_([s.id for s in service_rows]))
        .order_by(t.HubServiceAtLocationRow.id)).all()
    return Directory(
        organisations=tuple(organisation_from_row(r) for r in session.scalars(orgs).all()),
        services=tuple(HubService(r.id, r.organisation_id, r.name, r.category,  # type: ignore[arg-type]
                                  description=r.description, status=r.status, email=r.email,
                                  url=r.url, capacity=r.capacity, available=r.available,
                                  capacity_unit=r.capacity_unit) for r in service_rows),
        locations=tuple(Location(r.id, r.organisation_id, r.name, r.municipality_code, r.latitude,
                                 r.longitude, r.address_1, r.city, r.postal_code)
                        for r in session.scalars(locations).all()),
        service_at_locations=tuple(ServiceAtLocation(r.id, r.service_id, r.location_id)
                                   for r in links),
    )


def save_directory(session: Session, directory: Directory) -> None:
    """Insert or replace the directory's organisations, and replace their services and places."""
    ids = [o.id for o in directory.organisations]
    for org in directory.organisations:
        row = session.get(t.OrganisationRow, org.id) or t.OrganisationRow(id=org.id)
        row.name, row.kind, row.municipality_code = org.name, org.kind.value, org.municipality_code
        row.org_number, row.sni = org.org_number, org.sni
        row.asf_services = list(org.asf.services_offered) if org.asf else None
        row.asf_placement_capacity = org.asf.placement_capacity if org.asf else None
        session.add(row)
    session.flush()
    owned = [s.id for s in session.scalars(select(t.HubServiceRow)
                                           .where(t.HubServiceRow.organisation_id.in_(ids)))]
    session.execute(delete(t.HubServiceAtLocationRow)
                    .where(t.HubServiceAtLocationRow.service_id.in_(owned)))
    session.execute(delete(t.HubServiceRow).where(t.HubServiceRow.organisation_id.in_(ids)))
    session.execute(delete(t.HubLocationRow).where(t.HubLocationRow.organisation_id.in_(ids)))
    insert_many(session, t.HubServiceRow, [
        {"id": s.id, "organisation_id": s.organisation_id, "name": s.name,
         "category": s.category.value, "description": s.description, "status": s.status,
         "email": s.email, "url": s.url, "capacity": s.capacity, "available": s.available,
         "capacity_unit": s.capacity_unit} for s in directory.services])
    insert_many(session, t.HubLocationRow, [
        {"id": loc.id, "organisation_id": loc.organisation_id, "name": loc.name,
         "municipality_code": loc.municipality_code, "latitude": loc.latitude,
         "longitude": loc.longitude, "address_1": loc.address_1, "city": loc.city,
         "postal_code": loc.postal_code} for loc in directory.locations])
    insert_many(session, t.HubServiceAtLocationRow, [
        {"id": sal.id, "service_id": sal.service_id, "location_id": sal.location_id}
        for sal in directory.service_at_locations])
    session.flush()


def save_hsds_records(session: Session, records: Iterable[HsdsRecord]) -> None:
    """Insert or replace imported HSDS objects (by object type and id)."""
    for record in records:
        row = session.get(t.HsdsRecordRow, (record.object_type, record.id)) or t.HsdsRecordRow(
            object_type=record.object_type, id=record.id)
        row.mapped, row.document = record.mapped, record.document
        session.add(row)
    session.flush()


def hsds_records(session: Session) -> list[HsdsRecord]:
    """Every kept HSDS object, by object type and id."""
    rows = session.scalars(select(t.HsdsRecordRow).order_by(t.HsdsRecordRow.object_type,
                                                             t.HsdsRecordRow.id))
    return [HsdsRecord(r.object_type, r.id, dict(r.document), bool(r.mapped)) for r in rows]


# Offers, needs and agreements ------------------------------------------------------------------


def _posting(r: t.HubPostingRow) -> Posting:
    return Posting(r.id, r.organisation_id, r.side, r.kind, r.category, r.title,  # type: ignore[arg-type]
                   r.municipality_code, r.posted, description=r.description, quantity=r.quantity,
                   reserved_contract=r.reserved_contract, social_criteria=r.social_criteria,
                   valid_until=r.valid_until, status=r.status)


def save_postings(session: Session, items: Iterable[Posting]) -> None:
    """Insert postings."""
    insert_many(session, t.HubPostingRow, [
        {"id": p.id, "organisation_id": p.organisation_id, "side": p.side.value,
         "kind": p.kind.value, "category": p.category.value, "title": p.title,
         "description": p.description, "municipality_code": p.municipality_code,
         "quantity": p.quantity, "reserved_contract": p.reserved_contract,
         "social_criteria": p.social_criteria, "posted": p.posted, "valid_until": p.valid_until,
         "status": p.status} for p in items])


def postings(session: Session, *, side: str | None = None, status: str | None = "open",
             ids: Sequence[str] | None = None) -> list[Posting]:
    """Postings, newest first."""
    query = select(t.HubPostingRow).order_by(t.HubPostingRow.posted.desc(), t.HubPostingRow.id)
    if side is not None:
        query = query.where(t.HubPostingRow.side == side)
    if status is not None:
        query = query.where(t.HubPostingRow.status == status)
    if ids is not None:
        query = query.where(t.HubPostingRow.id.in_(list(ids)))
    return [_posting(r) for r in session.scalars(query).all()]


def save_agreement(session: Session, agreement: Agreement, *, at: datetime, by: str) -> None:
    """Insert an agreement."""
    session.add(t.HubAgreementRow(
        id=agreement.id, buyer_organisation_id=agreement.buyer_organisation_id,
        supplier_organisation_id=agreement.supplier_organisation_id,
        need_id=agreement.need_id, offer_id=agreement.offer_id, starts=agreement.starts,
        ends=agreement.ends, terms=agreement.terms, recorded_at=at, recorded_by=by))
    session.flush()


def agreements(session: Session, *, organisation_id: str | None = None) -> list[Agreement]:
    """Agreements (of one party, when given), newest first."""
    query = select(t.HubAgreementRow).order_by(t.HubAgreementRow.starts.desc(),
                                               t.HubAgreementRow.id)
    if organisation_id is not None:
        query = query.where(or_(t.HubAgreementRow.buyer_organisation_id == organisation_id,
                                t.HubAgreementRow.supplier_organisation_id == organisation_id))
    return [Agreement(r.id, r.buyer_organisation_id, r.supplier_organisation_id, r.starts,
                      r.terms, r.ends, r.need_id, r.offer_id)
            for r in session.scalars(query).all()]


# Follow-up -------------------------------------------------------------------------------------


def save_enrolments(session: Session, items: Iterable[Enrolment]) -> None:
    """Insert enrolments."""
    insert_many(session, t.EnrolmentRow, [
        {"id": e.id, "person_id": e.person_id, "opportunity_id": e.opportunity_id,
         "start": e.start, "end": e.end} for e in items])


def save_exits(session: Session, items: Iterable[Exit]) -> None:
    """Insert exits."""
    insert_many(session, t.ExitRow, [
        {"enrolment_id": x.enrolment_id, "person_id": x.person_id, "on": x.on,
         "destination": x.destination.value} for x in items])


def save_outcomes(session: Session, items: Iterable[Outcome]) -> None:
    """Insert outcomes."""
    insert_many(session, t.OutcomeRow, [
        {"enrolment_id": o.enrolment_id, "days_after_exit": o.days_after_exit,
         "person_id": o.person_id, "status": o.status.value} for o in items])


def save_assessments(session: Session, items: Iterable[ProgressAssessment]) -> None:
    """Insert self-assessments."""
    insert_many(session, t.ProgressAssessmentRow, [
        {"person_id": a.person_id, "assessed_on": a.assessed_on, "dimension": a.dimension.value,
         "score": a.score} for a in items])


def enrolments_of(session: Session, person_id: str) -> list[tuple[Enrolment, str, str]]:
    """A person's enrolments with the opportunity's title and organisation."""
    rows = session.execute(
        select(t.EnrolmentRow, t.OpportunityRow.title, t.OpportunityRow.organisation_id)
        .join(t.OpportunityRow, t.OpportunityRow.id == t.EnrolmentRow.opportunity_id)
        .where(t.EnrolmentRow.person_id == person_id).order_by(t.EnrolmentRow.start)).all()
    return [(Enrolment(r.id, PersonId(r.person_id), OpportunityId(r.opportunity_id), r.start,
                       r.end), title, org) for r, title, org in rows]


def exits_of(session: Session, person_id: str) -> list[Exit]:
    """A person's exits."""
    return [Exit(r.enrolment_id, PersonId(r.person_id), r.on, r.destination)  # type: ignore[arg-type]
            for r in session.scalars(select(t.ExitRow).where(t.ExitRow.person_id == person_id)
                                     .order_by(t.ExitRow.on))]


def outcomes(session: Session, *, person_id: str | None = None) -> list[Outcome]:
    """Outcomes (of one person, when given)."""
    o = t.OutcomeRow
    query = select(o.enrolment_id, o.person_id, o.days_after_exit, o.status).order_by(
        o.enrolment_id, o.days_after_exit)
    if person_id is not None:
        query = query.where(o.person_id == person_id)
    return [Outcome(e, PersonId(p), d, s)  # type: ignore[arg-type]
            for e, p, d, s in session.execute(query)]


def assessments(session: Session, *, person_id: str | None = None) -> list[ProgressAssessment]:
    """Self-assessments (of one person, when given), oldest first."""
    a = t.ProgressAssessmentRow
    query = select(a.person_id, a.assessed_on, a.dimension, a.score).order_by(
        a.person_id, a.assessed_on, a.dimension)
    if person_id is not None:
        query = query.where(a.person_id == person_id)
    # plain rows, not ORM objects: the indicators read tens of thousands
    return [ProgressAssessment(PersonId(p), on, d, s)  # type: ignore[arg-type]
            for p, on, d, s in session.execute(query)]


@dataclass(frozen=True, slots=True)
class ParticipantRow:
    """An enrolment joined to what the indicators break it down by (protected fields included)."""

    person_id: str
    enrolment_id: str
    municipality_code: str
    organisation_id: str
    group: str
    start: date
    end: date | None
    gender: str | None
    birth_year: int | None
    born_abroad: bool | None


def participant_rows(session: Session, *, start: date | None, end: date | None
                     ) -> list[ParticipantRow]:
    """Enrolments overlapping ``[start, end]`` with municipality and protected attributes.

    For aggregate indicators only: never shown per person.
    """
    query: Any = (select(t.EnrolmentRow.person_id, t.EnrolmentRow.id, t.PersonRow.municipality_code,
                         t.OpportunityRow.organisation_id, t.OpportunityRow.kind,
                         t.EnrolmentRow.start, t.EnrolmentRow.end,
                         t.ProtectedAttributesRow.gender, t.ProtectedAttributesRow.birth_year,
                         t.ProtectedAttributesRow.born_abroad)
                  .join(t.PersonRow, t.PersonRow.id == t.EnrolmentRow.person_id)
                  .join(t.OpportunityRow, t.OpportunityRow.id == t.EnrolmentRow.opportunity_id)
                  .outerjoin(t.ProtectedAttributesRow,
                             t.ProtectedAttributesRow.person_id == t.EnrolmentRow.person_id)
                  .order_by(t.EnrolmentRow.id))
    if end is not None:
        query = query.where(t.EnrolmentRow.start <= end)
    if start is not None:
        query = query.where(or_(t.EnrolmentRow.end.is_(None), t.EnrolmentRow.end >= start))
    return [ParticipantRow(*row) for row in session.execute(query).all()]


@dataclass(frozen=True, slots=True)
class EsfRow:
    """An enrolment with what the ESF+ indicators classify (aggregates only, never shown)."""

    person_id: str
    enrolment_id: str
    organisation_id: str
    start: date
    status: str | None
    status_since: date | None
    sun_level: str | None
    gender: str | None
    birth_year: int | None
    born_abroad: bool | None
    disability: bool | None
    exit_on: date | None
    exit_destination: str | None
    outcome_180: str | None


def esf_rows(session: Session, *, start: date | None, end: date | None,
             organisation_id: str | None = None) -> list[EsfRow]:
    """Enrolments overlapping ``[start, end]`` (of one organisation's opportunities, if given).

    For the ESF+ aggregate indicators only: never shown per person.
    """
    outcome = (select(t.OutcomeRow.enrolment_id, t.OutcomeRow.status)
               .where(t.OutcomeRow.days_after_exit == 180).subquery())
    query: Any = (select(t.EnrolmentRow.person_id, t.EnrolmentRow.id,
                         t.OpportunityRow.organisation_id, t.EnrolmentRow.start,
                         t.PersonRow.status, t.PersonRow.status_since, t.PersonRow.sun_level,
                         t.ProtectedAttributesRow.gender, t.ProtectedAttributesRow.birth_year,
                         t.ProtectedAttributesRow.born_abroad,
                         t.ProtectedAttributesRow.disability, t.ExitRow.on,
                         t.ExitRow.destination, outcome.c.status)
                  .join(t.PersonRow, t.PersonRow.id == t.EnrolmentRow.person_id)
                  .join(t.OpportunityRow, t.OpportunityRow.id == t.EnrolmentRow.opportunity_id)
                  .outerjoin(t.ProtectedAttributesRow,
                             t.ProtectedAttributesRow.person_id == t.EnrolmentRow.person_id)
                  .outerjoin(t.ExitRow, t.ExitRow.enrolment_id == t.EnrolmentRow.id)
                  .outerjoin(outcome, outcome.c.enrolment_id == t.EnrolmentRow.id)
                  .order_by(t.EnrolmentRow.id))
    if end is not None:
        query = query.where(t.EnrolmentRow.start <= end)
    if start is not None:
        query = query.where(or_(t.EnrolmentRow.end.is_(None), t.EnrolmentRow.end >= start))
    if organisation_id is not None:
        query = query.where(t.OpportunityRow.organisation_id == organisation_id)
    return [EsfRow(*row) for row in session.execute(query).all()]


def exits_in(session: Session, enrolment_ids: Sequence[str]) -> dict[str, date]:
    """The exit day of each of these enrolments that has one."""
    return {str(e): on for e, on in session.execute(
        select(t.ExitRow.enrolment_id, t.ExitRow.on)
        .where(t.ExitRow.enrolment_id.in_(list(enrolment_ids)))).all()}
