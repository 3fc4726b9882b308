"""The coordinator's pages: the roster, a participant's progress and the follow-up forms.

The roster (``/roster``) lists the organisation's participants, incoming referrals (accept or
decline) and its waiting list; a participant's page (``/roster/{person_id}``) shows their own
ratings over time (a chart and the same figures as a table) and the forms for a new
self-assessment, an exit and the outcomes 90, 180 and 365 days after it. Every read and write
goes through the services (the gate, the audit log); a form with a bad field is shown again
with a message naming the field, the value and the fix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kedja.core.access import Permission, Purpose
from kedja.core.errors import Conflict, InvalidInput, KedjaError
from kedja.core.journeys import ExitDestination, OutcomeStatus, ProgressDimension, ReferralState
from kedja.services import SignedIn, follow_up, referrals, roster
from kedja.services.identity import person_names
from kedja.web.charts_follow_up import progress_chart, progress_rows
from kedja.web.deps import EngineDep
from kedja.web.i18n import choose_locale, current_locale, gettext, use_locale
from kedja.web.pages import LANG_COOKIE, render
from kedja.web.security import require

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

Coordinator = Annotated[SignedIn, Depends(require(Permission.RECORD_CONSENT))]
Field = Annotated[str, Form(max_length=500)]


def N_(message: str) -> str:  # noqa: N802 - the gettext marker babel extracts
    """Mark a message for the catalogue; the template translates it."""
    return message


@dataclass
class FormErrors:
    """Per form, the fields with a problem: (field, message id, values for the message)."""

    form: str = ""
    items: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    def add(self, name: str, message: str, **values: Any) -> None:
        """One problem with a field."""
        self.items.append((name, message, values))


def _choose(value: str, allowed: set[str], name: str, message: str,
            errors: FormErrors) -> None:
    """A select's value must be one of its options."""
    if value not in allowed:
        errors.add(name, message)


def _today() -> date:
    return datetime.now(UTC).date()


def _day(text: str, name: str, errors: FormErrors) -> date | None:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        errors.add(name, N_("Date: '%(value)s' is not a date. Write it as YYYY-MM-DD, "
                            "e.g. %(example)s."), value=text, example=_today().isoformat())
        return None
    if day > _today():
        errors.add(name, N_("Date: %(value)s is in the future. Give today's date or an "
                            "earlier one."), value=text)
        return None
    return day


@router.get("/roster", response_class=HTMLResponse)
def roster_page(request: Request, engine: EngineDep, signed: Coordinator,
                done: Annotated[str, Query(max_length=32)] = "",
                refused: Annotated[str, Query(max_length=300)] = "") -> HTMLResponse:
    """The organisation's participants, incoming referrals and waiting list."""
    found = roster.organisation_roster(engine, signed.principal)
    ids = {e.person_id for e in found.current + found.left} | {
        v.person_id for v in found.incoming + found.waiting if v.person_id}
    names = person_names(engine, signed.principal, sorted(ids), purpose=Purpose.FOLLOW_UP)
    return render(request, "roster.html", {
        "active": "roster", "roster": found, "names": names, "done": done,
        "refused": refused})


def _move(engine: Any, signed: SignedIn, referral_id: str, state: ReferralState,
          reason: str | None, done: str) -> RedirectResponse:
    try:
        referrals.advance_referral(engine, signed.principal, referral_id, state, reason=reason)
    except Conflict as error:
        why = "consent" if error.field == "consent_given" else "full"
        return RedirectResponse(f"/roster?refused={why}#incoming", status_code=303)
    return RedirectResponse(f"/roster?done={done}", status_code=303)


@router.post("/roster/referrals/{referral_id}/accept")
def accept_referral(engine: EngineDep, signed: Coordinator, referral_id: str) -> Response:
    """Accept an incoming (or waiting) referral: the person takes a place."""
    return _move(engine, signed, referral_id, ReferralState.ACCEPTED, None, "accepted")


@router.post("/roster/referrals/{referral_id}/decline")
def decline_referral(engine: EngineDep, signed: Coordinator, referral_id: str,
                     reason: Field = "") -> Response:
    """Decline a referral, with the reason the sender will read."""
    text = reason.strip() or gettext("Declined by the receiving organisation")
    return _move(engine, signed, referral_id, ReferralState.ENDED, text, "declined")


def _participant(request: Request, engine: Any, signed: SignedIn, person_id: str, *,
                 errors: FormErrors | None = None, values: dict[str, str] | None = None,
                 saved: str = "", status_code: int = 200) -> HTMLResponse:
    use_locale(choose_locale(request.query_params.get("lang"),
                             request.cookies.get(LANG_COOKIE)))  # for the chart's words
    journey = follow_up.person_journey(engine, signed.principal, person_id)
    own = [e for e in journey.enrolments if e.organisation_id == signed.principal.organisation_id]
    ratings = [(a.on, a.dimension.value, a.score) for a in journey.assessments]
    names = {d.value: gettext(d.value) for d in ProgressDimension}
    days, dims, cells = progress_rows(ratings)
    person = person_names(engine, signed.principal, [person_id], purpose=Purpose.FOLLOW_UP)
    return render(request, "roster_person.html", {
        "active": "roster", "journey": journey, "enrolments": own,
        "name": person.get(person_id, person_id),
        "exits": {x.enrolment_id: x for x in journey.exits},
        "outcomes": {(o.enrolment_id, o.days_after_exit): o for o in journey.outcomes},
        "chart_spec": progress_chart(ratings, title=gettext("Own ratings over time"),
                                     x_title=gettext("Date"), y_title=gettext("Rating (1–10)"),
                                     colour_title=gettext("Dimension"), names=names,
                                     locale=current_locale())
        if ratings else None,
        "days": days, "dims": dims, "cells": cells, "dimensions": list(ProgressDimension),
        "destinations": list(ExitDestination), "statuses": list(OutcomeStatus),
        "points": roster.FOLLOW_UP_POINTS, "errors": errors or FormErrors(),
        "values": values or {}, "saved": saved, "today": _today().isoformat()},
        status_code=status_code)


@router.get("/roster/{person_id}", response_class=HTMLResponse)
def participant_page(request: Request, engine: EngineDep, signed: Coordinator, person_id: str,
                     saved: Annotated[str, Query(max_length=32)] = "") -> HTMLResponse:
    """A participant: their ratings over time and the follow-up forms (an audited read)."""
    return _participant(request, engine, signed, person_id, saved=saved)


def _invalid(request: Request, engine: Any, signed: SignedIn, person_id: str,
             errors: FormErrors, values: dict[str, str]) -> HTMLResponse:
    return _participant(request, engine, signed, person_id, errors=errors, values=values,
                        status_code=422)


def _saved(person_id: str, what: str) -> RedirectResponse:
    return RedirectResponse(f"/roster/{quote(person_id)}?saved={what}", status_code=303)


Refusals = dict[type[KedjaError], tuple[str, str, dict[str, Any]]]


def _write(request: Request, engine: Any, signed: SignedIn, person_id: str, errors: FormErrors,
           values: dict[str, str], write: Callable[[], object], what: str,
           refusals: Refusals) -> Response:
    """Run a validated form's write; a refusal the form can explain comes back as its error.

    ``refusals`` maps a service error (a conflict, an invalid date) to the field and message
    shown instead; the field of an :class:`InvalidInput` must match too.
    """
    try:
        write()
    except KedjaError as error:
        found = refusals.get(type(error))
        if found is None or (isinstance(error, InvalidInput) and error.field != found[0]):
            raise
        errors.add(found[0], found[1], **found[2])
        return _invalid(request, engine, signed, person_id, errors, values)
    return _saved(person_id, what)


@router.post("/roster/{person_id}/assessments")
async def assessment_form(request: Request, engine: EngineDep, signed: Coordinator,
                          person_id: str) -> Response:
    """Record the person's own ratings on a day (each dimension optional, 1–10)."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    errors = FormErrors("assessment")
    on = _day(form.get("on", ""), "on", errors)
    scores: dict[str, int] = {}
    for dimension in ProgressDimension:
        text = form.get(dimension.value, "").strip()
        if not text:
            continue
        if not text.isdigit() or not 1 <= int(text) <= 10:
            errors.add(dimension.value, N_("%(field)s: '%(value)s' is not a rating. Give a "
                                           "whole number from 1 (far from work) to 10 (ready), "
                                           "or leave it empty."),
                       field=dimension.value, value=text)
        else:
            scores[dimension.value] = int(text)
    if not scores and not errors.items:
        errors.add("confidence", N_("No rating given. Rate at least one dimension from 1 "
                                    "to 10."))
    if errors.items or on is None:
        return _invalid(request, engine, signed, person_id, errors, form)
    return _write(request, engine, signed, person_id, errors, form,
                  lambda: follow_up.record_assessment(engine, signed.principal, person_id, on=on,
                                                      scores=scores), "assessment",
                  {Conflict: ("on", N_("Date: ratings for %(value)s are already recorded. "
                                       "Record the next rating on another day."),
                              {"value": on.isoformat()})})


@router.post("/roster/{person_id}/enrolments/{enrolment_id}/exit")
def exit_form(request: Request, engine: EngineDep, signed: Coordinator, person_id: str,
              enrolment_id: str, on: Field = "", destination: Field = "") -> Response:
    """Record that the participant left the activity, and where to."""
    errors = FormErrors(f"exit-{enrolment_id}")
    day = _day(on, "on", errors)
    _choose(destination, {d.value for d in ExitDestination}, "destination",
            N_("Destination: choose where the person went (work, studies, …) or 'unknown'."),
            errors)
    values = {"on": on, "destination": destination}
    if errors.items or day is None:
        return _invalid(request, engine, signed, person_id, errors, values)
    return _write(request, engine, signed, person_id, errors, values,
                  lambda: follow_up.record_exit(engine, signed.principal, enrolment_id, on=day,
                                                destination=destination), "exit",
                  {Conflict: ("on", N_("The exit is already recorded."), {}),
                   InvalidInput: ("on", N_("Date: the exit %(value)s is before the start of the "
                                           "activity. Give the day the person left."),
                                  {"value": on})})


@router.post("/roster/{person_id}/enrolments/{enrolment_id}/outcomes")
def outcome_form(request: Request, engine: EngineDep, signed: Coordinator, person_id: str,
                 enrolment_id: str, days: Field = "", status: Field = "") -> Response:
    """Record the person's status 90, 180 or 365 days after the exit."""
    errors = FormErrors(f"outcome-{enrolment_id}")
    _choose(days, {str(d) for d in roster.FOLLOW_UP_POINTS}, "days",
            N_("Follow-up: choose 90, 180 or 365 days after the exit."), errors)
    _choose(status, {s.value for s in OutcomeStatus}, "status",
            N_("Status: choose what the person is doing (working, studying, …) or 'unknown'."),
            errors)
    values = {"days": days, "status": status}
    if errors.items:
        return _invalid(request, engine, signed, person_id, errors, values)
    left = {x.enrolment_id: x.on for x in follow_up.person_journey(
        engine, signed.principal, person_id).exits}.get(enrolment_id)
    if left is not None and left + timedelta(days=int(days)) > _today():
        errors.add("days", N_("Follow-up: %(value)s days after the exit is %(due)s, not yet "
                              "reached. Record it on that day or later."), value=days,
                   due=(left + timedelta(days=int(days))).isoformat())
        return _invalid(request, engine, signed, person_id, errors, values)
    return _write(request, engine, signed, person_id, errors, values,
                  lambda: follow_up.record_outcome(engine, signed.principal, enrolment_id,
                                                   days_after_exit=int(days), status=status),
                  "outcome",
                  {Conflict: ("days", N_("Follow-up: the status %(value)s days after the exit "
                                         "is already recorded."), {"value": days})})
