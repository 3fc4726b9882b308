"""Vega-Lite chart specifications built on the server and rendered in the page by vega-embed.

The data travel inside the specification, so a chart needs no further request; the page shows
the same figures in a table for readers who cannot see the chart.
"""

from __future__ import annotations

from typing import Any

from kedja.core.geography import Municipality

__all__ = ["choropleth_spec", "population_chart"]

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
