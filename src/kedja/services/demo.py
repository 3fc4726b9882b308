"""Building the demo region's database."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from kedja.core.access import Purpose
from kedja.core.errors import Conflict
from kedja.demo import (
    DEMO_DATE,
    DEMO_PASSWORD,
    demo_accounts,
    demo_consents,
    generate_demo,
    load_region_pack,
    load_taxonomy_pack,
    staff_consents,
)
from kedja.demo.hub import DemoHub, demo_hub
from kedja.services.accounts import add_user
from kedja.services.cache import invalidate
from kedja.services.identity import save_demo_identities
from kedja.store import hub, records, session_scope
from kedja.store import repositories as repo
from kedja.store import tables as t
from kedja.store.faults import checkpoint

__all__ = ["DemoSummary", "build_demo_database"]

Progress = Callable[[str], None]


@dataclass(frozen=True)
class DemoSummary:
    """What the demo database holds."""

    seed: int
    municipalities: int
    organisations: int
    people: int
    job_seekers: int
    consents: int
    opportunities: int
    establishments: int
    accounts: tuple[str, ...] = ()
    password: str = DEMO_PASSWORD


def build_demo_database(
    engine: Engine,
    *,
    seed: int = 42,
    job_seekers: int = 12_000,
    employed: int = 40_000,
    replace: bool = False,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fill a migrated, empty database with the demo region, in one transaction.

    Raises:
        Conflict: the database already holds a region and ``replace`` is false.
    """
    step = progress or (lambda _message: None)
    step("Reading the region and taxonomy packs")
    region, taxonomy = load_region_pack(), load_taxonomy_pack()
    step("Generating the population")
    demo = generate_demo(region, taxonomy, seed=seed, job_seekers=job_seekers, employed=employed)
    with session_scope(engine) as session:
        if repo.count_rows(session, t.MunicipalityRow):
            if not replace:
                raise Conflict(
                    "the database already holds a region",
                    field="--db",
                    hint="use a new database path, or pass --replace to rebuild it",
                )
            step("Emptying the database")
            _empty(session)
        step("Storing the region")
        repo.save_region(session, counties=region.counties, areas=region.areas,
                         municipalities=region.municipalities, localities=region.localities,
                         source=region.citation())
        step("Storing the taxonomy")
        repo.save_occupations(session, occupations=taxonomy.occupations, skills=taxonomy.skills,
                              links=taxonomy.links, source="kedja-taxonomy-pack")
        step("Storing organisations and people")
        repo.save_organisations(session, demo.organisations)
        repo.save_people(session, demo.people, demo.protected)
        step("Sealing the demo's names and personal numbers")
        save_demo_identities(session, demo.people, demo.protected, seed=seed)
        checkpoint("demo.people-stored")
        step("Storing opportunities and establishments")
        repo.save_opportunities(session, demo.opportunities)
        repo.save_establishments(session, demo.establishments)
        step("Storing consents and demo accounts")
        consents = demo_consents(demo, seed=seed)
        records.save_consents(session, consents)
        staff = staff_consents(demo, seed=seed)
        records.save_consents(session, staff, purposes=[Purpose.WORKFORCE_PLANNING.value])
        accounts = _add_demo_accounts(session, consents + staff, seed)
        step("Storing the hub: services, needs and offers, referrals and follow-up")
        _save_hub(session, demo_hub(demo, region, consents, seed=seed))
        repo.set_info(session, "demo", json.dumps({"seed": seed, "region": region.code,
                                                   "today": DEMO_DATE.isoformat()}))
    invalidate(engine)
    return DemoSummary(
        seed=seed, municipalities=len(region.municipalities),
        organisations=len(demo.organisations), people=len(demo.people),
        job_seekers=sum(p.is_job_seeker for p in demo.people), consents=len(consents),
        accounts=accounts,
        opportunities=len(demo.opportunities), establishments=len(demo.establishments),
    )


def _add_demo_accounts(session: Session, consents: list[tuple[str, str, date]],
                       seed: int) -> tuple[str, ...]:
    created = datetime.combine(DEMO_DATE, time(), tzinfo=UTC)
    accounts = demo_accounts(consents)
    for account in accounts:
        salt = hashlib.sha256(f"kedja-demo:{seed}:{account.username}".encode()).digest()[:16]
        add_user(session, username=account.username, organisation_id=account.organisation_id,
                 roles=account.roles, password=DEMO_PASSWORD, display_name=account.display_name,
                 user_id=account.user_id, created=created, salt=salt)
    return tuple(f"{a.username} ({a.roles[0]}, {a.organisation_id})" for a in accounts)


def _empty(session: Session) -> None:
    for table in reversed(t.Base.metadata.sorted_tables):
        if table.name != "alembic_version":
            session.execute(delete(table))


def _save_hub(session: Session, demo: DemoHub) -> None:
    hub.save_directory(session, demo.directory)
    hub.save_postings(session, demo.postings)
    for agreement in demo.agreements:
        hub.save_agreement(session, agreement, at=datetime.combine(agreement.starts, time(),
                                                                   tzinfo=UTC), by="demo")
    for item in demo.referrals:
        hub.put_referral(session, item.referral, purpose=item.purpose,
                         waitlisted_on=item.waitlisted_on)
    repo.insert_many(session, t.ReferralEventRow, [
        {"referral_id": item.referral.id, "from_state": before, "to_state": after, "at": at,
         "actor": actor, "note": note}
        for item in demo.referrals for before, after, at, actor, note in item.events])
    hub.save_enrolments(session, demo.enrolments)
    hub.save_exits(session, demo.exits)
    hub.save_outcomes(session, demo.outcomes)
    hub.save_assessments(session, demo.assessments)
