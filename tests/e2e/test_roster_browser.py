"""The ASF coordinator's day in Chromium: accept a referral, record a self-assessment and an exit;
the funder's ESF+ workbook downloads and opens."""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, select, update

from kedja import services
from kedja.core.access import Principal, Role
from kedja.core.organisations import OrganisationKind
from kedja.services.capacity import free_places_of
from kedja.store import session_scope
from kedja.store import tables as t
from tests.conftest import DEMO_USERS
from tests.e2e.test_browser import serious_violations, sign_in
from tests.services.test_roster import _coordinator

OFFICER = Principal("u1", DEMO_USERS["officer"], "AF25", OrganisationKind.EMPLOYMENT_SERVICE,
                    frozenset({Role.OFFICER}))


def _incoming_referral(engine: Engine) -> tuple[str, str]:
    """A referral with consent from AF25 to the coordinator's ASF, to one of its placements.

    When the ASF is full, one more place is published first (a participant has left), so the
    referral can be accepted.
    """
    with session_scope(engine) as session:
        asf = str(session.scalar(select(t.UserRow.organisation_id).where(
            t.UserRow.username == DEMO_USERS["coordinator"])))
        placement = str(session.scalar(select(t.OpportunityRow.id).where(
            t.OpportunityRow.organisation_id == asf).order_by(t.OpportunityRow.id)))
        known = set(session.scalars(select(t.ReferralRow.person_id).where(
            t.ReferralRow.to_organisation_id == asf)))
        person = next(p for p in session.scalars(select(t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id == "AF25").order_by(t.ConsentRow.person_id))
            if p not in known)
        waiting = session.scalar(select(t.ReferralRow.id).where(
            t.ReferralRow.to_organisation_id == asf, t.ReferralRow.waitlisted_on.is_not(None),
            t.ReferralRow.state == "proposed").limit(1))
    status = free_places_of(engine, [asf])[asf]
    if not status.free or waiting is not None:
        with session_scope(engine) as session:
            first = session.scalar(select(t.HubServiceRow.id).where(
                t.HubServiceRow.organisation_id == asf).order_by(t.HubServiceRow.id))
            session.execute(update(t.HubServiceRow).where(t.HubServiceRow.id == first).values(
                capacity=t.HubServiceRow.capacity + 100))
    view = services.referrals.create_referral(engine, OFFICER, person_id=person,
                                              opportunity_id=placement, purpose="ASF-praktik",
                                              consent=True)
    assert view.waiting_position is None
    return view.id, person


def test_the_coordinator_accepts_assesses_and_records_an_exit(
        page: Page, web_engine: Engine, axe_source: str) -> None:
    referral, person = _incoming_referral(web_engine)
    sign_in(page, DEMO_USERS["coordinator"], "/roster")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Deltagare")
    expect(page.locator("#roster-capacity")).to_contain_text("platser lediga")
    assert serious_violations(page, axe_source) == []
    row = page.locator(f"#incoming-referrals tr[data-referral='{referral}']")
    row.get_by_role("button", name="Acceptera").click()
    expect(page.get_by_text("Remissen är accepterad: personen har en plats.")).to_be_visible()
    expect(page.locator(f"#current-participants tr[data-person='{person}']")).to_be_visible()

    page.goto(f"/referrals/{referral}")
    page.locator("#action-started").click()
    expect(page.locator("#referral-state")).to_have_text("påbörjad")

    page.goto(f"/roster/{person}")
    form = page.locator("#assessment-form")
    form.get_by_label("självförtroende").fill("11")
    form.get_by_role("button", name="Spara självskattningen").click()
    alert = page.locator("#assessment-errors")
    expect(alert).to_contain_text("'11' är ingen skattning. Ange ett heltal från 1")
    expect(page.locator("#rating-confidence")).to_have_attribute("aria-invalid", "true")
    assert serious_violations(page, axe_source) == []
    page.locator("#rating-confidence").fill("4")
    page.locator("#rating-health").fill("6")
    page.get_by_role("button", name="Spara självskattningen").click()
    expect(page.get_by_text("Självskattningen är sparad.")).to_be_visible()
    expect(page.locator("#progress-table")).to_contain_text("6")

    section = page.locator("section.enrolment").first
    section.get_by_label("Vart personen gick").select_option("work")
    section.get_by_role("button", name="Registrera avslutet").click()
    expect(page.get_by_text("Avslutet är sparat.")).to_be_visible()
    expect(page.locator("section.enrolment").first).to_contain_text("Slutade")
    assert serious_violations(page, axe_source) == []
    journey = services.follow_up.person_journey(web_engine, _coordinator(web_engine), person)
    assert any(x.on == date.today() for x in journey.exits)


def test_the_funder_report_downloads_and_opens(page: Page, axe_source: str) -> None:
    sign_in(page, DEMO_USERS["analyst"], "/esf")
    page.get_by_label("Period i hela månader (ÅÅÅÅ-MM-01:ÅÅÅÅ-MM-DD)").fill(
        "2026-01-01:2026-06-30")
    page.get_by_role("button", name="Visa").click()
    expect(page.locator("#esf-scope")).to_contain_text("Hela regionen")
    assert serious_violations(page, axe_source) == []
    with page.expect_download() as info:
        page.locator("#esf-download").click()
    download = info.value
    assert download.suggested_filename == "esf-indikatorer-regionen-2026-01-01-2026-06-30.xlsx"
    with open(download.path(), "rb") as handle:
        book = load_workbook(handle)
    assert book.sheetnames[-1] == "Källor och definitioner"
    assert "Status vid start" in book.sheetnames
