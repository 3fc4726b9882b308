"""The labour balance: identities, retirements from the age structure, refused establishments."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kedja.core.errors import InvalidInput
from kedja.core.establishments import Establishment
from kedja.core.ids import EstablishmentId, MunicipalityCode, OccupationCode
from kedja.forecast.labour import LabourInputs, labour_balance, retired_share

BANDS = np.array([[0, 0, 0, 0, 0, 0, 0, 0, 50, 50],     # all 60-69: retire within five years
                  [100, 100, 0, 0, 0, 0, 0, 0, 0, 0]], float)  # all under 30: nobody retires


def inputs(workforce: np.ndarray | None = None) -> LabourInputs:
    employed = np.array([[100.0, 300.0]])
    years = tuple(range(2024, 2031))
    work = np.full((len(years), 1), 400.0) if workforce is None else workforce
    return LabourInputs(years, ("2582",), ("8129", "5321"), employed, BANDS,
                        np.array([0.0, 0.0]), work)


def plant(code: str = "8129") -> Establishment:
    return Establishment(EstablishmentId("E1"), "Steel plant", MunicipalityCode("2582"),
                         {2026: 0, 2028: 200}, {OccupationCode(code): 1.0})


def test_retired_share_follows_the_age_structure() -> None:
    share = retired_share(BANDS, exit_age=65, years=6)
    assert share[0].tolist() == [0.0, 0.0]
    assert share[-1, 0] == pytest.approx(1.0) and share[-1, 1] == 0.0
    assert (np.diff(share, axis=0) >= 0).all()


def test_supply_equals_the_projected_workforce_and_gap_adds_up() -> None:
    balance = labour_balance(inputs(), [plant()])
    assert balance.supply.sum(axis=2) == pytest.approx(np.full((7, 1), 400.0))
    assert balance.gap[0].tolist() == [[0.0, 0.0]]
    assert balance.establishments[-1, 0].tolist() == [200.0, 0.0]
    # Old operators retire; entrants go where young workers are (the second occupation).
    assert balance.retirements[-1, 0, 0] == pytest.approx(100.0)
    assert balance.gap[-1, 0, 0] == pytest.approx(300.0)
    assert balance.gap[-1].sum() == pytest.approx(200.0)


def test_an_establishment_with_an_unknown_occupation_is_refused() -> None:
    with pytest.raises(InvalidInput, match="'9999'") as caught:
        labour_balance(inputs(), [plant("9999")])
    assert caught.value.value == "9999" and "occupation" in (caught.value.field or "")


def test_negative_workforce_is_refused() -> None:
    work = np.full((7, 1), 400.0)
    work[3, 0] = -1.0
    with pytest.raises(InvalidInput, match=r"-1\.0"):
        inputs(work)


def test_job_seekers_fill_the_short_occupations_they_can_reach_up_to_the_gap() -> None:
    base = inputs()

    def matched(seekers: list[float], reach: np.ndarray | None) -> np.ndarray:
        labour = LabourInputs(base.years, base.municipalities, base.occupations, base.employed,
                              base.age_bands, base.trend, base.workforce,
                              job_seekers=np.array([seekers]), reach=reach)
        balance = labour_balance(labour)
        assert balance.gap_after_matching == pytest.approx(
            balance.gap - balance.matched_job_seekers)
        return balance.matched_job_seekers[-1, 0]

    # In 2030 operators (first) lack 100 people and shop staff (second) have 100 too many.
    assert matched([40.0, 10.0], None).tolist() == [40.0, 0.0]  # own occupation only
    moves = np.array([[True, False], [True, True]])  # shop staff can become operators
    assert matched([40.0, 10.0], moves) == pytest.approx([50.0, 0.0])
    assert matched([400.0, 10.0], moves) == pytest.approx([100.0, 0.0])  # at most the gap
    with pytest.raises(InvalidInput, match=r"reach has shape \(3, 3\)"):
        LabourInputs(base.years, base.municipalities, base.occupations, base.employed,
                     base.age_bands, base.trend, base.workforce, reach=np.eye(3))


@settings(max_examples=40, deadline=None)
@given(arrays(float, (3, 4), elements=st.floats(0, 5000)),
       arrays(float, (4, 10), elements=st.floats(0, 1000)),
       st.floats(0.2, 1.5), st.integers(55, 70))
def test_balance_identities_hold_for_any_inputs(employed: np.ndarray, bands: np.ndarray,
                                                growth: float, exit_age: int) -> None:
    years = tuple(range(2024, 2034))
    base = employed.sum(axis=1)
    workforce = base * np.linspace(1.0, growth, len(years))[:, None]
    labour = LabourInputs(years, ("2580", "2581", "2582"), ("a", "b", "c", "d"), employed,
                          bands, np.full(4, 0.01), workforce, exit_age)
    b = labour_balance(labour)
    assert np.allclose(b.gap[0], 0.0)
    assert (b.retirements <= employed[None] + 1e-9).all()
    assert (np.diff(b.retirements, axis=0) >= -1e-9).all()
    # Supply follows the projected workforce wherever someone can enter.
    can_enter = (employed * (bands[:, :2].sum(axis=1) > 0)).sum(axis=1) > 0
    assert np.allclose(b.supply.sum(axis=2)[:, can_enter], workforce[:, can_enter])
    assert np.allclose(b.gap, b.expansion + b.establishments + b.retirements - b.entrants)
    assert (b.supply >= -1e-6).all()


def test_entrants_follow_young_workers_educations_to_other_occupations() -> None:
    base = inputs()

    def entrants(paths: np.ndarray | None) -> list[float]:
        labour = LabourInputs(base.years, base.municipalities, base.occupations, base.employed,
                              base.age_bands, base.trend, base.workforce, entry_paths=paths)
        return [round(float(v), 6) for v in labour_balance(labour).entrants[-1, 0]]

    # The young work in the second occupation; without paths every entrant goes there.
    assert entrants(None) == [0.0, 100.0]
    # A quarter of the young workers' educations lead to the first occupation.
    assert entrants(np.array([[1.0, 0.0], [0.25, 0.75]])) == [25.0, 75.0]
    with pytest.raises(InvalidInput, match=r"entry_paths has shape \(1, 1\)"):
        LabourInputs(base.years, base.municipalities, base.occupations, base.employed,
                     base.age_bands, base.trend, base.workforce, entry_paths=np.eye(1))
