"""The audit log's pages: downloads refuse without a sign-in page, names instead of codes."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from kedja.web import create_app
from tests.conftest import DEMO_USERS, signed_in_client


def test_an_anonymous_csv_download_is_refused_not_a_sign_in_page(web_engine: Engine) -> None:
    client = TestClient(create_app(web_engine))
    response = client.get("/admin/audit.csv")  # following redirects, as a script would
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "csrf_token" not in response.text
    page = client.get("/admin/audit", follow_redirects=False)  # a page still goes to sign-in
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_a_csv_download_without_the_permission_is_refused(web_engine: Engine) -> None:
    officer = signed_in_client(create_app(web_engine), DEMO_USERS["officer"])
    response = officer.get("/admin/audit.csv")  # type: ignore[attr-defined]
    assert response.status_code == 403 and "<html" not in response.text


def test_an_organisation_sees_its_own_reads_of_people_and_no_others(web_engine: Engine) -> None:
    app = create_app(web_engine)
    officer = signed_in_client(app, DEMO_USERS["officer"])
    people = officer.get("/api/v1/people?page_size=1").json()["items"]  # type: ignore[attr-defined]
    person_id = people[0]["id"]
    officer.get(f"/people/{person_id}")  # type: ignore[attr-defined]
    page = officer.get("/audit/organisation")  # type: ignore[attr-defined]
    assert page.status_code == 200 and person_id in page.text
    assert "Arbetsförmedlingen" in page.text and "Läste en uppgift" in page.text
    assert "ärendehandläggning" in page.text and "case_management" not in page.text
    hr = signed_in_client(app, DEMO_USERS["employer_hr"])
    own = hr.get("/audit/organisation").text  # type: ignore[attr-defined]
    assert "Arbetsförmedlingen" not in own  # never another organisation's entries
    analyst = signed_in_client(app, DEMO_USERS["analyst"])
    assert analyst.get("/audit/organisation").status_code == 403  # type: ignore[attr-defined]


def test_the_audit_log_names_organisations_and_actions_in_swedish(web_engine: Engine) -> None:
    admin = signed_in_client(create_app(web_engine), DEMO_USERS["admin"])
    text = admin.get("/admin/audit").text  # type: ignore[attr-defined]
    assert "Loggade in" in text and "sign_in" not in text
    assert "Region Norrbotten" in text


def test_an_organisations_log_masks_people_not_open_to_it(web_engine: Engine) -> None:
    officer = signed_in_client(create_app(web_engine), DEMO_USERS["officer"])
    assert officer.get("/people/P999998").status_code in (403, 404)  # type: ignore[attr-defined]
    page = officer.get("/audit/organisation").text  # type: ignore[attr-defined]
    assert "nekad" in page and "P999998" not in page
