"""Pages of the collaboration hub and follow-up.

The public directory, needs and offers, the referral inbox and outbox, a referral, a person's
journey and the indicators dashboard.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Engine

from kedja import services
from kedja.core.access import Permission
from kedja.core.directory import PostingKind, ServiceCategory
from kedja.core.errors import InvalidInput
from kedja.core.journeys import ReferralState
from kedja.core.organisations import OrganisationKind
from kedja.follow_up import IndicatorTable
from kedja.services import SignedIn, audit, follow_up, hub, referrals
from kedja.services import forecast_collaboration as collaboration
from kedja.services.case_file import TARGET_KINDS, referral_targets
from kedja.services.caseload import municipality_names
from kedja.services.referral_lists import referral_list
from kedja.web import charts, i18n
from kedja.web.deps import EngineDep
from kedja.web.pages import LANG_COOKIE, render
from kedja.web.security import PublicDep, require

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

ReferralWorker = Annotated[SignedIn, Depends(require(Permission.MANAGE_REFERRALS))]
CaseWorker = Annotated[SignedIn, Depends(require(Permission.RECORD_CONSENT))]
Poster = Annotated[SignedIn, Depends(require(Permission.POST_ON_HUB))]
AggregateReader = Annotated[SignedIn, Depends(require(Permission.READ_AGGREGATES))]
PeopleReader = Annotated[SignedIn, Depends(require(Permission.READ_PEOPLE))]
Text = Annotated[str, Form(min_length=1, max_length=500)]
OptionalText = Annotated[str, Form(max_length=500)]


@router.get("/directory", response_class=HTMLResponse)
def directory_page(request: Request, engine: EngineDep, _anyone: PublicDep,
                   kind: Annotated[OrganisationKind | None, Query()] = None,
                   category: Annotated[ServiceCategory | None, Query()] = None) -> HTMLResponse:
    """The region's actors: what ASFs sell and their places, providers' courses, needs."""
    entries = hub.directory_entries(engine, kind=kind, category=category)
    counts: dict[str, int] = {}
    for e in entries:
        counts[e.organisation.municipality_code] = counts.get(e.organisation.municipality_code, 0) + 1
    names: dict[str, str] = {m.code: m.name for m in services.region_overview(engine).municipalities}
    i18n.use_locale(i18n.choose_locale(request.query_params.get("lang"),
                                       request.cookies.get(LANG_COOKIE)))
    _ = i18n.gettext
    spec = charts.count_map(counts, collaboration.region_boundaries(), names=names,
                            title=_("Actors per municipality"), legend=_("Actors"),
                            area_title=_("Municipality"))
    return render(request, "directory.html", {
        "active": "directory", "entries": entries, "kind": kind, "category": category,
        "kinds": list(OrganisationKind), "categories": list(ServiceCategory),
        "map_spec": spec, "municipality_counts": sorted(
            ((names.get(code, code), n) for code, n in counts.items()), key=lambda x: (-x[1], x[0]))})


@router.get("/directory/{organisation_id}", response_class=HTMLResponse)
def directory_entry_page(request: Request, engine: EngineDep, _anyone: PublicDep,
                         organisation_id: str) -> HTMLResponse:
    """One organisation: services, places, capacity, needs and offers (public)."""
    return render(request, "directory_entry.html", {
        "active": "directory", "entry": hub.directory_entry(engine, organisation_id)})


@router.get("/hub", response_class=HTMLResponse)
def hub_page(request: Request, engine: EngineDep, signed: PublicDep,
             posted: Annotated[str | None, Query(max_length=64)] = None,
             mine: Annotated[bool, Query()] = False) -> HTMLResponse:
    """Needs and offers, the suggested matches and (signed in) the agreements; ``mine``: my own."""
    own = signed.principal.organisation_id if signed is not None and mine else None
    overview = hub.hub_overview(engine, organisation_id=own)
    return render(request, "hub.html", {
        "active": "hub", "overview": overview, "posted": posted, "mine": own is not None,
        "postings": overview.postings,
        "kinds": list(PostingKind), "categories": list(ServiceCategory)})


@router.post("/hub/postings")
def post_form(engine: EngineDep, signed: Poster,
              side: Annotated[str, Form(pattern="^(need|offer)$")],
              kind: Annotated[PostingKind, Form()], category: Annotated[ServiceCategory, Form()],
              title: Text, description: OptionalText = "",
              quantity: Annotated[int, Form(ge=1, le=100_000)] = 1,
              reserved_contract: Annotated[bool, Form()] = False,
              social_criteria: Annotated[bool, Form()] = False) -> RedirectResponse:
    """Post a need or an offer for the user's organisation."""
    posting = hub.create_posting(engine, signed.principal, side=side, kind=kind,
                                 category=category, title=title, description=description,
                                 quantity=quantity, reserved_contract=reserved_contract,
                                 social_criteria=social_criteria)
    return RedirectResponse(f"/hub?posted={quote(posting.id)}", status_code=303)


@router.post("/hub/agreements")
def agreement_form(engine: EngineDep, signed: Poster,
                   need_id: Annotated[str, Form(min_length=1, max_length=64)],
                   offer_id: Annotated[str, Form(min_length=1, max_length=64)],
                   starts: Annotated[date, Form()], terms: Text,
                   ends: Annotated[date | None, Form()] = None) -> RedirectResponse:
    """Record an agreement from a suggested match."""
    agreement = hub.record_agreement(engine, signed.principal, need_id=need_id,
                                     offer_id=offer_id, starts=starts, ends=ends, terms=terms)
    return RedirectResponse(f"/hub?posted={quote(agreement.id)}#agreements", status_code=303)


@router.get("/referrals", response_class=HTMLResponse)
def referrals_page(request: Request, engine: EngineDep, signed: ReferralWorker,
                   direction: Annotated[str, Query(max_length=8)] = "all",
                   state: Annotated[str, Query(max_length=16)] = "",
                   page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> HTMLResponse:
    """The organisation's referrals, received and sent: filtered and paged (htmx)."""
    result = referral_list(engine, signed.principal, direction=direction, state=state, page=page)
    filters = {k: v for k, v in {"direction": direction, "state": state}.items() if v}

    def page_url(number: int) -> str:
        return "/referrals?" + urlencode({**filters, "page": number})

    template = ("referrals_rows.html" if request.headers.get("HX-Target") == "referral-list"
                else "referrals.html")
    return render(request, template, {
        "active": "referrals", "result": result, "direction": direction, "state": state,
        "page_url": page_url, "states": [s.value for s in ReferralState]})


@router.get("/referrals/new", response_class=HTMLResponse)
def new_referral_page(request: Request, engine: EngineDep, signed: CaseWorker,
                      person_id: Annotated[str, Query(max_length=64)] = "",
                      opportunity_id: Annotated[str, Query(max_length=64)] = "",
                      to: Annotated[str, Query(max_length=64)] = "",
                      kind: Annotated[OrganisationKind, Query()] = OrganisationKind.ASF
                      ) -> HTMLResponse:
    """The form to refer a person: a pathway's step, or a receiver picked by distance and places."""
    person_id = person_id.strip()
    targets = (referral_targets(engine, signed.principal, person_id, kind=kind)
               if person_id and not opportunity_id and not to else [])
    return render(request, "referral_new.html", {
        "active": "referrals", "person_id": person_id, "opportunity_id": opportunity_id,
        "to": to, "targets": targets, "kind": kind, "municipalities": municipality_names(engine),
        "kinds": [k for k in TARGET_KINDS if k.value != signed.principal.organisation_kind]})


@router.post("/referrals")
def create_referral_form(engine: EngineDep, signed: CaseWorker,
                         person_id: Annotated[str, Form(min_length=1, max_length=64)],
                         purpose: Text, to_organisation_id: OptionalText = "",
                         opportunity_id: OptionalText = "",
                         consent: Annotated[bool, Form()] = False) -> RedirectResponse:
    """Create the referral and show it."""
    view = referrals.create_referral(
        engine, signed.principal, person_id=person_id.strip(),
        to_organisation_id=to_organisation_id.strip() or None,
        opportunity_id=opportunity_id.strip() or None, purpose=purpose, consent=consent,
        source="from a pathway" if opportunity_id.strip() else "by hand")
    return RedirectResponse(f"/referrals/{quote(view.id)}", status_code=303)


@router.get("/referrals/{referral_id}", response_class=HTMLResponse)
def referral_page(request: Request, engine: EngineDep, signed: ReferralWorker,
                  referral_id: str) -> HTMLResponse:
    """One referral: where the person is, its events, the receiver's capacity, next steps."""
    return render(request, "referral.html", {
        "active": "referrals",
        "referral": referrals.read_referral(engine, signed.principal, referral_id)})


@router.post("/referrals/{referral_id}/consent")
def referral_consent_form(engine: EngineDep, signed: ReferralWorker,
                          referral_id: str) -> RedirectResponse:
    """Record the person's consent to the referral (the sender)."""
    referrals.record_referral_consent(engine, signed.principal, referral_id)
    return RedirectResponse(f"/referrals/{quote(referral_id)}", status_code=303)


@router.post("/referrals/{referral_id}/state")
def referral_state_form(engine: EngineDep, signed: ReferralWorker, referral_id: str,
                        state: Annotated[ReferralState, Form()],
                        reason: OptionalText = "") -> RedirectResponse:
    """Move the referral on (accept, start, complete, or end with a reason)."""
    referrals.advance_referral(engine, signed.principal, referral_id, state,
                               reason=reason or None)
    return RedirectResponse(f"/referrals/{quote(referral_id)}", status_code=303)


@router.get("/people/{person_id}/journey", response_class=HTMLResponse)
def journey_page(request: Request, engine: EngineDep, signed: PeopleReader,
                 person_id: str) -> HTMLResponse:
    """A person's journey across organisations (an audited read)."""
    journey = follow_up.person_journey(engine, signed.principal, person_id)
    return render(request, "journey.html", {
        "active": "people", "journey": journey, "organisation_names": audit.organisation_names(
            engine, (e.organisation_id for e in journey.enrolments))})


@router.get("/indicators", response_class=HTMLResponse)
def indicators_page(request: Request, engine: EngineDep, signed: AggregateReader,
                    period: Annotated[str | None, Query(max_length=21)] = None) -> HTMLResponse:
    """The indicators dashboard and the equal-treatment report (cell-key method)."""
    try:
        span = follow_up.parse_period(period)
    except InvalidInput:  # the form again, with what to write
        return render(request, "indicators.html", {
            "active": "indicators", "period": period or "", "tables": [], "equality": [],
            "period_error": True}, status_code=422)
    tables, equality = follow_up.indicator_report_tables(engine, signed.principal, period=span)
    row_names = _indicator_row_names(engine, tables + equality)
    i18n.use_locale(i18n.choose_locale(request.query_params.get("lang"),
                                       request.cookies.get(LANG_COOKIE)))
    return render(request, "indicators.html", {
        "active": "indicators", "period": period or "", "tables": tables,
        "equality": equality, "row_names": row_names,
        "charts": {f"{x.indicator}-{x.breakdown}": _indicator_chart(x, row_names)
                   for x in tables + equality}})


def _indicator_row_names(engine: Engine, tables: list[IndicatorTable]) -> dict[str, str]:
    """Names for the rows that are codes: municipalities and organisations."""
    codes = {r for x in tables if x.breakdown in ("municipality", "organisation") for r in x.rows}
    names = audit.organisation_names(engine, codes)
    names.update({m.code: m.name for m in services.region_overview(engine).municipalities
                  if m.code in codes})
    return names


def _indicator_chart(table: IndicatorTable, row_names: dict[str, str]) -> dict[str, object]:
    """The table's published figures as bars: the derived value per row, else the row total."""
    _ = i18n.gettext
    share = bool(table.value_name and table.value_name.startswith("share"))
    figures = table.values if table.value_name else table.published.row_totals
    rows = [(row_names.get(r) or _(r), float(v)) for r, v in zip(table.rows, figures, strict=False)
            if v is not None]
    value_title = _(table.value_name) if table.value_name else _("Total")
    return charts.indicator_chart(rows, title=f"{_(table.indicator)} · {_(table.breakdown)}",
                                  value_title=value_title, row_title=_(table.breakdown),
                                  share=share)
