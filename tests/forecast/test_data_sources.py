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
    assert set(figures) == {"upper_norrland", "all"}
    for group in figures.values():
        assert set(group) == {"model", "unchanged", "linear_trend"}
        for method in group.values():
            assert set(method) == {"mape", "bias"}
            assert 0 < method["mape"] < 50 and abs(method["bias"]) <= method["mape"]
    # Recompute the summary from the per-municipality errors: the two outputs must agree.
    rows = list(csv.DictReader(details.open(encoding="utf-8")))
    assert len(rows) == 290 and sum(r["upper_norrland"] == "True" for r in rows) == 29
    for method in ("model", "unchanged", "linear_trend"):
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
