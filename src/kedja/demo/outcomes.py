"""Demo outcomes 180 days after a step, drawn from a documented model so a calibration can be checked.

DEMO DATA, not evidence: in the demo region the chance that a person placed by an allocation
is working or studying 180 days after the step ended is

    P = 1 / (1 + exp(−(INTERCEPT + Σ GENERATING_LOGITS[f] × factor_f)))

over the six factors of the step's score breakdown. The coefficients were chosen for the demo
(a clear order: skills, step, experience, shortage, travel, preference), not estimated from
anything; a calibration on these outcomes should recover their order, and ``kedja match
calibrate`` reports them beside the fitted weights when the outcomes are the demo's.

Examples:
    >>> import numpy as np
    >>> factors = {f: np.array([1.0]) for f in GENERATING_LOGITS}
    >>> round(float(success_probability(factors)[0]), 2)
    1.0
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

__all__ = ["DEMO_OUTCOME_PREFIX", "GENERATING_LOGITS", "INTERCEPT", "draw_outcomes", "success_probability"]

GENERATING_LOGITS = {"skills": 5.0, "step": 4.0, "experience": 3.0, "shortage": 2.0, "travel": 1.0,
                     "preference": 0.3}
INTERCEPT = -7.0
DEMO_OUTCOME_PREFIX = "DEMO-OUT-"
"""Enrolments, exits and outcomes of the demo outcome model carry ids with this prefix."""


def success_probability(factors: Mapping[str, np.ndarray],
                        logits: Mapping[str, float] = GENERATING_LOGITS,
                        intercept: float = INTERCEPT) -> np.ndarray:
    """The model's chance of work or studies 180 days on, per placement."""
    z = intercept + sum(logits[f] * np.asarray(factors[f], dtype=float) for f in logits)
    return 1.0 / (1.0 + np.exp(-z))


def draw_outcomes(factors: Mapping[str, np.ndarray], rng: np.random.Generator,
                  logits: Mapping[str, float] = GENERATING_LOGITS,
                  intercept: float = INTERCEPT) -> np.ndarray:
    """True where the placed person is working or studying 180 days on (one Bernoulli draw each)."""
    p = success_probability(factors, logits, intercept)
    return rng.random(p.size) < p
