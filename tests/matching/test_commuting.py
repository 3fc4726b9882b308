"""The willingness to commute: the gravity fit on SCB's commuting matrix is the curve the score uses."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine

from kedja.core.errors import InvalidInput
from kedja.matching.commuting import CommutingMatrix, fit_gravity, read_commuting_matrix
from kedja.matching.scoring import COMMUTE_DECAY_GAMMA, COMMUTE_DECAY_SHIFT, travel_value
from kedja.services.reach import fit_commuting
from tests.conftest import shared_data

MATRIX = ("commuting", "scb_arregpend2_norrbotten_2020_2024.csv")


@pytest.mark.shared_data
def test_the_fit_reproduces_the_constants_in_the_score(demo_engine: Engine) -> None:
    result = fit_commuting(demo_engine, shared_data(*MATRIX))
    assert result["gamma"] == pytest.approx(COMMUTE_DECAY_GAMMA, abs=0.01)
    assert result["shift_minutes"] == COMMUTE_DECAY_SHIFT
    figures = result["alternatives"]
    # travel time explains commuting: every decay beats none on held-out pairs, power beats exp
    held_out = {form: figures[form]["cv_deviance"] for form in figures}
    assert held_out["shifted_power"] < held_out["exp"] < held_out["none"]
    pairs = {(p["from"], p["to"]): p for p in result["pairs"]}
    boden = pairs[("Boden", "Luleå")]
    assert boden["observed_share"] > 0.8 and abs(boden["fitted_share"] - boden["observed_share"]) < 0.15
    assert pairs[("Pajala", "Luleå")]["fitted_share"] < boden["fitted_share"]


def test_a_synthetic_decay_is_recovered() -> None:
    rng = np.random.default_rng(1)
    n = 8
    minutes = rng.uniform(20, 200, (n, n))
    minutes = (minutes + minutes.T) / 2
    push, pull = rng.uniform(3, 6, n), rng.uniform(3, 6, n)
    mean = np.exp(push[:, None] + pull[None, :]) * (1 + minutes / 10.0) ** -2.0
    flows = rng.poisson(mean * 50).astype(float)
    matrix = CommutingMatrix(tuple(str(i) for i in range(n)), tuple(f"m{i}" for i in range(n)), flows,
                             (2024,), ("all",))
    fit = fit_gravity(matrix, minutes, folds=2)
    assert fit.shift == 10.0 and fit.parameter == pytest.approx(2.0, abs=0.1)


def test_the_travel_factor_falls_with_time() -> None:
    values = travel_value(np.array([0.0, 15.0, 30.0, 60.0, 120.0]))
    assert values[0] == 1.0 and np.all(np.diff(values) < 0) and values[-1] > 0


def test_a_bad_count_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("year,sex,residence_code,residence,workplace_code,workplace,employed\n"
                    "2020,kvinnor,2580,Luleå,2582,Boden,12\n2020,män,2580,Luleå,2582,Boden,many\n",
                    encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        read_commuting_matrix(path)
    assert caught.value.location == "m.csv, line 3"
