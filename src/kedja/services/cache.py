"""A small time-limited cache of region-wide derived data (forecast shortage, matching inputs).

The load test (``bench/bench_load.py``) found each pathway page rebuilding the regional
forecast and reloading every opportunity: about 1 s per page. These inputs change only when
the region's data is imported or rebuilt, so they are kept per database for
``KEDJA_CACHE_SECONDS`` (default 300; 0 turns the cache off) and dropped at once by the
services of the same process that change them (:func:`invalidate`); an import run from the
command line, or by another server process, reaches a running server when its entry expires.
The load test found the 60 s of earlier versions making a forecast page of 1–2 s every
minute. A person's own record is never cached.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from sqlalchemy import Engine

__all__ = ["cached", "enabled", "invalidate", "peek"]

T = TypeVar("T")
_lock = threading.Lock()
_key_locks: dict[tuple[str, str], threading.Lock] = {}
_entries: dict[tuple[str, str], tuple[float, Any]] = {}


def _ttl() -> float:
    return float(os.environ.get("KEDJA_CACHE_SECONDS", "300"))


def _key(engine: Engine, name: str) -> tuple[str, str]:
    return engine.url.render_as_string(hide_password=True), name


def cached(engine: Engine, name: str, compute: Callable[[], T], seconds: float | None = None) -> T:
    """``compute()``'s result for this database, reused for the cache's lifetime.

    ``seconds`` keeps a costly result longer than the default (the region's chain plan takes
    tens of seconds); ``KEDJA_CACHE_SECONDS=0`` still turns every entry off.
    """
    ttl = _ttl() if seconds is None or _ttl() <= 0 else seconds
    if ttl <= 0:
        return compute()
    key = _key(engine, name)
    with _lock:
        key_lock = _key_locks.setdefault(key, threading.Lock())
    with key_lock:  # one computation per key: concurrent first requests wait for it
        hit = _entries.get(key)
        if hit is not None and time.monotonic() - hit[0] < ttl:
            return cast("T", hit[1])
        value = compute()  # may fill other keys (the shortage runs the cached forecast)
        with _lock:
            _entries[key] = (time.monotonic(), value)
        return value


def enabled() -> bool:
    """Whether results are kept at all (``KEDJA_CACHE_SECONDS=0`` turns the cache off)."""
    return _ttl() > 0


def peek(engine: Engine, name: str, seconds: float | None = None) -> Any | None:
    """The cached value if it is there and fresh, else None; never computes and never waits."""
    ttl = _ttl() if seconds is None or _ttl() <= 0 else seconds
    with _lock:
        hit = _entries.get(_key(engine, name))
    if hit is None or ttl <= 0 or time.monotonic() - hit[0] >= ttl:
        return None
    return hit[1]


def invalidate(engine: Engine | None = None) -> None:
    """Forget the cached data of one database (or of all)."""
    with _lock:
        if engine is None:
            _entries.clear()
            return
        url = engine.url.render_as_string(hide_password=True)
        for key in [k for k in _entries if k[0] == url]:
            del _entries[key]
