"""HiGHS without its console noise: the banner it prints from C++ would corrupt JSON on stdout.

HiGHS prints its banner when the first solver of the process is made (later ones print nothing)
and its log only while ``output_flag`` is on. So stdout is closed once per process, for the
first construction, under a lock: two solves at once in the server never swap the process's
stdout around each other, and every later solver is made without touching it. The log is then
off through HiGHS's own ``output_flag`` option.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

__all__ = ["quiet_highs"]

_first = threading.Lock()
_banner_shown = False


def _first_solver() -> Any:
    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def quiet_highs() -> Any:
    """A ``highspy.Highs`` solver with its output turned off (thread-safe)."""
    global _banner_shown
    import highspy

    if _banner_shown:
        solver = highspy.Highs()
    else:
        with _first:
            solver = highspy.Highs() if _banner_shown else _first_solver()
            _banner_shown = True
    solver.setOptionValue("output_flag", False)
    return solver
