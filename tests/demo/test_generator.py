"""The demo generator: deterministic, calibrated to the packs, with every kind of job seeker."""

from __future__ import annotations

from collections import Counter

import pytest

from kedja.core.opportunities import OpportunityKind
from kedja.core.organisations import OrganisationKind
from kedja.demo import generate_demo, load_region_pack, load_taxonomy_pack
from kedja.demo.generator import JobSeekerProfile


@pytest.fixture(scope="module")
def demo():  # type: ignore[no-untyped-def]
    return generate_demo(load_region_pack(), load_taxonomy_pack(), seed=3, job_seekers=2_000,
                         employed=4_000, employers=120)


def test_same_seed_same_region() -> None:
    a = generate_demo(load_region_pack(), load_taxonomy_pack(), seed=5, job_seekers=200,
                      employed=300, employers=40)
    b = generate_demo(load_region_pack(), load_taxonomy_pack(), seed=5, job_seekers=200,
                      employed=300, employers=40)
    c = generate_demo(load_region_pack(), load_taxonomy_pack(), seed=6, job_seekers=200,
                      employed=300, employers=40)
    assert a == b
    assert a.people != c.people


def test_counts_and_kinds(demo) -> None:  # type: ignore[no-untyped-def]
    kinds = Counter(o.kind for o in demo.organisations)
    assert kinds[OrganisationKind.MUNICIPALITY] == 29
    assert kinds[OrganisationKind.ASF] == 25
    assert kinds[OrganisationKind.EDUCATION_PROVIDER] >= 29
    assert kinds[OrganisationKind.EMPLOYMENT_SERVICE] == 2
    assert sum(p.is_job_seeker for p in demo.people) == 2_000
    assert len(demo.protected) == len(demo.people)
    opportunity_kinds = Counter(o.kind for o in demo.opportunities)
    for kind in (OpportunityKind.JOB, OpportunityKind.ASF_PLACEMENT, OpportunityKind.TRAINING,
                 OpportunityKind.INTERNSHIP):
        assert opportunity_kinds[kind] > 0
    assert len(demo.establishments) >= 2


def test_job_seeker_profiles_follow_their_shares(demo) -> None:  # type: ignore[no-untyped-def]
    profiles = Counter(v for v in demo.profiles.values() if v != "employed")
    for kind, share in JobSeekerProfile.SHARES.items():
        assert abs(profiles[kind] / 2_000 - share) < 0.04, kind
    young = [p for p in demo.people if demo.profiles[p.id] == JobSeekerProfile.YOUNG]
    assert all(p.education and not p.education.upper_secondary_complete for p in young)
    arrivals = [p for p in demo.people if demo.profiles[p.id] == JobSeekerProfile.NEW_ARRIVAL]
    assert all(p.language_rank("sv") <= 3 for p in arrivals)
    reduced = [p for p in demo.people if demo.profiles[p.id] == JobSeekerProfile.REDUCED_CAPACITY]
    assert all(p.constraints.adaptations and p.constraints.hours_per_week <= 30 for p in reduced)


def test_people_live_where_the_population_lives(demo) -> None:  # type: ignore[no-untyped-def]
    region = load_region_pack()
    total = sum(m.population or 0 for m in region.municipalities)
    counts = Counter(p.municipality_code for p in demo.people)
    lulea = next(m for m in region.municipalities if m.code == "2580")
    assert abs(counts["2580"] / len(demo.people) - (lulea.population or 0) / total) < 0.02
    assert set(counts) == {m.code for m in region.municipalities}


def test_vacancies_follow_the_regional_ad_mix(demo) -> None:  # type: ignore[no-untyped-def]
    region = load_region_pack()
    jobs = [o for o in demo.opportunities if o.kind is OpportunityKind.JOB]
    by_municipality = Counter(o.municipality_code for o in jobs)
    total_ads = sum(region.ads_by_municipality.values())
    distance = sum(abs(by_municipality[code] / len(jobs) - ads / total_ads)
                   for code, ads in region.ads_by_municipality.items()) / 2
    assert distance < 0.1, f"vacancies stray from the ad mix by {distance:.2f}"
    known = set(load_taxonomy_pack().ads_region)
    assert all(o.occupation_code in known for o in jobs)


def test_employed_have_employers_in_their_municipality(demo) -> None:  # type: ignore[no-untyped-def]
    orgs = {o.id: o for o in demo.organisations}
    employed = [p for p in demo.people if not p.is_job_seeker]
    assert len(employed) == 4_000
    for person in employed:
        employer = orgs[person.situation.employer_id]
        assert employer.municipality_code == person.municipality_code or employer.id.startswith("REG")


def test_catalogue_speaks_the_packs_codes() -> None:
    from kedja.demo import catalogue

    known = {o.code for o in load_taxonomy_pack().occupations}
    used = {c for _, codes in catalogue.ASF_SERVICES for c in codes}
    used |= {c for course in catalogue.COURSES for c in course.leads_to}
    used |= {c for e in catalogue.ESTABLISHMENTS for c in e.occupation_mix}
    assert used - known == set()
    municipalities = {m.code for m in load_region_pack().municipalities}
    assert {e.municipality_code for e in catalogue.ESTABLISHMENTS} <= municipalities


@pytest.mark.parametrize("seed", [1, 3, 7, 42])
def test_organisation_numbers_are_unique_for_any_seed(seed: int) -> None:
    demo = generate_demo(load_region_pack(), load_taxonomy_pack(), seed=seed, job_seekers=20,
                         employed=20, employers=400)
    numbers = [o.org_number for o in demo.organisations if o.org_number]
    assert len(numbers) == len(set(numbers))
