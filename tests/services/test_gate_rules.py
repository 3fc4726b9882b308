"""The security review's reproductions 5 and 6 (erasure), and the rules of item 10 and 2:
what a referral's receiver sees before consent, and who may change a person's consents.

Each test failed on the code before the gate (see the docstrings for what it did then).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from kedja import services
from kedja.core.access import Principal, Purpose, operator_principal
from kedja.core.errors import Conflict, Forbidden, NotFound
from kedja.services import referrals
from kedja.services.consents import PersonRequest
from kedja.services.privacy import erase_person
from kedja.store import session_scope
from kedja.store import tables as t
from tests.conftest import DEMO_PASSWORD, DEMO_USERS

TINY_DEMO = {"seed": 42, "job_seekers": 150, "employed": 300}
OPERATOR = operator_principal("tester")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Path]]:
    path = tmp_path_factory.mktemp("gate") / "kedja.db"
    engine = services.prepare_database(path)
    services.build_demo_database(engine, **TINY_DEMO)
    yield engine, path
    engine.dispose()


def _who(engine: Engine, role: str) -> Principal:
    return services.sign_in(engine, DEMO_USERS[role], DEMO_PASSWORD).principal


def _person(engine: Engine, *avoid: str, skip: int = 0) -> str:
    with session_scope(engine) as session:
        taken = set(session.scalars(select(t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id.in_(avoid))))
        taken |= set(session.scalars(select(t.ReferralRow.person_id)))
        return [p for p in session.scalars(select(t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id == "AF25").order_by(t.ConsentRow.person_id.desc()))
            if p not in taken][skip]


def _names(text: bytes, word: str) -> bool:
    return re.search(rb"(?<![A-Za-z0-9])" + re.escape(word.encode()) + rb"(?![A-Za-z0-9])",
                     text) is not None


def test_erasure_keeps_the_employers_list_working(tiny: tuple[Engine, Path]) -> None:
    """Reproduction 5: after a consented referral to the employer and an erasure, HR's list
    answered 422, the erased person was still counted, and HR could still accept."""
    engine, _ = tiny
    officer, hr = _who(engine, "officer"), _who(engine, "employer_hr")
    pid = _person(engine, hr.organisation_id)
    made = referrals.create_referral(engine, officer, person_id=pid,
                                     to_organisation_id=hr.organisation_id,
                                     purpose="a job trial", consent=True)
    before = services.list_people(engine, hr, purpose=Purpose.RECRUITMENT, page_size=100)
    assert pid in {r.person.id for r in before.items}
    report = erase_person(engine, OPERATOR, pid, reason="art. 17 request")
    assert report.rows["referrals_ended"] >= 1
    after = services.list_people(engine, hr, purpose=Purpose.RECRUITMENT, page_size=100)
    shown = {r.person.id for r in after.items}
    assert after.total == before.total - 1
    assert pid not in shown and report.pseudonym not in shown
    with pytest.raises((NotFound, Conflict)):
        referrals.advance_referral(engine, hr, made.id, "accepted")
    with session_scope(engine) as session:
        states = set(session.scalars(select(t.ReferralRow.state).where(
            t.ReferralRow.person_id == report.pseudonym)))
    assert states and states <= {"ended", "completed"}


def test_erasure_leaves_no_trace_in_the_sqlite_files(tiny: tuple[Engine, Path]) -> None:
    """Reproduction 6: ``strings`` found the erased id in the database and its write-ahead log
    (the old full record included), and referral ids in the audit text linked the pseudonym
    back."""
    engine, path = tiny
    officer = _who(engine, "officer")
    pid = _person(engine, _who(engine, "coordinator").organisation_id, skip=1)
    services.read_person(engine, officer, pid, purpose=Purpose.CASE_MANAGEMENT)
    made = referrals.create_referral(engine, officer, person_id=pid, to_organisation_id="AF24",
                                     purpose="a course in welding")
    with session_scope(engine) as session:  # an edit leaves the old version in a page's free space
        row = session.get(t.PersonRow, pid)
        assert row is not None
        row.adaptations = ["trace-marker-4c1d"]
    with session_scope(engine) as session:
        row = session.get(t.PersonRow, pid)
        assert row is not None
        row.adaptations = []
    report = erase_person(engine, OPERATOR, pid, reason="art. 17 request")
    assert report.scrubbed["vacuum"] and report.scrubbed["checkpoint"]
    for file in (path, path.with_name(path.name + "-wal")):
        data = file.read_bytes() if file.exists() else b""
        assert not _names(data, pid), f"{file.name} holds the erased id"
        assert made.id.encode() not in data, f"{file.name} holds the old referral id"
        assert b"trace-marker-4c1d" not in data and b"a course in welding" not in data
    with session_scope(engine) as session:
        texts = " ".join(session.scalars(select(t.AuditEntryRow.purpose).where(
            t.AuditEntryRow.subject_id == report.pseudonym)).all() or [""])
    assert made.id not in texts and "referral R-" in texts


def test_the_receiver_learns_the_purpose_only_with_consent(tiny: tuple[Engine, Path]) -> None:
    """Item 10: a referral's receiver saw the free-text purpose and end reason before the
    person consented."""
    engine, _ = tiny
    officer, hr = _who(engine, "officer"), _who(engine, "employer_hr")
    pid = _person(engine, hr.organisation_id, skip=2)
    made = referrals.create_referral(engine, officer, person_id=pid,
                                     to_organisation_id=hr.organisation_id,
                                     purpose="after a long sick leave")
    inbox = {v.id: v for v in referrals.referral_boxes(engine, hr).inbox}
    assert inbox[made.id].purpose is None and inbox[made.id].person_id is None
    referrals.advance_referral(engine, officer, made.id, "ended", reason="moved to Oslo")
    inbox = {v.id: v for v in referrals.referral_boxes(engine, hr).inbox}
    assert inbox[made.id].end_reason is None
    assert all(e.note is None for e in inbox[made.id].events)
    assert referrals.read_referral(engine, officer, made.id).end_reason == "moved to Oslo"
    other = referrals.create_referral(engine, officer, person_id=pid,
                                      to_organisation_id=hr.organisation_id,
                                      purpose="a job trial", consent=True)
    assert referrals.read_referral(engine, hr, other.id).purpose == "a job trial"


def test_consent_changes_need_the_case_or_the_persons_request(tiny: tuple[Engine, Path]) -> None:
    """Item 10: an ASF coordinator receiving a consented referral withdrew the person's consent
    to the Employment Service and granted an employer access, with nothing recording that the
    person asked."""
    engine, _ = tiny
    officer, coordinator = _who(engine, "officer"), _who(engine, "coordinator")
    employer = _who(engine, "employer_hr").organisation_id
    pid = _person(engine, coordinator.organisation_id, employer, skip=3)
    referrals.create_referral(engine, officer, person_id=pid,
                              to_organisation_id=coordinator.organisation_id,
                              purpose="a placement", consent=True)
    assert services.read_person(engine, coordinator, pid,
                                purpose=Purpose.CASE_MANAGEMENT).view.value == "full"
    with pytest.raises(Forbidden, match="does not hold"):
        services.withdraw_consent(engine, coordinator, pid, "AF25")
    with pytest.raises(Forbidden, match="does not hold"):
        services.record_consent(engine, coordinator, pid, employer)
    asked = PersonRequest("the person", date(2026, 11, 2), "in_person")
    done = services.withdraw_consent(engine, coordinator, pid, "AF25", request=asked)
    assert done.withdrawn is not None and done.request_id
    with session_scope(engine) as session:
        request = session.get(t.DataRequestRow, done.request_id)
        assert request is not None and request.kind == "consent"
        assert (request.requester, request.channel) == ("the person", "in_person")
        note = session.scalars(select(t.AuditEntryRow.purpose).where(
            t.AuditEntryRow.subject_id == pid).order_by(t.AuditEntryRow.id.desc())).first()
    assert note is not None and done.request_id in note
    with pytest.raises(Exception, match="channel"):
        services.record_consent(engine, coordinator, pid, employer,
                                request=PersonRequest("the person", date(2026, 11, 2), "pigeon"))


def test_a_narrow_consent_cannot_be_widened(tiny: tuple[Engine, Path]) -> None:
    """Item 2: a coordinator holding a case-management consent recorded an all-purpose one."""
    engine, _ = tiny
    officer, coordinator = _who(engine, "officer"), _who(engine, "coordinator")
    employer = _who(engine, "employer_hr").organisation_id
    pid = _person(engine, coordinator.organisation_id, employer, skip=4)
    services.record_consent(engine, officer, pid, coordinator.organisation_id,
                            purposes=[Purpose.CASE_MANAGEMENT])
    with pytest.raises(Forbidden, match="wider"):
        services.record_consent(engine, coordinator, pid, employer)
    with pytest.raises(Forbidden, match="wider"):
        services.record_consent(engine, coordinator, pid, employer,
                                purposes=[Purpose.CASE_MANAGEMENT, Purpose.RECRUITMENT])
    narrow: Any = services.record_consent(engine, coordinator, pid, employer,
                                          purposes=[Purpose.CASE_MANAGEMENT])
    assert narrow.purposes == ("case_management",)
