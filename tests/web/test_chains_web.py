"""Vacancy chains on the web: the regional view names no one; the employer's planner names only
the staff who consented, and audits each such read."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import Engine, select

from kedja import services
from kedja.services.chains import SMALL_CELL, _region_and_plan
from kedja.store import records, session_scope
from kedja.store import tables as t
from kedja.web import create_app
from tests.conftest import DEMO_PASSWORD, DEMO_USERS, signed_in_client

PERSON_ID = re.compile(r"\bP\d{6}\b")


def test_the_regional_view_shows_figures_and_patterns_without_naming_anyone(web_engine: Engine) -> None:
    analyst = signed_in_client(create_app(web_engine), DEMO_USERS["analyst"])
    response = analyst.get("/api/v1/chains")  # type: ignore[attr-defined]
    assert response.status_code == 200, response.text
    view = response.json()
    assert view["checker_ok"] is True and view["rotation"]["checker_ok"] is True
    assert not PERSON_ID.search(response.text)
    assert view["patterns"] and all(p["chains"] == f"<{SMALL_CELL}" or p["chains"] >= SMALL_CELL
                                    for p in view["patterns"])
    assert view["job_seekers_entering"] >= view["unplanned_job_seekers_entering"]
    page = analyst.get("/chains?lang=sv")  # type: ignore[attr-defined]
    assert page.status_code == 200 and "Vakanskedjor" in page.text and not PERSON_ID.search(page.text)


def _employer_with_chain(engine: Engine) -> tuple[str, str]:
    """An employer whose employee moves up in a chain of the region's plan, and that employee."""
    _, _, plan = _region_and_plan(engine)
    for chain in plan["chains"]:
        top = chain["steps"][0]
        if len(chain["steps"]) > 1 and not top["job_seeker"]:
            with session_scope(engine) as session:
                employer = session.scalar(select(t.PersonRow.employer_id)
                                          .where(t.PersonRow.id == top["person_id"]))
            return str(employer), top["person_id"]
    raise AssertionError("the demo plan has no chain with a move")


def test_the_employer_planner_names_staff_only_with_consent_and_audits_it(web_engine: Engine) -> None:
    """The gate names an employee to their employer's HR when their consent covers workforce
    planning; an admin (who reads no records) sees the same plan without names."""
    app = create_app(web_engine)
    admin = signed_in_client(app, DEMO_USERS["admin"])
    employer, mover = _employer_with_chain(web_engine)
    username = f"hr.{employer.lower()}@kedja.demo"
    if username not in {u.username for u in services.list_users(web_engine)}:
        services.create_user(web_engine, username=username, organisation_id=employer,
                             roles=["employer_hr"], password=DEMO_PASSWORD)
    hr = signed_in_client(app, username)
    url = f"/api/v1/chains/employer?organisation_id={employer}"
    before = hr.get(url)  # type: ignore[attr-defined]
    assert before.status_code == 200, before.text
    assert before.json()["chains"] and mover not in before.text
    with session_scope(web_engine) as session:
        records.put_consent(session, mover, employer, given=date(2026, 11, 1), withdrawn=None,
                            purposes=["recruitment"])
    assert mover not in hr.get(url).text  # type: ignore[attr-defined]
    with session_scope(web_engine) as session:
        records.put_consent(session, mover, employer, given=date(2026, 11, 1), withdrawn=None,
                            purposes=["workforce_planning"])
    after = hr.get(url)  # type: ignore[attr-defined]
    assert mover in after.text
    assert mover not in admin.get(url).text  # type: ignore[attr-defined]
    named = set(PERSON_ID.findall(after.text))
    with session_scope(web_engine) as session:
        consenting = set(records.consenting_people(session, employer))
        audited = set(session.scalars(select(t.AuditEntryRow.subject_id).where(
            t.AuditEntryRow.purpose == "workforce_planning",
            t.AuditEntryRow.organisation_id == employer)))
    assert named <= consenting and mover in audited
    page = admin.get(f"/chains/employer?organisation_id={employer}&lang=sv")  # type: ignore[attr-defined]
    assert page.status_code == 200 and "Planera för min personal" in page.text


def test_an_employer_sees_its_own_planner_only_and_officers_none(web_engine: Engine) -> None:
    app = create_app(web_engine)
    hr = signed_in_client(app, DEMO_USERS["employer_hr"])
    own = hr.get("/api/v1/chains/employer")  # type: ignore[attr-defined]
    assert own.status_code == 200
    employer = own.json()["organisation_id"]
    other = "EMP000001" if employer != "EMP000001" else "EMP000002"
    assert hr.get(f"/api/v1/chains/employer?organisation_id={other}").status_code == 403  # type: ignore[attr-defined]
    officer = signed_in_client(app, DEMO_USERS["officer"])
    assert officer.get("/api/v1/chains/employer").status_code == 403  # type: ignore[attr-defined]
