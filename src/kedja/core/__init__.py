"""Domain types and errors: no I/O, no framework.

Import from the modules (``kedja.core.people``, ``kedja.core.opportunities``, …); this package
re-exports the error tree, which every layer uses.
"""

from kedja.core.errors import (
    ConfigurationError,
    Conflict,
    Forbidden,
    Infeasible,
    InvalidInput,
    KedjaError,
    NotFound,
    TooManyAttempts,
    Unauthenticated,
)

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
