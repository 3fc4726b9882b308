"""O*NET (US) database in its Excel form: occupations, Skills, Knowledge, Job Zones, education.

Skills and Knowledge become ``importance`` (scale IM, 1–5) and ``level`` (scale LV, 0–7)
links from the occupation to the element; Job Zones a ``job-zone`` link weighted 1–5; the
Education, Training and Experience table's "Required Level of Education" (RL) an ``education``
link per category weighted by the share of respondents.

Source: O*NET 29.2 Database by the U.S. Department of Labor, CC BY 4.0.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kedja.core.concepts import Concept, ConceptLink, Relation, Scheme, TaxonomyBatch
from kedja.core.errors import InvalidInput

__all__ = ["onet_batch"]

OCCUPATIONS = "Occupation Data.xlsx"
RATINGS = {"Skills.xlsx": "skill", "Knowledge.xlsx": "knowledge"}
JOB_ZONES = "Job Zones.xlsx"
EDUCATION = "Education, Training, and Experience.xlsx"
SCALES = {"IM": Relation.IMPORTANCE, "LV": Relation.LEVEL}
SOC = re.compile(r"^\d{2}-\d{4}\.\d{2}$")


def _sheet(path: Path, required: tuple[str, ...]) -> Iterator[tuple[str, dict[str, Any]]]:
    import openpyxl  # heavy: imported only when an xlsx is read

    if not path.exists():
        raise InvalidInput(f"the file {path.name!r} is missing", field="PATH", value=str(path),
                           hint="give the folder of the O*NET database in Excel format")
    workbook = openpyxl.load_workbook(path, read_only=True)
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    header = [str(h) for h in next(rows, ())]
    for name in required:
        if name not in header:
            raise InvalidInput(f"the column {name!r} is missing", field=name,
                               location=f"{path.name}, line 1",
                               hint="give the O*NET database in its Excel format")
    for line, row in enumerate(rows, start=2):
        yield f"{path.name}, line {line}", dict(zip(header, row, strict=False))


def _soc(record: dict[str, Any], where: str) -> str:
    code = str(record.get("O*NET-SOC Code") or "")
    if not SOC.match(code):
        raise InvalidInput(f"{code!r} is not an O*NET-SOC code", field="O*NET-SOC Code",
                           value=code, location=where, hint="codes look like '51-4121.06'")
    return code


def onet_batch(path: Path | str, *, version: str | None = None) -> TaxonomyBatch:
    """Parse an O*NET Excel database folder into a batch.

    Raises:
        InvalidInput: a file or column is missing, or a code or value is malformed.

    """
    path = Path(path)
    found = re.search(r"\d+\.\d+", path.name)
    batch = TaxonomyBatch("onet", version or (found.group(0) if found else "unknown"), str(path))
    concepts: dict[tuple[str, str], Concept] = {}
    for where, record in _sheet(path / OCCUPATIONS, ("O*NET-SOC Code", "Title")):
        concept = Concept(Scheme.ONET_OCCUPATION, _soc(record, where), str(record["Title"]))
        concepts[concept.key] = concept
    links: dict[tuple[str, ...], ConceptLink] = {}
    for name, kind in RATINGS.items():
        for concept, link in _ratings(path / name, kind):
            concepts.setdefault(concept.key, concept)
            links[link.key] = link
    for link in (*_job_zones(path / JOB_ZONES), *_education(path / EDUCATION)):
        links[link.key] = link
    for zone in range(1, 6):
        concepts[("onet-job-zone", str(zone))] = Concept("onet-job-zone", str(zone),
                                                         f"Job Zone {zone}")
    for category in range(1, 13):
        concepts[("onet-education", str(category))] = Concept(
            "onet-education", str(category), f"Required level of education, category {category}")
    batch.concepts, batch.links = list(concepts.values()), list(links.values())
    return batch


def _value(record: dict[str, Any], column: str, where: str) -> float:
    value = record.get(column)
    if not isinstance(value, int | float):
        raise InvalidInput(f"{value!r} is not a number", field=column, value=value,
                           location=where, hint="the rating must be numeric")
    return float(value)


def _ratings(path: Path, kind: str) -> Iterator[tuple[Concept, ConceptLink]]:
    columns = ("O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value")
    for where, record in _sheet(path, columns):
        relation = SCALES.get(str(record["Scale ID"]))
        if relation is None:
            continue
        element = Concept(Scheme.ONET_ELEMENT, str(record["Element ID"]),
                          str(record["Element Name"]), kind=kind)
        yield element, ConceptLink(Scheme.ONET_OCCUPATION, _soc(record, where), relation,
                                   Scheme.ONET_ELEMENT, element.code,
                                   weight=_value(record, "Data Value", where))


def _job_zones(path: Path) -> Iterator[ConceptLink]:
    for where, record in _sheet(path, ("O*NET-SOC Code", "Job Zone")):
        zone = _value(record, "Job Zone", where)
        yield ConceptLink(Scheme.ONET_OCCUPATION, _soc(record, where), Relation.JOB_ZONE,
                          "onet-job-zone", str(int(zone)), weight=zone)


def _education(path: Path) -> Iterator[ConceptLink]:
    columns = ("O*NET-SOC Code", "Scale ID", "Category", "Data Value")
    for where, record in _sheet(path, columns):
        if record["Scale ID"] != "RL" or record["Category"] is None:
            continue
        yield ConceptLink(Scheme.ONET_OCCUPATION, _soc(record, where), Relation.EDUCATION,
                          "onet-education", str(int(record["Category"])),
                          weight=_value(record, "Data Value", where))
