"""Back-testing the projection on history, against three naive baselines.

The model (``kedja.forecast.cohort``) starts from each municipality's age structure in
``fit_until`` and projects to ``target`` with rates estimated only from data up to
``fit_until``. The baselines are the population of ``fit_until`` unchanged, the least-squares
linear trend over the fit years extrapolated, and the geometric trend (each municipality's mean
yearly growth over the fit years, compounded). Errors are percentages of the observed
population: MAPE (mean absolute percentage error) and bias (mean signed percentage error;
positive means the forecast was too high). Method and measures as in Smith, Tayman & Swanson
(2013, ch. 13).

Complexity: O(municipalities × AGES × years), vectorised over municipalities.

Examples:
    >>> errors_summary(np.array([110.0, 95.0]), np.array([100.0, 100.0]))
    {'mape': 7.5, 'bias': 2.5}
    >>> geometric_trend(np.array([[100.0, 110.0, 121.0]]), 2)
    array([146.41])

"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kedja.core.errors import InvalidInput
from kedja.forecast.cohort import NET_WINDOW, CohortModel, fit_cohort_model
from kedja.forecast.kolada import KoladaHistory
from kedja.forecast.rates import EstimatedRates

__all__ = ["METHODS", "Backtest", "backtest", "errors_summary", "geometric_trend", "linear_trend"]

METHODS = ("model", "unchanged", "linear_trend", "geometric_trend")


@dataclass(frozen=True)
class Backtest:
    """Forecasts of the target year by method, with the observed population."""

    names: tuple[str, ...]
    fit_until: int
    target: int
    observed: np.ndarray
    forecasts: dict[str, np.ndarray]
    model: CohortModel
    observed_20_30: np.ndarray  # (municipalities, 11) Kolada's counts aged 20–30 in target
    forecasts_20_30: dict[str, np.ndarray]

    def summary(self, mask: np.ndarray | None = None) -> dict[str, dict[str, float]]:
        """MAPE and bias (percent) per method over the municipalities in ``mask``."""
        keep = np.ones(len(self.names), bool) if mask is None else mask
        return {m: errors_summary(self.forecasts[m][keep], self.observed[keep]) for m in METHODS}

    def ages_summary(self, mask: np.ndarray | None = None) -> dict[str, dict[str, float]]:
        """MAPE and bias over municipality × single age 20–30 (model and two baselines)."""
        keep = np.ones(len(self.names), bool) if mask is None else mask
        keep = keep & ~np.isnan(self.observed_20_30).any(axis=1)
        return {m: errors_summary(f[keep], self.observed_20_30[keep])
                for m, f in self.forecasts_20_30.items()}

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


def geometric_trend(values: np.ndarray, horizon: int) -> np.ndarray:
    """Each row's mean yearly growth factor over its observed years, compounded ``horizon`` years.

    The growth is ``(last / first) ** (1 / span)`` over the row's first and last non-missing
    values, the practitioners' geometric extrapolation (Smith, Tayman & Swanson 2013, ch. 8).
    """
    result = np.empty(values.shape[0])
    for row, series in enumerate(values):
        ok = np.flatnonzero(~np.isnan(series))
        first, last = ok[0], ok[-1]
        growth = (series[last] / series[first]) ** (1.0 / max(last - first, 1))
        result[row] = series[last] * growth ** horizon
    return result


def backtest(history: KoladaHistory, *, fit_until: int, target: int,
             counties: Sequence[str | None] | None = None,
             rates: EstimatedRates | None = None) -> Backtest:
    """Forecast ``target`` from data up to ``fit_until`` with the model and the baselines.

    Args:
        history: Kolada's population history.
        fit_until: Last year the model and baselines may see.
        target: Year forecast.
        counties: County code per municipality (for county rates and shrinkage), or None.
        rates: Rates estimated from SCB's history up to ``fit_until`` (``estimate_rates``), or
            None for the parametric national schedules.

    Raises:
        InvalidInput: years outside the history, ``target`` not after ``fit_until``, or rates
        estimated with data after ``fit_until``.

    """
    fit = history.year_index(fit_until, field="--fit-until")
    end = history.year_index(target, field="--target")
    if end <= fit:
        raise InvalidInput(f"target {target} is not after fit-until {fit_until}",
                           field="--target", value=target, hint="choose a later target year")
    if rates is not None and rates.until > fit_until:
        raise InvalidInput(f"rates estimated up to {rates.until} cannot judge a fit to "
                           f"{fit_until}", field="rates", value=rates.until,
                           hint="estimate the rates with until = fit-until")
    model = fit_cohort_model(history, fit_until=fit_until, counties=counties, rates=rates)
    final = model.project(target - fit_until)[-1]
    years = np.array(history.years[: fit + 1])
    past = history.total[:, : fit + 1]
    geometric = geometric_trend(past[:, max(0, fit - NET_WINDOW):], target - fit_until)
    ages_then = history.ages_20_30[:, fit]
    return Backtest(
        names=history.names, fit_until=fit_until, target=target,
        observed=history.total[:, end],
        forecasts={"model": final.sum(axis=(-2, -1)), "unchanged": history.total[:, fit],
                   "linear_trend": linear_trend(years, past, target),
                   "geometric_trend": geometric},
        model=model,
        observed_20_30=history.ages_20_30[:, end],
        forecasts_20_30={"model": final[:, :, 20:31].sum(axis=1), "unchanged": ages_then,
                         "geometric_trend": ages_then * (geometric / history.total[:, fit])[:, None]},
    )
