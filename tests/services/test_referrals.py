"""Referrals with the loop closed: states, events, consent before the receiver sees the person."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from kedja import services
from kedja.core.access import Principal, Purpose, Role
from kedja.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from kedja.core.organisations import OrganisationKind
from kedja.store import session_scope
from kedja.store import tables as t

OFFICER = Principal("u1", "officer.norrbotten@kedja.demo", "AF25",
                    OrganisationKind.EMPLOYMENT_SERVICE, frozenset({Role.OFFICER}))


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = services.prepare_database(tmp_path_factory.mktemp("ref") / "demo.db")
    services.build_demo_database(engine, seed=42, job_seekers=400, employed=400)
    yield engine
    engine.dispose()


def _receiver(engine: Engine) -> Principal:
    with session_scope(engine) as session:
        user = session.scalars(select(t.UserRow).where(
            t.UserRow.username == "coordinator@kedja.demo")).one()
        return Principal(user.id, user.username, user.organisation_id, OrganisationKind.ASF,
                         frozenset({Role.COORDINATOR}))


def _stranger(engine: Engine, receiver: str) -> str:
    """A person the officer sees and the receiving ASF does not."""
    with session_scope(engine) as session:
        seen = set(session.scalars(select(t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id == receiver)))
        seen |= set(session.scalars(select(t.ReferralRow.person_id).where(
            t.ReferralRow.to_organisation_id == receiver)))
        ids = session.scalars(select(t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id == "AF25").order_by(t.ConsentRow.person_id))
        return next(p for p in ids if p not in seen)


def _events(engine: Engine, referral_id: str) -> list[tuple[str | None, str, str | None]]:
    with session_scope(engine) as session:
        rows = session.scalars(select(t.ReferralEventRow).where(
            t.ReferralEventRow.referral_id == referral_id).order_by(t.ReferralEventRow.id))
        return [(r.from_state, r.to_state, r.note) for r in rows]


def test_a_referral_walks_every_state_and_the_receiver_waits_for_consent(engine: Engine) -> None:
    receiver = _receiver(engine)
    person = _stranger(engine, receiver.organisation_id)
    view = services.referrals.create_referral(engine, OFFICER, person_id=person,
                                              to_organisation_id=receiver.organisation_id,
                                              purpose="ASF placement")
    assert view.state == "proposed" and view.person_id == person
    assert view.capacity.capacity is not None

    inbox = services.referrals.referral_boxes(engine, receiver).inbox
    mine = next(r for r in inbox if r.id == view.id)
    assert mine.person_id is None  # the receiver does not learn who it is
    with pytest.raises(Forbidden):
        services.read_person(engine, receiver, person, purpose=Purpose.CASE_MANAGEMENT)
    with pytest.raises(Conflict, match="consent"):
        services.referrals.advance_referral(engine, receiver, view.id, "accepted")
    with pytest.raises(Forbidden):
        services.referrals.record_referral_consent(engine, receiver, view.id)

    services.referrals.record_referral_consent(engine, OFFICER, view.id)
    assert services.read_person(engine, receiver, person,
                                purpose=Purpose.CASE_MANAGEMENT).person.id == person
    with pytest.raises(Forbidden):  # the sender cannot accept on the receiver's behalf
        services.referrals.advance_referral(engine, OFFICER, view.id, "accepted")
    for state in ("accepted", "started", "completed"):
        view = services.referrals.advance_referral(engine, receiver, view.id, state)
    assert view.state == "completed" and view.actions == ()
    sent = services.referrals.read_referral(engine, OFFICER, view.id)
    assert sent.state == "completed"  # the sender sees where the person is
    assert _events(engine, view.id) == [
        (None, "proposed", "created by hand"), ("proposed", "proposed", "consent recorded"),
        ("proposed", "accepted", None), ("accepted", "started", None),
        ("started", "completed", None)]
    with pytest.raises(Forbidden):  # a closed referral no longer opens the record
        services.read_person(engine, receiver, person, purpose=Purpose.CASE_MANAGEMENT)


def test_ending_needs_a_reason_and_illegal_moves_conflict(engine: Engine) -> None:
    receiver = _receiver(engine)
    person = _stranger(engine, receiver.organisation_id)
    view = services.referrals.create_referral(engine, OFFICER, person_id=person,
                                              to_organisation_id=receiver.organisation_id,
                                              purpose="training", consent=True)
    with pytest.raises(Conflict):
        services.referrals.advance_referral(engine, receiver, view.id, "completed")
    with pytest.raises(InvalidInput, match="reason"):
        services.referrals.advance_referral(engine, OFFICER, view.id, "ended")
    view = services.referrals.advance_referral(engine, OFFICER, view.id, "ended",
                                               reason="the person found a job")
    assert view.end_reason == "the person found a job"
    assert _events(engine, view.id)[-1] == ("proposed", "ended", "the person found a job")


def test_starting_a_referral_to_an_opportunity_enrols_the_person(engine: Engine) -> None:
    receiver = _receiver(engine)
    with session_scope(engine) as session:
        opportunity = session.scalars(select(t.OpportunityRow.id).where(
            t.OpportunityRow.organisation_id == receiver.organisation_id)).first()
    assert opportunity is not None
    person = _stranger(engine, receiver.organisation_id)
    view = services.referrals.create_referral(engine, OFFICER, person_id=person,
                                              opportunity_id=opportunity, purpose="placement",
                                              consent=True, source="from a pathway")
    assert view.to_organisation_id == receiver.organisation_id
    for state in ("accepted", "started"):
        services.referrals.advance_referral(engine, receiver, view.id, state)
    journey = services.follow_up.person_journey(engine, OFFICER, person)
    assert [e.opportunity_id for e in journey.enrolments][-1] == opportunity
    assert view.id in [r.id for r in journey.referrals]


def test_reads_and_writes_are_audited(engine: Engine) -> None:
    receiver = _receiver(engine)
    person = _stranger(engine, receiver.organisation_id)
    view = services.referrals.create_referral(engine, OFFICER, person_id=person,
                                              to_organisation_id=receiver.organisation_id,
                                              purpose="ASF placement")
    services.follow_up.person_journey(engine, OFFICER, person)
    with session_scope(engine) as session:
        actions = session.execute(select(t.AuditEntryRow.action, t.AuditEntryRow.purpose).where(
            t.AuditEntryRow.subject_id == person)).all()
    assert ("write", f"referral {view.id} to {receiver.organisation_id}") in actions
    assert ("read", "follow_up") in actions


def test_someone_elses_referral_is_not_found(engine: Engine) -> None:
    other = Principal("u9", "o@af.se", "AF24", OrganisationKind.EMPLOYMENT_SERVICE,
                      frozenset({Role.OFFICER}))
    with session_scope(engine) as session:
        referral_id = session.scalars(select(t.ReferralRow.id).where(
            t.ReferralRow.from_organisation_id == "AF25")).first()
    assert referral_id is not None
    with pytest.raises(NotFound):
        services.referrals.read_referral(engine, other, referral_id)


def test_indicators_are_suppressed_and_exported(engine: Engine, tmp_path: Path) -> None:
    tables = services.follow_up.indicator_tables(engine, None)
    assert tables[0].published.total and tables[0].published.total > 0
    for table in tables:
        for row in table.published.cells:
            assert all(v is None or v == 0 or v >= 5 for v in row)
    text = services.follow_up.indicators_export(engine, None, fmt="csv").decode()
    header = text.splitlines()[0].split(",")
    assert [c for c in header if c.endswith("_n")] == ["count_n"]
    assert ",,\n" in text or ",," in text  # suppressed cells are empty
    book = services.follow_up.indicators_export(engine, None, fmt="xlsx")
    from io import BytesIO

    from openpyxl import load_workbook
    sheet = load_workbook(BytesIO(book)).worksheets[0]
    first = [c.value for c in sheet[1]]
    assert first[-1] == "total_n" and all(str(c).endswith("_n") for c in first[1:])


def test_an_employer_accepts_a_referral_and_sees_the_candidate_only_after_consent(
        engine: Engine) -> None:
    with session_scope(engine) as session:
        user = session.scalars(select(t.UserRow).where(
            t.UserRow.username == "hr@kedja.demo")).one()
    hr = Principal(user.id, user.username, user.organisation_id, OrganisationKind.EMPLOYER,
                   frozenset({Role.EMPLOYER_HR}))
    person = _stranger(engine, hr.organisation_id)
    view = services.referrals.create_referral(engine, OFFICER, person_id=person,
                                              to_organisation_id=hr.organisation_id,
                                              purpose="recruitment")
    with pytest.raises(Forbidden):
        services.read_person(engine, hr, person, purpose=Purpose.RECRUITMENT)
    assert person not in {r.person.id for r in services.list_people(
        engine, hr, purpose=Purpose.RECRUITMENT, page_size=100).items}
    services.referrals.record_referral_consent(engine, OFFICER, view.id)
    services.referrals.advance_referral(engine, hr, view.id, "accepted")
    record = services.read_person(engine, hr, person, purpose=Purpose.RECRUITMENT)
    assert record.view.value == "candidate"
    with pytest.raises(Forbidden):  # an employer does not refer people onwards
        services.referrals.create_referral(engine, hr, person_id=person,
                                           to_organisation_id="AF24", purpose="x")
