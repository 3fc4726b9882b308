"""The demo region's people: the employed and five kinds of job seeker."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import ClassVar

import numpy as np

from kedja.core.geography import Locality, Municipality
from kedja.core.ids import (
    OccupationCode,
    PersonId,
    SkillId,
)
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
from kedja.demo.context import (
    ADAPTATIONS,
    DEMO_DATE,
    OTHER_LANGUAGES,
    DemoContext,
    DemoRegion,
    days_ago,
    employer_for,
    licences_for,
    municipality_weights,
    occupation_weights,
)

__all__ = [
    "JobSeekerProfile",
    "add_employed",
    "add_job_seekers",
]


class JobSeekerProfile:
    """The kinds of job seeker in the demo, with their shares."""

    NEWLY_UNEMPLOYED = "newly_unemployed"
    LONG_TERM = "long_term_unemployed"
    NEW_ARRIVAL = "foreign_born_learning_swedish"
    REDUCED_CAPACITY = "reduced_work_capacity"
    YOUNG = "young_without_upper_secondary"
    SHARES: ClassVar[dict[str, float]] = {NEWLY_UNEMPLOYED: 0.30, LONG_TERM: 0.25, NEW_ARRIVAL: 0.20,
              REDUCED_CAPACITY: 0.12, YOUNG: 0.13}


def _home(
    ctx: DemoContext, municipalities: list[Municipality], weights: np.ndarray
) -> tuple[Municipality, Locality | None]:
    m = municipalities[int(ctx.rng.choice(len(municipalities), p=weights))]
    localities = ctx.localities[m.code]
    if not localities:
        return m, None
    # most people live in the main locality (listed first)
    p = np.array([3.0] + [1.0] * (len(localities) - 1))
    return m, localities[int(ctx.rng.choice(len(localities), p=p / p.sum()))]


def _skills_for(ctx: DemoContext, code: OccupationCode, share: float,
                source: SkillSource) -> list[SkillClaim]:
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


def add_employed(ctx: DemoContext, demo: DemoRegion, count: int) -> None:
    """Employed people by municipality and occupation, with their employer and skills."""
    municipalities, weights = municipality_weights(ctx)
    codes, occ_weights = occupation_weights(ctx, employed=True)
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
                                      employer_id=employer_for(ctx, m.code, code)),
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


def _languages(ctx: DemoContext, born_abroad: bool, *, swedish: str) -> tuple[LanguageSkill, ...]:
    langs = [LanguageSkill("sv", swedish)]
    if born_abroad:
        langs.append(LanguageSkill(ctx.pick(OTHER_LANGUAGES), "native"))
    if ctx.rng.random() < 0.6:
        langs.append(LanguageSkill("en", ctx.pick(("A2", "B1", "B2", "C1"))))
    return tuple(sorted(langs, key=lambda lang: lang.language))


def _protected(
    ctx: DemoContext, person_id: PersonId, *, age: tuple[int, int], born_abroad: bool, disability: bool
) -> ProtectedAttributes:
    gender = "female" if ctx.rng.random() < 0.5 else "male"
    birth_year = DEMO_DATE.year - int(ctx.rng.integers(age[0], age[1]))
    return ProtectedAttributes(person_id, gender, birth_year, born_abroad, disability)


def add_job_seekers(ctx: DemoContext, demo: DemoRegion, count: int) -> None:
    """Job seekers of the five profiles, by municipality."""
    municipalities, weights = municipality_weights(ctx)
    codes, occ_weights = occupation_weights(ctx, employed=False)
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


def _newly_unemployed(ctx: DemoContext, pid: PersonId, m: Municipality, past: OccupationCode,
                      _entry: OccupationCode) -> tuple[Person, ProtectedAttributes]:
    born_abroad = bool(ctx.rng.random() < 0.15)
    person = Person(
        id=pid, municipality_code=m.code,
        situation=LabourSituation(LabourStatus.UNEMPLOYED, since=days_ago(ctx, 7, 180)),
        skills=tuple(_skills_for(ctx, past, 0.7, SkillSource.VERIFIED)),
        past_occupations=(PastOccupation(past, float(round(ctx.rng.uniform(1, 25), 1))),),
        education=Education(ctx.pick(("3", "3", "4", "5"))),
        languages=_languages(ctx, born_abroad, swedish="native" if not born_abroad else "C1"),
        driving_licences=licences_for(ctx, past, 0.85),
        constraints=Constraints(max_commute_minutes=int(ctx.rng.choice([30, 45, 60, 90]))),
        preferences=Preferences(occupations=(past,)),
    )
    return person, _protected(ctx, pid, age=(22, 64), born_abroad=born_abroad, disability=False)


def _long_term(ctx: DemoContext, pid: PersonId, m: Municipality, past: OccupationCode,
               entry: OccupationCode) -> tuple[Person, ProtectedAttributes]:
    born_abroad = bool(ctx.rng.random() < 0.3)
    person = Person(
        id=pid, municipality_code=m.code,
        situation=LabourSituation(LabourStatus.UNEMPLOYED, since=days_ago(ctx, 365, 365 * 6),
                                  support_forms=frozenset({SupportForm.JOB_AND_DEVELOPMENT_GUARANTEE})),
        skills=_merged(_skills_for(ctx, past, 0.4, SkillSource.SELF_REPORTED),
                       _skills_for(ctx, entry, 0.2, SkillSource.INFORMAL)),
        past_occupations=(PastOccupation(past, float(round(ctx.rng.uniform(0.5, 8), 1))),),
        education=Education(ctx.pick(("2", "3", "3", "4"))),
        languages=_languages(ctx, born_abroad, swedish="native" if not born_abroad else "B1"),
        driving_licences=licences_for(ctx, past, 0.55),
        constraints=Constraints(max_commute_minutes=int(ctx.rng.choice([20, 30, 45, 60])),
                                hours_per_week=int(ctx.rng.choice([20, 30, 40, 40]))),
    )
    return person, _protected(ctx, pid, age=(30, 64), born_abroad=born_abroad,
                              disability=bool(ctx.rng.random() < 0.15))


def _new_arrival(ctx: DemoContext, pid: PersonId, m: Municipality, past: OccupationCode,
                 entry: OccupationCode) -> tuple[Person, ProtectedAttributes]:
    has_past = ctx.rng.random() < 0.6
    person = Person(
        id=pid, municipality_code=m.code,
        situation=LabourSituation(
            LabourStatus.UNEMPLOYED if ctx.rng.random() < 0.7 else LabourStatus.OUTSIDE,
            since=days_ago(ctx, 90, 365 * 4),
            support_forms=frozenset({SupportForm.INTRODUCTION_PROGRAMME,
                                     SupportForm.SWEDISH_FOR_IMMIGRANTS}),
        ),
        skills=_merged(_skills_for(ctx, past, 0.5, SkillSource.SELF_REPORTED) if has_past else [],
                       _skills_for(ctx, entry, 0.3, SkillSource.INFORMAL)),
        past_occupations=(PastOccupation(past, float(round(ctx.rng.uniform(1, 15), 1))),)
        if has_past else (),
        education=Education(ctx.pick(("1", "2", "2", "3", "5"))),
        languages=_languages(ctx, True, swedish=ctx.pick(("A1", "A2", "A2", "B1"))),
        driving_licences=licences_for(ctx, past, 0.25),
        constraints=Constraints(max_commute_minutes=int(ctx.rng.choice([20, 30, 45]))),
    )
    return person, _protected(ctx, pid, age=(20, 60), born_abroad=True,
                              disability=bool(ctx.rng.random() < 0.05))


def _reduced_capacity(ctx: DemoContext, pid: PersonId, m: Municipality, past: OccupationCode,
                      entry: OccupationCode) -> tuple[Person, ProtectedAttributes]:
    born_abroad = bool(ctx.rng.random() < 0.2)
    picks = ctx.rng.choice(len(ADAPTATIONS), size=int(ctx.rng.integers(1, 3)), replace=False)
    person = Person(
        id=pid, municipality_code=m.code,
        situation=LabourSituation(
            LabourStatus.UNEMPLOYED if ctx.rng.random() < 0.6 else LabourStatus.OUTSIDE,
            since=days_ago(ctx, 180, 365 * 8),
            support_forms=frozenset({SupportForm.WAGE_SUBSIDY, SupportForm.SUPPORTED_EMPLOYMENT}),
        ),
        skills=tuple(_skills_for(ctx, entry, 0.4, SkillSource.INFORMAL)),
        past_occupations=(PastOccupation(past, float(round(ctx.rng.uniform(0.5, 10), 1))),)
        if ctx.rng.random() < 0.5 else (),
        education=Education(ctx.pick(("2", "3", "3", "4"))),
        languages=_languages(ctx, born_abroad, swedish="native" if not born_abroad else "B2"),
        driving_licences=licences_for(ctx, past, 0.5),
        constraints=Constraints(
            max_commute_minutes=int(ctx.rng.choice([15, 20, 30, 45])),
            hours_per_week=int(ctx.rng.choice([10, 20, 25, 30])),
            adaptations=frozenset(ADAPTATIONS[int(i)] for i in picks),
        ),
    )
    return person, _protected(ctx, pid, age=(25, 64), born_abroad=born_abroad, disability=True)


def _young(ctx: DemoContext, pid: PersonId, m: Municipality, _past: OccupationCode,
           entry: OccupationCode) -> tuple[Person, ProtectedAttributes]:
    born_abroad = bool(ctx.rng.random() < 0.25)
    person = Person(
        id=pid, municipality_code=m.code,
        situation=LabourSituation(LabourStatus.UNEMPLOYED, since=days_ago(ctx, 30, 365 * 2),
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
