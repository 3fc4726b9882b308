"""The standard HSDS API (Open Referral HSDS 3.0, ``schema/openapi.json``) under ``/hsds``.

Read-only and public, like the directory pages: other directories and portals read Kedja's
directory the way they read any HSDS publisher. The paths, parameters and response shapes are
the specification's; ``/hsds`` keeps them apart from Kedja's own routes (``/services`` there
would be ``/hsds/services`` here).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict

from kedja.services import hsds
from kedja.web.api_people import _errors
from kedja.web.deps import EngineDep
from kedja.web.security import PublicDep

__all__ = ["HSDS_OPENAPI_URL", "PREFIX", "router"]

PREFIX = "/hsds"
HSDS_OPENAPI_URL = ("https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
                    "openapi.json")
router = APIRouter(prefix=PREFIX, tags=["hsds"])
ONE = _errors(404, 422)
LIST = _errors(422)

Search = Annotated[str | None, Query(max_length=200, description="Full text search.")]
PageNo = Annotated[int, Query(ge=1, le=1_000_000, description="Page number of paginated result.")]
PerPage = Annotated[int, Query(ge=0, le=1000, description="Number of results requested in a "
                                                           "single page (0: all).")]
Format = Annotated[Literal["json", "ndjson"], Query(
    description="json (a page) or ndjson (every result, one per line, without pagination).")]
TermId = Annotated[str | None, Query(max_length=255, description="Services with this "
                                                                 "taxonomy_term.")]
TaxonomyId = Annotated[str | None, Query(max_length=255, description="Services with any term of "
                                                                     "this taxonomy.")]
OrganizationId = Annotated[str | None, Query(max_length=255, description="Services of this "
                                                                         "organization.")]
ModifiedAfter = Annotated[str | None, Query(max_length=40, description="Services modified on "
                                                                       "or after (ISO 8601).")]
Full = Annotated[bool, Query(description="Return fully nested objects.")]
FullService = Annotated[bool, Query(description="Nest full service information.")]


class HsdsMeta(BaseModel):
    """Information about this API and its relation to HSDS."""

    version: str
    profile: str
    openapi_url: str


class HsdsPagePublic(BaseModel):
    """A page of HSDS objects (the specification's ``Page`` with ``contents``)."""

    model_config = ConfigDict(extra="allow")

    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[dict[str, Any]]


class HsdsObject(BaseModel):
    """One HSDS object, fully nested (fields as in the HSDS 3.0 compiled schema)."""

    model_config = ConfigDict(extra="allow")

    id: str


def _answer(page: hsds.HsdsPage, fmt: str) -> Response:
    if fmt == "ndjson":
        lines = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in page.contents)
        return Response(lines, media_type="application/x-ndjson")
    return JSONResponse(page.as_json())


@router.get("/", response_model=HsdsMeta, responses=LIST)
def hsds_meta(_anyone: PublicDep) -> HsdsMeta:
    """Retrieve information about this API and its relationship with HSDS."""
    return HsdsMeta(version="3.0", profile="https://docs.openreferral.org/en/3.0/",
                    openapi_url=HSDS_OPENAPI_URL)


@router.get("/services", response_model=HsdsPagePublic, responses=LIST)
def hsds_services(engine: EngineDep, _anyone: PublicDep, search: Search = None,
                  page: PageNo = 1, per_page: PerPage = 50, format: Format = "json",
                  taxonomy_term_id: TermId = None, taxonomy_id: TaxonomyId = None,
                  organization_id: OrganizationId = None, modified_after: ModifiedAfter = None,
                  minimal: Annotated[bool, Query(description="Only id and last_modified.")
                                     ] = False,
                  full: Full = False) -> Response:
    """Paginated listings of services with their one-to-one fields (or fully nested)."""
    query = hsds.HsdsQuery(search, organization_id, taxonomy_term_id, taxonomy_id,
                           modified_after)
    return _answer(hsds.hsds_page(engine, "service", page=page,
                                  per_page=0 if format == "ndjson" else per_page, query=query,
                                  full=full, minimal=minimal), format)


@router.get("/services/{id}", response_model=HsdsObject, responses=ONE)
def hsds_service(engine: EngineDep, _anyone: PublicDep, id: str) -> JSONResponse:
    """A fully nested service with all related data."""
    return JSONResponse(hsds.hsds_object(engine, "service", id))


@router.get("/organizations", response_model=HsdsPagePublic, responses=LIST)
def hsds_organizations(engine: EngineDep, _anyone: PublicDep, search: Search = None,
                       full_service: FullService = False, full: Full = False,
                       page: PageNo = 1, per_page: PerPage = 50,
                       format: Format = "json") -> Response:
    """Paginated list of basic organization information (or fully nested)."""
    return _answer(hsds.hsds_page(engine, "organization", page=page,
                                  per_page=0 if format == "ndjson" else per_page,
                                  query=hsds.HsdsQuery(search), full=full,
                                  full_service=full_service), format)


@router.get("/organizations/{id}", response_model=HsdsObject, responses=ONE)
def hsds_organization(engine: EngineDep, _anyone: PublicDep, id: str,
                      full_service: FullService = False) -> JSONResponse:
    """A fully nested organization; its services in brief unless ``full_service``."""
    return JSONResponse(hsds.hsds_object(engine, "organization", id, full_service=full_service))


@router.get("/service_at_locations", response_model=HsdsPagePublic, responses=LIST)
def hsds_service_at_locations(
        engine: EngineDep, _anyone: PublicDep, search: Search = None,
        taxonomy_term_id: TermId = None, taxonomy_id: TaxonomyId = None,
        organization_id: OrganizationId = None, modified_after: ModifiedAfter = None,
        full: Full = False, page: PageNo = 1, per_page: PerPage = 50, format: Format = "json",
        postcode: Annotated[str | None, Query(max_length=16, description="A postcode: "
                                              "locations with it (or near it, with proximity).")
                            ] = None,
        proximity: Annotated[str | None, Query(max_length=12, pattern=r"^[0-9]+(\.[0-9]+)?$",
                                               description="Metres from the centroid of the "
                                                           "postcode's locations.")] = None,
) -> Response:
    """Paginated listings of service-at-locations (or fully nested)."""
    query = hsds.HsdsQuery(search, organization_id, taxonomy_term_id, taxonomy_id,
                           modified_after, postcode,
                           float(proximity) if proximity is not None else None)
    return _answer(hsds.hsds_page(engine, "service_at_location", page=page,
                                  per_page=0 if format == "ndjson" else per_page, query=query,
                                  full=full), format)


@router.get("/service_at_locations/{id}", response_model=HsdsObject, responses=ONE)
def hsds_service_at_location(engine: EngineDep, _anyone: PublicDep, id: str) -> JSONResponse:
    """A fully nested service-at-location with its location and service.

    HSDS 3.0's openapi.json declares ``compiled/service.json`` as this answer's schema, so the
    answer also carries its service's ``name`` and ``status``: it then validates against both
    that and ``compiled/service_at_location.json``.
    """
    found = hsds.hsds_object(engine, "service_at_location", id)
    service = found.get("service") or {}
    return JSONResponse({"name": service.get("name", ""), "status": service.get("status",
                                                                                "active"),
                         **found})


@router.get("/taxonomies", response_model=HsdsPagePublic, responses=LIST)
def hsds_taxonomies(engine: EngineDep, _anyone: PublicDep, search: Search = None,
                    page: PageNo = 1, per_page: PerPage = 50,
                    format: Format = "json") -> Response:
    """Paginated listing of the taxonomies the directory's attributes use."""
    return _answer(hsds.hsds_taxonomy_page(engine, "taxonomy", page=page,
                                           per_page=0 if format == "ndjson" else per_page,
                                           search=search), format)


@router.get("/taxonomies/{id}", response_model=HsdsObject, responses=ONE)
def hsds_taxonomy(engine: EngineDep, _anyone: PublicDep, id: str) -> JSONResponse:
    """Full information on a taxonomy."""
    return JSONResponse(hsds.hsds_taxonomy(engine, "taxonomy", id))


@router.get("/taxonomy_terms", response_model=HsdsPagePublic, responses=LIST)
def hsds_taxonomy_terms(engine: EngineDep, _anyone: PublicDep, search: Search = None,
                        page: PageNo = 1, per_page: PerPage = 50, format: Format = "json",
                        taxonomy_id: TaxonomyId = None,
                        top_only: Annotated[bool, Query(description="Only terms without a "
                                                                    "parent.")] = False,
                        parent_id: Annotated[str | None, Query(max_length=255)] = None,
                        ) -> Response:
    """Paginated listing of taxonomy terms."""
    return _answer(hsds.hsds_taxonomy_page(engine, "taxonomy_term", page=page,
                                           per_page=0 if format == "ndjson" else per_page,
                                           search=search, taxonomy_id=taxonomy_id,
                                           parent_id=parent_id, top_only=top_only), format)


@router.get("/taxonomy_terms/{id}", response_model=HsdsObject, responses=ONE)
def hsds_taxonomy_term(engine: EngineDep, _anyone: PublicDep, id: str) -> JSONResponse:
    """Full information on a taxonomy term."""
    return JSONResponse(hsds.hsds_taxonomy(engine, "taxonomy_term", id))
