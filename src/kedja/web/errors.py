"""One error shape for the whole API: RFC 9457 problem details.

Every error answers ``application/problem+json`` with the status of its
:class:`~kedja.core.errors.KedjaError` class: the standard members ``type`` (a URN naming the
problem, ``urn:kedja:problem:<code>``), ``title``, ``status``, ``detail`` and ``instance`` (the
path asked for), and Kedja's extension members ``code``, ``message`` (as ``detail``),
``field``, ``value``, ``hint`` (the fix) and ``location`` (file, line). ``error`` repeats the
extension members as one object, the shape before problem details, for clients written
against it. A test pins the shape.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from kedja.core.errors import KedjaError

__all__ = ["API_PREFIXES", "PROBLEM_MEDIA_TYPE", "ErrorBody", "ErrorResponse",
           "install_error_handlers", "is_api_path", "is_download_path"]

PROBLEM_MEDIA_TYPE = "application/problem+json"

API_PREFIXES = ("/api/", "/health", "/openapi.json", "/docs", "/redoc", "/hsds")
PageError = Callable[[Request, int, "ErrorBody"], Response]


def is_api_path(path: str) -> bool:
    """Whether a path belongs to the JSON API (errors as JSON) rather than the pages (HTML).

    Examples:
        >>> is_api_path("/api/v1/people"), is_api_path("/people")
        (True, False)
    """
    return path.startswith(API_PREFIXES)


DOWNLOAD_SUFFIXES = (".csv", ".xlsx", ".json", ".zip")


def is_download_path(path: str) -> bool:
    """Whether a page path answers with a file: its errors are problem details, never a page.

    A refused download must not answer 200 with the sign-in page (a script saving the answer
    would store HTML as the file), so an anonymous request gets 401 instead of the redirect.

    Examples:
        >>> is_download_path("/admin/audit.csv"), is_download_path("/admin/audit")
        (True, False)
    """
    return path.endswith(DOWNLOAD_SUFFIXES)


class ErrorBody(BaseModel):
    """The fields of an error."""

    code: str
    message: str
    field: str | None = None
    value: str | None = None
    hint: str | None = None
    location: str | None = None


class ErrorResponse(BaseModel):
    """The shape of every error the API returns (RFC 9457 problem details, with extensions)."""

    type: str = Field(description="A URN naming the problem: urn:kedja:problem:<code>.")
    title: str = Field(description="The HTTP status phrase.")
    status: int
    detail: str = Field(description="What went wrong, with the value and place.")
    instance: str = Field(description="The path of the request.")
    code: str
    message: str
    field: str | None = None
    value: str | None = None
    hint: str | None = Field(default=None, description="The fix.")
    location: str | None = None
    error: ErrorBody = Field(description="The same members as one object (the shape before "
                                         "problem details).")


def _respond(status: int, body: dict[str, Any], instance: str) -> JSONResponse:
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    problem = {"type": f"urn:kedja:problem:{body['code']}", "title": title, "status": status,
               "detail": body["message"], "instance": instance, **body, "error": body}
    return JSONResponse(status_code=status, content=problem, media_type=PROBLEM_MEDIA_TYPE)


def install_error_handlers(app: FastAPI, page_error: PageError | None = None) -> None:
    """Turn Kedja, HTTP and validation errors into the one error shape.

    Pages (paths outside :data:`API_PREFIXES`) answer with ``page_error``'s HTML instead, when
    one is given; the API always answers with the JSON shape.
    """

    def answer(request: Request, status: int, body: ErrorBody) -> Response:
        path = request.url.path
        if page_error is not None and not is_api_path(path) and not is_download_path(path):
            return page_error(request, status, body)
        response = _respond(status, body.model_dump(), request.url.path)
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Cookie realm="kedja"'
        return response

    @app.exception_handler(KedjaError)
    async def kedja_error(request: Request, error: KedjaError) -> Response:
        return answer(request, error.status, ErrorBody(**error.as_dict()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        body = ErrorBody(code=f"http_{error.status_code}", message=str(error.detail))
        return answer(request, error.status_code, body)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        body = ErrorBody(code="invalid_input", message=f"{first.get('msg', 'invalid input')}",
                         field=where or None, value=None if "input" not in first
                         else str(first["input"])[:200],
                         hint="correct the field named and send the request again")
        return answer(request, 422, body)
