"""Opportunities: the next steps a person can take.

Examples:
    >>> Opportunity(id=OpportunityId("O1"), kind=OpportunityKind.TRAINING, title="Vård",
    ...             organisation_id=OrganisationId("ORG1"), municipality_code=MunicipalityCode("2580"))
    Traceback (most recent call last):
    ...
    kedja.core.errors.InvalidInput: a training opportunity needs its training details (field 'opportunity.training'). Fix: give duration_weeks, provider and the occupations it leads to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kedja.core.errors import InvalidInput
from kedja.core.ids import (
    LocalityId,
    MunicipalityCode,
    OccupationCode,
    OpportunityId,
    OrganisationId,
    SkillId,
)
from kedja.core.people import CEFR_LEVELS
from kedja.core.validation import digits, enum_value, fraction, in_range, non_empty, ordered_dates

__all__ = ["Opportunity", "OpportunityKind", "TrainingDetails"]


class OpportunityKind(StrEnum):
    """Kinds of next step."""

    JOB = "job"
    ASF_PLACEMENT = "asf_placement"
    TRAINING = "training"
    INTERNSHIP = "internship"
    ROTATION_SUBSTITUTE = "rotation_substitute"


@dataclass(frozen=True, slots=True)
class TrainingDetails:
    """A course: how long, who gives it and which occupations it leads to."""

    duration_weeks: int
    provider_id: OrganisationId
    leads_to: tuple[OccupationCode, ...]
    cost_sek: int = 0

    def __post_init__(self) -> None:
        in_range(self.duration_weeks, 1, 52 * 4, field="training.duration_weeks")
        for code in self.leads_to:
            digits(code, 4, field="training.leads_to")
        in_range(self.cost_sek, 0, None, field="training.cost_sek")


@dataclass(frozen=True, slots=True)
class Opportunity:
    """A job, ASF placement, course, internship or substitute post, with its seats."""

    id: OpportunityId
    kind: OpportunityKind
    title: str
    organisation_id: OrganisationId
    municipality_code: MunicipalityCode
    occupation_code: OccupationCode | None = None
    locality_id: LocalityId | None = None
    required_skills: tuple[SkillId, ...] = ()
    merit_skills: tuple[SkillId, ...] = ()
    remote_share: float = 0.0
    hours_per_week: int = 40
    capacity: int = 1
    starts: date | None = None
    ends: date | None = None
    driving_licences: frozenset[str] = frozenset()
    swedish_level: str | None = None
    adaptations_offered: frozenset[str] = frozenset()
    training: TrainingDetails | None = None

    def __post_init__(self) -> None:
        non_empty(self.id, field="opportunity.id")
        non_empty(self.title, field="opportunity.title")
        kind = enum_value(OpportunityKind, self.kind, field="opportunity.kind")
        object.__setattr__(self, "kind", kind)
        digits(self.municipality_code, 4, field="opportunity.municipality_code")
        if self.occupation_code is not None:
            digits(self.occupation_code, 4, field="opportunity.occupation_code")
        fraction(self.remote_share, field="opportunity.remote_share")
        in_range(self.hours_per_week, 1, 60, field="opportunity.hours_per_week")
        in_range(self.capacity, 1, 100_000, field="opportunity.capacity")
        ordered_dates(self.starts, self.ends, field="opportunity.ends")
        if self.swedish_level is not None and self.swedish_level not in CEFR_LEVELS:
            raise InvalidInput(
                f"{self.swedish_level!r} is not a CEFR level",
                field="opportunity.swedish_level",
                value=self.swedish_level,
                hint=f"use one of {', '.join(CEFR_LEVELS)}",
            )
        if (kind is OpportunityKind.TRAINING) != (self.training is not None):
            raise InvalidInput(
                "a training opportunity needs its training details"
                if kind is OpportunityKind.TRAINING
                else f"a {kind.value} has no training details",
                field="opportunity.training",
                hint="give duration_weeks, provider and the occupations it leads to"
                if kind is OpportunityKind.TRAINING
                else "set kind to 'training' or drop the training details",
            )
