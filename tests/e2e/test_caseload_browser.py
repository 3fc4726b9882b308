"""The officer's task in Chromium: sign in, find a participant by name on the caseload, open
the case and the pathways, and refer to an ASF with a free place through the picker."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, select

from kedja.core.access import Purpose
from kedja.services.identity import person_names
from kedja.store import tables as t
from tests.conftest import DEMO_PASSWORD, DEMO_USERS
from tests.e2e.test_browser import serious_violations, session_tokens, use_session

__all__ = ["session_tokens"]  # the module fixture, shared with test_browser


def _participant(engine: Engine) -> tuple[str, str]:
    """A job seeker AF25 holds the case of, with no referral yet, and their name."""
    from kedja.core.access import Principal, Role
    from kedja.core.organisations import OrganisationKind

    with engine.connect() as connection:
        referred = set(connection.scalars(select(t.ReferralRow.person_id)))
        ids = [p for p in connection.scalars(select(t.ConsentRow.person_id).join(
            t.PersonRow, t.PersonRow.id == t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id == "AF25", t.ConsentRow.purposes.is_(None),
            t.PersonRow.status == "unemployed").order_by(t.ConsentRow.person_id))
            if p not in referred]
    officer = Principal("e2e", DEMO_USERS["officer"], "AF25", OrganisationKind.EMPLOYMENT_SERVICE,
                        frozenset({Role.OFFICER}))
    names = person_names(engine, officer, ids[:50], purpose=Purpose.CASE_MANAGEMENT)
    # a name that only one person on the caseload has, so the search finds exactly them
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name] = counts.get(name, 0) + 1
    pid = next(p for p in ids[:50] if p in names and counts[names[p]] == 1)
    return pid, names[pid]


def test_the_officer_finds_a_participant_and_refers_them_to_an_asf(
        page: Page, web_engine: Engine, axe_source: str) -> None:
    pid, name = _participant(web_engine)
    page.goto("/login")
    page.locator("#username").fill(DEMO_USERS["officer"])
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("form[action='/login'] button[type='submit']").click()
    page.get_by_role("link", name="Personer").click()
    expect(page.get_by_role("heading", name="Ärenden")).to_be_visible()
    assert serious_violations(page, axe_source) == []

    page.get_by_label("Namn, personnummer eller id").fill(name)
    page.get_by_role("button", name="Sök").click()
    row = page.locator(f"tr[data-person='{pid}']")
    expect(row).to_be_visible()
    expect(row).to_contain_text("arbetslös")
    row.get_by_role("link", name=name).click()

    expect(page.locator("#person-name")).to_have_text(name)
    for heading in ("Profil", "Samtycken", "Remisser", "Anteckningar"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    assert serious_violations(page, axe_source) == []

    page.get_by_role("link", name="Nästa steg för personen").click()
    expect(page.locator("ol.pathways > li").first).to_be_visible()
    assert "minuter" not in " ".join(
        t for t in page.locator("ol.pathways .travel").all_inner_texts() if "distans" in t)
    assert serious_violations(page, axe_source) == []
    page.go_back()

    # the picker: ASFs nearest first; choose the nearest with a free place
    free = page.locator("#targets tr[data-organisation]").filter(
        has=page.locator("input")).evaluate_all(
        "rows => rows.filter(r => Number(r.dataset.free) > 0).map(r => r.dataset.organisation)")
    assert free, "an ASF with a free place"
    page.locator(f"#to-{free[0]}").check()
    page.locator("#purpose").fill("Arbetsträning")
    page.locator("#consent").check()
    page.get_by_role("button", name="Remittera", exact=True).click()
    expect(page.locator("#referral-state")).to_have_text("föreslagen")
    referral = page.url.rsplit("/", 1)[-1]
    with web_engine.connect() as connection:
        sent = connection.execute(select(t.ReferralRow.person_id, t.ReferralRow.to_organisation_id)
                                  .where(t.ReferralRow.id == referral)).one()
    assert tuple(sent) == (pid, free[0])

    page.goto("/referrals?direction=out")
    expect(page.locator(f"tr[data-referral='{referral}']")).to_contain_text(name)
    assert serious_violations(page, axe_source) == []


@pytest.mark.parametrize("path", ["/people?status=unemployed&sort=municipality",
                                  "/people?scope=mine", "/referrals?state=proposed"])
def test_caseload_pages_have_no_serious_accessibility_violations(
        page: Page, live_server: str, axe_source: str, session_tokens: dict[str, str],
        path: str) -> None:
    use_session(page, live_server, session_tokens["officer"])
    page.goto(path)
    assert serious_violations(page, axe_source) == []


def test_the_caseload_pages_with_htmx(page: Page, live_server: str,
                                      session_tokens: dict[str, str]) -> None:
    use_session(page, live_server, session_tokens["officer"])
    page.goto("/people")
    first = page.locator("tr[data-person]").first.get_attribute("data-person")
    page.get_by_role("link", name="Nästa sida").first.click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator("tr[data-person]").first).not_to_have_attribute("data-person", first or "")
    page.get_by_label("Status").select_option("outside_labour_force")
    expect(page).to_have_url(re.compile(r"status=outside_labour_force"))
    expect(page.locator("tr[data-person]").first).to_contain_text("utanför arbetskraften")
