"""Erasure, a person's data export and retention (GDPR articles 15 and 17, storage limitation)."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Engine, ForeignKey, MetaData, String, Table, func, insert, select

from kedja import services
from kedja.core.access import Permission, Purpose, operator_principal
from kedja.core.errors import Forbidden, NotFound
from kedja.services.follow_up import indicators_export
from kedja.services.maintenance import RetentionRules, run_maintenance
from kedja.services.privacy import (
    ERASURE_PLAN,
    erase_person,
    export_person_data,
    record_access_request,
    unregistered_tables,
)
from kedja.store import session_scope
from kedja.store import tables as t
from kedja.store.forecasting import employed_counts, job_seeker_counts
from kedja.web import create_app
from kedja.web.security import app_routes
from tests.conftest import DEMO_USERS, signed_in_client
from tests.store.snapshots import database_snapshot
from tests.web.access_matrix import PATH_SAMPLES

TINY_DEMO = {"seed": 42, "job_seekers": 150, "employed": 300}
OPERATOR = operator_principal("tester")
REQUEST = {"requester": "the person", "received": date(2026, 11, 2), "channel": "letter",
           "reason": "art. 15 letter of 2026-11-02", "identity_check": "ID card at the office"}


def requested_export(engine: Engine, principal: Any, person_id: str) -> Any:
    """Record an access request, then answer it."""
    request_id = record_access_request(engine, principal, person_id, **REQUEST)
    return export_person_data(engine, principal, person_id, request_id=request_id)


def _names(person_id: str, text: str) -> bool:
    """Whether ``text`` holds the id as a word (not inside another id such as EMP000301)."""
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(person_id)}(?![A-Za-z0-9])", text) is not None


def test_every_table_holding_a_person_is_in_the_erasure_plan() -> None:
    assert unregistered_tables() == []
    assert set(ERASURE_PLAN) <= set(t.Base.metadata.tables)


def test_an_unregistered_person_table_is_caught() -> None:
    metadata = MetaData()
    for table in t.Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    Table("hub_offers", metadata, Column("id", String, primary_key=True),
          Column("person_id", String))
    Table("hub_notes", metadata, Column("id", String, primary_key=True),
          Column("subject", String, ForeignKey("people.id")))
    assert unregistered_tables(metadata) == ["hub_notes", "hub_offers"]


@pytest.fixture
def region(db_url: str) -> Engine:
    engine = services.prepare_database(db_url)
    services.build_demo_database(engine, **TINY_DEMO)
    return engine


def _officer_person(engine: Engine) -> tuple[str, Any]:
    """A job seeker who consented to the demo officer's organisation, and that officer."""
    signed = services.sign_in(engine, DEMO_USERS["officer"], "kedja-demo-2026")
    principal = signed.principal
    with session_scope(engine) as session:
        person = session.scalars(select(t.ConsentRow.person_id).join(
            t.PersonRow, t.PersonRow.id == t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id == principal.organisation_id,
            t.PersonRow.status == "unemployed").order_by(t.ConsentRow.person_id)).first()
    assert person
    return person, principal


def _journey(engine: Engine, person_id: str, organisation_id: str) -> None:
    """A referral with a note, an enrolment, an exit and an outcome for the person."""
    with session_scope(engine) as session:
        other = session.scalars(select(t.OrganisationRow.id).where(
            t.OrganisationRow.kind == "asf")).first()
        opportunity = session.scalars(select(t.OpportunityRow.id)).first()
        session.execute(insert(t.ReferralRow), [
            {"id": "R-ERASE-1", "person_id": person_id, "from_organisation_id": organisation_id,
             "to_organisation_id": other, "opportunity_id": opportunity, "state": "started",
             "created": date(2026, 9, 1), "consent_given": date(2026, 9, 1), "end_reason": None}])
        session.execute(insert(t.ReferralEventRow), [
            {"referral_id": "R-ERASE-1", "from_state": None, "to_state": "proposed",
             "at": datetime(2026, 9, 1, tzinfo=UTC), "actor": "officer",
             "note": f"called {person_id} about the course"}])
        session.execute(insert(t.EnrolmentRow), [
            {"id": "EN-ERASE-1", "person_id": person_id, "opportunity_id": opportunity,
             "start": date(2026, 1, 10), "end": date(2026, 6, 1)}])
        session.execute(insert(t.ExitRow), [{"enrolment_id": "EN-ERASE-1", "person_id": person_id,
                                             "on": date(2026, 6, 1), "destination": "work"}])
        session.execute(insert(t.OutcomeRow), [
            {"enrolment_id": "EN-ERASE-1", "days_after_exit": 90, "person_id": person_id,
             "status": "working"}])
        session.execute(insert(t.ProgressAssessmentRow), [
            {"person_id": person_id, "assessed_on": date(2026, 1, 10), "dimension": dimension,
             "score": score} for dimension, score in (("health", 3), ("confidence", 5))])


def _aggregates(engine: Engine) -> dict[str, Any]:
    """The statistics Kedja publishes or feeds to its engines, from the tables."""
    with session_scope(engine) as session:
        protected = Counter((r.gender, r.birth_year, r.born_abroad, r.disability)
                            for r in session.scalars(select(t.ProtectedAttributesRow)))
        status = Counter(session.execute(select(t.PersonRow.municipality_code,
                                                t.PersonRow.status)).all())
        return {
            "employed": employed_counts(session), "job_seekers": job_seeker_counts(session),
            "protected": protected, "status": status,
            "education": Counter(session.execute(select(t.PersonRow.sun_level)).scalars()),
            "referrals": Counter(session.scalars(select(t.ReferralRow.state))),
            "exits": Counter(session.scalars(select(t.ExitRow.destination))),
            "outcomes": Counter(session.execute(select(t.OutcomeRow.days_after_exit,
                                                       t.OutcomeRow.status)).all()),
            "enrolments": session.scalar(select(func.count()).select_from(t.EnrolmentRow)),
            # the funders' indicators and the equal-treatment report, as published (suppressed)
            "indicators": indicators_export(engine, OPERATOR, fmt="csv"),
        }


def test_erasure_keeps_the_statistics_and_leaves_no_trace(region: Engine) -> None:
    person_id, officer = _officer_person(region)
    _journey(region, person_id, officer.organisation_id)
    services.read_person(region, officer, person_id, purpose=Purpose.CASE_MANAGEMENT)
    before = _aggregates(region)
    report = erase_person(region, OPERATOR, person_id, reason="art. 17 request")
    assert report.rows["person_skills"] > 0 and report.rows["audit_log"] >= 1
    after = _aggregates(region)
    # the person's active referrals are ended (no receiver may take them up); nothing else moves
    referrals_before, referrals_after = before.pop("referrals"), after.pop("referrals")
    assert after == before
    assert referrals_after.total() == referrals_before.total()
    assert referrals_after["ended"] == referrals_before["ended"] + report.rows["referrals_ended"]
    dump = json.dumps(database_snapshot(region))
    assert not _names(person_id, dump)
    assert "about the course" not in dump
    with session_scope(region) as session:
        erased = session.get(t.PersonRow, report.pseudonym)
        assert erased is not None and erased.erased_on is not None
        assert erased.adaptations == [] and erased.employer_id is None
        entry = session.scalars(select(t.AuditEntryRow).order_by(t.AuditEntryRow.id.desc())).first()
        assert entry is not None and entry.action == "erase"
        assert entry.subject_id == report.pseudonym
    with pytest.raises(NotFound):
        erase_person(region, OPERATOR, person_id, reason="again")
    with pytest.raises(Forbidden):
        services.read_person(region, officer, person_id, purpose=Purpose.CASE_MANAGEMENT)
    with pytest.raises(Forbidden):
        services.read_person(region, officer, report.pseudonym, purpose=Purpose.CASE_MANAGEMENT)


def test_an_erased_person_is_on_no_page_route_or_export(tmp_path: Path) -> None:
    engine = services.prepare_database(tmp_path / "kedja.db")
    services.build_demo_database(engine, **TINY_DEMO)
    person_id, officer = _officer_person(engine)
    _journey(engine, person_id, officer.organisation_id)
    services.run_allocation(engine)
    app = create_app(engine)
    clients = {role: signed_in_client(app, user) for role, user in DEMO_USERS.items()}
    assert person_id in clients["officer"].get("/api/v1/people?page_size=100").text  # type: ignore[attr-defined]
    report = erase_person(engine, OPERATOR, person_id, reason="art. 17 request")
    samples = {**PATH_SAMPLES, "person_id": person_id}
    with session_scope(engine) as session:
        samples["allocation_id"] = session.scalars(select(t.AllocationRow.id)).one()
    seen = 0
    # Routes that take the id come last: asking for it writes a refused read to the audit log.
    routes = sorted((r for r in app_routes(app) if "GET" in r.methods),
                    key=lambda r: "{person_id}" in r.path)
    for route in routes:
        path = route.path_format.format(**samples)
        for role, client in clients.items():
            for suffix in ("", "?page_size=100", "?format=csv"):
                text = client.get(path + suffix).text  # type: ignore[attr-defined]
                seen += 1
                if role != "admin":  # admins see the erasure's own audit entry, under the pseudonym
                    assert report.pseudonym not in text, f"{path} as {role} shows the pseudonym"
                if person_id not in path:
                    assert not _names(person_id, text), f"{path}{suffix} as {role} names it"
                else:
                    assert "about the course" not in text
    assert seen > 100


def test_data_export_has_everything_and_is_audited(region: Engine, tmp_path: Path) -> None:
    person_id, officer = _officer_person(region)
    _journey(region, person_id, officer.organisation_id)
    services.read_person(region, officer, person_id, purpose=Purpose.CASE_MANAGEMENT)
    data = requested_export(region, OPERATOR, person_id)
    assert data.tables["people"][0]["id"] == person_id
    assert data.tables["person_skills"] and data.tables["consents"]
    assert data.tables["exits"][0]["destination"] == "work"
    assert "about the course" in data.tables["referral_events"][0]["note"]
    assert any(e.actor == DEMO_USERS["officer"] for e in data.access_log)
    json.dumps(asdict(data), default=str)
    with pytest.raises(Forbidden):
        requested_export(region, officer, person_id)
    log = services.person_access_log(region, _admin(region), person_id)
    assert any(e.purpose == "gdpr_request" and e.action.value == "export" for e in log)
    assert data.request.identity_check == "ID card at the office"


def _admin(engine: Engine) -> Any:
    signed = services.sign_in(engine, DEMO_USERS["admin"], "kedja-demo-2026")
    return signed.principal


def controller_admin(engine: Engine) -> str:
    """An admin at the Employment Service (a data controller), created once."""
    username = "admin.af25@kedja.demo"
    if username not in {u.username for u in services.list_users(engine)}:
        services.create_user(engine, username=username, organisation_id="AF25",
                             roles=["admin"], password="kedja-demo-2026",
                             display_name="Admin AF25")
    return username


def test_data_export_page_and_api(web_engine: Engine) -> None:
    """An export answers a recorded access request at the admin's own organisation."""
    app = create_app(web_engine)
    admin = signed_in_client(app, controller_admin(web_engine))
    csrf = {"X-CSRF-Token": admin.get("/api/v1/me").json()["csrf_token"]}  # type: ignore[attr-defined]
    with session_scope(web_engine) as session:
        person_id = session.scalars(select(t.PersonRow.id).where(
            t.PersonRow.erased_on.is_(None)).order_by(t.PersonRow.id)).first()
    body = {**REQUEST, "received": "2026-11-02"}
    made = admin.post(f"/api/v1/people/{person_id}/access-requests", json=body, headers=csrf)  # type: ignore[attr-defined]
    assert made.status_code == 201, made.text
    request_id = made.json()["request_id"]
    unanswered = admin.get(f"/api/v1/people/{person_id}/data-export")  # type: ignore[attr-defined]
    assert unanswered.status_code == 422  # the request id is required
    answer = admin.get(f"/api/v1/people/{person_id}/data-export?request_id={request_id}")  # type: ignore[attr-defined]
    assert answer.status_code == 200 and answer.json()["person_id"] == person_id
    page = admin.get(f"/admin/people/{person_id}/data-export?request_id={request_id}")  # type: ignore[attr-defined]
    assert page.status_code == 200 and "person_skills" in page.text
    officer = signed_in_client(app, DEMO_USERS["officer"])
    assert officer.get(f"/api/v1/people/{person_id}/data-export?request_id={request_id}").status_code == 403  # type: ignore[attr-defined]
    assert Permission.HANDLE_DATA_REQUESTS.value == "handle_data_requests"


def test_export_is_tied_to_a_request_and_refuses_alike(web_engine: Engine) -> None:
    """Reproduction 4: any admin exported any person by id (employers' admins too), with no
    recorded request, and 404 on an unknown id told who exists."""
    app = create_app(web_engine)
    admin = signed_in_client(app, controller_admin(web_engine))
    csrf = {"X-CSRF-Token": admin.get("/api/v1/me").json()["csrf_token"]}  # type: ignore[attr-defined]
    with session_scope(web_engine) as session:
        person_id = session.scalars(select(t.PersonRow.id).where(
            t.PersonRow.erased_on.is_(None)).order_by(t.PersonRow.id.desc())).first()
    body = {**REQUEST, "received": "2026-11-02"}

    def export(client: Any, pid: str, request_id: str) -> Any:
        return client.get(f"/api/v1/people/{pid}/data-export?request_id={request_id}")

    for pid in (person_id, "P000000"):  # a real person and an id nobody holds
        made = admin.post(f"/api/v1/people/{pid}/access-requests", json=body, headers=csrf)  # type: ignore[attr-defined]
        assert made.status_code == 201
    real = made_for(web_engine, person_id)
    unknown = made_for(web_engine, "P000000")
    no_request = export(admin, person_id, "DR-none")
    other_persons = export(admin, person_id, unknown)
    nobody = export(admin, "P000000", unknown)
    assert no_request.status_code == other_persons.status_code == nobody.status_code == 403
    assert no_request.json()["error"]["message"].replace(person_id, "X") == \
        nobody.json()["error"]["message"].replace("P000000", "X")
    assert export(admin, person_id, real).status_code == 200
    # an employer's admin (the demo's REG25) neither records nor exports
    employer_admin = signed_in_client(app, DEMO_USERS["admin"])
    token = {"X-CSRF-Token": employer_admin.get("/api/v1/me").json()["csrf_token"]}  # type: ignore[attr-defined]
    assert employer_admin.post(f"/api/v1/people/{person_id}/access-requests", json=body,  # type: ignore[attr-defined]
                               headers=token).status_code == 403
    assert export(employer_admin, person_id, real).status_code == 403
    with session_scope(web_engine) as session:
        refused = session.scalars(select(t.AuditEntryRow).where(
            t.AuditEntryRow.subject_id == "P000000")).all()
        assert any(e.purpose == "gdpr_request: refused" for e in refused)


def made_for(engine: Engine, person_id: str) -> str:
    with session_scope(engine) as session:
        return str(session.scalars(select(t.DataRequestRow.id).where(
            t.DataRequestRow.person_id == person_id).order_by(
            t.DataRequestRow.recorded_at.desc())).first())


def test_maintenance_deletes_what_is_past_its_time(region: Engine) -> None:
    person_id, officer = _officer_person(region)
    now = datetime(2026, 11, 2, 12, tzinfo=UTC)
    with session_scope(region) as session:
        session.execute(insert(t.AuditEntryRow), [
            {"at": now - timedelta(days=365 * years), "actor": "a", "organisation_id": None,
             "action": "read", "subject_type": "person", "subject_id": person_id,
             "purpose": None} for years in (1, 6)])
        session.execute(insert(t.ReferralRow), [
            {"id": f"R-OLD-{state}-{year}", "person_id": person_id,
             "from_organisation_id": officer.organisation_id,
             "to_organisation_id": officer.organisation_id, "opportunity_id": None,
             "state": state, "created": date(year, 1, 1), "consent_given": None,
             "end_reason": "done" if state == "ended" else None}
            for state in ("ended", "started") for year in (2020, 2026)])
        session.execute(insert(t.ReferralEventRow), [
            {"referral_id": "R-OLD-ended-2020", "from_state": None, "to_state": "proposed",
             "at": datetime(2020, 1, 1, tzinfo=UTC), "actor": None, "note": None}])
        sessions_before = session.scalar(select(func.count()).select_from(t.WebSessionRow))
    counts = run_maintenance(region, RetentionRules(audit_years=5, referral_years=3), now=now)
    assert counts["audit_log"] == 1 and counts["referrals"] == 1
    assert counts["referral_events"] == 1
    with session_scope(region) as session:
        left = set(session.scalars(select(t.ReferralRow.id).where(t.ReferralRow.id.like("R-OLD%"))))
        assert left == {"R-OLD-ended-2026", "R-OLD-started-2020", "R-OLD-started-2026"}
        assert session.scalar(select(func.count()).select_from(t.WebSessionRow)) <= sessions_before
        last = session.scalars(select(t.AuditEntryRow).order_by(t.AuditEntryRow.id.desc())).first()
        assert last is not None and last.subject_type == "retention"
