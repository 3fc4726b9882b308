"""The gate through the API: purpose × view × route, and the security review's reproductions.

Reproduction 2 (consent purposes bypassed three ways) and 3 (employer HR reading case data
through the journey), written as the review found them: each assertion failed on the code
before the gate.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from kedja import services
from kedja.core.access import Purpose
from kedja.store import session_scope
from kedja.store import tables as t
from kedja.web import create_app
from kedja.web.security import CSRF_HEADER
from tests.conftest import DEMO_PASSWORD, DEMO_USERS, signed_in_client

Client = Any  # a signed-in TestClient


def _org(client: Client) -> str:
    return str(client.get("/api/v1/me").json()["organisation_id"])


def _csrf(client: Client) -> dict[str, str]:
    return {CSRF_HEADER: client.get("/api/v1/me").json()["csrf_token"]}


def _fresh_person(engine: Engine, *avoid: str, skip: int = 0) -> str:
    """A Norrbotten job seeker (AF25 consents) with no consent to nor referral with ``avoid``."""
    with session_scope(engine) as session:
        taken = set(session.scalars(select(t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id.in_(avoid))))
        taken |= set(session.scalars(select(t.ReferralRow.person_id)))
        ids = [p for p in session.scalars(select(t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id == "AF25", t.ConsentRow.withdrawn.is_(None))
            .order_by(t.ConsentRow.person_id)) if p not in taken]
    return ids[skip]


def _listed(client: Client, purpose: str) -> set[str]:
    """Every id on every page of the caller's list for ``purpose``."""
    seen: set[str] = set()
    page = 1
    while True:
        answer = client.get(f"/api/v1/people?purpose={purpose}&page_size=100&page={page}")
        assert answer.status_code == 200, answer.text
        body = answer.json()
        seen |= {item["id"] for item in body["items"]}
        if page >= body["pages"]:
            return seen
        page += 1


@pytest.fixture(scope="module")
def clients(web_engine: Engine) -> dict[str, Client]:
    app = create_app(web_engine)
    return {role: signed_in_client(app, user) for role, user in DEMO_USERS.items()}


@pytest.fixture(scope="module")
def recruitment_only(web_engine: Engine, clients: dict[str, Client]) -> str:
    """A person whose consent to the coordinator's ASF and to HR's employer covers recruitment
    only (recorded by the officer, who holds the person's case)."""
    officer, coordinator, hr = clients["officer"], clients["coordinator"], clients["employer_hr"]
    pid = _fresh_person(web_engine, _org(coordinator), _org(hr))
    for org in (_org(coordinator), _org(hr)):
        made = officer.post(f"/api/v1/people/{pid}/consents", headers=_csrf(officer),
                            json={"organisation_id": org, "purposes": ["recruitment"]})
        assert made.status_code == 201, made.text
    return pid


def test_recruitment_only_consent_closes_case_work(recruitment_only: str,
                                                    clients: dict[str, Client]) -> None:
    """Done when: after a recruitment-only consent, the coordinator and the employer get 403 on
    the journey and on a case-management read, and the person is absent from their
    case-management list."""
    pid = recruitment_only
    for role in ("coordinator", "employer_hr"):
        client = clients[role]
        assert client.get(f"/api/v1/people/{pid}?purpose=case_management").status_code == 403
        assert client.get(f"/api/v1/people/{pid}/journey").status_code == 403
        assert client.get(f"/api/v1/people/{pid}/journey?purpose=case_management"
                          ).status_code == 403
        assert pid not in _listed(client, "case_management"), role
        assert pid in _listed(client, "recruitment"), role
        assert client.get(f"/api/v1/people/{pid}?purpose=recruitment").status_code == 200
    assert clients["coordinator"].get(f"/api/v1/pathways/{pid}").status_code == 403


def test_a_referral_does_not_widen_a_narrow_consent(recruitment_only: str,
                                                    clients: dict[str, Client]) -> None:
    """Reproduction 2: the coordinator referred the person and then read them for case work
    through its own referral, and recorded an all-purpose consent for a third organisation."""
    pid = recruitment_only
    coordinator = clients["coordinator"]
    made = coordinator.post("/api/v1/referrals", headers=_csrf(coordinator),
                            json={"person_id": pid, "to_organisation_id": "AF24",
                                  "purpose": "a placement"})
    assert made.status_code == 403
    assert coordinator.get(f"/api/v1/people/{pid}?purpose=case_management").status_code == 403
    third = coordinator.post(f"/api/v1/people/{pid}/consents", headers=_csrf(coordinator),
                             json={"organisation_id": "AF24"})
    assert third.status_code == 403


def test_a_referral_sent_under_a_narrow_consent_opens_no_more(web_engine: Engine,
                                                              clients: dict[str, Client]) -> None:
    """The sender's referral grant follows the sender's own consent: a referral in the tables
    (made before the consent was narrowed) does not reopen case work."""
    coordinator, officer = clients["coordinator"], clients["officer"]
    org = _org(coordinator)
    pid = _fresh_person(web_engine, org, _org(clients["employer_hr"]), skip=1)
    officer.post(f"/api/v1/people/{pid}/consents", headers=_csrf(officer),
                 json={"organisation_id": org, "purposes": ["matching"]})
    with session_scope(web_engine) as session:
        session.add(t.ReferralRow(id="R-GATE-NARROW", person_id=pid, from_organisation_id=org,
                                  to_organisation_id="AF24", state="proposed",
                                  created=services.matching.reference_date(session)))
    assert coordinator.get(f"/api/v1/people/{pid}?purpose=case_management").status_code == 403
    assert coordinator.get(f"/api/v1/people/{pid}?purpose=matching").status_code == 200
    assert pid not in _listed(coordinator, "case_management")


def test_employer_sees_the_candidate_journey_only(web_engine: Engine,
                                                 clients: dict[str, Client]) -> None:
    """Reproduction 3: HR read health, confidence and Swedish self-ratings, the exit
    destination and outcomes through the journey."""
    officer, hr = clients["officer"], clients["employer_hr"]
    employer = _org(hr)
    pid = _fresh_person(web_engine, _org(clients["coordinator"]), employer, skip=2)
    signed = services.sign_in(web_engine, DEMO_USERS["officer"], DEMO_PASSWORD).principal
    services.follow_up.record_assessment(web_engine, signed, pid,
                                         on=date(2026, 9, 15),
                                         scores={"health": 3, "confidence": 4})
    officer.post(f"/api/v1/people/{pid}/consents", headers=_csrf(officer),
                 json={"organisation_id": employer})
    full = officer.get(f"/api/v1/people/{pid}/journey").json()
    assert full["assessments"]
    seen = hr.get(f"/api/v1/people/{pid}/journey?purpose=recruitment")
    assert seen.status_code == 200, seen.text
    body = seen.json()
    assert body["assessments"] == body["exits"] == body["outcomes"] == [] and body["changes"] == {}
    assert (full["view"], body["view"]) == ("full", "candidate")
    assert all(employer in (r["from_organisation_id"], r["to_organisation_id"])
               for r in body["referrals"])
    assert "health" not in seen.text and "confidence" not in seen.text


ROUTES = {
    "record": "/api/v1/people/{pid}?purpose={purpose}",
    "journey": "/api/v1/people/{pid}/journey?purpose={purpose}",
    "pathways": "/api/v1/pathways/{pid}",
}


@pytest.mark.parametrize("consented", ["recruitment", "matching", "case_management",
                                       "follow_up"])
def test_purpose_view_route(web_engine: Engine, clients: dict[str, Client],
                            consented: str) -> None:
    """Purpose × view × route: a consent for one purpose opens each route for that purpose only,
    in the reader's view (coordinator: full; employer: candidate; pathways need the full view
    and the matching purpose)."""
    officer = clients["officer"]
    index = ["recruitment", "matching", "case_management", "follow_up"].index(consented)
    pid = _fresh_person(web_engine, _org(clients["coordinator"]), _org(clients["employer_hr"]),
                        skip=3 + index)
    for role in ("coordinator", "employer_hr"):
        officer.post(f"/api/v1/people/{pid}/consents", headers=_csrf(officer),
                     json={"organisation_id": _org(clients[role]), "purposes": [consented]})
    for role, view in (("coordinator", "full"), ("employer_hr", "candidate")):
        client = clients[role]
        for purpose in ("recruitment", "matching", "case_management", "follow_up"):
            record = client.get(ROUTES["record"].format(pid=pid, purpose=purpose))
            journey = client.get(ROUTES["journey"].format(pid=pid, purpose=purpose))
            expected = 200 if purpose == consented else 403
            assert (record.status_code, journey.status_code) == (expected, expected), \
                (role, consented, purpose)
            if expected == 200:
                assert record.json()["view"] == journey.json()["view"] == view
            assert (pid in _listed(client, purpose)) is (purpose == consented)
        pathways = client.get(ROUTES["pathways"].format(pid=pid))
        assert pathways.status_code == (200 if role == "coordinator" and consented == "matching"
                                        else 403), (role, consented)


def test_refusals_read_the_same_for_unknown_people(clients: dict[str, Client],
                                                   recruitment_only: str) -> None:
    coordinator = clients["coordinator"]
    for route in ("record", "journey"):
        known = coordinator.get(ROUTES[route].format(pid=recruitment_only,
                                                     purpose="case_management"))
        unknown = coordinator.get(ROUTES[route].format(pid="P000000", purpose="case_management"))
        assert known.status_code == unknown.status_code == 403
        assert known.json()["error"]["message"].replace(recruitment_only, "X") == \
            unknown.json()["error"]["message"].replace("P000000", "X")


def test_the_gate_logs_reads_and_refusals(web_engine: Engine, clients: dict[str, Client],
                                          recruitment_only: str) -> None:
    clients["employer_hr"].get(f"/api/v1/people/{recruitment_only}/journey")
    clients["employer_hr"].get(f"/api/v1/people/{recruitment_only}?purpose=recruitment")
    with session_scope(web_engine) as session:
        purposes = set(session.scalars(select(t.AuditEntryRow.purpose).where(
            t.AuditEntryRow.subject_id == recruitment_only,
            t.AuditEntryRow.actor == DEMO_USERS["employer_hr"])))
    assert {"follow_up: refused", Purpose.RECRUITMENT.value} <= purposes


def test_signed_out_client_is_refused(web_engine: Engine) -> None:
    anonymous = TestClient(create_app(web_engine))
    assert anonymous.get("/api/v1/people/P000000/journey").status_code == 401
