"""A person's journey across organisations: referrals, enrolments, exits and outcomes.

A referral moves through a fixed state machine; every move is checked here and stored as an
event by the caller.

Examples:
    >>> r = Referral(id=ReferralId("R1"), person_id=PersonId("P1"),
    ...              from_organisation_id=OrganisationId("A"), to_organisation_id=OrganisationId("B"),
    ...              created=date(2026, 1, 5))
    >>> r.state.value, r.advance(ReferralState.ACCEPTED).state.value
    ('proposed', 'accepted')
    >>> r.advance(ReferralState.COMPLETED)
    Traceback (most recent call last):
    ...
    kedja.core.errors.Conflict: a referral cannot go from 'proposed' to 'completed'
    (field 'referral.state'). Fix: from 'proposed' it can go to 'accepted', 'ended'.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kedja.core.errors import Conflict, InvalidInput
from kedja.core.ids import OpportunityId, OrganisationId, PersonId, ReferralId
from kedja.core.validation import enum_value, non_empty, ordered_dates

__all__ = [
    "Enrolment",
    "Exit",
    "ExitDestination",
    "Outcome",
    "OutcomeStatus",
    "ProgressAssessment",
    "ProgressDimension",
    "Referral",
    "ReferralState",
]


class ReferralState(StrEnum):
    """States of a referral: proposed → accepted → started → completed, or ended on the way."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    STARTED = "started"
    COMPLETED = "completed"
    ENDED = "ended"

    def can_go_to(self, other: ReferralState) -> bool:
        """Whether the state machine allows a move from this state to ``other``.

        Examples:
            >>> ReferralState.PROPOSED.can_go_to(ReferralState.STARTED)
            False
        """
        return other in NEXT_STATES[self]


NEXT_STATES: dict[ReferralState, tuple[ReferralState, ...]] = {
    ReferralState.PROPOSED: (ReferralState.ACCEPTED, ReferralState.ENDED),
    ReferralState.ACCEPTED: (ReferralState.STARTED, ReferralState.ENDED),
    ReferralState.STARTED: (ReferralState.COMPLETED, ReferralState.ENDED),
    ReferralState.COMPLETED: (),
    ReferralState.ENDED: (),
}


@dataclass(frozen=True, slots=True)
class Referral:
    """A person referred from one organisation to another, with consent and state."""

    id: ReferralId
    person_id: PersonId
    from_organisation_id: OrganisationId
    to_organisation_id: OrganisationId
    created: date
    opportunity_id: OpportunityId | None = None
    state: ReferralState = ReferralState.PROPOSED
    consent_given: date | None = None
    end_reason: str | None = None

    def __post_init__(self) -> None:
        non_empty(self.id, field="referral.id")
        object.__setattr__(self, "state", enum_value(ReferralState, self.state, field="state"))
        if self.from_organisation_id == self.to_organisation_id:
            raise InvalidInput(
                "a referral must go to another organisation",
                field="referral.to_organisation_id",
                value=self.to_organisation_id,
                hint="choose the receiving organisation",
            )

    def advance(self, to: ReferralState, *, reason: str | None = None) -> Referral:
        """The referral after moving to ``to``; raises Conflict for an illegal move."""
        allowed = NEXT_STATES[self.state]
        if to not in allowed:
            options = ", ".join(repr(s.value) for s in allowed) or "nowhere: it is closed"
            raise Conflict(
                f"a referral cannot go from {self.state.value!r} to {to.value!r}",
                field="referral.state",
                value=to.value,
                hint=f"from {self.state.value!r} it can go to {options}",
            )
        if to is ReferralState.ENDED and not reason:
            raise InvalidInput(
                "an ended referral needs a reason",
                field="referral.end_reason",
                hint="say why it ended, for instance 'declined by the person'",
            )
        return dataclasses.replace(self, state=to, end_reason=reason or self.end_reason)


@dataclass(frozen=True, slots=True)
class Enrolment:
    """A person taking part in an opportunity (a placement, a course, a job)."""

    id: str
    person_id: PersonId
    opportunity_id: OpportunityId
    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        ordered_dates(self.start, self.end, field="enrolment.end")


class ExitDestination(StrEnum):
    """Where a participant went on leaving."""

    WORK = "work"
    SUBSIDISED_WORK = "subsidised_work"
    STUDIES = "studies"
    OTHER_MEASURE = "other_measure"
    OTHER = "other"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Exit:
    """A participant leaving an enrolment, with the destination."""

    enrolment_id: str
    person_id: PersonId
    on: date
    destination: ExitDestination

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "destination", enum_value(ExitDestination, self.destination, field="destination")
        )


class OutcomeStatus(StrEnum):
    """Status observed at a follow-up point."""

    WORKING = "working"
    STUDYING = "studying"
    UNEMPLOYED = "unemployed"
    OUTSIDE = "outside_labour_force"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Outcome:
    """The status of a person 90, 180 or 365 days after an exit."""

    enrolment_id: str
    person_id: PersonId
    days_after_exit: int
    status: OutcomeStatus

    def __post_init__(self) -> None:
        if self.days_after_exit not in (90, 180, 365):
            raise InvalidInput(
                f"{self.days_after_exit} is not a follow-up point",
                field="outcome.days_after_exit",
                value=self.days_after_exit,
                hint="follow up at 90, 180 or 365 days after exit",
            )
        object.__setattr__(self, "status", enum_value(OutcomeStatus, self.status, field="status"))


class ProgressDimension(StrEnum):
    """The dimensions on which a participant rates their own distance to the labour market."""

    CONFIDENCE = "confidence"
    HEALTH = "health"
    SKILLS = "skills"
    SWEDISH = "swedish"
    ROUTINES = "routines"
    JOB_SEARCH = "job_search"


@dataclass(frozen=True, slots=True)
class ProgressAssessment:
    """A participant's own rating on one dimension, 1 (far from work) to 10 (ready), on a day."""

    person_id: PersonId
    assessed_on: date
    dimension: ProgressDimension
    score: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "dimension",
                           enum_value(ProgressDimension, self.dimension, field="dimension"))
        if not 1 <= self.score <= 10:
            raise InvalidInput(f"{self.score} is not a score from 1 to 10", field="score",
                               value=self.score, hint="rate from 1 (far from work) to 10 (ready)")
