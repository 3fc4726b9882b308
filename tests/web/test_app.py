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
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "field", "value", "hint", "location"}
    assert body["error"]["code"] == code
