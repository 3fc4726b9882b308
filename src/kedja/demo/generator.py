"""The seeded demo region: a synthetic but realistic population of upper Norrland.

Everything is drawn from one :class:`numpy.random.Generator` seeded by ``seed``, iterating in a
fixed order, so the same seed gives the same region, record for record. Counts follow the
region pack: people by municipal population, vacancies by the region's 2024 job-ad mix, and the
employed by national employment per occupation group weighted by the regional ad intensity.

Complexity: O(P · k) for P people and k skills per person; building the default region
(12,000 job seekers, 40,000 employed) takes a few seconds.
"""

from __future__ import annotations

from kedja.demo import context, offers, organisations, population
from kedja.demo.context import DEMO_DATE, DemoRegion
from kedja.demo.packs import RegionPack, TaxonomyPack
from kedja.demo.population import JobSeekerProfile

__all__ = ["DEMO_DATE", "DemoRegion", "JobSeekerProfile", "generate_demo"]


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
    ctx = context.new_context(region, taxonomy, seed)
    demo = DemoRegion(seed=seed)
    demo.organisations += organisations.public_organisations(ctx)
    demo.organisations += organisations.private_employers(ctx, employers)
    asfs = organisations.social_enterprises(ctx)
    providers = organisations.education_providers(ctx)
    demo.organisations += asfs + providers
    population.add_employed(ctx, demo, employed)
    population.add_job_seekers(ctx, demo, job_seekers)
    demo.opportunities += offers.vacancies(ctx, max(job_seekers // 4, 10))
    demo.opportunities += offers.asf_placements(ctx, asfs)
    demo.opportunities += offers.courses(ctx, providers)
    demo.opportunities += offers.internships(ctx, max(job_seekers // 60, 3))
    demo.establishments += offers.establishments(ctx)
    demo.opportunities += offers.workplace_courses(ctx, providers)
    return demo
