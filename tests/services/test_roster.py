"""One count of free places everywhere, the waiting list, the roster and its follow-up forms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, func, select, update

from kedja import services
from kedja.core.access import Principal, Role
from kedja.core.errors import Conflict
from kedja.core.organisations import OrganisationKind
from kedja.services import roster
from kedja.services.capacity import free_places_of
from kedja.store import session_scope
from kedja.store import tables as t
from kedja.web import create_app
from kedja.web.security import CSRF_HEADER
from tests.conftest import DEMO_USERS, signed_in_client

OFFICER = Principal("u1", "officer.norrbotten@kedja.demo", "AF25",
                    OrganisationKind.EMPLOYMENT_SERVICE, frozenset({Role.OFFICER}))


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = services.prepare_database(tmp_path_factory.mktemp("roster") / "demo.db")
    services.build_demo_database(engine, seed=42, job_seekers=400, employed=400)
    yield engine
    engine.dispose()


def _coordinator(engine: Engine) -> Principal:
    with session_scope(engine) as session:
        user = session.scalars(select(t.UserRow).where(
            t.UserRow.username == DEMO_USERS["coordinator"])).one()
        return Principal(user.id, user.username, user.organisation_id, OrganisationKind.ASF,
                         frozenset({Role.COORDINATOR}))


def _set_places(engine: Engine, organisation_id: str, places: int) -> None:
    """Publish ``places`` places for the organisation (all on its first service)."""
    with session_scope(engine) as session:
        ids = sorted(session.scalars(select(t.HubServiceRow.id).where(
            t.HubServiceRow.organisation_id == organisation_id)))
        session.execute(update(t.HubServiceRow).where(t.HubServiceRow.id.in_(ids))
                        .values(capacity=0))
        session.execute(update(t.HubServiceRow).where(t.HubServiceRow.id == ids[0])
                        .values(capacity=places))


def _referable(engine: Engine, receiver: str, n: int) -> list[str]:
    """People the officer sees who have no referral to the receiver yet."""
    with session_scope(engine) as session:
        taken = set(session.scalars(select(t.ReferralRow.person_id).where(
            t.ReferralRow.to_organisation_id == receiver)))
        ids = session.scalars(select(t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id == "AF25").order_by(t.ConsentRow.person_id))
        return [p for p in ids if p not in taken][:n]


def test_free_places_are_the_same_number_everywhere(engine: Engine) -> None:
    asfs = services.hub.directory_entries(engine, kind=OrganisationKind.ASF)
    counted = free_places_of(engine, [e.organisation.id for e in asfs])
    app = create_app(engine)
    client = signed_in_client(app, DEMO_USERS["coordinator"])
    api = {e["id"]: e for e in client.get("/api/v1/directory?kind=asf").json()}  # type: ignore[attr-defined]
    page = client.get("/directory?kind=asf&lang=sv").text  # type: ignore[attr-defined]
    assert any(s.free for s in counted.values())
    for entry in asfs:
        status = counted[entry.organisation.id]
        assert entry.capacity == status
        assert api[entry.organisation.id]["capacity_free"] == status.free
        assert f"{status.free} / {status.capacity}" in page
        one = client.get(f"/directory/{entry.organisation.id}?lang=sv").text  # type: ignore[attr-defined]
        assert f"{status.free} av {status.capacity} platser lediga" in one
    mine = roster.organisation_roster(engine, _coordinator(engine))
    assert mine.capacity == counted[mine.organisation_id]
    # free = places − distinct people enrolled now or accepted/started, computed here again
    org, today = mine.organisation_id, date.today()
    with session_scope(engine) as session:
        places = session.scalar(select(func.sum(t.HubServiceRow.capacity)).where(
            t.HubServiceRow.organisation_id == org))
        enrolled = set(session.scalars(
            select(t.EnrolmentRow.person_id).join(t.OpportunityRow).where(
                t.OpportunityRow.organisation_id == org, t.EnrolmentRow.start <= today,
                (t.EnrolmentRow.end.is_(None)) | (t.EnrolmentRow.end >= today))))
        referred = set(session.scalars(select(t.ReferralRow.person_id).where(
            t.ReferralRow.to_organisation_id == org,
            t.ReferralRow.state.in_(("accepted", "started")))))
    assert mine.capacity.free == max(0, places - len(enrolled | referred))


def test_a_referral_to_a_full_place_waits_in_line_api_and_page(engine: Engine) -> None:
    coordinator = _coordinator(engine)
    org = coordinator.organisation_id
    held = roster.organisation_roster(engine, coordinator).capacity.in_use
    _set_places(engine, org, held)  # every place taken
    first, second, third = _referable(engine, org, 3)
    view = services.referrals.create_referral(engine, OFFICER, person_id=first,
                                              to_organisation_id=org, purpose="ASF-praktik",
                                              consent=True)
    assert view.waitlisted_on == date.today() and view.waiting_position == 1
    assert any(e.note == "waitlisted: no free place" for e in view.events)
    with pytest.raises(Conflict, match="no free place"):
        services.referrals.advance_referral(engine, coordinator, view.id, "accepted")

    app = create_app(engine)
    officer = signed_in_client(app, DEMO_USERS["officer"])
    headers = {CSRF_HEADER: officer.get("/api/v1/me").json()["csrf_token"]}  # type: ignore[attr-defined]
    by_api = officer.post("/api/v1/referrals", headers=headers, json={  # type: ignore[attr-defined]
        "person_id": second, "to_organisation_id": org, "purpose": "ASF-praktik",
        "consent": True}).json()
    assert by_api["waiting_position"] == 2 and by_api["waitlisted_on"] is not None
    form = officer.post("/referrals", headers=headers, data={  # type: ignore[attr-defined]
        "person_id": third, "to_organisation_id": org, "purpose": "ASF-praktik"},
        follow_redirects=True)
    assert form.status_code == 200 and "står på väntelistan som nummer 3 i kön" in form.text

    page = signed_in_client(app, DEMO_USERS["coordinator"])
    listed = page.get("/roster?lang=sv").text  # type: ignore[attr-defined]
    order = re.findall(r'<tr data-referral="([^"]+)">', listed.split('id="waiting-list"')[1])
    assert [r for r in order if r in (view.id, by_api["id"])] == [view.id, by_api["id"]]
    assert "En plats är ledig" not in listed

    _set_places(engine, org, held + 1)  # a participant left: one place frees
    listed = page.get("/roster?lang=sv").text  # type: ignore[attr-defined]
    assert "En plats är ledig: först på väntelistan" in listed
    new = services.referrals.create_referral(engine, OFFICER, person_id=_referable(
        engine, org, 1)[0], to_organisation_id=org, purpose="ASF-praktik")
    assert new.waiting_position is not None  # the free place is the first in line's
    accepted = services.referrals.advance_referral(engine, coordinator, view.id, "accepted")
    assert accepted.state == "accepted" and accepted.waiting_position is None
    with pytest.raises(Conflict):
        services.referrals.advance_referral(engine, coordinator, by_api["id"], "accepted")


def _participant(engine: Engine) -> tuple[str, str, date]:
    """A participant of the coordinator's ASF with an open enrolment and a visible record."""
    found = roster.organisation_roster(engine, _coordinator(engine))
    entry = next(e for e in found.current if e.enrolment_id and e.exit_on is None)
    assert entry.start is not None
    return entry.person_id, str(entry.enrolment_id), entry.start


def test_the_follow_up_forms_name_the_field_and_the_fix(engine: Engine) -> None:
    person, enrolment, start = _participant(engine)
    client = signed_in_client(create_app(engine), DEMO_USERS["coordinator"])
    token = {CSRF_HEADER: client.get("/api/v1/me").json()["csrf_token"]}  # type: ignore[attr-defined]
    page = client.get(f"/roster/{person}?lang=sv")  # type: ignore[attr-defined]
    assert page.status_code == 200 and "Ny självskattning" in page.text

    bad = client.post(f"/roster/{person}/assessments", headers=token,  # type: ignore[attr-defined]
                      data={"on": "30/11/2026", "confidence": "11", "health": "5"})
    assert bad.status_code == 422
    assert "Datum: '30/11/2026' är inget datum. Skriv det som ÅÅÅÅ-MM-DD" in bad.text
    assert "självförtroende: '11' är ingen skattning. Ange ett heltal från 1" in bad.text
    assert 'id="rating-confidence" name="confidence"' in bad.text and 'value="11"' in bad.text
    empty = client.post(f"/roster/{person}/assessments", headers=token,  # type: ignore[attr-defined]
                        data={"on": date.today().isoformat()})
    assert empty.status_code == 422 and "Skatta minst ett område" in empty.text
    saved = client.post(f"/roster/{person}/assessments", headers=token,  # type: ignore[attr-defined]
                        data={"on": date.today().isoformat(), "confidence": "7", "health": "6"},
                        follow_redirects=False)
    assert saved.status_code == 303
    again = client.post(f"/roster/{person}/assessments", headers=token,  # type: ignore[attr-defined]
                        data={"on": date.today().isoformat(), "confidence": "4"})
    assert again.status_code == 422 and "finns redan" in again.text

    no_place = client.post(f"/roster/{person}/enrolments/{enrolment}/exit", headers=token,  # type: ignore[attr-defined]
                           data={"on": date.today().isoformat(), "destination": "moon"})
    assert no_place.status_code == 422 and "Vart personen gick: välj" in no_place.text
    early = (start - timedelta(days=1)).isoformat()
    before = client.post(f"/roster/{person}/enrolments/{enrolment}/exit", headers=token,  # type: ignore[attr-defined]
                         data={"on": early, "destination": "work"})
    assert before.status_code == 422 and f"avslutet {early} ligger före insatsens start" in before.text
    left = client.post(f"/roster/{person}/enrolments/{enrolment}/exit", headers=token,  # type: ignore[attr-defined]
                       data={"on": date.today().isoformat(), "destination": "work"},
                       follow_redirects=False)
    assert left.status_code == 303
    early_outcome = client.post(f"/roster/{person}/enrolments/{enrolment}/outcomes",  # type: ignore[attr-defined]
                                headers=token, data={"days": "90", "status": "working"})
    assert early_outcome.status_code == 422 and "som inte har passerats" in early_outcome.text
    journey = services.follow_up.person_journey(engine, _coordinator(engine), person)
    assert any(x.enrolment_id == enrolment for x in journey.exits)
    assert any(a.score == 7 for a in journey.assessments)
    with session_scope(engine) as session:  # each write is in the audit log
        notes = set(session.scalars(select(t.AuditEntryRow.purpose).where(
            t.AuditEntryRow.subject_id == person, t.AuditEntryRow.action == "write")))
    assert f"exit from {enrolment}" in notes and any(n.startswith("self-assessment") for n in notes)
