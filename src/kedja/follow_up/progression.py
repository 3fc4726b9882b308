"""Distance travelled: how far a participant's own ratings moved between their first and last.

Each participant rates themselves on a few dimensions (1 = far from work, 10 = ready), repeated
over time. On each dimension rated at least twice, the distance is the last score minus the
first; a participant's distance travelled is the mean over those dimensions. O(assessments).

Examples:
    >>> from datetime import date
    >>> from kedja.core.journeys import ProgressAssessment as A
    >>> rows = [A("P1", date(2026, 1, 1), "confidence", 3), A("P1", date(2026, 6, 1), "confidence", 7),
    ...         A("P1", date(2026, 1, 1), "health", 5), A("P1", date(2026, 6, 1), "health", 4),
    ...         A("P2", date(2026, 1, 1), "health", 5)]
    >>> distance_travelled(rows)
    {'P1': 1.5}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kedja.core.journeys import ProgressAssessment

__all__ = ["dimension_changes", "distance_travelled"]


def dimension_changes(assessments: Iterable[ProgressAssessment]) -> dict[str, dict[str, int]]:
    """Per person, per dimension rated at least twice: last score minus first score."""
    series: dict[tuple[str, str], list[tuple[object, int]]] = defaultdict(list)
    for a in assessments:
        series[(a.person_id, a.dimension.value)].append((a.assessed_on, a.score))
    changes: dict[str, dict[str, int]] = defaultdict(dict)
    for (person, dimension), points in series.items():
        if len(points) >= 2:
            points.sort()
            changes[person][dimension] = points[-1][1] - points[0][1]
    return dict(changes)


def distance_travelled(assessments: Iterable[ProgressAssessment]) -> dict[str, float]:
    """Per person with a repeated rating, the mean change over their repeated dimensions."""
    return {person: sum(by_dim.values()) / len(by_dim)
            for person, by_dim in sorted(dimension_changes(assessments).items())}
