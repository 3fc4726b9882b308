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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, MetaData, select

from kedja.core.access import (
    ACTIVE_REFERRAL_STATES,
    DATA_CONTROLLER_KINDS,
    Permission,
    Principal,
    Purpose,
    Role,
    require_permission,
)
from kedja.core.audit import AuditAction, AuditEntry
from kedja.core.errors import Forbidden, InvalidInput, NotFound
from kedja.services import gate
from kedja.services.cache import invalidate
from kedja.services.consents import PersonRequest
from kedja.services.identity import identity_of
from kedja.store import erasure, records, session_scope
from kedja.store import tables as t

__all__ = [
    "ERASURE_PLAN",
    "INDIRECT_PLAN",
    "PEOPLE_KEPT",
    "AccessLogEntry",
    "AccessRequest",
    "DataExport",
    "ErasureReport",
    "TablePlan",
    "Treatment",
    "erase_person",
    "export_person_data",
    "record_access_request",
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
    "referrals": TablePlan(Treatment.KEEP, "referral outcomes by organisation; active ones "
                           "are ended first, and every referral gets a fresh random id",
                           cleared=("end_reason", "purpose")),
    "enrolments": TablePlan(Treatment.KEEP, "follow-up indicators (with fresh random ids)"),
    "exits": TablePlan(Treatment.KEEP, "follow-up indicators (destinations)"),
    "outcomes": TablePlan(Treatment.KEEP, "follow-up indicators (90/180/365 days)"),
    "progress_assessments": TablePlan(Treatment.KEEP, "progression indicators (distance travelled)"),
    "person_identities": TablePlan(Treatment.DELETE, "name and personal number (encrypted): an "
                                   "erased person is identified by no one"),
    "data_requests": TablePlan(Treatment.KEEP, "the record that a request was answered",
                               cleared=("requester", "reason", "identity_check")),
    "person_notes": TablePlan(Treatment.DELETE, "case workers' notes on the person's case"),
    "record_keys": TablePlan(Treatment.KEEP, "the published indicators stay the same (cell-key "
                                            "method)"),
}
"""Every table with a ``person_id`` column or a key to ``people``: register new ones here."""

INDIRECT_PLAN: dict[str, str] = {
    "referral_events": "note and actor cleared (the person's referrals' events)",
    "audit_log": "subject id replaced by the pseudonym; old referral and enrolment ids in its "
                 "texts replaced by the fresh ones",
    "exits, outcomes": "follow their enrolment to its fresh id",
}


def unregistered_tables(metadata: MetaData | None = None) -> list[str]:
    """Tables holding a person's rows that :data:`ERASURE_PLAN` does not cover (must be none)."""
    return sorted(set(erasure.person_tables(metadata)) - set(ERASURE_PLAN))


@dataclass(frozen=True)
class ErasureReport:
    """What an erasure changed, per table."""

    pseudonym: str
    rows: dict[str, int]
    scrubbed: dict[str, object] = field(default_factory=dict)
    """What was done to the database files (SQLite: VACUUM and a WAL checkpoint)."""


def _handler(principal: Principal) -> None:
    """Only an admin of an organisation that holds case records, or the local operator."""
    require_permission(principal, Permission.HANDLE_DATA_REQUESTS)
    if Role.OPERATOR not in principal.roles and \
            principal.organisation_kind not in DATA_CONTROLLER_KINDS:
        raise Forbidden(
            f"an organisation of kind {principal.organisation_kind.value} does not answer "
            "people's data requests", field="role", value=principal.organisation_id,
            hint="an admin of the Employment Service, a municipality, an ASF or an education "
                 "provider that holds the person's case answers them")


def record_access_request(engine: Engine, principal: Principal, person_id: str, *,
                          requester: str, received: date, channel: str, reason: str,
                          identity_check: str) -> str:
    """Record a person's access request (GDPR art. 15) before answering it; its id.

    The id is what :func:`export_person_data` needs. Recording does not look the person up:
    a request about an id nobody holds is recorded the same way (and its export refused).

    Raises:
        Forbidden: not an admin of an organisation that holds case records (nor the operator).
        InvalidInput: a field is empty, the channel unknown, or the date in the future.
    """
    _handler(principal)
    for name, value in (("requester", requester), ("reason", reason),
                        ("identity_check", identity_check), ("person_id", person_id)):
        if not value.strip():
            raise InvalidInput(f"an access request needs its {name.replace('_', ' ')}",
                               field=name, hint="say who asked, why, and how their identity "
                               "was checked (e.g. 'BankID', 'ID card at the office')")
    PersonRequest(requester, received, channel).checked()
    request_id = f"DR-{secrets.token_hex(8)}"
    with session_scope(engine) as session:
        org = principal.organisation_id or None
        if org is None:  # the operator's requests belong to no organisation's admins
            org = _operator_organisation(session)
        records.add_data_request(
            session, request_id=request_id, person_id=person_id.strip()[:64], kind="access",
            organisation_id=org, requester=requester.strip()[:255], received=received,
            channel=channel, reason=reason.strip(), identity_check=identity_check.strip(),
            recorded_by=principal.username, recorded_at=datetime.now(UTC))
        records.append_audit(session, [AuditEntry(
            at=datetime.now(UTC), actor=principal.username, organisation_id=org,
            action=AuditAction.WRITE, subject_type="data_request", subject_id=request_id,
            purpose=f"{Purpose.GDPR_REQUEST.value}: access request recorded")])
    return request_id


def _operator_organisation(session: Any) -> str:
    # data_requests needs an organisation: the operator's go to the first Employment Service
    # office, the controller of the job seekers' case records
    found = session.scalar(select(t.OrganisationRow.id).where(
        t.OrganisationRow.kind.in_([k.value for k in DATA_CONTROLLER_KINDS]))
        .order_by(t.OrganisationRow.kind, t.OrganisationRow.id))
    if found is None:
        raise InvalidInput("the database holds no organisation that answers data requests",
                           field="organisation_id", hint="load the organisations first")
    return str(found)


def erase_person(engine: Engine, principal: Principal, person_id: str, *, reason: str,
                 today: date | None = None) -> ErasureReport:
    """Erase a person (GDPR art. 17) in one transaction, by :data:`ERASURE_PLAN`; audited.

    Active referrals are ended first (no receiver may accept one), the person's referrals and
    enrolments get fresh random ids (in the audit texts too), and on SQLite the files are
    scrubbed afterwards (:func:`kedja.store.erasure.scrub_files`): ``report.scrubbed`` says how.

    ``principal`` must hold ``handle_data_requests`` at an organisation that holds case records,
    or be the local operator (:func:`kedja.services.gate.cli_operator`).

    Raises:
        NotFound: no (unerased) person has this id.
        InvalidInput: no reason given.
    """
    _handler(principal)
    actor, organisation = principal.username, principal.organisation_id or None
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
        counts["referrals_ended"] = erasure.end_active_referrals(
            session, person_id, ACTIVE_REFERRAL_STATES, note="the person's data was erased")
        erasure.pseudonymised_person(session, person_id, pseudonym, kept=PEOPLE_KEPT, on=on)
        for name, plan in ERASURE_PLAN.items():
            if plan.treatment is Treatment.DELETE:
                counts[name] = erasure.delete_person_rows(session, name, person_id)
            elif plan.treatment is Treatment.KEEP:
                counts[name] = erasure.repoint_person_rows(session, name, person_id, pseudonym,
                                                           cleared=plan.cleared)
        counts["referral_events"] = erasure.overwrite_referral_events(session, pseudonym)
        counts["ids_renamed"] = len(erasure.rekey_journey(session, pseudonym))
        counts["audit_log"] = erasure.pseudonymise_audit_subject(session, person_id, pseudonym)
        counts["people"] = erasure.delete_person_rows(session, "people", person_id)
        records.append_audit(session, [AuditEntry(
            at=datetime.now(UTC), actor=actor, organisation_id=organisation,
            action=AuditAction.ERASE, subject_type="person", subject_id=pseudonym,
            purpose=f"erasure: {reason.strip()[:200]}")])
    invalidate(engine)  # no cached plan or list of this process may still hold the old id
    return ErasureReport(pseudonym, counts, erasure.scrub_files(engine))


@dataclass(frozen=True, slots=True)
class AccessRequest:
    """A person's access request as recorded: who asked, when, how, why, the identity check."""

    id: str
    requester: str
    received: date
    channel: str
    reason: str | None
    identity_check: str | None
    recorded_by: str


@dataclass(frozen=True, slots=True)
class AccessLogEntry:
    """Who read or changed the person's record, when and why."""

    at: datetime
    actor: str
    organisation_id: str | None
    action: str
    purpose: str | None


@dataclass(frozen=True, slots=True)
class DataExport:
    """Everything Kedja holds about a person, answering their access request.

    The API serves it as it is (its response model).
    """

    person_id: str
    exported_at: datetime
    request: AccessRequest
    tables: dict[str, list[dict[str, Any]]]
    """Per table of :data:`ERASURE_PLAN` (and ``referral_events``), the rows about the person."""
    identity: dict[str, str | None] | None
    """The person's name and personal number (decrypted), when Kedja holds them."""
    access_log: list[AccessLogEntry]


def export_person_data(engine: Engine, principal: Principal, person_id: str, *,
                       request_id: str) -> DataExport:
    """Everything Kedja holds about a person (GDPR art. 15), as JSON-ready data; audited.

    Answers the access request ``request_id`` recorded for this person at the principal's
    organisation (:func:`record_access_request`); the gate
    (:func:`kedja.services.gate.open_for_request`) checks it.

    Raises:
        Forbidden: no such request for this person at this organisation, not an admin of an
            organisation that holds case records, or no such person: one answer for all.
    """
    with session_scope(engine) as session:
        gate.open_for_request(session, principal, person_id, request_id)
        request = session.get(t.DataRequestRow, request_id)
        assert request is not None  # the gate checked it
        tables = {name: erasure.person_rows(session, name, person_id) for name in ERASURE_PLAN}
        tables["referral_events"] = erasure.referral_event_rows(session, person_id)
        return DataExport(
            person_id=person_id, exported_at=datetime.now(UTC).replace(microsecond=0),
            request=AccessRequest(request.id, request.requester, request.received,
                                  request.channel, request.reason, request.identity_check,
                                  request.recorded_by),
            tables=tables,
            identity=identity_of(session, person_id),
            access_log=[AccessLogEntry(e.at, e.actor, e.organisation_id, e.action.value,
                                       e.purpose)
                        for e in records.audit_entries(session, subject_type="person",
                                                       subject_id=person_id, offset=0,
                                                       limit=100_000)])
