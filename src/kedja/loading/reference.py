"""The codes a file is checked against: municipalities, localities, occupations, skills, organisations.

The service reads them from the database once per file; the validation only looks them up.
An unknown code gets the nearest known ones as suggestions (rapidfuzz's WRatio over code and
name), so "Lulea" or "2851" points at "2580 Luleå".

Examples:
    >>> ref = Reference(municipalities={"2580": "Luleå", "2581": "Piteå"})
    >>> ref.municipality("luleå"), ref.municipality("2581 Piteå"), ref.municipality("Lulea")
    ('2580', '2581', None)
    >>> ref.suggest_municipality("Lulea")
    ['2580 Luleå']
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

__all__ = ["Reference", "suggestions"]


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _leading_code(text: str) -> str:
    # a drop-down of the template gives "2580 Luleå": the code is what counts
    head, _, rest = text.partition(" ")
    return head if head.isdigit() and rest else text


def suggestions(value: str, labels: dict[str, str], *, limit: int = 3, cutoff: float = 60) -> list[str]:
    """The ``"code name"`` labels nearest to ``value`` (best first)."""
    if not value or not labels:
        return []
    choices = {code: f"{code} {name}" for code, name in labels.items()}
    found = process.extract(value, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=cutoff)
    return [label for label, _score, _code in found]


@dataclass
class Reference:
    """Known codes and names, with look-ups that accept a code or a name."""

    municipalities: dict[str, str] = field(default_factory=dict)
    localities: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Locality id → (municipality code, name)."""
    occupations: dict[str, str] = field(default_factory=dict)
    jobtech_occupations: dict[str, str] = field(default_factory=dict)
    """JobTech occupation-group concept id → SSYK code."""
    skills: dict[str, str] = field(default_factory=dict)
    organisations: dict[str, str] = field(default_factory=dict)
    """Organisation number → organisation id."""

    def __post_init__(self) -> None:
        self._mun_names = {_fold(n): c for c, n in self.municipalities.items()}
        self._occ_names = {_fold(n): c for c, n in self.occupations.items()}
        self._skill_names = {_fold(n): i for i, n in self.skills.items() if n}
        self._loc_names = {(m, _fold(n)): i for i, (m, n) in self.localities.items()}

    def municipality(self, value: str) -> str | None:
        """The municipality code of a code or name, or ``None``."""
        text = _leading_code(value.strip())
        if text in self.municipalities:
            return text
        return self._mun_names.get(_fold(text))

    def suggest_municipality(self, value: str) -> list[str]:
        """The nearest municipality codes with names."""
        return suggestions(value, self.municipalities)

    def occupation(self, value: str) -> str | None:
        """The SSYK 2012 code of a code or an occupation group's Swedish name, or ``None``."""
        text = _leading_code(value.strip())
        if text.isdigit() and len(text) == 3:
            text = "0" + text  # a spreadsheet dropped the leading zero of 0110 etc.
        if text in self.occupations:
            return text
        return self._occ_names.get(_fold(text))

    def suggest_occupation(self, value: str) -> list[str]:
        """The nearest SSYK codes with names."""
        return suggestions(value, self.occupations)

    def skill(self, value: str) -> str | None:
        """The skill id of an id or Swedish name, or ``None``."""
        text = value.strip()
        return text if text in self.skills else self._skill_names.get(_fold(text))

    def suggest_skill(self, value: str) -> list[str]:
        """The nearest skills by name."""
        return suggestions(value, {i: n for i, n in self.skills.items() if n})

    def locality(self, municipality: str, value: str) -> str | None:
        """The id of a locality in the municipality, by id or name, or ``None``."""
        if value in self.localities and self.localities[value][0] == municipality:
            return value
        return self._loc_names.get((municipality, _fold(value)))

    def suggest_locality(self, municipality: str, value: str) -> list[str]:
        """The nearest localities of the municipality."""
        labels = {i: n for i, (m, n) in self.localities.items() if m == municipality}
        return [label.split(" ", 1)[1] for label in suggestions(value, labels)]
