"""The region's directory of actors (Open Referral HSDS 3.0 shaped) and its offers and needs.

An organisation (:mod:`kedja.core.organisations`) provides **services** (what an ASF sells to
businesses, a provider's course, an employer's recruitment) at **locations**; a service is
delivered at a location through a **service at location** link, as in HSDS 3.0. Actors post
**needs** (a service to buy, a recruitment, a placement they can offer) and **offers**; an
**agreement** records what two actors agreed, with dates. None of this holds personal data.

Examples:
    >>> HubService("S1", "ASF001", "Städ", ServiceCategory.CLEANING, capacity=6).capacity_unit
    'placements'
    >>> Posting("N1", "EMP1", PostingSide.NEED, PostingKind.SERVICE_PURCHASE,
    ...         ServiceCategory.CATERING, "Lunch", "2580", posted=date(2026, 1, 5)).status
    'open'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from kedja.core.errors import InvalidInput
from kedja.core.organisations import Organisation
from kedja.core.validation import digits, enum_value, in_range, non_empty, ordered_dates

__all__ = [
    "Agreement",
    "Directory",
    "HsdsRecord",
    "HubService",
    "Location",
    "Posting",
    "PostingKind",
    "PostingSide",
    "ServiceAtLocation",
    "ServiceCategory",
]


class ServiceCategory(StrEnum):
    """What a service is about: what ASFs sell, courses, recruitment and placements."""

    CLEANING = "cleaning"
    CATERING = "catering"
    CARPENTRY = "carpentry"
    RECYCLING = "recycling"
    PROPERTY_CARE = "property_care"
    LAUNDRY = "laundry"
    SECOND_HAND = "second_hand"
    GARDENING = "gardening"
    REMOVALS = "removals"
    REPAIRS = "repairs"
    CAFE = "cafe"
    COURSE = "course"
    RECRUITMENT = "recruitment"
    PLACEMENT = "placement"
    OTHER = "other"


class PostingSide(StrEnum):
    """A need (someone wants it) or an offer (someone provides it)."""

    NEED = "need"
    OFFER = "offer"


class PostingKind(StrEnum):
    """What is needed or offered."""

    SERVICE_PURCHASE = "service_purchase"
    RECRUITMENT = "recruitment"
    PLACEMENT = "placement"
    SERVICE = "service"
    TRAINING = "training"


@dataclass(frozen=True, slots=True)
class HubService:
    """A service an organisation provides (HSDS ``service``), with its capacity.

    ``capacity`` is the HSDS ``service_capacity.maximum`` in ``capacity_unit`` (placements for
    an ASF, seats for a course, positions for a recruitment); ``available`` how many are free.
    """

    id: str
    organisation_id: str
    name: str
    category: ServiceCategory
    description: str = ""
    status: str = "active"
    email: str | None = None
    url: str | None = None
    capacity: int | None = None
    available: int | None = None
    capacity_unit: str = "placements"

    def __post_init__(self) -> None:
        non_empty(self.id, field="service.id")
        non_empty(self.name, field="service.name")
        object.__setattr__(self, "category",
                           enum_value(ServiceCategory, self.category, field="service.category"))
        if self.status not in ("active", "inactive", "defunct", "temporarily closed"):
            raise InvalidInput(f"{self.status!r} is not an HSDS service status",
                               field="service.status", value=self.status,
                               hint="use active, inactive, defunct or 'temporarily closed'")
        if self.capacity is not None and self.available is None:
            object.__setattr__(self, "available", self.capacity)
        for name in ("capacity", "available"):
            value = getattr(self, name)
            if value is not None:
                in_range(value, 0, 1_000_000, field=f"service.{name}")


@dataclass(frozen=True, slots=True)
class Location:
    """A physical place where an organisation works (HSDS ``location`` with one address)."""

    id: str
    organisation_id: str
    name: str
    municipality_code: str
    latitude: float
    longitude: float
    address_1: str = ""
    city: str = ""
    postal_code: str = ""

    def __post_init__(self) -> None:
        non_empty(self.id, field="location.id")
        digits(self.municipality_code, 4, field="location.municipality_code")
        in_range(self.latitude, -90.0, 90.0, field="location.latitude")
        in_range(self.longitude, -180.0, 180.0, field="location.longitude")


@dataclass(frozen=True, slots=True)
class ServiceAtLocation:
    """A service delivered at a location (HSDS ``service_at_location``)."""

    id: str
    service_id: str
    location_id: str


@dataclass(frozen=True, slots=True)
class Posting:
    """A need or an offer on the hub, with the procurement flags a public buyer may set."""

    id: str
    organisation_id: str
    side: PostingSide
    kind: PostingKind
    category: ServiceCategory
    title: str
    municipality_code: str
    posted: date
    description: str = ""
    quantity: int = 1
    reserved_contract: bool = False
    social_criteria: bool = False
    valid_until: date | None = None
    status: str = "open"

    def __post_init__(self) -> None:
        non_empty(self.id, field="posting.id")
        non_empty(self.title, field="posting.title")
        object.__setattr__(self, "side", enum_value(PostingSide, self.side, field="side"))
        object.__setattr__(self, "kind", enum_value(PostingKind, self.kind, field="kind"))
        object.__setattr__(self, "category",
                           enum_value(ServiceCategory, self.category, field="category"))
        digits(self.municipality_code, 4, field="posting.municipality_code")
        in_range(self.quantity, 1, 100_000, field="posting.quantity")
        ordered_dates(self.posted, self.valid_until, field="posting.valid_until")
        if self.side is PostingSide.OFFER and (self.reserved_contract or self.social_criteria):
            raise InvalidInput("only a need can be marked for a reserved contract or social "
                               "procurement criteria", field="posting.reserved_contract",
                               hint="post it as a need, or drop the procurement flags")
        if self.status not in ("open", "closed"):
            raise InvalidInput(f"{self.status!r} is not a posting status", field="status",
                               value=self.status, hint="use open or closed")


@dataclass(frozen=True, slots=True)
class Agreement:
    """What two actors agreed, from when to when (for instance a cleaning contract)."""

    id: str
    buyer_organisation_id: str
    supplier_organisation_id: str
    starts: date
    terms: str
    ends: date | None = None
    need_id: str | None = None
    offer_id: str | None = None

    def __post_init__(self) -> None:
        non_empty(self.terms, field="agreement.terms")
        ordered_dates(self.starts, self.ends, field="agreement.ends")
        if self.buyer_organisation_id == self.supplier_organisation_id:
            raise InvalidInput("an agreement needs two organisations",
                               field="agreement.supplier_organisation_id",
                               value=self.supplier_organisation_id,
                               hint="name the other party as supplier")


@dataclass(frozen=True, slots=True)
class HsdsRecord:
    """An imported HSDS core object as it came; ``mapped`` when the directory models it."""

    object_type: str
    id: str
    document: dict[str, Any]
    mapped: bool


@dataclass(frozen=True, slots=True)
class Directory:
    """The whole directory: organisations, their services and locations, and the links."""

    organisations: tuple[Organisation, ...] = ()
    services: tuple[HubService, ...] = ()
    locations: tuple[Location, ...] = ()
    service_at_locations: tuple[ServiceAtLocation, ...] = field(default=())
