"""A referral through every state in Chromium, and the receiver blind to the person until consent."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, select

from kedja.store import tables as t
from tests.e2e.test_browser import serious_violations, session_tokens, use_session

__all__ = ["session_tokens"]  # the module fixture, shared with test_browser


def _receiver_and_person(engine: Engine) -> tuple[str, str]:
    """The demo coordinator's ASF, and a person AF25 sees that the ASF does not."""
    with engine.connect() as connection:
        asf = str(connection.scalar(select(t.UserRow.organisation_id).where(
            t.UserRow.username == "coordinator@kedja.demo")))
        known = set(connection.scalars(select(t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id == asf)))
        known |= set(connection.scalars(select(t.ReferralRow.person_id).where(
            t.ReferralRow.to_organisation_id == asf)))
        candidates = connection.scalars(select(t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id == "AF25").order_by(t.ConsentRow.person_id.desc()))
        return asf, next(p for p in candidates if p not in known)


def _as(page: Page, live_server: str, token: str) -> None:
    page.context.clear_cookies()
    use_session(page, live_server, token)


def _refer(page: Page, person: str, receiver: str, purpose: str) -> str:
    page.goto(f"/referrals/new?person_id={person}")
    page.locator(f"input[name='to_organisation_id'][value='{receiver}']").check()
    page.get_by_label("Ändamål").fill(purpose)
    page.get_by_role("button", name="Remittera").click()
    expect(page.locator("#referral-state")).to_have_text("föreslagen")
    return page.url.rsplit("/", 1)[-1]


def test_a_referral_walks_every_state_and_the_receiver_waits_for_consent(
        page: Page, web_engine: Engine, live_server: str,
        session_tokens: dict[str, str]) -> None:
    receiver, person = _receiver_and_person(web_engine)
    officer, coordinator = session_tokens["officer"], session_tokens["coordinator"]

    _as(page, live_server, officer)
    referral = _refer(page, person, receiver, "ASF-praktik")
    expect(page.locator("#referral-person")).to_have_text(person)
    expect(page.locator("#referral-consent")).to_have_text("inte registrerat")

    # the receiver sees that a referral came, not who it is about
    _as(page, live_server, coordinator)
    page.goto("/referrals")
    row = page.locator(f"tr[data-referral='{referral}'][data-direction='in']")
    expect(row).to_contain_text("dold tills samtycke finns")
    expect(row).to_contain_text("föreslagen")
    page.goto(f"/referrals/{referral}")
    expect(page.locator("#referral-person")).to_have_text("dold tills samtycke finns")
    expect(page.locator("#action-accepted")).to_have_count(0)
    assert person not in page.content()
    response = page.goto(f"/people/{person}")
    assert response is not None and response.status == 403
    assert person not in page.locator("main").inner_text().replace(f"/people/{person}", "")

    # the sender records the person's consent to the referral
    _as(page, live_server, officer)
    page.goto(f"/referrals/{referral}")
    page.locator("#action-consent").click()
    expect(page.locator("#referral-consent")).not_to_have_text("inte registrerat")

    # now the receiver sees the person and moves the referral through its states
    _as(page, live_server, coordinator)
    page.goto(f"/referrals/{referral}")
    expect(page.locator("#referral-person")).to_have_text(person)
    for action, state in (("accepted", "accepterad"), ("started", "påbörjad"),
                          ("completed", "genomförd")):
        page.locator(f"#action-{action}").click()
        expect(page.locator("#referral-state")).to_have_text(state)
    expect(page.locator("#referral-events li")).to_have_count(5)
    response = page.goto(f"/people/{person}")
    assert response is not None and response.status == 403  # closed: the access ends

    # the sender sees where the person is, in the outbox and in the journey
    _as(page, live_server, officer)
    page.goto("/referrals")
    expect(page.locator(f"tr[data-referral='{referral}'][data-direction='out']")).to_contain_text(
        "genomförd")
    page.goto(f"/people/{person}/journey")
    expect(page.get_by_role("link", name=referral)).to_be_visible()

    # the other way out: ended, with a reason
    second = _refer(page, person, receiver, "Arbetsträning")
    page.get_by_label("Skäl").fill("personen fick ett arbete")
    page.locator("#action-ended").click()
    expect(page.locator("#referral-state")).to_have_text("avslutad")
    expect(page.locator("#referral-events li").last).to_contain_text("personen fick ett arbete")
    assert second != referral


PAGES = [("anonymous", "/directory"), ("anonymous", "/hub"), ("officer", "/referrals"),
         ("analyst", "/indicators"), ("officer", "/referrals/new")]


@pytest.mark.parametrize(("who", "path"), PAGES)
def test_hub_pages_have_no_serious_accessibility_violations(
        page: Page, live_server: str, axe_source: str, session_tokens: dict[str, str],
        who: str, path: str) -> None:
    if who != "anonymous":
        use_session(page, live_server, session_tokens[who])
    page.goto(path)
    assert serious_violations(page, axe_source) == []
