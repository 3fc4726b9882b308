"""The region's vacancy chains as a coordinator sees them: figures, chains by name and place, a map.

The plan takes half a minute to a minute on the demo region, so it is computed in the background
(:func:`warm_chain_region`, started when the server starts) and the page shows its progress until
it is ready; it never makes a person wait for it. Only aggregates leave this module: no person is
named, and counts under five read "<5".
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import Engine

from kedja.core.access import Permission, Principal, require_permission
from kedja.services import cache
from kedja.services.cache import cached
from kedja.services.chains import region_and_plan, region_plan_ready
from kedja.store import repositories as repo
from kedja.store import session_scope

__all__ = ["SMALL_CELL", "chain_names", "chain_region_progress", "regional_chain_view", "suppressed",
           "warm_chain_region"]

SMALL_CELL = 5
"""Counts under this are shown as "<5" (small-cell suppression)."""

_lock = threading.Lock()
_progress: dict[str, tuple[str, float]] = {}
_threads: dict[str, threading.Thread] = {}


def suppressed(count: int) -> int | str:
    """A count, or "<5" when it is under :data:`SMALL_CELL`."""
    return count if count >= SMALL_CELL else f"<{SMALL_CELL}"


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def warm_chain_region(engine: Engine) -> None:
    """Start computing the region's plan in a background thread, unless it is kept or under way."""
    url = _url(engine)
    with _lock:
        running = _threads.get(url)
        if region_plan_ready(engine) is not None or (running is not None and running.is_alive()):
            return
        _progress[url] = ("queued", 0.0)

        def work() -> None:
            try:
                region_and_plan(engine, lambda step, share: _progress.__setitem__(url, (step, share)))
                chain_names(engine)
                _progress[url] = ("done", 1.0)
            except Exception as error:  # the page says so; the next visit tries again
                _progress[url] = (f"failed: {type(error).__name__}", 0.0)

        thread = threading.Thread(target=work, name="chains-warm", daemon=True)
        _threads[url] = thread
        thread.start()


def chain_region_progress(engine: Engine) -> tuple[str, float]:
    """Where the background computation of the region's plan stands: (step, share done)."""
    return _progress.get(_url(engine), ("queued", 0.0))


def chain_names(engine: Engine) -> dict[str, Any]:
    """Occupation names and municipality names and seats, kept with the plan."""
    def load() -> dict[str, Any]:
        with session_scope(engine) as session:
            occupations = {str(o.code): o.name_sv for o in repo.list_occupations(session)}
            places = {str(m.code): {"name": m.name, "lat": m.seat.lat, "lon": m.seat.lon}
                      for m in repo.list_municipalities(session)}
        return {"occupations": occupations, "places": places}
    return cached(engine, "chain_names", load, seconds=86_400.0)


VIEW_KEYS = ("upskilled", "job_seekers_entering", "multiplier", "cost_per_entrant", "cost_sek",
             "shortage_positions_filled", "job_seekers_into_freed_jobs", "direct_hires",
             "no_upskilling_job_seekers_entering", "unplanned_job_seekers_entering", "unplanned_upskilled",
             "unplanned_multiplier", "unplanned_job_seekers_into_freed_jobs", "net_entrants_vs_no_upskilling",
             "net_entrants_vs_unplanned", "net_entrants_per_upskilled", "net_entrants_per_million_sek",
             "cost_per_net_entrant_sek", "expected_entrants_after_displacement",
             "expected_entrants_into_freed_jobs", "expected_net_entrants_vs_no_upskilling",
             "entrants_into_freed_jobs_per_upskilled", "effect_parameters", "shortage_source", "method",
             "checker_ok")


def regional_chain_view(engine: Engine, principal: Principal, *, wait: bool = True) -> dict[str, Any]:
    """The region's chains as aggregates: figures against both counterfactuals, chains by name and place.

    With ``wait`` false and the plan not computed yet, returns ``{"ready": False, "step", "progress"}``
    at once (and makes sure the background computation runs). A job seeker's step comes "from"
    ``asf_placement`` when they are in an ASF's work-integration placement now.
    """
    require_permission(principal, Permission.READ_AGGREGATES)
    kept = region_plan_ready(engine)
    if kept is None and not wait and cache.enabled():  # with the cache off nothing could be kept
        warm_chain_region(engine)
        step, share = chain_region_progress(engine)
        return {"ready": False, "step": step, "progress": share}
    _, _, plan = kept or region_and_plan(engine)
    names = chain_names(engine)
    rotation = {k: v for k, v in plan["rotation"].items() if k != "calendar"}
    return {"ready": True, **{k: plan[k] for k in VIEW_KEYS}, "rotation": rotation,
            "patterns": _patterns(plan["chains"], names), "places": _places(plan["chains"], names)}


def _origin(step: dict[str, Any]) -> str | None:
    return step["from_occupation_code"] or ("asf_placement" if step["asf_placement"] else None)


def _patterns(chains: list[dict[str, Any]], names: dict[str, Any]) -> list[dict[str, Any]]:
    """Chains with moves grouped by their occupations, with names and the places they occur most."""
    patterns: Counter[tuple[tuple[str, str | None], ...]] = Counter()
    where: dict[tuple[tuple[str, str | None], ...], Counter[str]] = defaultdict(Counter)
    for chain in chains:
        if len(chain["steps"]) > 1:
            key = tuple((s["occupation_code"], _origin(s)) for s in chain["steps"])
            patterns[key] += 1
            where[key][chain["steps"][0]["municipality_code"]] += 1
    occupations, places = names["occupations"], names["places"]
    rows = []
    for pattern, n in patterns.most_common():
        steps = [{"into": into, "into_name": occupations.get(into, into), "from": origin,
                  "from_name": None if origin in (None, "asf_placement") else occupations.get(origin, origin)}
                 for into, origin in pattern]
        top = [places.get(code, {}).get("name", code) for code, k in where[pattern].most_common(3)
               if k >= SMALL_CELL]
        rows.append({"steps": steps, "chains": suppressed(n), "end": "job_seeker", "places": top})
    return rows


def _places(chains: list[dict[str, Any]], names: dict[str, Any]) -> list[dict[str, Any]]:
    """Per municipality: chains with a move that start there (the open post) and end there (the entrant)."""
    starts: Counter[str] = Counter()
    ends: Counter[str] = Counter()
    for chain in chains:
        if len(chain["steps"]) > 1:
            starts[chain["steps"][0]["municipality_code"]] += 1
            if chain["end"] == "job_seeker":
                ends[chain["steps"][-1]["municipality_code"]] += 1
    rows = []
    for code in sorted(set(starts) | set(ends)):
        place = names["places"].get(code, {"name": code, "lat": None, "lon": None})
        rows.append({"code": code, "name": place["name"], "lat": place["lat"], "lon": place["lon"],
                     "starts": suppressed(starts[code]), "ends": suppressed(ends[code])})
    return sorted(rows, key=lambda r: r["name"])
