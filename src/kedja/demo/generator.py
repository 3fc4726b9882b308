"""The seeded demo region: a synthetic but realistic population of upper Norrland.

Everything is drawn from one :class:`numpy.random.Generator` seeded by ``seed``, iterating in a
fixed order, so the same seed gives the same region, record for record. Counts follow the
region pack: people by municipal population, vacancies by the region's 2024 job-ad mix, and the
employed by national employment per occupation group weighted by the regional ad intensity.

Complexity: O(P · k) for P people and k skills per person; building the default region
(12,000 job seekers, 40,000 employed) takes a few seconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import ClassVar

import numpy as np

from kedja.core.establishments import Establishment
from kedja.core.geography import Locality, Municipality
from kedja.core.ids import (
    EstablishmentId,
    MunicipalityCode,
    OccupationCode,
    OpportunityId,
    OrganisationId,
    PersonId,
    SkillId,
)
from kedja.core.opportunities import Opportunity, OpportunityKind, TrainingDetails
from kedja.core.organisations import AsfProfile, Organisation, OrganisationKind
from kedja.core.people import (
    Constraints,
    Education,
    LabourSituation,
    LabourStatus,
    LanguageSkill,
    PastOccupation,
    Person,
    Preferences,
    SkillClaim,
    SkillSource,
    SupportForm,
)
from kedja.core.protected import ProtectedAttributes
from kedja.core.taxonomy import Occupation
from kedja.core.validation import luhn_ok
from kedja.demo import catalogue
from kedja.demo.packs import RegionPack, TaxonomyPack

__all__ = ["DEMO_DATE", "DemoRegion", "JobSeekerProfile", "generate_demo"]

DEMO_DATE = date(2026, 11, 1)
"""The demo region's 'today': every date in it is relative to this."""

OTHER_LANGUAGES = ("ar", "ti", "so", "fa", "uk", "th", "pl", "sw", "ru", "es")
ADAPTATIONS = ("flexible_hours", "accessible_workplace", "quiet_environment", "adjusted_tasks",
               "job_coach_support")


class JobSeekerProfile:
    """The kinds of job seeker in the demo, with their shares."""

    NEWLY_UNEMPLOYED = "newly_unemployed"
    LONG_TERM = "long_term_unemployed"
    NEW_ARRIVAL = "foreign_born_learning_swedish"
    REDUCED_CAPACITY = "reduced_work_capacity"
    YOUNG = "young_without_upper_secondary"
    SHARES: ClassVar[dict[str, float]] = {NEWLY_UNEMPLOYED: 0.30, LONG_TERM: 0.25, NEW_ARRIVAL: 0.20,
              REDUCED_CAPACITY: 0.12, YOUNG: 0.13}


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


@dataclass
class _Context:
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
        self.counter[prefix] += 1
        return f"{prefix}{self.counter[prefix]:06d}"

    def pick(self, items: Sequence[str], p: np.ndarray | None = None) -> str:
        return items[int(self.rng.choice(len(items), p=p))]


def generate_demo(
    region: RegionPack,
    taxonomy: TaxonomyPack,
    *,
    seed: int = 42,
    job_seekers: int = 12_000,
    employed: int = 40_000,
    employers: int = 400,
) -> DemoRegion:
    """Generate the demo region.

    Args:
        region: the region pack (municipalities, localities, ad mix).
        taxonomy: the taxonomy pack (occupations, skills, national employment).
        seed: the random seed; the same seed gives the same region.
        job_seekers: how many people without a job.
        employed: how many employed people.
        employers: how many private employers (municipalities, ASFs and schools come on top).

    Returns:
        The region's organisations, people, protected attributes, opportunities and
        establishments.

    Examples:
        >>> from kedja.demo.packs import load_region_pack, load_taxonomy_pack
        >>> demo = generate_demo(load_region_pack(), load_taxonomy_pack(), seed=1,
        ...                      job_seekers=50, employed=100, employers=30)
        >>> len(demo.people), sum(p.is_job_seeker for p in demo.people)
        (150, 50)
    """
    ctx = _context(region, taxonomy, seed)
    demo = DemoRegion(seed=seed)
    demo.organisations += _public_organisations(ctx)
    demo.organisations += _employers(ctx, employers)
    asfs = _asfs(ctx)
    providers = _providers(ctx)
    demo.organisations += asfs + providers
    _add_employed(ctx, demo, employed)
    _add_job_seekers(ctx, demo, job_seekers)
    demo.opportunities += _vacancies(ctx, max(job_seekers // 4, 10))
    demo.opportunities += _asf_placements(ctx, asfs)
    demo.opportunities += _courses(ctx, providers)
    demo.opportunities += _internships(ctx, max(job_seekers // 60, 3))
    demo.establishments += _establishments(ctx)
    return demo


def _context(region: RegionPack, taxonomy: TaxonomyPack, seed: int) -> _Context:
    localities: dict[MunicipalityCode, list[Locality]] = defaultdict(list)
    for loc in region.localities:
        localities[loc.municipality_code].append(loc)
    return _Context(
        rng=np.random.default_rng(seed), region=region, taxonomy=taxonomy,
        occupations={o.code: o for o in taxonomy.occupations}, localities=localities,
        employers=defaultdict(lambda: defaultdict(list)), municipal_org={},
    )


def _org_number(ctx: _Context, prefix: str) -> str:
    """A valid, unused organisation number starting with ``prefix`` (drawn again on a clash)."""
    while True:
        body = [int(c) for c in prefix] + [int(d) for d in ctx.rng.integers(0, 10, 9 - len(prefix))]
        check = next(d for d in range(10) if luhn_ok([*body, d]))
        digits = "".join(map(str, [*body, check]))
        number = f"{digits[:6]}-{digits[6:]}"
        if number not in ctx.org_numbers:
            ctx.org_numbers.add(number)
            return number


def _municipality_weights(ctx: _Context) -> tuple[list[Municipality], np.ndarray]:
    municipalities = list(ctx.region.municipalities)
    weights = np.array([m.population or 1 for m in municipalities], dtype=float)
    return municipalities, weights / weights.sum()


# Organisations -------------------------------------------------------------------------------


def _public_organisations(ctx: _Context) -> list[Organisation]:
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


def _employers(ctx: _Context, count: int) -> list[Organisation]:
    municipalities, weights = _municipality_weights(ctx)
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
                                 org_number=_org_number(ctx, "559"), sni=_SNI.get(sector)))
        ctx.employers[m.code][sector].append(org_id)
    return orgs


_SNI = {"care": "87", "education": "85", "construction": "43", "industry": "25", "mining": "07",
        "energy": "35", "transport": "49", "it": "62", "hospitality": "56", "cleaning": "81",
        "retail": "47", "office": "69", "agriculture": "02", "public": "84", "other": "82"}


def _sector_ads(ctx: _Context, sector: str) -> int:
    return sum(ctx.region.ads_by_occupation.get(o.code, 0)
               for o in ctx.occupations.values() if o.sector.value == sector)


def _asfs(ctx: _Context, count: int = 25) -> list[Organisation]:
    municipalities, weights = _municipality_weights(ctx)
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
            OrganisationKind.ASF, m.code, org_number=_org_number(ctx, "769"), sni="88",
            asf=AsfProfile(services, int(ctx.rng.integers(4, 21))),
        ))
    return orgs


def _providers(ctx: _Context) -> list[Organisation]:
    orgs = []
    for m in ctx.region.municipalities:
        orgs.append(Organisation(OrganisationId(f"KVX{m.code}"), f"Komvux {m.name}",
                                 OrganisationKind.EDUCATION_PROVIDER, m.code, sni="85"))
    largest = sorted(ctx.region.municipalities, key=lambda m: -(m.population or 0))
    for m in largest[:8]:
        orgs.append(Organisation(OrganisationId(f"FHS{m.code}"), f"{m.name} folkhögskola (demo)",
                                 OrganisationKind.EDUCATION_PROVIDER, m.code,
                                 org_number=_org_number(ctx, "802"), sni="85"))
    for m in largest[:4]:
        orgs.append(Organisation(OrganisationId(f"YH{m.code}"), f"Yrkeshögskolan {m.name} (demo)",
                                 OrganisationKind.EDUCATION_PROVIDER, m.code,
                                 org_number=_org_number(ctx, "556"), sni="85"))
    return orgs


# People --------------------------------------------------------------------------------------


def _occupation_weights(ctx: _Context, *, employed: bool) -> tuple[list[OccupationCode], np.ndarray]:
    codes = sorted(ctx.occupations)
    national = np.array([ctx.taxonomy.employees_national.get(c, 0) for c in codes], dtype=float)
    ads = np.array([ctx.region.ads_by_occupation.get(c, 0) for c in codes], dtype=float)
    share_n = national / max(national.sum(), 1.0)
    share_a = ads / max(ads.sum(), 1.0)
    weights = (0.7 * share_n + 0.3 * share_a) if employed else (0.4 * share_n + 0.6 * share_a)
    weights += 1e-4
    return codes, weights / weights.sum()


def _home(
    ctx: _Context, municipalities: list[Municipality], weights: np.ndarray
) -> tuple[Municipality, Locality | None]:
    m = municipalities[int(ctx.rng.choice(len(municipalities), p=weights))]
    localities = ctx.localities[m.code]
    if not localities:
        return m, None
    # most people live in the main locality (listed first)
    p = np.array([3.0] + [1.0] * (len(localities) - 1))
    return m, localities[int(ctx.rng.choice(len(localities), p=p / p.sum()))]


def _skills_for(ctx: _Context, code: OccupationCode, share: float, source: SkillSource) -> list[SkillClaim]:
    skills = ctx.taxonomy.skills_of(code)
    if not skills:
        return []
    take = max(1, round(len(skills) * share))
    chosen = ctx.rng.choice(len(skills), size=min(take, len(skills)), replace=False)
    return [SkillClaim(SkillId(skills[int(i)]), source) for i in sorted(chosen)]


def _merged(*groups: list[SkillClaim]) -> tuple[SkillClaim, ...]:
    """Skills from several draws, each once, keeping the first (strongest) source."""
    seen: dict[SkillId, SkillClaim] = {}
    for group in groups:
        for claim in group:
            seen.setdefault(claim.skill_id, claim)
    return tuple(seen.values())


def _employer_for(ctx: _Context, m: MunicipalityCode, code: OccupationCode) -> OrganisationId:
    sector = ctx.occupations[code].sector.value
    options = ctx.employers[m].get(sector) or [e for es in ctx.employers[m].values() for e in es]
    return ctx.pick(options) if options else ctx.municipal_org[m]  # type: ignore[return-value]


def _add_employed(ctx: _Context, demo: DemoRegion, count: int) -> None:
    municipalities, weights = _municipality_weights(ctx)
    codes, occ_weights = _occupation_weights(ctx, employed=True)
    for _ in range(count):
        m, locality = _home(ctx, municipalities, weights)
        code = OccupationCode(codes[int(ctx.rng.choice(len(codes), p=occ_weights))])
        years = float(round(ctx.rng.uniform(0.5, 30.0), 1))
        since = DEMO_DATE - timedelta(days=int(years * 365))
        person_id = PersonId(ctx.next_id("P"))
        born_abroad = bool(ctx.rng.random() < 0.12)
        demo.people.append(Person(
            id=person_id, municipality_code=m.code,
            locality_id=locality.id if locality else None,
            situation=LabourSituation(LabourStatus.EMPLOYED, since=since, occupation_code=code,
                                      employer_id=_employer_for(ctx, m.code, code)),
            skills=tuple(_skills_for(ctx, code, 0.8, SkillSource.VERIFIED)),
            past_occupations=(PastOccupation(code, years),),
            education=Education(ctx.pick(("3", "3", "4", "5", "5", "6"))),
            languages=_languages(ctx, born_abroad, swedish="native"),
            driving_licences=frozenset({"B"}) if ctx.rng.random() < 0.85 else frozenset(),
            constraints=Constraints(max_commute_minutes=int(ctx.rng.choice([30, 45, 60, 90]))),
        ))
        demo.protected.append(_protected(ctx, person_id, age=(22, 66), born_abroad=born_abroad,
                                         disability=bool(ctx.rng.random() < 0.05)))
        demo.profiles[person_id] = "employed"


def _languages(ctx: _Context, born_abroad: bool, *, swedish: str) -> tuple[LanguageSkill, ...]:
    langs = [LanguageSkill("sv", swedish)]
    if born_abroad:
        langs.append(LanguageSkill(ctx.pick(OTHER_LANGUAGES), "native"))
    if ctx.rng.random() < 0.6:
        langs.append(LanguageSkill("en", ctx.pick(("A2", "B1", "B2", "C1"))))
    return tuple(sorted(langs, key=lambda lang: lang.language))


def _protected(
    ctx: _Context, person_id: PersonId, *, age: tuple[int, int], born_abroad: bool, disability: bool
) -> ProtectedAttributes:
    gender = "female" if ctx.rng.random() < 0.5 else "male"
    birth_year = DEMO_DATE.year - int(ctx.rng.integers(age[0], age[1]))
    return ProtectedAttributes(person_id, gender, birth_year, born_abroad, disability)


def _add_job_seekers(ctx: _Context, demo: DemoRegion, count: int) -> None:
    municipalities, weights = _municipality_weights(ctx)
    codes, occ_weights = _occupation_weights(ctx, employed=False)
    entry_codes = [c for c in codes if ctx.occupations[c].no_educational_requirement] or codes
    kinds = list(JobSeekerProfile.SHARES)
    shares = np.array(list(JobSeekerProfile.SHARES.values()))
    for _ in range(count):
        kind = ctx.pick(kinds, shares / shares.sum())
        m, locality = _home(ctx, municipalities, weights)
        person_id = PersonId(ctx.next_id("P"))
        past = OccupationCode(codes[int(ctx.rng.choice(len(codes), p=occ_weights))])
        entry = OccupationCode(ctx.pick(entry_codes))
        person, protected = _JOB_SEEKER_BUILDERS[kind](ctx, person_id, m, past, entry)
        demo.people.append(_placed(person, locality))
        demo.protected.append(protected)
        demo.profiles[person_id] = kind


def _placed(person: Person, locality: Locality | None) -> Person:
    return replace(person, locality_id=locality.id if locality else None)


def _days_ago(ctx: _Context, low: int, high: int) -> date:
    return DEMO_DATE - timedelta(days=int(ctx.rng.integers(low, high)))


def _newly_unemployed(ctx: _Context, pid: PersonId, m: Municipality, past: OccupationCode,
                      _entry: OccupationCode) -> tuple[Person, ProtectedAttributes]:
    born_abroad = bool(ctx.rng.random() < 0.15)
    person = Person(
        id=pid, municipality_code=m.code,
        situation=LabourSituation(LabourStatus.UNEMPLOYED, since=_days_ago(ctx, 7, 180)),
        skills=tuple(_skills_for(ctx, past, 0.7, SkillSource.VERIFIED)),
        past_occupations=(PastOccupation(past, float(round(ctx.rng.uniform(1, 25), 1))),),
        education=Education(ctx.pick(("3", "3", "4", "5"))),
        languages=_languages(ctx, born_abroad, swedish="native" if not born_abroad else "C1"),
        driving_licences=_licences(ctx, past, 0.85),
        constraints=Constraints(max_commute_minutes=int(ctx.rng.choice([30, 45, 60, 90]))),
        preferences=Preferences(occupations=(past,)),
    )
    return person, _protected(ctx, pid, age=(22, 64), born_abroad=born_abroad, disability=False)


def _licences(ctx: _Context, code: OccupationCode, p_b: float) -> frozenset[str]:
    licences = {"B"} if ctx.rng.random() < p_b else set()
    if code == "8332":
        licences |= {"B", "C", "CE"}
    if code == "8331":
        licences |= {"B", "D"}
    return frozenset(licences)


def _long_term(ctx: _Context, pid: PersonId, m: Municipality, past: OccupationCode,
               entry: OccupationCode) -> tuple[Person, ProtectedAttributes]:
    born_abroad = bool(ctx.rng.random() < 0.3)
    person = Person(
        id=pid, municipality_code=m.code,
        situation=LabourSituation(LabourStatus.UNEMPLOYED, since=_days_ago(ctx, 365, 365 * 6),
                                  support_forms=frozenset({SupportForm.JOB_AND_DEVELOPMENT_GUARANTEE})),
        skills=_merged(_skills_for(ctx, past, 0.4, SkillSource.SELF_REPORTED),
                       _skills_for(ctx, entry, 0.2, SkillSource.INFORMAL)),
        past_occupations=(PastOccupation(past, float(round(ctx.rng.uniform(0.5, 8), 1))),),
        education=Education(ctx.pick(("2", "3", "3", "4"))),
        languages=_languages(ctx, born_abroad, swedish="native" if not born_abroad else "B1"),
        driving_licences=_licences(ctx, past, 0.55),
        constraints=Constraints(max_commute_minutes=int(ctx.rng.choice([20, 30, 45, 60])),
                                hours_per_week=int(ctx.rng.choice([20, 30, 40, 40]))),
    )
    return person, _protected(ctx, pid, age=(30, 64), born_abroad=born_abroad,
                              disability=bool(ctx.rng.random() < 0.15))


def _new_arrival(ctx: _Context, pid: PersonId, m: Municipality, past: OccupationCode,
                 entry: OccupationCode) -> tuple[Person, ProtectedAttributes]:
    has_past = ctx.rng.random() < 0.6
    person = Person(
        id=pid, municipality_code=m.code,
        situation=LabourSituation(
            LabourStatus.UNEMPLOYED if ctx.rng.random() < 0.7 else LabourStatus.OUTSIDE,
            since=_days_ago(ctx, 90, 365 * 4),
            support_forms=frozenset({SupportForm.INTRODUCTION_PROGRAMME,
                                     SupportForm.SWEDISH_FOR_IMMIGRANTS}),
        ),
        skills=_merged(_skills_for(ctx, past, 0.5, SkillSource.SELF_REPORTED) if has_past else [],
                       _skills_for(ctx, entry, 0.3, SkillSource.INFORMAL)),
        past_occupations=(PastOccupation(past, float(round(ctx.rng.uniform(1, 15), 1))),)
        if has_past else (),
        education=Education(ctx.pick(("1", "2", "2", "3", "5"))),
        languages=_languages(ctx, True, swedish=ctx.pick(("A1", "A2", "A2", "B1"))),
        driving_licences=_licences(ctx, past, 0.25),
        constraints=Constraints(max_commute_minutes=int(ctx.rng.choice([20, 30, 45]))),
    )
    return person, _protected(ctx, pid, age=(20, 60), born_abroad=True,
                              disability=bool(ctx.rng.random() < 0.05))


def _reduced_capacity(ctx: _Context, pid: PersonId, m: Municipality, past: OccupationCode,
                      entry: OccupationCode) -> tuple[Person, ProtectedAttributes]:
    born_abroad = bool(ctx.rng.random() < 0.2)
    picks = ctx.rng.choice(len(ADAPTATIONS), size=int(ctx.rng.integers(1, 3)), replace=False)
    person = Person(
        id=pid, municipality_code=m.code,
        situation=LabourSituation(
            LabourStatus.UNEMPLOYED if ctx.rng.random() < 0.6 else LabourStatus.OUTSIDE,
            since=_days_ago(ctx, 180, 365 * 8),
            support_forms=frozenset({SupportForm.WAGE_SUBSIDY, SupportForm.SUPPORTED_EMPLOYMENT}),
        ),
        skills=tuple(_skills_for(ctx, entry, 0.4, SkillSource.INFORMAL)),
        past_occupations=(PastOccupation(past, float(round(ctx.rng.uniform(0.5, 10), 1))),)
        if ctx.rng.random() < 0.5 else (),
        education=Education(ctx.pick(("2", "3", "3", "4"))),
        languages=_languages(ctx, born_abroad, swedish="native" if not born_abroad else "B2"),
        driving_licences=_licences(ctx, past, 0.5),
        constraints=Constraints(
            max_commute_minutes=int(ctx.rng.choice([15, 20, 30, 45])),
            hours_per_week=int(ctx.rng.choice([10, 20, 25, 30])),
            adaptations=frozenset(ADAPTATIONS[int(i)] for i in picks),
        ),
    )
    return person, _protected(ctx, pid, age=(25, 64), born_abroad=born_abroad, disability=True)


def _young(ctx: _Context, pid: PersonId, m: Municipality, _past: OccupationCode,
           entry: OccupationCode) -> tuple[Person, ProtectedAttributes]:
    born_abroad = bool(ctx.rng.random() < 0.25)
    person = Person(
        id=pid, municipality_code=m.code,
        situation=LabourSituation(LabourStatus.UNEMPLOYED, since=_days_ago(ctx, 30, 365 * 2),
                                  support_forms=frozenset({SupportForm.YOUTH_GUARANTEE})),
        skills=tuple(_skills_for(ctx, entry, 0.25, SkillSource.INFORMAL)),
        education=Education("2"),
        languages=_languages(ctx, born_abroad, swedish="native" if not born_abroad else "B1"),
        driving_licences=frozenset({"B"}) if ctx.rng.random() < 0.35 else frozenset(),
        constraints=Constraints(max_commute_minutes=int(ctx.rng.choice([20, 30, 45]))),
    )
    return person, _protected(ctx, pid, age=(18, 25), born_abroad=born_abroad,
                              disability=bool(ctx.rng.random() < 0.08))


_JOB_SEEKER_BUILDERS = {
    JobSeekerProfile.NEWLY_UNEMPLOYED: _newly_unemployed,
    JobSeekerProfile.LONG_TERM: _long_term,
    JobSeekerProfile.NEW_ARRIVAL: _new_arrival,
    JobSeekerProfile.REDUCED_CAPACITY: _reduced_capacity,
    JobSeekerProfile.YOUNG: _young,
}


# Opportunities -------------------------------------------------------------------------------


def _locality_in(ctx: _Context, code: MunicipalityCode) -> Locality | None:
    localities = ctx.localities[code]
    if not localities:
        return None
    if ctx.rng.random() < 0.7:
        return localities[0]
    return localities[int(ctx.rng.integers(len(localities)))]


def _vacancies(ctx: _Context, count: int) -> list[Opportunity]:
    ads_m = ctx.region.ads_by_municipality
    m_codes = sorted(ads_m)
    m_w = np.array([ads_m[c] for c in m_codes], dtype=float)
    codes = sorted(c for c in ctx.occupations if ctx.region.ads_by_occupation.get(c))
    o_w = np.array([ctx.region.ads_by_occupation[c] for c in codes], dtype=float)
    result = []
    for _ in range(count):
        m = MunicipalityCode(ctx.pick(m_codes, m_w / m_w.sum()))
        code = OccupationCode(ctx.pick(codes, o_w / o_w.sum()))
        occ, skills = ctx.occupations[code], ctx.taxonomy.skills_of(code)
        locality = _locality_in(ctx, m)
        n_req = min(len(skills), int(ctx.rng.integers(2, 5)))
        result.append(Opportunity(
            id=OpportunityId(ctx.next_id("JOB")), kind=OpportunityKind.JOB,
            title=ctx.pick(ctx.taxonomy.occupation_names.get(code) or (occ.name_sv,)),
            organisation_id=_employer_for(ctx, m, code), municipality_code=m,
            occupation_code=code, locality_id=locality.id if locality else None,
            required_skills=tuple(SkillId(s) for s in skills[:n_req]),
            merit_skills=tuple(SkillId(s) for s in skills[n_req:n_req + 2]),
            remote_share=0.5 if occ.sector.value in ("it", "office") and ctx.rng.random() < 0.5
            else 0.0,
            hours_per_week=int(ctx.rng.choice([40, 40, 40, 30, 20])),
            capacity=int(ctx.rng.choice([1, 1, 1, 2, 3, 5])),
            starts=DEMO_DATE + timedelta(days=int(ctx.rng.integers(7, 120))),
            driving_licences=_licences(ctx, code, 0.3),
            swedish_level=None if occ.no_educational_requirement and ctx.rng.random() < 0.5
            else ctx.pick(("B1", "B2", "B2", "C1")),
            min_education_level=_education_for(code),
        ))
    return result


def _education_for(code: OccupationCode) -> str | None:
    """The usual entry level by SSYK major group: a degree for 1–2, upper-secondary for 3."""
    return {"1": "5", "2": "5", "3": "3"}.get(code[0])


def _asf_placements(ctx: _Context, asfs: list[Organisation]) -> list[Opportunity]:
    services = dict(catalogue.ASF_SERVICES)
    result = []
    for asf in asfs:
        assert asf.asf is not None
        codes = [c for s in asf.asf.services_offered for c in services[s] if c in ctx.occupations]
        code = OccupationCode(codes[0]) if codes else None
        locality = ctx.localities[asf.municipality_code]
        result.append(Opportunity(
            id=OpportunityId(f"PLC{asf.id}"), kind=OpportunityKind.ASF_PLACEMENT,
            title=f"Arbetsträning: {', '.join(asf.asf.services_offered)}",
            organisation_id=asf.id, municipality_code=asf.municipality_code,
            occupation_code=code, locality_id=locality[0].id if locality else None,
            required_skills=(), merit_skills=ctx.taxonomy.skills_of(code)[:3] if code else (),
            hours_per_week=20, capacity=asf.asf.placement_capacity,
            starts=DEMO_DATE, swedish_level=None,
            adaptations_offered=frozenset(ADAPTATIONS),
        ))
    return result


def _courses(ctx: _Context, providers: list[Organisation]) -> list[Opportunity]:
    by_kind: dict[str, list[Organisation]] = defaultdict(list)
    for p in providers:
        by_kind[p.id[:3] if p.id[:3] in ("KVX", "FHS") else "YH"].append(p)
    kind_of = {"komvux": "KVX", "folkhogskola": "FHS", "yh": "YH"}
    result = []
    for template in catalogue.COURSES:
        candidates = by_kind[kind_of[template.provider_kind]]
        if template.everywhere:
            chosen = list(range(len(candidates)))
        else:
            n = 1 + int(ctx.rng.integers(0, min(4, len(candidates))))
            chosen = sorted(int(i) for i in ctx.rng.choice(len(candidates), size=n, replace=False))
        result += [_course(ctx, template, candidates[index]) for index in chosen]
    return result


def _course(ctx: _Context, template: catalogue.CourseTemplate, provider: Organisation) -> Opportunity:
    leads_to = tuple(OccupationCode(c) for c in template.leads_to if c in ctx.occupations)
    locality = ctx.localities[provider.municipality_code]
    start = DEMO_DATE + timedelta(days=int(ctx.rng.integers(14, 200)))
    # distance courses through the municipalities' learning centres are common in the north
    remote = float(ctx.rng.choice([0.0, 0.25, 0.5, 1.0])) if template.distance else 0.0
    return Opportunity(
        id=OpportunityId(ctx.next_id("EDU")), kind=OpportunityKind.TRAINING,
        title=template.title, organisation_id=provider.id,
        municipality_code=provider.municipality_code,
        occupation_code=leads_to[0] if leads_to else None,
        locality_id=locality[0].id if locality else None, remote_share=remote,
        hours_per_week=40 if template.provider_kind == "yh" else 30,
        capacity=template.seats, starts=start, ends=start + timedelta(weeks=template.weeks),
        swedish_level=template.swedish_level, min_education_level=template.min_education_level,
        max_swedish_level=template.max_swedish_level,
        training=TrainingDetails(template.weeks, provider.id, leads_to, template.cost_sek,
                                 tuple(OccupationCode(c) for c in template.requires_experience_in)),
    )


def _internships(ctx: _Context, count: int) -> list[Opportunity]:
    municipalities, weights = _municipality_weights(ctx)
    all_codes, all_w = _occupation_weights(ctx, employed=False)
    # internships are for occupations one can enter without a degree (SSYK major groups 4–9)
    keep = [i for i, c in enumerate(all_codes) if c[0] >= "4"]
    codes, o_w = [all_codes[i] for i in keep], all_w[keep] / all_w[keep].sum()
    result = []
    for _ in range(count):
        m = municipalities[int(ctx.rng.choice(len(municipalities), p=weights))]
        code = OccupationCode(ctx.pick(codes, o_w))
        locality = _locality_in(ctx, m.code)
        result.append(Opportunity(
            id=OpportunityId(ctx.next_id("PRA")), kind=OpportunityKind.INTERNSHIP,
            title=f"Praktik: {ctx.occupations[code].name_sv}",
            organisation_id=_employer_for(ctx, m.code, code), municipality_code=m.code,
            occupation_code=code, locality_id=locality.id if locality else None,
            hours_per_week=int(ctx.rng.choice([20, 30, 40])), capacity=1,
            starts=DEMO_DATE + timedelta(days=int(ctx.rng.integers(7, 90))),
            swedish_level=ctx.pick(("A2", "B1")),
            adaptations_offered=frozenset({"job_coach_support"}),
        ))
    return result


def _establishments(ctx: _Context) -> list[Establishment]:
    result = []
    for index, template in enumerate(catalogue.ESTABLISHMENTS, start=1):
        mix = {OccupationCode(c): s for c, s in template.occupation_mix.items()
               if c in ctx.occupations}
        total = sum(mix.values())
        result.append(Establishment(
            id=EstablishmentId(f"EST{index:03d}"), name=template.name,
            municipality_code=MunicipalityCode(template.municipality_code),
            headcount_by_year=dict(template.headcount_by_year),
            occupation_mix={c: s / total for c, s in sorted(mix.items())},
            description=template.description,
        ))
    return result
