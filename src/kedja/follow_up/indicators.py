"""Indicators in the form funders ask for, with every count protected by suppression.

* **participants** by gender and age band, and by gender within each municipality,
  organisation and group (the activity's kind: ASF placement, training, job, …);
* **outcomes** 90, 180 and 365 days after exit (in work, in studies, other), with the share in
  work or studies, by the same breakdowns;
* **progression**: participants with a repeated self-assessment and their mean distance
  travelled (:mod:`kedja.follow_up.progression`), by the same breakdowns;
* an **equal-treatment report**: outcomes and progression by gender, age band and birth
  abroad, side by side.

Protected attributes (gender, birth year, country of birth) are read here, and only to count.
Every count table goes through :func:`kedja.follow_up.suppression.suppress_table`; a share or
mean is published only when every count it is computed from is published, so it cannot give
a hidden count back. A row counts participations: a person enrolled with two organisations
counts once in each organisation's row.

Examples:
    >>> from datetime import date
    >>> people = [Participant(f"P{i}", f"E{i}", "2580", "ASF001", "asf_placement",
    ...                       date(2026, 1, 1), None, "female" if i % 2 else "male", "25-34")
    ...           for i in range(12)]
    >>> table = participants_by(people, "municipality")
    >>> table.columns, table.published.cells
    (('female', 'male', 'other', 'unknown'), ((6, 6, 0, 0),))
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from kedja.core.journeys import Outcome, OutcomeStatus, ProgressAssessment
from kedja.follow_up.progression import distance_travelled
from kedja.follow_up.suppression import THRESHOLD, PublishedTable, suppress_table

__all__ = [
    "AGE_BANDS",
    "BREAKDOWNS",
    "FOLLOW_UP_DAYS",
    "IndicatorTable",
    "Participant",
    "age_band",
    "equal_treatment_report",
    "indicator_report",
    "outcomes_by",
    "participants_by",
    "participants_by_gender_and_age",
    "progression_by",
]

AGE_BANDS = ("16-24", "25-34", "35-44", "45-54", "55-64", "65+", "unknown")
GENDER_COLUMNS = ("female", "male", "other", "unknown")
OUTCOME_COLUMNS = ("work", "studies", "other")
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


def _table(indicator: str, breakdown: str, counts: dict[tuple[str, str], int],
           rows: Sequence[str], columns: Sequence[str]) -> IndicatorTable:
    matrix = np.zeros((max(1, len(rows)), len(columns)), dtype=np.int64)
    for (row, column), n in counts.items():
        matrix[rows.index(row), columns.index(column)] = n
    return IndicatorTable(indicator, breakdown, tuple(rows) or ("none",), tuple(columns),
                          suppress_table(matrix))


def _unique(participants: Iterable[Participant], breakdown: str) -> dict[tuple[str, str], Participant]:
    return {(p.person_id, p.key(breakdown)): p for p in participants}


def participants_by(participants: Iterable[Participant], breakdown: str) -> IndicatorTable:
    """Participants by gender within each row of ``breakdown``."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for (_, row), p in _unique(participants, breakdown).items():
        counts[(row, p.gender or "unknown")] += 1
    rows = sorted({row for row, _ in counts})
    return _table("participants", breakdown, counts, rows, GENDER_COLUMNS)


def participants_by_gender_and_age(participants: Iterable[Participant]) -> IndicatorTable:
    """Participants by gender (rows) and age band (columns), each person once."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for p in {p.person_id: p for p in participants}.values():
        counts[(p.gender or "unknown", p.age_band)] += 1
    return _table("participants", "gender_age_band", counts, GENDER_COLUMNS, AGE_BANDS)


def _outcome_column(status: OutcomeStatus) -> str:
    return {OutcomeStatus.WORKING: "work", OutcomeStatus.STUDYING: "studies"}.get(status, "other")


def _share(numerators: Sequence[int | None], base: int | None) -> float | None:
    if base is None or base == 0 or any(n is None for n in numerators):
        return None
    return sum(n for n in numerators if n is not None) / base


def outcomes_by(participants: Iterable[Participant], outcomes: Iterable[Outcome], days: int,
                breakdown: str) -> IndicatorTable:
    """Outcomes ``days`` after exit (work, studies, other) and the share in work or studies."""
    by_enrolment = {p.enrolment_id: p for p in participants}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for outcome in outcomes:
        p = by_enrolment.get(outcome.enrolment_id)
        if p is not None and outcome.days_after_exit == days:
            counts[(p.key(breakdown), _outcome_column(outcome.status))] += 1
    rows = sorted({row for row, _ in counts})
    table = _table(f"outcomes_{days}d", breakdown, counts, rows, OUTCOME_COLUMNS)
    cells, totals = table.published.cells, table.published.row_totals
    shares = tuple(_share(row[:2], total) for row, total in zip(cells, totals, strict=True))
    total_share = _share(table.published.column_totals[:2], table.published.total)
    return IndicatorTable(table.indicator, breakdown, table.rows, table.columns, table.published,
                          "share_work_or_studies", shares, total_share)


def progression_by(participants: Iterable[Participant],
                   assessments: Iterable[ProgressAssessment], breakdown: str) -> IndicatorTable:
    """Participants with a repeated self-assessment, and their mean distance travelled."""
    distances = distance_travelled(assessments)
    sums: dict[str, float] = defaultdict(float)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for (person, row), _p in _unique(participants, breakdown).items():
        if person in distances:
            counts[(row, "assessed")] += 1
            sums[row] += distances[person]
    rows = sorted({row for row, _ in counts})
    table = _table("progression", breakdown, counts, rows, ("assessed",))
    means = tuple(None if n is None or n < THRESHOLD else sums[row] / n
                  for row, n in zip(table.rows, table.published.row_totals, strict=True))
    total = table.published.total
    total_mean = None if total is None or total < THRESHOLD else sum(sums.values()) / total
    return IndicatorTable(table.indicator, breakdown, table.rows, table.columns, table.published,
                          "mean_distance_travelled", means, total_mean)


def indicator_report(participants: Sequence[Participant], outcomes: Sequence[Outcome],
                     assessments: Sequence[ProgressAssessment]) -> list[IndicatorTable]:
    """Every indicator table, each suppressed: participants, outcomes, progression."""
    tables = [participants_by_gender_and_age(participants)]
    for breakdown in BREAKDOWNS:
        tables.append(participants_by(participants, breakdown))
    for days in FOLLOW_UP_DAYS:
        tables += [outcomes_by(participants, outcomes, days, b) for b in BREAKDOWNS]
    tables += [progression_by(participants, assessments, b) for b in BREAKDOWNS]
    return tables


def equal_treatment_report(participants: Sequence[Participant], outcomes: Sequence[Outcome],
                           assessments: Sequence[ProgressAssessment]) -> list[IndicatorTable]:
    """Outcomes after 180 days and progression by gender, age band and birth abroad."""
    tables = []
    for breakdown in EQUALITY_BREAKDOWNS:
        tables.append(outcomes_by(participants, outcomes, 180, breakdown))
        tables.append(progression_by(participants, assessments, breakdown))
    return tables
