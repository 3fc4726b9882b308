"""The region overview: municipalities with their figures."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from kedja.core.geography import County, FunctionalArea, Municipality
from kedja.store import repositories as repo
from kedja.store import session_scope

__all__ = ["RegionOverview", "region_overview"]


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

    Aggregate, public figures only: no access check is needed.
    """
    with session_scope(engine) as session:
        municipalities = repo.list_municipalities(session)
        counties = repo.list_counties(session)
        areas = repo.list_functional_areas(session)
        source = repo.municipality_source(session)
    return RegionOverview(counties, areas, municipalities, source)
