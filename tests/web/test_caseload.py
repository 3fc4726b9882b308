"""The case worker's pages: the caseload's search, filters, sort and paging; the person's case
with its actions; the paged referral list; and the gate on every new route."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, delete, select

from kedja.core.access import Principal, Purpose
from kedja.core.organisations import OrganisationKind
from kedja.services import gate
from kedja.services.caseload import CaseloadQuery, caseload
from kedja.services.identity import person_identity
from kedja.store import session_scope
from kedja.store import tables as t
from kedja.web import create_app
from tests.conftest import DEMO_USERS, signed_in_client

Client = Any  # a signed-in TestClient
ROW = re.compile(r'<tr data-person="([^"]+)"')


@pytest.fixture(scope="module")
def clients(web_engine: Engine) -> dict[str, Client]:
    app = create_app(web_engine)
    return {role: signed_in_client(app, user) for role, user in DEMO_USERS.items()}


def _me(client: Client) -> dict[str, Any]:
    return dict(client.get("/api/v1/me").json())


def _form(client: Client, **fields: Any) -> dict[str, Any]:
    return {"csrf_token": _me(client)["csrf_token"], **fields}


def _rows(html: str) -> list[str]:
    return ROW.findall(html)


def _people(engine: Engine, ids: list[str]) -> dict[str, t.PersonRow]:
    with session_scope(engine) as session:
        rows = session.scalars(select(t.PersonRow).where(t.PersonRow.id.in_(ids))).all()
        session.expunge_all()
    return {r.id: r for r in rows}


def _principal(client: Client) -> Principal:
    """The signed-in user's principal, as the pages build it (from ``/api/v1/me``)."""
    me = _me(client)
    return Principal("test", me["username"], me["organisation_id"],
                     OrganisationKind(me["organisation_kind"]), frozenset(me["roles"]))


def _visible(engine: Engine, client: Client) -> set[str]:
    principal = _principal(client)
    with session_scope(engine) as session:
        return set(gate.visible_people(session, principal, Purpose.CASE_MANAGEMENT))


def test_the_caseload_lists_whom_the_gate_opens_in_swedish(web_engine: Engine,
                                                         clients: dict[str, Client]) -> None:
    officer = clients["officer"]
    page = officer.get("/people")
    assert page.status_code == 200
    visible = _visible(web_engine, officer)
    total = int(re.search(r'id="people-count">([\d\s\xa0]+) personer', page.text)
                .group(1).replace("\xa0", "").replace(" ", ""))
    assert total == len(visible) > 25
    ids = _rows(page.text)
    assert len(ids) == 25 and set(ids) <= visible
    cells = re.sub(r"<[^>]+>", " ", page.text.split("<tbody>")[1])
    for code in ("unemployed", "outside_labour_force", "introduction_programme", "wage_subsidy"):
        assert code not in cells
    assert "Luleå" in cells or "Piteå" in cells or "Kiruna" in cells


def test_filters_sort_and_pages_are_those_asked_for(web_engine: Engine,
                                                    clients: dict[str, Client]) -> None:
    officer = clients["officer"]
    first = _rows(officer.get("/people?status=unemployed&sort=without_work").text)
    people = _people(web_engine, first)
    assert all(people[p].status == "unemployed" for p in first)
    since = [people[p].status_since for p in first]
    assert since == sorted(since)  # longest without work first
    second = officer.get("/people?status=unemployed&sort=without_work&page=2",
                         headers={"HX-Request": "true", "HX-Target": "people"})
    assert second.status_code == 200 and "<html" not in second.text  # the rows only
    assert not set(_rows(second.text)) & set(first)
    municipality = people[first[0]].municipality_code
    there = _rows(officer.get(f"/people?municipality={municipality}").text)
    assert there and all(p.municipality_code == municipality
                         for p in _people(web_engine, there).values())
    long_ = _rows(officer.get("/people?without_work=24-").text)
    cutoff = date(2026, 11, 30) - timedelta(days=int(24 * 30.4375) - 1)
    assert long_ and all(p.status == "unemployed" and p.status_since <= cutoff
                         for p in _people(web_engine, long_).values())
    sfi = _rows(officer.get("/people?support=sfi").text)
    assert all("sfi" in p.support_forms for p in _people(web_engine, sfi).values())


def test_referral_and_consent_filters_follow_the_organisation(web_engine: Engine,
                                                              clients: dict[str, Client]) -> None:
    officer = clients["officer"]
    org = _me(officer)["organisation_id"]
    with session_scope(web_engine) as session:
        referred = set(session.scalars(select(t.ReferralRow.person_id).where(
            (t.ReferralRow.from_organisation_id == org) | (t.ReferralRow.to_organisation_id == org))))
        consented = set(session.scalars(select(t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id == org, t.ConsentRow.withdrawn.is_(None))))
    none = _rows(officer.get("/people?referral=none").text)
    assert none and not set(none) & referred
    only = _rows(officer.get("/people?consent=referral_only").text)
    assert not set(only) & consented


def test_bad_filters_are_named(clients: dict[str, Client]) -> None:
    answer = clients["officer"].get("/people?status=retired")
    assert answer.status_code == 422
    assert "retired" in answer.text


def test_search_by_name_number_and_id(web_engine: Engine, clients: dict[str, Client]) -> None:
    officer = clients["officer"]
    principal = _principal(officer)
    pid = _rows(officer.get("/people?page=2").text)[3]
    who = person_identity(web_engine, principal, pid, purpose=Purpose.CASE_MANAGEMENT)
    assert who is not None and who.personal_number
    assert pid in _rows(officer.get("/people", params={"q": who.name}).text)
    assert _rows(officer.get("/people", params={"q": who.personal_number}).text) == [pid]
    assert _rows(officer.get("/people", params={"q": pid}).text) == [pid]
    assert officer.get("/people", params={"q": "19121212-1213"}).status_code == 422


def test_the_scopes(web_engine: Engine, clients: dict[str, Client]) -> None:
    officer = clients["officer"]
    pid = _rows(officer.get("/people?page=3").text)[0]
    assert pid not in _rows(officer.get("/people?scope=mine").text)
    saved = officer.post(f"/people/{pid}/notes", data=_form(officer, text="Ringde, vill prova praktik."),
                         follow_redirects=False)
    assert saved.status_code == 303
    assert pid in _rows(officer.get("/people?scope=mine").text)
    assert pid in _rows(officer.get("/people?scope=unit").text)
    result = caseload(web_engine, _principal(officer), CaseloadQuery(scope="mine"))
    assert pid in {r.person_id for r in result.page.items}


def test_the_person_page_is_the_case(web_engine: Engine, clients: dict[str, Client]) -> None:
    officer, coordinator = clients["officer"], clients["coordinator"]
    pid = _rows(officer.get("/people?page=4").text)[0]
    page = officer.get(f"/people/{pid}")
    assert page.status_code == 200
    for heading in ("Profil", "Tilldelat steg", "Samtycken", "Remisser", "Anteckningar"):
        assert f">{heading}</h2>" in page.text
    assert 'name="to_organisation_id"' in page.text  # the picker, not a typed id
    # a note stays with the organisation that wrote it
    officer.post(f"/people/{pid}/notes", data=_form(officer, text="Anteckning 19a"))
    assert "Anteckning 19a" in officer.get(f"/people/{pid}").text
    with session_scope(web_engine) as session:
        logged = session.scalars(select(t.AuditEntryRow).where(
            t.AuditEntryRow.subject_id == pid, t.AuditEntryRow.action == "write",
            t.AuditEntryRow.purpose == "case_management: note")).all()
    assert logged
    seen = coordinator.get(f"/people/{pid}")
    assert "Anteckning 19a" not in seen.text


def test_a_consent_with_purposes_is_shown_with_them(web_engine: Engine,
                                                    clients: dict[str, Client]) -> None:
    officer, coordinator = clients["officer"], clients["coordinator"]
    pid = _rows(officer.get("/people?page=5").text)[1]
    asf = _me(coordinator)["organisation_id"]
    done = officer.post(f"/people/{pid}/consents", data=_form(
        officer, organisation_id=asf, purposes=["recruitment", "follow_up"]), follow_redirects=False)
    assert done.status_code == 303
    table = officer.get(f"/people/{pid}").text.split('id="consents"')[1].split("</table>")[0]
    assert "rekrytering" in table and "uppföljning" in table.lower()
    # recruitment and follow-up only: the ASF gets no case record, nor a place on its caseload
    assert pid not in _visible(web_engine, coordinator)
    assert coordinator.get(f"/people/{pid}").status_code == 403


def test_refusals_are_the_same_for_unknown_people(web_engine: Engine,
                                                  clients: dict[str, Client]) -> None:
    officer = clients["officer"]
    visible = _visible(web_engine, officer)
    with session_scope(web_engine) as session:
        hidden = next(p for p in session.scalars(select(t.PersonRow.id).order_by(t.PersonRow.id))
                      if p not in visible)
    for route in ("/people/{}", "/people/{}/targets", "/people/{}/pathways"):
        known = officer.get(route.format(hidden))
        unknown = officer.get(route.format("P999999"))
        assert known.status_code == unknown.status_code == 403
        assert known.text.replace(hidden, "X") == unknown.text.replace("P999999", "X")
    note = officer.post(f"/people/{hidden}/notes", data=_form(officer, text="x"))
    assert note.status_code == 403


def test_the_employer_sees_the_candidate_view_only(web_engine: Engine,
                                                   clients: dict[str, Client]) -> None:
    officer, hr = clients["officer"], clients["employer_hr"]
    org = _me(hr)["organisation_id"]
    with session_scope(web_engine) as session:
        taken = set(session.scalars(select(t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id == org)))
    pid = next(p for p in _rows(officer.get("/people?page=8").text) if p not in taken)
    made = officer.post(f"/api/v1/people/{pid}/consents",
                        headers={"X-CSRF-Token": _me(officer)["csrf_token"]},
                        json={"organisation_id": org, "purposes": ["recruitment"]})
    assert made.status_code == 201, made.text
    page = hr.get(f"/people/{pid}")
    assert page.status_code == 200
    for case_only in ("Samtycken", "Anteckningar", "Personnummer", "to_organisation_id"):
        assert case_only not in page.text
    assert hr.post(f"/people/{pid}/notes", data=_form(hr, text="x")).status_code == 403
    assert hr.get(f"/people/{pid}/targets").status_code == 403


def test_the_allocated_step_is_on_the_case(web_engine: Engine, clients: dict[str, Client]) -> None:
    officer = clients["officer"]
    pid = _rows(officer.get("/people?page=6").text)[0]
    with session_scope(web_engine) as session:
        opportunity = session.scalars(select(t.OpportunityRow).where(
            t.OpportunityRow.kind == "asf_placement")).first()
        assert opportunity is not None
        title = opportunity.title
        session.add(t.AllocationRow(id="A-19a", created_at=datetime(2030, 1, 1, tzinfo=UTC),
                                    scenario="baseline", method="min_cost_flow", summary={}, audit={}))
        session.flush()
        session.add(t.AllocationAssignmentRow(allocation_id="A-19a", person_id=pid,
                                              opportunity_id=opportunity.id, fit=71.5, factors={}))
    try:
        step = officer.get(f"/people/{pid}").text.split('id="step"')[1].split("<h2")[0]
    finally:  # the database is shared with other modules: leave no half-made allocation behind
        with session_scope(web_engine) as session:
            session.execute(delete(t.AllocationAssignmentRow).where(
                t.AllocationAssignmentRow.allocation_id == "A-19a"))
            session.execute(delete(t.AllocationRow).where(t.AllocationRow.id == "A-19a"))
    assert title in step and "71,5" in step  # the fit, rounded to one decimal


def test_the_picker_refers_to_a_place_by_distance(web_engine: Engine,
                                                  clients: dict[str, Client]) -> None:
    officer = clients["officer"]
    pid = _rows(officer.get("/people?page=7").text)[0]
    rows = officer.get(f"/people/{pid}/targets?kind=asf").text
    distances = [float(km.replace("\xa0", "").replace(",", "."))
                 for km in re.findall(r'class="num">([\d\xa0,]+) km<', rows)]
    assert distances and distances == sorted(distances)
    target = re.search(r'data-organisation="([^"]+)" data-free="([1-9]\d*)"', rows)
    assert target, "the demo has an ASF with a free place"
    made = officer.post("/referrals", data=_form(officer, person_id=pid, to_organisation_id=target[1],
                                                  purpose="Arbetsträning", consent="true"),
                        follow_redirects=False)
    assert made.status_code == 303
    with session_scope(web_engine) as session:
        assert session.scalar(select(t.ReferralRow.to_organisation_id).where(
            t.ReferralRow.person_id == pid, t.ReferralRow.to_organisation_id == target[1]))
    assert 'name="to_organisation_id"' in officer.get(f"/referrals/new?person_id={pid}").text


def test_the_referral_list_pages_and_filters(web_engine: Engine, clients: dict[str, Client]) -> None:
    officer = clients["officer"]
    page = officer.get("/referrals")
    assert page.status_code == 200
    assert page.text.count("<tr data-referral=") <= 25
    inbox = officer.get("/referrals?direction=out&state=proposed",
                        headers={"HX-Request": "true", "HX-Target": "referral-list"})
    assert "<html" not in inbox.text
    assert 'data-direction="in"' not in inbox.text
    assert officer.get("/referrals?direction=sideways").status_code == 422
    assert "proposed" not in re.sub(r"<[^>]+>", " ", page.text.split("<tbody>")[1])


def test_pathways_are_distinct_remote_steps_have_no_travel(web_engine: Engine,
                                                           clients: dict[str, Client]) -> None:
    officer = clients["officer"]
    with session_scope(web_engine) as session:
        rows = session.execute(select(t.PersonRow.id, t.PersonLanguageRow.level).join(
            t.PersonLanguageRow, (t.PersonLanguageRow.person_id == t.PersonRow.id)
            & (t.PersonLanguageRow.language == "sv")).where(
            t.PersonRow.status == "outside_labour_force",
            t.PersonLanguageRow.level.in_(("A1", "A2")))).all()
    visible = _visible(web_engine, officer)
    far = [pid for pid, _level in rows if pid in visible]
    assert far, "the demo has people outside the labour force with little Swedish"
    for pid in far[:3]:
        page = officer.get(f"/people/{pid}/pathways").text
        assert "Du står nära arbetsmarknaden" not in page
        for item in page.split('<li data-opportunity=')[1:]:
            if "Helt på distans" in item.split("</p>")[0]:
                assert "minuter" not in item.split("</p>")[0]


def test_pathways_keep_the_nearest_offer(web_engine: Engine, clients: dict[str, Client]) -> None:
    from kedja.matching import prepare_people
    from kedja.matching.planner import person_pathways
    from kedja.services.matching import _prepared_region, forecast_shortage
    from kedja.store import repositories as repo

    officer = clients["officer"]
    visible = sorted(_visible(web_engine, officer))
    with session_scope(web_engine) as session:
        people = [p for p in repo.get_people(session, visible[:40])
                  if p.situation.status.value != "employed"]
        prepared = prepare_people(_prepared_region(web_engine, session, forecast_shortage(web_engine)),
                                  people)
        opportunities = {o.id: o for o in prepared.data.opportunities}
    for person in people:
        steps = person_pathways(prepared, person.id, k=10)
        keys = [(s.kind, s.title.casefold(), s.organisation_id) for s in steps]
        assert len(keys) == len(set(keys))
        for s in steps:
            if s.remote:
                assert s.travel_minutes == 0.0 and opportunities[s.opportunity_id].remote_share >= 0.99


def test_asf_steps_for_people_shared_with_an_asf(web_engine: Engine,
                                                 clients: dict[str, Client]) -> None:
    officer = clients["officer"]
    visible = _visible(web_engine, officer)
    with session_scope(web_engine) as session:
        shared = [(p, o) for p, o in session.execute(
            select(t.ConsentRow.person_id, t.ConsentRow.organisation_id)
            .join(t.OrganisationRow, t.OrganisationRow.id == t.ConsentRow.organisation_id)
            .join(t.PersonRow, t.PersonRow.id == t.ConsentRow.person_id)
            .where(t.OrganisationRow.kind == "asf", t.ConsentRow.withdrawn.is_(None),
                   t.ConsentRow.purposes.is_(None), t.PersonRow.status != "employed"))
            if p in visible]
        names = dict(session.execute(select(t.OrganisationRow.id, t.OrganisationRow.name)).all())
        placements = dict(session.execute(select(t.OpportunityRow.organisation_id, t.OpportunityRow.id)
                                          .where(t.OpportunityRow.kind == "asf_placement")).all())
    assert shared
    pid, asf = next((p, o) for p, o in shared if o in placements)
    page = officer.get(f"/people/{pid}/pathways").text
    # the ASF's place is a step: ranked among the best, or listed as the ASF's own
    assert f'data-opportunity="{placements[asf]}"' in page
    if 'id="asf-steps"' in page:
        assert names[asf] in page.split('id="asf-steps"')[1]
