"""What would happen without the plan: the counterfactuals a planned chain is measured against.

Three strategies on one problem, each with *optimal* matching of job seekers, so that the
difference between them is the upskilling and its planning, not the matching:

- (a) :func:`no_upskilling_plan`: nobody trains; job seekers go into the open positions by one
  min-cost flow (most entrants, then most open shortage positions, then best fit);
- (b) :func:`unplanned_plan`: employees upskill as they would without a plan (the rules of
  :func:`kedja.chains.unplanned.employee_choices`), then job seekers go optimally into what is
  vacant: the open positions nobody took and the jobs the movers left;
- (c) the planned chains (:func:`kedja.chains.optimise_chains`).

(a) is a feasible plan of (c)'s problem (everyone stays), so without binding seats, budget or
length the plan lets in at least as many job seekers as (a); when a side constraint binds the
optimiser keeps (a) among its candidates too (see :func:`kedja.chains.optimise_chains`).

Examples:
    >>> from kedja.chains.synthetic import care_chain_problem
    >>> problem = care_chain_problem()
    >>> no_upskilling_plan(problem).summary["job_seekers_entering"]
    0
    >>> unplanned_plan(problem).summary["job_seekers_entering"]  # the freed job is not the seeker's
    0
"""

from __future__ import annotations

import numpy as np

from kedja.chains.model import ChainPlan, ChainProblem
from kedja.chains.plans import plan_from_arcs

__all__ = ["hires_into_vacancies", "no_upskilling_plan", "optimal_hires", "unplanned_plan"]


def hires_into_vacancies(problem: ChainProblem, move_of: np.ndarray) -> np.ndarray:
    """Job seekers' arcs (-1 for none) chosen optimally once the moves ``move_of`` are fixed.

    Vacant are the open positions no mover took and, when chains of two steps are allowed, the
    jobs the movers left. See :func:`optimal_hires`.
    """
    moved = move_of >= 0
    vacant = problem.open_position.copy()
    vacant[problem.move_position[move_of[moved]]] = False
    if problem.max_chain_length is None or problem.max_chain_length >= 2:
        vacant[problem.own_position[moved]] = True
    return optimal_hires(problem, vacant, np.full(problem.n_seekers, -1, np.int64))


def optimal_hires(problem: ChainProblem, vacant: np.ndarray, seeker_arc_of: np.ndarray) -> np.ndarray:
    """``seeker_arc_of`` with the job seekers still out (-1) placed optimally into ``vacant`` positions.

    One min-cost flow over the arcs of the job seekers still out into vacant positions, with the
    planned chains' objective (most entrants, then most open shortage positions, then best fit).
    Time: one flow over those arcs (OR-Tools ``SimpleMinCostFlow``).
    """
    from kedja.chains.optimise import solve_flow

    arcs = np.flatnonzero((seeker_arc_of[problem.seeker] < 0) & vacant[problem.seeker_position])
    held = np.flatnonzero(~vacant & ~problem.open_position)
    none = np.zeros(0, np.int64)
    fixed = ChainProblem(
        n_positions=problem.n_positions, open_position=vacant, own_position=held,
        move_employee=none, move_position=none, move_course=none, move_cost=np.zeros(0),
        course_seats=problem.course_seats, n_seekers=problem.n_seekers, seeker=problem.seeker[arcs],
        seeker_position=problem.seeker_position[arcs], seeker_fit=problem.seeker_fit[arcs],
        shortage=problem.shortage)
    chosen = solve_flow(fixed)[1]
    result = seeker_arc_of.copy()
    placed = chosen >= 0
    result[placed] = arcs[chosen[placed]]
    return result


def no_upskilling_plan(problem: ChainProblem) -> ChainPlan:
    """(a) Nobody trains; job seekers are matched optimally into the open positions."""
    move_of = np.full(problem.n_employees, -1, np.int64)
    return plan_from_arcs(problem, move_of, hires_into_vacancies(problem, move_of), "no_upskilling")


def unplanned_plan(problem: ChainProblem) -> ChainPlan:
    """(b) Employees upskill on their own; job seekers are matched optimally into what is vacant."""
    from kedja.chains.unplanned import employee_choices

    move_of = employee_choices(problem)
    return plan_from_arcs(problem, move_of, hires_into_vacancies(problem, move_of), "unplanned")
