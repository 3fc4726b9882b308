"""An independent checker for chain plans.

It recounts everything from the plan's arcs and walks the plan's own chains, without the
optimiser's code: each position filled at most once (a staying holder counts), each person in
at most one step, every step along a candidate arc, seats and budget respected, and every chain
well-formed: it starts at an open position (or is a cycle), each next step fills the job the
previous employee left, it ends in a job seeker or a job left open, and it is no longer than the
maximum chain length. Time O(employees + seekers + positions).

Examples:
    >>> from kedja.chains.synthetic import care_chain_problem
    >>> from kedja.chains.optimise import optimise_chains
    >>> problem = care_chain_problem()
    >>> is_valid_chain_plan(problem, optimise_chains(problem))
    True
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from kedja.chains.model import Chain, ChainPlan, ChainProblem

__all__ = ["is_valid_chain_plan"]


def _arcs_valid(problem: ChainProblem, plan: ChainPlan) -> bool:
    movers, seekers = np.flatnonzero(plan.move_of >= 0), np.flatnonzero(plan.seeker_arc_of >= 0)
    moves, hires = plan.move_of[movers], plan.seeker_arc_of[seekers]
    if plan.move_of.shape != (problem.n_employees,) or plan.seeker_arc_of.shape != (problem.n_seekers,):
        return False
    if (moves >= problem.n_moves).any() or (hires >= problem.seeker.size).any():
        return False
    return bool((problem.move_employee[moves] == movers).all() and (problem.seeker[hires] == seekers).all())


def _capacities_valid(problem: ChainProblem, plan: ChainPlan) -> bool:
    moves = plan.move_of[plan.move_of >= 0]
    stayers = problem.own_position[plan.move_of < 0]
    filled = np.concatenate([stayers, problem.move_position[moves],
                             problem.seeker_position[plan.seeker_arc_of[plan.seeker_arc_of >= 0]]])
    if np.bincount(filled, minlength=problem.n_positions).max(initial=0) > 1:
        return False
    courses = problem.move_course[moves]
    if (np.bincount(courses[courses >= 0], minlength=problem.course_seats.size) > problem.course_seats).any():
        return False
    return problem.budget is None or float(problem.move_cost[moves].sum()) <= problem.budget + 1e-6


def _chain_valid(problem: ChainProblem, plan: ChainPlan, chain: Chain, filled: set) -> bool:
    steps = chain.steps
    if not steps or (problem.max_chain_length is not None and len(steps) > problem.max_chain_length):
        return False
    for before, after in pairwise(steps):
        if before.seeker or after.position != problem.own_position[before.person]:
            return False
    for s in steps:
        arc = plan.seeker_arc_of[s.person] if s.seeker else plan.move_of[s.person]
        where = problem.seeker_position if s.seeker else problem.move_position
        if arc < 0 or where[arc] != s.position:
            return False
    last = steps[-1]
    if chain.end == "job_seeker":
        return last.seeker and bool(problem.open_position[steps[0].position])
    if chain.end == "cycle":
        return not last.seeker and problem.own_position[last.person] == steps[0].position
    starts_open = bool(problem.open_position[steps[0].position])
    return (chain.end == "open_position" and not last.seeker and starts_open
            and int(problem.own_position[last.person]) not in filled)


def is_valid_chain_plan(problem: ChainProblem, plan: ChainPlan) -> bool:
    """Whether ``plan`` is feasible for ``problem`` and its chains cover its moves exactly once."""
    if not (_arcs_valid(problem, plan) and _capacities_valid(problem, plan)):
        return False
    moves, hires = plan.move_of[plan.move_of >= 0], plan.seeker_arc_of[plan.seeker_arc_of >= 0]
    filled = set(problem.move_position[moves].tolist()) | set(problem.seeker_position[hires].tolist())
    if not all(_chain_valid(problem, plan, c, filled) for c in plan.chains):
        return False
    people = [(s.seeker, s.person) for c in plan.chains for s in c.steps]
    expected = {(False, int(e)) for e in np.flatnonzero(plan.move_of >= 0)}
    expected |= {(True, int(s)) for s in np.flatnonzero(plan.seeker_arc_of >= 0)}
    return len(people) == len(set(people)) and set(people) == expected
