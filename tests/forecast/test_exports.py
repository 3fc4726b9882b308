"""Importing establishments (all or nothing, both backends), ranking gaps, comparing scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from kedja.core.errors import Conflict, InvalidInput, NotFound
from kedja.demo import load_region_pack, load_taxonomy_pack
from kedja.forecast.establishments_csv import parse_establishments
from kedja.services import forecast as forecasting
from kedja.services import forecast_exports as exports
from kedja.store import repositories as repo
from kedja.store import session_scope
from kedja.store.forecasting import list_establishments

HEADER = "id,name,municipality_code,headcounts,occupation_mix\n"
GOOD = "E900,Datacenter,2580,2027:100;2030:250,2512:0.5;3512:0.5\n"


def region_only(engine: Engine) -> None:
    region, taxonomy = load_region_pack(), load_taxonomy_pack()
    with session_scope(engine) as session:
        repo.save_region(session, counties=region.counties, areas=region.areas,
                         municipalities=region.municipalities, localities=region.localities,
                         source="test")
        repo.save_occupations(session, occupations=taxonomy.occupations, skills=taxonomy.skills,
                              links=taxonomy.links, source="test")


def test_import_is_all_or_nothing_and_names_the_unknown_code(engine: Engine,
                                                             tmp_path: Path) -> None:
    region_only(engine)
    bad = tmp_path / "plans.csv"
    bad.write_text(HEADER + GOOD + "E901,Vätgaslager,2582,2028:80,9999:1\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="'9999'") as caught:
        exports.import_establishments(engine, bad)
    assert caught.value.location == "plans.csv, line 3" and caught.value.value == "9999"
    with session_scope(engine) as session:
        assert list_establishments(session) == []
    good = tmp_path / "good.csv"
    good.write_text(HEADER + GOOD, encoding="utf-8")
    exports.import_establishments(engine, good)
    with session_scope(engine) as session:
        stored = list_establishments(session)
    assert [(e.id, e.headcount(2030), e.occupation_mix["2512"]) for e in stored] == [
        ("E900", 250, 0.5)]
    with pytest.raises(Conflict, match="'E900' already exists"):
        exports.import_establishments(engine, good)


@pytest.mark.parametrize(("row", "message"), [
    ("E1,X,2580,2027:-5,2512:1\n", "-5"),
    ("E1,X,2580,2027:5,2512:0.7;3512:0.7\n", "sums to 1.4000"),
    ("E1,X,2580,2027,2512:1\n", "'2027' is not a key:value pair"),
    ("E1,X,2580,2027:5,2512:lots\n", "'lots' is not a number"),
])
def test_malformed_rows_are_refused_with_line(row: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        parse_establishments(HEADER + row, source="in.csv")
    assert caught.value.location == "in.csv, line 2"


def test_gap_ranking_and_scenario_comparison(demo_engine: Engine) -> None:
    run = forecasting.run_forecast(demo_engine)
    rows = exports.gap_ranking(run)
    gaps = [r["gap"] for r in rows]
    assert gaps == sorted(gaps, reverse=True) and all(g > 0 for g in gaps)
    text = exports.ranking_csv(rows[:3])
    assert text.splitlines()[0] == ",".join(exports.RANKING_COLUMNS) and len(text.splitlines()) == 4
    compared = {r["scenario"]: r for r in exports.compare_scenarios(demo_engine, "2582")}
    assert compared["half_size"]["2035"] < compared["as_announced"]["2035"]
    assert compared["no_establishments"]["2035"] < compared["half_size"]["2035"]
    assert compared["in_migration_high"]["2040"] < compared["in_migration_low"]["2040"]
    with pytest.raises(NotFound):
        exports.compare_scenarios(demo_engine, "0000")


def test_ranking_as_excel(demo_engine: Engine, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    rows = exports.gap_ranking(forecasting.run_forecast(demo_engine), limit=5)
    exports.write_ranking_xlsx(rows, tmp_path / "gaps.xlsx", sources="Källa: Kolada")
    sheet = openpyxl.load_workbook(tmp_path / "gaps.xlsx")["gaps"]
    assert sheet.max_row == 6 and sheet["H2"].value == rows[0]["gap"]


def test_imported_headcounts_keep_their_source_or_say_they_are_assumed() -> None:
    from kedja.forecast.establishments_csv import parse_establishments

    text = ("id,name,municipality_code,headcounts,occupation_mix,headcount_source,"
            "headcount_as_of\n"
            "E9,Datacenter,2580,2027:100,2512:1,Press release,2025-03-14\n"
            "E10,Plant,2580,2027:50,2512:1,,\n")
    sourced, assumed = parse_establishments(text)
    assert sourced.headcount_basis == "Press release (2025-03-14)"
    assert assumed.headcount_basis == "user's assumption"
    with pytest.raises(InvalidInput, match="not a date") as error:
        parse_establishments(text.replace("2025-03-14", "14/3 2025"))
    assert error.value.location == "establishments.csv, line 2"
