"""Build the forecast pack (``src/kedja/demo/data/forecast_pack.json``): rates and outlooks.

A small set of figures the forecast derives from public data, each with its source, so that the
offline demo projects with estimated rather than textbook rates. Sources (under ``--data``, by
default ``../shared/data`` beside the repository):

* ``scb_lulea_fa/`` (SCB, CC0; BE0101N1, BE0101A5, BE0101D8, BE0101E2 and the migration table
  for Luleå, Boden, Piteå, Älvsbyn, Kalix and Sweden, 2006–2024): national fertility and
  mortality (2022–2024), the yearly mortality improvement (2006–2024), Norrbotten's fertility
  and mortality levels, out-migration rates and the in-migrants' age–sex profile, via
  ``kedja.forecast.rates.estimate_rates`` (the same estimator the back-test uses).
* ``scb_lulea_fa/employment_age_profile.csv`` (SCB, employed by age band and sex, 2024) with
  the 2024 population of the same five municipalities: employment rates by sex and age band
  16–24, 25–54, 55–64, 65–74 (55–64 = 16–64 − 25–54 − 15–24; 65–74 = 15–74 − 16–64).
* the same files and estimator up to 2009 and 2014 only (``backtest_rates``): the rates the
  back-test uses when SCB's files are not beside Kolada's (fits to 2009 and 2014).
* ``scb/scb_YREG54BAS_employees_by_ssyk2012_age_year.json`` (SCB, employees by age band, all
  occupations, 2023–2024) over Sweden's mean population (``scb_lulea_fa``): the mean exit age
  from employment of a synthetic cohort employed at 50–54 (``exit_age``).
* ``af_forecasts/historik.csv`` (Arbetsförmedlingen's occupation forecasts): each forecast
  occupation's indexed demand forecast for 2022 and 2026, annualised; the pack keeps the
  quartiles of the increases and of the decreases (the file's ids link to no SSYK code, so the
  magnitudes are pooled).
* ``af_aggregates/barometer_regional.json`` with ``occupation_barometer_key.json`` and
  ``region_name_id.json`` (Yrkesbarometer): per SSYK group and county (24, 25), the mean job
  opportunities now and the mean five-year outlook of the barometer occupations in the group.

* ``af_aggregates/occupation_barometer_key.json`` (SCB's education mix of the employed per
  SSYK group) with YREG54BAS 2024 and ``af_forecasts/kopplingsschema.xlsx`` (SUN 2020 codes
  per SSYK group): where entrants go through their education (``entry_paths``,
  ``_entry_paths``).

* ``commuting/scb_arregpend2_norrbotten_2020_2024.csv`` (SCB ArRegPend2): for 2024, each
  Norrbotten municipality's employed residents by workplace municipality, as shares.
* ``kolada/`` (Kolada's single ages 20–30, 2009–2019) with the rates up to 2019: each region
  municipality's own net migration at ages 21–30 (``age_net``), as the back-tested model
  estimates it (``kedja.forecast.cohort.age_net_migration``).
* ``kolada/`` with the above: the back-test's root mean square percentage error of the total
  population by horizon (upper Norrland's 29, fits to 2009 and 2014), for the Monte Carlo
  spreads.

Usage::

    .venv/bin/python scripts/build_forecast_pack.py [--data DIR] [--out PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from kedja.forecast.rates import estimate_rates
from kedja.forecast.scb_history import read_scb_history

ROOT = Path(__file__).resolve().parents[1]
BANDS = {"16-24": "15-24", "25-54": "25-54"}
MUNICIPALITIES = ("2580", "2582", "2581", "2560", "2514")


def _rounded(values: np.ndarray, digits: int = 6) -> list:
    return np.round(values, digits).tolist()


BACKTEST_FITS = (2009, 2014)
"""Fit years of the back-test windows whose rates the pack keeps for ``kedja forecast backtest``
without SCB's files (each set estimated from SCB 2006 up to that year only)."""


def _rates(data: Path, until: int = 2024) -> dict:
    history = read_scb_history(data / "scb_lulea_fa")
    r = estimate_rates(history, until)
    return {
        "years": [r.years_used[0], r.years_used[-1]], "fertility": _rounded(r.fertility),
        "death": _rounded(r.death, 7), "mortality_improvement": round(r.mortality_improvement, 5),
        "county_fertility": {k: round(v, 4) for k, v in r.county_fertility.items()},
        "county_mortality": {k: round(v, 4) for k, v in r.county_mortality.items()},
        "out_rates": _rounded(r.out_rates), "in_profile": _rounded(r.in_profile, 7),
        "international_in_share": round(r.international_in_share, 4),
        "international_out_share": round(r.international_out_share, 4),
        "standard": _rounded(r.standard, 1), "source": "scb_lulea_fa",
    }


def _employment(data: Path) -> dict:
    history = read_scb_history(data / "scb_lulea_fa")
    year = history.years.index(2024)
    rows = [history.index(m) for m in MUNICIPALITIES]
    pop = history.population[rows, year].sum(axis=0)  # (2, AGES): 0 women, 1 men
    employed: dict[tuple[str, str], float] = defaultdict(float)
    with (data / "scb_lulea_fa" / "employment_age_profile.csv").open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            if row["Region"] in MUNICIPALITIES and row["000002XJ 2024"] != "..":
                employed[(row["Kon"], row["Alder"])] += float(row["000002XJ 2024"])
    out = {}
    for sex, index in (("2", 0), ("1", 1)):
        e = {band: employed[(sex, band)] for band in ("15-24", "25-54", "16-64", "15-74")}
        counts = {"16-24": e["15-24"], "25-54": e["25-54"],
                  "55-64": e["16-64"] - e["25-54"] - e["15-24"], "65-74": e["15-74"] - e["16-64"]}
        ages = {"16-24": (16, 24), "25-54": (25, 54), "55-64": (55, 64), "65-74": (65, 74)}
        out["women" if index == 0 else "men"] = {
            band: round(counts[band] / pop[index, lo:hi + 1].sum(), 4)
            for band, (lo, hi) in ages.items()}
    return {"year": 2024, "rates": out, "source": "scb_employment"}


def _backtest_errors(data: Path) -> dict:
    """Spread of the model's percentage errors by horizon (upper Norrland, fit 2009 and 2014)."""
    import unicodedata

    from kedja.demo import load_region_pack
    from kedja.forecast.backtest import backtest
    from kedja.forecast.kolada import read_kolada
    from kedja.scale.national import national_pack

    history = read_kolada(data / "kolada")
    scb = read_scb_history(data / "scb_lulea_fa")
    pack = national_pack()
    county = {unicodedata.normalize("NFC", n): c[:2]
              for n, c in zip(pack.names, pack.municipality_codes, strict=True)}
    counties = [county.get(n) for n in history.names]
    region = np.array([n in {m.name for m in load_region_pack().municipalities}
                       for n in history.names])
    errors: dict[int, list[float]] = defaultdict(list)
    for fit in (2009, 2014):
        rates = estimate_rates(scb, fit)
        for target in range(fit + 1, 2020):
            result = backtest(history, fit_until=fit, target=target, counties=counties,
                              rates=rates)
            pct = 100 * (result.forecasts["model"] - result.observed) / result.observed
            errors[target - fit].extend(pct[region].tolist())
    return {"horizons": {str(h): round(float(np.sqrt(np.mean(np.square(v)))), 3)
                         for h, v in sorted(errors.items())},
            "measure": "root mean square percentage error of the total population, "
                       "29 municipalities, fits to 2009 (horizons 1-10) and 2014 (1-5)",
            "source": "kolada_backtest"}


def _exit_age(data: Path) -> dict:
    """Mean exit age from employment: 55 + the years worked from 55 per worker employed at 50–54.

    A synthetic cohort per year (SCB's employees by age band over Sweden's mean population in
    the same bands): 5 × (rate 55–59 + rate 60–64 + rate 65–69) / rate 50–54. Only 2023 and
    2024 count employees aged 65–69 (SCB's change of coverage), so only they are used; exits
    before 55 and work after 69 are left out.
    """
    cube = json.loads((data / "scb" / "scb_YREG54BAS_employees_by_ssyk2012_age_year.json")
                      .read_text("utf-8"))
    values = np.array([np.nan if v is None else v for v in cube["value"]], float)
    employees = np.nansum(values.reshape(cube["size"]), axis=0)[:, 0, :]  # (bands, years)
    years = list(cube["dimension"]["Tid"]["category"]["index"])
    history = read_scb_history(data / "scb_lulea_fa")
    sweden = history.index("00")
    bands = ((50, 54), (55, 59), (60, 64), (65, 69))
    by_year = {}
    for year in (2023, 2024):
        population = history.mean_population[sweden, history.years.index(year)].sum(axis=0)
        rate = [employees[6 + b, years.index(str(year))] / population[lo:hi + 1].sum()
                for b, (lo, hi) in enumerate(bands)]
        by_year[str(year)] = round(55 + 5 * sum(rate[1:]) / rate[0], 2)
    return {"by_year": by_year, "used": round(by_year["2024"]), "source": "scb_exit_age",
            "measure": "mean age of leaving employment for a worker employed at 50-54, "
                       "synthetic cohort (employees / population by age band)"}


def _age_net(data: Path) -> dict:
    """Each region municipality's own net migration at ages 21–30 (Kolada 2010–2019, fit 2019)."""
    import unicodedata

    from kedja.forecast.cohort import AGE_NET_AGES, fit_cohort_model
    from kedja.forecast.kolada import read_kolada
    from kedja.scale.national import national_pack

    history = read_kolada(data / "kolada")
    pack = national_pack()
    code_of = {unicodedata.normalize("NFC", n): c
               for n, c in zip(pack.names, pack.municipality_codes, strict=True)}
    codes = [code_of.get(n) for n in history.names]
    model = fit_cohort_model(history, fit_until=2019,
                             counties=[c[:2] if c else None for c in codes],
                             rates=estimate_rates(read_scb_history(data / "scb_lulea_fa"), 2019))
    assert model.age_net is not None
    lo, hi = AGE_NET_AGES
    return {"ages": [lo, hi], "source": "kolada_age_net",
            "rates": {c: _rounded(model.age_net[i, lo:hi + 1], 5)
                      for i, c in enumerate(codes) if c and c[:2] in ("24", "25")}}


ENTRY_DESTINATIONS = 10
"""Destinations kept per origin in ``entry_paths`` (the largest; the pack stays small)."""


def _entry_paths(data: Path) -> dict:
    """Where young workers' educations lead: occupation → occupation shares through education.

    SCB's education mix of the employed per SSYK group (``education_of_employed`` in
    ``occupation_barometer_key.json``, the ten largest programmes with their shares) and the
    national employees per group (YREG54BAS 2024) give, for a programme e, the occupations
    its holders work in: D(e, o') = N(o') E(o', e) / Σ N E(·, e). An entrant who would have
    followed the young workers of o follows instead their programmes:
    T(o, o') = Σ_e E(o, e) D(e, o') + (1 − Σ_e E(o, e)) [o' = o] (the programmes outside the
    ten stay in o). An occupation that Arbetsförmedlingen's SUN → occupation key
    (``kopplingsschema.xlsx``) ties to specific programmes takes entrants only from
    occupations sharing one of its SUN codes (and its own). Each origin keeps its
    ``ENTRY_DESTINATIONS`` largest destinations, scaled to sum to 1.
    """
    import re

    key = json.loads((data / "af_aggregates" / "occupation_barometer_key.json")
                     .read_text("utf-8"))
    mix: dict[str, dict[str, float]] = {}
    for item in key.values():
        ssyk, educations = item.get("ssyk_2012"), (item.get("education_of_employed") or {})
        if not ssyk or ssyk in mix or not educations.get("educations"):
            continue
        shares = {}
        for text in educations["educations"]:
            found = re.match(r"^(.*)\((\d+(?:[.,]\d+)?)%\)\s*$", text.strip())
            if found:
                shares[found.group(1).strip()] = float(found.group(2).replace(",", ".")) / 100
        if shares:
            mix[ssyk] = shares
    cube = json.loads((data / "scb" / "scb_YREG54BAS_employees_by_ssyk2012_age_year.json")
                      .read_text("utf-8"))
    values = np.array([np.nan if v is None else v for v in cube["value"]], float)
    employees = np.nansum(values.reshape(cube["size"])[:, :, 0, -1], axis=1)
    codes = list(cube["dimension"]["Yrke2012"]["category"]["index"])
    size = dict(zip(codes, employees, strict=True))
    groups = sorted(c for c in mix if size.get(c, 0) > 0)
    educations = sorted({e for c in groups for e in mix[c]})
    at = {e: i for i, e in enumerate(educations)}
    share = np.zeros((len(groups), len(educations)))
    for g, code in enumerate(groups):
        for e, v in mix[code].items():
            share[g, at[e]] = v
    held = share * np.array([size[c] for c in groups])[:, None]  # N(o) E(o, e)
    destination = held / held.sum(axis=0, keepdims=True)  # D(e, o) as columns
    paths = share @ destination.T + np.diag(1.0 - share.sum(axis=1))
    # Occupations that Arbetsförmedlingen's SUN key ties to specific programmes take entrants
    # only from occupations that share one of those programmes (or their own).
    sun = _sun_codes(data)
    for j, target in enumerate(groups):
        if target in sun:
            for g, origin in enumerate(groups):
                if g != j and not (sun[target] & sun.get(origin, set())):
                    paths[g, j] = 0.0
    paths /= paths.sum(axis=1, keepdims=True)
    out, kept = {}, []
    for g, code in enumerate(groups):
        top = np.argsort(-paths[g])[:ENTRY_DESTINATIONS]
        kept.append(paths[g, top].sum())
        row = paths[g, top] / paths[g, top].sum()
        out[code] = {groups[j]: round(float(v), 4) for j, v in zip(top, row, strict=True)
                     if v >= 5e-5}
    return {"paths": out, "kept_share_mean": round(float(np.mean(kept)), 4),
            "sun_gated_groups": sorted(c for c in groups if c in sun),
            "source": "scb_education_mix"}


def _sun_codes(data: Path) -> dict[str, set[str]]:
    """SSYK group → the SUN 2020 codes of the programmes Arbetsförmedlingen's key ties to it."""
    import openpyxl

    workbook = openpyxl.load_workbook(data / "af_forecasts" / "kopplingsschema.xlsx",
                                      read_only=True)
    codes: dict[str, set[str]] = defaultdict(set)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        head = list(next(rows))
        ssyk_col, sun_col = head.index("SSYK Arbetsförmedlingen"), head.index("SUN 2020")
        for row in rows:
            if row[ssyk_col] and row[sun_col]:
                for code in str(row[sun_col]).replace(";", ",").split(","):
                    if code.strip():
                        codes[str(row[ssyk_col]).strip()].add(code.strip())
    finally:
        workbook.close()
    return dict(codes)


def _commuting(data: Path) -> dict:
    """Norrbotten's commuting 2024: share of each municipality's employed residents by workplace."""
    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    path = data / "commuting" / "scb_arregpend2_norrbotten_2020_2024.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if row["year"] == "2024":
                counts[row["residence_code"]][row["workplace_code"]] += float(row["employed"])
    shares = {}
    for home, places in sorted(counts.items()):
        total = sum(places.values())
        shares[home] = {w: round(n / total, 5) for w, n in sorted(places.items()) if n > 0}
    return {"year": 2024, "shares": shares, "source": "scb_commuting",
            "note": "employed 15-74 by residence x workplace inside Norrbotten, both sexes"}


def _number(text: str) -> float | None:
    return float(text.replace(",", ".")) if text.strip() else None


def _af_growth(data: Path) -> dict:
    """Magnitudes of Arbetsförmedlingen's demand forecasts 2022 → 2026 (annualised)."""
    folder = data / "af_forecasts"
    series: dict[str, dict[int, float | None]] = defaultdict(dict)
    with (folder / "historik.csv").open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f, delimiter=";"):
            if row["ar"].strip().isdigit():
                series[row["conceptidprognosyrke"]][int(row["ar"])] = _number(row["antalEFTprognos"])
    growth = np.array([(y[2026] / y[2022]) ** 0.25 - 1.0 for y in series.values()
                       if y.get(2022) and y.get(2026)])
    up, down = growth[growth > 0], -growth[growth < 0]
    return {"period": [2022, 2026], "forecast_occupations": int(growth.size),
            "increase": {q: round(float(np.percentile(up, p)), 5)
                         for q, p in (("low", 25), ("central", 50), ("high", 75))},
            "decrease": {q: round(float(np.percentile(down, p)), 5)
                         for q, p in (("low", 25), ("central", 50), ("high", 75))},
            "source": "af_forecasts"}


def _barometer(data: Path) -> dict:
    """Yrkesbarometer per SSYK group for Västerbotten (24) and Norrbotten (25)."""
    folder = data / "af_aggregates"
    key = json.loads((folder / "occupation_barometer_key.json").read_text("utf-8"))
    ssyk_of: dict[str, set[str]] = defaultdict(set)
    for item in key.values():
        if item.get("barometer_id") and item.get("ssyk_2012"):
            ssyk_of[item["barometer_id"]].add(item["ssyk_2012"])
    county_ids = json.loads((folder / "region_name_id.json").read_text("utf-8"))
    counties = {"24": county_ids["Västerbottens län"], "25": county_ids["Norrbottens län"]}
    levels = {"små": 1, "medelstora": 2, "stora": 3}
    outlook = {"minska": -1, "vara oförändrad": 0, "öka": 1}
    barometer = json.loads((folder / "barometer_regional.json").read_text("utf-8"))
    out: dict[str, dict[str, dict[str, float]]] = {}
    for county, cid in counties.items():
        cells: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for bid, by_county in barometer.items():
            if cid in by_county:
                now, ahead = by_county[cid]
                for ssyk in ssyk_of.get(bid, ()):
                    cells[ssyk].append((levels[now], outlook[ahead]))
        out[county] = {ssyk: {"opportunities": round(float(np.mean([c[0] for c in v])), 3),
                              "outlook": round(float(np.mean([c[1] for c in v])), 3)}
                       for ssyk, v in sorted(cells.items())}
    return {"counties": out, "source": "af_barometer"}


SOURCES = {
    "scb_lulea_fa": {"citation": "Källa: SCB", "licence": "CC0",
                     "tables": "BE0101N1, BE0101A5, BE0101D8, BE0101E2, migration by age "
                               "(Luleå FA and Sweden, 2006–2024)"},
    "scb_employment": {"citation": "Källa: SCB", "licence": "CC0",
                       "tables": "employed by age band and sex (000002XJ), 2024, Luleå FA"},
    "af_forecasts": {"citation": "Arbetsförmedlingen (yrkesprognoser)",
                     "files": "historik.csv",
                     "note": "indexed demand forecast 2022 → 2026 of 174 forecast occupations, "
                             "annualised; quartiles of the increases and of the decreases"},
    "scb_exit_age": {"citation": "Källa: SCB", "licence": "CC0",
                     "tables": "YREG54BAS (employees by SSYK 2012 and age band, 2023-2024), "
                               "BE0101A5 (Sweden's mean population)"},
    "kolada_age_net": {"citation": "Källa: Kolada; Källa: SCB",
                       "note": "kedja.forecast.cohort.age_net_migration: Kolada's single ages "
                               "20-30 2009-2019 against the model's one-year steps, net "
                               "migration by age 21-30 as a rate of the cohort, half-life "
                               "weights, shrunk toward the county"},
    "scb_education_mix": {"citation": "Källa: SCB (via JobTech/Arbetsförmedlingen's "
                                       "yrkesinfo data); Källa: SCB (YREG54BAS)",
                          "files": "occupation_barometer_key.json (education_of_employed), "
                                   "scb_YREG54BAS_employees_by_ssyk2012_age_year.json",
                          "note": "occupation to occupation shares through the education mix "
                                  "of the employed (ten largest programmes per group)"},
    "scb_commuting": {"citation": "Källa: SCB", "licence": "CC0",
                      "tables": "ArRegPend2, Norrbotten's 14 x 14 matrix, 2024"},
    "kolada_backtest": {"citation": "Källa: Kolada; Källa: SCB",
                        "note": "kedja.forecast.backtest on Kolada's population 1998-2019 with "
                                "rates from scb_lulea_fa up to the fit year"},
    "af_barometer": {"citation": "JobTech/Arbetsförmedlingen (Yrkesbarometer)",
                     "files": "barometer_regional.json, occupation_barometer_key.json, "
                              "region_name_id.json",
                     "note": "job opportunities now (1 small – 3 large) and five-year outlook "
                             "(−1 decrease, 0 unchanged, +1 increase), mean over the barometer "
                             "occupations of each SSYK group"},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path,
                        default=ROOT / "src" / "kedja" / "demo" / "data" / "forecast_pack.json")
    args = parser.parse_args()
    pack = {"rates": _rates(args.data), "employment": _employment(args.data),
            "backtest_rates": {str(y): _rates(args.data, y) for y in BACKTEST_FITS},
            "exit_age": _exit_age(args.data), "age_net": _age_net(args.data),
            "entry_paths": _entry_paths(args.data),
            "af_demand": _af_growth(args.data), "barometer": _barometer(args.data),
            "backtest_errors": _backtest_errors(args.data), "commuting": _commuting(args.data),
            "sources": SOURCES,
            "generated_by": "scripts/build_forecast_pack.py"}
    args.out.write_text(json.dumps(pack, ensure_ascii=False, sort_keys=True, indent=1) + "\n",
                        encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
