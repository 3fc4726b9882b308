"""The imported GTFS feed in the database: replace it whole, read one day's calls back."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kedja.store import tables as t
from kedja.store.repositories import insert_many

__all__ = [
    "feed_info",
    "replace_feed",
    "services",
    "stop_times_on",
    "stops",
    "transfers",
    "trips_per_service",
]

TABLES = (t.TransitStopTimeRow, t.TransitTripRow, t.TransitServiceRow, t.TransitTransferRow,
          t.TransitStopRow, t.TransitFeedRow)


def replace_feed(session: Session, header: dict[str, Any], rows: dict[str, list[dict[str, Any]]]) -> None:
    """Put a feed in place of the stored one, in the caller's transaction.

    ``header`` holds version, publisher, source, valid_from, valid_to and counts; ``rows`` the
    rows of ``stops``, ``services``, ``trips``, ``stop_times`` and ``transfers``.
    """
    for table in TABLES:
        session.execute(delete(table))
    session.add(t.TransitFeedRow(id=1, imported_at=datetime.now(UTC), **header))
    session.flush()
    for name, table in (("stops", t.TransitStopRow), ("services", t.TransitServiceRow),
                        ("trips", t.TransitTripRow), ("stop_times", t.TransitStopTimeRow),
                        ("transfers", t.TransitTransferRow)):
        insert_many(session, table, rows[name])


def feed_info(session: Session) -> dict[str, Any] | None:
    """The stored feed's version, publisher, validity and counts; ``None`` when there is none."""
    row = session.get(t.TransitFeedRow, 1)
    if row is None:
        return None
    return {"version": row.version, "publisher": row.publisher, "source": row.source,
            "valid_from": row.valid_from.isoformat() if row.valid_from else None,
            "valid_to": row.valid_to.isoformat() if row.valid_to else None,
            "imported_at": row.imported_at.isoformat(), "counts": row.counts}


def services(session: Session) -> dict[str, frozenset[date]]:
    """service_id → the dates it runs."""
    rows = session.execute(select(t.TransitServiceRow.service_id, t.TransitServiceRow.dates)).all()
    return {s: frozenset(date.fromisoformat(d) for d in dates) for s, dates in rows}


def trips_per_service(session: Session) -> dict[str, int]:
    """How many trips each service runs."""
    counts: dict[str, int] = {}
    for service in session.scalars(select(t.TransitTripRow.service_id)):
        counts[service] = counts.get(service, 0) + 1
    return counts


def stops(session: Session) -> list[tuple[str, float, float]]:
    """Every stop as ``(id, lat, lon)``."""
    rows = session.execute(select(t.TransitStopRow.stop_id, t.TransitStopRow.lat, t.TransitStopRow.lon)
                           .order_by(t.TransitStopRow.stop_id)).all()
    return [(r[0], float(r[1]), float(r[2])) for r in rows]


def stop_times_on(session: Session,
                  service_ids: set[str]) -> list[tuple[str, int, str, int, int, bool, bool]]:
    """The calls of the trips of ``service_ids``.

    Each is (trip, sequence, stop, arrival, departure, pickup, drop-off).
    """
    s, tr = t.TransitStopTimeRow, t.TransitTripRow
    rows = session.execute(
        select(s.trip_id, s.sequence, s.stop_id, s.arrival, s.departure, s.pickup, s.drop_off)
        .join(tr, tr.trip_id == s.trip_id).where(tr.service_id.in_(sorted(service_ids)))).all()
    return [(r[0], int(r[1]), r[2], int(r[3]), int(r[4]), bool(r[5]), bool(r[6])) for r in rows]


def transfers(session: Session) -> list[tuple[str, str, int]]:
    """Minimum transfer times between stops from the feed."""
    r = t.TransitTransferRow
    return [(a, b, int(sec)) for a, b, sec in session.execute(select(r.from_stop, r.to_stop, r.seconds))]
