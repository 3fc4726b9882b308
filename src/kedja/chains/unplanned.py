"""The unplanned baseline: upskilling without chain planning.

What happens when employees upskill on their own (:func:`employee_choices`, the documented
rules): every employee with a step up into an open position applies for it; applications are
served best move first (highest tie-break value, i.e. the biggest step up), then cheapest course,
then in the order the employees are listed (first come, first served), within the courses' seats
and the budget, each open position once; nobody plans what happens to the jobs they leave, and
an employee never moves into a job another mover frees. Then job seekers go into whatever is
vacant (freed jobs and open positions left): by default optimally, one min-cost flow
(:func:`kedja.chains.counterfactuals.hires_into_vacancies`), so that the comparison with the
planned chains measures planning and not matching; ``matching="greedy"`` hires by fit, best
first, one round (the baseline before the counterfactuals were made honest). Chains are at most
two steps long. Time O(A log A) for A arcs, plus one flow.

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

__all__ = ["employee_choices", "unplanned_chains"]


def employee_choices(problem: ChainProblem) -> np.ndarray:
    """Employees into open positions, best value then cheapest first, within seats and budget (see module)."""
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


def unplanned_chains(problem: ChainProblem, matching: str = "optimal") -> ChainPlan:
    """The plan that upskilling without chain planning gives (see module docstring).

    ``matching`` is ``"optimal"`` (job seekers by one flow) or ``"greedy"`` (by fit, best first).
    """
    from kedja.chains.counterfactuals import hires_into_vacancies

    move_of = employee_choices(problem)
    optimal = matching == "optimal"
    hires = hires_into_vacancies(problem, move_of) if optimal else _greedy_hires(problem, move_of)
    return plan_from_arcs(problem, move_of, hires, "unplanned" if optimal else "unplanned_greedy")
