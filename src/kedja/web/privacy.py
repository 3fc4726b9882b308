"""A person's access request (GDPR art. 15): record it, then export: JSON and a readable page.

An export answers a recorded request (who asked, when, why, how their identity was checked)
and only an admin of an organisation that holds case records gets one; every refusal, an
unknown id included, is the same 403.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from kedja.core.access import Permission
from kedja.services import SignedIn
from kedja.services.privacy import DataExport, export_person_data, record_access_request
from kedja.web.deps import EngineDep
from kedja.web.errors import ErrorResponse
from kedja.web.pages import render
from kedja.web.security import require

__all__ = ["router"]

router = APIRouter()
DataRequests = Annotated[SignedIn, Depends(require(Permission.HANDLE_DATA_REQUESTS))]
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (401, 403, 422)}
RequestId = Annotated[str, Query(min_length=1, max_length=64,
                                 description="The recorded access request this export answers.")]


class AccessRequestCreate(BaseModel):
    """A person's access request as it came: who, when, how, why, and the identity check."""

    requester: str = Field(min_length=1, max_length=255,
                           description="The person, or their representative by name.")
    received: date
    channel: Literal["in_person", "phone", "letter", "e_service"]
    reason: str = Field(min_length=1, max_length=2000)
    identity_check: str = Field(min_length=1, max_length=500,
                                description="How the identity was checked, e.g. BankID.")


class AccessRequestPublic(BaseModel):
    """The recorded request's id: give it to the export."""

    request_id: str
    person_id: str


@router.post("/api/v1/people/{person_id}/access-requests", response_model=AccessRequestPublic,
             status_code=201, tags=["people"], responses=ERRORS)
def access_request(engine: EngineDep, signed: DataRequests, person_id: str,
                   body: AccessRequestCreate) -> AccessRequestPublic:
    """Record a person's access request (admins of organisations holding case records)."""
    request_id = record_access_request(
        engine, signed.principal, person_id, requester=body.requester, received=body.received,
        channel=body.channel, reason=body.reason, identity_check=body.identity_check)
    return AccessRequestPublic(request_id=request_id, person_id=person_id)


@router.get("/api/v1/people/{person_id}/data-export", response_model=DataExport,
            tags=["people"], responses=ERRORS)
def data_export(engine: EngineDep, signed: DataRequests, person_id: str,
                request_id: RequestId) -> DataExport:
    """Everything Kedja holds about a person, with their access log (audited).

    Answers a recorded access request.
    """
    return export_person_data(engine, signed.principal, person_id, request_id=request_id)


@router.get("/admin/people/{person_id}/data-export", response_class=HTMLResponse,
            include_in_schema=False)
def data_export_page(request: Request, engine: EngineDep, signed: DataRequests,
                     person_id: str, request_id: RequestId) -> HTMLResponse:
    """The same export as a readable page, to print or send to the person."""
    data = export_person_data(engine, signed.principal, person_id, request_id=request_id)
    return render(request, "person_export.html", {"active": "audit", "data": data})
