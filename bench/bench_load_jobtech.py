"""Loading 10,000 JobTech ads end to end (``kedja load jobtech`` in a subprocess, as a user runs it).

Generates ads in JobTech's historical-ads format (JSON lines) over the region's municipalities
and the taxonomy pack's occupation groups (by their JobTech concept ids), with 1,500 employers,
3 % repeated ads (edited versions) and 1 % removed ads, then times:

- Kedja: ``kedja init`` once, then ``kedja load jobtech ads.jsonl`` (process start, reading,
  SSYK and municipality mapping, checks through the core types, employers added, one
  transaction); the goal is under 30 s on the project's 2-core machine;
- a plain baseline, as a person would write it: ``json.loads`` per line and one
  ``executemany`` of the raw fields into a table of the same shape, with no mapping beyond the
  legacy SSYK id, no checks and no employers.

Prints both times, the ratio, and ads per second.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stdnum import luhn

from kedja.demo import load_region_pack, load_taxonomy_pack

ADS = 10_000
KEDJA = str(Path(sys.executable).with_name("kedja"))


def _org_number(rng: random.Random) -> str:
    body = f"55{rng.randrange(10_000_000):07d}"
    return body + luhn.calc_check_digit(body)


def generate_ads(count: int, seed: int = 42) -> list[dict[str, object]]:
    rng = random.Random(seed)
    region, taxonomy = load_region_pack(), load_taxonomy_pack()
    groups = [o for o in taxonomy.occupations if o.jobtech_id]
    employers = [(f"Arbetsgivare {i} AB", _org_number(rng)) for i in range(1_500)]
    ads = []
    for i in range(count):
        m = rng.choice(region.municipalities)
        o = rng.choice(groups)
        name, number = rng.choice(employers)
        day = 1 + rng.randrange(28)
        ads.append({
            "id": str(30_000_000 + i), "headline": f"{o.name_sv} till {m.name}",
            "publication_date": f"2024-03-{day:02d}T08:00:00",
            "application_deadline": f"2024-04-{day:02d}T23:59:59",
            "number_of_vacancies": 1 + rng.randrange(3), "removed": rng.random() < 0.01,
            "employer": {"name": name, "organization_number": number},
            "occupation_group": {"concept_id": o.jobtech_id, "label": o.name_sv,
                                 "legacy_ams_taxonomy_id": o.code},
            "workplace_address": {"municipality": m.name, "municipality_code": m.code},
            "scope_of_work": {"min": 100, "max": rng.choice((50, 75, 100))},
            "driving_license": [{"label": "B"}] if rng.random() < 0.3 else [],
        })
    ads += [dict(ad, headline=f"{ad['headline']} (uppdaterad)") for ad in rng.sample(ads, count * 3 // 100)]
    return ads


def baseline(path: Path, db: Path) -> float:
    start = time.perf_counter()
    connection = sqlite3.connect(db)
    connection.execute("create table ads (id text primary key, title text, ssyk text, municipality text,"
                       " employer text, vacancies int, starts text, ends text)")
    rows = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            ad = json.loads(line)
            rows[ad["id"]] = (ad["id"], ad["headline"], ad["occupation_group"]["legacy_ams_taxonomy_id"],
                              ad["workplace_address"]["municipality_code"],
                              ad["employer"]["organization_number"], ad["number_of_vacancies"],
                              ad["publication_date"][:10], ad["application_deadline"][:10])
    connection.executemany("insert into ads values (?, ?, ?, ?, ?, ?, ?, ?)", list(rows.values()))
    connection.commit()
    connection.close()
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "ads.jsonl"
        ads = generate_ads(ADS)
        path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ads), encoding="utf-8")
        env = {**os.environ, "KEDJA_DATA_KEY_FILE": str(folder / "key")}
        db = str(folder / "kedja.db")
        subprocess.run([KEDJA, "init", "--db", db], check=True, capture_output=True, env=env)
        start = time.perf_counter()
        result = subprocess.run([KEDJA, "load", "jobtech", str(path), "--db", db, "--format", "json"],
                                check=True, capture_output=True, text=True, env=env)
        kedja = time.perf_counter() - start
        report = json.loads(result.stdout)
        plain = baseline(path, folder / "plain.db")
    print(f"JobTech ads: {len(ads):,} lines ({ADS:,} ads, {len(ads) - ADS} repeated)")
    print(f"kedja load jobtech (end to end): {kedja:6.2f} s  added {report['added']:,}, "
          f"{report['added'] / kedja:,.0f} ads/s  (goal < 30 s: {'met' if kedja < 30 else 'NOT met'})")
    print(f"plain json + executemany:        {plain:6.2f} s  (no checks, no mapping, no employers)")
    print(f"ratio kedja / plain:             {kedja / plain:6.1f}x")


if __name__ == "__main__":
    main()
