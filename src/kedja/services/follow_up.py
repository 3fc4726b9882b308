"""Follow-up: a person's journey, self-assessments, exits and outcomes, and the indicators.

A journey is a read of the person's record (audited, behind the visibility rules). The
indicators read protected attributes in aggregate only, through the suppression of
:mod:`kedja.follow_up`; any signed-in role with ``read_aggregates`` may see them, as may the
public pages of a later issue once the figures are published.
"""

from __future__ import annotations

import calendar
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kedja.core.access import Permission, PersonView, Principal, Purpose, require_permission
from kedja.core.audit import AuditAction, AuditEntry
from kedja.core.errors import Conflict, InvalidInput, NotFound
from kedja.core.ids import PersonId
from kedja.core.journeys import (
    Enrolment,
    Exit,
    ExitDestination,
    Outcome,
    OutcomeStatus,
    ProgressAssessment,
    ProgressDimension,
)
from kedja.follow_up import (
    IndicatorTable,
    Participant,
    age_band,
    equal_treatment_report,
    indicator_report,
    indicators_csv,
    indicators_xlsx,
)
from kedja.follow_up.indicators import FOLLOW_UP_DAYS
from kedja.follow_up.progression import dimension_changes
from kedja.services import cache, gate
from kedja.services.referrals import ReferralView, referral_views
from kedja.store import hub, records, session_scope
from kedja.store import tables as t

__all__ = [
    "Journey",
    "JourneyAssessment",
    "JourneyEnrolment",
    "JourneyExit",
    "JourneyOutcome",
    "Period",
    "equal_treatment",
    "indicator_report_tables",
    "indicator_tables",
    "indicators_export",
    "parse_period",
    "person_journey",
    "record_assessment",
    "record_exit",
    "record_outcome",
]

Period = tuple[date | None, date | None]


@dataclass(frozen=True, slots=True)
class JourneyEnrolment:
    """An enrolment in an opportunity, with its title and organisation."""

    id: str
    opportunity_id: str
    title: str
    organisation_id: str
    start: date
    end: date | None


@dataclass(frozen=True, slots=True)
class JourneyExit:
    """Leaving an enrolment, and where to."""

    enrolment_id: str
    on: date
    destination: ExitDestination


@dataclass(frozen=True, slots=True)
class JourneyOutcome:
    """The person's status some days after an exit."""

    enrolment_id: str
    days_after_exit: int
    status: OutcomeStatus


@dataclass(frozen=True, slots=True)
class JourneyAssessment:
    """One of the person's own ratings (1–10)."""

    on: date
    dimension: ProgressDimension
    score: int


@dataclass(frozen=True, slots=True)
class Journey:
    """Where a person has been, as the gate opened it: the API serves it as it is.

    The full view holds referrals, enrolments, exits, outcomes and self-assessments; the
    candidate view (an employer) only the employer's own referrals and enrolments.
    """

    person_id: str
    view: PersonView
    referrals: list[ReferralView]
    enrolments: list[JourneyEnrolment]
    exits: list[JourneyExit]
    outcomes: list[JourneyOutcome]
    assessments: list[JourneyAssessment]
    changes: dict[str, int]
    """Per dimension rated at least twice, the last score minus the first."""


def _enrolments(rows: list[tuple[Enrolment, str, str]]) -> list[JourneyEnrolment]:
    return [JourneyEnrolment(e.id, str(e.opportunity_id), title, org, e.start, e.end)
            for e, title, org in rows]


def _month_hint(day: date) -> str:
    last = calendar.monthrange(day.year, day.month)[1]
    return (f"indicators are published for whole calendar months: use "
            f"{day.replace(day=1).isoformat()}:{day.replace(day=last).isoformat()} or a span of "
            f"whole months")


def parse_period(text: str | None, *, today: date | None = None) -> Period:
    """``YYYY-MM-DD:YYYY-MM-DD`` of whole calendar months (either side may be empty) as two dates.

    Published indicators cover whole months only, so two periods always differ by at least a
    month of people (fixed reporting periods, a first line against differencing; the cell-key
    method is the second). An open end stops at the end of the last complete month before
    ``today``, so the figures do not change from one day to the next.

    Examples:
        >>> parse_period("2026-01-01:2026-06-30")
        (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
        >>> parse_period(None, today=date(2026, 3, 9))
        (None, datetime.date(2026, 2, 28))
        >>> parse_period("2026-01-01:2026-03-08")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        kedja.core.errors.InvalidInput: the period '2026-01-01:2026-03-08' does not end on ...
    """
    start, sep, end = (text or ":").partition(":")
    try:
        if not sep:
            raise ValueError
        first = date.fromisoformat(start) if start else None
        last = date.fromisoformat(end) if end else None
    except ValueError:
        raise InvalidInput(f"{text!r} is not a period", field="period", value=text,
                           hint="write it as YYYY-MM-DD:YYYY-MM-DD, e.g. "
                                "2026-01-01:2026-12-31") from None
    if first and last and last < first:
        raise InvalidInput(f"the period {text!r} ends before it starts", field="period",
                           value=text, hint="swap the dates")
    if first is not None and first.day != 1:
        raise InvalidInput(f"the period {text!r} does not start on the first day of a month",
                           field="period", value=text, hint=_month_hint(first))
    if last is not None and last.day != calendar.monthrange(last.year, last.month)[1]:
        raise InvalidInput(f"the period {text!r} does not end on the last day of a month",
                           field="period", value=text, hint=_month_hint(last))
    if last is None:
        last = (today or date.today()).replace(day=1) - timedelta(days=1)
    return first, last


def _audit_write(session: Session, principal: Principal, person_id: str, note: str) -> None:
    records.append_audit(session, [AuditEntry(
        at=datetime.now(UTC), actor=principal.username, organisation_id=principal.organisation_id,
        action=AuditAction.WRITE, subject_type="person", subject_id=person_id, purpose=note)])


def person_journey(engine: Engine, principal: Principal, person_id: str, *,
                   purpose: Purpose = Purpose.FOLLOW_UP) -> Journey:
    """A person's journey, opened by the gate for ``purpose`` (an audited read).

    In the full view (case workers) it holds everything. In the candidate view (an employer
    the person consented to) it holds only the referrals to or from the employer and the
    enrolments in its own opportunities: no exits, outcomes, self-ratings or changes, which
    are case data.

    Raises:
        Forbidden: no consent or active referral of the organisation covers the purpose
            (the same answer for an unknown id).
    """
    require_permission(principal, Permission.READ_PEOPLE)
    with session_scope(engine) as session:
        opened = gate.open_person(session, principal, person_id, purpose)
        found = hub.referrals(session, person_id=person_id)
        enrolments = hub.enrolments_of(session, person_id)
        if opened.view is not PersonView.FULL:
            org = principal.organisation_id
            found = [(r, p) for r, p in found
                     if org in (r.from_organisation_id, r.to_organisation_id)]
            enrolments = [e for e in enrolments if e[2] == org]
            return Journey(person_id, opened.view, referral_views(session, principal, found),
                           _enrolments(enrolments), [], [], [], {})
        assessments = hub.assessments(session, person_id=person_id)
        return Journey(
            person_id, opened.view, referral_views(session, principal, found),
            _enrolments(enrolments),
            [JourneyExit(x.enrolment_id, x.on, x.destination)
             for x in hub.exits_of(session, person_id)],
            [JourneyOutcome(o.enrolment_id, o.days_after_exit, o.status)
             for o in hub.outcomes(session, person_id=person_id)],
            [JourneyAssessment(a.assessed_on, a.dimension, a.score) for a in assessments],
            dimension_changes(assessments).get(person_id, {}))


def _check_writer(session: Session, principal: Principal, person_id: str) -> None:
    require_permission(principal, Permission.RECORD_CONSENT)  # the person's case workers
    gate.open_person(session, principal, person_id, Purpose.FOLLOW_UP, need=PersonView.FULL,
                     audit=None)


def record_assessment(engine: Engine, principal: Principal, person_id: str, *, on: date,
                      scores: dict[str, int]) -> list[ProgressAssessment]:
    """Record the person's own ratings on a day (one per dimension).

    Raises:
        Forbidden: the principal does not work with the person.
        InvalidInput: an unknown dimension or a score outside 1–10.
        Conflict: ratings for that day are already recorded.
    """
    items = [ProgressAssessment(PersonId(person_id), on, d, s)  # type: ignore[arg-type]
             for d, s in sorted(scores.items())]
    if not items:
        raise InvalidInput("no ratings given", field="scores",
                           hint="rate at least one dimension from 1 to 10")
    with session_scope(engine) as session:
        _check_writer(session, principal, person_id)
        if any(session.get(t.ProgressAssessmentRow, (person_id, on, a.dimension.value))
               for a in items):
            raise Conflict(f"{person_id} already has ratings on {on.isoformat()}", field="on",
                           value=on.isoformat(), hint="record the next rating on another day")
        hub.save_assessments(session, items)
        _audit_write(session, principal, person_id, f"self-assessment {on.isoformat()}")
    return items


def record_exit(engine: Engine, principal: Principal, enrolment_id: str, *, on: date,
                destination: str) -> Exit:
    """Record that a participant left an enrolment, and where to.

    Raises:
        NotFound: no such enrolment. Forbidden: the principal does not work with the person.
        InvalidInput: the exit is before the enrolment's start.
        Conflict: the exit is already recorded.
    """
    with session_scope(engine) as session:
        row = session.get(t.EnrolmentRow, enrolment_id)
        if row is None:
            raise NotFound(f"no enrolment {enrolment_id!r}", field="enrolment_id",
                           value=enrolment_id, hint="see the person's journey")
        _check_writer(session, principal, row.person_id)
        if on < row.start:
            raise InvalidInput(f"the exit {on.isoformat()} is before the start of {enrolment_id} "
                               f"({row.start.isoformat()})", field="on", value=on.isoformat(),
                               hint="give the day the person left the activity")
        if session.get(t.ExitRow, enrolment_id) is not None:
            raise Conflict(f"enrolment {enrolment_id} already has an exit", field="enrolment_id",
                           value=enrolment_id, hint="nothing to do")
        item = Exit(enrolment_id, PersonId(row.person_id), on, destination)  # type: ignore[arg-type]
        hub.save_exits(session, [item])
        if row.end is None:
            row.end = on
        _audit_write(session, principal, row.person_id, f"exit from {enrolment_id}")
    return item


def record_outcome(engine: Engine, principal: Principal, enrolment_id: str, *,
                   days_after_exit: int, status: str) -> Outcome:
    """Record the person's status 90, 180 or 365 days after an exit.

    Raises:
        NotFound: no exit for the enrolment. Conflict: that follow-up point is recorded.
    """
    with session_scope(engine) as session:
        exit_row = session.get(t.ExitRow, enrolment_id)
        if exit_row is None:
            raise NotFound(f"enrolment {enrolment_id!r} has no exit", field="enrolment_id",
                           value=enrolment_id, hint="record the exit first")
        _check_writer(session, principal, exit_row.person_id)
        item = Outcome(enrolment_id, PersonId(exit_row.person_id), days_after_exit, status)  # type: ignore[arg-type]
        if session.get(t.OutcomeRow, (enrolment_id, days_after_exit)) is not None:
            raise Conflict(f"the {days_after_exit}-day outcome of {enrolment_id} is recorded",
                           field="days_after_exit", value=days_after_exit, hint="nothing to do")
        hub.save_outcomes(session, [item])
        _audit_write(session, principal, exit_row.person_id,
                     f"outcome {days_after_exit} days after {enrolment_id}")
    return item


def _record_keys(engine: Engine, people: set[str]) -> dict[str, int]:
    """The people's record keys for the cell-key method; a person without one gets a random one.

    Kept in ``record_keys``, so every server process, a backup and its restore, and an erasure
    (the key moves to the pseudonym) give the same keys and so the same published figures.
    """
    for _ in range(5):
        with session_scope(engine) as session:
            keys = dict(session.execute(select(t.RecordKeyRow.person_id,
                                               t.RecordKeyRow.key)).all())
        missing = sorted(people - set(keys))
        if not missing:
            return {p: int(keys[p]) for p in people}
        try:
            with session_scope(engine) as session:
                session.add_all([t.RecordKeyRow(person_id=p, key=secrets.randbits(32))
                                 for p in missing])
        except IntegrityError:  # another process drew some of them first: read theirs, retry
            continue
    raise Conflict("the record keys could not be drawn: other server processes kept drawing "
                   "them at the same time", hint="try again")


record_keys = _record_keys
"""The people's record keys for the cell-key method (for other services' published counts)."""


def _inputs(engine: Engine, period: Period) -> tuple[list[Participant], list[Outcome],
                                                     list[ProgressAssessment]]:
    # the same rule for every caller: whole months, an open end at the last complete month
    return _inputs_unchecked(engine, parse_period(":".join(d.isoformat() if d else ""
                                                           for d in period)))


def _inputs_unchecked(engine: Engine, period: Period
                      ) -> tuple[list[Participant], list[Outcome], list[ProgressAssessment]]:
    """The inputs over any period (the attack tests difference day periods with it)."""
    start, end = period
    with session_scope(engine) as session:
        rows = hub.participant_rows(session, start=start, end=end)
        outcomes = hub.outcomes(session)
        assessments = hub.assessments(session)
    keys = _record_keys(engine, {r.person_id for r in rows})
    on = end or max((r.start for r in rows), default=date(2026, 1, 1))
    participants = [Participant(r.person_id, r.enrolment_id, r.municipality_code,
                                r.organisation_id, r.group, r.start, r.end, r.gender,
                                age_band(r.birth_year, on), r.born_abroad,
                                keys[r.person_id]) for r in rows]
    people = {p.person_id for p in participants}
    found = [o for o in outcomes if o.person_id in people]
    return (participants, found + _missing_follow_ups(engine, participants, found, on),
            [a for a in assessments if a.person_id in people])


def _missing_follow_ups(engine: Engine, participants: list[Participant],
                        outcomes: list[Outcome], on: date) -> list[Outcome]:
    """A follow-up day that passed by ``on`` with nothing recorded, as an ``unknown`` outcome.

    So the share in work or studies keeps every person due for follow-up in its denominator,
    and the table shows how many are unknown, instead of dropping them.
    """
    by_enrolment = {p.enrolment_id: p for p in participants}
    with session_scope(engine) as session:
        exits = hub.exits_in(session, sorted(by_enrolment))
    recorded = {(o.enrolment_id, o.days_after_exit) for o in outcomes}
    return [Outcome(enrolment, PersonId(by_enrolment[enrolment].person_id), days,
                    OutcomeStatus.UNKNOWN)
            for enrolment, left in sorted(exits.items()) for days in FOLLOW_UP_DAYS
            if left + timedelta(days=days) <= on and (enrolment, days) not in recorded]


def _check_aggregates(principal: Principal | None) -> None:
    # None is the command line's operator, who holds the database itself
    if principal is not None:
        require_permission(principal, Permission.READ_AGGREGATES)


def indicator_tables(engine: Engine, principal: Principal | None, *,
                     period: Period = (None, None)) -> list[IndicatorTable]:
    """The funders' indicators over enrolments overlapping the period, suppressed."""
    _check_aggregates(principal)
    return indicator_report(*_inputs(engine, period))


def equal_treatment(engine: Engine, principal: Principal | None, *,
                    period: Period = (None, None)) -> list[IndicatorTable]:
    """Outcomes and progression by gender, age band and birth abroad, suppressed."""
    _check_aggregates(principal)
    return equal_treatment_report(*_inputs(engine, period))


def indicator_report_tables(engine: Engine, principal: Principal | None, *,
                            period: Period = (None, None)
                            ) -> tuple[list[IndicatorTable], list[IndicatorTable]]:
    """The indicators and the equal-treatment report, from one read of the data.

    Kept in the region cache (:mod:`kedja.services.cache`) under the period and a version of
    the follow-up data (row counts of enrolments, exits, outcomes and assessments, read in a few
    milliseconds), so a recorded exit or outcome shows at once while a repeated view costs no
    recomputation: the dashboard took 1.7 s per view on the demo (bench/bench_pages.py). The
    published figures are the same either way (the cell-key noise depends on who is counted).
    """
    _check_aggregates(principal)

    def compute() -> tuple[list[IndicatorTable], list[IndicatorTable]]:
        inputs = _inputs(engine, period)
        return indicator_report(*inputs), equal_treatment_report(*inputs)

    span = parse_period(":".join(d.isoformat() if d else "" for d in period))  # as _inputs reads it
    key = f"indicator-report:{span[0]}:{span[1]}:{_follow_up_version(engine)}"
    # the key changes with the data, so the entry may live long (an hour; imports clear it)
    tables, equality = cache.cached(engine, key, compute, seconds=3600.0)
    return list(tables), list(equality)  # callers may extend their lists; the cache's stay


def _follow_up_version(engine: Engine) -> tuple[int, ...]:
    """Row counts of the follow-up tables and of people.

    They change whenever a participant, exit, outcome or assessment is added (rows are never
    deleted but by erasure, which drops the cache).
    """
    with engine.connect() as connection:
        return tuple(int(connection.scalar(select(func.count()).select_from(table)) or 0)
                     for table in (t.EnrolmentRow, t.ExitRow, t.OutcomeRow,
                                   t.ProgressAssessmentRow, t.PersonRow))


def indicators_export(engine: Engine, principal: Principal | None, *, fmt: str,
                      period: Period = (None, None)) -> bytes:
    """The indicators and the equal-treatment report as CSV or Excel bytes."""
    if fmt not in ("csv", "xlsx"):
        raise InvalidInput(f"{fmt!r} is not an export format", field="format", value=fmt,
                           hint="use csv or xlsx")
    tables, equality = indicator_report_tables(engine, principal, period=period)
    tables += equality
    return indicators_csv(tables).encode() if fmt == "csv" else indicators_xlsx(tables)
