"""The demo region's forecast: establishments drive the gap in five municipalities, ageing in 24."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from kedja.core.errors import NotFound
from kedja.services import forecast as forecasting
from kedja.web import create_app
from tests.conftest import signed_in_client


def _analyst(engine: Engine) -> TestClient:
    """A client signed in as the demo analyst: forecasts are aggregates for signed-in users."""
    client = signed_in_client(create_app(engine), "analyst@kedja.demo")
    assert isinstance(client, TestClient)
    return client


def test_forecast_needs_sign_in(demo_engine: Engine) -> None:
    anonymous = TestClient(create_app(demo_engine))
    assert anonymous.get("/api/v1/forecast/region").status_code == 401


@pytest.fixture(scope="module")
def run(demo_engine: Engine) -> forecasting.ForecastRun:
    return forecasting.run_forecast(demo_engine, draws=30, seed=7)


def test_establishments_raise_the_gap_only_where_they_are(run: forecasting.ForecastRun) -> None:
    for code in run.forecast.inputs.municipalities:
        view = forecasting.municipality_forecast(run, code)
        effect = view["gap_total"] - view["gap_total_ageing_only"]
        if code in forecasting.ESTABLISHMENT_MUNICIPALITIES:
            assert view["driver"] == "establishments" and effect > 100
        else:
            assert view["driver"] == "ageing" and effect == pytest.approx(0.0)


def test_job_seekers_fill_at_most_the_gaps_they_can_reach(run: forecasting.ForecastRun) -> None:
    b = run.forecast.balance
    matched = b.matched_job_seekers
    assert (matched >= 0).all() and (matched <= np.maximum(b.gap, 0.0) + 1e-9).all()
    assert b.inputs.reach is not None and b.inputs.reach.diagonal().all()
    assert not b.inputs.reach.all()  # the learned transitions rule most moves out
    view = forecasting.municipality_forecast(run, "2584")
    assert 0 < view["matched_share"] <= 1 and view["exit_age"] == 66


def test_gap_decomposition_adds_up_and_retirements_drive_the_region(
        run: forecasting.ForecastRun) -> None:
    region = forecasting.gap_decomposition(run)
    parts = (region["expansion"] + region["establishments"] + region["replacement"]
             - region["entrants"])
    assert parts == pytest.approx(region["gap"], abs=1.0)
    assert region["replacement"] > region["expansion"] > 0
    kiruna = forecasting.occupation_gaps(run, area="2584", year=2035)
    assert kiruna[0]["gap"] >= kiruna[-1]["gap"] and kiruna[0]["year"] == 2035
    county = forecasting.gap_decomposition(run, area="25")
    assert county["employed"] < region["employed"]
    with pytest.raises(NotFound):
        forecasting.occupation_gaps(run, area="9999")


def test_monte_carlo_bands_are_seeded_and_bracket_the_gap(demo_engine: Engine,
                                                          run: forecasting.ForecastRun) -> None:
    again = forecasting.run_forecast(demo_engine, draws=30, seed=7)
    assert run.forecast.gap_low is not None and again.forecast.gap_low is not None
    assert np.array_equal(run.forecast.gap_low, again.forecast.gap_low)
    total_low = run.forecast.gap_low[-1].sum()
    assert total_low < run.forecast.balance.gap[-1].sum() < run.forecast.gap_high[-1].sum()


def test_delay_lowers_the_gap_before_the_ramp_ends(demo_engine: Engine,
                                                   run: forecasting.ForecastRun) -> None:
    delayed = forecasting.run_forecast(demo_engine, scenario_name="delayed_2y")
    t = run.forecast.balance.inputs.years.index(2028)
    m = run.forecast.inputs.municipalities.index("2582")
    assert delayed.forecast.balance.gap[t, m].sum() < run.forecast.balance.gap[t, m].sum()


def test_unknown_municipality_is_not_found(run: forecasting.ForecastRun) -> None:
    with pytest.raises(NotFound, match="'0000'"):
        forecasting.municipality_forecast(run, "0000")


def test_api_and_page(demo_engine: Engine) -> None:
    client = _analyst(demo_engine)
    body = client.get("/api/v1/forecast/municipalities/2584?top=5").json()
    assert body["driver"] == "establishments" and len(body["gaps"]) == 5
    assert body["population"]["years"][0]["year"] == 2019
    assert client.get("/api/v1/forecast/scenarios").status_code == 200
    assert client.get("/api/v1/forecast/municipalities/2584?scenario=x").status_code == 404
    body = client.get("/api/v1/forecast/region").json()
    region = body["municipalities"]
    assert len(region) == 29
    first, last = body["population"][0], body["population"][-1]
    assert first["year"] == 2019 and first["population"] == pytest.approx(521_829, abs=1)
    assert last["year"] == 2040 and last["old_age_dependency"] > first["old_age_dependency"]
    page = client.get("/forecast/2482?lang=en&draws=20")
    assert page.status_code == 200 and "Skellefteå" in page.text and "gap-table" in page.text
    assert 'data-scenario="delayed_2y"' in page.text and "10th percentile" in page.text
    assert "the establishments keep their stated headcounts" in page.text
    held = client.get("/api/v1/forecast/municipalities/2482?draws=20").json()["gaps"][0]
    spread = client.get("/api/v1/forecast/municipalities/2482?draws=20"
                        "&establishment_spread=0.3").json()["gaps"][0]
    assert spread["gap_p90"] - spread["gap_p10"] > held["gap_p90"] - held["gap_p10"]
    assert client.get("/api/v1/forecast/municipalities/2482?establishment_spread=-1"
                      ).status_code == 422
    assert "data-vega-lite" in page.text
    swedish = client.get("/forecast/2513?lang=sv").text
    assert "Bristindex" in swedish and "ingen etablering" in swedish
    assert "vid 66 års ålder" in swedish and "av de inskrivna arbetssökande kan 2040" in swedish


def test_gap_exports_through_the_api_and_page(demo_engine: Engine) -> None:
    client = _analyst(demo_engine)
    ranked = client.get("/api/v1/forecast/gaps?limit=4").json()["items"]
    assert [r["rank"] for r in ranked] == [1, 2, 3, 4]
    download = client.get("/forecast/gaps.csv")
    assert download.status_code == 200 and download.text.startswith("rank,municipality")
    compared = client.get("/api/v1/forecast/scenarios/compare?code=2584").json()
    assert {r["scenario"] for r in compared} >= {"as_announced", "delayed_2y"}


def test_regional_report_prints_the_region(demo_engine: Engine) -> None:
    client = _analyst(demo_engine)
    page = client.get("/forecast/report?lang=sv")
    assert page.status_code == 200
    assert "Regional rapport" in page.text and "521\xa0829" in page.text
    assert page.text.count('data-scenario="') == len(forecasting.SCENARIOS)
    assert page.text.count('data-code="') == 29
    assert 'id="ranking-table"' in page.text and "Källa: Kolada" in page.text


def test_scenarios_change_the_future_not_today(demo_engine: Engine,
                                               run: forecasting.ForecastRun) -> None:
    low = forecasting.run_forecast(demo_engine, scenario_name="in_migration_low")
    employed = low.forecast.balance.inputs.employed
    assert np.array_equal(employed, run.forecast.balance.inputs.employed)
    assert np.array_equal(low.forecast.population[:6], run.forecast.population[:6])
    assert low.forecast.population[-1].sum() < run.forecast.population[-1].sum()


def test_forecast_opens_on_the_users_municipality_or_the_region(demo_engine: Engine) -> None:
    client = _analyst(demo_engine)
    first = client.get("/forecast", follow_redirects=False)
    assert first.status_code == 303
    target = first.headers["location"]
    assert target == "/forecast/report" or target.removeprefix("/forecast/").isdigit()
    assert client.get(target).status_code == 200


def test_collaboration_ranking_page_csv_and_api(demo_engine: Engine) -> None:
    client = _analyst(demo_engine)
    api = client.get("/api/v1/forecast/collaboration?limit=5")
    assert api.status_code == 200
    body = api.json()
    rows = body["rows"]
    assert len(rows) == 5 and [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
    assert all(0 < r["score"] <= 1 and r["gap"] > 0 for r in rows)
    assert rows[0]["score"] >= rows[-1]["score"]
    # The ranking is relative, not by size: not simply the three largest municipalities first.
    everything = client.get("/api/v1/forecast/collaboration").json()["rows"]
    by_gap = sorted(everything, key=lambda r: -r["gap"])
    assert [r["municipality"] for r in everything[:5]] != [r["municipality"] for r in by_gap[:5]]
    page = client.get("/forecast/collaboration?lang=sv")
    assert page.status_code == 200
    assert "Där samverkan behövs mest" in page.text and 'id="map-chart-spec"' in page.text
    assert '"geoshape"' in page.text and page.text.count('data-field="') == 20
    csv_text = client.get("/forecast/collaboration.csv").text
    assert csv_text.splitlines()[0].startswith("rank,municipality,name,field")
    assert len(csv_text.splitlines()) == len(everything) + 1
    decomposition = client.get("/api/v1/forecast/decomposition?area=2584").json()
    assert decomposition["area"] == "2584" and "replacement" in decomposition
    municipality = client.get("/forecast/2584?lang=sv").text
    assert 'id="decomposition-chart-spec"' in municipality and "Pensionsavgångar" in municipality
    assert 'id="pyramid-chart-spec"' in municipality


def test_area_balance_sums_municipalities_and_reads_norrbottens_commuting(
        demo_engine: Engine) -> None:
    client = _analyst(demo_engine)
    rows = client.get("/api/v1/forecast/areas").json()
    assert len(rows) == 15  # the region's municipalities fall in 15 FA regions
    lulea = next(r for r in rows if r["area"] == "55")
    assert {m["code"] for m in lulea["municipalities"]} == {"2514", "2518", "2560", "2580",
                                                           "2581", "2582"}
    assert 0.9 < lulea["works_inside_area"] <= 1.0  # SCB's matrix: Luleå's FA is nearly closed
    umea = next(r for r in rows if r["area"] == "48")
    assert umea["works_inside_area"] is None  # no Västerbotten matrix: assumed, not measured
    run = forecasting.run_forecast(demo_engine)
    total = sum(r["gap"] for r in rows)
    assert total == pytest.approx(float(run.forecast.balance.gap[-1].sum()), abs=5.0)
