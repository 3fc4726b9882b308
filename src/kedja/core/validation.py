"""Small checks used at the boundary of every domain type.

Each raises :class:`~kedja.core.errors.InvalidInput` with the value, the field and the fix.

Examples:
    >>> digits("2580", 4, field="municipality_code")
    '2580'
    >>> digits("258", 4, field="municipality_code")
    Traceback (most recent call last):
    ...
    kedja.core.errors.InvalidInput: '258' is not a 4-digit code (field 'municipality_code'). Fix: write the code as 4 digits, with leading zeros.
    >>> fraction(1.2, field="remote_share")
    Traceback (most recent call last):
    ...
    kedja.core.errors.InvalidInput: 1.2 is outside [0, 1] (field 'remote_share'). Fix: give a share between 0 and 1, for instance 0.25 for a quarter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from enum import Enum
from typing import TypeVar

from kedja.core.errors import InvalidInput

__all__ = [
    "digits",
    "enum_value",
    "fraction",
    "in_range",
    "luhn_ok",
    "non_empty",
    "ordered_dates",
    "organisation_number",
]

E = TypeVar("E", bound=Enum)
N = TypeVar("N", int, float)


def digits(value: str, length: int, *, field: str) -> str:
    """Return ``value`` if it is exactly ``length`` ASCII digits."""
    if not isinstance(value, str) or not re.fullmatch(rf"[0-9]{{{length}}}", value):
        raise InvalidInput(
            f"{value!r} is not a {length}-digit code",
            field=field,
            value=value,
            hint=f"write the code as {length} digits, with leading zeros",
        )
    return value


def non_empty(value: str, *, field: str) -> str:
    """Return ``value`` stripped, refusing an empty or blank string."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{value!r} is empty", field=field, value=value, hint="give a value")
    return value.strip()


def in_range(value: N, low: N | None, high: N | None, *, field: str) -> N:
    """Return ``value`` if ``low <= value <= high`` (``None`` means unbounded)."""
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"[{'-inf' if low is None else low}, {'inf' if high is None else high}]"
        raise InvalidInput(
            f"{value!r} is outside {bounds}",
            field=field,
            value=value,
            hint=f"give a value in {bounds}",
        )
    return value


def fraction(value: float, *, field: str) -> float:
    """Return ``value`` if it is a share in [0, 1]."""
    if not 0.0 <= value <= 1.0:
        raise InvalidInput(
            f"{value!r} is outside [0, 1]",
            field=field,
            value=value,
            hint="give a share between 0 and 1, for instance 0.25 for a quarter",
        )
    return float(value)


def enum_value(enum: type[E], value: object, *, field: str) -> E:
    """Return the member of ``enum`` named or valued ``value``.

    Examples:
        >>> from kedja.core.organisations import OrganisationKind
        >>> enum_value(OrganisationKind, "asf", field="kind").name
        'ASF'
    """
    if isinstance(value, enum):
        return value
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in enum)
        raise InvalidInput(
            f"{value!r} is not a known {enum.__name__}",
            field=field,
            value=value,
            hint=f"use one of {allowed}",
        ) from None


def ordered_dates(start: date | None, end: date | None, *, field: str) -> None:
    """Refuse an end date before its start date."""
    if start is not None and end is not None and end < start:
        raise InvalidInput(
            f"ends {end.isoformat()} before it starts {start.isoformat()}",
            field=field,
            value=end.isoformat(),
            hint="swap the dates or correct the end date",
        )


def luhn_ok(number: Iterable[int]) -> bool:
    """Whether a digit sequence passes the Luhn (mod 10) check used by Swedish numbers.

    Examples:
        >>> luhn_ok([5, 5, 6, 0, 3, 6, 0, 7, 9, 3])
        True
    """
    total = 0
    for index, digit in enumerate(reversed(list(number))):
        doubled = digit * 2 if index % 2 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0


def organisation_number(value: str, *, field: str = "org_number") -> str:
    """Return a Swedish organisation number normalised to ``NNNNNN-NNNN``.

    Examples:
        >>> organisation_number("5560360793")
        '556036-0793'
        >>> organisation_number("556036-0794")
        Traceback (most recent call last):
        ...
        kedja.core.errors.InvalidInput: '556036-0794' fails the check digit of an organisation number (field 'org_number'). Fix: check the last digit against the Bolagsverket register.
    """
    compact = value.replace("-", "").strip() if isinstance(value, str) else ""
    if not re.fullmatch(r"[0-9]{10}", compact):
        raise InvalidInput(
            f"{value!r} is not an organisation number",
            field=field,
            value=value,
            hint="write ten digits as NNNNNN-NNNN, for instance '212000-2723'",
        )
    if not luhn_ok(int(c) for c in compact):
        raise InvalidInput(
            f"{value!r} fails the check digit of an organisation number",
            field=field,
            value=value,
            hint="check the last digit against the Bolagsverket register",
        )
    return f"{compact[:6]}-{compact[6:]}"
