"""The region and taxonomy packs: complete, valid, and true to the official sources."""

from __future__ import annotations

import csv
import json

import pytest

from kedja.core.geography import great_circle_km
from kedja.demo import load_region_pack, load_taxonomy_pack
from tests.conftest import shared_data


def test_region_pack_has_the_29_municipalities() -> None:
    pack = load_region_pack()
    codes = [m.code for m in pack.municipalities]
    assert len(codes) == 29 and len(set(codes)) == 29
    assert sum(c.startswith("24") for c in codes) == 15
    assert sum(c.startswith("25") for c in codes) == 14
    assert {c.code for c in pack.counties} == {"24", "25"}
    for m in pack.municipalities:
        assert m.population and m.population_year and m.age_shares and m.functional_area_code
        assert m.functional_area_code in {a.code for a in pack.areas}
    assert pack.sources and all(s.get("citation") for s in pack.sources.values())


def test_localities_lie_near_their_seat() -> None:
    pack = load_region_pack()
    seats = {m.code: m.seat for m in pack.municipalities}
    for locality in pack.localities:
        assert great_circle_km(locality.point, seats[locality.municipality_code]) < 250
    kiruna = [lo.name for lo in pack.localities if lo.municipality_code == "2584"]
    assert len(kiruna) >= 2, "Kiruna needs more than one locality for reach in a sparse geography"


def test_ads_match_the_published_totals() -> None:
    pack = load_region_pack()
    assert sum(pack.ads_by_municipality.values()) == 45_178
    assert pack.ads_by_municipality["2580"] == 9_282
    assert pack.ads_by_municipality["2482"] == 5_580


def test_taxonomy_pack_is_large_and_linked() -> None:
    pack = load_taxonomy_pack()
    assert len(pack.occupations) >= 80
    skill_ids = {s.id for s in pack.skills}
    assert all(link.skill_id in skill_ids for link in pack.links)
    sectors = {o.sector.value for o in pack.occupations}
    assert {"care", "education", "construction", "industry", "transport", "it",
            "hospitality", "cleaning"} <= sectors
    assert all(o.isco_codes for o in pack.occupations)
    assert any(o.no_educational_requirement for o in pack.occupations)


@pytest.mark.shared_data
def test_names_and_codes_match_scb_register() -> None:
    path = shared_data("geo", "sjbrg_municipalities.csv")
    with path.open(encoding="utf-8") as handle:
        official = {r["municipality_code"]: r["municipality_name_short"] for r in csv.DictReader(handle)}
    for m in load_region_pack().municipalities:
        assert official[m.code] == m.name


@pytest.mark.shared_data
def test_population_matches_kolada() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = shared_data("kolada", "kolada_invanare_totalt_1998_2019_290kommuner.xlsx")
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    year_col = list(rows[0]).index("2019")
    kolada = {r[0]: r[year_col] for r in rows[1:]}
    for m in load_region_pack().municipalities:
        assert m.population_year == 2019
        assert kolada[m.name] == m.population, m.name


@pytest.mark.shared_data
def test_taxonomy_groups_exist_in_jobtech() -> None:
    path = shared_data("jobtech_taxonomy", "ssyk-level-4-groups.json")
    concepts = json.loads(path.read_text(encoding="utf-8"))["data"]["concepts"]
    codes = {c.get("ssyk_code_2012") or c.get("ssyk-code-2012") for c in concepts}
    codes.discard(None)
    assert codes, "the JobTech export's SSYK field name changed"
    missing = [o.code for o in load_taxonomy_pack().occupations if o.code not in codes]
    assert not missing
