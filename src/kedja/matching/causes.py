"""Which rule removes a group's places: the causes behind a four-fifths flag.

The audit says *that* a group is placed less often than the best-off group; this module says
*which* hard constraint or factor removes most of its places. For every person of the group and
of the reference group (the best-off one) it counts, over every opportunity in the region, the
places (capacity) each constraint rules out on its own: needed **adaptations** not offered, the
**Swedish** level, **experience** (schooling, a course's admission rule, or a job's skills and
related experience), **reach** (the commute over the person's maximum, by car or by public
transport for those who do not drive), **hours** (the step asks more hours a week than the
person can work) and **other** rules (driving licences, dates). A place can
be ruled out by several. It then compares the group's mean share of places removed with the
reference group's; the cause is the rule with the largest excess. **Capacity** is the share of
the group's people who had candidates but were left without a place, against the reference's.

The groups are labels the caller passes in; no score reads them.

Complexity: O(P · O) per group for P people and O opportunities, in blocks of 512 people.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from kedja.matching.scoring import CAR_LICENCES, JOB, MIN_JOB_READINESS, ScoringInput

__all__ = ["CAUSES", "blocked_places", "group_causes"]

CAUSES = ("adaptations", "swedish", "experience", "reach", "hours", "other")


def blocked_places(data: ScoringInput, rows: np.ndarray) -> dict[str, np.ndarray]:
    """For each person row, the places each constraint rules out on its own (capacity-weighted)."""
    out = {cause: np.zeros(rows.size) for cause in CAUSES}
    for start in range(0, rows.size, 512):
        block = rows[start:start + 512]
        for cause, mask in _masks(data, block).items():
            out[cause][start:start + block.size] = mask @ data.opportunities.capacity.astype(float)
    return out


def _masks(data: ScoringInput, rows: np.ndarray) -> dict[str, np.ndarray]:
    p, o = data.people, data.opportunities
    col = np.newaxis
    return {
        "adaptations": (p.adaptations[rows, col] & ~o.adaptations[col, :]) != 0,
        "swedish": (p.swedish[rows, col] < o.swedish[col, :])
                   | (p.swedish[rows, col] > o.max_swedish[col, :]),
        "experience": _experience(data, rows),
        "reach": _reach(data, rows),
        "hours": o.hours[col, :] > p.hours[rows, col],
        "other": ((o.licences[col, :] & ~p.licences[rows, col]) != 0)
                 | (p.available[rows, col] > o.ends[col, :]),
    }


def _experience(data: ScoringInput, rows: np.ndarray) -> np.ndarray:
    p, o = data.people, data.opportunities
    blocked = p.education[rows, np.newaxis] < o.min_education[np.newaxis, :]
    needs = np.diff(o.prerequisite.indptr) > 0
    if needs.any():
        has = (p.experience[rows] @ o.prerequisite.T).toarray() > 0
        blocked |= needs[np.newaxis, :] & ~has
    required = np.diff(o.required.indptr).astype(float)
    covered = (p.skills[rows] @ o.required.T).toarray() / np.maximum(required, 1.0)
    occ = o.occupation
    related = np.asarray((p.experience[rows] @ data.related).todense())
    experienced = np.where(occ >= 0, related[:, np.maximum(occ, 0)], 0.0) >= 0.5
    job = (o.kind == JOB) & ~o.entry & (required > 0)
    return blocked | (job[np.newaxis, :] & (covered < MIN_JOB_READINESS) & ~experienced)


def _reach(data: ScoringInput, rows: np.ndarray) -> np.ndarray:
    p, o = data.people, data.opportunities
    car = data.car_minutes[p.locality[rows]][:, o.locality]
    minutes = car
    if data.public_minutes is not None:
        public = data.public_minutes[p.locality[rows]][:, o.locality]
        drives = (p.licences[rows] & CAR_LICENCES) != 0
        minutes = np.where(drives[:, np.newaxis], car, public)
    remote = o.remote[np.newaxis, :]
    with np.errstate(invalid="ignore"):
        on_site = np.where(remote >= 0.99, 0.0, minutes * (1.0 - remote))
    return on_site > p.max_commute[rows, np.newaxis]


def group_causes(data: ScoringInput, labels: Sequence[str], flagged: Sequence[str], reference: str,
                 place_of: np.ndarray, has_candidate: np.ndarray) -> list[dict[str, Any]]:
    """The causes for each of the ``flagged`` groups against the ``reference`` group.

    ``labels`` gives each person row's group, ``place_of`` the allocation (−1: no place) and
    ``has_candidate`` whether the person had any candidate step at all.
    """
    labels_arr = np.asarray(labels)
    total = float(data.opportunities.capacity.sum()) or 1.0
    ref_rows = np.flatnonzero(labels_arr == reference)
    ref = blocked_places(data, ref_rows)
    ref_capacity = _capacity(ref_rows, place_of, has_candidate)
    out = []
    for group in flagged:
        rows = np.flatnonzero(labels_arr == group)
        if rows.size == 0:
            continue
        mine = blocked_places(data, rows)
        removed: dict[str, dict[str, Any]] = {cause: {
            "group_share": round(float(mine[cause].mean()) / total, 4),
            "reference_share": round(float(ref[cause].mean()) / total, 4) if ref_rows.size else None,
            "group_mean_places": round(float(mine[cause].mean()), 1),
            "people_most_blocked": int(np.sum(np.argmax(np.vstack([mine[c] for c in CAUSES]), axis=0)
                                              == CAUSES.index(cause))),
        } for cause in CAUSES}
        capacity = _capacity(rows, place_of, has_candidate)
        excess = {c: removed[c]["group_share"] - (removed[c]["reference_share"] or 0.0) for c in CAUSES}
        excess["capacity"] = capacity["share_unplaced"] - ref_capacity["share_unplaced"]
        out.append({"group": group, "reference_group": reference, "people": int(rows.size),
                    "placed": int(np.sum(place_of[rows] >= 0)), "places_removed": removed,
                    "capacity": capacity | {"reference_share_unplaced": ref_capacity["share_unplaced"]},
                    "excess": {k: round(v, 4) for k, v in excess.items()},
                    "main_cause": max(excess, key=lambda k: excess[k])})
    return out


def _capacity(rows: np.ndarray, place_of: np.ndarray, has_candidate: np.ndarray) -> dict[str, Any]:
    with_candidates = rows[has_candidate[rows]]
    unplaced = int(np.sum(place_of[with_candidates] < 0))
    return {"people_with_candidates": int(with_candidates.size), "unplaced_with_candidates": unplaced,
            "people_without_candidates": int(rows.size - with_candidates.size),
            "share_unplaced": round(unplaced / with_candidates.size, 4) if with_candidates.size else 0.0}
