"""The employer's planner in Chromium: HR sees named staff with steps, saves a plan and shares it."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_browser import session_tokens, use_session

__all__ = ["session_tokens"]  # the module fixture, shared with test_browser


def test_hr_opens_the_planner_sees_named_staff_with_steps_and_saves_a_plan(
        page: Page, live_server: str, session_tokens: dict[str, str]) -> None:
    use_session(page, live_server, session_tokens["employer_hr"])
    page.goto("/chains/employer?lang=sv")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Planera för min personal")
    steps = page.locator("input[name='step']")
    expect(steps.first).to_be_visible()
    named = page.locator("table.data tbody th[scope='row']").first
    expect(named).to_contain_text("P")  # the pseudonym until people carry names
    expect(page.locator("table.data").first).to_contain_text("kr")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "chains-planner.png"), full_page=True)
    if not steps.first.is_checked():
        steps.first.check()
    page.get_by_label("Planens namn").fill("Kompetensplan 2027")
    page.get_by_role("button", name="Spara planen").click()
    expect(page).to_have_url(f"{live_server}/chains/plans#" + page.url.rsplit("#", 1)[-1])
    plan = page.locator("section.plan", has_text="Kompetensplan 2027").first
    expect(plan).to_be_visible()
    plan.get_by_role("button", name="Dela med Arbetsförmedlingen").click()
    expect(page.locator("section.plan", has_text="Kompetensplan 2027").first).to_contain_text(
        "Delad med Arbetsförmedlingen")
    page.screenshot(path=str(SCREENSHOTS / "chains-plans.png"), full_page=True)
