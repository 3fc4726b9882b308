"""Job rotation: substitutes hour for hour, the unemployment rule, and Hypothesis instances."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kedja.chains.rotation import RotationProblem, is_valid_rotation, plan_rotation
from kedja.core.errors import InvalidInput


def rotation(**changes: object) -> RotationProblem:
    """Two trainees (positions 0 and 1, 40 and 30 hours); three job seekers."""
    values: dict[str, object] = {
        "absence_position": np.array([0, 1]), "absence_start": np.array([0, 4]),
        "absence_weeks": np.array([40, 20]), "absence_hours": np.array([40, 30]),
        "seeker": np.array([0, 1, 1, 2]), "seeker_position": np.array([0, 0, 1, 1]),
        "seeker_fit": np.array([0.5, 0.9, 0.8, 0.6]), "seeker_hours": np.array([40, 40, 30]),
        "seeker_weeks_unemployed": np.array([10, 60, 30]), "seeker_busy": np.array([False, False, False]),
    }
    values.update(changes)
    return RotationProblem(**values)  # type: ignore[arg-type]


def test_every_trainee_gets_a_substitute_with_the_best_total_fit() -> None:
    problem = rotation()
    plan = plan_rotation(problem)
    assert plan.substitute.tolist() == [1, 2]  # fit 0.9 + 0.6 beats 0.5 + 0.8
    assert plan.summary["covered"] == 2
    assert plan.summary["hours_covered"] == plan.summary["hours_to_cover"] == 40 * 40 + 30 * 20
    assert is_valid_rotation(problem, plan)


def test_a_substitute_must_work_all_the_hours_of_the_trainee() -> None:
    plan = plan_rotation(rotation(seeker_hours=np.array([20, 20, 30])))
    assert plan.substitute.tolist() == [-1, 2]
    assert plan.summary["hours_covered"] == 30 * 20


def test_the_minimum_unemployment_rule_excludes_the_recently_unemployed() -> None:
    plan = plan_rotation(rotation(min_weeks_unemployed=26))
    assert plan.substitute.tolist() == [1, 2]
    none = plan_rotation(rotation(min_weeks_unemployed=100))
    assert none.summary["covered"] == 0


def test_the_job_seeker_hired_into_the_job_later_is_its_natural_substitute() -> None:
    busy = np.array([True, False, False])
    plan = plan_rotation(rotation(seeker_busy=busy, seeker_enters=np.array([0, -1, -1])))
    assert plan.substitute[0] == 0  # hired into position 0 when the trainee moves up
    elsewhere = plan_rotation(rotation(seeker_busy=busy, seeker_enters=np.array([5, -1, -1])))
    assert 0 not in elsewhere.substitute.tolist()


def test_bad_rotation_input_is_refused() -> None:
    with pytest.raises(InvalidInput, match="differ in length"):
        rotation(absence_hours=np.array([40]))
    with pytest.raises(InvalidInput, match="weeks"):
        rotation(min_weeks_unemployed=-1)


@st.composite
def rotation_problems(draw: st.DrawFn) -> RotationProblem:
    n_a = draw(st.integers(0, 6))
    n_s = draw(st.integers(1, 8))
    n_arcs = draw(st.integers(0, 20))
    positions = np.array(draw(st.lists(st.integers(0, 9), min_size=n_a, max_size=n_a, unique=True)), np.int64)
    ints = st.integers(0, 9)
    return RotationProblem(
        absence_position=positions, absence_start=np.zeros(n_a, np.int64),
        absence_weeks=np.array(draw(st.lists(st.integers(1, 52), min_size=n_a, max_size=n_a)), np.int64),
        absence_hours=np.array(draw(st.lists(st.integers(10, 40), min_size=n_a, max_size=n_a)), np.int64),
        seeker=np.array(draw(st.lists(st.integers(0, n_s - 1), min_size=n_arcs, max_size=n_arcs)), np.int64),
        seeker_position=np.array(draw(st.lists(ints, min_size=n_arcs, max_size=n_arcs)), np.int64),
        seeker_fit=np.array(draw(st.lists(st.floats(0, 1), min_size=n_arcs, max_size=n_arcs))),
        seeker_hours=np.array(draw(st.lists(st.integers(10, 40), min_size=n_s, max_size=n_s)), np.int64),
        seeker_weeks_unemployed=np.array(draw(st.lists(st.integers(0, 200), min_size=n_s, max_size=n_s))),
        seeker_busy=np.array(draw(st.lists(st.booleans(), min_size=n_s, max_size=n_s))),
        min_weeks_unemployed=draw(st.none() | st.integers(0, 100)))


@settings(max_examples=150, deadline=None)
@given(rotation_problems())
def test_every_rotation_plan_is_valid_and_covers_as_many_as_a_matching(problem: RotationProblem) -> None:
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_bipartite_matching

    plan = plan_rotation(problem)
    assert is_valid_rotation(problem, plan)
    # the oracle: the largest matching of absences to distinct eligible seekers, built anew here
    n_s = problem.seeker_hours.size
    rows, cols = [], []
    for arc in range(problem.seeker.size):
        s, p = int(problem.seeker[arc]), int(problem.seeker_position[arc])
        for a in range(problem.n_absences):
            if (problem.absence_position[a] == p and problem.seeker_hours[s] >= problem.absence_hours[a]
                    and not problem.seeker_busy[s]
                    and (problem.min_weeks_unemployed is None
                         or problem.seeker_weeks_unemployed[s] >= problem.min_weeks_unemployed)):
                rows.append(a)
                cols.append(s)
    graph = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(problem.n_absences, n_s))
    best = int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum()) if rows else 0
    assert plan.summary["covered"] == best
