"""A long job runs in the background with progress while the web app keeps serving."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kedja import services
from kedja.web import create_app
from tests.conftest import DEMO_USERS, signed_in_client


@pytest.fixture
def region(tmp_path: Path) -> Engine:
    engine = services.prepare_database(tmp_path / "kedja.db")
    services.build_demo_database(engine, seed=42, job_seekers=150, employed=300)
    return engine


def _wait(condition, seconds: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_pages_answer_while_an_allocation_job_runs(region: Engine, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(region)
    officer = signed_in_client(app, DEMO_USERS["officer"])
    analyst = signed_in_client(app, DEMO_USERS["analyst"])
    csrf = officer.get("/api/v1/me").json()["csrf_token"]  # type: ignore[attr-defined]
    marker = tmp_path / "paused"
    monkeypatch.setenv("KEDJA_FAULT_PAUSE", "allocation.allocating")  # hold the job mid-way
    monkeypatch.setenv("KEDJA_FAULT_MARKER", str(marker))
    started = officer.post("/api/v1/jobs/allocation", json={"scenario": "nightly"},  # type: ignore[attr-defined]
                           headers={"X-CSRF-Token": csrf})
    assert started.status_code == 202, started.text
    job_id = started.json()["id"]
    _wait(marker.exists)
    status = officer.get(f"/api/v1/jobs/{job_id}").json()  # type: ignore[attr-defined]
    assert status["state"] == "running" and 0 < status["progress"] < 1
    assert status["step"] == "allocating places"
    for client, path in ((officer, "/"), (officer, "/people"), (analyst, "/api/v1/municipalities"),
                         (officer, "/api/v1/people")):
        began = time.perf_counter()
        assert client.get(path).status_code == 200, path  # type: ignore[attr-defined]
        assert time.perf_counter() - began < 5, f"{path} waited for the job"
    assert analyst.get(f"/api/v1/jobs/{job_id}").status_code == 403  # type: ignore[attr-defined]
    monkeypatch.delenv("KEDJA_FAULT_PAUSE")  # let the job finish
    _wait(lambda: officer.get(f"/api/v1/jobs/{job_id}").json()["state"] != "running")  # type: ignore[attr-defined]
    done = officer.get(f"/api/v1/jobs/{job_id}").json()  # type: ignore[attr-defined]
    assert done["state"] == "done" and done["progress"] == 1.0, done
    assert done["result"]["checker_ok"] is True
    allocation = officer.get(f"/api/v1/allocations/{done['result']['allocation_id']}")  # type: ignore[attr-defined]
    assert allocation.status_code == 200


def test_unknown_job_and_orphans(region: Engine) -> None:
    app = create_app(region)
    officer = signed_in_client(app, DEMO_USERS["officer"])
    assert officer.get("/api/v1/jobs/JOB-nope").status_code == 404  # type: ignore[attr-defined]
    assert services.fail_orphaned_jobs(region) == 0
