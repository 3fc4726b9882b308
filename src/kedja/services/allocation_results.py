"""A stored allocation as lists one can act on: who got which place, and each place's people.

Who sees what (the gate decides every person; ``docs/matching.md``, "Acting on an allocation"):

* the per-person list holds only the people whose records the reader's organisation may see
  (:func:`kedja.services.gate.visible_people`, purpose ``matching``; an employer's
  ``recruitment``), named where a name is stored, else by their pseudonymous id; the others are
  counted, never listed. Every person on a page is an audited list read; an export, an audited
  export;
* readers who run allocations (officers) get every place; others who read people (an ASF's
  coordinator, an employer) get their own organisation's places only;
* the per-place list (capacity against people allocated) follows the same scope of places.

A row refers its person to the allocated place in one step (:func:`refer_from_allocation`),
through :func:`kedja.services.referrals.create_referral`: the gate is asked first, so an
unknown id and a person without consent get the same refusal.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from openpyxl import Workbook
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kedja.core.access import (
    ACTIVE_REFERRAL_STATES,
    Permission,
    PersonView,
    Principal,
    Purpose,
    is_permitted,
    require_permission,
)
from kedja.core.audit import AuditAction
from kedja.core.errors import InvalidInput, NotFound
from kedja.core.organisations import OrganisationKind
from kedja.core.spreadsheets import safe_row
from kedja.services import gate, referrals
from kedja.services.identity import person_names
from kedja.services.people import Page, page_offset
from kedja.store import session_scope
from kedja.store import tables as t

__all__ = [
    "BANDS",
    "EXPORT_COLUMNS",
    "AssignmentRow",
    "PeoplePage",
    "PlaceRow",
    "ResultFilters",
    "allocation_people",
    "allocation_places",
    "export_allocation",
    "fit_cuts",
    "refer_from_allocation",
    "result_choices",
]

BANDS = ("high", "middle", "low")
"""Fit bands: the top, middle and bottom third of the allocation's own fits (its terciles)."""
EXPORT_COLUMNS = ("person_id", "name", "person_municipality", "opportunity_id", "place", "kind",
                  "organisation", "place_municipality", "fit", "fit_band", "referral_state")


@dataclass(frozen=True, slots=True)
class ResultFilters:
    """What a result list is narrowed to (``None``: everything in the reader's scope).

    ``municipality_code`` keeps a row when the person lives there or the place is there.
    """

    municipality_code: str | None = None
    kind: str | None = None
    organisation_id: str | None = None
    band: str | None = None

    def __post_init__(self) -> None:
        if self.band is not None and self.band not in BANDS:
            raise InvalidInput(f"{self.band!r} is not a fit band", field="band", value=self.band,
                               hint=f"use one of {', '.join(BANDS)}")


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    """A person and the place the allocation gave them, with any referral made from it."""

    person_id: str
    name: str | None
    person_municipality: str
    opportunity_id: str
    title: str
    kind: str
    organisation_id: str
    organisation_name: str
    place_municipality: str
    fit: float
    band: str
    referral_id: str | None = None
    referral_state: str | None = None


@dataclass(frozen=True, slots=True)
class PlaceRow:
    """A place of the allocation: its capacity and how many people it was given."""

    opportunity_id: str
    title: str
    kind: str
    organisation_id: str
    organisation_name: str
    municipality: str
    capacity: int
    allocated: int
    mean_fit: float


@dataclass(frozen=True, slots=True)
class PeoplePage:
    """A page of the per-person list, and how many placed people the reader may not see."""

    page: Page[AssignmentRow]
    hidden: int


def _allocation(session: Session, allocation_id: str) -> t.AllocationRow:
    row = session.get(t.AllocationRow, allocation_id)
    if row is None:
        raise NotFound(f"no allocation has the id {allocation_id!r}", field="allocation_id",
                       value=allocation_id, hint="pick one from /allocations")
    return row


def _purpose(principal: Principal) -> Purpose:
    return Purpose.RECRUITMENT if principal.organisation_kind is OrganisationKind.EMPLOYER \
        else Purpose.MATCHING


def _all_places(principal: Principal) -> bool:
    return is_permitted(principal, Permission.RUN_ALLOCATION)


def fit_cuts(fits: Sequence[float]) -> tuple[float, float]:
    """The terciles of an allocation's fits: a fit at or above the first is ``high``.

    Examples:
        >>> [round(c, 2) for c in fit_cuts([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])]
        [0.43, 0.27]
    """
    if not fits:
        return (1.0, 0.0)
    upper, lower = np.quantile(np.asarray(fits, dtype=float), [2 / 3, 1 / 3])
    return float(upper), float(lower)


def _band(fit: float, cuts: tuple[float, float]) -> str:
    return "high" if fit >= cuts[0] else "middle" if fit >= cuts[1] else "low"


def _rows(session: Session, principal: Principal, allocation_id: str,
          filters: ResultFilters) -> tuple[list[Any], tuple[float, float]]:
    """Every assignment of the allocation in the reader's scope of places, filtered, best first."""
    a, o, p = t.AllocationAssignmentRow, t.OpportunityRow, t.PersonRow
    query = (select(a.person_id, a.opportunity_id, a.fit, p.municipality_code, o.organisation_id,
                    o.kind, o.municipality_code)
             .join(o, o.id == a.opportunity_id).join(p, p.id == a.person_id)
             .where(a.allocation_id == allocation_id))
    rows = session.execute(query).all()
    cuts = fit_cuts([r.fit for r in rows])
    if not _all_places(principal):
        rows = [r for r in rows if r.organisation_id == principal.organisation_id]
    f = filters
    rows = [r for r in rows
            if (f.municipality_code is None or f.municipality_code in (r[3], r[6]))
            and (f.kind is None or r.kind == f.kind)
            and (f.organisation_id is None or r.organisation_id == f.organisation_id)
            and (f.band is None or _band(r.fit, cuts) == f.band)]
    rows.sort(key=lambda r: (-r.fit, r.person_id))
    return rows, cuts


def _names(session: Session, table: Any, column: Any, ids: set[str]) -> dict[str, str]:
    return {str(k): str(v) for k, v in session.execute(
        select(column, table.name).where(column.in_(sorted(ids)))).all()}


def _details(session: Session, principal: Principal, rows: Sequence[Any],
             cuts: tuple[float, float]) -> list[AssignmentRow]:
    """The page's rows with names of places, organisations and municipalities, and referrals."""
    o = t.OpportunityRow
    titles = dict(session.execute(select(o.id, o.title).where(
        o.id.in_(sorted({r.opportunity_id for r in rows})))).all())
    orgs = _names(session, t.OrganisationRow, t.OrganisationRow.id, {r.organisation_id for r in rows})
    places = _names(session, t.MunicipalityRow, t.MunicipalityRow.code,
                    {r[3] for r in rows} | {r[6] for r in rows})
    made = _referrals(session, principal, [(r.person_id, r.opportunity_id) for r in rows])
    return [AssignmentRow(r.person_id, None, places.get(r[3], r[3]), r.opportunity_id,
                          titles.get(r.opportunity_id, r.opportunity_id), r.kind, r.organisation_id,
                          orgs.get(r.organisation_id, r.organisation_id), places.get(r[6], r[6]),
                          round(float(r.fit), 2), _band(r.fit, cuts),
                          *made.get((r.person_id, r.opportunity_id), (None, None)))
            for r in rows]


def _referrals(session: Session, principal: Principal,
               pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str]]:
    """The newest referral the reader's organisation sent or received for each (person, place)."""
    if not pairs:
        return {}
    r = t.ReferralRow
    org = principal.organisation_id
    found = session.execute(
        select(r.person_id, r.opportunity_id, r.id, r.state)
        .where(r.person_id.in_(sorted({p for p, _ in pairs})),
               (r.from_organisation_id == org) | (r.to_organisation_id == org))
        .order_by(r.created, r.id)).all()
    wanted = set(pairs)
    return {(p, str(o)): (i, s) for p, o, i, s in found if (p, o) in wanted}


def allocation_people(engine: Engine, principal: Principal, allocation_id: str, *,
                      filters: ResultFilters = ResultFilters(), page: int = 1,
                      page_size: int = 25) -> PeoplePage:
    """One page of who got which place, for the people the reader may see; audited.

    Raises:
        Forbidden: the reader's role may not read people's records.
        NotFound: no allocation has the id.
        InvalidInput: a bad page, page size or band.
    """
    require_permission(principal, Permission.READ_PEOPLE)
    offset = page_offset(page, page_size)
    purpose = _purpose(principal)
    with session_scope(engine) as session:
        _allocation(session, allocation_id)
        rows, cuts = _rows(session, principal, allocation_id, filters)
        views = gate.visible_people(session, principal, purpose, among=[r.person_id for r in rows])
        seen = [r for r in rows if r.person_id in views]
        shown = _details(session, principal, seen[offset:offset + page_size], cuts)
        gate.audit_reads(session, principal, [r.person_id for r in shown], purpose,
                         action=AuditAction.LIST)
    names = person_names(engine, principal, [r.person_id for r in shown], purpose=purpose)
    items = [replace(r, name=names.get(r.person_id)) for r in shown]
    return PeoplePage(Page(items, len(seen), page, page_size), len(rows) - len(seen))


def allocation_places(engine: Engine, principal: Principal, allocation_id: str, *,
                      filters: ResultFilters = ResultFilters(), page: int = 1,
                      page_size: int = 25) -> Page[PlaceRow]:
    """One page of the allocation's places (most people first), in the reader's scope of places.

    Raises:
        Forbidden: the reader's role may not read people's records (places are counted per
            person, so the list is for those who act on an allocation).
        NotFound: no allocation has the id.
    """
    require_permission(principal, Permission.READ_PEOPLE)
    offset = page_offset(page, page_size)
    with session_scope(engine) as session:
        _allocation(session, allocation_id)
        rows, _cuts = _rows(session, principal, allocation_id, filters)
        counts: dict[str, list[float]] = {}
        for r in rows:
            counts.setdefault(r.opportunity_id, []).append(float(r.fit))
        order = sorted(counts, key=lambda k: (-len(counts[k]), k))
        chosen = order[offset:offset + page_size]
        items = _place_rows(session, chosen, counts)
    return Page(items, len(order), page, page_size)


def _place_rows(session: Session, ids: list[str], counts: dict[str, list[float]]) -> list[PlaceRow]:
    o = t.OpportunityRow
    found = {r.id: r for r in session.scalars(select(o).where(o.id.in_(ids)))}
    orgs = _names(session, t.OrganisationRow, t.OrganisationRow.id,
                  {r.organisation_id for r in found.values()})
    places = _names(session, t.MunicipalityRow, t.MunicipalityRow.code,
                    {r.municipality_code for r in found.values()})
    return [PlaceRow(i, found[i].title, found[i].kind, found[i].organisation_id,
                     orgs.get(found[i].organisation_id, found[i].organisation_id),
                     places.get(found[i].municipality_code, found[i].municipality_code),
                     found[i].capacity, len(counts[i]), round(sum(counts[i]) / len(counts[i]), 3))
            for i in ids if i in found]


def result_choices(engine: Engine, principal: Principal,
                   allocation_id: str) -> dict[str, dict[str, str]]:
    """What the filters offer: municipalities (code → name) and organisations in the reader's scope."""
    require_permission(principal, Permission.READ_PEOPLE)
    a, o = t.AllocationAssignmentRow, t.OpportunityRow
    with session_scope(engine) as session:
        orgs = set(session.scalars(select(o.organisation_id).distinct()
                                   .join(a, a.opportunity_id == o.id)
                                   .where(a.allocation_id == allocation_id)))
        if not _all_places(principal):
            orgs &= {principal.organisation_id}
        municipalities = dict(session.execute(select(t.MunicipalityRow.code, t.MunicipalityRow.name)
                                              .order_by(t.MunicipalityRow.name)).all())
        names = _names(session, t.OrganisationRow, t.OrganisationRow.id, orgs)
    return {"municipalities": {str(k): str(v) for k, v in municipalities.items()},
            "organisations": dict(sorted(names.items(), key=lambda kv: kv[1]))}


def _export_rows(engine: Engine, principal: Principal, allocation_id: str,
                 filters: ResultFilters) -> list[AssignmentRow]:
    purpose = _purpose(principal)
    with session_scope(engine) as session:
        _allocation(session, allocation_id)
        rows, cuts = _rows(session, principal, allocation_id, filters)
        views = gate.visible_people(session, principal, purpose, among=[r.person_id for r in rows])
        shown = _details(session, principal, [r for r in rows if r.person_id in views], cuts)
        gate.audit_reads(session, principal, [r.person_id for r in shown], purpose,
                         action=AuditAction.EXPORT)
    names = person_names(engine, principal, [r.person_id for r in shown], purpose=purpose)
    return [replace(r, name=names.get(r.person_id)) for r in shown]


def export_allocation(engine: Engine, principal: Principal, allocation_id: str, *, fmt: str,
                      filters: ResultFilters = ResultFilters(),
                      labels: dict[str, str] | None = None) -> bytes:
    """The per-person list (the reader's whole scope, filtered) as CSV or XLSX; audited.

    ``labels`` names the columns (and translates kinds and bands) in the reader's language; the
    ids of :data:`EXPORT_COLUMNS` otherwise. Every cell passes through
    :func:`kedja.core.spreadsheets.safe_row`, so no text runs as a formula.

    Raises:
        InvalidInput: ``fmt`` is neither ``csv`` nor ``xlsx``.
    """
    require_permission(principal, Permission.READ_PEOPLE)
    if fmt not in ("csv", "xlsx"):
        raise InvalidInput(f"{fmt!r} is not an export format", field="format", value=fmt,
                           hint="use csv or xlsx")
    say = labels or {}
    header = [say.get(c, c) for c in EXPORT_COLUMNS]
    body = [safe_row([r.person_id, r.name or "", r.person_municipality, r.opportunity_id, r.title,
                      say.get(r.kind, r.kind), r.organisation_name, r.place_municipality, r.fit,
                      say.get(r.band, r.band), say.get(r.referral_state or "", r.referral_state or "")])
            for r in _export_rows(engine, principal, allocation_id, filters)]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerows([safe_row(header), *body])
        return out.getvalue().encode("utf-8-sig")
    book = Workbook(write_only=True)  # streams rows: a few times faster for thousands of rows
    sheet = book.create_sheet(say.get("sheet", "allocation")[:31])
    for row in [safe_row(header), *body]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def refer_from_allocation(engine: Engine, principal: Principal, allocation_id: str,
                          person_id: str, *, purpose: str) -> referrals.ReferralView:
    """Refer a person to the place the allocation gave them, in one step; audited.

    The gate is asked before anything else, so an unknown person and a person who has not
    consented to the reader's organisation get the same refusal. A second click returns the
    referral already made (still active) rather than a second one.

    Raises:
        Forbidden: the reader may not refer, or the gate refuses the person.
        NotFound: the allocation did not give this person a place.
    """
    require_permission(principal, Permission.MANAGE_REFERRALS)
    require_permission(principal, Permission.RECORD_CONSENT)
    with session_scope(engine) as session:
        gate.open_person(session, principal, person_id, Purpose.CASE_MANAGEMENT,
                         need=PersonView.FULL, audit=None)
        _allocation(session, allocation_id)
        row = session.get(t.AllocationAssignmentRow, (allocation_id, person_id))
        if row is None:
            raise NotFound(f"allocation {allocation_id!r} gave {person_id!r} no place",
                           field="person_id", value=person_id,
                           hint="refer from a row of the allocation's list")
        opportunity = row.opportunity_id
        made = _referrals(session, principal, [(person_id, opportunity)]).get((person_id, opportunity))
    if made is not None and made[1] in ACTIVE_REFERRAL_STATES:
        return referrals.read_referral(engine, principal, made[0])
    return referrals.create_referral(engine, principal, person_id=person_id,
                                     opportunity_id=opportunity, purpose=purpose,
                                     source=f"from allocation {allocation_id}")
