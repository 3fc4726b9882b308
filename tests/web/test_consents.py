"""Recording consent through the API (CSRF header) and the person page's form (CSRF field)."""

from __future__ import annotations

import re

from sqlalchemy import Engine, select

from kedja.store import session_scope
from kedja.store import tables as t
from kedja.web import create_app
from kedja.web.security import CSRF_HEADER
from tests.conftest import DEMO_USERS, signed_in_client


def norrbotten_person_without(engine: Engine, organisation: str) -> str:
    with engine.connect() as connection:
        consented = set(connection.scalars(select(t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id == organisation)))
        for pid in connection.scalars(select(t.ConsentRow.person_id).where(
                t.ConsentRow.organisation_id == "AF25").order_by(t.ConsentRow.person_id.desc())):
            if pid not in consented:
                return str(pid)
    raise AssertionError("no such person")


def test_consent_through_the_api_needs_the_csrf_header(web_engine: Engine) -> None:
    app = create_app(web_engine)
    officer = signed_in_client(app, DEMO_USERS["officer"])
    hr = signed_in_client(app, DEMO_USERS["employer_hr"])
    employer = hr.get("/api/v1/me").json()["organisation_id"]  # type: ignore[attr-defined]
    pid = norrbotten_person_without(web_engine, employer)
    assert hr.get(f"/api/v1/people/{pid}").status_code == 403  # type: ignore[attr-defined]
    url = f"/api/v1/people/{pid}/consents"
    refused = officer.post(url, json={"organisation_id": employer})  # type: ignore[attr-defined]
    assert refused.status_code == 403 and refused.json()["error"]["field"] == CSRF_HEADER
    csrf = officer.get("/api/v1/me").json()["csrf_token"]  # type: ignore[attr-defined]
    created = officer.post(url, json={"organisation_id": employer},  # type: ignore[attr-defined]
                           headers={CSRF_HEADER: csrf})
    assert created.status_code == 201 and created.json()["withdrawn"] is None
    candidate = hr.get(f"/api/v1/people/{pid}").json()  # type: ignore[attr-defined]
    assert candidate["view"] == "candidate" and candidate["support_forms"] is None
    again = officer.post(url, json={"organisation_id": employer},  # type: ignore[attr-defined]
                         headers={CSRF_HEADER: csrf})
    assert again.status_code == 409 and again.json()["code"] == again.json()["error"]["code"] == "conflict"
    withdrawn = officer.delete(f"{url}/{employer}", headers={CSRF_HEADER: csrf})  # type: ignore[attr-defined]
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn"]
    assert hr.get(f"/api/v1/people/{pid}").status_code == 403  # type: ignore[attr-defined]


def test_consent_through_the_person_page_form(web_engine: Engine) -> None:
    app = create_app(web_engine)
    officer = signed_in_client(app, DEMO_USERS["officer"])
    pid = norrbotten_person_without(web_engine, "ASF002")
    page = officer.get(f"/people/{pid}").text  # type: ignore[attr-defined]
    assert "Registrera personens samtycke" in page
    token = re.search(r'action="/people/[^"]+/consents"[^>]*>\s*'
                      r'<input type="hidden" name="csrf_token" value="([^"]+)"', page)
    assert token
    forged = officer.post(f"/people/{pid}/consents", data={"organisation_id": "ASF002"})  # type: ignore[attr-defined]
    assert forged.status_code == 403 and "<html" in forged.text
    done = officer.post(f"/people/{pid}/consents",  # type: ignore[attr-defined]
                        data={"organisation_id": "ASF002", "csrf_token": token.group(1)})
    with session_scope(web_engine) as session:
        name = session.scalar(select(t.OrganisationRow.name).where(t.OrganisationRow.id == "ASF002"))
    assert done.status_code == 200 and f"Samtycke registrerat för {name}" in done.text
    assert name in done.text.split('id="consents"')[1].split("</table>")[0]
