"""The JSON API for people, organisations and the audit log, behind the access rules.

Every route declares its access with one dependency (:mod:`kedja.web.security`); the services
check the rules again and write the audit entries.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Generic, Literal, TypeVar

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from kedja import services
from kedja.core.access import Permission, PersonView, Purpose
from kedja.core.audit import AuditEntry
from kedja.core.errors import InvalidInput
from kedja.core.organisations import Organisation, OrganisationKind
from kedja.services import ConsentRecord, Page, PersonRecord, SignedIn
from kedja.services.consents import PersonRequest
from kedja.web.deps import EngineDep
from kedja.web.errors import ErrorResponse
from kedja.web.security import SignedInDep, require

__all__ = [
    "AuditEntryPublic", "OrganisationPublic", "PersonPublic", "UserPublic", "router",
]

router = APIRouter(prefix="/api/v1")
T = TypeVar("T")


def _errors(*statuses: int) -> dict[int | str, dict[str, object]]:
    text = {401: "Not signed in", 403: "Not allowed (role, organisation, consent or CSRF)",
            404: "No such record", 409: "Already so", 422: "Invalid input",
            500: "Database error"}
    return {s: {"model": ErrorResponse, "description": text[s]} for s in (*statuses, 500)}


ERRORS = _errors(401, 403, 422)
PageNumber = Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1.")]
PageSize = Annotated[int, Query(ge=1, le=services.people.MAX_PAGE_SIZE,
                                description="Items per page.")]


class PagePublic(BaseModel, Generic[T]):
    """One page of a list."""

    items: list[T]
    total: int
    page: int
    page_size: int
    pages: int


def _page(page: Page[object], items: list[T]) -> dict[str, object]:
    return {"items": items, "total": page.total, "page": page.page,
            "page_size": page.page_size, "pages": page.pages}


class SkillPublic(BaseModel):
    """A skill a person holds, and how it is known."""

    skill_id: str
    source: str


class PastOccupationPublic(BaseModel):
    """An occupation a person has worked in."""

    occupation_code: str
    years: float


class LanguagePublic(BaseModel):
    """A language and its CEFR level."""

    language: str
    level: str


CASE_ONLY = Field(description="Case view only (null in the candidate view).")


class PersonPublic(BaseModel):
    """A person's record. In the candidate view (employers) the case fields are null."""

    id: str
    view: PersonView
    municipality_code: str
    skills: list[SkillPublic]
    past_occupations: list[PastOccupationPublic]
    sun_level: str | None
    sun_field: str | None
    languages: list[LanguagePublic]
    driving_licences: list[str]
    hours_per_week: int
    available_from: date | None
    preferred_occupations: list[str]
    status: Annotated[str | None, CASE_ONLY] = None
    status_since: Annotated[date | None, CASE_ONLY] = None
    occupation_code: Annotated[str | None, CASE_ONLY] = None
    employer_id: Annotated[str | None, CASE_ONLY] = None
    support_forms: Annotated[list[str] | None, CASE_ONLY] = None
    max_commute_minutes: Annotated[int | None, CASE_ONLY] = None
    adaptations: Annotated[list[str] | None, CASE_ONLY] = None
    shared_with: Annotated[list[str] | None, CASE_ONLY] = None


def person_public(record: PersonRecord) -> PersonPublic:
    """The API shape of a record in its view."""
    p = record.person
    out = PersonPublic(
        id=p.id, view=record.view, municipality_code=p.municipality_code,
        skills=[SkillPublic(skill_id=s.skill_id, source=s.source.value) for s in p.skills],
        past_occupations=[PastOccupationPublic(occupation_code=o.occupation_code, years=o.years)
                          for o in p.past_occupations],
        sun_level=p.education.sun_level if p.education else None,
        sun_field=p.education.sun_field if p.education else None,
        languages=[LanguagePublic(language=lang.language, level=lang.level)
                   for lang in p.languages],
        driving_licences=sorted(p.driving_licences),
        hours_per_week=p.constraints.hours_per_week,
        available_from=p.constraints.available_from,
        preferred_occupations=list(p.preferences.occupations),
    )
    if record.view is PersonView.FULL:
        s = p.situation
        out = out.model_copy(update={
            "status": s.status.value, "status_since": s.since, "occupation_code": s.occupation_code,
            "employer_id": s.employer_id, "support_forms": sorted(f.value for f in s.support_forms),
            "max_commute_minutes": p.constraints.max_commute_minutes,
            "adaptations": sorted(p.constraints.adaptations),
            "shared_with": list(record.shared_with) or None})
    return out


class OrganisationPublic(BaseModel):
    """An organisation in the region (register facts, no personal data)."""

    id: str
    name: str
    kind: OrganisationKind
    municipality_code: str
    org_number: str | None
    sni: str | None


def organisation_public(o: Organisation) -> OrganisationPublic:
    """The API shape of an organisation."""
    return OrganisationPublic(id=o.id, name=o.name, kind=o.kind,
                              municipality_code=o.municipality_code, org_number=o.org_number,
                              sni=o.sni)


class AuditEntryPublic(BaseModel):
    """One audit entry: who did what to which record, when and why."""

    id: int | None
    at: datetime
    actor: str
    organisation_id: str | None
    action: str
    subject_type: str
    subject_id: str
    purpose: str | None


def audit_public(e: AuditEntry) -> AuditEntryPublic:
    """The API shape of an audit entry."""
    return AuditEntryPublic(id=e.id, at=e.at, actor=e.actor, organisation_id=e.organisation_id,
                            action=e.action.value, subject_type=e.subject_type,
                            subject_id=e.subject_id, purpose=e.purpose)


class MePublic(BaseModel):
    """The signed-in user."""

    username: str
    display_name: str
    organisation_id: str
    organisation_kind: OrganisationKind
    roles: list[str]
    csrf_token: str = Field(description="Send it as X-CSRF-Token with unsafe requests.")


@router.get("/me", response_model=MePublic, tags=["account"], responses=_errors(401))
def me(signed: SignedInDep) -> MePublic:
    """Who is signed in, their organisation and roles."""
    p = signed.principal
    return MePublic(username=p.username, display_name=signed.display_name,
                    organisation_id=p.organisation_id, organisation_kind=p.organisation_kind,
                    roles=sorted(p.roles), csrf_token=signed.csrf_token)


PeopleReader = Annotated[SignedIn, Depends(require(Permission.READ_PEOPLE))]
PurposeQuery = Annotated[Purpose, Query(description="Why the records are read (audited).")]


@router.get("/people", response_model=PagePublic[PersonPublic], tags=["people"],
            responses=ERRORS)
def list_people(engine: EngineDep, signed: PeopleReader, page: PageNumber = 1,
                page_size: PageSize = 25,
                purpose: PurposeQuery = Purpose.CASE_MANAGEMENT) -> dict[str, object]:
    """People whose records your organisation may see (consent or active referral)."""
    result = services.list_people(engine, signed.principal, purpose=purpose, page=page,
                                  page_size=page_size)
    return _page(result, [person_public(r) for r in result.items])  # type: ignore[arg-type]


@router.get("/people/{person_id}", response_model=PersonPublic, tags=["people"],
            responses=_errors(401, 403, 422))
def read_person(engine: EngineDep, signed: PeopleReader, person_id: str,
                purpose: PurposeQuery = Purpose.CASE_MANAGEMENT) -> PersonPublic:
    """One person's record, when their consent or an active referral opens it to you."""
    return person_public(services.read_person(engine, signed.principal, person_id,
                                              purpose=purpose))


@router.get("/organisations", response_model=PagePublic[OrganisationPublic],
            tags=["organisations"], responses=ERRORS)
def list_organisations(
    engine: EngineDep,
    signed: Annotated[SignedIn, Depends(require(Permission.READ_ORGANISATIONS))],
    kind: Annotated[OrganisationKind | None, Query(description="Only this kind.")] = None,
    page: PageNumber = 1, page_size: PageSize = 25,
) -> dict[str, object]:
    """The organisations in the region."""
    result = services.list_organisations(engine, signed.principal, kind=kind, page=page,
                                         page_size=page_size)
    return _page(result, [organisation_public(o) for o in result.items])  # type: ignore[arg-type]


class PersonRequestBody(BaseModel):
    """The person's own request behind a consent change: who asked, when and how.

    Needed unless your organisation holds the person's case (its own consent covers
    case management).
    """

    requested_by: str = Field(min_length=1, max_length=255)
    received: date
    channel: Literal["in_person", "phone", "letter", "e_service"]

    def request(self) -> PersonRequest:
        """The service's request."""
        return PersonRequest(self.requested_by, self.received, self.channel)


class ConsentCreate(BaseModel):
    """The organisation a person consents to, and for which purposes (all when left out)."""

    organisation_id: str = Field(min_length=1, max_length=64)
    purposes: list[Purpose] | None = Field(default=None, min_length=1, max_length=len(Purpose))
    request: PersonRequestBody | None = None


class ConsentPublic(BaseModel):
    """A person's consent for one organisation."""

    person_id: str
    organisation_id: str
    given: date
    withdrawn: date | None
    purposes: list[str] | None = None
    request_id: str | None = Field(default=None,
                                   description="The person's recorded request, if any.")


def consent_public(c: ConsentRecord) -> ConsentPublic:
    """The API shape of a consent."""
    return ConsentPublic(person_id=c.person_id, organisation_id=c.organisation_id,
                         given=c.given, withdrawn=c.withdrawn,
                         purposes=None if c.purposes is None else list(c.purposes),
                         request_id=c.request_id)


ConsentWriter = Annotated[SignedIn, Depends(require(Permission.RECORD_CONSENT))]
WRITE_ERRORS = _errors(401, 403, 404, 409, 422)


@router.post("/people/{person_id}/consents", response_model=ConsentPublic, status_code=201,
             tags=["people"], responses=WRITE_ERRORS)
def record_consent(engine: EngineDep, signed: ConsentWriter, person_id: str,
                   body: ConsentCreate) -> ConsentPublic:
    """Record the person's consent that an organisation may see their record (audited).

    Needs the session's CSRF token in the ``X-CSRF-Token`` header.
    """
    return consent_public(services.record_consent(
        engine, signed.principal, person_id, body.organisation_id, purposes=body.purposes,
        request=body.request.request() if body.request else None))


@router.delete("/people/{person_id}/consents/{organisation_id}", response_model=ConsentPublic,
               tags=["people"], responses=WRITE_ERRORS)
def withdraw_consent(
    engine: EngineDep, signed: ConsentWriter, person_id: str, organisation_id: str,
    requested_by: Annotated[str | None, Query(max_length=255,
                                              description="Who asked (the person's request).")]
    = None,
    received: Annotated[date | None, Query(description="When the request came.")] = None,
    channel: Annotated[Literal["in_person", "phone", "letter", "e_service"] | None,
                       Query(description="How the request came.")] = None,
) -> ConsentPublic:
    """Record that the person withdraws a consent (audited); needs ``X-CSRF-Token``.

    Unless your organisation holds the person's case, give the person's request
    (``requested_by``, ``received``, ``channel``).
    """
    request = None
    if requested_by is not None or received is not None or channel is not None:
        if received is None or channel is None or not requested_by:
            raise InvalidInput("a request needs who asked, when and how", field="request",
                               hint="give requested_by, received and channel together")
        request = PersonRequest(requested_by, received, channel)
    return consent_public(services.withdraw_consent(engine, signed.principal, person_id,
                                                    organisation_id, request=request))


AuditReader = Annotated[SignedIn, Depends(require(Permission.READ_AUDIT))]


@router.get("/audit", response_model=PagePublic[AuditEntryPublic], tags=["audit"],
            responses=ERRORS)
def audit_log(engine: EngineDep, signed: AuditReader,
              subject_id: Annotated[str | None, Query(max_length=255)] = None,
              actor: Annotated[str | None, Query(max_length=255)] = None,
              page: PageNumber = 1, page_size: PageSize = 50) -> dict[str, object]:
    """The audit log, newest first (admins)."""
    result = services.audit_page(engine, signed.principal, subject_id=subject_id, actor=actor,
                                 page=page, page_size=page_size)
    return _page(result, [audit_public(e) for e in result.items])  # type: ignore[arg-type]


@router.get("/audit/people/{person_id}", response_model=list[AuditEntryPublic], tags=["audit"],
            responses=ERRORS)
def person_access_log(engine: EngineDep, signed: AuditReader,
                      person_id: str) -> list[AuditEntryPublic]:
    """Who accessed a person's record, when and why: for a GDPR access request (admins)."""
    return [audit_public(e) for e in services.person_access_log(engine, signed.principal,
                                                                 person_id)]


class UserPublic(BaseModel):
    """An account without its secrets."""

    username: str
    display_name: str
    organisation_id: str
    roles: list[str]
    sign_in: str
    active: bool


@router.get("/users", response_model=list[UserPublic], tags=["account"], responses=ERRORS)
def list_users(engine: EngineDep,
               signed: Annotated[SignedIn, Depends(require(Permission.MANAGE_USERS))],
               organisation_id: Annotated[str | None, Query(max_length=64)] = None,
               ) -> list[UserPublic]:
    """The accounts (of one organisation, when given), without secrets (admins)."""
    return [UserPublic(username=u.username, display_name=u.display_name,
                       organisation_id=u.organisation_id, roles=list(u.roles),
                       sign_in=u.sign_in, active=u.active)
            for u in services.list_users(engine, organisation_id=organisation_id,
                                         actor=signed.principal)]
