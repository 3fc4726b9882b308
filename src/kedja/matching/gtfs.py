"""Reading a GTFS feed (a zip or a folder) into validated records, with errors that name the place.

GTFS (General Transit Feed Specification, https://gtfs.org/schedule/reference/) is a set of CSV
files. Kedja reads the files the travel-time computation needs: ``agency.txt``, ``stops.txt``,
``routes.txt``, ``trips.txt``, ``stop_times.txt``, ``calendar.txt`` and/or
``calendar_dates.txt``, ``transfers.txt`` (optional) and ``feed_info.txt`` (optional). Every row
is checked (required columns and values, times ``H:MM:SS`` that may pass 24:00, coordinates,
references between files, stop sequences), and the first bad value stops the read with the file,
line and field: nothing is half-read.

The csv module is used rather than a GTFS library: the maintained ones (gtfs-kit, partridge)
read into pandas frames and lose the line numbers an import error must name, and gtfs-kit
brings geopandas with it; the travel-time engine needs plain arrays anyway.

Examples:
    >>> seconds_of("07:05:30"), seconds_of("25:00:00")
    (25530, 90000)
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from kedja.core.errors import InvalidInput

__all__ = ["Feed", "Stop", "StopTime", "read_feed", "seconds_of"]

REQUIRED = {
    "agency.txt": ("agency_name", "agency_timezone"),
    "stops.txt": ("stop_id", "stop_lat", "stop_lon"),
    "routes.txt": ("route_id", "route_type"),
    "trips.txt": ("route_id", "service_id", "trip_id"),
    "stop_times.txt": ("trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"),
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, slots=True)
class Stop:
    """A stop or station with its position."""

    id: str
    name: str
    lat: float
    lon: float
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class StopTime:
    """A trip's call at a stop: arrival and departure in seconds after the service day's noon − 12 h."""

    trip_id: str
    sequence: int
    stop_id: str
    arrival: int
    departure: int
    pickup: bool = True
    drop_off: bool = True


@dataclass
class Feed:
    """A validated GTFS feed: stops, trips with their service, stop times and service days."""

    version: str
    publisher: str
    stops: list[Stop]
    trips: dict[str, tuple[str, str]]
    """trip_id → (route_id, service_id)."""
    stop_times: list[StopTime]
    services: dict[str, frozenset[date]]
    """service_id → the dates it runs (calendar and calendar_dates combined)."""
    transfers: list[tuple[str, str, int]] = field(default_factory=list)
    """(from_stop_id, to_stop_id, minimum seconds) from transfers.txt where a time is given."""

    def valid_dates(self) -> tuple[date, date] | None:
        """The first and last date any service runs."""
        days = [d for dates in self.services.values() for d in dates]
        return (min(days), max(days)) if days else None


def seconds_of(text: str) -> int:
    """Seconds after midnight of a GTFS time ``H:MM:SS`` (hours may pass 24); ValueError if bad."""
    parts = text.strip().split(":")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(text)
    hours, minutes, seconds = (int(p) for p in parts)
    if minutes > 59 or seconds > 59:
        raise ValueError(text)
    return hours * 3600 + minutes * 60 + seconds


class _Source:
    """The files of a feed in a zip or a folder."""

    def __init__(self, path: Path) -> None:
        if not path.exists():
            raise InvalidInput(f"{str(path)!r} does not exist", field="PATH", value=str(path),
                               hint="give a GTFS zip or the folder of its .txt files")
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path) if path.is_file() else None
        except zipfile.BadZipFile:
            raise InvalidInput(f"{str(path)!r} is not a zip file", field="PATH", value=str(path),
                               hint="give a GTFS zip or the folder of its .txt files") from None
        if self.zip is None and not path.is_dir():
            raise InvalidInput(f"{str(path)!r} is neither a zip nor a folder", field="PATH",
                               value=str(path), hint="give a GTFS zip or the folder of its .txt files")

    def names(self) -> set[str]:
        if self.zip is not None:
            return {Path(n).name for n in self.zip.namelist()}
        return {p.name for p in self.path.iterdir()}

    def rows(self, name: str, required: tuple[str, ...] = ()) -> Iterator[tuple[int, dict[str, str]]]:
        """(line, row) for every data row; refuses missing columns and empty required cells."""
        text = self._text(name)
        reader = csv.DictReader(text)
        missing = [c for c in required if c not in (reader.fieldnames or ())]
        if missing:
            raise InvalidInput(f"{name} lacks the columns {missing}", field=missing[0],
                               location=f"{name}, line 1",
                               hint=f"a GTFS {name} has the header columns {', '.join(required)}")
        for line, row in enumerate(reader, start=2):
            for column in required:
                if not (row.get(column) or "").strip():
                    raise InvalidInput(f"{name} has an empty {column}", field=column, value="",
                                       location=f"{name}, line {line}", hint=f"give every row a {column}")
            yield line, row

    def _text(self, name: str) -> io.TextIOBase:
        if self.zip is not None:
            member = next(n for n in self.zip.namelist() if Path(n).name == name)
            return io.TextIOWrapper(self.zip.open(member), encoding="utf-8-sig", newline="")
        return (self.path / name).open(encoding="utf-8-sig", newline="")


def read_feed(path: Path) -> Feed:
    """Read and validate the GTFS feed at ``path`` (zip or folder); O(rows).

    Raises:
        InvalidInput: naming the file, line, field and value of the first problem.
    """
    source = _Source(path)
    names = source.names()
    missing = [n for n in REQUIRED if n not in names]
    if "calendar.txt" not in names and "calendar_dates.txt" not in names:
        missing.append("calendar.txt or calendar_dates.txt")
    if missing:
        raise InvalidInput(f"the feed lacks {', '.join(missing)}", field="PATH", value=str(path),
                           hint="a GTFS feed needs agency, stops, routes, trips, stop_times and a calendar")
    publisher, version = _feed_info(source, names)
    agency = list(source.rows("agency.txt", REQUIRED["agency.txt"]))
    if not agency:
        raise InvalidInput("agency.txt has no agency", location="agency.txt, line 2", field="agency_name",
                           hint="name the agency that runs the trips")
    stops = [_stop(row, line) for line, row in source.rows("stops.txt", REQUIRED["stops.txt"])]
    stop_ids = {s.id for s in stops}
    routes = {row["route_id"] for _, row in source.rows("routes.txt", REQUIRED["routes.txt"])}
    services = _services(source, names)
    trips = _trips(source, routes, set(services))
    stop_times = _stop_times(source, trips, stop_ids)
    transfers = _transfers(source, stop_ids) if "transfers.txt" in names else []
    return Feed(version=version or path.stem, publisher=publisher or agency[0][1]["agency_name"],
                stops=stops, trips=trips, stop_times=stop_times, services=services,
                transfers=transfers)


def _feed_info(source: _Source, names: set[str]) -> tuple[str | None, str | None]:
    if "feed_info.txt" not in names:
        return None, None
    for _, row in source.rows("feed_info.txt"):
        return row.get("feed_publisher_name") or None, row.get("feed_version") or None
    return None, None


def _stop(row: dict[str, str], line: int) -> Stop:
    where = f"stops.txt, line {line}"
    values = []
    for column, bound in (("stop_lat", 90.0), ("stop_lon", 180.0)):
        try:
            value = float(row[column])
        except ValueError:
            raise InvalidInput(f"{row[column]!r} is not a coordinate", field=column, value=row[column],
                               location=where, hint="write decimal degrees, e.g. 65.5848") from None
        if abs(value) > bound:
            raise InvalidInput(f"{value} is outside ±{bound:g}", field=column, value=value,
                               location=where, hint="write WGS 84 decimal degrees")
        values.append(value)
    return Stop(row["stop_id"], row.get("stop_name", "") or row["stop_id"], values[0], values[1],
                row.get("parent_station") or None)


def _date(text: str, where: str, column: str) -> date:
    try:
        if len(text) == 8 and text.isdigit():
            return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        pass
    raise InvalidInput(f"{text!r} is not a date", field=column, value=text, location=where,
                       hint="write GTFS dates as YYYYMMDD, e.g. 20220502")


def _services(source: _Source, names: set[str]) -> dict[str, frozenset[date]]:
    days: dict[str, set[date]] = {}
    if "calendar.txt" in names:
        columns = ("service_id", *WEEKDAYS, "start_date", "end_date")
        for line, row in source.rows("calendar.txt", columns):
            where = f"calendar.txt, line {line}"
            start, end = (_date(row[c], where, c) for c in ("start_date", "end_date"))
            runs = [row[d] == "1" for d in WEEKDAYS]
            dates = days.setdefault(row["service_id"], set())
            for offset in range((end - start).days + 1):
                day = start + timedelta(days=offset)
                if runs[day.weekday()]:
                    dates.add(day)
    if "calendar_dates.txt" in names:
        for line, row in source.rows("calendar_dates.txt", ("service_id", "date", "exception_type")):
            where = f"calendar_dates.txt, line {line}"
            day = _date(row["date"], where, "date")
            if row["exception_type"] not in ("1", "2"):
                raise InvalidInput(f"{row['exception_type']!r} is not an exception type",
                                   field="exception_type", value=row["exception_type"], location=where,
                                   hint="1 adds the date to the service, 2 removes it")
            dates = days.setdefault(row["service_id"], set())
            (dates.add if row["exception_type"] == "1" else dates.discard)(day)
    return {service: frozenset(dates) for service, dates in days.items()}


def _trips(source: _Source, routes: set[str], services: set[str]) -> dict[str, tuple[str, str]]:
    trips: dict[str, tuple[str, str]] = {}
    for line, row in source.rows("trips.txt", REQUIRED["trips.txt"]):
        where = f"trips.txt, line {line}"
        for column, known, other in (("route_id", routes, "routes.txt"),
                                     ("service_id", services, "calendar.txt / calendar_dates.txt")):
            if row[column] not in known:
                raise InvalidInput(f"{row[column]!r} is not in {other}", field=column, value=row[column],
                                   location=where, hint=f"every trip's {column} must be defined in {other}")
        trips[row["trip_id"]] = (row["route_id"], row["service_id"])
    return trips


def _stop_times(source: _Source, trips: dict[str, tuple[str, str]], stops: set[str]) -> list[StopTime]:
    out: list[StopTime] = []
    last: dict[str, int] = {}
    for line, row in source.rows("stop_times.txt", REQUIRED["stop_times.txt"]):
        where = f"stop_times.txt, line {line}"
        if row["trip_id"] not in trips:
            raise InvalidInput(f"{row['trip_id']!r} is not in trips.txt", field="trip_id",
                               value=row["trip_id"], location=where, hint="define the trip in trips.txt")
        if row["stop_id"] not in stops:
            raise InvalidInput(f"{row['stop_id']!r} is not in stops.txt", field="stop_id",
                               value=row["stop_id"], location=where, hint="define the stop in stops.txt")
        times = []
        for column in ("arrival_time", "departure_time"):
            try:
                times.append(seconds_of(row[column]))
            except ValueError:
                raise InvalidInput(f"{row[column]!r} is not a time", field=column, value=row[column],
                                   location=where, hint="write H:MM:SS, e.g. 07:05:00 or 25:10:00") from None
        sequence = _sequence(row["stop_sequence"], where)
        if sequence <= last.get(row["trip_id"], -1) or times[1] < times[0]:
            raise InvalidInput(f"trip {row['trip_id']} goes back in sequence or time at stop "
                               f"{row['stop_id']}", field="stop_sequence", value=sequence, location=where,
                               hint="list each trip's stops in increasing stop_sequence, departure ≥ arrival")
        last[row["trip_id"]] = sequence
        out.append(StopTime(row["trip_id"], sequence, row["stop_id"], times[0], times[1],
                            pickup=row.get("pickup_type", "") != "1",
                            drop_off=row.get("drop_off_type", "") != "1"))
    return out


def _sequence(text: str, where: str) -> int:
    if not text.strip().isdigit():
        raise InvalidInput(f"{text!r} is not a stop sequence", field="stop_sequence", value=text,
                           location=where, hint="write a non-negative whole number")
    return int(text)


def _transfers(source: _Source, stops: set[str]) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    for line, row in source.rows("transfers.txt", ("from_stop_id", "to_stop_id", "transfer_type")):
        where = f"transfers.txt, line {line}"
        for column in ("from_stop_id", "to_stop_id"):
            if row[column] not in stops:
                raise InvalidInput(f"{row[column]!r} is not in stops.txt", field=column, value=row[column],
                                   location=where, hint="define the stop in stops.txt")
        minimum = (row.get("min_transfer_time") or "").strip()
        if row["transfer_type"] == "2" and minimum:
            if not minimum.isdigit():
                raise InvalidInput(f"{minimum!r} is not a number of seconds", field="min_transfer_time",
                                   value=minimum, location=where, hint="write whole seconds, e.g. 300")
            out.append((row["from_stop_id"], row["to_stop_id"], int(minimum)))
    return out
