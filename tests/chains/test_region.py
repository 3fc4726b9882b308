"""Chains for the demo region, through the services layer and the ``kedja chains plan`` command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine

from kedja.services.chains import CHAIN_KEYS, EFFECT_KEYS, plan_region_chains

KEDJA = str(Path(sys.executable).with_name("kedja"))


def test_the_demo_region_gets_checked_chains_that_beat_both_counterfactuals(demo_engine: Engine) -> None:
    result = plan_region_chains(demo_engine)
    assert set(CHAIN_KEYS) <= set(result) and set(EFFECT_KEYS) <= set(result)
    assert result["checker_ok"] is True
    assert result["job_seekers_into_freed_jobs"] > 0
    assert result["job_seekers_entering"] >= result["unplanned_job_seekers_entering"]
    assert result["job_seekers_entering"] > result["no_upskilling_job_seekers_entering"]
    net = result["job_seekers_entering"] - result["no_upskilling_job_seekers_entering"]
    assert result["net_entrants_vs_no_upskilling"] == net
    assert result["cost_per_net_entrant_sek"] == result["cost_sek"] / net
    assert result["expected_entrants_after_displacement"] < result["job_seekers_entering"]
    moved = [c for c in result["chains"] if len(c["steps"]) > 1]
    first, last = moved[0]["steps"][0], moved[0]["steps"][-1]
    assert first["course_id"] and not first["job_seeker"] and last["job_seeker"]
    assert last["position"] == f"job of {moved[0]['steps'][-2]['person_id']}"


def test_a_budget_caps_the_region_plan(demo_engine: Engine) -> None:
    result = plan_region_chains(demo_engine, budget=200_000, max_chain_length=2, exact_limit=0)
    assert result["checker_ok"] is True
    assert sum(s["cost_sek"] for c in result["chains"] for s in c["steps"]) <= 200_000
    assert all(len(c["steps"]) <= 2 for c in result["chains"])


def test_kedja_chains_plan_prints_json(demo_engine: Engine) -> None:
    db = str(demo_engine.url.database)
    run = subprocess.run([KEDJA, "chains", "plan", "--db", db, "--format", "json"], capture_output=True,
                         text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    for key in ("chains", "upskilled", "job_seekers_entering", "multiplier",
                "unplanned_job_seekers_entering", "checker_ok", "no_upskilling_job_seekers_entering",
                "net_entrants_vs_no_upskilling", "cost_per_net_entrant_sek",
                "expected_entrants_after_displacement"):
        assert key in result
    assert result["checker_ok"] is True and all(isinstance(c["steps"], list) for c in result["chains"])


def test_the_region_plan_has_job_rotation_with_a_calendar(demo_engine: Engine) -> None:
    result = plan_region_chains(demo_engine)
    rotation = result["rotation"]
    assert rotation["checker_ok"] is True and rotation["absences"] == result["upskilled"]
    assert 0 < rotation["covered"] <= rotation["absences"]
    substitutes = [e for e in rotation["calendar"] if e["role"] == "substitute"]
    training = {e["person_id"]: e for e in rotation["calendar"] if e["role"] == "training"}
    assert len(substitutes) == rotation["covered"]
    for cover in substitutes:
        trainee = training[cover["place"].removeprefix("job of ")]
        assert (cover["from"], cover["to"]) == (trainee["from"], trainee["to"])
    strict = plan_region_chains(demo_engine, min_weeks_unemployed=52)["rotation"]
    assert strict["covered"] <= rotation["covered"]


def test_the_multiplier_is_whites_mean_chain_length(demo_engine: Engine) -> None:
    result = plan_region_chains(demo_engine)
    lengths = [len(c["steps"]) for c in result["chains"] if c["end"] != "cycle"]
    assert result["multiplier"] == sum(lengths) / len(lengths)
    per_upskilled = result["job_seekers_into_freed_jobs"] / result["upskilled"]
    assert result["entrants_into_freed_jobs_per_upskilled"] == per_upskilled
    assert result["direct_hires"] + result["job_seekers_into_freed_jobs"] == result["job_seekers_entering"]


def test_kedja_chains_simulate_prints_bands_per_strategy(demo_engine: Engine) -> None:
    db = str(demo_engine.url.database)
    run = subprocess.run([KEDJA, "chains", "simulate", "--db", db, "--years", "2", "--runs", "2",
                          "--format", "json"], capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["checker_ok"] is True
    assert set(result["yearly"]) == {"no_upskilling", "unplanned", "planned_rotation"}
    band = result["yearly"]["planned_rotation"]["entered_work"]
    assert len(band) == 2 and set(band[0]) == {"mean", "p10", "p90"}
    assert result["settings"]["inflow_rate"] > 0 and "database" in result["sources"]["inflow_rate"]
    assert "Simulating the strategies: done" in run.stderr and "6/6" in run.stderr  # 2 runs × 3 strategies
