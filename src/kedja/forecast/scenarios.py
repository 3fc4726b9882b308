"""Named scenarios: what changes if establishments, migration or demand differ (Swedish labels).

Examples:
    >>> SCENARIOS["delayed_2y"].establishment_delay, SCENARIOS["half_size"].establishment_scale
    (2, 0.5)
    >>> scenario("nope")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kedja.core.errors.NotFound: no scenario 'nope' (field 'scenario'). Fix: choose one of ...

"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kedja.core.errors import NotFound
from kedja.core.establishments import Establishment

__all__ = ["SCENARIOS", "Scenario", "adjusted", "scenario"]


@dataclass(frozen=True)
class Scenario:
    """Changes to the inputs, relative to the establishments as announced and recent migration."""

    name: str
    label: str
    establishment_delay: int = 0
    establishment_scale: float = 1.0
    in_migration_factor: float = 1.0
    demand: str = "central"
    """Which expansion path: ``central``, ``high`` or ``low`` (quartiles of Arbetsförmedlingen's
    demand forecasts, see ``docs/forecast.md``)."""


SCENARIOS: dict[str, Scenario] = {s.name: s for s in (
    Scenario("as_announced", "Etableringar enligt plan"),
    Scenario("delayed_2y", "Etableringar två år försenade", establishment_delay=2),
    Scenario("half_size", "Etableringar i halv storlek", establishment_scale=0.5),
    Scenario("no_establishments", "Inga etableringar (bara åldrande)", establishment_scale=0.0),
    Scenario("in_migration_high", "Inflyttning 20 % högre", in_migration_factor=1.2),
    Scenario("in_migration_low", "Inflyttning 20 % lägre", in_migration_factor=0.8),
    Scenario("demand_high", "Högre efterfrågan (Arbetsförmedlingens övre kvartil)", demand="high"),
    Scenario("demand_low", "Lägre efterfrågan (Arbetsförmedlingens nedre kvartil)", demand="low"),
)}


def scenario(name: str) -> Scenario:
    """The scenario called ``name``."""
    if name not in SCENARIOS:
        raise NotFound(f"no scenario {name!r}", field="scenario", value=name,
                       hint=f"choose one of {', '.join(SCENARIOS)}")
    return SCENARIOS[name]


def adjusted(e: Establishment, s: Scenario) -> Establishment:
    """``e`` with its headcount shifted by the delay and scaled by the size factor.

    Examples:
        >>> from kedja.core.ids import EstablishmentId, MunicipalityCode, OccupationCode
        >>> e = Establishment(EstablishmentId("E1"), "Plant", MunicipalityCode("2582"),
        ...                   {2026: 300, 2030: 1500}, {OccupationCode("8129"): 1.0})
        >>> adjusted(e, SCENARIOS["delayed_2y"]).headcount_by_year
        {2028: 300, 2032: 1500}

    """
    counts = {year + s.establishment_delay: round(count * s.establishment_scale)
              for year, count in e.headcount_by_year.items()}
    return replace(e, headcount_by_year=counts)
