"""Search and transitions through the services, the CLI and the API, on tiny and real data."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from kedja import services
from kedja.core.errors import NotFound
from kedja.web import create_app
from tests.conftest import shared_data
from tests.taxonomy.esco_files import E, write_esco

KEDJA = str(Path(sys.executable).with_name("kedja"))


@pytest.fixture
def tiny_esco(tmp_path: Path) -> Path:
    return write_esco(tmp_path / "esco_v9.9.9")


@pytest.fixture
def esco_db(sqlite_engine: Engine, tiny_esco: Path) -> Engine:
    services.import_taxonomy(sqlite_engine, "esco", [tiny_esco])
    return sqlite_engine


def test_esco_level_transitions_and_search(esco_db: Engine) -> None:
    found = services.occupation_transitions(esco_db, f"{E}/occupation/o1", level="esco", k=2)
    assert found[0].to_code == f"{E}/occupation/o3"  # the metal plant operator shares welding
    assert services.search_occupations(esco_db, "steel weldr")[0].code == f"{E}/occupation/o1"
    with pytest.raises(NotFound):
        services.occupation_transitions(esco_db, "nope", level="esco")
    with pytest.raises(NotFound, match="no occupations with skills"):
        services.person_transitions(esco_db, history=[("7212", 2.0)], level="ssyk4")
    # the SSYK level needs no import: the learned model reads the shipped facts
    assert services.occupation_transitions(esco_db, "7212", level="ssyk4", k=3)


def test_api_routes(esco_db: Engine) -> None:
    client = TestClient(create_app(esco_db))
    hits = client.get("/api/v1/occupations/search", params={"q": "welder"}).json()
    assert hits[0]["label"] == "welder"
    code = f"{E}/occupation/o1"
    body = client.get(f"/api/v1/occupations/{code}/transitions",
                      params={"level": "esco", "k": 1}).json()
    assert body["items"][0]["breakdown"]["skills"] > 0
    assert client.get("/api/v1/occupations/x/transitions", params={"level": "esco"}).status_code == 404
    assert client.get("/api/v1/occupations/x/transitions", params={"k": 0}).status_code == 422
    person = client.post("/api/v1/transitions", json={"skills": [f"{E}/skill/s3"], "level": "esco",
                                                      "k": 1}).json()
    assert person["items"][0]["to_code"] == f"{E}/occupation/o2"
    only = client.get(f"/api/v1/occupations/{code}/transitions",
                      params={"level": "esco", "shortage": [f"{E}/occupation/o2"]}).json()
    assert [i["to_code"] for i in only["items"]] == [f"{E}/occupation/o2"]
    assert only["items"][0]["shortage"] is True
    detail = client.get(f"/api/v1/occupations/{code}").json()
    assert detail["isco"] == [["7212", "Welders and flame cutters"]]
    assert "weld metal" in detail["essential_skills"]
    assert client.get("/api/v1/occupations/nope").status_code == 404
    negative = client.post("/api/v1/transitions", json={"history": {code: -1}, "level": "esco"})
    assert negative.status_code == 422


def test_cli_import_search_and_batch(tmp_path: Path, tiny_esco: Path) -> None:
    db = str(tmp_path / "k.db")
    run = lambda *a: subprocess.run([KEDJA, *a], capture_output=True, text=True, check=False)  # noqa: E731
    imported = run("import", "esco", str(tiny_esco), "--db", db)
    assert imported.returncode == 0 and "esco-occupation: 3" in imported.stdout
    assert "Crosswalk coverage" in imported.stdout
    table = run("transitions", "--db", db, "--level", "esco", "--all", "--k", "2", "--format", "csv")
    lines = table.stdout.strip().splitlines()
    assert lines[0] == "from_code,rank,to_code,score" and len(lines) == 1 + 3 * 2
    person = run("transitions", "--db", db, "--level", "esco", "--skill", f"{E}/skill/s3",
                 "--history", f"{E}/occupation/o3:1", "--k", "1", "--format", "json")
    assert json.loads(person.stdout)[0]["to_code"] == f"{E}/occupation/o2", person.stderr
    bad = run("import", "esco", str(tmp_path / "missing"), "--db", db)
    assert bad.returncode == 1 and "does not exist" in " ".join(bad.stderr.split())


@pytest.fixture(scope="module")
def real_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    esco, jobtech = shared_data("esco_v1.1.1"), shared_data("jobtech_taxonomy")
    key = shared_data("scb", "scb_ssyk2012_isco08_key_20160905.xlsx")
    employees = shared_data("scb", "scb_YREG54BAS_employees_by_ssyk2012_age_year.json")
    engine = services.prepare_database(tmp_path_factory.mktemp("real") / "k.db")
    services.import_taxonomy(engine, "esco", [esco])
    services.import_taxonomy(engine, "jobtech", [jobtech])
    services.import_taxonomy(engine, "scb-ssyk", [key])
    services.import_taxonomy(engine, "scb-ssyk", [employees])
    yield engine
    engine.dispose()


@pytest.mark.shared_data
@pytest.mark.slow
@pytest.mark.parametrize(("origin", "expected"), [("5321", {"5323", "5330", "5342", "5343"}),
                                                  ("8172", {"8171", "8143"}),
                                                  ("7212", {"7213", "7214", "7223", "7224"})])
def test_real_transitions_read_sensibly(real_db: Engine, origin: str, expected: set[str]) -> None:
    found = services.occupation_transitions(real_db, origin, k=5)
    assert expected & {t.to_code for t in found}
    assert all(t.missing_skills or t.missing_local_skills for t in found[:3])


@pytest.mark.shared_data
@pytest.mark.slow
def test_real_crosswalk_gives_esco_occupations_swedish_names(real_db: Engine) -> None:
    welder = services.occupation_detail(real_db, "7212")
    assert "welder" in [label for _, label in welder.esco]
    uri = next(code for code, label in welder.esco if label == "welder")
    esco = services.occupation_detail(real_db, uri)
    assert esco.ssyk == [("7212", "Svetsare och gasskärare")] and "MIG-svetsare" in esco.swedish_names


@pytest.mark.shared_data
@pytest.mark.slow
def test_real_search_and_entry_points(real_db: Engine) -> None:
    for text, code in [("undersköterska", "532"), ("svetsare", "7212"), ("truckförare", "8344"),
                       ("lärare i förskola", "2343")]:
        assert services.search_occupations(real_db, text, limit=3)[0].code.startswith(code)
    entry = services.occupation_transitions(real_db, "9629", k=5, no_education_only=True)
    assert entry and all(t.no_education for t in entry)
