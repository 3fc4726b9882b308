"""Use cases: each function is one transaction, with access checks and audit entries.

``web`` and ``cli`` call these and nothing below them.
"""

from kedja.services.demo import DemoSummary, build_demo_database
from kedja.services.matching import pathways_for_person, run_allocation
from kedja.services.region import RegionOverview, region_overview
from kedja.services.system import database_health, downgrade_database, prepare_database
from kedja.services.taxonomy import (
    IMPORT_KINDS,
    JOBTECH_API_URL,
    ImportReport,
    import_taxonomy,
    taxonomy_coverage,
    taxonomy_sources,
)
from kedja.services.transitions import (
    OccupationDetail,
    occupation_detail,
    occupation_transitions,
    person_transitions,
    search_occupations,
    transition_model,
    transitions_table,
)
from kedja.taxonomy.transitions import Transition

__all__ = [
    "IMPORT_KINDS",
    "JOBTECH_API_URL",
    "DemoSummary",
    "ImportReport",
    "OccupationDetail",
    "RegionOverview",
    "Transition",
    "build_demo_database",
    "database_health",
    "downgrade_database",
    "import_taxonomy",
    "occupation_detail",
    "occupation_transitions",
    "pathways_for_person",
    "person_transitions",
    "prepare_database",
    "region_overview",
    "run_allocation",
    "search_occupations",
    "taxonomy_coverage",
    "taxonomy_sources",
    "transition_model",
    "transitions_table",
]
