"""The organisation's referrals as one paged, filtered list (inbox and outbox together).

The database filters (direction, state), sorts (newest first) and pages; only the page's
referrals are turned into views (:func:`kedja.services.referrals.referral_views`, which asks the
gate whether each person may be named), and the people named on the page are an audited list
read, their names read in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Select, func, or_, select

from kedja.core.access import Permission, Principal, require_permission
from kedja.core.audit import AuditAction
from kedja.core.errors import InvalidInput
from kedja.core.journeys import ReferralState
from kedja.services import gate
from kedja.services.people import Page, page_offset
from kedja.services.referrals import ReferralView, reading_purpose, referral_views
from kedja.store import hub, own_data, session_scope
from kedja.store import identity as sealed
from kedja.store import tables as t

__all__ = ["DIRECTIONS", "ReferralItem", "referral_list"]

DIRECTIONS = ("all", "in", "out")


@dataclass(frozen=True, slots=True)
class ReferralItem:
    """A referral on the list: the view, which way it goes, and the person's name if visible."""

    referral: ReferralView
    direction: str
    """``in`` (received) or ``out`` (sent)."""
    person_name: str | None


def _query(org: str, direction: str, state: str) -> Select[Any]:
    referral = t.ReferralRow
    if direction not in DIRECTIONS:
        raise InvalidInput(f"direction {direction!r} is not one of {', '.join(DIRECTIONS)}",
                           field="direction", value=direction, hint="choose all, in or out")
    if state and state not in {s.value for s in ReferralState}:
        raise InvalidInput(f"state {state!r} is not a referral state", field="state", value=state,
                           hint="choose " + ", ".join(s.value for s in ReferralState))
    stmt = select(referral.id)
    if direction == "in":
        stmt = stmt.where(referral.to_organisation_id == org)
    elif direction == "out":
        stmt = stmt.where(referral.from_organisation_id == org)
    else:
        stmt = stmt.where(or_(referral.to_organisation_id == org,
                              referral.from_organisation_id == org))
    if state:
        stmt = stmt.where(referral.state == state)
    return stmt


def referral_list(engine: Engine, principal: Principal, *, direction: str = "all",
                  state: str = "", page: int = 1, page_size: int = 25) -> Page[ReferralItem]:
    """One page of the referrals the principal's organisation sent or received, newest first.

    Raises:
        Forbidden: the principal may not manage referrals.
        InvalidInput: an unknown direction or state, or a page out of range.
    """
    require_permission(principal, Permission.MANAGE_REFERRALS)
    org = principal.organisation_id
    stmt = _query(org, direction, state)
    offset = page_offset(page, page_size)
    with session_scope(engine) as session:
        total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
        ids: list[str] = list(session.scalars(stmt.order_by(t.ReferralRow.created.desc(), t.ReferralRow.id)
                                   .offset(offset).limit(page_size)))
        found = [hub.get_referral(session, rid) for rid in ids]
        views = referral_views(session, principal, [f for f in found if f is not None])
        named = sorted({v.person_id for v in views if v.person_id is not None})
        gate.audit_reads(session, principal, named, reading_purpose(principal),
                         action=AuditAction.LIST)
        ring = sealed.keyring()
        names = {r.person_id: ring.open(r.name_token, field="name", person_id=r.person_id)
                 for r in own_data.identities(session, named)}
    items = [ReferralItem(v, "in" if v.to_organisation_id == org else "out",
                          names.get(v.person_id) if v.person_id else None) for v in views]
    return Page(items, total, page, page_size)
