"""Browser tests in real headless Chromium: Debian's ``chromium`` driven by Playwright.

They skip, saying why, only when ``/usr/bin/chromium`` is absent (CI's ``.ci/run`` installs it
and sets ``KEDJA_REQUIRE_CHROMIUM=1``, which turns the skip into a failure). Playwright's own
browser download is never used. A failing test leaves a full-page screenshot in
``test-results/``. axe-core comes from ``node_modules`` (``make assets``).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import Engine

from kedja.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-results"

pytestmark = pytest.mark.e2e


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("KEDJA_REQUIRE_CHROMIUM") == "1":
        raise pytest.UsageError(f"{CHROMIUM} is missing but KEDJA_REQUIRE_CHROMIUM=1: "
                                "install it with 'apt-get install -y chromium'")
    skip = pytest.mark.skip(reason=f"needs Debian's chromium at {CHROMIUM} "
                                   "(apt-get install -y chromium; .ci/run does it)")
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM),
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"]}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(web_engine: Engine) -> Iterator[str]:
    """The app served by uvicorn in a thread, over the writable demo database."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(web_engine), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start within 15 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    return live_server


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run 'make assets' (npm ci) first")
    return AXE.read_text(encoding="utf-8")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(autouse=True)
def screenshot_on_failure(request: pytest.FixtureRequest, page: Any) -> Iterator[None]:
    """After a failed test, a full-page screenshot in test-results/ (the page is still open)."""
    yield
    report = getattr(request.node, "report_call", None)
    if report is None or not report.failed:
        return
    SCREENSHOTS.mkdir(exist_ok=True)
    name = request.node.nodeid.replace("/", "_").replace("::", "-").replace("[", "-").strip("]")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
