"""JSON API for occupations and transitions under ``/api/v1``: search, transitions, coverage."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from kedja import services
from kedja.web.deps import EngineDep
from kedja.web.errors import ErrorResponse
from kedja.web.security import public

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["occupations"], dependencies=[Depends(public())])
ERRORS: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorResponse, "description": "Occupation not found or nothing imported"},
    422: {"model": ErrorResponse, "description": "Invalid parameters"},
    500: {"model": ErrorResponse, "description": "Database error"},
}
CODE_PATTERN = r"^\S{1,255}$"


class OccupationHit(BaseModel):
    """An occupation found by text."""

    code: str
    scheme: str
    label: str
    matched: str
    score: float


class SkillGapPublic(BaseModel):
    """An essential skill of the destination that the origin lacks."""

    code: str
    label: str
    weight: float


class TransitionPublic(BaseModel):
    """A recommended destination with its score breakdown."""

    to_code: str
    to_label: str
    score: float
    breakdown: dict[str, float]
    missing_skills: list[SkillGapPublic]
    missing_local_skills: list[SkillGapPublic]
    education_step: str
    no_education: bool
    shortage: bool
    viable: bool | None = None
    desirability: float | None = None
    why_sv: str = ""
    why_en: str = ""


class TransitionList(BaseModel):
    """Destinations from one origin, best first."""

    from_code: str
    level: str
    items: list[TransitionPublic]
    source: str = "ESCO, European Commission; JobTech/Arbetsförmedlingen; Källa: SCB"


class ProfileRequest(BaseModel):
    """A person's own skills (ESCO URIs) and past occupations with years."""

    skills: list[str] = Field(default_factory=list, max_length=2000)
    history: dict[str, Annotated[float, Field(ge=0, le=60)]] = Field(default_factory=dict)
    education_level: int | None = Field(default=None, ge=1, le=4)
    k: int = Field(default=10, ge=1, le=100)
    level: str = Field(default="ssyk4", pattern="^(ssyk4|esco)$")
    no_education_only: bool = False


def _public(found: list[services.Transition]) -> list[TransitionPublic]:
    return [TransitionPublic.model_validate(t, from_attributes=True) for t in found]


@router.get("/occupations/search", response_model=list[OccupationHit], responses=ERRORS)
def search_occupations(
    engine: EngineDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Search text")],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[OccupationHit]:
    """Occupations by Swedish or English text, tolerant of typos and inflection."""
    return [OccupationHit(**vars(h)) for h in services.search_occupations(engine, q, limit=limit)]


class OccupationDetailPublic(BaseModel):
    """An occupation with its crosswalk links and Swedish names."""

    code: str
    scheme: str
    label: str
    alt_labels: list[str]
    isco: list[tuple[str, str]]
    ssyk: list[tuple[str, str]]
    esco: list[tuple[str, str]]
    swedish_names: list[str]
    essential_skills: list[str]


@router.get("/occupations/{code:path}/transitions", response_model=TransitionList, responses=ERRORS)
def occupation_transitions(
    engine: EngineDep,
    code: str,
    k: Annotated[int, Query(ge=1, le=100)] = 10,
    level: Annotated[str, Query(pattern="^(ssyk4|esco)$")] = "ssyk4",
    no_education_only: bool = False,
    shortage: Annotated[list[str] | None, Query(max_length=500)] = None,
) -> TransitionList:
    """Top-k destinations from an occupation, with score breakdown and skill gaps."""
    found = services.occupation_transitions(engine, code, level=level, k=k, shortage=shortage,
                                            no_education_only=no_education_only)
    return TransitionList(from_code=code, level=level, items=_public(found))


@router.get("/occupations/{code:path}", response_model=OccupationDetailPublic, responses=ERRORS)
def occupation_detail(engine: EngineDep, code: str) -> OccupationDetailPublic:
    """An SSYK group or ESCO occupation with its ISCO-08, SSYK and ESCO links."""
    detail = services.occupation_detail(engine, code)
    return OccupationDetailPublic.model_validate(detail, from_attributes=True)


@router.post("/transitions", response_model=TransitionList, responses=ERRORS)
def profile_transitions(engine: EngineDep, profile: ProfileRequest) -> TransitionList:
    """Top-k destinations for a person's own skills and occupation history (not stored)."""
    found = services.person_transitions(
        engine, skills=profile.skills, history=list(profile.history.items()), k=profile.k,
        level=profile.level, education_level=profile.education_level,
        no_education_only=profile.no_education_only)
    return TransitionList(from_code="profile", level=profile.level, items=_public(found))
