"""One JSON error shape for the whole API.

Every error answers ``{"error": {"code", "message", "field", "value", "hint", "location"}}``
with the status of its :class:`~kedja.core.errors.KedjaError` class; a test pins the shape.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from kedja.core.errors import KedjaError

__all__ = ["API_PREFIXES", "ErrorBody", "ErrorResponse", "install_error_handlers", "is_api_path"]

API_PREFIXES = ("/api/", "/health", "/openapi.json", "/docs", "/redoc", "/hsds")
PageError = Callable[[Request, int, "ErrorBody"], Response]


def is_api_path(path: str) -> bool:
    """Whether a path belongs to the JSON API (errors as JSON) rather than the pages (HTML).

    Examples:
        >>> is_api_path("/api/v1/people"), is_api_path("/people")
        (True, False)
    """
    return path.startswith(API_PREFIXES)


class ErrorBody(BaseModel):
    """The fields of an error."""

    code: str
    message: str
    field: str | None = None
    value: str | None = None
    hint: str | None = None
    location: str | None = None


class ErrorResponse(BaseModel):
    """The shape of every error the API returns."""

    error: ErrorBody


def _respond(status: int, body: dict[str, object]) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": body})


def install_error_handlers(app: FastAPI, page_error: PageError | None = None) -> None:
    """Turn Kedja, HTTP and validation errors into the one error shape.

    Pages (paths outside :data:`API_PREFIXES`) answer with ``page_error``'s HTML instead, when
    one is given; the API always answers with the JSON shape.
    """

    def answer(request: Request, status: int, body: ErrorBody) -> Response:
        if page_error is not None and not is_api_path(request.url.path):
            return page_error(request, status, body)
        response = _respond(status, body.model_dump())
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
