"""Small-cell suppression: an attacker holding the published table cannot pin any hidden cell.

The attack here is written independently of the engine: it reads only what a reader of the
published table sees (numbers and blanks), then (1) differences every row and column that has
one blank, repeatedly, and (2) solves, for every blank, the smallest and largest value it can
take under the table's sum constraints and non-negative counts (an LP over the blanks, HiGHS).
Both must fail to give any hidden cell exactly one value.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import linprog

from kedja.follow_up.suppression import THRESHOLD, PublishedTable, suppress_table

Grid = list[list[int | None]]


def published_grid(table: PublishedTable) -> Grid:
    """The table as a reader sees it: inner cells, row totals at the right, totals below."""
    rows = [[*r, t] for r, t in zip(table.cells, table.row_totals, strict=True)]
    return [*rows, [*table.column_totals, table.total]]


def lines(n_rows: int, n_cols: int) -> list[list[tuple[int, int]]]:
    """Every row and column of the grid; the last cell of each is the sum of the others."""
    return ([[(i, j) for j in range(n_cols)] for i in range(n_rows)]
            + [[(i, j) for i in range(n_rows)] for j in range(n_cols)])


def difference_attack(grid: Grid) -> dict[tuple[int, int], int]:
    """Fill blanks that are the only blank in a row or column, until nothing changes."""
    known = [row[:] for row in grid]
    derived: dict[tuple[int, int], int] = {}
    changed = True
    while changed:
        changed = False
        for line in lines(len(known), len(known[0])):
            blanks = [c for c in line if known[c[0]][c[1]] is None]
            if len(blanks) != 1:
                continue
            *inner, margin = line
            cell = blanks[0]
            if cell == margin:
                value = sum(known[i][j] for i, j in inner)  # type: ignore[misc]
            else:
                value = known[margin[0]][margin[1]] - sum(  # type: ignore[operator]
                    known[i][j] for i, j in inner if (i, j) != cell)  # type: ignore[misc]
            known[cell[0]][cell[1]] = value
            derived[cell] = value
            changed = True
    return derived


def lp_attack(grid: Grid) -> dict[tuple[int, int], tuple[float, float]]:
    """For every blank, its smallest and largest value given the published numbers."""
    blanks = [(i, j) for i, row in enumerate(grid) for j, v in enumerate(row) if v is None]
    index = {c: k for k, c in enumerate(blanks)}
    a_eq, b_eq = [], []
    for line in lines(len(grid), len(grid[0])):
        *inner, margin = line
        row = np.zeros(len(blanks))
        rhs = 0.0
        for cell, sign in [(c, 1.0) for c in inner] + [(margin, -1.0)]:
            if cell in index:
                row[index[cell]] += sign
            else:
                rhs -= sign * grid[cell[0]][cell[1]]  # type: ignore[operator]
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
    ranges = {}
    for cell, k in index.items():
        c = np.zeros(len(blanks))
        c[k] = 1
        low = linprog(c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=(0, None), method="highs")
        high = linprog(-c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=(0, None),
                       method="highs")
        assert low.status == 0, "the published table is inconsistent"
        ranges[cell] = (low.fun, np.inf if high.status == 3 else -high.fun)
    return ranges


def assert_protected(counts: np.ndarray) -> PublishedTable:
    table = suppress_table(counts)
    grid = published_grid(table)
    full = np.vstack([np.hstack([counts, counts.sum(1, keepdims=True)]),
                      np.append(counts.sum(0), counts.sum())])
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if value is not None:
                assert value == full[i, j], "a published number is wrong"
                assert not 0 < value < THRESHOLD, f"a small count {value} is published"
    assert difference_attack(grid) == {}, "differencing gave a hidden cell away"
    for cell, (low, high) in lp_attack(grid).items():
        assert high - low >= 1 - 1e-9, f"hidden cell {cell} is pinned to {low}"
        assert low - 1e-9 <= full[cell] <= high + 1e-9
    return table


def test_a_lone_small_cell_takes_its_row_and_column_with_it() -> None:
    table = assert_protected(np.array([[12, 3, 20], [15, 9, 30], [8, 11, 6]]))
    assert table.cells[0][1] is None
    assert sum(v is None for row in table.cells for v in row) == 4  # the smallest rectangle


def test_a_small_margin_is_hidden_and_protected() -> None:
    table = assert_protected(np.array([[1, 2, 0], [10, 20, 30], [7, 9, 12]]))
    assert table.row_totals[0] is None


def test_the_naive_attack_breaks_primary_suppression_alone() -> None:
    # the attack is real: with only the small cell hidden, differencing gives it back
    grid: Grid = [[12, None, 20, 35], [15, 9, 30, 54], [8, 11, 6, 25], [35, 23, 56, 114]]
    assert difference_attack(grid) == {(0, 1): 3}
    assert lp_attack(grid)[(0, 1)] == pytest.approx((3, 3))


def test_a_table_without_small_cells_is_published_whole() -> None:
    table = suppress_table(np.array([[5, 6], [7, 0]]))
    assert all(v is not None for row in published_grid(table) for v in row)


@settings(max_examples=60, deadline=None)
@given(arrays(np.int64, st.tuples(st.integers(1, 6), st.integers(1, 5)),
              elements=st.integers(0, 14)))
def test_no_hidden_cell_can_be_derived_from_the_totals(counts: np.ndarray) -> None:
    assert_protected(counts)
