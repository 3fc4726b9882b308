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

import itertools
import os
import threading
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

    Blocks are scored on ``workers`` threads (default: up to two, one per core); the heavy
    loops are NumPy and SciPy kernels that release the GIL, and the result is the same in
    any case. What depends only on a block's locality and widest commute (its reachable
    columns, their short list and skill matrices) is computed once and shared by the blocks
    that have the same.
    """
    rows = np.arange(len(data.people.ids)) if people is None else np.asarray(people)
    workers = workers or min(2, os.cpu_count() or 1)
    jobs = list(_block_jobs(data, rows))
    context = _Context(data, thin=rows.size >= THIN_FROM)
    if workers > 1 and len(jobs) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            scored = list(pool.map(lambda job: _score_block(context, *job), jobs))
    else:
        scored = [_score_block(context, *job) for job in jobs]
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


BLOCK = 512
THIN_FROM = 2_000
"""People from which a run first classifies people and opportunities by their hard-constraint
attributes (``_attribute_classes``): for one person (a pathway page) the sort of every
opportunity costs more than it saves."""
"""People of one locality scored together (the short list is drawn for each such block)."""
REACHES_KEPT = 8
"""Reaches (columns and their matrices) kept for the next blocks; a few suffice, since blocks
come locality by locality, and keeping all would hold every locality's matrices at once."""


def _block_jobs(data: ScoringInput, rows: np.ndarray) -> Iterator[tuple[np.ndarray, int]]:
    localities = data.people.locality[rows]
    order = np.argsort(localities, kind="stable")
    sorted_localities = localities[order]
    bounds = np.r_[0, np.flatnonzero(np.diff(sorted_localities)) + 1, order.size]
    for a, b in itertools.pairwise(bounds.tolist()):
        group = rows[order[a:b]]
        for start in range(0, group.size, BLOCK):
            yield group[start:start + BLOCK], int(sorted_localities[a])


@dataclass
class _Reach:
    """What a block's columns depend on: the opportunities within its widest commute."""

    cols: np.ndarray
    minutes: np.ndarray
    entry: np.ndarray
    required: sp.csr_matrix
    merit: sp.csr_matrix
    onehot: sp.csr_matrix
    onehot_open: sp.csr_matrix
    """Only the columns a person may take without skills or experience (see ``_pairs``)."""
    need: np.ndarray
    merit_n: np.ndarray
    demand: np.ndarray
    """The attribute class of each column (see ``_attribute_classes``)."""
    entry_slot: np.ndarray = field(init=False)
    """Position of each local column in ``entry``, -1 for columns outside the short list."""

    def __post_init__(self) -> None:
        self.entry_slot = np.full(self.cols.size, -1, dtype=np.int64)
        self.entry_slot[self.entry] = np.arange(self.entry.size)


class _Context:
    """The scoring input with per-opportunity derived arrays and a cache of reaches."""

    def __init__(self, data: ScoringInput, *, thin: bool = True) -> None:
        self.data = data
        o = data.opportunities
        self.need = np.diff(o.required.indptr).astype(np.float32)
        self.merit_n = np.diff(o.merit.indptr).astype(np.float32)
        self.on_site_share = 1.0 - o.remote
        self.wholly_remote = o.remote >= 0.99
        # the attribute classes cost a sort of every opportunity: worth it for many people only
        self.allowed: np.ndarray | None = None
        self.demand = np.zeros(len(o.ids), dtype=np.int64)
        if thin:
            self.profile, self.demand, self.allowed = _attribute_classes(data)
        self.reaches: dict[tuple[int, float], _Reach] = {}
        self.lock = threading.Lock()

    def reach(self, locality: int, widest: float) -> _Reach:
        key = (locality, widest)
        with self.lock:
            found = self.reaches.get(key)
        if found is None:
            found = self._reach(locality, widest)
            with self.lock:
                self.reaches[key] = found
                # blocks of one locality come one after another: keep only the latest few
                while len(self.reaches) > REACHES_KEPT:
                    del self.reaches[next(iter(self.reaches))]
        return found

    def _reach(self, locality: int, widest: float) -> _Reach:
        data, o = self.data, self.data.opportunities
        minutes = data.car_minutes[locality, o.locality]
        on_site = minutes * self.on_site_share
        cols = np.flatnonzero((on_site <= widest) | self.wholly_remote)
        minutes = minutes[cols]
        occ = o.occupation[cols]
        known = occ >= 0
        need = self.need[cols]
        open_ = known & ((o.kind[cols] != JOB) | o.entry[cols] | (need == 0))
        shape = (data.similarity.shape[0], cols.size)
        onehot = sp.csr_matrix((np.ones(int(known.sum()), dtype=np.float32),
                                (occ[known], np.flatnonzero(known))), shape=shape)
        onehot_open = sp.csr_matrix((np.ones(int(open_.sum()), dtype=np.float32),
                                     (occ[open_], np.flatnonzero(open_))), shape=shape)
        return _Reach(cols, minutes, np.sort(_shortlist(data, cols, minutes)),
                      o.required[cols].T.tocsr(), o.merit[cols].T.tocsr(), onehot, onehot_open,
                      need, self.merit_n[cols], self.demand[cols])


def _attribute_classes(data: ScoringInput) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """People and opportunities by their hard-constraint attributes, and which meet which.

    ``allowed[profile[i], demand[j]]`` holds where person ``i`` meets opportunity ``j``'s
    licence, Swedish, hours, adaptation and education terms: the checks of ``_feasible`` that
    depend on a few attributes with few distinct values, so a small table answers them for all
    pairs. Other checks (commute, dates, prerequisites, exclusions) are left to ``_feasible``.
    """
    p, o = data.people, data.opportunities
    people, profile = np.unique(np.stack([p.licences, p.swedish, p.hours, p.adaptations, p.education],
                                         axis=1).astype(np.int64), axis=0, return_inverse=True)
    terms, demand = np.unique(np.stack([o.licences, o.swedish, o.max_swedish, o.hours, o.adaptations,
                                        o.min_education], axis=1).astype(np.int64), axis=0,
                              return_inverse=True)
    lic, swe, hours, adapt, edu = (people[:, k, None] for k in range(5))
    o_lic, o_swe, o_max, o_hours, o_adapt, o_edu = (terms[None, :, k] for k in range(6))
    allowed = (((o_lic & ~lic) == 0) & (swe >= o_swe) & (swe <= o_max) & (o_hours <= hours)
               & ((adapt & ~o_adapt) == 0) & (edu >= o_edu))
    return profile.ravel(), demand.ravel(), allowed


def _admissible(matrix: sp.csr_matrix, profile: np.ndarray, demand: np.ndarray,
                allowed: np.ndarray) -> sp.csr_matrix:
    """``matrix`` (block rows × reach columns) without the pairs that ``allowed`` rules out."""
    rows = np.repeat(profile, np.diff(matrix.indptr))
    matrix.data = matrix.data * allowed[rows, demand[matrix.indices]]
    matrix.eliminate_zeros()
    return matrix


def _pairs(context: _Context, group: np.ndarray, reach: _Reach, similar: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs of a block outside the short list, and the overlaps of every pair.

    Returns the pairs (local row, local column, row-major) that share a skill with the person or
    are in a related occupation, less the short list's columns (every person of the block is
    paired with those; ``_entry_pairs`` takes them), with their covered required and merit skills,
    and the same overlaps on the block × short-list grid. ``similar`` is the block's experience ×
    occupation similarity. A job in a related occupation is a pair only where it could pass the
    readiness test: where the person's experience of its occupation reaches 0.5, or it needs no
    particular skills (shared skills make it a pair anyway); the jobs left out would be dropped
    after scoring, so the result is the same. So are the pairs whose person does not meet the
    opportunity's licence, language, hours, adaptation or schooling terms, dropped at once.
    """
    data, p = context.data, context.data.people
    allowed = context.allowed
    profile = context.profile[group] if allowed is not None else group

    def admissible(matrix: sp.csr_matrix) -> sp.csr_matrix:
        return matrix if allowed is None else _admissible(matrix, profile, reach.demand, allowed)

    skills = p.skills[group]
    covered = admissible(skills @ reach.required)
    merit = admissible(skills @ reach.merit)
    related = ((p.experience[group] @ data.related) + p.preferred[group]).tocsr()
    rows = np.repeat(np.arange(group.size), np.diff(related.indptr))
    strong = similar[rows, related.indices] >= 0.5
    # each part gets its own index arrays: eliminate_zeros compacts them in place
    experienced = sp.csr_matrix((related.data * strong, related.indices.copy(),
                                 related.indptr.copy()), shape=related.shape)
    others = sp.csr_matrix((related.data * ~strong, related.indices.copy(), related.indptr.copy()),
                           shape=related.shape)
    experienced.eliminate_zeros()
    others.eliminate_zeros()
    linked = admissible(experienced @ reach.onehot + others @ reach.onehot_open)
    n = reach.cols.size
    union = covered + merit + linked
    union.sort_indices()  # row-major pairs: ties in fit go to the lower opportunity row
    union = union.tocoo()
    r, c = union.row.astype(np.int64), union.col.astype(np.int64)
    keys = r * n + c
    covered_at, merit_at = _values_at(covered, keys, n), _values_at(merit, keys, n)
    slot = reach.entry_slot[c]
    listed = slot >= 0
    grid = (group.size, reach.entry.size)
    covered_grid = np.zeros(grid, dtype=covered.dtype)
    merit_grid = np.zeros(grid, dtype=merit.dtype)
    covered_grid[r[listed], slot[listed]] = covered_at[listed]
    merit_grid[r[listed], slot[listed]] = merit_at[listed]
    rest = ~listed
    return r[rest], c[rest], covered_at[rest], merit_at[rest], covered_grid, merit_grid


def _values_at(matrix: sp.csr_matrix, pairs: np.ndarray, width: int) -> np.ndarray:
    """``matrix`` at sorted pair keys ``row × width + column`` that include all its stored entries."""
    coo = matrix.tocoo()
    stored = coo.data != 0
    keys = coo.row[stored].astype(np.int64) * width + coo.col[stored]
    out = np.zeros(pairs.size, dtype=matrix.dtype)
    out[np.searchsorted(pairs, keys)] = coo.data[stored]
    return out


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


def _feasible(data: ScoringInput, group: np.ndarray, r: np.ndarray, opps: np.ndarray,
              on_site: np.ndarray) -> np.ndarray:
    """Indices of the candidate pairs that meet the hard constraints.

    Pairs are local person rows and global opportunity rows; the commute, which rules out most
    pairs, is checked first.
    """
    p, o = data.people, data.opportunities
    at = np.flatnonzero((on_site <= p.max_commute[group][r]) | (o.remote[opps] >= 0.99))
    r, opps = r[at], opps[at]
    mask = (o.licences[opps] & ~p.licences[group][r]) == 0
    swedish = p.swedish[group][r]
    mask &= (swedish >= o.swedish[opps]) & (swedish <= o.max_swedish[opps])
    mask &= o.hours[opps] <= p.hours[group][r]
    mask &= (p.adaptations[group][r] & ~o.adaptations[opps]) == 0
    mask &= p.available[group][r] <= o.ends[opps]
    mask &= p.education[group][r] >= o.min_education[opps]
    mask &= _pair_rules(data, group, r, opps)
    return at[mask]


def _feasible_grid(data: ScoringInput, group: np.ndarray, opps: np.ndarray,
                   on_site: np.ndarray) -> np.ndarray:
    """The checks of :func:`_feasible` but prerequisites and exclusions, on a people × opportunities grid."""
    p, o = data.people, data.opportunities
    mask = (on_site <= p.max_commute[group][:, None]) | (o.remote[opps] >= 0.99)[None, :]
    mask &= (o.licences[opps][None, :] & ~p.licences[group][:, None]) == 0
    swedish = p.swedish[group][:, None]
    mask &= (swedish >= o.swedish[opps][None, :]) & (swedish <= o.max_swedish[opps][None, :])
    mask &= o.hours[opps][None, :] <= p.hours[group][:, None]
    mask &= (p.adaptations[group][:, None] & ~o.adaptations[opps][None, :]) == 0
    mask &= p.available[group][:, None] <= o.ends[opps][None, :]
    mask &= p.education[group][:, None] >= o.min_education[opps][None, :]
    return mask


def _pair_rules(data: ScoringInput, group: np.ndarray, r: np.ndarray, opps: np.ndarray) -> np.ndarray:
    """Whether each pair meets the course prerequisites and is not excluded."""
    p, o = data.people, data.opportunities
    mask = np.ones(r.size, dtype=bool)
    if o.prerequisite.nnz:
        people = group[r]
        needs = np.diff(o.prerequisite.indptr)[opps] > 0
        if needs.any():
            has = np.asarray(p.experience[people[needs]].multiply(o.prerequisite[opps[needs]])
                             .sum(axis=1)).ravel() > 0
            mask[np.flatnonzero(needs)[~has]] = False
    if data.excluded:
        people = group[r]
        excluded = np.array(sorted(data.excluded), dtype=np.int64)
        mask &= ~np.isin(people * len(o.ids) + opps, excluded[:, 0] * len(o.ids) + excluded[:, 1])
    return mask


def _entry_pairs(data: ScoringInput, group: np.ndarray, reach: _Reach, locality: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The feasible pairs of the block with its short list, row-major.

    Local row, local column, minutes and on-site minutes of each; the grid is checked whole,
    as every person of the block meets every entry step.
    """
    o = data.opportunities
    columns = reach.entry
    opps = reach.cols[columns]
    minutes = reach.minutes[columns][None, :]
    if data.public_minutes is None:
        travel = np.broadcast_to(minutes, (group.size, columns.size))
    else:
        public = data.public_minutes[locality, o.locality[opps]][None, :]
        drives = ((data.people.licences[group] & CAR_LICENCES) != 0)[:, None]
        travel = np.where(drives, minutes, public)
    remote = o.remote[opps][None, :]
    with np.errstate(invalid="ignore"):
        on_site = np.where(remote >= 0.99, 0.0, travel * (1.0 - remote))
    r, j = np.nonzero(_feasible_grid(data, group, opps, on_site))
    keep = _pair_rules(data, group, r, opps[j])
    r, j = r[keep], j[keep]
    return r, columns[j], travel[r, j], on_site[r, j]


def _readiness(data: ScoringInput, group: np.ndarray, reach: _Reach, r: np.ndarray,
               c: np.ndarray, covered: np.ndarray, merit: np.ndarray,
               similar: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The skills and experience factors, which decide whether a job is worth proposing."""
    o = data.opportunities
    need = reach.need[c]
    coverage = np.where(need > 0, covered / np.maximum(need, 1), 0.8)
    merit_n = reach.merit_n[c]
    merit_cov = merit / np.maximum(merit_n, 1)
    occ = o.occupation[reach.cols[c]]
    experience = np.where(occ >= 0, np.minimum(1.0, similar[r, np.maximum(occ, 0)]), 0.0)
    return np.where(merit_n > 0, 0.85 * coverage + 0.15 * merit_cov, coverage), experience


def _other_factors(data: ScoringInput, group: np.ndarray, reach: _Reach, r: np.ndarray,
                   c: np.ndarray, on_site: np.ndarray) -> dict[str, np.ndarray]:
    p, o = data.people, data.opportunities
    opps = reach.cols[c]
    occ = o.occupation[opps]
    known = occ >= 0
    safe = np.maximum(occ, 0)
    preferred = np.where(known, p.preferred[group].toarray()[r, safe], 0.0)
    sector = np.where((p.preferred_sectors[group][r] & o.sector[opps]) != 0, 0.5, 0.0)
    return {
        "travel": travel_value(on_site),
        "preference": np.maximum(preferred, sector),
        "shortage": np.where(known, data.shortage[safe], GENERAL),
        "step": _step(o.kind[opps], p.distance[group][r], known,
                      np.where(known, p.experience[group].toarray()[r, safe], 0.0),
                      p.education[group][r]),
    }


def _step(kind: np.ndarray, distance: np.ndarray, known: np.ndarray, own: np.ndarray,
          education: np.ndarray) -> np.ndarray:
    step = step_value(kind, distance)
    training = kind == TRAINING
    # a course towards the occupation one already has years in is not a step up
    step = np.where(training & (own >= 0.8), step * 0.3, step)
    # a general course (no target occupation) is the step for those without upper-secondary school
    return np.where(training & ~known, np.where(education < 3, 1.0, 0.1), step)


def _score_block(context: _Context, group: np.ndarray, locality: int) -> Candidates | None:
    data, o = context.data, context.data.opportunities
    reach = context.reach(locality, float(data.people.max_commute[group].max()))
    cols = reach.cols
    if cols.size == 0:
        return None
    similar = data.people.experience[group] @ data.similarity
    r, c, covered, merit, covered_grid, merit_grid = _pairs(context, group, reach, similar)
    travel = _pair_minutes(data, group, cols, locality, reach.minutes, r, c)
    remote = o.remote[cols[c]]
    # wholly remote steps need no travel, even where no public transport goes
    with np.errstate(invalid="ignore"):
        on_site = np.where(remote >= 0.99, 0.0, travel * (1.0 - remote))
    at = _feasible(data, group, r, cols[c], on_site)
    er, ec, etravel, eon_site = _entry_pairs(data, group, reach, locality)
    slot = reach.entry_slot[ec]
    # both parts are row-major: one stable merge puts the pairs in row-major order again
    order = np.argsort(np.concatenate([r[at] * cols.size + c[at], er * cols.size + ec]), kind="stable")
    r = np.concatenate([r[at], er])[order]
    c = np.concatenate([c[at], ec])[order]
    on_site = np.concatenate([on_site[at], eon_site])[order]
    travel = np.concatenate([travel[at], etravel])[order]
    covered = np.concatenate([covered[at], covered_grid[er, slot]])[order]
    merit = np.concatenate([merit[at], merit_grid[er, slot]])[order]
    skills, experience = _readiness(data, group, reach, r, c, covered, merit, similar)
    opps = cols[c]
    ready = (skills >= MIN_JOB_READINESS) | (experience >= 0.5)
    at = np.flatnonzero((o.kind[opps] != JOB) | ready | o.entry[opps])
    r, c, on_site, travel = r[at], c[at], on_site[at], travel[at]
    factors = {"skills": skills[at], "experience": experience[at],
               **_other_factors(data, group, reach, r, c, on_site)}
    # the weighted sum in the order of FACTORS, in float64, as a stacked sum would add it
    fit = np.zeros(r.size, dtype=np.float64)
    for f in FACTORS:
        fit += data.weights[f] * factors[f]
    fit *= 100.0
    top = _top_k(r, fit, data.k)
    return Candidates(
        person=group[r[top]].astype(np.int64), opportunity=cols[c[top]].astype(np.int64),
        fit=fit[top], factors={f: np.asarray(factors[f][top], dtype=np.float64) for f in FACTORS},
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
