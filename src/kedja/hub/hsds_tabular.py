"""The HSDS 3.0 tabular package: a CSV table per object with a ``datapackage.json``.

HSDS publishes every object twice: as nested JSON (a service with its phones, schedules and
attributes inside) and as a tabular package where each object has its own CSV file and a nested
object points back to its parent by a ``*_id`` column (``phones.csv`` → ``service_id``,
``attributes.csv`` → ``link_id``, ``metadata.csv`` → ``resource_id``). The file names, the
back references and the number-typed columns below are HSDS 3.0's (Open Referral,
``schema/compiled/tabular.json`` and ``schema/simple/schema.csv``, specification 3.0).
``service_capacities.csv`` and ``units.csv`` are HSDS 3.1's capacity tables, which Kedja writes
for its places and seats.

:func:`tables_from_documents` flattens nested core objects into rows, :func:`documents_from_tables`
nests rows back (the inverse for every table below); :func:`package_bytes` and
:func:`read_package` write and read the zip (or a folder) with its ``datapackage.json``.

Examples:
    >>> doc = {"organization": [{"id": "o1", "name": "A", "description": "",
    ...        "phones": [{"id": "p1", "number": "1"}]}], "service": [], "location": [],
    ...        "service_at_location": []}
    >>> tables = tables_from_documents(doc)
    >>> tables["phone"]
    [{'organization_id': 'o1', 'id': 'p1', 'number': '1'}]
    >>> documents_from_tables(tables)["organization"][0]["phones"][0]["number"]
    '1'
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kedja.core.errors import InvalidInput
from kedja.core.spreadsheets import safe_record

__all__ = [
    "CORE_OBJECTS",
    "FILES",
    "documents_from_tables",
    "package_bytes",
    "read_package",
    "tables_from_documents",
]

JsonDict = dict[str, Any]
CORE_OBJECTS = ("organization", "service", "location", "service_at_location")

FILES = {
    "organization": "organizations.csv", "service": "services.csv", "location": "locations.csv",
    "service_at_location": "service_at_location.csv", "address": "addresses.csv",
    "attribute": "attributes.csv", "taxonomy_term": "taxonomy_terms.csv",
    "taxonomy": "taxonomies.csv", "phone": "phones.csv", "contact": "contacts.csv",
    "schedule": "schedules.csv", "funding": "funding.csv", "service_area": "service_areas.csv",
    "required_document": "required_documents.csv", "language": "languages.csv",
    "accessibility": "accessibility.csv", "metadata": "metadata.csv",
    "meta_table_description": "meta_table_descriptions.csv", "cost_option": "cost_options.csv",
    "organization_identifier": "organization_identifiers.csv", "program": "programs.csv",
    "service_capacity": "service_capacities.csv", "unit": "units.csv",
}
"""HSDS object → its file in the tabular package."""

_TABLE_OF_FILE = {**{f.removesuffix(".csv"): t for t, f in FILES.items()},
                  **{t: t for t in FILES}, "service_at_locations": "service_at_location"}
"""File stem → object: the official names, and the singular names Kedja wrote before."""


def _children(fk: str, *keys: tuple[str, str]) -> dict[str, tuple[str, str]]:
    return {key: (table, fk) for key, table in keys} | {
        "attributes": ("attribute", "link_id"), "metadata": ("metadata", "resource_id")}


NESTING: dict[str, dict[str, tuple[str, str]]] = {
    "organization": _children("organization_id", ("funding", "funding"), ("contacts", "contact"),
                              ("phones", "phone"), ("programs", "program"),
                              ("organization_identifiers", "organization_identifier")),
    "service": _children("service_id", ("phones", "phone"), ("schedules", "schedule"),
                         ("service_areas", "service_area"), ("languages", "language"),
                         ("funding", "funding"), ("cost_options", "cost_option"),
                         ("required_documents", "required_document"), ("contacts", "contact"),
                         ("capacities", "service_capacity")),
    "location": _children("location_id", ("languages", "language"), ("addresses", "address"),
                          ("contacts", "contact"), ("accessibility", "accessibility"),
                          ("phones", "phone"), ("schedules", "schedule")),
    "service_at_location": _children("service_at_location_id", ("contacts", "contact"),
                                     ("phones", "phone"), ("schedules", "schedule")),
    "contact": {"phones": ("phone", "contact_id")},
    "phone": {"languages": ("language", "phone_id")},
}
"""Object → its nested arrays: JSON key → (child object, the child's back-reference column)."""

LOOKUPS: dict[str, dict[str, tuple[str, str]]] = {
    "attribute": {"taxonomy_term": ("taxonomy_term", "taxonomy_term_id")},
    "taxonomy_term": {"taxonomy_detail": ("taxonomy", "taxonomy_id")},
    "service_capacity": {"unit": ("unit", "unit_id")},
}
"""Object → its one-to-one sub-objects: JSON key → (object, the referring ``*_id`` column)."""

NUMBERS = {
    "organization": {"year_incorporated"}, "service": {"minimum_age", "maximum_age"},
    "location": {"latitude", "longitude"}, "phone": {"extension"},
    "schedule": {"timezone", "count", "interval"}, "cost_option": {"amount"},
    "service_capacity": {"available", "maximum"},
}
"""The number-typed columns (everything else in the tabular form is a string)."""


def _flatten(table: str, obj: Mapping[str, Any], tables: dict[str, list[JsonDict]],
             seen: set[tuple[str, str]], parent: tuple[str, str] | None = None) -> None:
    row: JsonDict = {}
    if parent is not None and parent[0] not in obj:
        row[parent[0]] = parent[1]
    for key, value in obj.items():
        if key in NESTING.get(table, {}) and isinstance(value, list):
            child, fk = NESTING[table][key]
            for item in value:
                _flatten(child, item, tables, seen, (fk, str(obj.get("id", ""))))
        elif key in LOOKUPS.get(table, {}) and isinstance(value, Mapping):
            target, ref = LOOKUPS[table][key]
            if value.get("id") is not None:
                row.setdefault(ref, value["id"])
                _flatten(target, value, tables, seen)
        elif not isinstance(value, list | Mapping) and value is not None:
            row[key] = value
    identity = (table, str(row.get("id")))
    if identity not in seen:
        seen.add(identity)
        tables.setdefault(table, []).append(row)


def tables_from_documents(document: Mapping[str, Any]) -> dict[str, list[JsonDict]]:
    """Nested HSDS core objects as tabular rows, one list per object; O(size).

    A row appears once per id (a taxonomy term shared by many attributes is one row); nested
    objects Kedja does not place in a table (a service's nested ``organization``) are left out:
    they are top-level objects of their own.
    """
    tables: dict[str, list[JsonDict]] = {name: [] for name in CORE_OBJECTS}
    seen: set[tuple[str, str]] = set()
    for name in CORE_OBJECTS:
        for obj in document.get(name, []):
            _flatten(name, obj, tables, seen)
    return tables


def _nest(table: str, row: Mapping[str, Any], index: Mapping[tuple[str, str], Any],
          by_id: Mapping[str, Mapping[str, JsonDict]], depth: int = 0) -> JsonDict:
    obj = dict(row)
    for key, (target, ref) in LOOKUPS.get(table, {}).items():
        found = by_id.get(target, {}).get(str(row.get(ref)))
        if found is not None:
            obj[key] = _nest(target, found, index, by_id, depth + 1)
    if depth < 3:
        for key, (child, fk) in NESTING.get(table, {}).items():
            rows = index.get((child, fk), {}).get(str(row.get("id")), [])
            if rows:
                obj[key] = [_nest(child, r, index, by_id, depth + 1) for r in rows]
    return obj


def documents_from_tables(tables: Mapping[str, list[JsonDict]]) -> JsonDict:
    """Tabular rows nested back into HSDS core objects (inverse of :func:`tables_from_documents`).

    A nested row is attached to every parent its back references name; a core row keeps the
    columns it has. O(rows).
    """
    index: dict[tuple[str, str], dict[str, list[JsonDict]]] = defaultdict(lambda: defaultdict(list))
    for parent_nesting in NESTING.values():
        for child, fk in parent_nesting.values():
            if (child, fk) in index:
                continue
            for row in tables.get(child, []):
                if row.get(fk) not in (None, ""):
                    index[(child, fk)][str(row[fk])].append(row)
    by_id = {table: {str(r.get("id")): r for r in rows} for table, rows in tables.items()}
    return {name: [_nest(name, row, index, by_id) for row in tables.get(name, [])]
            for name in CORE_OBJECTS}


def _csv_text(rows: list[JsonDict]) -> str:
    columns = list(dict.fromkeys(key for row in rows for key in row)) or ["id"]
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(safe_record(row) for row in rows)  # no formula a spreadsheet would run
    return text.getvalue()


def _datapackage(tables: Mapping[str, list[JsonDict]]) -> JsonDict:
    resources = []
    for table, rows in tables.items():
        columns = list(dict.fromkeys(key for row in rows for key in row)) or ["id"]
        fields = [{"name": c, "type": "number" if c in NUMBERS.get(table, ()) else "string"}
                  for c in columns]
        resources.append({"name": table, "path": FILES[table], "profile": "tabular-data-resource",
                          "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                          "schema": {"fields": fields, "primaryKey": "id"}})
    return {"name": "kedja-directory", "profile": "tabular-data-package",
            "title": "Kedja directory (Open Referral HSDS 3.0)", "resources": resources}


def package_bytes(document: Mapping[str, Any]) -> bytes:
    """The core objects as a zip of HSDS CSV tables with their ``datapackage.json``."""
    tables = {t: rows for t, rows in sorted(tables_from_documents(document).items())}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        def write(name: str, text: str) -> None:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
        write("datapackage.json", json.dumps(_datapackage(tables), indent=1, ensure_ascii=False))
        for table, rows in tables.items():
            write(FILES[table], _csv_text(rows))
    return buffer.getvalue()


def _number(text: str, *, where: str) -> int | float:
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(f"{where}: {text!r} is not a number", field=where, value=text,
                           hint="write the number with a decimal point, e.g. 65.58") from None
    return int(value) if value.is_integer() and "." not in text else value


def _typed_rows(table: str, file_name: str, text: str) -> list[JsonDict]:
    rows = []
    for line, raw in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        row: JsonDict = {}
        for column, cell in raw.items():
            if column is None or cell is None:
                raise InvalidInput(f"{file_name} line {line} has more cells than columns",
                                   field=f"{file_name}:{line}",
                                   hint="quote cells that hold commas")
            if column in NUMBERS.get(table, ()):
                if cell.strip():
                    row[column] = _number(cell.strip(), where=f"{file_name} line {line} "
                                                                  f"column {column}")
            else:
                row[column] = cell
        rows.append(row)
    return rows


def _tables_from_files(files: Mapping[str, bytes]) -> dict[str, list[JsonDict]]:
    tables: dict[str, list[JsonDict]] = {}
    for name, data in files.items():
        stem = name.rsplit("/", 1)[-1].removesuffix(".csv")
        table = _TABLE_OF_FILE.get(stem)
        if table is None:
            continue  # a table HSDS 3.0 does not define: not read (named in the summary)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InvalidInput(f"{name} is not UTF-8 text: {error}", field=name,
                               hint="save the CSV as UTF-8") from None
        tables[table] = _typed_rows(table, name, text)
    return tables


def _resource_paths(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The CSV files to read: those ``datapackage.json`` lists, else every ``*.csv``."""
    csvs = {n: d for n, d in files.items() if n.endswith(".csv")}
    package = next((d for n, d in files.items() if n.rsplit("/", 1)[-1] == "datapackage.json"),
                   None)
    try:
        described = json.loads(package) if package else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        described = None  # e.g. a link file left by a checkout: fall back to the file names
    if isinstance(described, dict) and isinstance(described.get("resources"), list):
        paths = {str(r.get("path", "")).rsplit("/", 1)[-1] for r in described["resources"]
                 if isinstance(r, dict)}
        listed = {n: d for n, d in csvs.items() if n.rsplit("/", 1)[-1] in paths}
        return listed or csvs
    return csvs


def read_package(source: bytes | Path) -> dict[str, list[JsonDict]]:
    """The tables of a tabular package: a zip (bytes or path) or a folder of CSV files.

    Raises:
        InvalidInput: not a zip or folder, a file that is not UTF-8, a number that is not one
            (named with its file, line and column).
    """
    if isinstance(source, Path) and source.is_dir():
        files = {p.name: p.read_bytes() for p in sorted(source.iterdir()) if p.is_file()}
    else:
        data = source.read_bytes() if isinstance(source, Path) else source
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                files = {i.filename: archive.read(i) for i in archive.infolist()
                         if not i.is_dir()}
        except zipfile.BadZipFile:
            raise InvalidInput("the upload is not a zip file", field="file",
                               hint="give a zip of HSDS CSV tables (organizations.csv, "
                                    "services.csv, …) or HSDS JSON") from None
    return _tables_from_files(_resource_paths(files))
