"""Numerical-solver plumbing shared by the engines (a layer below them, above ``core``)."""

from kedja.solvers.highs import quiet_highs

__all__ = ["quiet_highs"]
