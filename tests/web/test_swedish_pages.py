"""Swedish only: every page, for every role, shows Swedish words, names and sv-SE figures.

The pages come from the app's route table (every GET route answering HTML outside the API), so
a page added later is covered without touching this test. Path parameters get real ids from the
small demo database, chosen per role so the page shows content (a person the role's organisation
may see, a referral it sent or received...); a role without the permission gets the refusal page,
which is checked too. Anonymous callers render the public pages. What counts as English, a code
or a non-Swedish figure is defined in ``swedish_text.py``.

A route known to fail would be listed, with the reason, in ``OWNED_ELSEWHERE`` (one list, empty
now: every page passes).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, or_, select

from kedja import services
from kedja.store import session_scope
from kedja.store import tables as t
from kedja.web import create_app
from kedja.web.errors import is_api_path
from kedja.web.security import app_routes, route_access
from tests.conftest import DEMO_PASSWORD, DEMO_USERS, SMALL_DEMO, signed_in_client
from tests.web.swedish_text import page_problems

ROLES = ("anonymous", *DEMO_USERS)

OWNED_ELSEWHERE: dict[str, str] = {}
"""Routes known to fail here, each with the reason (none now: every page is checked)."""

SKIPPED: dict[str, str] = {
    "/auth/oidc/login": "redirects to the identity provider; no page of ours",
    "/auth/oidc/callback": "answers the identity provider's redirect; no page of ours",
}
"""HTML routes deliberately not rendered, with the reason."""

QUERY_VARIANTS: dict[str, list[str]] = {
    "/occupations": ["?q=undersköterska"],
    "/directory": ["?kind=asf"],
}
"""Extra renderings of a page whose default view hides most of its content."""


def _is_page(route: Any) -> bool:
    response_class = getattr(route.response_class, "value", route.response_class)
    return ("GET" in route.methods and not is_api_path(route.path)
            and isinstance(response_class, type) and issubclass(response_class, HTMLResponse))


@cache
def page_routes() -> list[tuple[str, bool]]:
    """Every HTML page route of the app as (path, public), read from the route table."""
    app = create_app(create_engine("sqlite://"))
    found = {}
    for route in app_routes(app):
        if _is_page(route) and route.path not in SKIPPED:
            found[route.path] = any(d.public for d in route_access(route))
    return sorted(found.items())


def _cases() -> Iterator[Any]:
    for path, public in page_routes():
        for role in ROLES:
            if role == "anonymous" and not public:
                continue
            marks = ([pytest.mark.xfail(reason=OWNED_ELSEWHERE[path], strict=False)]
                     if path in OWNED_ELSEWHERE else [])
            yield pytest.param(path, role, id=f"{path} as {role}", marks=marks)


@pytest.fixture(scope="module")
def web_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The small demo region of the web tests, with one allocation run as a job (so the job page
    and the allocation's result lists render content, not their refusal)."""
    engine = services.prepare_database(tmp_path_factory.mktemp("swedish") / "web.db")
    services.build_demo_database(engine, **SMALL_DEMO)
    admin = services.sign_in(engine, DEMO_USERS["admin"], DEMO_PASSWORD).principal
    job = services.start_allocation_job(engine, admin, scenario="huvudkörning")
    for _ in range(600):
        if services.job_status(engine, admin, job.id).state in ("done", "failed"):
            break
        time.sleep(0.2)
    assert services.job_status(engine, admin, job.id).state == "done"
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def app(web_engine: Engine) -> FastAPI:
    return create_app(web_engine)


@pytest.fixture(scope="module")
def clients(app: FastAPI) -> dict[str, TestClient]:
    found: dict[str, TestClient] = {"anonymous": TestClient(app)}
    for role, username in DEMO_USERS.items():
        found[role] = signed_in_client(app, username)  # type: ignore[assignment]
    for client in found.values():
        client.cookies.set("kedja_lang", "sv")
        client.headers["Accept-Language"] = "sv-SE,sv;q=0.9"
    return found


@pytest.fixture(scope="module")
def names(web_engine: Engine) -> dict[str, list[str]]:
    """Every code that has a name: municipalities, SSYK groups, organisations."""
    found: dict[str, list[str]] = {}
    with session_scope(web_engine) as session:
        for query in (select(t.MunicipalityRow.code, t.MunicipalityRow.name),
                      select(t.OccupationRow.code, t.OccupationRow.name_sv),
                      select(t.OrganisationRow.id, t.OrganisationRow.name)):
            for code, name in session.execute(query):
                if name:
                    found.setdefault(code, []).append(name)
    return found


def _organisation(engine: Engine, role: str) -> str | None:
    if role == "anonymous":
        return None
    with session_scope(engine) as session:
        return session.scalar(select(t.UserRow.organisation_id)
                              .where(t.UserRow.username == DEMO_USERS[role]))


def path_samples(engine: Engine, role: str) -> dict[str, str]:
    """Real ids for the path parameters, chosen so the role sees content where it may."""
    org = _organisation(engine, role)
    with session_scope(engine) as session:
        person = session.scalar(select(t.ConsentRow.person_id).where(
            t.ConsentRow.organisation_id == org, t.ConsentRow.withdrawn.is_(None))
            .order_by(t.ConsentRow.person_id)) or session.scalar(
            select(t.PersonRow.id).order_by(t.PersonRow.id))
        referral = session.scalar(select(t.ReferralRow.id).where(or_(
            t.ReferralRow.from_organisation_id == org, t.ReferralRow.to_organisation_id == org))
            .order_by(t.ReferralRow.id)) or session.scalar(
            select(t.ReferralRow.id).order_by(t.ReferralRow.id))
        allocation = session.scalar(select(t.AllocationRow.id).order_by(t.AllocationRow.id))
        asf = session.scalar(select(t.OrganisationRow.id).where(t.OrganisationRow.kind == "asf")
                             .order_by(t.OrganisationRow.id))
        occupation = session.scalar(select(t.PersonRow.occupation_code).where(
            t.PersonRow.occupation_code.is_not(None)).order_by(t.PersonRow.occupation_code))
        job = session.scalar(select(t.JobRow.id).where(t.JobRow.kind == "allocation")
                             .order_by(t.JobRow.id))
    municipality = org[3:] if org and org.startswith("KOM") else "2580"
    return {"job_id": job or "JOB-NONE", "person_id": person or "P000000",
            "referral_id": referral or "R-NONE",
            "allocation_id": allocation or "ALLOC-NONE", "organisation_id": org or asf or "",
            "municipality_code": municipality, "occupation_code": occupation or "5321",
            "forecast_code": municipality, "occupations_code": occupation or "5321"}


def page_url(path: str, samples: dict[str, str]) -> str:
    """``path`` with its parameters filled; a parameter without a sample fails loudly."""
    prefix = path.strip("/").split("/")[0]
    values = {**samples, "code": samples.get(f"{prefix}_code", "")}
    try:
        return path.format(**values)
    except KeyError as missing:
        raise AssertionError(f"{path}: no sample for {missing}; add one to path_samples() in "
                             "tests/web/test_swedish_pages.py") from None


def test_the_route_table_is_read() -> None:
    """Guards the discovery: the known pages are found, and only HTML pages."""
    paths = {p for p, _public in page_routes()}
    assert {"/", "/directory", "/indicators", "/admin/audit", "/chains/employer",
            "/forecast/{code}", "/login"} <= paths
    assert not {p for p in paths if p.startswith("/api/") or p.endswith(".csv")}
    assert set(OWNED_ELSEWHERE) <= paths | set(SKIPPED), "an owned route no longer exists"


@pytest.mark.slow
@pytest.mark.parametrize(("path", "role"), list(_cases()))
def test_the_page_is_swedish(path: str, role: str, web_engine: Engine,
                             clients: dict[str, TestClient], names: dict[str, list[str]]) -> None:
    base = page_url(path, path_samples(web_engine, role))
    problems: list[str] = []
    for url in [base] + [base + q for q in QUERY_VARIANTS.get(path, [])]:
        response = clients[role].get(url)
        assert response.status_code < 500, f"{url} as {role}: {response.status_code}"
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        problems += [f"{url}: {p}" for p in page_problems(response.text, names)]
    assert not problems, f"{len(problems)} problems as {role}:\n" + "\n".join(problems[:60])


def test_the_checks_find_what_they_should() -> None:
    """Guards the checks themselves on a page with one fault of each kind."""
    page = ("<html><body><p>Status outside_labour_force</p><p>Delas med AF25</p>"
            "<p>Andel 0.89, beslut 2026-11-30</p><p>Upphandling: gardening</p>"
            "<p lang='en'>English</p><p><code>2026-01-01:2026-03-31</code></p></body></html>")
    found = page_problems(page, {"AF25": ["Arbetsförmedlingen Norrbotten"]})
    assert [p.split(" in ")[0] for p in found] == [
        'code "outside_labour_force"', 'code "AF25" without its name (Arbetsförmedlingen '
        'Norrbotten)', 'number "0.89"', 'ISO date "2026-11-30"', 'English "gardening"']
