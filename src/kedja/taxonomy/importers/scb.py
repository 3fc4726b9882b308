"""Statistics Sweden: the SSYK 2012 → ISCO-08 key with job titles (xlsx), and JSON-stat 2.

The key's sheet ``Nyckel`` links each SSYK 2012 unit group to one or more ISCO-08 unit groups;
its sheet ``Grunden`` lists 8,6xx Swedish job titles (yrkesbenämningar) with their SSYK and
ISCO codes, which search uses. ``jsonstat_records`` reads any JSON-stat 2 dataset (as SCB's
PxWeb API returns it) into one record per non-missing cell; ``scb_employment_batch`` turns
table TAB4442 (employees by SSYK 2012) into ``employees`` links weighted by head count.

Source: SCB (CC0), "Källa: SCB".
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from itertools import product
from pathlib import Path
from typing import Any

from kedja.core.concepts import Concept, ConceptLink, Relation, Scheme, TaxonomyBatch
from kedja.core.errors import InvalidInput
from kedja.taxonomy.importers.files import decoded_text

__all__ = ["EMPLOYEES", "jsonstat_records", "scb_employment_batch", "scb_key_batch"]

EMPLOYEES = "employees"
KEY_SHEET, TITLE_SHEET = "Nyckel", "Grunden"
CODE = re.compile(r"^\d{1,4}$")


def _code(value: Any, *, field: str, location: str) -> str:
    text = str(value).strip() if value is not None else ""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not CODE.match(text):
        raise InvalidInput(f"{text!r} is not a four-digit code", field=field, value=text,
                           location=location, hint="codes are four digits, e.g. '5321'")
    return text.zfill(4)


def _workbook_rows(path: Path, sheet: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    import openpyxl  # heavy: imported only when an xlsx is read

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True)
    except Exception as error:
        raise InvalidInput(f"{path.name} is not a readable xlsx workbook: {error}",
                           field="PATH", value=str(path), location=str(path),
                           hint="give SCB's key as downloaded (.xlsx)") from None
    if sheet not in workbook.sheetnames:
        raise InvalidInput(f"{path.name} has no sheet {sheet!r} (it has {workbook.sheetnames})",
                           field="sheet", value=sheet, location=str(path),
                           hint="give SCB's 'SSYK 2012 - ISCO-08' key workbook")
    yield from enumerate(workbook[sheet].iter_rows(values_only=True), start=1)


def scb_key_batch(path: Path | str, *, version: str | None = None) -> TaxonomyBatch:
    """SCB's SSYK 2012 → ISCO-08 key: ``isco`` links and job titles under their SSYK group.

    Raises:
        InvalidInput: a sheet is missing or a code is malformed (file, line and column named).

    """
    path = Path(path)
    found = re.search(r"20\d{6}", path.name)
    batch = TaxonomyBatch("scb-ssyk", version or (found.group(0) if found else "unknown"),
                          str(path))
    batch.links = list(_key_links(path))
    titles = {c.key: c for c in _titles(path, batch)}
    batch.concepts = list(titles.values())
    return batch


def _key_links(path: Path) -> Iterator[ConceptLink]:
    started = False
    for line, row in _workbook_rows(path, KEY_SHEET):
        first = str(row[0]).strip() if row and row[0] is not None else ""
        if first.startswith("SSYK"):
            started = True
            continue
        if not started or not first:
            continue
        where = f"{path.name}:{KEY_SHEET}, line {line}"
        ssyk = _code(first, field="SSYK 2012 kod", location=where)
        for isco in re.split(r"[,;\s]+", str(row[2]).strip()):
            if isco:
                yield ConceptLink(Scheme.SSYK, ssyk, Relation.ISCO, Scheme.ISCO,
                                  _code(isco, field="ISCO-08 kod", location=where))


def _titles(path: Path, batch: TaxonomyBatch) -> Iterator[Concept]:
    for line, row in _workbook_rows(path, TITLE_SHEET):
        if line == 1 or not row or row[0] is None:
            continue
        where = f"{path.name}:{TITLE_SHEET}, line {line}"
        ssyk = _code(row[0], field="SSYK 2012 kod", location=where)
        title = str(row[2] or "").strip()
        if not title:
            raise InvalidInput("the job title is empty", field="Yrkesbenämning",
                               location=where, hint="fill the title or remove the row")
        code = f"{ssyk}:{title.casefold()}"
        batch.links.append(ConceptLink(Scheme.SCB_TITLE, code, Relation.BROADER, Scheme.SSYK,
                                       ssyk))
        yield Concept(Scheme.SCB_TITLE, code, title, lang="sv")


def jsonstat_records(data: bytes, *, file: str) -> list[dict[str, Any]]:
    """One record per non-missing cell of a JSON-stat 2 dataset: category codes and ``value``.

    Examples:
        >>> doc = {"version": "2.0", "class": "dataset", "id": ["a", "t"], "size": [2, 1],
        ...        "dimension": {"a": {"category": {"index": {"x": 0, "y": 1}}},
        ...                      "t": {"category": {"index": ["2024"]}}},
        ...        "value": [3, None]}
        >>> jsonstat_records(json.dumps(doc).encode(), file="d.json")
        [{'a': 'x', 't': '2024', 'value': 3}]

    """
    doc = _jsonstat_document(data, file=file)
    codes = [_category_codes(doc, dim, file=file) for dim in doc["id"]]
    values = doc["value"]
    if isinstance(values, dict):  # the sparse form: {"index": value}
        values = [values.get(str(i)) for i in range(_cells(doc["size"]))]
    if len(values) != _cells(doc["size"]):
        raise InvalidInput(f"{file} has {len(values)} values for {_cells(doc['size'])} cells",
                           field="value", location=file, hint="the file is cut off; fetch it again")
    return [{**dict(zip(doc["id"], combo, strict=True)), "value": value}
            for combo, value in zip(product(*codes), values, strict=True) if value is not None]


def _cells(size: list[int]) -> int:
    total = 1
    for n in size:
        total *= n
    return total


def _jsonstat_document(data: bytes, *, file: str) -> dict[str, Any]:
    try:
        doc = json.loads(decoded_text(data, file=file))
    except json.JSONDecodeError as error:
        raise InvalidInput(f"{file} is not valid JSON: {error.msg}", field="json",
                           location=f"{file}, line {error.lineno}",
                           hint="fetch it again as JSON-stat 2") from None
    if not isinstance(doc, dict):
        raise InvalidInput(f"{file} is not a JSON-stat 2 dataset (a {type(doc).__name__}, not an "
                           "object)", field="json", location=file, hint="ask PxWeb for format json-stat2")
    missing = [k for k in ("id", "size", "dimension", "value") if k not in doc]
    if doc.get("class") != "dataset" or missing:
        raise InvalidInput(f"{file} is not a JSON-stat 2 dataset (missing {missing})",
                           field=(missing or ["class"])[0], location=file,
                           hint="ask PxWeb for format json-stat2")
    _check_shape(doc, file=file)
    return doc


def _check_shape(doc: dict[str, Any], *, file: str) -> None:
    """Refuse a dataset whose parts have the wrong types, before anything reads them."""
    ids, size, values = doc["id"], doc["size"], doc["value"]
    problem = None
    if not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
        problem = ("id", "'id' must be a list of dimension names")
    elif not (isinstance(size, list) and len(size) == len(ids)
              and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in size)):
        problem = ("size", "'size' must give one count (>= 0) per dimension in 'id'")
    elif not isinstance(doc["dimension"], dict) or not all(
            isinstance(doc["dimension"].get(d), dict) for d in ids):
        problem = ("dimension", "'dimension' must describe every dimension in 'id'")
    elif not isinstance(values, list | dict) or not all(
            v is None or (isinstance(v, int | float) and not isinstance(v, bool))
            for v in (values.values() if isinstance(values, dict) else values)):
        problem = ("value", "'value' must be a list (or index map) of numbers and nulls")
    if problem is not None:
        raise InvalidInput(f"{file} is not a well-formed JSON-stat 2 dataset: {problem[1]}",
                           field=problem[0], location=file, hint="fetch the table again as JSON-stat 2")


def _category_codes(doc: dict[str, Any], dim: str, *, file: str) -> list[str]:
    category = doc["dimension"][dim].get("category")
    index = category.get("index") if isinstance(category, dict) else None
    size = doc["size"][doc["id"].index(dim)]
    if isinstance(index, list) and len(index) == size:
        return [str(code) for code in index]
    if isinstance(index, dict) and len(index) == size and all(
            isinstance(v, int) and not isinstance(v, bool) for v in index.values()):
        return [code for code, _ in sorted(index.items(), key=lambda item: item[1])]
    raise InvalidInput(f"dimension {dim!r} has no category index of {size} codes", field=dim,
                       location=file,
                       hint="fetch the table again as JSON-stat 2")


def scb_employment_batch(path: Path | str, *, version: str | None = None) -> TaxonomyBatch:
    """Employees per SSYK 2012 group in the latest year of an SCB JSON-stat table (TAB4442).

    Cells are summed over every other dimension (age bands) and stored as ``employees`` links
    from the SSYK group to the year, weighted by head count.
    """
    path = Path(path)
    records = jsonstat_records(path.read_bytes(), file=path.name)
    dims = [k for k in records[0] if k != "value"] if records else []
    occupation = next((d for d in dims if d.lower().startswith("yrke")), None)
    time = next((d for d in dims if d.lower() in ("tid", "time", "year")), None)
    if occupation is None or time is None:
        raise InvalidInput(f"{path.name} has no occupation (Yrke*) and time (Tid) dimensions",
                           field="id", value=dims, location=path.name,
                           hint="give SCB table TAB4442 (employees by SSYK 2012)")
    year = max(r[time] for r in records)
    totals: dict[str, float] = {}
    for record in records:
        code = record[occupation]
        if record[time] == year and CODE.match(code) and len(code) == 4:
            totals[code] = totals.get(code, 0.0) + float(record["value"])
    batch = TaxonomyBatch("scb-employment", version or year, str(path))
    batch.concepts = [Concept("year", year, year)]
    batch.links = [ConceptLink(Scheme.SSYK, code, EMPLOYEES, "year", year, weight=n)
                   for code, n in sorted(totals.items())]
    return batch
