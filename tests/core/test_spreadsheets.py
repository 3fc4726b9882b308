"""CSV/Excel formula injection: every writer escapes text a spreadsheet would run."""

from __future__ import annotations

import csv
import io

from sqlalchemy import Engine

from kedja.core.spreadsheets import safe_cell
from kedja.web.app import create_app
from tests.conftest import DEMO_USERS, signed_in_client


def test_formula_starts_are_escaped_and_numbers_kept() -> None:
    for text in ("=1+1", "+cmd", "-2+3", "@SUM(1+1)*cmd", "\t=x", "\r=x"):
        assert safe_cell(text) == "'" + text
    for kept in ("-0.25", "+3", "1e-5", "P040017", "", 7, None):
        assert safe_cell(kept) == kept


def test_the_audit_csv_escapes_a_logged_formula(web_engine: Engine) -> None:
    # the review's reproduction: a read of /api/v1/people/=1+1 is logged as given
    app = create_app(web_engine)
    officer = signed_in_client(app, DEMO_USERS["officer"])
    officer.get("/api/v1/people/=1+1")  # type: ignore[attr-defined]
    officer.get("/api/v1/people/@SUM(1+1)*cmd")  # type: ignore[attr-defined]
    admin = signed_in_client(app, DEMO_USERS["admin"])
    text = admin.get("/admin/audit.csv").text  # type: ignore[attr-defined]
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert "'=1+1" in cells and "'@SUM(1+1)*cmd" in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
