"""Candidate generation and scoring with a breakdown, vectorised per home locality.

For each group of people who live in the same locality, the opportunities within reach are
scored as one dense block: skills by sparse products (person skills × required skills), past
occupations through the occupation-similarity matrix, travel from the locality matrix. Hard
constraints (licence, Swedish, hours, adaptations, dates, exclusions) are boolean masks; only
feasible pairs become candidates, and each person keeps the ``k`` best.

Complexity: O(Σ_groups g·c) for a group of g people with c opportunities in reach, plus the
sparse products; memory is one block at a time.

The fit is ``100 × Σ weight × factor`` with every factor in [0, 1]:

========== ====== =====================================================================
factor     weight meaning
========== ====== =====================================================================
skills     0.30   share of required skills the person has (verified 1, self-reported 0.85,
                  informal 0.7), with merit skills as a bonus; 0.8 where none is required
experience 0.20   similarity of the person's past occupations to the step's occupation
travel     0.10   1 − on-site commute / the person's maximum commute
preference 0.10   1 for a preferred occupation, 0.5 for a preferred sector
shortage   0.10   shortage of people in the destination occupation
step       0.20   how well the kind of step fits the person's distance from the labour
                  market: jobs for people close to it, ASF placements and internships for
                  people far from it, courses for both
========== ====== =====================================================================
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from kedja.core.opportunities import OpportunityKind
from kedja.matching.encoding import KIND_CODES, EncodedOpportunities, EncodedPeople

__all__ = ["FACTORS", "WEIGHTS", "Candidates", "ScoringInput", "generate_candidates", "step_value"]

WEIGHTS = {"skills": 0.30, "experience": 0.20, "travel": 0.10, "preference": 0.10,
           "shortage": 0.10, "step": 0.20}
FACTORS = tuple(WEIGHTS)
JOB = KIND_CODES[OpportunityKind.JOB]
TRAINING = KIND_CODES[OpportunityKind.TRAINING]
GENERAL = 0.6
"""Shortage value of a general course: it opens the door to every occupation in short supply."""
MIN_JOB_READINESS = 0.34
"""A job is a candidate only if the person has a third of its skills or relevant experience,
unless its occupation needs no particular skills or schooling (an entry job)."""


def step_value(kind: np.ndarray, distance: np.ndarray) -> np.ndarray:
    """How well each kind of step suits people at ``distance`` from the labour market.

    Examples:
        >>> kinds = np.array([KIND_CODES[OpportunityKind.JOB], KIND_CODES[OpportunityKind.ASF_PLACEMENT]])
        >>> step_value(kinds[None, :], np.array([[0.1], [0.9]])).round(2).tolist()
        [[0.9, 0.1], [0.1, 0.9]]
    """
    d = distance
    table = {
        KIND_CODES[OpportunityKind.JOB]: 1.0 - d,
        KIND_CODES[OpportunityKind.ASF_PLACEMENT]: d,
        KIND_CODES[OpportunityKind.INTERNSHIP]: 0.3 + 0.6 * d,
        KIND_CODES[OpportunityKind.TRAINING]: 0.5 + 0.4 * d,
        KIND_CODES[OpportunityKind.ROTATION_SUBSTITUTE]: 0.3 + 0.6 * (1.0 - d),
    }
    out = np.zeros(np.broadcast_shapes(kind.shape, d.shape), dtype=np.float32)
    for code, value in table.items():
        out = np.where(kind == code, value, out)
    return out


@dataclass
class ScoringInput:
    """Everything the scorer reads: encoded people and opportunities, travel, taxonomy, shortage."""

    people: EncodedPeople
    opportunities: EncodedOpportunities
    car_minutes: np.ndarray
    similarity: np.ndarray
    shortage: np.ndarray
    excluded: set[tuple[int, int]] = field(default_factory=set)
    k: int = 20


@dataclass
class Candidates:
    """Candidate arcs (person row, opportunity row) with fit and factor breakdown."""

    person: np.ndarray
    opportunity: np.ndarray
    fit: np.ndarray
    factors: dict[str, np.ndarray]
    minutes: np.ndarray

    def __len__(self) -> int:
        return int(self.person.size)


def generate_candidates(data: ScoringInput, people: np.ndarray | None = None) -> Candidates:
    """Score every feasible pair for ``people`` (row indices; all by default), k best each."""
    rows = np.arange(len(data.people.ids)) if people is None else np.asarray(people)
    blocks = list(_blocks(data, rows))
    if not blocks:
        empty = np.zeros(0)
        return Candidates(empty.astype(np.int64), empty.astype(np.int64), empty,
                          {f: empty for f in FACTORS}, empty)
    return Candidates(
        person=np.concatenate([b.person for b in blocks]),
        opportunity=np.concatenate([b.opportunity for b in blocks]),
        fit=np.concatenate([b.fit for b in blocks]),
        factors={f: np.concatenate([b.factors[f] for b in blocks]) for f in FACTORS},
        minutes=np.concatenate([b.minutes for b in blocks]),
    )


def _blocks(data: ScoringInput, rows: np.ndarray) -> Iterator[Candidates]:
    localities = data.people.locality[rows]
    for locality in np.unique(localities):
        group = rows[localities == locality]
        for start in range(0, group.size, 512):
            block = _score_block(data, group[start:start + 512], int(locality))
            if block is not None:
                yield block


def _reachable(data: ScoringInput, group: np.ndarray, locality: int) -> tuple[np.ndarray, np.ndarray]:
    opp = data.opportunities
    minutes = data.car_minutes[locality, opp.locality]
    on_site = minutes * (1.0 - opp.remote)
    widest = data.people.max_commute[group].max()
    columns = np.flatnonzero((on_site <= widest) | (opp.remote >= 0.99))
    return columns, minutes[columns]


def _feasible(data: ScoringInput, group: np.ndarray, cols: np.ndarray,
              on_site: np.ndarray) -> np.ndarray:
    p, o = data.people, data.opportunities
    mask = (on_site[None, :] <= p.max_commute[group, None]) | (o.remote[cols] >= 0.99)[None, :]
    mask &= (o.licences[cols][None, :] & ~p.licences[group, None]) == 0
    mask &= p.swedish[group, None] >= o.swedish[cols][None, :]
    mask &= p.swedish[group, None] <= o.max_swedish[cols][None, :]
    mask &= o.hours[cols][None, :] <= p.hours[group, None]
    mask &= (p.adaptations[group, None] & ~o.adaptations[cols][None, :]) == 0
    mask &= p.available[group, None] <= o.ends[cols][None, :]
    mask &= p.education[group, None] >= o.min_education[cols][None, :]
    prerequisite = o.prerequisite[cols]
    if prerequisite.nnz:
        needs = np.asarray(prerequisite.sum(axis=1)).ravel() > 0
        has = (p.experience[group] @ prerequisite.T).toarray() > 0
        mask &= ~needs[None, :] | has
    for i, j in data.excluded:
        hit_i, hit_j = np.flatnonzero(group == i), np.flatnonzero(cols == j)
        if hit_i.size and hit_j.size:
            mask[hit_i[0], hit_j[0]] = False
    return mask


def _factors(data: ScoringInput, group: np.ndarray, cols: np.ndarray,
             on_site: np.ndarray) -> dict[str, np.ndarray]:
    p, o = data.people, data.opportunities
    skills = p.skills[group]
    required = o.required[cols]
    need = np.asarray(required.sum(axis=1)).ravel()
    covered = np.asarray(skills @ required.T.toarray())
    coverage = np.where(need > 0, covered / np.maximum(need, 1), 0.8)
    merit = o.merit[cols]
    merit_n = np.asarray(merit.sum(axis=1)).ravel()
    merit_cov = np.asarray(skills @ merit.T.toarray()) / np.maximum(merit_n, 1)
    skill = np.where(merit_n > 0, 0.85 * coverage + 0.15 * merit_cov, coverage)
    occ = o.occupation[cols]
    known = occ >= 0
    sim = np.zeros((data.similarity.shape[0], cols.size), dtype=np.float32)
    sim[:, known] = data.similarity[:, occ[known]]
    experience = np.minimum(1.0, (p.experience[group] @ sim))
    preferred = np.zeros((group.size, cols.size), dtype=np.float32)
    preferred[:, known] = p.preferred[group][:, occ[known]].toarray()
    sectors = np.where((p.preferred_sectors[group, None] & o.sector[cols][None, :]) != 0, 0.5, 0.0)
    step = step_value(o.kind[cols][None, :], p.distance[group, None])
    # a course towards the occupation one already has years in is not a step up
    own = np.zeros((group.size, cols.size), dtype=np.float32)
    own[:, known] = p.experience[group][:, occ[known]].toarray()
    is_training = o.kind[cols][None, :] == TRAINING
    step = np.where(is_training & (own >= 0.8), step * 0.3, step)
    # a general course (no target occupation) is the step for those without upper-secondary school
    general = is_training & ~known[None, :]
    lacks_school = p.education[group, None] < 3
    step = np.where(general, np.where(lacks_school, 1.0, 0.1), step)
    return {
        "skills": skill,
        "experience": experience,
        "travel": np.clip(1.0 - on_site[None, :] / np.maximum(p.max_commute[group, None], 1.0), 0, 1),
        "preference": np.maximum(preferred, sectors),
        "shortage": np.broadcast_to(np.where(known, data.shortage[np.maximum(occ, 0)], GENERAL),
                                    (group.size, cols.size)),
        "step": step,
    }


def _score_block(data: ScoringInput, group: np.ndarray, locality: int) -> Candidates | None:
    cols, minutes = _reachable(data, group, locality)
    if cols.size == 0:
        return None
    on_site = minutes * (1.0 - data.opportunities.remote[cols])
    mask = _feasible(data, group, cols, on_site)
    factors = _factors(data, group, cols, on_site)
    is_job = data.opportunities.kind[cols][None, :] == JOB
    ready = (factors["skills"] >= MIN_JOB_READINESS) | (factors["experience"] >= 0.5)
    entry = data.opportunities.entry[cols][None, :]
    mask &= ~is_job | ready | entry
    fit = sum(WEIGHTS[f] * factors[f] for f in FACTORS) * 100.0
    fit = np.where(mask, fit, -np.inf)
    k = min(data.k, cols.size)
    top = np.argpartition(-fit, k - 1, axis=1)[:, :k]
    r = np.repeat(np.arange(group.size), k)
    c = top.ravel()
    keep = np.isfinite(fit[r, c])
    r, c = r[keep], c[keep]
    return Candidates(
        person=group[r].astype(np.int64), opportunity=cols[c].astype(np.int64),
        fit=fit[r, c].astype(np.float64),
        factors={f: np.asarray(np.broadcast_to(factors[f], fit.shape)[r, c], dtype=np.float64)
                 for f in FACTORS},
        minutes=minutes[c].astype(np.float64),
    )
