"""People: job seekers and employees, pseudonymous, with what they can and want.

A :class:`Person` holds nothing that identifies them directly and nothing protected: gender,
age, country of birth and disability live in :mod:`kedja.core.protected`, stored apart and
read only by equal-treatment audits and aggregated indicators, never by a score.

Examples:
    >>> p = Person(
    ...     id=PersonId("P000001"),
    ...     municipality_code=MunicipalityCode("2580"),
    ...     skills=(SkillClaim(SkillId("sk1"), SkillSource.INFORMAL),),
    ...     situation=LabourSituation(LabourStatus.UNEMPLOYED, since=date(2025, 3, 1)),
    ... )
    >>> p.is_job_seeker, p.situation.days_since(date(2026, 3, 1))
    (True, 365)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from kedja.core.errors import InvalidInput
from kedja.core.ids import LocalityId, MunicipalityCode, OccupationCode, OrganisationId, PersonId, SkillId
from kedja.core.validation import digits, enum_value, in_range, non_empty

__all__ = [
    "CEFR_LEVELS",
    "DRIVING_LICENCES",
    "Constraints",
    "Education",
    "LabourSituation",
    "LabourStatus",
    "LanguageSkill",
    "PastOccupation",
    "Person",
    "Preferences",
    "SkillClaim",
    "SkillSource",
    "SupportForm",
]

CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")
"""Language levels (Common European Framework), ``native`` above C2."""
DRIVING_LICENCES = frozenset({"AM", "A1", "A2", "A", "B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE"})
"""Swedish driving licence categories."""
SUN_LEVELS = ("0", "1", "2", "3", "4", "5", "6")
"""SUN 2020 level, first digit: 0 pre-school … 3 upper-secondary, 4 post-secondary < 2 yrs,
5 post-secondary ≥ 2 yrs, 6 doctoral. ``1`` covers primary without complete compulsory school."""


class SkillSource(StrEnum):
    """Where a claimed skill comes from; informal and unpaid experience counts too."""

    VERIFIED = "verified"
    SELF_REPORTED = "self_reported"
    INFORMAL = "informal"


class LabourStatus(StrEnum):
    """A person's place in the labour market."""

    EMPLOYED = "employed"
    UNEMPLOYED = "unemployed"
    OUTSIDE = "outside_labour_force"


class SupportForm(StrEnum):
    """Support a person receives or is entitled to."""

    WAGE_SUBSIDY = "wage_subsidy"
    INTRODUCTION_PROGRAMME = "introduction_programme"
    JOB_AND_DEVELOPMENT_GUARANTEE = "job_and_development_guarantee"
    YOUTH_GUARANTEE = "youth_guarantee"
    SUPPORTED_EMPLOYMENT = "supported_employment"
    MUNICIPAL_LABOUR_MARKET_MEASURE = "municipal_measure"
    SWEDISH_FOR_IMMIGRANTS = "sfi"


@dataclass(frozen=True, slots=True)
class SkillClaim:
    """A skill a person has, with its source."""

    skill_id: SkillId
    source: SkillSource = SkillSource.SELF_REPORTED

    def __post_init__(self) -> None:
        non_empty(self.skill_id, field="skill_id")
        object.__setattr__(self, "source", enum_value(SkillSource, self.source, field="source"))


@dataclass(frozen=True, slots=True)
class PastOccupation:
    """An occupation a person has held, and for how many years in total."""

    occupation_code: OccupationCode
    years: float

    def __post_init__(self) -> None:
        digits(self.occupation_code, 4, field="past_occupation.occupation_code")
        in_range(self.years, 0.0, 60.0, field="past_occupation.years")


@dataclass(frozen=True, slots=True)
class Education:
    """Highest education by SUN 2020 level (first digit) and field (SUN field code)."""

    sun_level: str
    sun_field: str | None = None

    def __post_init__(self) -> None:
        if self.sun_level not in SUN_LEVELS:
            raise InvalidInput(
                f"{self.sun_level!r} is not a SUN 2020 level",
                field="education.sun_level",
                value=self.sun_level,
                hint="use the first digit of the SUN 2020 level, '1' to '6'",
            )

    @property
    def upper_secondary_complete(self) -> bool:
        """Whether the person has completed upper-secondary school (SUN level 3 or more)."""
        return self.sun_level >= "3"


@dataclass(frozen=True, slots=True)
class LanguageSkill:
    """A language (ISO 639-1) at a CEFR level."""

    language: str
    level: str

    def __post_init__(self) -> None:
        if len(self.language) != 2 or not self.language.isalpha() or not self.language.islower():
            raise InvalidInput(
                f"{self.language!r} is not an ISO 639-1 language code",
                field="language",
                value=self.language,
                hint="use two lower-case letters, for instance 'sv', 'en', 'ar', 'ti'",
            )
        if self.level not in CEFR_LEVELS:
            raise InvalidInput(
                f"{self.level!r} is not a CEFR level",
                field="language.level",
                value=self.level,
                hint=f"use one of {', '.join(CEFR_LEVELS)}",
            )

    @property
    def rank(self) -> int:
        """The level as a number, A1 = 1 … C2 = 6, native = 7."""
        return CEFR_LEVELS.index(self.level) + 1


@dataclass(frozen=True, slots=True)
class Constraints:
    """What a step must respect for this person."""

    max_commute_minutes: int = 45
    hours_per_week: int = 40
    adaptations: frozenset[str] = frozenset()
    available_from: date | None = None

    def __post_init__(self) -> None:
        in_range(self.max_commute_minutes, 0, 300, field="constraints.max_commute_minutes")
        in_range(self.hours_per_week, 1, 60, field="constraints.hours_per_week")


@dataclass(frozen=True, slots=True)
class Preferences:
    """What the person wants: occupations and broad sectors."""

    occupations: tuple[OccupationCode, ...] = ()
    sectors: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for code in self.occupations:
            digits(code, 4, field="preferences.occupations")


@dataclass(frozen=True, slots=True)
class LabourSituation:
    """Labour-market status since a date; for the employed, occupation and employer."""

    status: LabourStatus
    since: date | None = None
    occupation_code: OccupationCode | None = None
    employer_id: OrganisationId | None = None
    support_forms: frozenset[SupportForm] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", enum_value(LabourStatus, self.status, field="status"))
        forms = frozenset(enum_value(SupportForm, f, field="support_forms") for f in self.support_forms)
        object.__setattr__(self, "support_forms", forms)
        if self.status is LabourStatus.EMPLOYED and self.occupation_code is None:
            raise InvalidInput(
                "an employed person needs an occupation",
                field="situation.occupation_code",
                hint="give the SSYK 2012 code of the current job",
            )
        if self.occupation_code is not None:
            digits(self.occupation_code, 4, field="situation.occupation_code")

    def days_since(self, today: date) -> int | None:
        """Days in the current status at ``today``, or ``None`` when unknown."""
        return None if self.since is None else (today - self.since).days


@dataclass(frozen=True, slots=True)
class Person:
    """A pseudonymous person: what they can do, what they want and what binds them."""

    id: PersonId
    municipality_code: MunicipalityCode
    situation: LabourSituation
    locality_id: LocalityId | None = None
    skills: tuple[SkillClaim, ...] = ()
    past_occupations: tuple[PastOccupation, ...] = ()
    education: Education | None = None
    languages: tuple[LanguageSkill, ...] = ()
    driving_licences: frozenset[str] = frozenset()
    constraints: Constraints = field(default_factory=Constraints)
    preferences: Preferences = field(default_factory=Preferences)

    def __post_init__(self) -> None:
        non_empty(self.id, field="person.id")
        digits(self.municipality_code, 4, field="person.municipality_code")
        seen: set[str] = set()
        for claim in self.skills:
            if claim.skill_id in seen:
                raise InvalidInput(
                    f"the skill {claim.skill_id!r} is listed twice",
                    field="person.skills",
                    value=claim.skill_id,
                    hint="list each skill once, with its strongest source",
                )
            seen.add(claim.skill_id)
        unknown = sorted(set(self.driving_licences) - DRIVING_LICENCES)
        if unknown:
            raise InvalidInput(
                f"{unknown[0]!r} is not a Swedish driving licence category",
                field="person.driving_licences",
                value=unknown[0],
                hint=f"use one of {', '.join(sorted(DRIVING_LICENCES))}",
            )

    @property
    def is_job_seeker(self) -> bool:
        """Whether the person is without a job (unemployed or outside the labour force)."""
        return self.situation.status is not LabourStatus.EMPLOYED

    def language_rank(self, language: str) -> int:
        """CEFR rank (0 when the language is missing) of ``language``."""
        return max((lang.rank for lang in self.languages if lang.language == language), default=0)
