"""Crosswalks SSYK 2012 ↔ ISCO-08 ↔ ESCO and how much of each classification they reach.

ESCO occupations name their ISCO-08 unit group; SCB's key and JobTech link SSYK 2012 groups
to ISCO-08. Composing the two gives every SSYK group its ESCO occupations (and so their
skills) and every ESCO occupation its Swedish SSYK group(s) and names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["CrosswalkCoverage", "crosswalk_coverage", "invert", "ssyk_to_esco"]


def invert(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """``b → sorted a`` for pairs ``(a, b)``.

    Examples:
        >>> invert([("x", "1"), ("y", "1"), ("x", "2")])
        {'1': ['x', 'y'], '2': ['x']}

    """
    found: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        found[b].add(a)
    return {b: sorted(a) for b, a in sorted(found.items())}


def ssyk_to_esco(ssyk_isco: Iterable[tuple[str, str]], esco_isco: Iterable[tuple[str, str]]
                 ) -> dict[str, list[str]]:
    """SSYK group → ESCO occupations sharing one of its ISCO-08 unit groups.

    Examples:
        >>> ssyk_to_esco([("7212", "7212")], [("esco:welder", "7212"), ("esco:nurse", "2221")])
        {'7212': ['esco:welder']}

    """
    by_isco = invert(esco_isco)
    found: dict[str, set[str]] = defaultdict(set)
    for ssyk, isco in ssyk_isco:
        found[ssyk].update(by_isco.get(isco, ()))
    return {ssyk: sorted(uris) for ssyk, uris in sorted(found.items()) if uris}


@dataclass(frozen=True)
class CrosswalkCoverage:
    """How far the crosswalk reaches, in counts (the CLI prints it after every import)."""

    ssyk_groups: int
    ssyk_with_isco: int
    ssyk_with_esco: int
    esco_occupations: int
    esco_with_ssyk: int
    isco_in_esco: int
    isco_with_ssyk: int
    ssyk_without_esco: tuple[str, ...]

    def lines(self) -> list[str]:
        """The coverage as readable lines."""
        def share(part: int, whole: int) -> str:
            return f"{part:,}/{whole:,} ({100 * part / whole:.1f} %)" if whole else "0/0"

        ssyk, esco = self.ssyk_groups, self.esco_occupations
        return [
            f"SSYK 2012 unit groups with an ISCO-08 link: {share(self.ssyk_with_isco, ssyk)}",
            f"SSYK 2012 unit groups reaching ESCO occupations: {share(self.ssyk_with_esco, ssyk)}",
            f"ESCO occupations with a Swedish SSYK group: {share(self.esco_with_ssyk, esco)}",
            "ISCO-08 unit groups of ESCO reached from SSYK: "
            f"{share(self.isco_with_ssyk, self.isco_in_esco)}",
        ]


def crosswalk_coverage(ssyk_codes: Iterable[str], ssyk_isco: Iterable[tuple[str, str]],
                       esco_isco: Iterable[tuple[str, str]]) -> CrosswalkCoverage:
    """Coverage of the SSYK → ISCO → ESCO chain (SSYK codes of four digits only).

    Examples:
        >>> c = crosswalk_coverage(["7212", "5321"], [("7212", "7212")],
        ...                        [("e:1", "7212"), ("e:2", "2221")])
        >>> (c.ssyk_with_isco, c.ssyk_with_esco, c.esco_with_ssyk, c.ssyk_without_esco)
        (1, 1, 1, ('5321',))

    """
    groups = sorted({c for c in ssyk_codes if len(c) == 4})
    ssyk_isco = [(s, i) for s, i in ssyk_isco if s in set(groups)]
    esco_isco = list(esco_isco)
    reached = ssyk_to_esco(ssyk_isco, esco_isco)
    esco_reached = {uri for uris in reached.values() for uri in uris}
    isco_esco = {i for _, i in esco_isco}
    return CrosswalkCoverage(
        ssyk_groups=len(groups), ssyk_with_isco=len({s for s, _ in ssyk_isco}),
        ssyk_with_esco=len(reached), esco_occupations=len({e for e, _ in esco_isco}),
        esco_with_ssyk=len(esco_reached), isco_in_esco=len(isco_esco),
        isco_with_ssyk=len(isco_esco & {i for _, i in ssyk_isco}),
        ssyk_without_esco=tuple(g for g in groups if g not in reached),
    )
