"""The occupation explorer in headless Chromium: search with a typo, the profile in Swedish,
transitions with skills to learn, and axe-core on both pages."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from kedja.services.learned_transitions import learned_transitions
from tests.e2e.test_browser import serious_violations

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


def test_search_profile_and_transitions(page: Page, axe_source: str) -> None:
    learned_transitions()  # as 'kedja serve' warms it: the first build is not what is tested
    page.set_default_timeout(60_000)
    page.goto("/occupations?lang=sv")
    page.get_by_label("Yrke").fill("underskoterska")
    page.get_by_role("button", name="Sök").click()
    first = page.locator("ul.hits li a").first
    expect(first).to_contain_text("Undersköterskor, hemtjänst")
    assert serious_violations(page, axe_source) == []
    first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Undersköterskor")
    expect(page.get_by_text("Yrket i siffror")).to_be_visible()
    moves = page.locator("#occ-moves").locator("xpath=..").locator("tbody tr")
    expect(moves.first).to_be_visible()
    assert moves.count() >= 5
    expect(page.get_by_role("link", name="Vårdbiträden")).to_be_visible()
    assert "att lära" in page.locator("tbody").last.inner_text()
    body = page.locator("main").inner_text()
    for english in ("Skills to learn", "Where people move on to", "viable"):
        assert english not in body
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "occupation-5321.png"), full_page=True)
    assert serious_violations(page, axe_source) == []
