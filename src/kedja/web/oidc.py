"""Single sign-on with OpenID Connect (authorization code flow), using Authlib.

Configured by environment variables; with none set, the sign-in page offers passwords only:

- ``KEDJA_OIDC_ISSUER``: the provider's issuer URL (its discovery document is read from
  ``{issuer}/.well-known/openid-configuration``);
- ``KEDJA_OIDC_CLIENT_ID`` and ``KEDJA_OIDC_CLIENT_SECRET``: Kedja's client at the provider;
- ``KEDJA_OIDC_REDIRECT_URL`` (optional): the callback URL registered at the provider, by
  default ``{the app's base URL}/auth/oidc/callback``;
- ``KEDJA_OIDC_SCOPES`` (optional): default ``openid email profile``;
- ``KEDJA_OIDC_LABEL`` (optional): the button's text, e.g. the provider's name.

The ID token's signature (against the provider's JWKS), issuer, audience, expiry and nonce are
checked; the ``state`` parameter is bound to the browser by a short-lived HttpOnly cookie.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx2  # Authlib's own HTTP client (its httpx fallback is deprecated)
from authlib.integrations.base_client import OAuthError
from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from kedja.core.errors import ConfigurationError, Unauthenticated

__all__ = ["OidcClient", "OidcSettings", "oidc_settings_from_env"]


@dataclass(frozen=True, slots=True)
class OidcSettings:
    """Where the provider is and who Kedja is there."""

    issuer: str
    client_id: str
    client_secret: str
    redirect_url: str | None = None
    scopes: str = "openid email profile"
    label: str = "Single sign-on"


def oidc_settings_from_env(env: Mapping[str, str] | None = None) -> OidcSettings | None:
    """The OIDC settings from ``KEDJA_OIDC_*`` variables, or ``None`` when not configured.

    Raises:
        ConfigurationError: some but not all of the required variables are set.

    Examples:
        >>> oidc_settings_from_env({}) is None
        True
        >>> oidc_settings_from_env({"KEDJA_OIDC_ISSUER": "https://idp.example",
        ...     "KEDJA_OIDC_CLIENT_ID": "kedja", "KEDJA_OIDC_CLIENT_SECRET": "s"}).client_id
        'kedja'
    """
    env = os.environ if env is None else env
    names = ("KEDJA_OIDC_ISSUER", "KEDJA_OIDC_CLIENT_ID", "KEDJA_OIDC_CLIENT_SECRET")
    given = {n: env.get(n, "") for n in names}
    if not any(given.values()):
        return None
    missing = [n for n, v in given.items() if not v]
    if missing:
        raise ConfigurationError(f"single sign-on is half configured: {', '.join(missing)} unset",
                                 field=missing[0], hint="set all three KEDJA_OIDC_ISSUER, "
                                 "KEDJA_OIDC_CLIENT_ID and KEDJA_OIDC_CLIENT_SECRET, or none")
    return OidcSettings(
        issuer=given["KEDJA_OIDC_ISSUER"].rstrip("/"), client_id=given["KEDJA_OIDC_CLIENT_ID"],
        client_secret=given["KEDJA_OIDC_CLIENT_SECRET"],
        redirect_url=env.get("KEDJA_OIDC_REDIRECT_URL") or None,
        scopes=env.get("KEDJA_OIDC_SCOPES") or "openid email profile",
        label=env.get("KEDJA_OIDC_LABEL") or "Single sign-on")


@dataclass
class OidcClient:
    """Talks to one provider; ``transport`` lets tests put a stub provider in-process."""

    settings: OidcSettings
    transport: Any = None
    _metadata: dict[str, Any] | None = field(default=None, repr=False)

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document (read once)."""
        if self._metadata is None:
            url = f"{self.settings.issuer}/.well-known/openid-configuration"
            try:
                with self._client(None) as http:
                    response = http.request("GET", url, withhold_token=True)
                    response.raise_for_status()
                    self._metadata = response.json()
            except (httpx2.HTTPError, ValueError) as error:
                raise ConfigurationError(f"the OIDC provider does not answer at {url}: {error}",
                                         field="KEDJA_OIDC_ISSUER", value=self.settings.issuer,
                                         hint="check the issuer URL and the network") from None
        return self._metadata

    def _client(self, redirect_uri: str | None) -> OAuth2Client:
        return OAuth2Client(self.settings.client_id, self.settings.client_secret,
                            scope=self.settings.scopes, redirect_uri=redirect_uri,
                            transport=self.transport, timeout=10)

    def authorization_url(self, redirect_uri: str) -> tuple[str, str, str]:
        """Where to send the browser, with the fresh ``state`` and ``nonce`` to remember."""
        nonce = secrets.token_urlsafe(24)
        with self._client(redirect_uri) as client:
            url, state = client.create_authorization_url(
                self.metadata()["authorization_endpoint"], nonce=nonce)
        return url, state, nonce

    def verified_claims(self, *, code: str, redirect_uri: str, nonce: str) -> dict[str, Any]:
        """Exchange the code for tokens and return the ID token's checked claims.

        Raises:
            Unauthenticated: the provider refused the code or the ID token does not verify.
        """
        meta = self.metadata()
        try:
            with self._client(redirect_uri) as client:
                token = client.fetch_token(meta["token_endpoint"], code=code)
                keys = KeySet.import_key_set(
                    client.request("GET", meta["jwks_uri"], withhold_token=True).json())
            decoded = jwt.decode(token["id_token"], keys, algorithms=["RS256", "ES256"])
            jwt.JWTClaimsRegistry(
                leeway=60, iss={"essential": True, "value": meta["issuer"]},
                aud={"essential": True, "value": self.settings.client_id},
                nonce={"essential": True, "value": nonce}, sub={"essential": True},
                exp={"essential": True},
            ).validate(decoded.claims)
            claims = decoded.claims
        except (JoseError, KeyError, ValueError, OAuthError, httpx2.HTTPError) as error:
            raise Unauthenticated(f"the identity provider's answer does not verify: {error}",
                                  field="id_token", hint="try signing in again") from None
        return dict(claims)
