"""Small-cell suppression of indicator tables the size a region's funders ask for.

Run: ``python bench/bench_suppression.py [--seed 42]``. For tables of 30, 100 and 300 rows
(municipalities, organisations, a country's municipalities) × 4 columns of sparse counts, prints
the suppression time, the share of inner cells hidden and the share hidden beyond the primary
(small) cells, and checks with the LP audit that no hidden cell is pinned. Bound: < 2 s a table.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from kedja.follow_up import hidden_cell_ranges, suppress_table

BOUND_SECONDS = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    for rows in (30, 100, 300):
        counts = rng.poisson(rng.gamma(1.5, 6.0, size=(rows, 1)) * np.array([1.0, 0.9, 0.2, 0.1]))
        started = time.perf_counter()
        table = suppress_table(counts)
        seconds = time.perf_counter() - started
        hidden = sum(v is None for row in table.cells for v in row)
        small = int(((counts > 0) & (counts < 5)).sum())
        pinned = [c for c, (lo, hi) in hidden_cell_ranges(table).items() if hi - lo < 0.5]
        print(f"{rows:>4} × 4: {seconds:6.3f} s, hidden {hidden / counts.size:5.1%} of cells "
              f"({small} small, {hidden - small} complements), pinned {len(pinned)}, "
              f"bound {'ok' if seconds < BOUND_SECONDS and not pinned else 'MISSED'}")


if __name__ == "__main__":
    main()
