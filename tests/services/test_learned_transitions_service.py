"""On a plain demo database (nothing imported): search, show and the learned transitions."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine

from kedja import services

KEDJA = str(Path(sys.executable).with_name("kedja"))
QUERIES = Path(__file__).parents[1] / "taxonomy" / "data" / "occupation_queries.csv"


def test_search_accuracy_on_fifty_written_queries(demo_engine: Engine) -> None:
    """50 realistic queries with typos and missing diacritics (the fixture says each one's
    intent); measured top-1 0.96 and top-5 0.96 on the shipped pack."""
    rows = list(csv.DictReader(QUERIES.open(encoding="utf-8")))
    assert len(rows) == 50
    found = [[h.code for h in services.search_occupations(demo_engine, r["query"], limit=5)]
             for r in rows]
    top1 = sum(f[:1] == [r["expected"]] for f, r in zip(found, rows, strict=True)) / len(rows)
    top5 = sum(r["expected"] in f for f, r in zip(found, rows, strict=True)) / len(rows)
    assert top1 >= 0.9 and top5 >= 0.94, (top1, top5)


def test_search_is_precise(demo_engine: Engine) -> None:
    hits = services.search_occupations(demo_engine, "underskoterska")
    assert hits[0].code == "5321" and hits[0].label.startswith("Undersköterskor")
    assert {h.code for h in hits} <= {"5321", "5323"}  # no dental nurses, no short-word noise


def test_show_and_transitions_without_imports(demo_engine: Engine) -> None:
    detail = services.occupation_detail(demo_engine, "5321")
    assert detail.label.startswith("Undersköterskor") and detail.skills_sv
    assert detail.facts["employees"] > 100_000
    found = services.occupation_transitions(demo_engine, "5321", k=10)
    assert len(found) == 10 and "5321" not in {t.to_code for t in found}
    assert {"5323", "5330"} <= {t.to_code for t in found}
    assert all(t.why_sv and t.why_en and t.viable is not None for t in found)
    assert any(t.missing_local_skills for t in found)
    assert found[0].score >= found[-1].score


def test_cli_scoring_command_on_a_demo_database(tmp_path: Path) -> None:
    db = str(tmp_path / "plain.db")
    run = lambda *a: subprocess.run([KEDJA, *a], capture_output=True, text=True, check=False)  # noqa: E731
    table = run("transitions", "--db", db, "--level", "ssyk4", "--all", "--k", "10",
                "--format", "csv")
    assert table.returncode == 0, table.stderr
    rows = list(csv.reader(table.stdout.splitlines()))
    assert rows[0] == ["from_code", "rank", "to_code", "score"] and len(rows) == 1 + 400 * 10
    assert all(r[0] != r[2] for r in rows[1:])
    one = run("transitions", "--db", db, "--from", "5321", "--k", "3")
    assert one.returncode == 0 and "skills to learn" in one.stdout and "varför" in one.stdout
    search = run("occupations", "search", "underskoterska", "--db", db)
    assert search.stdout.split("\n")[0].split()[2] == "5321"
    bad = run("transitions", "evaluate", "--truth", str(tmp_path / "none.json"), "--db", db)
    assert bad.returncode == 1 and "none.json" in bad.stderr  # a refused request (exit 1)


def test_an_organisation_refits_on_its_own_moves(tmp_path: Path) -> None:
    """``fit`` reads any folder of truth files and writes a model with its provenance."""
    import json

    from kedja.services.learned_transitions import fit_transitions, learned_transitions
    from kedja.taxonomy.ranker import Ranker

    moves = {"5321": ["5323", "5330"], "5323": ["5321", "2221"], "7212": ["7213", "7214"],
             "7213": ["7212"], "9111": ["9112", "9412"], "9412": ["9111", "5120"]}
    folder = tmp_path / "own"
    folder.mkdir()
    (folder / "our_moves.json").write_text(json.dumps(moves), encoding="utf-8")
    out = tmp_path / "model.json"
    provenance = fit_transitions(folder, out, learner="logistic", folds=2)
    assert provenance["data"][0]["file"] == "our_moves.json"
    assert set(provenance["cv"]["figures"]["our_moves.json"]) >= {"model", "random"}
    assert 0 < provenance["calibration"]["threshold"] < 1
    model = learned_transitions(str(out))
    assert Ranker.from_json(out.read_text(encoding="utf-8")).learner == "logistic"
    assert model.table(3)[0][1] == 1 and len(model.table(3)) == 1200


def test_explorer_pages_answer_in_swedish(demo_engine: Engine) -> None:
    from fastapi.testclient import TestClient

    from kedja.web import create_app

    client = TestClient(create_app(demo_engine))
    found = client.get("/occupations", params={"q": "underskoterska", "lang": "sv"})
    assert found.status_code == 200 and 'href="/occupations/5321"' in found.text
    page = client.get("/occupations/5321", params={"lang": "sv"})
    assert page.status_code == 200
    assert "Vart människor går vidare" in page.text and "Vårdbiträden" in page.text
    assert "Where people move on to" not in page.text
    assert client.get("/occupations/0000").status_code == 404
    assert client.get("/occupations/12ab").status_code == 422
