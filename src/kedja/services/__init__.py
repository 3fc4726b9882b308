"""Use cases: each function is one transaction, with access checks and audit entries.

``web`` and ``cli`` call these and nothing below them.
"""

from kedja.services.demo import DemoSummary, build_demo_database
from kedja.services.matching import pathways_for_person, run_allocation
from kedja.services.region import RegionOverview, region_overview
from kedja.services.system import database_health, downgrade_database, prepare_database

__all__ = [
    "DemoSummary",
    "RegionOverview",
    "build_demo_database",
    "database_health",
    "downgrade_database",
    "pathways_for_person",
    "prepare_database",
    "region_overview",
    "run_allocation",
]
