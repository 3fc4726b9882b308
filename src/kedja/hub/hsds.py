"""The directory as Open Referral HSDS 3.0: JSON objects and the tabular (CSV) package.

Kedja's directory maps onto the four core HSDS objects: ``organization``, ``service``,
``location`` and ``service_at_location``, with ``address`` (a location's physical address),
``service_capacity`` and ``unit`` (an ASF's placements, a course's seats) and ``attribute`` with
``taxonomy_term`` for what HSDS has no field for: an organisation's kind, municipality (SCB
code), SNI code and ASF services, and a service's category. The field names are HSDS 3.0's.

The JSON form is one object with a list per core object (``organization``, ``service``,
``location``, ``service_at_location``), each with its HSDS sub-objects nested; the tabular form
is a table per object, with the nested sub-objects in their own tables pointing back by
``*_id`` (``address.location_id``, ``service_capacity.service_id``, ``attribute.link_id``).

Examples:
    >>> from kedja.core.organisations import OrganisationKind
    >>> d = Directory(organisations=(Organisation("ASF001", "Städkooperativet",
    ...                                            OrganisationKind.ASF, "2580"),))
    >>> directory_from_hsds(directory_to_hsds(d)) == d
    True
    >>> directory_from_hsds(directory_from_tables_json(hsds_tables(directory_to_hsds(d)))) == d
    True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from kedja.core.directory import Directory, HubService, Location, ServiceAtLocation
from kedja.core.errors import InvalidInput
from kedja.core.organisations import AsfProfile, Organisation
from kedja.hub.hsds_tabular import (
    CORE_OBJECTS,
    documents_from_tables,
    package_bytes,
    read_package,
    tables_from_documents,
)

__all__ = [
    "CORE_OBJECTS",
    "directory_from_hsds",
    "directory_from_tables_json",
    "directory_from_zip",
    "directory_to_hsds",
    "directory_to_zip",
    "hsds_tables",
]

TAXONOMY = "kedja"
UPDATED = "2026-01-01T00:00:00+00:00"
TAXONOMY_NAMES = {
    "organisation_kind": "Kedja organisation kind", "municipality": "SCB municipality code",
    "sni": "SNI 2007 industry code", "asf_placement_capacity": "ASF placement capacity",
    "asf_service": "service an ASF sells to businesses",
    "service_category": "Kedja service category"}
"""Descriptions of Kedja's taxonomies (HSDS requires a ``taxonomy_term.description``)."""

JsonDict = dict[str, Any]


def _present(obj: JsonDict) -> JsonDict:
    """The object without its absent (``None``) fields: HSDS wants a value or no field."""
    return {key: value for key, value in obj.items() if value is not None}


def _attribute(link_id: str, link_type: str, taxonomy: str, code: str,
               value: str | None = None) -> JsonDict:
    term = f"{TAXONOMY}:{taxonomy}:{code}"
    return _present({
        "id": f"{link_id}:{taxonomy}:{code}", "link_id": link_id, "link_type": link_type,
        "link_entity": link_type, "taxonomy_term_id": term, "value": value,
        "taxonomy_term": {"id": term, "code": code, "name": code,
                          "description": f"{TAXONOMY_NAMES[taxonomy]}: {code}",
                          "taxonomy": f"{TAXONOMY}:{taxonomy}"}})


def _organisation(org: Organisation) -> JsonDict:
    attrs = [_attribute(org.id, "organization", "organisation_kind", org.kind.value),
             _attribute(org.id, "organization", "municipality", org.municipality_code)]
    if org.sni is not None:
        attrs.append(_attribute(org.id, "organization", "sni", org.sni))
    if org.asf is not None:
        attrs.append(_attribute(org.id, "organization", "asf_placement_capacity", "capacity",
                                str(org.asf.placement_capacity)))
        attrs += [_attribute(org.id, "organization", "asf_service", s)
                  for s in org.asf.services_offered]
    return _present({"id": org.id, "name": org.name, "description": "",
                     "tax_id": org.org_number, "attributes": attrs})


def _service(service: HubService) -> JsonDict:
    capacities = []
    if service.capacity is not None:
        unit = service.capacity_unit
        capacities.append(_present({
            "id": f"{service.id}:capacity", "service_id": service.id, "unit_id": f"unit:{unit}",
            "unit": {"id": f"unit:{unit}", "name": unit}, "available": service.available,
            "maximum": service.capacity, "description": "", "updated": UPDATED}))
    return _present({
        "id": service.id, "organization_id": service.organisation_id, "name": service.name,
        "description": service.description, "email": service.email, "url": service.url,
        "status": service.status, "capacities": capacities,
        "attributes": [_attribute(service.id, "service", "service_category",
                                  service.category.value)]})


def _location(location: Location) -> JsonDict:
    return {"id": location.id, "location_type": "physical",
            "organization_id": location.organisation_id, "name": location.name,
            "latitude": location.latitude, "longitude": location.longitude,
            "addresses": [{"id": f"{location.id}:address", "location_id": location.id,
                           "address_1": location.address_1, "city": location.city,
                           "postal_code": location.postal_code, "state_province": "",
                           "country": "SE", "address_type": "physical"}],
            "attributes": [_attribute(location.id, "location", "municipality",
                                      location.municipality_code)]}


def directory_to_hsds(directory: Directory) -> JsonDict:
    """The directory as HSDS 3.0 JSON objects, one list per core object; O(size)."""
    return {
        "organization": [_organisation(o) for o in directory.organisations],
        "service": [_service(s) for s in directory.services],
        "location": [_location(loc) for loc in directory.locations],
        "service_at_location": [{"id": sal.id, "service_id": sal.service_id,
                                 "location_id": sal.location_id, "description": ""}
                                for sal in directory.service_at_locations],
    }


def _terms(obj: JsonDict) -> dict[str, list[JsonDict]]:
    found: dict[str, list[JsonDict]] = defaultdict(list)
    for attribute in obj.get("attributes") or []:
        term = attribute.get("taxonomy_term") or {}
        taxonomy = str(term.get("taxonomy", "")).removeprefix(f"{TAXONOMY}:")
        found[taxonomy].append({"code": str(term.get("code", "")), "value": attribute.get("value")})
    return found


def _one(terms: dict[str, list[JsonDict]], taxonomy: str, where: str) -> str:
    values = terms.get(taxonomy) or []
    if len(values) != 1:
        raise InvalidInput(f"{where} has {len(values)} '{TAXONOMY}:{taxonomy}' attributes",
                           field=f"{where}.attributes", value=len(values),
                           hint=f"give exactly one attribute with taxonomy "
                                f"'{TAXONOMY}:{taxonomy}'")
    return str(values[0]["code"])


def _optional(value: Any) -> Any:
    return None if value in (None, "") else value


def _parse_organisation(obj: JsonDict, where: str) -> Organisation:
    terms = _terms(obj)
    asf = None
    if terms.get("asf_placement_capacity"):
        capacity = int(terms["asf_placement_capacity"][0]["value"])
        asf = AsfProfile(tuple(t["code"] for t in terms.get("asf_service", [])), capacity)
    sni = terms.get("sni")
    return Organisation(str(obj["id"]), str(obj["name"]), _one(terms, "organisation_kind", where),  # type: ignore[arg-type]
                        _one(terms, "municipality", where),  # type: ignore[arg-type]
                        org_number=_optional(obj.get("tax_id")),
                        sni=sni[0]["code"] if sni else None, asf=asf)


def _parse_service(obj: JsonDict, where: str) -> HubService:
    capacities = obj.get("capacities") or []
    capacity = capacities[0] if capacities else None
    def number(v: Any) -> int | None:
        return None if _optional(v) is None else int(float(v))

    return HubService(
        str(obj["id"]), str(obj["organization_id"]), str(obj["name"]),
        _one(_terms(obj), "service_category", where),  # type: ignore[arg-type]
        description=str(obj.get("description") or ""), status=str(obj.get("status") or "active"),
        email=_optional(obj.get("email")), url=_optional(obj.get("url")),
        capacity=number(capacity["maximum"]) if capacity else None,
        available=number(capacity["available"]) if capacity else None,
        capacity_unit=str(capacity["unit"]["name"]) if capacity else "placements")


def _parse_location(obj: JsonDict, where: str) -> Location:
    address = (obj.get("addresses") or [{}])[0]
    return Location(str(obj["id"]), str(obj["organization_id"]), str(obj.get("name") or ""),
                    _one(_terms(obj), "municipality", where), float(obj["latitude"]),
                    float(obj["longitude"]), address_1=str(address.get("address_1") or ""),
                    city=str(address.get("city") or ""),
                    postal_code=str(address.get("postal_code") or ""))


def directory_from_hsds(document: Mapping[str, Any]) -> Directory:
    """A directory from HSDS 3.0 JSON (as :func:`directory_to_hsds` writes it).

    Raises:
        InvalidInput: a missing core list, a missing field or a value Kedja cannot read; the
            message names the object (``service[3]``) and the field.
    """
    parsed: dict[str, list[Any]] = {}
    parsers = {"organization": _parse_organisation, "service": _parse_service,
               "location": _parse_location,
               "service_at_location": lambda o, _w: ServiceAtLocation(
                   str(o["id"]), str(o["service_id"]), str(o["location_id"]))}
    for name in CORE_OBJECTS:
        items = document.get(name)
        if not isinstance(items, list):
            raise InvalidInput(f"the HSDS document has no list '{name}'", field=name,
                               hint=f"give '{name}' as a list (it may be empty)")
        parsed[name] = []
        for index, obj in enumerate(items):
            where = f"{name}[{index}]"
            try:
                parsed[name].append(parsers[name](obj, where))
            except KeyError as missing:
                raise InvalidInput(f"{where} has no field {missing}", field=f"{where}.{missing}",
                                   hint="add the field (HSDS 3.0 requires it)") from None
            except (TypeError, ValueError) as error:
                raise InvalidInput(f"{where} cannot be read: {error}", field=where,
                                   hint="check the field types against HSDS 3.0") from None
    return Directory(tuple(parsed["organization"]), tuple(parsed["service"]),
                     tuple(parsed["location"]), tuple(parsed["service_at_location"]))


def hsds_tables(document: Mapping[str, Any]) -> dict[str, list[JsonDict]]:
    """The HSDS JSON as tabular-package rows (one list per object, nested arrays pulled out)."""
    return tables_from_documents(document)


def directory_from_tables_json(tables: Mapping[str, list[JsonDict]]) -> JsonDict:
    """Nest tabular-package rows back into HSDS JSON (the inverse of :func:`hsds_tables`)."""
    return documents_from_tables(tables)


def directory_to_zip(directory: Directory) -> bytes:
    """The directory as the HSDS tabular package: CSV tables and ``datapackage.json`` in a zip."""
    return package_bytes(directory_to_hsds(directory))


def directory_from_zip(data: bytes) -> Directory:
    """A directory from a zip of HSDS CSV tables.

    Raises:
        InvalidInput: not a zip, or a table that cannot be read (named with its line).
    """
    return directory_from_hsds(documents_from_tables(read_package(data)))
