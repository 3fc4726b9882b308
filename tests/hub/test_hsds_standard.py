"""HSDS 3.0 as Open Referral's own schemas check it: exports validate, official examples import.

The schemas and examples are the specification's (../shared/data/hsds_3.0); the validator is
``jsonschema`` (Draft 2020-12, the dialect the compiled schemas declare). The tabular package
is read here with the standard library, apart from Kedja's reader.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from kedja import services
from kedja.cli.main import app
from kedja.core.access import Principal, Role
from kedja.core.errors import InvalidInput
from kedja.core.organisations import OrganisationKind
from kedja.demo import load_region_pack
from kedja.store import repositories as repo
from kedja.store import session_scope
from tests.conftest import shared_data

ADMIN = Principal("u", "admin@kedja.demo", "REG25", OrganisationKind.MUNICIPALITY,
                  frozenset({Role.ADMIN}))
JSON_EXAMPLES = ["organization_full.json", "service_full.json", "service_at_location_full.json",
                 "organization_list.json", "service_list.json", "service_at_location_list.json"]


def _schema(name: str) -> dict[str, Any]:
    return json.loads(shared_data("hsds_3.0", "schema", "compiled", f"{name}.json").read_text())


def _validators() -> dict[str, jsonschema.Draft202012Validator]:
    organization = _schema("organization")
    return {"organization": jsonschema.Draft202012Validator(organization),
            "service": jsonschema.Draft202012Validator(_schema("service")),
            "service_at_location": jsonschema.Draft202012Validator(_schema("service_at_location")),
            "location": jsonschema.Draft202012Validator(
                organization["properties"]["locations"]["items"])}


def invalid_objects(document: dict[str, Any]) -> dict[str, list[str]]:
    """Per core object, the ids that fail the official compiled schema (with the first error)."""
    found: dict[str, list[str]] = {}
    for kind, validator in _validators().items():
        found[kind] = [f"{obj.get('id')}: {error.message} at {list(error.path)}"
                       for obj in document[kind]
                       for error in list(validator.iter_errors(obj))[:1]]
    return found


def invalid_rows(package: bytes) -> list[str]:
    """Rows of a tabular package that fail ``compiled/tabular.json`` (and its tabular_required)."""
    tabular = _schema("tabular")["properties"]
    by_path = {spec["items"]["path"]: spec["items"] for spec in tabular.values()}
    archive = zipfile.ZipFile(io.BytesIO(package))
    described = json.loads(archive.read("datapackage.json"))
    problems = []
    for resource in described["resources"]:
        rows = list(csv.DictReader(io.StringIO(archive.read(resource["path"]).decode())))
        header = next(csv.reader(io.StringIO(archive.read(resource["path"]).decode())))
        if [f["name"] for f in resource["schema"]["fields"]] != header:
            problems.append(f"{resource['path']}: datapackage fields differ from the header")
        item = by_path.get(resource["path"])
        if item is None:
            continue  # an HSDS 3.1 table (service_capacities, units): not in 3.0's schema
        validator = jsonschema.Draft202012Validator(item)
        for line, row in enumerate(rows, start=2):
            typed: dict[str, Any] = {}
            for column, cell in row.items():
                kind = item["properties"].get(column, {}).get("type", "string")
                if kind == "number" and cell != "":
                    typed[column] = float(cell)
                elif kind != "number":
                    typed[column] = cell
            missing = [c for c in item.get("tabular_required", []) if typed.get(c) in (None, "")]
            problems += [f"{resource['path']}:{line}: {e.message}"
                         for e in validator.iter_errors(typed)]
            problems += [f"{resource['path']}:{line}: no {c}" for c in missing]
    return problems


def _region_database(path: Path) -> Engine:
    engine = services.prepare_database(path)
    region = load_region_pack()
    with session_scope(engine) as session:
        repo.save_region(session, counties=region.counties, areas=region.areas,
                         municipalities=region.municipalities, localities=region.localities,
                         source="test")
    return engine


def test_every_exported_object_validates_against_the_official_schemas(
        demo_engine: Engine) -> None:
    document = json.loads(services.hsds.export_directory(demo_engine, fmt="json"))
    assert all(len(document[k]) > 10 for k in ("organization", "service", "location",
                                                "service_at_location"))
    assert invalid_objects(document) == {"organization": [], "service": [], "location": [],
                                         "service_at_location": []}


def test_the_exported_tabular_package_validates(demo_engine: Engine) -> None:
    package = services.hsds.export_directory(demo_engine, fmt="zip")
    names = zipfile.ZipFile(io.BytesIO(package)).namelist()
    assert {"datapackage.json", "organizations.csv", "services.csv", "locations.csv",
            "service_at_location.csv", "attributes.csv", "taxonomy_terms.csv"} <= set(names)
    assert invalid_rows(package) == []


def test_the_validator_catches_what_was_wrong_before() -> None:
    old_organization = {"id": "ASF001", "name": "A", "description": "", "email": None,
                        "website": None, "attributes": [{"id": "x", "value": None,
                                                         "taxonomy_term": {"id": "t"}}]}
    assert len(invalid_objects({"organization": [old_organization], "service": [],
                                "location": [], "service_at_location": []})["organization"]) == 1


def test_the_official_tabular_example_imports_from_the_command_line(tmp_path: Path) -> None:
    folder = shared_data("hsds_3.0", "examples", "csv")
    engine = _region_database(tmp_path / "kedja.db")
    engine.dispose()
    result = CliRunner().invoke(app, ["import", "hsds", str(folder), "--db",
                                      str(tmp_path / "kedja.db")])
    assert result.exit_code == 0, result.output
    assert "kept as HSDS records: 1 organization" in result.output
    engine = services.prepare_database(tmp_path / "kedja.db")
    document = json.loads(services.hsds.export_directory(engine, fmt="json"))
    service = next(s for s in document["service"]
                   if s["id"] == "ac148810-d857-441c-9679-408f346de14b")
    assert service["name"] == "Community Counselling" and service["minimum_age"] == 12
    assert service["phones"] and service["schedules"] and service["languages"]
    assert service["cost_options"][0]["amount"] == 35  # a number, as in cost_options.csv
    location = next(loc for loc in document["location"])
    assert location["addresses"][0]["address_1"] == "1-30 Main Street"
    assert invalid_objects(document) == {"organization": [], "service": [], "location": [],
                                         "service_at_location": []}
    assert invalid_rows(services.hsds.export_directory(engine, fmt="zip")) == []


@pytest.mark.parametrize("name", JSON_EXAMPLES)
def test_the_official_json_examples_import_and_export_valid(tmp_path: Path, name: str) -> None:
    path = shared_data("hsds_3.0", "examples", name)
    engine = _region_database(tmp_path / "kedja.db")
    summary = services.hsds.import_directory_path(engine, ADMIN, path)
    assert sum(summary.kept.values()) >= 1
    original = json.loads(path.read_text())
    first = original["contents"][0] if "contents" in original else original
    document = json.loads(services.hsds.export_directory(engine, fmt="json"))
    kind = next(k for k in ("service_at_location", "organization", "service")
                if name.startswith(k))
    exported = next(o for o in document[kind] if o["id"] == first["id"])
    scalars = {k: v for k, v in first.items() if not isinstance(v, dict | list)}
    assert scalars.items() <= exported.items()
    assert invalid_objects(document) == {"organization": [], "service": [], "location": [],
                                         "service_at_location": []}
    assert invalid_rows(services.hsds.export_directory(engine, fmt="zip")) == []


def test_kedjas_own_directory_still_round_trips_after_a_foreign_import(
        demo_engine: Engine, tmp_path: Path) -> None:
    target = _region_database(tmp_path / "kedja.db")
    services.hsds.import_directory(target, ADMIN,
                                   services.hsds.export_directory(demo_engine, fmt="zip"))
    services.hsds.import_directory_path(target, ADMIN,
                                        shared_data("hsds_3.0", "examples", "service_full.json"))
    document = json.loads(services.hsds.export_directory(target, fmt="json"))
    mine = json.loads(services.hsds.export_directory(demo_engine, fmt="json"))
    counts = Counter({k: len(v) for k, v in document.items()})
    assert counts["organization"] == len(mine["organization"]) + 1
    assert document["service"][: len(mine["service"])] == mine["service"]


def test_bad_input_is_named_never_a_database_error(tmp_path: Path) -> None:
    engine = _region_database(tmp_path / "kedja.db")
    with pytest.raises(InvalidInput, match=r"contents\[0\] has no field 'name'"):
        services.hsds.import_directory(engine, ADMIN, json.dumps(
            {"contents": [{"id": "s1", "status": "active"}]}).encode(), name="service_list.json")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("organizations.csv", "id,name,description,year_incorporated\n"
                                              "o1,Org,,nineteen\n")
    with pytest.raises(InvalidInput, match=r"organizations.csv line 2 column year_incorporated"):
        services.hsds.import_directory(engine, ADMIN, buffer.getvalue())
    with pytest.raises(InvalidInput, match="not JSON"):
        services.hsds.import_directory(engine, ADMIN, b"<xml/>")
    assert json.loads(services.hsds.export_directory(engine, fmt="json"))["organization"] == []
