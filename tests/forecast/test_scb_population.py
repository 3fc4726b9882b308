"""Base populations from an SCB population cube (BE0101N1 layout), projected end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kedja.core.errors import InvalidInput
from kedja.forecast.jsonstat import read_jsonstat
from kedja.forecast.scb_population import population_from_cube

KEDJA = str(Path(sys.executable).with_name("kedja"))
AGES = [str(a) for a in range(100)] + ["100+", "tot"]


def scb_cube(regions: list[str], value: float = 10.0) -> dict[str, Any]:
    """A cube laid out as SCB's PxWeb returns BE0101N1 (Region × Alder × Kon × Tid)."""
    cells = []
    for _ in regions:
        for age in AGES:
            for _sex in ("1", "2"):
                cells.append(value * 101 if age == "tot" else value)
    return {"class": "dataset", "label": "Folkmängd", "id": ["Region", "Alder", "Kon", "Tid"],
            "size": [len(regions), len(AGES), 2, 1],
            "dimension": {"Region": {"category": {"index": {r: i for i, r in enumerate(regions)}}},
                          "Alder": {"category": {"index": AGES}},
                          "Kon": {"category": {"index": ["1", "2"],
                                               "label": {"1": "män", "2": "kvinnor"}}},
                          "Tid": {"category": {"index": ["2024"]}}},
            "value": cells}


def test_totals_rows_are_skipped_and_ages_kept() -> None:
    regions, pop = population_from_cube(read_jsonstat(scb_cube(["2580", "2584"])), year="2024")
    assert regions == ("2580", "2584") and pop.shape == (2, 2, 101)
    assert np.all(pop == 10.0)


def test_a_negative_count_or_a_missing_dimension_is_refused() -> None:
    cube = scb_cube(["2580"])
    cube["value"][5] = -4
    with pytest.raises(InvalidInput, match=r"-4\.0"):
        population_from_cube(read_jsonstat(cube), year="2024")
    with pytest.raises(InvalidInput, match="lacks the dimensions"):
        population_from_cube(read_jsonstat(scb_cube(["2580"])), year="2024", sex_dim="Sex")


def test_project_command_on_a_cube(tmp_path: Path) -> None:
    path = tmp_path / "be0101.json"
    path.write_text(json.dumps(scb_cube(["2584"])), encoding="utf-8")
    result = subprocess.run([KEDJA, "forecast", "project", "--population", str(path),
                             "--year", "2024", "--horizon", "2030"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    years = json.loads(result.stdout)["2584"]
    assert [y["year"] for y in years] == list(range(2024, 2031))
    assert years[0]["population"] == pytest.approx(2020.0)
