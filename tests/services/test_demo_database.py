"""The demo database: built in one transaction, identical for the same seed, on both backends."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select, text

from kedja import services
from kedja.core.errors import Conflict
from kedja.store import session_scope
from kedja.store.tables import Base

SMALL = {"job_seekers": 150, "employed": 300}


# Every column counts, password hashes included: the demo accounts' salts derive from the seed
# (their password is published anyway), so the same seed gives the same hashes; that the demo
# password verifies against each stored hash is checked in tests/services/test_accounts.py.
SALTED: dict[str, set[str]] = {}
COUNTERS = {"cache_generations"}  # how often the data changed (each write moves them), not data


def _utc_naive(value: object) -> object:
    """PostgreSQL returns aware datetimes and SQLite naive ones (both UTC): compare them as UTC."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def table_digest(engine: Engine) -> dict[str, str]:
    """A digest of every table's rows in primary-key order."""
    digests = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in COUNTERS:
                continue
            columns = [c for c in table.columns if c.name not in SALTED.get(table.name, ())]
            query = select(*columns).order_by(*table.primary_key.columns)
            rows = [tuple(map(_utc_naive, row)) for row in connection.execute(query).all()]
            digests[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


def test_same_seed_gives_identical_tables(db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = services.prepare_database(db_url)
    services.build_demo_database(first, seed=7, **SMALL)
    second = services.prepare_database(tmp_path / "second.db")
    services.build_demo_database(second, seed=7, **SMALL)
    assert table_digest(first) == table_digest(second)
    with first.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM municipalities")).scalar() == 29
    first.dispose()
    second.dispose()


def test_existing_region_is_not_overwritten_by_accident(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = services.prepare_database(tmp_path / "d.db")
    services.build_demo_database(engine, seed=1, **SMALL)
    before = table_digest(engine)
    with pytest.raises(Conflict, match="already holds a region"):
        services.build_demo_database(engine, seed=2, **SMALL)
    assert table_digest(engine) == before
    services.build_demo_database(engine, seed=1, replace=True, **SMALL)
    assert table_digest(engine) == before


def test_a_failed_build_leaves_the_database_as_it_was(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    engine = services.prepare_database(tmp_path / "d.db")
    before = table_digest(engine)
    import kedja.services.demo as demo_service

    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo_service.repo, "save_establishments", broken)
    with pytest.raises(RuntimeError):
        services.build_demo_database(engine, seed=1, **SMALL)
    assert table_digest(engine) == before
    with session_scope(engine) as session:
        assert session.execute(text("SELECT count(*) FROM people")).scalar() == 0


def test_region_overview(demo_engine: Engine) -> None:
    overview = services.region_overview(demo_engine)
    assert len(overview.municipalities) == 29
    assert 450_000 < overview.population < 600_000
    assert "Kolada" in (overview.source or "")
