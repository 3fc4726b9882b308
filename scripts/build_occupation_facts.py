"""Build the occupation facts pack (``src/kedja/demo/data/occupation_facts.json``).

All 400 SSYK 2012 unit groups of the JobTech taxonomy with the facts the transitions model
reads (``kedja.taxonomy.pairs``) and the occupation explorer shows, so that a plain demo
database answers ``kedja occupations search``, ``kedja occupations show`` and
``kedja transitions`` with no import. Facts, per group:

* ``name_sv``, ``jobtech_id``, ``isco``, ``skills`` (JobTech skill ids of the group) —
  JobTech taxonomy exports
  (``ssyk-level-4-groups*.json``, ``ssyk-level-4-with-related-isco-level-4-groups.json``);
  ``skill_names`` maps the ids to their Swedish names (``skills.json``);
  ``occupation_names`` maps JobTech occupation-name ids to their name and SSYK group (search,
  and reading substitutability files keyed by occupation names).
* ``no_education``: one of the group's occupation names is in JobTech's collection of
  occupations without educational requirements.
* ``employees``: SCB employees 2024 summed over the age bands (TAB4442, JSON-stat 2), with
  JobTech's merged groups summed over SCB's codes (same rules as ``build_taxonomy_pack``).
* ``wage``: SCB mean monthly salary 2023 (``af_aggregates/ssyk_salary.json``, the middle of
  P10/mean/P90); manager groups ``xxx0`` take the mean of SCB's ``xxx1``/``xxx2``; a group
  SCB does not publish takes the mean of its minor (else sub-major) group (``wage_source``).
* ``name_en``: SCB's English label (as in ``build_taxonomy_pack``).
* ``field``: Arbetsförmedlingen's occupation field (``occupation_barometer_key.json``),
  the most frequent among the group's occupation names.
* ``education``: the education of the employed in the group (SCB, same file): the mean level
  of the listed educations weighted by their shares, on the scale 1 compulsory, 2 upper
  secondary, 3 post-secondary under 3 years, 4 three years or more; ``None`` when absent.
* ``opportunities``, ``outlook``: Yrkesbarometer (``barometer_regional.json``) for the group's
  barometer occupations, averaged over counties: job opportunities now (små 0, medelstora
  0.5, stora 1) and the five-year outlook (minska −1, oförändrad 0, öka +1);
  ``opportunities_north`` the same over counties 24 and 25.
* ``ai_exposure``: DAIOE 2023 percentile rank of exposure to all AI applications and to
  generative AI (``daioe/daioe_ssyk2012.csv``), as fractions.

Usage::

    .venv/bin/python scripts/build_occupation_facts.py [--data DIR] [--out PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_taxonomy_pack import (
    DEFAULT_DATA,
    REPO_ROOT,
    concepts,
    english_name,
    esco_isco_labels,
    no_education_occupations,
    scb_codes_for,
    scb_employees,
)

DEFAULT_OUT = REPO_ROOT / "src" / "kedja" / "demo" / "data" / "occupation_facts.json"
NORTH = {"25", "24"}  # county codes of Norrbotten and Västerbotten
OPPORTUNITY = {"små": 0.0, "medelstora": 0.5, "stora": 1.0}
OUTLOOK = {"minska": -1.0, "vara oförändrad": 0.0, "öka": 1.0}


def education_level(text: str) -> float:
    """Level 1–4 of an SCB education label (see the module docstring)."""
    lowered = text.casefold()
    if "forskarutb" in lowered:
        return 4.0
    if "förgymn" in lowered or "grundskol" in lowered:
        return 1.0
    if "eftergymn" in lowered or "högskol" in lowered or "examen" in lowered:
        return 3.0 if ("kortare än 3" in lowered or "< 3" in lowered) else 4.0
    if "gymnasi" in lowered:
        return 2.0
    return 4.0 if "utbildning" in lowered and "lärar" in lowered else 3.0


def education_mix(items: list[str]) -> float | None:
    """Share-weighted mean level of ``['Byggutbildning – gymnasial(33%)', ...]``."""
    total = weight = 0.0
    for item in items:
        found = re.search(r"\((\d+)%\)\s*$", item)
        if not found:
            continue
        share = float(found.group(1))
        total += share * education_level(item[:found.start()])
        weight += share
    return round(total / weight, 3) if weight else None


def salaries(data: Path) -> dict[str, float]:
    raw = json.loads((data / "af_aggregates" / "ssyk_salary.json").read_text(encoding="utf-8"))
    return {code: float(values[1]) for code, values in raw.items()
            if len(values) > 1 and values[1].replace(".", "").isdigit()}


def wage_for(code: str, wages: dict[str, float]) -> float | None:
    if code in wages:
        return wages[code]
    parts = [wages[c] for c in (code[:3] + "1", code[:3] + "2") if c in wages]
    if code.endswith("0") and parts:
        return round(sum(parts) / len(parts), 0)
    return None


def daioe(data: Path) -> dict[str, tuple[float, float]]:
    result = {}
    with (data / "daioe" / "daioe_ssyk2012.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["year"] == "2023" and row["pctl_rank_allapps"]:
                result[row["ssyk2012_4"][:4]] = (round(float(row["pctl_rank_allapps"]) / 100, 4),
                                                 round(float(row["pctl_rank_genai"]) / 100, 4))
    return result


def barometer(data: Path) -> tuple[dict[str, list[Any]], dict[str, str], dict[str, float]]:
    key = json.loads((data / "af_aggregates" / "occupation_barometer_key.json")
                     .read_text(encoding="utf-8"))
    regional = json.loads((data / "af_aggregates" / "barometer_regional.json")
                          .read_text(encoding="utf-8"))
    regions = json.loads((data / "af_aggregates" / "region_name_id.json")
                         .read_text(encoding="utf-8"))
    county_of = _county_codes(regions)
    fields: dict[str, Counter[str]] = defaultdict(Counter)
    ids: dict[str, set[str]] = defaultdict(set)
    mixes: dict[str, float] = {}
    for entry in key.values():
        code = entry.get("ssyk_2012")
        if not code:
            continue
        if entry.get("occupation_field"):
            fields[code][entry["occupation_field"]] += 1
        if entry.get("barometer_id") in regional:
            ids[code].add(entry["barometer_id"])
        mix = education_mix((entry.get("education_of_employed") or {}).get("educations") or [])
        if mix is not None and entry.get("education_of_employed", {}).get("group_name"):
            mixes.setdefault(code, mix)
    outlooks = {}
    for code, bids in ids.items():
        now, later, north = [], [], []
        for bid in sorted(bids):
            for region, (opp, trend) in regional[bid].items():
                now.append(OPPORTUNITY.get(opp, 0.5))
                later.append(OUTLOOK.get(trend, 0.0))
                if county_of.get(region) in NORTH:
                    north.append(OPPORTUNITY.get(opp, 0.5))
        if not now:
            continue
        outlooks[code] = [round(sum(now) / len(now), 3), round(sum(later) / len(later), 3),
                          round(sum(north) / len(north), 3) if north else None]
    return outlooks, {c: f.most_common(1)[0][0] for c, f in fields.items()}, mixes


def _county_codes(regions: Any) -> dict[str, str]:
    """Barometer region id → county code, from ``region_name_id.json`` (name → id)."""
    names = {"Norrbottens län": "25", "Västerbottens län": "24"}
    items = regions.items() if isinstance(regions, dict) else []
    result = {}
    for name, rid in items:
        for county, code in names.items():
            if county.split()[0] in str(name):
                result[str(rid)] = code
    return result


def build(data: Path) -> dict[str, Any]:
    groups = concepts(data, "ssyk-level-4-groups.json")
    code_of = {g["id"]: g["ssyk_code_2012"] for g in groups}
    skills = {code_of[g["id"]]: sorted({s["id"] for s in g.get("related", [])})
              for g in concepts(data, "ssyk-level-4-groups-with-related-skills.json")}
    names = {code_of[g["id"]]: g.get("narrower", [])
             for g in concepts(data, "ssyk-level-4-groups-with-related-occupations.json")}
    isco = {code_of[g["id"]]: sorted({r["isco_code_08"] for r in g.get("related", [])
                                      if r.get("isco_code_08")})
            for g in concepts(data, "ssyk-level-4-with-related-isco-level-4-groups.json")}
    skill_names = {s["id"]: s["preferred_label"] for s in concepts(data, "skills.json")}
    no_edu = no_education_occupations(data)
    scb, scb_labels = scb_employees(data)
    isco_labels = esco_isco_labels(data)
    wages, ai = salaries(data), daioe(data)
    outlooks, fields, mixes = barometer(data)
    records = []
    for g in sorted(groups, key=lambda g: g["ssyk_code_2012"]):
        code = g["ssyk_code_2012"]
        occ = names.get(code, [])
        employees = [scb[c] or 0 for c in scb_codes_for(code, scb) if c in scb]
        opp = outlooks.get(code, [None, None, None])
        records.append({
            "code": code, "name_sv": g["preferred_label"].strip(), "jobtech_id": g["id"],
            "name_en": english_name(code, scb_codes_for(code, scb), scb_labels,
                                    [isco_labels[i] for i in isco.get(code, [])
                                     if i in isco_labels]),
            "isco": isco.get(code, []),
            "skills": skills.get(code, []),
            "no_education": any(n["id"] in no_edu for n in occ),
            "employees": sum(employees) if employees else None,
            "wage": wage_for(code, wages), "field": fields.get(code),
            "education": mixes.get(code),
            "opportunities": opp[0], "outlook": opp[1], "opportunities_north": opp[2],
            "ai_exposure": ai.get(code, (None, None))[0],
            "genai_exposure": ai.get(code, (None, None))[1],
        })
    _impute_wages(records)
    used = sorted({s for r in records for s in r["skills"]})
    occupation_names = {n["id"]: [n["preferred_label"].strip(), code]
                        for code, occ in names.items() for n in occ}
    return {"generated_by": "scripts/build_occupation_facts.py",
            "groups": records, "skill_names": {s: skill_names.get(s, s) for s in used},
            "occupation_names": dict(sorted(occupation_names.items()))}


def _impute_wages(records: list[dict[str, Any]]) -> None:
    """A group without an SCB salary takes the mean of its minor, else sub-major group."""
    for record in records:
        if record["wage"] is not None:
            record["wage_source"] = "scb"
            continue
        for depth in (3, 2):
            known = [r["wage"] for r in records if (r["code"][:depth] == record["code"][:depth]
                     and r.get("wage_source") == "scb") or (
                         r["code"][:depth] == record["code"][:depth] and r["wage"] is not None
                         and "wage_source" not in r)]
            if known:
                record["wage"] = round(sum(known) / len(known), 0)
                record["wage_source"] = f"mean of SSYK {record['code'][:depth]}"
                break


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    pack = build(args.data)
    args.out.write_text(json.dumps(pack, ensure_ascii=False, sort_keys=True, indent=None,
                                   separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(pack['groups'])} groups, {len(pack['skill_names'])} skills, "
          f"{args.out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
