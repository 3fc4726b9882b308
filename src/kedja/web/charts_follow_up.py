"""A participant's progress over time as a Vega-Lite line chart (the page shows a table too)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from kedja.web.charts import SCHEMA

__all__ = ["progress_chart", "progress_rows"]

DARK = "#1b1f24"
"""Dark labels: Vega's default grey fails WCAG contrast on white."""

SWEDISH_TIME = {
    "dateTime": "%A %e %B %Y %X", "date": "%Y-%m-%d", "time": "%H:%M:%S",
    "periods": ["fm", "em"],
    "days": ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
    "shortDays": ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
    "months": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
               "september", "oktober", "november", "december"],
    "shortMonths": ["jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.",
                    "okt.", "nov.", "dec."],
}
"""d3-time-format's Swedish locale (sv-SE), so the date axis reads as the page does."""


def progress_rows(ratings: Iterable[tuple[date, str, int]]) -> tuple[list[date], list[str],
                                                                     dict[tuple[date, str], int]]:
    """The ratings as a table: the days, the dimensions and (day, dimension) → score.

    Examples:
        >>> days, dims, cells = progress_rows([(date(2026, 1, 5), "health", 4),
        ...                                    (date(2026, 4, 5), "health", 6)])
        >>> dims, cells[(date(2026, 4, 5), "health")]
        (['health'], 6)
    """
    cells = {(on, dim): score for on, dim, score in ratings}
    return sorted({on for on, _ in cells}), sorted({dim for _, dim in cells}), cells


def progress_chart(ratings: Iterable[tuple[date, str, int]], *, title: str, x_title: str,
                   y_title: str, colour_title: str, names: dict[str, str],
                   locale: str = "sv") -> dict[str, Any]:
    """Scores (1–10) over time, one line per dimension, names in the reader's language.

    Examples:
        >>> spec = progress_chart([(date(2026, 1, 5), "health", 4)], title="t", x_title="x",
        ...                       y_title="y", colour_title="c", names={"health": "hälsa"})
        >>> spec["data"]["values"][0], spec["mark"]["type"]
        ({'day': '2026-01-05', 'dimension': 'hälsa', 'score': 4}, 'line')
    """
    values = [{"day": on.isoformat(), "dimension": names.get(dim, dim), "score": score}
              for on, dim, score in sorted(ratings)]
    return {
        "$schema": SCHEMA, "title": title, "description": title, "width": "container",
        "height": 220, "data": {"values": values},
        "mark": {"type": "line", "point": True, "tooltip": True},
        "encoding": {
            "x": {"field": "day", "type": "temporal", "title": x_title,
                  "axis": {"format": "%-d %b %Y", "labelAngle": 0, "tickCount": 6}},
            "y": {"field": "score", "type": "quantitative", "title": y_title,
                  "scale": {"domain": [1, 10]}},
            "color": {"field": "dimension", "type": "nominal", "title": colour_title},
        },
        "config": {"axis": {"labelColor": DARK, "titleColor": DARK, "tickColor": "#4a5560",
                            "domainColor": "#4a5560"},
                   "legend": {"labelColor": DARK, "titleColor": DARK},
                   "title": {"color": DARK},
                   **({"locale": {"time": SWEDISH_TIME}} if locale == "sv" else {})},
    }
