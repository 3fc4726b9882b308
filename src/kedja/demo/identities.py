"""Fake names and personal numbers for the demo's people, seeded.

The names combine hand-picked first names and surnames common in Sweden (with names of the
largest groups born abroad, since the demo has new arrivals); none is drawn from a register.
The numbers are generated, not looked up: a birth date from the person's birth year (from the
protected attributes, used here only to make the date plausible) and a random serial with a
valid Luhn check digit (python-stdnum), so they pass every check a real file must pass. They
may coincide with real numbers; Skatteverket's published test numbers (*testpersonnummer*) are
the list to switch to when a pack of them is added (see docs/loading.md).

Examples:
    >>> from kedja.core.ids import PersonId
    >>> found = demo_identities([PersonId("P1")], {PersonId("P1"): 1990}, seed=42)
    >>> sorted(found) == [PersonId("P1")] and found[PersonId("P1")][1][:4]
    '1990'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import numpy as np
from stdnum import luhn

from kedja.core.ids import PersonId

__all__ = ["FIRST_NAMES", "SURNAMES", "demo_identities"]

FIRST_NAMES = (
    "Anna", "Eva", "Maria", "Karin", "Sara", "Emma", "Elin", "Linnea", "Maja", "Ida", "Johanna",
    "Sofia", "Hanna", "Amanda", "Frida", "Ebba", "Klara", "Ingrid", "Lena", "Malin", "Erik",
    "Lars", "Anders", "Johan", "Per", "Karl", "Nils", "Jonas", "Oskar", "Lucas", "William",
    "Elias", "Hugo", "Axel", "Viktor", "Emil", "Magnus", "Mikael", "Fredrik", "Henrik",
    "Ahmed", "Mohammed", "Ali", "Yusuf", "Omar", "Fatima", "Amina", "Layla", "Hassan", "Noor",
    "Abdi", "Hodan", "Yonas", "Selam", "Olena", "Dmytro", "Agnieszka", "Piotr", "Aino", "Mikko",
)
SURNAMES = (
    "Johansson", "Andersson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Lindqvist", "Lindberg", "Lundgren", "Nordström", "Berglund",
    "Lindström", "Öberg", "Holmström", "Sandberg", "Wikström", "Nyström", "Marklund", "Burman",
    "Lundström", "Isaksson", "Boström", "Hedlund", "Nordin", "Ahmed", "Mohamed", "Hassan",
    "Ali", "Abdullahi", "Tesfaye", "Haile", "Kowalski", "Nowak", "Shevchenko", "Koskinen",
    "Niemi", "Sarri", "Kuoljok", "Pavval", "Blind", "Partapuoli",
)


def _number(birth: date, serial: int) -> str:
    body = f"{birth:%y%m%d}{serial:03d}"
    return f"{birth:%Y%m%d}-{serial:03d}{luhn.calc_check_digit(body)}"


def demo_identities(people: Sequence[PersonId], birth_years: Mapping[PersonId, int | None], *,
                    seed: int, today_year: int = 2026) -> dict[PersonId, tuple[str, str]]:
    """A (name, personal number) for each person, the same for the same seed; numbers unique."""
    rng = np.random.default_rng([seed, 15])
    firsts = rng.integers(0, len(FIRST_NAMES), len(people))
    lasts = rng.integers(0, len(SURNAMES), len(people))
    days = rng.integers(0, 365, len(people))
    serials = rng.integers(0, 1000, len(people))
    fallback = rng.integers(today_year - 64, today_year - 18, len(people))
    used: set[str] = set()
    found: dict[PersonId, tuple[str, str]] = {}
    for i, pid in enumerate(people):
        year = birth_years.get(pid) or int(fallback[i])
        birth = date(year, 1, 1) + timedelta(days=int(days[i]) % (365 if year % 4 else 366))
        serial = int(serials[i])
        number = _number(birth, serial)
        while number in used:
            serial = (serial + 1) % 1000
            number = _number(birth, serial)
        used.add(number)
        found[pid] = (f"{FIRST_NAMES[firsts[i]]} {SURNAMES[lasts[i]]}", number)
    return found
