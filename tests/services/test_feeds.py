"""JobTech ads (recorded examples in JobTech's format), the JobSearch API (recorded answers), YH lists."""

from __future__ import annotations

import io
import json
from pathlib import Path

import httpx
import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, select

from kedja import services
from kedja.core.errors import InvalidInput
from kedja.services.feeds import fetch_jobsearch_ads, load_jobtech_ads, load_yh_programmes
from kedja.services.regions import init_region
from kedja.store import session_scope
from kedja.store import tables as t
from tests.conftest import shared_data

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture
def region(tmp_path: Path) -> Engine:
    engine = services.prepare_database(tmp_path / "feed.db")
    init_region(engine)
    return engine


def _jobs(engine: Engine) -> dict[str, t.OpportunityRow]:
    with session_scope(engine) as session:
        keys = dict(session.execute(select(t.ExternalKeyRow.external_id, t.ExternalKeyRow.entity_id)
                                    .where(t.ExternalKeyRow.owner_id == "jobtech")).all())
        rows = {r.id: r for r in session.scalars(select(t.OpportunityRow))}
        session.expunge_all()
    return {ad: rows[i] for ad, i in keys.items()}


def test_recorded_ads_load_with_ssyk_municipality_dates_and_employer(region: Engine) -> None:
    report = load_jobtech_ads(region, (DATA / "jobtech_ads.jsonl").read_bytes(), filename="ads.jsonl")
    assert report.batch.ads == 9 and report.batch.duplicates == 1
    assert report.batch.removed == 1 and report.batch.outside_region == 1
    assert report.load.added == 4 and report.load.written
    assert {p.value for p in report.load.problems} == {"okänt_id", ""}  # unknown group, no org number
    jobs = _jobs(region)
    nurse = jobs["28000001"]
    assert (nurse.occupation_code, nurse.municipality_code, nurse.capacity) == ("5321", "2580", 3)
    assert nurse.title.endswith("natt") and str(nurse.ends) == "2024-04-07"  # the later version won
    assert str(nurse.starts) == "2024-03-01"
    assert jobs["28000006"].occupation_code == "9111"  # the legacy id when the concept id is unknown
    assert jobs["28000002"].hours_per_week == 30
    assert sorted(jobs["28000003"].driving_licences) == ["C", "CE"]
    with session_scope(region) as session:
        employer = session.get(t.OrganisationRow, nurse.organisation_id)
        assert employer is not None and employer.org_number == "232100-0008"
        assert employer.name == "Region Exempel"
    again = load_jobtech_ads(region, (DATA / "jobtech_ads.jsonl").read_bytes())
    assert (again.load.added, again.load.changed, again.load.unchanged) == (0, 0, 4)


def test_a_json_list_and_a_jobsearch_answer_are_read_too(region: Engine) -> None:
    lines = (DATA / "jobtech_ads.jsonl").read_text(encoding="utf-8").splitlines()
    as_list = json.dumps([json.loads(x) for x in lines]).encode()
    assert load_jobtech_ads(region, as_list, dry_run=True).load.added == 4
    answer = (DATA / "jobsearch_answer.json").read_bytes()
    assert load_jobtech_ads(region, answer, dry_run=True).load.added == 2


def test_from_api_pages_through_the_region_against_recorded_answers(region: Engine) -> None:
    recorded = json.loads((DATA / "jobsearch_answer.json").read_text(encoding="utf-8"))
    asked: list[dict[str, str]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(dict(request.url.params))
        hits = recorded["hits"] if request.url.params["region"] == "25" else []
        return httpx.Response(200, json={**recorded, "hits": hits})

    client = httpx.Client(transport=httpx.MockTransport(answer))
    ads = fetch_jobsearch_ads(region, client=client)
    assert [a["id"] for a in ads] == ["28000001", "28000002"]
    assert {q["region"] for q in asked} == {"24", "25"} and all(q["limit"] == "100" for q in asked)
    assert load_jobtech_ads(region, ads).load.added == 2


def test_an_api_error_is_a_clear_message(region: Engine) -> None:
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(503, text="busy")))
    with pytest.raises(InvalidInput, match="JobSearch"):
        fetch_jobsearch_ads(region, client=client)


def test_a_yh_list_with_the_public_columns_loads_as_courses(region: Engine) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Yrkesgrupp", "SSYK Arbetsförmedlingen", "SSYK SCB", "Yrkesområde", "SUN 2020",
                  "Inriktning", "Utbildningsnummer", "Utbildningsnamn", "SUN 4 - MYH",
                  "Utbildningsområde", "Utbildningsbeskrivning", "Anordnare", "Examen", "Studieform",
                  "Studieort", "YH-poäng"])
    for ssyk in ("4111", "4119"):
        sheet.append(["Jurister", ssyk, None, "Juridik", "380a", "", "YH00025", "Paralegal", "380x",
                      "Juridik", "", "Exempelskolan", "Yrkeshögskoleexamen", "Bunden", "Luleå", 400])
    sheet.append(["Undersköterskor", "5321", None, "Vård", "", "", "YH00900", "Vårdadministratör",
                  "", "", "", "Exempelskolan", "", "", "Umeå", "300"])
    out = io.BytesIO()
    book.save(out)
    with session_scope(region) as session:
        from kedja.core.organisations import Organisation
        from kedja.store import repositories as repo
        repo.save_organisations(session, [Organisation("EDU1", "Exempelskolan",  # type: ignore[arg-type]
                                                       "education_provider", "2580")])  # type: ignore[arg-type]
    report = load_yh_programmes(region, "yh.xlsx", out.getvalue(), organisation_id="EDU1")
    assert report.ok, report.problems
    assert report.added == 2
    with session_scope(region) as session:
        courses = {r.title: r for r in session.scalars(select(t.OpportunityRow))}
        assert courses["Paralegal"].training_leads_to == ["4111", "4119"]
        assert courses["Paralegal"].training_weeks == 80 and courses["Paralegal"].kind == "training"


@pytest.mark.shared_data
def test_the_public_kopplingsschema_columns_are_recognised(region: Engine) -> None:
    from kedja.loading import read_table
    from kedja.loading.yh import yh_table

    path = shared_data("af_forecasts", "kopplingsschema.xlsx")
    table = yh_table(read_table(path.name, path.read_bytes()))
    assert len(table.rows) > 100
    assert sum(r.values["external_id"].startswith("YH") for r in table.rows) > 800  # MYH numbers
    assert any(";" in r.values["leads_to"] for r in table.rows)  # programmes merged across groups
