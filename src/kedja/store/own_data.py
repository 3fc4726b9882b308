"""Rows behind a region's own data: organisations' own ids, encrypted identities, upserts.

Functions take an open session; ``kedja.services.loading`` owns the transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from kedja.core.ids import SkillId
from kedja.core.opportunities import Opportunity
from kedja.core.organisations import Organisation
from kedja.core.people import Person
from kedja.store import loaders
from kedja.store import repositories as repo
from kedja.store import tables as t

__all__ = [
    "get_opportunities",
    "identities",
    "identities_by_external",
    "keys_by_external",
    "put_identity",
    "put_keys",
    "reference_data",
    "replace_opportunity",
    "replace_organisation",
    "replace_person",
]


def reference_data(session: Session) -> dict[str, Any]:
    """The codes a file is checked against, as plain dictionaries."""
    return {
        "municipalities": {c: n for c, n in session.execute(
            select(t.MunicipalityRow.code, t.MunicipalityRow.name))},
        "localities": {i: (m, n) for i, m, n in session.execute(
            select(t.LocalityRow.id, t.LocalityRow.municipality_code, t.LocalityRow.name))},
        "occupations": {c: n for c, n in session.execute(
            select(t.OccupationRow.code, t.OccupationRow.name_sv))},
        "jobtech_occupations": {j: c for c, j in session.execute(
            select(t.OccupationRow.code, t.OccupationRow.jobtech_id)) if j},
        "skills": {i: n or "" for i, n in session.execute(select(t.SkillRow.id, t.SkillRow.name_sv))},
        "organisations": {n: i for i, n in session.execute(
            select(t.OrganisationRow.id, t.OrganisationRow.org_number)) if n},
    }


def keys_by_external(session: Session, owner: str, kind: str) -> dict[str, str]:
    """The owner's own ids of one kind → Kedja's ids."""
    rows = session.execute(select(t.ExternalKeyRow.external_id, t.ExternalKeyRow.entity_id).where(
        t.ExternalKeyRow.owner_id == owner, t.ExternalKeyRow.kind == kind))
    return {str(e): str(i) for e, i in rows}


def put_keys(session: Session, owner: str, kind: str, pairs: Iterable[tuple[str, str]],
             at: datetime) -> None:
    """Record new (own id, Kedja id) pairs."""
    repo.insert_many(session, t.ExternalKeyRow, [
        {"owner_id": owner, "kind": kind, "external_id": e, "entity_id": i, "loaded_at": at}
        for e, i in pairs])


def identities_by_external(session: Session, owner: str) -> dict[str, str]:
    """The owner's own ids of the people it loaded → person ids."""
    rows = session.execute(select(t.PersonIdentityRow.external_id, t.PersonIdentityRow.person_id)
                           .where(t.PersonIdentityRow.owner_id == owner,
                                  t.PersonIdentityRow.external_id.is_not(None)))
    return {str(e): str(p) for e, p in rows}


def identities(session: Session, person_ids: Sequence[str] | None = None) -> list[t.PersonIdentityRow]:
    """Identity rows (of these people, or all)."""
    query = select(t.PersonIdentityRow).order_by(t.PersonIdentityRow.person_id)
    if person_ids is not None:
        query = query.where(repo.id_in(session, t.PersonIdentityRow.person_id, person_ids))
    return list(session.scalars(query))


def put_identity(session: Session, values: dict[str, Any]) -> None:
    """Insert or replace a person's identity row."""
    session.execute(delete(t.PersonIdentityRow).where(
        t.PersonIdentityRow.person_id == values["person_id"]))
    session.add(t.PersonIdentityRow(**values))
    session.flush()


def replace_person(session: Session, person: Person) -> None:
    """Overwrite a stored person's row and lists with ``person`` (same id)."""
    values = repo._person_row(person)
    session.execute(update(t.PersonRow).where(t.PersonRow.id == person.id).values(values))
    for table in (t.PersonSkillRow, t.PersonOccupationRow, t.PersonLanguageRow):
        session.execute(delete(table).where(table.person_id == person.id))
    repo.insert_many(session, t.PersonSkillRow, [
        {"person_id": person.id, "skill_id": s.skill_id, "source": s.source.value} for s in person.skills])
    repo.insert_many(session, t.PersonOccupationRow, [
        {"person_id": person.id, "occupation_code": o.occupation_code, "years": o.years}
        for o in person.past_occupations])
    repo.insert_many(session, t.PersonLanguageRow, [
        {"person_id": person.id, "language": lang.language, "level": lang.level}
        for lang in person.languages])


def get_opportunities(session: Session, ids: Sequence[str]) -> dict[str, Opportunity]:
    """Stored opportunities by id."""
    required: dict[str, list[SkillId]] = defaultdict(list)
    merit: dict[str, list[SkillId]] = defaultdict(list)
    for s in session.scalars(select(t.OpportunitySkillRow).where(
            t.OpportunitySkillRow.opportunity_id.in_(ids)).order_by(t.OpportunitySkillRow.skill_id)):
        (required if s.required else merit)[s.opportunity_id].append(SkillId(s.skill_id))
    rows = session.scalars(select(t.OpportunityRow).where(t.OpportunityRow.id.in_(ids)))
    return {r.id: loaders._opportunity(r, required[r.id], merit[r.id]) for r in rows}


def replace_opportunity(session: Session, opportunity: Opportunity) -> None:
    """Overwrite a stored opportunity (same id) and its skills."""
    session.execute(delete(t.OpportunitySkillRow).where(
        t.OpportunitySkillRow.opportunity_id == opportunity.id))
    values = repo.opportunity_values(opportunity)
    session.execute(update(t.OpportunityRow).where(t.OpportunityRow.id == opportunity.id)
                    .values({k: v for k, v in values.items() if k != "id"}))
    repo.insert_many(session, t.OpportunitySkillRow, [
        {"opportunity_id": opportunity.id, "skill_id": s, "required": True}
        for s in opportunity.required_skills])


def replace_organisation(session: Session, organisation: Organisation) -> None:
    """Overwrite a stored organisation (same id)."""
    o = organisation
    session.execute(update(t.OrganisationRow).where(t.OrganisationRow.id == o.id).values(
        name=o.name, kind=o.kind.value, municipality_code=o.municipality_code,
        org_number=o.org_number, sni=o.sni,
        asf_services=list(o.asf.services_offered) if o.asf else None,
        asf_placement_capacity=o.asf.placement_capacity if o.asf else None))
