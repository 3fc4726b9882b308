"""The vacancy-chain model: positions, employees, upskilling moves, job seekers, and a plan.

Everything is an index into numpy arrays, so a region of 60,000 employees stays cheap; the
services layer keeps the ids and labels that go with the indices.

- **Positions** ``0 .. n_positions-1``: every employee's own position (held), and the open
  qualified positions (``open_position[p]``), some of them in shortage occupations.
- **Employees** ``0 .. n_employees-1``: ``own_position[e]`` is the job they hold; it opens when
  they move.
- **Moves** (one per arc): employee ``move_employee[k]`` may take position ``move_position[k]``
  after course ``move_course[k]`` (``-1`` for none) costing ``move_cost[k]``; ``move_value[k] ≥ 0``
  is a small tie-break (for instance the skill gain).
- **Seeker arcs**: job seeker ``seeker[k]`` may fill position ``seeker_position[k]`` with fit
  ``seeker_fit[k]`` in [0, 1] (matching supplies reach and scores).

Examples:
    >>> problem = ChainProblem(
    ...     n_positions=3, open_position=np.array([False, False, True]),
    ...     own_position=np.array([0, 1]),
    ...     move_employee=np.array([1]), move_position=np.array([2]), move_course=np.array([0]),
    ...     move_cost=np.array([30_000.0]), course_seats=np.array([5]),
    ...     n_seekers=1, seeker=np.array([0]), seeker_position=np.array([1]),
    ...     seeker_fit=np.array([0.8]))
    >>> problem.n_employees, problem.n_moves
    (2, 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from kedja.core.errors import InvalidInput

__all__ = ["Chain", "ChainPlan", "ChainProblem", "ChainStep"]


def _check_index(values: np.ndarray, size: int, name: str) -> None:
    if values.size and (values.min() < 0 or values.max() >= size):
        bad = int(values[(values < 0) | (values >= size)][0])
        raise InvalidInput(f"'{bad}' is outside 0..{size - 1}", field=name, value=bad,
                           hint=f"index {name} from 0 to {size - 1}")


@dataclass(frozen=True)
class ChainProblem:
    """Positions, employees, upskilling moves and job seekers' candidate arcs (see module)."""

    n_positions: int
    open_position: np.ndarray
    own_position: np.ndarray
    move_employee: np.ndarray
    move_position: np.ndarray
    move_course: np.ndarray
    move_cost: np.ndarray
    course_seats: np.ndarray
    n_seekers: int
    seeker: np.ndarray
    seeker_position: np.ndarray
    seeker_fit: np.ndarray
    shortage: np.ndarray | None = None
    move_value: np.ndarray | None = None
    budget: float | None = None
    max_chain_length: int | None = None
    freed_job_weight: float = 1.0
    """What a job seeker entering a job a move freed is worth against one entering an open post:
    the chance that the freed job really goes to the plan's job seeker (1 − displacement −
    withdrawal, :mod:`kedja.chains.effects`); 1 plans as if every freed job were certain."""

    def __post_init__(self) -> None:
        if not 0.0 < self.freed_job_weight <= 1.0:
            raise InvalidInput(f"'{self.freed_job_weight}' is not a weight in (0, 1]",
                               field="freed_job_weight", value=self.freed_job_weight,
                               hint="give the chance a freed job reaches a job seeker")
        if self.open_position.shape != (self.n_positions,):
            raise InvalidInput("open_position needs one flag per position", field="open_position",
                               hint=f"give {self.n_positions} booleans")
        self._check_arcs()
        held = self.own_position
        if np.unique(held).size != held.size or self.open_position[held].any():
            raise InvalidInput("two employees hold one position, or an open position is held",
                               field="own_position", hint="give every employee a distinct, held position")
        if self.max_chain_length is not None and self.max_chain_length < 1:
            raise InvalidInput(f"'{self.max_chain_length}' is not a chain length",
                               field="max_chain_length", value=self.max_chain_length,
                               hint="give at least 1, or None for no limit")

    def _check_arcs(self) -> None:
        moves = (self.move_employee, self.move_position, self.move_course, self.move_cost)
        seekers = (self.seeker, self.seeker_position, self.seeker_fit)
        if len({a.shape for a in moves}) != 1 or len({a.shape for a in seekers}) != 1:
            raise InvalidInput("arc arrays differ in length", field="arcs",
                               hint="give one employee, position, course and cost per move, and "
                                    "one seeker, position and fit per seeker arc")
        _check_index(self.own_position, self.n_positions, "own_position")
        _check_index(self.move_employee, self.n_employees, "move_employee")
        _check_index(self.move_position, self.n_positions, "move_position")
        _check_index(self.move_course[self.move_course >= 0], self.course_seats.size, "move_course")
        _check_index(self.seeker, max(self.n_seekers, 1), "seeker")
        _check_index(self.seeker_position, self.n_positions, "seeker_position")

    @property
    def n_employees(self) -> int:
        """How many employees."""
        return int(self.own_position.size)

    @property
    def n_moves(self) -> int:
        """How many candidate upskilling moves."""
        return int(self.move_employee.size)

    def shortage_flags(self) -> np.ndarray:
        """Shortage flag per position (all False when none given)."""
        return np.zeros(self.n_positions, bool) if self.shortage is None else self.shortage

    def move_values(self) -> np.ndarray:
        """Tie-break value per move (all 0 when none given)."""
        return np.zeros(self.n_moves) if self.move_value is None else self.move_value


@dataclass(frozen=True)
class ChainStep:
    """One step: ``person`` (an employee, or a job seeker when ``seeker``) takes ``position``."""

    person: int
    position: int
    seeker: bool
    course: int = -1
    cost: float = 0.0


@dataclass(frozen=True)
class Chain:
    """Steps top-down: step 1 fills an open position, each next step the job the last one left.

    ``end`` is ``"job_seeker"`` (a job seeker takes the last freed job), ``"open_position"`` (the
    last freed job stays open) or ``"cycle"`` (a swap: the last freed job is the first position).
    """

    steps: tuple[ChainStep, ...]
    end: str


@dataclass(frozen=True)
class ChainPlan:
    """Who moves (``move_of[e]``: a move arc or -1), who enters (``seeker_arc_of[s]``), the chains."""

    move_of: np.ndarray
    seeker_arc_of: np.ndarray
    chains: list[Chain] = field(default_factory=list)
    method: str = ""
    summary: dict[str, float] = field(default_factory=dict)
