"""Vega-Lite specifications for the chains page: a chain diagram and a map of where chains start and end.

Built on the server from the regional view (aggregates only); the page shows the same figures in
tables for readers who cannot see the charts.
"""

from __future__ import annotations

from typing import Any

from kedja.web.charts import SCHEMA

__all__ = ["chain_diagram", "chain_map"]

CONFIG = {"axis": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": "#1b1f24", "titleColor": "#1b1f24",
                   "tickColor": "#4a5560", "domainColor": "#4a5560"},
          "legend": {"labelColor": "#1b1f24", "titleColor": "#1b1f24"}, "title": {"color": "#1b1f24"},
          "view": {"stroke": None}}


def _count(value: int | str) -> int:
    return value if isinstance(value, int) else 0


def chain_diagram(patterns: list[dict[str, Any]], *, title: str, step_title: str, seeker: str,
                  asf: str, top: int = 8) -> dict[str, Any]:
    """The most common chains as ladders: one row per chain pattern, one labelled node per step.

    Step 1 is the open post an upskilled employee fills; the last is the job a job seeker takes.

    Examples:
        >>> rows = [{"chains": 12, "steps": [{"into_name": "Undersköterskor", "from_name": "Vårdbiträden",
        ...          "from": "5330"}, {"into_name": "Vårdbiträden", "from_name": None, "from": None}]}]
        >>> spec = chain_diagram(rows, title="t", step_title="s", seeker="arbetssökande", asf="ASF")
        >>> [(v["chain"], v["label"]) for v in spec["data"]["values"]]
        [('1. Vårdbiträden (12)', 'Undersköterskor'), ('1. Vårdbiträden (12)', 'arbetssökande: Vårdbiträden')]
    """
    values = []
    for rank, row in enumerate(patterns[:top], start=1):
        first = row["steps"][0]
        origin = first["from_name"] or (asf if first["from"] == "asf_placement" else seeker)
        name = f"{rank}. {origin} ({row['chains']})"
        for index, step in enumerate(row["steps"], start=1):
            mover = step["from_name"] is not None
            who = "" if mover else f"{asf if step['from'] == 'asf_placement' else seeker}: "
            values.append({"chain": name, "step": index, "label": f"{who}{step['into_name']}"})
    encoding = {"x": {"field": "step", "type": "ordinal", "title": step_title, "axis": {"labelAngle": 0}},
                "y": {"field": "chain", "type": "nominal", "title": None, "sort": None,
                      "axis": {"labelLimit": 260}}}
    return {
        "$schema": SCHEMA, "title": title, "description": title, "width": "container",
        "height": {"step": 46}, "data": {"values": values}, "encoding": encoding,
        "layer": [
            {"mark": {"type": "line", "color": "#4a5560"}, "encoding": {"detail": {"field": "chain"}}},
            {"mark": {"type": "circle", "size": 160, "color": "#0b4f6c", "tooltip": True}},
            {"mark": {"type": "text", "dy": -14, "align": "left", "dx": -6, "fontSize": 11,
                      "color": "#1b1f24", "limit": 185},
             "encoding": {"text": {"field": "label"}}},
        ],
        "config": CONFIG,
    }


def chain_map(places: list[dict[str, Any]], *, title: str, starts: str, ends: str) -> dict[str, Any]:
    """Municipalities where chains start (the open post) and end (the job seeker's job), on a map.

    Counts under five are drawn as nothing (they read "<5" in the table).

    Examples:
        >>> spec = chain_map([{"name": "Luleå", "lat": 65.58, "lon": 22.15, "starts": 12, "ends": "<5"}],
        ...                  title="t", starts="start", ends="slut")
        >>> [(v["kind"], v["count"]) for v in spec["data"]["values"]]
        [('start', 12), ('slut', 0)]
    """
    values = [{"name": p["name"], "lat": p["lat"], "lon": p["lon"], "kind": kind, "count": _count(p[key]),
               "shown": str(p[key])}
              for p in places if p["lat"] is not None for kind, key in ((starts, "starts"), (ends, "ends"))]
    position = {"longitude": {"field": "lon", "type": "quantitative"},
                "latitude": {"field": "lat", "type": "quantitative"}}
    return {
        "$schema": SCHEMA, "title": title, "description": title, "width": "container", "height": 460,
        "projection": {"type": "mercator"}, "data": {"values": values},
        "layer": [
            {"mark": {"type": "point", "filled": False, "strokeWidth": 2.5},
             "encoding": {**position,
                          "size": {"field": "count", "type": "quantitative", "title": None,
                                   "scale": {"range": [0, 900]}},
                          "color": {"field": "kind", "type": "nominal", "title": None,
                                    "scale": {"domain": [starts, ends], "range": ["#0b4f6c", "#b5562f"]}},
                          "shape": {"field": "kind", "type": "nominal", "title": None,
                                    "scale": {"domain": [starts, ends], "range": ["circle", "square"]}},
                          "tooltip": [{"field": "name"}, {"field": "kind"}, {"field": "shown"}]}},
            {"transform": [{"filter": f"datum.kind == '{starts}'"}],
             "mark": {"type": "text", "dy": -12, "fontSize": 10, "color": "#1b1f24"},
             "encoding": {**position, "text": {"field": "name"}}},
        ],
        "config": CONFIG,
    }
