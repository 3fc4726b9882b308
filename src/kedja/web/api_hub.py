"""The JSON API of the collaboration hub and follow-up (``/api/v1``).

The directory, needs and offers are public (no personal data); referrals, journeys and
follow-up records go through the access rules, and the indicators are suppressed aggregates.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from kedja.core.access import Permission, Purpose
from kedja.core.directory import Agreement, Posting, PostingKind, PostingSide, ServiceCategory
from kedja.core.journeys import ExitDestination, OutcomeStatus, ProgressDimension, ReferralState
from kedja.core.organisations import OrganisationKind
from kedja.follow_up import IndicatorTable
from kedja.hub import PostingMatch
from kedja.services import SignedIn, follow_up, hub, referrals
from kedja.services.referrals import ReferralView
from kedja.web.api_people import _errors
from kedja.web.deps import EngineDep
from kedja.web.security import PublicDep, require

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")

ReferralWorker = Annotated[SignedIn, Depends(require(Permission.MANAGE_REFERRALS))]
CaseWorker = Annotated[SignedIn, Depends(require(Permission.RECORD_CONSENT))]
Poster = Annotated[SignedIn, Depends(require(Permission.POST_ON_HUB))]
AggregateReader = Annotated[SignedIn, Depends(require(Permission.READ_AGGREGATES))]
OrganisationReader = Annotated[SignedIn, Depends(require(Permission.READ_ORGANISATIONS))]
PeopleReader = Annotated[SignedIn, Depends(require(Permission.READ_PEOPLE))]
DirectoryAdmin = Annotated[SignedIn, Depends(require(Permission.MANAGE_DIRECTORY))]
READ = _errors(401, 403, 404, 422)
WRITE = _errors(401, 403, 404, 409, 422)
PUBLIC = _errors(404, 422)
Period = Annotated[str | None, Query(max_length=21, pattern=r"^[0-9-]{0,10}:[0-9-]{0,10}$",
                                     description="YYYY-MM-DD:YYYY-MM-DD")]


# Directory (public) ----------------------------------------------------------------------------


class ServicePublic(BaseModel):
    """A service in the directory."""

    id: str
    name: str
    category: ServiceCategory
    description: str
    capacity: int | None
    capacity_unit: str


class DirectoryEntryPublic(BaseModel):
    """An organisation in the public directory."""

    id: str
    name: str
    kind: OrganisationKind
    municipality_code: str
    municipality: str
    services: list[ServicePublic]
    capacity: int | None
    capacity_free: int | None
    """Free places (``kedja.services.capacity.free_places``): the one figure every page shows."""
    capacity_level: str
    needs: int
    offers: int


def _entry(e: hub.DirectoryEntry) -> DirectoryEntryPublic:
    return DirectoryEntryPublic(
        id=e.organisation.id, name=e.organisation.name, kind=e.organisation.kind,
        municipality_code=e.organisation.municipality_code, municipality=e.municipality,
        services=[ServicePublic(id=s.id, name=s.name, category=s.category,
                                description=s.description, capacity=s.capacity,
                                capacity_unit=s.capacity_unit)
                  for s in e.services],
        capacity=e.capacity.capacity, capacity_free=e.capacity.free,
        capacity_level=e.capacity.level, needs=len(e.needs), offers=len(e.offers))


@router.get("/directory", response_model=list[DirectoryEntryPublic], tags=["hub"],
            responses=PUBLIC)
def directory(engine: EngineDep, _anyone: PublicDep,
              kind: Annotated[OrganisationKind | None, Query()] = None,
              category: Annotated[ServiceCategory | None, Query()] = None,
              municipality: Annotated[str | None, Query(pattern=r"^\d{4}$")] = None,
              ) -> list[DirectoryEntryPublic]:
    """The region's actors, their services and capacity (public, no personal data)."""
    return [_entry(e) for e in hub.directory_entries(engine, kind=kind, category=category,
                                                     municipality_code=municipality)]


@router.get("/directory/hsds", tags=["hub"], responses=PUBLIC,
            response_class=Response)
def directory_hsds(engine: EngineDep, _anyone: PublicDep,
                   format: Annotated[Literal["json", "zip"], Query()] = "json") -> Response:
    """The directory as Open Referral HSDS 3.0: JSON, or a zip of the CSV tables."""
    data = hub.export_directory(engine, fmt=format)
    if format == "zip":
        return Response(data, media_type="application/zip", headers={
            "Content-Disposition": 'attachment; filename="kedja-hsds.zip"'})
    return Response(data, media_type="application/json")


class ImportSummary(BaseModel):
    """What an HSDS import stored: Kedja's directory part, and the objects kept as they came."""

    organisations: int
    services: int
    locations: int
    kept: dict[str, int] = {}


@router.post("/directory/hsds", response_model=ImportSummary, tags=["hub"], responses=WRITE)
def import_hsds(engine: EngineDep, signed: DirectoryAdmin,
                file: Annotated[UploadFile, File(description="HSDS JSON or a zip of CSV")],
                ) -> ImportSummary:
    """Import an HSDS 3.0 directory (administrators; one transaction, all or nothing)."""
    data = file.file.read()
    report = hub.import_directory(engine, signed.principal, data, name=file.filename or "")
    d = report.directory
    return ImportSummary(organisations=len(d.organisations), services=len(d.services),
                         locations=len(d.locations), kept=report.kept)


# Offers, needs and agreements -------------------------------------------------------------------


class PostingCreate(BaseModel):
    """A need or an offer to post for your organisation."""

    side: PostingSide
    kind: PostingKind
    category: ServiceCategory
    title: str = Field(min_length=1, max_length=255)
    municipality_code: str | None = Field(default=None, pattern=r"^\d{4}$")
    description: str = Field(default="", max_length=4000)
    quantity: int = Field(default=1, ge=1, le=100_000)
    reserved_contract: bool = False
    social_criteria: bool = False
    valid_until: date | None = None


@router.get("/postings", response_model=list[Posting], tags=["hub"], responses=PUBLIC)
def postings(engine: EngineDep, _anyone: PublicDep) -> list[Posting]:
    """Open needs and offers (public)."""
    overview = hub.hub_overview(engine)
    return overview.needs + overview.offers


@router.post("/postings", response_model=Posting, status_code=201, tags=["hub"],
             responses=WRITE)
def create_posting(engine: EngineDep, signed: Poster, body: PostingCreate) -> Posting:
    """Post a need or an offer (needs the CSRF token from a browser session)."""
    return hub.create_posting(engine, signed.principal, **body.model_dump())


@router.get("/postings/matches", response_model=list[PostingMatch], tags=["hub"],
            responses=PUBLIC)
def matches(engine: EngineDep, _anyone: PublicDep) -> list[PostingMatch]:
    """Suggested need–offer matches by category, distance and capacity, best first."""
    return hub.posting_matches(engine)


class AgreementCreate(BaseModel):
    """An agreement between your organisation and another."""

    need_id: str | None = Field(default=None, max_length=64)
    offer_id: str | None = Field(default=None, max_length=64)
    buyer_organisation_id: str | None = Field(default=None, max_length=64)
    supplier_organisation_id: str | None = Field(default=None, max_length=64)
    starts: date
    ends: date | None = None
    terms: str = Field(min_length=1, max_length=4000)


@router.get("/agreements", response_model=list[Agreement], tags=["hub"], responses=READ)
def agreements(engine: EngineDep, signed: OrganisationReader) -> list[Agreement]:
    """Agreements between the region's organisations."""
    return hub.list_agreements(engine, signed.principal)


@router.post("/agreements", response_model=Agreement, status_code=201, tags=["hub"],
             responses=WRITE)
def record_agreement(engine: EngineDep, signed: Poster, body: AgreementCreate) -> Agreement:
    """Record an agreement your organisation is party to."""
    return hub.record_agreement(engine, signed.principal, **body.model_dump())


# Referrals ------------------------------------------------------------------------------------


class ReferralCreate(BaseModel):
    """A referral of a person your organisation works with."""

    person_id: str = Field(min_length=1, max_length=64)
    to_organisation_id: str | None = Field(default=None, max_length=64)
    opportunity_id: str | None = Field(default=None, max_length=64)
    purpose: str = Field(min_length=1, max_length=500)
    consent: bool = False


class ReferralMove(BaseModel):
    """The state to move a referral to, and the reason when it ends."""

    state: ReferralState
    reason: str | None = Field(default=None, max_length=500)


class ReferralBoxesPublic(BaseModel):
    """Your organisation's inbox and outbox."""

    inbox: list[ReferralView]
    outbox: list[ReferralView]


@router.get("/referrals", response_model=ReferralBoxesPublic, tags=["referrals"],
            responses=READ)
def referral_boxes(engine: EngineDep, signed: ReferralWorker) -> ReferralBoxesPublic:
    """Referrals your organisation received and sent; a person is named only where visible."""
    boxes = referrals.referral_boxes(engine, signed.principal)
    return ReferralBoxesPublic(inbox=boxes.inbox, outbox=boxes.outbox)


@router.post("/referrals", response_model=ReferralView, status_code=201, tags=["referrals"],
             responses=WRITE)
def create_referral(engine: EngineDep, signed: CaseWorker,
                    body: ReferralCreate) -> ReferralView:
    """Refer a person (by hand, or from a pathway's opportunity)."""
    return referrals.create_referral(engine, signed.principal, **body.model_dump())


@router.get("/referrals/{referral_id}", response_model=ReferralView, tags=["referrals"],
            responses=READ)
def read_referral(engine: EngineDep, signed: ReferralWorker, referral_id: str) -> ReferralView:
    """One referral your organisation sent or received, with its events and capacity."""
    return referrals.read_referral(engine, signed.principal, referral_id)


@router.post("/referrals/{referral_id}/consent", response_model=ReferralView,
             tags=["referrals"], responses=WRITE)
def referral_consent(engine: EngineDep, signed: ReferralWorker,
                     referral_id: str) -> ReferralView:
    """Record the person's consent that the receiver may see their data (the sender)."""
    return referrals.record_referral_consent(engine, signed.principal, referral_id)


@router.post("/referrals/{referral_id}/state", response_model=ReferralView,
             tags=["referrals"], responses=WRITE)
def move_referral(engine: EngineDep, signed: ReferralWorker, referral_id: str,
                  body: ReferralMove) -> ReferralView:
    """Accept, start, complete (the receiver) or end (either side, with a reason)."""
    return referrals.advance_referral(engine, signed.principal, referral_id, body.state,
                                      reason=body.reason)


# Follow-up ------------------------------------------------------------------------------------


@router.get("/people/{person_id}/journey", response_model=follow_up.Journey,
            tags=["follow-up"], responses=READ)
def journey(engine: EngineDep, signed: PeopleReader, person_id: str,
            purpose: Annotated[Purpose, Query(description="Why the journey is read (audited).")]
            = Purpose.FOLLOW_UP) -> follow_up.Journey:
    """Where the person has been: referrals, enrolments, exits, outcomes, self-assessments.

    An employer gets the candidate view: its own referrals and enrolments, no case data.
    """
    return follow_up.person_journey(engine, signed.principal, person_id, purpose=purpose)


class AssessmentCreate(BaseModel):
    """The person's own ratings (1–10) on one day."""

    on: date
    scores: dict[ProgressDimension, Annotated[int, Field(ge=1, le=10)]]


@router.post("/people/{person_id}/assessments", status_code=201, tags=["follow-up"],
             responses=WRITE)
def record_assessment(engine: EngineDep, signed: CaseWorker, person_id: str,
                      body: AssessmentCreate) -> dict[str, int]:
    """Record a self-assessment (audited write)."""
    items = follow_up.record_assessment(engine, signed.principal, person_id, on=body.on,
                                        scores={k.value: v for k, v in body.scores.items()})
    return {"recorded": len(items)}


class ExitCreate(BaseModel):
    """A participant leaving an enrolment."""

    on: date
    destination: ExitDestination


@router.post("/enrolments/{enrolment_id}/exit", status_code=201, tags=["follow-up"],
             responses=WRITE)
def record_exit(engine: EngineDep, signed: CaseWorker, enrolment_id: str,
                body: ExitCreate) -> dict[str, str]:
    """Record an exit and its destination (audited write)."""
    x = follow_up.record_exit(engine, signed.principal, enrolment_id, on=body.on,
                              destination=body.destination.value)
    return {"enrolment_id": x.enrolment_id, "destination": x.destination.value}


class OutcomeCreate(BaseModel):
    """The status at a follow-up point after exit."""

    days_after_exit: Literal[90, 180, 365]
    status: OutcomeStatus


@router.post("/enrolments/{enrolment_id}/outcomes", status_code=201, tags=["follow-up"],
             responses=WRITE)
def record_outcome(engine: EngineDep, signed: CaseWorker, enrolment_id: str,
                   body: OutcomeCreate) -> dict[str, object]:
    """Record an outcome 90, 180 or 365 days after exit (audited write)."""
    o = follow_up.record_outcome(engine, signed.principal, enrolment_id,
                                 days_after_exit=body.days_after_exit, status=body.status.value)
    return {"enrolment_id": o.enrolment_id, "days_after_exit": o.days_after_exit,
            "status": o.status.value}


class IndicatorTablePublic(BaseModel):
    """A suppressed table: ``null`` where a count is hidden."""

    indicator: str
    breakdown: str
    rows: list[str]
    columns: list[str]
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None
    value_name: str | None
    values: list[float | None]
    total_value: float | None


def _table(t: IndicatorTable) -> IndicatorTablePublic:
    p = t.published
    return IndicatorTablePublic(
        indicator=t.indicator, breakdown=t.breakdown, rows=list(t.rows), columns=list(t.columns),
        cells=[list(r) for r in p.cells], row_totals=list(p.row_totals),
        column_totals=list(p.column_totals), total=p.total, value_name=t.value_name,
        values=list(t.values), total_value=t.total_value)


@router.get("/indicators", response_model=list[IndicatorTablePublic], tags=["follow-up"],
            responses=READ)
def indicators(engine: EngineDep, signed: AggregateReader,
               period: Period = None) -> list[IndicatorTablePublic]:
    """Participants, outcomes and progression, with small-cell suppression."""
    span = follow_up.parse_period(period)
    return [_table(t) for t in follow_up.indicator_tables(engine, signed.principal, period=span)]


@router.get("/indicators/equal-treatment", response_model=list[IndicatorTablePublic],
            tags=["follow-up"], responses=READ)
def equal_treatment(engine: EngineDep, signed: AggregateReader,
                    period: Period = None) -> list[IndicatorTablePublic]:
    """Outcomes and progression by gender, age band and birth abroad (suppressed)."""
    span = follow_up.parse_period(period)
    return [_table(t) for t in follow_up.equal_treatment(engine, signed.principal, period=span)]


@router.get("/indicators/export", tags=["follow-up"], responses=READ, response_class=Response)
def indicators_export(engine: EngineDep, signed: AggregateReader, period: Period = None,
                      format: Annotated[Literal["csv", "xlsx"], Query()] = "csv") -> Response:
    """The indicators as CSV or Excel: counts in ``*_n`` columns, suppressed cells empty."""
    data = follow_up.indicators_export(engine, signed.principal, fmt=format,
                                       period=follow_up.parse_period(period))
    media = ("text/csv; charset=utf-8" if format == "csv" else
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return Response(data, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="kedja-indicators.{format}"'})
