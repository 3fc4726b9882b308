"""Vacancy chains on the web: the regional view names no one and answers at once while the plan is
computed; the employer's planner names only the staff who consented, audits each such read, saves
a plan and shares it with the Employment Service without names."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pytest
from sqlalchemy import Engine, select

from kedja import services
from kedja.core.access import Purpose
from kedja.services.chains import region_and_plan
from kedja.services.chains_views import SMALL_CELL
from kedja.store import records, session_scope
from kedja.store import tables as t
from kedja.web import create_app
from kedja.web.security import CSRF_HEADER
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
    assert view["job_seekers_entering"] >= view["no_upskilling_job_seekers_entering"]
    assert all(s["into_name"] and not s["into_name"].isdigit() for p in view["patterns"] for s in p["steps"])
    page = analyst.get("/chains?lang=sv")  # type: ignore[attr-defined]
    assert page.status_code == 200 and "Vakanskedjor" in page.text and not PERSON_ID.search(page.text)
    assert "diagram-chart-spec" in page.text and "map-chart-spec" in page.text
    assert "Multiplikator" in page.text and "White" in page.text


def test_the_chains_page_answers_at_once_while_the_plan_is_computed(web_engine: Engine,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from kedja.services.cache import invalidate

    monkeypatch.setenv("KEDJA_CACHE_SECONDS", "600")
    invalidate(web_engine)
    analyst = signed_in_client(create_app(web_engine), DEMO_USERS["analyst"])
    page = analyst.get("/chains?lang=sv")  # type: ignore[attr-defined]  # the time: bench/bench_chains_page.py
    assert page.status_code == 200 and "beräknas i bakgrunden" in page.text
    region_and_plan(web_engine)  # waits for the background computation (one per database)
    fragment = analyst.get("/chains", headers={"HX-Request": "true"})  # type: ignore[attr-defined]
    assert fragment.headers.get("HX-Refresh") == "true"


def _staff_with_steps(engine: Engine, employer: str) -> list[str]:
    region, problem, _ = region_and_plan(engine)
    movers = set(np.unique(problem.move_employee).tolist())
    return [p.id for e, p in enumerate(region.employees)
            if p.situation.employer_id == employer and e in movers]


def test_the_employer_planner_names_staff_only_with_consent_and_audits_it(web_engine: Engine) -> None:
    """The gate names an employee to their employer's HR when their consent covers workforce
    planning; an admin (who reads no records) sees the same plan without names."""
    app = create_app(web_engine)
    admin = signed_in_client(app, DEMO_USERS["admin"])
    employer = "REG24"
    with session_scope(web_engine) as session:
        consenting = set(records.consenting_for_purpose(session, employer, Purpose.WORKFORCE_PLANNING.value))
    unnamed = next(p for p in _staff_with_steps(web_engine, employer) if p not in consenting)
    username = f"hr.{employer.lower()}@kedja.demo"
    if username not in {u.username for u in services.list_users(web_engine)}:
        services.create_user(web_engine, username=username, organisation_id=employer,
                             roles=["employer_hr"], password=DEMO_PASSWORD)
    hr = signed_in_client(app, username)
    url = f"/api/v1/chains/employer?organisation_id={employer}"
    before = hr.get(url)  # type: ignore[attr-defined]
    assert before.status_code == 200, before.text
    assert unnamed not in before.text
    with session_scope(web_engine) as session:
        records.put_consent(session, unnamed, employer, given=date(2026, 11, 1), withdrawn=None,
                            purposes=["recruitment"])
    assert unnamed not in hr.get(url).text  # type: ignore[attr-defined]
    with session_scope(web_engine) as session:
        records.put_consent(session, unnamed, employer, given=date(2026, 11, 1), withdrawn=None,
                            purposes=["workforce_planning"])
    after = hr.get(url)  # type: ignore[attr-defined]
    assert unnamed in after.text
    assert unnamed not in admin.get(url).text  # type: ignore[attr-defined]
    named = set(PERSON_ID.findall(after.text))
    with session_scope(web_engine) as session:
        consenting = set(records.consenting_for_purpose(session, employer, Purpose.WORKFORCE_PLANNING.value))
        audited = set(session.scalars(select(t.AuditEntryRow.subject_id).where(
            t.AuditEntryRow.purpose == "workforce_planning",
            t.AuditEntryRow.organisation_id == employer)))
    assert named <= consenting and unnamed in audited
    page = admin.get(f"/chains/employer?organisation_id={employer}&lang=sv")  # type: ignore[attr-defined]
    assert page.status_code == 200 and "Planera för min personal" in page.text


def test_hr_saves_a_plan_and_shares_it_without_names(web_engine: Engine) -> None:
    app = create_app(web_engine)
    hr = signed_in_client(app, DEMO_USERS["employer_hr"])
    view = hr.get("/api/v1/chains/employer").json()  # type: ignore[attr-defined]
    steps = [f"{p['person_id']}|{s['course_id']}|{s['position']}"
             for o in view["occupations"] for p in o["named"] for s in p["steps"]][:2]
    assert steps, "the demo's HR employer has consenting staff with possible steps"
    for s in [p["steps"][0] for o in view["occupations"] for p in o["named"] if p["steps"]]:
        assert s["course_title"] and s["from"] < s["to"] and s["cost_sek"] > 0
    csrf = {CSRF_HEADER: hr.get("/api/v1/me").json()["csrf_token"]}  # type: ignore[attr-defined]
    bad = hr.post("/api/v1/chains/plans", json={"title": "x", "steps": ["P999999|EDU1|1"]},  # type: ignore[attr-defined]
                  headers=csrf)
    assert bad.status_code == 422 and "P999999" in bad.text
    saved = hr.post("/api/v1/chains/plans", json={"title": "Plan 2027", "steps": steps},  # type: ignore[attr-defined]
                    headers=csrf)
    assert saved.status_code == 201, saved.text
    plan_id = saved.json()["id"]
    shared = hr.post(f"/api/v1/chains/plans/{plan_id}/share", headers=csrf)  # type: ignore[attr-defined]
    assert shared.status_code == 200 and shared.json()["shared_with"].startswith("AF")
    officer = signed_in_client(app, DEMO_USERS["officer"] if shared.json()["shared_with"] == "AF25"
                               else "officer.vasterbotten@kedja.demo")
    seen = officer.get("/api/v1/chains/plans").json()  # type: ignore[attr-defined]
    mine = next(p for p in seen if p["id"] == plan_id)
    assert mine["steps"] and all("person_id" not in s for s in mine["steps"])
    other = signed_in_client(app, DEMO_USERS["analyst"])
    other_csrf = {CSRF_HEADER: other.get("/api/v1/me").json()["csrf_token"]}  # type: ignore[attr-defined]
    assert other.post(f"/api/v1/chains/plans/{plan_id}/share",  # type: ignore[attr-defined]
                      headers=other_csrf).status_code == 403


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
