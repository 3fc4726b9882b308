"""The ESF+ report: choose a period and an organisation, read the tables, download the workbook.

``/esf`` (page) and ``/api/v1/indicators/esf`` (JSON, or the XLSX workbook with
``format=xlsx``) for roles that read aggregates; the analyst and the admin for any
organisation or the whole region, every other role for its own organisation
(:mod:`kedja.services.esf`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from kedja.core.access import Permission
from kedja.core.errors import InvalidInput
from kedja.follow_up.esf import ESF_GROUPS, ESF_INDICATORS
from kedja.follow_up.esf_export import ESF_LABELS, ESF_TITLES, derived_total
from kedja.services import SignedIn, esf
from kedja.web.api_hub import IndicatorTablePublic, _table
from kedja.web.api_people import _errors
from kedja.web.deps import EngineDep
from kedja.web.pages import render
from kedja.web.security import require

__all__ = ["api_router", "router"]

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1")

AggregateReader = Annotated[SignedIn, Depends(require(Permission.READ_AGGREGATES))]
PeriodText = Annotated[str | None, Query(max_length=21, description="YYYY-MM-DD:YYYY-MM-DD")]
OrganisationId = Annotated[str, Query(max_length=64, description="an organisation's id, or "
                                                                  "empty for the whole region")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(report: esf.EsfReport) -> str:
    start = report.start.isoformat() if report.start else "start"
    return f"esf-indikatorer-{report.organisation_id or 'regionen'}-{start}-{report.end}.xlsx"


@router.get("/esf", response_class=HTMLResponse)
def esf_page(request: Request, engine: EngineDep, signed: AggregateReader,
             period: PeriodText = None, organisation: OrganisationId = "") -> HTMLResponse:
    """The ESF+ indicators of a period and an organisation, with the download link."""
    choices = esf.reporting_organisations(engine, signed.principal)
    context = {"active": "indicators", "period": period or "", "organisation": organisation,
               "choices": choices, "groups": ESF_GROUPS, "indicators": ESF_INDICATORS,
               "labels": ESF_LABELS, "titles": ESF_TITLES, "derived": derived_total}
    try:
        report = esf.esf_report(engine, signed.principal, period=period,
                                organisation_id=organisation or None)
    except InvalidInput:  # the form again, with what to write
        return render(request, "esf.html", {**context, "report": None, "period_error": True},
                      status_code=422)
    return render(request, "esf.html", {
        **context, "report": report, "tables": {t.indicator: t for t in report.tables},
        "organisation": report.organisation_id or ""})


class EsfTablePublic(IndicatorTablePublic):
    """One ESF+ table: people by gender (rows) and category, with its ESF+ codes."""

    codes: str


class EsfReportPublic(BaseModel):
    """The ESF+ indicators of a period and an organisation (``None``: the whole region)."""

    start: str | None
    end: str
    organisation_id: str | None
    tables: list[EsfTablePublic]


@api_router.get("/indicators/esf", tags=["follow-up"], response_model=EsfReportPublic,
                responses={**_errors(401, 403, 404, 422),
                           200: {"content": {XLSX: {}}, "description": "the tables"}})
def esf_indicators(engine: EngineDep, signed: AggregateReader, period: PeriodText = None,
                   organisation: OrganisationId = "",
                   format: Annotated[Literal["json", "xlsx"], Query()] = "json") -> Response:
    """The ESF+ common indicators (Regulation (EU) 2021/1057, Annex I), cell-key protected."""
    report = esf.esf_report(engine, signed.principal, period=period,
                            organisation_id=organisation or None)
    if format == "xlsx":
        return Response(esf.report_workbook(report), media_type=XLSX, headers={
            "Content-Disposition": f'attachment; filename="{_filename(report)}"'})
    codes = {i.indicator: i.codes for i in ESF_INDICATORS}
    public = EsfReportPublic(
        start=report.start.isoformat() if report.start else None, end=report.end.isoformat(),
        organisation_id=report.organisation_id,
        tables=[EsfTablePublic(**_table(t).model_dump(), codes=codes[t.indicator])
                for t in report.tables])
    return Response(public.model_dump_json(), media_type="application/json")
