"""Similarity measures against an independent pair-by-pair reference, and their properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kedja.taxonomy.similarity import (
    aggregated_matrix,
    cosine_all_pairs,
    coverage_all_pairs,
    idf_weights,
    skill_matrix,
    skill_similarity_all_pairs,
)


def random_links(seed: int, rows: int = 40, skills: int = 60) -> list[tuple[str, str, str]]:
    rng = np.random.default_rng(seed)
    links = []
    for r in range(rows):
        for s in rng.choice(skills, size=rng.integers(0, 12), replace=False):
            links.append((f"o{r}", f"s{s}", "essential" if rng.random() < 0.5 else "optional"))
    return links


def reference(links: list[tuple[str, str, str]], rows: list[str]) -> np.ndarray:
    """The same measure with sets and dicts, pair by pair (independent of scipy)."""
    ess = {r: {s for o, s, k in links if o == r and k == "essential"} for r in rows}
    opt = {r: {s for o, s, k in links if o == r and k == "optional"} - ess[r] for r in rows}
    has = {r: ess[r] | opt[r] for r in rows}
    df: dict[str, int] = {}
    for r in rows:
        for s in has[r]:
            df[s] = df.get(s, 0) + 1
    idf = {s: math.log(len(rows) / n) for s, n in df.items()}
    w = {r: {**{s: 0.5 * idf[s] for s in opt[r]}, **{s: idf[s] for s in ess[r]}} for r in rows}
    norm = {r: math.sqrt(sum(v * v for v in w[r].values())) or 1.0 for r in rows}
    out = np.zeros((len(rows), len(rows)))
    for i, a in enumerate(rows):
        for j, b in enumerate(rows):
            needs = ess[b] or has[b]
            total = sum(idf[s] for s in needs) or 1.0
            cov = sum(idf[s] for s in needs & has[a]) / total
            cos = sum(w[a][s] * w[b].get(s, 0.0) for s in w[a]) / (norm[a] * norm[b])
            out[i, j] = 0.6 * cov + 0.4 * cos
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vectorised_equals_reference(seed: int) -> None:
    links = random_links(seed)
    rows = [f"o{r}" for r in range(40)]
    matrix = skill_matrix(rows, [f"s{s}" for s in range(60)], links)
    assert np.allclose(skill_similarity_all_pairs(matrix), reference(links, rows))


def test_coverage_is_asymmetric_and_cosine_symmetric() -> None:
    nurse_skills = ["care", "hygiene", "medication", "assess"]
    links = [("nurse", s, "essential") for s in nurse_skills]
    links += [("assistant", s, "essential") for s in ("care", "hygiene")]
    links += [("welder", "weld", "essential")]
    matrix = skill_matrix(["nurse", "assistant", "welder"], [*nurse_skills, "weld"], links)
    idf = idf_weights(matrix)
    cov = coverage_all_pairs(matrix, idf)
    assert cov[0, 1] == pytest.approx(1.0) and cov[1, 0] < 0.5  # nurse→assistant easy, not back
    cos = cosine_all_pairs(matrix, idf)
    assert np.allclose(cos, cos.T) and cos[0, 2] == 0.0


def test_rare_skills_weigh_more() -> None:
    links = [(o, "common", "essential") for o in "abc"] + [("a", "rare", "essential")]
    assert list(idf_weights(skill_matrix(list("abc"), ["common", "rare"], links))) == \
        [0.0, pytest.approx(math.log(3))]


def test_group_profile_is_the_members_mean() -> None:
    base = skill_matrix(["e1", "e2"], ["x", "y"], [("e1", "x", "essential"), ("e2", "y", "optional")])
    group = aggregated_matrix(["g", "empty"], {"g": ["e1", "e2", "unknown"]}, base)
    assert group.essential.toarray().tolist() == [[0.5, 0.0], [0.0, 0.0]]
    assert group.optional.toarray().tolist() == [[0.0, 0.5], [0.0, 0.0]]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 11), st.booleans()), max_size=60))
def test_measures_stay_in_range(triples: list[tuple[int, int, bool]]) -> None:
    links = [(f"o{o}", f"s{s}", "essential" if e else "optional") for o, s, e in triples]
    matrix = skill_matrix([f"o{i}" for i in range(8)], [f"s{j}" for j in range(12)], links)
    idf = idf_weights(matrix)
    cov, cos = coverage_all_pairs(matrix, idf), cosine_all_pairs(matrix, idf)
    assert (cov >= -1e-12).all() and (cov <= 1 + 1e-12).all()
    assert np.allclose(cos, cos.T) and (cos <= 1 + 1e-9).all()
    has_skills = np.asarray((matrix.has @ np.diag(idf)).sum(axis=1)).ravel() > 0
    assert np.allclose(np.diag(cov)[has_skills], 1.0)  # everyone covers their own needs
