"""Repositories: read and write core types, in bulk where the demo and importers need speed.

Functions take an open :class:`~sqlalchemy.orm.Session`; the caller (``kedja.services``) owns
the transaction.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, delete, func, insert, literal_column, select
from sqlalchemy.orm import Session

from kedja.core.errors import NotFound
from kedja.core.establishments import Establishment
from kedja.core.geography import AgeShares, Coordinates, County, FunctionalArea, Locality, Municipality
from kedja.core.ids import (
    CountyCode,
    FunctionalAreaCode,
    LocalityId,
    MunicipalityCode,
    OccupationCode,
    OrganisationId,
    PersonId,
    SkillId,
)
from kedja.core.opportunities import Opportunity
from kedja.core.organisations import AsfProfile, Organisation
from kedja.core.people import (
    Constraints,
    Education,
    LabourSituation,
    LanguageSkill,
    PastOccupation,
    Person,
    Preferences,
    SkillClaim,
)
from kedja.core.protected import ProtectedAttributes
from kedja.core.taxonomy import Occupation, OccupationSkill, Skill
from kedja.store import tables as t

__all__ = [
    "count_rows",
    "get_info",
    "get_people",
    "get_person",
    "id_in",
    "insert_many",
    "list_municipalities",
    "list_occupations",
    "opportunity_values",
    "save_establishments",
    "save_occupations",
    "save_opportunities",
    "save_organisations",
    "save_people",
    "save_region",
    "set_info",
]

BATCH = 5_000


def id_in(session: Session, column: Any, ids: Sequence[str]) -> ColumnElement[bool]:
    """``column IN ids``; on SQLite the ids go as one JSON parameter (``json_each``).

    SQLAlchemy otherwise renders one parameter per id: for an office's thousands of people the
    compiling and binding cost more than SQLite's lookups (the people page's ordering of
    6,330 visible ids: 21 ms, 15 ms as one parameter), and SQLite takes 32,766 parameters at most.

    Examples:
        >>> from sqlalchemy import create_engine
        >>> from sqlalchemy.orm import Session
        >>> with Session(create_engine("sqlite://")) as session:
        ...     print(id_in(session, t.PersonRow.id, ["P1", "P2"]))
        people.id IN (SELECT value FROM json_each(:json_each_1))
    """
    if session.get_bind().dialect.name == "sqlite":
        return column.in_(select(literal_column("value")).select_from(
            func.json_each(json.dumps(list(ids)))))
    return column.in_(list(ids))


def insert_many(session: Session, table: type[t.Base], rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``table`` in batches (executemany)."""
    for start in range(0, len(rows), BATCH):
        session.execute(insert(table), list(rows[start : start + BATCH]))


def count_rows(session: Session, table: type[t.Base]) -> int:
    """Number of rows in ``table``."""
    return int(session.scalar(select(func.count()).select_from(table)) or 0)


def set_info(session: Session, key: str, value: str) -> None:
    """Record a fact about the dataset (demo seed, pack version, …)."""
    session.execute(delete(t.DatasetInfoRow).where(t.DatasetInfoRow.key == key))
    session.add(t.DatasetInfoRow(key=key, value=value))


def get_info(session: Session, key: str) -> str | None:
    """A fact about the dataset, or ``None``."""
    row = session.get(t.DatasetInfoRow, key)
    return None if row is None else row.value


# Geography -----------------------------------------------------------------------------------


def save_region(
    session: Session,
    *,
    counties: Iterable[County],
    areas: Iterable[FunctionalArea],
    municipalities: Iterable[Municipality],
    localities: Iterable[Locality],
    source: str | None = None,
) -> None:
    """Insert a region's counties, functional areas, municipalities and localities."""
    insert_many(session, t.CountyRow, [{"code": c.code, "name": c.name} for c in counties])
    insert_many(session, t.FunctionalAreaRow, [{"code": a.code, "name": a.name} for a in areas])
    insert_many(session, t.MunicipalityRow, [_municipality_row(m, source) for m in municipalities])
    insert_many(
        session,
        t.LocalityRow,
        [
            {"id": lo.id, "name": lo.name, "municipality_code": lo.municipality_code,
             "lat": lo.point.lat, "lon": lo.point.lon}
            for lo in localities
        ],
    )


def _municipality_row(m: Municipality, source: str | None) -> dict[str, Any]:
    shares = m.age_shares
    return {
        "code": m.code, "name": m.name, "county_code": m.county_code,
        "functional_area_code": m.functional_area_code,
        "seat_lat": m.seat.lat, "seat_lon": m.seat.lon,
        "population": m.population, "population_year": m.population_year,
        "share_0_19": shares.age_0_19 if shares else None,
        "share_20_64": shares.age_20_64 if shares else None,
        "share_65_plus": shares.age_65_plus if shares else None,
        "age_year": shares.year if shares else None,
        "source": source,
    }


def _municipality(row: t.MunicipalityRow) -> Municipality:
    shares = None
    if row.share_0_19 is not None and row.age_year is not None:
        shares = AgeShares(row.share_0_19, row.share_20_64 or 0.0, row.share_65_plus or 0.0,
                           row.age_year)
    return Municipality(
        code=MunicipalityCode(row.code), name=row.name, county_code=CountyCode(row.county_code),
        functional_area_code=FunctionalAreaCode(row.functional_area_code)
        if row.functional_area_code else None,
        seat=Coordinates(row.seat_lat, row.seat_lon), population=row.population,
        population_year=row.population_year, age_shares=shares,
    )


def list_municipalities(session: Session) -> list[Municipality]:
    """All municipalities, ordered by code."""
    rows = session.scalars(select(t.MunicipalityRow).order_by(t.MunicipalityRow.code))
    return [_municipality(row) for row in rows]


def list_counties(session: Session) -> list[County]:
    """All counties, ordered by code."""
    rows = session.scalars(select(t.CountyRow).order_by(t.CountyRow.code))
    return [County(CountyCode(r.code), r.name) for r in rows]


def list_functional_areas(session: Session) -> list[FunctionalArea]:
    """All functional labour-market areas, ordered by code."""
    rows = session.scalars(select(t.FunctionalAreaRow).order_by(t.FunctionalAreaRow.code))
    return [FunctionalArea(FunctionalAreaCode(r.code), r.name) for r in rows]


def list_localities(session: Session) -> list[Locality]:
    """All localities, ordered by id."""
    rows = session.scalars(select(t.LocalityRow).order_by(t.LocalityRow.id))
    return [
        Locality(LocalityId(r.id), r.name, MunicipalityCode(r.municipality_code),
                 Coordinates(r.lat, r.lon))
        for r in rows
    ]


# Taxonomy ------------------------------------------------------------------------------------


def save_occupations(
    session: Session,
    *,
    occupations: Iterable[Occupation],
    skills: Iterable[Skill],
    links: Iterable[OccupationSkill],
    source: str,
) -> None:
    """Insert occupations, skills and their links from one source."""
    insert_many(session, t.SkillRow, [
        {"id": s.id, "name_sv": s.name_sv, "name_en": s.name_en, "jobtech_id": s.jobtech_id,
         "esco_uri": s.esco_uri, "source": source}
        for s in skills
    ])
    insert_many(session, t.OccupationRow, [
        {"code": o.code, "name_sv": o.name_sv, "name_en": o.name_en,
         "isco_codes": list(o.isco_codes), "jobtech_id": o.jobtech_id,
         "esco_uris": list(o.esco_uris), "sector": o.sector.value,
         "no_educational_requirement": o.no_educational_requirement, "source": source}
        for o in occupations
    ])
    insert_many(session, t.OccupationSkillRow, [
        {"occupation_code": link.occupation_code, "skill_id": link.skill_id,
         "relation": link.relation.value}
        for link in links
    ])


def list_occupations(session: Session) -> list[Occupation]:
    """All occupations, ordered by code."""
    rows = session.scalars(select(t.OccupationRow).order_by(t.OccupationRow.code))
    return [
        Occupation(
            code=OccupationCode(r.code), name_sv=r.name_sv, name_en=r.name_en,
            isco_codes=tuple(r.isco_codes), jobtech_id=r.jobtech_id,
            esco_uris=tuple(r.esco_uris), sector=r.sector,  # type: ignore[arg-type]
            no_educational_requirement=r.no_educational_requirement,
        )
        for r in rows
    ]


# Organisations and opportunities ---------------------------------------------------------------


def save_organisations(session: Session, organisations: Iterable[Organisation]) -> None:
    """Insert organisations."""
    insert_many(session, t.OrganisationRow, [
        {"id": o.id, "name": o.name, "kind": o.kind.value,
         "municipality_code": o.municipality_code, "org_number": o.org_number, "sni": o.sni,
         "asf_services": list(o.asf.services_offered) if o.asf else None,
         "asf_placement_capacity": o.asf.placement_capacity if o.asf else None}
        for o in organisations
    ])


def organisation_from_row(row: t.OrganisationRow) -> Organisation:
    """The core organisation for a row."""
    asf = None
    if row.asf_placement_capacity is not None:
        asf = AsfProfile(tuple(row.asf_services or ()), row.asf_placement_capacity)
    return Organisation(
        id=OrganisationId(row.id), name=row.name, kind=row.kind,  # type: ignore[arg-type]
        municipality_code=MunicipalityCode(row.municipality_code),
        org_number=row.org_number, sni=row.sni, asf=asf,
    )


def opportunity_values(o: Opportunity) -> dict[str, Any]:
    """The ``opportunities`` row of an opportunity (its skills are rows of their own)."""
    training = o.training
    return {
        "id": o.id, "kind": o.kind.value, "title": o.title, "organisation_id": o.organisation_id,
        "municipality_code": o.municipality_code, "occupation_code": o.occupation_code,
        "locality_id": o.locality_id, "remote_share": o.remote_share,
        "hours_per_week": o.hours_per_week, "capacity": o.capacity, "starts": o.starts,
        "ends": o.ends, "driving_licences": sorted(o.driving_licences),
        "swedish_level": o.swedish_level, "adaptations_offered": sorted(o.adaptations_offered),
        "training_weeks": training.duration_weeks if training else None,
        "training_provider_id": training.provider_id if training else None,
        "training_leads_to": list(training.leads_to) if training else None,
        "training_cost_sek": training.cost_sek if training else None,
        "training_requires_experience": list(training.requires_experience_in)
        if training else None,
        "min_education_level": o.min_education_level,
        "max_swedish_level": o.max_swedish_level,
    }


def save_opportunities(session: Session, opportunities: Iterable[Opportunity]) -> None:
    """Insert opportunities and their required and merit skills."""
    rows, skills = [], []
    for o in opportunities:
        rows.append(opportunity_values(o))
        skills += [{"opportunity_id": o.id, "skill_id": s, "required": True}
                   for s in o.required_skills]
        skills += [{"opportunity_id": o.id, "skill_id": s, "required": False}
                   for s in o.merit_skills if s not in o.required_skills]
    insert_many(session, t.OpportunityRow, rows)
    insert_many(session, t.OpportunitySkillRow, skills)


def save_establishments(session: Session, establishments: Iterable[Establishment]) -> None:
    """Insert establishments with their headcount by year."""
    items = list(establishments)
    insert_many(session, t.EstablishmentRow, [
        {"id": e.id, "name": e.name, "municipality_code": e.municipality_code,
         "organisation_id": e.organisation_id, "occupation_mix": dict(sorted(e.occupation_mix.items())),
         "description": e.description, "headcount_source": e.headcount_source or None,
         "headcount_as_of": e.headcount_as_of or None}
        for e in items
    ])
    insert_many(session, t.EstablishmentHeadcountRow, [
        {"establishment_id": e.id, "year": year, "headcount": count}
        for e in items for year, count in sorted(e.headcount_by_year.items())
    ])


# People --------------------------------------------------------------------------------------


def save_people(
    session: Session, people: Sequence[Person], protected: Iterable[ProtectedAttributes] = ()
) -> None:
    """Insert people with their skills, past occupations, languages and protected attributes."""
    insert_many(session, t.PersonRow, [_person_row(p) for p in people])
    insert_many(session, t.PersonSkillRow, [
        {"person_id": p.id, "skill_id": s.skill_id, "source": s.source.value}
        for p in people for s in p.skills
    ])
    insert_many(session, t.PersonOccupationRow, [
        {"person_id": p.id, "occupation_code": o.occupation_code, "years": o.years}
        for p in people for o in p.past_occupations
    ])
    insert_many(session, t.PersonLanguageRow, [
        {"person_id": p.id, "language": lang.language, "level": lang.level}
        for p in people for lang in p.languages
    ])
    insert_many(session, t.ProtectedAttributesRow, [
        {"person_id": a.person_id, "gender": a.gender, "birth_year": a.birth_year,
         "born_abroad": a.born_abroad, "disability": a.disability}
        for a in protected
    ])


def _person_row(p: Person) -> dict[str, Any]:
    s, c = p.situation, p.constraints
    return {
        "id": p.id, "municipality_code": p.municipality_code, "locality_id": p.locality_id,
        "status": s.status.value, "status_since": s.since, "occupation_code": s.occupation_code,
        "employer_id": s.employer_id, "support_forms": sorted(f.value for f in s.support_forms),
        "sun_level": p.education.sun_level if p.education else None,
        "sun_field": p.education.sun_field if p.education else None,
        "driving_licences": sorted(p.driving_licences),
        "max_commute_minutes": c.max_commute_minutes, "hours_per_week": c.hours_per_week,
        "adaptations": sorted(c.adaptations), "available_from": c.available_from,
        "preferred_occupations": list(p.preferences.occupations),
        "preferred_sectors": list(p.preferences.sectors),
    }


def get_person(session: Session, person_id: str) -> Person:
    """The person with ``person_id``; raises NotFound."""
    row = session.get(t.PersonRow, person_id)
    if row is None:
        raise NotFound(f"no person has the id {person_id!r}", field="person_id", value=person_id,
                       hint="check the id; people are listed at /api/v1/people")
    return _people_from_rows(session, [row])[0]


def get_people(session: Session, person_ids: Sequence[str]) -> list[Person]:
    """The people with these ids, in the order given (ids with no person are left out)."""
    rows = {r.id: r for r in session.scalars(select(t.PersonRow)
                                             .where(t.PersonRow.id.in_(person_ids)))}
    return _people_from_rows(session, [rows[i] for i in person_ids if i in rows])


def _people_from_rows(session: Session, rows: Sequence[t.PersonRow]) -> list[Person]:
    ids = [r.id for r in rows]
    skills: dict[str, list[SkillClaim]] = defaultdict(list)
    for s in session.scalars(select(t.PersonSkillRow).where(t.PersonSkillRow.person_id.in_(ids))
                             .order_by(t.PersonSkillRow.skill_id)):
        skills[s.person_id].append(SkillClaim(SkillId(s.skill_id), s.source))  # type: ignore[arg-type]
    past: dict[str, list[PastOccupation]] = defaultdict(list)
    for o in session.scalars(select(t.PersonOccupationRow)
                             .where(t.PersonOccupationRow.person_id.in_(ids))):
        past[o.person_id].append(PastOccupation(OccupationCode(o.occupation_code), o.years))
    langs: dict[str, list[LanguageSkill]] = defaultdict(list)
    for lang in session.scalars(select(t.PersonLanguageRow)
                                .where(t.PersonLanguageRow.person_id.in_(ids))):
        langs[lang.person_id].append(LanguageSkill(lang.language, lang.level))
    return [_person(r, skills[r.id], past[r.id], langs[r.id]) for r in rows]


def _person(
    r: t.PersonRow,
    skills: list[SkillClaim],
    past: list[PastOccupation],
    langs: list[LanguageSkill],
) -> Person:
    return Person(
        id=PersonId(r.id), municipality_code=MunicipalityCode(r.municipality_code),
        locality_id=LocalityId(r.locality_id) if r.locality_id else None,
        situation=LabourSituation(
            status=r.status, since=r.status_since,  # type: ignore[arg-type]
            occupation_code=OccupationCode(r.occupation_code) if r.occupation_code else None,
            employer_id=OrganisationId(r.employer_id) if r.employer_id else None,
            support_forms=frozenset(r.support_forms),
        ),
        skills=tuple(skills), past_occupations=tuple(past),
        education=Education(r.sun_level, r.sun_field) if r.sun_level else None,
        languages=tuple(langs), driving_licences=frozenset(r.driving_licences),
        constraints=Constraints(r.max_commute_minutes, r.hours_per_week,
                                frozenset(r.adaptations), r.available_from),
        preferences=Preferences(tuple(r.preferred_occupations), tuple(r.preferred_sectors)),
    )


def municipality_source(session: Session) -> str | None:
    """The citation recorded with the municipalities' figures."""
    return session.scalar(select(t.MunicipalityRow.source).limit(1))
