"""Build the compact SSYK 2012 taxonomy pack (``src/kedja/demo/data/taxonomy_pack.json``).

The pack holds about 130 SSYK 2012 unit groups that matter in upper Norrland (care, education,
construction, industry, mining, energy, transport, IT, hospitality, cleaning, retail, office
work, agriculture and forestry, public services), chosen by the project by relevance and by the
region's 2024 ad counts (see ``GROUPS``), with their skills, for the offline demo.

Sources (all under ``--data``, by default ``../shared/data`` beside the repository):

* ``jobtech_taxonomy/`` (JobTech Taxonomy, Arbetsförmedlingen; "JobTech/Arbetsförmedlingen"):
  ``ssyk-level-4-groups.json`` (concept id, code, Swedish name),
  ``ssyk-level-4-with-related-isco-level-4-groups.json`` (ISCO-08 links),
  ``ssyk-level-4-groups-with-related-occupations.json`` (occupation names),
  ``ssyk-level-4-groups-with-related-skills.json`` (skill links), ``skills.json`` (skill
  names) and ``occupations-with-no-edcuational-requirements.json`` (sic).
* ``scb/scb_YREG54BAS_employees_by_ssyk2012_age_year.json`` (SCB table TAB4442, JSON-stat 2,
  CC0; "Källa: SCB"): employees 2024, summed over the age bands 16–69, and SCB's official
  English SSYK 2012 labels, used as ``name_en``; also ``employees_by_age_2024`` (employees
  2024 in SCB's ten age bands 16–24, 25–29, ..., 65–69; suppressed cells count as 0), the age
  structure from which the forecast derives retirements, and ``employees_trend`` (employees
  summed over the bands in 2020 and 2022, before SCB's 2023 change of coverage), the
  forecast's baseline demand trend.
* ``esco_v1.1.1/en/ISCOGroups_en.csv`` (ESCO v1.1.1; "ESCO, European Commission"): English
  labels of the linked ISCO-08 groups (``isco_groups``) and the check that every code exists.
* ``af_aggregates/ssyk_kommun_annonser_2024.json`` (Platsbanken ads 2024): ads per group in
  the 29 municipalities of upper Norrland, aggregated by ``build_region_pack.ads_2024``.

Method:

* ``no_educational_requirement`` is true when at least one occupation name of the group is in
  JobTech's collection of occupations without educational requirements.
* ``employees_national`` sums SCB codes for the group (``employees_scb_codes``). JobTech merges
  some SCB unit groups: 5321 includes SCB 5322 (habilitering), 5323 includes SCB 5324
  (mottagning), and manager groups ``xxx0`` cover SCB's ``xxx1``/``xxx2`` (level 1 and 2).
* ``occupation_names``: up to 8 of the group's JobTech occupation names, the shortest first
  (short names tend to be the generic ones), listed alphabetically.
* ``skills``: up to 15 of the group's JobTech skills (JobTech links many tools and
  certificates to some groups, so a choice is needed; the export has no frequencies). In
  preference order: (1) up to 4 skills whose label shares a word stem with the group's name
  (e.g. "Ambulanssjukvård, ..." for Ambulanssjuksköterskor); (2) up to 4 skills concentrated
  in the group's SSYK 2-digit field (shared by at least two groups of the field, highest share
  of their groups inside the field first): these connect sibling groups; (3) the rest by how
  close the number of groups sharing the skill is to ``SKILL_TARGET_GROUPS`` (specific enough
  to characterise the group, common enough to link it to neighbours). At most
  ``FAMILY_CAP`` skills share a first word or a qualifier after the last comma (so not 15
  programming languages or CAD packages). Ties break by name, then id; the list keeps the
  preference order.
* Skills have Swedish names only in the JobTech export, so ``name_en`` is null.

Usage::

    .venv/bin/python scripts/build_taxonomy_pack.py [--data DIR] [--out PATH]

The output is deterministic: sorted keys, stable list order, UTF-8, one-space indentation.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any, NoReturn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_region_pack import ads_2024, load_municipalities, write_json

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO_ROOT / ".." / "shared" / "data"
DEFAULT_OUT = REPO_ROOT / "src" / "kedja" / "demo" / "data" / "taxonomy_pack.json"

EMPLOYEES_YEAR = "2024"
TREND_YEARS = ("2020", "2022")
AGE_BANDS = ("16-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64",
             "65-69")
MAX_SKILLS = 15
MAX_OCCUPATION_NAMES = 8
SKILL_TARGET_GROUPS = 6
NAME_MATCH_SKILLS = 4
FIELD_CORE_SKILLS = 4
FAMILY_CAP = 3
STEM_LENGTH = 6
MIN_STEM_WORD = 5
STEM_STOPWORDS = frozenset({"arbetare", "arbete", "erfarenhet", "inom", "lärling", "samt",
                            "specialister", "utbildning", "övrig", "övriga"})
MIN_GROUPS = 80
MAX_BYTES = 300_000
SECTORS = ("care", "education", "construction", "industry", "mining", "energy", "transport",
           "it", "hospitality", "cleaning", "retail", "office", "agriculture", "public", "other")

# The groups in the pack and their sector, chosen by the project: occupations that matter in
# upper Norrland, weighed by their 2024 ad counts in the 29 municipalities.
GROUPS: dict[str, str] = {
    # care
    "2211": "care", "2221": "care", "2222": "care", "2223": "care", "2224": "care",
    "2226": "care", "2241": "care", "2272": "care", "2273": "care", "3411": "care",
    "4117": "care", "5321": "care", "5323": "care", "5330": "care", "5341": "care",
    "5342": "care", "5343": "care", "5350": "care",
    # education
    "2314": "education", "2320": "education", "2330": "education", "2341": "education",
    "2342": "education", "2343": "education", "2351": "education", "2359": "education",
    "5311": "education", "5312": "education",
    # construction
    "2142": "construction", "3112": "construction", "3121": "construction",
    "7111": "construction", "7113": "construction", "7114": "construction",
    "7116": "construction", "7125": "construction", "7126": "construction",
    "7131": "construction", "7213": "construction", "7411": "construction",
    "8342": "construction", "9310": "construction",
    # industry and process
    "1370": "industry", "2141": "industry", "2143": "industry", "2144": "industry",
    "3113": "industry", "3114": "industry", "3115": "industry", "7212": "industry",
    "7223": "industry", "7231": "industry", "7233": "industry", "7412": "industry",
    "7420": "industry", "8129": "industry", "8171": "industry", "8173": "industry",
    "8193": "industry", "8213": "industry",
    # mining
    "1360": "mining", "2114": "mining", "2146": "mining", "3116": "mining", "8111": "mining",
    "8112": "mining", "8113": "mining", "8115": "mining",
    # energy
    "7413": "energy", "8191": "energy",
    # transport
    "4322": "transport", "4323": "transport", "8311": "transport", "8321": "transport",
    "8329": "transport", "8331": "transport", "8332": "transport", "8344": "transport",
    "9332": "transport",
    # IT
    "2511": "it", "2512": "it", "2514": "it", "2515": "it", "2516": "it", "3511": "it",
    "3512": "it", "3513": "it", "3514": "it",
    # hospitality
    "3451": "hospitality", "4224": "hospitality", "5113": "hospitality", "5120": "hospitality",
    "5131": "hospitality", "9411": "hospitality", "9412": "hospitality",
    # cleaning
    "5151": "cleaning", "9111": "cleaning", "9119": "cleaning", "9610": "cleaning",
    # retail
    "3322": "retail", "3323": "retail", "5221": "retail", "5222": "retail", "5223": "retail",
    "5230": "retail",
    # office and administration
    "2412": "office", "2421": "office", "2423": "office", "3313": "office", "4111": "office",
    "4112": "office", "4119": "office", "4222": "office", "4225": "office",
    # agriculture and forestry
    "2135": "agriculture", "6113": "agriculture", "6121": "agriculture", "6210": "agriculture",
    "8341": "agriculture", "9210": "agriculture",
    # public services
    "0110": "public", "0310": "public", "2422": "public", "2661": "public", "2663": "public",
    "3333": "public", "3360": "public", "5411": "public", "5412": "public", "5413": "public",
    # other
    "5152": "other",
}

# SCB unit groups that JobTech folds into one of its groups (see the module docstring).
SCB_MERGES: dict[str, tuple[str, ...]] = {"5321": ("5321", "5322"), "5323": ("5323", "5324")}

# English names where SCB's label is misspelt, oddly cased or narrower than JobTech's group.
NAME_EN_OVERRIDES: dict[str, str] = {
    "2146": "Engineering professionals in mining, metallurgy and related fields",
    "2222": "Midwives",
    "2226": "Ambulance nurses",
    "2273": "Occupational therapists",
    "2314": "PhD students",
    "2423": "Personnel and human resources specialists",
    "3360": "Police officers",
    "4111": "Accounting and bookkeeping clerks",
    "4222": "Customer service clerks",
    "4322": "Warehouse and terminal staff",
    "5222": "Shop sales assistants, groceries",
    "5223": "Shop sales assistants, specialty stores",
    "5312": "Teachers' aides",
    "5321": "Assistant nurses, home care, elderly care and habilitation",
    "5323": "Assistant nurses, hospital wards and clinics",
    "8111": "Miners and quarry workers",
    "8311": "Train operators",
    "8342": "Heavy equipment operators",
}

SOURCES: dict[str, dict[str, Any]] = {
    "jobtech": {
        "title": "JobTech Taxonomy (Arbetsförmedlingen)",
        "publisher": "Arbetsförmedlingen, JobTech Development",
        "citation": "JobTech/Arbetsförmedlingen",
        "licence": "Published as open data; no licence text in the export",
        "files": [
            "jobtech_taxonomy/occupations-with-no-edcuational-requirements.json",
            "jobtech_taxonomy/skills.json",
            "jobtech_taxonomy/ssyk-level-4-groups-with-related-occupations.json",
            "jobtech_taxonomy/ssyk-level-4-groups-with-related-skills.json",
            "jobtech_taxonomy/ssyk-level-4-groups.json",
            "jobtech_taxonomy/ssyk-level-4-with-related-isco-level-4-groups.json",
        ],
        "note": "SSYK 2012 groups (400), Swedish names, ISCO-08 links, occupation names, "
                "skill links and the no-educational-requirement collection, as exported "
                "from the taxonomy API (version not recorded in the files).",
    },
    "scb": {
        "title": "Employees by occupation (SSYK 2012), age and year (YREG54BAS, TAB4442)",
        "publisher": "Statistics Sweden (SCB)",
        "citation": "Källa: SCB",
        "licence": "CC0 1.0",
        "files": ["scb/scb_YREG54BAS_employees_by_ssyk2012_age_year.json"],
        "note": "Employees 2024 summed over the age bands 16-69 (from 2023 SCB reports "
                "16-69 and includes model-imputed occupations). SCB's English SSYK labels "
                "are used for name_en, with a few corrections by the project.",
    },
    "esco": {
        "title": "ESCO v1.1.1 classification: ISCO-08 groups",
        "publisher": "European Commission",
        "citation": "ESCO, European Commission",
        "licence": "EU reuse with attribution (Commission Decision 2011/833/EU)",
        "files": ["esco_v1.1.1/en/ISCOGroups_en.csv"],
        "note": "English labels of the ISCO-08 unit groups linked by JobTech (isco_groups).",
    },
    "af_ads": {
        "title": "Platsbanken job ads 2024 by SSYK 2012 group and municipality",
        "publisher": "Arbetsförmedlingen (JobTech), aggregated by a third party",
        "citation": "JobTech/Arbetsförmedlingen",
        "licence": "Open data (upstream); aggregation by a third party",
        "files": ["af_aggregates/kommun_id_namn.json",
                  "af_aggregates/ssyk_kommun_annonser_2024.json"],
        "note": "ads_upper_norrland_2024: ads in the 29 municipalities of counties 24 and 25.",
    },
}


def fail(message: str) -> NoReturn:
    """Stop the build with a message on stderr."""
    sys.exit(f"build_taxonomy_pack: {message}")


def concepts(data: Path, name: str) -> list[dict[str, Any]]:
    """The concept list of a JobTech taxonomy export file."""
    path = data / "jobtech_taxonomy" / name
    result: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["data"]["concepts"]
    return result


def by_code(items: list[dict[str, Any]], codes: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Index SSYK level-4 concepts by their four-digit code.

    Args:
        items: Concepts of one export file.
        codes: Concept id → SSYK code (not every export file carries the code).

    Returns:
        SSYK code → concept.
    """
    indexed = {}
    for concept in items:
        code = codes[concept["id"]]
        if concept.get("ssyk_code_2012", code) != code:
            fail(f"concept {concept['id']} has code {concept['ssyk_code_2012']}, expected {code}")
        indexed[code] = concept
    return indexed


def scb_employees(data: Path) -> tuple[dict[str, int | None], dict[str, str]]:
    """Employees in ``EMPLOYEES_YEAR`` (all age bands) and English labels per SCB code.

    Args:
        data: The shared data folder.

    Returns:
        SCB code → employees (None when every cell is suppressed), and SCB code → label.
    """
    path = data / "scb" / "scb_YREG54BAS_employees_by_ssyk2012_age_year.json"
    stat = json.loads(path.read_text(encoding="utf-8"))
    dims = stat["dimension"]
    if stat["id"] != ["Yrke2012", "Alder", "ContentsCode", "Tid"]:
        fail(f"{path.name}: unexpected dimensions {stat['id']}")
    sizes = stat["size"]
    occupations = dims["Yrke2012"]["category"]["index"]
    years = dims["Tid"]["category"]["index"]
    year = years[EMPLOYEES_YEAR]
    employees: dict[str, int | None] = {}
    for code, i in occupations.items():
        cells = [stat["value"][((i * sizes[1] + a) * sizes[2]) * sizes[3] + year]
                 for a in range(sizes[1])]
        known = [int(v) for v in cells if v is not None]
        employees[code] = sum(known) if known else None
    return employees, dims["Yrke2012"]["category"]["label"]


def scb_age_bands(data: Path) -> tuple[list[str], dict[str, dict[str, list[int]]]]:
    """SCB's age bands and, per SCB code and year, employees in each band (suppressed as 0).

    Args:
        data: The shared data folder.

    Returns:
        The band codes (``16-24`` ... ``65-69``), and SCB code → year → counts per band.
    """
    path = data / "scb" / "scb_YREG54BAS_employees_by_ssyk2012_age_year.json"
    stat = json.loads(path.read_text(encoding="utf-8"))
    dims, sizes = stat["dimension"], stat["size"]
    bands = [b.lstrip("0") for b in dims["Alder"]["category"]["index"]]
    if tuple(bands) != AGE_BANDS:
        fail(f"{path.name}: age bands {bands}, expected {AGE_BANDS}")
    years = dims["Tid"]["category"]["index"]
    result: dict[str, dict[str, list[int]]] = {}
    for code, i in dims["Yrke2012"]["category"]["index"].items():
        result[code] = {
            year: [int(stat["value"][((i * sizes[1] + a) * sizes[2]) * sizes[3] + y] or 0)
                   for a in range(sizes[1])]
            for year, y in years.items()
        }
    return bands, result


def summed_bands(scb_codes: list[str], bands: dict[str, dict[str, list[int]]],
                 year: str) -> list[int]:
    """Employees per age band in ``year``, summed over ``scb_codes``."""
    rows = [bands[c][year] for c in scb_codes if c in bands]
    return [sum(column) for column in zip(*rows, strict=True)] if rows else []


def scb_codes_for(code: str, scb: dict[str, int | None]) -> list[str]:
    """The SCB unit groups whose employees make up JobTech group ``code``."""
    if code in SCB_MERGES:
        return list(SCB_MERGES[code])
    if code in scb:
        return [code]
    return sorted(c for c in scb if c[:3] == code[:3] and c[3] in "12" and code[3] == "0")


def english_name(code: str, scb_codes: list[str], labels: dict[str, str],
                 isco_labels: list[str]) -> str | None:
    """SCB's English label of the group, tidied, or the ISCO label when SCB has none."""
    if code in NAME_EN_OVERRIDES:
        return NAME_EN_OVERRIDES[code]
    if code in labels:
        label = labels[code]
    elif scb_codes:
        label = re.sub(r",\s*level \d+\s*$", "", labels[scb_codes[0]])
    elif len(isco_labels) == 1:
        label = isco_labels[0]
    else:
        return None
    label = re.sub(r"\s+", " ", label).strip()
    return label[:1].upper() + label[1:]


def esco_isco_labels(data: Path) -> dict[str, str]:
    """ISCO-08 four-digit code → English label, from ESCO's ISCOGroups file."""
    path = data / "esco_v1.1.1" / "en" / "ISCOGroups_en.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {r["code"]: r["preferredLabel"].strip() for r in csv.DictReader(handle)
                if len(r["code"]) == 4}


def no_education_occupations(data: Path) -> set[str]:
    """Occupation-name ids in JobTech's collection of occupations with no education required."""
    collection = concepts(data, "occupations-with-no-edcuational-requirements.json")
    return {r["id"] for c in collection for r in c.get("related", [])}


def pick_occupation_names(group: dict[str, Any]) -> list[str]:
    """Up to ``MAX_OCCUPATION_NAMES`` occupation names, the shortest first, sorted by name."""
    names = sorted({n["preferred_label"].strip() for n in group.get("narrower", [])},
                   key=lambda s: (len(s), s.casefold(), s))
    return sorted(names[:MAX_OCCUPATION_NAMES], key=lambda s: (s.casefold(), s))


def word_stems(text: str) -> set[str]:
    """Stems (first ``STEM_LENGTH`` letters) of the longer words of a label."""
    words = re.findall(r"\w+", text.casefold())
    return {w[:STEM_LENGTH] for w in words if len(w) >= MIN_STEM_WORD and w not in STEM_STOPWORDS}


def skill_families(label: str) -> set[str]:
    """Family keys of a skill label: its first word and the qualifier after its last comma.

    Examples: ``"ADR, explosivt"`` → ``{"p:adr", "s:explosivt"}``; ``"Java, programmeringsspråk"``
    shares ``"s:programmeringsspråk"`` with every other programming language.
    """
    text = label.casefold()
    keys = {"p:" + re.split(r"[ ,\-/]", text, maxsplit=1)[0]}
    if "," in text:
        keys.add("s:" + text.rsplit(",", 1)[1].strip())
    return keys


class SkillPicker:
    """Chooses a group's skills from its JobTech skill links (see the module docstring)."""

    def __init__(self, skills_by_code: dict[str, dict[str, Any]]) -> None:
        self.links = {code: [r for r in g.get("related", []) if r.get("type") == "skill"]
                      for code, g in skills_by_code.items()}
        self.shared_by: Counter[str] = Counter(
            r["id"] for links in self.links.values() for r in links)
        self.in_field: Counter[tuple[str, str]] = Counter(
            (code[:2], r["id"]) for code, links in self.links.items() for r in links)

    def _closeness(self, link: dict[str, Any]) -> tuple[int, int, str, str]:
        shared = self.shared_by[link["id"]]
        return (abs(shared - SKILL_TARGET_GROUPS), shared, link["preferred_label"].casefold(),
                link["id"])

    def _field_rank(self, field: str, link: dict[str, Any]) -> tuple[float, int, str, str]:
        in_field = self.in_field[(field, link["id"])]
        return (-in_field / self.shared_by[link["id"]], -in_field,
                link["preferred_label"].casefold(), link["id"])

    def pick(self, code: str, group_label: str) -> list[str]:
        """Up to ``MAX_SKILLS`` skill ids for group ``code``, in preference order.

        Args:
            code: Four-digit SSYK code.
            group_label: The group's Swedish name, for the name-matching tier.

        Returns:
            Skill concept ids.
        """
        links = self.links.get(code, [])
        stems = word_stems(group_label)
        named = sorted((r for r in links if word_stems(r["preferred_label"]) & stems),
                       key=self._closeness)
        field = sorted((r for r in links if self.in_field[(code[:2], r["id"])] >= 2),
                       key=lambda r: self._field_rank(code[:2], r))
        chosen: list[dict[str, Any]] = []
        families: Counter[str] = Counter()
        rest = sorted(links, key=self._closeness)
        for tier, limit in ((named, NAME_MATCH_SKILLS), (field, FIELD_CORE_SKILLS),
                            (rest, MAX_SKILLS)):
            self._take(tier, limit, chosen, families)
        # A group whose skills all belong to one or two families still gets its full list.
        self._take(rest, MAX_SKILLS, chosen, families, family_cap=None)
        return [r["id"] for r in chosen]

    @staticmethod
    def _take(candidates: list[dict[str, Any]], limit: int, chosen: list[dict[str, Any]],
              families: Counter[str], family_cap: int | None = FAMILY_CAP) -> None:
        """Append up to ``limit`` candidates to ``chosen``, honouring the family cap."""
        taken = 0
        for link in candidates:
            if taken >= limit or len(chosen) >= MAX_SKILLS:
                return
            keys = skill_families(link["preferred_label"])
            capped = family_cap is not None and any(families[k] >= family_cap for k in keys)
            if link in chosen or capped:
                continue
            chosen.append(link)
            families.update(keys)
            taken += 1


def region_ads(data: Path) -> dict[str, int]:
    """Platsbanken ads 2024 per SSYK code in the 29 municipalities of upper Norrland."""
    ads: dict[str, int] = ads_2024(data, load_municipalities(data))["by_ssyk4"]
    return ads


def group_record(code: str, sources: dict[str, Any]) -> dict[str, Any]:
    """One occupation group of the pack.

    Args:
        code: Four-digit SSYK 2012 code.
        sources: The loaded inputs (see ``load_inputs``).

    Returns:
        The group record.
    """
    group = sources["groups"][code]
    isco = sorted(r["isco_code_08"] for r in sources["isco"][code].get("related", []))
    scb_codes = scb_codes_for(code, sources["employees"])
    counts = [sources["employees"][c] for c in scb_codes if sources["employees"][c] is not None]
    occupations = sources["occupations"][code].get("narrower", [])
    return {
        "ssyk": code,
        "jobtech_id": group["id"],
        "name_sv": group["preferred_label"].strip(),
        "name_en": english_name(code, scb_codes, sources["scb_labels"],
                                [sources["isco_labels"][i] for i in isco]),
        "isco": isco,
        "sector": GROUPS[code],
        "no_educational_requirement": any(o["id"] in sources["no_education"]
                                          for o in occupations),
        "employees_national": sum(counts) if counts else None,
        "employees_scb_codes": scb_codes,
        "employees_by_age_2024": summed_bands(scb_codes, sources["age_bands"], "2024"),
        "employees_trend": {year: sum(summed_bands(scb_codes, sources["age_bands"], year))
                            for year in TREND_YEARS},
        "ads_upper_norrland_2024": sources["ads"].get(code, 0),
        "occupation_names": pick_occupation_names(sources["occupations"][code]),
        "skills": sources["skill_picker"].pick(code, group["preferred_label"]),
    }


def load_inputs(data: Path) -> dict[str, Any]:
    """Read every source file once."""
    groups = concepts(data, "ssyk-level-4-groups.json")
    codes = {c["id"]: c["ssyk_code_2012"] for c in groups}
    skills_per_group = by_code(concepts(data, "ssyk-level-4-groups-with-related-skills.json"),
                               codes)
    employees, scb_labels = scb_employees(data)
    return {
        "groups": by_code(groups, codes),
        "isco": by_code(concepts(data, "ssyk-level-4-with-related-isco-level-4-groups.json"),
                        codes),
        "occupations": by_code(
            concepts(data, "ssyk-level-4-groups-with-related-occupations.json"), codes),
        "skill_picker": SkillPicker(skills_per_group),
        "skill_names": {c["id"]: c["preferred_label"].strip()
                        for c in concepts(data, "skills.json")},
        "no_education": no_education_occupations(data),
        "employees": employees,
        "age_bands": scb_age_bands(data)[1],
        "scb_labels": scb_labels,
        "isco_labels": esco_isco_labels(data),
        "ads": region_ads(data),
    }


def check(pack: dict[str, Any], inputs: dict[str, Any]) -> None:
    """Stop unless the pack passes its sanity checks."""
    groups = pack["occupation_groups"]
    skill_ids = {s["id"] for s in pack["skills"]}
    errors = []
    if len(groups) < MIN_GROUPS:
        errors.append(f"only {len(groups)} groups (want at least {MIN_GROUPS})")
    for g in groups:
        where = f"group {g['ssyk']}"
        if g["sector"] not in SECTORS:
            errors.append(f"{where}: unknown sector {g['sector']}")
        if not g["isco"] or any(not re.fullmatch(r"\d{4}", i) or i not in inputs["isco_labels"]
                                for i in g["isco"]):
            errors.append(f"{where}: bad ISCO codes {g['isco']}")
        if not g["skills"] or set(g["skills"]) - skill_ids:
            errors.append(f"{where}: missing or unknown skills")
        if not g["name_en"] or g["employees_national"] is None:
            errors.append(f"{where}: no English name or no employee count")
    if errors:
        fail("sanity checks failed:\n  " + "\n  ".join(errors))


def build(data: Path) -> dict[str, Any]:
    """Assemble the taxonomy pack from the shared data folder."""
    inputs = load_inputs(data)
    unknown = sorted(set(GROUPS) - set(inputs["groups"]))
    if unknown:
        fail(f"SSYK codes not in the JobTech taxonomy: {unknown}")
    groups = [group_record(code, inputs) for code in sorted(GROUPS)]
    used_skills = sorted({s for g in groups for s in g["skills"]})
    missing = [s for s in used_skills if s not in inputs["skill_names"]]
    if missing:
        fail(f"skills not in skills.json: {missing}")
    used_isco = sorted({i for g in groups for i in g["isco"]})
    pack = {
        "generated_by": "scripts/build_taxonomy_pack.py",
        "source": SOURCES,
        "age_bands": list(AGE_BANDS),
        "occupation_groups": groups,
        "isco_groups": {i: inputs["isco_labels"][i] for i in used_isco},
        "skills": [{"id": s, "name_sv": inputs["skill_names"][s], "name_en": None}
                   for s in used_skills],
    }
    check(pack, inputs)
    return pack


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
    size = args.out.stat().st_size
    if size > MAX_BYTES:
        fail(f"{args.out} is {size:,} bytes (limit {MAX_BYTES:,})")
    print(f"wrote {args.out}: {len(pack['occupation_groups'])} groups, "
          f"{len(pack['skills'])} skills, {len(pack['isco_groups'])} ISCO groups, {size:,} bytes")


if __name__ == "__main__":
    main()
