"""Occupation search and transitions over the imported classifications.

The transition model (occupation facts and skill profiles) is built from the database once per
set of imported source versions and kept in memory; public data only, so no access check.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kedja.core.concepts import Relation, Scheme
from kedja.core.errors import InvalidInput, NotFound
from kedja.demo.packs import load_occupation_facts
from kedja.store import session_scope
from kedja.store import taxonomy as store
from kedja.taxonomy.crosswalk import ssyk_to_esco
from kedja.taxonomy.importers.jobtech import NO_EDUCATION
from kedja.taxonomy.importers.scb import EMPLOYEES
from kedja.taxonomy.search import LabelEntry, LabelIndex, SearchHit
from kedja.taxonomy.similarity import aggregated_matrix, skill_matrix
from kedja.taxonomy.transitions import (
    OccupationFacts,
    Transition,
    TransitionModel,
    all_top_transitions,
    education_level,
    skill_gaps,
    top_transitions,
    transitions_for_profile,
)

__all__ = [
    "LEVELS",
    "OccupationDetail",
    "occupation_detail",
    "occupation_transitions",
    "person_transitions",
    "search_occupations",
    "transition_model",
    "transitions_table",
]

LEVELS = ("ssyk4", "esco")
_MODELS: dict[tuple[str, str, str], TransitionModel] = {}
_INDEXES: dict[tuple[str, str], LabelIndex] = {}
IMPORT_HINT = "import ESCO and JobTech first: kedja import esco PATH; kedja import jobtech PATH"


def _stamp(session: Session) -> str:
    sources = store.source_versions(session)
    return repr(sorted((key, str(value["imported_at"])) for key, value in sources.items()))


def _pairs(session: Session, scheme: str, relation: str) -> list[tuple[str, str]]:
    return [(link.from_code, link.to_code)
            for link in store.links_of(session, from_scheme=scheme, relations=[relation])]


def _esco_matrix(session: Session) -> tuple[Any, dict[str, str]]:
    occupations = [c.code for c in store.concepts_of(session, [Scheme.ESCO_OCCUPATION])]
    skills = store.concepts_of(session, [Scheme.ESCO_SKILL])
    links = store.links_of(session, from_scheme=Scheme.ESCO_OCCUPATION,
                           relations=[Relation.ESSENTIAL, Relation.OPTIONAL])
    matrix = skill_matrix(occupations, [s.code for s in skills],
                          ((link.from_code, link.to_code, link.relation) for link in links))
    return matrix, {s.code: s.label for s in skills}


def _ssyk_model(session: Session) -> TransitionModel:
    base, labels = _esco_matrix(session)
    names = {c.code: c.label for c in store.concepts_of(session, [Scheme.SSYK]) if len(c.code) == 4}
    ssyk_isco = [(s, i) for s, i in _pairs(session, Scheme.SSYK, Relation.ISCO) if len(s) == 4]
    members = ssyk_to_esco(ssyk_isco, _pairs(session, Scheme.ESCO_OCCUPATION, Relation.ISCO))
    codes = sorted(set(names) | set(members))
    names = {**_title_labels(session, codes), **names}
    employees = {link.from_code: link.weight or 0.0 for link in store.links_of(
        session, from_scheme=Scheme.SSYK, relations=[EMPLOYEES])}
    no_education = _no_education_groups(session)
    facts = tuple(OccupationFacts(c, names.get(c, c), (c[:3], c[:2], c[:1]), education_level(c),
                                  employees.get(c, 0.0), c in no_education) for c in codes)
    local, local_labels = _jobtech_matrix(session, codes)
    return TransitionModel(facts, aggregated_matrix(codes, members, base), labels, local,
                           local_labels)


def _jobtech_matrix(session: Session, codes: list[str]) -> tuple[Any, dict[str, str]]:
    skills = store.concepts_of(session, [Scheme.JOBTECH_SKILL])
    links = [(ssyk, skill, "essential") for ssyk, skill in _pairs(session, Scheme.SSYK,
                                                                     Relation.SKILL)]
    if not links:
        return None, {}
    return skill_matrix(codes, [s.code for s in skills], links), {s.code: s.label for s in skills}


def _title_labels(session: Session, codes: list[str]) -> dict[str, str]:
    """Groups JobTech merged away (SCB's 5322, 5324...) are named by SCB's job titles."""
    titles = {c.code: c.label for c in store.concepts_of(session, [Scheme.SCB_TITLE])}
    found: dict[str, list[str]] = defaultdict(list)
    for title, group in _pairs(session, Scheme.SCB_TITLE, Relation.BROADER):
        found[group].append(titles.get(title, title))
    return {c: f"{', '.join(sorted(found[c], key=len)[:2])} (SCB)" for c in codes if found.get(c)}


def _no_education_groups(session: Session) -> set[str]:
    broader = dict(_pairs(session, Scheme.JOBTECH_OCCUPATION, Relation.BROADER))
    members = _pairs(session, Scheme.JOBTECH_OCCUPATION, Relation.MEMBER)
    return {broader[name] for name, collection in members
            if collection == NO_EDUCATION and name in broader}


def _esco_model(session: Session) -> TransitionModel:
    matrix, labels = _esco_matrix(session)
    names = {c.code: c.label for c in store.concepts_of(session, [Scheme.ESCO_OCCUPATION])}
    isco = dict(_pairs(session, Scheme.ESCO_OCCUPATION, Relation.ISCO))
    facts = tuple(OccupationFacts(code, names[code], _isco_groups(isco.get(code, "")),
                                  education_level(isco.get(code, "")))
                  for code in matrix.rows)
    return TransitionModel(facts, matrix, labels)


def _isco_groups(code: str) -> tuple[str, ...]:
    return (code[:3], code[:2], code[:1]) if code else ()


def transition_model(engine: Engine, level: str = "ssyk4") -> TransitionModel:
    """The transition model at ``level`` (``ssyk4`` or ``esco``), cached per import state.

    Raises:
        InvalidInput: unknown level. NotFound: no occupations or skills imported yet.

    """
    if level not in LEVELS:
        raise InvalidInput(f"unknown level {level!r}", field="level", value=level,
                           hint=f"choose one of {', '.join(LEVELS)}")
    with session_scope(engine) as session:
        key = (str(engine.url), level, _stamp(session))
        if key not in _MODELS:
            model = _ssyk_model(session) if level == "ssyk4" else _esco_model(session)
            if not model.facts or model.matrix.essential.nnz == 0:
                raise NotFound("the database holds no occupations with skills", field="--db",
                               hint=IMPORT_HINT)
            _MODELS.clear()
            _MODELS[key] = model
    return _MODELS[key]


def occupation_transitions(engine: Engine, origin: str, *, level: str = "ssyk4", k: int = 10,
                           shortage: Iterable[str] | None = None,
                           no_education_only: bool = False) -> list[Transition]:
    """Top-``k`` destinations from the occupation ``origin`` with breakdown and skill gaps.

    Raises:
        NotFound: ``origin`` is not an occupation of the model.

    """
    if level == "ssyk4":
        return _learned_with_esco_gaps(engine, origin, k, shortage, no_education_only)
    model = transition_model(engine, level)
    try:
        return top_transitions(model, origin, k=k, no_education_only=no_education_only,
                               shortage=None if shortage is None else set(shortage))
    except KeyError:
        raise NotFound(f"no occupation {origin!r} at level {level}", field="from", value=origin,
                       hint="give a four-digit SSYK 2012 code such as '5321', or an ESCO URI "
                            "with --level esco; 'kedja occupations search TEXT' finds codes"
                       ) from None


def _learned_with_esco_gaps(engine: Engine, origin: str, k: int,
                            shortage: Iterable[str] | None,
                            no_education_only: bool) -> list[Transition]:
    """The learned model's destinations; with ESCO imported, also the missing ESCO skills."""
    from kedja.services.learned_transitions import learned_recommendations

    found = learned_recommendations(origin, k=k, shortage=shortage,
                                    no_education_only=no_education_only)
    try:
        esco = transition_model(engine, "ssyk4")
    except NotFound:
        return found
    return [replace(t, missing_skills=skill_gaps(esco, origin, t.to_code)) for t in found]


def person_transitions(engine: Engine, *, skills: Iterable[str] = (),
                       history: Iterable[tuple[str, float]] = (), level: str = "ssyk4",
                       k: int = 10, education_level: int | None = None,
                       shortage: Iterable[str] | None = None,
                       no_education_only: bool = False) -> list[Transition]:
    """Top-``k`` destinations for a person's own skills (ESCO URIs) and occupation history."""
    model = transition_model(engine, level)
    return transitions_for_profile(model, skills=skills, history=history, k=k,
                                   level=education_level, no_education_only=no_education_only,
                                   shortage=None if shortage is None else set(shortage))


def transitions_table(engine: Engine, *, level: str = "ssyk4", k: int = 10
                      ) -> list[tuple[str, int, str, float]]:
    """``(from_code, rank, to_code, score)`` for every occupation at ``level``.

    At SSYK level the learned model over the 400 groups of the shipped facts answers, with or
    without imports.
    """
    if level == "ssyk4":
        from kedja.services.learned_transitions import learned_table

        return learned_table(k)
    return all_top_transitions(transition_model(engine, level), k=k)


def _pack_entries() -> list[LabelEntry]:
    """All 400 SSYK groups with their Swedish and English and JobTech occupation names.

    From the shipped facts pack, so search works on a database with nothing imported.
    """
    raw = load_occupation_facts()
    names = {g["code"]: g["name_sv"] for g in raw["groups"]}
    prior = {g["code"]: math.log1p(g.get("employees") or 0) for g in raw["groups"]}
    entries = []
    for g in raw["groups"]:
        code = g["code"]
        entries.append(LabelEntry(code, Scheme.SSYK, g["name_sv"], g["name_sv"], prior[code]))
        if g.get("name_en"):
            entries.append(LabelEntry(code, Scheme.SSYK, g["name_sv"], g["name_en"], prior[code]))
    for label, code in raw.get("occupation_names", {}).values():
        if code in names:
            entries.append(LabelEntry(code, Scheme.SSYK, names[code], label, prior[code]))
    return entries


def _label_entries(session: Session) -> list[LabelEntry]:
    entries: list[LabelEntry] = _pack_entries()
    for concept in store.concepts_of(session, [Scheme.SSYK, Scheme.ESCO_OCCUPATION]):
        if concept.scheme == Scheme.SSYK and len(concept.code) != 4:
            continue
        for label in (concept.label, *concept.alt_labels):
            entries.append(LabelEntry(concept.code, concept.scheme, concept.label, label))
    ssyk = {c.code: c.label for c in store.concepts_of(session, [Scheme.SSYK])}
    titles = {c.code: c.label for c in store.concepts_of(
        session, [Scheme.JOBTECH_OCCUPATION, Scheme.SCB_TITLE])}
    for scheme in (Scheme.JOBTECH_OCCUPATION, Scheme.SCB_TITLE):
        for name, group in _pairs(session, scheme, Relation.BROADER):
            if name in titles:
                label = ssyk.get(group, f"{titles[name]} (SCB)")
                entries.append(LabelEntry(group, Scheme.SSYK, label, titles[name]))
    prior = {e.code: e.prior for e in entries if e.prior}
    return [e if e.prior or e.code not in prior else
            LabelEntry(e.code, e.scheme, e.label, e.matched, prior[e.code]) for e in entries]


def search_occupations(engine: Engine, text: str, *, limit: int = 10,
                       schemes: Iterable[str] | None = None) -> list[SearchHit]:
    """Occupations whose Swedish or English labels, titles or occupation names match ``text``."""
    if not text.strip():
        raise InvalidInput("the search text is empty", field="text", value=text,
                           hint="give a word such as 'svetsare' or 'nurse'")
    with session_scope(engine) as session:
        key = (str(engine.url), _stamp(session))
        if key not in _INDEXES:
            _INDEXES.clear()
            _INDEXES[key] = LabelIndex(_label_entries(session))
    return _INDEXES[key].search(text, limit=limit,
                                schemes=None if schemes is None else set(schemes))


@dataclass(frozen=True)
class OccupationDetail:
    """An occupation with its crosswalk: ISCO-08 groups, SSYK groups, ESCO occupations, names."""

    code: str
    scheme: str
    label: str
    alt_labels: list[str]
    isco: list[tuple[str, str]]
    ssyk: list[tuple[str, str]]
    esco: list[tuple[str, str]]
    swedish_names: list[str]
    essential_skills: list[str]
    facts: dict[str, Any] = field(default_factory=dict)
    skills_sv: list[str] = field(default_factory=list)


def occupation_detail(engine: Engine, code: str, *, names: int = 25) -> OccupationDetail:
    """An SSYK group (four digits) or ESCO occupation (URI) with what the crosswalk links to it.

    An SSYK group gets its ESCO occupations; an ESCO occupation its SSYK group(s) and their
    Swedish occupation names and SCB job titles.

    Raises:
        NotFound: no such occupation has been imported.

    """
    pack = _pack_group(code)
    with session_scope(engine) as session:
        if pack is not None and not _has_concept(session, code):
            return _pack_detail(pack, names)
        concept = _concept(session, code)
        ssyk_isco = _pairs(session, Scheme.SSYK, Relation.ISCO)
        esco_isco = _pairs(session, Scheme.ESCO_OCCUPATION, Relation.ISCO)
        ssyk_of_esco = defaultdict(set)
        for ssyk, uris in ssyk_to_esco(ssyk_isco, esco_isco).items():
            for uri in uris:
                ssyk_of_esco[uri].add(ssyk)
        if concept.scheme == Scheme.SSYK:
            groups = [code]
            esco = ssyk_to_esco([p for p in ssyk_isco if p[0] == code], esco_isco).get(code, [])
            isco = sorted({i for s, i in ssyk_isco if s == code})
        else:
            groups, esco = sorted(ssyk_of_esco.get(code, ())), [code]
            isco = sorted({i for e, i in esco_isco if e == code})
        return _detail(session, concept, groups, esco, isco, names)


def _pack_group(code: str) -> dict[str, Any] | None:
    return next((g for g in load_occupation_facts()["groups"] if g["code"] == code), None)


def _has_concept(session: Session, code: str) -> bool:
    return any(c.code == code for c in store.concepts_of(session, [Scheme.SSYK]))


FACT_KEYS = ("employees", "wage", "wage_source", "field", "education", "opportunities",
             "opportunities_north", "outlook", "ai_exposure", "genai_exposure", "no_education")


def _pack_detail(group: dict[str, Any], names: int) -> OccupationDetail:
    """An SSYK group from the shipped facts pack (a database with nothing imported)."""
    raw = load_occupation_facts()
    swedish = sorted((label for label, code in raw["occupation_names"].values()
                      if code == group["code"]), key=str.casefold)
    skills = sorted((raw["skill_names"].get(s, s) for s in group["skills"]), key=str.casefold)
    return OccupationDetail(
        group["code"], Scheme.SSYK, group["name_sv"], [group["name_en"]] if group.get("name_en")
        else [], [(i, i) for i in group["isco"]], [(group["code"], group["name_sv"])], [],
        swedish[:names], [], {k: group.get(k) for k in FACT_KEYS}, skills)


def _concept(session: Session, code: str) -> Any:
    scheme = Scheme.SSYK if code.isdigit() else Scheme.ESCO_OCCUPATION
    found = [c for c in store.concepts_of(session, [scheme]) if c.code == code]
    if not found:
        raise NotFound(f"no occupation {code!r} has been imported", field="code", value=code,
                       hint="give a four-digit SSYK 2012 code or an ESCO occupation URI; "
                            + IMPORT_HINT)
    return found[0]


def _detail(session: Session, concept: Any, groups: list[str], esco: list[str],
            isco: list[str], names: int) -> OccupationDetail:
    labels = {c.key: c.label for c in store.concepts_of(
        session, [Scheme.SSYK, Scheme.ESCO_OCCUPATION, Scheme.ISCO, Scheme.ESCO_SKILL,
                  Scheme.JOBTECH_OCCUPATION, Scheme.SCB_TITLE])}
    swedish = []
    for scheme in (Scheme.JOBTECH_OCCUPATION, Scheme.SCB_TITLE):
        swedish += [labels.get((scheme, n), n) for n, g in _pairs(session, scheme, Relation.BROADER)
                    if g in groups]
    essential = [labels.get((Scheme.ESCO_SKILL, link.to_code), link.to_code)
                 for link in store.links_of(session, from_scheme=Scheme.ESCO_OCCUPATION,
                                            relations=[Relation.ESSENTIAL])
                 if link.from_code == concept.code]
    return OccupationDetail(
        concept.code, concept.scheme, concept.label, list(concept.alt_labels),
        [(i, labels.get((Scheme.ISCO, i), i)) for i in isco],
        [(g, labels.get((Scheme.SSYK, g), g)) for g in groups],
        [(e, labels.get((Scheme.ESCO_OCCUPATION, e), e)) for e in esco],
        sorted(dict.fromkeys(swedish), key=str.casefold)[:names], sorted(essential))
