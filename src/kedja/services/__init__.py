"""Use cases: each function is one transaction, with access checks and audit entries.

``web`` and ``cli`` call these and nothing below them.
"""

from kedja.services import follow_up as follow_up  # issue 8
from kedja.services import gate as gate
from kedja.services import hsds as hsds  # issue 22
from kedja.services import hub as hub
from kedja.services import referrals as referrals
from kedja.services.accounts import (
    SignedIn,
    UserPublic,
    create_user,
    disable_user,
    list_users,
    sign_in,
    sign_in_oidc,
    sign_out,
    signed_in,
)
from kedja.services.audit import audit_csv, audit_page, person_access_log
from kedja.services.consents import ConsentRecord, record_consent, withdraw_consent
from kedja.services.demo import DemoSummary, build_demo_database
from kedja.services.gate import Opened, cli_operator, open_person, visible_people
from kedja.services.jobs import JobStatus, fail_orphaned_jobs, job_status, start_allocation_job
from kedja.services.matching import pathways_for_person, run_allocation, warm_caches
from kedja.services.people import (
    Page,
    PersonRecord,
    list_organisations,
    list_people,
    read_person,
)
from kedja.services.region import RegionOverview, people_and_places, region_overview
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
    "ConsentRecord",
    "DemoSummary",
    "ImportReport",
    "JobStatus",
    "OccupationDetail",
    "Opened",
    "Page",
    "PersonRecord",
    "RegionOverview",
    "SignedIn",
    "Transition",
    "UserPublic",
    "audit_csv",
    "audit_page",
    "build_demo_database",
    "cli_operator",
    "create_user",
    "database_health",
    "disable_user",
    "downgrade_database",
    "fail_orphaned_jobs",
    "import_taxonomy",
    "job_status",
    "list_organisations",
    "list_people",
    "list_users",
    "occupation_detail",
    "occupation_transitions",
    "open_person",
    "pathways_for_person",
    "people_and_places",
    "person_access_log",
    "person_transitions",
    "prepare_database",
    "read_person",
    "record_consent",
    "region_overview",
    "run_allocation",
    "search_occupations",
    "sign_in",
    "sign_in_oidc",
    "sign_out",
    "signed_in",
    "start_allocation_job",
    "taxonomy_coverage",
    "taxonomy_sources",
    "transition_model",
    "transitions_table",
    "visible_people",
    "warm_caches",
    "withdraw_consent",
]
