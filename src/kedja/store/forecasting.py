"""Queries for the forecast: establishments, and employed people counted by place and occupation.

Only aggregates leave this module: counts per municipality and occupation, never a person.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kedja.core.establishments import Establishment
from kedja.core.ids import EstablishmentId, MunicipalityCode, OccupationCode, OrganisationId
from kedja.core.people import LabourStatus
from kedja.store import tables as t

__all__ = ["actors_by_place", "employed_counts", "job_seeker_counts", "known_codes",
           "list_establishments"]


def employed_counts(session: Session) -> dict[tuple[str, str], int]:
    """Employed people per (municipality code, occupation code)."""
    rows = session.execute(
        select(t.PersonRow.municipality_code, t.PersonRow.occupation_code, func.count())
        .where(t.PersonRow.status == LabourStatus.EMPLOYED.value,
               t.PersonRow.occupation_code.is_not(None))
        .group_by(t.PersonRow.municipality_code, t.PersonRow.occupation_code)
    ).all()
    return {(m, o): int(n) for m, o, n in rows if o is not None}


def job_seeker_counts(session: Session) -> dict[tuple[str, str], int]:
    """Unemployed people per (municipality code, last occupation: the one with most years)."""
    rows = session.execute(
        select(t.PersonRow.id, t.PersonRow.municipality_code,
               t.PersonOccupationRow.occupation_code, t.PersonOccupationRow.years)
        .join(t.PersonOccupationRow, t.PersonOccupationRow.person_id == t.PersonRow.id)
        .where(t.PersonRow.status == LabourStatus.UNEMPLOYED.value)
    ).all()
    best: dict[str, tuple[float, str, str]] = {}
    for person, municipality, occupation, years in rows:
        if person not in best or (years, occupation) > (best[person][0], best[person][2]):
            best[person] = (years, municipality, occupation)
    counts: dict[tuple[str, str], int] = {}
    for _, municipality, occupation in best.values():
        counts[(municipality, occupation)] = counts.get((municipality, occupation), 0) + 1
    return counts


def list_establishments(session: Session) -> list[Establishment]:
    """Every establishment with its headcount by year, ordered by id."""
    counts: dict[str, dict[int, int]] = {}
    for row in session.scalars(select(t.EstablishmentHeadcountRow)):
        counts.setdefault(row.establishment_id, {})[row.year] = row.headcount
    return [
        Establishment(
            id=EstablishmentId(r.id), name=r.name,
            municipality_code=MunicipalityCode(r.municipality_code),
            headcount_by_year=counts.get(r.id, {}),
            occupation_mix={OccupationCode(k): float(v) for k, v in r.occupation_mix.items()},
            organisation_id=OrganisationId(r.organisation_id) if r.organisation_id else None,
            description=r.description, headcount_source=r.headcount_source or "",
            headcount_as_of=r.headcount_as_of or "",
        )
        for r in session.scalars(select(t.EstablishmentRow).order_by(t.EstablishmentRow.id))
    ]


def known_codes(session: Session) -> tuple[set[str], set[str], set[str]]:
    """Occupation codes, municipality codes and establishment ids in the database."""
    return (set(session.scalars(select(t.OccupationRow.code))),
            set(session.scalars(select(t.MunicipalityRow.code))),
            set(session.scalars(select(t.EstablishmentRow.id))))


def actors_by_place(session: Session) -> list[tuple[str, str, str | None, str, int]]:
    """Open opportunities as (municipality, kind, occupation, organisation name, capacity).

    Only organisations and their offers: employers with vacancies (``job``), course providers
    (``training``), ASFs with placements (``asf_placement``), and the rest by kind.
    """
    rows = session.execute(
        select(t.OpportunityRow.municipality_code, t.OpportunityRow.kind,
               t.OpportunityRow.occupation_code, t.OrganisationRow.name,
               t.OpportunityRow.capacity)
        .join(t.OrganisationRow, t.OrganisationRow.id == t.OpportunityRow.organisation_id)
    ).all()
    return [(m, k, o, n, int(c or 0)) for m, k, o, n, c in rows]
