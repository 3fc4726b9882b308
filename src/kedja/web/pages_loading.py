"""Pages for an organisation's own data: upload a file, see the report, confirm; find a person.

The upload is checked in full before anything is written: the page shows the first rows as
Kedja reads them and every problem with its fix. The confirm form carries the same file back
(base64, so no upload is kept on the server between the two steps) and it is checked again.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from kedja.core.access import Permission, Purpose
from kedja.core.errors import InvalidInput
from kedja.loading import Kind, columns_of
from kedja.services import SignedIn
from kedja.services import loading as loading_service
from kedja.services.identity import search_people
from kedja.services.quality import data_quality
from kedja.web.deps import EngineDep
from kedja.web.i18n import current_locale, gettext
from kedja.web.load_messages import swedish
from kedja.web.pages import render
from kedja.web.security import require

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

MAX_UPLOAD = 5 * 1024 * 1024
Loader = Annotated[SignedIn, Depends(require())]
"""Any signed-in user: the kinds offered, and the service, follow the roles that may load."""
AggregateReader = Annotated[SignedIn, Depends(require(Permission.READ_AGGREGATES))]
PeopleReader = Annotated[SignedIn, Depends(require(Permission.READ_PEOPLE))]


def N_(message: str) -> str:  # noqa: N802 (babel's keyword for a message marked, not translated)
    """Mark a message for the catalogue; it is translated where it is shown."""
    return message


KIND_LABELS = {
    Kind.PEOPLE: N_("Participants"), Kind.EMPLOYEES: N_("Employees"),
    Kind.OPPORTUNITIES: N_("Vacancies"), Kind.COURSES: N_("Courses"),
    Kind.ORGANISATIONS: N_("Organisations"), Kind.PLACES: N_("Placements"),
}


def kind_label(kind: Kind | str) -> str:
    """A kind's name in the page's language."""
    return gettext(KIND_LABELS[Kind(kind)])


def in_locale(text: str) -> str:
    """A loader's message in the page's language (the checks write English)."""
    return swedish(text) if current_locale() == "sv" else text


def _kinds(signed: SignedIn) -> list[Kind]:
    return [k for k in Kind if signed.principal.roles & loading_service.LOADER_ROLES[k]]


def _kind(signed: SignedIn, name: str) -> Kind:
    allowed = _kinds(signed)
    for kind in allowed:
        if kind.value == name:
            return kind
    raise InvalidInput(f"{name!r} is not a kind of file you may load", field="kind", value=name,
                       hint="choose one of " + ", ".join(k.value for k in allowed))


@router.get("/load", response_class=HTMLResponse)
def load_page(request: Request, signed: Loader,
              kind: Annotated[str | None, Query(max_length=32)] = None) -> HTMLResponse:
    """Choose a kind, download its template, upload a file."""
    kinds = _kinds(signed)
    chosen = _kind(signed, kind) if kind else (kinds[0] if kinds else None)
    return render(request, "load.html", {
        "active": "load", "kinds": kinds, "chosen": chosen, "kind_label": kind_label, "in_locale": in_locale,
        "columns": columns_of(chosen) if chosen else ()})


async def _upload_bytes(upload: UploadFile) -> bytes:
    data = await upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InvalidInput("the file is larger than 5 MB", field="file", value=upload.filename,
                           hint="split it, or load it with kedja load on the server")
    if not data:
        raise InvalidInput("the file is empty", field="file", value=upload.filename,
                           hint="choose the file you saved from your spreadsheet")
    return data


@router.post("/load/check", response_class=HTMLResponse)
async def check_upload(request: Request, engine: EngineDep, signed: Loader,
                       kind: Annotated[str, Form(max_length=32)],
                       file: Annotated[UploadFile, File()]) -> HTMLResponse:
    """Check an uploaded file without writing: preview, problems, what would change."""
    chosen = _kind(signed, kind)
    data = await _upload_bytes(file)
    name = (file.filename or "fil")[:200]
    report = await run_in_threadpool(loading_service.load_file, engine, chosen, name, data,
                                     principal=signed.principal, dry_run=True)
    return render(request, "load_report.html", {
        "active": "load", "kind": chosen, "report": report, "filename": name, "kind_label": kind_label,
        "in_locale": in_locale,
        "payload": base64.b64encode(data).decode() if report.ok else None})


@router.post("/load/confirm", response_class=HTMLResponse)
def confirm_upload(request: Request, engine: EngineDep, signed: Loader,
                   kind: Annotated[str, Form(max_length=32)],
                   filename: Annotated[str, Form(max_length=200)],
                   payload: Annotated[str, Form(max_length=MAX_UPLOAD * 2)]) -> HTMLResponse:
    """Load the checked file (checked again: nothing is written unless all of it is valid)."""
    chosen = _kind(signed, kind)
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("the confirmed file was damaged on the way", field="payload",
                           hint="upload the file again") from None
    report = loading_service.load_file(engine, chosen, filename, data, principal=signed.principal)
    return render(request, "load_report.html", {
        "active": "load", "kind": chosen, "report": report, "filename": filename, "payload": None,
        "kind_label": kind_label, "in_locale": in_locale})


@router.get("/load/template")
def template_download(engine: EngineDep, signed: Loader,
                      kind: Annotated[str, Query(max_length=32)]) -> Response:
    """The XLSX template of a kind, with the region's code lists."""
    chosen = _kind(signed, kind)
    return Response(loading_service.kind_template(chosen, engine),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="kedja-{chosen.value}.xlsx"'})


@router.get("/load/example")
def example_download(signed: Loader, kind: Annotated[str, Query(max_length=32)]) -> Response:
    """A small valid CSV of a kind."""
    chosen = _kind(signed, kind)
    return Response(loading_service.kind_example(chosen), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="kedja-{chosen.value}.csv"'})


@router.get("/load/quality", response_class=HTMLResponse)
def quality_page(request: Request, engine: EngineDep, signed: AggregateReader) -> HTMLResponse:
    """Data quality per kind: coverage, codes that map to nothing, stale records (counts only)."""
    return render(request, "load_quality.html", {
        "active": "load", "kinds": data_quality(engine, signed.principal), "kind_label": kind_label,
        "in_locale": in_locale})


@router.get("/search/people", response_class=HTMLResponse)
def search_page(request: Request, engine: EngineDep, signed: PeopleReader,
                q: Annotated[str, Query(max_length=100)] = "") -> HTMLResponse:
    """Find a person of the caseload by name or personal number (searches are logged)."""
    hits = search_people(engine, signed.principal, q, purpose=Purpose.CASE_MANAGEMENT) if q.strip() else None
    names = loading_service.municipality_names(engine)
    return render(request, "people_search.html", {
        "active": "people", "q": q, "hits": hits, "municipality_name": lambda c: names.get(c, c)})
