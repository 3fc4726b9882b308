"""Places: counties, municipalities, localities and functional labour-market areas.

Examples:
    >>> lulea = Coordinates(65.5848, 22.1547)
    >>> kiruna = Coordinates(67.8557, 20.2253)
    >>> round(great_circle_km(lulea, kiruna))
    266
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kedja.core.ids import CountyCode, FunctionalAreaCode, LocalityId, MunicipalityCode
from kedja.core.validation import digits, fraction, in_range, non_empty

__all__ = [
    "EARTH_RADIUS_KM",
    "AgeShares",
    "Coordinates",
    "County",
    "FunctionalArea",
    "Locality",
    "Municipality",
    "great_circle_km",
]

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True, slots=True)
class Coordinates:
    """A WGS84 point."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        in_range(self.lat, -90.0, 90.0, field="lat")
        in_range(self.lon, -180.0, 180.0, field="lon")


def great_circle_km(a: Coordinates, b: Coordinates) -> float:
    """Great-circle distance in km by the haversine formula; O(1)."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi, dlmb = phi2 - phi1, math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


@dataclass(frozen=True, slots=True)
class County:
    """A Swedish county (län)."""

    code: CountyCode
    name: str

    def __post_init__(self) -> None:
        digits(self.code, 2, field="county.code")
        non_empty(self.name, field="county.name")


@dataclass(frozen=True, slots=True)
class FunctionalArea:
    """A functional labour-market area (SCB's FA region): a commuting zone."""

    code: FunctionalAreaCode
    name: str

    def __post_init__(self) -> None:
        digits(self.code, 2, field="functional_area.code")
        non_empty(self.name, field="functional_area.name")


@dataclass(frozen=True, slots=True)
class AgeShares:
    """Shares of the population aged 0–19, 20–64 and 65+ in a given year."""

    age_0_19: float
    age_20_64: float
    age_65_plus: float
    year: int

    def __post_init__(self) -> None:
        for name in ("age_0_19", "age_20_64", "age_65_plus"):
            fraction(getattr(self, name), field=f"age_shares.{name}")
        total = self.age_0_19 + self.age_20_64 + self.age_65_plus
        in_range(round(total, 3), 0.99, 1.01, field="age_shares (sum)")


@dataclass(frozen=True, slots=True)
class Municipality:
    """A municipality (kommun) with the figures the region pack gives for it."""

    code: MunicipalityCode
    name: str
    county_code: CountyCode
    functional_area_code: FunctionalAreaCode | None
    seat: Coordinates
    population: int | None = None
    population_year: int | None = None
    age_shares: AgeShares | None = None

    def __post_init__(self) -> None:
        digits(self.code, 4, field="municipality.code")
        non_empty(self.name, field="municipality.name")
        digits(self.county_code, 2, field="municipality.county_code")
        if self.population is not None:
            in_range(self.population, 0, None, field="municipality.population")


@dataclass(frozen=True, slots=True)
class Locality:
    """A place where people live or work (a tätort or village), inside one municipality."""

    id: LocalityId
    name: str
    municipality_code: MunicipalityCode
    point: Coordinates

    def __post_init__(self) -> None:
        non_empty(self.id, field="locality.id")
        non_empty(self.name, field="locality.name")
        digits(self.municipality_code, 4, field="locality.municipality_code")
