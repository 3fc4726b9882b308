"""group_causes: the rule that removes a flagged group's places, on a small instance and the demo."""

from __future__ import annotations

import numpy as np
from sqlalchemy import Engine

from kedja import services
from kedja.matching.causes import CAUSES, blocked_places, group_causes
from kedja.matching.planner import prepare_matching
from kedja.services.matching import matching_data
from kedja.store import loaders, session_scope


def test_the_demo_allocation_names_a_cause_for_each_flagged_group(demo_engine: Engine) -> None:
    summary = services.run_allocation(demo_engine)
    flagged = [(d, g) for d, groups in summary["flagged_groups"].items() for g in groups]
    assert flagged, "the demo's audit flags at least one group"
    causes = {(c["dimension"], c["group"]): c for c in summary["group_causes"]}
    assert set(causes) == set(flagged)
    for cause in causes.values():
        assert cause["main_cause"] in (*CAUSES, "capacity")
        assert cause["main_cause"] == max(cause["excess"], key=cause["excess"].get)
        assert cause["people"] >= cause["placed"]
        assert cause["band"]["cost_in_fit"] >= 0
        capacity = cause["capacity"]
        assert capacity["people_with_candidates"] + capacity["people_without_candidates"] == cause["people"]


def test_people_who_need_adaptations_lose_the_places_that_offer_none(demo_engine: Engine) -> None:
    with session_scope(demo_engine) as session:
        people = loaders.list_people(session, job_seekers_only=True)
        prepared = prepare_matching(matching_data(session, people))
    data = prepared.scoring
    needs = np.flatnonzero(data.people.adaptations != 0)
    none = np.flatnonzero(data.people.adaptations == 0)
    assert needs.size and none.size
    blocked = blocked_places(data, np.concatenate([needs, none]))
    assert np.all(blocked["adaptations"][: needs.size] > 0)
    assert np.all(blocked["adaptations"][needs.size:] == 0)
    # counted by hand for the first person: places at opportunities lacking one of their adaptations
    first = needs[0]
    lacking = (data.people.adaptations[first] & ~data.opportunities.adaptations) != 0
    assert blocked["adaptations"][0] == data.opportunities.capacity[lacking].sum()
    labels = np.where(data.people.adaptations != 0, "needs", "none")
    place_of = np.full(labels.size, -1)
    place_of[none[: none.size // 2]] = 0
    result = group_causes(data, labels.tolist(), ["needs"], "none", place_of, np.ones(labels.size, bool))
    assert result[0]["main_cause"] == "adaptations"
    assert result[0]["places_removed"]["adaptations"]["reference_share"] == 0.0
