"""``kedja backup``, ``restore``, ``maintenance`` and ``privacy`` at the command line."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from kedja import services
from kedja.store import session_scope
from kedja.store import tables as t
from tests.cli.test_cli import run
from tests.store.snapshots import database_snapshot


def test_backup_restore_maintenance_and_privacy_commands(tmp_path: Path) -> None:
    source = tmp_path / "source.db"
    engine = services.prepare_database(source)
    services.build_demo_database(engine, seed=42, job_seekers=150, employed=300)
    with session_scope(engine) as session:
        person = session.scalars(select(t.PersonRow.id).order_by(t.PersonRow.id)).first()
    assert person
    backup = run("backup", "--db", str(source), "--out", str(tmp_path / "k.zip"))
    assert backup.returncode == 0 and "Backed up" in backup.stdout, backup.stdout + backup.stderr
    restored = run("restore", "--db", str(tmp_path / "copy.db"), "--from", str(tmp_path / "k.zip"))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert database_snapshot(services.prepare_database(tmp_path / "copy.db")) == \
        database_snapshot(engine)
    again = run("restore", "--db", str(tmp_path / "copy.db"), "--from", str(tmp_path / "k.zip"))
    assert again.returncode == 1 and "--replace" in again.stderr
    request = ("--requester", "the person", "--reason", "art. 15 letter",
               "--identity-check", "ID card at the office", "--received", "2026-11-02")
    exported = run("privacy", "export", person, "--db", str(source), "--out",
                   str(tmp_path / "p.json"), *request)
    assert exported.returncode == 0, exported.stderr
    assert json.loads((tmp_path / "p.json").read_text())["person_id"] == person
    erased = run("privacy", "erase", person, "--reason", "art. 17 request", "--db", str(source))
    assert erased.returncode == 0 and "Erased" in erased.stdout, erased.stderr
    gone = run("privacy", "export", person, "--db", str(source), "--out", str(tmp_path / "q.json"),
               *request)
    assert gone.returncode == 1 and person in gone.stderr
    maintenance = run("maintenance", "--db", str(source), "--audit-years", "5")
    assert maintenance.returncode == 0 and "Deleted" in maintenance.stdout
    refused = run("maintenance", "--db", str(source), "--audit-years", "0")
    assert refused.returncode == 1 and "positive" in refused.stderr


def test_maintenance_refuses_an_endless_retention_period(tmp_path: Path) -> None:
    # the review: --audit-years inf crashed with a traceback (a date overflow)
    services.prepare_database(tmp_path / "k.db")
    for value in ("inf", "nan", "1e9", "0"):
        result = run("maintenance", "--db", str(tmp_path / "k.db"), "--audit-years", value)
        assert result.returncode == 1, (value, result.stdout, result.stderr)
        said = " ".join(result.stderr.split()).replace("- ", "-")
        assert "--audit-years" in said and "Traceback" not in said
