"""HiGHS without its console noise: the banner it prints from C++ would corrupt JSON on stdout."""

from __future__ import annotations

import os
import sys
from typing import Any

__all__ = ["quiet_highs"]


def quiet_highs() -> Any:
    """A ``highspy.Highs`` solver, made with stdout closed and with its output turned off."""
    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            solver = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    solver.setOptionValue("output_flag", False)
    return solver
