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
