"""The gate: every read of a person's record passes here, and nowhere else decides it.

One rule (:func:`kedja.core.access.person_access`) over one set of facts (the person's active
consents with their purposes, and the active referrals that name them) gives the view a reader
gets: ``full`` (the case record), ``candidate`` (an employer's candidate profile) or ``none``.
The functions below apply it for a single record, for a list, and for an access request, and
write the audit log in the same transaction (at its end, so that the write lock is held for the
insert and the commit only: :mod:`kedja.store.audit_log`): every read names its reader, purpose
and person; every refusal is logged too (in its own transaction, as the caller's is rolled
back), and a refusal reads the same whether or not the person exists.

Callers, with the purpose they pass:

==============================  ==========================================================
``people.read_person``          the purpose the reader names (``?purpose=``)
``people.list_people``          the same; the list holds only people the purpose opens
``follow_up.person_journey``    the reader's purpose (``follow_up`` by default)
``matching.pathways_for_person`` ``matching``; needs the full view
``referrals``                   ``case_management`` (creating, consenting, naming the person)
``consents`` and follow-up writes ``case_management``; needs the full view
``chains.employer_chain_plan``  ``workforce_planning`` (which employees are named)
``privacy.export_person_data``  :func:`open_for_request`: a recorded access request
==============================  ==========================================================

Usage from another service (one transaction)::

    with session_scope(engine) as session:
        opened = gate.open_person(session, principal, person_id, Purpose.MATCHING,
                                  need=PersonView.FULL)
        person = repo.get_person(session, opened.person_id)  # now allowed, and audited
"""

from __future__ import annotations

import getpass
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kedja.core.access import (
    DATA_CONTROLLER_KINDS,
    Grant,
    GrantBasis,
    Permission,
    PersonView,
    Principal,
    Purpose,
    Role,
    is_permitted,
    operator_principal,
    person_access,
    refusal,
)
from kedja.core.audit import AuditAction, AuditEntry
from kedja.core.errors import Forbidden
from kedja.store import records, session_scope
from kedja.store import tables as t

__all__ = [
    "Opened",
    "audit_reads",
    "cli_operator",
    "open_for_request",
    "open_person",
    "view_of",
    "visible_people",
]


@dataclass(frozen=True, slots=True)
class Opened:
    """A person's record opened to a reader: for which purpose, in which view."""

    person_id: str
    view: PersonView
    """``full`` or ``candidate`` (never ``none``: a refused read raises)."""
    purpose: Purpose
    grants: tuple[Grant, ...] = ()

    @property
    def shared_with(self) -> tuple[str, ...]:
        """Organisations holding consent or an active referral (the full view only)."""
        if self.view is not PersonView.FULL:
            return ()
        return tuple(sorted({g.organisation_id for g in self.grants}))


def cli_operator() -> Principal:
    """The principal of whoever runs a ``kedja`` command (the system user).

    Audited as ``cli:<user>`` (see :func:`kedja.core.access.operator_principal`).
    """
    try:
        name = getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or the password database
        name = "operator"
    return operator_principal(name)


_RANK = {PersonView.NONE: 0, PersonView.CANDIDATE: 1, PersonView.FULL: 2}


def _entry(principal: Principal, person_id: str, purpose: str, action: AuditAction) -> AuditEntry:
    return AuditEntry(at=datetime.now(UTC), actor=principal.username,
                      organisation_id=principal.organisation_id or None, action=action,
                      subject_type="person", subject_id=person_id[:255], purpose=purpose)


def audit_reads(session: Session, principal: Principal, person_ids: Iterable[str],
                purpose: Purpose, *, action: AuditAction = AuditAction.READ) -> None:
    """Record that ``principal`` read these people's records, in the caller's transaction."""
    records.append_audit(session, [_entry(principal, pid, purpose.value, action)
                                   for pid in person_ids])


def _refuse(session: Session, principal: Principal, person_id: str, purpose: Purpose,
            action: AuditAction) -> Forbidden:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    # its own transaction: the caller's is rolled back by the Forbidden it raises
    with session_scope(engine) as own:
        records.append_audit(own, [_entry(principal, person_id, f"{purpose.value}: refused",
                                          action)])
    return refusal(person_id, principal.organisation_id or principal.username, purpose.value)


def view_of(session: Session, principal: Principal, person_id: str,
            purpose: Purpose) -> PersonView:
    """The view ``principal`` would get of the person for ``purpose``; no audit entry.

    For deciding what to show beside another record (a referral's person id); the caller audits
    what it then shows with :func:`audit_reads`.
    """
    return person_access(principal, records.grants_for_person(session, person_id), purpose.value)


def open_person(session: Session, principal: Principal, person_id: str, purpose: Purpose, *,
                need: PersonView = PersonView.CANDIDATE,
                audit: AuditAction | None = AuditAction.READ) -> Opened:
    """Open one person's record to ``principal`` for ``purpose``, or refuse; both are audited.

    ``need`` is the least view the caller's use needs (``full`` for pathways, the journey's
    case data, consents and referrals). ``audit`` is the action logged for an allowed read;
    ``None`` when the caller logs its own entry (a write).

    Raises:
        Forbidden: no grant of the principal's organisation covers the purpose, or its view is
            less than ``need``. An unknown or erased id gives the same answer.
    """
    grants = records.grants_for_person(session, person_id)
    view = person_access(principal, grants, purpose.value)
    if _RANK[view] < max(_RANK[need], 1):
        raise _refuse(session, principal, person_id, purpose, audit or AuditAction.READ)
    if audit is not None:
        audit_reads(session, principal, [person_id], purpose, action=audit)
    return Opened(person_id, view, purpose, tuple(grants))


def visible_people(session: Session, principal: Principal, purpose: Purpose, *,
                   among: Iterable[str] | None = None) -> dict[str, PersonView]:
    """The people (id → view) whose records ``purpose`` opens to ``principal``, in id order.

    ``among`` limits the answer to those ids (e.g. an employer's staff). Not audited: the caller
    audits the ones it shows, with :func:`audit_reads`.
    """
    if Role.OPERATOR in principal.roles or not is_permitted(principal, Permission.READ_PEOPLE):
        return {}  # the operator reads one record at a time, by id; lists are for case work
    grants = records.organisation_grants(session, principal.organisation_id)
    # the views depend on the grants and on the organisation, its kind and the roles only: kept
    # while organisation_grants returns the very same (unchanged) grants
    key = (principal.organisation_id, principal.organisation_kind, principal.roles, purpose)
    with _views_lock:
        hit = _views.get(key)
    if hit is not None and hit[0] is grants:
        views = hit[1]
    else:
        views = {}
        for pid in sorted(grants):
            view = person_access(principal, grants[pid], purpose.value)
            if view is not PersonView.NONE:
                views[pid] = view
        with _views_lock:
            _views.pop(key, None)
            _views[key] = (grants, views)
            while len(_views) > records.GRANTS_KEPT:
                del _views[next(iter(_views))]
    if among is None:
        return dict(views)
    # the few wanted ids looked up, not the organisation's thousands scanned; in id order
    return {pid: views[pid] for pid in sorted(set(among)) if pid in views}


_views: dict[tuple[Any, ...], tuple[dict[str, list[Grant]], dict[str, PersonView]]] = {}
_views_lock = threading.Lock()


def open_for_request(session: Session, principal: Principal, person_id: str,
                     request_id: str) -> Opened:
    """Open a person's whole record to answer their access request (GDPR art. 15); audited.

    Allowed to an admin (``handle_data_requests``) of an organisation that holds case records
    as a controller (:data:`kedja.core.access.DATA_CONTROLLER_KINDS`, not employers) and to
    the local operator, and only against an access request recorded for this person
    (:func:`kedja.services.privacy.record_access_request`). Every other case, an unknown or
    erased id included, gets the same refusal.
    """
    purpose = Purpose.GDPR_REQUEST
    operator = Role.OPERATOR in principal.roles
    allowed = is_permitted(principal, Permission.HANDLE_DATA_REQUESTS) and (
        operator or principal.organisation_kind in DATA_CONTROLLER_KINDS)
    request = session.get(t.DataRequestRow, request_id) if allowed else None
    exists = session.scalar(select(t.PersonRow.id).where(
        t.PersonRow.id == person_id, t.PersonRow.erased_on.is_(None))) is not None
    ours = request is not None and request.person_id == person_id and request.kind == "access" \
        and (operator or request.organisation_id == principal.organisation_id)
    if not (allowed and ours and exists):
        _refuse(session, principal, person_id, purpose, AuditAction.EXPORT)
        raise Forbidden(
            f"no export of {person_id!r}: it needs an access request recorded for this person "
            "at your organisation, handled by an admin of an organisation that holds case "
            "records", field="request_id", value=request_id,
            hint="record the request (who asked, when, why, how their identity was checked) "
                 "and export with its id")
    audit_reads(session, principal, [person_id], purpose, action=AuditAction.EXPORT)
    return Opened(person_id, PersonView.FULL, purpose,
                  (Grant(person_id, principal.organisation_id, GrantBasis.CONSENT),))
