"""Planned vacancy chains: one min-cost flow, then a repair for seats, budget and chain length.

The network (one unit of flow per person): every employee sends their unit either along a
zero-cost "stay" arc to their own position or along a move arc to another position; every job
seeker sends theirs to a position (gain ``W``, the seeker bonus, plus the fit) or straight to
the sink (stays out); each position passes at most one unit to the sink, gaining its fill value
(2 for an open shortage position, 1 for another open position, 0 for a held one). A move thus
frees the mover's own position for the next person, and chains and swaps come out of one solve
(OR-Tools ``SimpleMinCostFlow``, Goldberg's cost scaling; time about O(E log(nC)) for E arcs).
``W`` exceeds every other gain together, so the flow first maximises job seekers entering, then
open (shortage) positions filled, then the moves' tie-break values.

Training seats, a budget and a maximum chain length are side constraints that a flow cannot
hold. When one binds, :func:`optimise_chains` repairs the flow's plan greedily, and when seats or
the budget bind on an instance of at most 50,000 arcs it also solves the same objective with
those rows as a HiGHS MIP (:mod:`kedja.chains.mip`, time-limited) and keeps the better plan.
The repair: chains are
admitted best first (ending in a job seeker; then the cheapest, or, in a second try, the longest,
since a seat at the top of a longer chain upskills more people), step by step; a step that would
exceed seats, budget or length is refused, the chain stops there and the job it would have freed
goes to a job seeker left over, if one can take it; a last pass gives the positions still vacant
to the job seekers still out by one more flow (the most entrants, then best fit). The better of
the two tries is kept, or the plan without upskilling if it lets in more job seekers (doing
nothing is always feasible). The repair keeps feasibility at any size; it is not optimal when
constraints bind.

Examples:
    >>> from kedja.chains.synthetic import care_chain_problem
    >>> plan = optimise_chains(care_chain_problem())
    >>> [(s.person, s.position, s.seeker) for s in plan.chains[0].steps]
    [(1, 2, False), (0, 1, False), (0, 0, True)]
    >>> plan.summary["job_seekers_entering"], plan.summary["multiplier"]
    (1, 3.0)
"""

from __future__ import annotations

import time

import numpy as np

from kedja.chains.counterfactuals import no_upskilling_plan
from kedja.chains.mip import mip_chain_arcs
from kedja.chains.model import Chain, ChainPlan, ChainProblem
from kedja.chains.plans import plan_from_arcs
from kedja.core.errors import Infeasible

__all__ = ["optimise_chains", "solve_flow"]

SCALE = 1_000
"""Integer cost units per unit of value (fits and tie-breaks are kept to three decimals)."""


def _arc_costs(problem: ChainProblem) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Integer costs of move arcs, seeker arcs and position → sink arcs, and the seeker bonus.

    A job seeker entering a job a move freed gains ``freed_job_weight`` × the bonus (the chance the
    freed job reaches them); the bonus is scaled so that even that exceeds all lesser gains together.
    """
    fill = problem.open_position * (1 + problem.shortage_flags())
    relative_cost = problem.move_cost / max(float(problem.move_cost.max(initial=0.0)), 1.0)
    move_gain = np.round(SCALE * problem.move_values()) - np.round(relative_cost * SCALE / 4)
    fit_gain = np.round(SCALE * np.clip(problem.seeker_fit, 0.0, 1.0))
    lesser = SCALE * (2 * fill.sum() + 1) + np.clip(move_gain, 0, None).sum() + fit_gain.sum()
    bonus = int(lesser / problem.freed_job_weight) + 1
    weight = np.where(problem.open_position[problem.seeker_position], 1.0, problem.freed_job_weight)
    fill_gain = (SCALE * fill).astype(np.int64)
    seeker_gain = np.round(bonus * weight) + fit_gain
    return -move_gain.astype(np.int64), -seeker_gain.astype(np.int64), -fill_gain, bonus


def solve_flow(problem: ChainProblem, move_price: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Chosen move per employee and arc per seeker (-1 for none) from one min-cost flow.

    ``move_price`` (cost units per move arc) is added to the moves' costs: the Lagrangian price of
    the seats and money they use (see :func:`_priced`).
    """
    from ortools.graph.python import min_cost_flow

    n_e, n_s, n_p = problem.n_employees, problem.n_seekers, problem.n_positions
    move_cost, seeker_cost, fill_cost, _ = _arc_costs(problem)
    if move_price is not None:
        move_cost = move_cost + move_price
    off, sink = n_e + n_s, n_e + n_s + n_p
    tails = np.concatenate([problem.move_employee, n_e + problem.seeker, np.arange(n_e),
                            n_e + np.arange(n_s), off + np.arange(n_p)])
    heads = np.concatenate([off + problem.move_position, off + problem.seeker_position,
                            off + problem.own_position, np.full(n_s, sink), np.full(n_p, sink)])
    costs = np.concatenate([move_cost, seeker_cost, np.zeros(n_e + n_s, np.int64), fill_cost])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32),
                                              np.ones(tails.size, np.int64), costs.astype(np.int64))
    supplies = np.ones(sink + 1, np.int64)
    supplies[off:], supplies[sink] = 0, -(n_e + n_s)
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise Infeasible(f"the chain flow ended with status {status}", field="chains",
                         hint="every employee can stay; check that own positions are distinct")
    used = flow.flows(np.arange(problem.n_moves + problem.seeker.size, dtype=np.int32)) > 0
    return _chosen(problem.move_employee, used[:problem.n_moves], n_e), \
        _chosen(problem.seeker, used[problem.n_moves:], n_s)


def _chosen(owner: np.ndarray, used: np.ndarray, n: int) -> np.ndarray:
    chosen = np.full(n, -1, np.int64)
    arcs = np.flatnonzero(used)
    chosen[owner[arcs]] = arcs
    return chosen


def _binding(problem: ChainProblem, move_of: np.ndarray, plan: ChainPlan) -> bool:
    longest = max((len(c.steps) for c in plan.chains), default=0)
    too_long = problem.max_chain_length is not None and longest > problem.max_chain_length
    return too_long or _seats_or_budget_bind(problem, move_of)


EXACT_LIMIT = 50_000
"""Largest number of arcs for which a binding seat or budget limit is solved exactly (MIP)."""


def optimise_chains(problem: ChainProblem, *, exact_limit: int = EXACT_LIMIT,
                    time_limit: float = 10.0, price_rounds: int = 3) -> ChainPlan:
    """The planned chains: exact min-cost flow; a MIP or a greedy repair if a side constraint binds.

    When seats or the budget bind and the problem has at most ``exact_limit`` arcs, the same
    objective is also solved with those rows by HiGHS (:mod:`kedja.chains.mip`, at most
    ``time_limit`` seconds), and the better of the MIP's plan and the repaired flow plan is kept
    (more job seekers entering, then more shortage positions filled). At any size, binding seats
    or money are also priced (``price_rounds`` Lagrangian rounds, :func:`_priced`), and the best
    plan of all is kept. A binding chain length is handled by the repair alone (see module
    docstring). Time: the flow, the repair
    (O(steps · log steps)) and, below the limit, the MIP (exponential in the worst case).
    """
    move_of, seeker_arc_of = solve_flow(problem)
    plan = plan_from_arcs(problem, move_of, seeker_arc_of, "min_cost_flow")
    if not _binding(problem, move_of, plan):
        return plan
    repaired = max((_repaired(problem, plan), no_upskilling_plan(problem)), key=_plan_rank)
    if price_rounds > 0 and _seats_or_budget_bind(problem, move_of):
        repaired = max((repaired, _priced(problem, move_of, price_rounds, time_limit)), key=_plan_rank)
    if problem.n_moves + problem.seeker.size > exact_limit or not _seats_or_budget_bind(problem, move_of):
        return repaired
    bonus = _arc_costs(problem)[3]
    exact = mip_chain_arcs(problem, _column_gains(problem), abs_gap=0.5 * bonus, time_limit=time_limit)
    if exact is None:
        return repaired
    mip = plan_from_arcs(problem, *exact, "mip")
    if _binding(problem, exact[0], mip):
        mip = _repaired(problem, mip)
    return max((repaired, mip), key=_plan_rank)


def _usage(problem: ChainProblem, move_of: np.ndarray) -> tuple[np.ndarray, float]:
    """Seats taken per course and money spent by the chosen moves."""
    moved = move_of[move_of >= 0]
    courses = problem.move_course[moved]
    return (np.bincount(courses[courses >= 0], minlength=problem.course_seats.size),
            float(problem.move_cost[moved].sum()))


def _priced(problem: ChainProblem, move_of: np.ndarray, rounds: int, time_limit: float) -> ChainPlan:
    """The best plan of a few Lagrangian rounds: seats and money get a price, the flow is solved again.

    A course whose seats the flow overbooks gets a price per seat (in cost units, added to every
    move that takes it), the budget a price per SEK; prices rise by a subgradient step with the
    overbooking and fall where seats or money are left, the step halving each round. Each
    round's plan is repaired if it still breaks a limit. With the right prices, the flow itself
    chooses which chains get the scarce seats (e.g. a longer chain that upskills a care assistant
    and lets in one more job seeker, where the repair would cut it). Time: at most ``rounds``
    flows, and no new round after ``time_limit`` seconds. On the demo region the first round
    already finds the best plan.
    """
    started = time.perf_counter()
    bonus = _arc_costs(problem)[3]
    seats = problem.course_seats.astype(float)
    seat_price = np.zeros(seats.size)
    money_price = 0.0
    mean_cost = max(float(problem.move_cost.mean()) if problem.n_moves else 1.0, 1.0)
    best: ChainPlan | None = None
    step = 0.5 * bonus
    for _ in range(rounds):
        used, spent = _usage(problem, move_of)
        seat_price = np.maximum(0.0, seat_price + step * (used - seats) / np.maximum(seats, 1.0))
        if problem.budget is not None:
            money_price = max(0.0, money_price + step * (spent - problem.budget) / max(problem.budget, 1.0))
        course = problem.move_course
        price = np.where(course >= 0, seat_price[np.maximum(course, 0)], 0.0)
        price += money_price * problem.move_cost / mean_cost
        move_of, seeker_arc_of = solve_flow(problem, np.round(price).astype(np.int64))
        plan = plan_from_arcs(problem, move_of, seeker_arc_of, "min_cost_flow+prices")
        if _binding(problem, move_of, plan):
            plan = _repaired(problem, plan)
            plan = ChainPlan(plan.move_of, plan.seeker_arc_of, plan.chains, "min_cost_flow+prices+repair",
                             plan.summary)
        if best is None or _plan_rank(plan) > _plan_rank(best):
            best = plan
        step /= 2
        if time.perf_counter() - started > time_limit:
            break
    assert best is not None
    return best


def _plan_rank(plan: ChainPlan) -> tuple[float, float, float, float, bool]:
    """More expected entrants, more entering, more shortage filled, more upskilled; the MIP's on a tie."""
    s = plan.summary
    return (round(s["expected_entrants"], 6), s["job_seekers_entering"], s["shortage_positions_filled"],
            s["upskilled"], plan.method.startswith("mip"))


def _seats_or_budget_bind(problem: ChainProblem, move_of: np.ndarray) -> bool:
    seats, spent = _usage(problem, move_of)
    over_budget = problem.budget is not None and spent > problem.budget
    return bool((seats > problem.course_seats).any() or over_budget)


def _column_gains(problem: ChainProblem) -> np.ndarray:
    """The flow's objective per MIP column (moves, then seeker arcs), fill value included."""
    move_cost, seeker_cost, fill_cost, _ = _arc_costs(problem)
    return -np.concatenate([move_cost + fill_cost[problem.move_position],
                            seeker_cost + fill_cost[problem.seeker_position]]).astype(float)


class _Budget:
    """Seats, money and chain length left while chains are admitted."""

    def __init__(self, problem: ChainProblem) -> None:
        self.seats = problem.course_seats.astype(np.int64).copy()
        self.money = np.inf if problem.budget is None else float(problem.budget)
        self.length = problem.max_chain_length or np.iinfo(np.int64).max

    def take(self, course: int, cost: float, steps_after: int) -> bool:
        """Book a move if seats, money and length allow (``steps_after``: chain length with it)."""
        if steps_after > self.length or cost > self.money + 1e-9 or (course >= 0 and self.seats[course] < 1):
            return False
        self.money -= cost
        if course >= 0:
            self.seats[course] -= 1
        return True


def _chain_order(chain: Chain, cheapest: bool) -> tuple:
    """Chains ending in a job seeker first, then the cheapest or the longest, cheapest per step next.

    A seat at the top of a longer chain upskills more people; money buys more entrants in cheap chains.
    """
    cost = sum(s.cost for s in chain.steps)
    return (chain.end != "job_seeker", cost if cheapest else -len(chain.steps), cost / len(chain.steps))


def _repaired(problem: ChainProblem, plan: ChainPlan) -> ChainPlan:
    """The better of the repairs that admit the cheapest or the longest chains first."""
    return max((_repaired_in_order(problem, plan, cheapest) for cheapest in (True, False)), key=_plan_rank)


def _repaired_in_order(problem: ChainProblem, plan: ChainPlan, cheapest: bool) -> ChainPlan:
    """Chains admitted best first within seats, budget and length, then the vacancies filled.

    Cut chains end in a spare seeker, and a last pass gives the jobs still vacant to the job
    seekers still out, by one flow.
    """
    left = _Budget(problem)
    move_of = np.full(problem.n_employees, -1, np.int64)
    seeker_arc_of = np.full(problem.n_seekers, -1, np.int64)
    spare = _SpareSeekers(problem, plan.seeker_arc_of)
    for chain in sorted(plan.chains, key=lambda c: _chain_order(c, cheapest)):
        if chain.end == "cycle":
            _admit_cycle(chain, plan, left, move_of)
            continue
        for index, step in enumerate(chain.steps):
            if step.seeker:
                seeker_arc_of[step.person] = plan.seeker_arc_of[step.person]
                break
            last = index + 1 == len(chain.steps)
            if not left.take(step.course, step.cost, index + (1 if last else 2)):
                spare.release(chain.steps[index:])
                spare.fill(step.position, seeker_arc_of)
                break
            move_of[step.person] = plan.move_of[step.person]
    seeker_arc_of = _fill_vacancies(problem, move_of, seeker_arc_of)
    return plan_from_arcs(problem, move_of, seeker_arc_of, "min_cost_flow+repair")


def _fill_vacancies(problem: ChainProblem, move_of: np.ndarray, seeker_arc_of: np.ndarray) -> np.ndarray:
    """Job seekers still out into open positions nobody took and jobs movers left, by one flow.

    Vacant: every open position and every job a mover left that no step fills; with a maximum
    chain length, a job left at the end of a chain already that long stays empty. The job
    seekers still out go there optimally (:func:`~kedja.chains.counterfactuals.optimal_hires`).
    """
    from kedja.chains.counterfactuals import optimal_hires

    moved = move_of >= 0
    vacant = problem.open_position.copy()
    vacant[problem.own_position[moved]] = True
    if problem.max_chain_length is not None:
        interim = plan_from_arcs(problem, move_of, seeker_arc_of, "")
        for chain in interim.chains:
            if chain.end == "open_position" and len(chain.steps) >= problem.max_chain_length:
                vacant[problem.own_position[chain.steps[-1].person]] = False
    vacant[problem.move_position[move_of[moved]]] = False
    vacant[problem.seeker_position[seeker_arc_of[seeker_arc_of >= 0]]] = False
    return optimal_hires(problem, vacant, seeker_arc_of)


def _admit_cycle(chain: Chain, plan: ChainPlan, left: _Budget, move_of: np.ndarray) -> None:
    """A swap is taken whole or not at all (a broken cycle frees no job)."""
    steps = chain.steps
    need = np.bincount([s.course for s in steps if s.course >= 0], minlength=left.seats.size)
    cost = sum(s.cost for s in steps)
    if len(steps) <= left.length and (need <= left.seats).all() and cost <= left.money + 1e-9:
        left.seats -= need
        left.money -= cost
        for s in steps:
            move_of[s.person] = plan.move_of[s.person]


class _SpareSeekers:
    """Job seekers the flow left out (or the repair let go), best fit first per position."""

    def __init__(self, problem: ChainProblem, seeker_arc_of: np.ndarray) -> None:
        self.problem = problem
        self.free = seeker_arc_of < 0
        order = np.lexsort((-problem.seeker_fit, problem.seeker_position))
        self.order = order
        self.starts = np.searchsorted(problem.seeker_position[order], np.arange(problem.n_positions + 1))

    def release(self, steps: tuple) -> None:
        for s in steps:
            if s.seeker:
                self.free[s.person] = True

    def fill(self, position: int, seeker_arc_of: np.ndarray) -> None:
        for arc in self.order[self.starts[position]:self.starts[position + 1]]:
            person = self.problem.seeker[arc]
            if self.free[person]:
                self.free[person] = False
                seeker_arc_of[person] = arc
                return
