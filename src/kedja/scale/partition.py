"""Splitting a matching instance by functional labour-market area into independent tasks.

Every job seeker belongs to the FA region of their home locality; each region with job
seekers becomes one :class:`AreaTask` holding, as Arrow tables, its people, the opportunities
they can reach (its *halo*: those within the longest commute of its people from one of its
localities, in its own region or another, and every wholly remote one) with the region's
quota of each one's capacity, and the travel minutes from its localities to the halo's.
Because the halo holds every opportunity the scorer could look at for these people, scoring
the task alone yields exactly the candidate arcs a single run would give them.

The taxonomy (occupation similarity, shortage) is the same for every region: it goes to each
worker once as a :class:`SharedTables`.

Time O(A · (L_a · N_loc + M + L_a · H_a)) for A regions of L_a localities over N_loc
localities, M opportunities and halos of H_a; memory is the tasks themselves (the instance
split, plus the halos).

Examples:
    >>> from kedja.scale.national import national_instance
    >>> instance = national_instance(people=2_000, opportunities=500, places=700, seed=1)
    >>> tasks = partition_by_area(instance.scoring, instance.locality_area)
    >>> sum(t.people.num_rows for t in tasks)
    2000
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from kedja.core.errors import InvalidInput
from kedja.matching.encoding import EncodedOpportunities, EncodedPeople
from kedja.matching.scoring import ScoringInput
from kedja.scale.arrow import rows_to_table, table_to_rows, take_rows

__all__ = [
    "AreaTask",
    "SharedTables",
    "bundle_areas",
    "capacity_quotas",
    "decode_task",
    "partition_by_area",
    "person_areas",
    "person_reach",
    "person_work",
    "shared_tables",
]


@dataclass(frozen=True)
class AreaTask:
    """One FA region's share of the work, as Arrow tables (global rows in column ``row``)."""

    area: str
    people: pa.Table
    opportunities: pa.Table
    minutes: pa.Table
    excluded: pa.Table
    k: int

    @property
    def nbytes(self) -> int:
        """Bytes of the task's tables."""
        return sum(t.nbytes for t in (self.people, self.opportunities, self.minutes, self.excluded))


@dataclass(frozen=True)
class SharedTables:
    """What every region needs: occupation similarity (row-major) and shortage."""

    similarity: pa.Table
    shortage: pa.Table


def shared_tables(data: ScoringInput) -> SharedTables:
    """The taxonomy of ``data`` as Arrow tables."""
    n = data.similarity.shape[0]
    flat = pa.array(np.ascontiguousarray(data.similarity, dtype=np.float32).ravel())
    similarity = pa.table({"similarity": pa.FixedSizeListArray.from_arrays(flat, n)})
    return SharedTables(similarity, pa.table({"shortage": pa.array(data.shortage.astype(np.float32))}))


def person_areas(data: ScoringInput, locality_area: Sequence[str] | np.ndarray) -> np.ndarray:
    """The FA region of each person's home locality."""
    areas = np.asarray(locality_area)
    if areas.size != data.car_minutes.shape[0]:
        raise InvalidInput(f"{areas.size} area codes for {data.car_minutes.shape[0]} localities",
                           field="locality_area", value=int(areas.size),
                           hint="give one FA region code per locality of the travel matrix")
    return areas[data.people.locality]


def bundle_areas(data: ScoringInput, locality_area: Sequence[str] | np.ndarray, bundles: int, *,
                 split: bool = False, workers: int = 1, work: np.ndarray | None = None) -> np.ndarray:
    """``locality_area`` with the FA regions grouped into ``bundles`` bundles of about equal work.

    A region's work is estimated by :func:`person_work` (or ``work``, one figure per job seeker,
    when the caller has it already) summed over its job seekers. With
    ``split``, a region dearer than a bundle's share is first split by locality
    (:func:`_split_dearest`: it balances the work, but the new borders cut through a commuting
    zone, which only an exact union flow can afford). Regions go to the bundle with the least
    work so far, dearest first (longest-processing-time scheduling). With ``workers`` > 1 the
    regions are first dealt so to ``workers`` groups, and each group into ``bundles / workers``
    bundles: the bundles of a group, placed on one worker, then add up to a worker's share even
    when one region alone (Stockholm, unsplit) is dearer than a bundle's share. A bundle is
    named by its regions' codes joined with ``+``. Partitioning by bundle keeps every property
    of partitioning by region (a bundle's halo is the union of its regions'), with fewer,
    larger tasks: one scoring context per bundle, fewer places split by quota.

    Examples:
        >>> from kedja.scale.national import national_instance
        >>> instance = national_instance(people=2_000, opportunities=500, places=700, seed=1)
        >>> bundled = bundle_areas(instance.scoring, instance.locality_area, 2)
        >>> len(set(person_areas(instance.scoring, bundled)))  # (a region without people keeps its code)
        2
    """
    if bundles < 1:
        raise InvalidInput(f"{bundles} bundles", field="bundles", value=bundles,
                           hint="give at least one bundle (one per worker is a good start)")
    areas = np.asarray(locality_area).astype(str)
    per_person = person_work(data) if work is None else work
    if split:
        areas = _split_dearest(data, areas, bundles, per_person)
    homes = person_areas(data, areas)
    codes, where = np.unique(homes, return_inverse=True)
    area_work = np.bincount(where, weights=per_person, minlength=codes.size)
    groups = max(1, min(workers, bundles))
    members: list[list[str]] = []
    for group in _deal(np.arange(codes.size), area_work, groups):
        members.extend([[str(codes[i]) for i in part]
                        for part in _deal(group, area_work, max(1, bundles // groups))])
    name = {code: "+".join(sorted(group)) for group in members for code in group}
    return np.array([name.get(a, a) for a in areas])


def _deal(items: np.ndarray | list[int], work: np.ndarray, bins: int) -> list[list[int]]:
    """``items`` dealt to ``bins`` bins, dearest first to the least loaded (none left empty)."""
    items = np.asarray(items, dtype=np.int64)
    load = np.zeros(min(bins, max(items.size, 1)))
    out: list[list[int]] = [[] for _ in range(load.size)]
    for i in items[np.argsort(-work[items], kind="stable")]:
        target = int(np.argmin(load))
        load[target] += work[i]
        out[target].append(int(i))
    return [part for part in out if part]


PERSON_WORK = 11_000
"""A job seeker's work that does not grow with what they reach (encoding, blocks, their share
of the flow), in reached opportunities: the scorer's time per bundle fitted as
``a · people + b · reach`` by least squares on six bundles of ``bench/bench_scale.py``'s
national instance at 400,000 job seekers (two and four bundles; 64 µs a person, 5.7 ns a
reached opportunity: a person costs as much as 11,200 reached opportunities). Weighed by
reach alone, Stockholm looked like 56 % of the work; it took 41 %."""


def person_work(data: ScoringInput) -> np.ndarray:
    """Each job seeker's estimated scoring work: :data:`PERSON_WORK` plus what they reach."""
    return PERSON_WORK + person_reach(data)


def person_reach(data: ScoringInput) -> np.ndarray:
    """How many opportunities each person reaches (on site within their commute, or remote).

    Counted per locality pair (opportunities per locality, sorted minutes), not per pair of
    person and opportunity: O(L² log L + P) for L localities.
    """
    o, p = data.opportunities, data.people
    n_loc = data.car_minutes.shape[0]
    remote = o.remote >= 0.99
    counts = np.bincount(o.locality[~remote], minlength=n_loc)
    reach = np.full(p.locality.size, float(remote.sum()))
    for locality in np.unique(p.locality):
        order = np.argsort(data.car_minutes[locality])
        within = np.cumsum(counts[order])
        people = np.flatnonzero(p.locality == locality)
        ahead = np.searchsorted(data.car_minutes[locality][order], p.max_commute[people], side="right")
        reach[people] += np.where(ahead > 0, within[np.maximum(ahead - 1, 0)], 0)
    return reach


def _split_dearest(data: ScoringInput, areas: np.ndarray, bundles: int,
                   per_person: np.ndarray) -> np.ndarray:
    """``areas`` with every region dearer than a bundle's share split by locality (``23/1``, ``23/2``).

    A region dearer than the total work over ``bundles`` (Stockholm nationally: 27 % of the
    job seekers, nearly 40 % of the scoring) would alone bound the wall time; its localities
    are dealt, dearest first, to as many parts as it has shares, each to the part with the
    least work so far. The halo rule holds for any group of localities, so
    every part's arcs are still exactly the single run's.
    """
    homes = areas[data.people.locality]
    codes, where = np.unique(homes, return_inverse=True)
    work = dict(zip(codes, np.bincount(where, weights=per_person, minlength=codes.size), strict=True))
    share = sum(work.values()) / bundles
    out = areas.astype(object)  # room for the longer names
    for code in codes:
        parts = int(np.ceil(work[code] / share)) if share > 0 else 1
        if parts < 2:
            continue
        mine = homes == code
        localities, at = np.unique(data.people.locality[mine], return_inverse=True)
        people = np.bincount(at, weights=per_person[mine])
        load = np.zeros(min(parts, localities.size))
        for i in np.argsort(-people, kind="stable"):
            target = int(np.argmin(load))
            load[target] += people[i]
            out[localities[i]] = f"{code}/{target + 1}"
    return out.astype(str)


def _halo(data: ScoringInput, localities: np.ndarray, widest: float) -> np.ndarray:
    """Opportunities that some locality of the region reaches within ``widest`` minutes, sorted."""
    o = data.opportunities
    nearest = data.car_minutes[localities].min(axis=0)[o.locality]
    return np.flatnonzero((nearest * (1.0 - o.remote) <= widest) | (o.remote >= 0.99))


def _minutes_table(data: ScoringInput, rows: np.ndarray, columns: np.ndarray) -> pa.Table:
    def block(matrix: np.ndarray) -> pa.Array:
        values = np.ascontiguousarray(matrix[np.ix_(rows, columns)], dtype=np.float32)
        offsets = pa.array(np.arange(rows.size + 1, dtype=np.int32) * columns.size)
        return pa.ListArray.from_arrays(offsets, pa.array(values.ravel()))

    table = {"car": block(data.car_minutes)}
    if data.public_minutes is not None:
        table["public"] = block(data.public_minutes)
    return pa.table(table)


def _with(table: pa.Table, **columns: np.ndarray) -> pa.Table:
    metadata = table.schema.metadata
    for name, values in columns.items():
        position = table.column_names.index(name) if name in table.column_names else -1
        column = pa.array(values)
        table = (table.set_column(position, name, column) if position >= 0
                 else table.append_column(name, column))
    return table.replace_schema_metadata(metadata)


def _reach(data: ScoringInput, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The region's people, its halo, and how many of its people reach each halo opportunity.

    The count depends only on an opportunity's site and remote share, so it is taken once per
    distinct (site, remote share) of the halo and spread back: O(L · S log P) for L home
    localities, S distinct sites and P people, not O(L · H) over the H halo opportunities.
    """
    localities, where = np.unique(data.people.locality[rows], return_inverse=True)
    halo = _halo(data, localities, float(data.people.max_commute[rows].max()))
    o = data.opportunities
    # remote shares lie in [0, 1], so site · 4 + share names a (site, share) pair uniquely
    key = o.locality[halo].astype(np.float64) * 4.0 + o.remote[halo]
    kinds, back = np.unique(key, return_inverse=True)
    sites = (kinds // 4.0).astype(np.int64)
    shares = kinds - sites * 4.0
    on_site = data.car_minutes[np.ix_(localities, sites)] * (1.0 - shares)
    commutes = data.people.max_commute[rows]
    order = np.lexsort((commutes, where))
    commutes, where = commutes[order], where[order]
    starts = np.searchsorted(where, np.arange(localities.size + 1))
    count = np.zeros(kinds.size)
    for i in range(localities.size):
        mine = commutes[starts[i]:starts[i + 1]]
        count += mine.size - np.searchsorted(mine, on_site[i], side="left")
    count[shares >= 0.99] = rows.size
    return rows, halo, count[back]


def capacity_quotas(capacity: np.ndarray, halos: list[np.ndarray], reach: list[np.ndarray], *,
                    seed: int = 0) -> list[np.ndarray]:
    """Each place's capacity split among the regions whose halo holds it, one array per region.

    Units go to regions at random in proportion to how many of their people reach the place
    (seeded, so the split is the same every run); the quotas of a place sum to its capacity,
    so the regions' own allocations are jointly feasible.

    Examples:
        >>> q = capacity_quotas(np.array([4, 1]), [np.array([0, 1]), np.array([0])],
        ...                     [np.array([3.0, 1.0]), np.array([1.0])])
        >>> int(q[0][0] + q[1][0]), int(q[0][1])
        (4, 1)
    """
    rng = np.random.default_rng(seed)
    region = np.concatenate([np.full(h.size, i) for i, h in enumerate(halos)]) if halos else np.zeros(0, int)
    place = np.concatenate(halos) if halos else np.zeros(0, int)
    weight = np.concatenate(reach) if reach else np.zeros(0)
    order = np.lexsort((region, place))
    place, region, weight = place[order], region[order], np.maximum(weight[order], 1e-9)
    starts = np.flatnonzero(np.r_[True, place[1:] != place[:-1]]) if place.size else np.zeros(0, int)
    sizes = np.diff(np.r_[starts, place.size])
    # a place in one region's halo is all that region's; the others are drawn together, by how
    # many regions share them (one multinomial call per count of regions)
    quota = capacity[place].astype(np.int64)
    for shared in np.unique(sizes[sizes > 1]):
        first = starts[sizes == shared]
        cells = first[:, None] + np.arange(shared)
        w = weight[cells]
        quota[cells] = rng.multinomial(capacity[place[first]].astype(np.int64), w / w.sum(axis=1)[:, None])
    out = [np.zeros(h.size, dtype=np.int64) for h in halos]
    for i, h in enumerate(halos):
        mine = region == i
        position = np.searchsorted(h, place[mine])
        out[i][position] = quota[mine]
    return out


def partition_by_area(data: ScoringInput, locality_area: Sequence[str] | np.ndarray,
                      weight: np.ndarray | None = None, *, seed: int = 0) -> list[AreaTask]:
    """One task per FA region with job seekers, in the order of the region codes.

    ``weight`` gives each person's priority weight (default 1). Every person is in exactly
    one task; opportunities appear in the task of every region they are within reach of,
    with the region's quota of their capacity (:func:`capacity_quotas`, drawn with ``seed``).
    """
    person_areas(data, locality_area)  # checks the codes against the travel matrix
    names, locality_code = np.unique(np.asarray(locality_area).astype(str), return_inverse=True)
    areas_of_people = locality_code[data.people.locality]  # integer codes: no string sorting
    opp_area = locality_code[data.opportunities.locality]
    people_table = rows_to_table(data.people)
    opps_table = rows_to_table(data.opportunities)
    weights = np.ones(len(data.people.ids)) if weight is None else np.asarray(weight, dtype=np.float64)
    excluded = np.array(sorted(data.excluded), dtype=np.int64).reshape(-1, 2)
    order = np.argsort(areas_of_people, kind="stable")  # each region's rows stay ascending
    areas, starts = np.unique(areas_of_people[order], return_index=True)
    reach = [_reach(data, rows) for rows in np.split(order, starts[1:])]
    quotas = capacity_quotas(data.opportunities.capacity, [r[1] for r in reach], [r[2] for r in reach],
                             seed=seed)
    tasks = []
    for area, (rows, halo, _), quota in zip(areas, reach, quotas, strict=True):
        localities, local_locality = np.unique(data.people.locality[rows], return_inverse=True)
        halo_localities, local_site = np.unique(data.opportunities.locality[halo], return_inverse=True)
        people = _with(take_rows(people_table, rows), locality=local_locality.astype(np.int32),
                       row=rows, weight=weights[rows])
        opps = _with(take_rows(opps_table, halo), locality=local_site.astype(np.int32), row=halo,
                     home=opp_area[halo] == area, quota=quota)
        mine = excluded[np.isin(excluded[:, 0], rows)]
        tasks.append(AreaTask(
            area=str(names[area]), people=people, opportunities=opps,
            minutes=_minutes_table(data, localities, halo_localities),
            excluded=pa.table({"person": pa.array(mine[:, 0]), "opportunity": pa.array(mine[:, 1])}),
            k=data.k))
    return tasks


def decode_task(task: AreaTask, shared: SharedTables) -> tuple[ScoringInput, np.ndarray, np.ndarray]:
    """The task's scoring input (local rows), with the global rows of its people and opportunities."""
    people = table_to_rows(EncodedPeople, task.people)
    opps = table_to_rows(EncodedOpportunities, task.opportunities)
    person_rows = task.people.column("row").to_numpy()
    opp_rows = task.opportunities.column("row").to_numpy()
    n_loc = task.minutes.num_rows

    def matrix(name: str) -> np.ndarray | None:
        if name not in task.minutes.column_names:
            return None
        values = task.minutes.column(name).combine_chunks().flatten().to_numpy()
        return values.reshape(n_loc, -1)

    car = matrix("car")
    assert car is not None
    similarity_flat = shared.similarity.column("similarity").combine_chunks().flatten().to_numpy()
    n_occ = shared.similarity.num_rows
    excluded = _local_pairs(task.excluded, person_rows, opp_rows)
    scoring = ScoringInput(people, opps, car, similarity_flat.reshape(n_occ, n_occ),
                           shared.shortage.column("shortage").to_numpy(), excluded, task.k,
                           public_minutes=matrix("public"))
    return scoring, person_rows, opp_rows


def _local_pairs(table: pa.Table, person_rows: np.ndarray, opp_rows: np.ndarray) -> set[tuple[int, int]]:
    if table.num_rows == 0:
        return set()
    people = {int(g): i for i, g in enumerate(person_rows)}
    opps = {int(g): j for j, g in enumerate(opp_rows)}
    pairs = zip(table.column("person").to_pylist(), table.column("opportunity").to_pylist(), strict=True)
    return {(people[p], opps[o]) for p, o in pairs if p in people and o in opps}
