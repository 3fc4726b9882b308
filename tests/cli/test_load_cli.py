"""``kedja init`` and ``kedja load`` as a user runs them (the issue's first "done when")."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import func, select

from kedja.store import open_engine
from kedja.store import tables as t
from tests.cli.test_cli import run
from tests.services.test_demo_database import table_digest


def _state(path: Path) -> tuple[dict[str, int], str]:
    engine = open_engine(path)
    with engine.connect() as connection:
        counts = {table.name: int(connection.execute(select(func.count()).select_from(table)).scalar() or 0)
                  for table in t.Base.metadata.sorted_tables}
    digest = hashlib.sha256(repr(table_digest(engine)).encode()).hexdigest()
    engine.dispose()
    return counts, digest


def test_init_then_example_loads_and_a_bad_copy_is_refused_whole(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    assert run("init", "--db", db).returncode == 0
    counts, _ = _state(tmp_path / "x.db")
    assert counts["municipalities"] == 29 and counts["occupations"] > 100 and counts["people"] == 0
    example = run("load", "people", "--example")
    assert example.returncode == 0
    good = tmp_path / "p.csv"
    good.write_text(example.stdout, encoding="utf-8")
    loaded = run("load", "people", str(good), "--db", db)
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert "added 2, changed 0, unchanged 0" in loaded.stdout
    before = _state(tmp_path / "x.db")
    assert before[0]["people"] == 2 and before[0]["person_identities"] == 2

    # one bad municipality and one wrong check digit, in different rows, plus an edit of a good row
    lines = example.stdout.splitlines()
    lines[1] = lines[1].replace(";2580;", ";2599;").replace("Anna", "Annika")
    lines[2] = lines[2].replace("19850923-9813", "19850923-9814")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused = run("load", "people", str(bad), "--db", db)
    assert refused.returncode != 0
    text = " ".join(refused.stdout.split())
    assert "line 2, column municipality: '2599' is not a known municipality" in text
    assert "line 3, column personal_number: '19850923-9814' has a wrong check digit" in text
    assert "Nothing was written" in text
    assert _state(tmp_path / "x.db") == before  # row counts and every row identical


def test_load_again_is_idempotent_and_reports_changes(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    run("init", "--db", db)
    example = run("load", "people", "--example").stdout
    path = tmp_path / "p.csv"
    path.write_text(example, encoding="utf-8")
    run("load", "people", str(path), "--db", db)
    again = run("load", "people", str(path), "--db", db, "--format", "json")
    assert '"unchanged": 2' in again.stdout
    path.write_text(example.replace("Yusuf Ahmed", "Yusuf A. Ahmed"), encoding="utf-8")
    changed = run("load", "people", str(path), "--db", db)
    assert "added 0, changed 1, unchanged 1" in changed.stdout


def test_template_is_written(tmp_path: Path) -> None:
    out = tmp_path / "people.xlsx"
    result = run("load", "people", "--template", str(out))
    assert result.returncode == 0 and out.read_bytes()[:2] == b"PK"
