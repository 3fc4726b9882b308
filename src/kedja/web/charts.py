"""Vega-Lite chart specifications built on the server and rendered in the page by vega-embed.

The data travel inside the specification, so a chart needs no further request; the page shows
the same figures in a table for readers who cannot see the chart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kedja.core.geography import Municipality

__all__ = ["REACH_BANDS", "choropleth_spec", "count_map", "indicator_chart", "population_chart",
           "reach_band", "reach_map"]

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def population_chart(municipalities: list[Municipality], *, title: str, x_title: str,
                     y_title: str, county_title: str,
                     county_names: dict[str, str]) -> dict[str, Any]:
    """A horizontal bar chart of population by municipality, coloured by county.

    Examples:
        >>> from kedja.core.geography import Coordinates
        >>> m = Municipality("2580", "Luleå", "25", None, Coordinates(65.58, 22.15),
        ...                  population=79_000)
        >>> spec = population_chart([m], title="t", x_title="x", y_title="y", county_title="c",
        ...                         county_names={"25": "Norrbotten"})
        >>> spec["data"]["values"][0]["population"], spec["mark"]["type"]
        (79000, 'bar')
    """
    values = [{"municipality": m.name, "population": m.population,
               "county": county_names.get(m.county_code, m.county_code)}
              for m in municipalities if m.population is not None]
    return {
        "$schema": SCHEMA,
        "title": title,
        "description": title,
        "width": "container",
        "height": {"step": 16},
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "y": {"field": "municipality", "type": "nominal", "sort": "-x", "title": y_title},
            "x": {"field": "population", "type": "quantitative", "title": x_title},
            "color": {"field": "county", "type": "nominal", "title": county_title,
                      "scale": {"range": ["#0b4f6c", "#b5562f"]}},
        },
        # dark labels: Vega's default grey fails WCAG contrast on white
        "config": {"axis": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": "#1b1f24",
                            "titleColor": "#1b1f24", "tickColor": "#4a5560",
                            "domainColor": "#4a5560"},
                   "legend": {"labelColor": "#1b1f24", "titleColor": "#1b1f24"},
                   "title": {"color": "#1b1f24"}},
    }


INK = {"axis": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": "#1b1f24",
               "titleColor": "#1b1f24", "tickColor": "#4a5560", "domainColor": "#4a5560"},
       "legend": {"labelColor": "#1b1f24", "titleColor": "#1b1f24"},
       "title": {"color": "#1b1f24"}, "view": {"stroke": None}}
"""Dark labels: Vega's default grey fails WCAG contrast on white."""


def indicator_chart(rows: list[tuple[str, float]], *, title: str, value_title: str,
                    row_title: str, share: bool) -> dict[str, Any]:
    """A horizontal bar chart of one published indicator table: one bar per shown row.

    ``rows`` are (name, value) pairs of the figures already published in the table beside the
    chart (suppressed cells are left out, as the table shows them as "·"); ``share`` formats
    the axis as a percentage.

    Examples:
        >>> spec = indicator_chart([("Luleå", 0.42), ("Boden", 0.3)], title="t",
        ...                        value_title="v", row_title="r", share=True)
        >>> spec["data"]["values"][0], spec["encoding"]["x"]["axis"]["format"]
        ({'row': 'Luleå', 'value': 0.42}, '.0%')
    """
    return {
        "$schema": SCHEMA, "title": title, "description": title,
        "width": "container", "height": {"step": 16},
        "data": {"values": [{"row": name, "value": value} for name, value in rows]},
        "mark": {"type": "bar", "tooltip": True, "color": "#0b4f6c"},
        "encoding": {
            "y": {"field": "row", "type": "nominal", "sort": None, "title": row_title},
            "x": {"field": "value", "type": "quantitative", "title": value_title,
                  "axis": {"format": ".0%" if share else ",d"}},
        },
        "config": INK,
    }


def count_map(counts: Mapping[str, int | None], boundaries: dict[str, Any], *,
              names: Mapping[str, str], title: str, legend: str, area_title: str = "",
              points: list[dict[str, Any]] | None = None, point_legend: str = "",
              point_title: str = "") -> dict[str, Any]:
    """A map of municipalities shaded by a count, optionally with sized points on top.

    A count of ``None`` (hidden by the disclosure control) is drawn grey; points are e.g. the
    places offered at each municipality's seat, sized by their number.

    Examples:
        >>> shape = {"type": "Polygon", "coordinates": [[[20, 65], [20, 66], [21, 66], [20, 65]]]}
        >>> geo = {"features": [{"type": "Feature", "properties": {"code": "2580"},
        ...                      "geometry": shape}]}
        >>> spec = count_map({"2580": 12}, geo, names={"2580": "Luleå"}, title="t", legend="l")
        >>> spec["layer"][0]["data"]["values"][0]["properties"]["count"]
        12
    """
    features = [{**f, "properties": {"code": f["properties"]["code"],
                                     "name": names.get(f["properties"]["code"], f["properties"]["code"]),
                                     "count": counts.get(f["properties"]["code"])}}
                for f in boundaries["features"]]
    layers: list[dict[str, Any]] = [
        {"data": {"values": features, "format": {"type": "json"}},
         "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.6},
         "encoding": {
             "color": {"condition": {"test": "datum.properties.count === null", "value": "#c8ccd0"},
                       "field": "properties.count", "type": "quantitative", "title": legend,
                       "scale": {"scheme": "blues"}},
             "tooltip": [{"field": "properties.name", "title": area_title or legend},
                         {"field": "properties.count", "title": legend, "format": ",d"}]}}]
    if points:
        layers.append({
            "data": {"values": points},
            "mark": {"type": "circle", "color": "#b5562f", "opacity": 0.85, "stroke": "#1b1f24",
                     "strokeWidth": 0.5, "tooltip": True},
            "encoding": {"longitude": {"field": "lon", "type": "quantitative"},
                         "latitude": {"field": "lat", "type": "quantitative"},
                         "size": {"field": "count", "type": "quantitative", "title": point_legend},
                         "tooltip": [{"field": "name", "title": point_title or point_legend},
                                     {"field": "count", "title": point_legend}]}})
    return {"$schema": SCHEMA, "title": title, "description": title, "width": "container",
            "height": 520, "projection": {"type": "mercator"}, "layer": layers, "config": INK}


def choropleth_spec(scores: dict[str, dict[str, Any]], boundaries: dict[str, Any], *,
                    names: dict[str, str], title: str, legend: str) -> dict[str, Any]:
    """A map of the region's municipalities coloured by their best collaboration score.

    Examples:
        >>> shape = {"type": "Polygon", "coordinates": [[[20, 65], [20, 66], [21, 66], [20, 65]]]}
        >>> geo = {"features": [{"type": "Feature", "properties": {"code": "2580"},
        ...                      "geometry": shape}]}
        >>> spec = choropleth_spec({"2580": {"score": 0.8, "field_name": "x"}}, geo,
        ...                        names={"2580": "Luleå"}, title="t", legend="l")
        >>> spec["mark"]["type"], spec["data"]["values"][0]["properties"]["score"]
        ('geoshape', 0.8)
    """
    features = []
    for f in boundaries["features"]:
        code = f["properties"]["code"]
        row = scores.get(code, {})
        features.append({**f, "properties": {
            "code": code, "name": names.get(code, code), "score": row.get("score", 0.0),
            "field": row.get("field_name", "–")}})
    return {
        "$schema": SCHEMA, "title": title, "description": title,
        "width": "container", "height": 420,
        "data": {"values": features, "format": {"type": "json"}},
        "projection": {"type": "mercator"},
        "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.6},
        "encoding": {
            "color": {"field": "properties.score", "type": "quantitative", "title": legend,
                      "scale": {"scheme": "blues", "domain": [0, 1]}},
            "tooltip": [{"field": "properties.name", "title": "Kommun"},
                        {"field": "properties.field", "title": "Yrkesområde"},
                        {"field": "properties.score", "title": legend, "format": ".2f"}],
        },
    }
def reach_map(destinations: list[dict[str, Any]], origin: dict[str, Any], *, title: str,
              band_titles: dict[str, str], legend_title: str) -> dict[str, Any]:
    """A map of localities (points on a Mercator projection) coloured by the commute from ``origin``.

    Examples:
        >>> spec = reach_map([{"name": "Boden", "lat": 65.8, "lon": 21.7, "minutes": 51.0,
        ...                    "municipality": "Boden"}], {"name": "Luleå", "lat": 65.58, "lon": 22.15},
        ...                  title="t", band_titles={b: b for b in REACH_BANDS}, legend_title="l")
        >>> spec["layer"][0]["data"]["values"][0]["band"]
        '45–60 min'
    """
    values = [{"name": d["name"], "municipality": d.get("municipality"), "lat": d["lat"], "lon": d["lon"],
               "minutes": None if d["minutes"] is None else round(d["minutes"]),
               "band": band_titles[reach_band(d["minutes"])]} for d in destinations]
    domain = [band_titles[b] for b in REACH_BANDS]
    return {
        "$schema": SCHEMA, "title": title, "description": title, "width": "container", "height": 520,
        "projection": {"type": "mercator"},
        "layer": [
            {"data": {"values": values},
             "mark": {"type": "circle", "size": 110, "opacity": 0.9, "stroke": "#1b1f24", "strokeWidth": 0.5,
                      "tooltip": True},
             "encoding": {"longitude": {"field": "lon", "type": "quantitative"},
                          "latitude": {"field": "lat", "type": "quantitative"},
                          "color": {"field": "band", "type": "ordinal", "title": legend_title,
                                    "scale": {"domain": domain, "range": REACH_COLOURS}},
                          "tooltip": [{"field": "name"}, {"field": "municipality"},
                                      {"field": "minutes", "type": "quantitative"}, {"field": "band"}]}},
            {"data": {"values": [origin]},
             "mark": {"type": "point", "shape": "diamond", "size": 260, "filled": True, "color": "#1b1f24"},
             "encoding": {"longitude": {"field": "lon", "type": "quantitative"},
                          "latitude": {"field": "lat", "type": "quantitative"},
                          "tooltip": [{"field": "name"}]}},
        ],
        "config": {"legend": {"labelColor": "#1b1f24", "titleColor": "#1b1f24"},
                   "title": {"color": "#1b1f24"}, "view": {"stroke": None}},
    }


REACH_BANDS = ("≤ 30 min", "30–45 min", "45–60 min", "60–90 min", "> 90 min", "none")
REACH_COLOURS = ["#0b4f6c", "#2f7f8f", "#6aa9a8", "#d9a441", "#b5562f", "#9aa3ab"]


def reach_band(minutes: float | None) -> str:
    """The band of a commute (``none`` where there is no trip).

    Examples:
        >>> reach_band(30.0), reach_band(61.0), reach_band(None)
        ('≤ 30 min', '60–90 min', 'none')
    """
    if minutes is None:
        return "none"
    for limit, band in zip((30, 45, 60, 90), REACH_BANDS, strict=False):
        if minutes <= limit:
            return band
    return REACH_BANDS[4]
