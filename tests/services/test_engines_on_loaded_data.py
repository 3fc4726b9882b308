"""The engines on a region built only from an organisation's own files (no synthetic people).

After ``kedja init``, the test fills the XLSX templates with openpyxl as a user would (an
employer, an ASF and a school; job seekers, employees, vacancies, courses and places), loads
them, and runs matching (pathways and the allocation, with its checker), the vacancy chains,
the forecast's gaps and the follow-up indicators on them.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select

from kedja import services
from kedja.core.access import operator_principal
from kedja.demo import load_taxonomy_pack
from kedja.loading import Kind
from kedja.services import loading
from kedja.services.chains import plan_region_chains
from kedja.services.follow_up import indicator_tables
from kedja.services.forecast import region_gaps, run_forecast
from kedja.services.regions import init_region
from kedja.store import session_scope
from kedja.store import tables as t

EMPLOYER, ASF, SCHOOL = "556036-0793", "802481-1138", "212000-2411"
TOWNS = ("2580", "2581", "2582")  # Luleå, Piteå, Boden


def _filled(engine: Engine, kind: Kind, rows: list[dict[str, Any]]) -> bytes:
    book = load_workbook(io.BytesIO(loading.kind_template(kind, engine)))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _load(engine: Engine, kind: Kind, rows: list[dict[str, Any]], owner: str | None = None) -> None:
    report = loading.load_file(engine, kind, f"{kind.value}.xlsx", _filled(engine, kind, rows),
                               organisation_id=owner)
    assert report.ok and report.written, (kind, report.problems)


@pytest.fixture(scope="module")
def own_region(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = services.prepare_database(Path(tmp_path_factory.mktemp("own")) / "own.db")
    init_region(engine)
    taxonomy = load_taxonomy_pack()
    skills = {code: ";".join(taxonomy.skills_of(code)[:4])
              for code in ("5321", "9111", "5120", "8332", "2221")}
    _load(engine, Kind.ORGANISATIONS, [
        {"external_id": "O1", "name": "Norrvård AB", "kind": "employer", "org_number": EMPLOYER,
         "municipality": "2580", "sni": "87"},
        {"external_id": "O2", "name": "Arbetsgården", "kind": "asf", "org_number": ASF,
         "municipality": "2581", "placement_capacity": 6},
        {"external_id": "O3", "name": "Vuxenutbildningen", "kind": "education_provider",
         "org_number": SCHOOL, "municipality": "2580"}])
    employer, asf, school = ("ORG" + n.replace("-", "") for n in (EMPLOYER, ASF, SCHOOL))
    seekers = []
    for i in range(30):
        past = ("5321", "9111", "5120", "8332")[i % 4]
        seekers.append({"external_id": f"S{i}", "name": f"Deltagare {i}", "municipality": TOWNS[i % 3],
                        "status": "unemployed", "status_since": date(2025, 1 + i % 12, 1),
                        "past_occupation": past, "past_years": 1 + i % 5, "sun_level": "3",
                        "languages": "sv:native", "driving_licences": "B" if i % 2 else None,
                        "skills": skills[past], "consent_date": date(2026, 9, 1)})
    _load(engine, Kind.PEOPLE, seekers, asf)
    staff = [{"external_id": f"E{i}", "name": f"Anställd {i}", "municipality": TOWNS[i % 3],
              "occupation": ("5321", "9111", "2221")[i % 3], "employed_since": date(2015, 1, 1),
              "years_in_occupation": 5 + i % 10, "sun_level": "3",
              "skills": skills[("5321", "9111", "2221")[i % 3]]}
             for i in range(24)]
    _load(engine, Kind.EMPLOYEES, staff, employer)
    _load(engine, Kind.OPPORTUNITIES, [
        {"external_id": f"J{i}", "title": f"Jobb {i}", "occupation": ("5321", "9111", "2221", "8332")[i % 4],
         "municipality": TOWNS[i % 3], "capacity": 2, "starts": date(2026, 12, 1),
         "ends": date(2027, 3, 1), "skills": skills[("5321", "9111", "2221", "8332")[i % 4]]}
        for i in range(10)], employer)
    _load(engine, Kind.COURSES, [
        {"external_id": "C1", "title": "Undersköterska", "municipality": "2580", "leads_to": "5321",
         "weeks": 40, "capacity": 10, "starts": date(2027, 1, 10)},
        {"external_id": "C2", "title": "Sjuksköterska, vidareutbildning", "municipality": "2580",
         "leads_to": "2221", "weeks": 60, "capacity": 5}], school)
    _load(engine, Kind.PLACES, [
        {"external_id": "P1", "title": "Kök och café", "occupation": "5120", "municipality": "2581",
         "capacity": 3},
        {"external_id": "P2", "title": "Städ", "occupation": "9111", "municipality": "2581",
         "capacity": 3}], asf)
    return engine


def test_the_loaded_region_holds_only_what_was_loaded(own_region: Engine) -> None:
    with session_scope(own_region) as session:
        assert len(session.scalars(select(t.PersonRow.id)).all()) == 54
        assert len(session.scalars(select(t.OpportunityRow.id)).all()) == 14


def test_pathways_and_the_allocation_run_on_loaded_people(own_region: Engine) -> None:
    with session_scope(own_region) as session:
        seeker = session.scalar(select(t.PersonRow.id).where(t.PersonRow.status == "unemployed")
                                .order_by(t.PersonRow.id))
    assert seeker is not None
    steps = services.pathways_for_person(own_region, seeker, k=5,
                                         principal=operator_principal("tester"))
    assert steps, "no pathway for a loaded job seeker"
    summary = services.run_allocation(own_region)
    assert summary["people"] == 30 and summary["placed"] > 0
    assert summary["checker_ok"]


def test_chains_forecast_and_indicators_run_on_loaded_data(own_region: Engine) -> None:
    plan = plan_region_chains(own_region)
    assert plan["checker_ok"] and plan["chains"], "no chain on the loaded vacancies"
    steps = [step for chain in plan["chains"] for step in chain["steps"]]
    assert steps and all(step["municipality_code"] in TOWNS for step in steps)  # the loaded jobs' towns
    run = run_forecast(own_region, draws=0)
    gaps = {row["code"]: row for row in region_gaps(run)}
    assert len(gaps) == 29  # every municipality of the region, from the region pack
    assert gaps["2580"]["population"] > 50_000  # Luleå's projected population, not a loaded count
    tables = indicator_tables(own_region, None)
    assert tables and {table.indicator for table in tables}  # no enrolments yet: empty, suppressed tables
