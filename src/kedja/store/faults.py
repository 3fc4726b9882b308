"""Fault injection for the crash tests: a named pause inside an open transaction.

With ``KEDJA_FAULT_PAUSE=<name>`` in the environment, :func:`checkpoint` of that name writes
the file named by ``KEDJA_FAULT_MARKER`` and sleeps, so that a test can SIGKILL the process
while its transaction holds uncommitted writes (``tests/store/test_kill.py``). Without the
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
    """Pause here (for at most ten minutes) when the crash tests ask for ``name``."""
    if os.environ.get("KEDJA_FAULT_PAUSE") != name:
        return
    marker = os.environ.get("KEDJA_FAULT_MARKER")
    if marker:
        Path(marker).write_text(f"{name} {os.getpid()}\n", encoding="utf-8")
    time.sleep(600)
