"""Public transport commutes from the real GTFS feed: import, all-pairs commutes, one place's reach.

Prints: the feed's parse and write times; the time to compute every locality pair's commute
(one backward and one forward connection scan per workplace) against the baseline a person
would write first, one scan per (home, workplace) pair and direction, on a sample of pairs
scaled to all pairs; and ``kedja reach --from Luleå --mode transit`` end to end in-process.
Needs ../shared/data/gtfs_norrbotten.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from kedja import services
from kedja.matching.transit import (
    Timetable,
    busiest_day,
    commute_times,
    earliest_arrival,
    latest_departure,
)
from kedja.services import reach
from kedja.store import repositories as repo
from kedja.store import session_scope
from kedja.store import transit as store

FEED = Path(__file__).resolve().parents[2] / "shared" / "data" / "gtfs_norrbotten"


def _timetable(engine: object) -> tuple[Timetable, list[tuple[str, float, float]]]:
    with session_scope(engine) as session:  # type: ignore[arg-type]
        services_ = store.services(session)
        day = busiest_day(services_, store.trips_per_service(session), 1)
        active = {s for s, d in services_.items() if day in d}
        tt = Timetable.from_rows(store.stops(session), store.stop_times_on(session, active),
                                 store.transfers(session), day)
        points = [(loc.id, loc.point.lat, loc.point.lon) for loc in repo.list_localities(session)]
    return tt, points


def _per_pair(tt: Timetable, points: list[tuple[str, float, float]], pairs: int) -> float:
    """The naive way: one backward and one forward scan for each (home, workplace) pair."""
    from kedja.matching.transit import _access

    access = _access(tt, [(p[1], p[2]) for p in points])
    rng = np.random.default_rng(1)
    chosen = [tuple(rng.choice(len(points), 2, replace=False)) for _ in range(pairs)]
    start = time.perf_counter()
    for home, work in chosen:
        if access[home] and access[work]:
            latest_departure(tt, {s: 8 * 3600 - w for s, w in access[work].items()})
            earliest_arrival(tt, {s: 16 * 3600 + 1800 + w for s, w in access[work].items()})
    return time.perf_counter() - start


def main() -> None:
    if not FEED.exists():
        print(f"needs {FEED}")
        sys.exit(0)
    with tempfile.TemporaryDirectory() as tmp:
        engine = services.prepare_database(Path(tmp) / "demo.db")
        services.build_demo_database(engine, seed=42, job_seekers=600, employed=1500)
        report = reach.import_gtfs(engine, FEED)
        print(f"import: parse {report['seconds']['parse']} s, write {report['seconds']['write']} s "
              f"({report['counts']['stop_times']:,} stop times)")
        tt, points = _timetable(engine)
        start = time.perf_counter()
        times = commute_times(tt, points)
        all_pairs = time.perf_counter() - start
        n = len(points)
        sample = 200
        naive = _per_pair(tt, points, sample) / sample * n * (n - 1)
        print(f"all {n} x {n} locality commutes ({tt.dep_time.size:,} connections): {all_pairs:.2f} s; "
              f"one scan per pair (baseline, {sample} pairs scaled): {naive:.1f} s; "
              f"ratio {naive / all_pairs:.0f}x")
        print(f"pairs with a commute: {int(np.isfinite(times.minutes).sum())} of {n * (n - 1)}")
        start = time.perf_counter()
        reach._forget(engine)
        reach.locality_reach(engine, "Luleå", mode="transit")
        print(f"reach from Luleå by public transport, cold: {time.perf_counter() - start:.2f} s")
        start = time.perf_counter()
        reach.locality_reach(engine, "Luleå", mode="transit")
        print(f"reach from Luleå by public transport, warm: {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    main()
