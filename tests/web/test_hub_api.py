"""The hub's API and pages: public directory, HSDS download, referrals with CSRF, indicators."""

from __future__ import annotations

import csv
import io
import re
import zipfile

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from kedja.store import tables as t
from kedja.web import create_app
from kedja.web.security import CSRF_HEADER
from tests.conftest import DEMO_USERS, signed_in_client


def test_the_directory_is_public_and_has_no_people(web_engine: Engine) -> None:
    client = TestClient(create_app(web_engine))
    page = client.get("/directory?kind=asf&lang=sv")
    assert page.status_code == 200 and "ekonomisk förening" in page.text
    entries = client.get("/api/v1/directory", params={"kind": "asf"}).json()
    assert entries and all(e["kind"] == "asf" for e in entries)
    assert any(e["capacity"] for e in entries)
    document = client.get("/api/v1/directory/hsds").json()
    assert {"organization", "service", "location", "service_at_location"} <= set(document)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/directory/hsds?format=zip").content))
    assert "service_capacities.csv" in archive.namelist()
    for text in (page.text, str(document)):
        assert not re.search(r"\bP\d{6}\b", text)  # no person id anywhere


def test_a_referral_through_the_api(web_engine: Engine) -> None:
    app = create_app(web_engine)
    officer = signed_in_client(app, DEMO_USERS["officer"])
    coordinator = signed_in_client(app, DEMO_USERS["coordinator"])
    asf = coordinator.get("/api/v1/me").json()["organisation_id"]  # type: ignore[attr-defined]
    with web_engine.connect() as connection:
        person = connection.scalar(select(t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id == "AF25").order_by(t.ConsentRow.person_id).offset(3))
    body = {"person_id": person, "to_organisation_id": asf, "purpose": "ASF-praktik"}
    assert officer.post("/api/v1/referrals", json=body).status_code == 403  # type: ignore[attr-defined]
    headers = {CSRF_HEADER: officer.get("/api/v1/me").json()["csrf_token"]}  # type: ignore[attr-defined]
    created = officer.post("/api/v1/referrals", json=body, headers=headers).json()  # type: ignore[attr-defined]
    assert created["state"] == "proposed" and created["actions"] == ["consent", "ended"]
    receiver_headers = {CSRF_HEADER: coordinator.get("/api/v1/me").json()["csrf_token"]}  # type: ignore[attr-defined]
    seen = coordinator.get(f"/api/v1/referrals/{created['id']}").json()  # type: ignore[attr-defined]
    assert seen["person_id"] is None
    refused = coordinator.post(f"/api/v1/referrals/{created['id']}/state",  # type: ignore[attr-defined]
                               json={"state": "accepted"}, headers=receiver_headers)
    assert refused.status_code == 409
    officer.post(f"/api/v1/referrals/{created['id']}/consent", headers=headers)  # type: ignore[attr-defined]
    moved = coordinator.post(f"/api/v1/referrals/{created['id']}/state",  # type: ignore[attr-defined]
                             json={"state": "accepted"}, headers=receiver_headers).json()
    assert moved["state"] == "accepted" and moved["person_id"] == person
    assert [e["to_state"] for e in moved["events"]] == ["proposed", "proposed", "accepted"]


def test_indicators_export_for_aggregate_readers(web_engine: Engine) -> None:
    app = create_app(web_engine)
    analyst = signed_in_client(app, DEMO_USERS["analyst"])
    response = analyst.get("/api/v1/indicators/export?format=csv")  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows and set(rows[0]) == {"indicator", "breakdown", "group", "category", "count_n",
                                     "value"}
    assert all(r["count_n"] == "" or r["count_n"] == "0" or int(r["count_n"]) >= 5 for r in rows)
    assert analyst.get("/indicators").status_code == 200  # type: ignore[attr-defined]
    bad = analyst.get("/api/v1/indicators?period=2026-12-01:2026-01-01")  # type: ignore[attr-defined]
    assert bad.status_code == 422
    assert TestClient(app).get("/api/v1/indicators").status_code == 401


def test_posting_a_need_and_seeing_matches(web_engine: Engine) -> None:
    app = create_app(web_engine)
    officer = signed_in_client(app, DEMO_USERS["officer"])
    headers = {CSRF_HEADER: officer.get("/api/v1/me").json()["csrf_token"]}  # type: ignore[attr-defined]
    need = {"side": "need", "kind": "service_purchase", "category": "cleaning",
            "title": "Städning av kontor", "quantity": 2, "reserved_contract": True}
    created = officer.post("/api/v1/postings", json=need, headers=headers)  # type: ignore[attr-defined]
    assert created.status_code == 201, created.text
    offer = {**need, "side": "offer"}
    refused = officer.post("/api/v1/postings", json=offer, headers=headers)  # type: ignore[attr-defined]
    assert refused.status_code == 422  # an offer cannot carry procurement flags
    public = TestClient(app)
    assert any(p["id"] == created.json()["id"] for p in public.get("/api/v1/postings").json())
    assert public.get("/api/v1/postings/matches").status_code == 200


def test_indicator_periods_are_whole_months(web_engine: Engine) -> None:
    # the review's reproduction: exports for periods ending 2026-03-08 and 2026-03-09, differenced
    app = create_app(web_engine)
    hr = signed_in_client(app, DEMO_USERS["employer_hr"])
    for end in ("2026-03-08", "2026-03-09"):
        refused = hr.get(f"/api/v1/indicators/export?format=csv&period=2026-01-01:{end}")  # type: ignore[attr-defined]
        assert refused.status_code == 422
        assert "2026-03-01:2026-03-31" in refused.json()["error"]["hint"]
    page = hr.get("/indicators?period=2026-01-01:2026-03-08")  # type: ignore[attr-defined]
    assert page.status_code == 422 and "hela kalendermånader" in page.text
    whole = hr.get("/api/v1/indicators/export?format=csv&period=2026-01-01:2026-03-31")  # type: ignore[attr-defined]
    assert whole.status_code == 200 and whole.text.startswith("indicator,")
