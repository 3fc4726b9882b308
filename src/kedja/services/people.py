"""People's records and organisations, behind the access rules of :mod:`kedja.core.access`.

Every read of a person's record writes an audit entry in the same transaction: who, which
person, when and for what purpose. A list writes one entry per person on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kedja.core.access import (
    Permission,
    PersonView,
    Principal,
    Purpose,
    person_view,
    require_permission,
    require_person_visible,
)
from kedja.core.audit import AuditAction, AuditEntry
from kedja.core.errors import Forbidden, InvalidInput
from kedja.core.organisations import Organisation, OrganisationKind
from kedja.core.people import Person
from kedja.store import records, session_scope
from kedja.store import repositories as repo

__all__ = [
    "MAX_PAGE_SIZE",
    "Page",
    "PersonRecord",
    "audit_reads",
    "list_organisations",
    "list_people",
    "page_offset",
    "read_person",
]

MAX_PAGE_SIZE = 100
T = TypeVar("T")
Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list, with the total and the page's position."""

    items: list[T]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """A person's record in the view the reader's role gets."""

    person: Person
    view: PersonView
    shared_with: tuple[str, ...] = ()
    """Organisations holding consent or an active referral (case view only)."""


def page_offset(page: int, page_size: int) -> int:
    """The offset of a page after checking its number and size."""
    if page < 1:
        raise InvalidInput(f"page {page} does not exist", field="page", value=page,
                           hint="pages count from 1")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"a page holds 1 to {MAX_PAGE_SIZE} items, not {page_size}",
                           field="page_size", value=page_size,
                           hint=f"ask for at most {MAX_PAGE_SIZE} per page")
    return (page - 1) * page_size


def audit_reads(session: Session, principal: Principal, person_ids: list[str],
                purpose: Purpose, *, action: AuditAction = AuditAction.READ,
                at: datetime | None = None) -> None:
    """Record that ``principal`` read these people's records, in the caller's transaction."""
    moment = at or datetime.now(UTC)
    records.append_audit(session, [
        AuditEntry(at=moment, actor=principal.username, organisation_id=principal.organisation_id,
                   action=action, subject_type="person", subject_id=pid, purpose=purpose.value)
        for pid in person_ids
    ])


def list_people(engine: Engine, principal: Principal, *, purpose: Purpose, page: int = 1,
                page_size: int = 25) -> Page[PersonRecord]:
    """The people whose records the principal's organisation may see, one page at a time.

    Raises:
        Forbidden: the principal's roles may not read people's records (analysts, admins).
        InvalidInput: a page number or size out of range.
    """
    require_permission(principal, Permission.READ_PEOPLE)
    offset = page_offset(page, page_size)
    consent_only = principal.organisation_kind is OrganisationKind.EMPLOYER
    view = person_view(principal)
    with session_scope(engine) as session:
        org = principal.organisation_id
        total = records.count_visible_people(session, org, consent_only=consent_only)
        ids = records.visible_person_ids(session, org, consent_only=consent_only,
                                         offset=offset, limit=page_size)
        people = repo.get_people(session, ids)
        audit_reads(session, principal, ids, purpose, action=AuditAction.LIST)
    return Page([PersonRecord(p, view) for p in people], total, page, page_size)


def read_person(engine: Engine, principal: Principal, person_id: str, *,
                purpose: Purpose) -> PersonRecord:
    """One person's record, if their consent or an active referral opens it to the principal.

    A refused read is audited too, so attempts to look at records show up in the log.

    Raises:
        Forbidden: the role may not read records, or the organisation has no consent or
            active referral for the person. An unknown id gives the same answer, so the
            response does not reveal who is registered.
    """
    require_permission(principal, Permission.READ_PEOPLE)
    with session_scope(engine) as session:
        grants = records.grants_for_person(session, person_id, purpose.value)
        try:
            require_person_visible(principal, person_id, grants)
        except Forbidden:
            _audit_refusal(engine, principal, person_id, purpose)
            raise
        person = repo.get_person(session, person_id)
        audit_reads(session, principal, [person_id], purpose)
    view = person_view(principal)
    shared = tuple(sorted({g.organisation_id for g in grants})) if view is PersonView.FULL else ()
    return PersonRecord(person, view, shared)


def _audit_refusal(engine: Engine, principal: Principal, person_id: str,
                   purpose: Purpose) -> None:
    # Its own transaction: the caller's is rolled back by the Forbidden it re-raises.
    with session_scope(engine) as session:
        records.append_audit(session, [AuditEntry(
            at=datetime.now(UTC), actor=principal.username,
            organisation_id=principal.organisation_id, action=AuditAction.READ,
            subject_type="person", subject_id=person_id[:255],
            purpose=f"{purpose.value}: refused")])


def list_organisations(engine: Engine, principal: Principal, *, kind: OrganisationKind | None,
                       page: int = 1, page_size: int = 25) -> Page[Organisation]:
    """The organisations in the region (public register facts, no personal data)."""
    require_permission(principal, Permission.READ_ORGANISATIONS)
    offset = page_offset(page, page_size)
    value = kind.value if kind else None
    with session_scope(engine) as session:
        total = records.count_organisations(session, kind=value)
        items = records.list_organisations(session, kind=value, offset=offset, limit=page_size)
    return Page(items, total, page, page_size)
