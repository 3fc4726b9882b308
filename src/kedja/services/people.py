"""People's records and organisations, behind the access rules of :mod:`kedja.core.access`.

Both reads go through the gate (:mod:`kedja.services.gate`), which decides the view and writes
the audit entry in the same transaction: who, which person, when and for what purpose. A list
writes one entry per person on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from sqlalchemy import Engine

from kedja.core.access import Permission, PersonView, Principal, Purpose, require_permission
from kedja.core.audit import AuditAction
from kedja.core.errors import InvalidInput
from kedja.core.organisations import Organisation, OrganisationKind
from kedja.core.people import Person
from kedja.services import gate
from kedja.services.gate import audit_reads
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

    @classmethod
    def of(cls, person: Person, view: PersonView, shared_with: tuple[str, ...] = ()
           ) -> PersonRecord:
        """The record as the gate opened it (``shared_with`` kept in the full view only)."""
        return cls(person, view, shared_with if view is PersonView.FULL else ())


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


def list_people(engine: Engine, principal: Principal, *, purpose: Purpose, page: int = 1,
                page_size: int = 25) -> Page[PersonRecord]:
    """The people whose records ``purpose`` opens to the principal, one page at a time.

    The list is filtered by the gate (:func:`kedja.services.gate.visible_people`): a person
    whose consent leaves the purpose out is not on it, nor is an erased one. Every person on
    the page is an audited list read.

    Raises:
        Forbidden: the principal's roles may not read people's records (analysts, admins).
        InvalidInput: a page number or size out of range.
    """
    require_permission(principal, Permission.READ_PEOPLE)
    offset = page_offset(page, page_size)
    with session_scope(engine) as session:
        views = gate.visible_people(session, principal, purpose)
        ids = list(views)[offset:offset + page_size]
        people = repo.get_people(session, ids)
        gate.audit_reads(session, principal, ids, purpose, action=AuditAction.LIST)
    return Page([PersonRecord.of(p, views[p.id]) for p in people], len(views), page, page_size)


def read_person(engine: Engine, principal: Principal, person_id: str, *,
                purpose: Purpose) -> PersonRecord:
    """One person's record, in the view the gate opens it to the principal for ``purpose``.

    A refused read is audited too, so attempts to look at records show up in the log.

    Raises:
        Forbidden: the role may not read records, or no consent or active referral of the
            organisation covers the purpose. An unknown id gives the same answer, so the
            response does not reveal who is registered.
    """
    with session_scope(engine) as session:
        opened = gate.open_person(session, principal, person_id, purpose)
        person = repo.get_person(session, person_id)
    return PersonRecord.of(person, opened.view, opened.shared_with)


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
