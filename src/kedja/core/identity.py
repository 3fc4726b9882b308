"""Who a person is: display name and Swedish personal identity or coordination number.

The numbers are checked with python-stdnum (the Luhn check digit and the birth date of a
*personnummer*; a *samordningsnummer* is the same with 60 added to the day, Skatteverket SKV 707).
Kedja stores both encrypted (see ``kedja.store.identity``); this module only validates and
normalises, so the rule is the same in a file loader, a form and a search box.

Examples:
    >>> personal_number("640823-3234")
    '19640823-3234'
    >>> personal_number("196408833231")  # a coordination number: day 23 + 60
    '19640883-3231'
    >>> personal_number("640823-3235")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kedja.core.errors.InvalidInput: '640823-3235' has a wrong check digit ...
    >>> display_name("  anna   lindqvist ")
    'anna lindqvist'
"""

from __future__ import annotations

import datetime as dt
import re

from stdnum import luhn
from stdnum.exceptions import ValidationError
from stdnum.se import personnummer

from kedja.core.errors import InvalidInput

__all__ = ["display_name", "is_coordination_number", "personal_number"]

_HINT = ("write the 12 digits YYYYMMDD-NNNN (or 10 digits YYMMDD-NNNN) from the person's ID "
         "document; a coordination number has 60 added to the day")


def _wrong(value: str, reason: str) -> InvalidInput:
    return InvalidInput(f"{value!r} {reason}", field="personal_number", value=value, hint=_HINT)


def _twelve(value: str) -> str:
    compact = re.sub(r"[\s-]", "", value.strip())
    sep = "+" if "+" in compact else "-"
    compact = compact.replace("+", "")
    if not compact.isdigit() or len(compact) not in (10, 12):
        raise _wrong(value, "is not a personal identity number (10 or 12 digits)")
    if len(compact) == 12:
        return compact
    today = dt.date.today()
    century = today.year // 100 - (int(compact[:2]) > today.year % 100) - (sep == "+")
    return f"{century:02d}{compact}"


def personal_number(value: str) -> str:
    """A personal identity or coordination number, checked, as ``YYYYMMDD-NNNC``.

    Raises:
        InvalidInput: not 10 or 12 digits, a date that does not exist, or a wrong check digit.
    """
    digits = _twelve(value)
    day = int(digits[6:8])
    birth_day = day - 60 if day > 60 else day
    try:
        dt.date(int(digits[:4]), int(digits[4:6]), birth_day)
    except ValueError:
        raise _wrong(value, "holds no valid birth date") from None
    try:
        if day > 60:
            luhn.validate(digits[2:])
        else:
            personnummer.validate(f"{digits[:8]}-{digits[8:]}")
    except ValidationError:
        raise _wrong(value, "has a wrong check digit (the last digit)") from None
    return f"{digits[:8]}-{digits[8:]}"


def is_coordination_number(number: str) -> bool:
    """Whether a checked number (``YYYYMMDD-NNNC``) is a coordination number.

    Examples:
        >>> is_coordination_number('19640883-3231'), is_coordination_number('19640823-3234')
        (True, False)
    """
    return int(number[6:8]) > 60


def display_name(value: str) -> str:
    """A person's name as shown: trimmed, inner spaces collapsed, 1–200 characters.

    Raises:
        InvalidInput: empty, or longer than 200 characters.
    """
    name = " ".join(value.split())
    if not name or len(name) > 200:
        raise InvalidInput(f"{value!r} is not a name", field="name", value=value,
                           hint="give the name the person uses, 1 to 200 characters")
    return name
