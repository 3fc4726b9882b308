"""Matching on the demo region: sensible pathways, a checked allocation, equal treatment."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
from sqlalchemy import Engine, text, update

from kedja import services
from kedja.core.access import Purpose, operator_principal
from kedja.core.errors import Forbidden
from kedja.services.matching import ALLOCATION_KEYS
from kedja.store import session_scope
from kedja.store import tables as t

COUNT_AUDIT = text("select count(*) from audit_log where subject_id = :p")

OPERATOR = operator_principal("tester")


def _one(engine: Engine, sql: str) -> str:
    with engine.connect() as connection:
        value = connection.execute(text(sql)).scalar()
    if value is None:
        pytest.skip(f"the small demo has no such person: {sql}")
    return str(value)


def test_experienced_job_seeker_gets_jobs_in_their_occupation(demo_engine: Engine) -> None:
    person = _one(demo_engine, """
        select p.id from people p join person_occupations o on o.person_id = p.id
        where p.status = 'unemployed' and p.sun_level >= '3' and o.years >= 3
          and p.status_since > '2026-06-01' and p.support_forms = '[]'
          and exists (select 1 from person_languages l where l.person_id = p.id
                      and l.language = 'sv' and l.level = 'native')
        order by p.id limit 1""")
    steps = services.pathways_for_person(demo_engine, person, k=5, principal=OPERATOR)
    assert steps, "a newly unemployed person with experience gets some step"
    assert all(s.fit == max(s.fit for s in steps[i:]) for i, s in enumerate(steps))
    for step in steps:
        assert set(step.factors) == {"skills", "experience", "travel", "preference", "shortage", "step"}
        assert step.explanation["sv"] and step.explanation["en"]
        assert len(step.explanation["sv"]) == len(step.explanation["en"])


def test_person_far_from_the_labour_market_gets_entry_steps(demo_engine: Engine) -> None:
    person = _one(demo_engine, """
        select p.id from people p join person_languages l on l.person_id = p.id
        where p.status != 'employed' and l.language = 'sv' and l.level = 'A1'
          and p.status_since < '2024-06-01' order by p.id limit 1""")
    steps = services.pathways_for_person(demo_engine, person, k=3, principal=OPERATOR)
    assert steps and all(s.kind != "job" or s.factors["step"] < 0.3 for s in steps)
    assert steps[0].kind in {"asf_placement", "training", "internship"}


def test_reading_pathways_is_audited(demo_engine: Engine) -> None:
    person = _one(demo_engine, "select id from people where status != 'employed' order by id limit 1")
    with demo_engine.connect() as c:
        before = c.execute(COUNT_AUDIT, {"p": person}).scalar()
    with pytest.raises(Forbidden):  # the operator reads pathways for matching, not case work
        services.pathways_for_person(demo_engine, person, k=1, purpose=Purpose.CASE_MANAGEMENT,
                                     principal=OPERATOR)
    services.pathways_for_person(demo_engine, person, k=1, principal=OPERATOR)
    with demo_engine.connect() as c:
        row = c.execute(text("select actor, action, purpose from audit_log where subject_id = :p "
                             "order by id desc"), {"p": person}).first()
        after = c.execute(COUNT_AUDIT, {"p": person}).scalar()
    assert after == before + 2 and tuple(row) == ("cli:tester", "read", "matching")


def _assignments(engine: Engine, allocation_id: str) -> list[tuple[str, str]]:
    with engine.connect() as c:
        return [tuple(r) for r in c.execute(text(
            "select person_id, opportunity_id from allocation_assignments where allocation_id = :a "
            "order by person_id"), {"a": allocation_id})]


def test_allocation_is_checked_stored_and_beats_greedy(demo_engine: Engine) -> None:
    summary = services.run_allocation(demo_engine)
    assert set(ALLOCATION_KEYS) <= set(summary)
    assert summary["checker_ok"] is True
    assert summary["total_fit"] >= summary["greedy_total_fit"]
    assert summary["placed"] == sum(summary["placed_by_kind"].values()) > 0
    stored = _assignments(demo_engine, summary["allocation_id"])
    assert len(stored) == summary["placed"]
    with demo_engine.connect() as c:
        over = c.execute(text("""
            select count(*) from (select a.opportunity_id, count(*) n, o.capacity
            from allocation_assignments a join opportunities o on o.id = a.opportunity_id
            where a.allocation_id = :a group by a.opportunity_id, o.capacity) x where n > capacity"""),
            {"a": summary["allocation_id"]}).scalar()
    assert over == 0
    assert set(summary["group_ratios"]) == {"gender", "age_band", "born_abroad", "disability"}


def test_permuting_protected_attributes_changes_no_score_and_no_allocation(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = services.prepare_database(tmp_path / "perm.db")
    services.build_demo_database(engine, seed=11, job_seekers=300, employed=600)
    person = _one(engine, "select id from people where status != 'employed' order by id limit 1")
    before_steps = services.pathways_for_person(engine, person, k=5, principal=OPERATOR)
    before = services.run_allocation(engine)
    with session_scope(engine) as session:
        rows = session.execute(text("select person_id, gender, birth_year, born_abroad, disability "
                                    "from protected_attributes order by person_id")).all()
        shuffled = [r[1:] for r in rows]
        random.Random(3).shuffle(shuffled)
        for (pid, *_), values in zip(rows, shuffled, strict=True):
            session.execute(update(t.ProtectedAttributesRow).where(t.ProtectedAttributesRow.person_id == pid)
                            .values(gender=values[0], birth_year=values[1], born_abroad=values[2],
                                    disability=values[3]))
    after_steps = services.pathways_for_person(engine, person, k=5, principal=OPERATOR)
    after = services.run_allocation(engine)
    assert [(s.opportunity_id, s.fit, s.factors) for s in before_steps] == \
           [(s.opportunity_id, s.fit, s.factors) for s in after_steps]
    assert _assignments(engine, before["allocation_id"]) == _assignments(engine, after["allocation_id"])
    assert before["total_fit"] == after["total_fit"]
    assert json.dumps(before["group_ratios"]) != json.dumps(after["group_ratios"])  # the audit did look
    engine.dispose()


def test_api_pathways_and_allocations(web_engine: Engine) -> None:
    from kedja.web import create_app
    from tests.conftest import signed_in_client

    app = create_app(web_engine)
    officer = signed_in_client(app, "officer.norrbotten@kedja.demo")
    analyst = signed_in_client(app, "analyst@kedja.demo")
    hr = signed_in_client(app, "hr@kedja.demo")
    person = _one(web_engine, """select c.person_id from consents c join people p on p.id = c.person_id
                                 where c.organisation_id = 'AF25' and c.withdrawn is null
                                 and p.status != 'employed' order by c.person_id limit 1""")
    body = officer.get(f"/api/v1/pathways/{person}?k=3").json()  # type: ignore[attr-defined]
    assert body["person_id"] == person and 0 < len(body["items"]) <= 3
    other = _one(web_engine, """select p.id from people p where p.status != 'employed' and not exists
                                (select 1 from consents c where c.person_id = p.id
                                 and c.organisation_id = 'AF25') order by p.id limit 1""")
    assert officer.get(f"/api/v1/pathways/{other}").status_code == 403  # type: ignore[attr-defined]
    assert analyst.get(f"/api/v1/pathways/{person}").status_code == 403  # type: ignore[attr-defined]
    assert hr.get(f"/api/v1/pathways/{person}").status_code == 403  # type: ignore[attr-defined]
    csrf = {"X-CSRF-Token": officer.get("/api/v1/me").json()["csrf_token"]}  # type: ignore[attr-defined]
    created = officer.post("/api/v1/allocations", json={"scenario": "api-test"}, headers=csrf)  # type: ignore[attr-defined]
    assert created.status_code == 201 and created.json()["summary"]["checker_ok"] is True
    analyst_csrf = {"X-CSRF-Token": analyst.get("/api/v1/me").json()["csrf_token"]}  # type: ignore[attr-defined]
    assert analyst.post("/api/v1/allocations", json={}, headers=analyst_csrf).status_code == 403  # type: ignore[attr-defined]
    listed = analyst.get("/api/v1/allocations").json()  # type: ignore[attr-defined]
    assert any(a["id"] == created.json()["id"] for a in listed["items"])
    one = analyst.get(f"/api/v1/allocations/{created.json()['id']}").json()  # type: ignore[attr-defined]
    assert "gender" in one["audit"]



def test_match_command_prints_the_json_summary(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys
    from pathlib import Path

    kedja = str(Path(sys.executable).with_name("kedja"))
    db = str(tmp_path / "m.db")
    subprocess.run([kedja, "demo", "--no-serve", "--db", db, "--job-seekers", "300", "--employed",
                    "500"], check=True, capture_output=True)
    result = subprocess.run([kedja, "match", "--db", db, "--format", "json", "--band", "disability"],
                            capture_output=True, text=True, check=True)
    summary = json.loads(result.stdout)
    assert set(ALLOCATION_KEYS) <= set(summary) and summary["checker_ok"]
    assert summary["band"]["band_met"] and summary["band"]["checker_ok"]
    assert summary["total_fit"] <= summary["band"]["unconstrained_total_fit"]


def test_pathway_and_allocation_pages(web_engine: Engine) -> None:
    import re
    import time

    from kedja.web import create_app
    from tests.conftest import signed_in_client

    app = create_app(web_engine)
    officer = signed_in_client(app, "officer.norrbotten@kedja.demo")
    person = _one(web_engine, """select c.person_id from consents c join people p on p.id = c.person_id
                                 where c.organisation_id = 'AF25' and c.withdrawn is null
                                 and p.status != 'employed' order by c.person_id limit 1""")
    page = officer.get(f"/people/{person}/pathways?lang=sv")  # type: ignore[attr-defined]
    assert page.status_code == 200 and "Nästa steg för" in page.text and "Passning" in page.text
    assert "Passningens delar" in page.text
    english = officer.get(f"/people/{person}/pathways?lang=en").text  # type: ignore[attr-defined]
    assert "Breakdown of the fit" in english
    form = officer.get("/allocations").text  # type: ignore[attr-defined]
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    ran = officer.post("/allocations", data={"csrf_token": token, "scenario": "page-test",  # type: ignore[attr-defined]
                                             "band": "disability"}, follow_redirects=False)
    assert ran.status_code == 303 and "/allocations/jobs/" in ran.headers["location"]  # a job now
    deadline = time.monotonic() + 300
    job = ran.headers["location"]
    while (done := officer.get(job, follow_redirects=False)).status_code == 200:  # type: ignore[attr-defined]
        assert time.monotonic() < deadline and "misslyckades" not in done.text
        time.sleep(0.2)
    shown = officer.get(done.headers["location"] + "?lang=en").text  # type: ignore[attr-defined]
    assert "Equal-treatment audit" in shown and "disability" in shown and "Band" in shown
    assert "page-test" in officer.get("/allocations").text  # type: ignore[attr-defined]


def test_shortage_comes_from_the_forecast(demo_engine: Engine) -> None:
    from kedja.services.matching import _shortage, forecast_shortage
    from kedja.store import session_scope as scope

    shares = forecast_shortage(demo_engine)
    assert shares and any(v > 0 for v in shares.values())
    codes = sorted(shares)
    with scope(demo_engine) as session:
        ranked = _shortage(session, codes, shares)
        fallback = _shortage(session, codes, None)
    worst = max(codes, key=lambda c: shares[c])
    assert ranked[codes.index(worst)] == ranked.max() > 0.9
    assert ranked.shape == fallback.shape and not np.allclose(ranked, fallback)


def test_a_person_against_the_encoded_region_gets_the_same_pathways(demo_engine: Engine) -> None:
    """``prepare_people`` (the pathway page: the region encoded once) gives what
    ``prepare_matching`` over the same people gives, candidate for candidate."""
    from kedja.matching import prepare_matching, prepare_people
    from kedja.matching.scoring import generate_candidates
    from kedja.services.matching import matching_data
    from kedja.store import loaders

    with session_scope(demo_engine) as session:
        seekers = loaders.list_people(session, job_seekers_only=True)[:40]
        region = prepare_matching(matching_data(session, []))
        whole = prepare_matching(matching_data(session, seekers))
    quick = prepare_people(region, seekers)

    def arcs(prepared):  # type: ignore[no-untyped-def]
        c = generate_candidates(prepared.scoring)
        ids = prepared.opportunities.ids
        return sorted((prepared.people.ids[int(p)], ids[int(o)], round(float(f), 4))
                      for p, o, f in zip(c.person, c.opportunity, c.fit, strict=True))

    expected = arcs(whole)
    assert expected and arcs(quick) == expected
