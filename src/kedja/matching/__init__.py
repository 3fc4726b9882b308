"""Each person's next step: reach, hard constraints, explained scores and a fair allocation.

This engine is pure: core types in, results out; it never imports the store, web or CLI, and
it never reads protected attributes (the equal-treatment audit receives group labels from the
caller).
"""

from kedja.matching.allocation import (
    Allocation,
    AllocationProblem,
    greedy_allocation,
    is_feasible_allocation,
    optimal_allocation,
)
from kedja.matching.fairness import audit_allocation
from kedja.matching.planner import (
    MatchingData,
    Pathway,
    RegionAllocation,
    allocate_region,
    person_pathways,
    placed_kinds,
    prepare_matching,
    prepare_people,
)
from kedja.matching.reach import TravelModel, TravelTimes

__all__ = [
    "Allocation",
    "AllocationProblem",
    "MatchingData",
    "Pathway",
    "RegionAllocation",
    "TravelModel",
    "TravelTimes",
    "allocate_region",
    "audit_allocation",
    "greedy_allocation",
    "is_feasible_allocation",
    "optimal_allocation",
    "person_pathways",
    "placed_kinds",
    "prepare_matching",
    "prepare_people",
]
