"""One error tree for all of Kedja.

Every error carries the HTTP status it maps to, so the web layer can translate it without
knowing the cause, and a message that names the bad value, what was expected and the fix.

Examples:
    >>> err = InvalidInput("'25x0' is not a municipality code", field="code", value="25x0",
    ...                    hint="use the four digits of SCB's code, for instance '2580'")
    >>> err.status, err.code
    (422, 'invalid_input')
    >>> str(err)
    "'25x0' is not a municipality code (field 'code'). Fix: use the four digits of SCB's code, ..."
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ConfigurationError",
    "Conflict",
    "Forbidden",
    "Infeasible",
    "InvalidInput",
    "KedjaError",
    "NotFound",
    "TooManyAttempts",
    "Unauthenticated",
]


class KedjaError(Exception):
    """Base of every error Kedja raises on purpose.

    Attributes:
        status: the HTTP status the web layer answers with.
        code: a stable machine-readable code used in the JSON error shape.
        field: the field (or column) the error is about, when there is one.
        value: the offending value, when there is one.
        hint: what the user can do about it.
        location: where the input came from, e.g. ``"pack.json, line 12"``.
    """

    status = 500
    code = "error"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        value: Any = None,
        hint: str | None = None,
        location: str | None = None,
    ) -> None:
        self.message = message
        self.field = field
        self.value = value
        self.hint = hint
        self.location = location
        super().__init__(self._render())

    def _render(self) -> str:
        text = self.message
        where = [part for part in (self.location, self.field and f"field '{self.field}'") if part]
        if where:
            text += f" ({', '.join(where)})"
        text += "."
        if self.hint:
            text += f" Fix: {self.hint}."
        return text

    def as_dict(self) -> dict[str, Any]:
        """The error as the JSON shape the API returns (see ``kedja.web.errors``)."""
        return {
            "code": self.code,
            "message": str(self),
            "field": self.field,
            "value": None if self.value is None else str(self.value),
            "hint": self.hint,
            "location": self.location,
        }


class InvalidInput(KedjaError):
    """A value does not meet the domain's rules."""

    status = 422
    code = "invalid_input"


class NotFound(KedjaError):
    """A referenced record does not exist."""

    status = 404
    code = "not_found"


class Forbidden(KedjaError):
    """The user may not do this (role, organisation or consent)."""

    status = 403
    code = "forbidden"


class Conflict(KedjaError):
    """The request clashes with the current state (duplicate, illegal state change)."""

    status = 409
    code = "conflict"


class Infeasible(KedjaError):
    """An optimisation problem has no solution under its constraints."""

    status = 422
    code = "infeasible"


class ConfigurationError(KedjaError):
    """Kedja is configured wrongly (database URL, paths); the message says what to change."""

    status = 500
    code = "configuration"


class Unauthenticated(KedjaError):
    """The request carries no valid sign-in (missing, expired or revoked session)."""

    status = 401
    code = "unauthenticated"


class TooManyAttempts(KedjaError):
    """Too many failed attempts: the account is locked for a while."""

    status = 429
    code = "too_many_attempts"
