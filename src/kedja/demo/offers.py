"""The demo region's opportunities (vacancies, ASF placements, courses, internships) and establishments."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import timedelta

import numpy as np

from kedja.core.establishments import Establishment
from kedja.core.ids import (
    EstablishmentId,
    MunicipalityCode,
    OccupationCode,
    OpportunityId,
    SkillId,
)
from kedja.core.opportunities import Opportunity, OpportunityKind, TrainingDetails
from kedja.core.organisations import Organisation
from kedja.demo import catalogue
from kedja.demo.context import (
    ADAPTATIONS,
    DEMO_DATE,
    DemoContext,
    employer_for,
    licences_for,
    locality_in,
    municipality_weights,
    occupation_weights,
)

__all__ = [
    "asf_placements",
    "courses",
    "establishments",
    "internships",
    "vacancies",
    "workplace_courses",
]


def vacancies(ctx: DemoContext, count: int) -> list[Opportunity]:
    """Job vacancies that follow the region's 2024 ad mix by municipality and occupation."""
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
        locality = locality_in(ctx, m)
        n_req = min(len(skills), int(ctx.rng.integers(2, 5)))
        result.append(Opportunity(
            id=OpportunityId(ctx.next_id("JOB")), kind=OpportunityKind.JOB,
            title=ctx.pick(ctx.taxonomy.occupation_names.get(code) or (occ.name_sv,)),
            organisation_id=employer_for(ctx, m, code), municipality_code=m,
            occupation_code=code, locality_id=locality.id if locality else None,
            required_skills=tuple(SkillId(s) for s in skills[:n_req]),
            merit_skills=tuple(SkillId(s) for s in skills[n_req:n_req + 2]),
            remote_share=0.5 if occ.sector.value in ("it", "office") and ctx.rng.random() < 0.5
            else 0.0,
            hours_per_week=int(ctx.rng.choice([40, 40, 40, 30, 20])),
            capacity=int(ctx.rng.choice([1, 1, 1, 2, 3, 5])),
            starts=DEMO_DATE + timedelta(days=int(ctx.rng.integers(7, 120))),
            driving_licences=licences_for(ctx, code, 0.3),
            swedish_level=None if occ.no_educational_requirement and ctx.rng.random() < 0.5
            else ctx.pick(("B1", "B2", "B2", "C1")),
            min_education_level=_education_for(code),
        ))
    return result


def _education_for(code: OccupationCode) -> str | None:
    """The usual entry level by SSYK major group: a degree for 1–2, upper-secondary for 3."""
    return {"1": "5", "2": "5", "3": "3"}.get(code[0])


def asf_placements(ctx: DemoContext, asfs: list[Organisation]) -> list[Opportunity]:
    """One placement offer per ASF, with its capacity and the adaptations it offers."""
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


def courses(ctx: DemoContext, providers: list[Organisation]) -> list[Opportunity]:
    """Courses from the catalogue at Komvux, folk high schools and vocational colleges."""
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


def workplace_courses(ctx: DemoContext, providers: list[Organisation]) -> list[Opportunity]:
    """The programmes employers use to move their own staff up (:data:`catalogue.WORKPLACE_COURSES`).

    Each is given by two providers of its kind, at a distance or at the workplace with days on
    site. Drawn last, so that adding them shifts nothing else in the demo.
    """
    by_kind: dict[str, list[Organisation]] = defaultdict(list)
    for p in providers:
        by_kind[{"KVX": "komvux", "FHS": "folkhogskola"}.get(p.id[:3], "yh")].append(p)
    result = []
    for template in catalogue.WORKPLACE_COURSES:
        givers = by_kind[template.provider_kind]
        chosen = sorted(int(i) for i in ctx.rng.choice(len(givers), size=min(2, len(givers)), replace=False))
        result += [replace(_course(ctx, template, givers[i]), remote_share=0.5) for i in chosen]
    return result


def _course(ctx: DemoContext, template: catalogue.CourseTemplate, provider: Organisation) -> Opportunity:
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


def internships(ctx: DemoContext, count: int) -> list[Opportunity]:
    """Internships in occupations one can enter without a degree."""
    municipalities, weights = municipality_weights(ctx)
    all_codes, all_w = occupation_weights(ctx, employed=False)
    # internships are for occupations one can enter without a degree (SSYK major groups 4–9)
    keep = [i for i, c in enumerate(all_codes) if c[0] >= "4"]
    codes, o_w = [all_codes[i] for i in keep], all_w[keep] / all_w[keep].sum()
    result = []
    for _ in range(count):
        m = municipalities[int(ctx.rng.choice(len(municipalities), p=weights))]
        code = OccupationCode(ctx.pick(codes, o_w))
        locality = locality_in(ctx, m.code)
        result.append(Opportunity(
            id=OpportunityId(ctx.next_id("PRA")), kind=OpportunityKind.INTERNSHIP,
            title=f"Praktik: {ctx.occupations[code].name_sv}",
            organisation_id=employer_for(ctx, m.code, code), municipality_code=m.code,
            occupation_code=code, locality_id=locality.id if locality else None,
            hours_per_week=int(ctx.rng.choice([20, 30, 40])), capacity=1,
            starts=DEMO_DATE + timedelta(days=int(ctx.rng.integers(7, 90))),
            swedish_level=ctx.pick(("A2", "B1")),
            adaptations_offered=frozenset({"job_coach_support"}),
        ))
    return result


def establishments(ctx: DemoContext) -> list[Establishment]:
    """The green-industry establishments, with occupation mixes over the pack's codes."""
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
