"""Back-testing the projection on history, against two naive baselines.

For each municipality the model starts from the first year whose age figures are complete,
projects without migration to ``fit_until`` and takes the gap to the observed population as
the yearly net migration (residual method). From ``fit_until`` it projects to ``target`` with
that net migration as gross flows (out-migration rates, in-migrant counts; see ``migration``).
The baselines are the population of ``fit_until`` unchanged, and the least-squares linear
trend over the fit years extrapolated. Errors are percentages of the observed population:
MAPE (mean absolute percentage error) and bias (mean signed percentage error; positive means
the forecast was too high). Method and measures as in Smith, Tayman & Swanson (2013, ch. 13).

Complexity: O(municipalities × AGES × years), vectorised over municipalities.

Examples:
    >>> errors_summary(np.array([110.0, 95.0]), np.array([100.0, 100.0]))
    {'mape': 7.5, 'bias': 2.5}

"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kedja.core.errors import InvalidInput
from kedja.forecast.kolada import KoladaHistory
from kedja.forecast.migration import gross_in_migrants, in_migrant_counts, out_migration_rates
from kedja.forecast.projection import DemographicRates, project
from kedja.forecast.structure import population_from_bands

__all__ = ["METHODS", "Backtest", "backtest", "errors_summary", "linear_trend"]

METHODS = ("model", "unchanged", "linear_trend")


@dataclass(frozen=True)
class Backtest:
    """Forecasts of the target year by method, with the observed population."""

    names: tuple[str, ...]
    fit_until: int
    target: int
    observed: np.ndarray
    forecasts: dict[str, np.ndarray]

    def summary(self, mask: np.ndarray | None = None) -> dict[str, dict[str, float]]:
        """MAPE and bias (percent) per method over the municipalities in ``mask``."""
        keep = np.ones(len(self.names), bool) if mask is None else mask
        return {m: errors_summary(self.forecasts[m][keep], self.observed[keep]) for m in METHODS}

    def per_municipality(self) -> list[dict[str, float | str]]:
        """Percentage error of each method for each municipality."""
        errors = {m: 100 * (f - self.observed) / self.observed for m, f in self.forecasts.items()}
        return [{"name": n, "observed": float(self.observed[i]),
                 **{m: round(float(errors[m][i]), 3) for m in METHODS}}
                for i, n in enumerate(self.names)]


def errors_summary(forecast: np.ndarray, observed: np.ndarray) -> dict[str, float]:
    """MAPE and bias in percent, rounded to 3 decimals."""
    pct = 100 * (forecast - observed) / observed
    return {"mape": round(float(np.mean(np.abs(pct))), 3), "bias": round(float(np.mean(pct)), 3)}


def linear_trend(years: np.ndarray, values: np.ndarray, target: int) -> np.ndarray:
    """Least-squares line per row through ``values`` (NaN skipped), evaluated at ``target``.

    Examples:
        >>> linear_trend(np.array([2000, 2001, 2002]), np.array([[10.0, 12.0, np.nan]]), 2004)
        array([18.])

    """
    result = np.empty(values.shape[0])
    for row, series in enumerate(values):
        ok = ~np.isnan(series)
        slope, intercept = np.polyfit(years[ok], series[ok], 1)
        result[row] = slope * target + intercept
    return result


def _bands(history: KoladaHistory, rows: np.ndarray, col: np.ndarray) -> np.ndarray:
    return np.array([
        population_from_bands(history.total[r, c], share_0_19=history.share_0_19[r, c],
                              share_65_plus=history.share_65_plus[r, c],
                              ages_20_30=history.ages_20_30[r, c])
        for r, c in zip(rows, col, strict=True)
    ])


def _complete(history: KoladaHistory) -> np.ndarray:
    return ~(np.isnan(history.total) | np.isnan(history.share_0_19)
             | np.isnan(history.share_65_plus) | np.isnan(history.ages_20_30).any(axis=-1))


def _residual_net(history: KoladaHistory, fit: int) -> np.ndarray:
    """Yearly net migration per municipality over its first complete year to ``fit``."""
    complete = _complete(history)[:, : fit + 1]
    start = np.where(complete.any(axis=1), complete.argmax(axis=1), fit)
    rows = np.arange(len(history.names))
    base = _bands(history, rows, start)
    natural = DemographicRates.national()
    net = np.zeros(len(rows))
    for span in np.unique(fit - start):
        if span == 0:
            continue
        pick = (fit - start) == span
        path = project(base[pick], natural, int(span))
        net[pick] = (history.total[pick, fit] - path[-1].sum(axis=(-2, -1))) / span
    return net


def backtest(history: KoladaHistory, *, fit_until: int, target: int) -> Backtest:
    """Forecast ``target`` from data up to ``fit_until`` with the model and both baselines.

    Raises:
        InvalidInput: years outside the history, or ``target`` not after ``fit_until``.

    """
    fit = history.year_index(fit_until, field="--fit-until")
    end = history.year_index(target, field="--target")
    if end <= fit:
        raise InvalidInput(f"target {target} is not after fit-until {fit_until}",
                           field="--target", value=target, hint="choose a later target year")
    rows = np.arange(len(history.names))
    base = _bands(history, rows, np.full(len(rows), fit))
    out_rates = out_migration_rates()
    in_counts = gross_in_migrants(base, out_rates, _residual_net(history, fit))
    national = DemographicRates.national()
    rates = DemographicRates(national.fertility, national.death, out_rates,
                             in_migrant_counts(in_counts))
    model = project(base, rates, target - fit_until)[-1].sum(axis=(-2, -1))
    years = np.array(history.years[: fit + 1])
    return Backtest(
        names=history.names, fit_until=fit_until, target=target,
        observed=history.total[:, end],
        forecasts={"model": model, "unchanged": history.total[:, fit],
                   "linear_trend": linear_trend(years, history.total[:, : fit + 1], target)},
    )

