"""The ESF+ indicators: definitions, the unknown column, small cells, differencing, the workbook."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from kedja.core.journeys import Outcome, OutcomeStatus
from kedja.follow_up.esf import ESF_INDICATORS, EsfParticipant, esf_tables
from kedja.follow_up.esf_export import ESF_GROUP_NAMES, ESF_TITLES
from kedja.follow_up.indicators import Participant, outcomes_by
from kedja.follow_up.perturbation import MAX_DEVIATION, CellKeyMethod
from kedja.follow_up.suppression import THRESHOLD, SmallCellSuppression
from kedja.web import create_app
from tests.conftest import DEMO_USERS, signed_in_client
from tests.follow_up.test_suppression import _one_newcomer_periods, differencing_attack

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _person(i: int, **kw: object) -> EsfParticipant:
    base: dict[str, object] = {
        "person_id": f"P{i:06d}", "enrolment_id": f"E{i}", "organisation_id": "ASF001",
        "start": date(2026, 1, 5), "exit_on": None, "gender": "female" if i % 2 else "male",
        "age": 30, "status": "unemployed", "isced": "3-4", "record_key": i * 7919}
    return EsfParticipant(**{**base, **kw})  # type: ignore[arg-type]


def _table(tables: list, name: str):  # type: ignore[no-untyped-def]
    return next(t for t in tables if t.indicator == name)


def test_each_indicator_classifies_by_its_definition() -> None:
    people = ([_person(i, age=17) for i in range(10)] + [_person(i, age=60) for i in range(10, 20)]
              + [_person(i, age=None, status=None, isced=None) for i in range(20, 30)]
              + [_person(i, exit_on=date(2026, 2, 1), exit_destination="work",
                         outcome_180="working") for i in range(30, 40)]
              + [_person(i, exit_on=date(2026, 2, 1), exit_destination="unknown")
                 for i in range(40, 50)])
    tables = esf_tables(people, as_of=date(2026, 6, 30), start=date(2026, 1, 1),
                        followed_by=date(2026, 10, 31), protection=SmallCellSuppression())
    assert [t.indicator for t in tables] == [i.indicator for i in ESF_INDICATORS]
    assert all(t.columns[-1] == "unknown" for t in tables)
    age = _table(tables, "esf_age").published
    assert dict(zip(_table(tables, "esf_age").columns, age.column_totals, strict=True)) == {
        "under_18": 10, "18_29": 0, "30_54": 20, "55_plus": 10, "unknown": 10}
    assert _table(tables, "esf_status_at_entry").published.total == 50  # EECO11
    employed = _table(tables, "esf_employment_on_leaving").published
    assert employed.column_totals == (10, 0, 10) and employed.total == 20
    assert _table(tables, "esf_employment_6m").published.column_totals == (10, 0, 10)
    assert _table(tables, "esf_job_searching_on_leaving").published.column_totals == (0, 0, 20)
    # a leaver whose 180th day has not passed is not yet in the six-month base
    later = esf_tables(people, as_of=date(2026, 6, 30), followed_by=date(2026, 6, 30),
                       protection=SmallCellSuppression())
    assert _table(later, "esf_employment_6m").published.total == 0


def test_outcome_shares_count_unknown_follow_ups_in_the_denominator() -> None:
    people = [Participant(f"P{i}", f"E{i}", "2580", "ASF001", "asf_placement", date(2026, 1, 1),
                          date(2026, 2, 1), "female", "25-34") for i in range(20)]
    outcomes = [Outcome(f"E{i}", f"P{i}", 90,  # type: ignore[arg-type]
                        OutcomeStatus.WORKING if i < 10 else OutcomeStatus.UNKNOWN)
                for i in range(20)]
    table = outcomes_by(people, outcomes, 90, "municipality", protection=SmallCellSuppression())
    assert table.columns == ("work", "studies", "other", "unknown")
    assert table.published.cells[0] == (10, 0, 0, 10)
    assert table.values[0] == pytest.approx(0.5)  # not 10 / 10


def test_the_service_adds_an_unknown_outcome_for_a_follow_up_that_passed_unrecorded(
        demo_engine: Engine) -> None:
    from kedja.services import follow_up as service

    _people, outcomes, _ = service._inputs(demo_engine, (None, None))
    unknown = [o for o in outcomes if o.status is OutcomeStatus.UNKNOWN]
    recorded = {(o.enrolment_id, o.days_after_exit) for o in outcomes}
    assert len(recorded) == len(outcomes)  # one figure per follow-up point
    assert unknown


def _published(engine: Engine, period: tuple[object, object], protection: object
               ) -> dict[tuple[str, str, str, str], tuple[int | None, float | None]]:
    from kedja.services.esf import _participants

    tables = esf_tables(_participants(engine, period, None), as_of=period[1], start=period[0],
                        protection=protection)  # type: ignore[arg-type]
    found = {}
    for t in tables:
        p = t.published
        for row, cells, total in zip(t.rows, p.cells, p.row_totals, strict=True):
            for column, n in zip(t.columns, cells, strict=True):
                found[(t.indicator, "gender", row, column)] = (n, None)
            found[(t.indicator, "gender", row, "total")] = (total, None)
        for column, n in zip(t.columns, p.column_totals, strict=True):
            found[(t.indicator, "gender", "total", column)] = (n, None)
        found[(t.indicator, "gender", "total", "total")] = (p.total, None)
    return found


def test_differencing_two_periods_does_not_give_the_newcomer_away(demo_engine: Engine) -> None:
    first, second = _one_newcomer_periods(demo_engine)  # the same enrolments' starts
    # the control: suppression alone pins the newcomer's cells
    exact = differencing_attack(_published(demo_engine, first, SmallCellSuppression()),
                                _published(demo_engine, second, SmallCellSuppression()), 0)
    assert exact and all(n == 1 for n, _ in exact.values())
    a = _published(demo_engine, first, CellKeyMethod())
    b = _published(demo_engine, second, CellKeyMethod())
    assert differencing_attack(a, b, MAX_DEVIATION) == {}
    assert all(n is None or n == 0 or n >= THRESHOLD for n, _ in (*a.values(), *b.values()))


def test_the_workbook_opens_with_definitions_unknown_and_no_small_cells(web_engine: Engine) -> None:
    app = create_app(web_engine)
    analyst = signed_in_client(app, DEMO_USERS["analyst"])
    response = analyst.get("/api/v1/indicators/esf", params={  # type: ignore[attr-defined]
        "format": "xlsx", "period": "2026-01-01:2026-06-30"})
    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    assert "esf-indikatorer-regionen-2026-01-01-2026-06-30.xlsx" in \
        response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [*ESF_GROUP_NAMES.values(), "Källor och definitioner"]
    definitions = [[c.value for c in row] for row in book["Källor och definitioner"].iter_rows()]
    codes = " ".join(str(r[0]) for r in definitions)
    for code in ("EECO01", "EECO05", "EECO08", "EECO12", "EECO14", "EECR01", "EECR04", "EECR06"):
        assert code in codes
    assert any("2021/1057" in str(r[1]) for r in definitions)
    headers = 0
    for name in ESF_GROUP_NAMES.values():
        rows = [[c.value for c in row] for row in book[name].iter_rows()]
        for k, row in enumerate(rows):
            if row[0] == "Kön":
                headers += 1
                assert "Okänt" in row and "Totalt" in row
                for line in rows[k + 1:]:
                    if not line or line[0] is None:
                        break
                    assert all(v is None or (isinstance(v, int) and (v == 0 or v >= THRESHOLD))
                               for v in line[1:])
    assert headers == len(ESF_INDICATORS)
    assert any(ESF_TITLES["esf_age"] in str(r[0]) for r in
               [[c.value for c in row] for row in book["Ålder"].iter_rows()])


def test_the_coordinator_reports_on_their_own_organisation_only(web_engine: Engine) -> None:
    app = create_app(web_engine)
    coordinator = signed_in_client(app, DEMO_USERS["coordinator"])
    own = coordinator.get("/api/v1/me").json()["organisation_id"]  # type: ignore[attr-defined]
    mine = coordinator.get("/api/v1/indicators/esf?period=2026-01-01:2026-06-30").json()  # type: ignore[attr-defined]
    assert mine["organisation_id"] == own
    other = coordinator.get("/api/v1/indicators/esf?organisation=AF25")  # type: ignore[attr-defined]
    assert other.status_code == 403
    page = coordinator.get("/esf?lang=sv&period=2026-01-01:2026-03-08")  # type: ignore[attr-defined]
    assert page.status_code == 422 and "hela kalendermånader" in page.text
    page = coordinator.get("/esf?lang=sv&period=2026-01-01:2026-06-30")  # type: ignore[attr-defined]
    assert page.status_code == 200 and "Ladda ned arbetsboken (Excel)" in page.text
    assert "Okänt" in page.text and "Hela regionen" not in page.text
