"""Vacancy chains and job rotation.

Upskill the employed and open their jobs to people without one: :func:`optimise_chains` plans
region-wide chains in one min-cost flow, :func:`unplanned_chains` is the baseline without chain
planning, and :func:`is_valid_chain_plan` checks any plan independently.

This engine is pure: core types in, results out; it never imports the store, web or CLI.
"""

from kedja.chains.checker import is_valid_chain_plan
from kedja.chains.model import Chain, ChainPlan, ChainProblem, ChainStep
from kedja.chains.optimise import optimise_chains
from kedja.chains.plans import plan_from_arcs, plan_summary
from kedja.chains.synthetic import care_chain_problem, synthetic_chain_problem
from kedja.chains.unplanned import unplanned_chains

__all__ = [
    "Chain",
    "ChainPlan",
    "ChainProblem",
    "ChainStep",
    "care_chain_problem",
    "is_valid_chain_plan",
    "optimise_chains",
    "plan_from_arcs",
    "plan_summary",
    "synthetic_chain_problem",
    "unplanned_chains",
]
