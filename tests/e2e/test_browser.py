"""The web app in headless Chromium: sign in, the region page and its chart, language, refusal,
htmx paging, keyboard use, and axe-core on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, select

from kedja import services
from kedja.store import tables as t
from kedja.web.security import SESSION_COOKIE
from tests.conftest import DEMO_PASSWORD, DEMO_USERS

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def sign_in(page: Page, username: str, next_path: str = "/") -> None:
    page.goto(f"/login?next={next_path}")
    page.get_by_label("Användarnamn (e-post)").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state("networkidle")


@pytest.fixture(scope="module")
def session_tokens(web_engine: Engine) -> dict[str, str]:
    """One live session per role, made once (signing in through the form is tested above)."""
    tokens = {}
    for role, username in DEMO_USERS.items():
        token = services.sign_in(web_engine, username, DEMO_PASSWORD).token
        assert token is not None
        tokens[role] = token
    return tokens


def use_session(page: Page, live_server: str, token: str) -> None:
    page.context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": live_server}])


def serious_violations(page: Page, axe_source: str) -> list[str]:
    page.evaluate(axe_source)  # through DevTools: the app's CSP rightly blocks inline scripts
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           AXE_TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            f"{[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def person_of(engine: Engine, organisation: str) -> str:
    with engine.connect() as connection:
        return str(connection.scalar(select(t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id == organisation).order_by(t.ConsentRow.person_id)))


def test_sign_in_and_see_the_region_page_with_its_chart(page: Page) -> None:
    sign_in(page, DEMO_USERS["analyst"])
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kommunerna i Övre Norrland")
    expect(page.get_by_text("Analytiker Luleå kommun")).to_be_visible()
    expect(page.locator("table.data tbody tr")).to_have_count(29)
    chart = page.locator("#population-chart[data-rendered='true'] svg")
    expect(chart).to_be_visible(timeout=15_000)
    expect(chart.locator(".mark-rect path")).to_have_count(29)
    # analysts see aggregates only: no link to people's records
    expect(page.get_by_role("link", name="Personer")).to_have_count(0)


def test_switch_language_and_back(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Municipalities of Upper Norrland")
    page.goto("/login")  # the choice is remembered on other pages
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_role("link", name="Svenska").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")


def test_another_organisations_person_is_refused(page: Page, web_engine: Engine) -> None:
    own, other = person_of(web_engine, "AF25"), person_of(web_engine, "AF24")
    sign_in(page, DEMO_USERS["officer"], f"/people/{own}")
    expect(page.locator("#person-name")).to_be_visible()  # the case, under the person's name
    expect(page.locator("dl.facts")).to_contain_text(own)
    response = page.goto(f"/people/{other}")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Inte tillåtet")
    expect(page.get_by_role("alert")).to_contain_text("samtycke")


def test_people_pages_with_htmx(page: Page, live_server: str,
                                session_tokens: dict[str, str]) -> None:
    use_session(page, live_server, session_tokens["officer"])
    page.goto("/people")
    first = page.locator("#people tbody th").first.inner_text()
    page.get_by_role("link", name="Nästa sida").click()
    expect(page).to_have_url(re.compile(r"/people\?.*page=2$"))
    expect(page.locator("#people tbody th").first).not_to_have_text(first)
    assert page.evaluate("typeof htmx") == "object"  # the swap came from htmx, not a reload


def test_keyboard_reaches_the_skip_link_first(page: Page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Hoppa till innehållet")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_sign_out(page: Page) -> None:
    sign_in(page, DEMO_USERS["coordinator"])
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("link", name="Logga in")).to_be_visible()
    response = page.goto("/people")
    assert response is not None and page.url.endswith("/login?next=%2Fpeople")


PAGES = [
    ("anonymous", "/"), ("anonymous", "/login"), ("anonymous", "/no-such-page"),
    ("officer", "/people"), ("officer", "/people/{own}"),
    ("officer", "/people/{other}"), ("officer", "/?lang=en"),
    ("employer_hr", "/people"), ("admin", "/admin/audit"),
    ("admin", "/admin/audit?subject_id={own}"), ("admin", "/admin/audit/people/{own}"),
    ("officer", "/audit/organisation"), ("admin", "/admin/users"),
]


@pytest.mark.parametrize(("who", "path"), PAGES)
def test_no_serious_accessibility_violations(page: Page, web_engine: Engine, axe_source: str,
                                             live_server: str, session_tokens: dict[str, str],
                                             who: str, path: str) -> None:
    if who != "anonymous":
        use_session(page, live_server, session_tokens[who])
    page.goto(path.format(own=person_of(web_engine, "AF25"), other=person_of(web_engine, "AF24")))
    if path.startswith("/?") or path == "/":
        expect(page.locator("#population-chart[data-rendered='true'] svg")).to_be_visible(
            timeout=15_000)
    assert serious_violations(page, axe_source) == []
