"""A write killed with SIGKILL half-way leaves the database exactly as it was (SQLite, PostgreSQL).

Each test runs a real ``kedja`` command in a subprocess with the fault hook
(``kedja.store.faults``) pausing it inside its transaction after it has written rows; the
test checks that the writes are really pending (on PostgreSQL: the server holds a backend with
a transaction id, i.e. uncommitted writes), kills the process with SIGKILL, then compares every
table's rows with the snapshot taken before.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from kedja import services
from kedja.store import database_url
from tests.conftest import shared_data
from tests.store.snapshots import database_snapshot, row_counts

TINY_DEMO = {"seed": 42, "job_seekers": 150, "employed": 300}
KEDJA = [sys.executable, "-c", "from kedja.cli import main; main()"]


@pytest.fixture
def tiny_demo(db_url: str) -> Engine:
    engine = services.prepare_database(db_url)
    services.build_demo_database(engine, **TINY_DEMO)
    return engine


def _pending_writes(db_url: str) -> int:
    """PostgreSQL backends of this database holding uncommitted writes (a transaction id)."""
    url = make_url(database_url(db_url))
    engine = create_engine(url.set(database="postgres"))
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = :d "
                "AND backend_xid IS NOT NULL"), {"d": url.database}).scalar() or 0)
    finally:
        engine.dispose()


def _write_locked(db_url: str) -> bool:
    """Whether another process holds SQLite's write lock (an open write transaction)."""
    connection = sqlite3.connect(db_url, timeout=0)
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        return "locked" in str(error)
    finally:
        connection.close()
    return False


def _kill_at(checkpoint: str, args: list[str], db_url: str, tmp_path: Path,
             timeout: float = 300.0) -> float:
    """Run ``kedja ARGS`` until it pauses at ``checkpoint``, then SIGKILL it; seconds until then."""
    marker = tmp_path / "paused"
    env = {**os.environ, "KEDJA_FAULT_PAUSE": checkpoint, "KEDJA_FAULT_MARKER": str(marker)}
    started = time.perf_counter()
    process = subprocess.Popen([*KEDJA, *args, "--db", db_url], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        while not marker.exists():
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"kedja {' '.join(args)} ended ({process.returncode}) before "
                            f"{checkpoint}:\n{output}")
            if time.perf_counter() - started > timeout:
                pytest.fail(f"kedja {' '.join(args)} did not reach {checkpoint} in {timeout} s")
            time.sleep(0.05)
        if db_url.startswith("postgresql"):
            assert _pending_writes(db_url) >= 1, "the paused process holds no uncommitted writes"
        else:
            assert _write_locked(db_url), "the paused process holds no write transaction"
        reached = time.perf_counter() - started
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
    return reached


def _assert_unchanged(engine: Engine, db_url: str, before: dict) -> None:
    engine.dispose()
    after = database_snapshot(services.prepare_database(db_url))
    assert row_counts(after) == row_counts(before)
    assert after == before


def test_demo_rebuild_killed_half_way_leaves_the_old_region(tiny_demo: Engine, db_url: str,
                                                            tmp_path: Path) -> None:
    before = database_snapshot(tiny_demo)
    tiny_demo.dispose()
    seconds = _kill_at("demo.people-stored", ["demo", "--seed", "7", "--job-seekers", "100",
                                              "--employed", "200", "--replace", "--no-serve"],
                       db_url, tmp_path)
    print(f"demo rebuild killed after {seconds:.1f} s, database unchanged")
    _assert_unchanged(tiny_demo, db_url, before)


def test_allocation_killed_half_way_stores_nothing(tiny_demo: Engine, db_url: str,
                                                   tmp_path: Path) -> None:
    before = database_snapshot(tiny_demo)
    tiny_demo.dispose()
    _kill_at("allocation.stored", ["match"], db_url, tmp_path)
    _assert_unchanged(tiny_demo, db_url, before)


def test_esco_import_killed_half_way_imports_nothing(tiny_demo: Engine, db_url: str,
                                                     tmp_path: Path) -> None:
    esco = shared_data("esco_v1.1.1")
    before = database_snapshot(tiny_demo)
    tiny_demo.dispose()
    seconds = _kill_at("taxonomy.batch-saved", ["import", "esco", str(esco)], db_url, tmp_path)
    print(f"ESCO import killed after {seconds:.1f} s, database unchanged")
    _assert_unchanged(tiny_demo, db_url, before)
