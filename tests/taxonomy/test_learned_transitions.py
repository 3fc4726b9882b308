"""The learned transitions model: truth files, metrics, folds, the ranker and its artefact."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from kedja.core.errors import InvalidInput
from kedja.demo.packs import load_occupation_facts
from kedja.taxonomy.evaluation import grouped_folds, metrics_of, read_truth
from kedja.taxonomy.pairs import FEATURE_GROUPS, GroupFacts, group_facts, pair_features
from kedja.taxonomy.ranker import Ranker, fit_ranker
from tests.conftest import shared_data

SUBSTITUTES = {"data": {"concepts": [
    {"id": "a1", "preferred_label": "Undersköterska", "type": "occupation-name",
     "substitutes": [{"id": "b1", "preferred_label": "Vårdbiträde",
                      "substitutability_percentage": 75},
                     {"id": "a2", "preferred_label": "Undersköterska, akut",
                      "substitutability_percentage": 25},
                     {"id": "zz", "preferred_label": "Okänt yrke",
                      "substitutability_percentage": 25}]}]}}


def test_both_truth_formats_are_read() -> None:
    scb = read_truth({"5321": ["5330", "5330", "Nej", "5321"], "x": ["1"]}, name_to_group={})
    assert scb.kind == "scb-switch" and scb.destinations == {"5321": {"5330"}}
    names = {"a1": "5321", "a2": "5321", "b1": "5330"}
    af = read_truth(SUBSTITUTES, name_to_group=names)
    assert af.destinations == {"5321": {"5330"}}  # same-group substitutes left out
    assert af.notes == ("1 occupation names not found in the JobTech taxonomy",)
    with pytest.raises(InvalidInput, match="neither"):
        read_truth(["5321"], name_to_group={})


def test_metrics_and_folds() -> None:
    m = metrics_of({"a": ["x", "y"], "b": ["q", "r"]}, {"a": {"x"}, "b": {"z"}}, k=2)
    assert (m.recall, m.mrr, m.ndcg, m.origins) == (0.5, 0.5, 0.5, 2)
    folds = grouped_folds([str(i) for i in range(23)], 5, seed=3)
    flat = [o for f in folds for o in f]
    assert sorted(flat) == sorted(str(i) for i in range(23)) and len(set(flat)) == 23
    with pytest.raises(InvalidInput, match="folds"):
        grouped_folds(["a", "b"], 3)


def _toy() -> list[GroupFacts]:
    skills = {"5321": "abcd", "5323": "abce", "5330": "abf", "7212": "wxy", "7213": "wxz",
              "9111": "mn", "9112": "mno", "2221": "abcdpq"}
    return [GroupFacts(code, code, tuple(s), employees=1000.0 * (i + 1))
            for i, (code, s) in enumerate(skills.items())]


def test_ranker_learns_from_properties_and_ranks_unseen_origins() -> None:
    pairs = pair_features(_toy())
    truth = {"5321": {"5323", "5330"}, "7212": {"7213"}, "9111": {"9112"}}
    ranker = fit_ranker(pairs, [truth], list(truth), learner="logistic")
    scores = ranker.scores(pairs)
    at = {c: i for i, c in enumerate(pairs.codes)}
    row = scores[at["2221"]].copy()  # never seen in training
    row[at["2221"]] = -np.inf
    assert pairs.codes[int(np.argmax(row))] in {"5321", "5323"}
    again = Ranker.from_json(ranker.to_json())
    assert np.allclose(again.scores(pairs), scores)
    assert "5330" not in ranker.to_json()  # the model keeps no pair, only coefficients


def test_pack_covers_every_ssyk_group_with_the_features() -> None:
    facts = group_facts(load_occupation_facts())
    assert len(facts) == 400 and len({f.code for f in facts}) == 400
    assert sum(f.wage is not None for f in facts) >= 390
    assert sum(bool(f.skills) for f in facts) >= 390
    pairs = pair_features(facts)
    assert set(pairs.values) == {n for names in FEATURE_GROUPS.values() for n in names}
    assert all(np.isfinite(v).all() for v in pairs.values.values())


def test_shipped_model_has_provenance_and_scores_all_groups() -> None:
    text = resources.files("kedja.taxonomy").joinpath("data", "transitions_ranker.json").read_text(
        encoding="utf-8")
    ranker = Ranker.from_json(text)
    provenance = ranker.provenance
    assert {"data", "fitted_at", "kedja", "cv", "calibration"} <= set(provenance)
    figures = provenance["cv"]["figures"]
    for name, baseline in (("scb_switch_destinations_train.json", "IDF cosine (JobTech skills)"),
                           ("af_substitutability_train.json", "IDF cosine (JobTech skills)")):
        assert figures[name]["model"]["recall"] > figures[name][baseline]["recall"]
    raw = json.loads(text)
    assert raw["learner"] == "lambdarank"


@pytest.mark.shared_data
@pytest.mark.slow
def test_held_out_origins_beat_the_skill_cosine() -> None:
    """Fit on half of the training origins, judge on the other half (grouped by origin)."""
    folder = shared_data("transitions_train")
    raw = load_occupation_facts()
    from kedja.taxonomy.pairs import name_to_group

    names = name_to_group(raw)
    truth = read_truth(json.loads((folder / "scb_switch_destinations_train.json").read_text()),
                       name_to_group=names).destinations
    pairs = pair_features(group_facts(raw))
    origins = sorted(truth)
    train, test = origins[::2], origins[1::2]
    ranker = fit_ranker(pairs, [truth], train, rounds=100)
    at = {c: i for i, c in enumerate(pairs.codes)}
    rows = [at[o] for o in test]
    from kedja.taxonomy.evaluation import ranked_from_scores

    full = np.full((len(pairs.codes), len(pairs.codes)), -np.inf)
    full[rows] = ranker.scores(pairs, rows)
    model = metrics_of(ranked_from_scores(pairs.codes, full, rows, 10),
                       {o: truth[o] for o in test}, 10)
    cosine = metrics_of(ranked_from_scores(pairs.codes, pairs.values["cos"], rows, 10),
                        {o: truth[o] for o in test}, 10)
    assert model.recall > cosine.recall + 0.1
