"""Recommended moves from the learned ranker: viable and desirable, explained in sv and en.

As in Nesta's *Mapping Career Causeways* (2020), a move is **viable** when it is similar
enough to what people do move between, and **desirable** when it also improves the person's
lot. Here viability is the ranker's calibrated probability that the pair is an observed move
(Platt scaling on out-of-fold scores, ``kedja transitions fit``) at or above the threshold
stored with the model; desirability is the mean of what is known among the wage change
(``tanh(5·log(wage ratio))``), the destination's five-year outlook (−1 … +1) and its job
opportunities now (rescaled to −1 … +1), so a move is desirable when that mean is positive
and pay does not fall by more than 5 % (``WAGE_FLOOR``).
Each recommendation lists the destination's JobTech skills the origin lacks (rarest first)
and the education step.

Complexity: O(n·s) per origin for n groups and s skills.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kedja.taxonomy.pairs import GroupFacts, PairFeatures
from kedja.taxonomy.transitions import EDUCATION_STEPS, SkillGap, Transition

__all__ = ["LearnedTransitions", "recommended"]

WAGE_FLOOR = 0.95
"""A move that cuts pay by more than 5 % is never called desirable (Nesta's desirable moves do
not lower wages; 5 % leaves room for the noise of group means)."""
STEP_SV = {
    0: "inget: ingen ytterligare formell utbildning behövs",
    1: "inget formellt krav (yrket kräver ingen utbildning)",
    2: "gymnasial yrkesutbildning (t.ex. via komvux)",
    3: "eftergymnasial yrkesutbildning (yrkeshögskola, 1–2 år)",
    4: "högskoleexamen (3 år eller mer)",
}


@dataclass(frozen=True)
class LearnedTransitions:
    """Everything needed to answer for any origin: facts, features, scores, probabilities."""

    facts: tuple[GroupFacts, ...]
    pairs: PairFeatures
    scores: np.ndarray
    probability: np.ndarray
    threshold: float
    skill_names: Mapping[str, str]

    def index_of(self, code: str) -> int | None:
        """Row of ``code``, or None."""
        return next((i for i, f in enumerate(self.facts) if f.code == code), None)

    def table(self, k: int) -> list[tuple[str, int, str, float]]:
        """``(from_code, rank, to_code, score)`` for every origin's top ``k``."""
        rows = []
        for i, f in enumerate(self.facts):
            rows += [(f.code, rank, self.facts[j].code, round(float(self.scores[i, j]), 4))
                     for rank, j in enumerate(self.top(i, k), start=1)]
        return rows

    def top(self, i: int, k: int, allowed: np.ndarray | None = None) -> list[int]:
        """The ``k`` best destinations of origin row ``i`` (itself excluded)."""
        row = self.scores[i].copy()
        row[i] = -np.inf
        if allowed is not None:
            row[~allowed] = -np.inf
        order = np.argsort(-row, kind="stable")[:k]
        return [int(j) for j in order if np.isfinite(row[j])]


def _level(f: GroupFacts) -> int:
    if f.education is None:
        return {"0": 2, "1": 3, "2": 4, "3": 3, "9": 1}.get(f.code[:1], 2)
    return max(1, min(4, round(f.education)))


def _step(origin: GroupFacts, dest: GroupFacts) -> int:
    if dest.no_education:
        return 1
    return _level(dest) if _level(dest) > _level(origin) else 0


def desirability(origin: GroupFacts, dest: GroupFacts) -> float | None:
    """Mean of the known signs of a better lot: wage, outlook, opportunities (−1 … +1).

    Examples:
        >>> a, b = GroupFacts("1", "a", wage=30000), GroupFacts("2", "b", wage=36000, outlook=1.0)
        >>> round(desirability(a, b), 2)
        0.86
        >>> desirability(b, a) <= 0  # a pay cut of 17 %: not desirable whatever the demand
        True

    """
    parts = []
    if origin.wage and dest.wage:
        parts.append(math.tanh(5 * math.log(dest.wage / origin.wage)))
    if dest.outlook is not None:
        parts.append(dest.outlook)
    if dest.opportunities is not None:
        parts.append(2 * dest.opportunities - 1)
    if not parts:
        return None
    mean = float(np.mean(parts))
    if origin.wage and dest.wage and dest.wage < WAGE_FLOOR * origin.wage:
        return min(mean, 0.0)  # a pay cut is not made desirable by demand alone
    return mean


def _gaps(model: LearnedTransitions, i: int, j: int, limit: int) -> list[SkillGap]:
    have = set(model.facts[i].skills)
    df: dict[str, int] = {}
    for f in model.facts:
        for s in f.skills:
            df[s] = df.get(s, 0) + 1
    n = len(model.facts)
    missing = [(math.log(n / df[s]), s) for s in model.facts[j].skills if s not in have]
    missing.sort(key=lambda p: (-p[0], model.skill_names.get(p[1], p[1])))
    return [SkillGap(s, model.skill_names.get(s, s), round(w, 3)) for w, s in missing[:limit]]


def _why(model: LearnedTransitions, i: int, j: int, step: int, desire: float | None,
         gaps: Sequence[SkillGap]) -> tuple[str, str]:
    v = model.pairs.values
    origin, dest = model.facts[i], model.facts[j]
    cov = float(v["cov_to"][i, j])
    sv = [f"{cov:.0%} av yrkets kompetenser finns redan".replace("%", " %")]
    en = [f"{cov:.0%} of its skills already held"]
    if v["same3"][i, j]:
        sv.append("samma yrkesgrupp")
        en.append("same occupational group")
    elif v["same_field"][i, j] and dest.occupation_field:
        sv.append(f"samma yrkesområde ({dest.occupation_field})")
        en.append(f"same occupational field ({dest.occupation_field})")
    if origin.wage and dest.wage and abs(dest.wage / origin.wage - 1) >= 0.005:
        change = dest.wage / origin.wage - 1
        sv.append(f"lön {change:+.0%}".replace("%", " %").replace("-", "−"))
        en.append(f"wage {change:+.0%}")
    if dest.outlook is not None:
        sv.append({1: "växande efterfrågan", -1: "minskande efterfrågan"}.get(
            int(np.sign(round(dest.outlook))), "oförändrad efterfrågan"))
        en.append({1: "growing demand", -1: "shrinking demand"}.get(
            int(np.sign(round(dest.outlook))), "steady demand"))
    sv.append(f"utbildningssteg: {STEP_SV[step]}")
    en.append(f"education step: {EDUCATION_STEPS[step]}")
    if gaps:
        learn = ", ".join(g.label for g in gaps[:4])
        sv.append(f"att lära: {learn}")
        en.append(f"to learn (Swedish skill names): {learn}")
    if desire is not None:
        sv.append("önskvärd" if desire > 0 else "inte tydligt bättre villkor")
        en.append("desirable" if desire > 0 else "no clear gain in pay or demand")
    return "; ".join(sv), "; ".join(en)


def recommended(model: LearnedTransitions, origin: str, *, k: int = 10, gaps: int = 8,
                shortage: set[str] | None = None, no_education_only: bool = False
                ) -> list[Transition]:
    """The ``k`` best destinations of ``origin`` with viability, desirability and reasons.

    Raises:
        KeyError: ``origin`` is not an SSYK group of the model.

    """
    i = model.index_of(origin)
    if i is None:
        raise KeyError(origin)
    allowed = np.ones(len(model.facts), dtype=bool)
    if shortage is not None:
        allowed &= np.array([f.code in shortage for f in model.facts])
    if no_education_only:
        allowed &= np.array([f.no_education for f in model.facts])
    result = []
    for j in model.top(i, k, allowed):
        dest = model.facts[j]
        step, desire = _step(model.facts[i], dest), desirability(model.facts[i], dest)
        missing = _gaps(model, i, j, gaps)
        why_sv, why_en = _why(model, i, j, step, desire, missing)
        breakdown = {name: round(float(model.pairs.values[name][i, j]), 4)
                     for name in ("cos", "cov_to", "cov_from", "same3", "same_field",
                                  "edu_diff", "wage_ratio", "size")}
        p = float(model.probability[i, j])
        result.append(Transition(
            dest.code, dest.name_sv, round(float(model.scores[i, j]), 4),
            {"probability": round(p, 4), **breakdown}, [], missing, EDUCATION_STEPS[step],
            dest.no_education, bool(shortage and dest.code in shortage),
            p >= model.threshold, None if desire is None else round(desire, 3), why_sv, why_en))
    return result
