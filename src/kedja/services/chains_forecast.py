"""What the chains read from the forecast: the gap per occupation and municipality, the retirement rate.

The one place where the chains touch the forecast service, through its public functions
(:func:`kedja.services.forecast.run_forecast` and the run's labour balance), so that a rewrite of
the forecast changes this module only.

- **Shortage**: a position is in a shortage occupation when the forecast's gap (demand − supply,
  :class:`kedja.forecast.labour.LabourBalance`) for its occupation in its municipality is above
  zero ``years_ahead`` years after the base year (default 5: about the time a course takes plus the
  years the plan's chains are meant to serve). Occupations the forecast does not cover fall back
  to the region-wide gap of their SSYK minor group (the first three digits), or are no shortage.
- **Retirement rate**: the forecast's retirements in the first year over the employed in the base
  year, for the whole region (the simulation's ``retirement_rate``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import Engine

from kedja.services.forecast import run_forecast

__all__ = ["ForecastShortage", "forecast_shortage"]


@dataclass(frozen=True)
class ForecastShortage:
    """The forecast's gap by (occupation, municipality), by minor group, and the retirement rate."""

    year: int
    gap: dict[tuple[str, str], float]
    minor_group_gap: dict[str, float]
    retirement_rate: float

    def in_shortage(self, occupation: str, municipality: str) -> bool:
        """Whether the forecast expects people to be missing in this occupation and municipality."""
        gap = self.gap.get((occupation, municipality))
        if gap is None:
            gap = self.minor_group_gap.get(occupation[:3], 0.0)
        return gap > 0.0


def forecast_shortage(engine: Engine, *, years_ahead: int = 5) -> ForecastShortage:
    """The forecast's gaps ``years_ahead`` years on and its first-year retirement rate."""
    run = run_forecast(engine)
    balance = run.forecast.balance
    years = balance.inputs.years
    t = min(years_ahead, len(years) - 1)
    gap = balance.gap[t]  # (M, O)
    municipalities, occupations = balance.inputs.municipalities, balance.inputs.occupations
    by_place = {(str(o), str(m)): float(gap[i, j]) for i, m in enumerate(municipalities)
                for j, o in enumerate(occupations)}
    minor: dict[str, float] = {}
    for j, o in enumerate(occupations):
        minor[str(o)[:3]] = minor.get(str(o)[:3], 0.0) + float(gap[:, j].sum())
    employed = float(np.sum(balance.inputs.employed))
    retired = float(np.sum(balance.retirements[min(1, len(years) - 1)]))
    return ForecastShortage(year=years[t], gap=by_place, minor_group_gap=minor,
                            retirement_rate=round(retired / employed, 4) if employed > 0 else 0.0)
