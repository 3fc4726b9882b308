"""Public transport travel times between localities from a timetable, by the Connection Scan Algorithm.

Method: the Connection Scan Algorithm (CSA) of Dibbelt, Pajor, Strasser and Wagner, "Intriguingly
Simple and Fast Transit Routing", SEA 2013 (LNCS 7933, pp. 43–54). A timetable of one service
day becomes a list of *connections* (a vehicle leaving stop u at time d and reaching the next
stop v at time a); one scan over them, sorted by departure, gives the earliest arrival at every
stop from a set of starting stops; the mirror scan, sorted by arrival and run backwards, gives
the latest departure from every stop that still reaches a set of target stops by a deadline.
Each scan is O(C + F) for C connections and F footpaths. No maintained Python library does
this: pyraptor (RAPTOR, last release 2022) is tied to its own preprocessing of Dutch feeds, and
r5py needs a Java runtime.

A commute between two localities is the working day's travel budget:

* **out**: the latest time one can leave home (walking to a stop) and still be at the
  workplace locality by ``arrive_by`` (e.g. 08:00): ``arrive_by − leave``, so waiting for the
  workday to start counts, as it does for the commuter;
* **back**: the earliest time one is home after leaving work at ``leave_after`` (e.g. 16:30):
  ``home − leave_after``, waiting for the bus included.

The one-way commute is the mean of the two; where either leg has no trip there is no public
transport commute at all (``inf``), never an invented time.

Walking: from a locality's point to stops within ``WALK_ACCESS_M`` (crow-fly), and between
stops within ``FOOTPATH_M``, at ``WALK_SPEED_MS`` along a path ``WALK_DETOUR`` × the
straight line; ``transfers.txt`` minimum times replace the walk where the feed gives them.
Changing vehicle at the same stop takes no extra time (the feed's timed transfers).

Examples:
    >>> tt = Timetable.from_rows(
    ...     stops=[("A", 65.0, 22.0), ("B", 65.1, 22.0), ("C", 65.2, 22.0)],
    ...     calls=[("t1", 0, "A", 25200, 25200), ("t1", 1, "B", 27000, 27000),
    ...            ("t2", 0, "B", 27300, 27300), ("t2", 1, "C", 28200, 28200)])
    >>> int(latest_departure(tt, {tt.index["C"]: 28800})[tt.index["A"]])
    25200
    >>> int(earliest_arrival(tt, {tt.index["A"]: 25000})[tt.index["C"]])
    28200
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy.spatial import cKDTree

from kedja.core.geography import EARTH_RADIUS_KM

__all__ = [
    "FOOTPATH_M",
    "WALK_ACCESS_M",
    "WALK_DETOUR",
    "WALK_SPEED_MS",
    "CommuteTimes",
    "Timetable",
    "busiest_day",
    "commute_times",
    "earliest_arrival",
    "latest_departure",
]

Call = tuple[str, int, str, int, int] | tuple[str, int, str, int, int, bool, bool]
"""A trip's call: (trip, sequence, stop, arrival s, departure s[, pickup, drop-off])."""
WALK_SPEED_MS = 1.33
"""Walking speed, metres per second: OpenTripPlanner's default ``walkSpeed`` (1.33 m/s, ≈ 4.8 km/h)."""
WALK_DETOUR = 1.3
"""Street path length ÷ straight line for a short walk (the same order as the road detour factor)."""
WALK_ACCESS_M = 1500.0
"""Stops within this crow-fly distance of a locality's point are reached on foot (≈ 25 minutes)."""
FOOTPATH_M = 300.0
"""Stops within this crow-fly distance of each other are joined by a footpath for changes."""
WINDOW_S = 5 * 3600
"""Only trips within five hours of the arrival deadline or the end of work are scanned."""


def walk_seconds(metres: float | np.ndarray) -> float | np.ndarray:
    """Seconds to walk a crow-fly distance of ``metres``.

    Examples:
        >>> round(walk_seconds(1000.0))
        977
    """
    return metres * WALK_DETOUR / WALK_SPEED_MS


def _xy(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Metres on a local equirectangular plane (good to well under 1 % across a county)."""
    lat0 = math.radians(float(np.mean(lat))) if lat.size else 0.0
    r = EARTH_RADIUS_KM * 1000.0
    return np.column_stack([np.radians(lon) * math.cos(lat0) * r, np.radians(lat) * r])


@dataclass
class Timetable:
    """One service day's connections, sorted by departure, with the stops and footpaths."""

    stop_ids: tuple[str, ...]
    lat: np.ndarray
    lon: np.ndarray
    dep_stop: np.ndarray
    arr_stop: np.ndarray
    dep_time: np.ndarray
    arr_time: np.ndarray
    trip: np.ndarray
    board: np.ndarray
    alight: np.ndarray
    footpaths: list[list[tuple[int, int]]]
    day: date | None = None
    index: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.index = {s: i for i, s in enumerate(self.stop_ids)}

    @classmethod
    def from_rows(cls, stops: Sequence[tuple[str, float, float]],
                  calls: Iterable[Call],
                  transfers: Sequence[tuple[str, str, int]] = (), day: date | None = None) -> Timetable:
        """A timetable from stops ``(id, lat, lon)`` and one day's calls.

        A call is ``(trip, sequence, stop, arrival s, departure s[, pickup, drop_off])``;
        consecutive calls of a trip become connections. O(N log N) for N calls.
        """
        ids = tuple(s[0] for s in stops)
        index = {s: i for i, s in enumerate(ids)}
        by_trip: dict[str, list[tuple[int, int, int, int, bool, bool]]] = {}
        for call in calls:
            pickup, drop_off = (call[5], call[6]) if len(call) == 7 else (True, True)
            by_trip.setdefault(call[0], []).append((call[1], index[call[2]], call[3], call[4],
                                                    pickup, drop_off))
        rows = []
        for number, trip_calls in enumerate(by_trip.values()):
            trip_calls.sort()
            for a, b in itertools.pairwise(trip_calls):
                rows.append((a[3], b[2], a[1], b[1], number, a[4], b[5]))
        rows.sort()
        columns = list(zip(*rows, strict=True)) if rows else [()] * 7
        lat = np.array([s[1] for s in stops], dtype=float)
        lon = np.array([s[2] for s in stops], dtype=float)
        return cls(ids, lat, lon,
                   dep_stop=np.array(columns[2], dtype=np.int64),
                   arr_stop=np.array(columns[3], dtype=np.int64),
                   dep_time=np.array(columns[0], dtype=np.int64),
                   arr_time=np.array(columns[1], dtype=np.int64),
                   trip=np.array(columns[4], dtype=np.int64),
                   board=np.array(columns[5], dtype=bool), alight=np.array(columns[6], dtype=bool),
                   footpaths=_footpaths(lat, lon, [(index[a], index[b], s) for a, b, s in transfers
                                                   if a in index and b in index]),
                   day=day)


def _footpaths(lat: np.ndarray, lon: np.ndarray,
               transfers: Sequence[tuple[int, int, int]]) -> list[list[tuple[int, int]]]:
    """Walks between stops within ``FOOTPATH_M``, with the feed's minimum transfer times."""
    paths: list[dict[int, int]] = [{} for _ in range(lat.size)]
    if lat.size:
        xy = _xy(lat, lon)
        for a, b in cKDTree(xy).query_pairs(FOOTPATH_M, output_type="ndarray"):
            seconds = max(60, int(walk_seconds(float(np.hypot(*(xy[a] - xy[b]))))))
            paths[a][b] = paths[b][a] = seconds
    for a, b, seconds in transfers:
        if a != b:
            paths[a][b] = seconds
    return [sorted(p.items()) for p in paths]


def earliest_arrival(tt: Timetable, sources: Mapping[int, int]) -> np.ndarray:
    """Earliest arrival (seconds) at every stop, starting at the ``sources`` stops at their times.

    Forward connection scan (Dibbelt et al. 2013); O(C + F). Unreached stops are ``inf``.
    """
    arrival = np.full(len(tt.stop_ids), np.inf)
    for stop, time in sources.items():
        arrival[stop] = min(arrival[stop], time)
    start = min(sources.values(), default=0)
    reached = np.zeros(int(tt.trip.max(initial=-1)) + 1, dtype=bool)
    first = int(np.searchsorted(tt.dep_time, start))
    dep_stop, arr_stop = tt.dep_stop.tolist(), tt.arr_stop.tolist()
    dep_time, arr_time, trip = tt.dep_time.tolist(), tt.arr_time.tolist(), tt.trip.tolist()
    board, alight = tt.board.tolist(), tt.alight.tolist()
    best = arrival.tolist()
    for c in range(first, len(dep_time)):
        if dep_time[c] > start + WINDOW_S:
            break
        if not reached[trip[c]]:
            if not (board[c] and best[dep_stop[c]] <= dep_time[c]):
                continue
            reached[trip[c]] = True
        v, t = arr_stop[c], arr_time[c]
        if alight[c] and t < best[v]:
            best[v] = t
            for w, seconds in tt.footpaths[v]:
                if t + seconds < best[w]:
                    best[w] = t + seconds
    return np.array(best)


def latest_departure(tt: Timetable, targets: Mapping[int, int]) -> np.ndarray:
    """Latest departure (seconds) from every stop that still reaches a target stop by its deadline.

    Mirror connection scan, by decreasing arrival (Dibbelt et al. 2013, §4 profile queries run
    backwards); O(C + F). Stops that cannot make it are ``-inf``.
    """
    departure = np.full(len(tt.stop_ids), -np.inf)
    for stop, time in targets.items():
        departure[stop] = max(departure[stop], time)
    deadline = max(targets.values(), default=0)
    order = _by_arrival(tt)
    arr_time = tt.arr_time[order]
    last = int(np.searchsorted(arr_time, deadline, side="right"))
    reached = np.zeros(int(tt.trip.max(initial=-1)) + 1, dtype=bool)
    dep_stop, arr_stop = tt.dep_stop[order].tolist(), tt.arr_stop[order].tolist()
    dep_time, trip = tt.dep_time[order].tolist(), tt.trip[order].tolist()
    board, alight = tt.board[order].tolist(), tt.alight[order].tolist()
    arr_list = arr_time.tolist()
    best = departure.tolist()
    for c in range(last - 1, -1, -1):
        if arr_list[c] < deadline - WINDOW_S:
            break
        if not reached[trip[c]]:
            if not (alight[c] and arr_list[c] <= best[arr_stop[c]]):
                continue
            reached[trip[c]] = True
        u, t = dep_stop[c], dep_time[c]
        if board[c] and t > best[u]:
            best[u] = t
            for w, seconds in tt.footpaths[u]:
                if t - seconds > best[w]:
                    best[w] = t - seconds
    return np.array(best)


def _by_arrival(tt: Timetable) -> np.ndarray:
    cached = getattr(tt, "_arrival_order", None)
    if cached is None:
        cached = np.lexsort((-tt.dep_time, tt.arr_time))
        object.__setattr__(tt, "_arrival_order", cached)
    return cached


@dataclass
class CommuteTimes:
    """Public transport commutes between localities on one day (seconds after midnight)."""

    localities: tuple[str, ...]
    leave_home: np.ndarray
    """[home, work]: the latest time one leaves home to be at work by ``arrive_by`` (−inf: no trip)."""
    home_again: np.ndarray
    """[home, work]: the earliest time one is home after leaving work at ``leave_after`` (inf: none)."""
    arrive_by: int
    leave_after: int
    served: np.ndarray
    """Whether a locality has a stop within walking distance."""

    @property
    def out_minutes(self) -> np.ndarray:
        """Minutes from leaving home to the start of work (inf where no trip)."""
        return (self.arrive_by - self.leave_home) / 60.0

    @property
    def back_minutes(self) -> np.ndarray:
        """Minutes from the end of work to being home (inf where no trip)."""
        return (self.home_again - self.leave_after) / 60.0

    @property
    def minutes(self) -> np.ndarray:
        """The one-way commute: the mean of the two legs; inf where either leg has no trip."""
        return (self.out_minutes + self.back_minutes) / 2.0


def _access(tt: Timetable, points: Sequence[tuple[float, float]]) -> list[dict[int, int]]:
    """For each point, the stops within ``WALK_ACCESS_M`` and the seconds to walk there."""
    if not tt.stop_ids:
        return [{} for _ in points]
    lat = np.concatenate([tt.lat, [p[0] for p in points]])
    lon = np.concatenate([tt.lon, [p[1] for p in points]])
    xy = _xy(lat, lon)
    stops, places = xy[: tt.lat.size], xy[tt.lat.size:]
    tree = cKDTree(stops)
    out = []
    for place, near in zip(places, tree.query_ball_point(places, WALK_ACCESS_M), strict=True):
        out.append({int(s): int(walk_seconds(float(np.hypot(*(stops[s] - place))))) for s in near})
    return out


def commute_times(tt: Timetable, localities: Sequence[tuple[str, float, float]], *,
                  arrive_by: int = 8 * 3600, leave_after: int = 16 * 3600 + 1800,
                  homes: Sequence[str] | None = None) -> CommuteTimes:
    """Commutes between every pair of ``localities`` ``(id, lat, lon)`` on the timetable's day.

    One backward scan per workplace (``arrive_by``) and one forward scan per workplace
    (``leave_after``): O(L · (C + F)) for L localities. ``homes`` limits the rows returned
    (all by default); the scans are per workplace in any case.
    """
    ids = tuple(loc[0] for loc in localities)
    access = _access(tt, [(loc[1], loc[2]) for loc in localities])
    rows = [ids.index(h) for h in homes] if homes is not None else list(range(len(ids)))
    leave = np.full((len(rows), len(ids)), -np.inf)
    home = np.full((len(rows), len(ids)), np.inf)
    for j, stops_j in enumerate(access):
        if not stops_j:
            continue
        departure = latest_departure(tt, {s: arrive_by - w for s, w in stops_j.items()})
        arrival = earliest_arrival(tt, {s: leave_after + w for s, w in stops_j.items()})
        for r, i in enumerate(rows):
            if i == j:
                continue
            stops_i = access[i]
            if stops_i:
                leave[r, j] = max(departure[s] - w for s, w in stops_i.items())
                home[r, j] = min(arrival[s] + w for s, w in stops_i.items())
    return CommuteTimes(tuple(ids[i] for i in rows), leave, home, arrive_by, leave_after,
                        np.array([bool(access[i]) for i in rows]))


def busiest_day(services: Mapping[str, frozenset[date]], trips_per_service: Mapping[str, int],
                weekday: int) -> date | None:
    """The date with ``weekday`` (0 = Monday) on which most trips run; the earliest on a tie.

    Examples:
        >>> d1, d2 = date(2022, 5, 3), date(2022, 5, 10)
        >>> busiest_day({"a": frozenset({d1, d2}), "b": frozenset({d2})}, {"a": 5, "b": 2}, 1)
        datetime.date(2022, 5, 10)
    """
    counts: dict[date, int] = {}
    for service, dates in services.items():
        for day in dates:
            if day.weekday() == weekday:
                counts[day] = counts.get(day, 0) + trips_per_service.get(service, 0)
    if not counts:
        return None
    return min(counts, key=lambda d: (-counts[d], d))
