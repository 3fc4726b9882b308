"""From chosen arcs to chains and figures: the plan every strategy returns.

Each filled position is either open from the start or the own job of an employee who moved, so
walking down from the filled open positions (who took it; who took the job they left; ...) gives
every chain; the moves left over form cycles (swaps). Time O(employees + seekers + positions).

Examples:
    >>> from kedja.chains.synthetic import care_chain_problem
    >>> problem = care_chain_problem()  # only the assistant nurse moves; the seeker has no job
    >>> plan = plan_from_arcs(problem, np.array([-1, 0]), np.array([-1]), "hand")
    >>> [(s.person, s.position) for s in plan.chains[0].steps], plan.chains[0].end
    ([(1, 2)], 'open_position')
    >>> plan.summary["upskilled"], plan.summary["shortage_positions_filled"]
    (1, 1)
"""

from __future__ import annotations

import numpy as np

from kedja.chains.model import Chain, ChainPlan, ChainProblem, ChainStep

__all__ = ["plan_from_arcs", "plan_summary"]


def _occupants(problem: ChainProblem, move_of: np.ndarray, seeker_arc_of: np.ndarray) -> dict[int, tuple]:
    """Position → (person, is_seeker) for every position filled by a move or a seeker."""
    taken: dict[int, tuple] = {}
    for e in np.flatnonzero(move_of >= 0).tolist():
        taken[int(problem.move_position[move_of[e]])] = (e, False)
    for s in np.flatnonzero(seeker_arc_of >= 0).tolist():
        taken[int(problem.seeker_position[seeker_arc_of[s]])] = (s, True)
    return taken


def _step(problem: ChainProblem, move_of: np.ndarray, person: int, position: int, seeker: bool) -> ChainStep:
    if seeker:
        return ChainStep(person, position, True)
    arc = move_of[person]
    return ChainStep(person, position, False, int(problem.move_course[arc]), float(problem.move_cost[arc]))


def _walk(problem: ChainProblem, move_of: np.ndarray, taken: dict[int, tuple], start: int) -> Chain:
    """The chain that starts by filling ``start`` (ends when a seeker, a gap or ``start`` comes)."""
    steps, position = [], start
    while True:
        person, seeker = taken[position]
        steps.append(_step(problem, move_of, person, position, seeker))
        if seeker:
            return Chain(tuple(steps), "job_seeker")
        position = int(problem.own_position[person])
        if position == start:
            return Chain(tuple(steps), "cycle")
        if position not in taken:
            return Chain(tuple(steps), "open_position")


def plan_from_arcs(problem: ChainProblem, move_of: np.ndarray, seeker_arc_of: np.ndarray,
                   method: str) -> ChainPlan:
    """The plan with these moves and entries, its chains and summary figures."""
    taken = _occupants(problem, move_of, seeker_arc_of)
    chains = [_walk(problem, move_of, taken, p) for p in sorted(taken) if problem.open_position[p]]
    seen = {s.person for c in chains for s in c.steps if not s.seeker}
    for e in np.flatnonzero(move_of >= 0).tolist():
        if e not in seen:
            cycle = _walk(problem, move_of, taken, int(problem.move_position[move_of[e]]))
            seen.update(s.person for s in cycle.steps)
            chains.append(cycle)
    plan = ChainPlan(move_of, seeker_arc_of, chains, method)
    plan.summary.update(plan_summary(problem, plan))
    return plan


def plan_summary(problem: ChainProblem, plan: ChainPlan) -> dict[str, float]:
    """Upskilled, entering, multiplier, cost per entrant, shortage filled.

    The **multiplier** is White's (*Chains of Opportunity*, 1970): the number of moves one initial
    vacancy sets off, i.e. the mean length of the chains that start at an open position (a direct
    hire is a chain of one). ``entrants_into_freed_jobs_per_upskilled`` is the number of job
    seekers who enter a job that a move freed per upskilled employee: the doors upskilling opens
    at the bottom (before displacement; see :mod:`kedja.chains.effects`).
    """
    moved = plan.move_of[plan.move_of >= 0]
    upskilled = int((problem.move_course[moved] >= 0).sum())
    entering = int((plan.seeker_arc_of >= 0).sum())
    into_freed = sum(c.end == "job_seeker" and len(c.steps) > 1 for c in plan.chains)
    cost = float(problem.move_cost[moved].sum())
    filled = np.concatenate([problem.move_position[moved],
                             problem.seeker_position[plan.seeker_arc_of[plan.seeker_arc_of >= 0]]])
    shortage = problem.shortage_flags() & problem.open_position
    lengths = [len(c.steps) for c in plan.chains if c.end != "cycle"]
    weight = problem.freed_job_weight
    expected = sum(weight ** (len(c.steps) - 1) for c in plan.chains if c.end == "job_seeker")
    return {"upskilled": upskilled, "job_seekers_entering": entering,
            "multiplier": sum(lengths) / len(lengths) if lengths else 0.0,
            "entrants_into_freed_jobs_per_upskilled": into_freed / upskilled if upskilled else 0.0,
            "cost": cost, "cost_per_entrant": cost / entering if entering else 0.0,
            "shortage_positions_filled": int(shortage[filled].sum()),
            "job_seekers_into_freed_jobs": into_freed, "direct_hires": entering - into_freed,
            "open_positions_filled": int(problem.open_position[filled].sum()),
            "expected_entrants": expected,
            "chains": len(plan.chains)}
