"""Protected attributes: gender, age, country of birth, disability.

Kept for equal-treatment audits and aggregated indicators only. No score, ranking or
allocation reads them: the import-linter contracts in ``pyproject.toml`` forbid the scoring
engines to import this module, and the store keeps these fields in a table of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from kedja.core.errors import InvalidInput
from kedja.core.ids import PersonId
from kedja.core.validation import in_range

__all__ = ["GENDERS", "ProtectedAttributes"]

GENDERS = ("female", "male", "other")


@dataclass(frozen=True, slots=True)
class ProtectedAttributes:
    """Attributes kept for equal-treatment audits and aggregate indicators only.

    No score, ranking or allocation reads these; the import-linter contract and a test keep the
    engines from importing this class.
    """

    person_id: PersonId
    gender: str | None = None
    birth_year: int | None = None
    born_abroad: bool | None = None
    disability: bool | None = None

    def __post_init__(self) -> None:
        if self.gender is not None and self.gender not in GENDERS:
            raise InvalidInput(
                f"{self.gender!r} is not a recorded gender",
                field="protected.gender",
                value=self.gender,
                hint="use 'female', 'male', 'other' or leave it empty",
            )
        if self.birth_year is not None:
            in_range(self.birth_year, 1900, 2030, field="protected.birth_year")
