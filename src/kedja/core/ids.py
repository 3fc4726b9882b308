"""Identifier and code types.

Codes have their own types so a signature says which code it wants, and two parameters of
one type are keyword-only.
"""

from __future__ import annotations

from typing import NewType

__all__ = [
    "CountyCode",
    "EstablishmentId",
    "FunctionalAreaCode",
    "IscoCode",
    "LocalityId",
    "MunicipalityCode",
    "OccupationCode",
    "OpportunityId",
    "OrganisationId",
    "PersonId",
    "ReferralId",
    "SkillId",
]

PersonId = NewType("PersonId", str)
"""Pseudonymous id of a person; never a personal identity number."""
OrganisationId = NewType("OrganisationId", str)
OpportunityId = NewType("OpportunityId", str)
EstablishmentId = NewType("EstablishmentId", str)
ReferralId = NewType("ReferralId", str)
MunicipalityCode = NewType("MunicipalityCode", str)
"""SCB's four-digit municipality code, e.g. ``'2580'`` for Luleå."""
CountyCode = NewType("CountyCode", str)
"""SCB's two-digit county code, e.g. ``'25'`` for Norrbotten."""
FunctionalAreaCode = NewType("FunctionalAreaCode", str)
"""SCB's functional labour-market area (FA region) code."""
LocalityId = NewType("LocalityId", str)
OccupationCode = NewType("OccupationCode", str)
"""SSYK 2012 unit group, four digits, e.g. ``'5321'``."""
IscoCode = NewType("IscoCode", str)
"""ISCO-08 unit group, four digits."""
SkillId = NewType("SkillId", str)
"""A skill's concept id (JobTech concept id or ESCO URI)."""
