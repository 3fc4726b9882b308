"""Equal-treatment audit of an allocation, by group.

The audit receives group labels per person and dimension from the caller (the services layer
holds them); the allocation itself never saw them. For each dimension and group it reports the
share offered a step, the mean fit of those placed and the kinds of step, and the ratio of each
group's share to the best-off group's. A ratio under 0.8 is flagged: the "four-fifths rule" of
adverse-impact analysis (US EEOC Uniform Guidelines, 29 CFR 1607.4(D)). Groups under the
small-cell threshold are shown as suppressed.

Examples:
    >>> audit = audit_allocation(
    ...     person_ids=["a", "b", "c", "d"], placed_kind=["job", None, "training", None],
    ...     fit=[80.0, 0.0, 60.0, 0.0],
    ...     groups={"dimension": {"a": "x", "b": "x", "c": "y", "d": "y"}}, min_cell=1)
    >>> audit["dimension"]["groups"]["x"]["share_placed"], audit["dimension"]["flagged"]
    (0.5, [])
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["FOUR_FIFTHS", "audit_allocation", "group_ratios"]

FOUR_FIFTHS = 0.8


def audit_allocation(
    *,
    person_ids: Sequence[str],
    placed_kind: Sequence[str | None],
    fit: Sequence[float],
    groups: Mapping[str, Mapping[str, str]],
    min_cell: int = 5,
) -> dict[str, dict[str, Any]]:
    """Per dimension: each group's share placed, mean fit, kinds, ratio to the best, flags."""
    return {dimension: _audit_dimension(person_ids, placed_kind, fit, labels, min_cell)
            for dimension, labels in groups.items()}


def _audit_dimension(person_ids: Sequence[str], placed_kind: Sequence[str | None],
                     fit: Sequence[float], labels: Mapping[str, str],
                     min_cell: int) -> dict[str, Any]:
    members: dict[str, list[int]] = defaultdict(list)
    for index, person in enumerate(person_ids):
        members[labels.get(person, "unknown")].append(index)
    stats: dict[str, dict[str, Any]] = {}
    for group, rows in sorted(members.items()):
        if len(rows) < min_cell:
            stats[group] = {"people": None, "suppressed": True}
            continue
        placed = [r for r in rows if placed_kind[r] is not None]
        stats[group] = {
            "people": len(rows),
            "placed": len(placed),
            "share_placed": round(len(placed) / len(rows), 4),
            "mean_fit": round(sum(fit[r] for r in placed) / len(placed), 2) if placed else None,
            "kinds": dict(sorted(Counter(str(placed_kind[r]) for r in placed).items())),
        }
    ratios = group_ratios({g: s["share_placed"] for g, s in stats.items() if "share_placed" in s})
    return {"groups": stats, "ratios": ratios,
            "flagged": sorted(g for g, r in ratios.items() if r < FOUR_FIFTHS)}


def group_ratios(shares: Mapping[str, float]) -> dict[str, float]:
    """Each group's share divided by the largest share.

    Examples:
        >>> group_ratios({"a": 0.5, "b": 0.25})
        {'a': 1.0, 'b': 0.5}
    """
    best = max(shares.values(), default=0.0)
    return {g: round(s / best, 4) if best > 0 else 1.0 for g, s in shares.items()}
