"""A person's data rights: the data export (access request) and erasure, with the erasure plan.

**The erasure plan** (:data:`ERASURE_PLAN`) names, for every table that holds a person's data,
what erasure does to its rows:

- ``delete``: the rows go (skills, languages, consents, allocation places): nothing in the
  statistics reads them.
- ``pseudonymise``: the ``people`` row is copied under a fresh random id (``E`` + 16 hex
  digits, drawn by :mod:`secrets`, linked to nothing) keeping only the columns the statistics
  count (:data:`PEOPLE_KEPT`); every other column is overwritten with an empty value, the old
  row is deleted and ``erased_on`` set, so no page, list, matching run or export reaches it.
- ``keep``: rows that only feed aggregates (protected attributes for the equal-treatment
  indicators, past occupations for the forecast's labour supply, referrals, enrolments, exits,
  outcomes, progress assessments) move to the pseudonym, with their free text cleared.

Indirect holders: ``referral_events`` (via the referral: note and actor cleared) and
``audit_log`` (the subject id becomes the pseudonym: the log still says who read a record
when, but no longer whose). ``tests/services/test_privacy.py`` fails when a table with a
``person_id`` column (or a key to ``people``) is missing from the plan, so a new table must be
registered here.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, MetaData

from kedja.core.access import Permission, Principal, require_permission
from kedja.core.audit import AuditAction, AuditEntry
from kedja.core.errors import InvalidInput, NotFound
from kedja.services.cache import invalidate
from kedja.store import erasure, records, session_scope
from kedja.store import tables as t

__all__ = [
    "ERASURE_PLAN",
    "INDIRECT_PLAN",
    "PEOPLE_KEPT",
    "ErasureReport",
    "TablePlan",
    "Treatment",
    "erase_person",
    "export_person_data",
    "unregistered_tables",
]


class Treatment(StrEnum):
    """What erasure does to a table's rows about the person."""

    DELETE = "delete"
    PSEUDONYMISE = "pseudonymise"
    KEEP = "keep"


@dataclass(frozen=True)
class TablePlan:
    """A table's treatment, the reason, and the columns overwritten when rows are kept."""

    treatment: Treatment
    why: str
    cleared: tuple[str, ...] = ()


PEOPLE_KEPT = ("id", "municipality_code", "status", "status_since", "occupation_code",
               "sun_level", "sun_field", "erased_on")
"""The columns of an erased person's row that statistics count (labour balance, indicators)."""

ERASURE_PLAN: dict[str, TablePlan] = {
    "people": TablePlan(Treatment.PSEUDONYMISE, "counted by the labour balance and indicators "
                        "by municipality, status, occupation and education"),
    "person_skills": TablePlan(Treatment.DELETE, "used by matching only"),
    "person_occupations": TablePlan(Treatment.KEEP, "the forecast counts job seekers by "
                                    "their longest past occupation"),
    "person_languages": TablePlan(Treatment.DELETE, "used by matching only"),
    "protected_attributes": TablePlan(Treatment.KEEP, "equal-treatment indicators by group"),
    "consents": TablePlan(Treatment.DELETE, "an erased person is shown to no one"),
    "allocation_assignments": TablePlan(Treatment.DELETE, "the run's summary and audit are "
                                        "stored with the run as aggregates"),
    "referrals": TablePlan(Treatment.KEEP, "referral outcomes by organisation",
                           cleared=("end_reason",)),
    "enrolments": TablePlan(Treatment.KEEP, "follow-up indicators"),
    "exits": TablePlan(Treatment.KEEP, "follow-up indicators (destinations)"),
    "outcomes": TablePlan(Treatment.KEEP, "follow-up indicators (90/180/365 days)"),
    "progress_assessments": TablePlan(Treatment.KEEP, "progression indicators (distance travelled)"),
    "record_keys": TablePlan(Treatment.KEEP, "the published indicators stay the same (cell-key "
                                            "method)"),
}
"""Every table with a ``person_id`` column or a key to ``people``: register new ones here."""

INDIRECT_PLAN: dict[str, str] = {
    "referral_events": "note and actor cleared (the person's referrals' events)",
    "audit_log": "subject id replaced by the pseudonym",
}


def unregistered_tables(metadata: MetaData | None = None) -> list[str]:
    """Tables holding a person's rows that :data:`ERASURE_PLAN` does not cover (must be none)."""
    return sorted(set(erasure.person_tables(metadata)) - set(ERASURE_PLAN))


@dataclass(frozen=True)
class ErasureReport:
    """What an erasure changed, per table."""

    pseudonym: str
    rows: dict[str, int]


def _operator(principal: Principal | None) -> tuple[str, str | None]:
    if principal is None:
        return "operator", None
    require_permission(principal, Permission.HANDLE_DATA_REQUESTS)
    return principal.username, principal.organisation_id


def erase_person(engine: Engine, principal: Principal | None, person_id: str, *, reason: str,
                 today: date | None = None) -> ErasureReport:
    """Erase a person (GDPR art. 17) in one transaction, by :data:`ERASURE_PLAN`; audited.

    ``principal`` must hold ``handle_data_requests`` (admins); ``None`` is the local operator.

    Raises:
        NotFound: no (unerased) person has this id.
        InvalidInput: no reason given.
    """
    actor, organisation = _operator(principal)
    if not reason.strip():
        raise InvalidInput("an erasure needs a reason", field="reason", value=reason,
                           hint="say why, e.g. 'art. 17 request 2026-11-02'")
    pseudonym = f"E{secrets.token_hex(8)}"
    on = today or datetime.now(UTC).date()
    counts: dict[str, int] = {}
    with session_scope(engine) as session:
        person = session.get(t.PersonRow, person_id)
        if person is None or person.erased_on is not None:
            raise NotFound(f"no person has the id {person_id!r}", field="person_id",
                           value=person_id, hint="check the id; an erased person is gone")
        erasure.pseudonymised_person(session, person_id, pseudonym, kept=PEOPLE_KEPT, on=on)
        for name, plan in ERASURE_PLAN.items():
            if plan.treatment is Treatment.DELETE:
                counts[name] = erasure.delete_person_rows(session, name, person_id)
            elif plan.treatment is Treatment.KEEP:
                counts[name] = erasure.repoint_person_rows(session, name, person_id, pseudonym,
                                                           cleared=plan.cleared)
        counts["referral_events"] = erasure.overwrite_referral_events(session, pseudonym)
        counts["audit_log"] = erasure.pseudonymise_audit_subject(session, person_id, pseudonym)
        counts["people"] = erasure.delete_person_rows(session, "people", person_id)
        records.append_audit(session, [AuditEntry(
            at=datetime.now(UTC), actor=actor, organisation_id=organisation,
            action=AuditAction.ERASE, subject_type="person", subject_id=pseudonym,
            purpose=f"erasure: {reason.strip()[:200]}")])
    invalidate(engine)  # no cached plan or list of this process may still hold the old id
    return ErasureReport(pseudonym, counts)


def export_person_data(engine: Engine, principal: Principal | None,
                       person_id: str) -> dict[str, Any]:
    """Everything Kedja holds about a person (GDPR art. 15), as JSON-ready data; audited.

    Raises:
        NotFound: no (unerased) person has this id.
    """
    actor, organisation = _operator(principal)
    with session_scope(engine) as session:
        person = session.get(t.PersonRow, person_id)
        if person is None or person.erased_on is not None:
            raise NotFound(f"no person has the id {person_id!r}", field="person_id",
                           value=person_id, hint="check the id")
        data: dict[str, Any] = {
            "person_id": person_id,
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "tables": {name: erasure.person_rows(session, name, person_id)
                       for name in ERASURE_PLAN},
        }
        data["tables"]["referral_events"] = erasure.referral_event_rows(session, person_id)
        data["access_log"] = [
            {"at": e.at.isoformat(), "actor": e.actor, "organisation_id": e.organisation_id,
             "action": e.action.value, "purpose": e.purpose}
            for e in records.audit_entries(session, subject_type="person", subject_id=person_id,
                                           offset=0, limit=100_000)]
        records.append_audit(session, [AuditEntry(
            at=datetime.now(UTC), actor=actor, organisation_id=organisation,
            action=AuditAction.EXPORT, subject_type="person", subject_id=person_id,
            purpose="gdpr_request: data export")])
    return data
