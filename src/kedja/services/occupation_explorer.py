"""The occupation explorer: an occupation's profile in the region and where it leads.

Joins the public occupation facts (the shipped pack, or imported classifications) with what
the region's database knows: open positions and the employers offering them, and the courses
that lead to each recommended destination. Organisations and opportunities are not personal
data; the caller's permission to read aggregates is checked by the web layer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Engine, func, select

from kedja.core.ids import OccupationCode
from kedja.core.opportunities import OpportunityKind
from kedja.demo.packs import load_taxonomy_pack
from kedja.services.transitions import OccupationDetail, occupation_detail, occupation_transitions
from kedja.store import repositories as repo
from kedja.store import session_scope
from kedja.store import tables as t
from kedja.taxonomy.transitions import Transition

__all__ = ["Course", "Employer", "OccupationProfile", "occupation_profile"]


@dataclass(frozen=True)
class Employer:
    """An employer in the region with open positions in the occupation."""

    name: str
    municipality: str
    positions: int


@dataclass(frozen=True)
class Course:
    """A course in the region leading to an occupation."""

    title: str
    provider: str
    municipality: str
    weeks: int
    seats: int


@dataclass(frozen=True)
class OccupationProfile:
    """Everything the explorer shows for one SSYK group."""

    detail: OccupationDetail
    open_positions: int
    employers: list[Employer]
    ads_region_2024: int | None
    transitions: list[Transition]
    courses: dict[str, list[Course]] = field(default_factory=dict)


def occupation_profile(engine: Engine, code: str, *, k: int = 8) -> OccupationProfile:
    """The profile of SSYK group ``code``: facts, regional demand, employers, moves, courses.

    Raises:
        NotFound: ``code`` is not an SSYK 2012 unit group.

    """
    detail = occupation_detail(engine, code)
    moves = occupation_transitions(engine, code, k=k)
    with session_scope(engine) as session:
        places = {str(m.code): m.name for m in repo.list_municipalities(session)}
        names = dict(session.execute(select(t.OrganisationRow.id, t.OrganisationRow.name)).all())
        jobs = session.execute(
            select(t.OpportunityRow.organisation_id, t.OpportunityRow.municipality_code,
                   func.sum(t.OpportunityRow.capacity).label("positions"))
            .where(t.OpportunityRow.kind == OpportunityKind.JOB.value,
                   t.OpportunityRow.occupation_code == code)
            .group_by(t.OpportunityRow.organisation_id, t.OpportunityRow.municipality_code)
            .order_by(func.sum(t.OpportunityRow.capacity).desc(),
                      t.OpportunityRow.organisation_id)).all()
        training = session.execute(
            select(t.OpportunityRow.title, t.OpportunityRow.training_provider_id,
                   t.OpportunityRow.municipality_code, t.OpportunityRow.training_weeks,
                   t.OpportunityRow.capacity, t.OpportunityRow.training_leads_to)
            .where(t.OpportunityRow.kind == OpportunityKind.TRAINING.value)).all()
    employers = [Employer(names.get(org, org), places.get(m, m), int(n)) for org, m, n in jobs[:12]]
    wanted = {t.to_code for t in moves}
    courses: dict[str, list[Course]] = defaultdict(list)
    for title, provider, municipality, weeks, seats, leads_to in training:
        for dest in wanted & set(leads_to or ()):
            courses[dest].append(Course(title, names.get(provider, ""),
                                        places.get(municipality, ""), weeks or 0, seats))
    ads = load_taxonomy_pack().ads_region.get(OccupationCode(code))
    return OccupationProfile(detail, sum(int(n) for *_, n in jobs), employers, ads, moves,
                             {d: sorted(c, key=lambda c: c.weeks)[:3] for d, c in courses.items()})
