"""In Chromium: an allocation runs as a job with progress, a referral is made from its result list;
the employer accepts a referred candidate. axe finds nothing serious on the pages."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, select

from kedja import services
from kedja.services import referrals
from kedja.store import session_scope
from kedja.store import tables as t
from tests.conftest import DEMO_PASSWORD, DEMO_USERS
from tests.e2e.test_browser import serious_violations, session_tokens, use_session

__all__ = ["session_tokens"]  # the module fixture, shared with test_browser


def _as(page: Page, live_server: str, token: str) -> None:
    page.context.clear_cookies()
    use_session(page, live_server, token)


def test_an_allocation_runs_with_progress_and_a_row_is_referred(
        page: Page, live_server: str, session_tokens: dict[str, str], axe_source: str,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _as(page, live_server, session_tokens["officer"])
    page.goto("/allocations")
    page.get_by_label("Körningens namn").fill("webbläsartest")
    marker = tmp_path / "paused"
    monkeypatch.setenv("KEDJA_FAULT_PAUSE", "allocation.allocating")  # hold the job mid-way
    monkeypatch.setenv("KEDJA_FAULT_MARKER", str(marker))
    page.get_by_role("button", name="Kör fördelningen").click()
    expect(page).to_have_url(re.compile(r"/allocations/jobs/JOB-"))
    bar = page.locator("#allocation-bar")
    expect(bar).to_be_visible()
    expect(page.locator("#allocation-step")).to_have_text("fördelar platser", timeout=60_000)
    assert 0 < int(bar.get_attribute("value") or 0) < 100
    assert serious_violations(page, axe_source) == []
    monkeypatch.delenv("KEDJA_FAULT_PAUSE")  # let the job finish; htmx opens the result
    expect(page).to_have_url(re.compile(r"/allocations/ALLOC-[0-9a-f]{12}$"), timeout=120_000)
    rows = page.locator("#allocation-people tbody tr")
    expect(rows.first).to_be_visible()
    row = rows.first
    person = row.get_attribute("data-person")
    row.get_by_role("button", name="Remittera").click()
    referred = page.locator(f"#row-{person}")
    expect(referred.locator("a.referred")).to_have_text("Remitterad")
    expect(page.get_by_text(re.compile(r"Remiss R-\S+ skapad"))).to_be_visible()
    page.get_by_role("link", name="Per plats").click()
    expect(page.locator("#allocation-places")).to_be_visible()
    assert serious_violations(page, axe_source) == []


def _referral_to_the_employer(engine: Engine) -> str:
    """A person the Norrbotten office sees, referred with consent to one of the employer's jobs."""
    officer = services.sign_in(engine, DEMO_USERS["officer"], DEMO_PASSWORD).principal
    with session_scope(engine) as session:
        employer = str(session.scalar(select(t.UserRow.organisation_id).where(
            t.UserRow.username == DEMO_USERS["employer_hr"])))
        job = session.scalar(select(t.OpportunityRow).where(
            t.OpportunityRow.organisation_id == employer, t.OpportunityRow.kind == "job"))
        if job is None:  # a small region's employer may have no vacancy: give it one
            job = session.scalars(select(t.OpportunityRow).where(t.OpportunityRow.kind == "job")
                                  .order_by(t.OpportunityRow.id.desc())).first()
            assert job is not None
            job.organisation_id = employer
        taken = set(session.scalars(select(t.ReferralRow.person_id)))
        person = next(p for p in session.scalars(select(t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id == "AF25").order_by(t.ConsentRow.person_id))
            if p not in taken)
        session.add(t.ConsentRow(person_id=person, organisation_id=employer, given=date(2026, 11, 1)))
        job_id = job.id
    return referrals.create_referral(engine, officer, person_id=person, opportunity_id=job_id,
                                     purpose="Rekrytering", consent=True).id


def test_the_employer_accepts_a_referred_candidate(page: Page, web_engine: Engine, live_server: str,
                                                   session_tokens: dict[str, str],
                                                   axe_source: str) -> None:
    referral = _referral_to_the_employer(web_engine)
    _as(page, live_server, session_tokens["employer_hr"])
    page.goto("/")
    page.get_by_role("link", name="Mina lediga jobb").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina lediga jobb och kandidater")
    row = page.locator(f"tr[data-referral='{referral}']")
    expect(row.locator(".state")).to_have_text("föreslagen")
    expect(row.locator("th a")).to_be_visible()  # the candidate, named: the person consented
    assert serious_violations(page, axe_source) == []
    row.get_by_role("button", name=re.compile("^Acceptera")).click()
    expect(page.get_by_text(f"Ditt beslut om remiss {referral} är registrerat.")).to_be_visible()
    expect(page.locator(f"tr[data-referral='{referral}'] .state")).to_have_text("accepterad")
    with web_engine.connect() as connection:
        assert connection.scalar(select(t.ReferralRow.state).where(t.ReferralRow.id == referral)) \
            == "accepted"
