"""Schemathesis against the OpenAPI document, in-process: no operation answers with a 5xx.

Each operation gets a bounded number of generated requests, as an anonymous caller and as a
signed-in officer (whose cookie reaches the access-checked operations).
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from sqlalchemy import Engine

from kedja.web import create_app
from kedja.web.security import SESSION_COOKIE, app_routes
from tests.conftest import DEMO_USERS, signed_in_client


@pytest.fixture(scope="module")
def fuzz_app(web_engine: Engine) -> FastAPI:
    return create_app(web_engine)


@pytest.fixture(scope="module")
def officer_cookie(fuzz_app: FastAPI) -> dict[str, str]:
    client = signed_in_client(fuzz_app, DEMO_USERS["officer"])
    return {SESSION_COOKIE: client.cookies.get(SESSION_COOKIE)}  # type: ignore[attr-defined]


def test_no_server_errors(fuzz_app: FastAPI, officer_cookie: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    documented = {(r.path.replace(":path}", "}"), m) for r in app_routes(fuzz_app)
                  if r.include_in_schema for m in r.methods - {"HEAD"}}
    assert {(o.path, o.method.upper()) for o in operations} == documented  # every API route
    for operation in operations:
        fuzz_operation(operation, officer_cookie)


def fuzz_operation(operation: schemathesis.APIOperation, cookie: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        for cookies in ({}, cookie):
            case.call_and_validate(cookies=cookies, checks=[not_a_server_error])

    run()


def test_the_fuzzer_finds_a_server_error(web_engine: Engine) -> None:
    """Guards the test above: an operation that fails on some inputs is caught."""
    app = FastAPI()

    @app.get("/boom")
    def boom(n: int) -> dict[str, int]:
        if n > 5:
            raise RuntimeError("boom")
        return {"n": n}

    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operation = next(r.ok() for r in schema.get_all_operations())
    with pytest.raises(Exception):  # noqa: B017 - a failed check or the server's own error
        fuzz_operation(operation, {})
