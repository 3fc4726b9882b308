"""Front-end assets: served offline from the app, and the app still starts without them."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from kedja.web import assets, create_app

ROOT = Path(__file__).resolve().parents[2]


def test_missing_assets_leave_a_working_app_with_a_notice(
        web_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(assets, "vendor_dir", lambda: tmp_path / "vendor")
    with caplog.at_level(logging.WARNING, logger="kedja.web"):
        client = TestClient(create_app(web_engine))
    assert "make assets" in caplog.text
    html = client.get("/").text
    assert "make assets" in html and "vendor/vega" not in html and "vendor/htmx" not in html
    assert html.count('<tr data-code="') == 29  # the figures are still there, as a table


def test_copied_assets_are_served_and_referenced(web_engine: Engine, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    node_modules = ROOT / "node_modules"
    if not (node_modules / "htmx.org").is_dir():
        pytest.fail("node_modules is missing: run 'make assets' (npm ci) first")
    assert set(assets.copy_vendor_files(node_modules)) == set(assets.VENDOR_FILES)
    client = TestClient(create_app(web_engine))
    html = client.get("/").text
    assert "make assets" not in html
    docs = client.get("/docs").text  # Swagger UI's files are referenced by /docs only
    for name in assets.VENDOR_FILES:
        assert f"/static/vendor/{name}" in (docs if name.startswith("swagger") else html)
        response = client.get(f"/static/vendor/{name}")
        assert response.status_code == 200 and len(response.content) > 10_000


def test_the_lock_file_pins_every_asset_package() -> None:
    import json

    lock = json.loads((ROOT / "package-lock.json").read_text())
    wanted = json.loads((ROOT / "package.json").read_text())["dependencies"]
    assert {f"node_modules/{name}" for name in wanted} <= set(lock["packages"])
