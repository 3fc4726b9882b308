"""Encoding people and opportunities as arrays, so candidate generation and scoring vectorise.

Skills become sparse rows (scipy.sparse CSR), licences and adaptations become bit masks, dates
become day ordinals. Built once per run: O(P·k + O·k) for P people, O opportunities, k skills.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import scipy.sparse as sp

from kedja.core.ids import LocalityId, OccupationCode, SkillId
from kedja.core.opportunities import Opportunity, OpportunityKind
from kedja.core.people import (
    CEFR_LEVELS,
    DRIVING_LICENCES,
    LabourStatus,
    Person,
    SkillSource,
    SupportForm,
)

__all__ = [
    "KIND_CODES",
    "LICENCE_BIT",
    "SOURCE_WEIGHT",
    "EncodedOpportunities",
    "EncodedPeople",
    "Vocabulary",
    "distance_from_labour_market",
    "encode_opportunities",
    "encode_people",
]

SOURCE_WEIGHT = {SkillSource.VERIFIED: 1.0, SkillSource.SELF_REPORTED: 0.85, SkillSource.INFORMAL: 0.7}
"""How much a claimed skill counts, by its source: informal and unpaid experience counts too."""
KIND_CODES = {kind: i for i, kind in enumerate(OpportunityKind)}
LICENCE_BIT = {name: 1 << i for i, name in enumerate(sorted(DRIVING_LICENCES))}
FAR_OFF_DATE = date(9999, 12, 31).toordinal()
HEAVY_SUPPORT = frozenset({SupportForm.SUPPORTED_EMPLOYMENT, SupportForm.WAGE_SUBSIDY})


@dataclass
class Vocabulary:
    """Index maps shared by people and opportunities."""

    skills: dict[SkillId, int]
    occupations: dict[OccupationCode, int]
    localities: dict[LocalityId, int]
    adaptations: dict[str, int]
    sectors: dict[str, int] = field(default_factory=dict)

    def sector_mask(self, names: frozenset[str]) -> int:
        """Bit mask of sectors (unknown names get new bits)."""
        mask = 0
        for name in sorted(names):
            mask |= 1 << self.sectors.setdefault(name, len(self.sectors))
        return mask

    def adaptation_mask(self, names: frozenset[str]) -> int:
        """Bit mask of adaptations (unknown names get new bits)."""
        mask = 0
        for name in sorted(names):
            bit = self.adaptations.setdefault(name, len(self.adaptations))
            mask |= 1 << bit
        return mask


@dataclass
class EncodedPeople:
    """People as arrays (row i is ``ids[i]``)."""

    ids: list[str]
    locality: np.ndarray
    max_commute: np.ndarray
    hours: np.ndarray
    swedish: np.ndarray
    licences: np.ndarray
    adaptations: np.ndarray
    available: np.ndarray
    distance: np.ndarray
    education: np.ndarray
    skills: sp.csr_matrix
    experience: sp.csr_matrix
    preferred: sp.csr_matrix
    preferred_sectors: np.ndarray


@dataclass
class EncodedOpportunities:
    """Opportunities as arrays (row j is ``ids[j]``)."""

    ids: list[str]
    kind: np.ndarray
    occupation: np.ndarray
    sector: np.ndarray
    locality: np.ndarray
    remote: np.ndarray
    hours: np.ndarray
    swedish: np.ndarray
    licences: np.ndarray
    adaptations: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    capacity: np.ndarray
    min_education: np.ndarray
    max_swedish: np.ndarray
    entry: np.ndarray
    required: sp.csr_matrix
    merit: sp.csr_matrix
    prerequisite: sp.csr_matrix


def _licence_mask(names: frozenset[str]) -> int:
    mask = 0
    for name in names:
        mask |= LICENCE_BIT[name]
    return mask


def distance_from_labour_market(person: Person, today: date) -> float:
    """How far a person stands from the labour market, 0 (close) to 1 (far).

    Read from the situation only: time without work, Swedish, schooling and support forms,
    never from protected attributes.

    Examples:
        >>> from kedja.core.people import LabourSituation, LanguageSkill
        >>> p = Person(id="P", municipality_code="2521", languages=(LanguageSkill("sv", "A2"),),
        ...            situation=LabourSituation("unemployed", since=date(2022, 1, 1)))
        >>> round(distance_from_labour_market(p, date(2026, 11, 1)), 2)
        0.8
    """
    if person.situation.status is LabourStatus.EMPLOYED:
        return 0.0
    days = person.situation.days_since(today) or 0
    score = min(days / 730.0, 1.0) * 0.45
    score += 0.35 if person.language_rank("sv") < CEFR_LEVELS.index("B1") + 1 else 0.0
    score += 0.1 if person.education is not None and not person.education.upper_secondary_complete else 0.0
    score += 0.1 if person.situation.support_forms & HEAVY_SUPPORT else 0.0
    score += 0.1 if person.situation.status is LabourStatus.OUTSIDE else 0.0
    return min(score, 1.0)


def _sparse(rows: Sequence[Mapping[int, float]], width: int) -> sp.csr_matrix:
    indptr, indices, data = [0], [], []
    for row in rows:
        for column, value in sorted(row.items()):
            indices.append(column)
            data.append(value)
        indptr.append(len(indices))
    return sp.csr_matrix((np.array(data, dtype=np.float32), np.array(indices, dtype=np.int32),
                          np.array(indptr, dtype=np.int64)), shape=(len(rows), width))


def encode_people(people: Sequence[Person], vocabulary: Vocabulary,
                  home: Mapping[str, LocalityId], today: date) -> EncodedPeople:
    """Encode ``people``; ``home`` gives each person's locality (their own or the seat)."""
    voc = vocabulary
    skills = [{voc.skills[c.skill_id]: SOURCE_WEIGHT[c.source] for c in p.skills
               if c.skill_id in voc.skills} for p in people]
    experience = [{voc.occupations[o.occupation_code]: min(1.0, 0.4 + o.years / 5.0)
                   for o in p.past_occupations if o.occupation_code in voc.occupations}
                  for p in people]
    preferred = [{voc.occupations[c]: 1.0 for c in p.preferences.occupations
                  if c in voc.occupations} for p in people]
    return EncodedPeople(
        ids=[p.id for p in people],
        locality=np.array([voc.localities[home[p.id]] for p in people], dtype=np.int32),
        max_commute=np.array([p.constraints.max_commute_minutes for p in people], dtype=np.float32),
        hours=np.array([p.constraints.hours_per_week for p in people], dtype=np.int16),
        swedish=np.array([p.language_rank("sv") for p in people], dtype=np.int8),
        licences=np.array([_licence_mask(p.driving_licences) for p in people], dtype=np.int64),
        adaptations=np.array([voc.adaptation_mask(p.constraints.adaptations) for p in people],
                             dtype=np.int64),
        available=np.array([(p.constraints.available_from or today).toordinal() for p in people],
                           dtype=np.int64),
        distance=np.array([distance_from_labour_market(p, today) for p in people], dtype=np.float32),
        # an unknown education blocks nothing: it counts as upper-secondary
        education=np.array([int(p.education.sun_level) if p.education else 3 for p in people],
                           dtype=np.int8),
        skills=_sparse(skills, len(voc.skills)),
        experience=_sparse(experience, len(voc.occupations)),
        preferred=_sparse(preferred, len(voc.occupations)),
        preferred_sectors=np.array([voc.sector_mask(frozenset(p.preferences.sectors))
                                    for p in people], dtype=np.int64),
    )


def encode_opportunities(opportunities: Sequence[Opportunity], vocabulary: Vocabulary,
                         site: Mapping[str, LocalityId], sectors: Mapping[OccupationCode, str],
                         entry: frozenset[OccupationCode] = frozenset()) -> EncodedOpportunities:
    """Encode ``opportunities``; ``site`` gives each one's locality (its own or the seat).

    ``entry`` lists the occupations one can start in without particular skills or schooling.
    """
    voc = vocabulary

    def target(o: Opportunity) -> OccupationCode | None:
        if o.training is not None and o.training.leads_to:
            return o.training.leads_to[0]
        return o.occupation_code

    occupation = [target(o) for o in opportunities]
    return EncodedOpportunities(
        ids=[o.id for o in opportunities],
        kind=np.array([KIND_CODES[o.kind] for o in opportunities], dtype=np.int8),
        occupation=np.array([voc.occupations.get(c, -1) if c else -1 for c in occupation],
                            dtype=np.int32),
        sector=np.array([voc.sector_mask(frozenset({sectors[c]})) if c is not None and c in sectors
                         else 0 for c in occupation], dtype=np.int64),
        locality=np.array([voc.localities[site[o.id]] for o in opportunities], dtype=np.int32),
        remote=np.array([o.remote_share for o in opportunities], dtype=np.float32),
        hours=np.array([o.hours_per_week for o in opportunities], dtype=np.int16),
        swedish=np.array([CEFR_LEVELS.index(o.swedish_level) + 1 if o.swedish_level else 0
                          for o in opportunities], dtype=np.int8),
        licences=np.array([_licence_mask(o.driving_licences) for o in opportunities], dtype=np.int64),
        adaptations=np.array([voc.adaptation_mask(o.adaptations_offered) for o in opportunities],
                             dtype=np.int64),
        starts=np.array([o.starts.toordinal() if o.starts else 0 for o in opportunities],
                        dtype=np.int64),
        ends=np.array([o.ends.toordinal() if o.ends else FAR_OFF_DATE for o in opportunities],
                      dtype=np.int64),
        capacity=np.array([o.capacity for o in opportunities], dtype=np.int32),
        required=_sparse([{voc.skills[s]: 1.0 for s in o.required_skills if s in voc.skills}
                          for o in opportunities], len(voc.skills)),
        merit=_sparse([{voc.skills[s]: 1.0 for s in o.merit_skills if s in voc.skills}
                       for o in opportunities], len(voc.skills)),
        min_education=np.array([int(o.min_education_level or 0) for o in opportunities],
                               dtype=np.int8),
        entry=np.array([c in entry for c in occupation], dtype=bool),
        max_swedish=np.array([CEFR_LEVELS.index(o.max_swedish_level) + 1 if o.max_swedish_level
                              else len(CEFR_LEVELS) for o in opportunities], dtype=np.int8),
        prerequisite=_sparse([{voc.occupations[c]: 1.0 for c in o.training.requires_experience_in
                               if c in voc.occupations} if o.training else {}
                              for o in opportunities], len(voc.occupations)),
    )
