"""Sign-in and sign-out pages: passwords, and OpenID Connect when configured."""

from __future__ import annotations

import functools
import secrets
from typing import Annotated
from urllib.parse import quote, unquote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kedja import services
from kedja.core.errors import NotFound, TooManyAttempts, Unauthenticated
from kedja.web import i18n
from kedja.web.deps import EngineDep
from kedja.web.oidc import OidcClient
from kedja.web.pages import render
from kedja.web.security import (
    SESSION_COOKIE,
    PublicDep,
    SignedInDep,
    clear_session_cookie,
    is_csrf_valid,
    is_secure_request,
    set_session_cookie,
)

__all__ = ["router", "safe_next"]

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "kedja_login_csrf"
OIDC_COOKIE = "kedja_oidc"


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a local path only, never another site.

    Examples:
        >>> safe_next("/people?page=2"), safe_next("https://evil.example/"), safe_next("//x")
        ('/people?page=2', '/', '/')
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\\\" in target:
        return "/"
    return target


def _login_form(request: Request, *, next_url: str, error: str | None = None,
                username: str = "", status_code: int = 200) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    response = render(request, "login.html", {
        "active": "login", "form_token": token, "next_url": next_url, "error": error,
        "username": username}, status_code=status_code)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=is_secure_request(request), max_age=3600, path="/login")
    return response


NextQuery = Annotated[str | None, Query(alias="next", max_length=2000)]


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, _anyone: PublicDep, next_url: NextQuery = None) -> Response:
    """The sign-in form."""
    return _login_form(request, next_url=safe_next(next_url))


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request, engine: EngineDep, _anyone: PublicDep,
    username: Annotated[str, Form(max_length=255)], password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(max_length=128)] = "",
    next_url: Annotated[str, Form(alias="next", max_length=2000)] = "/",
) -> Response:
    """Check the password; on success start a new session (a fresh token: no fixation)."""
    target = safe_next(next_url)
    if not is_csrf_valid(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf_token or None):
        return _login_form(request, next_url=target, username=username, status_code=403,
                           error=_t(request, "The form had expired. Please sign in again."))
    address = request.client.host if request.client else "-"
    try:
        signed = await run_in_threadpool(
            functools.partial(services.sign_in, engine, username, password, address=address))
    except TooManyAttempts:
        return _login_form(request, next_url=target, username=username, status_code=429,
                           error=_t(request, "Too many failed sign-ins from this address: try again "
                                             "in a few minutes."))
    except Unauthenticated:
        return _login_form(request, next_url=target, username=username, status_code=401,
                           error=_t(request, "Wrong username or password."))
    response = RedirectResponse(target, status_code=303)
    assert signed.token is not None
    set_session_cookie(response, request, signed.token)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


def _t(request: Request, message: str) -> str:
    i18n.use_locale(i18n.choose_locale(request.query_params.get("lang"),
                                       request.cookies.get("kedja_lang")))
    return i18n.gettext(message)


@router.post("/logout")
def logout(request: Request, engine: EngineDep, _signed: SignedInDep) -> Response:
    """End the session (the form carries the CSRF token, checked by the dependency)."""
    services.sign_out(engine, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(response, request)
    return response


def _oidc(request: Request) -> OidcClient:
    client: OidcClient | None = getattr(request.app.state, "oidc", None)
    if client is None:
        raise NotFound("single sign-on is not configured", field="KEDJA_OIDC_ISSUER",
                         hint="sign in with a password, or ask the administrator to set "
                              "KEDJA_OIDC_* (see docs/security.md)")
    return client


def _redirect_uri(request: Request, client: OidcClient) -> str:
    return client.settings.redirect_url or str(request.url_for("oidc_callback"))


@router.get("/auth/oidc/login")
def oidc_login(request: Request, _anyone: PublicDep, next_url: NextQuery = None) -> Response:
    """Send the browser to the identity provider, remembering state and nonce in a cookie."""
    client = _oidc(request)
    url, state, nonce = client.authorization_url(_redirect_uri(request, client))
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(OIDC_COOKIE, f"{state} {nonce} {quote(safe_next(next_url))}",
                        httponly=True, samesite="lax", secure=is_secure_request(request),
                        max_age=600, path="/auth/oidc")
    return response


@router.get("/auth/oidc/callback", name="oidc_callback")
def oidc_callback(request: Request, engine: EngineDep, _anyone: PublicDep,
                  code: Annotated[str, Query(max_length=2000)],
                  state: Annotated[str, Query(max_length=256)]) -> Response:
    """Check the provider's answer, then start a session for the matching Kedja account."""
    client = _oidc(request)
    remembered = request.cookies.get(OIDC_COOKIE, "").split(" ")
    if len(remembered) != 3 or not is_csrf_valid(remembered[0], state):
        raise Unauthenticated("the sign-in answer does not match this browser's request",
                              field="state", hint="start the sign-in again")
    claims = client.verified_claims(code=code, redirect_uri=_redirect_uri(request, client),
                                    nonce=remembered[1])
    signed = services.sign_in_oidc(engine, subject=str(claims["sub"]),
                                   email=claims.get("email"))
    response = RedirectResponse(safe_next(unquote(remembered[2])), status_code=303)
    assert signed.token is not None
    set_session_cookie(response, request, signed.token)
    response.delete_cookie(OIDC_COOKIE, path="/auth/oidc")
    return response
