"""Single sign-on against a stub OpenID Connect provider that runs in-process (no network)."""

from __future__ import annotations

import json
import secrets
import time
from urllib.parse import parse_qs, urlparse

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from sqlalchemy import Engine

from kedja import services
from kedja.web import create_app
from kedja.web.oidc import OidcSettings
from kedja.web.security import SESSION_COOKIE

http = httpx2  # the library Authlib talks through
ISSUER = "https://idp.test"
SETTINGS = OidcSettings(issuer=ISSUER, client_id="kedja", client_secret="s3cret",
                        label="Test-IdP")


class StubProvider:
    """Discovery, token and JWKS endpoints; ``authorize`` stands in for the user's sign-in."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig"})
        self.codes: dict[str, dict[str, object]] = {}
        self.audience = SETTINGS.client_id
        self.transport = http.MockTransport(self.handle)

    def authorize(self, url: str, *, sub: str, email: str) -> dict[str, str]:
        query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
        assert query["client_id"] == "kedja" and query["response_type"] == "code"
        assert "openid" in query["scope"].split()
        code = secrets.token_urlsafe(8)
        self.codes[code] = {"nonce": query["nonce"], "sub": sub, "email": email}
        return {"code": code, "state": query["state"]}

    def handle(self, request):  # type: ignore[no-untyped-def]
        path = request.url.path
        if path == "/.well-known/openid-configuration":
            return http.Response(200, json={
                "issuer": ISSUER, "authorization_endpoint": f"{ISSUER}/authorize",
                "token_endpoint": f"{ISSUER}/token", "jwks_uri": f"{ISSUER}/jwks"})
        if path == "/jwks":
            return http.Response(200, json=KeySet([self.key]).as_dict(private=False))
        if path == "/token":
            form = parse_qs(request.content.decode())
            grant = self.codes.pop(form["code"][0], None)
            if grant is None:
                return http.Response(400, json={"error": "invalid_grant"})
            now = int(time.time())
            claims = {"iss": ISSUER, "aud": self.audience, "iat": now, "exp": now + 300,
                      **grant}
            token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, self.key)
            return http.Response(200, json={"access_token": "at", "token_type": "Bearer",
                                             "expires_in": 300, "id_token": token})
        return http.Response(404, content=json.dumps({"error": "not found"}))


@pytest.fixture
def provider() -> StubProvider:
    return StubProvider()


@pytest.fixture
def app(web_engine: Engine, provider: StubProvider) -> FastAPI:
    return create_app(web_engine, oidc=SETTINGS, oidc_transport=provider.transport)


@pytest.fixture
def sso_user(web_engine: Engine) -> str:
    """An analyst who signs in through the provider only (subject ``idp-123``)."""
    if "sso.analyst@kedja.demo" not in {u.username for u in services.list_users(web_engine)}:
        services.create_user(web_engine, username="sso.analyst@kedja.demo", roles=["analyst"],
                             organisation_id="KOM2580", password=None, oidc_subject="idp-123")
    return "idp-123"


def start(client: TestClient, next_url: str = "/") -> str:
    response = client.get(f"/auth/oidc/login?next={next_url}", follow_redirects=False)
    assert response.status_code == 303
    return response.headers["location"]


def test_the_sign_in_page_offers_the_provider(app: FastAPI) -> None:
    assert "Logga in med Test-IdP" in TestClient(app).get("/login").text


def test_a_known_user_signs_in_through_the_provider(app: FastAPI, provider: StubProvider,
                                                    sso_user: str) -> None:
    client = TestClient(app)
    answer = provider.authorize(start(client, "/people"), sub="idp-123", email="x@example.org")
    response = client.get("/auth/oidc/callback", params=answer, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/people"
    assert SESSION_COOKIE in response.cookies
    assert client.get("/api/v1/me").json()["username"] == "sso.analyst@kedja.demo"


def test_an_unknown_subject_gets_no_session(app: FastAPI, provider: StubProvider) -> None:
    client = TestClient(app)
    answer = provider.authorize(start(client), sub="idp-unknown", email="who@example.org")
    response = client.get("/auth/oidc/callback", params=answer, follow_redirects=False)
    assert SESSION_COOKIE not in response.cookies
    assert client.get("/api/v1/me").status_code == 401


def test_a_forged_state_is_refused(app: FastAPI, provider: StubProvider, sso_user: str) -> None:
    client = TestClient(app)
    answer = provider.authorize(start(client), sub="idp-123", email="x@example.org")
    response = client.get("/auth/oidc/callback", params={**answer, "state": "forged"},
                          follow_redirects=False)
    assert SESSION_COOKIE not in response.cookies
    assert provider.codes  # the code was never even exchanged


def test_a_token_for_another_client_is_refused(app: FastAPI, provider: StubProvider,
                                               sso_user: str) -> None:
    provider.audience = "some-other-client"
    client = TestClient(app)
    answer = provider.authorize(start(client), sub=sso_user, email="x@example.org")
    response = client.get("/auth/oidc/callback", params=answer, follow_redirects=False)
    assert SESSION_COOKIE not in response.cookies
    assert not provider.codes  # the code was exchanged: the ID token itself was refused


def test_without_configuration_there_is_no_sso(web_engine: Engine,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KEDJA_OIDC_ISSUER", "KEDJA_OIDC_CLIENT_ID", "KEDJA_OIDC_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    client = TestClient(create_app(web_engine))
    assert "Logga in med" not in client.get("/login").text
    assert client.get("/auth/oidc/login").status_code == 404


def test_authlib_runs_on_its_preferred_client_installed_as_a_runtime_dependency() -> None:
    # the review: Authlib fell back to its deprecated httpx client outside the tests
    import tomllib
    from pathlib import Path

    from authlib.integrations.httpx_client import OAuth2Client

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert any(d.startswith("httpx2") for d in project["project"]["dependencies"])
    assert "httpx2" in {c.__module__.split(".")[0] for c in OAuth2Client.__mro__}
