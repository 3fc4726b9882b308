"""Reach: times from coordinates, an imported matrix in their place, public transport without a car."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from kedja import services
from kedja.core.access import operator_principal
from kedja.core.errors import InvalidInput
from kedja.core.geography import Coordinates
from kedja.matching.reach import TravelTimes, read_travel_matrix

KIRUNA, GALLIVARE, LULEA = "2584-kiruna", "2523-gallivare", "2580-lulea"
POINTS = {KIRUNA: Coordinates(67.8557, 20.2253), GALLIVARE: Coordinates(67.1339, 20.6591),
          LULEA: Coordinates(65.5848, 22.1547)}

OPERATOR = operator_principal("tester")


def test_times_grow_with_distance_and_public_transport_is_slower() -> None:
    travel = TravelTimes.from_points(POINTS)
    assert travel.minutes(KIRUNA, GALLIVARE) < travel.minutes(KIRUNA, LULEA)
    assert travel.minutes(KIRUNA, GALLIVARE, public=True) > travel.minutes(KIRUNA, GALLIVARE)
    assert travel.minutes(LULEA, LULEA) == 5.0


def test_imported_matrix_replaces_pairs(tmp_path: Path) -> None:
    path = tmp_path / "times.csv"
    path.write_text("from_locality,to_locality,minutes,public_transport_minutes\n"
                    f"{KIRUNA},{GALLIVARE},80,\n{LULEA},{KIRUNA},230,290\n", encoding="utf-8")
    travel = TravelTimes.from_points(POINTS)
    travel.override(read_travel_matrix(path, set(POINTS)))
    assert travel.minutes(KIRUNA, GALLIVARE) == 80
    assert travel.minutes(KIRUNA, GALLIVARE, public=True) == float("inf")  # no bus on that pair
    assert travel.minutes(LULEA, KIRUNA, public=True) == 290


@pytest.mark.parametrize(("body", "message"), [
    ("from_locality,to_locality\na,b\n", "lacks the columns"),
    (f"from_locality,to_locality,minutes\n{KIRUNA},2599-nowhere,40\n", "not a known locality"),
    (f"from_locality,to_locality,minutes\n{KIRUNA},{LULEA},fyrtio\n", "line 2"),
    (f"from_locality,to_locality,minutes\n{KIRUNA},{LULEA},-4\n", "negative"),
])
def test_bad_matrix_is_refused_with_file_and_line(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message) as caught:
        read_travel_matrix(path, set(POINTS))
    assert "bad.csv" in str(caught.value)


def test_people_without_a_car_travel_by_public_transport(demo_engine: Engine, tmp_path: Path) -> None:
    with demo_engine.connect() as c:
        person = c.execute(text("""select id from people where status != 'employed'
                                   and driving_licences = '[]' and locality_id is not null
                                   order by id limit 1""")).scalar()
        locality = c.execute(text("select locality_id from people where id = :p"), {"p": person}).scalar()
    if person is None:
        pytest.skip("the small demo has no job seeker without a licence")
    steps = services.pathways_for_person(demo_engine, person, k=5, principal=OPERATOR)
    travel = [s for s in steps if s.travel_minutes > 5 and s.factors["travel"] > 0]
    if not travel:
        pytest.skip("no step outside the person's own locality")
    step = travel[0]
    with demo_engine.connect() as c:
        site = c.execute(text("select locality_id from opportunities where id = :o"),
                         {"o": step.opportunity_id}).scalar()
    path = tmp_path / "times.csv"
    path.write_text("from_locality,to_locality,minutes,public_transport_minutes\n"
                    f"{locality},{site},1,3\n", encoding="utf-8")
    moved = services.pathways_for_person(demo_engine, person, k=20, travel_matrix=path,
                                         principal=OPERATOR)
    again = next(s for s in moved if s.opportunity_id == step.opportunity_id)
    assert again.travel_minutes == 3.0  # the public-transport time: this person cannot drive
