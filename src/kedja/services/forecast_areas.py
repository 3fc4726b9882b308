"""The labour balance per functional labour-market area (FA region), with commuting.

The Employment Service and SCB draw the labour market as FA regions (FA-regioner 2015): areas
inside which most people both live and work. The FA balance sums its municipalities' supply,
demand and gap (commuting inside the area cancels out). Commuting comes from SCB's matrix for
Norrbotten (ArRegPend2, 2024, in the forecast pack): for each municipality the share of its
employed residents who work in their own municipality and inside their FA region, and the
area's share of residents working inside it. The shared data has no Västerbotten matrix, so
its municipalities are assumed to work where they live (their shares are reported as None).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kedja.demo import load_region_pack
from kedja.demo.forecast_inputs import forecast_pack
from kedja.services.forecast import ForecastRun

__all__ = ["area_balance"]


def _commuting(code: str, same_area: set[str], shares: dict[str, dict[str, float]]
               ) -> tuple[float | None, float | None]:
    own = shares.get(code)
    if own is None:
        return None, None
    return own.get(code, 0.0), sum(v for w, v in own.items() if w in same_area)


def area_balance(run: ForecastRun, *, year: int | None = None) -> list[dict[str, Any]]:
    """Supply, demand and gap per FA region in ``year`` (default the horizon), with commuting."""
    pack, region = forecast_pack(), load_region_pack()
    area_of: dict[str, str | None] = {str(m.code): m.functional_area_code
                                      for m in region.municipalities}
    names: dict[str, str] = {str(a.code): a.name for a in region.areas}
    b = run.forecast.balance
    years = b.inputs.years
    t = years.index(year) if year in years else len(years) - 1
    codes = run.forecast.inputs.municipalities
    out = []
    for area in sorted({a for a in area_of.values() if a}):
        members = [c for c in codes if area_of.get(c) == area]
        rows = np.array([codes.index(c) for c in members])
        employed = float(b.inputs.employed[rows].sum())
        gap = float(b.gap[t, rows].sum())
        municipalities = []
        inside_weighted, weight = 0.0, 0.0
        for c, r in zip(members, rows, strict=True):
            home, inside = _commuting(c, set(members), pack.commuting)
            municipalities.append({"code": c, "name": run.names[c],
                                   "works_in_own_municipality": home,
                                   "works_inside_area": inside})
            if inside is not None:
                resident = float(b.inputs.employed[r].sum())
                inside_weighted += inside * resident
                weight += resident
        out.append({
            "area": area, "name": names.get(area, area), "year": years[t],
            "employed": round(employed, 1), "demand": round(float(b.demand[t, rows].sum()), 1),
            "supply": round(float(b.supply[t, rows].sum()), 1), "gap": round(gap, 1),
            "gap_per_1000_employed": round(1000 * gap / employed, 1) if employed else 0.0,
            "works_inside_area": round(inside_weighted / weight, 4) if weight else None,
            "municipalities": municipalities,
        })
    return sorted(out, key=lambda a: -a["gap_per_1000_employed"])
