"""The demo region's organisations.

Municipalities, the Employment Service, regions, employers, ASFs and schools.
"""

from __future__ import annotations

import numpy as np

from kedja.core.ids import (
    MunicipalityCode,
    OrganisationId,
)
from kedja.core.organisations import AsfProfile, Organisation, OrganisationKind
from kedja.demo import catalogue
from kedja.demo.context import (
    DemoContext,
    municipality_weights,
    org_number,
)

__all__ = [
    "education_providers",
    "private_employers",
    "public_organisations",
    "social_enterprises",
]


def public_organisations(ctx: DemoContext) -> list[Organisation]:
    """Municipalities, the Employment Service and the regions (as care employers), and a business body."""
    orgs = []
    for m in ctx.region.municipalities:
        org_id = OrganisationId(f"KOM{m.code}")
        ctx.municipal_org[m.code] = org_id
        orgs.append(Organisation(org_id, f"{m.name} kommun", OrganisationKind.MUNICIPALITY,
                                 m.code, sni="84"))
        for sector in ("care", "education", "public", "cleaning", "hospitality"):
            ctx.employers[m.code][sector].append(org_id)
    seats = {"24": ("2480", "Västerbotten"), "25": ("2580", "Norrbotten")}
    for county in ctx.region.counties:
        code, name = seats.get(county.code, (ctx.region.municipalities[0].code, county.name))
        orgs.append(Organisation(OrganisationId(f"AF{county.code}"),
                                 f"Arbetsförmedlingen {name}",
                                 OrganisationKind.EMPLOYMENT_SERVICE, MunicipalityCode(code),
                                 sni="84"))
        region_id = OrganisationId(f"REG{county.code}")
        orgs.append(Organisation(region_id, f"Region {name}", OrganisationKind.EMPLOYER,
                                 MunicipalityCode(code), sni="86"))
        for m in ctx.region.municipalities:
            if m.county_code == county.code:
                ctx.employers[m.code]["care"].append(region_id)
    orgs.append(Organisation(OrganisationId("BUS001"), "Företagarna Övre Norrland (demo)",
                             OrganisationKind.BUSINESS_ORG, MunicipalityCode("2580")))
    return orgs


def private_employers(ctx: DemoContext, count: int) -> list[Organisation]:
    """Private employers, spread by population and by the sectors' share of the region's ads."""
    municipalities, weights = municipality_weights(ctx)
    sectors = sorted(catalogue.EMPLOYER_WORDS)
    sector_weight = np.array([_sector_ads(ctx, s) for s in sectors], dtype=float) + 1.0
    sector_weight /= sector_weight.sum()
    orgs = []
    for _ in range(count):
        m = municipalities[int(ctx.rng.choice(len(municipalities), p=weights))]
        sector = ctx.pick(sectors, sector_weight)
        word = ctx.pick(catalogue.EMPLOYER_WORDS[sector])
        place = ctx.pick([loc.name for loc in ctx.localities[m.code]] or [m.name])
        org_id = OrganisationId(ctx.next_id("EMP"))
        orgs.append(Organisation(org_id, f"{place} {word} AB", OrganisationKind.EMPLOYER, m.code,
                                 org_number=org_number(ctx, "559"), sni=_SNI.get(sector)))
        ctx.employers[m.code][sector].append(org_id)
    return orgs


_SNI = {"care": "87", "education": "85", "construction": "43", "industry": "25", "mining": "07",
        "energy": "35", "transport": "49", "it": "62", "hospitality": "56", "cleaning": "81",
        "retail": "47", "office": "69", "agriculture": "02", "public": "84", "other": "82"}


def _sector_ads(ctx: DemoContext, sector: str) -> int:
    return sum(ctx.region.ads_by_occupation.get(o.code, 0)
               for o in ctx.occupations.values() if o.sector.value == sector)


def social_enterprises(ctx: DemoContext, count: int = 25) -> list[Organisation]:
    """Work-integrated social enterprises with the services they sell and their places."""
    municipalities, weights = municipality_weights(ctx)
    # every municipality of some size has one; the rest go by population
    weights = np.sqrt(weights) / np.sqrt(weights).sum()
    orgs = []
    for index in range(count):
        m = municipalities[int(ctx.rng.choice(len(municipalities), p=weights))]
        picks = ctx.rng.choice(len(catalogue.ASF_SERVICES), size=int(ctx.rng.integers(1, 4)),
                               replace=False)
        services = tuple(catalogue.ASF_SERVICES[int(i)][0] for i in sorted(picks))
        name = f"{m.name} {ctx.pick(('Arbetsintegrerande', 'Social', 'Kooperativ', 'Resurs'))}"
        orgs.append(Organisation(
            OrganisationId(f"ASF{index + 1:03d}"), f"{name} ekonomisk förening",
            OrganisationKind.ASF, m.code, org_number=org_number(ctx, "769"), sni="88",
            asf=AsfProfile(services, int(ctx.rng.integers(4, 21))),
        ))
    return orgs


def education_providers(ctx: DemoContext) -> list[Organisation]:
    """Komvux in every municipality, folk high schools and vocational colleges in the largest."""
    orgs = []
    for m in ctx.region.municipalities:
        orgs.append(Organisation(OrganisationId(f"KVX{m.code}"), f"Komvux {m.name}",
                                 OrganisationKind.EDUCATION_PROVIDER, m.code, sni="85"))
    largest = sorted(ctx.region.municipalities, key=lambda m: -(m.population or 0))
    for m in largest[:8]:
        orgs.append(Organisation(OrganisationId(f"FHS{m.code}"), f"{m.name} folkhögskola (demo)",
                                 OrganisationKind.EDUCATION_PROVIDER, m.code,
                                 org_number=org_number(ctx, "802"), sni="85"))
    for m in largest[:4]:
        orgs.append(Organisation(OrganisationId(f"YH{m.code}"), f"Yrkeshögskolan {m.name} (demo)",
                                 OrganisationKind.EDUCATION_PROVIDER, m.code,
                                 org_number=org_number(ctx, "556"), sni="85"))
    return orgs
