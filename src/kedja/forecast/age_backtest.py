"""Back-testing the projection by age: single ages and five-year bands against observed counts.

Two tests, both fitted only on years up to ``fit_until``:

- **Kolada, all municipalities**: the fitted ``CohortModel``'s single ages 20–30 in the target
  year against Kolada's published counts (the ages that feed labour supply).
- **SCB single-age history** (the municipalities in ``ScbHistory``): the model starts from the
  real single-age population of ``fit_until``, with the municipality's own out-migration level
  (its out-movers over the pooled rates' expectation, years up to ``fit_until``) and its own
  recorded net migration level (in-movers − out-movers, weighted as in ``cohort``, shrunk toward
  the pool); it is judged on single ages 20–64 and five-year bands 0–4 … 85–89, 90+.

Baselines: the fit year's counts unchanged, and the geometric trend of the total (over the
same window) spread by the fit year's age shares. Measures: MAPE and bias in percent over
every municipality × age cell.

Examples:
    >>> import numpy as np
    >>> five_year_bands(np.arange(101.0)[None, :]).shape
    (1, 19)

"""

from __future__ import annotations

import numpy as np

from kedja.core.errors import InvalidInput
from kedja.forecast.backtest import errors_summary
from kedja.forecast.cohort import NET_WINDOW, CohortModel, _weighted_mean, shrink_toward_groups
from kedja.forecast.rates import estimate_rates
from kedja.forecast.scb_history import ScbHistory

__all__ = ["AGE_METHODS", "five_year_bands", "scb_age_backtest"]

AGE_METHODS = ("model", "unchanged", "geometric_trend")


def five_year_bands(by_age: np.ndarray) -> np.ndarray:
    """Sum single ages ``(..., AGES)`` into 0–4, 5–9, …, 85–89 and 90+ (19 bands); O(size).

    The open band starts at 90 because single bands past 90 hold a handful of people in a small
    municipality, where a percentage error says little.
    """
    edges = list(range(0, 91, 5))
    return np.add.reduceat(by_age, edges, axis=-1)


def _rows(history: ScbHistory, fit: int, target: int) -> list[int]:
    return [r for r, region in enumerate(history.regions) if len(region) == 4
            and not np.isnan(history.population[r, [fit, target]]).any()
            and not np.isnan(history.out_movers[r, : fit + 1]).all()]


def _fit_model(history: ScbHistory, rows: list[int], fit: int, fit_until: int) -> CohortModel:
    rates = estimate_rates(history, fit_until)
    county = [history.regions[r][:2] for r in rows]
    first = max(1, fit - NET_WINDOW + 1)
    years = slice(first, fit + 1)
    pop = history.population[rows]
    start = pop[:, first - 1: fit]
    net = (history.in_movers[rows, years] - history.out_movers[rows, years]).sum(axis=(-2, -1))
    yearly = net / start.sum(axis=(-2, -1))
    seen = np.maximum((~np.isnan(yearly)).sum(axis=1), 2)
    own = _weighted_mean(yearly)
    variance = np.nan_to_num(np.nanvar(yearly, axis=1, ddof=1) / seen, nan=1.0)
    shrunk = shrink_toward_groups(own, variance, np.array(county))
    expected = (history.mean_population[rows, years] * rates.out_rates).sum(axis=(1, 2, 3))
    level = history.out_movers[rows, years].sum(axis=(1, 2, 3)) / np.maximum(expected, 1.0)
    fertility = np.array([rates.fertility_in(c) for c in county])
    death = np.array([rates.death_in(c, 0) for c in county])
    return CohortModel(
        fit_until=fit_until, base=pop[:, fit], fertility=fertility, death=death,
        improvement=rates.mortality_improvement,
        out_rates=np.clip(rates.out_rates * level[:, None, None], 0.0, 0.5),
        in_profile=rates.in_profile, own_net_rate=own, net_rate=shrunk,
        shrink_weight=np.ones(len(rows)), in_migrants=np.zeros(len(rows)),
    )


def scb_age_backtest(history: ScbHistory, *, fit_until: int,
                     target: int) -> dict[str, object]:
    """Back-test single ages 20–64 and five-year bands on SCB's history (see the module).

    Raises:
        InvalidInput: a year outside the files, or no municipality with both years.

    """
    for year, field in ((fit_until, "fit_until"), (target, "target")):
        if year not in history.years:
            raise InvalidInput(f"{year} is not a year in the SCB files", field=field, value=year,
                               hint=f"choose from {history.years[0]} to {history.years[-1]}")
    fit, end = history.years.index(fit_until), history.years.index(target)
    rows = _rows(history, fit, end)
    if not rows or end <= fit:
        raise InvalidInput(f"no municipality has populations for {fit_until} and {target}",
                           field="target", value=target, hint="choose years inside the files")
    model = _fit_model(history, rows, fit, fit_until)
    observed = history.population[rows, end].sum(axis=1)
    base = history.population[rows, fit].sum(axis=1)
    totals = history.population[rows, max(0, fit - NET_WINDOW): fit + 1].sum(axis=(-2, -1))
    growth = (totals[:, -1] / totals[:, 0]) ** (1.0 / max(totals.shape[1] - 1, 1))
    forecasts = {
        "model": model.project(end - fit)[-1].sum(axis=1),
        "unchanged": base,
        "geometric_trend": base * (growth ** (end - fit))[:, None],
    }
    return {
        "fit_until": fit_until, "target": target,
        "municipalities": [history.regions[r] for r in rows],
        "single_ages_20_64": {m: errors_summary(f[:, 20:65], observed[:, 20:65])
                              for m, f in forecasts.items()},
        "five_year_bands": {m: errors_summary(five_year_bands(f), five_year_bands(observed))
                            for m, f in forecasts.items()},
        "total": {m: errors_summary(f.sum(axis=1), observed.sum(axis=1))
                  for m, f in forecasts.items()},
    }
