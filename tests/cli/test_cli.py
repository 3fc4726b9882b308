"""The ``kedja`` command line, run as a user runs it: in a subprocess."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from kedja.store import open_engine
from tests.services.test_demo_database import table_digest

KEDJA = str(Path(sys.executable).with_name("kedja"))


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KEDJA, *args], capture_output=True, text=True, timeout=600,
                          env={**os.environ, **(env or {})}, check=False)


def test_demo_twice_gives_identical_tables(tmp_path: Path) -> None:
    digests = []
    for name in ("a.db", "b.db"):
        result = run("demo", "--no-serve", "--db", str(tmp_path / name), "--seed", "7",
                     "--job-seekers", "300", "--employed", "600")
        assert result.returncode == 0, result.stderr
        assert "29 municipalities" in " ".join(result.stderr.split())
        engine = open_engine(tmp_path / name)
        digests.append(hashlib.sha256(repr(table_digest(engine)).encode()).hexdigest())
        engine.dispose()
    assert digests[0] == digests[1]


def test_bad_database_url_is_one_paragraph(tmp_path: Path) -> None:
    result = run("db", "upgrade", env={"KEDJA_DATABASE_URL": "oracle://x@y/z"})
    assert result.returncode == 3  # configuration
    assert "Traceback" not in result.stderr
    text = " ".join(result.stderr.split())
    assert "Configuration problem" in text and "postgresql://" in text


def test_unreachable_postgres_is_one_paragraph() -> None:
    result = run("db", "upgrade", "--db", "postgresql://kedja@127.0.0.1:1/kedja")
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert "cannot reach the database" in " ".join(result.stderr.split())


def test_unwritable_path_is_one_paragraph(tmp_path: Path) -> None:
    result = run("demo", "--no-serve", "--db", str(tmp_path / "missing" / "x.db"))
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert "does not exist" in " ".join(result.stderr.split())


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("demo", "serve", "db"):
        assert command in result.stdout
