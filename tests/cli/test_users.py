"""``kedja users add/list/disable``, run as a user runs them: in a subprocess."""

from __future__ import annotations

from pathlib import Path

from kedja import services
from kedja.store import session_scope
from kedja.store import tables as t
from tests.cli.test_cli import run


def make_database(path: Path) -> str:
    engine = services.prepare_database(path)
    with session_scope(engine) as session:
        session.add(t.CountyRow(code="25", name="Norrbotten"))
        session.add(t.MunicipalityRow(code="2580", name="Luleå", county_code="25",
                                      seat_lat=65.6, seat_lon=22.1))
        session.add(t.OrganisationRow(id="AF25", name="AF", kind="employment_service",
                                      municipality_code="2580"))
    engine.dispose()
    return str(path)


def test_add_list_disable(tmp_path: Path) -> None:
    db = make_database(tmp_path / "k.db")
    added = run("users", "add", "Ann@AF.se", "-o", "AF25", "-r", "officer", "-r", "analyst",
                "--name", "Ann Berg", "--password", "a long passphrase", "--db", db)
    assert added.returncode == 0, added.stderr
    assert "Added ann@af.se (analyst, officer) at AF25" in " ".join(added.stderr.split())
    listed = run("users", "list", "--db", db)
    assert "ann@af.se" in listed.stdout and "Ann Berg" in listed.stdout
    assert "argon2" not in listed.stdout
    disabled = run("users", "disable", "ann@af.se", "--db", db)
    assert disabled.returncode == 0 and "sessions have ended" in disabled.stderr
    assert "no" in run("users", "list", "--db", db).stdout.split("ann@af.se")[1]


def test_a_role_the_organisation_cannot_give_is_one_paragraph(tmp_path: Path) -> None:
    db = make_database(tmp_path / "k.db")
    result = run("users", "add", "x@af.se", "-o", "AF25", "-r", "employer_hr",
                 "--password", "a long passphrase", "--db", db)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    text = " ".join(result.stderr.split())
    assert "cannot give the role employer_hr" in text and "officer" in text


def test_demo_prints_the_accounts_and_password(tmp_path: Path) -> None:
    result = run("demo", "--no-serve", "--db", str(tmp_path / "d.db"), "--job-seekers", "60",
                 "--employed", "60")
    text = " ".join(result.stderr.split())
    assert result.returncode == 0 and "kedja-demo-2026" in text
    for account in ("admin@kedja.demo", "officer.norrbotten@kedja.demo", "hr@kedja.demo",
                    "coordinator@kedja.demo", "analyst@kedja.demo"):
        assert account in text
