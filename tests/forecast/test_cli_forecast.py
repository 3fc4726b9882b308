"""``kedja forecast`` run as a user runs it: JSON on stdout, one-paragraph errors, exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine

KEDJA = str(Path(sys.executable).with_name("kedja"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KEDJA, "forecast", *args], capture_output=True, text=True,
                          timeout=300, check=False)


def test_run_prints_the_municipality_as_json(demo_engine: Engine) -> None:
    db = str(demo_engine.url.database)
    result = run("run", "--db", db, "--municipality", "2584", "--top", "3", "--format", "json")
    assert result.returncode == 0, result.stderr
    view = json.loads(result.stdout)
    assert view["name"] == "Kiruna" and view["driver"] == "establishments"
    assert len(view["gaps"]) == 3 and view["population"]["years"][-1]["year"] == 2040


def test_errors_are_one_paragraph_naming_the_value(demo_engine: Engine, tmp_path: Path) -> None:
    db = str(demo_engine.url.database)
    result = run("run", "--db", db, "--scenario", "sunshine")
    assert result.returncode == 1 and "'sunshine'" in result.stderr
    assert "Traceback" not in result.stderr
    plans = tmp_path / "plans.csv"
    plans.write_text("id,name,municipality_code,headcounts,occupation_mix\n"
                     "E1,Plant,2582,2028:80,0000:1\n", encoding="utf-8")
    result = run("import-establishments", str(plans), "--db", db)
    assert result.returncode == 1 and "'0000'" in result.stderr and "line 2" in result.stderr


def test_gaps_export_csv(demo_engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "gaps.csv"
    result = run("gaps", "--db", str(demo_engine.url.database), "--limit", "5", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 6
