"""Calibration of the score's weights on outcomes: recovers the demo model's order, refuses a worse audit."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from kedja import services
from kedja.core.access import Principal, Role
from kedja.core.errors import Conflict, Forbidden, InvalidInput
from kedja.core.organisations import OrganisationKind
from kedja.demo.outcomes import GENERATING_LOGITS
from kedja.matching.scoring import WEIGHTS
from kedja.services.calibration import (
    approve_weights,
    calibrate,
    current_weights,
    record_demo_outcomes,
    weight_versions,
)
from kedja.store import session_scope

ADMIN = Principal("u1", "admin@kedja.demo", "AF25", OrganisationKind.EMPLOYMENT_SERVICE,
                  frozenset({Role.ADMIN}))
OFFICER = Principal("u2", "officer@kedja.demo", "AF25", OrganisationKind.EMPLOYMENT_SERVICE,
                    frozenset({Role.OFFICER}))
EXPERIENCE_ONLY = {"skills": 0.0, "experience": 6.0, "step": -6.0, "shortage": 0.0, "travel": 0.0,
                   "preference": 0.0}
"""An outcome model that rewards experience only and punishes entry steps: weights fitted on it
take places from people far from the labour market, among them the group the audit flags."""


@pytest.fixture(scope="module")
def calibration_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """A demo region large enough for a calibration (about 1,500 placements), with an allocation."""
    path: Path = tmp_path_factory.mktemp("calibration") / "demo.db"
    engine = services.prepare_database(path)
    services.build_demo_database(engine, seed=42, job_seekers=2000, employed=2500)
    services.run_allocation(engine)
    return engine


@pytest.mark.slow
def test_a_calibration_that_worsens_the_audit_is_refused(calibration_engine: Engine) -> None:
    record_demo_outcomes(calibration_engine, logits=EXPERIENCE_ONLY, intercept=-1.0)
    report = calibrate(calibration_engine)
    assert report["status"] == "refused"
    worse = report["verdict"]["worse"]
    assert worse and all(w["after"] < w["before"] for w in worse), report["verdict"]
    assert max(report["fitted_weights"], key=report["fitted_weights"].get) == "experience"
    assert report["fitted_weights"]["step"] == 0.0
    with pytest.raises(Conflict, match="refused"):
        approve_weights(calibration_engine, report["version"], ADMIN)


@pytest.mark.slow
def test_calibration_on_the_demo_recovers_the_generating_order(calibration_engine: Engine) -> None:
    drawn = record_demo_outcomes(calibration_engine)
    assert drawn["demo"] and drawn["outcomes"] >= 1000
    report = calibrate(calibration_engine)
    coefficients = report["calibration"]["coefficients"]
    fitted_order = sorted(coefficients, key=lambda f: -coefficients[f])
    generating_order = sorted(GENERATING_LOGITS, key=lambda f: -GENERATING_LOGITS[f])
    assert fitted_order == generating_order, (coefficients, GENERATING_LOGITS)
    assert report["demo"] and report["demo_model"]["logits"] == GENERATING_LOGITS
    assert abs(sum(report["fitted_weights"].values()) - 1.0) < 1e-3
    # the fitted model is judged on held-out municipalities beside the current score alone
    assert report["calibration"]["cv_auc"] >= report["calibration"]["baseline_cv_auc"] - 0.01
    assert report["status"] == "proposed", report["verdict"]
    with pytest.raises(Forbidden):
        approve_weights(calibration_engine, report["version"], OFFICER)
    approved = approve_weights(calibration_engine, report["version"], ADMIN)
    assert approved["status"] == "approved"
    with session_scope(calibration_engine) as session:
        assert current_weights(session) == report["fitted_weights"]
    with pytest.raises(Conflict):
        approve_weights(calibration_engine, report["version"], ADMIN)
    assert weight_versions(calibration_engine)[-1]["weights"] == WEIGHTS


def test_too_few_outcomes_are_refused_with_the_count(demo_engine: Engine) -> None:
    with pytest.raises(InvalidInput, match="too few"):
        calibrate(demo_engine, min_sample=10**6)
