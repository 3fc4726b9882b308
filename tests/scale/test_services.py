"""``kedja match --cluster``: the service reads the store and runs per FA region on a cluster."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from kedja import services
from kedja.core.errors import InvalidInput
from kedja.services.matching import ALLOCATION_KEYS
from kedja.store import session_scope
from kedja.store import tables as t
from tests.conftest import SMALL_DEMO


def test_match_on_a_local_cluster_compares_with_one_process(engine: Engine) -> None:
    """On SQLite and PostgreSQL (the shared store): a LocalCluster of one worker process."""
    services.build_demo_database(engine, **SMALL_DEMO)
    summary = services.run_allocation(engine, cluster="local:1", compare=True)
    assert set(ALLOCATION_KEYS) <= set(summary) and summary["checker_ok"]
    assert summary["method"] == "partitioned_min_cost_flow"
    assert summary["scale"]["cluster"] == "LocalCluster(1 workers)"
    assert summary["scale"]["areas"] >= 10  # upper Norrland has 15 FA regions with people
    single = summary["in_process_total_fit"]
    assert 0.99 * single <= summary["total_fit"] <= single + 0.01
    with session_scope(engine) as session:
        stored = session.scalar(select(func.count()).select_from(t.AllocationAssignmentRow)
                                .where(t.AllocationAssignmentRow.allocation_id == summary["allocation_id"]))
    assert stored == summary["placed"]


def test_match_in_process_by_area_and_a_bad_cluster(demo_engine: Engine) -> None:
    plain = services.run_allocation(demo_engine)
    by_area = services.run_allocation(demo_engine, cluster="process")
    assert "in_process_total_fit" not in by_area
    assert by_area["placed"] <= plain["placed"] + by_area["people"]
    assert 0.99 * plain["total_fit"] <= by_area["total_fit"] <= plain["total_fit"] + 0.01
    with pytest.raises(InvalidInput, match="not a cluster"):
        services.run_allocation(demo_engine, cluster="somewhere")


def test_match_command_with_compare(tmp_path: Path) -> None:
    kedja = str(Path(sys.executable).with_name("kedja"))
    db = str(tmp_path / "m.db")
    subprocess.run([kedja, "demo", "--no-serve", "--db", db, "--job-seekers", "300", "--employed", "400"],
                   check=True, capture_output=True)
    # worker processes are covered above; here the command's options reach the service
    result = subprocess.run([kedja, "match", "--db", db, "--format", "json", "--compare"],
                            capture_output=True, text=True, check=True, timeout=300)
    summary = json.loads(result.stdout)
    assert summary["checker_ok"] and summary["scale"]["cluster"] == "in-process"
    assert summary["total_fit"] >= 0.99 * summary["in_process_total_fit"]
