"""From a valid row's values to Kedja's core records (people, opportunities, organisations).

The core types check the domain's own rules when they are built, so the validation builds
each row once with placeholder ids and reports what they refuse; the service builds it again
with the real ids.
"""

from __future__ import annotations

from typing import Any

from kedja.core.ids import (
    LocalityId,
    MunicipalityCode,
    OccupationCode,
    OpportunityId,
    OrganisationId,
    PersonId,
    SkillId,
)
from kedja.core.opportunities import Opportunity, OpportunityKind, TrainingDetails
from kedja.core.organisations import AsfProfile, Organisation
from kedja.core.people import (
    Constraints,
    Education,
    LabourSituation,
    LabourStatus,
    LanguageSkill,
    PastOccupation,
    Person,
    Preferences,
    SkillClaim,
    SkillSource,
)
from kedja.loading import cells
from kedja.loading.kinds import Kind

__all__ = ["build_record"]

Record = Person | Opportunity | Organisation


def _person(v: dict[str, Any], person_id: str, employer_id: str | None) -> Person:
    employed = employer_id is not None
    status = LabourStatus.EMPLOYED if employed else v["status"]
    occupation = v.get("occupation")
    past_code = v.get("occupation") if employed else v.get("past_occupation")
    past_years = v.get("years_in_occupation") if employed else v.get("past_years")
    past = (PastOccupation(OccupationCode(past_code), float(past_years or 1.0)),) if past_code else ()
    return Person(
        id=PersonId(person_id), municipality_code=MunicipalityCode(v["municipality"]),
        locality_id=LocalityId(v["locality"]) if v.get("locality") else None,
        situation=LabourSituation(
            status, since=v.get("employed_since") if employed else v.get("status_since"),
            occupation_code=OccupationCode(occupation) if occupation else None,
            employer_id=OrganisationId(employer_id) if employed and employer_id else None,
            support_forms=frozenset(v.get("support_forms", ()))),
        skills=tuple(SkillClaim(SkillId(s), SkillSource.SELF_REPORTED) for s in v.get("skills", ())),
        past_occupations=past,
        education=Education(v["sun_level"]) if v.get("sun_level") else None,
        languages=tuple(LanguageSkill(lang, level) for lang, level in v.get("languages", ())),
        driving_licences=frozenset(v.get("driving_licences", ())),
        constraints=Constraints(v.get("max_commute_minutes", 45), v.get("hours_per_week", 40),
                                frozenset(), v.get("available_from")),
        preferences=Preferences(tuple(OccupationCode(c) for c in v.get("preferred_occupations", ()))),
    )


def _opportunity(kind: Kind, v: dict[str, Any], opportunity_id: str, organisation_id: str,
                 provider_id: str) -> Opportunity:
    common: dict[str, Any] = {
        "id": OpportunityId(opportunity_id), "title": v["title"],
        "municipality_code": MunicipalityCode(v["municipality"]),
        "locality_id": LocalityId(v["locality"]) if v.get("locality") else None,
        "hours_per_week": v.get("hours_per_week", 40), "capacity": v.get("capacity", 1),
        "starts": v.get("starts"), "ends": v.get("ends"),
    }
    if kind is Kind.COURSES:
        leads_to = tuple(OccupationCode(c) for c in v["leads_to"])
        return Opportunity(**common, kind=OpportunityKind.TRAINING,
                           organisation_id=OrganisationId(provider_id),
                           occupation_code=leads_to[0] if leads_to else None,
                           training=TrainingDetails(v["weeks"], OrganisationId(provider_id), leads_to,
                                                    v.get("cost_sek", 0)),
                           min_education_level=v.get("min_education_level"))
    if kind is Kind.PLACES:
        return Opportunity(**common, kind=OpportunityKind(v.get("kind", "asf_placement")),
                           organisation_id=OrganisationId(organisation_id),
                           occupation_code=v.get("occupation"),
                           adaptations_offered=frozenset(cells.items(v.get("adaptations_offered", ""))))
    return Opportunity(**common, kind=OpportunityKind.JOB, organisation_id=OrganisationId(organisation_id),
                       occupation_code=OccupationCode(v["occupation"]),
                       required_skills=tuple(SkillId(s) for s in v.get("skills", ())),
                       remote_share=v.get("remote_share", 0.0),
                       driving_licences=frozenset(v.get("driving_licences", ())),
                       swedish_level=v.get("swedish_level"))


def _organisation(v: dict[str, Any], organisation_id: str) -> Organisation:
    asf = AsfProfile((), v.get("placement_capacity", 0)) if v["kind"] == "asf" else None
    return Organisation(OrganisationId(organisation_id), v["name"], v["kind"],
                        MunicipalityCode(v["municipality"]), v["org_number"], v.get("sni") or None, asf)


def build_record(kind: Kind, values: dict[str, Any], *, entity_id: str, organisation_id: str,
                 provider_id: str | None = None) -> Record:
    """The core record of a valid row (raises :class:`~kedja.core.errors.InvalidInput`).

    ``organisation_id``: the employer (employees, jobs) or the owner (places);
    ``provider_id``: the course's provider.
    """
    if kind is Kind.PEOPLE:
        return _person(values, entity_id, None)
    if kind is Kind.EMPLOYEES:
        return _person(values, entity_id, organisation_id)
    if kind is Kind.ORGANISATIONS:
        return _organisation(values, entity_id)
    return _opportunity(kind, values, entity_id, organisation_id, provider_id or organisation_id)
