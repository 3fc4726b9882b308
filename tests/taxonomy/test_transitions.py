"""Transitions: ranking, filters, skill gaps, education steps, batch consistency."""

from __future__ import annotations

import itertools

import pytest

from kedja.taxonomy.search import LabelEntry, LabelIndex
from kedja.taxonomy.similarity import skill_matrix
from kedja.taxonomy.transitions import (
    EDUCATION_STEPS,
    OccupationFacts,
    TransitionModel,
    all_top_transitions,
    top_transitions,
    transitions_for_profile,
)

SKILLS = {"5321": ["care", "hygiene", "safety"], "5323": ["care", "hygiene", "medication", "safety"],
          "2221": ["care", "medication", "assess", "nursing"], "7212": ["weld", "blueprints", "safety"],
          "9111": ["cleaning", "safety"]}


@pytest.fixture
def model() -> TransitionModel:
    links = [(code, s, "essential") for code, skills in SKILLS.items() for s in skills]
    skills = sorted({s for v in SKILLS.values() for s in v})
    facts = tuple(OccupationFacts(c, f"occ {c}", (c[:3], c[:2], c[:1]), lvl, emp, c == "9111")
                  for c, lvl, emp in [("2221", 4, 100_000), ("5321", 2, 150_000), ("5323", 2, 60_000),
                                      ("7212", 2, 10_000), ("9111", 1, 50_000)])
    matrix = skill_matrix([f.code for f in facts], skills, links)
    return TransitionModel(facts, matrix, {s: s.title() for s in skills})


def test_care_assistant_goes_to_care_first_with_gaps_and_steps(model: TransitionModel) -> None:
    found = top_transitions(model, "5321", k=4)
    assert found[0].to_code == "5323"
    assert "5321" not in [t.to_code for t in found]
    assert [g.label for g in found[0].missing_skills] == ["Medication"]
    nurse = next(t for t in found if t.to_code == "2221")
    assert {g.code for g in nurse.missing_skills} == {"medication", "assess", "nursing"}
    assert nurse.education_step == EDUCATION_STEPS[4]
    assert found[0].education_step == EDUCATION_STEPS[0]
    assert set(found[0].breakdown) >= {"skills", "coverage", "cosine", "field", "education", "size"}
    assert all(a.score >= b.score for a, b in itertools.pairwise(found))


def test_filters(model: TransitionModel) -> None:
    assert [t.to_code for t in top_transitions(model, "7212", no_education_only=True)] == ["9111"]
    shortage = top_transitions(model, "5321", shortage={"2221", "7212"})
    assert {t.to_code for t in shortage} == {"2221", "7212"} and all(t.shortage for t in shortage)
    with pytest.raises(KeyError):
        top_transitions(model, "0000")


def test_batch_agrees_with_single_origin(model: TransitionModel) -> None:
    rows = all_top_transitions(model, k=3)
    assert len(rows) == 5 * 3 and all(f != t for f, _, t, _ in rows)
    single = top_transitions(model, "7212", k=3)
    assert [(t, s) for f, _, t, s in rows if f == "7212"] == [(t.to_code, t.score) for t in single]


def test_person_with_history_and_own_skills(model: TransitionModel) -> None:
    found = transitions_for_profile(model, skills=["medication"], history=[("5321", 4.0)], k=2)
    assert found[0].to_code == "5323" and found[0].missing_skills == []
    assert "5321" not in [t.to_code for t in found]
    newcomer = transitions_for_profile(model, skills=["cleaning", "safety"], k=1)
    assert newcomer[0].to_code == "9111"


@pytest.mark.parametrize(("query", "code"), [("svetsare", "7212"), ("svetsre", "7212"),
                                             ("undersköterska", "5321"), ("truckforare", "8344"),
                                             ("lärare i förskola", "2343"), ("welder", "e:welder")])
def test_search_tolerates_typos_and_inflection(query: str, code: str) -> None:
    labels = [("7212", "Svetsare och gasskärare"), ("5321", "Undersköterskor, hemtjänst"),
              ("8344", "Truckförare"), ("2343", "Förskollärare"), ("2341", "Grundskollärare"),
              ("e:welder", "welder"), ("9111", "Städare")]
    index = LabelIndex(LabelEntry(c, "ssyk", label, label) for c, label in labels)
    assert index.search(query)[0].code == code
