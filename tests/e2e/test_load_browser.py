"""An ASF coordinator loads a participant file in Chromium: report, fix, load, find by name."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from kedja.loading import Kind
from kedja.services.loading import kind_example
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_browser import session_tokens, use_session

__all__ = ["session_tokens"]  # the module fixture, shared with test_browser


def _files(folder: Path) -> tuple[Path, Path]:
    lines = kind_example(Kind.PEOPLE).splitlines()
    header, first, second = lines[0], lines[1], lines[2]
    first = first.replace("A-1001", "ASF-E2E-1").replace("Anna Lindqvist", "Tilda Svanbergsson")
    second = second.replace("A-1002", "ASF-E2E-2").replace("Yusuf Ahmed", "Mira Kuoljok")
    bad = folder / "deltagare.csv"
    bad.write_text("\n".join([header, first.replace(";2580;", ";2599;"),
                              second.replace("19850923-9813", "19850923-9814")]) + "\n", encoding="utf-8")
    good = folder / "deltagare-rattad.csv"
    good.write_text("\n".join([header, first, second]) + "\n", encoding="utf-8")
    return bad, good


def test_a_coordinator_uploads_fixes_loads_and_finds_a_participant(
        page: Page, live_server: str, session_tokens: dict[str, str], tmp_path: Path) -> None:
    bad, good = _files(tmp_path)
    use_session(page, live_server, session_tokens["coordinator"])
    page.goto("/load?kind=people")
    expect(page.get_by_role("heading", name="Läs in egna uppgifter")).to_be_visible()
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(str(bad))
    page.get_by_role("button", name="Kontrollera filen").click()
    expect(page.get_by_role("alert")).to_contain_text("Ingenting sparades")
    problems = page.locator("#problems tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.nth(0)).to_contain_text("2599")
    expect(problems.nth(1)).to_contain_text("19850923-9814")
    expect(page.get_by_text("De första raderna så som Kedja läser dem")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "load-report.png"), full_page=True)

    page.get_by_role("link", name="Ladda upp en rättad fil").click()
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(str(good))
    page.get_by_role("button", name="Kontrollera filen").click()
    expect(page.get_by_role("status")).to_contain_text("Filen är korrekt")
    page.get_by_role("button", name="Läs in filen").click()
    expect(page.get_by_role("status")).to_contain_text("Inläst: 2 nya")

    page.get_by_role("link", name="Sök en person").first.click()
    page.get_by_label("Namn eller personnummer").fill("svanbergsson")
    page.get_by_role("button", name="Sök").click()
    row = page.locator("table.data tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Tilda Svanbergsson")
    expect(row).to_contain_text("19900412-2389")
    expect(row).to_contain_text("Luleå")
    page.screenshot(path=str(SCREENSHOTS / "people-search.png"), full_page=True)
    row.get_by_role("link").click()
    expect(page.locator("#person-name")).to_have_text("Tilda Svanbergsson")
