"""Sign-in for every route in one dependency, CSRF checks, cookies and security headers.

Each route declares its access with exactly one of two dependencies:

- ``Depends(require(Permission.X))`` (or the :data:`SignedInDep` alias for "any signed-in
  user"): the request must carry a live session cookie whose user holds the permission, and an
  unsafe method must also carry the session's CSRF token (``X-CSRF-Token`` header or a
  ``csrf_token`` form field);
- ``Depends(public())``: open to anyone, for public aggregates and the sign-in page.

:func:`route_access` reads that declaration back from a route, so the role × route matrix test
(``tests/web/test_access_matrix.py``) can refuse any route that declares nothing. The rules about
*which* records a user may see live in ``kedja.services`` and are applied there again.
"""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from kedja import services
from kedja.core.access import Permission, require_permission
from kedja.core.errors import Forbidden, Unauthenticated
from kedja.services import SignedIn
from kedja.web.deps import get_engine

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "AccessDeclaration",
    "PublicDep",
    "SignedInDep",
    "app_routes",
    "clear_session_cookie",
    "is_csrf_valid",
    "is_secure_request",
    "optional_signed_in",
    "public",
    "require",
    "route_access",
    "set_session_cookie",
]

SESSION_COOKIE = "kedja_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ACCESS_ATTRIBUTE = "__kedja_access__"


@dataclass(frozen=True, slots=True)
class AccessDeclaration:
    """What a route declared: public, or signed in with (optionally) one permission."""

    public: bool
    permission: Permission | None = None


def is_csrf_valid(expected: str, given: str | None) -> bool:
    """Whether a submitted CSRF token matches, compared in constant time.

    Examples:
        >>> is_csrf_valid("abc", "abc"), is_csrf_valid("abc", "abd"), is_csrf_valid("abc", None)
        (True, False, False)
    """
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


async def _submitted_csrf(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header is not None:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def _signed_in(request: Request) -> SignedIn:
    cached = getattr(request.state, "signed_in", None)
    if cached is not None:
        return cached
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise Unauthenticated("you are not signed in", hint="sign in at /login")
    signed = await run_in_threadpool(services.signed_in, get_engine(request), token)
    if request.method not in SAFE_METHODS and not is_csrf_valid(
            signed.csrf_token, await _submitted_csrf(request)):
        raise Forbidden("the request carries no valid CSRF token", field=CSRF_HEADER,
                        hint=f"send the session's token in the {CSRF_HEADER} header or the "
                             f"{CSRF_FIELD} form field; reload the page to get a fresh one")
    request.state.signed_in = signed
    return signed


def require(permission: Permission | None = None) -> Callable[[Request], Awaitable[SignedIn]]:
    """A dependency that admits signed-in users holding ``permission`` (any user for ``None``)."""

    async def signed_in_with_permission(request: Request) -> SignedIn:
        signed = await _signed_in(request)
        if permission is not None:
            require_permission(signed.principal, permission)
        return signed

    setattr(signed_in_with_permission, ACCESS_ATTRIBUTE,
            AccessDeclaration(public=False, permission=permission))
    return signed_in_with_permission


def public() -> Callable[[Request], Awaitable[SignedIn | None]]:
    """A dependency that admits anyone; it still tells who is signed in, if anyone."""

    async def anyone(request: Request) -> SignedIn | None:
        return await optional_signed_in(request)

    setattr(anyone, ACCESS_ATTRIBUTE, AccessDeclaration(public=True))
    return anyone


async def optional_signed_in(request: Request) -> SignedIn | None:
    """The signed-in user, or ``None`` (never raises for a missing or stale session)."""
    try:
        return await _signed_in(request)
    except (Unauthenticated, Forbidden):
        return None


SignedInDep = Annotated[SignedIn, Depends(require())]
"""Any signed-in user (each service function still checks its own permission)."""
PublicDep = Annotated[SignedIn | None, Depends(public())]
"""Anyone; the signed-in user when there is one."""


def _declarations(dependant: Dependant) -> list[AccessDeclaration]:
    found = []
    for sub in dependant.dependencies:
        declared = getattr(sub.call, ACCESS_ATTRIBUTE, None)
        if isinstance(declared, AccessDeclaration):
            found.append(declared)
        found += _declarations(sub)
    return found


def route_access(route: APIRoute | Any) -> list[AccessDeclaration]:
    """The access declarations of a route (router-level dependencies included)."""
    return _declarations(route.dependant)


def app_routes(app: FastAPI) -> list[Any]:
    """Every API route of ``app`` with its effective path and dependencies.

    FastAPI 0.16x keeps included routers as nodes in ``app.routes``; older versions flatten
    them. Either way this lists each route once, with ``path``, ``path_format``, ``methods``
    and ``dependant`` as the app serves it.
    """
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # pragma: no cover - FastAPI before included-router nodes
        return [r for r in app.routes if isinstance(r, APIRoute)]
    return [c for c in iter_route_contexts(app.routes) if isinstance(c.original_route, APIRoute)]


def is_secure_request(request: Request) -> bool:
    """Whether cookies must be ``Secure``: served over https, or forced by configuration."""
    return request.url.scheme == "https" or os.environ.get("KEDJA_SECURE_COOKIES") == "1"


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    """Send the session token: HttpOnly, SameSite=Lax, Secure over https, for the session."""
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", path="/",
                        secure=is_secure_request(request),
                        max_age=services.accounts.SESSION_HOURS * 3600)


def clear_session_cookie(response: Response, request: Request) -> None:
    """Remove the session cookie from the browser."""
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=is_secure_request(request))


def new_form_token() -> str:
    """A random token for a form shown before sign-in (double-submit cookie)."""
    return secrets.token_urlsafe(32)


