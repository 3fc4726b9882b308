"""The demo's collaboration hub and follow-up, drawn from the demo's seed.

Services and places, needs and offers, agreements, referrals in every state, enrolments,
self-assessments, exits and outcomes.

Drawn with their own generator (seeded from the demo's seed), so they never shift the rest of
the demo. Referrals go from the Employment Service office of the person's county to an ASF in
the county, for job seekers who consented to the office; every referral carries the events of
its path. Enrolments in ASF placements and courses give the follow-up indicators something to
count: about half have left, and the outcomes 90, 180 and 365 days after exit exist where that
day has passed by :data:`DEMO_DATE`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

import numpy as np

from kedja.core.directory import (
    Agreement,
    Directory,
    HubService,
    Location,
    Posting,
    PostingKind,
    PostingSide,
    ServiceAtLocation,
    ServiceCategory,
)
from kedja.core.ids import OpportunityId, OrganisationId, PersonId, ReferralId
from kedja.core.journeys import (
    Enrolment,
    Exit,
    ExitDestination,
    Outcome,
    OutcomeStatus,
    ProgressAssessment,
    ProgressDimension,
    Referral,
    ReferralState,
)
from kedja.core.opportunities import OpportunityKind
from kedja.core.organisations import OrganisationKind
from kedja.demo.context import DEMO_DATE, DemoRegion
from kedja.demo.packs import RegionPack

__all__ = ["ASF_CATEGORIES", "DemoHub", "DemoReferral", "demo_hub"]

ASF_CATEGORIES = {
    "städ": ServiceCategory.CLEANING, "catering": ServiceCategory.CATERING,
    "snickeri": ServiceCategory.CARPENTRY, "återvinning": ServiceCategory.RECYCLING,
    "fastighetsskötsel": ServiceCategory.PROPERTY_CARE, "tvätteri": ServiceCategory.LAUNDRY,
    "second hand": ServiceCategory.SECOND_HAND, "trädgård och grönyta": ServiceCategory.GARDENING,
    "flytt och transport": ServiceCategory.REMOVALS,
    "cykel- och småmotorverkstad": ServiceCategory.REPAIRS, "kafé": ServiceCategory.CAFE,
}
"""The demo ASFs' services (Swedish words in the catalogue) as directory categories."""
SWEDISH_CATEGORIES = {category: word for word, category in ASF_CATEGORIES.items()}
"""Each category's Swedish word, for the demo's needs' titles."""

Event = tuple[str | None, str, datetime, str, str | None]


@dataclass(frozen=True, slots=True)
class DemoReferral:
    """A referral, its purpose and the events of its path (from, to, at, actor, note)."""

    referral: Referral
    purpose: str
    events: tuple[Event, ...]
    waitlisted_on: date | None = None


@dataclass
class DemoHub:
    """Everything the hub and follow-up need, ready for the store."""

    directory: Directory
    postings: list[Posting] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    referrals: list[DemoReferral] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)
    exits: list[Exit] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    assessments: list[ProgressAssessment] = field(default_factory=list)


def _directory(demo: DemoRegion, region: RegionPack, rng: np.random.Generator) -> Directory:
    seats = {m.code: (m.seat, m.name) for m in region.municipalities}
    services, locations, links = [], [], []
    providers = {o.training.provider_id for o in demo.opportunities if o.training}
    for org in demo.organisations:
        if org.asf is None and org.id not in providers:
            continue
        seat, city = seats[org.municipality_code]
        loc = Location(f"L-{org.id}", org.id, org.name, org.municipality_code,
                       round(seat.lat + float(rng.normal(0, 0.005)), 5),
                       round(seat.lon + float(rng.normal(0, 0.01)), 5),
                       address_1=f"Storgatan {int(rng.integers(1, 80))}", city=city,
                       postal_code=f"9{int(rng.integers(1000, 9999)):04d}")
        locations.append(loc)
        own: list[HubService] = []
        if org.asf is not None:
            n = len(org.asf.services_offered)
            for k, word in enumerate(org.asf.services_offered):
                share = org.asf.placement_capacity // n + (k < org.asf.placement_capacity % n)
                own.append(HubService(f"S-{org.id}-{k + 1}", org.id, word.capitalize(),
                                      ASF_CATEGORIES[word], description=f"{word} för företag",
                                      capacity=share, available=int(rng.integers(0, share + 1))))
        for o in demo.opportunities:
            if o.training and o.training.provider_id == org.id:
                own.append(HubService(f"S-{o.id}", org.id, o.title, ServiceCategory.COURSE,
                                      description=f"{o.training.duration_weeks} veckor",
                                      capacity=o.capacity, capacity_unit="seats"))
        services += own
        links += [ServiceAtLocation(f"SAL-{s.id}", s.id, loc.id) for s in own]
    return Directory(tuple(demo.organisations), tuple(services), tuple(locations), tuple(links))


def _postings(demo: DemoRegion, rng: np.random.Generator) -> list[Posting]:
    asfs = [o for o in demo.organisations if o.asf is not None]
    buyers = [o for o in demo.organisations
              if o.kind in (OrganisationKind.MUNICIPALITY, OrganisationKind.EMPLOYER)]
    items = []
    for k, asf in enumerate(asfs):
        for word in asf.asf.services_offered[:1] if asf.asf else ():
            items.append(Posting(f"O-{k + 1:03d}", asf.id, PostingSide.OFFER, PostingKind.SERVICE,
                                 ASF_CATEGORIES[word], f"{word.capitalize()} för företag",
                                 asf.municipality_code, DEMO_DATE - timedelta(days=int(rng.integers(5, 90))),
                                 quantity=int(rng.integers(1, 6))))
        if asf.asf and k % 2 == 0:
            word = asf.asf.services_offered[-1]
            items.append(Posting(f"O-P{k + 1:03d}", asf.id, PostingSide.OFFER,
                                 PostingKind.PLACEMENT, ASF_CATEGORIES[word],
                                 f"Praktik inom {word}", asf.municipality_code,
                                 DEMO_DATE - timedelta(days=int(rng.integers(5, 60))),
                                 quantity=int(rng.integers(1, 4))))
    categories = sorted({ASF_CATEGORIES[w] for a in asfs if a.asf for w in a.asf.services_offered})
    for k in range(min(30, len(buyers))):
        buyer = buyers[int(rng.integers(len(buyers)))]
        category = categories[int(rng.integers(len(categories)))]
        public = buyer.kind is OrganisationKind.MUNICIPALITY
        recruit = not public and rng.random() < 0.4
        items.append(Posting(
            f"N-{k + 1:03d}", buyer.id, PostingSide.NEED,
            PostingKind.RECRUITMENT if recruit else PostingKind.SERVICE_PURCHASE, category,
            f"{'Rekrytering' if recruit else 'Upphandling'}: {SWEDISH_CATEGORIES[category]}",
            buyer.municipality_code, DEMO_DATE - timedelta(days=int(rng.integers(1, 60))),
            quantity=int(rng.integers(1, 8)), reserved_contract=public and rng.random() < 0.5,
            social_criteria=public and rng.random() < 0.7))
    return items


def _agreements(postings: list[Posting], rng: np.random.Generator) -> list[Agreement]:
    needs = [p for p in postings if p.side is PostingSide.NEED]
    offers = [p for p in postings if p.side is PostingSide.OFFER and p.kind is PostingKind.SERVICE]
    found: list[Agreement] = []
    for need in needs:
        options = [o for o in offers if o.category is need.category
                   and o.municipality_code[:2] == need.municipality_code[:2]]
        if options and need.kind is PostingKind.SERVICE_PURCHASE and rng.random() < 0.3:
            offer = options[int(rng.integers(len(options)))]
            starts = DEMO_DATE - timedelta(days=int(rng.integers(0, 200)))
            found.append(Agreement(f"A-{len(found) + 1:03d}", need.organisation_id,
                                   offer.organisation_id, starts,
                                   f"{need.title}: {need.quantity} tillfällen per vecka",
                                   starts + timedelta(days=365), need.id, offer.id))
    return found


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC)


def _referral_path(rng: np.random.Generator) -> list[str]:
    draw = rng.random()
    if draw < 0.15:
        return ["proposed"]
    if draw < 0.30:
        return ["proposed", "accepted"]
    if draw < 0.60:
        return ["proposed", "accepted", "started"]
    if draw < 0.85:
        return ["proposed", "accepted", "started", "completed"]
    return ["proposed", "ended"] if draw < 0.93 else ["proposed", "accepted", "started", "ended"]


def _room(demo: DemoRegion, hub: DemoHub, seed: int) -> tuple[dict[str, int], set[str]]:
    """Places each receiver fills at most in the demo: its places less a few left free.

    The free share is drawn (0 to a third of the places, its own stream so the rest of the
    demo is unchanged), so the demo shows full ASFs with a waiting list beside ones with room;
    it is an illustration, not an estimate.
    """
    rng = np.random.default_rng([seed, 19])
    places: dict[str, int] = defaultdict(int)
    for s in hub.directory.services:
        places[s.organisation_id] += s.capacity or 0
    for org in demo.organisations:
        if org.asf is not None and org.id not in places:
            places[org.id] = org.asf.placement_capacity
    kept = {org: int(rng.integers(0, n // 3 + 1)) for org, n in sorted(places.items())}
    return {org: places[org] - k for org, k in kept.items()}, {o for o, k in kept.items() if k}


def _holds_place(path: list[str]) -> bool:
    return path[-1] in ("accepted", "started")


def _without_place(item: DemoReferral, *, full: bool) -> DemoReferral:
    """The referral when its receiver had no place for it.

    A full receiver (no place kept free) puts it on its waiting list; one that keeps its last
    places free for other needs declines it.
    """
    r = item.referral
    events = tuple(e for e in item.events if e[1] == "proposed")
    if full:
        return DemoReferral(Referral(r.id, r.person_id, r.from_organisation_id,
                                     r.to_organisation_id, r.created, r.opportunity_id,
                                     ReferralState.PROPOSED, r.consent_given), item.purpose,
                            (*events, ("proposed", "proposed", events[0][2], events[0][3],
                                       "waitlisted: no free place")), r.created)
    reason = "declined: no free place"
    return DemoReferral(Referral(r.id, r.person_id, r.from_organisation_id, r.to_organisation_id,
                                 r.created, r.opportunity_id, ReferralState.ENDED,
                                 r.consent_given, reason), item.purpose,
                        (*events, ("proposed", "ended", events[0][2], events[0][3], reason)))


def _queue_at_full(hub: DemoHub, full: set[str]) -> None:
    """Referrals still proposed to a full receiver wait on its list, as the service puts them."""
    hub.referrals = [
        DemoReferral(i.referral, i.purpose, i.events, i.referral.created)
        if i.referral.to_organisation_id in full and i.waitlisted_on is None
        and i.referral.state is ReferralState.PROPOSED else i for i in hub.referrals]


def _referrals(demo: DemoRegion, consents: list[tuple[str, str, date]], hub: DemoHub,
               rng: np.random.Generator, room: dict[str, int], keeps_free: set[str]) -> None:
    asf_by_county: dict[str, list[str]] = defaultdict(list)
    for org in demo.organisations:
        if org.asf is not None:
            asf_by_county[org.municipality_code[:2]].append(org.id)
    placements: dict[str, list[OpportunityId]] = defaultdict(list)
    for o in demo.opportunities:
        if o.kind is OpportunityKind.ASF_PLACEMENT:
            placements[o.organisation_id].append(o.id)
    af = sorted((p, o, given) for p, o, given in consents if o.startswith("AF"))
    for person, office, given in af:
        options = [a for a in asf_by_county[office[2:]] if placements[a]]
        if not options or rng.random() > 0.08:
            continue
        receiver = options[int(rng.integers(len(options)))]
        opportunity = placements[receiver][int(rng.integers(len(placements[receiver])))]
        path = _referral_path(rng)
        day = max(given, DEMO_DATE - timedelta(days=int(rng.integers(30, 330))))
        consent = day if (len(path) > 1 and path[1] != "ended") or rng.random() < 0.5 else None
        actor_from, actor_to = f"officer@{office.lower()}", f"coordinator@{receiver.lower()}"
        events: list[Event] = [(None, "proposed", _moment(day), actor_from, "created by hand")]
        if consent is not None:
            events.append(("proposed", "proposed", _moment(day), actor_from, "consent recorded"))
        for before, after in pairwise(path):
            day = min(DEMO_DATE, day + timedelta(days=int(rng.integers(3, 40))))
            note = "personen har flyttat från orten" if after == "ended" else None
            events.append((before, after, _moment(day), actor_to, note))
            if after == "started":
                hub.enrolments.append(Enrolment(f"E-R{len(hub.referrals) + 1:05d}",
                                                PersonId(person), opportunity, day))
            elif before == "started":
                last = hub.enrolments[-1]
                hub.enrolments[-1] = Enrolment(last.id, last.person_id, last.opportunity_id,
                                               last.start, day)
        state = ReferralState(path[-1])
        referral = Referral(ReferralId(f"R-{len(hub.referrals) + 1:05d}"), PersonId(person),
                            OrganisationId(office), OrganisationId(receiver), events[0][2].date(),
                            opportunity_id=opportunity, state=state, consent_given=consent,
                            end_reason="personen har flyttat från orten" if state is ReferralState.ENDED
                            else None)
        item = DemoReferral(referral, "ASF-praktik", tuple(events))
        if _holds_place(path):
            if room.get(receiver, 0) <= 0:  # no place for it: it waits or is declined
                item = _without_place(item, full=receiver not in keeps_free)
                if path[-1] == "started":
                    hub.enrolments.pop()
            else:
                room[receiver] -= 1
        hub.referrals.append(item)


EMPLOYER_REFERRAL_SHARE = 0.05
"""Share of job seekers with experience of a vacancy's occupation in their county whom the
Employment Service referred to such a vacancy (a demo setting)."""


def _employer_referrals(demo: DemoRegion, hub: DemoHub, rng: np.random.Generator) -> None:
    """Referrals from the county's Employment Service office to employers' vacancies.

    For job seekers with experience of the vacancy's occupation, in the same county; the
    person's consent to the referral is recorded, so the employer sees the candidate profile
    and can accept or decline (most are still proposed).
    """
    vacancies: dict[tuple[str, str], list[OpportunityId]] = defaultdict(list)
    owner = {}
    for o in demo.opportunities:
        if o.kind is OpportunityKind.JOB and o.occupation_code and o.organisation_id.startswith("EMP"):
            vacancies[(o.municipality_code[:2], o.occupation_code)].append(o.id)
            owner[o.id] = o.organisation_id
    for person in demo.people:
        if not person.is_job_seeker:
            continue
        county = person.municipality_code[:2]
        options = sorted({v for past in person.past_occupations
                          for v in vacancies[(county, past.occupation_code)]})
        if not options or rng.random() > EMPLOYER_REFERRAL_SHARE:
            continue
        opportunity = options[int(rng.integers(len(options)))]
        day = DEMO_DATE - timedelta(days=int(rng.integers(1, 45)))
        office, employer = f"AF{county}", owner[opportunity]
        accepted = rng.random() < 0.3
        officer = f"officer@{office.lower()}"
        events: list[Event] = [(None, "proposed", _moment(day), officer, "created by hand"),
                               ("proposed", "proposed", _moment(day), officer, "consent recorded")]
        if accepted:
            events.append(("proposed", "accepted", _moment(min(DEMO_DATE, day + timedelta(days=3))),
                           f"hr@{employer.lower()}", None))
        referral = Referral(ReferralId(f"R-E{len(hub.referrals) + 1:05d}"), person.id,
                            OrganisationId(office), OrganisationId(employer), day,
                            opportunity_id=opportunity,
                            state=ReferralState.ACCEPTED if accepted else ReferralState.PROPOSED,
                            consent_given=day)
        hub.referrals.append(DemoReferral(referral, "Rekrytering", tuple(events)))


def _enrolments(demo: DemoRegion, hub: DemoHub, rng: np.random.Generator,
                room: dict[str, int]) -> None:
    places = [o for o in demo.opportunities
              if o.kind in (OpportunityKind.ASF_PLACEMENT, OpportunityKind.TRAINING)]
    seekers = [p for p in demo.people if p.is_job_seeker]
    taken = {e.person_id for e in hub.enrolments}
    for person in seekers:
        if person.id in taken or rng.random() > 0.35 or not places:
            continue
        place = places[int(rng.integers(len(places)))]
        start = DEMO_DATE - timedelta(days=int(rng.integers(60, 900)))
        end = start + timedelta(days=int(rng.integers(60, 400)))
        if end >= DEMO_DATE and place.organisation_id in room:
            if room[place.organisation_id] <= 0:
                continue  # no place left today: the demo enrols no one over capacity
            room[place.organisation_id] -= 1
        hub.enrolments.append(Enrolment(f"E-{len(hub.enrolments) + 1:05d}", person.id, place.id,
                                        start, end if end < DEMO_DATE else None))


def _follow_up(hub: DemoHub, rng: np.random.Generator) -> None:
    destinations = list(ExitDestination)
    statuses = list(OutcomeStatus)
    for enrolment in hub.enrolments:
        base = {d: int(rng.integers(2, 6)) for d in list(ProgressDimension)[:4]}
        drift = float(rng.normal(1.0, 1.2))
        day = enrolment.start
        last = enrolment.end or DEMO_DATE
        step = 0
        while day <= last and step < 4:
            for dimension, score in base.items():
                value = int(np.clip(round(score + drift * step + rng.normal(0, 0.7)), 1, 10))
                hub.assessments.append(ProgressAssessment(enrolment.person_id, day, dimension,
                                                          value))
            day += timedelta(days=90)
            step += 1
        if enrolment.end is None:
            continue
        destination = destinations[int(rng.choice(len(destinations),
                                                  p=[.3, .1, .15, .15, .2, .1]))]
        hub.exits.append(Exit(enrolment.id, enrolment.person_id, enrolment.end, destination))
        for days in (90, 180, 365):
            if enrolment.end + timedelta(days=days) > DEMO_DATE:
                break
            status = statuses[int(rng.choice(len(statuses), p=[.38, .12, .3, .1, .1]))]
            hub.outcomes.append(Outcome(enrolment.id, enrolment.person_id, days, status))


def demo_hub(demo: DemoRegion, region: RegionPack, consents: list[tuple[str, str, date]], *,
             seed: int) -> DemoHub:
    """The demo's hub and follow-up, the same for the same seed.

    Examples:
        >>> from kedja.demo import generate_demo, load_region_pack, load_taxonomy_pack
        >>> from kedja.demo.accounts import demo_consents
        >>> region = load_region_pack()
        >>> demo = generate_demo(region, load_taxonomy_pack(), seed=1, job_seekers=300,
        ...                      employed=300, employers=30)
        >>> hub = demo_hub(demo, region, demo_consents(demo, seed=1), seed=1)
        >>> len(hub.directory.services) > 0, len(hub.referrals) > 0, len(hub.outcomes) > 0
        (True, True, True)
        >>> hub.referrals == demo_hub(demo, region, demo_consents(demo, seed=1), seed=1).referrals
        True
    """
    rng = np.random.default_rng([seed, 8])
    hub = DemoHub(_directory(demo, region, rng))
    hub.postings = _postings(demo, rng)
    hub.agreements = _agreements(hub.postings, rng)
    room, keeps_free = _room(demo, hub, seed)
    _referrals(demo, consents, hub, rng, room, keeps_free)
    _queue_at_full(hub, {org for org, n in room.items() if n <= 0 and org not in keeps_free})
    _enrolments(demo, hub, rng, room)
    _follow_up(hub, rng)
    _employer_referrals(demo, hub, np.random.default_rng([seed, 19]))  # its own draws
    return hub
