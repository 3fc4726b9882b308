"""Importers on the real public files: SCB's JSON-stat cube and Kolada's exports; the back-test."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kedja.core.errors import InvalidInput
from kedja.forecast.jsonstat import load_jsonstat, read_jsonstat
from tests.conftest import shared_data

KEDJA = str(Path(sys.executable).with_name("kedja"))


@pytest.mark.shared_data
def test_jsonstat_reads_scb_employees_by_occupation_and_age() -> None:
    cube = load_jsonstat(shared_data("scb", "scb_YREG54BAS_employees_by_ssyk2012_age_year.json"))
    assert cube.ids == ("Yrke2012", "Alder", "ContentsCode", "Tid")
    assert cube.values.shape == (430, 10, 1, 5)
    by_year = cube.sum_over("Yrke2012", "Alder", "ContentsCode")
    # Sweden has roughly five million employees; 2024 covers ages 16-69.
    assert 4.5e6 < by_year["2024"] < 5.6e6
    nurses = cube.slice(Yrke2012="2221", ContentsCode="000006Y1", Tid="2024")
    assert nurses.shape == (10,) and np.nansum(nurses) > 1000


def test_jsonstat_refuses_a_cube_whose_sizes_disagree() -> None:
    with pytest.raises(InvalidInput, match="values but its sizes give 4"):
        read_jsonstat({"class": "dataset", "id": ["a", "b"], "size": [2, 2],
                       "dimension": {"a": {"category": {"index": ["x", "y"]}},
                                     "b": {"category": {"index": ["1", "2"]}}},
                       "value": [1, 2, 3]})


@pytest.mark.shared_data
def test_backtest_command_prints_the_figures_as_json(tmp_path: Path) -> None:
    folder = shared_data("kolada")
    details = tmp_path / "errors.csv"
    result = subprocess.run([KEDJA, "forecast", "backtest", "--kolada", str(folder),
                             "--fit-until", "2009", "--target", "2019", "--format", "json",
                             "--details", str(details)],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert set(figures) == {"upper_norrland", "all", "ages", "rates"}
    for name in ("upper_norrland", "all"):
        group = figures[name]
        assert set(group) == {"model", "unchanged", "linear_trend", "geometric_trend"}
        for method in group.values():
            assert set(method) == {"mape", "bias"}
            assert 0 < method["mape"] < 50 and abs(method["bias"]) <= method["mape"]
        # The bar: the model beats every baseline in both scopes.
        assert group["model"]["mape"] < min(group[m]["mape"] for m in group if m != "model")
    assert figures["upper_norrland"]["geometric_trend"]["mape"] == pytest.approx(4.78, abs=0.01)
    # Single ages 20–30: each municipality's own young-adult migration beats both baselines.
    for scope in ("upper_norrland", "all"):
        ages = figures["ages"]["kolada_ages_20_30"][scope]
        assert ages["model"]["mape"] < min(ages["unchanged"]["mape"],
                                           ages["geometric_trend"]["mape"])
    windows = figures["ages"]["scb_single_ages"]
    assert [(w["fit_until"], w["target"]) for w in windows] == [(2009, 2014), (2009, 2019),
                                                                 (2014, 2024)]
    for window in windows:
        for measure in ("single_ages_20_64", "five_year_bands"):
            errors = window[measure]
            assert errors["model"]["mape"] < min(errors["unchanged"]["mape"],
                                                 errors["geometric_trend"]["mape"])
    # Recompute the summary from the per-municipality errors: the two outputs must agree.
    rows = list(csv.DictReader(details.open(encoding="utf-8")))
    assert len(rows) == 290 and sum(r["upper_norrland"] == "True" for r in rows) == 29
    for method in ("model", "unchanged", "linear_trend", "geometric_trend"):
        errors = np.array([float(r[method]) for r in rows])
        assert np.mean(np.abs(errors)) == pytest.approx(figures["all"][method]["mape"], abs=2e-3)
        assert np.mean(errors) == pytest.approx(figures["all"][method]["bias"], abs=2e-3)


@pytest.mark.shared_data
def test_kolada_reader_matches_the_region_pack() -> None:
    from kedja.demo import load_region_pack
    from kedja.forecast.kolada import read_kolada

    history = read_kolada(shared_data("kolada"))
    assert len(history.names) == 290
    column = history.years.index(2019)
    for m in load_region_pack().municipalities:
        assert history.total[history.names.index(m.name), column] == m.population


@pytest.mark.shared_data
def test_rates_from_scb_history_use_only_years_up_to_the_fit() -> None:
    from kedja.forecast.rates import estimate_rates
    from kedja.forecast.scb_history import read_scb_history
    from kedja.forecast.schedules import life_expectancy

    history = read_scb_history(shared_data("scb_lulea_fa"))
    assert history.regions[-1] == "00" and history.years[0] == 2006
    rates = estimate_rates(history, 2009)
    assert rates.years_used == (2006, 2007, 2008, 2009)
    # Sweden 2007-2009: TFR about 1.9, life expectancy about 83 (women) and 79 (men).
    assert 1.8 < rates.fertility.sum() < 2.0
    assert 82.5 < life_expectancy(rates.death[0]) < 84 and 78.5 < life_expectancy(rates.death[1]) < 80
    assert 0.005 < rates.mortality_improvement < 0.03
    assert set(rates.county_fertility) == {"25"}
    assert rates.in_profile.sum() == pytest.approx(1.0)
    # Changing a later year must not change a fit to 2009.
    altered = history.deaths.copy()
    altered[:, history.years.index(2015)] *= 3
    from dataclasses import replace
    again = estimate_rates(replace(history, deaths=altered), 2009)
    assert np.array_equal(again.death, rates.death)
    assert again.mortality_improvement == rates.mortality_improvement


@pytest.mark.shared_data
def test_backtest_without_scb_files_uses_the_packs_rates_up_to_the_fit_year(
        tmp_path: Path) -> None:
    from kedja.services.forecast import backtest_kolada

    folder = tmp_path / "kolada"  # Kolada's files alone: no scb_lulea_fa beside them
    folder.mkdir()
    for source in shared_data("kolada").glob("*.xlsx"):
        (folder / source.name).symlink_to(source)
    figures = backtest_kolada(folder, fit_until=2009, target=2019)
    assert "up to 2009" in figures["rates"]["source"]
    assert "scb_single_ages" not in figures["ages"]
    for scope in ("upper_norrland", "all"):
        group = figures[scope]
        assert group["model"]["mape"] < min(group[m]["mape"] for m in group if m != "model")


@pytest.mark.shared_data
def test_age_migration_uses_only_years_up_to_the_fit_and_keeps_the_net_level() -> None:
    from dataclasses import replace

    from kedja.forecast.cohort import fit_cohort_model
    from kedja.forecast.kolada import read_kolada

    history = read_kolada(shared_data("kolada"))
    model = fit_cohort_model(history, fit_until=2009)
    assert model.age_net is not None and model.compensation is not None
    assert (model.age_net[:, :21] == 0).all() and (model.age_net[:, 31:] == 0).all()
    altered = history.ages_20_30.copy()
    altered[:, history.years.index(2012)] *= 2
    again = fit_cohort_model(replace(history, ages_20_30=altered), fit_until=2009)
    assert np.array_equal(again.age_net, model.age_net)
    # The correction moves migrants between ages; the municipality's net level is unchanged.
    plain = replace(model, age_net=None)
    outflow = (model.base * (model.out_rates + model.extra_out_rates())).sum(axis=(-2, -1))
    net = model.in_migrants_for(model.base).sum(axis=(-2, -1)) - outflow
    plain_net = plain.in_migrants_for(model.base).sum(axis=(-2, -1)) \
        - (model.base * model.out_rates).sum(axis=(-2, -1))
    assert net == pytest.approx(plain_net, rel=1e-6, abs=1e-6)


def test_the_forecast_pack_carries_estimated_exit_age_and_back_test_rates() -> None:
    from kedja.demo.forecast_inputs import forecast_pack

    pack = forecast_pack()
    assert 60 <= pack.exit_age <= 70
    assert pack.rates_until(2008) is None
    assert pack.rates_until(2009).until == 2009 and pack.rates_until(2013).until == 2009
    assert pack.rates_until(2019).until == 2014
    assert len(pack.age_net) == 29
    codes = ("5120", "2512", "9999")
    matrix = pack.entry_matrix(codes)
    assert matrix.sum(axis=1) == pytest.approx(np.ones(3))
    assert matrix[2].tolist() == [0.0, 0.0, 1.0]  # unknown to the pack: keeps its entrants
