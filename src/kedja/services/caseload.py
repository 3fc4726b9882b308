"""A case worker's caseload: the people the gate opens, filtered, sorted and paged in SQL.

Who is on it is decided by the gate alone (:func:`kedja.services.gate.visible_people`, consent
purposes included); the database then filters, sorts and pages the people's ids, and only the
page's records are read (and audited as a list read). Names are searched through
:mod:`kedja.services.identity`, inside the same visibility.

The three scopes (documented in ``docs/caseload.md``):

``mine``
    people whose case the signed-in user has written to: created or moved a referral, recorded
    a consent, written a note (the audit log's ``write`` entries by the user);
``unit``
    people the user's organisation works with: a referral it sent or received (any state) or a
    write by anyone in the organisation;
``all``
    everyone the gate opens to the organisation for case management.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, Select, String, cast, or_, select, union
from sqlalchemy.orm import Session

from kedja.core.access import (
    ACTIVE_REFERRAL_STATES,
    Permission,
    PersonView,
    Principal,
    Purpose,
    require_permission,
)
from kedja.core.audit import AuditAction
from kedja.core.errors import InvalidInput
from kedja.core.people import LabourStatus, SupportForm
from kedja.services import gate, identity
from kedja.services.matching import reference_date
from kedja.services.people import Page, page_offset
from kedja.store import identity as sealed
from kedja.store import own_data, session_scope
from kedja.store import repositories as repo
from kedja.store import tables as t

__all__ = [
    "CONSENT_FILTERS",
    "REFERRAL_FILTERS",
    "SCOPES",
    "SORTS",
    "WITHOUT_WORK",
    "Caseload",
    "CaseloadQuery",
    "CaseloadRow",
    "caseload",
    "municipality_names",
    "occupation_names",
]

SCOPES = ("mine", "unit", "all")
SORTS = ("without_work", "municipality", "status", "available", "id")
WITHOUT_WORK: dict[str, tuple[int, int | None]] = {
    "0-6": (0, 6), "6-12": (6, 12), "12-24": (12, 24), "24-": (24, None)}
"""Months without work (unemployed since), in the bands Arbetsförmedlingen reports long-term
unemployment by: 6 and 12 months (long-term), 24 months (very long-term)."""
CONSENT_FILTERS = ("all_purposes", "limited", "referral_only")
REFERRAL_FILTERS = ("none", "active", "proposed", "accepted", "started", "completed", "ended")
MAX_ID_LIST = 20_000
"""Up to this many visible people, SQL reads them by id (one parameter on SQLite);
beyond, it scans the people and the visible set is applied after."""
PERSON_ID = re.compile(r"^[A-Za-z]+[-_]?\d+$")


@dataclass(frozen=True, slots=True)
class CaseloadQuery:
    """What the caseload page asks for; :meth:`checked` names a bad value and the fix."""

    scope: str = "all"
    q: str = ""
    status: str = ""
    municipality: str = ""
    without_work: str = ""
    support: str = ""
    consent: str = ""
    referral: str = ""
    sort: str = "without_work"
    page: int = 1
    page_size: int = 25

    def checked(self) -> CaseloadQuery:
        """The query with its text trimmed, or InvalidInput naming the field and the choices."""
        choices = {"scope": SCOPES, "sort": SORTS,
                   "status": ("", *(s.value for s in LabourStatus)),
                   "without_work": ("", *WITHOUT_WORK), "support": ("", *(s.value for s in SupportForm)),
                   "consent": ("", *CONSENT_FILTERS), "referral": ("", *REFERRAL_FILTERS)}
        for name, allowed in choices.items():
            value = getattr(self, name)
            if value not in allowed:
                raise InvalidInput(f"{name} {value!r} is not one of {', '.join(a for a in allowed if a)}",
                                   field=name, value=value, hint=f"choose {name} from the list")
        page_offset(self.page, self.page_size)
        return replace(self, q=self.q.strip(), municipality=self.municipality.strip())


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    """One person on the caseload, as the list shows them."""

    person_id: str
    name: str | None
    municipality_code: str
    status: str
    status_since: date | None
    months_without_work: int | None
    support_forms: tuple[str, ...]
    occupation_code: str | None
    """The current occupation, else the longest past one (for the occupation's name)."""
    referral_state: str | None
    """The state of the organisation's newest referral of the person, if any."""
    consent: str
    """``all_purposes``, ``limited`` (a consent for some purposes) or ``referral_only``."""


@dataclass(frozen=True, slots=True)
class Caseload:
    """One page of the caseload with the query that made it."""

    page: Page[CaseloadRow]
    query: CaseloadQuery
    today: date
    searched: bool = False
    """The page holds the hits of a name or number search (at most the search's limit)."""
    municipalities: dict[str, str] = field(default_factory=dict)


def _months_before(today: date, months: int) -> date:
    return today - timedelta(days=round(months * 30.4375))


def _scope_ids(principal: Principal, scope: str) -> Select[Any] | None:
    audit = t.AuditEntryRow
    writes = select(audit.subject_id).where(audit.action == AuditAction.WRITE.value,
                                            audit.subject_type == "person")
    if scope == "mine":
        return writes.where(audit.actor == principal.username)
    if scope == "unit":
        org = principal.organisation_id
        both = union(writes.where(audit.organisation_id == org), _org_referrals(org)).subquery()
        return select(both.c[0])
    return None


def _org_referrals(org: str) -> Select[Any]:
    return select(t.ReferralRow.person_id).where(or_(
        t.ReferralRow.from_organisation_id == org, t.ReferralRow.to_organisation_id == org))


def _own_consents(org: str) -> Select[Any]:
    return select(t.ConsentRow.person_id).where(t.ConsentRow.organisation_id == org,
                                                t.ConsentRow.withdrawn.is_(None))


def _filtered(query: CaseloadQuery, principal: Principal, today: date) -> Select[Any]:
    """The ids of the people matching the filters, sorted: no visibility decided here."""
    person = t.PersonRow
    stmt = select(person.id).where(person.erased_on.is_(None))
    scoped = _scope_ids(principal, query.scope)
    if scoped is not None:
        stmt = stmt.where(person.id.in_(scoped))
    if query.status:
        stmt = stmt.where(person.status == query.status)
    if query.municipality:
        stmt = stmt.where(person.municipality_code == query.municipality)
    if query.without_work:
        low, high = WITHOUT_WORK[query.without_work]
        stmt = stmt.where(person.status == LabourStatus.UNEMPLOYED.value,
                          person.status_since <= _months_before(today, low))
        if high is not None:
            stmt = stmt.where(person.status_since > _months_before(today, high))
    if query.support:  # a JSON list of fixed codes: '"sfi"' matches only the code sfi
        stmt = stmt.where(cast(person.support_forms, String).like(f'%"{query.support}"%'))
    stmt = _consent_filter(stmt, query.consent, principal.organisation_id)
    stmt = _referral_filter(stmt, query.referral, principal.organisation_id)
    return stmt.order_by(*_order(query.sort))


def _consent_filter(stmt: Select[Any], choice: str, org: str) -> Select[Any]:
    person = t.PersonRow
    consents = _own_consents(org)
    if choice == "all_purposes":
        return stmt.where(person.id.in_(consents.where(t.ConsentRow.purposes.is_(None))))
    if choice == "limited":
        return stmt.where(person.id.in_(consents.where(t.ConsentRow.purposes.is_not(None))))
    if choice == "referral_only":
        return stmt.where(person.id.not_in(consents))
    return stmt


def _referral_filter(stmt: Select[Any], choice: str, org: str) -> Select[Any]:
    person = t.PersonRow
    if choice == "none":
        return stmt.where(person.id.not_in(_org_referrals(org)))
    if choice == "active":
        return stmt.where(person.id.in_(_org_referrals(org).where(
            t.ReferralRow.state.in_(ACTIVE_REFERRAL_STATES))))
    if choice:
        return stmt.where(person.id.in_(_org_referrals(org).where(t.ReferralRow.state == choice)))
    return stmt


def _order(sort: str) -> tuple[Any, ...]:
    person = t.PersonRow
    if sort == "municipality":
        name = (select(t.MunicipalityRow.name)
                .where(t.MunicipalityRow.code == person.municipality_code).scalar_subquery())
        return (name, person.id)
    if sort == "status":
        return (person.status, person.id)
    if sort == "available":
        return (person.available_from.is_(None), person.available_from, person.id)
    if sort == "id":
        return (person.id,)
    # longest without work first; people in work or outside the labour force after them
    unemployed = person.status == LabourStatus.UNEMPLOYED.value
    return (~unemployed, person.status_since.is_(None), person.status_since, person.id)


def _searched_ids(engine: Engine, principal: Principal, session: Session, text: str,
                  visible: dict[str, PersonView]) -> list[str]:
    """The visible people an id, a personal number or a name finds (a search is audited)."""
    if PERSON_ID.match(text) and not text.replace("-", "").isdigit():
        return [text] if text in visible else []
    if text.replace("-", "").replace("+", "").replace(" ", "").isdigit():
        return [hit.person_id for hit in identity.search_people(
            engine, principal, text, purpose=Purpose.CASE_MANAGEMENT)]
    if len(text) < 2:
        raise InvalidInput("a search needs at least two characters", field="q", value=text,
                           hint="type part of a name, or a whole personal number")
    return identity.name_matches(session, visible, text)


def caseload(engine: Engine, principal: Principal, query: CaseloadQuery) -> Caseload:
    """One page of the people the gate opens to ``principal`` for case management.

    The gate decides who is visible (one pass over the organisation's grants); SQL filters and
    sorts the ids; only the page's people are read, and they are audited as a list read.

    Raises:
        Forbidden: the principal may not read people's records.
        InvalidInput: a filter, sort or page out of range, or a malformed personal number.
    """
    require_permission(principal, Permission.READ_PEOPLE)
    query = query.checked()
    purpose = Purpose.CASE_MANAGEMENT
    with session_scope(engine) as session:
        today = reference_date(session)
        visible = gate.visible_people(session, principal, purpose)
        stmt = _filtered(query, principal, today)
        if len(visible) <= MAX_ID_LIST:  # the visible ids by primary key, not a scan of everyone
            stmt = stmt.where(repo.id_in(session, t.PersonRow.id, list(visible)))
        # thousands of ids: read as plain rows (the ORM's row handling cost more than the query)
        ordered: list[str] = [pid for pid in session.connection().execute(stmt).scalars()
                              if pid in visible]
        searched = bool(query.q)
        if searched:
            wanted = set(_searched_ids(engine, principal, session, query.q, visible))
            ordered = [pid for pid in ordered if pid in wanted]
        offset = page_offset(query.page, query.page_size)
        ids = ordered[offset:offset + query.page_size]
        rows = _rows(session, principal, ids, today)
        gate.audit_reads(session, principal, ids, purpose, action=AuditAction.LIST)
        municipalities = dict(session.execute(
            select(t.MunicipalityRow.code, t.MunicipalityRow.name)
            .order_by(t.MunicipalityRow.name)).all())
    return Caseload(Page(rows, len(ordered), query.page, query.page_size), query, today,
                    searched, municipalities)


def _rows(session: Session, principal: Principal, ids: list[str], today: date
          ) -> list[CaseloadRow]:
    if not ids:
        return []
    org = principal.organisation_id
    people = {r.id: r for r in session.scalars(select(t.PersonRow).where(t.PersonRow.id.in_(ids)))}
    longest: dict[str, str] = {}
    for pid, code, _years in session.execute(
            select(t.PersonOccupationRow.person_id, t.PersonOccupationRow.occupation_code,
                   t.PersonOccupationRow.years)
            .where(t.PersonOccupationRow.person_id.in_(ids))
            .order_by(t.PersonOccupationRow.years)):
        longest[pid] = code  # ascending years: the longest is written last
    referral_state: dict[str, str] = {}
    for pid, state in session.execute(
            select(t.ReferralRow.person_id, t.ReferralRow.state).where(
                t.ReferralRow.person_id.in_(ids),
                or_(t.ReferralRow.from_organisation_id == org, t.ReferralRow.to_organisation_id == org))
            .order_by(t.ReferralRow.created, t.ReferralRow.id)):
        referral_state[pid] = state  # oldest first: the newest is written last
    consents = dict(session.execute(select(t.ConsentRow.person_id, t.ConsentRow.purposes).where(
        t.ConsentRow.person_id.in_(ids), t.ConsentRow.organisation_id == org,
        t.ConsentRow.withdrawn.is_(None))).all())
    names = _names(session, ids)
    return [_row(people[pid], names.get(pid), longest.get(pid), referral_state.get(pid),
                 _consent_kind(pid, consents), today) for pid in ids if pid in people]


def _consent_kind(pid: str, consents: dict[str, list[str] | None]) -> str:
    if pid not in consents:
        return "referral_only"
    return "all_purposes" if consents[pid] is None else "limited"


def _names(session: Session, ids: list[str]) -> dict[str, str]:
    """The page's names (already opened by the gate in this read)."""
    ring = sealed.keyring()
    return {r.person_id: ring.open(r.name_token, field="name", person_id=r.person_id)
            for r in own_data.identities(session, ids)}


def _row(p: t.PersonRow, name: str | None, longest: str | None, referral: str | None,
         consent: str, today: date) -> CaseloadRow:
    months = None
    if p.status == LabourStatus.UNEMPLOYED.value and p.status_since is not None:
        months = max(0, int((today - p.status_since).days // 30.4375))
    return CaseloadRow(p.id, name, p.municipality_code, p.status, p.status_since, months,
                       tuple(sorted(p.support_forms)), p.occupation_code or longest, referral,
                       consent)



def occupation_names(engine: Engine, codes: Iterable[str]) -> dict[str, str]:
    """SSYK code → Swedish occupation name, for the codes a page shows (public facts)."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    with session_scope(engine) as session:
        return dict(session.execute(select(t.OccupationRow.code, t.OccupationRow.name_sv)
                                    .where(t.OccupationRow.code.in_(wanted))).all())


def municipality_names(engine: Engine) -> dict[str, str]:
    """Municipality code → name (public facts)."""
    with session_scope(engine) as session:
        return dict(session.execute(select(t.MunicipalityRow.code, t.MunicipalityRow.name)).all())
