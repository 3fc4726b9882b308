"""The directory as Open Referral HSDS 3.0: export, import and the standard HSDS API's reads.

Exports and the HSDS API serve Kedja's directory with everything imports brought that Kedja does
not model (:func:`kedja.hub.hsds_documents.merged_document`). An import takes any form the
specification publishes (a tabular package as a zip or folder, ``*_full.json``, ``*_list.json``,
Kedja's own document), is for administrators, and is one transaction: all or nothing.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from kedja.core.access import Permission, Principal, require_permission
from kedja.core.audit import AuditAction, AuditEntry
from kedja.core.directory import Directory
from kedja.core.errors import InvalidInput, NotFound
from kedja.hub.hsds import TAXONOMY, TAXONOMY_NAMES, directory_from_hsds, directory_to_hsds
from kedja.hub.hsds_documents import core_document, merged_document, split_document
from kedja.hub.hsds_tabular import CORE_OBJECTS, documents_from_tables, package_bytes, read_package
from kedja.store import hub, records, session_scope
from kedja.store import repositories as repo

__all__ = [
    "HsdsImport",
    "HsdsPage",
    "HsdsQuery",
    "export_directory",
    "hsds_document",
    "hsds_object",
    "hsds_page",
    "hsds_taxonomy",
    "hsds_taxonomy_page",
    "import_directory",
    "import_directory_path",
    "read_hsds",
]

JsonDict = dict[str, Any]


@dataclass(frozen=True, slots=True)
class HsdsImport:
    """What an import stored: Kedja's directory part, and the HSDS objects kept as they came."""

    directory: Directory
    kept: dict[str, int] = field(default_factory=dict)
    """Objects per core type Kedja keeps as HSDS records only (it does not model them)."""


def _operator(principal: Principal | None) -> tuple[str, str | None]:
    """Who imports: an administrator, or (``None``) the local operator at the command line."""
    if principal is None:
        return "operator", None
    require_permission(principal, Permission.MANAGE_DIRECTORY)
    return principal.username, principal.organisation_id


def hsds_document(engine: Engine) -> JsonDict:
    """Kedja's directory and the kept HSDS records, as one HSDS document (public data only)."""
    with session_scope(engine) as session:
        directory = hub.load_directory(session)
        kept = hub.hsds_records(session)
    return merged_document(directory_to_hsds(directory), kept)


def export_directory(engine: Engine, *, fmt: str) -> bytes:
    """The directory as HSDS 3.0 JSON or as the tabular package (a zip with datapackage.json)."""
    document = hsds_document(engine)
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=1).encode()
    if fmt == "zip":
        return package_bytes(document)
    raise InvalidInput(f"{fmt!r} is not a directory format", field="format", value=fmt,
                       hint="use json or zip")


def read_hsds(data: bytes, *, name: str = "") -> JsonDict:
    """Kedja's HSDS document from a file's bytes: a zip package or any HSDS JSON form.

    Raises:
        InvalidInput: neither a zip nor JSON, or an HSDS object Kedja cannot keep.
    """
    if data[:2] == b"PK":
        return core_document(documents_from_tables(read_package(data)))
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(f"{name or 'the file'} is not JSON: {error}", field="file",
                           hint="give HSDS 3.0 JSON or a zip of the HSDS CSV tables") from None
    return core_document(payload, name=name)


def _check_region(session: Any, directory: Directory) -> None:
    known = {m.code for m in repo.list_municipalities(session)}
    for index, org in enumerate(directory.organisations):
        if org.municipality_code not in known:
            raise InvalidInput(f"organization[{index}] is in municipality "
                               f"{org.municipality_code!r}, which the region does not have",
                               field=f"organization[{index}].attributes",
                               value=org.municipality_code,
                               hint="use an SCB municipality code of the region")
    for index, location in enumerate(directory.locations):
        if location.municipality_code not in known:
            raise InvalidInput(f"location[{index}] is in municipality "
                               f"{location.municipality_code!r}, which the region does not have",
                               field=f"location[{index}].attributes",
                               value=location.municipality_code,
                               hint="use an SCB municipality code of the region")


def import_document(engine: Engine, principal: Principal | None,
                    document: JsonDict) -> HsdsImport:
    """Import Kedja's HSDS document in one transaction: all or nothing.

    Kedja's own organisations are added or updated and their services and locations replaced;
    every object (Kedja's or another publisher's) is kept as it came, so an export gives back
    what Kedja does not model.

    Raises:
        Forbidden: only administrators import. InvalidInput: an object Kedja cannot read (named
            with its place and field), a municipality the region does not have, or objects that
            contradict each other (named, never as a database error).
    """
    actor, organisation = _operator(principal)
    own, kept = split_document(document)
    directory = directory_from_hsds(own)
    try:
        with session_scope(engine) as session:
            _check_region(session, directory)
            hub.save_directory(session, directory)
            hub.save_hsds_records(session, kept)
            records.append_audit(session, [AuditEntry(
                at=datetime.now(UTC), actor=actor, organisation_id=organisation,
                action=AuditAction.WRITE,
                subject_type="directory",
                subject_id=f"{len(directory.organisations)} organisations, {len(kept)} objects",
                purpose="hsds import")])
    except IntegrityError as error:
        raise InvalidInput(f"the directory contradicts what is stored: "
                           f"{str(error.orig).splitlines()[0]}", field="file",
                           hint="check that every id is unique and every organization_id, "
                                "service_id and location_id names an object in the file"
                           ) from None
    counts = {kind: sum(1 for r in kept if r.object_type == kind and not r.mapped)
              for kind in CORE_OBJECTS}
    return HsdsImport(directory, counts)


def import_directory(engine: Engine, principal: Principal | None, data: bytes, *,
                     fmt: str = "", name: str = "") -> HsdsImport:
    """Import an HSDS file's bytes: a zip package or JSON in any HSDS form.

    ``fmt`` (``json`` or ``zip``) is checked when given; see :func:`import_document`.
    """
    _operator(principal)
    if fmt not in ("", "json", "zip"):
        raise InvalidInput(f"{fmt!r} is not a directory format", field="format", value=fmt,
                           hint="use json or zip")
    return import_document(engine, principal, read_hsds(data, name=name))


def import_directory_path(engine: Engine, principal: Principal | None,
                          path: Path) -> HsdsImport:
    """Import a tabular package folder, a zip or an HSDS JSON file from disk.

    Raises:
        NotFound: no such file or folder. InvalidInput: as :func:`import_document`.
    """
    _operator(principal)
    if not path.exists():
        raise NotFound(f"{path} does not exist", field="path", value=str(path),
                       hint="give an HSDS folder with datapackage.json, a zip or a JSON file")
    if path.is_dir():
        return import_document(engine, principal,
                               core_document(documents_from_tables(read_package(path))))
    return import_directory(engine, principal, path.read_bytes(), name=path.name)


# The standard HSDS API's reads ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HsdsPage:
    """One page of an HSDS list (the specification's ``Page`` with its ``contents``)."""

    contents: list[JsonDict]
    total_items: int
    page_number: int
    per_page: int

    def as_json(self) -> JsonDict:
        """The page as the HSDS API writes it."""
        pages = max(1, math.ceil(self.total_items / self.per_page))
        return {"total_items": self.total_items, "total_pages": pages,
                "page_number": self.page_number, "size": len(self.contents),
                "first_page": self.page_number == 1, "last_page": self.page_number >= pages,
                "empty": not self.contents, "contents": self.contents}


_ONE_TO_ONE = (str, int, float, bool)


def _flat(obj: JsonDict) -> JsonDict:
    """An object with its one-to-one fields only (the HSDS ``*_list`` shape)."""
    return {k: v for k, v in obj.items() if isinstance(v, _ONE_TO_ONE)}


def _terms(obj: JsonDict) -> set[tuple[str, str]]:
    return {(str(a.get("taxonomy_term_id") or (a.get("taxonomy_term") or {}).get("id")),
             str((a.get("taxonomy_term") or {}).get("taxonomy", "")))
            for a in obj.get("attributes") or []}


def _full(document: JsonDict, kind: str, obj: JsonDict, *, full_service: bool = True) -> JsonDict:
    """The fully nested object, as ``/services/{id}`` and its siblings answer."""
    by_id = {k: {str(o["id"]): o for o in document[k]} for k in CORE_OBJECTS}
    result = dict(obj)
    if kind == "organization":
        services = [s for s in document["service"] if s.get("organization_id") == obj["id"]]
        result["services"] = services if full_service else [{"id": s["id"], "name": s["name"],
                                                             "status": s.get("status", "active")}
                                                            for s in services]
        result["locations"] = [loc for loc in document["location"]
                               if loc.get("organization_id") == obj["id"]]
    elif kind == "service":
        organisation = by_id["organization"].get(str(obj.get("organization_id")))
        if organisation is not None:
            result["organization"] = _flat(organisation)
        result["service_at_locations"] = [
            {**sal, **({"location": by_id["location"][str(sal["location_id"])]}
                       if str(sal.get("location_id")) in by_id["location"] else {})}
            for sal in document["service_at_location"] if sal.get("service_id") == obj["id"]]
    elif kind == "service_at_location":
        location = by_id["location"].get(str(obj.get("location_id")))
        service = by_id["service"].get(str(obj.get("service_id")))
        if location is not None:
            result["location"] = location
        if service is not None:
            result["service"] = _flat(service)
    return result


@dataclass(frozen=True, slots=True)
class HsdsQuery:
    """The HSDS API's list filters (``search``, ``organization_id``, taxonomy, dates, place)."""

    search: str | None = None
    organization_id: str | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    modified_after: str | None = None
    postcode: str | None = None
    proximity_m: float | None = None


def _postcode(text: Any) -> str:
    return "".join(str(text or "").split()).casefold()


def _near(document: JsonDict, query: HsdsQuery) -> set[str]:
    """Locations with the postcode, or within ``proximity_m`` of its centroid (haversine).

    The centroid is the mean position of the directory's locations with that postcode.
    """
    wanted = _postcode(query.postcode)
    at = [loc for loc in document["location"]
          if any(_postcode(a.get("postal_code")) == wanted for a in loc.get("addresses") or [])]
    if query.proximity_m is None:
        return {str(loc["id"]) for loc in at}
    points = [(float(loc["latitude"]), float(loc["longitude"])) for loc in at
              if isinstance(loc.get("latitude"), int | float)
              and isinstance(loc.get("longitude"), int | float)]
    if not points:
        return set()
    lat0, lon0 = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))

    def metres(loc: JsonDict) -> float:
        lat, lon = math.radians(float(loc["latitude"])), math.radians(float(loc["longitude"]))
        a = (math.sin((lat - math.radians(lat0)) / 2) ** 2 + math.cos(lat) * math.cos(
            math.radians(lat0)) * math.sin((lon - math.radians(lon0)) / 2) ** 2)
        return 2 * 6_371_000 * math.asin(math.sqrt(min(1.0, a)))
    return {str(loc["id"]) for loc in document["location"]
            if isinstance(loc.get("latitude"), int | float)
            and isinstance(loc.get("longitude"), int | float)
            and -90 <= loc["latitude"] <= 90 and metres(loc) <= query.proximity_m}


def _filtered(document: JsonDict, kind: str, query: HsdsQuery) -> list[JsonDict]:
    services = {str(s["id"]): s for s in document["service"]}
    items = document[kind]

    def related(obj: JsonDict) -> JsonDict:
        return services.get(str(obj.get("service_id")), {}) if kind == "service_at_location" \
            else obj
    if query.search:
        needle = query.search.casefold()
        items = [o for o in items if needle in " ".join(
            str(related(o).get(k, "")) for k in ("name", "description")).casefold()]
    if query.organization_id and kind != "organization":
        items = [o for o in items if related(o).get("organization_id") == query.organization_id]
    if query.taxonomy_term_id:
        items = [o for o in items
                 if query.taxonomy_term_id in {t for t, _ in _terms(related(o))}]
    if query.taxonomy_id:
        items = [o for o in items if query.taxonomy_id in {x for _, x in _terms(related(o))}]
    if query.modified_after:
        items = [o for o in items
                 if str(related(o).get("last_modified", "")) >= query.modified_after]
    if query.postcode and kind == "service_at_location":
        near = _near(document, query)
        items = [o for o in items if str(o.get("location_id")) in near]
    return list(items)


def hsds_page(engine: Engine, kind: str, *, page: int = 1, per_page: int = 50,
              query: HsdsQuery | None = None, full: bool = False, minimal: bool = False,
              full_service: bool = True) -> HsdsPage:
    """A page of organizations, services or service-at-locations, filtered as HSDS defines.

    ``search`` matches name and description (case-insensitive; a service-at-location by its
    service); ``organization_id`` the owning organisation; ``taxonomy_term_id`` /
    ``taxonomy_id`` an attribute's term or taxonomy; ``modified_after`` a service's
    ``last_modified``; ``postcode`` (service-at-locations) a location's address, or with
    ``proximity_m`` the locations that near its centroid. ``per_page`` 0 is every item.

    Raises:
        InvalidInput: a page or page size out of range.
    """
    if page < 1 or not 0 <= per_page <= 1000:
        raise InvalidInput(f"page {page} with per_page {per_page} is out of range",
                           field="page" if page < 1 else "per_page",
                           value=page if page < 1 else per_page,
                           hint="page counts from 1; per_page is 1 to 1000 (0: all)")
    document = hsds_document(engine)
    items = _filtered(document, kind, query or HsdsQuery())
    size = per_page or max(1, len(items))
    chosen = items[(page - 1) * size: page * size]
    if minimal:
        contents: list[JsonDict] = [{k: o[k] for k in ("id", "last_modified") if k in o}
                                    for o in chosen]
    elif full:
        contents = [_full(document, kind, o, full_service=full_service) for o in chosen]
    else:
        contents = [_flat(o) for o in chosen]
    return HsdsPage(contents, len(items), page, size)


def _taxonomy_terms(document: JsonDict) -> dict[str, JsonDict]:
    terms: dict[str, JsonDict] = {}
    for kind in CORE_OBJECTS:
        for obj in document[kind]:
            for attribute in obj.get("attributes") or []:
                term = attribute.get("taxonomy_term")
                if isinstance(term, dict) and term.get("id") is not None:
                    terms.setdefault(str(term["id"]), term)
    return terms


def _taxonomies(document: JsonDict) -> dict[str, JsonDict]:
    found = {f"{TAXONOMY}:{key}": {"id": f"{TAXONOMY}:{key}", "name": key.replace("_", " "),
                                   "description": text}
             for key, text in TAXONOMY_NAMES.items()}
    for term in _taxonomy_terms(document).values():
        detail = term.get("taxonomy_detail")
        if isinstance(detail, dict) and detail.get("id") is not None:
            found.setdefault(str(detail["id"]), detail)
    return found


def hsds_taxonomy_page(engine: Engine, kind: str, *, page: int = 1, per_page: int = 50,
                       search: str | None = None, taxonomy_id: str | None = None,
                       parent_id: str | None = None, top_only: bool = False) -> HsdsPage:
    """A page of the taxonomies (``kind`` ``taxonomy``) or taxonomy terms the directory uses."""
    document = hsds_document(engine)
    items = list((_taxonomies if kind == "taxonomy" else _taxonomy_terms)(document).values())
    if search:
        items = [i for i in items if search.casefold() in
                 f"{i.get('name', '')} {i.get('description', '')}".casefold()]
    if taxonomy_id:
        items = [i for i in items if taxonomy_id in (i.get("taxonomy"), i.get("taxonomy_id"))]
    if parent_id:
        items = [i for i in items if i.get("parent_id") == parent_id]
    if top_only:
        items = [i for i in items if not i.get("parent_id")]
    size = per_page or max(1, len(items))
    chosen = [{k: v for k, v in i.items() if k != "taxonomy_detail"}
              for i in items[(page - 1) * size: page * size]]
    return HsdsPage(chosen, len(items), page, size)


def hsds_taxonomy(engine: Engine, kind: str, object_id: str) -> JsonDict:
    """One taxonomy or taxonomy term.

    Raises:
        NotFound: the directory uses no such taxonomy or term.
    """
    document = hsds_document(engine)
    found = (_taxonomies if kind == "taxonomy" else _taxonomy_terms)(document).get(object_id)
    if found is None:
        path = "taxonomies" if kind == "taxonomy" else "taxonomy_terms"
        raise NotFound(f"no {kind} {object_id!r} in the directory", field="id",
                       value=object_id, hint=f"list them at /hsds/{path}")
    return {k: v for k, v in found.items() if k != "taxonomy_detail"}


def hsds_object(engine: Engine, kind: str, object_id: str, *,
                full_service: bool = True) -> JsonDict:
    """One fully nested organization, service or service-at-location.

    Raises:
        NotFound: no such object in the public directory.
    """
    document = hsds_document(engine)
    obj = next((o for o in document[kind] if str(o["id"]) == object_id), None)
    if obj is None:
        raise NotFound(f"no {kind} {object_id!r} in the directory", field="id", value=object_id,
                       hint=f"list them at /hsds/{kind}s")
    return _full(document, kind, obj, full_service=full_service)
