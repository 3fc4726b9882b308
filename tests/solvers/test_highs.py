"""The quiet HiGHS solver: no banner on stdout, and stdout is touched at most once per process."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import os, threading
calls = []
real = os.dup2
os.dup2 = lambda a, b: (calls.append(b), real(a, b))[1]
from kedja.solvers import quiet_highs
threads = [threading.Thread(target=quiet_highs) for _ in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
quiet_highs(); quiet_highs()
print("swaps", calls.count(1))
"""


def test_the_banner_is_silenced_and_stdout_swapped_once_whatever_the_threads() -> None:
    # the review: every solve swapped fd 1, unsafe with two solves at once in the server
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            check=True)
    assert "HiGHS" not in result.stdout
    assert result.stdout.strip() == "swaps 2"  # closed and restored once, for the first solver
