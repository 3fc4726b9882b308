"""Build the region's simplified municipality boundaries (``src/kedja/demo/data/region_boundaries.geojson``).

Source: ``geo/okfse_swedish_municipalities.geojson`` (okfse/sweden-geojson; SCB's municipality
boundaries, free reuse), under ``--data`` (default ``../shared/data`` beside the repository).
Only the 29 municipalities of upper Norrland (county codes 24 and 25) are kept, simplified with
Shapely's Douglas–Peucker (tolerance 0.01°, about 1 km, topology preserved) and rounded to three
decimals (about 100 m), exterior rings clockwise for d3-geo: enough for a choropleth, a few
tens of kilobytes in the package.

Usage::

    .venv/bin/python scripts/build_region_boundaries.py [--data DIR] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.polygon import orient

ROOT = Path(__file__).resolve().parents[1]
TOLERANCE = 0.01


def _rounded(coords: object) -> object:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], float):
        return [round(float(c), 3) for c in coords]
    return [_rounded(c) for c in coords]  # type: ignore[attr-defined]


def _clockwise(geometry: object) -> object:
    """Exterior rings clockwise, as d3-geo (and so Vega-Lite's geoshape) expects."""
    if isinstance(geometry, Polygon):
        return orient(geometry, sign=-1.0)
    if isinstance(geometry, MultiPolygon):
        return MultiPolygon([orient(p, sign=-1.0) for p in geometry.geoms])
    return geometry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "kedja" / "demo" / "data"
                        / "region_boundaries.geojson")
    args = parser.parse_args()
    source = json.loads((args.data / "geo" / "okfse_swedish_municipalities.geojson")
                        .read_text("utf-8"))
    features = []
    for f in sorted(source["features"], key=lambda f: f["properties"]["id"]):
        code = f["properties"]["id"]
        if code[:2] not in ("24", "25"):
            continue
        geometry = mapping(_clockwise(shape(f["geometry"]).simplify(TOLERANCE,
                                                                    preserve_topology=True)))
        features.append({"type": "Feature", "properties": {"code": code},
                         "geometry": {"type": geometry["type"],
                                      "coordinates": _rounded(geometry["coordinates"])}})
    if len(features) != 29:
        raise SystemExit(f"expected the region's 29 municipalities, found {len(features)}")
    collection = {"type": "FeatureCollection", "features": features,
                  "source": "okfse/sweden-geojson (SCB municipality boundaries), simplified "
                            "by scripts/build_region_boundaries.py"}
    args.out.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
