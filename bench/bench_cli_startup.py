"""CLI start-up: ``kedja --help`` and a light command against ``python -c pass``, end to end.

Usage: .venv/bin/python bench/bench_cli_startup.py [--repeat 7]

Runs each command as a user does (a new process, the installed ``kedja`` script), ``--repeat``
times, and prints the median and the best wall time. The baseline is the interpreter starting
and doing nothing (``python -c pass``): what no command line written in Python can beat. The
import cost alone (``python -c "import kedja.cli.main"``) and the eager alternative (importing
``kedja.services`` as the commands did before they loaded it lazily) are printed beside it.
The target is ``kedja --help`` in well under a second.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

PYTHON = sys.executable
KEDJA = str(Path(PYTHON).with_name("kedja"))


def timed(command: list[str], repeat: int) -> tuple[float, float]:
    """Median and best wall time of ``command`` over ``repeat`` runs (after one warm-up)."""
    subprocess.run(command, capture_output=True, check=True)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> None:
    """Print the start-up figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    cases = [
        ("python -c pass (baseline)", [PYTHON, "-c", "pass"]),
        ("import kedja.cli.main", [PYTHON, "-c", "import kedja.cli.main"]),
        ("kedja --help", [KEDJA, "--help"]),
        ("kedja chains --help", [KEDJA, "chains", "--help"]),
        ("kedja match --format yaml (refused)", [PYTHON, "-c",
         "import sys; from kedja.cli.main import main\n"
         "try:\n main(['match', '--format', 'yaml'])\nexcept SystemExit: pass"]),
        ("import kedja.services (the eager way)", [PYTHON, "-c", "import kedja.services"]),
    ]
    baseline = None
    print(f"{'command':<40} {'median s':>9} {'best s':>8} {'× baseline':>11}")
    for label, command in cases:
        median, best = timed(command, args.repeat)
        baseline = baseline or median
        print(f"{label:<40} {median:9.3f} {best:8.3f} {median / baseline:11.1f}")


if __name__ == "__main__":
    main()
