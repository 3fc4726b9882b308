"""Establishments: large investments whose hiring drives the regional forecast.

Examples:
    >>> e = Establishment(
    ...     id=EstablishmentId("E1"), name="Battery plant", municipality_code=MunicipalityCode("2482"),
    ...     headcount_by_year={2026: 1000, 2028: 3000},
    ...     occupation_mix={OccupationCode("8131"): 0.6, OccupationCode("7233"): 0.4})
    >>> e.headcount(2027), e.demand(2028)[OccupationCode("8131")]
    (2000, 1800.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kedja.core.errors import InvalidInput
from kedja.core.ids import EstablishmentId, MunicipalityCode, OccupationCode, OrganisationId
from kedja.core.validation import digits, fraction, in_range, non_empty

__all__ = ["Establishment"]


@dataclass(frozen=True, slots=True)
class Establishment:
    """A large investment with expected headcount by year and an occupation mix."""

    id: EstablishmentId
    name: str
    municipality_code: MunicipalityCode
    headcount_by_year: dict[int, int]
    occupation_mix: dict[OccupationCode, float]
    organisation_id: OrganisationId | None = None
    description: str = field(default="")
    headcount_source: str = field(default="")
    """Who published the headcounts (a press release, a permit); empty = the user's assumption."""
    headcount_as_of: str = field(default="")
    """The date of that source (ISO 8601, YYYY-MM-DD), or empty."""

    @property
    def headcount_basis(self) -> str:
        """The headcounts' source and date, or that they are the user's assumption."""
        if not self.headcount_source:
            return "user's assumption"
        return f"{self.headcount_source} ({self.headcount_as_of})" if self.headcount_as_of \
            else self.headcount_source

    def __post_init__(self) -> None:
        non_empty(self.name, field="establishment.name")
        digits(self.municipality_code, 4, field="establishment.municipality_code")
        if not self.headcount_by_year:
            raise InvalidInput(
                "an establishment needs its expected headcount by year",
                field="establishment.headcount_by_year",
                hint="give at least one year, for instance {2027: 500}",
            )
        for year, count in self.headcount_by_year.items():
            in_range(year, 1990, 2100, field="establishment.headcount_by_year (year)")
            in_range(count, 0, None, field=f"establishment.headcount_by_year[{year}]")
        for code, share in self.occupation_mix.items():
            digits(code, 4, field="establishment.occupation_mix")
            fraction(share, field=f"establishment.occupation_mix[{code}]")
        if self.headcount_as_of and not _is_iso_date(self.headcount_as_of):
            raise InvalidInput(
                f"{self.headcount_as_of!r} is not a date",
                field="establishment.headcount_as_of", value=self.headcount_as_of,
                hint="write the source's date as YYYY-MM-DD, for instance 2025-03-14",
            )
        total = sum(self.occupation_mix.values())
        if abs(total - 1.0) > 1e-6:
            raise InvalidInput(
                f"the occupation mix sums to {total:.4f}, not 1",
                field="establishment.occupation_mix",
                value=round(total, 4),
                hint="give shares that add up to 1",
            )

    def headcount(self, year: int) -> int:
        """Expected headcount in ``year``, linear between the given years, flat outside."""
        years = sorted(self.headcount_by_year)
        if year <= years[0]:
            return self.headcount_by_year[years[0]] if year == years[0] else 0
        if year >= years[-1]:
            return self.headcount_by_year[years[-1]]
        upper = next(y for y in years if y >= year)
        lower = max(y for y in years if y <= year)
        if upper == lower:
            return self.headcount_by_year[year]
        low, high = self.headcount_by_year[lower], self.headcount_by_year[upper]
        return round(low + (high - low) * (year - lower) / (upper - lower))

    def demand(self, year: int) -> dict[OccupationCode, float]:
        """Expected headcount in ``year`` split by occupation."""
        total = self.headcount(year)
        return {code: total * share for code, share in self.occupation_mix.items()}


def _is_iso_date(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
