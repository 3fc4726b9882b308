"""Organisations: the actors that work together in Kedja."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kedja.core.errors import InvalidInput
from kedja.core.ids import MunicipalityCode, OrganisationId
from kedja.core.validation import digits, enum_value, in_range, non_empty, organisation_number

__all__ = ["AsfProfile", "Organisation", "OrganisationKind"]


class OrganisationKind(StrEnum):
    """The kinds of organisation Kedja serves."""

    EMPLOYER = "employer"
    ASF = "asf"
    MUNICIPALITY = "municipality"
    EMPLOYMENT_SERVICE = "employment_service"
    EDUCATION_PROVIDER = "education_provider"
    BUSINESS_ORG = "business_org"


@dataclass(frozen=True, slots=True)
class AsfProfile:
    """What a work-integrated social enterprise sells to businesses and how many it can take."""

    services_offered: tuple[str, ...]
    placement_capacity: int

    def __post_init__(self) -> None:
        in_range(self.placement_capacity, 0, 10_000, field="asf.placement_capacity")


@dataclass(frozen=True, slots=True)
class Organisation:
    """An employer, ASF, municipality, Employment Service office, school or business body."""

    id: OrganisationId
    name: str
    kind: OrganisationKind
    municipality_code: MunicipalityCode
    org_number: str | None = None
    sni: str | None = None
    asf: AsfProfile | None = None

    def __post_init__(self) -> None:
        non_empty(self.id, field="organisation.id")
        non_empty(self.name, field="organisation.name")
        object.__setattr__(self, "kind", enum_value(OrganisationKind, self.kind, field="kind"))
        digits(self.municipality_code, 4, field="organisation.municipality_code")
        if self.org_number is not None:
            object.__setattr__(self, "org_number", organisation_number(self.org_number))
        if self.sni is not None and not (self.sni[:1].isalpha() or self.sni[:2].isdigit()):
            raise InvalidInput(
                f"{self.sni!r} is not an SNI 2007 code",
                field="organisation.sni",
                value=self.sni,
                hint="give the SNI section letter or a 2–5 digit SNI code, for instance '86'",
            )
        if self.asf is not None and self.kind is not OrganisationKind.ASF:
            raise InvalidInput(
                f"only an ASF has an ASF profile, not a {self.kind.value}",
                field="organisation.asf",
                hint="set kind to 'asf' or drop the ASF profile",
            )
