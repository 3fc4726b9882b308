"""Bulk loaders: whole populations and catalogues in a handful of queries, for the engines.

Where :mod:`kedja.store.repositories` reads one record at a time, these read every row of a kind
at once (one query per table, joined in memory), as the matching and forecast engines need.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kedja.core.ids import (
    LocalityId,
    MunicipalityCode,
    OccupationCode,
    OpportunityId,
    OrganisationId,
    PersonId,
    SkillId,
)
from kedja.core.opportunities import Opportunity, TrainingDetails
from kedja.core.people import (
    Constraints,
    Education,
    LabourSituation,
    LabourStatus,
    LanguageSkill,
    PastOccupation,
    Person,
    SkillClaim,
)
from kedja.core.protected import ProtectedAttributes
from kedja.store import tables as t
from kedja.store.repositories import _person

__all__ = ["list_employees", "list_occupation_links", "list_opportunities", "list_people", "list_protected"]


def list_people(session: Session, *, job_seekers_only: bool = False) -> list[Person]:
    """Every person (or every job seeker), ordered by id, with skills, history and languages."""
    query = select(t.PersonRow).where(t.PersonRow.erased_on.is_(None)).order_by(t.PersonRow.id)
    if job_seekers_only:
        query = query.where(t.PersonRow.status != "employed")
    rows = list(session.scalars(query))
    skills: dict[str, list[SkillClaim]] = defaultdict(list)
    for pid, skill, source in _children(session, t.PersonSkillRow, job_seekers_only,
                                        t.PersonSkillRow.skill_id, t.PersonSkillRow.source):
        skills[pid].append(SkillClaim(SkillId(skill), source))
    past: dict[str, list[PastOccupation]] = defaultdict(list)
    for pid, code, years in _children(session, t.PersonOccupationRow, job_seekers_only,
                                      t.PersonOccupationRow.occupation_code,
                                      t.PersonOccupationRow.years):
        past[pid].append(PastOccupation(OccupationCode(code), years))
    langs: dict[str, list[LanguageSkill]] = defaultdict(list)
    for pid, language, level in _children(session, t.PersonLanguageRow, job_seekers_only,
                                          t.PersonLanguageRow.language, t.PersonLanguageRow.level):
        langs[pid].append(LanguageSkill(language, level))
    return [_person(r, skills[r.id], past[r.id], langs[r.id]) for r in rows]


def list_employees(session: Session) -> list[Person]:
    """Every employed person, ordered by id, with only what a workforce plan reads.

    Id, place, occupation, employer, education level and hours: one Core query over eight
    columns, no skills, history or languages (the chains' upskilling moves need no more; on the
    demo region this reads 40,000 employees in well under a second where :func:`list_people`
    takes many seconds).
    """
    c = t.PersonRow.__table__.c
    query = (select(c.id, c.municipality_code, c.locality_id, c.status_since, c.occupation_code,
                    c.employer_id, c.sun_level, c.hours_per_week)
             .where(c.erased_on.is_(None), c.status == "employed").order_by(c.id))
    return [Person(
        id=PersonId(r.id), municipality_code=MunicipalityCode(r.municipality_code),
        locality_id=LocalityId(r.locality_id) if r.locality_id else None,
        situation=LabourSituation(
            status=LabourStatus.EMPLOYED, since=r.status_since,
            occupation_code=OccupationCode(r.occupation_code) if r.occupation_code else None,
            employer_id=OrganisationId(r.employer_id) if r.employer_id else None),
        education=Education(r.sun_level, None) if r.sun_level else None,
        constraints=Constraints(hours_per_week=r.hours_per_week),
    ) for r in session.execute(query)]


def _children(session: Session, table: Any, job_seekers_only: bool, *columns: Any) -> Any:
    query = select(table.person_id, *columns).order_by(table.person_id, columns[0])
    if job_seekers_only:
        query = query.join(t.PersonRow, t.PersonRow.id == table.person_id).where(
            t.PersonRow.status != "employed")
    return session.execute(query)


def list_protected(session: Session, *, job_seekers_only: bool = False) -> dict[str, ProtectedAttributes]:
    """Protected attributes by person id: for equal-treatment audits and aggregates only.

    One Core query of the five columns (no ORM rows); with ``job_seekers_only``, only the people
    an allocation considers (job seekers not erased), as :func:`list_people` selects them.
    """
    a = t.ProtectedAttributesRow.__table__.c
    query = select(a.person_id, a.gender, a.birth_year, a.born_abroad, a.disability)
    if job_seekers_only:
        p = t.PersonRow.__table__.c
        query = query.join(t.PersonRow.__table__, p.id == a.person_id).where(
            p.status != "employed", p.erased_on.is_(None))
    return {pid: ProtectedAttributes(PersonId(pid), gender, birth_year, born_abroad, disability)
            for pid, gender, birth_year, born_abroad, disability in session.execute(query)}


def list_opportunities(session: Session) -> list[Opportunity]:
    """Every opportunity, ordered by id, with its required and merit skills."""
    required: dict[str, list[SkillId]] = defaultdict(list)
    merit: dict[str, list[SkillId]] = defaultdict(list)
    for s in session.scalars(select(t.OpportunitySkillRow).order_by(t.OpportunitySkillRow.skill_id)):
        (required if s.required else merit)[s.opportunity_id].append(SkillId(s.skill_id))
    rows = session.scalars(select(t.OpportunityRow).order_by(t.OpportunityRow.id))
    return [_opportunity(r, required[r.id], merit[r.id]) for r in rows]


def _opportunity(r: t.OpportunityRow, required: list[SkillId], merit: list[SkillId]) -> Opportunity:
    training = None
    if r.training_weeks is not None and r.training_provider_id is not None:
        training = TrainingDetails(r.training_weeks, OrganisationId(r.training_provider_id),
                                   tuple(OccupationCode(c) for c in r.training_leads_to or ()),
                                   r.training_cost_sek or 0,
                                   tuple(OccupationCode(c) for c in r.training_requires_experience or ()))
    kwargs: dict[str, Any] = {
        "id": OpportunityId(r.id), "kind": r.kind, "title": r.title,
        "organisation_id": OrganisationId(r.organisation_id), "municipality_code": r.municipality_code,
        "occupation_code": r.occupation_code, "locality_id": r.locality_id,
        "required_skills": tuple(required), "merit_skills": tuple(merit),
        "remote_share": r.remote_share, "hours_per_week": r.hours_per_week, "capacity": r.capacity,
        "starts": r.starts, "ends": r.ends, "driving_licences": frozenset(r.driving_licences),
        "swedish_level": r.swedish_level, "adaptations_offered": frozenset(r.adaptations_offered),
        "training": training, "min_education_level": r.min_education_level,
        "max_swedish_level": r.max_swedish_level,
    }
    return Opportunity(**kwargs)


def list_occupation_links(session: Session) -> list[tuple[str, str, str]]:
    """Every occupation–skill link as (occupation code, skill id, relation)."""
    rows = session.execute(select(t.OccupationSkillRow.occupation_code, t.OccupationSkillRow.skill_id,
                                  t.OccupationSkillRow.relation)
                           .order_by(t.OccupationSkillRow.occupation_code, t.OccupationSkillRow.skill_id))
    return [(r.occupation_code, r.skill_id, r.relation) for r in rows]
