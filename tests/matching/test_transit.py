"""Public transport from a GTFS timetable: the reader's errors, the connection scan, trips checked by hand."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine

from kedja import services
from kedja.cli import main
from kedja.core.access import operator_principal
from kedja.core.errors import InvalidInput
from kedja.matching.gtfs import read_feed
from kedja.matching.transit import Timetable, busiest_day, commute_times, earliest_arrival, latest_departure
from kedja.services import reach
from tests.conftest import SMALL_DEMO, shared_data

TUESDAY = date(2022, 8, 16)
BODEN_GARNIS = "9022025082002001"


def _tiny(tmp_path: Path, stop_times: str) -> Path:
    files = {
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n1,Buss,https://x,Europe/Stockholm\n",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nA,A,65.58,22.15\nB,B,65.82,21.69\n",
        "routes.txt": "route_id,agency_id,route_short_name,route_type\nr,1,1,700\n",
        "trips.txt": "route_id,service_id,trip_id\nr,s,t1\n",
        "calendar_dates.txt": "service_id,date,exception_type\ns,20220816,1\n",
        "stop_times.txt": stop_times,
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_reader_names_the_file_line_and_field(tmp_path: Path) -> None:
    folder = _tiny(tmp_path, "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                              "t1,07:00:00,07:00:00,A,1\nt1,7h40,07:40:00,B,2\n")
    with pytest.raises(InvalidInput) as caught:
        read_feed(folder)
    assert caught.value.location == "stop_times.txt, line 3"
    assert caught.value.field == "arrival_time" and caught.value.value == "7h40"


def test_reader_refuses_unknown_stops(tmp_path: Path) -> None:
    folder = _tiny(tmp_path, "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                              "t1,07:00:00,07:00:00,A,1\nt1,07:40:00,07:40:00,Z,2\n")
    with pytest.raises(InvalidInput, match=r"'Z' is not in stops\.txt"):
        read_feed(folder)


def test_scan_finds_the_change_and_no_trip_where_none_runs() -> None:
    tt = Timetable.from_rows(
        stops=[("A", 65.0, 22.0), ("B", 65.1, 22.0), ("C", 65.2, 22.0), ("D", 66.0, 22.0)],
        calls=[("t1", 0, "A", 25200, 25200), ("t1", 1, "B", 27000, 27000),
               ("t2", 0, "B", 27300, 27300), ("t2", 1, "C", 28200, 28200),
               ("late", 0, "A", 27000, 27000), ("late", 1, "C", 29000, 29000)])
    assert latest_departure(tt, {tt.index["C"]: 28800})[tt.index["A"]] == 25200  # 'late' arrives too late
    assert earliest_arrival(tt, {tt.index["A"]: 25000})[tt.index["C"]] == 28200
    assert latest_departure(tt, {tt.index["D"]: 28800})[tt.index["A"]] == -np.inf
    times = commute_times(tt, [("a", 65.0, 22.0), ("d", 66.0, 22.0)])
    assert not np.isfinite(times.minutes[0, 1])


@pytest.fixture(scope="module")
def norrbotten() -> Timetable:
    feed = read_feed(shared_data("gtfs_norrbotten"))
    per_service = Counter(s for _, s in feed.trips.values())
    day = busiest_day(feed.services, per_service, 1)
    assert day == TUESDAY
    active = {t for t, (_, s) in feed.trips.items() if day in feed.services[s]}
    calls = [(x.trip_id, x.sequence, x.stop_id, x.arrival, x.departure, x.pickup, x.drop_off)
             for x in feed.stop_times if x.trip_id in active]
    return Timetable.from_rows([(s.id, s.lat, s.lon) for s in feed.stops], calls, feed.transfers, day)


@pytest.mark.shared_data
def test_trips_checked_by_hand_against_stop_times(norrbotten: Timetable) -> None:
    """On Tuesday 16 August 2022 (service 1 runs) these trips call at Boden Garnis (…2002001) and
    then Boden Medborgarplatsen (…2007001), by stop_times.txt: 481 06:00 → 06:05, 216 06:15 → 06:20,
    117 06:35 → 06:42, 221 06:40 → 06:45, 290 06:55 → 07:00 (no pickup at Garnis: pickup_type 1),
    486 06:55 → 07:00, 222 07:05 → 07:10."""
    # the timetable alone: walks to stops nearby (which may offer a later bus) are checked below
    tt = dataclasses.replace(norrbotten, footpaths=[[] for _ in norrbotten.stop_ids])
    garnis, torget = tt.index[BODEN_GARNIS], tt.index["9022025082007001"]

    def clock(hours: int, minutes: int) -> int:
        return hours * 3600 + minutes * 60

    # at Garnis by 06:30: the 06:35 (117) is first, at Medborgarplatsen 06:42
    assert earliest_arrival(tt, {garnis: clock(6, 30)})[torget] == clock(6, 42)
    # at Garnis by 06:36: 117 has gone, 221 arrives 06:45
    assert earliest_arrival(tt, {garnis: clock(6, 36)})[torget] == clock(6, 45)
    # to be at Medborgarplatsen by 06:45: leave on 221 at 06:40; by 06:44: on 117 at 06:35
    assert latest_departure(tt, {torget: clock(6, 45)})[garnis] == clock(6, 40)
    assert latest_departure(tt, {torget: clock(6, 44)})[garnis] == clock(6, 35)
    # by 07:04: 486 at 06:55 (290 leaves at the same time but takes nobody on at Garnis)
    assert latest_departure(tt, {torget: clock(7, 4)})[garnis] == clock(6, 55)
    # walking to a stop nearby can only help: never an earlier latest departure
    walked = latest_departure(norrbotten, {torget: clock(6, 44)})[garnis]
    assert clock(6, 35) <= walked < clock(6, 44)


@pytest.fixture(scope="module")
def gtfs_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    path = tmp_path_factory.mktemp("gtfs") / "demo.db"
    engine = services.prepare_database(path)
    services.build_demo_database(engine, **SMALL_DEMO)
    return engine


@pytest.mark.shared_data
def test_import_and_reach_from_lulea(gtfs_engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    feed = shared_data("gtfs_norrbotten")
    db = str(gtfs_engine.url.database)
    main(["import", "gtfs", str(feed), "--db", db])
    assert "1,909 trips" in capsys.readouterr().out
    main(["reach", "--db", db, "--from", "Luleå", "--mode", "transit", "--format", "json"])
    result = json.loads(capsys.readouterr().out)
    by_name = {row["name"]: row for row in result["destinations"]}
    for town, low, high in (("Boden", 30, 90), ("Piteå", 45, 120), ("Kalix", 60, 150)):
        assert by_name[town]["source"] == "timetable"
        assert low <= by_name[town]["minutes"] <= high, by_name[town]
    assert by_name["Pajala"]["minutes"] is None or by_name["Pajala"]["minutes"] > 180
    assert by_name["Pajala"]["note"] == "ingen kollektivtrafik"
    assert by_name["Skellefteå"]["source"] == "estimate"  # Västerbotten: no feed here
    assert result["timetable"]["day"] == str(TUESDAY)


@pytest.mark.shared_data
def test_a_bad_feed_leaves_the_stored_one_in_place(gtfs_engine: Engine, tmp_path: Path) -> None:
    reach.import_gtfs(gtfs_engine, shared_data("gtfs_norrbotten"))
    bad = tmp_path / "bad"
    shutil.copytree(shared_data("gtfs_norrbotten"), bad)
    with (bad / "trips.txt").open("a", encoding="utf-8") as handle:
        handle.write("9011025001000000,no-such-service,X1,,1,\n")
    with pytest.raises(InvalidInput, match="no-such-service"):
        reach.import_gtfs(gtfs_engine, bad)
    from kedja.store import session_scope
    from kedja.store import transit as store
    with session_scope(gtfs_engine) as session:
        assert store.feed_info(session)["counts"]["trips"] == 1909  # type: ignore[index]


@pytest.mark.shared_data
def test_reach_page_maps_the_commutes_in_swedish(gtfs_engine: Engine) -> None:
    from kedja.web import create_app
    from tests.conftest import signed_in_client

    reach.import_gtfs(gtfs_engine, shared_data("gtfs_norrbotten"))
    client = signed_in_client(create_app(gtfs_engine), "analyst@kedja.demo")
    page = client.get("/reach?from=Lule%C3%A5&mode=transit&lang=sv")  # type: ignore[attr-defined]
    assert page.status_code == 200
    text = page.text
    assert "Inom räckhåll från Luleå" in text and "16 augusti 2022" in text
    assert "ingen kollektivtrafik" in text and "uppskattning, ingen tidtabell" in text
    assert '"projection": {"type": "mercator"}' in text and "reach-chart-spec" in text
    missing = client.get("/reach?from=Atlantis")  # type: ignore[attr-defined]
    assert missing.status_code == 404


@pytest.mark.shared_data
def test_people_without_a_car_are_told_where_their_times_come_from(gtfs_engine: Engine) -> None:
    from sqlalchemy import text

    reach.import_gtfs(gtfs_engine, shared_data("gtfs_norrbotten"))
    with gtfs_engine.connect() as connection:
        people = connection.execute(text(
            "select id from people where status != 'employed' and municipality_code like '25%' "
            "and driving_licences = '[]' order by id limit 40")).scalars().all()
    said = set()
    for person in people:
        for step in services.pathways_for_person(gtfs_engine, person, k=10,
                                                 principal=operator_principal("tester")):
            said.update(step.explanation["sv"])
            assert np.isfinite(step.travel_minutes)
    assert any("enligt tidtabellen" in line for line in said), sorted(said)[:20]
    assert not any(line.startswith("Resväg") and "uppskattad" in line for line in said)


def test_a_zipped_feed_reads_like_its_folder_and_a_non_zip_is_refused(tmp_path: Path) -> None:
    import zipfile

    folder = _tiny(tmp_path / "feed" if (tmp_path / "feed").mkdir() is None else tmp_path,
                   "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                   "t1,07:00:00,07:00:00,A,1\nt1,07:40:00,07:40:00,B,2\n")
    archive = tmp_path / "feed.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for path in folder.iterdir():
            handle.write(path, f"gtfs/{path.name}")
    assert read_feed(archive).stop_times == read_feed(folder).stop_times
    bad = tmp_path / "feed.txt"
    bad.write_text("not a zip", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not a zip"):
        read_feed(bad)
