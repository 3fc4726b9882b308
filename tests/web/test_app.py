"""The web shell: health, the municipality page in Swedish and English, the API and its errors."""

from __future__ import annotations

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from kedja.core.errors import InvalidInput, TooManyAttempts
from kedja.web import create_app
from kedja.web.security import public
from tests.conftest import signed_in_client


@pytest.fixture(scope="module")
def client(web_engine: Engine) -> TestClient:
    app = create_app(web_engine)

    @app.get("/api/v1/_test/invalid", include_in_schema=False, dependencies=[Depends(public())])
    def invalid() -> None:
        raise InvalidInput("'x' is not a code", field="code", value="x", hint="use digits")

    @app.get("/api/v1/_test/locked", include_in_schema=False, dependencies=[Depends(public())])
    def locked() -> None:
        raise TooManyAttempts("locked", field="username", hint="wait")

    return TestClient(app)


def test_health(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["schema_status"] == "current"


def test_region_page_is_swedish_by_default(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="sv">' in html and "Kommunerna i Övre Norrland" in html
    assert html.count('<tr data-code="') == 29
    assert "Luleå" in html and "Skellefteå" in html and "Källa: Kolada" in html
    assert '<main id="main"' in html and 'href="#main"' in html


def test_english_is_available_and_remembered(client: TestClient) -> None:
    html = client.get("/?lang=en").text
    assert '<html lang="en">' in html and "Municipalities of Upper Norrland" in html
    assert client.cookies.get("kedja_lang") == "en"
    assert "Municipalities of Upper Norrland" in client.get("/").text
    client.get("/?lang=sv")


def test_population_is_formatted_for_the_locale(client: TestClient) -> None:
    lulea = next(m for m in client.get("/api/v1/municipalities").json()["items"] if m["code"] == "2580")
    population = lulea["population"]
    swedish = f"{population:,}".replace(",", "\u00a0")
    assert swedish in client.get("/?lang=sv").text
    assert f"{population:,}" in client.get("/?lang=en").text
    client.get("/?lang=sv")


def test_municipalities_api(client: TestClient) -> None:
    body = client.get("/api/v1/municipalities").json()
    assert body["total"] == 29 and len(body["items"]) == 29
    assert {"code", "name", "population", "share_65_plus"} <= set(body["items"][0])


def test_openapi_document(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/v1/municipalities" in spec["paths"] and "/health" in spec["paths"]
    schemes = spec["components"]["securitySchemes"]
    assert schemes["sessionCookie"] == {**schemes["sessionCookie"], "type": "apiKey",
                                        "in": "cookie", "name": "kedja_session"}
    assert schemes["csrfToken"]["in"] == "header" and schemes["csrfToken"]["name"] == "X-CSRF-Token"
    people = spec["paths"]["/api/v1/people"]["get"]
    assert people["security"] == [{"sessionCookie": []}]
    assert "application/problem+json" in people["responses"]["403"]["content"]
    referral = spec["paths"]["/api/v1/referrals"]["post"]
    assert referral["security"] == [{"sessionCookie": [], "csrfToken": []}]
    assert spec["paths"]["/api/v1/municipalities"]["get"]["security"] == []
    assert spec["paths"]["/hsds/services"]["get"]["security"] == []


def test_docs_are_served_offline(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    for asset in ("/static/vendor/swagger-ui-bundle.js", "/static/vendor/swagger-ui.css",
                  "/static/swagger-init.js"):
        assert asset in page.text
        assert client.get(asset).status_code == 200, asset
    assert "http://" not in page.text and "https://" not in page.text
    assert "<script>" not in page.text  # no inline script: the CSP allows 'self' only


@pytest.mark.parametrize(("path", "status", "code", "who"), [
    ("/api/v1/_test/invalid", 422, "invalid_input", None),
    ("/api/v1/no-such-route", 404, "http_404", None),
    ("/api/v1/people", 401, "unauthenticated", None),
    ("/api/v1/people", 403, "forbidden", "analyst@kedja.demo"),
    ("/api/v1/people?page=0", 422, "invalid_input", "officer.norrbotten@kedja.demo"),
    ("/api/v1/_test/locked", 429, "too_many_attempts", None),
])
def test_one_error_shape(client: TestClient, web_engine: Engine, path: str, status: int,
                         code: str, who: str | None) -> None:
    if who is not None:
        client = signed_in_client(client.app, who)  # type: ignore[assignment]
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    extensions = {"code", "message", "field", "value", "hint", "location"}
    assert set(body) == {"type", "title", "status", "detail", "instance", "error"} | extensions
    assert body["type"] == f"urn:kedja:problem:{code}" and body["status"] == status
    assert body["title"] and body["detail"] == body["message"]
    assert body["instance"] == path.split("?")[0]
    assert body["code"] == code and body["error"] == {k: body[k] for k in extensions}


def test_a_server_runs_as_many_requests_at_once_as_it_is_given_threads(web_engine: Engine) -> None:
    from anyio import to_thread

    from kedja.core.errors import ConfigurationError

    def limit() -> float:
        return to_thread.current_default_thread_limiter().total_tokens

    with TestClient(create_app(web_engine, threads=3)) as served:
        assert served.get("/health").status_code == 200
        assert served.portal is not None and served.portal.call(limit) == 3
    with pytest.raises(ConfigurationError, match="at least one thread"):
        create_app(web_engine, threads=0)
