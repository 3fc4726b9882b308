"""The unplanned baseline: upskilling without chain planning.

What happens when employers upskill on their own: employees take open positions best move
first (highest tie-break value, then cheapest), within seats and budget, each open position once;
nobody plans what happens to the jobs they leave. Then job seekers are hired greedily by fit into
whatever is vacant (freed jobs and open positions left), one round, no further moves. Chains are
at most two steps long. Time O(A log A) for A arcs.

Examples:
    >>> from kedja.chains.synthetic import care_chain_problem
    >>> plan = unplanned_chains(care_chain_problem())
    >>> plan.summary["job_seekers_entering"], plan.summary["upskilled"]
    (0, 1)
"""

from __future__ import annotations

import numpy as np

from kedja.chains.model import ChainPlan, ChainProblem
from kedja.chains.plans import plan_from_arcs

__all__ = ["unplanned_chains"]


def _greedy_moves(problem: ChainProblem) -> np.ndarray:
    """Employees into open positions, best value then cheapest first, within seats and budget."""
    move_of = np.full(problem.n_employees, -1, np.int64)
    vacant = problem.open_position.copy()
    seats = problem.course_seats.astype(np.int64).copy()
    money = np.inf if problem.budget is None else float(problem.budget)
    for k in np.lexsort((problem.move_cost, -problem.move_values())).tolist():
        e, p, c = problem.move_employee[k], problem.move_position[k], problem.move_course[k]
        cost = float(problem.move_cost[k])
        if move_of[e] >= 0 or not vacant[p] or cost > money + 1e-9 or (c >= 0 and seats[c] < 1):
            continue
        move_of[e], vacant[p], money = k, False, money - cost
        if c >= 0:
            seats[c] -= 1
    return move_of


def _greedy_hires(problem: ChainProblem, move_of: np.ndarray) -> np.ndarray:
    """Job seekers by fit into vacant jobs; freed jobs only when chains of two are allowed."""
    vacant = problem.open_position.copy()
    vacant[problem.move_position[move_of[move_of >= 0]]] = False
    if problem.max_chain_length is None or problem.max_chain_length >= 2:
        vacant[problem.own_position[move_of >= 0]] = True
    seeker_arc_of = np.full(problem.n_seekers, -1, np.int64)
    for k in np.argsort(-problem.seeker_fit, kind="stable").tolist():
        s, p = problem.seeker[k], problem.seeker_position[k]
        if seeker_arc_of[s] < 0 and vacant[p]:
            seeker_arc_of[s], vacant[p] = k, False
    return seeker_arc_of


def unplanned_chains(problem: ChainProblem) -> ChainPlan:
    """The plan that upskilling without chain planning gives (see module docstring)."""
    move_of = _greedy_moves(problem)
    return plan_from_arcs(problem, move_of, _greedy_hires(problem, move_of), "unplanned")
