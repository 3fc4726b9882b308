"""Candidate generation and scoring with a breakdown, vectorised per home locality.

People who live in the same locality form a block; the opportunities within reach of that
locality are its columns. Not every pair in a block is scored: a job is a candidate only if
the person shares a required skill with it or has worked in a related occupation (a sparse
product finds those pairs), and entry steps (courses, ASF placements, internships, jobs that
need no particular skills) come from a short list per kind ranked by travel and shortage, plus
those in occupations related to the person's own. Every candidate pair is then checked against
the hard constraints (licence, Swedish, hours, adaptations, dates, education, prerequisites,
exclusions) and scored element-wise; each person keeps the ``k`` best.

Complexity: O(P·k' + Σ_blocks c) for P people with k' candidate pairs each and c reachable
opportunities per block, plus the sparse products; memory is one block at a time. The
national-scale benchmark (``bench/bench_matching_national.py``) measures it.

The fit is ``100 × Σ weight × factor`` with every factor in [0, 1]:

========== ====== =====================================================================
factor     weight meaning
========== ====== =====================================================================
skills     0.30   share of required skills the person has (verified 1, self-reported 0.85,
                  informal 0.7), with merit skills as a bonus; 0.8 where none is required
experience 0.20   similarity of the person's past occupations to the step's occupation
travel     0.10   willingness to commute that long, from the gravity fit on SCB's commuting
                  matrix: (1 + t/τ)^−γ for the on-site commute t (see ``travel_value``)
preference 0.10   1 for a preferred occupation, 0.5 for a preferred sector
shortage   0.10   shortage of people in the destination occupation
step       0.20   how well the kind of step fits the person's distance from the labour
                  market: jobs for people close to it, ASF placements and internships for
                  people far from it, courses for both
========== ====== =====================================================================
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from kedja.core.opportunities import OpportunityKind
from kedja.matching.encoding import KIND_CODES, LICENCE_BIT, EncodedOpportunities, EncodedPeople

__all__ = [
    "FACTORS",
    "SHORTLIST",
    "WEIGHTS",
    "Candidates",
    "ScoringInput",
    "generate_candidates",
    "step_value",
]

WEIGHTS = {"skills": 0.30, "experience": 0.20, "travel": 0.10, "preference": 0.10,
           "shortage": 0.10, "step": 0.20}
FACTORS = tuple(WEIGHTS)
JOB = KIND_CODES[OpportunityKind.JOB]
TRAINING = KIND_CODES[OpportunityKind.TRAINING]
SHORTLIST = 60
"""Entry steps of each kind that every person in a block is scored against."""
RELATED = 0.5
"""Occupation similarity from which a job in that occupation is worth scoring."""
CAR_LICENCES = sum(LICENCE_BIT[name] for name in ("B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D",
                                                  "DE"))
"""Licences that let a person drive a car to work; others travel by public transport."""
GENERAL = 0.6
"""Shortage value of a general course: it opens the door to every occupation in short supply."""
MIN_JOB_READINESS = 0.34
"""A job is a candidate only if the person has a third of its skills or relevant experience,
unless its occupation needs no particular skills or schooling (an entry job)."""


COMMUTE_DECAY_GAMMA = 2.42
COMMUTE_DECAY_SHIFT = 10.0
"""The decay ``(1 + t/τ)^−γ`` fitted by ``kedja reach fit-commuting`` on SCB's commuting matrix of
Norrbotten 2020–2024 (γ = 2.42, τ = 10 min; docs/matching.md has the fit and its figures)."""


def travel_value(on_site: np.ndarray) -> np.ndarray:
    """The travel factor: the willingness to commute ``on_site`` minutes, 1 at no travel.

    Examples:
        >>> travel_value(np.array([0.0, 10.0, 45.0])).round(3).tolist()
        [1.0, 0.187, 0.016]
    """
    return (1.0 + np.asarray(on_site, dtype=np.float64) / COMMUTE_DECAY_SHIFT) ** -COMMUTE_DECAY_GAMMA


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
    public_minutes: np.ndarray | None = None
    """Locality × locality minutes by public transport, for people who cannot drive."""
    weights: dict[str, float] = field(default_factory=lambda: dict(WEIGHTS))
    """The score's weights (the approved version in the algorithm register, else ``WEIGHTS``)."""
    related: sp.csr_matrix = field(init=False)

    def __post_init__(self) -> None:
        self.related = sp.csr_matrix(np.where(self.similarity >= RELATED, self.similarity, 0.0)
                                     .astype(np.float32))


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


def generate_candidates(data: ScoringInput, people: np.ndarray | None = None,
                        workers: int | None = None) -> Candidates:
    """Score the candidate pairs of ``people`` (row indices; all by default), k best each.

    Blocks are scored on ``workers`` threads (default: up to two, one per core); numpy and
    scipy release the GIL in the heavy loops, and the result is the same in any case.
    """
    rows = np.arange(len(data.people.ids)) if people is None else np.asarray(people)
    workers = workers or min(2, os.cpu_count() or 1)
    jobs = list(_block_jobs(data, rows))
    if workers > 1 and len(jobs) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            scored = list(pool.map(lambda job: _score_block(data, *job), jobs))
    else:
        scored = [_score_block(data, *job) for job in jobs]
    blocks = [b for b in scored if b is not None]
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


def _block_jobs(data: ScoringInput, rows: np.ndarray) -> Iterator[tuple[np.ndarray, int]]:
    localities = data.people.locality[rows]
    for locality in np.unique(localities):
        group = rows[localities == locality]
        for start in range(0, group.size, 512):
            yield group[start:start + 512], int(locality)


def _reachable(data: ScoringInput, group: np.ndarray, locality: int) -> tuple[np.ndarray, np.ndarray]:
    opp = data.opportunities
    minutes = data.car_minutes[locality, opp.locality]
    on_site = minutes * (1.0 - opp.remote)
    widest = data.people.max_commute[group].max()
    columns = np.flatnonzero((on_site <= widest) | (opp.remote >= 0.99))
    return columns, minutes[columns]


def _pairs(data: ScoringInput, group: np.ndarray, cols: np.ndarray,
           minutes: np.ndarray) -> tuple[np.ndarray, np.ndarray, sp.csr_matrix, sp.csr_matrix]:
    """Candidate pairs of a block (local row, local column), with skill overlap matrices."""
    p, o = data.people, data.opportunities
    skills = p.skills[group]
    covered = (skills @ o.required[cols].T).tocsr()
    merit = (skills @ o.merit[cols].T).tocsr()
    occ = o.occupation[cols]
    known = occ >= 0
    onehot = sp.csr_matrix((np.ones(int(known.sum()), dtype=np.float32),
                            (occ[known], np.flatnonzero(known))),
                           shape=(data.similarity.shape[0], cols.size))
    related = (p.experience[group] @ data.related) + p.preferred[group]
    linked = (related @ onehot).tocsr()
    entry = _shortlist(data, cols, minutes)
    short = sp.csr_matrix((np.ones(group.size * entry.size, dtype=np.float32),
                           (np.repeat(np.arange(group.size), entry.size), np.tile(entry, group.size))),
                          shape=(group.size, cols.size))
    union = (abs(covered) + abs(merit) + abs(linked) + short).tocoo()
    return union.row.astype(np.int64), union.col.astype(np.int64), covered, merit


def _shortlist(data: ScoringInput, cols: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    """Local columns of entry steps: per kind, the best by travel and shortage."""
    o = data.opportunities
    need = np.diff(o.required.indptr)[cols]
    kind = o.kind[cols]
    entry = (kind != JOB) | o.entry[cols] | (need == 0)
    occ = o.occupation[cols]
    value = np.where(occ >= 0, data.shortage[np.maximum(occ, 0)], GENERAL)
    value = value + np.clip(1.0 - minutes * (1.0 - o.remote[cols]) / 90.0, 0.0, 1.0)
    chosen = []
    for code in np.unique(kind[entry]):
        members = np.flatnonzero(entry & (kind == code))
        if members.size > SHORTLIST:
            members = members[np.argpartition(-value[members], SHORTLIST - 1)[:SHORTLIST]]
        chosen.append(members)
    return np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.int64)


def _feasible(data: ScoringInput, people: np.ndarray, opps: np.ndarray,
              on_site: np.ndarray) -> np.ndarray:
    """Hard constraints, element-wise over candidate pairs (global person and opportunity rows)."""
    p, o = data.people, data.opportunities
    mask = (on_site <= p.max_commute[people]) | (o.remote[opps] >= 0.99)
    mask &= (o.licences[opps] & ~p.licences[people]) == 0
    mask &= (p.swedish[people] >= o.swedish[opps]) & (p.swedish[people] <= o.max_swedish[opps])
    mask &= o.hours[opps] <= p.hours[people]
    mask &= (p.adaptations[people] & ~o.adaptations[opps]) == 0
    mask &= p.available[people] <= o.ends[opps]
    mask &= p.education[people] >= o.min_education[opps]
    if o.prerequisite.nnz:
        needs = np.diff(o.prerequisite.indptr)[opps] > 0
        if needs.any():
            has = np.asarray(p.experience[people[needs]].multiply(o.prerequisite[opps[needs]])
                             .sum(axis=1)).ravel() > 0
            mask[np.flatnonzero(needs)[~has]] = False
    if data.excluded:
        excluded = np.array(sorted(data.excluded), dtype=np.int64)
        mask &= ~np.isin(people * len(o.ids) + opps, excluded[:, 0] * len(o.ids) + excluded[:, 1])
    return mask


def _factors(data: ScoringInput, group: np.ndarray, cols: np.ndarray, r: np.ndarray,
             c: np.ndarray, on_site: np.ndarray,
             overlaps: tuple[sp.csr_matrix, sp.csr_matrix]) -> dict[str, np.ndarray]:
    p, o = data.people, data.opportunities
    people, opps = group[r], cols[c]
    need = np.diff(o.required.indptr)[opps].astype(np.float32)
    covered = np.asarray(overlaps[0][r, c]).ravel()
    coverage = np.where(need > 0, covered / np.maximum(need, 1), 0.8)
    merit_n = np.diff(o.merit.indptr)[opps].astype(np.float32)
    merit_cov = np.asarray(overlaps[1][r, c]).ravel() / np.maximum(merit_n, 1)
    occ = o.occupation[opps]
    known = occ >= 0
    safe = np.maximum(occ, 0)
    experience_g = p.experience[group]
    experience = np.where(known, np.minimum(1.0, (experience_g @ data.similarity)[r, safe]), 0.0)
    preferred = np.where(known, p.preferred[group].toarray()[r, safe], 0.0)
    sector = np.where((p.preferred_sectors[people] & o.sector[opps]) != 0, 0.5, 0.0)
    kind = o.kind[opps]
    return {
        "skills": np.where(merit_n > 0, 0.85 * coverage + 0.15 * merit_cov, coverage),
        "experience": experience,
        "travel": travel_value(on_site),
        "preference": np.maximum(preferred, sector),
        "shortage": np.where(known, data.shortage[safe], GENERAL),
        "step": _step(kind, p.distance[people], known,
                      np.where(known, experience_g.toarray()[r, safe], 0.0), p.education[people]),
    }


def _step(kind: np.ndarray, distance: np.ndarray, known: np.ndarray, own: np.ndarray,
          education: np.ndarray) -> np.ndarray:
    step = step_value(kind, distance)
    training = kind == TRAINING
    # a course towards the occupation one already has years in is not a step up
    step = np.where(training & (own >= 0.8), step * 0.3, step)
    # a general course (no target occupation) is the step for those without upper-secondary school
    return np.where(training & ~known, np.where(education < 3, 1.0, 0.1), step)


def _score_block(data: ScoringInput, group: np.ndarray, locality: int) -> Candidates | None:
    cols, minutes = _reachable(data, group, locality)
    if cols.size == 0:
        return None
    r, c, covered, merit = _pairs(data, group, cols, minutes)
    travel = _pair_minutes(data, group, cols, locality, minutes, r, c)
    remote = data.opportunities.remote[cols[c]]
    # wholly remote steps need no travel, even where no public transport goes
    with np.errstate(invalid="ignore"):
        on_site = np.where(remote >= 0.99, 0.0, travel * (1.0 - remote))
    keep = _feasible(data, group[r], cols[c], on_site)
    r, c, on_site, travel = r[keep], c[keep], on_site[keep], travel[keep]
    factors = _factors(data, group, cols, r, c, on_site, (covered, merit))
    o = data.opportunities
    opps = cols[c]
    ready = (factors["skills"] >= MIN_JOB_READINESS) | (factors["experience"] >= 0.5)
    keep = (o.kind[opps] != JOB) | ready | o.entry[opps]
    fit = np.sum([data.weights[f] * factors[f] for f in FACTORS], axis=0) * 100.0
    r, c, fit, travel = r[keep], c[keep], fit[keep], travel[keep]
    top = _top_k(r, fit, data.k)
    return Candidates(
        person=group[r[top]].astype(np.int64), opportunity=cols[c[top]].astype(np.int64),
        fit=fit[top].astype(np.float64),
        factors={f: np.asarray(v[keep][top], dtype=np.float64) for f, v in factors.items()},
        minutes=travel[top].astype(np.float64),
    )


def _pair_minutes(data: ScoringInput, group: np.ndarray, cols: np.ndarray, locality: int,
                  minutes: np.ndarray, r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Minutes per pair: by car for people who may drive one, else by public transport."""
    if data.public_minutes is None:
        return minutes[c]
    public = data.public_minutes[locality, data.opportunities.locality[cols]]
    drives = (data.people.licences[group[r]] & CAR_LICENCES) != 0
    return np.where(drives, minutes[c], public[c])


def _top_k(rows: np.ndarray, fit: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` best pairs of each row, best first within a row; O(n log n).

    Examples:
        >>> _top_k(np.array([0, 0, 0, 1]), np.array([5.0, 9.0, 7.0, 1.0]), 2).tolist()
        [1, 2, 3]
    """
    # one sort on a composite key: rows ascending, fit (in [0, 100]) descending within a row
    order = np.argsort(rows * 1_000.0 - fit, kind="stable")
    sorted_rows = rows[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_rows)) + 1]
    rank = np.arange(order.size) - np.repeat(starts, np.diff(np.r_[starts, order.size]))
    return order[rank < k]
