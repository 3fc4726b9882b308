"""Fault injection for the crash tests: a named pause inside an open transaction.

With ``KEDJA_FAULT_PAUSE=<name>`` in the environment, :func:`checkpoint` of that name writes
the file named by ``KEDJA_FAULT_MARKER`` and sleeps, so that a test can SIGKILL the process
while its transaction holds uncommitted writes (``tests/store/test_kill.py``), or, in-process,
check that the web app serves while a background job is paused (``tests/web/test_jobs.py``). Without the
variable (always, outside those tests) a checkpoint is one environment lookup and does nothing.

Examples:
    >>> checkpoint("demo.people-stored")  # no pause configured: returns at once
"""

from __future__ import annotations

import os
import time
from pathlib import Path

__all__ = ["checkpoint"]


def checkpoint(name: str) -> None:
    """Pause here while the tests ask for ``name`` (at most ten minutes)."""
    if os.environ.get("KEDJA_FAULT_PAUSE") != name:
        return
    marker = os.environ.get("KEDJA_FAULT_MARKER")
    if marker:
        Path(marker).write_text(f"{name} {os.getpid()}\n", encoding="utf-8")
    deadline = time.monotonic() + 600
    while os.environ.get("KEDJA_FAULT_PAUSE") == name and time.monotonic() < deadline:
        time.sleep(0.05)  # an in-process test releases the pause by unsetting the variable
