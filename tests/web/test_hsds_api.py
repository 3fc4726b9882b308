"""The standard HSDS API under /hsds, checked against the specification's own openapi.json.

Every path of HSDS 3.0's ``schema/openapi.json`` is served with the specification's parameters,
and each answer validates against the response schema the specification declares there (its
remote ``$ref``s resolved to the compiled schemas in ../shared/data/hsds_3.0).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import Engine

from kedja.web import create_app
from kedja.web.security import CSRF_HEADER
from tests.conftest import DEMO_USERS, shared_data, signed_in_client

REMOTE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


def _spec() -> dict[str, Any]:
    return json.loads(shared_data("hsds_3.0", "schema", "openapi.json").read_text())


def _registry(root: Path) -> Registry:
    def retrieve(uri: str) -> Resource:
        local = root / uri.removeprefix(REMOTE)
        return Resource.from_contents(json.loads(local.read_text()),
                                      default_specification=DRAFT202012)
    return Registry(retrieve=retrieve)  # type: ignore[call-arg]


def _inline_local(schema: Any, spec: dict[str, Any]) -> Any:
    """Replace the openapi document's own ``#/components/...`` refs by what they point at."""
    if isinstance(schema, dict):
        ref = schema.get("$ref", "")
        if ref.startswith("#/"):
            target: Any = spec
            for part in ref[2:].split("/"):
                target = target[part]
            return _inline_local(target, spec)
        return {k: _inline_local(v, spec) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_inline_local(v, spec) for v in schema]
    return schema


def check_against_spec(path: str, answer: Any) -> list[str]:
    """The errors of ``answer`` against the 200 schema the HSDS openapi.json gives ``path``."""
    spec = _spec()
    operation = spec["paths"][path]["get"]
    schema = _inline_local(operation["responses"]["200"]["content"]["application/json"]["schema"],
                           spec)
    validator = jsonschema.Draft202012Validator(
        schema, registry=_registry(shared_data("hsds_3.0", "schema")))
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(answer)]


@pytest.fixture(scope="module")
def client(web_engine: Engine) -> TestClient:
    return TestClient(create_app(web_engine))


def test_services_and_organizations_answer_per_the_hsds_openapi(client: TestClient) -> None:
    for path, kind in (("/services", "service"), ("/organizations", "organization"),
                       ("/service_at_locations", "service_at_location")):
        page = client.get(f"/hsds{path}", params={"per_page": 20, "page": 2}).json()
        assert page["page_number"] == 2 and page["size"] == 20 and not page["first_page"]
        assert page["total_items"] > 20, kind
        assert check_against_spec(path, page) == []
        first = page["contents"][0]
        one = client.get(f"/hsds{path}/{first['id']}").json()
        assert one["id"] == first["id"]
        assert check_against_spec(f"{path}/{{id}}", one) == [], path
        if kind == "service_at_location":  # the spec's schema for it is service.json's
            compiled = json.loads(shared_data("hsds_3.0", "schema", "compiled",
                                              "service_at_location.json").read_text())
            assert list(jsonschema.Draft202012Validator(compiled).iter_errors(one)) == []
        full = client.get(f"/hsds{path}", params={"full": "true", "per_page": 5}).json()
        assert check_against_spec(path, full) == []


def test_a_fully_nested_service_carries_its_organization_and_places(client: TestClient) -> None:
    service = client.get("/hsds/services", params={"per_page": 1}).json()["contents"][0]
    full = client.get(f"/hsds/services/{service['id']}").json()
    assert full["organization"]["id"] == service["organization_id"]
    assert all(sal["location"]["id"] == sal["location_id"] for sal in full["service_at_locations"])
    organization = client.get(f"/hsds/organizations/{service['organization_id']}",
                              params={"full_service": "true"}).json()
    assert service["id"] in {s["id"] for s in organization["services"]}


def test_filters_and_pagination(client: TestClient) -> None:
    everything = client.get("/hsds/services", params={"per_page": 1000}).json()
    assert everything["last_page"] and everything["total_pages"] == 1
    org = everything["contents"][0]["organization_id"]
    mine = client.get("/hsds/services", params={"organization_id": org}).json()
    assert mine["contents"] and all(s["organization_id"] == org for s in mine["contents"])
    term = "kedja:service_category:course"
    courses = client.get("/hsds/services", params={"taxonomy_term_id": term}).json()
    assert 0 < courses["total_items"] < everything["total_items"]
    name = everything["contents"][0]["name"]
    assert name in {s["name"] for s in client.get("/hsds/services",
                                                   params={"search": name}).json()["contents"]}
    lines = client.get("/hsds/services", params={"format": "ndjson"}).text.splitlines()
    assert len(lines) == everything["total_items"]
    beyond = client.get("/hsds/services", params={"page": 999}).json()
    assert beyond["empty"] and beyond["contents"] == []
    assert client.get("/hsds/services", params={"format": "xml"}).status_code == 422
    missing = client.get("/hsds/services/nope")
    assert missing.status_code == 404 and "nope" in missing.text


def test_taxonomies_and_the_meta_information(client: TestClient) -> None:
    meta = client.get("/hsds/").json()
    assert meta["version"] == "3.0" and check_against_spec("/", meta) == []
    terms = client.get("/hsds/taxonomy_terms", params={"taxonomy_id": "kedja:municipality"}).json()
    assert terms["total_items"] > 5 and check_against_spec("/taxonomy_terms", terms) == []
    one = client.get(f"/hsds/taxonomy_terms/{terms['contents'][0]['id']}").json()
    assert check_against_spec("/taxonomy_terms/{id}", one) == []
    taxonomies = client.get("/hsds/taxonomies").json()
    assert check_against_spec("/taxonomies", taxonomies) == []
    taxonomy = client.get("/hsds/taxonomies/kedja:municipality").json()
    assert check_against_spec("/taxonomies/{id}", taxonomy) == []


def test_every_hsds_path_and_parameter_is_served(client: TestClient) -> None:
    spec = _spec()
    ours = client.get("/openapi.json").json()["paths"]
    for path, item in spec["paths"].items():
        mine = ours.get(f"/hsds{path}")
        assert mine is not None, path
        wanted = set()
        for parameter in [*item.get("parameters", []), *item["get"].get("parameters", [])]:
            parameter = _inline_local(parameter, spec)
            wanted.add(parameter["name"])
        served = {p["name"] for p in mine["get"].get("parameters", [])}
        assert wanted <= served, (path, wanted - served)


def test_an_administrator_imports_an_official_example_through_the_api(
        web_engine: Engine) -> None:
    admin = signed_in_client(create_app(web_engine), DEMO_USERS["admin"])
    headers = {CSRF_HEADER: admin.get("/api/v1/me").json()["csrf_token"]}  # type: ignore[attr-defined]
    example = shared_data("hsds_3.0", "examples", "service_full.json")
    answer = admin.post("/api/v1/directory/hsds", headers=headers,  # type: ignore[attr-defined]
                        files={"file": ("service_full.json", example.read_bytes())})
    assert answer.status_code == 200, answer.text
    assert answer.json()["kept"]["service"] == 1
    service = json.loads(example.read_text())
    served = admin.get(f"/hsds/services/{service['id']}").json()  # type: ignore[attr-defined]
    assert served["name"] == service["name"] and served["phones"]
    assert check_against_spec("/services/{id}", served) == []
    bad = admin.post("/api/v1/directory/hsds", headers=headers,  # type: ignore[attr-defined]
                     files={"file": ("x.json", b'{"contents": [{"id": "s"}]}')})
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
    assert "has no field 'name'" in bad.json()["detail"]
