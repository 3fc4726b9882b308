"""Indicators in the form funders ask for, with every count protected by suppression.

* **participants** by gender and age band, and by gender within each municipality,
  organisation and group (the activity's kind: ASF placement, training, job, …);
* **outcomes** 90, 180 and 365 days after exit (in work, in studies, other, unknown), with the share in
  work or studies, by the same breakdowns;
* **progression**: participants with a repeated self-assessment and their mean distance
  travelled (:mod:`kedja.follow_up.progression`), by the same breakdowns;
* an **equal-treatment report**: outcomes and progression by gender, age band and birth
  abroad, side by side.

Protected attributes (gender, birth year, country of birth) are read here, and only to count.
Every count table is protected by the cell-key method
(:class:`kedja.follow_up.perturbation.CellKeyMethod`): each cell, margins included, is
perturbed by a noise fixed by the people it counts, and a perturbed count under 5 is hidden.
A share is computed from perturbed counts; a mean from a perturbed sum over a perturbed count.
A row counts participations: a person enrolled with two organisations counts once in each
organisation's row.

Examples:
    >>> from datetime import date
    >>> people = [Participant(f"P{i}", f"E{i}", "2580", "ASF001", "asf_placement",
    ...                       date(2026, 1, 1), None, "female" if i % 2 else "male", "25-34")
    ...           for i in range(12)]
    >>> table = participants_by(people, "municipality")
    >>> table.columns, [abs(n - 6) <= 2 for n in table.published.cells[0][:2]]
    (('female', 'male', 'other', 'unknown'), [True, True])
    >>> table.published.cells[0][2:]
    (0, 0)
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import numpy as np

from kedja.core.journeys import Outcome, OutcomeStatus, ProgressAssessment
from kedja.follow_up.perturbation import KEY_SPACE, CellKeyMethod
from kedja.follow_up.progression import distance_travelled
from kedja.follow_up.suppression import THRESHOLD, PublishedTable

__all__ = [
    "AGE_BANDS",
    "BREAKDOWNS",
    "CELL_KEY",
    "FOLLOW_UP_DAYS",
    "GENDER_COLUMNS",
    "Cells",
    "IndicatorTable",
    "Participant",
    "Protection",
    "age_band",
    "count_table",
    "equal_treatment_report",
    "indicator_report",
    "outcomes_by",
    "participants_by",
    "participants_by_gender_and_age",
    "progression_by",
]

AGE_BANDS = ("16-24", "25-34", "35-44", "45-54", "55-64", "65+", "unknown")
GENDER_COLUMNS = ("female", "male", "other", "unknown")
OUTCOME_COLUMNS = ("work", "studies", "other", "unknown")
"""``unknown``: the follow-up day passed with the status unknown or not recorded; it stays in
the denominator of the share in work or studies."""
BREAKDOWNS = ("municipality", "organisation", "group")
EQUALITY_BREAKDOWNS = ("gender", "age_band", "born_abroad")
FOLLOW_UP_DAYS = (90, 180, 365)


@dataclass(frozen=True, slots=True)
class Participant:
    """One enrolment, with what the indicators break it down by."""

    person_id: str
    enrolment_id: str
    municipality_code: str
    organisation_id: str
    group: str
    start: date
    end: date | None
    gender: str | None
    age_band: str
    born_abroad: bool | None = None
    record_key: int | None = None
    """The cell-key method's random key of the person (stored in ``record_keys``); the services
    always give it. Without one, a key is derived from the id alone, which
    anyone could recompute: for examples and tests only."""

    def key_value(self) -> int:
        """The record key, or the unkeyed fallback."""
        if self.record_key is not None:
            return self.record_key
        return int.from_bytes(hashlib.sha256(self.person_id.encode()).digest()[:4], "big")

    def key(self, breakdown: str) -> str:
        """The participant's row in a breakdown."""
        if breakdown == "municipality":
            return self.municipality_code
        if breakdown == "organisation":
            return self.organisation_id
        if breakdown == "group":
            return self.group
        if breakdown == "gender":
            return self.gender or "unknown"
        if breakdown == "age_band":
            return self.age_band
        if breakdown == "born_abroad":
            return {True: "born_abroad", False: "born_in_sweden", None: "unknown"}[self.born_abroad]
        raise ValueError(f"unknown breakdown {breakdown!r}")


@dataclass(frozen=True, slots=True)
class IndicatorTable:
    """One published table: counts (suppressed) and, per row, a derived value or ``None``."""

    indicator: str
    breakdown: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    published: PublishedTable
    value_name: str | None = None
    values: tuple[float | None, ...] = ()
    total_value: float | None = None


def age_band(birth_year: int | None, on: date) -> str:
    """The age band of someone born in ``birth_year`` in the year of ``on``.

    Examples:
        >>> age_band(2000, date(2026, 6, 1)), age_band(None, date(2026, 6, 1))
        ('25-34', 'unknown')
    """
    if birth_year is None:
        return "unknown"
    age = on.year - birth_year
    for band, upper in zip(AGE_BANDS, (24, 34, 44, 54, 64), strict=False):
        if age <= upper:
            return band
    return "65+"


class Protection(Protocol):
    """How counts and sums are protected before publication."""

    def table(self, counts: np.ndarray, keys: np.ndarray) -> PublishedTable:
        """The published table of ``counts`` (cell keys alongside)."""
        ...

    def total(self, total: float, largest: float, key: int) -> float:
        """The published value of a sum of contributions."""
        ...


CELL_KEY = CellKeyMethod()


class Cells:
    """Counts and cell keys per (row, column), filled one record at a time."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str], int] = defaultdict(int)
        self.keys: dict[tuple[str, str], int] = defaultdict(int)

    def add(self, row: str, column: str, key: int) -> None:
        """Count one record (its key joins the cell's key)."""
        self.counts[(row, column)] += 1
        self.keys[(row, column)] = (self.keys[(row, column)] + key) % KEY_SPACE

    def rows(self) -> list[str]:
        """The rows seen, sorted."""
        return sorted({row for row, _ in self.counts})


def count_table(indicator: str, breakdown: str, cells: Cells, rows: Sequence[str],
                columns: Sequence[str], protection: Protection) -> IndicatorTable:
    """The protected table of the counts in ``cells`` over ``rows`` × ``columns``."""
    matrix = np.zeros((max(1, len(rows)), len(columns)), dtype=np.int64)
    keys = np.zeros(matrix.shape, dtype=object)
    for (row, column), n in cells.counts.items():
        matrix[rows.index(row), columns.index(column)] = n
        keys[rows.index(row), columns.index(column)] = cells.keys[(row, column)]
    return IndicatorTable(indicator, breakdown, tuple(rows) or ("none",), tuple(columns),
                          protection.table(matrix, keys))


def _unique(participants: Iterable[Participant], breakdown: str) -> dict[tuple[str, str], Participant]:
    return {(p.person_id, p.key(breakdown)): p for p in participants}


def participants_by(participants: Iterable[Participant], breakdown: str, *,
                    protection: Protection = CELL_KEY) -> IndicatorTable:
    """Participants by gender within each row of ``breakdown``."""
    cells = Cells()
    for (_, row), p in _unique(participants, breakdown).items():
        cells.add(row, p.gender or "unknown", p.key_value())
    return count_table("participants", breakdown, cells, cells.rows(), GENDER_COLUMNS, protection)


def participants_by_gender_and_age(participants: Iterable[Participant], *,
                                   protection: Protection = CELL_KEY) -> IndicatorTable:
    """Participants by gender (rows) and age band (columns), each person once."""
    cells = Cells()
    for p in {p.person_id: p for p in participants}.values():
        cells.add(p.gender or "unknown", p.age_band, p.key_value())
    return count_table("participants", "gender_age_band", cells, GENDER_COLUMNS, AGE_BANDS,
                  protection)


def _outcome_column(status: OutcomeStatus) -> str:
    return {OutcomeStatus.WORKING: "work", OutcomeStatus.STUDYING: "studies",
            OutcomeStatus.UNKNOWN: "unknown"}.get(status, "other")


def _share(numerators: Sequence[int | None], base: int | None) -> float | None:
    if base is None or base == 0 or any(n is None for n in numerators):
        return None
    return sum(n for n in numerators if n is not None) / base


def outcomes_by(participants: Iterable[Participant], outcomes: Iterable[Outcome], days: int,
                breakdown: str, *, protection: Protection = CELL_KEY) -> IndicatorTable:
    """Outcomes ``days`` after exit (work, studies, other) and the share in work or studies."""
    by_enrolment = {p.enrolment_id: p for p in participants}
    cells = Cells()
    for outcome in outcomes:
        p = by_enrolment.get(outcome.enrolment_id)
        if p is not None and outcome.days_after_exit == days:
            cells.add(p.key(breakdown), _outcome_column(outcome.status), p.key_value())
    table = count_table(f"outcomes_{days}d", breakdown, cells, cells.rows(), OUTCOME_COLUMNS,
                   protection)
    published, totals = table.published.cells, table.published.row_totals
    shares = tuple(_share(row[:2], total) for row, total in zip(published, totals, strict=True))
    total_share = _share(table.published.column_totals[:2], table.published.total)
    return IndicatorTable(table.indicator, breakdown, table.rows, table.columns, table.published,
                          "share_work_or_studies", shares, total_share)


def progression_by(participants: Iterable[Participant],
                   assessments: Iterable[ProgressAssessment], breakdown: str, *,
                   protection: Protection = CELL_KEY,
                   distances: dict[str, float] | None = None) -> IndicatorTable:
    """Participants with a repeated self-assessment, and their mean distance travelled.

    The mean is the protected sum of the distances over the protected count, published when
    that count is at least the threshold. ``distances`` (from
    :func:`kedja.follow_up.progression.distance_travelled`) spares recomputing them per table.
    """
    distances = distance_travelled(assessments) if distances is None else distances
    cells = Cells()
    contributions: dict[str, list[float]] = defaultdict(list)
    for (person, row), p in _unique(participants, breakdown).items():
        if person in distances:
            cells.add(row, "assessed", p.key_value())
            contributions[row].append(distances[person])
    table = count_table("progression", breakdown, cells, cells.rows(), ("assessed",), protection)

    def mean(values: list[float], n: int | None, key: int) -> float | None:
        if n is None or n < THRESHOLD or not values:
            return None
        largest = max(abs(v) for v in values)
        return protection.total(sum(values), largest, key) / n

    means = tuple(mean(contributions[row], n, cells.keys[(row, "assessed")])
                  for row, n in zip(table.rows, table.published.row_totals, strict=True))
    everyone = [v for values in contributions.values() for v in values]
    total_key = sum(cells.keys.values()) % KEY_SPACE
    return IndicatorTable(table.indicator, breakdown, table.rows, table.columns, table.published,
                          "mean_distance_travelled", means,
                          mean(everyone, table.published.total, total_key))


def indicator_report(participants: Sequence[Participant], outcomes: Sequence[Outcome],
                     assessments: Sequence[ProgressAssessment], *,
                     protection: Protection = CELL_KEY) -> list[IndicatorTable]:
    """Every indicator table, each protected: participants, outcomes, progression."""
    tables = [participants_by_gender_and_age(participants, protection=protection)]
    for breakdown in BREAKDOWNS:
        tables.append(participants_by(participants, breakdown, protection=protection))
    for days in FOLLOW_UP_DAYS:
        tables += [outcomes_by(participants, outcomes, days, b, protection=protection)
                   for b in BREAKDOWNS]
    distances = distance_travelled(assessments)
    tables += [progression_by(participants, assessments, b, protection=protection,
                              distances=distances) for b in BREAKDOWNS]
    return tables


def equal_treatment_report(participants: Sequence[Participant], outcomes: Sequence[Outcome],
                           assessments: Sequence[ProgressAssessment], *,
                           protection: Protection = CELL_KEY) -> list[IndicatorTable]:
    """Outcomes after 180 days and progression by gender, age band and birth abroad."""
    tables, distances = [], distance_travelled(assessments)
    for breakdown in EQUALITY_BREAKDOWNS:
        tables.append(outcomes_by(participants, outcomes, 180, breakdown, protection=protection))
        tables.append(progression_by(participants, assessments, breakdown, protection=protection,
                                     distances=distances))
    return tables
