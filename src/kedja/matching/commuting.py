"""Willingness to commute from data: a gravity model of commuting flows against travel time.

Method: the doubly constrained gravity model estimated as a Poisson GLM (Flowerdew and Aitkin,
"A method of fitting the gravity model based on the Poisson distribution", Journal of Regional
Science 22(2), 1982; Silva and Tenreyro, "The log of gravity", 2006):
``E[T_ij] = exp(a_i + b_j) · f(t_ij)`` with an origin effect ``a_i`` (how many commute out of
i), a destination effect ``b_j`` (how many jobs j offers) and a distance decay ``f`` in the
travel time ``t_ij`` (minutes): ``exp(−β t)`` or ``t^−γ``. Flows within a municipality are left
out (their travel time is not that of a commute between seats). The decay is what Kedja reads as
the willingness to commute ``t`` minutes, relative to commuting none.

Data: SCB's commuting matrix between Norrbotten's 14 municipalities (ArRegPend2, employed
15–74 by municipality of residence × of work, by sex, 2020–2024; Källa: SCB).

Examples:
    >>> round(float(commute_decay(np.array([0.0, 30.0]), 0.05)[1]), 3)
    0.223
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kedja.core.errors import InvalidInput

__all__ = ["CommutingMatrix", "GravityFit", "commute_decay", "fit_gravity", "read_commuting_matrix",
           "shifted_power_decay"]


def commute_decay(minutes: np.ndarray, beta: float) -> np.ndarray:
    """The exponential decay ``exp(−β · minutes)``: 1 at no travel, falling with time."""
    return np.exp(-beta * np.asarray(minutes, dtype=float))


@dataclass
class CommutingMatrix:
    """Commuters by municipality of residence (rows) × of work (columns)."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    flows: np.ndarray
    years: tuple[int, ...]
    sexes: tuple[str, ...]


def read_commuting_matrix(path: Path, *, sexes: Sequence[str] = ("kvinnor", "män"),
                          years: Sequence[int] | None = None) -> CommutingMatrix:
    """Read SCB's ArRegPend2 CSV (``year,sex,residence_code,…,workplace_code,…,employed``), summed.

    Raises:
        InvalidInput: naming the file, line and field of a bad row.
    """
    cells: dict[tuple[str, str], int] = {}
    names: dict[str, str] = {}
    seen_years: set[int] = set()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        need = {"year", "sex", "residence_code", "residence", "workplace_code", "employed"}
        missing = need - set(reader.fieldnames or ())
        if missing:
            raise InvalidInput(f"{path.name} lacks the columns {sorted(missing)}",
                               location=f"{path.name}, line 1",
                               hint="give SCB's ArRegPend2 table as year,sex,residence_code,residence,"
                                    "workplace_code,workplace,employed")
        for line, row in enumerate(reader, start=2):
            _add(row, line, path.name, cells, names, seen_years, sexes, years)
    codes = tuple(sorted(names))
    index = {c: i for i, c in enumerate(codes)}
    flows = np.zeros((len(codes), len(codes)))
    for (a, b), n in cells.items():
        if b in index:
            flows[index[a], index[b]] += n
    return CommutingMatrix(codes, tuple(names[c] for c in codes), flows, tuple(sorted(seen_years)),
                           tuple(sexes))


def _add(row: dict[str, str], line: int, name: str, cells: dict[tuple[str, str], int],
         names: dict[str, str], seen: set[int], sexes: Sequence[str], years: Sequence[int] | None) -> None:
    try:
        year, employed = int(row["year"]), int(row["employed"])
    except ValueError:
        raise InvalidInput(f"{row['year']!r} / {row['employed']!r} is not a year and a count",
                           field="employed", location=f"{name}, line {line}",
                           hint="write whole numbers") from None
    if employed < 0:
        raise InvalidInput(f"{employed} commuters is negative", field="employed", value=employed,
                           location=f"{name}, line {line}", hint="give counts ≥ 0")
    if row["sex"] not in sexes or (years is not None and year not in years):
        return
    seen.add(year)
    names[row["residence_code"]] = row["residence"]
    key = (row["residence_code"], row["workplace_code"])
    cells[key] = cells.get(key, 0) + employed


@dataclass
class GravityFit:
    """A fitted decay with its figures, beside the alternatives fitted in the same run."""

    form: str
    parameter: float
    """γ of the shifted power decay ``(1 + t/τ)^−γ``."""
    deviance: float
    null_deviance: float
    aic: float
    cv_deviance: float
    """Poisson deviance on held-out pairs, summed over folds (grouped by unordered pair)."""
    shift: float = 0.0
    """τ in minutes."""
    alternatives: dict[str, dict[str, float]] = field(default_factory=dict)
    pairs: list[dict[str, object]] = field(default_factory=list)
    """Observed versus fitted shares of each origin's out-commuters, per destination."""

    @property
    def pseudo_r2(self) -> float:
        """1 − deviance / null deviance (the null model: origin and destination effects only)."""
        return 1.0 - self.deviance / self.null_deviance if self.null_deviance else 0.0

    @property
    def half_minutes(self) -> float:
        """Minutes at which the willingness has halved."""
        if self.parameter <= 0:
            return float("nan")
        return float(self.shift * (2.0 ** (1.0 / self.parameter) - 1.0))


FORMS = ("exp", "power", "none")
SHIFTS = (10.0, 15.0, 20.0, 30.0, 45.0, 60.0, 90.0)
"""Shifts τ (minutes) tried for the score's decay ``(1 + t/τ)^−γ``; τ ≥ 10 because the data hold
no commute between seats shorter than about 40 minutes, so shorter shifts are not identified."""


def shifted_power_decay(minutes: np.ndarray, gamma: float, shift: float) -> np.ndarray:
    """``(1 + t/τ)^−γ``: 1 at no travel, a power decay for long commutes.

    Examples:
        >>> shifted_power_decay(np.array([0.0, 30.0]), 2.0, 30.0).tolist()
        [1.0, 0.25]
    """
    return (1.0 + np.asarray(minutes, dtype=float) / shift) ** -gamma


def _design(n: int, minutes: np.ndarray, form: str, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Origin and destination dummies (one of each dropped) and the decay term, off the diagonal."""
    rows, cols = np.nonzero(keep)
    parts = [np.ones((rows.size, 1))]
    origin = np.zeros((rows.size, n - 1))
    dest = np.zeros((rows.size, n - 1))
    origin[rows > 0, rows[rows > 0] - 1] = 1.0
    dest[cols > 0, cols[cols > 0] - 1] = 1.0
    parts += [origin, dest]
    t = minutes[rows, cols]
    if form == "exp":
        parts.append(-t[:, None])
    elif form == "power":
        parts.append(-np.log(np.maximum(t, 1.0))[:, None])
    elif form.startswith("shifted:"):
        parts.append(-np.log1p(t / float(form.split(":")[1]))[:, None])
    return np.hstack(parts), np.column_stack([rows, cols])


def _glm(y: np.ndarray, x: np.ndarray) -> object:
    import statsmodels.api as sm

    return sm.GLM(y, x, family=sm.families.Poisson()).fit()


def _poisson_deviance(y: np.ndarray, mu: np.ndarray) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(y > 0, y * np.log(y / mu), 0.0)
    return float(2.0 * np.sum(term - (y - mu)))


def _cv_deviance(flows: np.ndarray, minutes: np.ndarray, form: str, folds: int, seed: int) -> float:
    """Held-out deviance: pairs {i, j} (both directions together) split into ``folds`` folds."""
    n = flows.shape[0]
    upper = [(i, j) for i in range(n) for j in range(i + 1, n)]
    rng = np.random.default_rng(seed)
    fold_of = rng.permutation(len(upper)) % folds
    total = 0.0
    off = ~np.eye(n, dtype=bool)
    for k in range(folds):
        test = np.zeros((n, n), dtype=bool)
        for (i, j), f in zip(upper, fold_of, strict=True):
            if f == k:
                test[i, j] = test[j, i] = True
        x_train, _ = _design(n, minutes, form, off & ~test)
        fit = _glm(flows[off & ~test], x_train)
        x_test, _ = _design(n, minutes, form, test)
        mu = np.exp(x_test @ np.asarray(fit.params))  # type: ignore[attr-defined]
        total += _poisson_deviance(flows[test], mu)
    return total


def fit_gravity(matrix: CommutingMatrix, minutes: np.ndarray, *, folds: int = 5, seed: int = 42,
                show: Sequence[tuple[str, str]] = ()) -> GravityFit:
    """Fit the exponential decay, and beside it the power decay and no decay, on ``matrix``.

    ``minutes`` is the travel time between the municipalities' seats in ``matrix.codes`` order.
    Each fit is a Poisson GLM (IRLS) of n(n − 1) cells with 2n − 1 parameters; the cross-validated
    deviance refits it ``folds`` times. ``show`` lists (residence, work) codes whose observed and
    fitted shares are reported (all pairs with ≥ 1 % of an origin's out-commuters when empty).
    """
    n = len(matrix.codes)
    off = ~np.eye(n, dtype=bool)
    y = matrix.flows[off]
    results: dict[str, dict[str, float]] = {}
    fitted: dict[str, object] = {}
    for form in FORMS:
        x, _ = _design(n, minutes, form, off)
        fit = _glm(y, x)
        fitted[form] = fit
        results[form] = {
            "parameter": float(np.asarray(fit.params)[-1]) if form != "none" else 0.0,  # type: ignore[attr-defined]
            "deviance": float(fit.deviance),  # type: ignore[attr-defined]
            "aic": float(fit.aic),  # type: ignore[attr-defined]
            "cv_deviance": _cv_deviance(matrix.flows, minutes, form, folds, seed),
        }
    def deviance(tau: float) -> float:
        return float(_glm(y, _design(n, minutes, f"shifted:{tau}", off)[0]).deviance)  # type: ignore[attr-defined]

    shift = min(SHIFTS, key=deviance)
    x, _ = _design(n, minutes, f"shifted:{shift}", off)
    fit = _glm(y, x)
    fitted["shifted"] = fit
    results["shifted_power"] = {
        "parameter": float(np.asarray(fit.params)[-1]), "shift": shift,  # type: ignore[attr-defined]
        "deviance": float(fit.deviance), "aic": float(fit.aic),  # type: ignore[attr-defined]
        "cv_deviance": _cv_deviance(matrix.flows, minutes, f"shifted:{shift}", folds, seed),
    }
    best = results["shifted_power"]
    mu = np.zeros((n, n))
    mu[off] = np.asarray(fitted["shifted"].fittedvalues)  # type: ignore[attr-defined]
    return GravityFit("shifted_power", best["parameter"], best["deviance"], results["none"]["deviance"],
                      best["aic"], best["cv_deviance"], shift=shift, alternatives=results,
                      pairs=_pairs(matrix, minutes, mu, show))


def _pairs(matrix: CommutingMatrix, minutes: np.ndarray, mu: np.ndarray,
           show: Sequence[tuple[str, str]]) -> list[dict[str, object]]:
    n = len(matrix.codes)
    off = ~np.eye(n, dtype=bool)
    observed = np.where(off, matrix.flows, 0.0)
    out_obs = observed.sum(axis=1, keepdims=True)
    out_fit = mu.sum(axis=1, keepdims=True)
    share_obs = np.divide(observed, out_obs, out=np.zeros_like(observed), where=out_obs > 0)
    share_fit = np.divide(mu, out_fit, out=np.zeros_like(mu), where=out_fit > 0)
    index: Mapping[str, int] = {c: i for i, c in enumerate(matrix.codes)}
    chosen = [(index[a], index[b]) for a, b in show if a in index and b in index]
    if not chosen:
        chosen = [(int(i), int(j)) for i, j in zip(*np.nonzero(share_obs >= 0.01), strict=True)]
    return [{"from": matrix.names[i], "to": matrix.names[j], "minutes": round(float(minutes[i, j]), 1),
             "commuters": int(observed[i, j]), "observed_share": round(float(share_obs[i, j]), 4),
             "fitted_share": round(float(share_fit[i, j]), 4)} for i, j in chosen]
