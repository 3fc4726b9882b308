"""Demo accounts and consents, so a visitor can sign in to the demo region at once.

One account per role and kind of organisation, all with :data:`DEMO_PASSWORD`. Consents are
drawn with their own generator (seeded from the demo's seed), so they never shift the rest of
the demo: every job seeker consents to the Employment Service office of their county, about a
quarter to an ASF in their county and about one in ten to an employer in their county; and
about half of the employed consent to their own employer seeing their record for workforce
planning (:func:`staff_consents`), so that an employer's planner can name them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from kedja.core.organisations import OrganisationKind
from kedja.demo.generator import DEMO_DATE, DemoRegion

__all__ = ["DEMO_PASSWORD", "STAFF_CONSENT_SHARE", "DemoAccount", "demo_accounts", "demo_consents",
           "staff_consents"]

DEMO_PASSWORD = "kedja-demo-2026"
"""The password of every demo account (printed by ``kedja demo`` and in the README)."""

Consent = tuple[str, str, date]


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """A demo user: who they are and where they work."""

    user_id: str
    username: str
    display_name: str
    organisation_id: str
    roles: tuple[str, ...]


def demo_consents(demo: DemoRegion, *, seed: int) -> list[Consent]:
    """Consents of the demo's job seekers, as ``(person_id, organisation_id, given)``.

    Examples:
        >>> from kedja.demo import generate_demo, load_region_pack, load_taxonomy_pack
        >>> demo = generate_demo(load_region_pack(), load_taxonomy_pack(), seed=1,
        ...                      job_seekers=40, employed=40, employers=30)
        >>> consents = demo_consents(demo, seed=1)
        >>> sum(org.startswith("AF") for _, org, _ in consents)
        40
        >>> consents == demo_consents(demo, seed=1)
        True
    """
    rng = np.random.default_rng([seed, 4])
    by_county: dict[tuple[str, OrganisationKind], list[str]] = defaultdict(list)
    for org in demo.organisations:
        if org.id.startswith(("ASF", "EMP")):
            by_county[(org.municipality_code[:2], org.kind)].append(org.id)
    consents: list[Consent] = []
    for person in demo.people:
        if not person.is_job_seeker:
            continue
        county = person.municipality_code[:2]
        given = DEMO_DATE - timedelta(days=int(rng.integers(0, 365)))
        consents.append((person.id, f"AF{county}", given))
        for kind, share in ((OrganisationKind.ASF, 0.25), (OrganisationKind.EMPLOYER, 0.10)):
            options = by_county[(county, kind)]
            if options and rng.random() < share:
                consents.append((person.id, options[int(rng.integers(len(options)))], given))
    return consents


STAFF_CONSENT_SHARE = 0.5
"""Share of the demo's employees who consent to their employer's workforce planning (a demo setting)."""


def staff_consents(demo: DemoRegion, *, seed: int) -> list[Consent]:
    """Employees' consents to their own employer, for workforce planning, as ``(person, employer, given)``.

    Drawn with a generator of their own, so they shift nothing else in the demo.

    Examples:
        >>> from kedja.demo import generate_demo, load_region_pack, load_taxonomy_pack
        >>> demo = generate_demo(load_region_pack(), load_taxonomy_pack(), seed=1,
        ...                      job_seekers=10, employed=200, employers=30)
        >>> consents = staff_consents(demo, seed=1)
        >>> 60 < len(consents) < 140, consents == staff_consents(demo, seed=1)
        (True, True)
    """
    rng = np.random.default_rng([seed, 18])
    consents: list[Consent] = []
    for person in demo.people:
        employer = person.situation.employer_id
        if person.is_job_seeker or employer is None:
            continue
        given = DEMO_DATE - timedelta(days=int(rng.integers(0, 365)))
        if rng.random() < STAFF_CONSENT_SHARE:
            consents.append((person.id, str(employer), given))
    return consents


def _most_consented(consents: list[Consent], prefix: str, *, fallback: str) -> str:
    counts = Counter(org for _, org, _ in consents if org.startswith(prefix))
    # a tiny demo may have no such consent: the first organisation of the kind then
    return min(counts, key=lambda org: (-counts[org], org)) if counts else fallback


def demo_accounts(consents: list[Consent]) -> list[DemoAccount]:
    """One account per role and kind of organisation; the ASF and employer with most consents.

    Examples:
        >>> accounts = demo_accounts([("P1", "ASF002", DEMO_DATE), ("P1", "EMP000007", DEMO_DATE)])
        >>> [(a.username, a.organisation_id) for a in accounts][3:5]
        [('coordinator@kedja.demo', 'ASF002'), ('hr@kedja.demo', 'EMP000007')]
        >>> [a.organisation_id for a in demo_accounts([])][3:5]
        ['ASF001', 'EMP000001']
    """
    asf = _most_consented(consents, "ASF", fallback="ASF001")
    employer = _most_consented(consents, "EMP", fallback="EMP000001")
    rows = [
        ("admin", "Demo Admin", "REG25", ("admin",)),
        ("officer.norrbotten", "Handläggare Norrbotten", "AF25", ("officer",)),
        ("officer.vasterbotten", "Handläggare Västerbotten", "AF24", ("officer",)),
        ("coordinator", "Samordnare ASF", asf, ("coordinator",)),
        ("hr", "HR arbetsgivare", employer, ("employer_hr",)),
        ("analyst", "Analytiker Luleå kommun", "KOM2580", ("analyst",)),
    ]
    return [DemoAccount(f"DEMO-{name}", f"{name}@kedja.demo", display, org, roles)
            for name, display, org, roles in rows]
