"""The region-wide cache: reused within its lifetime, dropped by the writes that change inputs."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from kedja import services
from kedja.core.access import operator_principal
from kedja.services import cache
from kedja.store import session_scope
from kedja.store import tables as t

OPERATOR = operator_principal("tester")


def test_cached_values_are_reused_and_invalidated(monkeypatch: pytest.MonkeyPatch,
                                                  sqlite_engine: Engine) -> None:
    monkeypatch.setenv("KEDJA_CACHE_SECONDS", "60")
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.cached(sqlite_engine, "x", compute) == 1
    assert cache.cached(sqlite_engine, "x", compute) == 1
    cache.invalidate(sqlite_engine)
    assert cache.cached(sqlite_engine, "x", compute) == 2
    monkeypatch.setenv("KEDJA_CACHE_SECONDS", "0")
    assert cache.cached(sqlite_engine, "x", compute) == 3


def test_an_invalidation_by_another_process_reaches_this_one(monkeypatch: pytest.MonkeyPatch,
                                                             sqlite_engine: Engine) -> None:
    """Another server process (or an import on the command line) counts the shared generation
    up in the database; this process drops its entries when it next reads it."""
    monkeypatch.setenv("KEDJA_CACHE_SECONDS", "60")
    monkeypatch.setattr(cache, "GENERATION_SECONDS", 0.0)
    cache.invalidate()
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.cached(sqlite_engine, "y", compute) == 1
    assert cache.cached(sqlite_engine, "y", compute) == 1
    cache._bump_generation(sqlite_engine)  # what invalidate() in another process writes
    with session_scope(sqlite_engine) as session:
        assert session.get(t.CacheGenerationRow, "region") is not None
    assert cache.cached(sqlite_engine, "y", compute) == 2
    assert cache.cached(sqlite_engine, "y", compute) == 2
    cache.invalidate()


def test_pathways_use_the_cache_and_match_the_uncached_answer(
        monkeypatch: pytest.MonkeyPatch, demo_engine: Engine) -> None:
    monkeypatch.setenv("KEDJA_CACHE_SECONDS", "0")
    with session_scope(demo_engine) as session:
        person_id = session.scalars(select(t.PersonRow.id).where(
            t.PersonRow.status == "unemployed").order_by(t.PersonRow.id)).first()
    assert person_id
    fresh = services.pathways_for_person(demo_engine, person_id, k=5, principal=OPERATOR)
    assert fresh
    monkeypatch.setenv("KEDJA_CACHE_SECONDS", "60")
    cache.invalidate()
    first = services.pathways_for_person(demo_engine, person_id, k=5, principal=OPERATOR)
    second = services.pathways_for_person(demo_engine, person_id, k=5, principal=OPERATOR)
    assert [p.__dict__ for p in first] == [p.__dict__ for p in fresh] == [p.__dict__ for p in second]
    cache.invalidate()
