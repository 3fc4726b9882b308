"""``kedja match --cluster``: the service reads the store and runs per FA region on a cluster."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, func, select

from kedja import services
from kedja.core.errors import InvalidInput
from kedja.services.matching import ALLOCATION_KEYS
from kedja.store import session_scope
from kedja.store import tables as t
from tests.conftest import SMALL_DEMO


@pytest.mark.postgres
def test_match_on_a_local_cluster_compares_with_one_process(postgres_url: str) -> None:
    """PostgreSQL as the shared store; a LocalCluster of one worker process."""
    engine = services.prepare_database(postgres_url)
    services.build_demo_database(engine, **{**SMALL_DEMO, "job_seekers": 300, "employed": 400})
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


def test_a_bad_cluster_is_refused_before_any_work(demo_engine: Engine) -> None:
    with pytest.raises(InvalidInput, match="not a cluster"):
        services.run_allocation(demo_engine, cluster="somewhere")


def test_match_command_with_compare(demo_engine: Engine) -> None:
    from typer.testing import CliRunner

    from kedja.cli.main import app

    assert demo_engine.url.database is not None
    result = CliRunner().invoke(app, ["match", "--db", demo_engine.url.database, "--format", "json",
                                      "--compare"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["checker_ok"] and summary["scale"]["cluster"] == "in-process"
    assert summary["total_fit"] >= 0.99 * summary["in_process_total_fit"]
