"""Shared state of the demo generator: its seeded random generator, the packs and helpers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from kedja.core.establishments import Establishment
from kedja.core.geography import Locality, Municipality
from kedja.core.ids import (
    MunicipalityCode,
    OccupationCode,
    OrganisationId,
    PersonId,
)
from kedja.core.opportunities import Opportunity
from kedja.core.organisations import Organisation
from kedja.core.people import (
    Person,
)
from kedja.core.protected import ProtectedAttributes
from kedja.core.taxonomy import Occupation
from kedja.core.validation import luhn_ok
from kedja.demo.packs import RegionPack, TaxonomyPack

__all__ = [
    "ADAPTATIONS",
    "DEMO_DATE",
    "OTHER_LANGUAGES",
    "DemoContext",
    "DemoRegion",
    "days_ago",
    "employer_for",
    "licences_for",
    "locality_in",
    "municipality_weights",
    "new_context",
    "occupation_weights",
    "org_number",
]


DEMO_DATE = date(2026, 11, 1)
"""The demo region's 'today': every date in it is relative to this."""


OTHER_LANGUAGES = ("ar", "ti", "so", "fa", "uk", "th", "pl", "sw", "ru", "es")


ADAPTATIONS = ("flexible_hours", "accessible_workplace", "quiet_environment", "adjusted_tasks",
               "job_coach_support")


@dataclass
class DemoContext:
    """The generator's state: its random generator, the packs and the organisations made so far."""

    rng: np.random.Generator
    region: RegionPack
    taxonomy: TaxonomyPack
    occupations: dict[OccupationCode, Occupation]
    localities: dict[MunicipalityCode, list[Locality]]
    employers: dict[MunicipalityCode, dict[str, list[OrganisationId]]]
    municipal_org: dict[MunicipalityCode, OrganisationId]
    counter: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    org_numbers: set[str] = field(default_factory=set)

    def next_id(self, prefix: str) -> str:
        """The next sequential id with ``prefix`` (e.g. ``P000001``)."""
        self.counter[prefix] += 1
        return f"{prefix}{self.counter[prefix]:06d}"

    def pick(self, items: Sequence[str], p: np.ndarray | None = None) -> str:
        """One of ``items``, drawn with probabilities ``p`` (uniform by default)."""
        return items[int(self.rng.choice(len(items), p=p))]


def new_context(region: RegionPack, taxonomy: TaxonomyPack, seed: int) -> DemoContext:
    """A fresh context for ``seed``, with localities indexed by municipality."""
    localities: dict[MunicipalityCode, list[Locality]] = defaultdict(list)
    for loc in region.localities:
        localities[loc.municipality_code].append(loc)
    return DemoContext(
        rng=np.random.default_rng(seed), region=region, taxonomy=taxonomy,
        occupations={o.code: o for o in taxonomy.occupations}, localities=localities,
        employers=defaultdict(lambda: defaultdict(list)), municipal_org={},
    )


def org_number(ctx: DemoContext, prefix: str) -> str:
    """A valid, unused organisation number starting with ``prefix`` (drawn again on a clash)."""
    while True:
        body = [int(c) for c in prefix] + [int(d) for d in ctx.rng.integers(0, 10, 9 - len(prefix))]
        check = next(d for d in range(10) if luhn_ok([*body, d]))
        digits = "".join(map(str, [*body, check]))
        number = f"{digits[:6]}-{digits[6:]}"
        if number not in ctx.org_numbers:
            ctx.org_numbers.add(number)
            return number


def municipality_weights(ctx: DemoContext) -> tuple[list[Municipality], np.ndarray]:
    """The municipalities and their shares of the region's population."""
    municipalities = list(ctx.region.municipalities)
    weights = np.array([m.population or 1 for m in municipalities], dtype=float)
    return municipalities, weights / weights.sum()


def occupation_weights(ctx: DemoContext, *, employed: bool) -> tuple[list[OccupationCode], np.ndarray]:
    """Occupations and their weights: national employment and regional ads blended."""
    codes = sorted(ctx.occupations)
    national = np.array([ctx.taxonomy.employees_national.get(c, 0) for c in codes], dtype=float)
    ads = np.array([ctx.region.ads_by_occupation.get(c, 0) for c in codes], dtype=float)
    share_n = national / max(national.sum(), 1.0)
    share_a = ads / max(ads.sum(), 1.0)
    weights = (0.7 * share_n + 0.3 * share_a) if employed else (0.4 * share_n + 0.6 * share_a)
    weights += 1e-4
    return codes, weights / weights.sum()


def employer_for(ctx: DemoContext, m: MunicipalityCode, code: OccupationCode) -> OrganisationId:
    """An employer in the municipality whose sector fits the occupation (the municipality otherwise)."""
    sector = ctx.occupations[code].sector.value
    options = ctx.employers[m].get(sector) or [e for es in ctx.employers[m].values() for e in es]
    return ctx.pick(options) if options else ctx.municipal_org[m]  # type: ignore[return-value]


def licences_for(ctx: DemoContext, code: OccupationCode, p_b: float) -> frozenset[str]:
    """Driving licences: B with probability ``p_b``, plus what drivers of trucks and buses need."""
    licences = {"B"} if ctx.rng.random() < p_b else set()
    if code == "8332":
        licences |= {"B", "C", "CE"}
    if code == "8331":
        licences |= {"B", "D"}
    return frozenset(licences)


def locality_in(ctx: DemoContext, code: MunicipalityCode) -> Locality | None:
    """A locality in the municipality, usually its seat."""
    localities = ctx.localities[code]
    if not localities:
        return None
    if ctx.rng.random() < 0.7:
        return localities[0]
    return localities[int(ctx.rng.integers(len(localities)))]


def days_ago(ctx: DemoContext, low: int, high: int) -> date:
    """A date between ``low`` and ``high`` days before the demo's today."""
    return DEMO_DATE - timedelta(days=int(ctx.rng.integers(low, high)))


@dataclass
class DemoRegion:
    """Everything the generator makes, ready for the store."""

    seed: int
    organisations: list[Organisation] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    protected: list[ProtectedAttributes] = field(default_factory=list)
    profiles: dict[PersonId, str] = field(default_factory=dict)
    opportunities: list[Opportunity] = field(default_factory=list)
    establishments: list[Establishment] = field(default_factory=list)
