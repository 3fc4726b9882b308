"""Pathways for one person and the region-wide allocation, from plain domain objects.

:func:`prepare_matching` encodes people and opportunities once; :func:`person_pathways` gives one
person's best next steps with their breakdown and explanation; :func:`allocate_region` shares
the region's places among everybody, optimally and greedily, and checks both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from kedja.core.errors import NotFound
from kedja.core.geography import Locality
from kedja.core.ids import LocalityId, MunicipalityCode, OccupationCode
from kedja.core.opportunities import Opportunity, OpportunityKind
from kedja.core.people import Person
from kedja.core.taxonomy import Occupation
from kedja.matching.allocation import (
    Allocation,
    AllocationProblem,
    greedy_allocation,
    is_feasible_allocation,
    optimal_allocation,
)
from kedja.matching.encoding import (
    EncodedOpportunities,
    EncodedPeople,
    Vocabulary,
    encode_opportunities,
    encode_people,
)
from kedja.matching.explain import explain, labour_market_distance
from kedja.matching.reach import TravelTimes
from kedja.matching.scoring import (
    CAR_LICENCES,
    FACTORS,
    WEIGHTS,
    Candidates,
    ScoringInput,
    generate_candidates,
)

__all__ = [
    "MatchingData",
    "Pathway",
    "PreparedMatching",
    "RegionAllocation",
    "allocate_region",
    "person_pathways",
    "placed_kinds",
    "prepare_matching",
    "prepare_people",
]


@dataclass
class MatchingData:
    """The plain inputs of matching; ``similarity`` and ``shortage`` follow ``occupations``."""

    people: Sequence[Person]
    opportunities: Sequence[Opportunity]
    localities: Sequence[Locality]
    occupations: Sequence[Occupation]
    similarity: np.ndarray
    shortage: np.ndarray
    today: date
    seat_of: Mapping[MunicipalityCode, LocalityId]
    travel: TravelTimes | None = None
    excluded: set[tuple[str, str]] = field(default_factory=set)
    k: int = 20
    weights: Mapping[str, float] | None = None
    """The score's weights (the approved version of the algorithm register); ``WEIGHTS`` when None."""


@dataclass
class PreparedMatching:
    """Encoded inputs, ready for candidate generation."""

    data: MatchingData
    people: EncodedPeople
    opportunities: EncodedOpportunities
    scoring: ScoringInput
    person_index: dict[str, int]
    vocabulary: Vocabulary | None = None


@dataclass(frozen=True)
class Pathway:
    """One recommended next step with its fit, breakdown and explanation."""

    opportunity_id: str
    kind: str
    title: str
    organisation_id: str
    municipality_code: str
    occupation_code: str | None
    fit: float
    factors: dict[str, float]
    travel_minutes: float
    """On-site travel: 0 for a step done wholly at a distance."""
    explanation: dict[str, list[str]]
    remote: bool = False
    """Done wholly at a distance (no travel)."""


@dataclass(frozen=True)
class RegionAllocation:
    """The optimal and greedy allocations of the region's places, checked."""

    problem: AllocationProblem
    candidates: Candidates
    optimal: Allocation
    greedy: Allocation
    checker_ok: bool


def prepare_matching(data: MatchingData) -> PreparedMatching:
    """Encode everything once; O(P·k + O·k) plus the locality travel matrix."""
    travel = data.travel or TravelTimes.from_points({loc.id: loc.point for loc in data.localities})
    vocabulary = Vocabulary(
        skills={}, occupations={o.code: i for i, o in enumerate(data.occupations)},
        localities=dict(travel.index), adaptations={},
    )
    for source in ([c.skill_id for p in data.people for c in p.skills],
                   [s for o in data.opportunities for s in (*o.required_skills, *o.merit_skills)]):
        for skill in source:
            vocabulary.skills.setdefault(skill, len(vocabulary.skills))
    home: dict[str, LocalityId] = {p.id: p.locality_id or data.seat_of[p.municipality_code]
                                   for p in data.people}
    site: dict[str, LocalityId] = {o.id: o.locality_id or data.seat_of[o.municipality_code]
                                   for o in data.opportunities}
    sectors = {o.code: o.sector.value for o in data.occupations}
    people = encode_people(data.people, vocabulary, home, data.today)
    entry = frozenset(o.code for o in data.occupations if o.no_educational_requirement)
    opportunities = encode_opportunities(data.opportunities, vocabulary, site, sectors, entry)
    person_index = {pid: i for i, pid in enumerate(people.ids)}
    opp_index = {oid: j for j, oid in enumerate(opportunities.ids)}
    excluded = {(person_index[p], opp_index[o]) for p, o in data.excluded
                if p in person_index and o in opp_index}
    scoring = ScoringInput(people, opportunities, travel.car, data.similarity.astype(np.float32),
                           data.shortage.astype(np.float32), excluded, data.k,
                           public_minutes=travel.public_transport, weights=dict(data.weights or WEIGHTS))
    return PreparedMatching(data, people, opportunities, scoring, person_index, vocabulary)


def prepare_people(prepared: PreparedMatching, people: Sequence[Person]) -> PreparedMatching:
    """``prepared`` (the region's opportunities, encoded once) for other ``people``; O(P·k).

    Only the people are encoded, against ``prepared``'s vocabulary: a skill that no opportunity
    asks for cannot change a score, so the candidates and fits are those
    :func:`prepare_matching` gives for the same people (tested). A pathway page thus costs one
    person's encoding, not the region's.
    """
    if prepared.vocabulary is None:
        raise ValueError("prepare_people needs a PreparedMatching from prepare_matching")
    data = replace(prepared.data, people=people)
    home: dict[str, LocalityId] = {p.id: p.locality_id or data.seat_of[p.municipality_code]
                                   for p in people}
    encoded = encode_people(people, prepared.vocabulary, home, data.today)
    person_index = {pid: i for i, pid in enumerate(encoded.ids)}
    excluded: set[tuple[int, int]] = set()
    if data.excluded:  # the index of the region's opportunities only when a pair is excluded
        opp_index = {oid: j for j, oid in enumerate(prepared.opportunities.ids)}
        excluded = {(person_index[p], opp_index[o]) for p, o in data.excluded
                    if p in person_index and o in opp_index}
    base = prepared.scoring
    scoring = ScoringInput(encoded, prepared.opportunities, base.car_minutes, base.similarity,
                           base.shortage, excluded, data.k, public_minutes=base.public_minutes,
                           weights=base.weights)
    return PreparedMatching(data, encoded, prepared.opportunities, scoring, person_index,
                            prepared.vocabulary)


def person_pathways(prepared: PreparedMatching, person_id: str, k: int = 10) -> list[Pathway]:
    """The ``k`` best distinct next steps for one person, best first, explained in Swedish and English.

    The same step offered in several places (a course with one title from one provider in two
    municipalities) is one step: the nearest offer is kept, at the rank of the best. O(c log c)
    for the person's c candidates.
    """
    if person_id not in prepared.person_index:
        raise NotFound(f"no job seeker has the id {person_id!r}", field="person_id",
                       value=person_id, hint="give the id of a person without a job")
    row = prepared.person_index[person_id]
    candidates = generate_candidates(prepared.scoring, np.array([row]))
    order = np.argsort(-candidates.fit, kind="stable")
    return [_pathway(prepared, candidates, arc) for arc in _distinct_steps(prepared, candidates,
                                                                          order)[:k]]


def _distinct_steps(prepared: PreparedMatching, c: Candidates, order: np.ndarray) -> list[int]:
    """Arcs in ``order``, one per step (kind, title, organisation): the nearest of each."""
    best: dict[tuple[str, str, str], int] = {}
    for arc in (int(a) for a in order):
        o = prepared.data.opportunities[int(c.opportunity[arc])]
        key = (o.kind.value, o.title.casefold(), o.organisation_id)
        kept = best.get(key)
        if kept is None:
            best[key] = arc  # dicts keep insertion order: the rank of the group's best fit
        elif _on_site(prepared, c, arc) < _on_site(prepared, c, kept):
            best[key] = arc
    return list(best.values())


def _on_site(prepared: PreparedMatching, c: Candidates, arc: int) -> float:
    o = prepared.data.opportunities[int(c.opportunity[arc])]
    minutes = float(c.minutes[arc])
    if o.remote_share >= 0.99:
        return 0.0
    return minutes * (1.0 - o.remote_share) if np.isfinite(minutes) else float("inf")


def _swedish(person: Person) -> str | None:
    return next((lang.level for lang in person.languages if lang.language == "sv"), None)


def _pathway(prepared: PreparedMatching, c: Candidates, arc: int) -> Pathway:
    opportunity = prepared.data.opportunities[int(c.opportunity[arc])]
    person = prepared.data.people[int(c.person[arc])]
    factors = {f: round(float(c.factors[f][arc]), 3) for f in FACTORS}
    target: OccupationCode | None = opportunity.occupation_code
    if opportunity.training is not None and opportunity.training.leads_to:
        target = opportunity.training.leads_to[0]
    mode = _travel_mode(prepared, int(c.person[arc]), int(c.opportunity[arc]))
    minutes = float(c.minutes[arc])
    remote = opportunity.remote_share >= 0.99
    distance = labour_market_distance(person.situation.status.value, _swedish(person))
    texts = {locale: explain(factors, kind=opportunity.kind.value, minutes=minutes,
                             max_minutes=person.constraints.max_commute_minutes, locale=locale,
                             remote_share=opportunity.remote_share,
                             skills_required=bool(opportunity.required_skills),
                             general=opportunity.kind is OpportunityKind.TRAINING and target is None,
                             travel_mode=mode, distance=distance)
             for locale in ("sv", "en")}
    return Pathway(
        opportunity_id=opportunity.id, kind=opportunity.kind.value, title=opportunity.title,
        organisation_id=opportunity.organisation_id, municipality_code=opportunity.municipality_code,
        occupation_code=target, fit=round(float(c.fit[arc]), 2), factors=factors,
        # a step wholly at a distance needs no travel, even where no bus goes
        travel_minutes=0.0 if remote or not np.isfinite(minutes) else round(minutes, 1),
        explanation=texts, remote=remote,
    )


def _travel_mode(prepared: PreparedMatching, person: int, opportunity: int) -> str:
    """How the person travels: ``car``, ``local``, or public transport by ``timetable`` or ``estimate``."""
    if (prepared.people.licences[person] & CAR_LICENCES) != 0 or prepared.scoring.public_minutes is None:
        return "car"
    travel = prepared.data.travel
    if travel is None or travel.public_timetable is None:
        return "estimate"
    i, j = prepared.people.locality[person], prepared.opportunities.locality[opportunity]
    if i == j:
        return "local"  # a trip within the locality: neither timetable nor region-wide estimate
    return "timetable" if bool(travel.public_timetable[i, j]) else "estimate"


def allocate_region(prepared: PreparedMatching,
                    priority: Mapping[str, float] | None = None) -> RegionAllocation:
    """Allocate every job seeker at most one step, capacities respected, fit maximised.

    ``priority`` gives optional weights ≥ 1 by person id (e.g. 1.5 for the long-term
    unemployed); the reported total fit is unweighted.
    """
    candidates = generate_candidates(prepared.scoring)
    weight = None
    if priority:
        weight = np.array([priority.get(pid, 1.0) for pid in prepared.people.ids])
    problem = AllocationProblem(
        n_people=len(prepared.people.ids), capacities=prepared.opportunities.capacity.astype(np.int64),
        person=candidates.person, place=candidates.opportunity, fit=candidates.fit, weight=weight,
    )
    optimal, greedy = optimal_allocation(problem), greedy_allocation(problem)
    ok = is_feasible_allocation(problem, optimal) and is_feasible_allocation(problem, greedy)
    return RegionAllocation(problem, candidates, optimal, greedy, ok)


def placed_kinds(prepared: PreparedMatching, allocation: Allocation) -> list[str | None]:
    """The kind of step each person got, or ``None``."""
    kinds = list(OpportunityKind)
    return [None if j < 0 else kinds[int(prepared.opportunities.kind[j])].value
            for j in allocation.place_of]
