"""The ESF+ common indicators for participants, protected like every other published table.

Regulation (EU) 2021/1057 (ESF+), Annex I, points 1 and 2: common output indicators for
participants (labour-market status at entry, age, education level, disadvantages, number of
participants) and common result indicators upon leaving and six months after leaving. Each
indicator group is a table of people by gender (rows; the regulation asks for the breakdown by
gender) and category (columns), always with an explicit ``unknown`` column, so that a
missing record is shown, never silently dropped from a denominator.

Every table is protected by the cell-key method of :mod:`kedja.follow_up.perturbation`
through :func:`kedja.follow_up.indicators.count_table` (the same record keys, so the same
people give the same noise in every period and table: differencing two periods does not give a
person back) and small perturbed counts are hidden. Gender and age are read here to count, as
the regulation asks, and never by any score.

Definitions (``docs/hub.md`` lists them with their sources):

* **status at entry**: the person's recorded labour-market status when it held since the
  enrolment's start (``unknown`` when it changed after the start or is missing);
  **long-term unemployed** is unemployed for more than 12 months before entry (6 months under
  25), the Commission's definition; unemployed with no start date of unemployment counts as
  unemployed, not long-term.
* **age at entry**: the year of entry minus the birth year; ``under 18``, ``18–29``,
  ``30–54`` (not an ESF+ indicator; it makes the columns add up), ``55 and over``.
* **ISCED**: the SUN 2020 level's first digit (0–2 → ISCED 0–2, 3–4 → ISCED 3–4, 5–6 →
  ISCED 5–8; SUN level 4, post-secondary shorter than two years, spans ISCED 4 and 5 and is
  counted in 3–4).
* **upon leaving** (the exit falls in the period): employment = exit to work or subsidised
  work; education or training = exit to studies; job searching and gaining a qualification are
  not recorded by Kedja and are all ``unknown``.
* **six months after leaving** (180 days after an exit in the period, when that day has
  passed by the end of the last complete month): employment = working at the 180-day follow-up; a missing or
  ``unknown`` follow-up is ``unknown``. A better labour-market situation is asked of people
  employed at entry: ``no`` when no longer working, else ``unknown`` (Kedja does not record the
  job's quality).

Examples:
    >>> from datetime import date
    >>> people = [EsfParticipant(f"P{i}", f"E{i}", "ASF001", date(2026, 1, 5), None,
    ...                          "female" if i % 2 else "male", 30, "unemployed", "3-4")
    ...           for i in range(20)]
    >>> tables = esf_tables(people, as_of=date(2026, 6, 30))
    >>> [t.indicator for t in tables][:3]
    ['esf_status_at_entry', 'esf_age', 'esf_isced']
    >>> tables[0].columns[-1]
    'unknown'
    >>> labour_status_at_entry("unemployed", date(2024, 1, 1), date(2026, 1, 5), 40)
    'long_term_unemployed'
    >>> isced_group("4"), isced_group(None)
    ('3-4', None)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kedja.follow_up.indicators import (
    CELL_KEY,
    GENDER_COLUMNS,
    Cells,
    IndicatorTable,
    Protection,
    count_table,
)

__all__ = [
    "ESF_GROUPS",
    "ESF_INDICATORS",
    "EsfIndicator",
    "EsfParticipant",
    "age_group",
    "esf_tables",
    "isced_group",
    "labour_status_at_entry",
]

LONG_TERM_DAYS = 365
LONG_TERM_DAYS_YOUNG = 183
"""More than 12 months of unemployment (6 months under 25) makes a person long-term unemployed
(the Commission's ESF+ indicator guidance, after the EU Employment Guidelines)."""
SIX_MONTHS = 180
YES_NO = ("yes", "no", "unknown")


@dataclass(frozen=True, slots=True)
class EsfParticipant:
    """A person's participation as the ESF+ indicators see it (one per person and table)."""

    person_id: str
    enrolment_id: str
    organisation_id: str
    start: date
    exit_on: date | None
    gender: str | None
    age: int | None
    status: str | None
    """``unemployed``, ``long_term_unemployed``, ``inactive``, ``employed`` or ``None``."""
    isced: str | None
    disability: bool | None = None
    born_abroad: bool | None = None
    exit_destination: str | None = None
    outcome_180: str | None = None
    record_key: int | None = None

    def key_value(self) -> int:
        """The person's record key (the services always give one)."""
        if self.record_key is not None:
            return self.record_key
        return int.from_bytes(hashlib.sha256(self.person_id.encode()).digest()[:4], "big")


@dataclass(frozen=True, slots=True)
class EsfIndicator:
    """One ESF+ indicator table: its code(s), group, columns and how a person is classified."""

    indicator: str
    codes: str
    group: str
    columns: tuple[str, ...]
    classify: Callable[[EsfParticipant], str | None]
    """The person's column, or ``None`` when the person is not in this indicator's base."""
    base: str
    """Who is counted: ``participants``, ``leavers`` or ``leavers_6m``."""


def labour_status_at_entry(status: str | None, since: date | None, start: date,
                           age: int | None) -> str | None:
    """The labour-market status at entry, by the ESF+ categories (``None``: unknown).

    Examples:
        >>> since = date(2025, 6, 1)  # seven months before entry: long-term only under 25
        >>> [labour_status_at_entry("unemployed", since, date(2026, 1, 5), a) for a in (22, 40)]
        ['long_term_unemployed', 'unemployed']
        >>> labour_status_at_entry("employed", date(2026, 3, 1), date(2026, 1, 5), 40) is None
        True
    """
    if status is None or (since is not None and since > start):
        return None
    if status == "employed":
        return "employed"
    if status == "outside_labour_force":
        return "inactive"
    if status != "unemployed":
        return None
    limit = LONG_TERM_DAYS_YOUNG if age is not None and age < 25 else LONG_TERM_DAYS
    if since is not None and (start - since).days > limit:
        return "long_term_unemployed"
    return "unemployed"


def isced_group(sun_level: str | None) -> str | None:
    """The ISCED 2011 group of a SUN 2020 level's first digit."""
    return {"0": "0-2", "1": "0-2", "2": "0-2", "3": "3-4", "4": "3-4",
            "5": "5-8", "6": "5-8"}.get(sun_level or "")


def age_group(age: int | None) -> str:
    """``under_18``, ``18_29``, ``30_54``, ``55_plus`` or ``unknown``.

    Examples:
        >>> [age_group(a) for a in (17, 18, 29, 30, 55, None)]
        ['under_18', '18_29', '18_29', '30_54', '55_plus', 'unknown']
    """
    if age is None:
        return "unknown"
    if age < 18:
        return "under_18"
    if age <= 29:
        return "18_29"
    return "30_54" if age < 55 else "55_plus"


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def _employed_on_leaving(p: EsfParticipant) -> str:
    if p.exit_destination in (None, "unknown"):
        return "unknown"
    return "yes" if p.exit_destination in ("work", "subsidised_work") else "no"


def _education_on_leaving(p: EsfParticipant) -> str:
    if p.exit_destination in (None, "unknown"):
        return "unknown"
    return "yes" if p.exit_destination == "studies" else "no"


def _employed_6m(p: EsfParticipant) -> str:
    if p.outcome_180 in (None, "unknown"):
        return "unknown"
    return "yes" if p.outcome_180 == "working" else "no"


def _better_6m(p: EsfParticipant) -> str | None:
    if p.status != "employed":
        return None
    return "no" if p.outcome_180 in ("unemployed", "outside_labour_force") else "unknown"


ESF_INDICATORS: tuple[EsfIndicator, ...] = (
    EsfIndicator("esf_status_at_entry", "EECO01–EECO04", "status",
                 ("unemployed", "long_term_unemployed", "inactive", "employed", "unknown"),
                 lambda p: p.status or "unknown", "participants"),
    EsfIndicator("esf_age", "EECO05–EECO07", "age",
                 ("under_18", "18_29", "30_54", "55_plus", "unknown"),
                 lambda p: age_group(p.age), "participants"),
    EsfIndicator("esf_isced", "EECO08–EECO10", "education",
                 ("isced_0_2", "isced_3_4", "isced_5_8", "unknown"),
                 lambda p: f"isced_{p.isced.replace('-', '_')}" if p.isced else "unknown",
                 "participants"),
    EsfIndicator("esf_disability", "EECO12", "disadvantages", YES_NO,
                 lambda p: _yes_no(p.disability), "participants"),
    EsfIndicator("esf_foreign_background", "EECO14", "disadvantages", YES_NO,
                 lambda p: _yes_no(p.born_abroad), "participants"),
    EsfIndicator("esf_job_searching_on_leaving", "EECR01", "on_leaving", YES_NO,
                 lambda p: "unknown", "leavers"),
    EsfIndicator("esf_education_on_leaving", "EECR02", "on_leaving", YES_NO,
                 _education_on_leaving, "leavers"),
    EsfIndicator("esf_qualification_on_leaving", "EECR03", "on_leaving", YES_NO,
                 lambda p: "unknown", "leavers"),
    EsfIndicator("esf_employment_on_leaving", "EECR04", "on_leaving", YES_NO,
                 _employed_on_leaving, "leavers"),
    EsfIndicator("esf_employment_6m", "EECR05", "six_months", YES_NO, _employed_6m,
                 "leavers_6m"),
    EsfIndicator("esf_better_situation_6m", "EECR06", "six_months", YES_NO, _better_6m,
                 "leavers_6m"),
)
"""Every ESF+ table Kedja publishes; the total of the status table is EECO11 (participants)."""

ESF_GROUPS = ("status", "age", "education", "disadvantages", "on_leaving", "six_months")
"""The indicator groups, one sheet each in the funders' workbook."""


def _in_base(p: EsfParticipant, base: str, followed_by: date) -> bool:
    if base in ("participants", "leavers"):
        return True
    return p.exit_on is not None and p.exit_on + timedelta(days=SIX_MONTHS) <= followed_by


def _one_per_person(participants: Sequence[EsfParticipant]) -> list[EsfParticipant]:
    """Each person's first participation in the period (their entry), in person order."""
    first: dict[str, EsfParticipant] = {}
    for p in sorted(participants, key=lambda p: (p.person_id, p.start, p.enrolment_id)):
        first.setdefault(p.person_id, p)
    return list(first.values())


def _leavers(participants: Sequence[EsfParticipant], start: date | None,
             as_of: date) -> list[EsfParticipant]:
    """Each person's last exit in the period (the leaving the result indicators describe)."""
    last: dict[str, EsfParticipant] = {}
    for p in sorted((p for p in participants if p.exit_on is not None and p.exit_on <= as_of
                     and (start is None or p.exit_on >= start)),
                    key=lambda p: (p.person_id, p.exit_on, p.enrolment_id)):
        last[p.person_id] = p
    return list(last.values())


def esf_tables(participants: Sequence[EsfParticipant], *, as_of: date,
               start: date | None = None, followed_by: date | None = None,
               protection: Protection = CELL_KEY) -> list[IndicatorTable]:
    """Every ESF+ indicator table over the participations given, protected.

    ``start``/``as_of`` bound the period: leavers exit in it. The six-month results are of
    those leavers whose 180th day after exit has passed by ``followed_by`` (default
    ``as_of``; the services pass the end of the last complete month, so a past period's
    six-month results fill in as the follow-ups fall due). O(participations + cells) per table.
    """
    followed_by = followed_by or as_of
    entries, leavers = _one_per_person(participants), _leavers(participants, start, as_of)
    tables = []
    for indicator in ESF_INDICATORS:
        cells = Cells()
        people = entries if indicator.base == "participants" else leavers
        for p in people:
            column = indicator.classify(p) if _in_base(p, indicator.base, followed_by) else None
            if column is not None:
                cells.add(p.gender or "unknown", column, p.key_value())
        tables.append(count_table(indicator.indicator, "gender", cells, GENDER_COLUMNS,
                                  indicator.columns, protection))
    return tables
