"""A region without synthetic people: the schema with the region and taxonomy packs only.

``kedja init`` is where an organisation starts with its own data: municipalities, localities,
functional labour-market areas, counties with their facts and sources, and the SSYK taxonomy
pack, then ``kedja load`` for people, staff, vacancies, courses and places.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Engine

from kedja.core.errors import Conflict, InvalidInput
from kedja.demo import load_region_pack, load_taxonomy_pack
from kedja.services.cache import invalidate
from kedja.store import repositories as repo
from kedja.store import session_scope
from kedja.store import tables as t

__all__ = ["REGIONS", "RegionSummary", "init_region"]

REGIONS = {"upper-norrland": "SE33"}
"""Region names ``kedja init`` knows → the region pack's NUTS 2 code."""


@dataclass(frozen=True)
class RegionSummary:
    """What ``kedja init`` stored."""

    region: str
    municipalities: int
    localities: int
    functional_areas: int
    occupations: int
    skills: int


def init_region(engine: Engine, region: str = "upper-norrland") -> RegionSummary:
    """Store the region's facts and the taxonomy pack in a migrated, empty database.

    Raises:
        InvalidInput: a region Kedja has no pack for.
        Conflict: the database already holds a region.
    """
    if region not in REGIONS:
        raise InvalidInput(f"Kedja has no pack for the region {region!r}", field="--region",
                           value=region, hint="use one of " + ", ".join(REGIONS))
    pack, taxonomy = load_region_pack(), load_taxonomy_pack()
    with session_scope(engine) as session:
        if repo.count_rows(session, t.MunicipalityRow):
            raise Conflict("the database already holds a region", field="--db",
                           hint="use a new database path; load your files into this one with kedja load")
        repo.save_region(session, counties=pack.counties, areas=pack.areas,
                         municipalities=pack.municipalities, localities=pack.localities,
                         source=pack.citation())
        repo.save_occupations(session, occupations=taxonomy.occupations, skills=taxonomy.skills,
                              links=taxonomy.links, source="kedja-taxonomy-pack")
        repo.set_info(session, "region", json.dumps({"region": pack.code, "name": region}))
    invalidate(engine)
    return RegionSummary(region, len(pack.municipalities), len(pack.localities), len(pack.areas),
                         len(taxonomy.occupations), len(taxonomy.skills))
