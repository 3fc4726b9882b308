"""Reach in a sparse geography: travel time between localities.

Road travel time is approximated from coordinates: great-circle distance × a road-detour
factor, driven at an average speed, plus a fixed time to get going. In the inland north the
roads wind around lakes and mountains, so the default detour factor (1.35) is above the 1.2–1.3
usually used for denser road networks. Any pair can be replaced by an imported travel-time
matrix (CSV ``from_locality,to_locality,minutes[,public_transport_minutes]``).

Examples:
    >>> from kedja.core.geography import Coordinates
    >>> model = TravelModel()
    >>> round(model.road_minutes(Coordinates(67.8557, 20.2253), Coordinates(67.1339, 20.6591)))
    94
    >>> on_site_minutes(60.0, remote_share=0.5)
    30.0
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kedja.core.errors import InvalidInput
from kedja.core.geography import EARTH_RADIUS_KM, Coordinates, great_circle_km
from kedja.core.ids import LocalityId

__all__ = [
    "TravelModel",
    "TravelTimes",
    "on_site_minutes",
    "read_travel_matrix",
    "road_minutes_matrix",
]


@dataclass(frozen=True)
class TravelModel:
    """Parameters of the coordinate-based road travel-time approximation."""

    detour_factor: float = 1.35
    speed_kmh: float = 75.0
    start_minutes: float = 5.0
    public_transport_factor: float = 1.6

    def road_minutes(self, a: Coordinates, b: Coordinates) -> float:
        """Minutes by car from ``a`` to ``b``."""
        km = great_circle_km(a, b) * self.detour_factor
        return self.start_minutes + km / self.speed_kmh * 60.0


@dataclass
class TravelTimes:
    """A locality × locality travel-time matrix in minutes, by car and by public transport.

    Built from coordinates with a :class:`TravelModel`, then overridden pair by pair from an
    imported matrix. Public transport is ``inf`` where an imported matrix says there is none.
    """

    localities: tuple[LocalityId, ...]
    car: np.ndarray
    public_transport: np.ndarray
    public_timetable: np.ndarray | None = None
    """Where public transport comes from a timetable (True) rather than the estimate (False)."""
    index: dict[LocalityId, int] = field(init=False)

    def __post_init__(self) -> None:
        self.index = {loc: i for i, loc in enumerate(self.localities)}

    @classmethod
    def from_points(cls, points: Mapping[LocalityId, Coordinates],
                    model: TravelModel | None = None) -> TravelTimes:
        """Travel times for every pair of ``points``; O(L²) for L localities."""
        model = model or TravelModel()
        ids = tuple(sorted(points))
        car = road_minutes_matrix(np.array([points[i].lat for i in ids]),
                                  np.array([points[i].lon for i in ids]), model)
        return cls(ids, car, car * model.public_transport_factor)

    def minutes(self, origin: LocalityId, destination: LocalityId, *, public: bool = False) -> float:
        """Minutes from ``origin`` to ``destination``."""
        matrix = self.public_transport if public else self.car
        return float(matrix[self.index[origin], self.index[destination]])

    def override(self, rows: Sequence[tuple[LocalityId, LocalityId, float, float | None]]) -> None:
        """Replace pairs with imported times (``None`` public transport means there is none)."""
        for origin, destination, car, public in rows:
            i, j = self.index[origin], self.index[destination]
            self.car[i, j] = car
            self.public_transport[i, j] = np.inf if public is None else public


def road_minutes_matrix(lat: np.ndarray, lon: np.ndarray, model: TravelModel) -> np.ndarray:
    """Minutes by car between every pair of points (degrees), vectorised haversine; O(L²).

    Examples:
        >>> road_minutes_matrix(np.array([65.58, 65.58]), np.array([22.15, 22.15]), TravelModel())
        array([[5., 5.],
               [5., 5.]])
    """
    phi, lam = np.radians(lat), np.radians(lon)
    dphi, dlam = phi[:, None] - phi[None, :], lam[:, None] - lam[None, :]
    h = np.sin(dphi / 2) ** 2 + np.cos(phi)[:, None] * np.cos(phi)[None, :] * np.sin(dlam / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))) * model.detour_factor
    minutes = model.start_minutes + km / model.speed_kmh * 60.0
    np.fill_diagonal(minutes, model.start_minutes)
    return minutes


def on_site_minutes(minutes: float, *, remote_share: float) -> float:
    """Average daily commute burden when a share of the work is remote."""
    return minutes * (1.0 - remote_share)


def read_travel_matrix(
    path: Path, known: set[LocalityId]
) -> list[tuple[LocalityId, LocalityId, float, float | None]]:
    """Read a travel-time CSV, refusing unknown localities and bad minutes with file and line."""
    rows: list[tuple[LocalityId, LocalityId, float, float | None]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"from_locality", "to_locality", "minutes"} - set(reader.fieldnames or ())
        if missing:
            raise InvalidInput(f"the travel-time file lacks the columns {sorted(missing)}",
                               location=f"{path.name}, line 1",
                               hint="give the header from_locality,to_locality,minutes")
        for line, row in enumerate(reader, start=2):
            rows.append(_travel_row(row, path.name, line, known))
    return rows


def _travel_row(row: dict[str, str], name: str, line: int,
                known: set[LocalityId]) -> tuple[LocalityId, LocalityId, float, float | None]:
    for column in ("from_locality", "to_locality"):
        if row[column] not in known:
            raise InvalidInput(f"{row[column]!r} is not a known locality", field=column,
                               value=row[column], location=f"{name}, line {line}",
                               hint="use locality ids as listed by the region pack, e.g. '2584-kiruna'")
    try:
        minutes = float(row["minutes"])
        public = row.get("public_transport_minutes") or None
        public_minutes = None if public is None else float(public)
    except ValueError as error:
        raise InvalidInput(f"{error}", field="minutes", location=f"{name}, line {line}",
                           hint="write minutes as a number, e.g. 45 or 47.5") from None
    if minutes < 0:
        raise InvalidInput(f"{minutes} minutes is negative", field="minutes", value=minutes,
                           location=f"{name}, line {line}", hint="give travel time in minutes ≥ 0")
    return LocalityId(row["from_locality"]), LocalityId(row["to_locality"]), minutes, public_minutes
