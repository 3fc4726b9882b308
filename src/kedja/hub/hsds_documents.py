"""HSDS 3.0 documents in every form the specification publishes, and what Kedja keeps of them.

HSDS data comes as a tabular package (see :mod:`kedja.hub.hsds_tabular`), as one fully nested
object (``organization_full.json``: an organisation with its services and locations inside;
``service_full.json``: a service with its organisation and its service-at-locations, each with
its location), as a page of a list (``service_list.json``: ``{"total_items": …, "contents":
[…]}``) or as Kedja's own document (a list per core object). :func:`core_document` turns any of
them into Kedja's document: one list per core object, each object once, with its non-core
sub-objects (phones, schedules, contacts, …) nested as they came.

Kedja's directory models its own objects: an organisation with a Kedja kind and municipality
(``kedja:organisation_kind`` and ``kedja:municipality`` attributes), its services with a
``kedja:service_category``, its locations in a municipality. :func:`split_document` separates
those from the rest; everything else an import brings (another publisher's organisations, the
phones and schedules of Kedja's own) is kept as HSDS records and written back by
:func:`merged_document`, so that an import loses nothing.

Examples:
    >>> service = {"id": "s1", "name": "Counselling", "status": "active",
    ...            "organization": {"id": "o1", "name": "Org", "description": ""},
    ...            "service_at_locations": [{"id": "sl1", "location": {"id": "l1",
    ...                                      "location_type": "physical"}}]}
    >>> doc = core_document(service)
    >>> [len(doc[k]) for k in ("organization", "service", "location", "service_at_location")]
    [1, 1, 1, 1]
    >>> doc["service_at_location"][0]
    {'id': 'sl1', 'location_id': 'l1', 'service_id': 's1'}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kedja.core.directory import HsdsRecord
from kedja.core.errors import InvalidInput
from kedja.hub.hsds import TAXONOMY
from kedja.hub.hsds_tabular import CORE_OBJECTS

__all__ = ["HsdsRecord", "core_document", "merged_document", "split_document"]

JsonDict = dict[str, Any]
REQUIRED = {"organization": ("id", "name"), "service": ("id", "name"), "location": ("id",),
            "service_at_location": ("id",)}
"""Fields without which Kedja cannot keep an object (HSDS 3.0 requires them too)."""


def _kind_of(obj: Mapping[str, Any], hint: str) -> str:
    for name in sorted(CORE_OBJECTS, key=len, reverse=True):
        if hint.startswith(name):
            return name
    if isinstance(obj.get("location"), Mapping) or isinstance(obj.get("service"), Mapping) or (
            "service_id" in obj and "location_id" in obj):
        return "service_at_location"
    if {"status", "service_at_locations", "organization_id"} & set(obj) or isinstance(
            obj.get("organization"), Mapping):
        return "service"
    if {"location_type", "latitude", "addresses"} & set(obj):
        return "location"
    return "organization"


class _Collector:
    def __init__(self) -> None:
        self.found: dict[str, dict[str, JsonDict]] = {name: {} for name in CORE_OBJECTS}

    def add(self, kind: str, obj: Any, where: str, **links: str) -> str:
        if not isinstance(obj, Mapping):
            raise InvalidInput(f"{where} is not an object", field=where,
                               hint=f"give each {kind} as a JSON object")
        for name in REQUIRED[kind]:
            if obj.get(name) in (None, ""):
                raise InvalidInput(f"{where} has no field {name!r}", field=f"{where}.{name}",
                                   hint="add the field (HSDS 3.0 requires it)")
        own = dict(obj)
        self._pull_nested(kind, own, where)
        for key, value in links.items():
            own.setdefault(key, value)
        stored = self.found[kind].setdefault(str(own["id"]), {})
        for key, value in own.items():
            stored.setdefault(key, value)
        return str(own["id"])

    def _pull_nested(self, kind: str, own: JsonDict, where: str) -> None:
        """Move nested core objects to their own lists, leaving the ``*_id`` link behind."""
        oid = str(own["id"])
        if kind == "organization":
            for i, service in enumerate(own.pop("services", None) or []):
                self.add("service", service, f"{where}.services[{i}]", organization_id=oid)
            for i, location in enumerate(own.pop("locations", None) or []):
                self.add("location", location, f"{where}.locations[{i}]", organization_id=oid)
        elif kind == "service":
            if isinstance(own.get("organization"), Mapping):
                own.setdefault("organization_id",
                               self.add("organization", own.pop("organization"),
                                        f"{where}.organization"))
            for i, sal in enumerate(own.pop("service_at_locations", None) or []):
                self.add("service_at_location", sal, f"{where}.service_at_locations[{i}]",
                         service_id=oid)
        elif kind == "service_at_location":
            for key in ("location", "service"):
                if isinstance(own.get(key), Mapping):
                    own.setdefault(f"{key}_id", self.add(key, own.pop(key), f"{where}.{key}"))

    def document(self) -> JsonDict:
        return {name: list(objs.values()) for name, objs in self.found.items()}


def core_document(payload: Any, *, name: str = "") -> JsonDict:
    """Kedja's HSDS document (a list per core object) from any HSDS JSON form; O(size).

    ``name`` (a file name such as ``service_list.json``) says which object a single object or
    a list holds; without it the object's fields tell.

    Raises:
        InvalidInput: not an HSDS object, page or document; an object without ``id`` (or
            ``name``), named by its place (``service[3]``, ``contents[0].organization``).
    """
    collector = _Collector()
    hint = name.rsplit("/", 1)[-1]
    if isinstance(payload, Mapping) and any(isinstance(payload.get(k), list)
                                            for k in CORE_OBJECTS):
        for kind in CORE_OBJECTS:
            for index, obj in enumerate(payload.get(kind) or []):
                collector.add(kind, obj, f"{kind}[{index}]")
    elif (isinstance(payload, Mapping) and isinstance(payload.get("contents"), list)) or (
            isinstance(payload, list)):
        items = payload["contents"] if isinstance(payload, Mapping) else payload
        for index, obj in enumerate(items):
            where = f"contents[{index}]" if isinstance(payload, Mapping) else f"[{index}]"
            kind = _kind_of(obj, hint) if isinstance(obj, Mapping) else "organization"
            collector.add(kind, obj, where)
    elif isinstance(payload, Mapping) and "id" in payload:
        collector.add(_kind_of(payload, hint), payload, _kind_of(payload, hint))
    else:
        raise InvalidInput("the JSON is not an HSDS object, list page or document",
                           field="file", hint="give an HSDS 3.0 object (organization_full.json), "
                           "a list page (service_list.json) or a list per core object")
    return collector.document()


def _taxonomies(obj: Mapping[str, Any]) -> set[str]:
    return {str((a.get("taxonomy_term") or {}).get("taxonomy", ""))
            for a in obj.get("attributes") or [] if isinstance(a, Mapping)}


def _mapped_ids(document: Mapping[str, list[JsonDict]]) -> dict[str, set[str]]:
    orgs = {str(o["id"]) for o in document["organization"]
            if {f"{TAXONOMY}:organisation_kind", f"{TAXONOMY}:municipality"} <= _taxonomies(o)}
    services = {str(s["id"]) for s in document["service"]
                if str(s.get("organization_id")) in orgs
                and f"{TAXONOMY}:service_category" in _taxonomies(s)}
    locations = {str(loc["id"]) for loc in document["location"]
                 if str(loc.get("organization_id")) in orgs
                 and f"{TAXONOMY}:municipality" in _taxonomies(loc)}
    links = {str(sal["id"]) for sal in document["service_at_location"]
             if str(sal.get("service_id")) in services
             and str(sal.get("location_id")) in locations}
    return {"organization": orgs, "service": services, "location": locations,
            "service_at_location": links}


def split_document(document: Mapping[str, list[JsonDict]]) -> tuple[JsonDict, list[HsdsRecord]]:
    """Kedja's own objects (as an HSDS document) and every object as a record to keep.

    An object is Kedja's when its organisation carries a Kedja kind and municipality and it
    carries its own Kedja classification (a service's category, a location's municipality);
    a service-at-location when both ends are Kedja's.
    """
    mapped = _mapped_ids(document)
    own = {kind: [o for o in document[kind] if str(o["id"]) in mapped[kind]]
           for kind in CORE_OBJECTS}
    records = [HsdsRecord(kind, str(o["id"]), o, str(o["id"]) in mapped[kind])
               for kind in CORE_OBJECTS for o in document[kind]]
    return own, records


def merged_document(document: Mapping[str, list[JsonDict]],
                    records: list[HsdsRecord]) -> JsonDict:
    """Kedja's HSDS document with what imports brought that Kedja does not model.

    A record of a Kedja object adds the fields Kedja does not write (its phones, schedules, …);
    a record Kedja does not model is written as it came, after Kedja's objects, by id; a record
    of a Kedja object since deleted is dropped.
    """
    merged: JsonDict = {}
    for kind in CORE_OBJECTS:
        objects = [dict(o) for o in document.get(kind, [])]
        by_id = {str(o["id"]): o for o in objects}
        extra = []
        for record in sorted((r for r in records if r.object_type == kind), key=lambda r: r.id):
            if record.id in by_id:
                for key, value in record.document.items():
                    by_id[record.id].setdefault(key, value)
            elif not record.mapped:
                extra.append(record.document)
        merged[kind] = objects + extra
    return merged
