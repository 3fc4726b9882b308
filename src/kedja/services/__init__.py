"""Use cases: each function is one transaction, with access checks and audit entries.

``web`` and ``cli`` call these and nothing below them.
"""

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
from kedja.services.people import (
    Page,
    PersonRecord,
    list_organisations,
    list_people,
    read_person,
)
from kedja.services.region import RegionOverview, region_overview
from kedja.services.system import database_health, downgrade_database, prepare_database

__all__ = [
    "ConsentRecord",
    "DemoSummary",
    "Page",
    "PersonRecord",
    "RegionOverview",
    "SignedIn",
    "UserPublic",
    "audit_csv",
    "audit_page",
    "build_demo_database",
    "create_user",
    "database_health",
    "disable_user",
    "downgrade_database",
    "list_organisations",
    "list_people",
    "list_users",
    "person_access_log",
    "prepare_database",
    "read_person",
    "record_consent",
    "region_overview",
    "sign_in",
    "sign_in_oidc",
    "sign_out",
    "signed_in",
    "withdraw_consent",
]
