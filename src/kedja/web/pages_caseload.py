"""The case worker's pages: the caseload and the person's case, with the actions on it.

Thin: every read and write is a service call that passes the gate (``kedja.services.caseload``,
``kedja.services.case_file``, ``kedja.services.consents``).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kedja import services
from kedja.core.access import Permission, Purpose, is_permitted
from kedja.core.organisations import OrganisationKind
from kedja.services import SignedIn
from kedja.services.case_file import (
    MAX_NOTE_LENGTH,
    TARGET_KINDS,
    add_note,
    case_file,
    referral_targets,
)
from kedja.services.caseload import (
    CaseloadQuery,
    caseload,
    municipality_names,
    occupation_names,
)
from kedja.web.deps import EngineDep
from kedja.web.pages import render
from kedja.web.security import require

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

PeopleReader = Annotated[SignedIn, Depends(require(Permission.READ_PEOPLE))]
CaseWorker = Annotated[SignedIn, Depends(require(Permission.RECORD_CONSENT))]
Choice = Annotated[str, Query(max_length=32)]


@router.get("/people", response_class=HTMLResponse)
def caseload_page(request: Request, engine: EngineDep, signed: PeopleReader,
                  scope: Choice = "all", q: Annotated[str, Query(max_length=100)] = "",
                  status: Choice = "", municipality: Choice = "", without_work: Choice = "",
                  support: Choice = "", consent: Choice = "", referral: Choice = "",
                  sort: Choice = "without_work",
                  page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> HTMLResponse:
    """The caseload: mine, my unit or all I may see, searched, filtered, sorted and paged."""
    query = CaseloadQuery(scope=scope, q=q, status=status, municipality=municipality,
                          without_work=without_work, support=support, consent=consent,
                          referral=referral, sort=sort, page=page)
    result = caseload(engine, signed.principal, query)
    codes = {r.occupation_code for r in result.page.items if r.occupation_code}
    filters = {k: v for k, v in {
        "scope": result.query.scope, "q": result.query.q, "status": result.query.status,
        "municipality": result.query.municipality, "without_work": result.query.without_work,
        "support": result.query.support, "consent": result.query.consent,
        "referral": result.query.referral, "sort": result.query.sort}.items() if v}

    def page_url(number: int, **changes: str) -> str:
        return "/people?" + urlencode({**filters, **changes, "page": number})

    template = ("people_rows.html" if request.headers.get("HX-Request")
                and request.headers.get("HX-Target") == "people" else "people.html")
    return render(request, template, {
        "active": "people", "result": result, "page_url": page_url,
        "occupations": occupation_names(engine, codes)})


@router.get("/people/{person_id}", response_class=HTMLResponse)
def person_page(request: Request, engine: EngineDep, signed: PeopleReader, person_id: str,
                recorded: Annotated[str | None, Query(max_length=64)] = None,
                noted: Annotated[bool, Query()] = False,
                kind: Annotated[OrganisationKind, Query()] = OrganisationKind.ASF) -> HTMLResponse:
    """The person's case: profile, consents, allocated step, referrals, notes and actions."""
    case = case_file(engine, signed.principal, person_id)
    full = case.record.view.value == "full"
    targets = (referral_targets(engine, signed.principal, person_id, kind=kind)
               if full and _is_case_worker(signed) else [])
    codes = {o.occupation_code for o in case.record.person.past_occupations}
    codes |= {c for c in (case.record.person.situation.occupation_code,) if c}
    return render(request, "person.html", {
        "active": "people", "case": case, "record": case.record, "name": case.name,
        "recorded": next((c.organisation_name for c in case.consents
                          if c.organisation_id == recorded), recorded),
        "noted": noted, "targets": targets, "kind": kind,
        "kinds": [k for k in TARGET_KINDS if k.value != signed.principal.organisation_kind],
        "purposes": [p for p in Purpose if p in PURPOSES_TO_RECORD],
        "municipalities": municipality_names(engine), "max_note": MAX_NOTE_LENGTH,
        "occupations": occupation_names(engine, codes)})


PURPOSES_TO_RECORD = (Purpose.CASE_MANAGEMENT, Purpose.MATCHING, Purpose.RECRUITMENT,
                      Purpose.FOLLOW_UP, Purpose.WORKFORCE_PLANNING)
"""The purposes a case worker records a consent for (requests and reviews are not consents)."""


def _is_case_worker(signed: SignedIn) -> bool:
    return is_permitted(signed.principal, Permission.RECORD_CONSENT)


@router.get("/people/{person_id}/targets", response_class=HTMLResponse)
def targets_fragment(request: Request, engine: EngineDep, signed: CaseWorker, person_id: str,
                     kind: Annotated[OrganisationKind, Query()] = OrganisationKind.ASF
                     ) -> HTMLResponse:
    """The organisation picker's rows for another kind (an htmx fragment)."""
    targets = referral_targets(engine, signed.principal, person_id, kind=kind)
    return render(request, "referral_targets.html", {
        "targets": targets, "person_id": person_id,
        "municipalities": municipality_names(engine)})


@router.post("/people/{person_id}/consents")
def record_consent_form(engine: EngineDep, signed: CaseWorker, person_id: str,
                        organisation_id: Annotated[str, Form(min_length=1, max_length=64)],
                        purposes: Annotated[list[Purpose] | None, Form()] = None) -> Response:
    """Record a consent (for the purposes ticked; none ticked: every purpose)."""
    services.record_consent(engine, signed.principal, person_id, organisation_id.strip(),
                            purposes=purposes or None)
    return RedirectResponse(f"/people/{quote(person_id)}?recorded={quote(organisation_id)}#sharing",
                            status_code=303)


@router.post("/people/{person_id}/notes")
def note_form(engine: EngineDep, signed: CaseWorker, person_id: str,
              text: Annotated[str, Form(min_length=1, max_length=MAX_NOTE_LENGTH)]) -> Response:
    """Add a note to the person's case (for the user's organisation)."""
    add_note(engine, signed.principal, person_id, text)
    return RedirectResponse(f"/people/{quote(person_id)}?noted=true#notes", status_code=303)
