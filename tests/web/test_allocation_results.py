"""Acting on an allocation: the job page, result lists behind the gate, exports, refer from a row.

And the employer's side: vacancies with referred candidates, accept and decline; the hub's
needs matched by kind, in Swedish, with a "mine" filter.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select

from kedja import services
from kedja.core.directory import PostingKind
from kedja.services import allocation_results, hub, referrals
from kedja.store import session_scope
from kedja.store import tables as t
from kedja.web import create_app
from tests.conftest import DEMO_PASSWORD, DEMO_USERS, signed_in_client


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A small demo region with one stored allocation (run by the local operator)."""
    engine = services.prepare_database(tmp_path_factory.mktemp("alloc") / "kedja.db")
    services.build_demo_database(engine, seed=42, job_seekers=300, employed=600)
    services.run_allocation(engine, scenario="test")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def clients(region: Engine) -> dict[str, Any]:
    app = create_app(region)
    return {role: signed_in_client(app, user) for role, user in DEMO_USERS.items()}


def _allocation(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(connection.scalar(select(t.AllocationRow.id).where(t.AllocationRow.scenario == "test")))


def _principal(engine: Engine, role: str) -> Any:
    return services.sign_in(engine, DEMO_USERS[role], DEMO_PASSWORD).principal


def _visible_to(engine: Engine, organisation: str) -> set[str]:
    """Straight from the tables: who consented to the organisation (no referrals in play here)."""
    with engine.connect() as connection:
        return set(connection.scalars(select(t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id == organisation, t.ConsentRow.withdrawn.is_(None))))


def _csrf(client: Any) -> str:
    return str(client.get("/api/v1/me").json()["csrf_token"])


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr id="row-(P\d+)"', html)


def test_the_allocation_form_starts_a_job_and_its_page_follows_it(region: Engine,
                                                                   clients: dict[str, Any]) -> None:
    officer = clients["officer"]
    started = officer.post("/allocations", data={"scenario": "från formuläret", "band": "",
                                                 "csrf_token": _csrf(officer)}, follow_redirects=False)
    assert started.status_code == 303
    job = started.headers["location"]
    assert job.startswith("/allocations/jobs/JOB-")
    page = officer.get(job)
    assert page.status_code in (200, 303)
    deadline = time.monotonic() + 120
    while True:
        polled = officer.get(job, headers={"HX-Request": "true"})
        assert polled.status_code == 200
        if "HX-Redirect" in polled.headers:
            break
        assert 'id="allocation-bar"' in polled.text and "misslyckades" not in polled.text
        assert time.monotonic() < deadline, "the job did not finish"
        time.sleep(0.2)
    target = polled.headers["HX-Redirect"]
    assert re.fullmatch(r"/allocations/ALLOC-[0-9a-f]{12}", target)
    done = officer.get(job, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == target
    assert officer.get(target).status_code == 200
    bad = officer.post("/allocations", data={"scenario": "x", "band": "shoe size",
                                             "csrf_token": _csrf(officer)}, follow_redirects=False)
    assert bad.status_code == 422 and "shoe size" in bad.text
    api = officer.post("/api/v1/jobs/allocation", json={"band": "shoe size"},
                       headers={"X-CSRF-Token": _csrf(officer)})
    assert api.status_code == 422
    analyst = clients["analyst"]
    assert analyst.post("/allocations", data={"scenario": "x", "csrf_token": _csrf(analyst)},
                        follow_redirects=False).status_code == 403
    assert analyst.get(job).status_code == 403


def test_the_person_list_names_only_people_the_gate_opens(region: Engine,
                                                          clients: dict[str, Any]) -> None:
    allocation = _allocation(region)
    visible = _visible_to(region, "AF25")
    page = clients["officer"].get(f"/allocations/{allocation}")
    assert page.status_code == 200
    listed = _rows(page.text)
    assert listed and set(listed) <= visible
    with region.connect() as connection:
        placed = set(connection.scalars(select(t.AllocationAssignmentRow.person_id).where(
            t.AllocationAssignmentRow.allocation_id == allocation)))
    hidden = placed - visible
    assert hidden and not any(p in page.text for p in hidden)  # counted, never named
    assert "räknas men listas inte" in page.text and "personer som du får se" in page.text
    name = re.search(r'<tr id="row-P\d+"[^>]*>\s*<th scope="row"><a href="/people/P\d+">([^<]+)</a>',
                     page.text)
    assert name and not name.group(1).startswith("P")  # a name, not the pseudonymous id
    analyst = clients["analyst"].get(f"/allocations/{allocation}")  # aggregates only
    assert analyst.status_code == 200 and not _rows(analyst.text)
    assert not re.search(r"\bP\d{6}\b", analyst.text)


def test_filters_and_pages(region: Engine, clients: dict[str, Any]) -> None:
    allocation = _allocation(region)
    officer = clients["officer"]
    jobs = officer.get(f"/allocations/{allocation}?kind=job&band=high",
                       headers={"HX-Request": "true", "HX-Target": "results"})
    assert jobs.status_code == 200 and jobs.text.lstrip().startswith("<section")  # the fragment
    assert "<html" not in jobs.text
    kinds = set(re.findall(r"</td><td>([^<]+)</td><td>[^<]+</td><td>[^<]+</td>\s*<td class=\"num\">",
                           jobs.text))
    assert kinds <= {"jobb"}
    assert all(b == "hög" for b in re.findall(r'<span class="hint">\((\w+)\)</span></td>', jobs.text))
    one = officer.get(f"/allocations/{allocation}?page=1").text
    two = officer.get(f"/allocations/{allocation}?page=2").text
    assert set(_rows(one)).isdisjoint(_rows(two))
    places = officer.get(f"/allocations/{allocation}?view=places")
    assert places.status_code == 200 and 'id="allocation-places"' in places.text
    assert officer.get(f"/allocations/{allocation}?band=best").status_code == 422
    assert officer.get("/allocations/ALLOC-000000000000").status_code == 404


def test_an_employer_sees_its_own_places_only(region: Engine) -> None:
    allocation = _allocation(region)
    hr = _principal(region, "employer_hr")
    page = allocation_results.allocation_people(region, hr, allocation, page_size=100)
    assert all(r.organisation_id == hr.organisation_id for r in page.page.items)
    places = allocation_results.allocation_places(region, hr, allocation, page_size=100)
    assert all(p.organisation_id == hr.organisation_id for p in places.items)


def _give_a_place_a_formula_title(engine: Engine, allocation: str, visible: set[str]) -> str:
    with session_scope(engine) as session:
        row = next(a for a in session.scalars(select(t.AllocationAssignmentRow).where(
            t.AllocationAssignmentRow.allocation_id == allocation)) if a.person_id in visible)
        place = session.get(t.OpportunityRow, row.opportunity_id)
        assert place is not None
        place.title = '=HYPERLINK("http://evil.example","x")'
        return row.person_id


def test_exports_escape_formulas_and_open_in_openpyxl(region: Engine,
                                                      clients: dict[str, Any]) -> None:
    allocation = _allocation(region)
    visible = _visible_to(region, "AF25")
    person = _give_a_place_a_formula_title(region, allocation, visible)
    officer = clients["officer"]
    text = officer.get(f"/allocations/{allocation}/export?format=csv")
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Person-id", "Namn"]
    assert {r[0] for r in rows[1:]} <= visible
    row = next(r for r in rows if r[0] == person)
    assert row[4] == '\'=HYPERLINK("http://evil.example","x")'
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r)
    book = officer.get(f"/allocations/{allocation}/export?format=xlsx&kind=job")
    assert book.status_code == 200
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Person-id" and len(values) > 1
    assert {v[5] for v in values[1:]} == {"jobb"}
    assert all(not str(v).startswith("=") for r in values for v in r if v is not None)
    assert officer.get(f"/allocations/{allocation}/export?format=pdf").status_code == 422
    assert clients["analyst"].get(f"/allocations/{allocation}/export").status_code == 403


def test_refer_from_a_row_and_the_same_refusal_without_consent(region: Engine,
                                                               clients: dict[str, Any]) -> None:
    allocation = _allocation(region)
    officer = clients["officer"]
    page = officer.get(f"/allocations/{allocation}?kind=job").text
    person = _rows(page)[0]
    back = f"/allocations/{allocation}?kind=job&page=1"
    made = officer.post(f"/allocations/{allocation}/refer", data={
        "person_id": person, "back": back, "csrf_token": _csrf(officer)}, follow_redirects=False)
    assert made.status_code == 303
    assert made.headers["location"].startswith(back + "&referred=R-")
    after = officer.get(made.headers["location"].split("#")[0]).text
    row = after[after.index(f'id="row-{person}"'):]
    assert "Remitterad" in row[:row.index("</tr>")]
    with region.connect() as connection:
        found = connection.execute(select(t.ReferralRow.opportunity_id, t.ReferralRow.state).where(
            t.ReferralRow.person_id == person, t.ReferralRow.from_organisation_id == "AF25")).all()
        assigned = connection.scalar(select(t.AllocationAssignmentRow.opportunity_id).where(
            t.AllocationAssignmentRow.allocation_id == allocation,
            t.AllocationAssignmentRow.person_id == person))
    assert [(o, s) for o, s in found if o == assigned] == [(assigned, "proposed")]
    again = officer.post(f"/allocations/{allocation}/refer", data={
        "person_id": person, "back": back, "csrf_token": _csrf(officer)}, follow_redirects=False)
    assert again.status_code == 303  # the same referral, not a second one
    with region.connect() as connection:
        assert connection.scalar(select(t.ReferralRow.id).where(
            t.ReferralRow.person_id == person, t.ReferralRow.opportunity_id == assigned)
            .order_by(t.ReferralRow.id.desc())) in again.headers["location"]

    with region.connect() as connection:
        placed = list(connection.scalars(select(t.AllocationAssignmentRow.person_id).where(
            t.AllocationAssignmentRow.allocation_id == allocation)))
    stranger = next(p for p in placed if p not in _visible_to(region, "AF25"))
    answers = {}
    for pid in (stranger, "P999999"):
        refused = officer.post(f"/allocations/{allocation}/refer", data={
            "person_id": pid, "csrf_token": _csrf(officer)}, follow_redirects=False)
        assert refused.status_code == 403
        answers[pid] = refused.text.replace(pid, "PERSON")
    assert answers[stranger] == answers["P999999"]  # nothing tells who is registered
    with region.connect() as connection:
        assert connection.scalar(select(t.ReferralRow.id).where(
            t.ReferralRow.person_id == stranger, t.ReferralRow.from_organisation_id == "AF25")) is None


def _refer_to_employer(engine: Engine) -> str:
    """A person AF25 sees, consenting to the demo employer, referred to one of its jobs."""
    hr, officer = _principal(engine, "employer_hr"), _principal(engine, "officer")
    with session_scope(engine) as session:
        job = session.scalar(select(t.OpportunityRow.id).where(
            t.OpportunityRow.organisation_id == hr.organisation_id).order_by(t.OpportunityRow.id))
        if job is None:  # a small region's employer may have no vacancy: give it one
            place = session.scalars(select(t.OpportunityRow).where(t.OpportunityRow.kind == "job")
                                    .order_by(t.OpportunityRow.id.desc())).first()
            assert place is not None
            place.organisation_id, job = hr.organisation_id, place.id
        taken = set(session.scalars(select(t.ReferralRow.person_id)))
        person = next(p for p in sorted(_visible_to(engine, "AF25")) if p not in taken)
        session.add(t.ConsentRow(person_id=person, organisation_id=hr.organisation_id,
                                 given=date(2026, 11, 1)))
    view = referrals.create_referral(engine, officer, person_id=person, opportunity_id=job,
                                     purpose="Rekrytering", consent=True)
    return view.id


def test_the_employer_accepts_or_declines_referred_candidates(region: Engine,
                                                              clients: dict[str, Any]) -> None:
    first, second = _refer_to_employer(region), _refer_to_employer(region)
    hr = clients["employer_hr"]
    page = hr.get("/employer")
    assert page.status_code == 200
    assert f'data-referral="{first}"' in page.text and "Mina lediga jobb och kandidater" in page.text
    assert f'id="accept-{first}"' in page.text
    accepted = hr.post(f"/employer/referrals/{first}/decision",
                       data={"decision": "accept", "csrf_token": _csrf(hr)}, follow_redirects=False)
    assert accepted.status_code == 303
    declined = hr.post(f"/employer/referrals/{second}/decision",
                       data={"decision": "decline", "csrf_token": _csrf(hr)}, follow_redirects=False)
    assert declined.status_code == 303
    with region.connect() as connection:
        states = dict(connection.execute(select(t.ReferralRow.id, t.ReferralRow.state).where(
            t.ReferralRow.id.in_([first, second]))).all())
        reason = connection.scalar(select(t.ReferralRow.end_reason).where(t.ReferralRow.id == second))
        logged = connection.scalars(select(t.AuditEntryRow.purpose).where(
            t.AuditEntryRow.actor == DEMO_USERS["employer_hr"])).all()
    assert states == {first: "accepted", second: "ended"}
    assert reason == "Arbetsgivaren tackade nej till kandidaten"
    assert any(f"referral {first} proposed -> accepted" in (p or "") for p in logged)
    open_only = hr.get("/employer").text
    assert f'data-referral="{second}"' not in open_only
    assert f'data-referral="{second}"' in hr.get("/employer?show=all").text
    assert clients["officer"].get("/employer").status_code == 403
    nav = hr.get("/").text
    assert 'href="/employer"' in nav and 'href="/allocations"' not in nav


def test_hub_needs_match_by_kind_in_swedish_with_a_mine_filter(region: Engine,
                                                               clients: dict[str, Any]) -> None:
    overview = hub.hub_overview(region)
    for match in overview.matches:
        need, offer = overview.postings[match.need_id], overview.postings[match.offer_id]
        assert need.kind is not PostingKind.RECRUITMENT
        if need.kind is PostingKind.SERVICE_PURCHASE:
            assert offer.kind is PostingKind.SERVICE
    page = re.sub(r"<[^>]+>", " ", clients["employer_hr"].get("/hub").text)  # the text people read
    for english in ("Upphandling: gardening", "service_purchase", "property care", ": cleaning"):
        assert english not in page
    hr = _principal(region, "employer_hr")
    mine = clients["employer_hr"].get("/hub?mine=1").text
    shown = set(re.findall(r'<li data-posting="([^"]+)"', mine))
    own = {p.id for p in overview.postings.values() if p.organisation_id == hr.organisation_id}
    assert shown == own
