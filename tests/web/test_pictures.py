"""Charts and maps beside the tables: indicators, the directory's actors, the region's people."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from kedja.store import session_scope
from kedja.store import tables as t
from kedja.web import create_app
from tests.conftest import DEMO_USERS, signed_in_client


def _spec(page: str, name: str) -> dict:  # type: ignore[type-arg]
    found = re.search(rf'<script type="application/json" id="{name}-chart-spec">(.*?)</script>',
                      page, re.S)
    assert found, f"no {name} chart on the page"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_the_directory_maps_actors_per_municipality(web_engine: Engine) -> None:
    page = TestClient(create_app(web_engine)).get("/directory?kind=asf").text
    spec = _spec(page, "actors-map")
    areas = spec["layer"][0]["data"]["values"]
    assert spec["layer"][0]["mark"]["type"] == "geoshape" and len(areas) == 29
    with session_scope(web_engine) as session:
        asfs = session.scalar(select(func.count()).select_from(t.OrganisationRow)
                              .where(t.OrganisationRow.kind == "asf"))
    assert sum(a["properties"]["count"] or 0 for a in areas) == asfs
    assert "Aktörer per kommun" in page and "Luleå" in page


def test_each_indicator_table_has_its_chart_of_the_published_figures(web_engine: Engine) -> None:
    analyst = signed_in_client(create_app(web_engine), DEMO_USERS["analyst"])
    page = analyst.get("/indicators").text  # type: ignore[attr-defined]
    spec = _spec(page, "participants-municipality")
    bars = {v["row"]: v["value"] for v in spec["data"]["values"]}
    assert bars and all(isinstance(v, float) for v in bars.values())
    assert not any(re.fullmatch(r"\d{4}", r) for r in bars), "municipalities by name, not code"
    assert page.count("-chart-spec") >= 6


def test_the_region_map_shows_people_only_through_the_disclosure_control(
        web_engine: Engine) -> None:
    from kedja.follow_up.perturbation import MAX_DEVIATION
    from kedja.follow_up.suppression import THRESHOLD

    page = TestClient(create_app(web_engine)).get("/").text
    spec = _spec(page, "people-map")
    shown = {a["properties"]["code"]: a["properties"]["count"]
             for a in spec["layer"][0]["data"]["values"]}
    with session_scope(web_engine) as session:
        true = dict(session.execute(
            select(t.PersonRow.municipality_code, func.count()).where(
                t.PersonRow.status != "employed").group_by(t.PersonRow.municipality_code)).all())
    for code, n in true.items():
        published = shown[code]
        assert published is None or (abs(published - n) <= MAX_DEVIATION
                                     and published >= THRESHOLD), code
    assert spec["layer"][1]["mark"]["type"] == "circle"  # places on top
    assert "Arbetssökande och platser per kommun" in page
