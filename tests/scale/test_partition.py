from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
import scipy.sparse as sp

from kedja.chains.model import ChainProblem
from kedja.core.errors import InvalidInput
from kedja.matching.encoding import EncodedOpportunities, EncodedPeople
from kedja.matching.scoring import generate_candidates
from kedja.scale import NationalInstance, national_pack, parse_cluster, partition_by_area
from kedja.scale.arrow import arrays_to_table, rows_to_table, table_to_arrays, table_to_rows
from kedja.scale.partition import person_areas


def test_the_pack_has_every_municipality_in_one_of_60_areas() -> None:
    pack = national_pack()
    assert len(pack.municipality_codes) == len(set(pack.municipality_codes)) == 290
    assert len(set(pack.fa_codes)) == len(pack.fa_names) == 60
    assert 10_000_000 < pack.population.sum() < 10_600_000
    stockholm = pack.municipality_codes.index("0180")
    assert pack.fa_codes[stockholm] == pack.fa_codes[pack.municipality_codes.index("0114")]
    assert ((pack.lat > 55) & (pack.lat < 69.1) & (pack.lon > 10.9) & (pack.lon < 24.2)).all()


def test_people_and_opportunities_follow_population(small_national: NationalInstance) -> None:
    pack = national_pack()
    people = small_national.scoring.people
    area = person_areas(small_national.scoring, small_national.locality_area)
    share = {a: (area == a).mean() for a in small_national.areas}
    fa = np.array(pack.fa_codes)
    expected = {a: pack.population[fa == a].sum() / pack.population.sum() for a in small_national.areas}
    assert abs(share["23"] - expected["23"]) < 0.03  # Stockholm, a quarter of the country
    assert np.corrcoef([share[a] for a in expected], list(expected.values()))[0, 1] > 0.95
    assert len(people.ids) == 2_000


def test_the_generator_is_seeded() -> None:
    from kedja.scale import national_instance

    a = national_instance(people=500, opportunities=120, places=160, seed=4)
    b = national_instance(people=500, opportunities=120, places=160, seed=4)
    c = national_instance(people=500, opportunities=120, places=160, seed=5)
    assert np.array_equal(a.scoring.people.locality, b.scoring.people.locality)
    assert np.array_equal(a.scoring.opportunities.remote, b.scoring.opportunities.remote)
    assert not np.array_equal(a.scoring.people.locality, c.scoring.people.locality)


def test_partitioning_covers_every_person_exactly_once(small_national: NationalInstance) -> None:
    tasks = partition_by_area(small_national.scoring, small_national.locality_area)
    rows = np.concatenate([t.people.column("row").to_numpy() for t in tasks])
    assert np.array_equal(np.sort(rows), np.arange(len(small_national.scoring.people.ids)))
    area = person_areas(small_national.scoring, small_national.locality_area)
    for task in tasks:
        assert (area[task.people.column("row").to_numpy()] == task.area).all()
        home = task.opportunities.column("home").to_numpy(zero_copy_only=False)
        opp_area = small_national.locality_area[
            small_national.scoring.opportunities.locality[task.opportunities.column("row").to_numpy()]]
        assert np.array_equal(home, opp_area == task.area)


def test_each_task_scores_exactly_the_arcs_of_a_single_run(small_national: NationalInstance) -> None:
    from kedja.scale.partition import decode_task, shared_tables

    whole = generate_candidates(small_national.scoring)
    tasks = partition_by_area(small_national.scoring, small_national.locality_area)
    shared = shared_tables(small_national.scoring)
    parts = []
    for task in tasks[:12]:
        scoring, person_rows, opp_rows = decode_task(task, shared)
        c = generate_candidates(scoring, workers=1)
        parts += list(zip(person_rows[c.person].tolist(), opp_rows[c.opportunity].tolist(),
                          np.round(c.fit, 6).tolist(), strict=True))
    mine = np.isin(whole.person, np.concatenate([t.people.column("row").to_numpy() for t in tasks[:12]]))
    expected = set(zip(whole.person[mine].tolist(), whole.opportunity[mine].tolist(),
                       np.round(whole.fit[mine], 6).tolist(), strict=True))
    assert len(parts) == len(expected) > 0
    assert set(parts) == expected


def test_encoded_rows_survive_arrow(small_national: NationalInstance) -> None:
    people = small_national.scoring.people
    back = table_to_rows(EncodedPeople, rows_to_table(people))
    assert back.ids == people.ids
    assert np.array_equal(back.max_commute, people.max_commute)
    assert (back.skills != people.skills).nnz == 0 and back.skills.shape == people.skills.shape
    opps = small_national.scoring.opportunities
    again = table_to_rows(EncodedOpportunities, rows_to_table(opps))
    assert np.array_equal(again.entry, opps.entry) and again.entry.dtype == bool
    assert isinstance(again.required, sp.csr_matrix)
    assert isinstance(rows_to_table(opps), pa.Table)


def test_chain_problems_survive_arrow(small_national: NationalInstance) -> None:
    problem = small_national.chains["60"]
    back = table_to_arrays(ChainProblem, arrays_to_table(problem))
    assert back.n_positions == problem.n_positions and back.budget is None
    assert np.array_equal(back.move_cost, problem.move_cost)


def test_a_bad_area_table_and_bad_cluster_names_are_refused(small_national: NationalInstance) -> None:
    with pytest.raises(InvalidInput, match="one FA region code per locality"):
        partition_by_area(small_national.scoring, ["01", "02"])
    with pytest.raises(InvalidInput, match="local:N"):
        parse_cluster("local:two")
    with pytest.raises(InvalidInput, match="not a cluster"):
        parse_cluster("my-laptop")


def test_quotas_share_each_place_exactly_among_the_areas_that_reach_it(
        small_national: NationalInstance) -> None:
    tasks = partition_by_area(small_national.scoring, small_national.locality_area)
    capacity = small_national.scoring.opportunities.capacity
    total = np.zeros(capacity.size, dtype=np.int64)
    reached = np.zeros(capacity.size, dtype=bool)
    for task in tasks:
        rows = task.opportunities.column("row").to_numpy()
        np.add.at(total, rows, task.opportunities.column("quota").to_numpy())
        reached[rows] = True
    assert np.array_equal(total[reached], capacity[reached])
    again = partition_by_area(small_national.scoring, small_national.locality_area)
    assert all(a.opportunities.column("quota").equals(b.opportunities.column("quota"))
               for a, b in zip(tasks, again, strict=True))


def test_bundles_keep_whole_regions_and_balance_people(small_national: NationalInstance) -> None:
    from kedja.scale.partition import bundle_areas

    data, areas = small_national.scoring, small_national.locality_area
    whole = bundle_areas(data, areas, 4)
    assert not any("/" in name for name in set(whole))  # regions whole unless asked to split
    bundled = bundle_areas(data, areas, 4, split=True)
    homes, bundles = person_areas(data, areas), person_areas(data, bundled)
    assert len(set(bundles)) == 4
    for area in set(homes):  # a region lies whole in one bundle, or is split into named parts
        held = set(bundles[homes == area])
        names = {n for b in held for n in b.split("+") if n.split("/")[0] == area}
        assert (held, names) == ({next(iter(held))}, {area}) or (
            len(names) == len(held) > 1 and all(n.startswith(f"{area}/") for n in names))
    sizes = np.unique(bundles, return_counts=True)[1]
    assert sizes.max() < 0.5 * sizes.sum()  # balanced on work (people × halo), so not one big one
    tasks = partition_by_area(data, bundled)
    assert sorted(np.concatenate([t.people.column("row").to_numpy() for t in tasks]).tolist()) == list(
        range(len(data.people.ids)))
    with pytest.raises(InvalidInput, match="bundles"):
        bundle_areas(data, areas, 0)


def test_reach_counts_equal_a_count_over_every_pair(small_national: NationalInstance) -> None:
    from kedja.scale.partition import _reach

    data = small_national.scoring
    homes = person_areas(data, small_national.locality_area)
    o, p = data.opportunities, data.people
    for area in np.unique(homes)[:5]:
        rows, halo, count = _reach(data, np.flatnonzero(homes == area))
        minutes = data.car_minutes[np.ix_(p.locality[rows], o.locality[halo])] * (1.0 - o.remote[halo])
        expected = (p.max_commute[rows][:, None] >= minutes).sum(axis=0).astype(float)
        expected[o.remote[halo] >= 0.99] = rows.size
        assert np.array_equal(count, expected), area
