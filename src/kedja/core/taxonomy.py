"""Occupations and skills: SSYK 2012 groups linked to ISCO-08, ESCO and JobTech."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from kedja.core.ids import IscoCode, OccupationCode, SkillId
from kedja.core.validation import digits, enum_value, non_empty

__all__ = ["Occupation", "OccupationSkill", "Sector", "Skill", "SkillRelation"]


class Sector(StrEnum):
    """Broad occupational fields used to group occupations on pages and in the demo."""

    CARE = "care"
    EDUCATION = "education"
    CONSTRUCTION = "construction"
    INDUSTRY = "industry"
    MINING = "mining"
    ENERGY = "energy"
    TRANSPORT = "transport"
    IT = "it"
    HOSPITALITY = "hospitality"
    CLEANING = "cleaning"
    RETAIL = "retail"
    OFFICE = "office"
    AGRICULTURE = "agriculture"
    PUBLIC = "public"
    OTHER = "other"


class SkillRelation(StrEnum):
    """How much a skill matters to an occupation (ESCO's terms)."""

    ESSENTIAL = "essential"
    OPTIONAL = "optional"


@dataclass(frozen=True, slots=True)
class Occupation:
    """An SSYK 2012 unit group with its links to other classifications."""

    code: OccupationCode
    name_sv: str
    name_en: str | None = None
    isco_codes: tuple[IscoCode, ...] = ()
    jobtech_id: str | None = None
    esco_uris: tuple[str, ...] = ()
    sector: Sector = Sector.OTHER
    no_educational_requirement: bool = False

    def __post_init__(self) -> None:
        digits(self.code, 4, field="occupation.code")
        non_empty(self.name_sv, field="occupation.name_sv")
        for isco in self.isco_codes:
            digits(isco, 4, field="occupation.isco_codes")
        object.__setattr__(self, "sector", enum_value(Sector, self.sector, field="sector"))


@dataclass(frozen=True, slots=True)
class Skill:
    """A skill or competence concept."""

    id: SkillId
    name_sv: str | None = None
    name_en: str | None = None
    jobtech_id: str | None = None
    esco_uri: str | None = None
    aliases: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        non_empty(self.id, field="skill.id")
        if not (self.name_sv or self.name_en):
            non_empty("", field="skill.name_sv or skill.name_en")

    @property
    def label(self) -> str:
        """The Swedish label, or the English one where no Swedish exists."""
        return self.name_sv or self.name_en or self.id


@dataclass(frozen=True, slots=True)
class OccupationSkill:
    """A link between an occupation and a skill."""

    occupation_code: OccupationCode
    skill_id: SkillId
    relation: SkillRelation = SkillRelation.ESSENTIAL

    def __post_init__(self) -> None:
        digits(self.occupation_code, 4, field="occupation_skill.occupation_code")
        object.__setattr__(
            self, "relation", enum_value(SkillRelation, self.relation, field="relation")
        )
