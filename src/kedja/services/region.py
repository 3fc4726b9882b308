"""The region overview: municipalities with their figures."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import Engine, func, select

from kedja.core.geography import County, FunctionalArea, Municipality
from kedja.follow_up.perturbation import KEY_SPACE, perturb_table
from kedja.services import cache
from kedja.store import repositories as repo
from kedja.store import session_scope
from kedja.store import tables as t

__all__ = ["PeopleAndPlaces", "RegionOverview", "people_and_places", "region_overview"]


@dataclass(frozen=True)
class RegionOverview:
    """The region's counties and municipalities, and the sources of their figures."""

    counties: list[County]
    areas: list[FunctionalArea]
    municipalities: list[Municipality]
    source: str | None

    @property
    def population(self) -> int:
        """Total population of the municipalities that report one."""
        return sum(m.population or 0 for m in self.municipalities)


def region_overview(engine: Engine) -> RegionOverview:
    """The counties and municipalities in the database, with the citation of their figures.

    Aggregate, public figures only: no access check is needed. Kept in the region cache (the
    region page, which every visitor opens, read them again on every visit); importing a region
    clears it.
    """
    return cache.cached(engine, "region-overview", lambda: _region_overview(engine))


def _region_overview(engine: Engine) -> RegionOverview:
    with session_scope(engine) as session:
        municipalities = repo.list_municipalities(session)
        counties = repo.list_counties(session)
        areas = repo.list_functional_areas(session)
        source = repo.municipality_source(session)
    return RegionOverview(counties, areas, municipalities, source)


@dataclass(frozen=True)
class PeopleAndPlaces:
    """Per municipality code: job seekers as published (``None``: hidden) and places offered."""

    job_seekers: dict[str, int | None]
    places: dict[str, int]
    total_job_seekers: int | None


def people_and_places(engine: Engine) -> PeopleAndPlaces:
    """The region's job seekers and places per municipality, for the public region map.

    Job seekers (everyone not employed) are people, so their counts pass the same disclosure
    control as every published table (:func:`kedja.follow_up.perturbation.perturb_table`: the
    cell-key noise of at most ±2 from the people's record keys, counts under 5 hidden). Places
    (the capacity of open opportunities) describe organisations, not people, and are shown as
    they are. Kept in the region cache, as the figures change only when people are loaded.
    """
    return cache.cached(engine, "region-people-and-places", lambda: _people_and_places(engine),
                        seconds=3600.0)  # imports of people clear the cache at once


def _people_and_places(engine: Engine) -> PeopleAndPlaces:
    from kedja.services.follow_up import record_keys  # the one source of record keys

    with session_scope(engine) as session:
        seekers = session.execute(select(t.PersonRow.id, t.PersonRow.municipality_code)
                                  .where(t.PersonRow.status != "employed")).all()
        places = dict(session.execute(
            select(t.OpportunityRow.municipality_code, func.sum(t.OpportunityRow.capacity))
            .group_by(t.OpportunityRow.municipality_code)).all())
    keys = record_keys(engine, {pid for pid, _ in seekers})
    codes = sorted({code for _, code in seekers})
    index = {code: i for i, code in enumerate(codes)}
    counts = np.zeros((len(codes), 1), dtype=np.int64)
    cell_keys = np.zeros((len(codes), 1), dtype=object)
    for pid, code in seekers:
        counts[index[code], 0] += 1
        cell_keys[index[code], 0] = (cell_keys[index[code], 0] + keys[pid]) % KEY_SPACE
    published = perturb_table(counts, cell_keys) if codes else None
    shown = {code: published.cells[i][0] for code, i in index.items()} if published else {}
    return PeopleAndPlaces(shown, {c: int(n or 0) for c, n in places.items()},
                           published.total if published else None)
