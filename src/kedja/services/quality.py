"""Data quality of the region's records: coverage of each field, codes that map to nothing, stale rows.

Counts only, no person's values: the view is for anyone who may read aggregates. For each kind
it says how many records fill each required and optional field (the ones matching and the
forecast read), which codes point at nothing Kedja knows (an SSYK code outside the taxonomy,
a course leading nowhere), and which records are stale (a vacancy past its closing date, a
course that has ended, a person whose status is older than a year), each with the fix.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from kedja.core.access import Permission, Principal, require_permission
from kedja.services import cache
from kedja.services.matching import reference_date
from kedja.store import session_scope
from kedja.store import tables as t

__all__ = ["FieldCoverage", "Issue", "KindQuality", "data_quality"]

STALE_STATUS_DAYS = 365
"""A person's labour-market status older than this is flagged for a check (a yearly review is
the usual rhythm of a case plan; a convention of this view, not a rule)."""


@dataclass(frozen=True)
class FieldCoverage:
    """How many records fill a field."""

    name: str
    required: bool
    filled: int
    total: int
    fix: str

    @property
    def share(self) -> float:
        """Filled share, 0–1 (1 for no records)."""
        return self.filled / self.total if self.total else 1.0


@dataclass(frozen=True)
class Issue:
    """Records with one problem, and what to do."""

    what: str
    count: int
    fix: str


@dataclass
class KindQuality:
    """The quality of one kind of record."""

    kind: str
    records: int
    fields: list[FieldCoverage] = field(default_factory=list)
    unmapped: list[Issue] = field(default_factory=list)
    stale: list[Issue] = field(default_factory=list)


def _count(session: Session, query: Any) -> int:
    return int(session.scalar(query) or 0)


Spec = tuple[str, bool, Callable[[Any], bool], str]
"""A field: name, required, the test of a filled record, the fix."""


def _coverage(rows: Sequence[Any], specs: list[Spec]) -> list[FieldCoverage]:
    return [FieldCoverage(name, required, sum(1 for r in rows if test(r)), len(rows), fix)
            for name, required, test, fix in specs]


def _people(session: Session, today: date, *, employed: bool) -> KindQuality:
    status = t.PersonRow.status == "employed" if employed else t.PersonRow.status != "employed"
    rows = session.execute(select(t.PersonRow).where(t.PersonRow.erased_on.is_(None), status)).scalars().all()
    with_skills = set(session.scalars(select(t.PersonSkillRow.person_id).distinct()))
    with_past = set(session.scalars(select(t.PersonOccupationRow.person_id).distinct()))
    with_lang = set(session.scalars(select(t.PersonLanguageRow.person_id).distinct()))
    named = dict(session.execute(select(t.PersonIdentityRow.person_id,
                                        t.PersonIdentityRow.number_token)).all())
    consented = set(session.scalars(select(t.ConsentRow.person_id).where(t.ConsentRow.withdrawn.is_(None))))
    load = "fill the column in the file and load it again"
    specs: list[Spec] = [
        ("name", True, lambda r: r.id in named, load),
        ("municipality", True, lambda r: bool(r.municipality_code), load),
        ("personal_number", False, lambda r: bool(named.get(r.id)),
         load + " (needed to find the person by number)"),
        ("locality", False, lambda r: bool(r.locality_id), load + " (commute times start there)"),
        ("skills", False, lambda r: r.id in with_skills, load + " (matching compares skills)"),
        ("languages", False, lambda r: r.id in with_lang, load),
        ("sun_level", False, lambda r: bool(r.sun_level), load),
        ("driving_licences", False, lambda r: bool(r.driving_licences), load + " (if the person has one)"),
        ("consent_date", False, lambda r: r.id in consented,
         "without consent no organisation sees the record: record it on the person's page or in the file"),
    ]
    if employed:
        specs.insert(2, ("occupation", True, lambda r: bool(r.occupation_code), load))
    else:
        specs[2:2] = [("status_since", False, lambda r: r.status_since is not None, load),
                      ("past_occupation", False, lambda r: r.id in with_past,
                       load + " (transitions start there)"),
                      ("preferred_occupations", False, lambda r: bool(r.preferred_occupations), load)]
    quality = KindQuality("employees" if employed else "people", len(rows), _coverage(rows, specs))
    known = set(session.scalars(select(t.OccupationRow.code)))
    unknown = sum(1 for r in rows if set(r.preferred_occupations or ()) - known)
    if unknown:
        quality.unmapped.append(Issue("preferred occupations outside the taxonomy", unknown,
                                      "use SSYK 2012 codes from the template's list, or import the full "
                                      "JobTech taxonomy (kedja import jobtech)"))
    old = today - timedelta(days=STALE_STATUS_DAYS)
    stale = sum(1 for r in rows if not employed and r.status_since is not None and r.status_since < old)
    if stale:
        quality.stale.append(Issue(f"status unchanged for more than {STALE_STATUS_DAYS} days", stale,
                                   "check the status with the person and load the file again"))
    return quality


def _opportunities(session: Session, today: date, name: str, kinds: tuple[str, ...]) -> KindQuality:
    rows = session.execute(select(t.OpportunityRow).where(t.OpportunityRow.kind.in_(kinds))).scalars().all()
    with_skills = set(session.scalars(select(t.OpportunitySkillRow.opportunity_id).distinct()))
    load = "fill the column in the file and load it again"
    specs: list[Spec] = [
        ("occupation", name == "opportunities", lambda r: bool(r.occupation_code),
         load + " (matching needs it)"),
        ("municipality", True, lambda r: bool(r.municipality_code), load),
        ("locality", False, lambda r: bool(r.locality_id), load + " (commute times end there)"),
        ("starts", False, lambda r: r.starts is not None, load),
        ("ends", False, lambda r: r.ends is not None, load + " (stale vacancies are found by it)"),
    ]
    if name == "opportunities":
        specs.append(("skills", False, lambda r: r.id in with_skills, load + " (matching compares skills)"))
    quality = KindQuality(name, len(rows), _coverage(rows, specs))
    known = set(session.scalars(select(t.OccupationRow.code)))
    if name == "courses":
        nowhere = sum(1 for r in rows if not set(r.training_leads_to or ()) & known)
        if nowhere:
            quality.unmapped.append(Issue("courses leading to no known occupation", nowhere,
                                          "give leads_to as SSYK 2012 codes from the template's list"))
    ended = sum(1 for r in rows if r.ends is not None and r.ends < today)
    if ended:
        what = {"opportunities": "vacancies past their closing date", "courses": "courses that have ended",
                "places": "places that have ended"}[name]
        quality.stale.append(Issue(what, ended, "remove them from the file or give a new end date, "
                                                 "then load it again"))
    return quality


def _organisations(session: Session) -> KindQuality:
    rows = session.execute(select(t.OrganisationRow)).scalars().all()
    load = "fill the column in the file and load it again"
    quality = KindQuality("organisations", len(rows), _coverage(rows, [
        ("org_number", True, lambda r: bool(r.org_number), load),
        ("municipality", True, lambda r: bool(r.municipality_code), load),
        ("sni", False, lambda r: bool(r.sni), load + " (sector views read it)"),
    ]))
    users = _count(session, select(func.count(func.distinct(t.UserRow.organisation_id))))
    if rows and users < len(rows):
        quality.unmapped.append(Issue("organisations without a user account", len(rows) - users,
                                      "create accounts with kedja users add for those that will sign in"))
    return quality


QUALITY_CACHE_SECONDS = 6 * 3600.0
"""As the forecast: the report changes when data is loaded, and every import clears the cache;
the default five minutes made the next viewer wait 11 s (bench/bench_pages.py)."""


def data_quality(engine: Engine, principal: Principal | None = None, *,
                 today: date | None = None) -> list[KindQuality]:
    """The quality of every kind of record (counts only).

    Kept in the region cache (:mod:`kedja.services.cache`): it reads every person's record
    (5–9 s on the demo's 52,000 people, bench/bench_pages.py) and changes only when data is
    loaded, which drops the cache; other changes show within ``QUALITY_CACHE_SECONDS``.

    Raises:
        Forbidden: the principal may not read aggregates.
    """
    if principal is not None:
        require_permission(principal, Permission.READ_AGGREGATES)
    return cache.cached(engine, f"data-quality:{today}", lambda: _data_quality(engine, today),
                        seconds=QUALITY_CACHE_SECONDS)


def _data_quality(engine: Engine, today: date | None) -> list[KindQuality]:
    with session_scope(engine) as session:
        day = today or reference_date(session)
        return [
            _people(session, day, employed=False), _people(session, day, employed=True),
            _opportunities(session, day, "opportunities", ("job",)),
            _opportunities(session, day, "courses", ("training",)),
            _opportunities(session, day, "places", ("asf_placement", "internship")),
            _organisations(session),
        ]
