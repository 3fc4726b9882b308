"""An employer's vacancies and the candidates referred to them, to accept or decline.

The employer sees a referred person only as the gate allows (the person's consent to the
employer or to the referral; purpose ``recruitment``; the candidate view, never the case
record). Each named candidate is an audited list read. Accepting and declining go through the
referral state machine (:func:`kedja.services.referrals.advance_referral`), which stores an
event and an audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from kedja.core.access import ACTIVE_REFERRAL_STATES, Permission, Principal, Purpose, require_permission
from kedja.core.audit import AuditAction
from kedja.core.errors import Forbidden
from kedja.core.journeys import ReferralState
from kedja.core.organisations import OrganisationKind
from kedja.core.people import Person
from kedja.services import gate, referrals
from kedja.services.identity import person_names
from kedja.store import hub, session_scope
from kedja.store import repositories as repo
from kedja.store import tables as t

__all__ = ["Candidate", "Vacancy", "decide_candidate", "employer_vacancies"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A referral to the employer and, when the gate allows, the candidate it is about."""

    referral: referrals.ReferralView
    name: str | None
    person: Person | None
    """The candidate profile; ``None`` until the person's consent reaches the employer."""
    occupations: tuple[str, ...]
    municipality: str | None


@dataclass(frozen=True, slots=True)
class Vacancy:
    """One of the employer's places and the candidates referred to it."""

    opportunity_id: str | None
    """``None`` for referrals to the employer that name no vacancy."""
    title: str
    kind: str
    municipality: str
    capacity: int
    candidates: tuple[Candidate, ...]


def _require_employer(principal: Principal) -> None:
    require_permission(principal, Permission.MANAGE_REFERRALS)
    if principal.organisation_kind is not OrganisationKind.EMPLOYER:
        raise Forbidden("this page lists an employer's vacancies", field="organisation",
                        value=principal.organisation_id,
                        hint="referrals to other organisations are at /referrals")


def employer_vacancies(engine: Engine, principal: Principal, *,
                       open_only: bool = True) -> list[Vacancy]:
    """The employer's vacancies (with referrals first) and their candidates; audited.

    ``open_only`` keeps referrals still proposed, accepted or started.

    Raises:
        Forbidden: the reader is not an employer's staff who may handle referrals.
    """
    _require_employer(principal)
    org = principal.organisation_id
    with session_scope(engine) as session:
        items = [(r, p) for r, p in hub.referrals(session, to_organisation=org, limit=5000)
                 if not open_only or r.state.value in ACTIVE_REFERRAL_STATES]
        views = referrals.referral_views(session, principal, items)
        named = sorted({v.person_id for v in views if v.person_id})
        people = {str(p.id): p for p in repo.get_people(session, named)}
        gate.audit_reads(session, principal, named, Purpose.RECRUITMENT, action=AuditAction.LIST)
        occupations = dict(session.execute(select(t.OccupationRow.code, t.OccupationRow.name_sv)).all())
        municipalities = dict(session.execute(select(t.MunicipalityRow.code, t.MunicipalityRow.name)).all())
        places = list(session.scalars(select(t.OpportunityRow).where(t.OpportunityRow.organisation_id == org)
                                      .order_by(t.OpportunityRow.title, t.OpportunityRow.id)))
    names = person_names(engine, principal, named, purpose=Purpose.RECRUITMENT)

    def candidate(view: referrals.ReferralView) -> Candidate:
        person = people.get(view.person_id or "")
        return Candidate(view, names.get(view.person_id or ""), person,
                         tuple(occupations.get(o.occupation_code, o.occupation_code)
                               for o in (person.past_occupations if person else ())),
                         municipalities.get(person.municipality_code) if person else None)

    by_place: dict[str | None, list[Candidate]] = {}
    for view in views:
        by_place.setdefault(view.opportunity_id, []).append(candidate(view))
    out = [Vacancy(o.id, o.title, o.kind, municipalities.get(o.municipality_code, o.municipality_code),
                   o.capacity, tuple(by_place.pop(o.id, ()))) for o in places]
    out.sort(key=lambda v: (not v.candidates, v.title))
    rest = [c for cs in by_place.values() for c in cs]
    if rest:
        out.append(Vacancy(None, "", "", "", 0, tuple(rest)))
    return out


def decide_candidate(engine: Engine, principal: Principal, referral_id: str, *, accept: bool,
                     reason: str) -> referrals.ReferralView:
    """Accept a referred candidate, or decline them (the referral ends with ``reason``).

    Raises:
        Forbidden: not the employer the referral is to. Conflict: an illegal move (e.g. the
            person's consent to the referral is not recorded yet).
        NotFound: no such referral to or from the employer.
    """
    _require_employer(principal)
    if accept:
        return referrals.advance_referral(engine, principal, referral_id, ReferralState.ACCEPTED)
    return referrals.advance_referral(engine, principal, referral_id, ReferralState.ENDED,
                                      reason=reason)
