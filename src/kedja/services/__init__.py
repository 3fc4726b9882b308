"""Use cases: each function is one transaction, with access checks and audit entries.

``web`` and ``cli`` call these and nothing below them.
"""

from kedja.services.demo import DemoSummary, build_demo_database
from kedja.services.region import RegionOverview, region_overview
from kedja.services.taxonomy import (
    IMPORT_KINDS,
    ImportReport,
    import_taxonomy,
    taxonomy_coverage,
    taxonomy_sources,
)
from kedja.services.system import database_health, downgrade_database, prepare_database

__all__ = [
    "IMPORT_KINDS",
    "ImportReport",
    "DemoSummary",
    "RegionOverview",
    "build_demo_database",
    "database_health",
    "downgrade_database",
    "import_taxonomy",
    "prepare_database",
    "region_overview",
    "taxonomy_coverage",
    "taxonomy_sources",
]
