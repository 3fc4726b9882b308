"""Candidate generation: the short list of entry steps loses (almost) nothing, constraints hold."""

from __future__ import annotations

import numpy as np
import pytest

from kedja.matching import scoring, synthetic
from kedja.matching.scoring import generate_candidates
from kedja.matching.synthetic import synthetic_instance


def _best(candidates: scoring.Candidates, people: int) -> np.ndarray:
    best = np.full(people, -1.0)
    np.maximum.at(best, candidates.person, candidates.fit)
    return best


def test_short_list_matches_scoring_every_entry_step(monkeypatch: pytest.MonkeyPatch) -> None:
    shape = synthetic.SyntheticShape(localities=150, seats=40)
    data = synthetic_instance(people=800, opportunities=1_200, places=1_500, seed=5, shape=shape)
    monkeypatch.setattr(scoring, "SHORTLIST", 40)
    short = _best(generate_candidates(data), 800)
    monkeypatch.setattr(scoring, "SHORTLIST", 10**9)
    full = _best(generate_candidates(data), 800)
    assert (short <= full + 1e-9).all()
    assert np.mean(np.isclose(short, full)) >= 0.97


def test_candidates_respect_hard_constraints_and_k() -> None:
    data = synthetic_instance(people=800, opportunities=400, places=600, seed=2, k=7)
    c = generate_candidates(data)
    p, o = data.people, data.opportunities
    assert np.bincount(c.person).max() <= 7
    assert ((o.licences[c.opportunity] & ~p.licences[c.person]) == 0).all()
    assert (p.swedish[c.person] >= o.swedish[c.opportunity]).all()
    assert (o.hours[c.opportunity] <= p.hours[c.person]).all()
    assert (p.education[c.person] >= o.min_education[c.opportunity]).all()
    on_site = c.minutes * (1 - o.remote[c.opportunity])
    assert ((on_site <= p.max_commute[c.person]) | (o.remote[c.opportunity] >= 0.99)).all()
    for f, weight in scoring.WEIGHTS.items():
        assert ((c.factors[f] >= 0) & (c.factors[f] <= 1)).all(), f
        assert weight > 0
    total = sum(scoring.WEIGHTS[f] * c.factors[f] for f in scoring.FACTORS) * 100
    assert np.allclose(total, c.fit)


def test_exclusions_are_honoured() -> None:
    data = synthetic_instance(people=300, opportunities=200, places=300, seed=4)
    before = generate_candidates(data)
    pairs = set(zip(before.person[:20].tolist(), before.opportunity[:20].tolist(), strict=True))
    data.excluded = pairs
    after = generate_candidates(data)
    assert not pairs & set(zip(after.person.tolist(), after.opportunity.tolist(), strict=True))
