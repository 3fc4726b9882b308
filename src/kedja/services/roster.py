"""The receiving organisation's roster: who holds a place, who is referred, who waits.

For an ASF's coordinator (and any organisation that receives referrals): its places
(:func:`kedja.services.capacity.free_places`), the participants holding one (enrolled in its
opportunities, or referred and accepted or started), the referrals coming in, its waiting list
(first come, first served) and those who left with the follow-ups still to record.

Each participant is named only when the gate opens their record to the organisation for
follow-up (a consent or an active referral the person consented to); the others are counted,
not shown. Every person shown is an audited list read, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kedja.core.access import Permission, Principal, Purpose, require_permission
from kedja.core.audit import AuditAction
from kedja.core.journeys import Referral, ReferralState
from kedja.hub.capacity import CapacityStatus
from kedja.services import gate
from kedja.services.capacity import free_places_at
from kedja.services.referrals import ReferralView, referral_views
from kedja.store import hub, session_scope
from kedja.store import tables as t

__all__ = ["FOLLOW_UP_POINTS", "Roster", "RosterEntry", "organisation_roster"]

FOLLOW_UP_POINTS = (90, 180, 365)
"""Days after exit at which outcomes are recorded (:class:`kedja.core.journeys.Outcome`)."""


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """A participant's enrolment at the organisation (or an accepted referral not yet started)."""

    person_id: str
    enrolment_id: str | None
    title: str
    start: date | None
    referral_id: str | None
    referral_state: str | None
    last_assessment: date | None
    exit_on: date | None
    exit_destination: str | None
    outcomes_recorded: tuple[int, ...]
    outcomes_due: tuple[int, ...]
    """Follow-up points (days after exit) that have passed without an outcome recorded."""


@dataclass(frozen=True, slots=True)
class Roster:
    """The organisation's roster on a day."""

    organisation_id: str
    organisation_name: str
    on: date
    capacity: CapacityStatus
    current: list[RosterEntry]
    left: list[RosterEntry]
    hidden: int
    """Participants holding a place whose record the organisation may not open (no consent)."""
    incoming: list[ReferralView]
    waiting: list[ReferralView]


def _enrolments(session: Session, organisation_id: str) -> list[tuple[str, str, str, date,
                                                                       date | None]]:
    return [(str(p), str(e), str(title), s, end) for p, e, title, s, end in session.execute(
        select(t.EnrolmentRow.person_id, t.EnrolmentRow.id, t.OpportunityRow.title,
               t.EnrolmentRow.start, t.EnrolmentRow.end)
        .join(t.OpportunityRow, t.OpportunityRow.id == t.EnrolmentRow.opportunity_id)
        .where(t.OpportunityRow.organisation_id == organisation_id)
        .order_by(t.EnrolmentRow.start, t.EnrolmentRow.id)).all()]


def _follow_ups(session: Session, enrolment_ids: list[str]
                ) -> tuple[dict[str, tuple[date, str]], dict[str, set[int]]]:
    exits = {str(e): (on, str(d)) for e, on, d in session.execute(
        select(t.ExitRow.enrolment_id, t.ExitRow.on, t.ExitRow.destination)
        .where(t.ExitRow.enrolment_id.in_(enrolment_ids))).all()}
    recorded: dict[str, set[int]] = {}
    for e, days in session.execute(select(t.OutcomeRow.enrolment_id, t.OutcomeRow.days_after_exit)
                                   .where(t.OutcomeRow.enrolment_id.in_(enrolment_ids))).all():
        recorded.setdefault(str(e), set()).add(int(days))
    return exits, recorded


def _last_assessments(session: Session, people: list[str]) -> dict[str, date]:
    found: dict[str, date] = {}
    for person, on in session.execute(
            select(t.ProgressAssessmentRow.person_id, t.ProgressAssessmentRow.assessed_on)
            .where(t.ProgressAssessmentRow.person_id.in_(people))).all():
        found[str(person)] = max(on, found.get(str(person), on))
    return found


def _entries(session: Session, organisation_id: str, visible: set[str], on: date
             ) -> tuple[list[RosterEntry], list[RosterEntry]]:
    rows = [r for r in _enrolments(session, organisation_id) if r[0] in visible]
    exits, recorded = _follow_ups(session, [r[1] for r in rows])
    referrals: dict[str, Referral] = {
        str(r.person_id): r for r, _ in hub.referrals(session, to_organisation=organisation_id)
        if r.state in (ReferralState.ACCEPTED, ReferralState.STARTED)}
    assessed = _last_assessments(session, sorted(visible))
    current: list[RosterEntry] = []
    left: list[RosterEntry] = []
    for person, enrolment, title, start, end in rows:
        gone = exits.get(enrolment)
        done = tuple(sorted(recorded.get(enrolment, set())))
        due = tuple(d for d in FOLLOW_UP_POINTS if gone and gone[0] + timedelta(days=d) <= on
                    and d not in done)
        referral = referrals.get(person)
        entry = RosterEntry(person, enrolment, title, start,
                            referral.id if referral else None,
                            referral.state.value if referral else None, assessed.get(person),
                            gone[0] if gone else None, gone[1] if gone else None, done, due)
        (left if gone or (end is not None and end < on) else current).append(entry)
    enrolled = {e.person_id for e in current}
    for person, referral in sorted(referrals.items()):
        if person in visible and person not in enrolled:
            current.append(RosterEntry(person, None, "", None, referral.id,
                                       referral.state.value, assessed.get(person), None, None,
                                       (), ()))
    return current, left


def organisation_roster(engine: Engine, principal: Principal, *,
                        on: date | None = None) -> Roster:
    """The principal's organisation's roster (an audited list read of the people it names).

    Raises:
        Forbidden: the role does not manage referrals and record follow-ups.
    """
    require_permission(principal, Permission.MANAGE_REFERRALS)
    require_permission(principal, Permission.RECORD_CONSENT)
    org = principal.organisation_id
    day = on or datetime.now(UTC).date()
    with session_scope(engine) as session:
        capacity = free_places_at(session, org, on=day)
        holding = hub.people_in_places(session, [org], on=day)[org]
        everyone = holding | {p for p, *_ in _enrolments(session, org)}
        visible = set(gate.visible_people(session, principal, Purpose.FOLLOW_UP, among=everyone))
        current, left = _entries(session, org, visible, day)
        waiting_items = hub.waiting_list(session, org)
        waiting_ids = {r.id for r, _ in waiting_items}
        incoming_items = [(r, p) for r, p in hub.referrals(session, to_organisation=org)
                          if r.state is ReferralState.PROPOSED and r.id not in waiting_ids]
        views = referral_views(session, principal, incoming_items + waiting_items)
        incoming, waiting = views[:len(incoming_items)], views[len(incoming_items):]
        named = sorted({e.person_id for e in current + left}
                       | {v.person_id for v in views if v.person_id is not None})
        gate.audit_reads(session, principal, named, Purpose.FOLLOW_UP, action=AuditAction.LIST)
        name = session.scalar(select(t.OrganisationRow.name).where(t.OrganisationRow.id == org))
    return Roster(org, str(name or org), day, capacity, current, left,
                  len(holding - visible), incoming, waiting)
