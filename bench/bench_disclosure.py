"""Disclosure control of the indicators: the cell-key method against suppression alone.

Run: ``python bench/bench_disclosure.py [--seed 42] [--people 3000]``. A synthetic region
(people in 30 municipalities and 60 organisations, by gender) is tabulated by municipality and
by organisation for two periods that differ by one newcomer, with each method; prints per
method the time, the share of inner cells hidden, the mean absolute error of the published
counts, and how many cells the differencing attack pins to a count of 1–4 (the attacker of
``tests/follow_up/test_suppression.py``: published difference ± 2D, at least 1 if it changed).
"""

from __future__ import annotations

import argparse
import time
from datetime import date

import numpy as np

from kedja.follow_up.indicators import Participant, participants_by
from kedja.follow_up.perturbation import MAX_DEVIATION, CellKeyMethod
from kedja.follow_up.suppression import SmallCellSuppression


def region(rng: np.random.Generator, people: int) -> list[Participant]:
    """Participants with skewed municipality and organisation sizes (a gamma mix)."""
    municipalities = rng.dirichlet(np.full(30, 0.6))
    organisations = rng.dirichlet(np.full(60, 0.4))
    return [Participant(f"P{i}", f"E{i}", f"M{rng.choice(30, p=municipalities):02d}",
                        f"O{rng.choice(60, p=organisations):02d}", "asf_placement",
                        date(2026, 1, 1), None, ("female", "male")[int(rng.integers(0, 2))],
                        "25-34", record_key=int(rng.integers(0, 2**32)))
            for i in range(people)]


def pinned(first: list[list[int | None]], second: list[list[int | None]], d: int) -> int:
    """Cells whose added count is pinned to 1–4 by differencing (rows aligned)."""
    found = 0
    for row1, row2 in zip(first, second, strict=False):
        for a, b in zip(row1, row2, strict=True):
            if a is None or b is None:
                continue
            low, high = max(0, b - a - 2 * d), b - a + 2 * d
            if d and b != a:
                low = max(low, 1)
            found += low == high and 1 <= low <= 4
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--people", type=int, default=3000)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    base = region(rng, args.people)
    newcomer = Participant("NEW", "ENEW", base[0].municipality_code, base[0].organisation_id,
                           "asf_placement", date(2026, 1, 1), None, "female", "25-34",
                           record_key=int(rng.integers(0, 2**32)))
    methods = {"suppression alone": (SmallCellSuppression(), 0),
               "cell-key method": (CellKeyMethod(), MAX_DEVIATION)}
    for name, (method, d) in methods.items():
        started = time.perf_counter()
        hidden = cells = error = shown = attacked = 0
        for breakdown in ("municipality", "organisation"):
            one = participants_by(base, breakdown, protection=method)
            two = participants_by([*base, newcomer], breakdown, protection=method)
            exact = participants_by(base, breakdown, protection=CellKeyMethod(max_deviation=0,
                                                                             threshold=0))
            for row, true_row in zip(one.published.extended(), exact.published.extended(),
                                     strict=True):
                for value, truth in zip(row[:-1], true_row[:-1], strict=True):
                    cells += 1
                    hidden += value is None
                    if value is not None and truth is not None:
                        error += abs(value - truth)
                        shown += 1
            attacked += pinned(one.published.extended(), two.published.extended(), d)
        seconds = time.perf_counter() - started
        print(f"{name:>18}: {seconds:5.2f} s, hidden {hidden / cells:5.1%} of cells, mean |error| "
              f"{error / max(shown, 1):.2f}, cells pinned by differencing the newcomer: {attacked}")


if __name__ == "__main__":
    main()
