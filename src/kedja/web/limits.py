"""Request body limits, checked before a byte of the body is read (an ASGI middleware).

Every request body has a cap: small for anonymous callers (sign-in forms and the like need a
few kilobytes), larger for a signed-in user, largest for the upload routes. A declared
``Content-Length`` over the cap is refused with 413 at once, without reading the body; a body
sent without a length (chunked) is refused from an anonymous caller, and from a signed-in one
counted as it streams in and refused as soon as it passes the cap, so no more than the cap is
ever held in memory. A session is looked up only when a
body is larger than the anonymous cap, so an anonymous flood costs one header check.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

from fastapi import HTTPException
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from kedja import services
from kedja.core.errors import KedjaError

__all__ = ["ANONYMOUS_BYTES", "SIGNED_IN_BYTES", "UPLOAD_BYTES", "UPLOAD_PATHS", "BodyLimit"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

ANONYMOUS_BYTES = 64 * 1024
"""An anonymous request: the sign-in form is under 1 KB."""
SIGNED_IN_BYTES = 2 * 1024 * 1024
"""A signed-in request: JSON bodies of the API (a posting, a consent, ratings)."""
UPLOAD_BYTES = 50 * 1024 * 1024
"""An upload route (an HSDS directory: the region's is well under 1 MB)."""
UPLOAD_PATHS = frozenset({"/api/v1/directory/hsds"})
SESSION_COOKIE = "kedja_session"


class _TooLarge(HTTPException):
    """Raised while a streamed body is read past the cap.

    FastAPI passes HTTP errors on as they are, and the app's handler answers it in the one
    error shape.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")


def _body(limit: int) -> bytes:
    error = KedjaError(f"the request body is larger than {limit:,} bytes".replace(",", " "),
                       hint="send a smaller body; sign in first if you have not" if
                       limit == ANONYMOUS_BYTES else "send a smaller body or file")
    return json.dumps({"error": {**error.as_dict(), "code": "payload_too_large"}}).encode()


async def _refuse(send: Send, limit: int) -> None:
    body = _body(limit)
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuse request bodies over the caller's cap before reading them (413)."""

    def __init__(self, app: App, engine: Engine) -> None:
        self.app = app
        self.engine = engine

    async def _signed_in(self, scope: Scope) -> bool:
        headers = dict(scope.get("headers") or [])
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get(b"cookie", b"").decode("latin-1"))
        except Exception:  # a malformed cookie header is no session
            return False
        morsel = cookie.get(SESSION_COOKIE)
        if morsel is None or not morsel.value:
            return False
        try:
            await run_in_threadpool(services.signed_in, self.engine, morsel.value)
        except KedjaError:
            return False
        return True

    async def _limit(self, scope: Scope, size: int | None) -> int:
        if size is not None and size <= ANONYMOUS_BYTES:
            return ANONYMOUS_BYTES  # small enough for anyone: no session lookup
        if not await self._signed_in(scope):
            return ANONYMOUS_BYTES
        return UPLOAD_BYTES if scope.get("path") in UPLOAD_PATHS else SIGNED_IN_BYTES

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the cap, then run the app with a receive that counts what streams in."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        try:
            size = int(declared) if declared is not None else None
        except ValueError:
            size = None
        if size is None and b"transfer-encoding" not in headers:
            size = 0  # no body
        limit = await self._limit(scope, size)
        if (size is not None and size > limit) or (size is None and limit == ANONYMOUS_BYTES):
            # an anonymous caller must declare the length of what it sends
            await _refuse(send, limit)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _refuse(send, limit)
