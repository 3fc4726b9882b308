"""The forecast's pages in headless Chromium: the collaboration map and the forecast charts
render, and axe-core finds no serious violation."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_browser import serious_violations, session_tokens, use_session

__all__ = ["session_tokens"]  # the module-scoped fixture, shared with the other browser tests

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def test_collaboration_page_draws_the_region_map(page: Page, live_server: str, axe_source: str,
                                                 session_tokens: dict[str, str]) -> None:
    use_session(page, live_server, session_tokens["analyst"])
    page.goto("/forecast/collaboration")
    expect(page.get_by_role("heading", level=1)).to_have_text("Där samverkan behövs mest")
    chart = page.locator("#map-chart[data-rendered='true'] svg")
    expect(chart).to_be_visible(timeout=20_000)
    expect(chart.locator("path[aria-roledescription='geoshape']")).to_have_count(29)
    expect(page.locator("#collaboration-table tbody tr")).to_have_count(20)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "forecast-collaboration.png"), full_page=False)
    assert serious_violations(page, axe_source) == []


@pytest.mark.parametrize("path", ["/forecast/2584", "/forecast/report"])
def test_forecast_charts_render_without_serious_violations(
        page: Page, live_server: str, axe_source: str, session_tokens: dict[str, str],
        path: str) -> None:
    use_session(page, live_server, session_tokens["analyst"])
    page.goto(path)
    if path != "/forecast/report":
        for chart in ("decomposition-chart", "pyramid-chart"):
            expect(page.locator(f"#{chart}[data-rendered='true'] svg")).to_be_visible(
                timeout=20_000)
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "forecast-kiruna.png"), full_page=False)
    assert serious_violations(page, axe_source) == []


def test_forecast_opens_on_the_analysts_municipality(page: Page, live_server: str,
                                                     session_tokens: dict[str, str]) -> None:
    use_session(page, live_server, session_tokens["analyst"])
    page.goto("/forecast")
    assert page.url.endswith("/forecast/2580")  # the demo analyst works for Luleå
