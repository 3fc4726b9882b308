"""A small time-limited cache of region-wide derived data (forecast shortage, matching inputs).

The load test (``bench/bench_load.py``) found each pathway page rebuilding the regional
forecast and reloading every opportunity: about 1 s per page. These inputs change only when
the region's data is imported or rebuilt, so they are kept per database for
``KEDJA_CACHE_SECONDS`` (default 300; 0 turns the cache off) and dropped at once by the
services that change them (:func:`invalidate`). :func:`invalidate` also counts up a generation
number kept in the database (table ``cache_generations``), and every process compares it with
the one it last saw at most once every ``GENERATION_SECONDS``: an import run from the command
line, or by another server process of ``kedja serve --workers N``, reaches every running server
within that time instead of when its entries expire.
The load test found the 60 s of earlier versions making a forecast page of 1–2 s every
minute. A person's own record is never cached.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

__all__ = ["GENERATION_SECONDS", "cached", "enabled", "invalidate", "peek"]

GENERATION_SECONDS = 1.0
"""How often a process reads the shared generation: one primary-key read a second at most."""
_GENERATION = "region"

T = TypeVar("T")
_lock = threading.Lock()
_key_locks: dict[tuple[str, str], threading.Lock] = {}
_entries: dict[tuple[str, str], tuple[float, Any]] = {}
_seen: dict[str, tuple[float, int | None]] = {}
"""Per database: when the shared generation was last read, and its value then."""


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _read_generation(engine: Engine) -> int | None:
    from kedja.store import tables as t

    try:
        with engine.connect() as connection:
            value = connection.execute(select(t.CacheGenerationRow.generation).where(
                t.CacheGenerationRow.name == _GENERATION)).scalar_one_or_none()
    except SQLAlchemyError:  # a database without the table (before its migration)
        return None
    return int(value) if value is not None else 0


def _follow_generation(engine: Engine) -> None:
    """Drop this database's entries if another process has invalidated them since last seen."""
    url, now = _url(engine), time.monotonic()
    with _lock:
        seen = _seen.get(url)
        if seen is not None and now - seen[0] < GENERATION_SECONDS:
            return
        _seen[url] = (now, seen[1] if seen else None)  # one reader at a time
    current = _read_generation(engine)
    with _lock:
        if seen is not None and current != seen[1]:
            _drop(url)
        _seen[url] = (now, current)


def _bump_generation(engine: Engine) -> None:
    from kedja.store import tables as t

    try:
        with engine.begin() as connection:
            done = connection.execute(update(t.CacheGenerationRow).where(
                t.CacheGenerationRow.name == _GENERATION).values(
                generation=t.CacheGenerationRow.generation + 1)).rowcount
            if not done:
                connection.execute(insert(t.CacheGenerationRow).values(name=_GENERATION,
                                                                       generation=1))
    except SQLAlchemyError:  # a database without the table: only this process is told
        return


def _drop(url: str) -> None:
    for key in [k for k in _entries if k[0] == url]:
        del _entries[key]


def _ttl() -> float:
    return float(os.environ.get("KEDJA_CACHE_SECONDS", "300"))


def _key(engine: Engine, name: str) -> tuple[str, str]:
    return _url(engine), name


def cached(engine: Engine, name: str, compute: Callable[[], T], seconds: float | None = None) -> T:
    """``compute()``'s result for this database, reused for the cache's lifetime.

    ``seconds`` keeps a costly result longer than the default (the region's chain plan takes
    tens of seconds); ``KEDJA_CACHE_SECONDS=0`` still turns every entry off.
    """
    ttl = _ttl() if seconds is None or _ttl() <= 0 else seconds
    if ttl <= 0:
        return compute()
    _follow_generation(engine)
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
    """Forget the cached data of one database (or of all), in every process that serves it."""
    if engine is None:
        with _lock:
            _entries.clear()
        return
    _bump_generation(engine)
    url = _url(engine)
    with _lock:
        _drop(url)
        _seen.pop(url, None)
