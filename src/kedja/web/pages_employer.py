"""The employer's page: my vacancies and the candidates referred to them, to accept or decline."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from kedja.core.access import Permission
from kedja.services import SignedIn
from kedja.services import employer_vacancies as vacancies
from kedja.web import i18n
from kedja.web.deps import EngineDep
from kedja.web.pages import LANG_COOKIE, render
from kedja.web.security import require

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

ReferralWorker = Annotated[SignedIn, Depends(require(Permission.MANAGE_REFERRALS))]


@router.get("/employer", response_class=HTMLResponse)
def employer_page(request: Request, engine: EngineDep, signed: ReferralWorker,
                  show: Annotated[str, Query(pattern="^(open|all)$")] = "open",
                  decided: Annotated[str, Query(max_length=64)] = "") -> HTMLResponse:
    """The employer's vacancies with the candidates referred to them (candidate view only)."""
    items = vacancies.employer_vacancies(engine, signed.principal, open_only=show == "open")
    return render(request, "employer.html", {"active": "employer", "vacancies": items,
                                             "show": show, "decided": decided})


@router.post("/employer/referrals/{referral_id}/decision")
def decision_form(request: Request, engine: EngineDep, signed: ReferralWorker, referral_id: str,
                  decision: Annotated[str, Form(pattern="^(accept|decline)$")],
                  reason: Annotated[str, Form(max_length=500)] = "") -> RedirectResponse:
    """Accept or decline a referred candidate (through the referral's state machine)."""
    i18n.use_locale(i18n.choose_locale(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)))
    view = vacancies.decide_candidate(
        engine, signed.principal, referral_id, accept=decision == "accept",
        reason=reason.strip() or i18n.gettext("The employer declined the candidate"))
    return RedirectResponse(f"/employer?decided={quote(view.id)}#referral-{quote(view.id)}",
                            status_code=303)
