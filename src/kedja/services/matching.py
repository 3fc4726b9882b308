"""Pathways for a person and the region-wide allocation, with audit entries and stored results."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from kedja.core.access import (
    Permission,
    PersonView,
    Principal,
    Purpose,
    require_permission,
)
from kedja.core.errors import ConfigurationError, InvalidInput, KedjaError, NotFound
from kedja.core.geography import Locality
from kedja.core.ids import LocalityId, MunicipalityCode
from kedja.core.people import Person
from kedja.core.protected import ProtectedAttributes
from kedja.matching import (
    MatchingData,
    Pathway,
    allocate_region,
    audit_allocation,
    is_feasible_allocation,
    person_pathways,
    placed_kinds,
    prepare_matching,
    prepare_people,
)
from kedja.matching.allocation import greedy_allocation
from kedja.matching.bands import band_met, banded_allocation, group_shares
from kedja.matching.occupations import shortage_index
from kedja.matching.planner import PreparedMatching, RegionAllocation
from kedja.matching.reach import TravelTimes, read_travel_matrix
from kedja.services import forecast as forecasting
from kedja.services import gate
from kedja.services.cache import cached
from kedja.services.learned_transitions import transition_probabilities
from kedja.store import loaders, session_scope
from kedja.store import repositories as repo
from kedja.store import tables as t
from kedja.store.faults import checkpoint
from kedja.taxonomy.similarity import skill_matrix, skill_similarity_all_pairs

__all__ = [
    "ALLOCATION_KEYS",
    "AUDIT_DIMENSIONS",
    "get_allocation",
    "list_allocations",
    "matching_data",
    "pathways_for_person",
    "run_allocation",
    "warm_caches",
]

OPERATOR = "cli"
"""The audit log's actor for reads made by the local operator at the command line."""
AUDIT_DIMENSIONS = ("gender", "age_band", "born_abroad", "disability")
"""The equal-treatment audit's dimensions; a band keeps the groups of one of them."""
ALLOCATION_KEYS = ("people", "placed", "placed_by_kind", "total_fit", "greedy_placed",
                   "greedy_total_fit", "checker_ok", "group_ratios")


def reference_date(session: Session) -> date:
    """The database's 'today': the demo's fixed date, else the real date."""
    info = repo.get_info(session, "demo")
    if info and "today" in json.loads(info):
        return date.fromisoformat(json.loads(info)["today"])
    return datetime.now(UTC).date()


def forecast_shortage(engine: Engine, years: int = 5) -> dict[str, float] | None:
    """Each occupation's share of demand the region will lack over the coming ``years``.

    From the regional forecast (gap ÷ demand, summed over municipalities and years);
    ``None`` when the database holds no forecast inputs.
    """
    try:
        run = forecasting.run_forecast(engine, draws=0)
    except KedjaError:
        return None
    balance = run.forecast.balance
    horizon = min(years, balance.gap.shape[0] - 1) + 1
    gap = balance.gap[:horizon].sum(axis=(0, 1))
    demand = balance.demand[:horizon].sum(axis=(0, 1))
    share = np.divide(gap, demand, out=np.zeros_like(gap), where=demand > 0)
    return dict(zip(run.forecast.inputs.occupations, share.tolist(), strict=True))


def _shortage(session: Session, codes: Sequence[str],
              forecast: dict[str, float] | None) -> np.ndarray:
    """Shortage ranks in [0, 1]: the forecast's gap share, else vacancies per employed person."""
    if forecast:
        return shortage_index([max(forecast.get(c, 0.0), 0.0) for c in codes], [0.0] * len(codes))
    vacancies = dict(session.execute(
        select(t.OpportunityRow.occupation_code, func.sum(t.OpportunityRow.capacity))
        .where(t.OpportunityRow.kind == "job").group_by(t.OpportunityRow.occupation_code)).all())
    employed = dict(session.execute(
        select(t.PersonRow.occupation_code, func.count()).where(t.PersonRow.status == "employed")
        .group_by(t.PersonRow.occupation_code)).all())
    return shortage_index([vacancies.get(c, 0) for c in codes], [employed.get(c, 0) for c in codes])


def matching_data(session: Session, people: list[Person], travel_matrix: Path | None = None,
                  forecast: dict[str, float] | None = None) -> MatchingData:
    """Matching's inputs for ``people``: the opportunities, localities, taxonomy and shortage."""
    occupations = repo.list_occupations(session)
    codes = [o.code for o in occupations]
    links = loaders.list_occupation_links(session)
    localities = repo.list_localities(session)
    return MatchingData(
        people=people, opportunities=loaders.list_opportunities(session), localities=localities,
        occupations=occupations, similarity=_similarity(codes, links),
        shortage=_shortage(session, codes, forecast),
        today=reference_date(session), seat_of=_seats(session, localities),
        travel=_travel(session, localities, travel_matrix),
        weights=_weights(session),
    )


def _weights(session: Session) -> dict[str, float]:
    """The score's weights in use: the register's approved version, else the hand-set ones."""
    from kedja.services.calibration import current_weights

    return current_weights(session)


def _travel(session: Session, localities: list[Locality], matrix: Path | None) -> TravelTimes:
    """Travel times from coordinates and the imported timetable, then an imported matrix's pairs."""
    from kedja.services.reach import with_timetable

    travel = TravelTimes.from_points({loc.id: loc.point for loc in localities})
    travel = with_timetable(session.get_bind(), travel)  # type: ignore[arg-type]
    if matrix is not None:
        travel.override(read_travel_matrix(matrix, set(travel.index)))
    return travel


def _similarity(codes: Sequence[str], links: list[tuple[str, str, str]]) -> Any:
    """How reachable each destination occupation is from each origin.

    The better of the skill coverage (taxonomy engine) and the learned model's probability of
    the move, so pathways' occupational steps and the chains' upskilling moves read the same
    transitions model.
    """
    skills = sorted({skill for _, skill, _ in links})
    skill_based = skill_similarity_all_pairs(skill_matrix(codes, skills, links))
    return np.maximum(skill_based, transition_probabilities(codes))


def _seats(session: Session, localities: list[Locality]) -> dict[MunicipalityCode, LocalityId]:
    seats: dict[MunicipalityCode, LocalityId] = {}
    by_municipality = {m.code: m for m in repo.list_municipalities(session)}
    for locality in localities:
        current = seats.get(locality.municipality_code)
        seat = by_municipality[locality.municipality_code].seat
        if current is None or locality.point == seat:
            seats[locality.municipality_code] = locality.id
    return seats


def pathways_for_person(engine: Engine, person_id: str, *, k: int = 10,
                        principal: Principal,
                        purpose: Purpose = Purpose.MATCHING,
                        travel_matrix: Path | None = None) -> list[Pathway]:
    """The best next steps for one person; the gate opens (and audits) the read of their record.

    ``principal`` is the signed-in user, or :func:`kedja.core.access.operator_principal` at the
    command line: the gate needs a grant of their organisation covering ``purpose`` and the
    full view (employers see candidate profiles only, not pathways).

    Raises:
        Forbidden: the gate refuses (the same answer for an unknown id).
    """
    shortage = cached(engine, "forecast_shortage", lambda: forecast_shortage(engine))
    with session_scope(engine) as session:
        gate.open_person(session, principal, person_id, purpose, need=PersonView.FULL)
        person = repo.get_person(session, person_id)
        if travel_matrix is None:
            # the region's opportunities are encoded once per database, the person per request
            prepared = prepare_people(_prepared_region(engine, session, shortage), [person])
        else:
            prepared = prepare_matching(matching_data(session, [person], travel_matrix, shortage))
    return person_pathways(prepared, person_id, k)


def _prepared_region(engine: Engine, session: Session, shortage: dict[str, float] | None) -> Any:
    return cached(engine, "matching_prepared",
                  lambda: prepare_matching(matching_data(session, [], None, shortage)))


def warm_caches(engine: Engine) -> None:
    """Compute the region-wide inputs the pages need (forecast, encoded opportunities) now.

    ``kedja serve`` calls it in each server process before it takes requests, so no user waits
    the seconds a cold cache costs.
    """
    from kedja.services.forecast_exports import warm_forecasts

    warm_forecasts(engine)
    shortage = cached(engine, "forecast_shortage", lambda: forecast_shortage(engine))
    with session_scope(engine) as session:
        _prepared_region(engine, session, shortage)
    from kedja.services.chains_views import warm_chain_region

    warm_chain_region(engine)  # in the background: /chains shows its progress until it is ready
    from kedja.services.follow_up import indicator_report_tables
    from kedja.services.region import people_and_places

    people_and_places(engine)  # the region page's map
    indicator_report_tables(engine, None)  # the indicators dashboard's default view
    import threading

    from kedja.services.quality import data_quality

    # the data-quality report reads every record (seconds): in the background, like the chains
    threading.Thread(target=data_quality, args=(engine,), daemon=True,
                     name="kedja-warm-quality").start()


def _groups(protected: dict[str, ProtectedAttributes], today: date) -> dict[str, dict[str, str]]:
    def band(year: int | None) -> str:
        if year is None:
            return "unknown"
        age = today.year - year
        return "16-24" if age < 25 else "25-34" if age < 35 else "35-54" if age < 55 else "55+"

    def flag(value: bool | None, yes: str, no: str) -> str:
        return "unknown" if value is None else yes if value else no

    return {
        "gender": {p: a.gender or "unknown" for p, a in protected.items()},
        "age_band": {p: band(a.birth_year) for p, a in protected.items()},
        "born_abroad": {p: flag(a.born_abroad, "born_abroad", "born_in_sweden")
                        for p, a in protected.items()},
        "disability": {p: flag(a.disability, "disability", "no_disability")
                       for p, a in protected.items()},
    }


RECONCILE = ("exact", "selective", "broad")
"""How ``run_allocation`` combines the areas on a cluster (see :mod:`kedja.scale.allocation`)."""


def run_allocation(engine: Engine, *, scenario: str = "huvudkörning", long_term_priority: float = 1.0,
                   band: str | None = None, band_floor: float = 0.8,
                   band_time_limit: float = 60.0, principal: Principal | None = None,
                   travel_matrix: Path | None = None, cluster: str | None = None,
                   compare: bool = False, reconcile: str = "exact",
                   progress: Callable[[str, float], None] | None = None) -> dict[str, Any]:
    """Allocate the region's places among all job seekers, audit by group, store the result.

    With ``band`` (one of the audit's dimensions, e.g. ``"disability"``), every group of that
    dimension is guaranteed at least ``band_floor`` of its proportional share of the places,
    and the summary reports what the band cost in total fit. ``principal`` (web) must hold
    the permission to run allocations; ``None`` is the local operator.

    With ``cluster`` (``"process"``, ``"local:N"`` or a Dask scheduler address, see
    :mod:`kedja.scale.cluster`) the allocation runs per functional labour-market area and is
    reconciled across areas; the summary gains a ``scale`` section. ``compare`` (implies
    ``cluster="process"`` when none is given) also runs the single-process optimum and
    reports it as ``in_process_total_fit``. ``reconcile`` (with ``cluster``): ``"exact"`` (the
    workers score, this process solves one flow over all arcs: the single-process optimum),
    ``"selective"`` (the workers also allocate; a smaller reconciliation, a gap under 1 %) or
    ``"broad"`` (see :mod:`kedja.scale.allocation`).
    """
    if principal is not None:
        require_permission(principal, Permission.RUN_ALLOCATION)
    if cluster is not None or compare:
        _scale().parse_cluster(cluster)
    if reconcile not in RECONCILE:
        raise InvalidInput(f"{reconcile!r} is not a way to reconcile", field="reconcile", value=reconcile,
                           hint=f"use one of {', '.join(RECONCILE)}")
    step = progress or (lambda _name, _share: None)
    step("forecasting shortage", 0.05)
    shortage = forecast_shortage(engine)
    with session_scope(engine) as session:
        step("loading people and places", 0.2)
        people = loaders.list_people(session, job_seekers_only=True)
        data = matching_data(session, people, travel_matrix, shortage)
        step("scoring candidates", 0.35)
        prepared = prepare_matching(data)
        priority: dict[str, float] | None = {p.id: long_term_priority for p in people
                    if (p.situation.days_since(data.today) or 0) >= 365} if long_term_priority > 1 else None
        step("allocating places", 0.6)
        checkpoint("allocation.allocating")
        scale_report: dict[str, Any] | None = None
        if cluster is not None or compare:
            result, scale_report = _by_area(session, prepared, priority, cluster or "process", compare,
                                            reconcile)
        else:
            result = allocate_region(prepared, priority)
        step("auditing by group", 0.8)
        groups = _groups(loaders.list_protected(session, job_seekers_only=True), data.today)
        chosen, band_report = result.optimal, None
        if band is not None:
            chosen, band_report = _banded(prepared, result, groups, band, band_floor, band_time_limit)
        kinds = placed_kinds(prepared, chosen)
        fits = [float(result.problem.fit[a]) if a >= 0 else 0.0 for a in chosen.arc_of]
        audit = audit_allocation(person_ids=prepared.people.ids, placed_kind=kinds, fit=fits,
                                 groups=groups)
        summary = _summary(result, chosen, kinds, audit)
        step("explaining the flagged groups", 0.9)
        summary["group_causes"] = _group_causes(prepared, result, chosen, groups, audit, band_report,
                                                band_time_limit)
        step("storing the result", 0.97)
        if band_report is not None:
            summary["band"] = band_report
        if scale_report is not None:
            summary["scale"] = scale_report
            if "in_process_total_fit" in scale_report:
                summary["in_process_total_fit"] = scale_report["in_process_total_fit"]
        _store(session, scenario, prepared.people.ids, prepared.opportunities.ids, result, chosen,
               summary, audit)
        checkpoint("allocation.stored")
    return summary


def _group_causes(prepared: PreparedMatching, result: Any, chosen: Any, groups: dict[str, dict[str, str]],
                  audit: dict[str, Any], band_report: dict[str, Any] | None,
                  time_limit: float) -> list[dict[str, Any]]:
    """For each group the audit flags: the rule that removes most of its places, and the band's cost."""
    from kedja.matching.causes import group_causes

    has_candidate = np.bincount(result.candidates.person, minlength=len(prepared.people.ids)) > 0
    out: list[dict[str, Any]] = []
    for dimension, report in audit.items():
        if not report["flagged"]:
            continue
        labels = [groups[dimension].get(p, "unknown") for p in prepared.people.ids]
        reference = max(report["ratios"], key=lambda g: report["ratios"][g])
        band = band_report if band_report and band_report["dimension"] == dimension else \
            _banded(prepared, result, groups, dimension, 0.8, time_limit)[1]
        for cause in group_causes(prepared.scoring, labels, report["flagged"], reference,
                                  np.asarray(chosen.place_of), has_candidate):
            cause |= {"dimension": dimension, "ratio": report["ratios"][cause["group"]],
                      "band": {"floor": band["floor"], "cost_in_fit": band["cost_in_fit"],
                               "cost_share": round(band["cost_in_fit"] / band["unconstrained_total_fit"], 4)
                               if band["unconstrained_total_fit"] else 0.0,
                               "share_of_fair_share_before":
                                   band["shares_of_fair_share_before"].get(cause["group"]),
                               "share_of_fair_share_after":
                                   band["shares_of_fair_share_after"].get(cause["group"]),
                               "band_met": band["band_met"], "method": band["method"]}}
            out.append(cause)
    return out


def _scale() -> Any:
    """:mod:`kedja.scale`, which needs the ``scale`` extra (pyarrow; dask for a cluster)."""
    try:
        import kedja.scale
    except ModuleNotFoundError as missing:
        raise ConfigurationError(
            f"running per labour-market area needs {missing.name}, which is not installed",
            field="cluster", hint="install the scale extra: pip install 'kedja[scale]'") from None
    return kedja.scale


def _locality_areas(session: Session, prepared: PreparedMatching) -> np.ndarray:
    """The functional labour-market area of each locality of the travel matrix, in its order.

    A municipality without an FA code is an area of its own (``M`` + its code).
    """
    fa = {m.code: m.functional_area_code or f"M{m.code}" for m in repo.list_municipalities(session)}
    of_locality = {loc.id: fa[loc.municipality_code] for loc in repo.list_localities(session)}
    travel = prepared.data.travel or TravelTimes.from_points(
        {loc.id: loc.point for loc in prepared.data.localities})
    travel_index = dict(travel.index)
    areas = np.empty(len(travel_index), dtype=object)
    for locality, row in travel_index.items():
        areas[row] = of_locality[locality]
    return areas.astype(str)


def _by_area(session: Session, prepared: PreparedMatching, priority: dict[str, float] | None,
             cluster: str, compare: bool, reconcile: str) -> tuple[RegionAllocation, dict[str, Any]]:
    """The allocation per FA region on ``cluster``, reconciled, as a checked RegionAllocation."""
    weight = None if not priority else np.array([priority.get(p, 1.0) for p in prepared.people.ids])
    areas = _locality_areas(session, prepared)
    scale = _scale()
    with scale.open_runner(cluster) as runner:
        workers = runner.workers
        # on a cluster, two bundles of regions per worker (what pays, bench/bench_scale.py);
        # in this process one task per region
        bundles = 2 * workers if runner.client is not None else None
        run = scale.partitioned_allocation(prepared.scoring, areas, runner, weight=weight,
                                           exact=reconcile == "exact", selective=reconcile == "selective",
                                           bundles=bundles)
    greedy = greedy_allocation(run.problem)
    ok = is_feasible_allocation(run.problem, run.allocation) and is_feasible_allocation(run.problem, greedy)
    report: dict[str, Any] = {
        "cluster": run.runner, "workers": workers, "reconcile": reconcile,
        "areas": len({code.split("/")[0] for a in run.areas for code in a.area.split("+")}),
        "tasks": len(run.areas),
        "cross_area_arcs": sum(a.cross_arcs for a in run.areas),
        "area_total_fit": round(run.area_total_fit, 2), "released": run.released,
        "seconds": {k: round(v, 3) for k, v in run.seconds.items()},
    }
    if compare:
        single = allocate_region(prepared, priority).optimal.total_fit
        report["in_process_total_fit"] = round(single, 2)
        report["fit_gap"] = round(1.0 - run.allocation.total_fit / single, 6) if single else 0.0
    return RegionAllocation(run.problem, run.candidates, run.allocation, greedy, ok), report


def _banded(prepared: Any, result: Any, groups: dict[str, dict[str, str]], band: str,
            floor: float, time_limit: float) -> tuple[Any, dict[str, Any]]:
    if band not in groups:
        raise InvalidInput(f"{band!r} is not an audit dimension", field="band", value=band,
                           hint=f"use one of {', '.join(sorted(groups))}")
    labels = sorted({v for v in groups[band].values() if v != "unknown"})
    codes = np.array([labels.index(groups[band][p]) if groups[band].get(p, "unknown") in labels
                      else -1 for p in prepared.people.ids])
    banded = banded_allocation(result.problem, codes, floor=floor, time_limit=time_limit)
    named = {labels[g]: share for g, share in group_shares(codes, banded.place_of).items()}
    before = {labels[g]: share for g, share in group_shares(codes, result.optimal.place_of).items()}
    return banded, {
        "dimension": band, "floor": floor, "shares_of_fair_share_before": before,
        "shares_of_fair_share_after": named, "unconstrained_total_fit": round(result.optimal.total_fit, 2),
        "total_fit": round(banded.total_fit, 2),
        "cost_in_fit": round(result.optimal.total_fit - banded.total_fit, 2),
        "band_met": bool(band_met(codes, banded.place_of, floor)),
        "method": banded.method,
        "checker_ok": bool(is_feasible_allocation(result.problem, banded)),
    }


def _summary(result: Any, chosen: Any, kinds: list[str | None], audit: dict[str, Any]) -> dict[str, Any]:
    return {
        "people": len(kinds),
        "placed": chosen.placed,
        "placed_by_kind": dict(sorted(Counter(k for k in kinds if k).items())),
        "total_fit": round(chosen.total_fit, 2),
        "method": chosen.method,
        "greedy_placed": result.greedy.placed,
        "greedy_total_fit": round(result.greedy.total_fit, 2),
        "checker_ok": bool(result.checker_ok),
        "candidate_arcs": len(result.candidates),
        "group_ratios": {d: a["ratios"] for d, a in audit.items()},
        "flagged_groups": {d: a["flagged"] for d, a in audit.items() if a["flagged"]},
    }


def _store(session: Session, scenario: str, people: list[str], opportunities: list[str],
           result: Any, chosen: Any, summary: dict[str, Any], audit: dict[str, Any]) -> None:
    allocation_id = f"ALLOC-{uuid.uuid4().hex[:12]}"
    summary["allocation_id"] = allocation_id
    session.add(t.AllocationRow(id=allocation_id, created_at=datetime.now(UTC), scenario=scenario,
                                method=chosen.method, summary=summary, audit=audit))
    session.flush()
    factors = result.candidates.factors
    rows = [{"allocation_id": allocation_id, "person_id": people[i],
             "opportunity_id": opportunities[int(chosen.place_of[i])],
             "fit": float(result.problem.fit[a]),
             "factors": {f: round(float(v[a]), 3) for f, v in factors.items()}}
            for i, a in enumerate(chosen.arc_of) if a >= 0]
    repo.insert_many(session, t.AllocationAssignmentRow, rows)


def list_allocations(engine: Engine, principal: Principal | None = None) -> list[dict[str, Any]]:
    """Stored allocations, newest first: id, time, scenario and summary (aggregates only)."""
    if principal is not None:
        require_permission(principal, Permission.READ_AGGREGATES)
    with session_scope(engine) as session:
        rows = session.scalars(select(t.AllocationRow).order_by(t.AllocationRow.created_at.desc()))
        return [{"id": r.id, "created_at": r.created_at.isoformat(), "scenario": r.scenario,
                 "method": r.method, "summary": r.summary} for r in rows]


def get_allocation(engine: Engine, allocation_id: str,
                   principal: Principal | None = None) -> dict[str, Any]:
    """One stored allocation with its summary and equal-treatment audit (aggregates only)."""
    if principal is not None:
        require_permission(principal, Permission.READ_AGGREGATES)
    with session_scope(engine) as session:
        row = session.get(t.AllocationRow, allocation_id)
        if row is None:
            raise NotFound(f"no allocation has the id {allocation_id!r}", field="allocation_id",
                           value=allocation_id, hint="list allocations at /api/v1/allocations")
        return {"id": row.id, "created_at": row.created_at.isoformat(), "scenario": row.scenario,
                "method": row.method, "summary": row.summary, "audit": row.audit}
