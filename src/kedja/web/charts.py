"""Vega-Lite chart specifications built on the server and rendered in the page by vega-embed.

The data travel inside the specification, so a chart needs no further request; the page shows
the same figures in a table for readers who cannot see the chart.
"""

from __future__ import annotations

from typing import Any

from kedja.core.geography import Municipality

__all__ = ["population_chart"]

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
