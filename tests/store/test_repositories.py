"""Core types survive a round trip through the store, on both backends."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from kedja.core.errors import NotFound
from kedja.core.geography import Coordinates, County, FunctionalArea, Municipality
from kedja.core.organisations import Organisation
from kedja.core.people import (
    Constraints,
    Education,
    LabourSituation,
    LanguageSkill,
    PastOccupation,
    Person,
    Preferences,
    SkillClaim,
)
from kedja.core.protected import ProtectedAttributes
from kedja.core.taxonomy import Occupation, OccupationSkill, Skill
from kedja.store import repositories as repo
from kedja.store import session_scope
from kedja.store import tables as t


def _seed(engine: Engine) -> None:
    with session_scope(engine) as session:
        repo.save_region(
            session, counties=[County("25", "Norrbottens län")],
            areas=[FunctionalArea("57", "Luleå")],
            municipalities=[Municipality("2580", "Luleå", "25", "57", Coordinates(65.58, 22.15),
                                         population=78_000, population_year=2019)],
            localities=[],
        )
        repo.save_occupations(
            session, occupations=[Occupation("7212", "Svetsare och gasskärare", isco_codes=("7212",),
                                             sector="industry")],
            skills=[Skill("s1", "MIG-svetsning"), Skill("s2", "TIG-svetsning")],
            links=[OccupationSkill("7212", "s1"), OccupationSkill("7212", "s2", "optional")],
            source="test",
        )
        repo.save_organisations(session, [Organisation("E1", "Verkstad AB", "employer", "2580")])


def test_person_round_trip(engine: Engine) -> None:
    _seed(engine)
    person = Person(
        id="P1", municipality_code="2580",
        situation=LabourSituation("unemployed", since=date(2026, 6, 1), support_forms=frozenset({"sfi"})),
        skills=(SkillClaim("s1", "verified"), SkillClaim("s2", "informal")),
        past_occupations=(PastOccupation("7212", 6.5),),
        education=Education("3", "521"), languages=(LanguageSkill("ar", "native"), LanguageSkill("sv", "B1")),
        driving_licences=frozenset({"B", "C"}),
        constraints=Constraints(60, 30, frozenset({"quiet_environment"}), date(2026, 12, 1)),
        preferences=Preferences(("7212",), ("industry",)),
    )
    with session_scope(engine) as session:
        repo.save_people(session, [person], [ProtectedAttributes("P1", "female", 1990, True, False)])
    with session_scope(engine) as session:
        loaded = repo.get_person(session, "P1")
        assert repo.list_occupations(session)[0].isco_codes == ("7212",)
    assert loaded == person


def test_missing_person_is_not_found(engine: Engine) -> None:
    with session_scope(engine) as session, pytest.raises(NotFound, match="'nobody'"):
        repo.get_person(session, "nobody")


def test_foreign_keys_are_enforced_and_failed_transactions_leave_nothing(engine: Engine) -> None:
    _seed(engine)
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        repo.save_organisations(session, [Organisation("E2", "Ny AB", "employer", "2581")])
    with session_scope(engine) as session:
        assert repo.count_rows(session, t.OrganisationRow) == 1


def test_protected_attributes_of_job_seekers_only(engine: Engine) -> None:
    from kedja.store import loaders

    _seed(engine)
    seeker = Person(id="P1", municipality_code="2580",
                    situation=LabourSituation("unemployed", since=date(2026, 6, 1)))
    worker = Person(id="P2", municipality_code="2580",
                    situation=LabourSituation("employed", occupation_code="7212"))
    with session_scope(engine) as session:
        repo.save_people(session, [seeker, worker],
                         [ProtectedAttributes("P1", "female", 1990, True, False),
                          ProtectedAttributes("P2", None, None, None, None)])
    with session_scope(engine) as session:
        everyone = loaders.list_protected(session)
        seekers = loaders.list_protected(session, job_seekers_only=True)
    assert everyone == {"P1": ProtectedAttributes("P1", "female", 1990, True, False),
                        "P2": ProtectedAttributes("P2", None, None, None, None)}
    assert seekers == {"P1": everyone["P1"]}
