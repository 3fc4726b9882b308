"""The access rules applied by the services, and the audit entries every read leaves."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, delete, select

from kedja import services
from kedja.core.access import Principal, Purpose, Role
from kedja.core.errors import Forbidden
from kedja.core.organisations import OrganisationKind
from kedja.store import session_scope
from kedja.store import tables as t


def principal(org: str, kind: OrganisationKind, role: Role, name: str = "u@x.se") -> Principal:
    return Principal(f"id-{name}", name, org, kind, frozenset({role}))


OFFICER_25 = principal("AF25", OrganisationKind.EMPLOYMENT_SERVICE, Role.OFFICER, "o25@af.se")
OFFICER_24 = principal("AF24", OrganisationKind.EMPLOYMENT_SERVICE, Role.OFFICER, "o24@af.se")
ANALYST = principal("KOM2580", OrganisationKind.MUNICIPALITY, Role.ANALYST, "a@lulea.se")
ADMIN = principal("REG25", OrganisationKind.EMPLOYER, Role.ADMIN, "admin@x.se")


def a_norrbotten_job_seeker(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(connection.scalar(select(t.ConsentRow.person_id)
                                     .where(t.ConsentRow.organisation_id == "AF25")
                                     .order_by(t.ConsentRow.person_id)))


def audit_rows(engine: Engine, person_id: str) -> list[tuple[str, str, str | None]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(  # type: ignore[misc]
            select(t.AuditEntryRow.actor, t.AuditEntryRow.action, t.AuditEntryRow.purpose)
            .where(t.AuditEntryRow.subject_id == person_id).order_by(t.AuditEntryRow.id))]


def test_consent_opens_a_record_to_that_organisation_only(web_engine: Engine) -> None:
    pid = a_norrbotten_job_seeker(web_engine)
    record = services.read_person(web_engine, OFFICER_25, pid, purpose=Purpose.MATCHING)
    assert record.person.id == pid and record.view.value == "full"
    with pytest.raises(Forbidden, match="has not consented"):
        services.read_person(web_engine, OFFICER_24, pid, purpose=Purpose.MATCHING)
    log = audit_rows(web_engine, pid)
    assert ("o25@af.se", "read", "matching") in log
    assert ("o24@af.se", "read", "matching: refused") in log


def test_an_unknown_person_looks_like_a_refusal(web_engine: Engine) -> None:
    with pytest.raises(Forbidden):
        services.read_person(web_engine, OFFICER_25, "P000000-none", purpose=Purpose.MATCHING)


def test_analysts_and_admins_see_no_records(web_engine: Engine) -> None:
    pid = a_norrbotten_job_seeker(web_engine)
    for who in (ANALYST, ADMIN):
        with pytest.raises(Forbidden):
            services.list_people(web_engine, who, purpose=Purpose.CASE_MANAGEMENT)
        with pytest.raises(Forbidden):
            services.read_person(web_engine, who, pid, purpose=Purpose.CASE_MANAGEMENT)


def test_the_list_holds_exactly_the_visible_people_and_is_audited(web_engine: Engine) -> None:
    page = services.list_people(web_engine, OFFICER_25, purpose=Purpose.FOLLOW_UP, page=2,
                                page_size=10)
    with web_engine.connect() as connection:
        consented = set(connection.scalars(select(t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id == "AF25", t.ConsentRow.withdrawn.is_(None))))
    assert page.total == len(consented) and len(page.items) == 10
    assert {r.person.id for r in page.items} <= consented
    for record in page.items:
        assert ("o25@af.se", "list", "follow_up") in audit_rows(web_engine, record.person.id)


def _referral(engine: Engine, pid: str, to_org: str, state: str, rid: str,
              consent: date | None = None) -> None:
    with session_scope(engine) as session:
        session.add(t.ReferralRow(id=rid, person_id=pid, from_organisation_id="AF24",
                                  to_organisation_id=to_org, state=state,
                                  created=date(2026, 11, 1), consent_given=consent))


def test_an_active_referral_opens_a_record_after_consent_not_to_an_employer(engine: Engine) -> None:
    services.build_demo_database(engine, seed=7, job_seekers=60, employed=60)
    with engine.connect() as connection:
        pid = connection.scalar(select(t.ConsentRow.person_id)
                                .where(t.ConsentRow.organisation_id == "AF25"))
        employer = connection.scalar(select(t.OrganisationRow.id)
                                     .where(t.OrganisationRow.kind == "employer"))
        asf = connection.scalar(select(t.OrganisationRow.id)
                                .where(t.OrganisationRow.kind == "asf"))
        connection.execute(delete(t.ConsentRow).where(t.ConsentRow.person_id == pid,
                                                      t.ConsentRow.organisation_id != "AF25"))
        connection.commit()
    assert pid and employer and asf
    hr = principal(employer, OrganisationKind.EMPLOYER, Role.EMPLOYER_HR, "hr@x.se")
    coordinator = principal(asf, OrganisationKind.ASF, Role.COORDINATOR, "c@asf.se")
    _referral(engine, pid, employer, "proposed", "R1")
    _referral(engine, pid, asf, "completed", "R2")
    for who in (hr, coordinator):
        with pytest.raises(Forbidden):
            services.read_person(engine, who, pid, purpose=Purpose.RECRUITMENT)
    # the sending organisation holds the active referral: AF24 now sees the record
    assert services.read_person(engine, OFFICER_24, pid, purpose=Purpose.MATCHING)
    listed = services.list_people(engine, OFFICER_24, purpose=Purpose.MATCHING, page_size=100)
    assert pid in {r.person.id for r in listed.items}
    hr_list = services.list_people(engine, hr, purpose=Purpose.RECRUITMENT, page_size=100)
    assert pid not in {r.person.id for r in hr_list.items}
    # the receiver sees the person only once they consented to the referral
    _referral(engine, pid, asf, "started", "R3")
    with pytest.raises(Forbidden):
        services.read_person(engine, coordinator, pid, purpose=Purpose.MATCHING)
    _referral(engine, pid, asf, "started", "R4", consent=date(2026, 11, 1))
    assert services.read_person(engine, coordinator, pid, purpose=Purpose.MATCHING)
    with session_scope(engine) as session:
        session.add(t.ConsentRow(person_id=pid, organisation_id=employer,
                                 given=date(2026, 11, 2)))
    record = services.read_person(engine, hr, pid, purpose=Purpose.RECRUITMENT)
    assert record.view.value == "candidate"


def test_withdrawn_consent_closes_the_record(engine: Engine) -> None:
    services.build_demo_database(engine, seed=1, job_seekers=30, employed=30)
    with engine.connect() as connection:
        row = connection.execute(select(t.ConsentRow.person_id, t.ConsentRow.organisation_id)
                                 .where(t.ConsentRow.organisation_id.like("AF%"))).first()
    assert row is not None
    pid, org = row
    officer = principal(org, OrganisationKind.EMPLOYMENT_SERVICE, Role.OFFICER)
    assert services.read_person(engine, officer, pid, purpose=Purpose.MATCHING)
    with session_scope(engine) as session:
        session.get(t.ConsentRow, (pid, org)).withdrawn = date(2026, 11, 20)  # type: ignore[union-attr]
    with pytest.raises(Forbidden):
        services.read_person(engine, officer, pid, purpose=Purpose.MATCHING)


def test_the_audit_log_is_for_admins_and_gdpr_export_is_logged(web_engine: Engine) -> None:
    pid = a_norrbotten_job_seeker(web_engine)
    services.read_person(web_engine, OFFICER_25, pid, purpose=Purpose.CASE_MANAGEMENT)
    with pytest.raises(Forbidden):
        services.person_access_log(web_engine, OFFICER_25, pid)
    with pytest.raises(Forbidden):
        services.audit_csv(web_engine, ANALYST)
    entries = services.person_access_log(web_engine, ADMIN, pid)
    assert any(e.actor == "o25@af.se" and e.purpose == "case_management" for e in entries)
    assert ("admin@x.se", "export", "gdpr_request") in audit_rows(web_engine, pid)
    text = services.audit_csv(web_engine, ADMIN, subject_id=pid)
    assert text.splitlines()[0].startswith("id,at,actor") and "o25@af.se" in text


def test_recording_and_withdrawing_consent_is_audited(engine: Engine) -> None:
    from kedja.core.errors import Conflict, NotFound

    services.build_demo_database(engine, seed=7, job_seekers=40, employed=40)
    pid = a_norrbotten_job_seeker(engine)
    hr = principal("EMP000002", OrganisationKind.EMPLOYER, Role.EMPLOYER_HR, "hr@x.se")
    with session_scope(engine) as session:
        session.execute(delete(t.ConsentRow).where(t.ConsentRow.person_id == pid,
                                                   t.ConsentRow.organisation_id == "EMP000002"))
    with pytest.raises(Forbidden):
        services.read_person(engine, hr, pid, purpose=Purpose.RECRUITMENT)
    with pytest.raises(Forbidden):  # an employer cannot grant itself access
        services.record_consent(engine, hr, pid, "EMP000002")
    with pytest.raises(Forbidden):  # nor can an officer who does not see the person
        services.record_consent(engine, OFFICER_24, pid, "EMP000002")
    consent = services.record_consent(engine, OFFICER_25, pid, "EMP000002")
    assert consent.withdrawn is None
    assert services.read_person(engine, hr, pid, purpose=Purpose.RECRUITMENT).view.value == \
        "candidate"
    with pytest.raises(Conflict):
        services.record_consent(engine, OFFICER_25, pid, "EMP000002")
    with pytest.raises(NotFound):
        services.record_consent(engine, OFFICER_25, pid, "NO-SUCH-ORG")
    assert services.withdraw_consent(engine, OFFICER_25, pid, "EMP000002").withdrawn
    with pytest.raises(Forbidden):
        services.read_person(engine, hr, pid, purpose=Purpose.RECRUITMENT)
    writes = [p for a, action, p in audit_rows(engine, pid) if action == "write"]
    assert writes == ["consent recorded for EMP000002 (every purpose)", "consent withdrawn for EMP000002"]


def test_a_consent_for_some_purposes_opens_the_record_for_those_only(engine: Engine) -> None:
    from kedja.core.errors import InvalidInput

    services.build_demo_database(engine, seed=7, job_seekers=40, employed=40)
    pid = a_norrbotten_job_seeker(engine)
    hr = principal("EMP000002", OrganisationKind.EMPLOYER, Role.EMPLOYER_HR, "hr@x.se")
    with session_scope(engine) as session:
        session.execute(delete(t.ConsentRow).where(t.ConsentRow.person_id == pid,
                                                   t.ConsentRow.organisation_id == "EMP000002"))
    with pytest.raises(InvalidInput, match="at least one purpose"):
        services.record_consent(engine, OFFICER_25, pid, "EMP000002", purposes=[])
    consent = services.record_consent(engine, OFFICER_25, pid, "EMP000002", purposes=[Purpose.RECRUITMENT])
    assert consent.purposes == ("recruitment",)
    assert services.read_person(engine, hr, pid, purpose=Purpose.RECRUITMENT).view.value == "candidate"
    with pytest.raises(Forbidden):  # the same organisation, another purpose
        services.read_person(engine, hr, pid, purpose=Purpose.CASE_MANAGEMENT)
    entries = services.person_access_log(engine, principal("REG25", OrganisationKind.EMPLOYER, Role.ADMIN,
                                                           "admin@x.se"), pid)
    assert any(e.purpose == "consent recorded for EMP000002 (recruitment)" for e in entries)
    withdrawn = services.withdraw_consent(engine, OFFICER_25, pid, "EMP000002")
    assert withdrawn.purposes == ("recruitment",) and withdrawn.withdrawn is not None
    with pytest.raises(Forbidden):
        services.read_person(engine, hr, pid, purpose=Purpose.RECRUITMENT)


def test_a_list_follows_every_change_of_grants_at_once(engine: Engine) -> None:
    """The organisation's grants are kept between lists, but any change of consents, referrals
    or people (counted by the database's triggers) is seen by the very next list."""
    services.build_demo_database(engine, seed=1, job_seekers=30, employed=30)
    with engine.connect() as connection:
        org = str(connection.scalar(select(t.ConsentRow.organisation_id)
                                    .where(t.ConsentRow.organisation_id.like("AF%"))))
    officer = principal(org, OrganisationKind.EMPLOYMENT_SERVICE, Role.OFFICER)

    def listed() -> list[str]:
        return [r.person.id for r in services.list_people(engine, officer, purpose=Purpose.MATCHING,
                                                          page_size=100).items]

    before = listed()
    assert before and listed() == before
    with engine.connect() as connection:
        generation = connection.scalar(select(t.CacheGenerationRow.generation)
                                       .where(t.CacheGenerationRow.name == "grants"))
    with session_scope(engine) as session:  # a write no service tells about: a trigger counts it
        session.get(t.ConsentRow, (before[0], org)).withdrawn = date(2026, 11, 20)  # type: ignore[union-attr]
    with engine.connect() as connection:
        assert connection.scalar(select(t.CacheGenerationRow.generation)
                                 .where(t.CacheGenerationRow.name == "grants")) == generation + 1
    assert listed() == before[1:]
    with session_scope(engine) as session:
        session.execute(delete(t.ConsentRow).where(t.ConsentRow.person_id == before[1],
                                                   t.ConsentRow.organisation_id == org))
    assert listed() == before[2:]
    with session_scope(engine) as session:
        session.get(t.ConsentRow, (before[0], org)).withdrawn = None  # type: ignore[union-attr]
    assert listed() == [before[0], *before[2:]]
