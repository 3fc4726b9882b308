"""Reach: import a GTFS feed, commute times by public transport from it, what is within reach of a place."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kedja.core.errors import InvalidInput, NotFound
from kedja.core.geography import Locality
from kedja.matching.gtfs import read_feed
from kedja.matching.reach import TravelTimes
from kedja.matching.transit import CommuteTimes, Timetable, busiest_day, commute_times
from kedja.store import repositories as repo
from kedja.store import session_scope
from kedja.store import transit as store

__all__ = ["WEEKDAYS", "TransitSetting", "import_gtfs", "locality_reach", "parse_clock",
           "transit_commutes", "with_timetable"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
Commutes = tuple[date | None, CommuteTimes, np.ndarray]
"""The day used, the commutes, and whether the feed covers each locality's county."""
COVERED_SHARE = 0.10
"""A county is covered by the feed when at least this share of its stops lie nearest to its localities."""
NEAREST_KM = 25.0
"""A stop counts towards a county only if a locality of it lies within this distance."""


@dataclass(frozen=True)
class TransitSetting:
    """The day and hours for which public transport commutes are computed."""

    weekday: int = 1
    arrive_by: int = 8 * 3600
    leave_after: int = 16 * 3600 + 1800


def parse_clock(text: str, field: str = "--arrive-by") -> int:
    """Seconds after midnight of ``HH:MM``.

    Examples:
        >>> parse_clock("08:00"), parse_clock("16:30")
        (28800, 59400)
    """
    parts = text.strip().split(":")
    if len(parts) == 2 and all(p.isdigit() for p in parts) and int(parts[0]) < 30 and int(parts[1]) < 60:
        return int(parts[0]) * 3600 + int(parts[1]) * 60
    raise InvalidInput(f"{text!r} is not a time of day", field=field, value=text,
                       hint="write HH:MM, e.g. 08:00")


def import_gtfs(engine: Engine, path: str | Path) -> dict[str, Any]:
    """Validate the GTFS feed at ``path`` and store it in place of any earlier feed, all or nothing."""
    started = time.perf_counter()
    feed = read_feed(Path(path))
    parsed = time.perf_counter()
    valid = feed.valid_dates()
    counts = {"stops": len(feed.stops), "trips": len(feed.trips), "stop_times": len(feed.stop_times),
              "services": len(feed.services), "transfers": len(feed.transfers)}
    header = {"version": feed.version, "publisher": feed.publisher, "source": str(path),
              "valid_from": valid[0] if valid else None, "valid_to": valid[1] if valid else None,
              "counts": counts}
    transfers = {(a, b): s for a, b, s in feed.transfers}
    rows: dict[str, list[dict[str, Any]]] = {
        "stops": [{"stop_id": s.id, "name": s.name[:255], "lat": s.lat, "lon": s.lon} for s in feed.stops],
        "services": [{"service_id": k, "dates": sorted(d.isoformat() for d in v)}
                     for k, v in feed.services.items()],
        "trips": [{"trip_id": k, "route_id": r, "service_id": s} for k, (r, s) in feed.trips.items()],
        "stop_times": [{"trip_id": x.trip_id, "sequence": x.sequence, "stop_id": x.stop_id,
                        "arrival": x.arrival, "departure": x.departure, "pickup": x.pickup,
                        "drop_off": x.drop_off} for x in feed.stop_times],
        "transfers": [{"from_stop": a, "to_stop": b, "seconds": s} for (a, b), s in transfers.items()],
    }
    with session_scope(engine) as session:
        store.replace_feed(session, header, rows)
    _forget(engine)
    return {**header, "valid_from": str(header["valid_from"]), "valid_to": str(header["valid_to"]),
            "seconds": {"parse": round(parsed - started, 2),
                        "write": round(time.perf_counter() - parsed, 2)}}


_MEMO: dict[tuple[str, TransitSetting, str], Commutes | None] = {}


def _forget(engine: Engine) -> None:
    key = engine.url.render_as_string(hide_password=False)
    for memo_key in [k for k in _MEMO if k[0] == key]:
        del _MEMO[memo_key]


def transit_commutes(engine: Engine, setting: TransitSetting = TransitSetting()) -> Commutes | None:
    """Public transport commutes between the region's localities from the stored feed.

    Returns the day used (the weekday with most trips in the feed), the commutes, and for each
    locality whether the feed covers its county; ``None`` when no feed is stored. Memoised per
    database, setting and import (a new import, in any process, is a new key).
    """
    with session_scope(engine) as session:
        info = store.feed_info(session)
        stamp = info["imported_at"] if info else "none"
        key = (engine.url.render_as_string(hide_password=False), setting, stamp)
        if key not in _MEMO:
            for stale in [k for k in _MEMO if k[0] == key[0] and k[2] != stamp]:
                del _MEMO[stale]
            _MEMO[key] = _compute(session, setting) if info else None
    return _MEMO[key]


def _compute(session: Session, setting: TransitSetting) -> Commutes | None:
    if store.feed_info(session) is None:
        return None
    services = store.services(session)
    day = busiest_day(services, store.trips_per_service(session), setting.weekday)
    active = {s for s, dates in services.items() if day in dates} if day else set()
    stops = store.stops(session)
    tt = Timetable.from_rows(stops, store.stop_times_on(session, active), store.transfers(session), day)
    localities = repo.list_localities(session)
    points = [(loc.id, loc.point.lat, loc.point.lon) for loc in localities]
    times = commute_times(tt, points, arrive_by=setting.arrive_by, leave_after=setting.leave_after)
    covered = _covered(localities, stops)
    return day, times, covered


def _covered(localities: Sequence[Locality], stops: Sequence[tuple[str, float, float]]) -> np.ndarray:
    """Whether each locality's county is covered by the feed (see ``COVERED_SHARE``)."""
    from scipy.spatial import cKDTree

    lat = np.array([loc.point.lat for loc in localities])
    lon = np.array([loc.point.lon for loc in localities])
    scale = np.cos(np.radians(lat.mean() if lat.size else 0.0))
    tree = cKDTree(np.column_stack([lon * scale, lat]) * 111.2)
    pts = np.array([[s[2] * scale, s[1]] for s in stops]) * 111.2
    distance, nearest = tree.query(pts)
    counties = np.array([loc.municipality_code[:2] for loc in localities])
    near = counties[nearest[distance <= NEAREST_KM]]
    share = {c: float(np.mean(near == c)) if near.size else 0.0 for c in set(counties.tolist())}
    return np.array([share[c] >= COVERED_SHARE for c in counties])


def with_timetable(engine: Engine, travel: TravelTimes,
                   setting: TransitSetting = TransitSetting()) -> TravelTimes:
    """``travel`` with public transport from the stored timetable where the feed covers both ends.

    Pairs outside the feed keep the estimate (car time × factor), marked in ``travel.public_timetable``.
    """
    result = transit_commutes(engine, setting)
    if result is None:
        return travel
    _, times, covered = result
    order = [times.localities.index(loc) for loc in travel.localities]
    minutes = times.minutes[np.ix_(order, order)]
    both = covered[order][:, None] & covered[order][None, :]
    np.fill_diagonal(both, False)
    travel.public_transport = np.where(both, minutes, travel.public_transport)
    travel.public_timetable = both
    return travel


def _find_place(session: Session, name: str) -> tuple[Locality, list[Locality]]:
    localities = repo.list_localities(session)
    folded = name.strip().casefold()
    for loc in localities:
        if loc.name.casefold() == folded or loc.id.casefold() == folded:
            return loc, localities
    for m in repo.list_municipalities(session):
        if m.name.casefold() == folded or m.code == name.strip():
            seat = [loc for loc in localities if loc.municipality_code == m.code and loc.point == m.seat]
            inside = [loc for loc in localities if loc.municipality_code == m.code]
            if seat or inside:
                return (seat or inside)[0], localities
    raise NotFound(f"no locality or municipality is called {name!r}", field="--from", value=name,
                   hint="give a locality or municipality of the region, e.g. Luleå or Gammelstad")


def _clock(seconds: float) -> str | None:
    if not np.isfinite(seconds):
        return None
    minutes = round(seconds / 60.0)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def locality_reach(engine: Engine, place: str, *, mode: str = "car",
                   setting: TransitSetting = TransitSetting()) -> dict[str, Any]:
    """Travel from ``place`` (a locality, or a municipality's seat) to every locality of the region.

    ``mode`` is ``car`` (road estimate) or ``transit`` (the stored timetable where the feed covers
    both ends, else the estimate, labelled as such).
    """
    if mode not in ("car", "transit"):
        raise InvalidInput(f"{mode!r} is not a travel mode", field="--mode", value=mode,
                           hint="use car or transit")
    with session_scope(engine) as session:
        origin, localities = _find_place(session, place)
        names: dict[str, str] = {m.code: m.name for m in repo.list_municipalities(session)}
        feed = store.feed_info(session)
    travel = TravelTimes.from_points({loc.id: loc.point for loc in localities})
    result = transit_commutes(engine, setting) if mode == "transit" else None
    i = travel.index[origin.id]
    rows = []
    for loc in sorted(localities, key=lambda x: travel.car[i, travel.index[x.id]]):
        if loc.id == origin.id:
            continue
        rows.append(_row(loc, names, travel, i, mode, result, origin))
    out: dict[str, Any] = {
        "from": {"locality_id": origin.id, "name": origin.name,
                 "municipality": names.get(origin.municipality_code)},
        "mode": mode, "destinations": rows,
    }
    if mode == "transit":
        out["timetable"] = {"feed": feed, "day": str(result[0]) if result else None,
                            "weekday": WEEKDAYS[setting.weekday],
                            "arrive_by": _clock(setting.arrive_by),
                            "leave_after": _clock(setting.leave_after)}
    return out


def _row(loc: Locality, names: dict[str, str], travel: TravelTimes, i: int, mode: str,
         result: Commutes | None, origin: Locality) -> dict[str, Any]:
    j = travel.index[loc.id]
    row: dict[str, Any] = {"locality_id": loc.id, "name": loc.name,
                           "municipality": names.get(loc.municipality_code), "lat": loc.point.lat,
                           "lon": loc.point.lon}
    car = float(travel.car[i, j])
    if mode == "car":
        return row | {"minutes": round(car, 1), "source": "road_estimate"}
    estimate = round(car * travel_factor(), 1)
    if result is None:
        return row | {"minutes": estimate, "source": "estimate", "note": "uppskattad: ingen tidtabell"}
    _, times, covered = result
    a, b = times.localities.index(origin.id), times.localities.index(loc.id)
    if not (covered[a] and covered[b]):
        return row | {"minutes": estimate, "source": "estimate",
                      "note": "uppskattad: ingen tidtabell för området"}
    minutes = float(times.minutes[a, b])
    if not np.isfinite(minutes):
        return row | {"minutes": None, "source": "timetable", "note": "ingen kollektivtrafik",
                      "leave_home": _clock(times.leave_home[a, b]),
                      "home_again": _clock(times.home_again[a, b])}
    return row | {"minutes": round(minutes, 1), "source": "timetable",
                  "out_minutes": round(float(times.out_minutes[a, b]), 1),
                  "back_minutes": round(float(times.back_minutes[a, b]), 1),
                  "leave_home": _clock(times.leave_home[a, b]), "home_again": _clock(times.home_again[a, b])}


def travel_factor() -> float:
    """The public transport estimate's factor on car time, where no timetable covers a pair."""
    from kedja.matching.reach import TravelModel

    return TravelModel().public_transport_factor


DEFAULT_PAIRS = (("2582", "2580"), ("2581", "2580"), ("2514", "2580"), ("2560", "2581"),
                 ("2521", "2580"), ("2523", "2584"), ("2584", "2523"), ("2583", "2514"))
"""Pairs shown by ``kedja reach fit-commuting``: Boden, Piteå, Kalix and Pajala → Luleå, Älvsbyn →
Piteå, Gällivare ↔ Kiruna, Haparanda → Kalix."""


def fit_commuting(engine: Engine, path: str | Path) -> dict[str, Any]:
    """Fit the decay of commuting with travel time on SCB's matrix at ``path`` (see matching.commuting).

    Travel time between municipalities is the road estimate between their seats (the same
    model the score uses for a car).
    """
    from kedja.matching.commuting import fit_gravity, read_commuting_matrix
    from kedja.matching.reach import TravelModel, road_minutes_matrix
    from kedja.matching.scoring import COMMUTE_DECAY_GAMMA, COMMUTE_DECAY_SHIFT

    matrix = read_commuting_matrix(Path(path))
    with session_scope(engine) as session:
        seats: dict[str, Any] = {m.code: m.seat for m in repo.list_municipalities(session)}
    missing = [c for c in matrix.codes if c not in seats]
    if missing:
        raise NotFound(f"the database lacks the municipalities {missing}", field="--db",
                       value=missing, hint="use a database with the region (e.g. kedja demo)")
    minutes = road_minutes_matrix(np.array([seats[c].lat for c in matrix.codes]),
                                  np.array([seats[c].lon for c in matrix.codes]), TravelModel())
    fit = fit_gravity(matrix, minutes, show=DEFAULT_PAIRS)
    return {
        "source": "SCB ArRegPend2, " + Path(path).name, "years": list(matrix.years),
        "sexes": list(matrix.sexes), "municipalities": len(matrix.codes),
        "commuters_between_municipalities": int(matrix.flows.sum() - np.trace(matrix.flows)),
        "form": "(1 + t/τ)^−γ", "gamma": round(fit.parameter, 3), "shift_minutes": fit.shift,
        "half_willingness_minutes": round(fit.half_minutes, 1), "pseudo_r2": round(fit.pseudo_r2, 3),
        "alternatives": {k: {m: round(v, 4) for m, v in d.items()} for k, d in fit.alternatives.items()},
        "in_use": {"gamma": COMMUTE_DECAY_GAMMA, "shift_minutes": COMMUTE_DECAY_SHIFT},
        "pairs": fit.pairs,
    }


def locality_point(engine: Engine, locality_id: str) -> tuple[float, float]:
    """A locality's (lat, lon)."""
    with session_scope(engine) as session:
        for loc in repo.list_localities(session):
            if loc.id == locality_id:
                return loc.point.lat, loc.point.lon
    raise NotFound(f"no locality has the id {locality_id!r}", field="locality_id", value=locality_id,
                   hint="give a locality of the region")
