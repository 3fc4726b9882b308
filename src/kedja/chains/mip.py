"""Exact chains under training seats and a budget: the flow's objective as a HiGHS MIP.

Binary ``x_k`` per move arc and ``y_k`` per seeker arc; rows: each employee moves at most once,
each seeker enters at most once, a position takes at most one newcomer and a held position only
if its holder moves (``Σ_in − Σ_holder's moves ≤ [open]``), ``Σ x`` per course ≤ its seats, and
``Σ cost · x ≤ budget``. The objective is the flow's (seeker bonus first, then open and shortage
positions filled, then tie-breaks). Solved by HiGHS branch-and-cut (``highspy``); exponential in
the worst case, so :func:`~kedja.chains.optimise.optimise_chains` uses it only below a size
limit. A maximum chain length is not a row here: the repair cuts long chains afterwards.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from kedja.chains.model import ChainProblem
from kedja.solvers import quiet_highs

__all__ = ["mip_chain_arcs"]


def _matrix(problem: ChainProblem) -> tuple[sparse.csc_matrix, np.ndarray]:
    """Constraint matrix (columns: moves, then seeker arcs) and the rows' upper bounds."""
    n_m, n_a = problem.n_moves, problem.seeker.size
    n_e, n_s = problem.n_employees, problem.n_seekers
    n_p, n_c = problem.n_positions, problem.course_seats.size
    moves, arcs = np.arange(n_m), n_m + np.arange(n_a)
    freed = problem.own_position[problem.move_employee]  # a move frees the mover's own position
    trained = np.flatnonzero(problem.move_course >= 0)
    rows = [problem.move_employee, n_e + problem.seeker, n_e + n_s + problem.move_position,
            n_e + n_s + problem.seeker_position, n_e + n_s + freed,
            n_e + n_s + n_p + problem.move_course[trained], np.full(n_m, n_e + n_s + n_p + n_c)]
    cols = [moves, arcs, moves, arcs, moves, trained, moves]
    vals = [np.ones(n_m), np.ones(n_a), np.ones(n_m), np.ones(n_a), -np.ones(n_m),
            np.ones(trained.size), problem.move_cost.astype(float)]
    budget = np.inf if problem.budget is None else float(problem.budget)
    upper = np.concatenate([np.ones(n_e + n_s), problem.open_position.astype(float),
                            problem.course_seats.astype(float), [budget]])
    matrix = sparse.csc_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                               shape=(upper.size, n_m + n_a))
    return matrix, upper


def mip_chain_arcs(problem: ChainProblem, gains: np.ndarray, *, abs_gap: float = 0.0,
                   time_limit: float = 30.0) -> tuple[np.ndarray, np.ndarray] | None:
    """Chosen move per employee and arc per seeker (-1 for none) maximising ``gains`` per column.

    HiGHS stops once the solution is within ``abs_gap`` of the bound: the planner passes half
    a job seeker's bonus, so the number entering is proven optimal while the lesser aims
    (shortage filled, cheap training) may be left a little short of it.

    None when HiGHS finds no feasible solution within ``time_limit`` seconds (the best one found
    by then is returned otherwise).
    """
    import highspy

    matrix, upper = _matrix(problem)
    if matrix.shape[1] == 0:  # nothing to choose (HiGHS reports no solution for an empty model)
        return _split(problem, np.zeros(0, bool))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = matrix.shape[1], matrix.shape[0]
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = gains.astype(float)
    lp.col_lower_, lp.col_upper_ = np.zeros(matrix.shape[1]), np.ones(matrix.shape[1])
    lp.row_lower_, lp.row_upper_ = np.full(upper.size, -np.inf), upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data
    lp.integrality_ = [highspy.HighsVarType.kInteger] * matrix.shape[1]
    h = quiet_highs()
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", float(abs_gap))
    h.passModel(lp)
    h.run()
    values = np.asarray(h.getSolution().col_value)
    if values.size != matrix.shape[1] or not h.getInfo().primal_solution_status:
        return None
    return _split(problem, values > 0.5)


def _split(problem: ChainProblem, used: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    move_of = np.full(problem.n_employees, -1, np.int64)
    seeker_arc_of = np.full(problem.n_seekers, -1, np.int64)
    moves, arcs = np.flatnonzero(used[:problem.n_moves]), np.flatnonzero(used[problem.n_moves:])
    move_of[problem.move_employee[moves]] = moves
    seeker_arc_of[problem.seeker[arcs]] = arcs
    return move_of, seeker_arc_of
