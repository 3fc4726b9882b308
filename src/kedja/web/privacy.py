"""A person's data export for an access request (GDPR art. 15): JSON and a readable page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from kedja.core.access import Permission
from kedja.services import SignedIn
from kedja.services.privacy import export_person_data
from kedja.web.deps import EngineDep
from kedja.web.errors import ErrorResponse
from kedja.web.pages import render
from kedja.web.security import require

__all__ = ["router"]

router = APIRouter()
DataRequests = Annotated[SignedIn, Depends(require(Permission.HANDLE_DATA_REQUESTS))]
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (401, 403, 404, 422)}


@router.get("/api/v1/people/{person_id}/data-export", tags=["people"], responses=ERRORS)
def data_export(engine: EngineDep, signed: DataRequests, person_id: str) -> dict[str, Any]:
    """Everything Kedja holds about a person, with their access log (admins; audited)."""
    return export_person_data(engine, signed.principal, person_id)


@router.get("/admin/people/{person_id}/data-export", response_class=HTMLResponse,
            include_in_schema=False)
def data_export_page(request: Request, engine: EngineDep, signed: DataRequests,
                     person_id: str) -> HTMLResponse:
    """The same export as a readable page, to print or send to the person."""
    data = export_person_data(engine, signed.principal, person_id)
    return render(request, "person_export.html", {"active": "audit", "data": data})
