"""The fitted cohort model, the SCB reader and the age back-test on small documented inputs."""

from __future__ import annotations

import numpy as np
import pytest

from kedja.core.errors import InvalidInput
from kedja.forecast.age_backtest import five_year_bands
from kedja.forecast.backtest import geometric_trend
from kedja.forecast.cohort import shrink_toward_groups
from kedja.forecast.scb_history import parse_scb_csv


def test_shrinkage_pulls_noisy_means_more_than_precise_ones() -> None:
    means = np.array([0.02, -0.02, 0.00, 0.05])
    variances = np.array([1e-6, 1e-6, 1e-6, 1e-3])
    shrunk = shrink_toward_groups(means, variances, np.array(["a", "a", "a", "a"]))
    centre = means.mean()
    assert abs(shrunk[3] - centre) < 0.5 * abs(means[3] - centre)
    assert shrunk[0] == pytest.approx(means[0], abs=1e-3)
    # Groups are shrunk separately.
    apart = shrink_toward_groups(np.array([0.1, 0.1, -0.1]), np.ones(3), np.array(["x", "x", "y"]))
    assert apart[2] == pytest.approx(-0.1)


def test_geometric_trend_uses_each_rows_first_observed_year() -> None:
    values = np.array([[np.nan, 100.0, 121.0], [50.0, 50.0, 50.0]])
    assert geometric_trend(values, 1).tolist() == pytest.approx([146.41, 50.0])


def test_five_year_bands_keep_every_person() -> None:
    ages = np.arange(101.0)
    bands = five_year_bands(ages)
    assert bands.sum() == ages.sum() and bands[0] == 0 + 1 + 2 + 3 + 4
    assert bands[-1] == sum(range(90, 101))


def test_scb_reader_sums_marital_status_and_names_bad_lines() -> None:
    text = ('"Region","Civilstand","Alder","Kon","BE0101N1 2020"\n'
            '"2580","OG","30","1",10\n"2580","G","30","1",5\n"2580","OG","30","2",7\n')
    table = parse_scb_csv(text, name="pop.csv")
    assert table.values["BE0101N1"][0, 0, 1, 30] == 15.0
    assert table.values["BE0101N1"][0, 0, 0, 30] == 7.0
    with pytest.raises(InvalidInput, match=r"pop.csv, line 2") as error:
        parse_scb_csv(text.replace('"OG","30","1",10', '"OG","30","3",10'), name="pop.csv")
    assert error.value.field == "Kon"
    with pytest.raises(InvalidInput, match="not a number"):
        parse_scb_csv(text.replace(",10\n", ",ten\n"), name="pop.csv")
