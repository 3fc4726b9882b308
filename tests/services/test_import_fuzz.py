"""Importers under generated bad input: every refusal is a KedjaError, and nothing is half-written.

Hypothesis builds files that are mostly well-formed with damage mixed in (wrong columns, broken
pairs, unknown codes, shares not summing to 1, duplicate ids, bad numbers, arbitrary text). Each
import either succeeds and adds exactly what it parsed, or raises a Kedja error and leaves the
database's rows as they were.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from kedja import services
from kedja.core.errors import KedjaError
from kedja.matching.reach import read_travel_matrix
from kedja.services.forecast_exports import import_establishments
from kedja.store import tables as t
from tests.store.snapshots import database_snapshot

FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = services.prepare_database(tmp_path_factory.mktemp("fuzz") / "kedja.db")
    services.build_demo_database(engine, seed=42, job_seekers=150, employed=300)
    yield engine
    engine.dispose()


def _cell(good: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(good, good, good, TEXT, st.just(""))


pairs = st.lists(st.tuples(st.sampled_from(["2027", "2030", "x", "-5", "2031"]),
                           st.sampled_from(["100", "250", "-3", "1e9", "abc", "0"])),
                 min_size=0, max_size=3).map(lambda ps: ";".join(f"{a}:{b}" for a, b in ps))
mixes = st.sampled_from(["2512:0.5;3512:0.5", "2512:1", "2512:0.7", "9999:1", "2512:x",
                         "2512:0.5;2512:0.5", ":1", "2512"])
rows = st.tuples(_cell(st.sampled_from(["F1", "F2", "F3"])), _cell(st.just("Datacenter")),
                 _cell(st.sampled_from(["2580", "2584", "0000"])), _cell(pairs), _cell(mixes))
headers = st.sampled_from(["id,name,municipality_code,headcounts,occupation_mix",
                           "id,name,municipality_code,headcounts", "id;name", ""])


def _csv(header: str, body: list[tuple[str, ...]]) -> str:
    def quoted(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'
    return header + "\n" + "".join(",".join(quoted(v) for v in row) + "\n" for row in body)


def _count(engine: Engine, table: type) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)


@FUZZ
@given(header=headers, body=st.lists(rows, max_size=4), tag=st.integers(0, 10**9))
def test_establishment_import_refuses_cleanly(region: Engine, tmp_path_factory: pytest.TempPathFactory,
                                              header: str, body: list[tuple[str, ...]],
                                              tag: int) -> None:
    body = [(f"{row[0]}-{tag}" if row[0] in ("F1", "F2", "F3") else row[0], *row[1:])
            for row in body]  # ids unique across examples, so successes do not collide
    path = tmp_path_factory.mktemp("csv") / "establishments.csv"
    path.write_text(_csv(header, body), encoding="utf-8")
    before = _count(region, t.EstablishmentRow), _count(region, t.EstablishmentHeadcountRow)
    try:
        items = import_establishments(region, path)
    except KedjaError as error:
        assert str(error)
        assert (_count(region, t.EstablishmentRow),
                _count(region, t.EstablishmentHeadcountRow)) == before
        return
    assert _count(region, t.EstablishmentRow) == before[0] + len(items)


@FUZZ
@given(lines=st.lists(st.tuples(_cell(st.sampled_from(["2580-lulea", "2584-kiruna", "nowhere"])),
                                _cell(st.sampled_from(["2584-kiruna", "2580-lulea"])),
                                _cell(st.sampled_from(["30", "-1", "nan", "1e400", "x", "12.5"]))),
                      max_size=4),
       header=st.sampled_from(["from_locality,to_locality,minutes", "from,to", ""]))
def test_travel_matrix_refuses_cleanly(tmp_path_factory: pytest.TempPathFactory,
                                       lines: list[tuple[str, str, str]], header: str) -> None:
    path = tmp_path_factory.mktemp("travel") / "travel.csv"
    path.write_text(_csv(header, lines), encoding="utf-8")
    try:
        pairs = read_travel_matrix(path, {"2580-lulea", "2584-kiruna"})  # type: ignore[arg-type]
    except KedjaError as error:
        assert str(error)
        return
    assert all(minutes >= 0 for _, _, minutes, _ in pairs)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "size", "dimension", "value", "label", "category", "index",
                         "Yrke2012", "Tid", "ContentsCode"]), children, max_size=4),
    max_leaves=12)


@FUZZ
@given(document=json_values)
def test_scb_json_stat_import_refuses_cleanly(region: Engine,
                                              tmp_path_factory: pytest.TempPathFactory,
                                              document: object) -> None:
    path = tmp_path_factory.mktemp("scb") / "employment.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = database_snapshot(region)
    try:
        services.import_taxonomy(region, "scb-ssyk", [path])
    except KedjaError as error:
        assert str(error)
        assert database_snapshot(region) == before
