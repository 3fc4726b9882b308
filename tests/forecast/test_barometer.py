"""The Yrkesbarometer importer on the real file, and the rank comparison with the forecast."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from kedja.core.errors import InvalidInput
from kedja.forecast.barometer import NATIONAL_ID, BarometerEntry, compare_with_barometer
from kedja.services import forecast_barometer as barometers
from tests.conftest import shared_data


@pytest.mark.shared_data
def test_the_real_barometer_parses_for_every_county() -> None:
    entries, names = barometers.read_barometer(
        shared_data("af_aggregates", "barometer_regional.json"),
        shared_data("af_aggregates", "region_name_id.json"))
    assert len(names) == 21
    assert {e.county_id for e in entries} == set(names.values()) | {NATIONAL_ID}
    norrbotten = [e for e in entries if e.county_name == "Norrbottens län"]
    assert len(norrbotten) > 150
    assert {e.opportunities for e in norrbotten} == {1, 2, 3}


def entry(occupation: str, level: int) -> BarometerEntry:
    return BarometerEntry(occupation, "c25", "Norrbottens län", level, 0)


def test_rank_agreement_is_one_when_orders_agree_and_minus_one_when_reversed() -> None:
    entries = [entry("a", 1), entry("b", 2), entry("c", 3)]
    key = {"a": "1111", "b": "2222", "c": "3333"}
    same = compare_with_barometer(entries, county_id="c25", ssyk_of=key,
                                  shortage={"1111": 0.1, "2222": 0.2, "3333": 0.3})
    reverse = compare_with_barometer(entries, county_id="c25", ssyk_of=key,
                                     shortage={"1111": 0.3, "2222": 0.2, "3333": 0.1})
    assert same["spearman_rho"] == 1.0 and reverse["spearman_rho"] == -1.0
    assert len(same["pairs"]) == 3


@pytest.mark.shared_data
def test_comparison_with_a_key_over_the_demo(demo_engine: Engine, tmp_path: Path) -> None:
    folder = shared_data("af_aggregates")
    # A synthetic key: it tests the mechanics only, it is not a real correspondence.
    entries, _ = barometers.read_barometer(folder / "barometer_regional.json",
                                           folder / "region_name_id.json")
    ids = sorted({e.occupation_id for e in entries})[:4]
    key = tmp_path / "key.csv"
    key.write_text("barometer_id,ssyk\n" + "".join(
        f"{i},{c}\n" for i, c in zip(ids, ("5321", "2221", "8129", "9111"), strict=True)))
    result = barometers.barometer_comparison(demo_engine, folder / "barometer_regional.json",
                                             folder / "region_name_id.json", key)
    compared = result["counties"]["Norrbottens län"]["comparison"]
    assert len(compared["pairs"]) == 4 and result["year"] == 2029
    assert all(-1.0 <= p["shortage_index"] <= 1.0 for p in compared["pairs"])


def test_a_key_without_its_columns_is_refused(demo_engine: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "key.csv"
    bad.write_text("id,code\nx,1111\n")
    barometer = tmp_path / "b.json"
    barometer.write_text('{"o": {"c": ["små", "öka"]}}')
    counties = tmp_path / "c.json"
    counties.write_text('{"Norrbottens län": "c"}')
    with pytest.raises(InvalidInput, match="barometer_id and ssyk"):
        barometers.barometer_comparison(demo_engine, barometer, counties, bad)
