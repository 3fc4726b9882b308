"""Every route × every role: nothing leaks across organisations, and every route declares access.

The matrix is generated from the app's route table (see ``access_matrix.py``); the last tests
prove it fails when a route forgets its check.
"""

from __future__ import annotations

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from kedja.core.access import Principal, Role
from kedja.core.organisations import OrganisationKind
from kedja.store import session_scope
from kedja.store import tables as t
from kedja.web import create_app
from kedja.web.security import app_routes, require
from tests.conftest import DEMO_USERS, signed_in_client
from tests.web.access_matrix import CANARY_MARKER, Caller, add_canaries, matrix_violations

MATRIX_USERS = {**DEMO_USERS, "officer_vasterbotten": "officer.vasterbotten@kedja.demo"}


def callers_for(app: FastAPI) -> list[Caller]:
    callers = [Caller("anonymous", TestClient(app), None, None, None)]
    for name, username in MATRIX_USERS.items():
        client = signed_in_client(app, username)
        me = client.get("/api/v1/me").json()  # type: ignore[attr-defined]
        principal = Principal("?", me["username"], me["organisation_id"],
                              OrganisationKind(me["organisation_kind"]),
                              frozenset(Role(r) for r in me["roles"]))
        callers.append(Caller(name, client, me["organisation_id"],  # type: ignore[arg-type]
                              me["organisation_kind"], principal))
    return callers


@pytest.fixture(scope="module")
def samples(web_engine: Engine) -> dict[str, str]:
    return add_canaries(web_engine)


def test_every_route_as_every_role(web_engine: Engine, samples: dict[str, str]) -> None:
    app = create_app(web_engine)
    routes = app_routes(app)
    assert {"/api/v1/people", "/api/v1/people/{person_id}", "/api/v1/organisations",
            "/api/v1/audit", "/people/{person_id}", "/admin/audit"} <= {r.path for r in routes}
    assert matrix_violations(app, web_engine, callers_for(app), samples) == []


def test_the_canary_is_visible_where_it_should_be(web_engine: Engine,
                                                  samples: dict[str, str]) -> None:
    """Guards the matrix itself: the canary's content does show for the one allowed org."""
    app = create_app(web_engine)
    allowed = signed_in_client(app, "officer.vasterbotten@kedja.demo")
    assert CANARY_MARKER in allowed.get(f"/api/v1/people/{samples['person_id']}").text  # type: ignore[attr-defined]
    other = signed_in_client(app, DEMO_USERS["officer"])
    assert other.get(f"/api/v1/people/{samples['person_id']}").status_code == 403  # type: ignore[attr-defined]


def _leaky_app(engine: Engine, *, declared: bool) -> FastAPI:
    app = create_app(engine)
    extra = [Depends(require())] if declared else []

    @app.get("/api/v1/_test/unchecked/{person_id}", dependencies=extra)
    def unchecked(person_id: str) -> dict[str, object]:
        with session_scope(engine) as session:
            row = session.get(t.PersonRow, person_id)
            return {"id": person_id, "adaptations": row.adaptations if row else []}

    @app.get("/api/v1/_test/unchecked-list", dependencies=extra)
    def unchecked_list() -> list[str]:
        with session_scope(engine) as session:
            return list(session.scalars(select(t.PersonRow.id).order_by(t.PersonRow.id.desc())
                                        .limit(50)))

    return app


def test_the_matrix_fails_for_a_route_that_declares_no_access(
        web_engine: Engine, samples: dict[str, str]) -> None:
    app = _leaky_app(web_engine, declared=False)
    mine = matrix_violations(app, web_engine, callers_for(app), samples, only="/_test/")
    assert any("declares no access" in p for p in mine)
    assert any("as anonymous:" in p and "canary" in p for p in mine)
    assert any("as officer:" in p and "canary" in p for p in mine)
    assert any("unchecked-list as coordinator:" in p and "names people" in p for p in mine)


def test_the_matrix_fails_for_a_signed_in_route_that_skips_the_record_check(
        web_engine: Engine, samples: dict[str, str]) -> None:
    app = _leaky_app(web_engine, declared=True)
    problems = matrix_violations(app, web_engine, callers_for(app), samples, only="/_test/")
    assert problems
    assert not any("declares no access" in p for p in problems)
    assert {p.split(" as ")[1].split(":")[0] for p in problems} >= {
        "officer", "coordinator", "employer_hr", "analyst", "admin"}


def test_the_matrix_asks_for_samples_of_new_path_parameters(
        web_engine: Engine, samples: dict[str, str]) -> None:
    app = create_app(web_engine)

    @app.get("/api/v1/_test/things/{thing_id}", dependencies=[Depends(require())])
    def thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    problems = matrix_violations(app, web_engine, [], samples, only="/_test/")
    assert problems == ["/api/v1/_test/things/{thing_id}: no sample value for its path "
                        "parameters; add one to PATH_SAMPLES in tests/web/access_matrix.py"]
