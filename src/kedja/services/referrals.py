"""Referrals with the loop closed: proposed → accepted → started → completed, or ended.

Every change is one transaction that stores the referral, a ``referral_events`` row and an audit
entry, so no referral is lost and every step can be traced. The sender sees where the person is
(the referral's state and events); the receiving organisation sees the person's id and record
only once the person's consent to the referral is recorded (:mod:`kedja.core.access`), and it
cannot accept before that. The receiver's capacity (its services' places against the referrals
it has accepted or started) is shown on every referral.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kedja.core.access import Permission, PersonView, Principal, Purpose, require_permission
from kedja.core.audit import AuditAction, AuditEntry
from kedja.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from kedja.core.ids import OpportunityId, OrganisationId, PersonId, ReferralId
from kedja.core.journeys import Enrolment, Referral, ReferralState
from kedja.core.organisations import OrganisationKind
from kedja.hub.capacity import CapacityStatus
from kedja.services import gate
from kedja.services.capacity import free_places, free_places_at
from kedja.services.gate import audit_reads
from kedja.store import hub, records, session_scope
from kedja.store import tables as t
from kedja.store.hub import ReferralEvent

__all__ = [
    "ReferralBoxes",
    "ReferralView",
    "advance_referral",
    "create_referral",
    "must_wait",
    "read_referral",
    "receiver_capacity",
    "record_referral_consent",
    "referral_boxes",
    "referral_views",
]

RECEIVER_MOVES = (ReferralState.ACCEPTED, ReferralState.STARTED, ReferralState.COMPLETED)


@dataclass(frozen=True, slots=True)
class ReferralView:
    """A referral as one of its two organisations sees it."""

    id: str
    state: str
    created: date
    from_organisation_id: str
    from_name: str
    to_organisation_id: str
    to_name: str
    purpose: str | None
    opportunity_id: str | None
    consent_given: date | None
    end_reason: str | None
    person_id: str | None
    """``None`` when the reader may not see the person (a receiver before consent)."""
    capacity: CapacityStatus
    events: tuple[ReferralEvent, ...]
    actions: tuple[str, ...]
    """What the reader may do next: ``consent``, ``accepted``, ``started``, ``completed``, ``ended``."""
    waitlisted_on: date | None = None
    """The day the referral was put on the receiver's waiting list (the receiver was full)."""
    waiting_position: int | None = None
    """Its place in the receiver's queue while it waits (1 = next), else ``None``."""


@dataclass(frozen=True, slots=True)
class ReferralBoxes:
    """Referrals the reader's organisation received (inbox) and sent (outbox)."""

    inbox: list[ReferralView]
    outbox: list[ReferralView]


def _now() -> datetime:
    return datetime.now(UTC)


def _audit_write(session: Session, principal: Principal, person_id: str, note: str) -> None:
    records.append_audit(session, [AuditEntry(
        at=_now(), actor=principal.username, organisation_id=principal.organisation_id,
        action=AuditAction.WRITE, subject_type="person", subject_id=person_id, purpose=note)])


def _names(session: Session, ids: set[str]) -> dict[str, str]:
    rows = session.execute(select(t.OrganisationRow.id, t.OrganisationRow.name)
                           .where(t.OrganisationRow.id.in_(list(ids)))).all()
    return {i: n for i, n in rows}


def _actions(principal: Principal, referral: Referral) -> tuple[str, ...]:
    org = principal.organisation_id
    if referral.state in (ReferralState.COMPLETED, ReferralState.ENDED):
        return ()
    actions = []
    if org == referral.from_organisation_id and referral.consent_given is None:
        actions.append("consent")
    if org == referral.to_organisation_id:
        for nxt in RECEIVER_MOVES:
            if referral.state.can_go_to(nxt) and (nxt is not ReferralState.ACCEPTED
                                                  or referral.consent_given is not None):
                actions.append(nxt.value)
    actions.append(ReferralState.ENDED.value)
    return tuple(actions)


def receiver_capacity(session: Session, organisation_id: str) -> CapacityStatus:
    """An organisation's capacity status (:func:`kedja.services.capacity.free_places`)."""
    return free_places_at(session, organisation_id)


def must_wait(session: Session, organisation_id: str, *, on: date) -> bool:
    """Whether a new referral to the organisation goes on its waiting list.

    It does when the receiver publishes places and has none free, or when the people already
    waiting take every free place (first come, first served).
    """
    status = free_places_at(session, organisation_id, on=on)
    if status.free is None:
        return False
    return status.free <= len(hub.waiting_list(session, organisation_id))


def reading_purpose(principal: Principal) -> Purpose:
    """Why an organisation reads the person on a referral.

    An employer recruits; the others manage the person's case.
    """
    if principal.organisation_kind is OrganisationKind.EMPLOYER:
        return Purpose.RECRUITMENT
    return Purpose.CASE_MANAGEMENT


def _view(session: Session, principal: Principal, referral: Referral, purpose: str | None,
          *, names: dict[str, str], events: list[ReferralEvent],
          capacities: dict[str, CapacityStatus], queues: dict[str, list[str]],
          waitlisted: dict[str, date], seen: set[str]) -> ReferralView:
    visible = referral.person_id in seen
    # the receiver learns why the person is referred (and why it ended) only with their consent
    told = (referral.consent_given is not None
            or principal.organisation_id != referral.to_organisation_id
            or principal.organisation_id == referral.from_organisation_id)
    if not told:
        events = [ReferralEvent(e.referral_id, e.from_state, e.to_state, e.at, e.actor, None)
                  for e in events]
    return ReferralView(
        id=referral.id, state=referral.state.value, created=referral.created,
        from_organisation_id=referral.from_organisation_id,
        from_name=names.get(referral.from_organisation_id, referral.from_organisation_id),
        to_organisation_id=referral.to_organisation_id,
        to_name=names.get(referral.to_organisation_id, referral.to_organisation_id),
        purpose=purpose if told else None, opportunity_id=referral.opportunity_id,
        consent_given=referral.consent_given, end_reason=referral.end_reason if told else None,
        person_id=referral.person_id if visible else None,
        capacity=capacities[referral.to_organisation_id],
        events=tuple(e for e in events if e.referral_id == referral.id),
        actions=_actions(principal, referral), waitlisted_on=waitlisted.get(referral.id),
        waiting_position=_position(queues.get(str(referral.to_organisation_id), []), referral.id))


def _position(queue: list[str], referral_id: str) -> int | None:
    return queue.index(referral_id) + 1 if referral_id in queue else None


def _queues(session: Session, organisation_ids: set[str]) -> dict[str, list[str]]:
    """Each receiver's waiting list as referral ids, first come first."""
    return {org: [r.id for r, _ in hub.waiting_list(session, org)] for org in organisation_ids}


def referral_views(session: Session, principal: Principal,
           items: list[tuple[Referral, str | None]]) -> list[ReferralView]:
    """Referrals as the principal sees them (the person's id only where visible)."""
    ids = ({str(r.from_organisation_id) for r, _ in items}
           | {str(r.to_organisation_id) for r, _ in items})
    names = _names(session, ids)
    events = hub.referral_events(session, [r.id for r, _ in items])
    receivers = {str(r.to_organisation_id) for r, _ in items}
    capacities = free_places(session, receivers)
    waitlisted = hub.waitlisted_days(session, [r.id for r, _ in items])
    queues = _queues(session, {str(r.to_organisation_id) for r, _ in items
                               if r.id in waitlisted})
    # one pass of the gate's rule over the organisation's grants, not one query per referral
    seen = set(gate.visible_people(session, principal, reading_purpose(principal),
                                   among={str(r.person_id) for r, _ in items}))
    return [_view(session, principal, r, p, names=names, events=events, capacities=capacities,
                  queues=queues, waitlisted=waitlisted, seen=seen) for r, p in items]


def _load(session: Session, principal: Principal, referral_id: str) -> tuple[Referral, str | None]:
    found = hub.get_referral(session, referral_id)
    mine = found is not None and principal.organisation_id in (
        found[0].from_organisation_id, found[0].to_organisation_id)
    if found is None or not mine:
        # the same answer for an unknown referral and someone else's: nothing is revealed
        raise NotFound(f"no referral {referral_id!r} sent or received by "
                       f"{principal.organisation_id!r}", field="referral_id", value=referral_id,
                       hint="open the referral from your inbox or outbox at /referrals")
    return found


def _event(session: Session, principal: Principal, referral: Referral, from_state: str | None,
           note: str | None) -> None:
    hub.add_referral_event(session, ReferralEvent(referral.id, from_state, referral.state.value,
                                                  _now(), principal.username, note))


def create_referral(engine: Engine, principal: Principal, *, person_id: str,
                    to_organisation_id: str | None = None, purpose: str,
                    opportunity_id: str | None = None, consent: bool = False,
                    source: str = "by hand", today: date | None = None) -> ReferralView:
    """Refer a person the principal's organisation sees to another organisation.

    With ``opportunity_id`` (a suggestion from the person's pathways) the receiver defaults to
    the opportunity's organisation. ``consent`` records the person's consent to the referral at
    once (the case worker asked them); otherwise it is recorded later by the sender.

    Raises:
        Forbidden: the principal may not manage referrals or does not see the person.
        NotFound: the receiving organisation or the opportunity does not exist.
        InvalidInput: no purpose, no receiver, or a referral to one's own organisation.
    """
    require_permission(principal, Permission.MANAGE_REFERRALS)
    require_permission(principal, Permission.RECORD_CONSENT)  # case workers refer, not employers
    if not purpose.strip():
        raise InvalidInput("a referral needs a purpose", field="purpose",
                           hint="say what the person is referred for, e.g. 'ASF placement'")
    created = today or _now().date()
    with session_scope(engine) as session:
        gate.open_person(session, principal, person_id, Purpose.CASE_MANAGEMENT,
                         need=PersonView.FULL, audit=None)
        if opportunity_id:
            owner = session.scalar(select(t.OpportunityRow.organisation_id)
                                   .where(t.OpportunityRow.id == opportunity_id))
            if owner is None:
                raise NotFound(f"no opportunity has the id {opportunity_id!r}",
                               field="opportunity_id", value=opportunity_id,
                               hint="pick one from the person's pathways")
            to_organisation_id = to_organisation_id or owner
        if not to_organisation_id:
            raise InvalidInput("a referral needs a receiving organisation",
                               field="to_organisation_id", hint="give the organisation's id")
        if records.organisation_kind(session, to_organisation_id) is None:
            raise NotFound(f"no organisation has the id {to_organisation_id!r}",
                           field="to_organisation_id", value=to_organisation_id,
                           hint="find it in the directory at /directory")
        referral = Referral(ReferralId(f"R-{uuid.uuid4().hex[:12]}"), PersonId(person_id),
                            OrganisationId(principal.organisation_id),
                            OrganisationId(to_organisation_id), created,
                            opportunity_id=OpportunityId(opportunity_id) if opportunity_id else None,
                            consent_given=created if consent else None)
        waits = must_wait(session, to_organisation_id, on=created)
        hub.put_referral(session, referral, purpose=purpose.strip(),
                         waitlisted_on=created if waits else None)
        _event(session, principal, referral, None, f"created {source}")
        if waits:
            _event(session, principal, referral, referral.state.value,
                   "waitlisted: no free place")
        if consent:
            _event(session, principal, referral, referral.state.value, "consent recorded")
        _audit_write(session, principal, person_id, f"referral {referral.id} to "
                     f"{to_organisation_id}" + (" with consent" if consent else ""))
        return referral_views(session, principal, [(referral, purpose.strip())])[0]


def record_referral_consent(engine: Engine, principal: Principal, referral_id: str, *,
                            today: date | None = None) -> ReferralView:
    """Record the person's consent that the receiver may see their data for this referral.

    Raises:
        Forbidden: only the sending organisation, which sees the person, records it.
        Conflict: the referral is closed or already has consent.
    """
    require_permission(principal, Permission.MANAGE_REFERRALS)
    with session_scope(engine) as session:
        referral, purpose = _load(session, principal, referral_id)
        if principal.organisation_id != referral.from_organisation_id:
            raise Forbidden("only the sending organisation records the person's consent",
                            field="referral_id", value=referral_id,
                            hint="ask the sender to record it with the person")
        gate.open_person(session, principal, referral.person_id, Purpose.CASE_MANAGEMENT,
                         need=PersonView.FULL, audit=None)
        if referral.consent_given is not None or referral.state.value not in (
                "proposed", "accepted", "started"):
            raise Conflict(f"referral {referral_id} already has consent or is closed",
                           field="referral_id", value=referral_id, hint="nothing to do")
        referral = Referral(referral.id, referral.person_id, referral.from_organisation_id,
                            referral.to_organisation_id, referral.created,
                            referral.opportunity_id, referral.state,
                            today or _now().date(), referral.end_reason)
        hub.put_referral(session, referral, purpose=purpose)
        _event(session, principal, referral, referral.state.value, "consent recorded")
        _audit_write(session, principal, referral.person_id,
                     f"consent to referral {referral.id} for {referral.to_organisation_id}")
        return referral_views(session, principal, [(referral, purpose)])[0]


def advance_referral(engine: Engine, principal: Principal, referral_id: str,
                     to: ReferralState | str, *, reason: str | None = None,
                     today: date | None = None) -> ReferralView:
    """Move a referral on: the receiver accepts, starts and completes; either side may end it.

    Starting a referral to an opportunity enrols the person in it; completing or ending a
    started one closes the enrolment.

    Raises:
        Forbidden: the move is not the principal's organisation's to make.
        Conflict: an illegal move (e.g. completing a proposed referral), or accepting before
            the person's consent is recorded.
        InvalidInput: ending without a reason.
    """
    require_permission(principal, Permission.MANAGE_REFERRALS)
    target = ReferralState(to) if isinstance(to, str) else to
    day = today or _now().date()
    with session_scope(engine) as session:
        referral, purpose = _load(session, principal, referral_id)
        if target in RECEIVER_MOVES and principal.organisation_id != referral.to_organisation_id:
            raise Forbidden(f"only the receiving organisation may mark a referral {target.value}",
                            field="state", value=target.value,
                            hint=f"{referral.to_organisation_id} makes this move")
        if target is ReferralState.ACCEPTED and referral.consent_given is None:
            raise Conflict("the person's consent to the referral is not recorded yet",
                           field="consent_given", value=referral_id,
                           hint="the sending organisation records it first")
        if target is ReferralState.ACCEPTED:
            _check_free_place(session, referral, day)
        before = referral.state
        referral = referral.advance(target, reason=(reason or "").strip() or None)
        hub.put_referral(session, referral, purpose=purpose)
        _event(session, principal, referral, before.value, referral.end_reason
               if target is ReferralState.ENDED else None)
        _follow_enrolment(session, referral, before, day)
        _audit_write(session, principal, referral.person_id,
                     f"referral {referral.id} {before.value} -> {target.value}")
        return referral_views(session, principal, [(referral, purpose)])[0]


def _check_free_place(session: Session, referral: Referral, day: date) -> None:
    status = free_places_at(session, referral.to_organisation_id, on=day)
    if status.free is not None and status.free <= 0:
        raise Conflict(f"{referral.to_organisation_id} has no free place "
                       f"({status.in_use} of {status.capacity} places taken)",
                       field="state", value=referral.id,
                       hint="the referral stays on the waiting list; accept it when a "
                            "participant leaves")


def _follow_enrolment(session: Session, referral: Referral, before: ReferralState,
                      day: date) -> None:
    if referral.opportunity_id is None:
        return
    enrolment_id = f"E-{referral.id}"
    if referral.state is ReferralState.STARTED:
        hub.save_enrolments(session, [Enrolment(enrolment_id, referral.person_id,
                                                referral.opportunity_id, day)])
    elif before is ReferralState.STARTED:
        row = session.get(t.EnrolmentRow, enrolment_id)
        if row is not None:
            row.end = day


def read_referral(engine: Engine, principal: Principal, referral_id: str) -> ReferralView:
    """One referral, to its sender or receiver; naming the person is an audited read."""
    require_permission(principal, Permission.MANAGE_REFERRALS)
    with session_scope(engine) as session:
        referral, purpose = _load(session, principal, referral_id)
        view = referral_views(session, principal, [(referral, purpose)])[0]
        if view.person_id is not None:
            audit_reads(session, principal, [view.person_id], reading_purpose(principal))
        return view


def referral_boxes(engine: Engine, principal: Principal) -> ReferralBoxes:
    """The organisation's inbox and outbox; each person named is an audited list read."""
    require_permission(principal, Permission.MANAGE_REFERRALS)
    org = principal.organisation_id
    with session_scope(engine) as session:
        inbox = referral_views(session, principal, hub.referrals(session, to_organisation=org))
        outbox = referral_views(session, principal, hub.referrals(session, from_organisation=org))
        named = sorted({v.person_id for v in inbox + outbox if v.person_id is not None})
        audit_reads(session, principal, named, reading_purpose(principal), action=AuditAction.LIST)
    return ReferralBoxes(inbox, outbox)
